"""Fiscal years of any start month, and the names a sales planner gives periods.

A fiscal year holds each calendar month exactly once, so inside one plan folder a month number is
unambiguous: with ``fiscal_year_start: 8``, ``plans/2026/`` runs 2026-08 … 2027-07 and its month
``3`` is 2027-03.  A fiscal year is named by the calendar year it starts in (``FY2026``, ``2026/27``),
as its plan folder is.

Everything here is pure: no files, no settings, no clock.
"""
from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

YearMonth = tuple[int, int]


@dataclass(frozen=True, order=True)
class FiscalYear:
    """Fiscal year ``year`` starting in month ``start_month`` (1 = the calendar year).

    :param year: the calendar year its first month is in (the plan folder's name).
    :param start_month: its first month, 1–12.
    """

    year: int
    start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"a fiscal year starts in a month 1–12, not {self.start_month}")

    @classmethod
    def of_month(cls, month: YearMonth, start_month: int) -> FiscalYear:
        """The fiscal year that holds ``month``: 2027-03 with a start in August is FY2026."""
        year, number = month
        return cls(year if number >= start_month else year - 1, start_month)

    @property
    def crosses_december(self) -> bool:
        return self.start_month != 1

    @property
    def months(self) -> tuple[YearMonth, ...]:
        """Its twelve months in order: (2026, 8), …, (2026, 12), (2027, 1), …, (2027, 7)."""
        return tuple(self.month(m) for m in self.numbers)

    @property
    def numbers(self) -> tuple[int, ...]:
        """Its month numbers in fiscal order: 8, 9, …, 12, 1, …, 7."""
        return tuple((self.start_month - 1 + i) % 12 + 1 for i in range(12))

    def month(self, number: int) -> YearMonth:
        """Month ``number`` (1–12) of this fiscal year as (year, month): 3 → (2027, 3) from August."""
        if not 1 <= number <= 12:
            raise ValueError(f"expected a month 1–12, got {number}")
        return (self.year if number >= self.start_month else self.year + 1), number

    def position(self, number: int) -> int:
        """Where month ``number`` falls, 0 for the first month to 11 for the last (the sort key)."""
        return (number - self.start_month) % 12

    def contains(self, month: YearMonth) -> bool:
        return FiscalYear.of_month(month, self.start_month) == self

    def span(self, first: int, last: int) -> tuple[int, ...]:
        """Month numbers ``first`` to ``last`` in fiscal order (``9, 2`` → 9, 10, 11, 12, 1, 2).

        :raises ValueError: ``last`` comes before ``first`` in this fiscal year.
        """
        if self.position(last) < self.position(first):
            raise ValueError(f"end month {last} is before start month {first} in the fiscal year "
                             f"{self.label} ({self.start_month}月–{self.numbers[-1]}月)")
        return self.numbers[self.position(first):self.position(last) + 1]

    def ytd(self, month: YearMonth) -> tuple[YearMonth, ...]:
        """The months from the fiscal year's first to ``month`` (both included): the YTD span."""
        if not self.contains(month):
            raise ValueError(f"{month[0]}-{month[1]:02d} is not in the fiscal year {self.label}")
        return self.months[:self.position(month[1]) + 1]

    @property
    def first_day(self) -> dt.date:
        return dt.date(*self.months[0], 1)

    @property
    def last_day(self) -> dt.date:
        year, month = self.months[-1]
        return dt.date(year, month, _stdlib_calendar.monthrange(year, month)[1])

    @property
    def label(self) -> str:
        """``2026/27`` across December, ``2026`` for a calendar year."""
        return f"{self.year}/{(self.year + 1) % 100:02d}" if self.crosses_december else str(self.year)

    @property
    def name(self) -> str:
        """How the company names the year: ``2026/27財年`` across December, ``2026年度`` for a calendar year."""
        return f"{self.label}財年" if self.crosses_december else f"{self.year}年度"

    @property
    def title(self) -> str:
        """What a yearly document's title block says: ``2026/27財年（2026年8月至2027年7月）`` or ``2026年度``."""
        return f"{self.name}（{self.span_text}）" if self.crosses_december else self.name

    @property
    def span_text(self) -> str:
        (y1, m1), (y2, m2) = self.months[0], self.months[-1]
        return f"{y1}年{m1}月至{y2}年{m2}月"

    @property
    def period_text(self) -> str:
        """The fiscal year as ``--period`` spans it: ``2026-08..2027-07``."""
        (y1, m1), (y2, m2) = self.months[0], self.months[-1]
        return f"{y1}-{m1:02d}..{y2}-{m2:02d}"


class _Planned(Protocol):
    @property
    def year(self) -> int: ...

    @property
    def fiscal_year(self) -> tuple[dt.date, dt.date]: ...


def plan_fiscal(plan: _Planned) -> FiscalYear:
    """The fiscal year a loaded plan covers (its folder's year, its first day's month)."""
    return FiscalYear(plan.year, plan.fiscal_year[0].month)


