"""``docgen build`` and ``docgen month-end``: batch runs over :mod:`docgen.build`.

Both print one line per output (or a progress bar on a terminal), every failure as
``FAILED <doc> <period> <region> [person]: <reason>``, then ``built N, skipped N, failed N``.
Exit code: 0, 1 if any document failed, 130 if interrupted (the manifest is still true).
"""
from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen import completion
from docgen.cli_common import Session, parse_formats, require_font, use_output, verbosity

if TYPE_CHECKING:  # the build machinery loads when a command runs, not for --help
    from docgen.build import Failure
    from docgen.documents import Target
    from docgen.workspace import Workspace

_jobs_help = "Worker processes (default: the number of CPU cores; 1 renders in this process)."


def _common_options(command):
    options = [
        click.option("--region", "-r", help="Only this region's documents (its people's included).",
                     shell_complete=completion.regions),
        click.option("--format", "-f", "formats", help="Comma-separated: docx,pdf,html (default: docgen.yaml's)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), help=_jobs_help),
        click.option("--force", is_flag=True, help="Rebuild everything, even outputs whose inputs did not change."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on a Dask cluster, e.g. tcp://HOST:8786 (pip install '.[dask]' in a clone)."),
        click.option("--wait", is_flag=True,
                     help="If another build is writing the output folder, wait for it (default: stop)."),
        click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder (default: the workspace's output/; its manifest goes with it)."),
        click.option("--dry-run", is_flag=True, help="Print what would be built and why; build nothing."),
        verbosity,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command()
@click.option("--period", "-p", "periods", multiple=True,
              help="2026 (a fiscal year; also FY2026, 2026/27), 2026-06 or a span 2026-11..2027-02; repeat or "
                   "comma-separate.  Default: the workspace's year and each month of that fiscal year that "
                   "has data.", shell_complete=completion.periods)
@_common_options
@click.pass_obj
def build(session: Session, periods: tuple[str, ...], region: str | None, formats: str | None,
          jobs: int | None, force: bool, scheduler: str | None, wait: bool, output: Path | None,
          dry_run: bool) -> None:
    """Build every document due for the period(s), skipping those whose inputs did not change."""
    from docgen.build import due_targets

    ws = use_output(session.workspace(), output)
    wanted = [p.strip() for text in periods for p in text.split(",") if p.strip()] or None
    failures: list[Failure] = []
    _run(session, due_targets(ws, wanted, region, failures), failures, formats, jobs, force, scheduler, wait,
         dry_run)


@click.command("month-end")
@click.argument("month", required=False, shell_complete=completion.periods)
@click.option("--period", "-p", help="The month, as the argument (YYYY-MM).", shell_complete=completion.periods)
@_common_options
@click.pass_obj
def month_end(session: Session, month: str | None, period: str | None, region: str | None, formats: str | None,
              jobs: int | None, force: bool, scheduler: str | None, wait: bool, output: Path | None,
              dry_run: bool) -> None:
    """Close MONTH (YYYY-MM, or --period YYYY-MM): its statistics, next month's plans and visit sheets,
    and the year's summary after the fiscal year's last month."""
    from docgen.build import month_end_targets

    if month and period and month != period:
        raise click.UsageError("give the month once: `docgen month-end 2026-06` or `--period 2026-06`")
    month = month or period
    if not month:
        raise click.UsageError("which month? e.g. `docgen month-end 2026-06`")
    ws = use_output(session.workspace(), output)
    failures: list[Failure] = []
    notes: list[str] = []
    targets = month_end_targets(ws, month, region, failures, notes)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    _conversion_note(ws, month)
    _run(session, targets, failures, formats, jobs, force, scheduler, wait, dry_run)


def _conversion_note(ws: Workspace, month: str) -> None:
    """Name the prospects that bought in the month, so the customer list can be updated (SPEC §4.4)."""
    from docgen.documents import named_period
    from docgen.documents.monthend import month_end_note
    from docgen.plan.fiscal import MonthPeriod

    named = named_period(ws, month)
    note = month_end_note(ws, named.month) if isinstance(named, MonthPeriod) else None
    if note:
        click.echo(note)


def _run(session: Session, targets: list[Target], failures: list[Failure], formats: str | None,
         jobs: int | None, force: bool, scheduler: str | None, wait: bool = False, dry_run: bool = False) -> None:
    from docgen.build import build as run_build
    from docgen.build import make_executor
    from docgen.catalog import ReportOnce, catalogue, dry_run_lines, record_run
    from docgen.documents import plan_year
    from docgen.progress import Progress

    ws = session.workspace()
    session.report_plan_warnings({plan_year(ws, t.period) for t in targets})
    chosen = parse_formats(formats, ws)
    if not targets and not failures:
        click.echo("nothing to build: no document has data for the period(s)")
        return
    if dry_run:
        for line in dry_run_lines(catalogue(ws, targets=targets, failures=failures, formats=chosen), force):
            click.echo(line)
        return
    require_font(ws, chosen)
    executor = make_executor(jobs, scheduler, chosen)
    quiet = Progress(out=io.StringIO(), tty=False) if session.verbosity < 0 else None  # failures still show
    result = run_build(ws, targets, chosen, executor, force=force, reporter=ReportOnce(quiet or Progress()),
                       planning_failures=failures, wait=wait)
    record_run(ws, result, chosen)
    if result.interrupted:
        click.echo(f"interrupted: {result.summary()}, not run {result.not_run}; "
                   f"finished files and the manifest are kept", err=True)
        sys.exit(130)
    click.echo(result.summary())
    if result.failed:
        sys.exit(1)  # SystemExit: main() runs click with standalone_mode=False
