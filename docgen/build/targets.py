"""Which documents are due: for periods (``docgen build``) and for closing a month (``month-end``)."""
from __future__ import annotations

from collections.abc import Iterable

from docgen.build.failures import Failure, failure_reason
from docgen.documents import (
    DocumentType,
    Target,
    all_documents,
    fiscal_year_of,
    named_period,
    parse_period,
    period_ids,
)
from docgen.errors import ConfigError, relative
from docgen.plan.fiscal import MonthPeriod
from docgen.workspace import Workspace

#: ``docgen month-end YYYY-MM``: statistics of the month itself …
MONTH_END_STATS = ("sales-stats", "visit-stats")
#: … the plans of the month after it …
MONTH_END_PLANS = ("monthly-plan", "visit-plan")
#: … and, after the last month of the fiscal year, the year's summary.
YEAR_END_DOCS = ("year-summary",)


def fiscal_months(ws: Workspace, year: int) -> list[str]:
    """The twelve months of fiscal year ``year`` (named by the calendar year it starts in)."""
    start = ws.config.fiscal_year_start
    return [_month_name(year, start + i) for i in range(12)]


def due_targets(ws: Workspace, periods: Iterable[str] | None = None, region: str | None = None,
                failures: list[Failure] | None = None) -> list[Target]:
    """Every document instance due for ``periods``: each registered document's own targets.

    :param periods: years and months; default: the workspace's default year and each month
        of that fiscal year (months without data yield no targets, as documents only return
        instances for which data exists).
    :param region: keep only this region's documents (its people's included, the company's not).
    :param failures: if given, a document whose targets cannot be listed (its data does not
        load) is added here and the others are still planned; else its error propagates.
    """
    if periods is None:
        year = ws.default_year()
        periods = [str(year), *fiscal_months(ws, year)]
    targets: list[Target] = []
    for period in period_ids(ws, list(periods)):
        _, month = parse_period(period)
        kind = "year" if month is None else "month"
        for doc in _documents():
            if doc.period_kind == kind:
                targets += _targets_of(doc, ws, period, failures)
    return _in_region(ws, targets, region)


def month_end_targets(ws: Workspace, month: str, region: str | None = None,
                      failures: list[Failure] | None = None, notes: list[str] | None = None) -> list[Target]:
    """What closing ``month`` produces.

    The month's ``sales-stats`` and ``visit-stats``; the next month's ``monthly-plan`` and
    ``visit-plan``; and the fiscal year's ``year-summary`` when ``month`` is its last month.
    Documents not (yet) registered are left out; each document returns only the instances
    for which data exists.

    :param month: a month as the user names it (``2026-06``, ``2027年3月``).
    :param failures: as for :func:`due_targets`; also gets the month's statistics when the month
        has no ledger folder (instead of leaving them out without a word).
    :param notes: gets what the run leaves out and why (next year's plans not written yet).
    """
    named = named_period(ws, month)
    if not isinstance(named, MonthPeriod):
        raise ConfigError(f"month-end {month!r}: expected a month like {ws.default_year()}-06")
    year, number = named.month
    this, following = _month_name(year, number), _month_name(year, number + 1)
    wanted = [(doc_id, this) for doc_id in MONTH_END_STATS]
    folder = ws.path("ledgers") / this
    if failures is not None and not folder.is_dir():  # the statistics would silently be left out
        reason = (f"no ledgers for {this} ({relative(folder, ws.root)}/ not found): "
                  f"the month's statistics could not be made")
        failures += [Failure(Target(doc_id, this), reason) for doc_id in MONTH_END_STATS]
        wanted = []
    plans = ws.path("plans") / str(fiscal_year_of(ws, (int(following[:4]), int(following[5:]))))
    if plans.is_dir() or notes is None:
        wanted += [(doc_id, following) for doc_id in MONTH_END_PLANS]
    else:
        notes.append(f"next year's plans are missing ({relative(plans, ws.root)}/ not found): "
                     f"{following}'s monthly plans and visit sheets were not made")
    if number % 12 + 1 == ws.config.fiscal_year_start:  # the next month starts a fiscal year
        fiscal_year = year if ws.config.fiscal_year_start == 1 else year - 1
        wanted += [(doc_id, str(fiscal_year)) for doc_id in YEAR_END_DOCS]
    registered = {doc.id: doc for doc in _documents()}
    targets: list[Target] = []
    for doc_id, period in wanted:
        if doc_id in registered:
            targets += _targets_of(registered[doc_id], ws, period, failures)
    return _in_region(ws, targets, region)


def _targets_of(doc: DocumentType, ws: Workspace, period: str, failures: list[Failure] | None) -> list[Target]:
    try:
        return doc.targets(ws, period)
    except Exception as e:
        if failures is None:
            raise
        failures.append(Failure(Target(doc.id, period), failure_reason(e)))
        return []


def _documents() -> list[DocumentType]:
    return sorted(all_documents(), key=lambda d: d.id)


def _month_name(year: int, month: int) -> str:
    """``(2026, 13)`` → ``2027-01``: months past December roll into the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def _in_region(ws: Workspace, targets: list[Target], region: str | None) -> list[Target]:
    if region is None:
        return targets
    region_id = ws.region(region).id
    return [t for t in targets if t.region == region_id]