def month_text(month: YearMonth) -> str:
    """``2027-03``: a month as periods, output folders and ledger folders name it."""
    return f"{month[0]}-{month[1]:02d}"


def month_labels(fiscal: FiscalYear, numbers: tuple[int, ...] | list[int]) -> list[str]:
    """Column labels for months in fiscal order: ``8月`` … ``12月``, then ``2027年1月``, ``2月`` ….

    The year is written where a table crosses into a new calendar year, so a reader never takes
    January for the January before.
    """
    labels = []
    previous_year = None
    for number in numbers:
        year, _ = fiscal.month(number)
        shown_year = previous_year is not None and year != previous_year
        labels.append(f"{year}年{number}月" if shown_year else f"{number}月")
        previous_year = year
    return labels


# ---------------------------------------------------------------- periods as people name them

@dataclass(frozen=True)
class YearPeriod:
    """A fiscal year named on the command line; ``text`` is its canonical id, the plan folder's year."""

    fiscal: FiscalYear

    @property
    def text(self) -> str:
        return str(self.fiscal.year)


@dataclass(frozen=True)
class MonthPeriod:
    """One calendar month; ``fiscal`` is the fiscal year (plan folder) it belongs to."""

    month: YearMonth
    fiscal: FiscalYear

    @property
    def text(self) -> str:
        return month_text(self.month)


@dataclass(frozen=True)
class MonthsPeriod:
    """A span of months that is not a whole fiscal year (``2026-09..2026-12``), for batch builds."""

    months: tuple[YearMonth, ...]


Period = YearPeriod | MonthPeriod | MonthsPeriod

_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})(?:\s*(?:財年|财年|年度|年))?$", re.IGNORECASE)
_SPLIT_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?:\s*(?:財年|财年|年度))?$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)$")
_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|～|~|至|到)\s*(.+)$")


class PeriodError(ValueError):
    """A period that names no fiscal year or month; the message says what would."""


def parse_period(text: str, start_month: int = 1) -> Period:
    """A period as a sales planner writes it, with the fiscal year starting in ``start_month``.

    Fiscal years: ``2026``, ``FY2026``, ``2026財年``, ``2026/27``, ``2026-27``, ``2026/2027``,
    ``2026/27財年`` and the span ``2026-08..2027-07``.  Months: ``2027-03``, ``2027-3``, ``2027/03``,
    ``2027年3月``.  A span of months that is not a whole fiscal year is a :class:`MonthsPeriod`.

    :raises PeriodError: the text names none of these, or a split year that is not this fiscal year.
    """
    value = text.strip()
    if m := _YEAR.match(value):
        return YearPeriod(FiscalYear(int(m[1]), start_month))
    if month := _month(value):
        return MonthPeriod(month, FiscalYear.of_month(month, start_month))
    if m := _SPLIT_YEAR.match(value):
        return _split_year(value, int(m[1]), int(m[2]), len(m[2]), start_month)
    if m := _RANGE.match(value):
        return _span(value, m[1], m[2], start_month)
    raise _unnamed(text, start_month)


def _unnamed(text: str, start_month: int) -> PeriodError:
    if start_month == 1:
        return PeriodError(f"{text!r}: expected a year like 2026 or a month like 2026-06")
    return PeriodError(f"{text!r}: expected a fiscal year like 2026/27 or FY2026, or a month like 2026-06")


def _month(text: str) -> YearMonth | None:
    m = _MONTH.match(text)
    if not m:
        return None
    number = int(m[2] or m[3])
    return (int(m[1]), number) if 1 <= number <= 12 else None


def _split_year(text: str, first: int, second: int, digits: int, start_month: int) -> YearPeriod:
    following = first + 1 if digits == 4 else (first + 1) % 100
    if second != following:
        raise _unnamed(text, start_month)
    if start_month == 1:
        raise PeriodError(f"{text!r}: the fiscal year is the calendar year (fiscal_year_start: 1): "
                          f"say {first}")
    return YearPeriod(FiscalYear(first, start_month))


def _span(text: str, first_text: str, last_text: str, start_month: int) -> Period:
    first, last = _month(first_text.strip()), _month(last_text.strip())
    if first is None or last is None:
        raise PeriodError(f"{text!r}: expected a span of months like 2026-08..2027-07")
    if last < first:
        raise PeriodError(f"{text!r}: the span ends before it starts")
    fiscal = FiscalYear.of_month(first, start_month)
    if (first, last) == (fiscal.months[0], fiscal.months[-1]):
        return YearPeriod(fiscal)
    count = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    return MonthsPeriod(tuple(((first[1] - 1 + i) // 12 + first[0], (first[1] - 1 + i) % 12 + 1)
                              for i in range(count)))


__all__ = [
    "FiscalYear",
    "MonthPeriod",
    "MonthsPeriod",
    "Period",
    "PeriodError",
    "YearMonth",
    "YearPeriod",
    "month_labels",
    "month_text",
    "parse_period",
    "plan_fiscal",
]
