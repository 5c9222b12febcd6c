"""``validate``, ``schema`` and ``doctor``: the data, its editor schema, and the machine."""
from __future__ import annotations

import sys

import click

from docgen import completion
from docgen.cli.common import Session, verbosity
from docgen.errors import DocgenError


@click.command()
@click.option("--strict", is_flag=True, help="Unknown keys are errors, not warnings.")
@click.option("--period", "-p", help="Check only this year's plan (2026), or also this month's ledgers and "
                                      "scores (2026-06). Default: every year's plan.",
              shell_complete=completion.periods)
@verbosity
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
    if session.verbosity >= 0:
        click.echo(summary, err=True)
    if report.errors:
        sys.exit(1)


@click.command()
@click.option("--kind", type=click.Choice(["company", "region", "customer", "rules"]),
              help="Only the schema of one kind of file.")
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the plan files (for editor completion)."""
    import json

    from docgen.data.schema import plan_schema

    click.echo(json.dumps(plan_schema(kind), ensure_ascii=False, indent=2))


@click.command()
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
