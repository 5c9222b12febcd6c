"""``annual-plan``: 年度銷售總體計畫, for the company and for each region (seed 篇1–篇5, 篇8).

Every figure comes from :mod:`docgen.plan`: targets and their decomposition from
:func:`~docgen.documents.figures.region_targets`, channel quotas from
:func:`~docgen.plan.channels.check_channels` (mismatches shown as warnings with both numbers),
tiers, cadence and quadrants from :mod:`docgen.documents.planning`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from docgen.data.plan import CompanyPlan, Measure, Person, Phase, Plan, RegionPlan, Swot, Training
from docgen.documents import DocumentType, Prepared, Target, parse_period, register
from docgen.documents.checks import channel_table, competitor_checks, plan_checks
from docgen.documents.figures import RegionTargets, all_targets, quota_people
from docgen.documents.planning import (
    QUADRANTS,
    TIER_ORDER,
    Classed,
    cadence_text,
    classify,
    load,
    money,
    opening_tiers,
    plan_inputs,
    region_plan,
)
from docgen.documents.volume import annual_volume, plans_money
from docgen.plan.decompose import shares
from docgen.plan.fiscal import FiscalYear, month_labels, plan_fiscal
from docgen.plan.targets import share, target_ratio
from docgen.plan.units import Unit
from docgen.render.charts import GanttBar, Series, bar_chart, gantt
from docgen.render.document import Picture
from docgen.workspace import Workspace

#: Narrative sections shown as the introduction of a later section rather than under 市場分析.
SECTION_INTROS = ("工作目標", "客戶分類", "實施措施", "培訓計畫", "費用預算")

QUADRANT_RULES = {
    "A": ("用量大、短期內可能出單", "重點跟進，優先安排拜訪"),
    "B": ("用量小、可以很快出單", "第二位重點跟進"),
    "C": ("用量大、出單較慢", "保持聯繫，長期培育"),
    "D": ("用量小、出單較慢", "電話維護，定期回訪"),
}


@dataclass(frozen=True)
class TargetRow:
    """One region's 任務 and 目標; ``basis`` is what is decomposed (the task, else the target)."""

    region: str
    months: str
    task: Decimal | None
    target: Decimal | None
    ratio: Decimal | None
    basis: Decimal


@dataclass(frozen=True)
class CapacityRow:
    """Market capacity → share of the volume target (篇3: 5萬套 / 40萬套 = 12.5%)."""

    scope: str
    capacity: str
    volume: str
    share: Decimal | None


@dataclass(frozen=True)
class MonthRow:
    month: int
    label: str          # 8月 … 12月, 2027年1月 …: the year where the table crosses December
    season: str
    weight: Decimal | None
    amount: Decimal
    share: Decimal | None
    cumulative: Decimal
    by_column: tuple[Decimal | None, ...]   # per region (company) or person (region); None: outside its period


@dataclass(frozen=True)
class PersonRow:
    person: Person
    region: str
    channel: str
    total: Decimal | None            # None: the role carries no sales target (promoter, clerk)
    monthly_average: Decimal | None


@dataclass(frozen=True)
class TierRow:
    tier: str
    rule: str
    cadence: str
    counts: tuple[int, ...]     # per region (company) or the region's one count
    total: int


@dataclass(frozen=True)
class CustomerRow:
    classed: Classed
    owner: str
    region: str


@dataclass(frozen=True)
class TaskRow:
    region: str
    phase: str
    when: str
    time: str
    title: str
    owner: str
    detail: str


@dataclass(frozen=True)
class PhaseBlock:
    region: str
    phase: Phase
    owner: str
    tasks: tuple[TaskRow, ...]
    span: str = ""      # the phase's dates, e.g. 5月8日至6月30日
    company: bool = False   # a phase of the whole company (company.yaml), region ""


@dataclass(frozen=True)
class BudgetRow:
    item: str
    category: str
    amount: Decimal
    note: str


def _months_text(fiscal: FiscalYear, region: RegionPlan) -> str:
    """``6–12月``; across December with the years: ``2026年8月–2027年7月``."""
    months = region.period.months
    (y1, first), (y2, last) = fiscal.month(months[0]), fiscal.month(months[-1])
    if y1 != y2:
        return f"{y1}年{first}月–{y2}年{last}月"
    return f"{first}–{last}月" if first != last else f"{first}月"


