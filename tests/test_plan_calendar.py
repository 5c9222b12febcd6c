"""The working-day calendar: Mon–Fri, China's holidays and make-up days, workspace extras."""
from datetime import date

import pytest

from docgen.errors import DataError
from docgen.plan.calendar import CalendarNotCovered, WorkCalendar, package_coverage


def test_october_2026_has_national_day_off_and_saturday_10th_as_make_up_day() -> None:
    days = WorkCalendar().working_days(2026, 10)
    assert len(days) == 18
    assert days[:4] == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12)]
    assert date(2026, 10, 1) not in days and date(2026, 10, 7) not in days
    assert days[-1] == date(2026, 10, 30)


def test_make_up_sunday_before_national_day_is_a_working_day() -> None:
    assert WorkCalendar().is_working_day(date(2026, 9, 20))  # a Sunday, 調休
    assert not WorkCalendar().is_working_day(date(2026, 9, 25))  # Friday, Mid-autumn


def test_plain_weekend_and_weekday() -> None:
    cal = WorkCalendar()
    assert not cal.is_working_day(date(2026, 6, 6))  # Saturday
    assert cal.is_working_day(date(2026, 6, 8))  # Monday


def test_workspace_extra_holidays_and_workdays_win() -> None:
    cal = WorkCalendar(extra_holidays=frozenset({date(2026, 6, 8)}), extra_workdays=frozenset({date(2026, 10, 1)}))
    assert not cal.is_working_day(date(2026, 6, 8))
    assert cal.is_working_day(date(2026, 10, 1))
    assert len(cal.working_days(2026, 10)) == 19


def test_working_days_between_includes_both_ends() -> None:
    days = WorkCalendar().working_days_between(date(2026, 9, 28), date(2026, 10, 9))
    assert days == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9)]
    assert WorkCalendar().working_days_between(date(2026, 10, 9), date(2026, 10, 8)) == []


def test_package_coverage_is_read_from_the_package() -> None:
    first, last = package_coverage()
    assert first == 2004 and last >= 2026  # chinesecalendar 1.11 covers 2004–2026


def test_uncovered_year_is_a_clear_data_error() -> None:
    with pytest.raises(CalendarNotCovered) as caught:
        WorkCalendar().working_days(2099, 1)
    assert isinstance(caught.value, DataError)
    assert caught.value.year == 2099
    first, last = package_coverage()
    assert caught.value.format_message() == (
        f"2099 is not covered by the chinese-calendar package (covers {first}–{last}); "
        "list that year's public holidays and make-up working days under calendar.holidays and calendar.workdays "
        "in docgen.yaml and add 2099 to calendar.complete_years, or upgrade chinesecalendar")


def test_a_listed_holiday_alone_does_not_make_an_uncovered_year_known() -> None:
    # one company holiday in 2099 must not switch off the error (the Spring Festival would be ignored)
    with pytest.raises(CalendarNotCovered) as caught:
        WorkCalendar(extra_holidays=frozenset({date(2099, 6, 1)})).working_days(2099, 2)
    assert "docgen.yaml lists some days of 2099, but not that they are its whole calendar" in str(caught.value)


def test_an_uncovered_year_stated_complete_uses_the_workspace_lists() -> None:
    new_year = frozenset({date(2099, 1, 1)})
    cal = WorkCalendar(extra_holidays=new_year, complete_years=frozenset({2099}))
    days = cal.working_days(2099, 1)
    assert date(2099, 1, 1) not in days
    assert len(days) == 21  # 22 weekdays in January 2099, minus New Year's Day (a Thursday)


def test_the_workspace_states_a_complete_year_in_docgen_yaml(workspace) -> None:
    from docgen.documents.planning import work_calendar
    from docgen.workspace import Workspace

    config = workspace / "docgen.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  holidays: []", "  holidays: [2099-06-01]"), encoding="utf-8")
    with pytest.raises(CalendarNotCovered):
        work_calendar(Workspace.open(workspace)).working_days(2099, 2)
    config.write_text(text.replace("  holidays: []", "  holidays: [2099-06-01]\n  complete_years: [2099]"),
                      encoding="utf-8")
    assert len(work_calendar(Workspace.open(workspace)).working_days(2099, 2)) == 20   # Mon–Fri of Feb 2099
