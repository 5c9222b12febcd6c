"""The quantity, channel and new-customer parts of the planning and statistics documents.

Each function returns the part of a template context the document adds when the plan has such
targets, and ``None`` when it has none, so a money-only plan's documents are unchanged.  Figures
come from :mod:`docgen.documents.volume_figures` (targets) and :func:`docgen.plan.stats.sales_stats` run on the
ledger's quantities (actuals), the same function the money figures come from.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docgen.data.plan import Plan, RegionPlan
from docgen.documents.figures import money_basis, quota_people
from docgen.documents.monthend import MonthEnd
from docgen.documents.planning import work_calendar
from docgen.documents.volume_figures import (
    CountTargets,
    RegionVolume,
    all_volumes,
    channel_month_quantities,
    channel_month_targets,
    new_customer_targets,
    person_month_quantities,
    quantity_unit,
    quantum,
    region_month_quantities,
)
from docgen.plan.decompose import WeekShare, shares, split_by_week
from docgen.plan.fiscal import month_labels, plan_fiscal
from docgen.plan.quantities import ledger_quantities
from docgen.plan.stats import SalesStats, ratio, sales_stats
from docgen.workspace import Workspace

Month = tuple[int, int]


@dataclass(frozen=True)
class VolumeRow:
    """A region's volume as stated and as decomposed (the stated year, else monthly × months)."""

    label: str
    months: str
    stated: Decimal | None
    monthly: Decimal | None
    basis: Decimal


@dataclass(frozen=True)
class VolumeMonth:
    month: int
    label: str          # 8月 … 12月, 2027年1月 …: as the money table labels its months
    value: Decimal
    share: Decimal | None
    cumulative: Decimal
    by_column: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class ChannelVolume:
    region: str
    channel: str
    quantity: Decimal
    share: Decimal | None


def _places(plan: Plan) -> int:
    return plan.company.quantity_decimals


def _names(ws: Workspace) -> dict[str, str]:
    return {r.id: r.name for r in ws.config.regions}


def annual_volume(ws: Workspace, plan: Plan, region_id: str | None,
                  period_text: Callable[[RegionPlan], str]) -> dict[str, Any] | None:
    """The annual plan's 數量目標: the regions' volumes, by month (and person or region), by channel.

    :param period_text: how the money table names a region's period (6–12月), so both tables say it alike.
    """
    volumes = all_volumes(plan)
    names = _names(ws)
    scoped = [v for rid, v in volumes.items() if region_id is None or rid == region_id]
    if not scoped:
        return None
    rows = []
    for v in scoped:
        region = plan.region(v.region_id)
        rows.append(VolumeRow(names.get(v.region_id, v.region_id), period_text(region),
                              v.stated, None if region.monthly_quantity is None else region.monthly_quantity.value,
                              v.split.basis))
    months, heads, columns = _volume_columns(plan, scoped, names, region_id)
    amounts = {m: sum((c.get(m, Decimal(0)) for c in columns), Decimal(0)) for m in months}
    parts = shares([amounts[m] for m in months])
    month_rows, running = [], Decimal(0)
    for i, (m, label) in enumerate(zip(months, month_labels(plan_fiscal(plan), months), strict=True)):
        running += amounts[m]
        month_rows.append(VolumeMonth(m, label, amounts[m], None if parts is None else parts[i], running,
                                      tuple(c.get(m) for c in columns)))
    channels = []
    for v in scoped:
        region = plan.region(v.region_id)
        for q in region.channels:
            if q.quantity is not None:
                channels.append(ChannelVolume(names.get(v.region_id, v.region_id), _channel(plan, q.channel),
                                              q.quantity.value, _ratio(q.quantity.value, v.split.basis)))
    return {
        "unit": quantity_unit(plan), "places": _places(plan), "rows": rows,
        "total": sum((r.basis for r in rows), Decimal(0)),
        "company_stated": plan.company.quantity.value if region_id is None and plan.company.quantity else None,
        "months": month_rows, "heads": heads, "column_totals": [sum(c.values(), Decimal(0)) for c in columns],
        "channels": channels,
    }


def _volume_columns(plan: Plan, scoped: list[RegionVolume], names: dict[str, str],
                    region_id: str | None) -> tuple[list[int], list[str], list[dict[int, Decimal]]]:
    """Months and the table's columns: the people (and 未分配) of a region, or the regions of the company."""
    if region_id is not None:
        split = scoped[0].split
        people = quota_people(plan, region_id)  # as the money table: promoters and clerks carry no volume
        columns = [{m: split.by_person[m][p.id] for m in split.months} for p in people]
        heads = [p.name for p in people]
        if any(split.unassigned.values()):
            columns.append(dict(split.unassigned))
            heads.append("未分配")
        return list(split.months), heads, columns
    # the company's months in the order of the plan year, which need not start in January
    first = plan.fiscal_year[0].month
    months = sorted({m for v in scoped for m in v.split.months}, key=lambda m: (m - first) % 12)
    return months, [names.get(v.region_id, v.region_id) for v in scoped], [dict(v.split.by_month) for v in scoped]


