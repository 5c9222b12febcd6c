"""Month-end data shared by ``sales-stats``, ``visit-stats`` and ``year-summary``.

Reads the year's plan and the ledgers (layout in ``ledgers/README.md``)::

    ledgers/<YYYY-MM>/sales.csv | sales.xlsx     the month's sales ledger
    ledgers/<YYYY-MM>/visits.csv | visits.xlsx   the month's visit log

A month *has ledgers* when its folder exists.  A folder without a sales file, or with a
file holding only its header (or nothing at all), is a month without sales: the documents
say so instead of failing.  Every month folder up to the report month is read (last year's
too), so YoY growth, new customers (first purchase ever) and lost customers (nothing bought
for N months) are judged on all the history there is.

Bad lines in any ledger read are collected and raised once as a :class:`DataError`
(``file:row:column: field: message``); warnings (duplicated order lines) travel with the
data into the documents' notes.

"Planned" visits are the customers *due by cadence* (SPEC §4.4: each active customer owned
by the salesperson whose months since its last visit reach its tier's cadence, or never
visited) — the same rule the visit plan starts from; the last visit is the latest one in the
earlier months' logs, else the customer list's ``last_visit`` when it is before the month.

Nothing is cached between calls: each ``prepare`` reads the files afresh.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from docgen.data.ledger import (SALES_COLUMNS, VISIT_COLUMNS, SaleLine, VisitLine, known_keys, match_channels,
                                read_sales, read_visits)
from docgen.data.check import check
from docgen.data.plan import Person, Plan
from docgen.data.yamlsrc import Source
from docgen.documents.planning import load, plan_inputs, work_calendar
from docgen.errors import ConfigError, Problem, data_error, relative
from docgen.plan.appraisal import AppraisalMeasures, AppraisalSettings, Scorecard, score
from docgen.plan.customers import Tier, is_due, quadrant, tier_of
from docgen.plan.figures import person_month_targets
from docgen.plan.stats import SalesRow, VisitRow
from docgen.render.filters import money_quantum
from docgen.workspace import CONFIG_NAME, Workspace

Month = tuple[int, int]
NO_SALES = "本月無銷售記錄"
_FOLDER = re.compile(r"^(\d{4})-(\d{2})$")
_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class CustomerFacts:
    """A customer as the statistics see it: its tier resolved (explicit, else by last year's sales)."""

    id: str
    name: str
    region: str
    owner: str
    tier: str
    status: str
    last_year_sales: Decimal | None
    last_visit: dt.date | None
    fast_prospect: bool = False


@dataclass
class MonthEnd:
    """The plan and every ledger line up to ``month``, ready for the statistics.

    :param sales: sales lines of every month read (history included).
    :param visits: visit lines of every month read.
    :param months: the months whose folders were read, in order.
    :param sales_months: of those, the months that have at least one sales line.
    :param inputs: every file read (plan, config, ledgers).
    :param warnings: ledger warnings, for the documents' notes.
    """

    ws: Workspace
    plan: Plan
    month: Month
    customers: list[CustomerFacts]
    targets: dict[str, dict[Month, Decimal]]
    sales: list[SaleLine]
    visits: list[VisitLine]
    months: list[Month]
    sales_months: set[Month]
    inputs: list[Path]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def region_names(self) -> dict[str, str]:
        return {r.id: r.name for r in self.ws.config.regions}

    def people(self, region: str | None = None) -> list[Person]:
        """Salespeople in scope, in plan order (everyone on a region's team)."""
        return [p for p in self.plan.people if region is None or p.region == region]

    @property
    def cadence(self) -> dict[str, int | None]:
        return dict(self.plan.rules.visit_cadence)

    def has_sales(self, month: Month) -> bool:
        return month in self.sales_months


# ---------------------------------------------------------------- files

def ledger_folder(ws: Workspace, month: Month) -> Path:
    return ws.path("ledgers") / f"{month[0]}-{month[1]:02d}"


def ledger_months(ws: Workspace) -> list[Month]:
    """Every month with a folder under ``ledgers/``, in order."""
    root = ws.path("ledgers")
    if not root.is_dir():
        return []
    months = []
    for p in root.iterdir():
        m = _FOLDER.match(p.name)
        if p.is_dir() and m and 1 <= int(m[2]) <= 12:
            months.append((int(m[1]), int(m[2])))
    return sorted(months)


def ledger_file(folder: Path, stem: str) -> Path | None:
    """``sales.csv`` or ``sales.xlsx`` (or the visits'), else ``None``; both present is an error."""
    found = [folder / f"{stem}{s}" for s in _SUFFIXES if (folder / f"{stem}{s}").is_file()]
    if len(found) > 1:
        raise ConfigError(f"{folder.as_posix()}: both {found[0].name} and {found[1].name}; keep one")
    return found[0] if found else None


def _blank_file(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and not path.read_bytes().strip(b"\xef\xbb\xbf \t\r\n")


def customer_facts(plan: Plan) -> list[CustomerFacts]:
    """Every customer with its tier resolved by the workspace's thresholds."""
    rules = plan.rules.tiers
    q = plan.rules.quadrant
    out = []
    for c in plan.customers:
        fast = (c.status == "prospect" and c.monthly_demand is not None and c.days_to_close is not None
                and quadrant(c.monthly_demand, c.days_to_close, q.large_demand, q.fast_days) in ("A", "B"))
        out.append(CustomerFacts(c.id, c.name, c.region, c.owner, str(tier_of(c.last_year_sales, c.tier, rules)),
                                 c.status, c.last_year_sales, c.last_visit, fast))
    return out


def load_month_end(ws: Workspace, month: Month) -> MonthEnd:
    """Read the plan of ``month``'s year and every ledger folder up to ``month``.

    Kept per process while those files are unchanged: a batch makes a month's sales and visit
    statistics for every region and the company from the same data, and at 200,000 ledger lines
    and 20,000 customers building it costs most of a second.  Treat the result as read-only.

    :raises DataError: the plan does not load, or a ledger has a bad line (all of them listed).
    """
    files = plan_inputs(ws, month[0]) + [path for m in ledger_months(ws) if m <= month
                                        for stem in ("sales", "visits")
                                        if (path := ledger_file(ledger_folder(ws, m), stem)) is not None]
    key = (ws.root, month, tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))
    if key not in _MONTH_END_CACHE:
        if len(_MONTH_END_CACHE) >= 13:  # a year-end summary reads every month of the year
            _MONTH_END_CACHE.clear()
        _MONTH_END_CACHE[key] = _read_month_end(ws, month)
    return _MONTH_END_CACHE[key]


_MONTH_END_CACHE: dict[tuple, MonthEnd] = {}


def _read_month_end(ws: Workspace, month: Month) -> MonthEnd:
    plan = load(ws, month[0])
    customers = customer_facts(plan)
    known_customers = known_keys((c.id, c.name) for c in customers)
    known_people = known_keys((p.id, p.name) for p in plan.people)
    channels = [(c.id, c.name) for c in plan.company.channels]
    extra = ws.config.columns
    sales_cols = {k: v for k, v in extra.items() if k in SALES_COLUMNS}
    visit_cols = {k: v for k, v in extra.items() if k in VISIT_COLUMNS}
    months = [m for m in ledger_months(ws) if m <= month]
    sales: list[SaleLine] = []
    visits: list[VisitLine] = []
    problems: list[Problem] = []
    inputs = plan_inputs(ws, month[0])
    plan_key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in inputs)
    sales_months: set[Month] = set()
    for m in months:
        folder = ledger_folder(ws, m)
        for stem, reader, cols, out in (("sales", read_sales, sales_cols, sales),
                                        ("visits", read_visits, visit_cols, visits)):
            path = ledger_file(folder, stem)
            if path is None:
                continue
            inputs.append(path)
            if _blank_file(path):
                continue
            lines, found = _read_ledger(reader, path, m, known_customers, known_people, cols,
                                        relative(path, ws.root), plan_key, ws)
            problems += found
            out.extend(match_channels(lines, channels) if stem == "sales" else lines)
            if stem == "sales" and lines:
                sales_months.add(m)
    if any(p.is_error for p in problems):
        raise data_error(problems, f"ledgers up to {month[0]}-{month[1]:02d}")
    quantum = money_quantum(ws.config.unit)
    return MonthEnd(ws, plan, month, customers, person_month_targets(plan, quantum), sales, visits,
                    months, sales_months, inputs, [p for p in problems if not p.is_error])


