"""``annual-plan``: 年度銷售總體計畫, for the company and for each region (seed 篇1–篇5, 篇8).

Every figure comes from :mod:`docgen.plan`: targets and their decomposition from
:func:`~docgen.plan.figures.region_targets`, channel quotas from
:func:`~docgen.plan.channels.check_channels` (mismatches shown as warnings with both numbers),
tiers, cadence and quadrants from :mod:`docgen.documents.planning`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from docgen.data.plan import Measure, Person, Phase, Plan, RegionPlan, Swot, Training
from docgen.documents import DocumentType, Prepared, Target, parse_period, register
from docgen.documents.planning import (
    QUADRANTS,
    TIER_ORDER,
    Classed,
    cadence_text,
    classify,
    load,
    opening_tiers,
    plan_inputs,
    quantum,
    region_plan,
    unit_word,
)
from docgen.documents.volume import annual_volume
from docgen.plan.channels import Channel, check_channels, check_monthly_vs_annual
from docgen.plan.competitors import share_total_warning
from docgen.plan.decompose import shares
from docgen.plan.figures import RegionTargets, all_targets, quota_people
from docgen.plan.fiscal import FiscalYear, month_labels, plan_fiscal
from docgen.plan.targets import share, target_ratio
from docgen.render.charts import GanttBar, Series, bar_chart, gantt
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
class ChannelRow:
    name: str
    units: str          # 3家
    rate: Decimal       # per unit per month, 元
    rate_basis: str     # 每人每月
    months: int
    computed: Decimal   # units × rate × months, 元
    stated: Decimal | None
    difference: Decimal | None   # stated − computed
    note: str


@dataclass(frozen=True)
class ChannelTable:
    region: str
    rows: tuple[ChannelRow, ...]
    computed_total: Decimal
    planned_total: Decimal
    period_target: Decimal
    warnings: tuple[str, ...]


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


def channel_table(ws: Workspace, plan: Plan, region: RegionPlan, region_name: str,
                  targets: RegionTargets) -> ChannelTable | None:
    """The region's channel quotas recomputed (units × rate × months) and checked against the period target."""
    if not region.channels:
        return None
    divisor, word = unit_word(ws)
    months = len(targets.months)
    names = {c.id: c.name for c in plan.company.channels}
    channels = [Channel(names.get(q.channel, q.channel), q.units, q.rate / divisor, None,
                        None if q.quota is None else q.quota / divisor, q.unit or "") for q in region.channels]
    check = check_channels(channels, targets.basis / divisor, months, word)
    rows = []
    for q, c in zip(region.channels, channels):
        computed = q.units * q.rate * months
        rows.append(ChannelRow(c.name, f"{q.units}{q.unit or ''}", q.rate, q.rate_basis or "每月", months,
                               computed, q.quota, None if q.quota is None else q.quota - computed, q.note or ""))
    return ChannelTable(region_name, tuple(rows), check.computed_total * divisor, check.planned_total * divisor,
                        check.period_target * divisor, check.warnings)


def _capacity(scope: str, holder) -> CapacityRow | None:
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


