"""``year-summary``: 年度銷售總結 (seed 篇2 二、2; SPEC §2), one per year for the company and each region.

Uses every month of the year that has a ledger folder (a summary written in July covers
January–June).  Figures per month from :func:`docgen.plan.stats.sales_stats`; the year's
figures are the last month's year-to-date ones.  Derived here:

* tier moves: the opening tier (the annual plan's count, :func:`~docgen.documents.planning.opening_tiers`:
  explicit tier, else last year's sales) → tier by this year's sales annualised (year-to-date × 12 ÷
  months covered), both by the workspace's thresholds; an explicit tier wins on both sides, so a
  customer with one is never a move;
* annual appraisal: the months' measures added up (:func:`~docgen.documents.monthend.sum_measures`),
  growth against last year's sales of the person's customers for the same number of months,
  lost customers as at the last month, new-customer target = prospects owned;
* the narrative: the facts of achievements, problems and next year (:class:`Narrative`), worded
  by the template, followed by any plan narrative section whose title speaks of 成績/成果,
  問題/不足 or 明年/下一年/來年/下一財年.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docgen.data.plan import Person
from docgen.documents import Target, parse_period, register
from docgen.documents.monthend import (
    NUMERALS,
    ROUNDING_NOTE,
    Content,
    MonthEnd,
    MonthEndDocument,
    MonthScores,
    PersonCard,
    appraisal_settings,
    card_notes,
    ledger_months,
    measures_for,
    month_scores,
    score_card,
    scored_people,
    sum_measures,
    visit_figures,
)
from docgen.documents.planning import money, opening_tiers
from docgen.documents.volume import (
    channel_stats,
    person_new_customer_targets,
    plans_money,
    quantity_stats,
    volume_scope,
    year_new_customers,
    year_volume,
)
from docgen.errors import ConfigError
from docgen.plan.appraisal import AppraisalSettings
from docgen.plan.customers import tier_counts, tier_of
from docgen.plan.fiscal import FiscalYear, month_labels, month_text, plan_fiscal
from docgen.plan.stats import SalesRow, SalesStats, growth, ratio, sales_stats
from docgen.plan.units import Unit
from docgen.render.charts import Series, bar_chart
from docgen.render.document import Picture
from docgen.workspace import Workspace

TIERS = ("VIP", "一級", "二級", "其他")
#: column heads of the annual appraisal table, by scorecard item key (else the name's first two characters)
SHORT_NAMES = {"sales": "銷售", "volume": "銷量", "development": "開發", "existing_visits": "拜訪",
               "calls": "電話", "orders": "訂單", "growth": "增長", "new_customers": "新客",
               "lost_customers": "流失", "discipline": "紀律", "reports": "匯報", "requests": "回覆"}


@dataclass(frozen=True)
class TrendRow:
    month: int
    label: str          # 8月 … 12月, 2027年1月 …: the year where the table crosses December
    target: Decimal | None
    actual: Decimal
    completion: Decimal | None
    cum_target: Decimal | None
    cum_actual: Decimal
    cum_completion: Decimal | None


@dataclass(frozen=True)
class PlanRow:
    """A region's (or the company's) year: task, target and what was done so far."""

    label: str
    task: Decimal | None
    target: Decimal | None
    stretch: Decimal | None      # target ÷ task
    to_date_target: Decimal | None
    actual: Decimal
    to_date_completion: Decimal | None
    task_completion: Decimal | None
    target_completion: Decimal | None


@dataclass(frozen=True)
class TierMove:
    customer: str
    owner: str
    last_year: Decimal
    annualised: Decimal
    before: str
    after: str
    up: bool


def _covered(ws: Workspace, year: int) -> list[int]:
    """The fiscal year's months that have ledgers, as month numbers in fiscal order."""
    fiscal, have = FiscalYear(year, ws.config.fiscal_year_start), set(ledger_months(ws))
    return [number for number, month in zip(fiscal.numbers, fiscal.months, strict=True) if month in have]


def covered_text(fiscal: FiscalYear, months: list[int]) -> str:
    """The months a summary covers: ``1–6月`` in a calendar year, ``2026年8月至2027年3月`` across December."""
    (y1, m1), (y2, m2) = fiscal.month(months[0]), fiscal.month(months[-1])
    if fiscal.crosses_december:
        return f"{y1}年{m1}月至{y2}年{m2}月" if len(months) > 1 else f"{y1}年{m1}月"
    return f"{m1}–{m2}月" if len(months) > 1 else f"{m1}月"


