"""What the three planning documents share: the plan, the calendar, and how customers are classed.

The annual plan, the monthly plan and the visit plan all read one year's plan and class its
customers the same way (tier → cadence → due; prospects → quadrant), so they always agree.
A month's classing also needs what the ledgers of the earlier months tell (:class:`History`:
the visits made, the prospects that bought); :func:`month_schedule` is the one place a
salesperson's month of visits is scheduled, for the visit plan and the visit statistics alike.
Everything here is a thin adapter from the plan's models and ``rules`` to :mod:`docgen.plan`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docgen.data.plan import Activity, Customer, Plan, RegionPlan, load_plan
from docgen.errors import ConfigError, Problem, data_error
from docgen.plan.calendar import WorkCalendar
from docgen.plan.customers import (
    LoggedVisit,
    Month,
    Purchase,
    Quadrant,
    Tier,
    first_purchases,
    is_due,
    last_visits,
    quadrant,
    status_in,
    tier_counts,
    tier_of,
)
from docgen.plan.fiscal import plan_fiscal
from docgen.plan.schedule import VisitCandidate, VisitSchedule, schedule_visits
from docgen.plan.units import Unit, money_unit
from docgen.render.filters import cdate
from docgen.workspace import CONFIG_NAME, Workspace

#: Visits a day when neither the person nor the region states any (篇6: 10 a week).
DEFAULT_VISITS_PER_DAY = 2


def load(ws: Workspace, year: int) -> Plan:
    """The year's plan, or a located error listing every problem."""
    plan, problems = load_plan(ws, year)
    if plan is None:
        raise data_error(problems, f"{ws.config.paths.plans}/{year}")
    return plan


def plan_inputs(ws: Workspace, year: int) -> list[Path]:
    """Every file a planning document is built from: ``docgen.yaml`` and the year's plan files."""
    folder = ws.path("plans") / str(year)
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx")]
    return [ws.root / CONFIG_NAME, *sorted(files)]


def work_calendar(ws: Workspace) -> WorkCalendar:
    cal = ws.config.calendar
    return WorkCalendar(frozenset(cal.holidays), frozenset(cal.workdays), frozenset(cal.complete_years))


def money(ws: Workspace) -> Unit:
    """The workspace's money unit (``unit:`` of docgen.yaml): its precision, divisor and words."""
    return money_unit(ws.config.unit)


def region_plan(ws: Workspace, plan: Plan, region_id: str) -> RegionPlan:
    """The region's plan for the year; a clear error when the year has none."""
    try:
        return plan.region(region_id)
    except KeyError:
        name = ws.region(region_id).name
        raise ConfigError(f"{name} ({region_id}) has no plan in {plan.year}: "
                          f"add {ws.config.paths.plans}/{plan.year}/regions/{region_id}.yaml") from None


def region_in_month(ws: Workspace, plan: Plan, region_id: str, month: int) -> RegionPlan:
    """The region's plan, checked to cover ``month``; a clear error otherwise."""
    region = region_plan(ws, plan, region_id)
    name = ws.region(region_id).name
    months = region.period.months
    if month not in months:
        raise ConfigError(f"{name}的計畫期間為{months[0]}–{months[-1]}月, 不含{month}月" if months
                          else f"{name}沒有計畫月份")
    return region


@dataclass(frozen=True)
class History:
    """What the ledgers before ``month`` tell about the customers (SPEC §4.4).

    :param month: ``(year, month)`` the history leads up to.
    :param last_visit: customer id → latest known visit before the month (list date or log).
    :param first_purchase: customer id → month of its first purchase before the month.
    """

    month: Month
    last_visit: dict[str, date] = field(default_factory=dict)
    first_purchase: dict[str, Month] = field(default_factory=dict)

    def status(self, customer: Customer) -> str:
        """The customer's status in the month: a prospect that bought earlier is active."""
        return status_in(customer.status, self.first_purchase.get(customer.id), self.month)


def history_of(plan: Plan, month: Month, sales: Iterable[Purchase] = (),
               visits: Iterable[LoggedVisit] = ()) -> History:
    """The one visit history and the prospects converted before ``month``, from the plan's customer
    list and the ledger lines given (lines of ``month`` and later are ignored)."""
    return History(month, last_visits({c.id: c.last_visit for c in plan.customers}, visits, month),
                   first_purchases(sales, month))


@dataclass(frozen=True)
class Classed:
    """A customer with its tier, cadence, due flag and (prospects) quadrant for one month."""

    customer: Customer
    tier: str
    explicit: bool              # the tier was set by hand rather than computed
    cadence: int | None         # months between visits
    due: bool
    quadrant: str | None        # A–D for prospects with demand and days to close
    status: str = "active"      # prospect / active / lost in this month (a prospect that bought is active)
    last_visit: date | None = None


