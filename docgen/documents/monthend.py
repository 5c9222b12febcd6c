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

"Planned" visits are exactly what the month's visit plan schedules (SPEC §4.4, "planned means
issued"): :func:`month_schedules` asks :func:`~docgen.documents.planning.month_schedule` with
the history of the ledgers *before* the month, the same inputs the visit plan is made from.

What has been read is kept per process while its files are unchanged (:func:`load_month_end`, the
ledger lines of each file), because a batch asks for the same month for many documents.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.data.ledger import (
    SALES_COLUMNS,
    VISIT_COLUMNS,
    SaleLine,
    VisitLine,
    known_keys,
    match_channels,
    read_sales,
    read_visits,
)
from docgen.data.plan import Person, Plan
from docgen.data.scores import Scores, read_scores
from docgen.documents import DocumentType, Prepared, Target, fiscal_year_of, parse_period
from docgen.documents.checks import appraisal_problems
from docgen.documents.planning import (
    History,
    PersonSchedule,
    history_of,
    load,
    money,
    month_schedule,
    plan_inputs,
    work_calendar,
)
from docgen.errors import ConfigError, DocgenError, Problem, data_error, relative
from docgen.plan.appraisal import MEASURES, AppraisalMeasures, AppraisalSettings, Scorecard, score
from docgen.plan.customers import tier_of
from docgen.plan.figures import person_month_targets, region_month_targets, sales_team
from docgen.plan.fiscal import plan_fiscal
from docgen.plan.stats import SalesRow, VisitRow, VisitStats, visit_stats
from docgen.render.document import Picture
from docgen.workspace import CONFIG_NAME, Workspace

Month = tuple[int, int]
NO_SALES = "本月無銷售記錄"
#: under every statistics table whose rows are rounded one by one (SPEC §4.9): the printed rows
#: are each the true figure rounded, so they may differ from the rounded total by a unit or two
ROUNDING_NOTE = "因四捨五入，各項之和與合計可能略有差異。"
_FOLDER = re.compile(r"^(\d{4})-(\d{2})$")
_SUFFIXES = (".csv", ".xlsx")
#: section numbers of the statistics documents' tables
NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


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
    _histories: dict[Month, History] = field(default_factory=dict, repr=False, compare=False)
    _customers_in: dict[Month, list[CustomerFacts]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def region_names(self) -> dict[str, str]:
        return {r.id: r.name for r in self.ws.config.regions}

    def people(self, region: str | None = None) -> list[Person]:
        """Everyone in scope, in plan order (a clerk's sale is the region's sale too)."""
        return [p for p in self.plan.people if region is None or p.region == region]

    def team(self, region: str | None = None) -> list[Person]:
        """The people in scope who carry a share of the target (not promoters and clerks,
        :func:`~docgen.plan.figures.sales_team`): the ones with a sales scorecard."""
        return [p for p in self._team if region is None or p.region == region]

    @functools.cached_property
    def _team(self) -> list[Person]:
        return sales_team(self.plan)

    @functools.cached_property
    def region_targets(self) -> dict[str, dict[Month, Decimal]]:
        """region id → month → the region's whole target (people's parts plus anything unassigned)."""
        return region_month_targets(self.plan, money(self.ws).quantum)

    @property
    def cadence(self) -> dict[str, int | None]:
        return dict(self.plan.rules.visit_cadence)

    def has_sales(self, month: Month) -> bool:
        return month in self.sales_months

    def history(self, month: Month) -> History:
        """The visits and purchases known before ``month`` (from the lines read; kept per month,
        as every salesperson's scorecard and schedule asks for it)."""
        if month not in self._histories:
            self._histories[month] = history_of(self.plan, month, self.sales, self.visits)
        return self._histories[month]

    def customers_in(self, month: Month) -> list[CustomerFacts]:
        """The customers with their status in ``month``: a prospect that bought earlier is active."""
        if month not in self._customers_in:
            bought = self.history(month).first_purchase
            self._customers_in[month] = [
                dataclasses.replace(c, status="active")
                if c.status == "prospect" and bought.get(c.id, month) < month else c for c in self.customers]
        return self._customers_in[month]


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
    return [CustomerFacts(c.id, c.name, c.region, c.owner, str(tier_of(c.last_year_sales, c.tier, rules)),
                          c.status, c.last_year_sales, c.last_visit) for c in plan.customers]


def load_month_end(ws: Workspace, month: Month, *, before: bool = False) -> MonthEnd:
    """Read the plan of ``month``'s year and every ledger folder up to ``month``
    (``before``: only the earlier ones, what a plan for ``month`` can know).

    Kept per process while those files are unchanged: a batch makes a month's sales and visit
    statistics for every region and the company from the same data, and at 200,000 ledger lines
    and 20,000 customers building it costs most of a second.  Treat the result as read-only.

    :raises DataError: the plan does not load, or a ledger has a bad line (all of them listed).
    :raises ConfigError: ``month`` has no ledger folder (its statistics would be all zeros, not a report).
    """
    folder = ledger_folder(ws, month)
    if not before and not folder.is_dir():
        raise ConfigError(f"no ledgers for {month[0]}-{month[1]:02d} ({relative(folder, ws.root)}/ not found): "
                          f"the month's statistics cannot be made")
    files = plan_inputs(ws, fiscal_year_of(ws, month)) + [path for m in _months_read(ws, month, before)
                                        for stem in ("sales", "visits")
                                        if (path := ledger_file(ledger_folder(ws, m), stem)) is not None]
    key = (ws.root, month, before, tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))
    if key not in _MONTH_END_CACHE:
        if len(_MONTH_END_CACHE) >= 13:  # a year-end summary reads every month of the year
            _MONTH_END_CACHE.clear()
        _MONTH_END_CACHE[key] = _read_month_end(ws, month, before)
    return _MONTH_END_CACHE[key]


