"""``sales-stats``: 月銷售統計表 (seed 篇2 四、4; SPEC §2), one per month for the company and each region.

Figures come from :func:`docgen.plan.stats.sales_stats` on the month's ledger and all the
history before it; targets from the plan's decomposition (:mod:`docgen.plan.figures`);
the 績效考核 scorecards from :mod:`docgen.plan.appraisal` with the measures of
:func:`docgen.documents.monthend.measures_for`.
"""
from __future__ import annotations

from docgen.documents import DocumentType, Prepared, Target, fiscal_year_of, parse_month, register
from docgen.documents.monthend import (
    NO_SALES,
    ROUNDING_NOTE,
    MonthEnd,
    MonthScores,
    PersonCard,
    appraisal_settings,
    card_notes,
    ledger_months,
    load_month_end,
    measures_for,
    month_end_day,
    month_label,
    month_problems,
    month_scores,
    score_card,
    scored_people,
    visit_figures,
)
from docgen.documents.planning import load
from docgen.documents.volume import channel_stats, new_customer_figures, quantity_stats, volume_scope
from docgen.errors import DocgenError
from docgen.plan.appraisal import AppraisalSettings
from docgen.plan.fiscal import plan_fiscal
from docgen.plan.stats import SalesStats, sales_stats
from docgen.render.charts import Series, bar_chart
from docgen.render.filters import UNIT_DIVISOR, money_quantum
from docgen.workspace import Workspace

NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def month_sales(me: MonthEnd, region: str | None) -> SalesStats:
    """The month's sales statistics for the company (``None``) or one region."""
    return sales_stats(me.month, me.sales, me.targets, me.people(), me.customers_in(me.month), region=region,
                       region_names=me.region_names, region_targets=me.region_targets,
                       lost_after_months=me.plan.rules.lost_after_months,
                       fiscal_start=me.ws.config.fiscal_year_start)


def person_cards(me: MonthEnd, stats: SalesStats, region: str | None,
                 settings: AppraisalSettings, scores: MonthScores) -> list[PersonCard]:
    """The 績效考核 scorecard of each person scored (see :func:`scored_people`) for the month."""
    people = me.people(region)
    visits = visit_figures(me, me.month, people)
    by_visits = {r.key: r for r in visits.by_salesperson}
    by_sales = {r.key: r for r in stats.by_salesperson}
    return [score_card(settings, p, measures_for(me, p, by_sales[p.id], by_visits.get(p.id), me.month,
                                                 scores.scores.get(p.id)))
            for p in scored_people(settings, me.team(region)) if p.id in by_sales]


def sales_context(me: MonthEnd, region: str | None, settings: AppraisalSettings, scores: MonthScores) -> dict:
    stats = month_sales(me, region)
    return {
        "stats": stats,
        "t": stats.total,
        "n": 3 if region is None else 2,
        "numerals": NUMERALS,
        "customer_names": {c.id: c.name for c in me.customers},
        "month": me.month,
        "ytd_from": ytd_from(me),
        "company_scope": region is None,
        "no_sales": not me.has_sales(me.month),
        "no_sales_text": NO_SALES,
        "rounding_note": ROUNDING_NOTE,
        "cards": person_cards(me, stats, region, settings, scores),
        "card_notes": card_notes(settings),
        "has_yoy": stats.total.last_year is not None,
        "warnings": [str(p) for p in month_problems(me, me.month) + scores.warnings],
        "lost_after": me.plan.rules.lost_after_months,
        "region_names": me.region_names,
        "volume": quantity_stats(me, region),
        "volume_scope": volume_scope(me.ws, me.plan, region),
        "channels": channel_stats(me, region, money_quantum(me.ws.config.unit)),
        "new_customers": new_customer_figures(me, stats, region),
    }


def ytd_from(me: MonthEnd) -> str:
    """Where the 累計 columns start: ``年初``, or the fiscal year's first month (``2026年8月``)."""
    fiscal = plan_fiscal(me.plan)
    return f"{fiscal.months[0][0]}年{fiscal.start_month}月" if fiscal.crosses_december else "年初"


def target_chart(stats: SalesStats, unit: str):
    """Target vs actual per salesperson, in the display unit."""
    div = UNIT_DIVISOR[unit]
    rows = stats.by_salesperson
    return bar_chart("target_vs_actual", [r.label for r in rows], [
        Series("目標", tuple(float((r.target or 0) / div) for r in rows)),
        Series("實績", tuple(float(r.actual / div) for r in rows)),
    ], ylabel=unit, height_mm=70)


@register
class SalesStatsDocument(DocumentType):
    id = "sales-stats"
    title = "月銷售統計表"
    template = "sales-stats.html.j2"
    scope = "company+region"
    period_kind = "month"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """The company and each region whose plan covers the month, when the month has a ledger folder."""
        return month_targets(self.id, ws, period)

    def prepare(self, ws: Workspace, target: Target) -> Prepared:
        month = parse_month(target.period)
        me = load_month_end(ws, month)
        region = ws.region(target.region)
        settings = appraisal_settings(ws)
        scores = month_scores(ws, me.plan, month, settings)
        context = sales_context(me, target.region, settings, scores)
        return Prepared(
            title=self.title,
            context=context,
            pictures=[target_chart(context["stats"], ws.config.unit)],
            inputs=me.inputs + scores.inputs,
            created=month_end_day(month),
            region_name=region.name if region else None,
            period_label=month_label(month),
        )


def month_targets(doc_id: str, ws: Workspace, period: str, company: bool = True) -> list[Target]:
    """Company (if ``company``) and regions planned in the month, if the month has ledgers."""
    month = parse_month(period)
    if month not in ledger_months(ws):
        return []
    if not (ws.path("plans") / str(fiscal_year_of(ws, month))).is_dir():
        return []  # last year's ledgers are history for this year's statistics
    try:
        plan = load(ws, fiscal_year_of(ws, month))
        planned = {r.region for r in plan.regions if month[1] in r.period.months}
    except DocgenError:  # a broken plan: every region, so that rendering reports it
        planned = {r.id for r in ws.config.regions}
    out = [Target(doc_id, period)] if company else []
    return out + [Target(doc_id, period, r.id) for r in ws.config.regions if r.id in planned]
