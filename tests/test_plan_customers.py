"""Tiers by last year's sales, visit cadence and due-ness, and the prospect quadrant."""
from datetime import date
from decimal import Decimal as D

import pytest

from docgen.plan.customers import (
    Quadrant,
    Tier,
    TierRules,
    VisitCadence,
    is_due,
    months_since,
    quadrant,
    tier_of,
)


@pytest.mark.parametrize("sales, tier", [
    (D(2_300_000), Tier.VIP),
    (D(1_000_000), Tier.VIP),  # thresholds are inclusive
    (D("999999.99"), Tier.FIRST),
    (D(500_000), Tier.FIRST),
    (D(100_000), Tier.SECOND),
    (D(99_999), Tier.OTHER),
    (D(0), Tier.OTHER),
    (None, Tier.OTHER),  # new customer, no sales last year
])
def test_tier_by_last_year_sales(sales: D | None, tier: Tier) -> None:
    assert tier_of(sales) == tier


def test_explicit_tier_wins() -> None:
    assert tier_of(D(20_000), explicit="VIP") == Tier.VIP
    assert tier_of(D(5_000_000), explicit=Tier.SECOND) == Tier.SECOND


def test_unknown_explicit_tier_is_refused() -> None:
    with pytest.raises(ValueError):
        tier_of(D(1), explicit="三級")


def test_configurable_thresholds_in_wan() -> None:
    rules = TierRules(vip=D(100), first=D(50), second=D(10))
    assert [tier_of(D(s), rules=rules) for s in (120, 50, 10, 9)] == [Tier.VIP, Tier.FIRST, Tier.SECOND, Tier.OTHER]


def test_tier_labels_are_the_document_labels() -> None:
    assert [str(t) for t in Tier] == ["VIP", "一級", "二級", "其他"]


def test_cadence_defaults() -> None:
    cadence = VisitCadence()
    assert [cadence.months(t) for t in Tier] == [1, 2, 3, None]
    assert VisitCadence(second=4).months("二級") == 4


def test_months_since_counts_calendar_months_across_the_year() -> None:
    assert months_since(date(2025, 12, 31), 2026, 1) == 1
    assert months_since(date(2025, 11, 1), 2026, 1) == 2
    assert months_since(date(2026, 1, 15), 2026, 1) == 0


@pytest.mark.parametrize("tier, last_visit, due", [
    (Tier.VIP, date(2025, 12, 20), True),  # a month ago, across the year end
    (Tier.VIP, date(2026, 1, 3), False),  # already visited this month
    (Tier.FIRST, date(2025, 12, 1), False),  # one month of two
    (Tier.FIRST, date(2025, 11, 30), True),
    (Tier.SECOND, date(2025, 11, 5), False),
    (Tier.SECOND, date(2025, 10, 5), True),
    (Tier.SECOND, None, True),  # never visited
    (Tier.OTHER, None, False),  # never due
    (Tier.OTHER, date(2020, 1, 1), False),
])
def test_due_in_january_2026(tier: Tier, last_visit: date | None, due: bool) -> None:
    assert is_due(tier, last_visit, 2026, 1) is due


def test_configured_second_tier_cadence() -> None:
    assert is_due("二級", date(2025, 11, 5), 2026, 1, VisitCadence(second=2))
    assert not is_due("二級", None, 2026, 1, VisitCadence(second=None))


@pytest.mark.parametrize("demand, days, expected", [
    (D(50000), 15, Quadrant.A),  # both thresholds inclusive
    (D("49999.99"), 15, Quadrant.B),
    (D(50000), 16, Quadrant.C),
    (D("49999.99"), 16, Quadrant.D),
    (D(200000), 3, Quadrant.A),
    (D(1000), 60, Quadrant.D),
])
def test_prospect_quadrant_at_5_wan_and_15_days(demand: D, days: int, expected: Quadrant) -> None:
    assert quadrant(demand, days) == expected


def test_quadrant_thresholds_are_configurable() -> None:
    assert quadrant(D(5), 30, large=D(5), fast_days=30) == "A"
