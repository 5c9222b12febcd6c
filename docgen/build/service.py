"""Render one document to files: the verb behind ``docgen render``."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docgen.build.jobs import make_job
from docgen.documents import Target, canonical_period, get, parse_period
from docgen.errors import ConfigError
from docgen.limits import run_limited
from docgen.render.atomic import write_atomic
from docgen.render.compose import compose
from docgen.render.pictures import dropped_warning
from docgen.render.writers import writer
from docgen.workspace import Workspace


def resolve_target(ws: Workspace, doc_id: str, period: str | None, region: str | None,
                   person: str | None) -> Target:
    """Check the options against the document's scope and the workspace."""
    doc = get(doc_id)
    period = canonical_period(ws, period or str(ws.default_year()))
    year, month = parse_period(period)
    if doc.period_kind == "month" and month is None:
        raise ConfigError(f"{doc_id} is monthly: give --period YYYY-MM (e.g. {year}-06)")
    if doc.period_kind == "year" and month is not None:
        raise ConfigError(f"{doc_id} is yearly: give --period YYYY (e.g. {year})")
    region_id = ws.region(region).id if region else None
    if doc.scope == "region" and region_id is None:
        raise ConfigError(f"{doc_id} is per region: give --region "
                          f"({', '.join(r.id for r in ws.config.regions)})")
    if doc.scope == "person" and not person:
        raise ConfigError(f"{doc_id} is per salesperson: give --person ID")
    if doc.scope == "company" and region_id is not None:
        raise ConfigError(f"{doc_id} is one per company: --region does not apply")
    target = Target(doc_id, period, region_id, person)
    refine = getattr(doc, "refine", None)  # e.g. a person's document takes the person's region
    return refine(ws, target) if refine else target


def render_one(ws: Workspace, doc_id: str, period: str | None, region: str | None, person: str | None,
               formats: tuple[str, ...], output: Path | None = None,
               warn: Callable[[str], None] | None = None) -> list[Path]:
    """Render one document in ``formats`` and write the files atomically; return their paths.

    The document renders under the workspace's ``limits:`` (time and memory), as in a build.

    :param warn: told of each picture the document may not embed (shown as a placeholder in every format).
    """
    target = resolve_target(ws, doc_id, period, region, person)

    def render() -> tuple[dict[str, bytes], tuple[str, ...]]:
        doc = compose(make_job(ws, target))
        return {fmt: writer(fmt).write(doc) for fmt in formats}, doc.dropped_pictures

    # everything rendered before anything is written
    files, dropped = run_limited(ws.config.limits, render, target.label())
    for src in dropped:
        if warn is not None:
            warn(dropped_warning(target.label(), src))
    out_dir = output or ws.output_dir
    written = []
    for fmt, payload in files.items():
        path = out_dir / target.output_path(writer(fmt).suffix)
        try:
            write_atomic(path, payload)
        except OSError as e:  # a read-only folder, a full disk: a message, not a crash
            raise ConfigError(f"{path}: cannot write ({e.strerror or e})") from e
        written.append(path)
    return written
