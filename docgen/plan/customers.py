"""Customer tiers and visit cadence (篇2), and the prospect quadrant (篇1 第(6)步).

Tiers by last year's sales, in the same unit as the sales figures (the defaults assume 元):
VIP ≥ 1,000,000, 一級 ≥ 500,000, 二級 ≥ 100,000, else 其他.  An explicit tier always wins.
Visit cadence in months: VIP every month, 一級 every 2 months, 二級 every 3 (configurable),
其他 never.  A customer is due in a month when at least its cadence in months has passed since
the month of its last visit, or when it was never visited (and its tier has a cadence).

**One visit history** (SPEC §4.4): the visits known before month M are the customer list's
last-visit date when it falls before M's first day, plus every logged visit (not calls) of the
earlier months' logs; :func:`last_visits` is the only place that combines them.
**A prospect that buys is a customer**: listed as a prospect, with a first purchase in month N,
it is a prospect up to N and an active customer from N+1's plans on (:func:`status_in`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

Month = tuple[int, int]


class Tier(StrEnum):
    """A customer tier; the value is its label in documents."""

    VIP = "VIP"
    FIRST = "一級"
    SECOND = "二級"
    OTHER = "其他"


class Quadrant(StrEnum):
    """A prospect's follow-up class: A large & fast, B small & fast, C large & slow, D small & slow."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


@dataclass(frozen=True)
class TierRules:
    """The last-year-sales thresholds of the tiers (each inclusive).

    :param vip: at least this → VIP.
    :param first: at least this → 一級.
    :param second: at least this → 二級; below → 其他.
    """

    vip: Decimal = Decimal(1_000_000)
    first: Decimal = Decimal(500_000)
    second: Decimal = Decimal(100_000)


@dataclass(frozen=True)
class VisitCadence:
    """Months between visits per tier; ``None`` means never due.

    :param vip: VIP's cadence (篇2: every month).
    :param first: 一級's cadence (篇2: every two months).
    :param second: 二級's cadence (篇2 leaves it open; default every three months).
    :param other: 其他's cadence (default never).
    """

    vip: int | None = 1
    first: int | None = 2
    second: int | None = 3
    other: int | None = None

    def months(self, tier: Tier | str) -> int | None:
        """The cadence of ``tier`` in months, or ``None`` if it is never due.

        :param tier: a :class:`Tier` or its label.
        """
        by_tier = {Tier.VIP: self.vip, Tier.FIRST: self.first, Tier.SECOND: self.second, Tier.OTHER: self.other}
        return by_tier[Tier(tier)]


def tier_of(last_year_sales: Decimal | None, explicit: Tier | str | None = None,
            rules: TierRules = TierRules()) -> Tier:
    """A customer's tier: the explicit one if given, else by last year's sales (none → 其他).

    :param last_year_sales: last year's sales to the customer, or ``None`` if unknown / new.
    :param explicit: a tier set by hand, which wins.
    :param rules: the thresholds.
    :raises ValueError: when ``explicit`` is not a tier label.
    """
    if explicit is not None:
        return Tier(explicit)
    if last_year_sales is None:
        return Tier.OTHER
    for threshold, tier in ((rules.vip, Tier.VIP), (rules.first, Tier.FIRST), (rules.second, Tier.SECOND)):
        if last_year_sales >= threshold:
            return tier
    return Tier.OTHER


def months_since(last_visit: date, year: int, month: int) -> int:
    """Whole calendar months from the month of ``last_visit`` to ``year``-``month`` (2025-12 → 2026-01 is 1).

    :param last_visit: the day of the last visit.
    :param year: the year of the month considered.
    :param month: the month considered, 1–12.
    """
    return (year * 12 + month) - (last_visit.year * 12 + last_visit.month)


def is_due(tier: Tier | str, last_visit: date | None, year: int, month: int,
           cadence: VisitCadence = VisitCadence()) -> bool:
    """Whether a customer is due for a visit in ``year``-``month``.

    :param tier: the customer's tier.
    :param last_visit: the day of the last visit, or ``None`` if never visited.
    :param year: the year of the month planned.
    :param month: the month planned, 1–12.
    :param cadence: months between visits per tier.
    """
    every = cadence.months(tier)
    if every is None:
        return False
    return last_visit is None or months_since(last_visit, year, month) >= every


def quadrant(monthly_demand: Decimal, days_to_close: int, large: Decimal = Decimal(50000),
             fast_days: int = 15) -> Quadrant:
    """A prospect's quadrant by monthly demand (≥ ``large`` is large) and days to close (≤ ``fast_days`` is fast).

    :param monthly_demand: the estimated monthly demand, in the unit of ``large`` (default 元: 5萬).
    :param days_to_close: the expected days until the first order.
    :param large: the smallest large demand (篇1: 5萬 a month).
    :param fast_days: the longest fast close in days (篇1: half a month).
    """
    is_large = monthly_demand >= large
    if days_to_close <= fast_days:
        return Quadrant.A if is_large else Quadrant.B
    return Quadrant.C if is_large else Quadrant.D


class LoggedVisit(Protocol):
    """What the history needs of a visit-log line (``kind`` is ``visit`` or ``call``).

    Read-only properties, so that frozen records (the ledger's lines) satisfy it.
    """

    @property
    def customer(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def kind(self) -> str: ...


class Purchase(Protocol):
    """What the history needs of a sales-ledger line."""

    @property
    def customer(self) -> str: ...
    @property
    def date(self) -> date: ...


def last_visits(list_dates: Mapping[str, date | None], visits: Iterable[LoggedVisit],
                month: Month) -> dict[str, date]:
    """Customer id → the latest visit known before ``month`` (absent: never visited).

    A list date on or after the month's first day is not a visit before the month and is
    ignored; calls are not visits; log lines of the month itself or later are ignored.

    :param list_dates: customer id → the customer list's 上次拜訪 (``None``: blank).
    :param visits: visit-log lines of any months.
    :param month: ``(year, month)`` planned or reported.
    """
    first_day = date(month[0], month[1], 1)
    known = {cid: d for cid, d in list_dates.items() if d is not None and d < first_day}
    for v in visits:
        if v.kind == "visit" and v.date < first_day and v.date > known.get(v.customer, date.min):
            known[v.customer] = v.date
    return known


def first_purchases(sales: Iterable[Purchase], month: Month) -> dict[str, Month]:
    """Customer id → the month of its first purchase in the lines given, among months before ``month``.

    :param sales: sales-ledger lines of any months.
    :param month: ``(year, month)`` planned or reported; its own lines and later ones are ignored.
    """
    first: dict[str, Month] = {}
    for ln in sales:
        m = (ln.date.year, ln.date.month)
        if m < month and m < first.get(ln.customer, (10_000, 1)):
            first[ln.customer] = m
    return first


def status_in(listed: str, first_purchase: Month | None, month: Month) -> str:
    """A customer's status in ``month``: a listed prospect that bought in an earlier month is active.

    :param listed: the customer list's status (prospect / active / lost).
    :param first_purchase: the month of its first purchase before ``month``, if any.
    :param month: ``(year, month)`` planned or reported.
    """
    if listed == "prospect" and first_purchase is not None and first_purchase < month:
        return "active"
    return listed


def tier_counts(tiers: Iterable[Tier | str]) -> dict[str, int]:
    """How many customers are in each tier, every tier listed (VIP, 一級, 二級, 其他).

    :param tiers: one resolved tier per customer counted.
    """
    counts = dict.fromkeys((t.value for t in Tier), 0)
    for t in tiers:
        counts[Tier(t).value] += 1
    return counts
