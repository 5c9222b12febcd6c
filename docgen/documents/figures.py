"""The plan's figures: a year's targets by region, month and salesperson.

This is the bridge between the plan data (``docgen.data.plan``) and the pure
arithmetic: every document that shows a target — annual and monthly plans,
statistics, the year-end summary — takes it from here, so they always agree.

The figure decomposed is the region's **task** (任務, the floor the team is
assessed on); the **target** (目標, the stretch) is shown beside it, and used
when a region gives only a target.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from docgen.data.plan import Person, Plan, RegionPlan
from docgen.data.tables import fold
from docgen.plan.decompose import split_by_month, split_by_people
from docgen.plan.fiscal import plan_fiscal
from docgen.plan.staff import carries_quota
from docgen.plan.units import WAN_YUAN

Month = tuple[int, int]


@dataclass(frozen=True)
class RegionTargets:
    """One region's decomposed year.

    :param basis: the decomposed amount (task, else target), in 元.
    :param months: the months of the plan period (e.g. 6–12).
    :param by_month: month → amount; sums to ``basis``.
    :param by_person: month → person id → amount; each month sums to ``by_month[month]``
        unless nobody on the team carries a quota (then it is all 0 and ``unassigned`` holds the month).
    :param unassigned: month → the part of the month nobody carries (0 when the team carries it all).
    :param warnings: what does not add up, in Chinese, without the region's name (the reader adds it).
    """

    region_id: str
    task: Decimal | None
    target: Decimal | None
    basis: Decimal
    months: tuple[int, ...]
    by_month: dict[int, Decimal]
    by_person: dict[int, dict[str, Decimal]]
    unassigned: dict[int, Decimal] = field(default_factory=dict)
    warnings: tuple[str, ...] = field(default=())


def period_months(region: RegionPlan) -> tuple[int, ...]:
    return tuple(region.period.months)


def money_basis(region: RegionPlan) -> Decimal:
    """The money a region decomposes: its task (任務, the floor), else its target (目標), else 0."""
    return region.task if region.task is not None else (region.target or Decimal(0))


def region_targets(plan: Plan, region_id: str, quantum: Decimal) -> RegionTargets:
    """Decompose a region's year: by seasonality into months, then among its people.

    A region whose team carries no quota (nobody on it, or every ``monthly_quota: 0``) keeps its
    months: they are ``unassigned``, never dropped, and a warning says so.

    :param quantum: the display precision in 元 (1 for 元, 100 for 萬元 with two places).
    """
    region = plan.region(region_id)
    basis = _to_quantum(money_basis(region), quantum)
    months = period_months(region)
    by_month = split_by_month(basis, dict(region.seasonality) or None, months, quantum)
    people = quota_people(plan, region_id)
    weights = person_weights(plan, region_id)
    carried = sum(weights.values(), Decimal(0)) > 0
    by_person = {}
    for month in months:
        if carried:
            split = split_by_people(by_month[month], dict.fromkeys(weights), weights, quantum)
            by_person[month] = dict(split.amounts)
        else:
            by_person[month] = dict.fromkeys(weights, Decimal(0))
    unassigned = {m: by_month[m] - sum(by_person[m].values(), Decimal(0)) for m in months}
    warnings = []
    quotas = [p.monthly_quota for p in people if p.monthly_quota is not None]
    if not carried and basis:
        who = "沒有業務員" if not people else "沒有人承擔銷售定額（個人月定額均為 0）"
        warnings.append(f"{who}，區域任務 {WAN_YUAN.plain(basis)} 未分配到個人，各統計表列為「未分配」")
    elif people and len(quotas) == len(people):
        stated = sum(quotas, Decimal(0)) * len(months)
        if stated != basis:
            monthly = WAN_YUAN.plain(sum(quotas, Decimal(0)))
            warnings.append(f"個人月定額合計 {monthly} × {len(months)}個月 = {WAN_YUAN.plain(stated)}, "
                            f"區域任務 {WAN_YUAN.plain(basis)}: 按定額比例分配")
    return RegionTargets(region_id, region.task, region.target, basis, months, by_month, by_person,
                         unassigned, tuple(warnings))


def quota_people(plan: Plan, region_id: str) -> list[Person]:
    """The region's people who take a share of its target: not those whose role carries none
    (``rules.no_quota_roles``: promoters, clerks) unless they have a ``monthly_quota``."""
    return [p for p in plan.people_in(region_id) if carries_quota(p, plan.rules.no_quota_roles, fold)]


def sales_team(plan: Plan) -> list[Person]:
    """Everyone who takes a share of a region's target, in plan order: the people the sales
    statistics and scorecards are about."""
    return [p for r in plan.regions for p in quota_people(plan, r.region)]


def person_weights(plan: Plan, region_id: str) -> dict[str, Decimal]:
    """Each person's share of the region's month: their monthly quota, else the average quota.

    Quotas are used as proportions, not fixed amounts, so a region's seasonal month is
    shared in the same ratio every month and the parts always sum to the month.
    ``monthly_quota: 0`` means zero: that person carries nothing, and does not pull the
    average the others without a quota get (the average of the positive quotas; equal
    shares when no one has a positive quota).  People of a role without quota have no share at all.
    """
    people = quota_people(plan, region_id)
    positive = [p.monthly_quota for p in people if p.monthly_quota]
    fallback = sum(positive, Decimal(0)) / len(positive) if positive else Decimal(1)
    return {p.id: (p.monthly_quota if p.monthly_quota is not None else fallback) for p in people}


def all_targets(plan: Plan, quantum: Decimal) -> dict[str, RegionTargets]:
    """Every region's decomposition, in the plan's region order."""
    return {r.region: region_targets(plan, r.region, quantum) for r in plan.regions}


def person_month_targets(plan: Plan, quantum: Decimal) -> dict[str, dict[Month, Decimal]]:
    """person id → (year, month) → target: the shape the statistics take."""
    out: dict[str, dict[Month, Decimal]] = {}
    fiscal = plan_fiscal(plan)
    for targets in all_targets(plan, quantum).values():
        for month, people in targets.by_person.items():
            for person_id, amount in people.items():
                out.setdefault(person_id, {})[fiscal.month(month)] = amount
    return out


def region_month_targets(plan: Plan, quantum: Decimal) -> dict[str, dict[Month, Decimal]]:
    """region id → (year, month) → the region's month: what the statistics total (people's parts
    plus anything unassigned)."""
    fiscal = plan_fiscal(plan)
    return {region_id: {fiscal.month(m): amount for m, amount in t.by_month.items()}
            for region_id, t in all_targets(plan, quantum).items()}


def company_by_month(plan: Plan, quantum: Decimal) -> dict[int, Decimal]:
    """month → the sum of the regions' monthly amounts (months outside every period are 0), in fiscal order."""
    totals = dict.fromkeys(plan_fiscal(plan).numbers, Decimal(0))
    for targets in all_targets(plan, quantum).values():
        for month, amount in targets.by_month.items():
            totals[month] += amount
    return totals


def _to_quantum(amount: Decimal, quantum: Decimal) -> Decimal:
    """Round a stated amount to the display precision so its parts can sum to it exactly."""
    return (amount / quantum).to_integral_value() * quantum
