"""The ``docgen`` command: thin click commands over the library.

Each command parses its options, calls one function, and lets :class:`DocgenError`
become a message per problem and exit code 1.  Anything unexpected is reported on
one line too (with ``DOCGEN_DEBUG=1`` for the traceback): no traceback for bad input.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import click

from docgen import __version__
from docgen.errors import ConfigError, DocgenError, Problem
from docgen.workspace import CONFIG_NAME, EXAMPLE_PARTS, Workspace, builtin_templates, example_workspace, find_workspace

FORMATS = ("docx", "pdf", "html", "xlsx")


class Session:
    """The workspace a command works on, opened on first use."""

    def __init__(self, root: Path | None) -> None:
        self.root_option = root
        self._ws: Workspace | None = None

    @property
    def root(self) -> Path:
        return self.root_option or find_workspace(Path.cwd())

    def workspace(self, strict: bool = False) -> Workspace:
        if self._ws is None:
            self._ws = Workspace.open(self.root, strict=strict)
            for w in self._ws.warnings:
                click.echo(str(w), err=True)
        return self._ws


    def report_plan_warnings(self, years: set[int]) -> None:
        """Print the plans' load warnings (unknown keys …) of these years to stderr, as ``validate`` would."""
        from docgen.validate import plan_load_warnings

        for w in plan_load_warnings(self.workspace(), sorted(years)):
            click.echo(str(w), err=True)


def parse_formats(text: str | None, ws: Workspace) -> tuple[str, ...]:
    if not text:
        return tuple(ws.config.formats)
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in wanted if f not in FORMATS]
    if bad:
        raise ConfigError(f"--format: unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    return wanted


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The workspace folder (default: the nearest folder with docgen.yaml).")
@click.version_option(__version__, prog_name="docgen")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Turn sales plan data into its standard documents (Word, PDF, HTML)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    ctx.obj = Session(root)


@cli.command()
@click.argument("doc")
@click.option("--period", "-p", help="2026 (a year) or 2026-06 (a month).")
@click.option("--region", "-r", help="A region id or name (default: the company).")
@click.option("--person", help="A salesperson id (for visit-plan).")
@click.option("--format", "-f", "formats", help="Comma-separated: docx,pdf,html,xlsx.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output/).")
@click.pass_obj
def render(session: Session, doc: str, period: str | None, region: str | None, person: str | None,
           formats: str | None, output: Path | None) -> None:
    """Render one document, e.g. `docgen render charter --format pdf`."""
    from docgen.documents import parse_period
    from docgen.render.service import render_one

    ws = session.workspace()
    session.report_plan_warnings({parse_period(period)[0] if period else ws.default_year()})
    written = render_one(ws, doc, period, region, person, parse_formats(formats, ws), output,
                         warn=lambda message: click.echo(message, err=True))
    for path in written:
        click.echo(str(path))


@cli.command()
@click.option("--strict", is_flag=True, help="Unknown keys are errors, not warnings.")
@click.option("--period", "-p", help="Check only this year's plan (2026), or also this month's ledgers and "
                                      "scores (2026-06). Default: every year's plan.")
@click.pass_obj
def validate(session: Session, strict: bool, period: str | None) -> None:
    """Check all plan data; print every problem as file:line: field: message."""
    from docgen.documents import parse_period
    from docgen.validate import validate as run

    ws = session.workspace(strict=strict)
    year, month = parse_period(period) if period else (None, None)
    report = run(ws, strict=strict, years=[year] if year else None,
                 month=(year, month) if year and month else None)
    for problem in report.problems:
        click.echo(str(problem))
    summary = (f"{report.errors} error{'s' if report.errors != 1 else ''}, "
               f"{report.warnings} warning{'s' if report.warnings != 1 else ''} in {', '.join(report.checked)}")
    click.echo(summary, err=True)
    if report.errors:
        sys.exit(1)


@cli.command()
@click.option("--kind", type=click.Choice(["company", "region", "customer", "rules"]),
              help="Only the schema of one kind of file.")
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the plan files (for editor completion)."""
    import json

    from docgen.data.schema import plan_schema

    click.echo(json.dumps(plan_schema(kind), ensure_ascii=False, indent=2))


@cli.group()
def templates() -> None:
    """See and customise the template override chain."""


@templates.command("list")
@click.option("--region", "-r", help="Show the chain as this region sees it.")
@click.pass_obj
def templates_list(session: Session, region: str | None) -> None:
    """Every template and the folder it is taken from."""
    from docgen.render.environment import ChainLoader

    ws = session.workspace()
    region_id = ws.region(region).id if region else None
    chain = ws.template_chain(region_id)
    click.echo("search order:")
    for i, folder in enumerate(chain, 1):
        click.echo(f"  {i}. {_shown(folder, ws)}")
    loader = ChainLoader(chain)
    for name in loader.list_templates():
        click.echo(f"{name:<28} {_shown(loader.locate(name).parent, ws)}")


@templates.command("show")
@click.argument("name")
@click.option("--region", "-r")
@click.pass_obj
def templates_show(session: Session, name: str, region: str | None) -> None:
    """Print the template NAME as the chain resolves it."""
    ws = session.workspace()
    path = _locate(ws, name, region)
    click.echo(f"# {_shown(path, ws)}", err=True)
    click.echo(path.read_text(encoding="utf-8"), nl=False)


@templates.command("eject")
@click.argument("name")
@click.option("--region", "-r", help="Eject into this region's folder instead of the workspace's.")
@click.option("--force", is_flag=True, help="Overwrite an existing override.")
@click.pass_obj
def templates_eject(session: Session, name: str, region: str | None, force: bool) -> None:
    """Copy a built-in template into the workspace (or a region) to customise it."""
    ws = session.workspace()
    source = _locate(ws, "builtin/" + name.removeprefix("builtin/"), None)
    rel = source.relative_to(builtin_templates())
    dest = ws.eject(source, rel, ws.region(region).id if region else None, force)
    click.echo(str(_shown(dest, ws)))


@templates.command("xlsx")
@click.argument("kind", type=click.Choice(["ledger", "visits", "customers", "appraisal"]))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_obj
def templates_xlsx(session: Session, kind: str, file: Path, force: bool) -> None:
    """Write a blank workbook to fill in: the exact headers docgen reads and a sample row."""
    from docgen.data.workbook import blank_table, blank_workbook
    from docgen.documents.monthend import appraisal_settings
    from docgen.plan.appraisal import AppraisalSettings
    from docgen.render.atomic import write_atomic

    if file.exists() and not force:
        raise ConfigError(f"{file} exists; use --force to overwrite it")
    in_workspace = (session.root / CONFIG_NAME).is_file()
    ws = session.workspace() if in_workspace else None  # outside a workspace: the default headers
    settings = appraisal_settings(ws) if ws else AppraisalSettings()
    rated = [(item.name, item.weight) for item in settings.items if item.rule == "manual"]
    write_atomic(file, blank_workbook(blank_table(kind, ws.config.columns if ws else None, rated)))
    click.echo(str(file))


def _locate(ws: Workspace, name: str, region: str | None) -> Path:
    import jinja2

    from docgen.render.environment import ChainLoader, LinkOutside

    region_id = ws.region(region).id if region else None
    try:
        return ChainLoader(ws.template_chain(region_id)).locate(name)
    except LinkOutside as e:
        raise ConfigError("", [Problem(f"{_shown(e.path.parent, ws)}/{e.path.name}", None, "",
                                       f"a link to {e.target}, outside the template folders; "
                                       "docgen does not read it")]) from None
    except jinja2.TemplateNotFound:
        raise ConfigError(f"no template {name!r}; see `docgen templates list`") from None


def _shown(path: Path, ws: Workspace) -> str:
    builtin = builtin_templates().resolve()
    if path.resolve().is_relative_to(builtin):
        rest = path.resolve().relative_to(builtin).as_posix()
        return "(built-in)" + ("/" + rest if rest != "." else "")
    try:
        return path.relative_to(ws.root).as_posix()
    except ValueError:
        return path.as_posix()


@cli.command()
@click.pass_obj
def doctor(session: Session) -> None:
    """Check fonts, HarfBuzz subsetting, WeasyPrint and LibreOffice; say what to install."""
    from docgen.doctor import run_checks

    try:
        family = session.workspace().font_family
    except DocgenError:
        family = "Noto Sans CJK TC"
    checks = run_checks(family)
    for c in checks:
        mark = "ok     " if c.ok else "MISSING"
        click.echo(f"{mark} {c.name}: {c.detail}")
        if not c.ok and c.fix:
            click.echo(f"        install: {c.fix}")
    if not all(c.ok for c in checks):
        sys.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--excel", is_flag=True, help="Keep the plan as one workbook per year (plans/<year>/plan-<year>.xlsx).")
def init(directory: Path, excel: bool) -> None:
    """Create a new workspace in DIRECTORY: the example company's data, ready to render."""
    if (directory / CONFIG_NAME).exists():
        raise ConfigError(f"{directory / CONFIG_NAME} already exists; not overwriting a workspace")
    example = example_workspace()
    directory.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        source = example / part
        if source.is_dir():
            shutil.copytree(source, directory / part, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "templates"))
        elif source.is_file():
            shutil.copyfile(source, directory / part)
    if excel:
        from docgen.data.plan_workbook import workbook_changes

        for book in _apply(workbook_changes(Workspace.open(directory))):
            click.echo(f"the plan is {book}: edit it in Excel")
    click.echo(f"created workspace {directory}; try: docgen -w {directory} render charter")


