"""Splitting an amount into parts that always sum to the whole.

Every split goes through :func:`largest_remainder`: each part is a multiple of the display
quantum (``Decimal("0.01")`` for 萬元 with two decimals, ``Decimal(1)`` for whole 元 …), and
the parts sum exactly to the total.  Exact shares are computed with fractions, never floats.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from docgen.errors import DataError
from docgen.plan.calendar import WorkCalendar


class NoWorkingDays(DataError):
    """A month to be split by working days has none (every day is listed as a holiday)."""

    def __init__(self, year: int, month: int) -> None:
        super().__init__(f"{year}-{month:02d} has no working days to split its amount over")


@dataclass(frozen=True)
class WeekShare:
    """One Mon–Sun calendar week of a month (clipped to the month) and its share.

    :param label: ``第1週``, ``第2週`` … in order, counting every week that touches the month.
    :param first: the week's first day inside the month.
    :param last: the week's last day inside the month.
    :param working_days: the working days of the week inside the month.
    :param amount: the week's share, proportional to its number of working days.
    """

    label: str
    first: date
    last: date
    working_days: tuple[date, ...]
    amount: Decimal


@dataclass(frozen=True)
class PeopleSplit:
    """An amount shared among people.

    :param amounts: person id → amount, in the order the quotas were given.
    :param warnings: what does not add up (explicit quotas above or below the amount), both numbers shown.
    """

    amounts: dict[str, Decimal]
    warnings: tuple[str, ...]


def largest_remainder(total: Decimal, weights: Sequence[Decimal | int], quantum: Decimal) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` into multiples of ``quantum`` that sum exactly to ``total``.

    Each part first gets the whole quanta of its exact share; the quanta left over go one each to
    the parts with the largest fractional remainders, the earlier position winning a tie.
    All-zero weights split equally.  A negative ``total`` is split like its absolute value, negated.

    :param total: the amount to split; must be a multiple of ``quantum``.
    :param weights: one non-negative weight per part (at least one).
    :param quantum: the smallest step of a part, e.g. ``Decimal("0.01")``; positive.
    :raises ValueError: on a non-positive quantum, a total that is not a multiple of it,
        no weights, or a negative weight.
    """
    if quantum <= 0:
        raise ValueError(f"quantum must be positive, got {quantum}")
    if not weights:
        raise ValueError("cannot split over no parts: weights is empty")
    if any(w < 0 for w in weights):
        raise ValueError(f"weights must not be negative, got {[str(w) for w in weights]}")
    quanta = Fraction(total) / Fraction(quantum)
    if quanta.denominator != 1:
        raise ValueError(f"total {total} is not a multiple of the quantum {quantum}")
    if total < 0:
        return [-part for part in largest_remainder(-total, weights, quantum)]
    shares = _exact_shares(int(quanta), [Fraction(w) for w in weights])
    counts = [int(s) for s in shares]  # shares are non-negative: int() is floor
    left_over = int(quanta) - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in by_remainder[:left_over]:
        counts[i] += 1
    return [count * quantum for count in counts]


def _exact_shares(quanta: int, weights: list[Fraction]) -> list[Fraction]:
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [Fraction(quanta, len(weights))] * len(weights)
    return [quanta * w / weight_sum for w in weights]


def shares(amounts: Sequence[Decimal], quantum: Decimal = Decimal("0.001")) -> list[Decimal] | None:
    """Each amount's share of their sum, as multiples of ``quantum`` that sum exactly to 1
    (0.1% steps by default, so a plan's printed 占比 column adds up to 100.0%); ``None`` when the
    sum is 0.  Negative amounts are not shares of anything: a ``ValueError``."""
    total = sum(amounts, Decimal(0))
    if total == 0:
        return None
    return largest_remainder(Decimal(1), list(amounts), quantum)


def split_by_month(
    annual: Decimal,
    weights_by_month: Mapping[int, Decimal] | None,
    months: Sequence[int],
    quantum: Decimal,
) -> dict[int, Decimal]:
    """Split a period's amount over its months by seasonality weights (equally when there are none).

    :param annual: the amount for the whole period (a year, or e.g. 6–12月).
    :param weights_by_month: month (1–12) → seasonality weight (淡季 low, 旺季 high), or ``None`` for equal months;
        weights of months outside ``months`` are ignored.
    :param months: the period's months in order, e.g. ``range(6, 13)``.
    :param quantum: the display precision of an amount.
    :raises ValueError: when a month of the period has no weight or a month is repeated or out of 1–12.
    """
    months = list(months)
    if len(set(months)) != len(months) or any(not 1 <= m <= 12 for m in months):
        raise ValueError(f"months must be distinct months 1–12, got {months}")
    if weights_by_month is None:
        weights: list[Decimal | int] = [1] * len(months)
    else:
        missing = [m for m in months if m not in weights_by_month]
        if missing:
            raise ValueError(f"no seasonality weight for month(s) {missing}")
        weights = [weights_by_month[m] for m in months]
    return dict(zip(months, largest_remainder(annual, weights, quantum), strict=True))