def _plan_row(label: str, task: Decimal | None, target: Decimal | None, row: SalesRow) -> PlanRow:
    return PlanRow(label, task, target, ratio(target, task), row.ytd_target, row.ytd_actual,
                   row.ytd_completion, ratio(row.ytd_actual, task), ratio(row.ytd_actual, target))


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def year_context(me: MonthEnd, region: str | None, months: list[int], settings: AppraisalSettings,
                 scores: dict[int, MonthScores]) -> dict[str, Any]:
    fiscal = plan_fiscal(me.plan)
    with_money = plans_money(me.plan, region)
    monthly: dict[int, SalesStats] = {
        m: sales_stats(fiscal.month(m), me.sales, me.targets, me.people(), me.customers_in(fiscal.month(m)),
                       region=region, region_names=me.region_names, region_targets=me.region_targets,
                       lost_after_months=me.plan.rules.lost_after_months, fiscal_start=fiscal.start_month)
        for m in months}
    last = monthly[months[-1]]
    trend, cum_t, cum_a = [], None, Decimal(0)
    for m, label in zip(months, month_labels(fiscal, months), strict=True):
        t = monthly[m].total
        cum_t = _sum([cum_t, t.target])
        cum_a += t.actual
        trend.append(TrendRow(m, label, t.target, t.actual, t.completion, cum_t, cum_a, ratio(cum_a, cum_t)))

    regions = [r for r in me.plan.regions if region is None or r.region == region]
    by_region = {r.key: r for r in last.by_region}
    plan_rows = [_plan_row(me.region_names.get(r.region, r.region), r.task, r.target, by_region[r.region])
                 for r in regions if r.region in by_region]
    if region is None:
        task = me.plan.company.task or _sum(r.task for r in regions)
        target = me.plan.company.target or _sum(r.target or r.task for r in regions)
        plan_rows.append(_plan_row("全公司", task, target, last.total))

    def rank(rows: list[SalesRow]) -> list[SalesRow]:
        return sorted(rows, key=lambda r: (r.ytd_completion is None, -(r.ytd_completion or 0), -r.ytd_actual))

    scope_customers = [c for c in me.customers if region is None or c.region == region]
    moves, before, after = _tier_moves(me, region, months)
    new_ids = sorted({c for m in months for c in monthly[m].new_customer_ids})
    cards = _annual_cards(me, region, months, monthly, settings, scores)
    ranked = {p.id for p in scored_people(settings, me.team(region))}  # excluded from appraisal: from ranking too
    return {
        "year": fiscal.year, "months": months, "trend": trend, "plan_rows": plan_rows, "company_scope": region is None,
        "last": last, "total": last.total, "channels": last.by_channel,
        "region_ranking": rank([r for r in last.by_region if r.key in {x.region for x in regions}]),
        "people_ranking": rank([r for r in last.by_salesperson if r.key in ranked]),
        "start_customers": sum(1 for c in scope_customers if c.status in ("active", "lost") and c.last_year_sales),
        "new_customers": [me_name(me, c) for c in new_ids],
        "lost_customers": [me_name(me, c) for c in last.lost_customer_ids],
        "tier_moves": moves, "tiers_before": before, "tiers_after": after, "tiers": TIERS,
        "tier_rule": tier_rule(me),
        "rounding_note": ROUNDING_NOTE, "cards": cards, "card_notes": card_notes(settings),
        "score_warnings": [str(p) for m in months for p in scores[m].warnings], "short_names": SHORT_NAMES,
        "region_names": me.region_names, "numerals": NUMERALS,
        "narrative": _narrative(me, region, last, cards, moves, new_ids, months),
        "covered": covered_text(fiscal, months),
        "fiscal_year": fiscal.name,
        "words": year_words(fiscal),
        "covered_span": covered_text(fiscal, months) if fiscal.crosses_december
        else f"{fiscal.year} 年 {covered_text(fiscal, months)}",
        "volume": year_volume(me, region, fiscal.month(months[-1])),
        "volume_scope": volume_scope(me.ws, me.plan, region),
        "money_targets": with_money,
        "channel_targets": channel_stats(me, region, money(me.ws).quantum, fiscal.month(months[-1]))
        if with_money else None,
        "new_customer_year": year_new_customers(me, region, monthly),
    }


def year_words(fiscal: FiscalYear) -> dict[str, str]:
    """How the summary's sentences name the years: 年初, 今年, 去年, 下一年 of a calendar year; 財年初, 本財年,
    上一財年, 下一財年 of a fiscal year crossing December (its "year start" is August, not January)."""
    if fiscal.crosses_december:
        return {"start": "財年初", "this": "本財年", "last": "上一財年", "next": "下一財年", "next_plan": "下一財年"}
    return {"start": "年初", "this": "今年", "last": "去年", "next": "下一年", "next_plan": "下年度"}


