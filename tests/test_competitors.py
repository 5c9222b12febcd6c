"""Competitors as structured data: shares read as people write them, and a check that they fit in the market."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.data.plan import Competitor
from docgen.plan.competitors import share_total_warning


@pytest.mark.parametrize(("written", "share"), [("35%", "0.35"), ("2.8%", "0.028"), ("12.5 ％", "0.125"),
                                                 (0.35, "0.35"), (35, "0.35"), ("100%", "1")])
def test_a_share_is_read_as_a_fraction(written, share):
    assert Competitor(name="格力", share=written).share == Decimal(share)


@pytest.mark.parametrize(("written", "price"), [("高端", "高"), ("中價", "中"), ("low", "低"), ("低", "低")])
def test_a_price_position_is_high_middle_or_low(written, price):
    assert Competitor(name="美的", price=written).price == price


@pytest.mark.parametrize(("field", "value", "message"), [
    ("share", "150%", "expected a share of at most 100%, got '150%'"),
    ("price", "便宜", "expected a price position 高, 中 or 低 (高端, 中端, 低端), got '便宜'"),
])
def test_a_bad_competitor_field_says_what_is_expected(field, value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Competitor(name="海爾", **{field: value})


def test_shares_above_the_whole_market_are_a_warning():
    # 格力 45% + 美的 40% + 海爾 20% = 105%
    assert share_total_warning([Decimal("0.45"), Decimal("0.40"), Decimal("0.20")]) == \
        "主要競爭對手的市場份額合計 105.0%，超過 100%，請核對"
    assert share_total_warning([Decimal("0.35"), None, Decimal("0.028")]) is None


@given(st.lists(st.one_of(st.none(), st.decimals(0, 1, places=3)), max_size=8))
def test_the_warning_appears_exactly_when_the_shares_exceed_the_market(shares):
    total = sum((s for s in shares if s is not None), Decimal(0))
    assert (share_total_warning(shares) is not None) == (total > 1)
