"""The ``docgen`` command: thin click commands over the library.

Each command parses its options, calls one function, and lets :class:`DocgenError`
become a message per problem and exit code 1.  Anything unexpected is reported on
one line too (with ``DOCGEN_DEBUG=1`` for the traceback): no traceback for bad input.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from docgen import __version__, completion
from docgen.buildcli import build, month_end
from docgen.cli_common import Session, parse_formats, require_font, verbosity
from docgen.errors import ConfigError, DocgenError, Problem
from docgen.workspace import CONFIG_NAME, EXAMPLE_PARTS, Workspace, builtin_templates, example_workspace


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


class _DocumentsHelp(click.Command):
    """A command whose ``--help`` ends with the document ids (read from the registry only for help)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from docgen.documents import all_documents

        with formatter.section("Documents"):
            per = {"company": "the company", "region": "region", "person": "salesperson",
                   "company+region": "the company and each region"}
            formatter.write_dl([(d.id, f"{d.title} (one per {per.get(d.scope, d.scope)}, --period "
                                       f"{'YYYY' if d.period_kind == 'year' else 'YYYY-MM'})")
                                for d in sorted(all_documents(), key=lambda d: d.id)])


@cli.command(cls=_DocumentsHelp)
@click.argument("doc", shell_complete=completion.documents)
@click.option("--period", "-p", help="2026 (a fiscal year; also FY2026, 2026/27) or 2026-06 (a month).",
              shell_complete=completion.periods)
@click.option("--region", "-r", help="A region id or name (default: the company).",
              shell_complete=completion.regions)
@click.option("--person", help="A salesperson id or name (for visit-plan).", shell_complete=completion.people)
@click.option("--format", "-f", "formats", help="Comma-separated: docx,pdf,html,xlsx.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output/).")
@verbosity
@click.pass_obj
def render(session: Session, doc: str, period: str | None, region: str | None, person: str | None,
           formats: str | None, output: Path | None) -> None:
    """Render one document DOC, e.g. `docgen render charter --format pdf`."""
    from docgen.build.service import render_one
    from docgen.documents import plan_year

    ws = session.workspace()
    session.report_plan_warnings({plan_year(ws, period) if period else ws.default_year()})
    chosen = parse_formats(formats, ws)
    require_font(ws, chosen)
    written = render_one(ws, doc, period, region, person, chosen, output,
                         warn=lambda message: click.echo(message, err=True))
    for path in written:
        if session.verbosity > 0:
            click.echo(f"{path} ({path.stat().st_size:,} bytes)")
        elif session.verbosity == 0:
            click.echo(str(path))


@cli.command(cls=_DocumentsHelp)
@click.argument("doc", required=False, shell_complete=completion.documents)
@click.option("--period", "-p", help="2026 or 2026-06 (default: the workspace's year).",
              shell_complete=completion.periods)
