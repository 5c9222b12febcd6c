"""``render``, ``preview`` and ``list``: one document, shown live, and what is due."""
from __future__ import annotations

from pathlib import Path

import click

from docgen import completion
from docgen.cli.common import Session, format_help, parse_formats, require_font, verbosity


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


@click.command(cls=_DocumentsHelp)
@click.argument("doc", shell_complete=completion.documents)
@click.option("--period", "-p", help="2026 (a year) or 2026-06 (a month).", shell_complete=completion.periods)
@click.option("--region", "-r", help="A region id or name (default: the company).",
              shell_complete=completion.regions)
@click.option("--person", help="A salesperson id or name (for visit-plan).", shell_complete=completion.people)
@click.option("--format", "-f", "formats", help=format_help())
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output/).")
@verbosity
@click.pass_obj
def render(session: Session, doc: str, period: str | None, region: str | None, person: str | None,
           formats: str | None, output: Path | None) -> None:
    """Render one document DOC, e.g. `docgen render charter --format pdf`."""
    from docgen.build.service import render_one
    from docgen.documents import parse_period

    ws = session.workspace()
    session.report_plan_warnings({parse_period(period)[0] if period else ws.default_year()})
    chosen = parse_formats(formats, ws)
    require_font(ws, chosen)
    written = render_one(ws, doc, period, region, person, chosen, output,
                         warn=lambda message: click.echo(message, err=True))
    for path in written:
        if session.verbosity > 0:
            click.echo(f"{path} ({path.stat().st_size:,} bytes)")
        elif session.verbosity == 0:
            click.echo(str(path))


@click.command(cls=_DocumentsHelp)
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


@click.command("list")
@click.option("--period", "-p", "periods", multiple=True,
              help="2026 or 2026-06; repeat or comma-separate (default: as `docgen build`).",
              shell_complete=completion.periods)
@click.option("--region", "-r", help="Only this region's documents.", shell_complete=completion.regions)
@click.option("--format", "-f", "formats", help=format_help("default: docgen.yaml's"))
@click.pass_obj
def list_(session: Session, periods: tuple[str, ...], region: str | None, formats: str | None) -> None:
    """Every document due, its output files and their state (current, stale and why, missing, failed)."""
    from docgen.catalog import catalogue, list_lines

    ws = session.workspace()
    wanted = [p.strip() for text in periods for p in text.split(",") if p.strip()] or None
    for line in list_lines(catalogue(ws, wanted, region, parse_formats(formats, ws))):
        click.echo(line)
