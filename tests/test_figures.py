"""The plan's decomposed targets: exact figures from the example, parts summing to wholes."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docgen.data.plan import load_plan
from docgen.documents.figures import all_targets, company_by_month, person_month_targets, region_targets
from docgen.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
HUNDRED = Decimal(100)  # 0.01萬元


@pytest.fixture(scope="module")
def plan():
    loaded, problems = load_plan(Workspace.open(REPO), 2026)
    assert loaded is not None, problems
    return loaded


def test_east_1092_wan_over_seven_months(plan):
    east = region_targets(plan, "east", HUNDRED)
    assert east.basis == Decimal(10_920_000)
    assert east.months == (6, 7, 8, 9, 10, 11, 12)
    assert set(east.by_month.values()) == {Decimal(1_560_000)}
    # quotas 30+30+30+30+32+7.5+7.5 = 167萬 a month, shared in that ratio
    assert east.by_person[6]["e05"] == Decimal(298_900)
    assert east.warnings == ("個人月定額合計 167萬 × 7個月 = 1,169萬, 區域任務 1,092萬: 按定額比例分配",)


def test_shandong_task_by_seasonality(plan):
    shandong = region_targets(plan, "shandong", HUNDRED)
    assert (shandong.task, shandong.target) == (Decimal(5_600_000), Decimal(7_000_000))
    # weights 0.6 .. 1.4 sum to 12.0: December is 1.4/12 of 560萬 = 653,333.33 → 653,300
    assert shandong.by_month[12] == Decimal(653_300)
    assert sum(shandong.by_month.values()) == Decimal(5_600_000)


def test_every_split_sums_to_its_whole(plan):
    for targets in all_targets(plan, HUNDRED).values():
        assert sum(targets.by_month.values()) == targets.basis
        for month, people in targets.by_person.items():
            assert sum(people.values()) == targets.by_month[month]
    per_person = person_month_targets(plan, HUNDRED)
    assert sum(sum(m.values()) for m in per_person.values()) == sum(company_by_month(plan, HUNDRED).values())
