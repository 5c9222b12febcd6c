"""``docgen templates``: see and customise the template override chain."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen import completion
from docgen.cli.common import Session
from docgen.errors import ConfigError, Problem
from docgen.workspace import CONFIG_NAME, Workspace, builtin_templates

if TYPE_CHECKING:  # the template machinery loads when a command runs
    from docgen.render.environment import ChainLoader


@click.group()
def templates() -> None:
    """See and customise the template override chain."""


@templates.command("list")
@click.option("--region", "-r", help="Show the chain as this region sees it.", shell_complete=completion.regions)
@click.pass_obj
def templates_list(session: Session, region: str | None) -> None:
    """Every template and the folder it is taken from."""
    from docgen.render.environment import ChainLoader

    ws = session.workspace()
    region_id = ws.require_region(region).id if region else None
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


def _affects(loader: ChainLoader, name: str, region_id: str | None) -> str:
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


def _templates_used(loader: ChainLoader, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
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
    dest = ws.eject(source, rel, ws.require_region(region).id if region else None, force)
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

    region_id = ws.require_region(region).id if region else None
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
