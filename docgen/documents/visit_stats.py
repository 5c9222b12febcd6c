"""``visit-stats``: 月訪客戶統計表 (seed 篇2 四、4; SPEC §2), one per region and month.

"Planned" is the customers due by cadence (see :mod:`docgen.documents.monthend`): the
visit plan (``visit-plan``) starts from the same rule, so the two agree unless the plan
was edited by hand.  Figures from :func:`docgen.plan.stats.visit_stats`.
"""
from __future__ import annotations

from docgen.documents import DocumentType, Prepared, Target, register
from docgen.documents.monthend import (MonthEnd, last_visits_before, load_month_end, month_end_day,
                                       month_label, month_problems, planned_visits)
from docgen.documents.sales_stats import NUMERALS, month_targets, parse_month
from docgen.plan.stats import VisitStats, visit_stats
from docgen.render.charts import Series, bar_chart
from docgen.workspace import Workspace


def month_visits(me: MonthEnd, region: str) -> VisitStats:
    people = me.people(region)
    return visit_stats(me.month, me.visits, planned_visits(me, me.month, people), people, me.customers,
                       me.cadence, last_visits_before(me, me.month))


def visit_context(me: MonthEnd, region: str) -> dict:
    stats = month_visits(me, region)
    names = {p.id: p.name for p in me.plan.people}
    return {
        "stats": stats,
        "person_names": names,
        "cadence": {tier: months for tier, months in me.cadence.items() if months},
        "no_visits": not stats.total.visits and not stats.total.calls,
        "warnings": [str(p) for p in month_problems(me, me.month)],
        "numerals": NUMERALS,
    }


def visit_chart(stats: VisitStats):
    rows = stats.by_salesperson
    return bar_chart("visits", [r.label for r in rows], [
        Series("計畫拜訪", tuple(float(r.planned) for r in rows)),
        Series("已完成", tuple(float(r.done) for r in rows)),
        Series("實際拜訪次數", tuple(float(r.visits) for r in rows)),
    ], ylabel="家 / 次", height_mm=65)


@register
class VisitStatsDocument(DocumentType):
    id = "visit-stats"
    title = "月訪客戶統計表"
    template = "visit-stats.html.j2"
    scope = "region"
    period_kind = "month"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """Each region whose plan covers the month, when the month has a ledger folder."""
        return month_targets(self.id, ws, period, company=False)

    def prepare(self, ws: Workspace, target: Target) -> Prepared:
        month = parse_month(target.period)
        me = load_month_end(ws, month)
        region = ws.region(target.region)
        context = visit_context(me, target.region)
        return Prepared(
            title=self.title, context=context, pictures=[visit_chart(context["stats"])], inputs=me.inputs,
            created=month_end_day(month), region_name=region.name if region else None,
            period_label=month_label(month),
        )
