"""Fiscal years of any start month and the period names of the command line (docgen.plan.fiscal)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.data.ledger import SaleLine
from docgen.plan.calendar import WorkCalendar, package_coverage
from docgen.plan.fiscal import (
    FiscalYear,
    MonthPeriod,
    MonthsPeriod,
    PeriodError,
    YearPeriod,
    month_labels,
    parse_period,
    working_days,
)
from docgen.plan.stats import sales_stats

FIRST, LAST = package_coverage()
starts = st.integers(1, 12)
# fiscal years whose every month the chinese-calendar package knows
covered = st.builds(FiscalYear, st.integers(FIRST, LAST - 1), starts)


def test_a_fiscal_year_from_august_runs_into_the_next_calendar_year():
    fy = FiscalYear(2026, 8)
    assert fy.months == ((2026, 8), (2026, 9), (2026, 10), (2026, 11), (2026, 12),
                         (2027, 1), (2027, 2), (2027, 3), (2027, 4), (2027, 5), (2027, 6), (2027, 7))
    assert fy.month(3) == (2027, 3) and fy.month(9) == (2026, 9)
    assert (fy.first_day, fy.last_day) == (date(2026, 8, 1), date(2027, 7, 31))
    assert fy.label == "2026/27"
    assert fy.title == "2026/27財年（2026年8月至2027年7月）"
    assert fy.period_text == "2026-08..2027-07"


def test_a_calendar_fiscal_year_keeps_its_old_names():
    fy = FiscalYear(2026)
    assert fy.months[0] == (2026, 1) and fy.months[-1] == (2026, 12)
    assert (fy.label, fy.title) == ("2026", "2026年度")


def test_the_fiscal_year_of_a_month():
    assert FiscalYear.of_month((2027, 3), 8) == FiscalYear(2026, 8)
    assert FiscalYear.of_month((2026, 8), 8) == FiscalYear(2026, 8)
    assert FiscalYear.of_month((2026, 7), 8) == FiscalYear(2025, 8)
    assert FiscalYear.of_month((2026, 7), 1) == FiscalYear(2026, 1)


def test_ytd_runs_from_the_fiscal_years_first_month():
    # 2027-03 in a year from August: Aug–Dec 2026 and Jan–Mar 2027, 8 months
    assert FiscalYear(2026, 8).ytd((2027, 3)) == ((2026, 8), (2026, 9), (2026, 10), (2026, 11), (2026, 12),
                                                   (2027, 1), (2027, 2), (2027, 3))
    with pytest.raises(ValueError, match="2026-07 is not in the fiscal year 2026/27"):
        FiscalYear(2026, 8).ytd((2026, 7))


def test_a_span_of_month_numbers_runs_in_fiscal_order():
    fy = FiscalYear(2026, 8)
    assert fy.span(9, 2) == (9, 10, 11, 12, 1, 2)
    assert fy.span(8, 7) == fy.numbers
    with pytest.raises(ValueError, match=r"end month 9 is before start month 3 in the fiscal year 2026/27 \(8月–7月\)"):
        fy.span(3, 9)


def test_month_labels_name_the_year_where_a_table_crosses_december():
    assert month_labels(FiscalYear(2026, 8), [11, 12, 1, 2]) == ["11月", "12月", "2027年1月", "2月"]
    assert month_labels(FiscalYear(2026), [1, 2]) == ["1月", "2月"]


def test_working_days_count_each_month_in_its_own_year():
    # 2026-10 has 16 working days (National Day week, 9/20 and 10/10 make-up days aside);
    # 2027 is not in the package: a workspace lists it as complete, with the Spring Festival off
    spring = frozenset(date(2027, 2, d) for d in range(8, 13))  # Mon 8 – Fri 12 February 2027
    calendar = WorkCalendar(extra_holidays=spring, complete_years=frozenset({2027}))
    days = working_days(FiscalYear(2026, 8), calendar)
    assert len(days[(2026, 10)]) == len(WorkCalendar().working_days(2026, 10))
    assert len(days[(2027, 2)]) == 20 - 5  # 20 weekdays in February 2027, five of them off


@given(covered)
def test_a_fiscal_year_has_twelve_consecutive_distinct_months(fy):
    months = fy.months
    assert len(set(months)) == 12 and months[0] == (fy.year, fy.start_month)
    for (y1, m1), (y2, m2) in pairwise(months):
        assert y2 * 12 + m2 == y1 * 12 + m1 + 1
    assert all(fy.contains(m) and FiscalYear.of_month(m, fy.start_month) == fy for m in months)
    assert fy.ytd(months[-1]) == months


@given(covered)
def test_the_months_working_days_are_the_two_calendar_years_days_in_the_span(fy):
    calendar = WorkCalendar()
    by_month = working_days(fy, calendar)
    in_span = calendar.working_days_between(fy.first_day, fy.last_day)
    assert [d for m in fy.months for d in by_month[m]] == in_span
    # …and they are the days of the first calendar year from the start plus the second's up to the end
    first_year = calendar.working_days_between(fy.first_day, date(fy.year, 12, 31))
    second_year = (calendar.working_days_between(date(fy.year + 1, 1, 1), fy.last_day)
                   if fy.crosses_december else [])
    assert sum(len(v) for v in by_month.values()) == len(first_year) + len(second_year)


@pytest.mark.parametrize("text", ["2026", "FY2026", "fy 2026", "2026財年", "2026/27", "2026-27", "2026/2027",
                                  "2026/27財年", "2026-08..2027-07", "2026年8月至2027年7月", "2026年度"])
def test_every_name_of_the_fiscal_year_from_august(text):
    assert parse_period(text, 8) == YearPeriod(FiscalYear(2026, 8))
    assert parse_period(text, 8).text == "2026"


@pytest.mark.parametrize("text", ["2027-03", "2027-3", "2027/03", "2027年3月", " 2027-03 "])
def test_a_month_finds_its_fiscal_plan(text):
    period = parse_period(text, 8)
    assert period == MonthPeriod((2027, 3), FiscalYear(2026, 8))
    assert period.text == "2027-03"


def test_a_span_that_is_not_a_fiscal_year_is_its_months():
    assert parse_period("2026-11..2027-02", 8) == MonthsPeriod(((2026, 11), (2026, 12), (2027, 1), (2027, 2)))


@pytest.mark.parametrize(("text", "start", "message"), [
    ("2026/27", 1, "'2026/27': the fiscal year is the calendar year (fiscal_year_start: 1): say 2026"),
    ("2026/28", 8, "'2026/28': expected a fiscal year like 2026/27 or FY2026, or a month like 2026-06"),
    ("2026-13", 8, "'2026-13': expected a fiscal year like 2026/27 or FY2026, or a month like 2026-06"),
    ("2026-13", 1, "'2026-13': expected a year like 2026 or a month like 2026-06"),
    ("2027-07..2026-08", 8, "'2027-07..2026-08': the span ends before it starts"),
    ("next year", 8, "'next year': expected a fiscal year like 2026/27 or FY2026, or a month like 2026-06"),
    ("2026-6-1", 1, "'2026-6-1': expected a year like 2026 or a month like 2026-06"),
])
def test_a_period_that_names_nothing_says_what_would(text, start, message):
    with pytest.raises(PeriodError) as e:
        parse_period(text, start)
    assert str(e.value) == message


# from 2012 on: "2011/12" would read as December 2011, as a month is written
@given(st.integers(2012, 2098), starts)
def test_every_spelling_of_a_fiscal_year_parses_to_it(year, start):
    fy = FiscalYear(year, start)
    names = [str(year), f"FY{year}", fy.period_text, fy.span_text]
    if fy.crosses_december:
        names += [fy.label, f"{year}/{year + 1}", f"{fy.label}財年"]
    assert {parse_period(n, start) for n in names} == {YearPeriod(fy)}


@given(st.integers(2000, 2100), st.integers(1, 12), starts)
def test_a_month_belongs_to_the_fiscal_year_whose_months_hold_it(year, month, start):
    period = parse_period(f"{year}-{month:02d}", start)
    assert isinstance(period, MonthPeriod) and (year, month) in period.fiscal.months


# -- YTD in the statistics ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Person:
    id: str
    name: str
    region: str


@dataclass(frozen=True)
class _Customer:
    id: str
    name: str
    region: str
    owner: str
    tier: str | None
    status: str = "active"


_months_2025_2027 = [(y, m) for y in (2025, 2026, 2027) for m in range(1, 13)]


@given(starts, st.sampled_from(_months_2025_2027[12:24]),
       st.lists(st.tuples(st.sampled_from(_months_2025_2027), st.integers(1, 10_000)), max_size=30))
def test_ytd_is_the_sum_over_the_fiscal_years_months_up_to_the_report(start, month, sold):
    """Whatever the start month: 累計 adds the sales of the fiscal year's first month to the report's,
    and the targets of the same months; sales before the fiscal year or after the month are left out."""
    fiscal = FiscalYear.of_month(month, start)
    lines = [SaleLine(date(y, m, 1), f"SO{i}", "C1", "P1", "K/A", "空調", None, Decimal(amount), i + 2)
             for i, ((y, m), amount) in enumerate(sold)]
    targets = {"P1": {m: Decimal(100) for m in _months_2025_2027}}
    people, customers = [_Person("P1", "王強", "E")], [_Customer("C1", "國美", "E", "P1", "VIP")]
    stats = sales_stats(month, lines, targets, people, customers, fiscal_start=start)
    span = set(fiscal.ytd(month))
    assert stats.total.ytd_actual == sum((Decimal(a) for m, a in sold if m in span), Decimal(0))
    assert stats.total.ytd_target == 100 * len(span) == 100 * (fiscal.position(month[1]) + 1)