def tier_rule(me: MonthEnd) -> str:
    """The tier thresholds in words (``VIP ≥ 100萬，一級 ≥ 50萬，二級 ≥ 10萬``), not the setting's name."""
    unit = money(me.ws)
    return "，".join(f"{tier} ≥ {unit.plain(amount)}" for tier, amount in me.plan.rules.tier_thresholds.items())


def me_name(me: MonthEnd, customer_id: str) -> str:
    return next((c.name for c in me.customers if c.id == customer_id), customer_id)


def _tier_moves(me: MonthEnd, region: str | None,
                months: list[int]) -> tuple[list[TierMove], dict[str, int], dict[str, int]]:
    rules = me.plan.rules.tiers
    fiscal = plan_fiscal(me.plan)
    listed = [c for c in me.plan.customers if region is None or c.region == region]
    sold: dict[str, Decimal] = {}
    for ln in me.sales:
        if fiscal.contains((ln.date.year, ln.date.month)):
            sold[ln.customer] = sold.get(ln.customer, Decimal(0)) + ln.amount
    names = {p.id: p.name for p in me.plan.people}
    annualised = {c.id: sold[c.id] * 12 / len(months) for c in listed if c.id in sold}
    after = {c.id: str(tier_of(annualised[c.id], c.tier, rules)) for c in listed if c.id in sold}
    order = {tier: i for i, tier in enumerate(TIERS)}
    moves = []
    for c in listed:
        if c.status != "active" or c.tier is not None or c.id not in sold:
            continue
        was, now = str(tier_of(c.last_year_sales, None, rules)), after[c.id]
        if was != now:
            moves.append(TierMove(c.name, names.get(c.owner, c.owner), c.last_year_sales or Decimal(0),
                                  annualised[c.id].quantize(Decimal(1)), was, now, order[now] < order[was]))
    return moves, opening_tiers(me.plan, listed), tier_counts(after.values())


def _annual_cards(me: MonthEnd, region: str | None, months: list[int], monthly: dict[int, SalesStats],
                  settings: AppraisalSettings, scores: dict[int, MonthScores]) -> list[PersonCard]:
    fiscal = plan_fiscal(me.plan)
    people = scored_people(settings, me.team(region))
    per_month = {}
    for m in months:
        v = visit_figures(me, fiscal.month(m), people)
        volume = quantity_stats(me, region, fiscal.month(m))
        per_month[m] = ({r.key: r for r in monthly[m].by_salesperson}, {r.key: r for r in v.by_salesperson},
                        {r.key: r for r in volume.by_salesperson} if volume else {},
                        person_new_customer_targets(me.plan, fiscal.month(m)))
    last = {r.key: r for r in monthly[months[-1]].by_salesperson}
    cards = []
    for p in people:
        if p.id not in last:
            continue
        scored = scored_months(me, p, months)
        if not scored:
            continue
        parts = [measures_for(me, p, per_month[m][0][p.id], per_month[m][1].get(p.id), fiscal.month(m),
                              volume=per_month[m][2].get(p.id), new_target=per_month[m][3].get(p.id))
                 for m in scored]
        owned = [c for c in me.customers if c.owner == p.id]
        basis = _sum(c.last_year_sales for c in owned)
        basis = basis * len(months) / 12 if basis else None
        prospects = sum(1 for c in me.customers_in(fiscal.month(scored[0]))
                        if c.owner == p.id and c.status == "prospect")
        new_targets = [per_month[m][3][p.id] for m in scored if p.id in per_month[m][3]]
        total = sum_measures(parts, growth_rate=growth(last[p.id].ytd_actual, basis),
                             lost_customers=last[p.id].lost_customers,
                             new_customers_target=int(sum(new_targets)) if new_targets else prospects,
                             active_customers=sum(1 for c in me.customers_in(fiscal.month(scored[-1]))
                                                  if c.owner == p.id and c.status == "active"),
                             rated=_year_rated(settings, [scores[m].scores.get(p.id, {}) for m in scored]))
        cards.append(score_card(settings, p, total))
    return sorted(cards, key=lambda c: (c.card.score is None, -(c.card.score or 0)))


def _year_rated(settings: AppraisalSettings, months: list[dict[str, Decimal]]) -> dict[str, Decimal]:
    """A rated item's points for the year: the average of the months the person was on the team,
    once every one of them is scored (a month not scored leaves the year's item 待評)."""
    out = {}
    for item in settings.rated_items:
        given = [m[item.key] for m in months if item.key in m]
        if given and len(given) == len(months):
            out[item.key] = sum(given, Decimal(0)) / len(given)
    return out


def scored_months(me: MonthEnd, person: Person, months: list[int]) -> list[int]:
    """The months an annual scorecard counts for ``person``: from the later of the region plan's first
    day and the person's start date (the month holding it counts), the same for every item."""
    fiscal = plan_fiscal(me.plan)
    region = me.plan.region(person.region)
    start = max(dt.date(*fiscal.month(region.period.months[0]), 1), person.start or dt.date.min)
    return [m for m in months if m in region.period.months and fiscal.month(m) >= (start.year, start.month)]


