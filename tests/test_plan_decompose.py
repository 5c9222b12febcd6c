"""Splits that always sum to the whole: months, weeks, days, people."""
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.errors import DataError
from docgen.plan.calendar import WorkCalendar
from docgen.plan.decompose import (
    NoWorkingDays,
    largest_remainder,
    shares,
    split_by_day,
    split_by_month,
    split_by_people,
    split_by_week,
    weeks_of_month,
)

CENT = D("0.01")


def test_largest_remainder_gives_left_over_quanta_to_largest_remainders() -> None:
    assert largest_remainder(D(10), [1, 1, 1], D(1)) == [D(4), D(3), D(3)]
    assert largest_remainder(D(100), [D("0.2"), D("0.5"), D("0.3")], D(1)) == [D(20), D(50), D(30)]
    assert largest_remainder(D("1.00"), [2, 1], CENT) == [D("0.67"), D("0.33")]


def test_ties_go_to_the_earlier_position() -> None:
    assert largest_remainder(D(2), [1, 1, 1], D(1)) == [D(1), D(1), D(0)]


def test_all_zero_weights_split_equally_and_zero_weight_gets_nothing() -> None:
    assert largest_remainder(D(9), [0, 0, 0], D(1)) == [D(3), D(3), D(3)]
    assert largest_remainder(D(9), [0, 1, 2], D(1)) == [D(0), D(3), D(6)]


def test_negative_total_mirrors_the_positive_split() -> None:
    assert largest_remainder(D(-10), [1, 1, 1], D(1)) == [D(-4), D(-3), D(-3)]


@pytest.mark.parametrize("total, weights, quantum", [
    (D("10.005"), [1, 1], CENT),  # not a multiple of the quantum
    (D(10), [1, -1], D(1)),  # negative weight
    (D(10), [], D(1)),  # no parts
    (D(10), [1], D(0)),  # no quantum
])
def test_bad_splits_are_refused(total: D, weights: list, quantum: D) -> None:
    with pytest.raises(ValueError):
        largest_remainder(total, weights, quantum)


def test_the_example_1092_wan_over_6_to_12_equally() -> None:
    assert split_by_month(D(1092), None, range(6, 13), CENT) == {m: D(156) for m in range(6, 13)}


def test_the_example_1092_wan_over_6_to_12_by_seasonality() -> None:
    weights = {1: D(1), 2: D(1), 3: D(2), 4: D(2), 5: D(2),  # outside the period: ignored
               6: D(3), 7: D(3), 8: D(3), 9: D(4), 10: D(4), 11: D(5), 12: D(5)}
    split = split_by_month(D(1092), weights, range(6, 13), D(1))
    # exact shares 121.33 ×3, 161.78 ×2, 202.22 ×2: the .78s get one each, the first .33 the last
    assert split == {6: D(122), 7: D(121), 8: D(121), 9: D(162), 10: D(162), 11: D(202), 12: D(202)}
    assert sum(split.values()) == D(1092)


def test_a_month_without_weight_is_refused() -> None:
    with pytest.raises(ValueError, match=r"month\(s\) \[7\]"):
        split_by_month(D(100), {6: D(1)}, [6, 7], D(1))


def test_weeks_of_october_2026_are_monday_to_sunday_clipped_to_the_month() -> None:
    assert weeks_of_month(2026, 10) == [
        (date(2026, 10, 1), date(2026, 10, 4)), (date(2026, 10, 5), date(2026, 10, 11)),
        (date(2026, 10, 12), date(2026, 10, 18)), (date(2026, 10, 19), date(2026, 10, 25)),
        (date(2026, 10, 26), date(2026, 10, 31))]
    assert weeks_of_month(2026, 12)[-1] == (date(2026, 12, 28), date(2026, 12, 31))


def test_weekly_split_of_october_2026_by_working_days() -> None:
    weeks = split_by_week(D(156), 2026, 10, WorkCalendar(), CENT)
    assert [(w.label, len(w.working_days), w.amount) for w in weeks] == [
        ("第1週", 0, D(0)),  # 10/1–10/4: all National Day
        ("第2週", 3, D(26)),  # 10/8, 10/9 and the make-up Saturday 10/10
        ("第3週", 5, D("43.34")),
        ("第4週", 5, D("43.33")),
        ("第5週", 5, D("43.33")),
    ]
    assert sum(w.amount for w in weeks) == D(156)


def test_daily_split_agrees_with_the_weekly_split() -> None:
    by_day = split_by_day(D(156), 2026, 10, WorkCalendar(), CENT)
    assert len(by_day) == 18 and sum(by_day.values()) == D(156)
    assert [by_day[date(2026, 10, d)] for d in (8, 9, 10)] == [D("8.67"), D("8.67"), D("8.66")]
    assert sum(by_day[date(2026, 10, d)] for d in range(12, 17)) == D("43.34")