def _channel(plan: Plan, channel_id: str) -> str:
    try:
        return plan.channel(channel_id).name
    except KeyError:
        return channel_id


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class PersonVolume:
    name: str
    target: Decimal
    weeks: tuple[WeekShare, ...]


def monthly_volume(ws: Workspace, plan: Plan, region_id: str, year: int, month: int) -> dict[str, Any] | None:
    """The monthly plan's 數量目標: each person's volume of the month and its weeks by working days."""
    volume = all_volumes(plan).get(region_id)
    if volume is None:
        return None
    split, q, calendar = volume.split, quantum(plan), work_calendar(ws)
    people = [PersonVolume(p.name, split.by_person[month][p.id],
                           tuple(split_by_week(split.by_person[month][p.id], year, month, calendar, q)))
              for p in quota_people(plan, region_id)]
    left = split.unassigned.get(month, Decimal(0))
    unassigned = tuple(split_by_week(left, year, month, calendar, q)) if left else ()
    weeks = split_by_week(split.by_month[month], year, month, calendar, q)
    # the months of the period up to this one, in the plan year's order (August … July from August)
    cumulative = sum((split.by_month[m] for m in split.months[:split.months.index(month) + 1]), Decimal(0))
    return {
        "unit": volume.unit, "places": _places(plan), "month_target": split.by_month[month],
        "basis": split.basis, "cumulative": cumulative, "weeks": weeks, "people": people,
        "unassigned": unassigned, "unassigned_total": left,
        "week_totals": [w.amount for w in weeks],
    }


def monthly_new_customers(plan: Plan, region_id: str, month: int) -> dict[str, Any] | None:
    """The month's new-customer target of the region and of each person (``None``: the region states none)."""
    targets = new_customer_targets(plan, region_id)
    if targets is None or month not in targets.by_month:
        return None
    return {"region": targets.by_month[month], "by_person": targets.by_person[month],
            "monthly": targets.monthly, "yearly": targets.yearly}


def quantity_stats(me: MonthEnd, region: str | None, month: Month | None = None) -> SalesStats | None:
    """The month's volume statistics of the regions that plan a volume (the company: all of them;
    ``None`` when the scope plans none): target, actual, completion, YTD, MoM, YoY, as money."""
    plan = me.plan
    planned = [rid for rid in all_volumes(plan) if region is None or rid == region]
    if not planned:
        return None
    people = [p for p in me.people() if p.region in planned]
    ids = {p.id for p in people}
    factor = plan.company.ledger_quantity.in_plan_unit if plan.company.ledger_quantity else Decimal(1)
    lines = ledger_quantities((ln for ln in me.sales if ln.salesperson in ids), factor)
    region_targets = {rid: t for rid, t in region_month_quantities(plan).items() if rid in planned}
    at = month or me.month
    return sales_stats(at, lines, person_month_quantities(plan), people, me.customers_in(at), region=region,
                       region_names=me.region_names, region_targets=region_targets,
                       channel_targets=channel_month_quantities(plan, region),
                       lost_after_months=plan.rules.lost_after_months,
                       fiscal_start=me.ws.config.fiscal_year_start)


def plans_money(plan: Plan, region: str | None) -> bool:
    """Whether the scope's regions plan money (a :func:`money_basis` above 0), or plan no volume either:
    the one rule by which the plans and the statistics show or leave out their money-target tables.

    A plan in tons only (篇4) has no money target: its statistics show the money sold (the ledger has the
    amounts, and a rice mill's director still reads revenue) but no money target, completion or ranking by it."""
    regions = [r for r in plan.regions if region is None or r.region == region]
    planned = all_volumes(plan)
    return any(money_basis(r) for r in regions) or not any(r.region in planned for r in regions)


def volume_scope(ws: Workspace, plan: Plan, region: str | None) -> dict[str, Any] | None:
    """What the statistics say about the quantity tables: the unit, places and the regions they cover."""
    planned = [rid for rid in all_volumes(plan) if region is None or rid == region]
    if not planned:
        return None
    names = _names(ws)
    every = len(planned) == len(plan.regions)
    channels = any(q.quantity is not None for rid in planned for q in plan.region(rid).channels)
    return {"unit": quantity_unit(plan), "places": _places(plan), "channels": channels,
            "regions": "、".join(names.get(r, r) for r in planned), "partial": region is None and not every}


