"""``monthly-plan``: 月銷售計畫表, one per region and month (seed 篇2 計畫擬定, 篇3, 篇6, 篇10).

Per salesperson: the month's target (from :func:`~docgen.documents.figures.region_targets`), its split
over the month's weeks by working days (:func:`~docgen.plan.decompose.split_by_week`), the daily
activity quotas and what they come to over the month's working days, the customers due and the
A/B prospects to close (:func:`~docgen.documents.planning.visit_candidates`, on the one visit
history of the months before, as the visit plans); region totals.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docgen.data.plan import Activity, Person, Plan
from docgen.data.tables import fold
from docgen.documents import Target, fiscal_year_of, register
from docgen.documents.figures import quota_people, region_targets
from docgen.documents.monthend import Content, MonthEnd, MonthEndDocument, parse_month
from docgen.documents.planning import (
    History,
    load,
    money,
    region_in_month,
    visit_candidates,
    visits_per_day,
    work_calendar,
)
from docgen.documents.volume import monthly_new_customers, monthly_volume, plans_money
from docgen.plan.decompose import WeekShare, split_by_week
from docgen.plan.schedule import Priority
from docgen.plan.staff import OwnTarget, own_targets
from docgen.plan.targets import share
from docgen.workspace import Workspace

_PRIORITY = {p.value: i for i, p in enumerate(Priority)}


@dataclass(frozen=True)
class PersonMonth:
    """One salesperson's month."""

    person: Person
    target: Decimal
    weeks: tuple[WeekShare, ...]
    daily: Decimal                  # the target per working day (shown rounded)
    activity: Activity | None
    visits_per_day: int
    calls: int | None               # calls per day × working days
    visits: int                     # visits per day × working days
    new_visits: int | None          # new-customer visits per day × working days
    new_customers: int              # A/B prospects expected to close: the new-customer target


@dataclass(frozen=True)
class StaffMonth:
    """Someone without a sales target (a promoter, a clerk) and their own targets of the month."""

    person: Person
    targets: tuple[OwnTarget, ...]


@dataclass(frozen=True)
class KeyCustomer:
    person: str
    customer_id: str
    name: str
    label: str      # VIP / 一級 / 二級 / A類 / B類
    detail: str


def monthly_context(ws: Workspace, plan: Plan, region_id: str, history: History) -> dict[str, Any]:
    """The template context of one region's monthly plan for ``history.month``."""
    year, month = history.month
    region = region_in_month(ws, plan, region_id, month)
    unit = money(ws)
    q = unit.quantum
    calendar = work_calendar(ws)
    targets = region_targets(plan, region_id, q)
    days = calendar.working_days(year, month)
    region_weeks = split_by_week(targets.by_month[month], year, month, calendar, q)
    people, key = [], []
    for p in quota_people(plan, region_id):
        amount = targets.by_person[month][p.id]
        activity = plan.activity(p.id)
        per_day = visits_per_day(activity)
        candidates = visit_candidates(plan, p.id, year, month, history)
        candidates.sort(key=lambda cv: _PRIORITY[cv[1].priority])
        new = sum(1 for c, _ in candidates if c.quadrant in ("A", "B"))
        people.append(PersonMonth(
            p, amount, tuple(split_by_week(amount, year, month, calendar, q)),
            amount / len(days) if days else Decimal(0), activity, per_day,
            activity.calls_per_day * len(days) if activity and activity.calls_per_day is not None else None,
            per_day * len(days),
            activity.new_visits_per_day * len(days) if activity and activity.new_visits_per_day is not None
            else None,
            new))
        for c, v in candidates:
            cust = c.customer
            if c.quadrant and cust.monthly_demand is not None:  # a quadrant is only given with a demand
                detail = f"月需求 {unit.text(cust.monthly_demand)}，預計{cust.days_to_close}天成交"
                label = f"{c.quadrant}類"
            else:
                detail = v.reason
                label = c.tier
            key.append(KeyCustomer(p.name, c.customer.id, c.customer.name, label, detail))
    # a month nobody on the team carries stays in the region's total, as its own row
    left = targets.unassigned.get(month, Decimal(0))
    unassigned = tuple(split_by_week(left, year, month, calendar, q)) if left else ()
    months_so_far = targets.months[:targets.months.index(month) + 1]  # fiscal order: 8月 … 12月, 1月 …
    cumulative = sum((targets.by_month[m] for m in months_so_far), Decimal(0))
    return {
        "region_plan": region,
        "month": month,
        "year": year,
        "month_target": targets.by_month[month],
        "basis": targets.basis,
        "cumulative": cumulative,
        "cumulative_share": share(cumulative, targets.basis),
        "month_share": share(targets.by_month[month], targets.basis),
        "working_days": len(days),
        "seasons": "、".join(n for n, ms in region.seasons.items() if month in ms),
        "weeks": region_weeks,
        "week_totals": [sum((pm.weeks[i].amount for pm in people), Decimal(0))
                        + (unassigned[i].amount if unassigned else 0) for i in range(len(region_weeks))],
        "people": people,
        "unassigned": unassigned,
        "unassigned_total": left,
        "key_customers": key,
        "staff": staff_targets(plan, region_id),
        "totals": {
            "target": sum((pm.target for pm in people), Decimal(0)) + left,
            "calls": sum(pm.calls or 0 for pm in people),
            "visits": sum(pm.visits for pm in people),
            "new_visits": sum(pm.new_visits or 0 for pm in people),
            "new_customers": sum(pm.new_customers for pm in people),
        },
        "warnings": list(targets.warnings),
        "fast_days": plan.rules.quadrant.fast_days,
        "volume": monthly_volume(ws, plan, region_id, year, month),
        "money_targets": plans_money(plan, region_id),
        "new_customer_target": monthly_new_customers(plan, region_id, month),
    }


def staff_targets(plan: Plan, region_id: str) -> list[StaffMonth]:
    """The region's people without a sales target, each with their own targets (the region's
    ``role_targets`` for the role, the person's ``targets`` replacing an item of the same name)."""
    region = plan.region(region_id)
    carriers = {p.id for p in quota_people(plan, region_id)}
    return [StaffMonth(p, tuple(own_targets(p.role, p.targets, region.role_targets, fold)))
            for p in region.people if p.id not in carriers]


@register
class MonthlyPlanDocument(MonthEndDocument):
    id = "monthly-plan"
    title = "月銷售計畫表"
    template = "monthly-plan.html.j2"
    scope = "region"
    before = True

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """One per region whose plan period includes the month."""
        month = parse_month(period)
        plan = load(ws, fiscal_year_of(ws, month))
        return [Target(self.id, period, r.region) for r in plan.regions if month[1] in r.period.months]

    def content(self, ws: Workspace, me: MonthEnd, target: Target) -> Content:
        return Content(monthly_context(ws, me.plan, ws.require_region(target.required_region()).id,
                                       me.history(me.month)))
