"""Quantity targets (噸, 套 …), channel months and count targets: split exactly like money.

A quantity is decomposed as money is (SPEC §4.1, issue 10): the period's volume over its months by
seasonality, each month among the people by their weights, every split a largest-remainder split
at the quantity's precision (whole tons or sets unless the plan says otherwise), so the parts
always sum to the whole.  Channel quotas become monthly channel targets by splitting each of the
region's months in proportion to the channels' quotas; new-customer count targets are whole
customers per month and per person.  Nothing here reads a file or knows a template.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from docgen.data.ledger import SaleLine
from docgen.plan.decompose import largest_remainder, split_by_month

__all__ = [
    "Decomposition", "channel_months", "check_parts", "count_months", "decompose", "ledger_quantities",
    "quantity_quantum", "quantity_weights", "region_quantity", "split_among", "to_quantum",
]


@dataclass(frozen=True)
class Decomposition:
    """A period's figure over its months and people.

    :param basis: the figure decomposed, at the quantum.
    :param months: the period's months in order.
    :param by_month: month → part; sums to ``basis``.
    :param by_person: month → person id → part; each month sums to ``by_month[month]`` unless
        nobody carries a share (then all 0 and ``unassigned`` holds the month).
    :param unassigned: month → the part nobody carries.
    """

    basis: Decimal
    months: tuple[int, ...]
    by_month: dict[int, Decimal]
    by_person: dict[int, dict[str, Decimal]]
    unassigned: dict[int, Decimal]

    def person_total(self, person_id: str) -> Decimal:
        """The person's parts over the period."""
        return sum((self.by_person[m].get(person_id, Decimal(0)) for m in self.months), Decimal(0))


def quantity_quantum(decimals: int) -> Decimal:
    """The smallest part of a quantity: 1 (whole tons, sets) for 0 places, 0.1 for 1 …"""
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    return Decimal(1).scaleb(-decimals)


def to_quantum(value: Decimal, quantum: Decimal) -> Decimal:
    """A stated figure rounded half up to the quantum, so its parts can sum to it exactly."""
    return (value / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum


def region_quantity(quantity: Decimal | None, monthly: Decimal | None, months: int) -> Decimal | None:
    """The region's period volume: ``quantity`` as stated, else ``monthly × months`` (篇4: 500噸 a
    month); ``None`` when the region states neither.  When both are stated they are checked by
    :func:`docgen.plan.channels.check_monthly_vs_annual` and ``quantity`` is decomposed."""
    if quantity is not None:
        return quantity
    return None if monthly is None else monthly * months


def quantity_weights(stated: Mapping[str, Decimal | None],
                     fallback: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each person's weight in the region's monthly volume.

    When anyone states a monthly quantity, those are the weights: a person without one gets the
    average of the positive ones if they carry a share of the money, nothing if they carry none
    (a promoter, a clerk, ``monthly_quota: 0``); ``0`` carries nothing.  When nobody states one, the
    money weights ``fallback`` are used, so volume is shared as sales are.

    :param stated: person id → ``monthly_quantity`` or ``None``, in team order.
    :param fallback: person id → the person's money weight (absent or 0: carries no target).
    """
    if all(q is None for q in stated.values()):
        return {p: fallback.get(p, Decimal(0)) for p in stated}
    positive = [q for q in stated.values() if q]
    average = sum(positive, Decimal(0)) / len(positive) if positive else Decimal(1)
    return {p: q if q is not None else (average if fallback.get(p, Decimal(0)) > 0 else Decimal(0))
            for p, q in stated.items()}


def split_among(by_month: Mapping[int, Decimal], weights: Mapping[str, Decimal],
                quantum: Decimal) -> dict[int, dict[str, Decimal]]:
    """Each month's part shared by ``weights`` (largest remainder); all 0 when no weight is positive."""
    carried = sum(weights.values(), Decimal(0)) > 0
    out = {}
    for month, amount in by_month.items():
        if carried and weights:
            out[month] = dict(zip(weights, largest_remainder(amount, list(weights.values()), quantum), strict=True))
        else:
            out[month] = dict.fromkeys(weights, Decimal(0))
    return out


def decompose(basis: Decimal, months: Sequence[int], seasonality: Mapping[int, Decimal] | None,
              weights: Mapping[str, Decimal], quantum: Decimal) -> Decomposition:
    """Split a period's figure over its months (by seasonality, equal without) and then each month
    among the people by ``weights``; what nobody carries is ``unassigned``, never dropped.

    :param basis: the period's figure, rounded to ``quantum`` first (:func:`to_quantum`).
    :param months: the period's months, e.g. ``range(1, 13)``.
    :param seasonality: month → weight, or ``None``/empty for equal months.
    :param weights: person id → weight, in team order.
    :param quantum: the precision of a part.
    """
    basis = to_quantum(basis, quantum)
    by_month = split_by_month(basis, seasonality or None, months, quantum)
    by_person = split_among(by_month, weights, quantum)
    unassigned = {m: by_month[m] - sum(by_person[m].values(), Decimal(0)) for m in by_month}
    return Decomposition(basis, tuple(months), by_month, by_person, unassigned)


def channel_months(by_month: Mapping[int, Decimal], quotas: Mapping[str, Decimal],
                   quantum: Decimal) -> dict[str, dict[int, Decimal]]:
    """Monthly channel targets: each of the region's months split among its channels in proportion
    to their quotas, so the channels of a month sum exactly to the month and each channel follows
    the region's seasonality.  Empty when no quota is positive (nothing to share by).

    :param by_month: the region's month → target (already split by seasonality).
    :param quotas: channel → its quota for the period (stated, else units × rate × months), in plan order.
    :param quantum: the precision of a part.
    """
    if not quotas or sum(quotas.values(), Decimal(0)) <= 0:
        return {}
    out: dict[str, dict[int, Decimal]] = {channel: {} for channel in quotas}
    for month, amount in by_month.items():
        for channel, part in zip(quotas, largest_remainder(amount, list(quotas.values()), quantum), strict=True):
            out[channel][month] = part
    return out


def count_months(months: Sequence[int], monthly: int | None, yearly: int | None) -> dict[int, Decimal]:
    """A count target (new customers) by month: ``monthly`` every month; else ``yearly`` split over
    the months equally in whole units; empty when neither is given."""
    if monthly is not None:
        return {m: Decimal(monthly) for m in months}
    if yearly is None or not months:
        return {}
    return split_by_month(Decimal(yearly), None, months, Decimal(1))


def ledger_quantities(lines: Iterable[SaleLine], factor: Decimal = Decimal(1)) -> list[SaleLine]:
    """The ledger lines with their quantity, in the plan's unit, in place of the amount, so the
    statistics of money (target, actual, completion, YTD, MoM, YoY) are computed for quantities by
    the very same function.  A line without a quantity counts 0.

    :param factor: one ledger unit in the plan's unit (0.001 when the ledger counts 公斤 and the plan 噸).
    """
    return [replace(ln, amount=(ln.quantity or Decimal(0)) * factor) for ln in lines]


def check_parts(parts_label: str, parts: Decimal, whole_label: str, whole: Decimal, unit: str) -> str | None:
    """A warning when stated parts do not add up to the stated whole, both numbers shown::

        各渠道數量定額合計 6,500噸, 期間數量 7,000噸, 相差 -500噸

    :return: the text, or ``None`` when they agree.
    """
    if parts == whole:
        return None
    return (f"{parts_label} {_plain(parts)}{unit}, {whole_label} {_plain(whole)}{unit}, "
            f"相差 {_plain(parts - whole)}{unit}")


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}"