def classify(plan: Plan, customer: Customer, year: int, month: int, history: History | None = None) -> Classed:
    """Class one customer by ``plan.rules`` for ``year``-``month``, on the visits and purchases of
    ``history`` (without one: the customer list alone, as at the start of the plan)."""
    rules = plan.rules
    cadence = rules.cadence
    tier = tier_of(customer.last_year_sales, customer.tier, rules.tiers)
    if history is None:
        status, last = customer.status, last_visits({customer.id: customer.last_visit}, (), (year, month)).get(
            customer.id)
    else:
        status, last = history.status(customer), history.last_visit.get(customer.id)
    quad = None
    if status == "prospect" and customer.monthly_demand is not None \
            and customer.days_to_close is not None:
        quad = quadrant(customer.monthly_demand, customer.days_to_close,
                        rules.quadrant.large_demand, rules.quadrant.fast_days).value
    due = status == "active" and is_due(tier, last, year, month, cadence)
    return Classed(customer, tier.value, customer.tier is not None, cadence.months(tier), due, quad, status, last)


def list_date_warnings(plan: Plan) -> list[Problem]:
    """A warning for each customer-list 上次拜訪 on or after the first day of its region's plan:
    it is not a visit before the months planned, so the plans ignore it up to that month."""
    out = []
    for customer in plan.customers:
        start = _plan_start(plan, customer.region)
        if customer.last_visit is not None and start is not None and customer.last_visit >= start:
            out.append(customer.problem(
                f"{customer.last_visit} is not before the plan's first month {start:%Y-%m}: plans up to "
                f"{customer.last_visit:%Y-%m} ignore it; give the last visit before the plan year and log "
                f"later visits in the month's visits.csv", "last_visit", severity="warning"))
    return out


def _plan_start(plan: Plan, region_id: str) -> date | None:
    region = next((r for r in plan.regions if r.region == region_id), None)
    if region is None or not region.period.months:
        return None
    return date(*plan_fiscal(plan).month(region.period.months[0]), 1)


def opening_tiers(plan: Plan, customers: Iterable[Customer]) -> dict[str, int]:
    """Tier counts of the customer list's active customers (explicit tier, else last year's sales):
    the one count the annual plan and the year summary both show."""
    return tier_counts(tier_of(c.last_year_sales, c.tier, plan.rules.tiers) for c in customers
                       if c.status == "active")


def cadence_text(months: int | None) -> str:
    if months is None:
        return "不定期"
    return "每月一次" if months == 1 else f"每{'兩' if months == 2 else months}個月一次"


def visits_per_day(activity: Activity | None) -> int:
    """How many visits a day a person can make: stated per day, else a fifth of the week's, else the default."""
    if activity is not None:
        if activity.visits_per_day is not None or activity.new_visits_per_day is not None:
            return (activity.visits_per_day or 0) + (activity.new_visits_per_day or 0)
        if activity.visits_per_week is not None:
            return math.ceil(activity.visits_per_week / 5)
    return DEFAULT_VISITS_PER_DAY


TIER_ORDER = [t.value for t in Tier]
QUADRANTS = [q.value for q in Quadrant]


def visit_candidates(plan: Plan, person_id: str, year: int, month: int,
                     history: History | None = None) -> list[tuple[Classed, VisitCandidate]]:
    """The person's customers to visit in the month: active customers due by cadence, then A/B prospects.

    In list order of the customer file; :func:`~docgen.plan.schedule.schedule_visits` orders by priority.
    """
    out = []
    for customer in plan.customers_of(person_id):
        c = classify(plan, customer, year, month, history)
        if c.due and c.tier != Tier.OTHER.value:
            last = f"上次 {cdate(c.last_visit)}" if c.last_visit else "從未拜訪"
            out.append((c, VisitCandidate(customer.id, customer.name, c.tier,
                                          f"{cadence_text(c.cadence)}，{last}")))
        elif c.quadrant in ("A", "B"):
            out.append((c, VisitCandidate(customer.id, customer.name, c.quadrant, f"{c.quadrant}類準客戶")))
    return out


@dataclass(frozen=True)
class PersonSchedule:
    """One salesperson's month of visits as issued on the visit plan.

    :param candidates: who is to be visited, with how each was classed.
    :param schedule: the candidates placed on working days, and those that did not fit.
    :param working_days: the month's working days.
    :param capacity: visits a day.
    """

    candidates: list[tuple[Classed, VisitCandidate]]
    schedule: VisitSchedule
    working_days: list[date]
    capacity: int

    def classed(self, customer_id: str) -> Classed:
        return next(c for c, v in self.candidates if v.customer_id == customer_id)


def month_schedule(ws: Workspace, plan: Plan, person_id: str, history: History) -> PersonSchedule:
    """The person's visit plan for ``history.month``: the same inputs always give the same schedule,
    whichever document asks (the visit plan issues it, the visit statistics report it as planned)."""
    year, month = history.month
    days = work_calendar(ws).working_days(year, month)
    capacity = visits_per_day(plan.activity(person_id))
    candidates = visit_candidates(plan, person_id, year, month, history)
    return PersonSchedule(candidates, schedule_visits([v for _, v in candidates], days, capacity),
                          list(days), capacity)
