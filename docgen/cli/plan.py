"""``docgen plan export`` and ``import``: the year's plan as one Excel workbook, and back."""
from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import Session, apply_changes


@click.group("plan")
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
    for path in apply_changes(import_changes(ws, year, files, force)):
        click.echo(str(path))
