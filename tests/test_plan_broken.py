"""Broken workspaces under tests/broken/: each gives exactly the messages users would read."""
from __future__ import annotations

from pathlib import Path

import pytest

from docgen.data.plan import load_plan
from docgen.workspace import Workspace

BROKEN = Path(__file__).parent / "broken"
REGION = "plans/2026/regions/south.yaml"

CASES = {
    "missing_region": [
        "plans/2026/regions/north.yaml:2: region: region 'north' is not declared in docgen.yaml "
        "(declared: south)",
        f"{REGION}:6: people[2].region: 'north' is not this file's region 'south'; "
        "list the person in that region's file",
    ],
    "unknown_owner": [
        "plans/2026/customers/south.csv:3:業務員: owner: no person with id 'x99' in the 2026 plan",
    ],
    "negative_weight": [
        f"{REGION}:9: seasonality[3]: expected a weight ≥ 0, got -0.5",
    ],
    "task_outside_phase": [
        f"{REGION}:13: phases[0].tasks[1].date: 2026-07-02 is outside the phase 第一階段 "
        "(2026-05-08 to 2026-06-30)",
        f"{REGION}:14: phases[0].tasks[2].end: 2026-07-05 is outside the phase 第一階段 "
        "(2026-05-08 to 2026-06-30)",
    ],
    "bad_date": [
        f"{REGION}:9: phases[0].end: expected a date like 2026-05-08, got '2026-13-01'",
        f"{REGION}:11: phases[0].tasks[0].date: expected a date like 2026-05-08, got '五月八日'",
    ],
    "broken_yaml": [
        f"{REGION}:4: invalid YAML: expected ',' or '}}', but got '{{' "
        "(while parsing a flow mapping started at line 3)",
    ],
    "wrong_type": [
        f"{REGION}:4: people[1].name: expected a string, got a list",
    ],
    "many": [
        "docgen.yaml:6: rules.tier_thresholds: thresholds must fall from VIP to 一級 to 二級",
        "plans/2026/company.yaml:1: year: year 2025 does not match the folder plans/2026",
        "plans/2026/customers/south.csv:1:傳真: warning: unknown column (ignored)",
        "plans/2026/customers/south.csv:2:等級: tier: expected VIP, 一級, 二級 or 其他, got 'A級'",
        "plans/2026/customers/south.csv:3:上次拜訪: last_visit: expected a date like 2026-05-08, "
        "got '2026-04-31'",
        "plans/2026/customers/south.csv:3:狀態: status: expected prospect, active or lost "
        "(潛在, 合作中, 流失), got '暫停'",
        "plans/2026/customers/south.csv:4: warning: prospect without monthly_demand and days_to_close: "
        "it cannot be placed in the quadrant",
        "plans/2026/customers/south.csv:5:區域: region: region '華北區' is not declared in docgen.yaml "
        "(declared: south, east)",
        "plans/2026/customers/south.csv:6:編號: id: customer id 'S003' is used twice "
        "(first at plans/2026/customers/south.csv:4)",
        "plans/2026/regions/east.yaml:4: people[0].channel: no channel 'online' in company.yaml "
        "(channels: stores)",
        "plans/2026/regions/east.yaml:5: people[1].id: person id 'e01' is used twice "
        "(first at plans/2026/regions/east.yaml:4)",
        f"{REGION}:2: period.end: expected a month 1–12, got 13",
        f"{REGION}:3: task: expected an amount like 1092萬 or 10920000 (元), got '一千萬'",
        f"{REGION}:6: people[1].monthly_quota: expected an amount of 0 or more, got '-5萬'",
    ],
}


def load(case: str, strict: bool = False):
    return load_plan(Workspace.open(BROKEN / case), 2026, strict=strict)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_workspace_reports_exactly(case: str) -> None:
    plan, problems = load(case)
    assert [str(p) for p in problems] == CASES[case]
    assert plan is None


def test_every_case_has_a_folder() -> None:
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert folders == set(CASES) | {"unknown_key"}


def test_unknown_key_is_a_warning_and_the_plan_loads() -> None:
    plan, problems = load("unknown_key")
    assert [str(p) for p in problems] == [
        f"{REGION}:5: warning: people[0].nickname: unknown key (ignored)"]
    assert plan is not None and plan.person("s01").name == "黃家輝"


def test_unknown_key_is_an_error_when_strict() -> None:
    plan, problems = load("unknown_key", strict=True)
    assert [str(p) for p in problems] == [f"{REGION}:5: people[0].nickname: unknown key"]
    assert problems[0].is_error and plan is None


def test_cross_references_wait_for_the_files_they_need() -> None:
    # south.yaml fails in "many": its people are unknown, so east's manager x01 is not reported
    _, problems = load("many")
    assert not any("x01" in str(p) for p in problems)