#: a salesperson below this to-date completion is named under 存在問題
BEHIND = Decimal("0.8")
#: plan narrative sections whose title has one of these words follow the summary's own (成績, 問題, 明年 …)
PLAN_SECTION_WORDS = ("成績", "成果", "問題", "不足", "明年", "下一年", "來年", "下年", "下一財年", "下財年")


@dataclass(frozen=True)
class Narrative:
    """The facts 七、總結與展望 is written from.  The wording is the template's (blocks ``achievements``,
    ``problems`` and ``next_year``), so that a region can reword any part by overriding one block.

    :param on_target: salespeople at or above their to-date target.
    :param behind: (salesperson, to-date completion) of those below :data:`BEHIND`.
    :param plan: the plan's own narrative sections about achievements, problems or next year.
    """

    first_month: int
    last_month: int
    ytd_actual: Decimal
    ytd_completion: Decimal | None
    on_target: list[str]
    new_customers: list[str]
    upgrades: list[TierMove]
    behind: list[tuple[str, Decimal]]
    behind_below: Decimal
    lost_customers: list[str]
    downgrades: list[TierMove]
    plan: dict[str, str]


def _narrative(me: MonthEnd, region: str | None, last: SalesStats, cards: list[PersonCard],
               moves: list[TierMove], new_ids: list[str], months: list[int]) -> Narrative:
    done = {c.person: ratio(c.measures.sales_actual, c.measures.sales_target) for c in cards}
    behind = []
    for c in cards:
        completion = done[c.person]
        if completion is not None and completion < BEHIND:
            behind.append((c.name, completion))
    plan = me.plan.region(region) if region is not None else me.plan.company
    return Narrative(
        months[0], months[-1], last.total.ytd_actual, last.total.ytd_completion,
        on_target=[c.name for c in cards if (done[c.person] or 0) >= 1],
        new_customers=[me_name(me, c) for c in new_ids],
        upgrades=[m for m in moves if m.up],
        behind=behind, behind_below=BEHIND,
        lost_customers=[me_name(me, c) for c in last.lost_customer_ids],
        downgrades=[m for m in moves if not m.up],
        plan={title: text for title, text in plan.narrative.items() if any(w in title for w in PLAN_SECTION_WORDS)})


def trend_chart(trend: list[TrendRow], unit: Unit) -> Picture:
    return bar_chart("trend", [r.label for r in trend], [
        Series("目標", tuple(float(unit.scaled(r.target or Decimal(0))) for r in trend)),
        Series("實績", tuple(float(unit.scaled(r.actual)) for r in trend)),
    ], ylabel=unit.name, height_mm=70,
        secondary=Series("累計完成率 %", tuple(float((r.cum_completion or 0) * 100) for r in trend), kind="line"),
        secondary_label="累計完成率 %")


@register
class YearSummaryDocument(MonthEndDocument):
    id = "year-summary"
    title = "年度銷售總結"
    template = "year-summary.html.j2"
    scope = "company+region"
    period_kind = "year"   # made from the year's last month of ledgers

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """The company and each region, when the year has at least one month of ledgers."""
        year, _ = parse_period(period)
        if not _covered(ws, year):
            return []
        return [Target(self.id, period)] + [Target(self.id, period, r.id) for r in ws.config.regions]

    def data_month(self, ws: Workspace, target: Target) -> tuple[int, int]:
        """The last month of the year with ledgers: the summary covers up to it and is dated at its end."""
        year, _ = parse_period(target.period)
        fiscal = FiscalYear(year, ws.config.fiscal_year_start)
        months = _covered(ws, year)
        if not months:
            raise ConfigError(f"year-summary {fiscal.label}: no ledgers for {fiscal.period_text} under "
                              f"{ws.path('ledgers').relative_to(ws.root).as_posix()}/ "
                              f"(expected folders like {month_text(fiscal.months[0])})")
        return fiscal.month(months[-1])

    def content(self, ws: Workspace, me: MonthEnd, target: Target) -> Content:
        fiscal = plan_fiscal(me.plan)
        months = _covered(ws, fiscal.year)
        settings = appraisal_settings(ws)
        scores = {m: month_scores(ws, me.plan, fiscal.month(m), settings) for m in months}
        context = year_context(me, target.region, months, settings, scores)
        return Content(context, [trend_chart(context["trend"], money(ws))],
                       [p for s in scores.values() for p in s.inputs])

    def period_label(self, month: tuple[int, int], content: Content) -> str:
        return f"{content.context['fiscal_year']}（{content.context['covered']}）"
