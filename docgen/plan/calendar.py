"""The working-day calendar: Mon–Fri, minus China's public holidays, plus its make-up working days (調休).

Holidays and make-up days come from the ``chinese-calendar`` package for the years it covers;
a workspace adds its own extra holidays and extra working days on top (they always win).

A year the package does not cover is an error (:class:`CalendarNotCovered`) unless the workspace
states that its lists are that year's complete calendar (``calendar.complete_years``): then a
working day is Mon–Fri, minus its holidays, plus its working days.  A company holiday listed
for such a year is not enough: one day off in 2027 must not give February 2027 twenty working
days with the Spring Festival ignored.
"""
from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar

from docgen.errors import DataError


class CalendarNotCovered(DataError):
    """A year neither the ``chinese-calendar`` package nor the workspace's calendar knows."""

    def __init__(self, year: int, listed: bool = False) -> None:
        first, last = package_coverage()
        given = (f"docgen.yaml lists some days of {year}, but not that they are its whole calendar; "
                 if listed else "")
        super().__init__(
            f"{year} is not covered by the chinese-calendar package (covers {first}–{last}); {given}"
            f"list that year's public holidays and make-up working days under calendar.holidays and "
            f"calendar.workdays in docgen.yaml and add {year} to calendar.complete_years, or upgrade chinesecalendar"
        )
        self.year = year


@cache
def package_coverage() -> tuple[int, int]:
    """The first and last year the installed ``chinese-calendar`` package has holiday data for."""
    years = {d.year for d in chinese_calendar.constants.holidays}
    return min(years), max(years)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days.

    :param extra_holidays: days off on top of the public holidays (a company outing, a local holiday).
    :param extra_workdays: days worked although the package says they are off (a weekend event).
    :param complete_years: years the package does not cover whose whole calendar is the two lists.
    """

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    complete_years: frozenset[int] = field(default_factory=frozenset)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day.

        :param d: the day.
        :raises CalendarNotCovered: when neither the package nor the workspace knows ``d``'s year.
        """
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        first, last = package_coverage()
        if first <= d.year <= last:
            return bool(chinese_calendar.is_workday(d))
        if d.year in self.complete_years:
            return d.weekday() < 5
        raise CalendarNotCovered(d.year, listed=self._lists(d.year))

    def working_days(self, year: int, month: int) -> list[date]:
        """Every working day of a month, in order.

        :param year: the year, e.g. 2026.
        :param month: the month, 1–12.
        """
        last_day = _stdlib_calendar.monthrange(year, month)[1]
        return self.working_days_between(date(year, month, 1), date(year, month, last_day))

    def working_days_between(self, start: date, end: date) -> list[date]:
        """Every working day from ``start`` to ``end``, both included, in order (empty if ``end < start``).

        :param start: the first day.
        :param end: the last day.
        """
        days = (start + timedelta(days=i) for i in range((end - start).days + 1))
        return [d for d in days if self.is_working_day(d)]

    def _lists(self, year: int) -> bool:
        return any(d.year == year for d in self.extra_holidays | self.extra_workdays)
