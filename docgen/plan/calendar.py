"""The working-day calendar: Mon–Fri, minus China's public holidays, plus its make-up working days (調休).

Holidays and make-up days come from the ``chinese-calendar`` package for the years it covers;
a workspace adds its own extra holidays and extra working days on top (they always win).

A year the package does not cover is an error (:class:`CalendarNotCovered`) unless the workspace
lists at least one extra holiday or extra working day in that year: the workspace's list is then
taken as that year's complete calendar (Mon–Fri, minus its holidays, plus its working days).
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

    def __init__(self, year: int) -> None:
        first, last = package_coverage()
        super().__init__(
            f"{year} is not covered by the chinese-calendar package (covers {first}–{last}); "
            f"list that year's holidays under calendar.holidays in docgen.yaml or upgrade chinesecalendar"
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
    """

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

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
            return chinese_calendar.is_workday(d)
        if self._workspace_covers(d.year):
            return d.weekday() < 5
        raise CalendarNotCovered(d.year)

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

    def _workspace_covers(self, year: int) -> bool:
        return any(d.year == year for d in self.extra_holidays | self.extra_workdays)