def _season(region: RegionPlan | None, month: int) -> str:
    if region is None:
        return ""
    return "、".join(name for name, months in region.seasons.items() if month in months)


def _day(d: date, year: int) -> str:
    """``6月8日``; a day outside the plan's ``year`` shows its year (``2027年2月1日``)."""
    return f"{d.year}年{d.month}月{d.day}日" if d.year != year else f"{d.month}月{d.day}日"


def _span(first: date, last: date, year: int) -> str:
    """``6月8日–30日``, ``5月23日–6月5日``; days outside the plan's ``year`` with their year."""
    if first == last:
        return _day(first, year)
    if (first.year, first.month) == (last.year, last.month):
        return f"{_day(first, year)}–{last.day}日"
    return f"{_day(first, year)}–{_day(last, year)}"


def _name(plan: Plan, person_id: str | None) -> str:
    if person_id is None:
        return ""
    try:
        return plan.person(person_id).name
    except KeyError:
        return person_id


def _capacity(scope: str, holder: CompanyPlan | RegionPlan) -> CapacityRow | None:
    cap, volume = holder.market_capacity, holder.quantity
    if cap is None:
        return None
    ratio = share(volume.value, cap.value) if volume is not None and volume.unit == cap.unit else None
    return CapacityRow(scope, str(cap), str(volume) if volume is not None else "—", ratio)


def _month_rows(fiscal: FiscalYear, months: list[int], amounts: dict[int, Decimal],
                columns: list[dict[int, Decimal]], region: RegionPlan | None) -> list[MonthRow]:
    parts = shares([amounts[m] for m in months])  # 占比 adds up to 100.0%, like every plan column
    rows, running = [], Decimal(0)
    for i, (m, label) in enumerate(zip(months, month_labels(fiscal, months), strict=True)):
        running += amounts[m]
        weight = region.seasonality.get(m) if region is not None and region.seasonality else None
        rows.append(MonthRow(m, label, _season(region, m), weight, amounts[m], None if parts is None else parts[i],
                             running, tuple(c.get(m) for c in columns)))
    return rows


@dataclass(frozen=True)
class Scope:
    """What every section of one annual plan reads: the plan, its figures, and the regions covered.

    :param region: the region's plan, or ``None`` for the company's plan (all ``regions``).
    :param every: region id → its targets and their decomposition, computed once for all sections.
    """

    ws: Workspace
    plan: Plan
    unit: Unit
    every: dict[str, RegionTargets]
    regions: list[RegionPlan]
    region: RegionPlan | None

    @property
    def fiscal(self) -> FiscalYear:
        return plan_fiscal(self.plan)

    def name(self, region_id: str) -> str:
        """A region's display name (its id when the workspace does not declare it)."""
        return next((r.name for r in self.ws.config.regions if r.id == region_id), region_id)


def annual_context(ws: Workspace, plan: Plan, region_id: str | None) -> tuple[dict[str, Any], list[Picture]]:
    """The template context and pictures of one annual plan (``region_id`` ``None``: the company).

    One function per section of the document, in its order; each returns its part of the context.
    """
    unit = money(ws)
    regions = [plan.region(region_id)] if region_id else list(plan.regions)
    scope = Scope(ws, plan, unit, all_targets(plan, unit.quantum), regions, regions[0] if region_id else None)
    context = {
        **_heading(scope),
        **_targets_section(scope),
        **_decomposition(scope),
        "volume": annual_volume(ws, plan, region_id, partial(_months_text, scope.fiscal)),
        "money_targets": plans_money(plan, region_id),
        **_customers_section(scope),
        **_phases_section(scope),
        **_resources(scope),
    }
    bars = _gantt_bars(scope, context["phases"])
    context["has_gantt"] = bool(bars)
    pictures = [gantt("gantt", bars)] if bars else []
    pictures.append(_monthly_chart(scope, context["month_rows"], context["column_heads"]))
    return context, pictures