_LEDGER_CACHE: dict[tuple, tuple[tuple, tuple]] = {}


def _read_ledger(reader, path: Path, month: Month, known_customers, known_people, columns, name: str,
                 plan_key: tuple, ws: Workspace) -> tuple[list, list[Problem]]:
    """``reader(...)`` once per process for an unchanged file: a batch reads each month's
    ledger for many documents (a region's, the company's, the next months'), and a large
    ledger takes seconds to parse.  Lines are frozen, so sharing them is safe.  The key holds
    the plan files' signature too: the customers and people a line may name come from them."""
    st = path.stat()
    key = (reader.__name__, str(path), st.st_size, st.st_mtime_ns, month, plan_key,
           tuple(sorted((k, tuple(v)) for k, v in columns.items())))
    if key not in _LEDGER_CACHE:
        if len(_LEDGER_CACHE) > 64:
            _LEDGER_CACHE.clear()
        lines, problems = reader(path, month, known_customers, known_people, columns, name,
                                 root=ws.root, limits=ws.config.limits)
        _LEDGER_CACHE[key] = (tuple(lines), tuple(problems))
    lines, problems = _LEDGER_CACHE[key]
    return list(lines), list(problems)


def month_problems(me: MonthEnd, month: Month) -> list[Problem]:
    """The warnings about the ledgers of one month."""
    tag = f"{month[0]}-{month[1]:02d}"
    return [p for p in me.warnings if tag in p.file]


# ---------------------------------------------------------------- visits planned