def channel_stats(me: MonthEnd, region: str | None, money_quantum: Decimal,
                  month: Month | None = None) -> dict[str, Any] | None:
    """The month's money statistics of the regions that set channel quotas, with each channel's
    monthly target (:func:`~docgen.documents.volume_figures.channel_month_targets`): channel completion.  Only
    those regions' lines count, so a channel's actual is measured against the target it was given."""
    plan = me.plan
    planned = [r.region for r in plan.regions if r.channels and (region is None or r.region == region)]
    if not planned:
        return None
    people = [p for p in me.people() if p.region in planned]
    ids = {p.id for p in people}
    at = month or me.month
    stats = sales_stats(at, [ln for ln in me.sales if ln.salesperson in ids], me.targets, people,
                        me.customers_in(at), region=region, region_names=me.region_names,
                        region_targets={rid: t for rid, t in me.region_targets.items() if rid in planned},
                        channel_targets=channel_month_targets(plan, money_quantum, region),
                        lost_after_months=plan.rules.lost_after_months,
                       fiscal_start=me.ws.config.fiscal_year_start)
    names = _names(me.ws)
    return {"stats": stats, "regions": "、".join(names.get(r, r) for r in planned),
            "partial": region is None and len(planned) < len(plan.regions)}


@dataclass(frozen=True)
class CountRow:
    """A count target against what was done (new customers of a salesperson, a region, the total)."""

    label: str
    target: Decimal | None
    actual: int
    completion: Decimal | None


def new_customer_figures(me: MonthEnd, stats: SalesStats, region: str | None,
                         month: Month | None = None) -> dict[str, Any] | None:
    """New customers of the month against the regions' ``new_customers`` targets, by salesperson and in total
    (``None`` when no region in scope states one)."""
    at = month or me.month
    targets: dict[str, CountTargets] = {}
    for plan_region in me.plan.regions:
        if region is None or plan_region.region == region:
            found = new_customer_targets(me.plan, plan_region.region)
            if found is not None and at[1] in found.by_month:
                targets[plan_region.region] = found
    if not targets:
        return None
    rows = []
    for r in stats.by_salesperson:
        shares = targets[r.region].by_person[at[1]] if r.region in targets else {}
        if r.key in shares:
            rows.append(CountRow(r.label, shares[r.key], r.new_customers,
                                 ratio(Decimal(r.new_customers), shares[r.key])))
    goal = sum((t.by_month[at[1]] for t in targets.values()), Decimal(0))
    done = sum(r.new_customers for r in stats.by_salesperson if r.region in targets)
    return {"rows": rows, "total": CountRow("合計", goal, done, ratio(Decimal(done), goal))}


@dataclass(frozen=True)
class YearRow:
    """A region's (or the total's) year: the year's figure, the part due by now and what was done."""

    label: str
    year: Decimal
    to_date_target: Decimal | None
    actual: Decimal
    to_date_completion: Decimal | None
    year_completion: Decimal | None


def year_volume(me: MonthEnd, region: str | None, last: Month) -> dict[str, Any] | None:
    """The year summary's 數量 rows: each region's volume for the year against the ledger's quantities to date."""
    stats = quantity_stats(me, region, last)
    if stats is None:
        return None
    volumes = all_volumes(me.plan)
    by_region = {r.key: r for r in stats.by_region}
    rows = [YearRow(r.label, volumes[r.key].split.basis, r.ytd_target, r.ytd_actual, r.ytd_completion,
                    ratio(r.ytd_actual, volumes[r.key].split.basis))
            for key, r in by_region.items() if key in volumes]
    if region is None:
        year = sum((volumes[k].split.basis for k in by_region if k in volumes), Decimal(0))
        t = stats.total
        rows.append(YearRow("合計", year, t.ytd_target, t.ytd_actual, t.ytd_completion, ratio(t.ytd_actual, year)))
    return {"rows": rows, "channels": stats.by_channel, "total": stats.total}


def year_new_customers(me: MonthEnd, region: str | None, monthly: Mapping[int, SalesStats]) -> list[YearRow] | None:
    """The year summary's new customers: each region's yearly target (``new_customers.yearly``, else the
    months' sum), the months' targets to date, and the customers that first bought in those months."""
    rows = []
    for r in me.plan.regions:
        targets = new_customer_targets(me.plan, r.region) if region is None or r.region == region else None
        if targets is None:
            continue
        covered = [m for m in monthly if m in targets.by_month]
        due = sum((targets.by_month[m] for m in covered), Decimal(0))
        done = Decimal(sum(row.new_customers for m in covered for row in monthly[m].by_region if row.key == r.region))
        rows.append(YearRow(me.region_names.get(r.region, r.region), targets.year_total, due, done,
                            ratio(done, due), ratio(done, targets.year_total)))
    return rows or None


def person_new_customer_targets(plan: Plan, month: Month) -> dict[str, Decimal]:
    """person id → the month's new-customer target, for the people of regions that state one."""
    out: dict[str, Decimal] = {}
    for r in plan.regions:
        targets = new_customer_targets(plan, r.region)
        if targets is not None and month[1] in targets.by_person:
            out.update(targets.by_person[month[1]])
    return out
