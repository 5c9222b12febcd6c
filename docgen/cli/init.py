"""``docgen init``: a new workspace, the example's or a blank one."""
from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import apply_changes
from docgen.errors import ConfigError, Problem
from docgen.workspace import CONFIG_NAME, EXAMPLE_PARTS, Workspace, example_workspace

EXAMPLES = ("adhesives", "aircon")  # the first is the repository's own workspace; the others are examples/<name>


@click.command()
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

        for book in apply_changes(workbook_changes(Workspace.open(directory))):
            click.echo(f"the plan is {book}: edit it in Excel")
    hint = f"edit {directory / CONFIG_NAME}, then: docgen -w {directory} validate" if blank else \
        f"try: docgen -w {directory} render charter"
    click.echo(f"created workspace {directory}; {hint}")


def _example_root(name: str) -> Path:
    """Where example ``name`` is: the installed package's ``examples/<name>``, else the checkout's."""
    if name == EXAMPLES[0]:
        return example_workspace()
    package = Path(__file__).resolve().parents[1]
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
