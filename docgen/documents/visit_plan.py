"""``visit-plan``: 月訪客戶計畫表, one per salesperson and month (seed 篇1 出差計畫, 篇2 客戶回訪).

The customers due this month by their tier's cadence and the A/B prospects
(:func:`~docgen.documents.planning.visit_candidates`) are placed on the month's working days
within the person's daily visit capacity by :func:`~docgen.plan.schedule.schedule_visits`
(VIP, 一級, A, B, 二級 first); what does not fit is listed, never dropped.  Due and last visit
come from the one visit history: the customer list and the ledgers of the months before
(:func:`~docgen.documents.planning.month_schedule`, which the visit statistics use too).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from docgen.data.plan import Customer, Plan
from docgen.documents import Target, fiscal_year_of, register
from docgen.documents.monthend import Content, MonthEnd, MonthEndDocument, class_label, parse_month
from docgen.documents.planning import History, load, month_schedule, region_in_month
from docgen.errors import ConfigError
from docgen.plan.schedule import Priority
from docgen.workspace import Workspace

WEEKDAYS = "一二三四五六日"

#: What a visit is for and what it should achieve, by priority
#: (篇1 第(5)步: 拜訪目的以及期望取得怎樣的效果).
PURPOSE = {
    Priority.VIP: ("例行拜訪：了解用量和庫存，處理售後問題", "鞏固合作，確認下月訂貨量"),
    Priority.FIRST: ("定期拜訪：交流產品使用情況，介紹新品", "維持供貨，爭取增加用量"),
    Priority.SECOND: ("回訪：了解需求變化", "保持聯繫，發掘增量機會"),
    Priority.A: ("重點跟進：確認打樣和報價，促成首單", "本月內下首單"),
    Priority.B: ("跟進報價和試用", "半個月內出單"),
}


@dataclass(frozen=True)
class VisitRow:
    day: date | None
    weekday: str
    customer: Customer
    label: str              # VIP / 一級 / 二級 / A類 / B類
    purpose: str
    expected: str
    reason: str
    last_visit: date | None


@dataclass(frozen=True)
class TierTotal:
    label: str
    due: int
    scheduled: int
    unscheduled: int


def visit_context(ws: Workspace, plan: Plan, person_id: str, history: History) -> dict:
    """The template context of one salesperson's visit plan for ``history.month``."""
    year, month = history.month
    person = plan.person(person_id)
    region = region_in_month(ws, plan, person.region, month)
    planned = month_schedule(ws, plan, person_id, history)
    candidates, schedule, days, capacity = planned.candidates, planned.schedule, planned.working_days, \
        planned.capacity

    def row(candidate, day: date | None) -> VisitRow:
        purpose, expected = PURPOSE[candidate.priority]
        c = planned.classed(candidate.customer_id)
        return VisitRow(day, WEEKDAYS[day.weekday()] if day else "", c.customer,
                        class_label(candidate.priority), purpose, expected, candidate.reason, c.last_visit)

    scheduled = [row(v.candidate, v.day) for v in schedule.scheduled]
    unscheduled = [row(c, None) for c in schedule.unscheduled]
    totals = []
    for priority in Priority:
        label = class_label(priority)
        due = sum(1 for _, v in candidates if v.priority == priority)
        done = sum(1 for r in scheduled if r.label == label)
        totals.append(TierTotal(label, due, done, due - done))
    manager = plan.manager_of(region.region)
    return {
        "person": person,
        "manager": manager.name if manager else "",
        "month": month,
        "working_days": len(days),
        "capacity": capacity,
        "slots": capacity * len(days),
        "visits": scheduled,
        "unscheduled": unscheduled,
        "totals": totals,
        "total_due": len(candidates),
        "total_scheduled": len(scheduled),
        "total_unscheduled": len(unscheduled),
    }


@register
class VisitPlanDocument(MonthEndDocument):
    id = "visit-plan"
    title = "月訪客戶計畫表"
    template = "visit-plan.html.j2"
    scope = "person"
    before = True

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """One per person with customers, in each region whose plan period includes the month."""
        month = parse_month(period)
        plan = load(ws, fiscal_year_of(ws, month))
        return [Target(self.id, period, r.region, p.id) for r in plan.regions if month[1] in r.period.months
                for p in r.people if plan.customers_of(p.id)]

    def refine(self, ws: Workspace, target: Target) -> Target:
        """The target with the person's region filled in (so output and regional templates follow it).

        :raises ConfigError: for an unknown person, or a ``--region`` that is not the person's.
        """
        return _with_region(ws, load(ws, fiscal_year_of(ws, parse_month(target.period))), target)

    def resolve(self, ws: Workspace, me: MonthEnd, target: Target) -> Target:
        return _with_region(ws, me.plan, target)

    def content(self, ws: Workspace, me: MonthEnd, target: Target) -> Content:
        return Content(visit_context(ws, me.plan, target.person, me.history(me.month)))


def _with_region(ws: Workspace, plan: Plan, target: Target) -> Target:
    person = next((p for p in plan.people if target.person in (p.id, p.name)), None)  # --person by id or name
    if person is None:
        known = ", ".join(f"{p.id} ({p.name})" for p in plan.people) or "none"
        raise ConfigError(f"no person {target.person!r} in the {plan.year} plan; people: {known}")
    if target.region is not None and target.region != person.region:
        raise ConfigError(f"{person.id} ({person.name}) works in {ws.region(person.region).name} "
                          f"({person.region}), not {target.region}")
    return dataclasses.replace(target, region=person.region, person=person.id)
