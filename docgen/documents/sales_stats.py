"""``sales-stats``: 月銷售統計表 (seed 篇2 四、4; SPEC §2), one per month for the company and each region.

Figures come from :func:`docgen.plan.stats.sales_stats` on the month's ledger and all the
history before it; targets from the plan's decomposition (:mod:`docgen.documents.figures`);
the 績效考核 scorecards from :mod:`docgen.plan.appraisal` with the measures of
:func:`docgen.documents.monthend.measures_for`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from docgen.documents import Target, register
from docgen.documents.monthend import (
    NO_SALES,
    NUMERALS,
    ROUNDING_NOTE,
    Content,
    MonthEnd,
    MonthEndDocument,
    MonthScores,
    PersonCard,
    appraisal_settings,
    card_notes,
    measures_for,
    month_problems,
    month_scores,
    month_targets,
    score_card,
    scored_people,
    visit_figures,
)
from docgen.documents.planning import money
from docgen.documents.volume import (
    channel_stats,
    new_customer_figures,
    person_new_customer_targets,
    plans_money,
    quantity_stats,
    volume_scope,
)
from docgen.plan.appraisal import AppraisalSettings
from docgen.plan.fiscal import plan_fiscal
from docgen.plan.stats import SalesStats, sales_stats
from docgen.plan.units import Unit
from docgen.render.charts import Series, bar_chart
from docgen.render.document import Picture
from docgen.workspace import Workspace


def month_sales(me: MonthEnd, region: str | None) -> SalesStats:
    """The month's sales statistics for the company (``None``) or one region."""
    return sales_stats(me.month, me.sales, me.targets, me.people(), me.customers_in(me.month), region=region,
                       region_names=me.region_names, region_targets=me.region_targets,
                       lost_after_months=me.plan.rules.lost_after_months,
                       fiscal_start=me.ws.config.fiscal_year_start)


def person_cards(me: MonthEnd, stats: SalesStats, region: str | None, settings: AppraisalSettings,
                 scores: MonthScores, volume: SalesStats | None = None) -> list[PersonCard]:
    """The 績效考核 scorecard of each person scored (see :func:`scored_people`) for the month.

    :param volume: the month's volume statistics of the scope (:func:`quantity_stats`), when it plans a volume.
    """
    people = me.people(region)
    visits = visit_figures(me, me.month, people)
    by_visits = {r.key: r for r in visits.by_salesperson}
    by_sales = {r.key: r for r in stats.by_salesperson}
    by_volume = {r.key: r for r in volume.by_salesperson} if volume else {}
    new_targets = person_new_customer_targets(me.plan, me.month)
    return [score_card(settings, p, measures_for(me, p, by_sales[p.id], by_visits.get(p.id), me.month,
                                                 scores.scores.get(p.id), by_volume.get(p.id), new_targets.get(p.id)))
            for p in scored_people(settings, me.team(region)) if p.id in by_sales]


def sales_context(me: MonthEnd, region: str | None, settings: AppraisalSettings, scores: MonthScores) -> dict[str, Any]:
    stats = month_sales(me, region)
    volume = quantity_stats(me, region)
    with_money = plans_money(me.plan, region)
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
        "cards": person_cards(me, stats, region, settings, scores, volume),
        "card_notes": card_notes(settings),
        "has_yoy": stats.total.last_year is not None,
        "warnings": [str(p) for p in month_problems(me, me.month) + scores.warnings],
        "lost_after": me.plan.rules.lost_after_months,
        "region_names": me.region_names,
        "volume": volume,
        "volume_scope": volume_scope(me.ws, me.plan, region),
        "money_targets": with_money,
        "channels": channel_stats(me, region, money(me.ws).quantum) if with_money else None,
        "new_customers": new_customer_figures(me, stats, region),
    }


def ytd_from(me: MonthEnd) -> str:
    """Where the 累計 columns start: ``年初``, or the fiscal year's first month (``2026年8月``)."""
    fiscal = plan_fiscal(me.plan)
    return f"{fiscal.months[0][0]}年{fiscal.start_month}月" if fiscal.crosses_december else "年初"


def target_chart(context: dict[str, Any], unit: Unit) -> Picture:
    """Target vs actual per salesperson, in the display unit; in tons when the plan has no money target."""
    stats: SalesStats = context["stats"]
    if not context["money_targets"] and context["volume"] is not None:
        scope = context["volume_scope"]
        stats, unit = context["volume"], Unit(scope["unit"], Decimal(1), scope["places"], scope["unit"])
    rows = stats.by_salesperson
    return bar_chart("target_vs_actual", [r.label for r in rows], [
        Series("目標", tuple(float(unit.scaled(r.target or Decimal(0))) for r in rows)),
        Series("實績", tuple(float(unit.scaled(r.actual)) for r in rows)),
    ], ylabel=unit.name, height_mm=70)


@register
class SalesStatsDocument(MonthEndDocument):
    id = "sales-stats"
    title = "月銷售統計表"
    template = "sales-stats.html.j2"
    scope = "company+region"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """The company and each region whose plan covers the month, when the month has a ledger folder."""
        return month_targets(self.id, ws, period)

    def content(self, ws: Workspace, me: MonthEnd, target: Target) -> Content:
        settings = appraisal_settings(ws)
        scores = month_scores(ws, me.plan, me.month, settings)
        context = sales_context(me, target.region, settings, scores)
        return Content(context, [target_chart(context, money(ws))], scores.inputs)
