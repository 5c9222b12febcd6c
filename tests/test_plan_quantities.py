"""Quantities, channel months and count targets split exactly like money: parts sum to the whole."""
import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.data.ledger import SaleLine
from docgen.data.values import Quantity
from docgen.plan.quantities import (
    channel_months,
    check_parts,
    count_months,
    decompose,
    ledger_quantities,
    quantity_quantum,
    quantity_weights,
    region_quantity,
    to_quantum,
)
from docgen.plan.units import quantity_text

TON = D(1)


def test_seed4_7000_tons_over_12_months_and_8_representatives() -> None:
    # 篇4: 7,000噸 a year, equal months: 7000 / 12 = 583.33 → 583 each (6,996), the 4 tons left go to
    # the four largest remainders, all equal, so to the first four months: 584, 584, 584, 584, 583 × 8.
    # Month 1 (584) among 8 equal representatives: 73 each. Month 5 (583): 72.875 → 72 each (576),
    # 7 left → the first seven get 73, the eighth 72.
    people = {f"a{i}": D(1) for i in range(1, 9)}
    d = decompose(D(7000), range(1, 13), None, people, TON)
    assert [d.by_month[m] for m in range(1, 13)] == [D(584)] * 4 + [D(583)] * 8
    assert set(d.by_person[1].values()) == {D(73)}
    assert list(d.by_person[5].values()) == [D(73)] * 7 + [D(72)]
    assert sum(d.by_month.values()) == D(7000) and all(v == 0 for v in d.unassigned.values())
    assert d.person_total("a1") == 4 * D(73) + 8 * D(73)


def test_a_team_that_carries_nothing_leaves_the_month_unassigned() -> None:
    d = decompose(D(120), range(1, 4), None, {"p1": D(0)}, TON)
    assert d.by_person[1] == {"p1": D(0)} and d.unassigned == {1: D(40), 2: D(40), 3: D(40)}


def test_tenths_of_a_ton_when_the_plan_says_so() -> None:
    # 10噸 over 3 months at 0.1噸: 3.33… → 3.3 × 3 = 9.9, 0.1 left to the first month: 3.4, 3.3, 3.3
    d = decompose(D(10), [1, 2, 3], None, {"p": D(1)}, quantity_quantum(1))
    assert d.by_month == {1: D("3.4"), 2: D("3.3"), 3: D("3.3")}


def test_a_stated_figure_is_rounded_to_the_quantum_half_up() -> None:
    assert to_quantum(D("7000.5"), TON) == D(7001) and to_quantum(D("12.34"), D("0.1")) == D("12.3")


def test_region_quantity_is_the_stated_year_else_monthly_times_months() -> None:
    # 篇4 states both: 7,000噸 is decomposed (the 6,000噸 of 500 × 12 is a warning elsewhere)
    assert region_quantity(D(7000), D(500), 12) == D(7000)
    assert region_quantity(None, D(500), 12) == D(6000)
    assert region_quantity(None, None, 12) is None


def test_quantity_weights_stated_else_the_money_weights() -> None:
    money = {"a": D(300000), "b": D(100000)}
    assert quantity_weights({"a": None, "b": None}, money) == money
    # a states 60噸, b nothing (the average of the positive: 60), c 0 (carries nothing); d states nothing and
    # carries no money target (a promoter): nothing
    money = {**money, "c": D(1), "d": D(0)}
    assert quantity_weights({"a": D(60), "b": None, "c": D(0), "d": None}, money) == \
        {"a": D(60), "b": D(60), "c": D(0), "d": D(0)}


def test_seed1_channels_share_each_month_in_proportion_to_their_quotas() -> None:
    # 篇1 East China: 156萬 a month (1,560,000 元, at 100 元 steps = 15,600 steps) among 直營店 180萬,
    # 大中型客戶 720萬, 經銷商 192萬 (1,092萬): 2,571.43, 10,285.71, 2,742.86 steps → floors 2,571 + 10,285
    # + 2,742 = 15,598; the 2 left go to the remainders .86 (經銷商) and .71 (大中型): 257,100 + 1,028,600
    # + 274,300 = 1,560,000.
    by_month = {m: D(1560000) for m in range(6, 13)}
    quotas = {"直營店": D(1800000), "大中型專業客戶": D(7200000), "經銷商": D(1920000)}
    out = channel_months(by_month, quotas, D(100))
    assert out["直營店"][6] == D(257100) and out["大中型專業客戶"][6] == D(1028600) and out["經銷商"][6] == D(274300)