def annual_context(ws: Workspace, plan: Plan, region_id: str | None) -> tuple[dict, list]:
    """The template context and pictures of one annual plan (``region_id`` ``None``: the company)."""
    q = quantum(ws)
    divisor, _ = unit_word(ws)
    every = all_targets(plan, q)
    names = {r.id: r.name for r in ws.config.regions}
    regions = [plan.region(region_id)] if region_id else list(plan.regions)
    region = regions[0] if region_id else None
    company = plan.company
    fiscal = plan_fiscal(plan)
    first_month = fiscal.month(min((r.period.months[0] for r in regions if r.period.months),
                                   key=fiscal.position, default=fiscal.start_month))

    narrative = dict(company.narrative)
    if region is not None:
        narrative.update(region.narrative)
    intros = {k: v for k, v in narrative.items() if k in SECTION_INTROS}
    analysis = {k: v for k, v in narrative.items() if k not in SECTION_INTROS}

    # 銷售目標
    target_rows = [TargetRow(names.get(r.region, r.region), _months_text(fiscal, r), r.task, r.target,
                             target_ratio(r.task, r.target) if r.task is not None and r.target is not None else None,
                             every[r.region].basis) for r in regions]
    basis_total = sum((t.basis for t in target_rows), Decimal(0))
    task_total = sum((r.task for r in regions if r.task is not None), Decimal(0))
    target_total = sum((r.target or r.task or Decimal(0) for r in regions), Decimal(0))
    in_scope = {r.region for r in regions}
    target_warnings = [c.text for c in plan_checks(ws, plan, every)
                       if c.region in in_scope and c.field != "channels"]
    capacity = [c for c in ([_capacity("全公司", company)] if region is None else [])
                + [_capacity(names.get(r.region, r.region), r) for r in regions] if c is not None]
    competitors = region.competitors if region is not None and region.competitors else company.competitors

    # 渠道定額
    channel_tables = [t for r in regions
                      if (t := channel_table(ws, plan, r, names.get(r.region, r.region), every[r.region]))]

    # 目標分解
    if region is not None:
        t = every[region.region]
        months = list(t.months)
        amounts = t.by_month
        people = quota_people(plan, region.region)
        columns = [{m: t.by_person[m][p.id] for m in months} for p in people]
        column_heads = [p.name for p in people]
        if any(t.unassigned.values()):  # the part nobody carries keeps its own column
            columns.append(dict(t.unassigned))
            column_heads.append("未分配")
    else:
        months = sorted({m for r in regions for m in r.period.months}, key=fiscal.position)
        columns = [every[r.region].by_month for r in regions]
        amounts = {m: sum((c.get(m, Decimal(0)) for c in columns), Decimal(0)) for m in months}
        column_heads = [names.get(r.region, r.region) for r in regions]
    month_rows = _month_rows(fiscal, months, amounts, columns, region)
    column_totals = [sum(c.values(), Decimal(0)) for c in columns]
    person_rows = []
    for r in regions:
        t = every[r.region]
        carriers = {p.id for p in quota_people(plan, r.region)}
        for p in r.people:
            total = sum((t.by_person[m][p.id] for m in t.months), Decimal(0)) if p.id in carriers else None
            person_rows.append(PersonRow(p, names.get(r.region, r.region), _channel_name(plan, p.channel),
                                         total, None if total is None else total / len(t.months)))
    unassigned_rows = [(names.get(r.region, r.region), sum(every[r.region].unassigned.values(), Decimal(0)),
                        len(every[r.region].months)) for r in regions]
    unassigned_rows = [(name, total, total / n) for name, total, n in unassigned_rows if total]

    # 客戶分類, 準客戶四象限
    classed = [CustomerRow(classify(plan, c, *first_month), _name(plan, c.owner),
                           names.get(c.region, c.region))
               for r in regions for c in plan.customers_in(r.region)]
    customers = sorted((c for c in classed if c.classed.customer.status != "prospect"),
                       key=lambda c: (TIER_ORDER.index(c.classed.tier),
                                      -(c.classed.customer.last_year_sales or 0)))
    prospects = sorted((c for c in classed if c.classed.customer.status == "prospect"),
                       key=lambda c: (c.classed.quadrant or "Z", -(c.classed.customer.monthly_demand or 0)))
    rules = plan.rules
    tier_rows = []
    opening = {r.region: opening_tiers(plan, plan.customers_in(r.region)) for r in regions}
    for i, tier in enumerate(TIER_ORDER):
        if tier in rules.tier_thresholds:
            rule = f"去年銷售額 ≥ {_plain_money(ws, rules.tier_thresholds[tier])}"
        else:
            rule = f"去年銷售額 < {_plain_money(ws, rules.tier_thresholds['二級'])}，或新客戶"
        counts = tuple(opening[r.region][tier] for r in regions)
        tier_rows.append(TierRow(tier, rule, cadence_text(rules.visit_cadence[tier]), counts, sum(counts)))
    quadrant_rows = [(qd, *QUADRANT_RULES[qd], sum(1 for p in prospects if p.classed.quadrant == qd))
                     for qd in QUADRANTS]

    # 工作階段
    phases = [PhaseBlock(names.get(r.region, r.region), ph, _name(plan, ph.owner),
                         tuple(TaskRow(names.get(r.region, r.region), ph.name,
                                       _span(tk.first_day, tk.last_day, plan.year),
                                       tk.time or "", tk.title, _name(plan, tk.owner or ph.owner), tk.detail or "")
                               for tk in sorted(ph.tasks, key=lambda x: (x.first_day, x.last_day))),
                         f"{_day(ph.start, plan.year)}至{_day(ph.end, plan.year)}")
              for r in regions for ph in r.phases]
    pictures = []
    bars = []
    for block in phases:
        label = f"{block.region}{block.phase.name}" if region is None else block.phase.name
        bars.append(GanttBar(label, block.phase.start, block.phase.end, True))
        bars += [GanttBar(tk.title, tk.first_day, tk.last_day) for tk in block.phase.tasks]
    if bars:
        pictures.append(gantt("gantt", bars))
    if region is not None:
        series = [Series(f"月目標（{ws.config.unit}）", tuple(float(r.amount / divisor) for r in month_rows))]
    else:
        series = [Series(h, tuple(float((r.by_column[i] or 0) / divisor) for r in month_rows))
                  for i, h in enumerate(column_heads)]
    pictures.append(bar_chart("monthly", month_labels(fiscal, months), series, ylabel=ws.config.unit))

    # 實施措施, 培訓, 費用, SWOT, 團隊
    measures: list[Measure] = list(region.measures if region is not None and region.measures
                                   else company.measures)
    training: list[Training] = [*company.training, *(t for r in regions for t in r.training)]
    training.sort(key=lambda t: (t.date or date(*fiscal.month(t.month or fiscal.start_month), 1)))
    budget = [BudgetRow(b.item, b.category or "", b.amount, b.note or "")
              for b in (company if region is None else region).budget]
    if region is None:
        budget += [BudgetRow(f"{names.get(r.region, r.region)}區域費用", "區域",
                             sum((b.amount for b in r.budget), Decimal(0)),
                             f"明細見{names.get(r.region)}年度計畫")
                   for r in regions if r.budget]
    swot: Swot | None = region.swot if region is not None and region.swot else company.swot
    roles: dict[str, int] = {}
    for r in regions:
        for p in r.people:
            roles[p.role] = roles.get(p.role, 0) + 1

    context = {
        "is_company": region is None,
        "region_plan": region,
        "areas": region.areas if region is not None else [],
        "office": region.office if region is not None else None,
        "manager": _name(plan, region.manager) if region is not None else None,
        "analysis": analysis,
        "intros": intros,
        "capacity": capacity,
        "competitors": competitors,
        "competitor_warning": share_total_warning(c.share for c in competitors),
        "target_rows": target_rows,
        "basis_total": basis_total,
        "task_total": task_total,
        "target_total": target_total,
        "total_ratio": target_ratio(task_total, target_total) if task_total else None,
        "target_warnings": target_warnings,
        "channel_tables": channel_tables,
        "month_rows": month_rows,
        "month_total": sum(amounts.values(), Decimal(0)),
        "column_heads": column_heads,
        "column_totals": column_totals,
        "person_rows": person_rows,
        "unassigned_rows": unassigned_rows,
        "tier_rows": tier_rows,
        "tier_heads": [names.get(r.region, r.region) for r in regions],
        "customers": customers,
        "prospects": prospects,
        "quadrant_rows": quadrant_rows,
        "large_demand": rules.quadrant.large_demand,
        "fast_days": rules.quadrant.fast_days,
        "phases": phases,
        "measures": measures,
        "training": training,
        "training_months": {t.month: label for t in training if t.month is not None
                            for label in [_training_month(fiscal, t.month)]},
        "budget": budget,
        "budget_total": sum((b.amount for b in budget), Decimal(0)),
        "swot": swot,
        "roles": roles,
        "headcount": sum(roles.values()),
        "has_gantt": bool(bars),
        "volume": annual_volume(ws, plan, region_id),
    }
    return context, pictures


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


