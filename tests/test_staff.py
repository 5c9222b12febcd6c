"""Staff without quotas: who carries a share of the region's target, and the own targets of those who do not."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from docgen.data.plan import Rules
from docgen.data.tables import fold
from docgen.plan.staff import OwnTarget, carries_quota, own_targets

DEFAULT_NO_QUOTA_ROLES = Rules().no_quota_roles


@dataclass
class _Person:
    role: str
    monthly_quota: Decimal | None = None


@dataclass
class _Target:
    item: str
    per_month: Decimal
    unit: str | None = None


def test_promoters_and_clerks_carry_no_target_by_default():
    assert DEFAULT_NO_QUOTA_ROLES == ["促銷員", "文員"]
    assert not carries_quota(_Person("促銷員"), DEFAULT_NO_QUOTA_ROLES, fold)
    assert not carries_quota(_Person("促销员"), DEFAULT_NO_QUOTA_ROLES, fold)  # either script
    assert not carries_quota(_Person("文員"), DEFAULT_NO_QUOTA_ROLES, fold)
    assert carries_quota(_Person("業務員"), DEFAULT_NO_QUOTA_ROLES, fold)
    assert carries_quota(_Person("區域經理"), DEFAULT_NO_QUOTA_ROLES, fold)


def test_a_quota_of_their_own_wins_over_the_role():
    # 篇1's store staff: 7.5萬 per person per month, whatever the role is called
    assert carries_quota(_Person("促銷員", Decimal(75_000)), DEFAULT_NO_QUOTA_ROLES, fold)


def test_the_roles_are_the_workspaces_choice():
    assert not carries_quota(_Person("區域經理"), ["區域經理"], fold)
    assert carries_quota(_Person("促銷員"), [], fold)


def test_own_targets_come_from_the_role_and_the_person_replaces_an_item():
    by_role = {"促销员": [_Target("培訓", Decimal(4), "節"), _Target("門店銷量", Decimal(20), "套")]}
    personal = [_Target("門店銷量", Decimal(30), "套"), _Target("陳列檢查", Decimal(8), "次")]
    assert own_targets("促銷員", personal, by_role, fold) == [
        OwnTarget("培訓", Decimal(4), "節"), OwnTarget("門店銷量", Decimal(30), "套"),
        OwnTarget("陳列檢查", Decimal(8), "次")]
    assert own_targets("文員", [], by_role, fold) == []