@click.option("--region", "-r", help="A region id or name.", shell_complete=completion.regions)
@click.option("--person", help="A salesperson id or name (for visit-plan).", shell_complete=completion.people)
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address (this machine only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.pass_obj
def preview(session: Session, doc: str | None, period: str | None, region: str | None, person: str | None,
            host: str, port: int) -> None:
    """Show DOC (default: the charter) in the browser as HTML and PDF, reloading on every change."""
    from docgen.preview import check_loopback, serve

    check_loopback(host)
    ws = session.workspace()
    query = {k: v for k, v in (("doc", doc), ("period", period), ("region", region), ("person", person)) if v}
    serve(ws, host, port, query)


@cli.command("list")
@click.option("--period", "-p", "periods", multiple=True,
              help="2026 or 2026-06; repeat or comma-separate (default: as `docgen build`).",
              shell_complete=completion.periods)
@click.option("--region", "-r", help="Only this region's documents.", shell_complete=completion.regions)
@click.option("--format", "-f", "formats", help="Comma-separated: docx,pdf,html (default: docgen.yaml's).")
@click.pass_obj
def list_(session: Session, periods: tuple[str, ...], region: str | None, formats: str | None) -> None:
    """Every document due, its output files and their state (current, stale and why, missing, failed)."""
    from docgen.catalog import catalogue, list_lines

    ws = session.workspace()
    wanted = [p.strip() for text in periods for p in text.split(",") if p.strip()] or None
    for line in list_lines(catalogue(ws, wanted, region, parse_formats(formats, ws))):
        click.echo(line)


@cli.command()
@click.option("--strict", is_flag=True, help="Unknown keys are errors, not warnings.")
@click.option("--period", "-p", help="Check only this year's plan (2026), or also this month's ledgers and "
                                      "scores (2026-06). Default: every year's plan.",
              shell_complete=completion.periods)
@verbosity
@click.pass_obj
def validate(session: Session, strict: bool, period: str | None) -> None:
    """Check all plan data; print every problem as file:line: field: message."""
    from docgen.documents import named_period
    from docgen.plan.fiscal import MonthPeriod, MonthsPeriod
    from docgen.validate import validate as run

    ws = session.workspace(strict=strict)
    named = named_period(ws, period) if period else None
    if isinstance(named, MonthsPeriod):
        raise click.UsageError(f"--period {period}: give a fiscal year or one month")
    report = run(ws, strict=strict, years=[named.fiscal.year] if named else None,
                 month=named.month if isinstance(named, MonthPeriod) else None)
    for problem in report.problems:
        click.echo(str(problem))
    summary = (f"{report.errors} error{'s' if report.errors != 1 else ''}, "
               f"{report.warnings} warning{'s' if report.warnings != 1 else ''} in {', '.join(report.checked)}")
    if session.verbosity >= 0:
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
@click.option("--region", "-r", help="Show the chain as this region sees it.", shell_complete=completion.regions)
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
    builtin = builtin_templates().resolve()
    for name in loader.list_templates():
        folder = loader.locate(name).parent
        click.echo(f"{name:<28} {_shown(folder, ws)}")
        if not folder.resolve().is_relative_to(builtin):  # an override: say what it changes
            click.echo(f"    {_affects(loader, name, region_id)}")


def _affects(loader, name: str, region_id: str | None) -> str:
    """Which documents an override changes: those whose template is, extends or includes ``name``
    (every document for the stylesheet, reference.docx and base.html.j2); a region's override never
    changes a company-only document."""
    from docgen.documents import all_documents

    docs = sorted(all_documents(), key=lambda d: d.id)
    shared = name in ("style.css", "reference.docx")
    using = [d for d in docs if shared or name in _templates_used(loader, d.template)]
    if region_id is None:
        changed, unchanged = using, []
    else:
        changed = [d for d in using if d.scope != "company"]
        unchanged = [d for d in using if d.scope == "company"]
    text = f"affects: {', '.join(d.id for d in changed)}" if changed else "affects: no document"
    if unchanged:
        text += (f" (not {', '.join(d.id for d in unchanged)}: one per company, "
                 "so a region's copy is never used)")
    return text


def _templates_used(loader, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """``name`` and every template it extends, includes or imports, as the chain resolves them."""
    import jinja2
    from jinja2 import meta

    bare = name.removeprefix("builtin/")
    if name in seen:
        return set()
    try:
        source = loader.locate(name).read_text(encoding="utf-8")
        refs = meta.find_referenced_templates(jinja2.Environment().parse(source))
    except (jinja2.TemplateError, OSError, UnicodeDecodeError):
        return {bare}
    used = {bare}
    for ref in refs:
        if ref:
            used |= _templates_used(loader, ref, seen | {name})
    return used


@templates.command("show")
@click.option("--region", "-r", shell_complete=completion.regions)
@click.argument("name", shell_complete=completion.templates)
@click.pass_obj
def templates_show(session: Session, name: str, region: str | None) -> None:
    """Print the template NAME as the chain resolves it."""
    ws = session.workspace()
    path = _locate(ws, name, region)
    click.echo(f"# {_shown(path, ws)}", err=True)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:  # a binary file (reference.docx, a picture, a font): describe it
        click.echo(f"{_shown(path, ws)}: a binary file ({_binary_kind(path)}), {len(data):,} bytes; not printed. "
                   f"Copy it to edit: docgen templates eject {name.removeprefix('builtin/')}")
        return
    click.echo(text, nl=False)


def _binary_kind(path: Path) -> str:
    kinds = {".docx": "Word reference document: its styles are the Word output's", ".png": "picture",
             ".jpg": "picture", ".jpeg": "picture", ".gif": "picture", ".webp": "picture",
             ".ttf": "font", ".otf": "font", ".ttc": "font", ".woff": "font", ".woff2": "font"}
    return kinds.get(path.suffix.lower(), "not text")


@templates.command("vars")
@click.argument("doc", shell_complete=completion.documents)
def templates_vars(doc: str) -> None:
    """The names DOC's template receives, with types and examples (from the example workspace)."""
    from docgen.template_vars import vars_lines

    for line in vars_lines(doc):
        click.echo(line)


@templates.command("eject")
@click.argument("name", shell_complete=completion.templates)
@click.option("--region", "-r", help="Eject into this region's folder instead of the workspace's.",
              shell_complete=completion.regions)
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
    """Check fonts, HarfBuzz subsetting, WeasyPrint and LibreOffice; say what to install.

    Exits 1 only if something documents need is missing; what only the tests use is optional."""
    from docgen.doctor import as_user, run_checks

    try:
        family = session.workspace().font_family
    except DocgenError:
        family = "Noto Sans CJK TC"
    checks = run_checks(family)
    for c in checks:
        mark = "ok     " if c.ok else ("MISSING" if c.required else "absent ")
        optional = "" if c.ok or c.required else " (optional: only the test suite needs it)"
        click.echo(f"{mark} {c.name}: {c.detail}{optional}")
        if not c.ok and c.fix:
            click.echo(f"        install: {as_user(c.fix)}")
    missing = [c for c in checks if c.required and not c.ok]
    click.echo(f"{len(missing)} required part{'s' if len(missing) != 1 else ''} missing" if missing
               else "everything documents need is here")
    if missing:
        sys.exit(1)


EXAMPLES = ("adhesives", "aircon")  # the first is the repository's own workspace; the others are examples/<name>


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--blank", is_flag=True, help="An empty workspace with commented skeleton files, not the example.")
@click.option("--force", is_flag=True, help="Overwrite files that exist (by default init writes none if any does).")
@click.option("--excel", is_flag=True, help="Keep the plan as one workbook per year (plans/<year>/plan-<year>.xlsx).")
@click.option("--example", type=click.Choice(EXAMPLES), default=EXAMPLES[0], show_default=True,
              help="Which example company: adhesives (篇1/篇2: money, calendar year) or aircon (篇3: money and "
                   "sets, fiscal year from August, promoters).")
def init(directory: Path, blank: bool, force: bool, excel: bool, example: str) -> None:
    """Create a new workspace in DIRECTORY: the example company's data, ready to render (or --blank)."""
    files = _blank_files() if blank else _example_files(example)
    existing = sorted(rel for rel in files if not rel.endswith("/") and (directory / rel).exists())
    if existing and not force:
        raise ConfigError(f"{directory} already has {len(existing)} of the files init writes; nothing written "
                          "(--force overwrites them)",
                          [Problem((directory / rel).as_posix(), None, "", "exists; not overwriting it")
                           for rel in existing])
    for rel, content in files.items():
        dest = directory / rel
        if rel.endswith("/"):
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content.read_bytes() if isinstance(content, Path) else content.encode("utf-8"))
    if excel and not blank:
        from docgen.data.plan_workbook import workbook_changes

        for book in _apply(workbook_changes(Workspace.open(directory))):
            click.echo(f"the plan is {book}: edit it in Excel")
    hint = f"edit {directory / CONFIG_NAME}, then: docgen -w {directory} validate" if blank else \
        f"try: docgen -w {directory} render charter"
    click.echo(f"created workspace {directory}; {hint}")


def _example_root(name: str) -> Path:
    """Where example ``name`` is: the installed package's ``examples/<name>``, else the checkout's."""
    if name == EXAMPLES[0]:
        return example_workspace()
    package = Path(__file__).resolve().parent
    packaged = package / "examples" / name
    return packaged if (packaged / CONFIG_NAME).is_file() else package.parent / "examples" / name


def _example_files(name: str = EXAMPLES[0]) -> dict[str, Path]:
    """The example workspace's files by relative path (no caches, no built-in templates)."""
    example = _example_root(name)
    files: dict[str, Path] = {}
    for part in EXAMPLE_PARTS:
        source = example / part
        paths = [source] if source.is_file() else sorted(source.rglob("*")) if source.is_dir() else []
        for path in paths:
            rel = path.relative_to(example)
            if path.is_file() and not {"__pycache__", "templates"} & set(rel.parts):
                files[rel.as_posix()] = path
    return files


def _blank_files() -> dict[str, str]:
    from docgen.blank import skeleton

    return skeleton()


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