def test_channels_without_a_positive_quota_have_no_monthly_targets() -> None:
    assert channel_months({1: D(10)}, {"a": D(0)}, TON) == {} and channel_months({1: D(10)}, {}, TON) == {}


def test_count_targets_by_month() -> None:
    # 篇4: 10 new customers every month; a yearly 50 alone over 12 months: 4 each (48), 2 left → months 1, 2
    assert count_months(range(1, 13), 10, 50) == {m: D(10) for m in range(1, 13)}
    assert [v for v in count_months(range(1, 13), None, 50).values()] == [D(5), D(5)] + [D(4)] * 10
    assert count_months(range(1, 13), None, None) == {}


def test_ledger_quantities_replace_the_amount_in_the_plan_unit() -> None:
    # the example's ledger counts 公斤: 154 公斤 × 0.001 = 0.154噸; a line without 數量 counts 0
    line = SaleLine(dt.date(2026, 6, 1), "SO1", "C1", "s01", "", "熱熔膠", D(154), D(3234), 2)
    blank = SaleLine(dt.date(2026, 6, 1), "SO1", "C1", "s01", "", "白膠", None, D(10), 3)
    assert [ln.amount for ln in ledger_quantities([line, blank], D("0.001"))] == [D("0.154"), D(0)]


# -- properties ---------------------------------------------------------------------------------
_weights = st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=8)


@given(total=st.integers(min_value=0, max_value=10**9), decimals=st.integers(0, 2),
       season=st.lists(st.decimals(min_value=0, max_value=5, places=1), min_size=12, max_size=12),
       people=_weights)
def test_quantity_parts_sum_to_the_whole(total: int, decimals: int, season: list[D], people: list[D]) -> None:
    quantum = quantity_quantum(decimals)
    seasonality = {m: w for m, w in enumerate(season, start=1)} if any(season) else None
    weights = {f"p{i}": w for i, w in enumerate(people)}
    d = decompose(D(total), range(1, 13), seasonality, weights, quantum)
    assert sum(d.by_month.values()) == D(total)
    for m in d.months:
        assert sum(d.by_person[m].values()) + d.unassigned[m] == d.by_month[m]
        assert all(v >= 0 and (v / quantum) == (v / quantum).to_integral_value() for v in d.by_person[m].values())


@given(months=st.lists(st.integers(0, 10**8), min_size=1, max_size=12), quotas=_weights)
def test_channel_months_sum_to_the_region_month(months: list[int], quotas: list[D]) -> None:
    by_month = {m: D(v) for m, v in enumerate(months, start=1)}
    out = channel_months(by_month, {f"c{i}": q for i, q in enumerate(quotas)}, TON)
    if sum(quotas) > 0:
        for m, amount in by_month.items():
            assert sum(channel[m] for channel in out.values()) == amount
    else:
        assert out == {}


@given(yearly=st.integers(0, 10_000), n=st.integers(1, 12))
def test_yearly_counts_split_into_whole_months_that_sum_to_the_year(yearly: int, n: int) -> None:
    by_month = count_months(range(1, n + 1), None, yearly)
    assert sum(by_month.values()) == yearly and all(v == v.to_integral_value() for v in by_month.values())


def test_negative_places_are_refused() -> None:
    with pytest.raises(ValueError):
        quantity_quantum(-1)


def test_parts_that_do_not_add_up_are_a_warning_with_both_numbers() -> None:
    # channels 4,000 + 2,500 = 6,500噸 against the region's 7,000噸: 500 short
    assert check_parts("各渠道數量定額合計", D(6500), "期間數量", D(7000), "噸") == \
        "各渠道數量定額合計 6,500噸, 期間數量 7,000噸, 相差 -500噸"
    assert check_parts("a", D(7000), "b", D("7000.0"), "噸") is None


def test_quantities_print_with_separators_or_in_wan_never_as_a_bare_long_number() -> None:
    # 篇3: a market of 40萬套 and a target of 5萬套; 篇4: 7,000噸
    assert quantity_text(D(400000), "套") == "40萬套" and quantity_text(D(125000), "套") == "12.5萬套"
    assert quantity_text(D(50000), "套") == "50,000套" and quantity_text(D(7000), "噸") == "7,000噸"
    assert quantity_text(D(123456), "箱") == "123,456箱" and quantity_text(D("12.5"), "噸") == "12.5噸"
    assert str(Quantity.model_validate("40萬套")) == "40萬套"
    assert Quantity.model_validate(str(Quantity.model_validate("7000噸"))) == Quantity.model_validate("7000噸")