def weeks_of_month(year: int, month: int) -> list[tuple[date, date]]:
    """The Mon–Sun calendar weeks touching a month, each clipped to the month: (first day, last day).

    :param year: the year.
    :param month: the month, 1–12.
    """
    first = date(year, month, 1)
    next_month = date(year + month // 12, month % 12 + 1, 1)
    weeks = []
    start = first
    while start < next_month:
        sunday = start + timedelta(days=6 - start.weekday())
        end = min(sunday, next_month - timedelta(days=1))
        weeks.append((start, end))
        start = end + timedelta(days=1)
    return weeks


def split_by_week(
    month_amount: Decimal, year: int, month: int, calendar: WorkCalendar, quantum: Decimal
) -> list[WeekShare]:
    """Split a month's amount over its Mon–Sun weeks in proportion to the working days of each.

    A week with no working day in the month (e.g. 2026-10-01…04, all National Day) is listed with 0.

    :param month_amount: the month's amount.
    :param year: the year.
    :param month: the month, 1–12.
    :param calendar: which days are working days.
    :param quantum: the display precision of an amount.
    :raises NoWorkingDays: when the month has no working day at all.
    """
    weeks = [(first, last, tuple(calendar.working_days_between(first, last)))
             for first, last in weeks_of_month(year, month)]
    if not any(days for _, _, days in weeks):
        raise NoWorkingDays(year, month)
    amounts = largest_remainder(month_amount, [len(days) for _, _, days in weeks], quantum)
    return [WeekShare(f"第{n}週", first, last, days, amount)
            for n, ((first, last, days), amount) in enumerate(zip(weeks, amounts, strict=True), start=1)]


def split_by_day(
    month_amount: Decimal, year: int, month: int, calendar: WorkCalendar, quantum: Decimal
) -> dict[date, Decimal]:
    """Split a month's amount over its working days: first by week, then each week's share over its days.

    Splitting through the weeks keeps the days of each week summing to that week's amount
    in :func:`split_by_week`, so the weekly and daily tables of a document agree.

    :param month_amount: the month's amount.
    :param year: the year.
    :param month: the month, 1–12.
    :param calendar: which days are working days.
    :param quantum: the display precision of an amount.
    :raises NoWorkingDays: when the month has no working day at all.
    """
    by_day: dict[date, Decimal] = {}
    for week in split_by_week(month_amount, year, month, calendar, quantum):
        if week.working_days:
            by_day.update(zip(week.working_days,
                              largest_remainder(week.amount, [1] * len(week.working_days), quantum), strict=True))
    return by_day


def split_by_people(
    amount: Decimal,
    quotas: Mapping[str, Decimal | None],
    weights: Mapping[str, Decimal] | None,
    quantum: Decimal,
) -> PeopleSplit:
    """Share an amount (a region's month, say) among people: explicit quotas first, the rest by weights.

    People with an explicit quota get exactly it.  What is left is split among the others by their
    weights (equally when ``weights`` is ``None``).  If the explicit quotas exceed the amount, the
    others get 0 and a warning says so; if everyone has a quota and they fall short, a warning says so.
    Warning texts (amounts as given, thousands separators)::

        個人定額合計 130 超過總額 120, 超出 10
        個人定額合計 100 低於總額 120, 未分配 20

    :param amount: the amount to share.
    :param quotas: person id → explicit quota, or ``None`` for "split the rest"; the order is kept.
    :param weights: person id → weight for the people without a quota, or ``None`` for equal.
    :param quantum: the display precision of an amount; ``amount`` minus the explicit quotas must be a multiple of it.
    :raises ValueError: when a person to be split by weight has none, or the rest is not a multiple of ``quantum``.
    """
    explicit = {p: q for p, q in quotas.items() if q is not None}
    others = [p for p, q in quotas.items() if q is None]
    fixed_sum = sum(explicit.values(), Decimal(0))
    rest = amount - fixed_sum
    warnings = _people_warnings(amount, fixed_sum, rest, bool(others))
    shares = dict.fromkeys(others, Decimal(0) * quantum)
    if others and rest > 0:
        shares = dict(zip(others, largest_remainder(rest, _people_weights(others, weights), quantum), strict=True))
    return PeopleSplit({p: explicit[p] if p in explicit else shares[p] for p in quotas}, tuple(warnings))


def _people_weights(people: list[str], weights: Mapping[str, Decimal] | None) -> list[Decimal | int]:
    if weights is None:
        return [1] * len(people)
    missing = [p for p in people if p not in weights]
    if missing:
        raise ValueError(f"no weight for {', '.join(missing)}")
    return [weights[p] for p in people]


def _people_warnings(amount: Decimal, fixed_sum: Decimal, rest: Decimal, has_others: bool) -> list[str]:
    if rest < 0:
        return [f"個人定額合計 {_plain(fixed_sum)} 超過總額 {_plain(amount)}, 超出 {_plain(-rest)}"]
    if rest > 0 and not has_others:
        return [f"個人定額合計 {_plain(fixed_sum)} 低於總額 {_plain(amount)}, 未分配 {_plain(rest)}"]
    return []


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():,f}"