def _months_read(ws: Workspace, month: Month, before: bool) -> list[Month]:
    return [m for m in ledger_months(ws) if m < month or (m == month and not before)]


_MONTH_END_CACHE: dict[tuple, MonthEnd] = {}


def _read_month_end(ws: Workspace, month: Month, before: bool) -> MonthEnd:
    plan = load(ws, fiscal_year_of(ws, month))
    customers = customer_facts(plan)
    known_customers = known_keys((c.id, c.name) for c in customers)
    known_people = known_keys((p.id, p.name) for p in plan.people)
    channels = [(c.id, c.name) for c in plan.company.channels]
    extra = ws.config.columns
    sales_cols = {k: v for k, v in extra.items() if k in SALES_COLUMNS}
    visit_cols = {k: v for k, v in extra.items() if k in VISIT_COLUMNS}
    months = _months_read(ws, month, before)
    sales: list[SaleLine] = []
    visits: list[VisitLine] = []
    problems: list[Problem] = []
    inputs = plan_inputs(ws, plan.year)
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
    return MonthEnd(ws, plan, month, customers, person_month_targets(plan, money(ws).quantum), sales, visits,
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

def month_schedules(me: MonthEnd, month: Month, people: Sequence[Person]) -> dict[str, PersonSchedule]:
    """Salesperson id → the visit plan issued for ``month`` (people whose region's plan covers it)."""
    history = me.history(month)
    fiscal = plan_fiscal(me.plan)
    covered = {r.region for r in me.plan.regions if fiscal.contains(month) and month[1] in r.period.months}
    return {p.id: month_schedule(me.ws, me.plan, p.id, history) for p in people if p.region in covered}


def class_label(priority: str) -> str:
    """The visit plan's class label: ``A類``/``B類`` for prospects, the tier otherwise."""
    return f"{priority}類" if priority in ("A", "B") else str(priority)


def visit_figures(me: MonthEnd, month: Month, people: Sequence[Person]) -> VisitStats:
    """The month's visit statistics of ``people``, "planned" being the visits their visit plans schedule."""
    schedules = month_schedules(me, month, people)
    planned = {pid: [v.candidate.customer_id for v in s.schedule.scheduled] for pid, s in schedules.items()}
    customers = me.customers_in(month)
    labels = {c.id: "準客戶" if c.status == "prospect" else c.tier for c in customers}
    labels.update({v.candidate.customer_id: class_label(v.candidate.priority)
                   for s in schedules.values() for v in s.schedule.scheduled})
    return visit_stats(month, me.visits, planned, people, customers, me.cadence,
                       me.history(month).last_visit, labels)


def converted_prospects(me: MonthEnd, month: Month) -> list[CustomerFacts]:
    """The listed prospects whose first purchase is in ``month``: customers from now on."""
    bought = me.history((month[0] + month[1] // 12, month[1] % 12 + 1)).first_purchase
    return [c for c in me.customers if c.status == "prospect" and bought.get(c.id) == month]


def month_end_note(ws: Workspace, month: Month) -> str | None:
    """:func:`conversion_note` for ``docgen month-end``; ``None`` when the month's data does not load
    (the documents then report the problem, each at its file and line)."""
    try:
        return conversion_note(load_month_end(ws, month), month)
    except DocgenError:
        return None


def conversion_note(me: MonthEnd, month: Month) -> str | None:
    """The month-end note asking to update the customer list, or ``None`` when no prospect bought."""
    converted = converted_prospects(me, month)
    if not converted:
        return None
    names = "、".join(f"{c.name}（{c.id}）" for c in converted)
    return (f"{month[0]}年{month[1]}月首次成交的準客戶：{names}。下月起按合作中客戶計算，"
            f"請在客戶名單中把狀態改為「合作中」。")


# ---------------------------------------------------------------- appraisal

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


def scored_people(settings: AppraisalSettings, people: Iterable[Person]) -> list[Person]:
    """Who gets a scorecard: everyone but ``appraisal: false`` and the excluded roles."""
    return [p for p in people if p.appraisal and p.role not in settings.exclude_roles]


@dataclass(frozen=True)
class MonthScores:
    """The supervisor's scores of one month: person id → item key → points."""

    scores: Scores
    inputs: list[Path]
    warnings: list[Problem]


def month_scores(ws: Workspace, plan: Plan, month: Month, settings: AppraisalSettings) -> MonthScores:
    """``ledgers/<month>/appraisal.csv|xlsx`` (none: every rated item is 待評).

    :raises DataError: a bad line in the scores file (all of them listed).
    """
    path = ledger_file(ledger_folder(ws, month), "appraisal")
    if path is None or _blank_file(path):
        return MonthScores({}, [] if path is None else [path], [])
    known = known_keys((p.id, p.name) for p in plan.people)
    scores, problems = read_scores(path, settings.rated_items, known, relative(path, ws.root),
                                   root=ws.root, limits=ws.config.limits)
    if any(p.is_error for p in problems):
        raise data_error(problems, f"appraisal scores of {month[0]}-{month[1]:02d}")
    return MonthScores(scores, [path], problems)


def measures_for(me: MonthEnd, person: Person, sales: SalesRow, visits: VisitRow | None,
                 month: Month, rated: dict[str, Decimal] | None = None, volume: SalesRow | None = None,
                 new_target: Decimal | None = None) -> AppraisalMeasures:
    """The month's measures of one salesperson (see :func:`card_notes`).

    :param volume: the person's row of the volume statistics, when the region plans a volume.
    :param new_target: the person's new-customer target, when the region states one (else: the
        prospects the person owns).
    """
    owned = [c for c in me.customers_in(month) if c.owner == person.id]
    prospects = sum(1 for c in owned if c.status == "prospect")
    active = sum(1 for c in owned if c.status == "active")
    weeks = len({d.isocalendar()[:2] for d in _working_days(me, person, month)})
    return AppraisalMeasures(
        sales_target=sales.target, sales_actual=sales.actual,
        quantity_target=volume.target if volume else None, quantity_actual=volume.actual if volume else None,
        development_visits=visits.new_customer_visits if visits else None,
        development_visits_target=prospects,
        existing_visits=visits.existing_done if visits else None,
        existing_visits_planned=visits.existing_planned if visits else None,
        calls=visits.calls if visits else None, calls_target=calls_target(me, person, month),
        orders=sales.orders, orders_target=active * weeks,
        growth_rate=sales.yoy if sales.yoy is not None else sales.mom,
        new_customers=sales.new_customers,
        new_customers_target=int(new_target) if new_target is not None else prospects,
        lost_customers=sales.lost_customers, active_customers=active,
        rated=dict(rated or {}),
    )


def sum_measures(parts: Iterable[AppraisalMeasures], **override: object) -> AppraisalMeasures:
    """Add the months' measures field by field (``None`` stays ``None`` only if every month's is).

    ``rated`` is not added up: pass the period's supervisor points in ``override``.
    """
    parts = list(parts)
    values: dict[str, object] = {}
    for name in MEASURES:
        known = [getattr(p, name) for p in parts if getattr(p, name) is not None]
        values[name] = sum(known) if known else None
    values.update(override)
    return AppraisalMeasures(**values)  # type: ignore[arg-type]


def score_card(settings: AppraisalSettings, person: Person, measures: AppraisalMeasures) -> PersonCard:
    return PersonCard(person.id, person.name, person.region, measures,
                      score(settings, measures, source=f"appraisal of {person.id}"))


#: how each default item's figures are counted, for the card's footnote
ITEM_FORMULAS = {
    "sales": "實績 ÷ 銷售目標",
    "volume": "銷量（台帳數量）÷ 數量目標（無數量目標時按金額完成率）",
    "development": "拜訪潛在客戶次數 ÷ 負責的潛在客戶數",
    "existing_visits": "已拜訪的應訪客戶 ÷ 按拜訪週期應訪的客戶數",
    "calls": "電話次數 ÷（每日電話定額 × 工作日）",
    "orders": "訂單數 ÷（合作中客戶數 × 週數）",
    "growth": "同比增長率（無去年台帳時按環比）÷ 10%",
    "new_customers": "首次購買客戶數 ÷ 新客戶目標（區域未定新客戶目標時為負責的潛在客戶數）",
    "lost_customers": "每流失一家客戶",
}


def card_notes(settings: AppraisalSettings) -> list[str]:
    """The scorecard's footnote: each item's weight and formula, then the rules, in Chinese."""
    def num(x: Decimal) -> str:
        return f"{x.normalize():f}"

    items = []
    for i in settings.items:
        if i.rule == "manual":
            how = "主管評分（考核評分表）"
        elif i.rule == "deduction":
            how = f"{ITEM_FORMULAS.get(i.key, '每一單位')}扣 {num(i.per_unit)} 分"  # type: ignore[arg-type]
        else:
            how = ITEM_FORMULAS.get(i.key, "實績 ÷ 目標") + (f"，最多按 {num(i.cap * 100)}% 計" if i.cap != 1 else "")
        items.append(f"{i.name}（{num(i.weight)}分）：{how}")
    pay = settings.pay
    bands = "；".join(_band_text(settings, n) for n in range(len(settings.bands)))
    return [
        "考核項目與計分：" + "；".join(items) + "。比率類項目得分 = 權重 × 比率（不超過上限），扣分類項目最低 0 分。",
        "沒有基數的項目（無潛在客戶、無應訪客戶、無合作客戶、無去年銷售、無銷售目標）顯示「—」，不計分，"
        "其權重不計入總分；沒有銷售目標的人員不考核銷售類項目。",
        "主管評分項目取自當月的主管考核評分表，未評分者顯示「待評」，不計入總分；"
        "有待評項目的考核表為暫定，評級註明「暫定」，不計算績效工資係數。",
        f"總分 = 已計分項目得分之和 / 已計分項目權重之和；折合百分 = 總分 ÷ 已計分權重 × 100，按折合百分評級：{bands}。",
        f"績效工資係數：{num(pay.base)} 分為 100%，每高 1 分加 {num(pay.rise_per_point * 100)}%，"
        f"每低 1 分減 {num(pay.fall_per_point * 100)}%，最多減 {num(pay.max_fall * 100)}%。",
    ]


def _band_text(settings: AppraisalSettings, n: int) -> str:
    band = settings.bands[n]
    if band.above is None:
        return f"其餘為{band.label}"
    sign = "≥" if band.inclusive else "＞"
    return f"{sign}{band.above.normalize():f} 分為{band.label}"


def month_label(month: Month) -> str:
    return f"{month[0]}年{month[1]}月"


def month_end_day(month: Month) -> dt.date:
    nxt = dt.date(month[0] + month[1] // 12, month[1] % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_month(period: str) -> Month:
    """``2026-06`` → (2026, 6); a year alone is a clear error."""
    year, month = parse_period(period)
    if month is None:
        raise ConfigError(f"--period {period}: a month like {year}-06 is needed")
    return year, month


def month_targets(doc_id: str, ws: Workspace, period: str, company: bool = True) -> list[Target]:
    """Company (if ``company``) and regions planned in the month, if the month has ledgers."""
    month = parse_month(period)
    if month not in ledger_months(ws):
        return []
    year = fiscal_year_of(ws, month)
    if not (ws.path("plans") / str(year)).is_dir():
        return []  # last year's ledgers are history for this year's statistics
    try:
        plan = load(ws, year)
        planned = {r.region for r in plan.regions if month[1] in r.period.months}
    except DocgenError:  # a broken plan: every region, so that rendering reports it
        planned = {r.id for r in ws.config.regions}
    out = [Target(doc_id, period)] if company else []
    return out + [Target(doc_id, period, r.id) for r in ws.config.regions if r.id in planned]


# ---------------------------------------------------------------- the documents' shared shape

@dataclass
class Content:
    """What one month-end document makes of the data: its context, pictures, and the files it
    read besides the plan and ledgers (the supervisor scores)."""

    context: dict[str, Any]
    pictures: list[Picture] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)


class MonthEndDocument(DocumentType):
    """A document made from the plan and the ledgers up to a month.

    :meth:`prepare` is the same for all of them: read the month's data once (:func:`load_month_end`),
    let the document make its :class:`Content`, and date and label it.  The statistics read the
    month's own ledgers and are dated its last day; the plans for a month (``before``) read only
    the months before it and are dated its first day.
    """

    period_kind = "month"
    #: read only the ledgers before the month: what a plan for the month can know
    before = False

    def data_month(self, ws: Workspace, target: Target) -> Month:
        """The month whose data the document is made from."""
        return parse_month(target.period)

    def content(self, ws: Workspace, me: MonthEnd, target: Target) -> Content:  # pragma: no cover - abstract
        raise NotImplementedError

    def resolve(self, ws: Workspace, me: MonthEnd, target: Target) -> Target:
        """The target as the data completes it (the visit plan fills in the person's region)."""
        return target

    def period_label(self, month: Month, content: Content) -> str:
        return month_label(month)

    def prepare(self, ws: Workspace, target: Target) -> Prepared:
        month = self.data_month(ws, target)
        me = load_month_end(ws, month, before=self.before)
        target = self.resolve(ws, me, target)
        content = self.content(ws, me, target)
        region = ws.region(target.region)
        return Prepared(
            title=self.title,
            context=content.context,
            pictures=content.pictures,
            inputs=me.inputs + content.inputs,
            created=dt.date(*month, 1) if self.before else month_end_day(month),
            region_name=region.name if region else None,
            period_label=self.period_label(month, content),
        )