@cli.group("plan")
def plan_group() -> None:
    """The year's plan as one Excel workbook, and back."""


@plan_group.command("export")
@click.argument("year", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def plan_export(session: Session, year: int, file: Path) -> None:
    """Write YEAR's plan to FILE (.xlsx): one sheet per kind of record, with a 說明 sheet."""
    from docgen.data.plan_workbook import export_plan
    from docgen.render.atomic import write_atomic

    write_atomic(file, export_plan(session.workspace(), year))
    click.echo(str(file))


@plan_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the year's existing plan files.")
@click.pass_obj
def plan_import(session: Session, file: Path, force: bool) -> None:
    """Read a plan workbook into plans/<year>/ (checked first: nothing is written on an error)."""
    from docgen.data.plan_workbook import import_changes, import_plan

    ws = session.workspace()
    year, files = import_plan(ws, file, file.name)
    for path in _apply(import_changes(ws, year, files, force)):
        click.echo(str(path))


def _apply(changes: tuple[dict[Path, bytes], list[Path]]) -> list[Path]:
    """Write the new files (each atomically), then remove the old ones and folders left empty."""
    from docgen.render.atomic import write_atomic

    writes, removals = changes
    for path, payload in writes.items():
        write_atomic(path, payload)
    for path in removals:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()
    return list(writes)


from docgen.buildcli import build, month_end  # noqa: E402 - commands live beside their engine

cli.add_command(build)
cli.add_command(month_end)


def main() -> None:
    """Entry point: run the CLI, turning any unexpected failure into one line."""
    try:
        cli.main(standalone_mode=False)
    except DocgenError as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # the last line of defence: never a traceback for a user
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        click.echo(f"docgen: internal error: {type(e).__name__}: {e} (set DOCGEN_DEBUG=1 for details)",
                   err=True)
        sys.exit(2)
