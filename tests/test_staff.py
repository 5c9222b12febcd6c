"""Staff without quotas: who carries a share of the region's target, and the own targets of those who do not."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from docgen.data.plan import CompanyPlan, Person, Plan, RegionPlan, Rules
from docgen.data.tables import fold
from docgen.plan.figures import region_targets
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


# -- the region's months shared among those who carry a quota --------------------------------------
ROLES = ["業務員", "區域經理", "促銷員", "文員", "促销员"]


def _plan(people: list[tuple[str, int | None]], task: int) -> Plan:
    region = RegionPlan(region="r", task=Decimal(task), people=[
        Person(id=f"p{i}", name=f"人{i}", role=role, region="r",
               monthly_quota=None if quota is None else Decimal(quota))
        for i, (role, quota) in enumerate(people)])
    return Plan(2026, CompanyPlan(), (region,), (), Rules(), "CNY", (dt.date(2026, 1, 1), dt.date(2026, 12, 31)))


@given(st.lists(st.tuples(st.sampled_from(ROLES), st.one_of(st.none(), st.integers(0, 500_000))), max_size=8),
       st.integers(0, 50_000_000))
def test_people_without_a_quota_take_no_share_and_the_months_still_add_up(people, task):
    plan = _plan(people, task)
    targets = region_targets(plan, "r", Decimal(100))
    carriers = {f"p{i}" for i, (role, quota) in enumerate(people)
                if quota is not None or role not in ("促銷員", "促销员", "文員")}
    for month in targets.months:
        assert set(targets.by_person[month]) == carriers
        assert sum(targets.by_person[month].values(), Decimal(0)) + targets.unassigned[month] \
            == targets.by_month[month]
    assert sum(targets.by_month.values(), Decimal(0)) == targets.basis
