"""Visit scheduling: precedence, capacity, spreading, fixed dates, and nothing dropped."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.plan.calendar import WorkCalendar
from docgen.plan.schedule import Priority, VisitCandidate, schedule_visits

OCTOBER = WorkCalendar().working_days(2026, 10)  # 18 days, 10/8 … 10/30


def candidates(*priorities: str) -> list[VisitCandidate]:
    return [VisitCandidate(f"c{i}", f"客戶{i}", p) for i, p in enumerate(priorities, start=1)]


def test_few_visits_are_spread_over_the_month_in_precedence_order() -> None:
    schedule = schedule_visits(candidates("二級", "B", "VIP", "A", "一級", "VIP"), OCTOBER, 2)
    assert [(v.candidate.customer_id, v.day) for v in schedule.scheduled] == [
        ("c3", date(2026, 10, 8)),  # VIP
        ("c6", date(2026, 10, 12)),  # VIP, in input order
        ("c5", date(2026, 10, 15)),  # 一級
        ("c4", date(2026, 10, 20)),  # A
        ("c2", date(2026, 10, 23)),  # B
        ("c1", date(2026, 10, 28)),  # 二級
    ]
    assert schedule.unscheduled == ()


def test_overflow_fills_every_slot_and_lists_the_rest_by_precedence() -> None:
    week = [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    schedule = schedule_visits(candidates("二級", "二級", "A", "VIP", "一級", "B", "VIP", "二級"), week, 2)
    days = [v.day for v in schedule.scheduled]
    assert all(days.count(d) == 2 for d in week)
    assert [v.candidate.customer_id for v in schedule.scheduled] == ["c4", "c7", "c5", "c3", "c6", "c1"]
    assert [c.customer_id for c in schedule.unscheduled] == ["c2", "c8"]


def test_more_visits_than_days_go_round_robin_before_doubling_up() -> None:
    schedule = schedule_visits(candidates(*["VIP"] * 20), OCTOBER, 2)
    per_day = {d: sum(1 for v in schedule.scheduled if v.day == d) for d in OCTOBER}
    assert sorted(per_day.values()) == [1] * 16 + [2] * 2
    assert schedule.unscheduled == ()


def test_fixed_dates_are_kept_and_use_capacity() -> None:
    week = [date(2026, 10, 8), date(2026, 10, 9)]
    fixed = {"c3": date(2026, 10, 8), "c9": date(2026, 10, 11)}  # c9 is not a candidate: ignored
    schedule = schedule_visits(candidates("VIP", "VIP", "二級"), week, 1, fixed)
    assert [(v.candidate.customer_id, v.day, v.fixed) for v in schedule.scheduled] == [
        ("c3", date(2026, 10, 8), True),
        ("c1", date(2026, 10, 9), False),
    ]
    assert [c.customer_id for c in schedule.unscheduled] == ["c2"]


def test_a_fixed_date_on_a_non_working_day_is_honoured() -> None:
    schedule = schedule_visits(candidates("一級"), OCTOBER, 2, {"c1": date(2026, 10, 3)})
    assert [(v.day, v.fixed) for v in schedule.scheduled] == [(date(2026, 10, 3), True)]


def test_no_capacity_schedules_nothing_and_drops_nothing() -> None:
    schedule = schedule_visits(candidates("VIP", "A"), OCTOBER, 0)
    assert schedule.scheduled == ()
    assert [c.customer_id for c in schedule.unscheduled] == ["c1", "c2"]


def test_priorities_are_checked() -> None:
    assert VisitCandidate("c1", "客戶", "A").priority is Priority.A
    with pytest.raises(ValueError):
        VisitCandidate("c1", "客戶", "C")  # C/D prospects are not scheduled
    with pytest.raises(ValueError):
        schedule_visits([], OCTOBER, -1)


@given(st.lists(st.sampled_from(list(Priority)), max_size=80), st.integers(0, 4), st.integers(0, 18))
def test_every_candidate_is_scheduled_or_listed_and_capacity_holds(priorities: list, capacity: int,
                                                                   n_days: int) -> None:
    days = OCTOBER[:n_days]
    schedule = schedule_visits(candidates(*priorities), days, capacity)
    placed = [v.candidate for v in schedule.scheduled]
    assert sorted(c.customer_id for c in placed + list(schedule.unscheduled)) == sorted(
        f"c{i}" for i in range(1, len(priorities) + 1))
    assert len(placed) == min(len(priorities), capacity * n_days)
    assert all(sum(1 for v in schedule.scheduled if v.day == d) <= capacity for d in days)
    if placed and schedule.unscheduled:  # nothing placed ranks below anything left out
        rank = list(Priority).index
        assert (max(rank(Priority(c.priority)) for c in placed)
                <= min(rank(Priority(c.priority)) for c in schedule.unscheduled))