def _plain_money(ws: Workspace, amount: Decimal) -> str:
    divisor, word = unit_word(ws)
    return f"{(amount / divisor).normalize():,f}{word}"


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


@dataclass(frozen=True)
class PlanCheck:
    """A warning about the plan's arithmetic: the region it is about, the field, the text (which names the region)."""

    region: str
    field: str
    text: str


def plan_checks(ws: Workspace, plan: Plan, every: dict[str, RegionTargets] | None = None) -> list[PlanCheck]:
    """Every warning the plan documents print about the plan's arithmetic, in one place: the annual
    plan prints them, ``validate`` reports them at their region file.

    Channel quotas against units × rate × months, the month's quantity × months against the
    year's, personal quotas against the region's task, a region whose task nobody carries.
    """
    every = every if every is not None else all_targets(plan, quantum(ws))
    names = {r.id: r.name for r in ws.config.regions}
    checks = []
    for r in plan.regions:
        name = names.get(r.region, r.region)
        table = channel_table(ws, plan, r, name, every[r.region])
        checks += [PlanCheck(r.region, "channels", f"{name}渠道定額：{w}") for w in (table.warnings if table else ())]
        if r.monthly_quantity is not None and r.quantity is not None and r.monthly_quantity.unit == r.quantity.unit:
            text = check_monthly_vs_annual(r.monthly_quantity.value, r.quantity.value, len(r.period.months),
                                           r.quantity.unit)
            if text:
                checks.append(PlanCheck(r.region, "monthly_quantity", f"{name}：{text}"))
        checks += [PlanCheck(r.region, "people", f"{name}：{w}") for w in every[r.region].warnings]
    return checks


def arithmetic_warnings(ws: Workspace, plan: Plan) -> list:
    """:func:`plan_checks` located at the region data they come from (for ``validate``)."""
    regions = {r.region: r for r in plan.regions}
    return [regions[c.region].problem(c.text, field=c.field, severity="warning") for c in plan_checks(ws, plan)]