def test_a_month_with_no_working_day_is_a_data_error() -> None:
    june = frozenset(date(2026, 6, d) for d in range(1, 31))
    with pytest.raises(NoWorkingDays) as caught:
        split_by_week(D(10), 2026, 6, WorkCalendar(extra_holidays=june), D(1))
    assert isinstance(caught.value, DataError)
    assert caught.value.format_message() == "2026-06 has no working days to split its amount over"


def test_people_explicit_quotas_first_then_weights() -> None:
    split = split_by_people(D(100), {"p1": D(40), "p2": None, "p3": None}, {"p2": D(2), "p3": D(1)}, D(1))
    assert split.amounts == {"p1": D(40), "p2": D(40), "p3": D(20)}
    assert split.warnings == ()


def test_people_without_weights_split_equally_in_given_order() -> None:
    split = split_by_people(D(100), {"p1": None, "p2": None, "p3": None}, None, D(1))
    assert split.amounts == {"p1": D(34), "p2": D(33), "p3": D(33)}


def test_people_quotas_over_the_amount_are_a_warning() -> None:
    split = split_by_people(D(120), {"p1": D(80), "p2": D(50), "p3": None}, None, D(1))
    assert split.amounts == {"p1": D(80), "p2": D(50), "p3": D(0)}
    assert split.warnings == ("個人定額合計 130 超過總額 120, 超出 10",)


def test_people_quotas_short_of_the_amount_are_a_warning() -> None:
    split = split_by_people(D(1200), {"p1": D(600), "p2": D(400)}, None, D(1))
    assert split.amounts == {"p1": D(600), "p2": D(400)}
    assert split.warnings == ("個人定額合計 1,000 低於總額 1,200, 未分配 200",)


def test_person_without_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="p2"):
        split_by_people(D(100), {"p1": None, "p2": None}, {"p1": D(1)}, D(1))


# --- properties: parts always sum to the whole --------------------------------------------------

quanta = st.sampled_from([D(1), CENT, D("0.1"), D(100), D("0.5")])
weights_lists = st.lists(
    st.one_of(st.integers(0, 10**6), st.decimals(0, 10**6, places=3)), min_size=1, max_size=60)


@given(st.integers(-10**12, 10**12), weights_lists, quanta)
def test_parts_always_sum_to_the_whole(units: int, weights: list, quantum: D) -> None:
    total = units * quantum
    parts = largest_remainder(total, weights, quantum)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    assert all(p % quantum == 0 for p in parts)


@given(st.integers(0, 10**9), weights_lists, quanta)
def test_each_part_is_within_one_quantum_of_its_exact_share(units: int, weights: list, quantum: D) -> None:
    total = units * quantum
    parts = largest_remainder(total, weights, quantum)
    weight_sum = sum(D(w) for w in weights)
    for part, w in zip(parts, weights, strict=True):
        exact = total * D(w) / weight_sum if weight_sum else total / len(weights)
        assert abs(part - exact) < quantum * D("1.000001")


@given(st.integers(0, 10**9), st.integers(1, 12), st.integers(2004, 2026))
def test_weeks_and_days_sum_to_the_month(cents: int, month: int, year: int) -> None:
    amount = cents * CENT
    weeks = split_by_week(amount, year, month, WorkCalendar(), CENT)
    assert sum(w.amount for w in weeks) == amount
    assert sum(split_by_day(amount, year, month, WorkCalendar(), CENT).values()) == amount


@given(st.integers(0, 10**9), st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=1, max_size=30))
def test_people_sum_to_the_amount_unless_warned(units: int, quotas: list) -> None:
    amount = D(units)
    people = {f"p{i}": (None if q is None else D(q)) for i, q in enumerate(quotas)}
    split = split_by_people(amount, people, None, D(1))
    assert list(split.amounts) == list(people)
    assert (sum(split.amounts.values()) == amount) == (not split.warnings)


def test_shares_sum_to_100_percent_where_rounding_one_by_one_does_not():
    # three equal parts round one by one to 33.3% × 3 = 99.9%; the largest remainder gives 33.4 + 33.3 + 33.3
    assert shares([D(1), D(1), D(1)]) == [D("0.334"), D("0.333"), D("0.333")]
    assert shares([D(0), D(0)]) is None


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=24))
def test_shares_always_sum_to_one(amounts):
    parts = shares([D(a) for a in amounts])
    if sum(amounts) == 0:
        assert parts is None
    else:
        assert parts is not None and sum(parts) == 1 and all(p >= 0 for p in parts)