def _heading(scope: Scope) -> dict[str, Any]:
    """Who the plan is for, and the narrative: 市場分析, and the introductions of later sections."""
    region, plan = scope.region, scope.plan
    narrative = dict(plan.company.narrative)
    if region is not None:
        narrative.update(region.narrative)
    return {
        "is_company": region is None,
        "region_plan": region,
        "areas": region.areas if region is not None else [],
        "office": region.office if region is not None else None,
        "manager": _name(plan, region.manager) if region is not None else None,
        "analysis": {k: v for k, v in narrative.items() if k not in SECTION_INTROS},
        "intros": {k: v for k, v in narrative.items() if k in SECTION_INTROS},
        **_competitors(scope),
    }


def _competitors(scope: Scope) -> dict[str, Any]:
    """市場分析's competitors: the region's own list where it states one, else the company's."""
    region, company = scope.region, scope.plan.company
    own = region is not None and bool(region.competitors)
    competitors = region.competitors if region is not None and own else company.competitors
    about = region.region if region is not None and own else None
    names = {r.id: r.name for r in scope.ws.config.regions}
    return {"competitors": competitors,
            "competitor_warnings": [c.text for c in competitor_checks(scope.plan, names) if c.region == about]}


def _targets_section(scope: Scope) -> dict[str, Any]:
    """銷售目標 and 渠道定額: each region's task and target, market share, the channel quotas checked."""
    regions, every = scope.regions, scope.every
    target_rows = [TargetRow(scope.name(r.region), _months_text(scope.fiscal, r), r.task, r.target,
                             target_ratio(r.task, r.target) if r.task is not None and r.target is not None else None,
                             every[r.region].basis) for r in regions]
    task_total = sum((r.task for r in regions if r.task is not None), Decimal(0))
    target_total = sum((r.target or r.task or Decimal(0) for r in regions), Decimal(0))
    in_scope: set[str | None] = {r.region for r in regions} | ({None} if scope.region is None else set())
    holders = ([("全公司", scope.plan.company)] if scope.region is None else []) \
        + [(scope.name(r.region), r) for r in regions]
    return {
        "capacity": [c for name, holder in holders if (c := _capacity(name, holder)) is not None],
        "target_rows": target_rows,
        "basis_total": sum((t.basis for t in target_rows), Decimal(0)),
        "task_total": task_total,
        "target_total": target_total,
        "total_ratio": target_ratio(task_total, target_total) if task_total else None,
        "target_warnings": [c.text for c in plan_checks(scope.ws, scope.plan, every)
                            if c.region in in_scope and c.field not in ("channels", "competitors")],
        "channel_tables": [t for r in regions
                           if (t := channel_table(scope.ws, scope.plan, r, scope.name(r.region), every[r.region]))],
    }


def _decomposition(scope: Scope) -> dict[str, Any]:
    """目標分解: the months (a region's split by person, the company's by region) and each person's year."""
    region, regions, every = scope.region, scope.regions, scope.every
    if region is not None:
        t = every[region.region]
        months = list(t.months)
        amounts = t.by_month
        people = quota_people(scope.plan, region.region)
        columns = [{m: t.by_person[m][p.id] for m in months} for p in people]
        column_heads = [p.name for p in people]
        if any(t.unassigned.values()):  # the part nobody carries keeps its own column
            columns.append(dict(t.unassigned))
            column_heads.append("未分配")
    else:
        months = sorted({m for r in regions for m in r.period.months}, key=scope.fiscal.position)
        columns = [every[r.region].by_month for r in regions]
        amounts = {m: sum((c.get(m, Decimal(0)) for c in columns), Decimal(0)) for m in months}
        column_heads = [scope.name(r.region) for r in regions]
    person_rows = []
    for r in regions:
        t = every[r.region]
        carriers = {p.id for p in quota_people(scope.plan, r.region)}
        for p in r.people:
            total = sum((t.by_person[m][p.id] for m in t.months), Decimal(0)) if p.id in carriers else None
            person_rows.append(PersonRow(p, scope.name(r.region), _channel_name(scope.plan, p.channel),
                                         total, None if total is None else total / len(t.months)))
    unassigned = [(scope.name(r.region), sum(every[r.region].unassigned.values(), Decimal(0)),
                   len(every[r.region].months)) for r in regions]
    return {
        "month_rows": _month_rows(scope.fiscal, months, amounts, columns, region),
        "month_total": sum(amounts.values(), Decimal(0)),
        "column_heads": column_heads,
        "column_totals": [sum(c.values(), Decimal(0)) for c in columns],
        "person_rows": person_rows,
        "unassigned_rows": [(name, total, total / n) for name, total, n in unassigned if total],
    }


