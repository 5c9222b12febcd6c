"""The display unit (:mod:`docgen.plan.units`): one object for every way money is printed."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.plan.units import WAN_YUAN, YUAN, Amount, Unit, money_unit
from docgen.render.filters import money


def test_wan_yuan_prints_two_places_with_separators() -> None:
    # 10,920,000 元 ÷ 10,000 = 1,092 萬元, two places
    assert WAN_YUAN.format(D(10920000)) == "1,092.00"
    assert WAN_YUAN.text(D(10920000)) == "1,092.00萬元"
    # 12,345,650 元 = 1,234.565 萬: the half rounds up, as in every table
    assert WAN_YUAN.format(D(12345650)) == "1,234.57"


def test_yuan_prints_whole_yuan() -> None:
    assert YUAN.format(D("1234567.5")) == "1,234,568"
    assert YUAN.text(D(800)) == "800元"


def test_quantum_is_the_smallest_printed_step() -> None:
    assert WAN_YUAN.quantum == D(100)      # 0.01 萬元
    assert YUAN.quantum == D(1)
    assert money_unit("万元").quantum == D(100)


def test_plain_amount_in_a_sentence_keeps_every_digit_and_no_trailing_zero() -> None:
    assert WAN_YUAN.plain(D(1000000)) == "100萬"
    assert WAN_YUAN.plain(D(10920000)) == "1,092萬"
    assert WAN_YUAN.plain(D(75000)) == "7.5萬"
    assert YUAN.plain(D(100000)) == "100,000元"


def test_scaled_and_base_are_inverse() -> None:
    assert WAN_YUAN.scaled(D(75000)) == D("7.5")
    assert WAN_YUAN.base(D("7.5")) == D(75000)


def test_the_money_filter_is_the_unit_format() -> None:
    assert money(D(10920000), "萬元") == "1,092.00"
    assert money(D(10920000), "元") == "10,920,000"
    assert money(None, "萬元") == "—"
    assert money(D(10920000), "萬元", places=0) == "1,092"


def test_an_unknown_money_unit_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        money_unit("美元")


def test_an_amount_prints_with_its_unit_and_a_quantity_unit_fits_the_same_shape() -> None:
    assert str(Amount(D(10920000), WAN_YUAN)) == "1,092.00萬元"
    # the shape a physical quantity takes (issue 10): 400,000 套 shown in 萬套, 7,000 噸 as is
    sets = Unit("萬套", D(10000), 0, "萬套")
    tonnes = Unit("噸", D(1), 0, "噸")
    assert str(Amount(D(400000), sets)) == "40萬套"
    assert tonnes.plain(D(7000)) == "7,000噸"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_a_printed_figure_reads_back_within_half_a_step(cents: int) -> None:
    amount = D(cents) / 100
    for unit in (YUAN, WAN_YUAN):
        shown = D(unit.format(amount).replace(",", ""))
        assert abs(unit.base(shown) - amount) <= unit.quantum / 2
        assert unit.base(unit.scaled(amount)) == amount
