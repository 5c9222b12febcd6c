"""The plan's volume, channel and count figures, beside the money of :mod:`docgen.documents.figures`.

Every document that shows a quantity target, a channel's month or a new-customer target takes it
from here, so the annual plan, the monthly plan, the statistics and the year summary agree:

* quantities: a region's ``quantity`` (else ``monthly_quantity`` × months) over its months by the
  same seasonality as money, then among its people by ``monthly_quantity`` (else the money weights);
* channels: each of a region's months (money or quantity) shared by its channel quotas;
* new customers: ``new_customers: {monthly, yearly}`` by month, and among the people by the money weights.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from docgen.data.plan import Plan, RegionPlan
from docgen.documents.figures import person_weights, quota_people, region_month_targets, region_targets
from docgen.plan.quantities import (
    Decomposition,
    channel_months,
    count_months,
    decompose,
    quantity_quantum,
    quantity_weights,
    region_quantity,
    split_among,
)

Month = tuple[int, int]


@dataclass(frozen=True)
class RegionVolume:
    """One region's volume decomposed.

    :param unit: the plan's quantity unit (噸, 套 …).
    :param stated: the region's ``quantity`` as written (``None``: derived from ``monthly_quantity``).
    :param split: months and people; sums to ``split.basis``.
    """

    region_id: str
    unit: str
    stated: Decimal | None
    split: Decomposition


def quantity_unit(plan: Plan) -> str | None:
    """The plan's one quantity unit (the loader refuses a second), ``None`` without quantities."""
    if plan.company.quantity is not None:
        return plan.company.quantity.unit
    for region in plan.regions:
        for q in (region.quantity, region.monthly_quantity, *(p.monthly_quantity for p in region.people),
                  *(c.quantity for c in region.channels)):
            if q is not None:
                return q.unit
    return None


def quantum(plan: Plan) -> Decimal:
    """The precision of a quantity's parts (``quantity_decimals`` of company.yaml; whole units by default)."""
    return quantity_quantum(plan.company.quantity_decimals)


def _months(region: RegionPlan) -> list[int]:
    return list(region.period.months)


def region_volume(plan: Plan, region_id: str) -> RegionVolume | None:
    """The region's volume over months and people; ``None`` when the region states no volume."""
    region = plan.region(region_id)
    months = _months(region)
    basis = region_quantity(None if region.quantity is None else region.quantity.value,
                            None if region.monthly_quantity is None else region.monthly_quantity.value,
                            len(months))
    unit = quantity_unit(plan)
    if basis is None or unit is None:
        return None
    # the people who carry a share of the money carry the volume; promoters and clerks have no share at all
    # (as in figures.person_weights), so the statistics give them no row of 0套
    stated = {p.id: (None if p.monthly_quantity is None else p.monthly_quantity.value)
              for p in quota_people(plan, region_id)}
    weights = quantity_weights(stated, person_weights(plan, region_id))
    split = decompose(basis, months, dict(region.seasonality) or None, weights, quantum(plan))
    return RegionVolume(region_id, unit, None if region.quantity is None else region.quantity.value, split)


def all_volumes(plan: Plan) -> dict[str, RegionVolume]:
    """Every region that states a volume, in the plan's region order."""
    return {r.region: v for r in plan.regions if (v := region_volume(plan, r.region)) is not None}


def month_keys(plan: Plan) -> dict[str, dict[int, Month]]:
    """region id → month number → the (year, month) the money figures put it in, so a volume's or a
    channel's month is always the same calendar month as the money's (whatever month the year starts in)."""
    return {region_id: {key[1]: key for key in months}
            for region_id, months in region_month_targets(plan, Decimal(1)).items()}


def person_month_quantities(plan: Plan) -> dict[str, dict[Month, Decimal]]:
    """person id → (year, month) → volume target: the shape the statistics take."""
    out: dict[str, dict[Month, Decimal]] = {}
    keys = month_keys(plan)
    for region_id, volume in all_volumes(plan).items():
        for month, people in volume.split.by_person.items():
            for person_id, value in people.items():
                out.setdefault(person_id, {})[keys[region_id][month]] = value
    return out


def region_month_quantities(plan: Plan) -> dict[str, dict[Month, Decimal]]:
    """region id → (year, month) → the region's volume (people's parts plus anything unassigned)."""
    keys = month_keys(plan)
    return {region_id: {keys[region_id][m]: v for m, v in volume.split.by_month.items()}
            for region_id, volume in all_volumes(plan).items()}


def _channel_name(plan: Plan, channel_id: str) -> str:
    """Ledgers name a channel as the plan does (:func:`docgen.data.ledger.match_channels`)."""
    try:
        return plan.channel(channel_id).name
    except KeyError:
        return channel_id


def _add(out: dict[str, dict[Month, Decimal]], keys: dict[int, Month],
         by_channel: dict[str, dict[int, Decimal]]) -> None:
    for channel, months in by_channel.items():
        target = out.setdefault(channel, {})
        for m, value in months.items():
            target[keys[m]] = target.get(keys[m], Decimal(0)) + value


def channel_month_targets(plan: Plan, money_quantum: Decimal,
                          region_id: str | None = None) -> dict[str, dict[Month, Decimal]]:
    """channel name → (year, month) → money target: each region's month shared by its channel quotas
    (stated ``quota``, else units × rate × months); the company's (``region_id`` ``None``) is the
    regions' sum.  Regions without channel quotas add nothing."""
    out: dict[str, dict[Month, Decimal]] = {}
    keys = month_keys(plan)
    for region in plan.regions:
        if (region_id is not None and region.region != region_id) or not region.channels:
            continue
        months = len(region.period.months)
        quotas = {_channel_name(plan, q.channel): (q.quota if q.quota is not None else q.units * q.rate * months)
                  for q in region.channels}
        by_month = region_targets(plan, region.region, money_quantum).by_month
        _add(out, keys[region.region], channel_months(by_month, quotas, money_quantum))
    return out


def channel_month_quantities(plan: Plan, region_id: str | None = None) -> dict[str, dict[Month, Decimal]]:
    """channel name → (year, month) → volume target, where the channel quotas state a ``quantity``."""
    out: dict[str, dict[Month, Decimal]] = {}
    volumes = all_volumes(plan)
    keys = month_keys(plan)
    for region in plan.regions:
        if (region_id is not None and region.region != region_id) or region.region not in volumes:
            continue
        quotas = {_channel_name(plan, q.channel): q.quantity.value for q in region.channels if q.quantity is not None}
        _add(out, keys[region.region], channel_months(volumes[region.region].split.by_month, quotas, quantum(plan)))
    return out


@dataclass(frozen=True)
class CountTargets:
    """New-customer targets of one region: month → count, and month → person → count."""

    region_id: str
    monthly: int | None
    yearly: int | None
    by_month: dict[int, Decimal]
    by_person: dict[int, dict[str, Decimal]]

    @property
    def year_total(self) -> Decimal:
        """The year's target: ``yearly`` when stated, else the months' sum."""
        return Decimal(self.yearly) if self.yearly is not None else sum(self.by_month.values(), Decimal(0))


def new_customer_targets(plan: Plan, region_id: str) -> CountTargets | None:
    """The region's new-customer targets (``new_customers:``), shared among its people by the money
    weights in whole customers; ``None`` when the region states none."""
    region = plan.region(region_id)
    stated = region.new_customers
    if stated is None:
        return None
    by_month = count_months(_months(region), stated.monthly, stated.yearly)
    return CountTargets(region_id, stated.monthly, stated.yearly, by_month,
                        split_among(by_month, person_weights(plan, region_id), Decimal(1)))