def _customers_section(scope: Scope) -> dict[str, Any]:
    """客戶分類 and 準客戶四象限: customers classed as at the plan's first month, tiers with their rule."""
    plan, regions, unit = scope.plan, scope.regions, scope.unit
    fiscal = scope.fiscal
    first_month = fiscal.month(min((r.period.months[0] for r in regions if r.period.months),
                                   key=fiscal.position, default=fiscal.start_month))
    classed = [CustomerRow(classify(plan, c, *first_month), _name(plan, c.owner), scope.name(c.region))
               for r in regions for c in plan.customers_in(r.region)]
    prospects = sorted((c for c in classed if c.classed.customer.status == "prospect"),
                       key=lambda c: (c.classed.quadrant or "Z", -(c.classed.customer.monthly_demand or 0)))
    rules = plan.rules
    opening = {r.region: opening_tiers(plan, plan.customers_in(r.region)) for r in regions}
    cadence = {str(tier): months for tier, months in rules.visit_cadence.items()}
    tier_rows = []
    for tier in TIER_ORDER:
        if tier in rules.tier_thresholds:
            rule = f"去年銷售額 ≥ {unit.plain(rules.tier_thresholds[tier])}"
        else:
            rule = f"去年銷售額 < {unit.plain(rules.tier_thresholds['二級'])}，或新客戶"
        counts = tuple(opening[r.region][tier] for r in regions)
        tier_rows.append(TierRow(tier, rule, cadence_text(cadence[tier]), counts, sum(counts)))
    return {
        "tier_rows": tier_rows,
        "tier_heads": [scope.name(r.region) for r in regions],
        "customers": sorted((c for c in classed if c.classed.customer.status != "prospect"),
                            key=lambda c: (TIER_ORDER.index(c.classed.tier),
                                           -(c.classed.customer.last_year_sales or 0))),
        "prospects": prospects,
        "quadrant_rows": [(qd, *QUADRANT_RULES[qd], sum(1 for p in prospects if p.classed.quadrant == qd))
                          for qd in QUADRANTS],
        "large_demand": rules.quadrant.large_demand,
        "fast_days": rules.quadrant.fast_days,
    }


def _phases_section(scope: Scope) -> dict[str, Any]:
    """工作階段: the company's phases, then each region's, with their tasks in date order.

    ``phase_groups`` is what the document shows under one heading each: in a region's plan the company's
    phases under 公司工作階段 and the region's own under its name; in the company's plan one group (the
    company's phases unlabelled, the regions' labelled with their region)."""
    company = [_phase_block(scope, "", ph, True) for ph in scope.plan.company.phases]
    own = [_phase_block(scope, scope.name(r.region), ph) for r in scope.regions for ph in r.phases]
    if scope.region is None or not company:
        groups = [("", company + own)]
    else:
        groups = [("公司工作階段", company)] + ([(f"{scope.name(scope.region.region)}工作階段", own)] if own else [])
    return {"phases": company + own, "phase_groups": groups}


def _phase_block(scope: Scope, region: str, ph: Phase, company: bool = False) -> PhaseBlock:
    plan = scope.plan
    return PhaseBlock(region, ph, _name(plan, ph.owner),
                      tuple(TaskRow(region, ph.name, _span(tk.first_day, tk.last_day, plan.year),
                                    tk.time or "", tk.title, _name(plan, tk.owner or ph.owner), tk.detail or "")
                            for tk in sorted(ph.tasks, key=lambda x: (x.first_day, x.last_day))),
                      f"{_day(ph.start, plan.year)}至{_day(ph.end, plan.year)}", company)


