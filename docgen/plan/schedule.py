"""Placing a salesperson's visits of a month on working days, within a daily capacity.

Order of precedence (spec §4.6): VIP, 一級, A prospects, B prospects, 二級; within a class the
input order.  Visits with an agreed date are placed first, on that date, and use its capacity.
The rest go by precedence into the free slots, which are chosen **spread over the month**:
each round takes one free slot from every day that has one, or — when fewer visits remain
than such days — from days evenly spaced among them (the k-th of m visits goes to open day
⌊k·n/m⌋ of n).  The chosen slots are then filled in date order, so higher-priority visits come
earlier in the month, yet a light month is not front-loaded.  Whatever does not fit is returned
as unscheduled, never dropped.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Priority(StrEnum):
    """Who is visited first; the value is the label (a tier or a quadrant)."""

    VIP = "VIP"
    FIRST = "一級"
    A = "A"
    B = "B"
    SECOND = "二級"


_ORDER: dict[str, int] = {p.value: rank for rank, p in enumerate(Priority)}  # a Priority is its value


@dataclass(frozen=True)
class VisitCandidate:
    """A customer or prospect to visit this month.

    :param customer_id: the customer's id.
    :param name: the customer's name.
    :param priority: VIP, 一級, A, B or 二級 (a :class:`Priority` or its label).
    :param reason: why it is on the list, e.g. ``每月拜訪, 上次 2026-05-12`` or ``A類準客戶``.
    """

    customer_id: str
    name: str
    priority: Priority | str
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "priority", Priority(self.priority))


@dataclass(frozen=True)
class ScheduledVisit:
    """A visit with its date.

    :param candidate: who is visited.
    :param day: when.
    :param fixed: whether the date was agreed beforehand rather than chosen here.
    """

    candidate: VisitCandidate
    day: date
    fixed: bool = False


@dataclass(frozen=True)
class VisitSchedule:
    """The month's visits.

    :param scheduled: the placed visits, by date, then precedence.
    :param unscheduled: the candidates that did not fit, by precedence.
    """

    scheduled: tuple[ScheduledVisit, ...]
    unscheduled: tuple[VisitCandidate, ...]


def schedule_visits(
    candidates: Sequence[VisitCandidate],
    working_days: Sequence[date],
    capacity_per_day: int,
    fixed_dates: Mapping[str, date] | None = None,
) -> VisitSchedule:
    """Place visits on working days, at most ``capacity_per_day`` a day, by precedence, spread over the month.

    :param candidates: who to visit, in the order to keep within a priority class.
    :param working_days: the month's working days.
    :param capacity_per_day: how many visits a day the salesperson can make (篇6: 2 a day for 10 a week).
    :param fixed_dates: customer id → an agreed date; honoured even on a full or non-working day.
    :raises ValueError: when the capacity is negative.
    """
    if capacity_per_day < 0:
        raise ValueError(f"capacity per day must not be negative, got {capacity_per_day}")
    fixed_dates = fixed_dates or {}
    ordered = sorted(candidates, key=lambda c: _ORDER[c.priority])
    fixed = [ScheduledVisit(c, fixed_dates[c.customer_id], fixed=True)
             for c in ordered if c.customer_id in fixed_dates]
    used = Counter(v.day for v in fixed)
    free = {d: max(capacity_per_day - used[d], 0) for d in sorted(set(working_days))}
    to_place = [c for c in ordered if c.customer_id not in fixed_dates]
    slots = _spread_slots(free, len(to_place))
    placed = [ScheduledVisit(c, d) for c, d in zip(to_place, slots, strict=False)]  # the rest stay unscheduled
    scheduled = sorted(fixed + placed, key=lambda v: (v.day, _ORDER[v.candidate.priority]))
    return VisitSchedule(tuple(scheduled), tuple(to_place[len(slots):]))


def _spread_slots(free: dict[date, int], wanted: int) -> list[date]:
    """Up to ``wanted`` slots (one date per slot) spread over the days, in date order."""
    free = dict(free)
    chosen: list[date] = []
    while len(chosen) < wanted:
        open_days = [d for d, n in free.items() if n > 0]
        if not open_days:
            break
        remaining = wanted - len(chosen)
        if remaining < len(open_days):
            open_days = [open_days[k * len(open_days) // remaining] for k in range(remaining)]
        for d in open_days:
            free[d] -= 1
        chosen.extend(open_days)
    return sorted(chosen)