def last_visits_before(me: MonthEnd, month: Month) -> dict[str, dt.date]:
    """Customer id → last visit before ``month``: the earlier logs, else the customer list's date."""
    first_day = dt.date(month[0], month[1], 1)
    last: dict[str, dt.date] = {}
    for c in me.customers:
        if c.last_visit is not None and c.last_visit < first_day:
            last[c.id] = c.last_visit
    for v in me.visits:
        if v.kind == "visit" and v.date < first_day and v.date > last.get(v.customer, dt.date.min):
            last[v.customer] = v.date
    return last


def planned_visits(me: MonthEnd, month: Month, people: Sequence[Person]) -> dict[str, list[str]]:
    """Salesperson id → the active customers it owns that are due by cadence in ``month``."""
    cadence = me.plan.rules.cadence
    last = last_visits_before(me, month)
    planned: dict[str, list[str]] = {}
    for p in people:
        planned[p.id] = [c.id for c in me.customers
                         if c.owner == p.id and c.status == "active"
                         and is_due(Tier(c.tier), last.get(c.id), month[0], month[1], cadence)]
    return planned


# ---------------------------------------------------------------- appraisal

class _AppraisalHolder(BaseModel):
    model_config = ConfigDict(extra="ignore")
    appraisal: AppraisalSettings = AppraisalSettings()


def appraisal_problems(ws: Workspace) -> tuple[AppraisalSettings | None, list[Problem]]:
    """``appraisal:`` of docgen.yaml checked where it is written (file, line, field)."""
    data = ws.source.data if isinstance(ws.source.data, dict) else {}
    holder, problems = check(_AppraisalHolder, Source(ws.source.file, {"appraisal": data.get("appraisal") or {}},
                                                      ws.source.lines))
    return (holder.appraisal if holder is not None else None), problems


def appraisal_settings(ws: Workspace) -> AppraisalSettings:
    """``appraisal:`` of docgen.yaml (the 篇13/篇14 defaults when absent or empty)."""
    settings, problems = appraisal_problems(ws)
    if settings is None:
        raise data_error(problems, f"{CONFIG_NAME} appraisal")
    return settings


def _working_days(me: MonthEnd, person: Person, month: Month) -> list[dt.date]:
    """The month's working days from the person's start."""
    cal = work_calendar(me.ws)
    return [d for d in cal.working_days(*month) if person.start is None or d >= person.start]


def calls_target(me: MonthEnd, person: Person, month: Month) -> int | None:
    """Daily call quota × the working days of the month from the person's start (``None``: no quota)."""
    activity = me.plan.activity(person.id)
    if activity is None or activity.calls_per_day is None:
        return None
    return activity.calls_per_day * len(_working_days(me, person, month))


@dataclass(frozen=True)
class PersonCard:
    """One salesperson's scorecard for a period."""

    person: str
    name: str
    region: str
    measures: AppraisalMeasures
    card: Scorecard


def measures_for(me: MonthEnd, person: Person, sales: SalesRow, visits: VisitRow | None,
                 month: Month) -> AppraisalMeasures:
    """The month's measures of one salesperson (see the scorecard note in the templates)."""
    owned = [c for c in me.customers if c.owner == person.id]
    prospects = sum(1 for c in owned if c.status == "prospect")
    active = sum(1 for c in owned if c.status == "active")
    weeks = len({d.isocalendar()[:2] for d in _working_days(me, person, month)})
    return AppraisalMeasures(
        sales_target=sales.target, sales_actual=sales.actual,
        development_visits=visits.new_customer_visits if visits else None,
        development_visits_target=prospects,
        existing_visits=visits.done if visits else None,
        existing_visits_planned=visits.planned if visits else None,
        calls=visits.calls if visits else None, calls_target=calls_target(me, person, month),
        orders=sales.orders, orders_target=active * weeks,
        growth_rate=sales.yoy if sales.yoy is not None else sales.mom,
        new_customers=sales.new_customers, new_customers_target=prospects,
        lost_customers=sales.lost_customers,
    )


def sum_measures(parts: Iterable[AppraisalMeasures], **override: object) -> AppraisalMeasures:
    """Add the months' measures field by field (``None`` stays ``None`` only if every month's is)."""
    parts = list(parts)
    values: dict[str, object] = {}
    for name in AppraisalMeasures.__dataclass_fields__:
        known = [getattr(p, name) for p in parts if getattr(p, name) is not None]
        values[name] = sum(known) if known else None
    values.update(override)
    return AppraisalMeasures(**values)  # type: ignore[arg-type]


def score_card(settings: AppraisalSettings, person: Person, measures: AppraisalMeasures) -> PersonCard:
    return PersonCard(person.id, person.name, person.region, measures,
                      score(settings, measures, source=f"appraisal of {person.id}"))


def month_label(month: Month) -> str:
    return f"{month[0]}年{month[1]}月"


def month_end_day(month: Month) -> dt.date:
    nxt = dt.date(month[0] + month[1] // 12, month[1] % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