def _resources(scope: Scope) -> dict[str, Any]:
    """實施措施, 培訓, 費用, SWOT and 團隊: the region's own where it states them, else the company's."""
    plan, region, regions = scope.plan, scope.region, scope.regions
    company = plan.company
    measures: list[Measure] = list(region.measures if region is not None and region.measures
                                   else company.measures)
    training: list[Training] = [*company.training, *(t for r in regions for t in r.training)]
    fiscal = scope.fiscal
    training.sort(key=lambda t: (t.date or date(*fiscal.month(t.month or fiscal.start_month), 1)))
    budget = [BudgetRow(b.item, b.category or "", b.amount, b.note or "")
              for b in (company if region is None else region).budget]
    if region is None:
        budget += [BudgetRow(f"{scope.name(r.region)}區域費用", "區域",
                             sum((b.amount for b in r.budget), Decimal(0)),
                             f"明細見{scope.name(r.region)}年度計畫")
                   for r in regions if r.budget]
    swot: Swot | None = region.swot if region is not None and region.swot else company.swot
    roles: dict[str, int] = {}
    for r in regions:
        for p in r.people:
            roles[p.role] = roles.get(p.role, 0) + 1
    return {
        "measures": measures,
        "training": training,
        "training_months": {t.month: _training_month(fiscal, t.month) for t in training if t.month is not None},
        "budget": budget,
        "budget_total": sum((b.amount for b in budget), Decimal(0)),
        "swot": swot,
        "roles": roles,
        "headcount": sum(roles.values()),
    }


def _gantt_bars(scope: Scope, phases: list[PhaseBlock]) -> list[GanttBar]:
    bars = []
    for block in phases:
        label = f"公司{block.phase.name}" if block.company and scope.region is not None \
            else f"{block.region}{block.phase.name}" if scope.region is None else block.phase.name
        bars.append(GanttBar(label, block.phase.start, block.phase.end, True))
        bars += [GanttBar(tk.title, tk.first_day, tk.last_day) for tk in block.phase.tasks]
    return bars


def _monthly_chart(scope: Scope, month_rows: list[MonthRow], column_heads: list[str]) -> Picture:
    """The months' targets as bars: the region's one series, or one series per region."""
    unit = scope.unit
    if scope.region is not None:
        series = [Series(f"月目標（{unit.name}）", tuple(float(unit.scaled(r.amount)) for r in month_rows))]
    else:
        series = [Series(h, tuple(float(unit.scaled(r.by_column[i] or Decimal(0))) for r in month_rows))
                  for i, h in enumerate(column_heads)]
    return bar_chart("monthly", [r.label for r in month_rows], series, ylabel=unit.name)


def _training_month(fiscal: FiscalYear, number: int) -> str:
    """A training month as the calendar shows it: ``9月``, and ``2027年1月`` once the year has turned."""
    year, month = fiscal.month(number)
    return f"{year}年{month}月" if year != fiscal.year else f"{month}月"


def _channel_name(plan: Plan, channel_id: str | None) -> str:
    if channel_id is None:
        return ""
    try:
        return plan.channel(channel_id).name
    except KeyError:
        return channel_id


@register
class AnnualPlanDocument(DocumentType):
    id = "annual-plan"
    title = "年度銷售總體計畫"
    template = "annual-plan.html.j2"
    scope = "company+region"
    period_kind = "year"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """The company's plan, and one per region that has a plan for the year."""
        year, _ = parse_period(period)
        plan = load(ws, year)
        return [Target(self.id, period)] + [Target(self.id, period, r.region) for r in plan.regions]

    def prepare(self, ws: Workspace, target: Target) -> Prepared:
        year, _ = parse_period(target.period)
        plan = load(ws, year)
        region = ws.region(target.region)
        if region is not None:
            region_plan(ws, plan, region.id)
        context, pictures = annual_context(ws, plan, region.id if region else None)
        return Prepared(
            title=self.title,
            context=context,
            pictures=pictures,
            inputs=plan_inputs(ws, year),
            created=plan.fiscal_year[0],
            region_name=region.name if region else None,
            period_label=plan_fiscal(plan).title,
        )
