"""``visit-stats``: 月訪客戶統計表 (seed 篇2 四、4; SPEC §2), one per region and month.

"Planned" is exactly what the month's visit plans (``visit-plan``) schedule, computed by the same
function from the same inputs (:func:`~docgen.documents.monthend.visit_figures`); table 3 lists
those visits with the plan's dates and last-visit dates.  Figures from
:func:`docgen.plan.stats.visit_stats`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.data.plan import Person
from docgen.documents import Target, register
from docgen.documents.monthend import (
    NUMERALS,
    Content,
    MonthEnd,
    MonthEndDocument,
    class_label,
    month_problems,
    month_schedules,
    month_targets,
    visit_figures,
)
from docgen.plan.stats import VisitStats
from docgen.render.charts import Series, bar_chart
from docgen.workspace import Workspace


@dataclass(frozen=True)
class PlannedVisit:
    """A visit of the month's visit plan, and whether it was made."""

    person: str
    customer_id: str
    customer: str
    label: str
    day: date
    last_visit: date | None
    visited: bool


def visitors(me: MonthEnd, region: str) -> list[Person]:
    """Whose visits the statistics count: the sales team, and anyone else who owns customers
    (a promoter standing in a store is not expected to visit any)."""
    team = {p.id for p in me.team(region)}
    owners = {c.owner for c in me.customers}
    return [p for p in me.people(region) if p.id in team or p.id in owners]


def month_visits(me: MonthEnd, region: str) -> VisitStats:
    return visit_figures(me, me.month, visitors(me, region))


def planned_list(me: MonthEnd, region: str) -> list[PlannedVisit]:
    """Every visit the region's visit plans scheduled for the month, by person, then date."""
    visited = {(v.salesperson, v.customer) for v in me.visits
               if v.kind == "visit" and (v.date.year, v.date.month) == me.month}
    out = []
    for pid, s in month_schedules(me, me.month, visitors(me, region)).items():
        name = me.plan.person(pid).name
        for v in s.schedule.scheduled:
            c = s.classed(v.candidate.customer_id)
            out.append(PlannedVisit(name, c.customer.id, c.customer.name, class_label(v.candidate.priority),
                                    v.day, c.last_visit, (pid, c.customer.id) in visited))
    return out


def visit_context(me: MonthEnd, region: str) -> dict:
    stats = month_visits(me, region)
    names = {p.id: p.name for p in me.plan.people}
    return {
        "stats": stats,
        "planned": planned_list(me, region),
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
class VisitStatsDocument(MonthEndDocument):
    id = "visit-stats"
    title = "月訪客戶統計表"
    template = "visit-stats.html.j2"
    scope = "region"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """Each region whose plan covers the month, when the month has a ledger folder."""
        return month_targets(self.id, ws, period, company=False)

    def content(self, ws: Workspace, me: MonthEnd, target: Target) -> Content:
        context = visit_context(me, target.region)
        return Content(context, [visit_chart(context["stats"])])
