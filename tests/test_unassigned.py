"""A target nobody carries is kept, shown as 未分配 and warned about; ``monthly_quota: 0`` means zero."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example, docx_document, docx_tables
from test_sales_stats_doc import write_hand_ledgers

from docgen.cli import cli
from docgen.data.plan import load_plan
from docgen.plan.figures import region_targets
from docgen.workspace import Workspace

WAN = D(10000)


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


@pytest.fixture(scope="module")
def west(tmp_path_factory) -> Path:
    """The example plus 西部區: task 300萬 over 12 equal months (25萬 each), nobody on its team."""
    ws = copy_example(tmp_path_factory.mktemp("west") / "ws")
    write_hand_ledgers(ws)
    config = ws / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - {id: shandong, name: 山東區}", "  - {id: shandong, name: 山東區}\n  - {id: west, name: 西部區}"),
        encoding="utf-8")
    (ws / "plans" / "2026" / "regions" / "west.yaml").write_text(
        "region: west\nprovinces: [四川省]\nperiod: {start: 1, end: 12}\ntask: 300萬\n", encoding="utf-8")
    return ws


def test_validate_warns_about_the_target_nobody_carries(west):
    result = run(west, "validate")
    assert result.exit_code == 0
    assert ("plans/2026/regions/west.yaml:1: warning: people: 西部區：沒有業務員，區域任務 300萬 未分配到個人，"
            "各統計表列為「未分配」") in result.stdout.splitlines()


def test_company_statistics_keep_the_region_target(west):
    assert run(west, "render", "sales-stats", "--period", "2026-06", "--format", "docx").exit_code == 0
    tables = docx_tables(docx_document(west / "output" / "2026-06" / "company" / "sales-stats.docx"))
    people = next(t for t in tables if t[0][:3] == ["業務員", "目標", "實績"])
    regions = next(t for t in tables if t[0][:3] == ["區域", "目標", "實績"])
    assert people[-2][:4] == ["未分配（西部區）", "25.00", "0.00", "0.0%"]
    assert regions[-2][:3] == ["西部區", "25.00", "0.00"]
    # June: 華南區, 華東區, 山東區's months (their people carry them all) + 西部區's 25.00
    assert people[-1][1] == regions[-1][1]
    assert D(people[-1][1]) == sum(D(r[1]) for r in people[1:-1])
    assert D(regions[-1][1]) == sum(D(r[1]) for r in regions[1:-1])
    summary = next(t for t in tables if t[0][:2] == ["業務員", "區域"] and "考核總分" in t[0])
    assert all(not r[0].startswith("未分配") for r in summary[1:])      # nobody to appraise


def test_the_regions_monthly_plan_adds_up(west):
    result = run(west, "render", "monthly-plan", "--period", "2026-06", "--region", "west", "--format", "docx")
    assert result.exit_code == 0
    doc = docx_document(west / "output" / "2026-06" / "west" / "monthly-plan.docx")
    weeks = next(t for t in docx_tables(doc) if t[0][:2] == ["業務員", "工作日"])
    assert weeks[-2][0] == "未分配" and weeks[-2][-1] == "25.00"
    assert weeks[-1][0] == "區域合計" and weeks[-1][-1] == "25.00"
    assert weeks[-1][2:] == weeks[-2][2:]
    assert any("西部區" not in p.text and "未分配到個人" in p.text for p in doc.paragraphs)


def test_monthly_quota_zero_means_zero(tmp_path):
    ws = copy_example(tmp_path / "ws")
    region = ws / "plans" / "2026" / "regions" / "shandong.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace(
        "{id: d04, name: 馮雪, role: 業務員,", "{id: d04, name: 馮雪, role: 文員, monthly_quota: 0,"), encoding="utf-8")
    plan, problems = load_plan(Workspace.open(ws), 2026)
    assert plan is not None, problems
    t = region_targets(plan, "shandong", D(100))
    # June: 560萬 × 0.9 ÷ 12.0 = 42萬, shared by the three without a quota (equal weights), none for 馮雪
    assert t.by_person[6] == {"d01": 14 * WAN, "d02": 14 * WAN, "d03": 14 * WAN, "d04": D(0)}
    assert all(v == 0 for v in t.unassigned.values())


def test_everyone_at_zero_leaves_the_region_unassigned(tmp_path):
    ws = copy_example(tmp_path / "ws")
    region = ws / "plans" / "2026" / "regions" / "shandong.yaml"
    text = region.read_text(encoding="utf-8")
    for pid in ("d01", "d02", "d03", "d04"):
        text = text.replace(f"{{id: {pid}, ", f"{{id: {pid}, monthly_quota: 0, ")
    region.write_text(text, encoding="utf-8")
    plan, _ = load_plan(Workspace.open(ws), 2026)
    assert plan is not None
    t = region_targets(plan, "shandong", D(100))
    assert set(t.by_person[6].values()) == {D(0)} and t.unassigned[6] == 42 * WAN
    assert t.warnings == (
        "沒有人承擔銷售定額（個人月定額均為 0），區域任務 560萬 未分配到個人，各統計表列為「未分配」",)


def test_the_annual_plans_show_the_unassigned_part_and_add_up(west):
    from test_totals import Tables, _mismatches

    for region in ("west", None):
        args = ("render", "annual-plan", "--format", "html") + (("--region", region) if region else ())
        assert run(west, *args).exit_code == 0
        parser = Tables()
        parser.feed((west / "output" / "2026" / (region or "company") / "annual-plan.html").read_text(encoding="utf-8"))
        assert [_mismatches(t) for t in parser.tables if _mismatches(t)] == []
        people = next(t for t in parser.tables if t["rows"][0][:2] == ["區域", "姓名"] and "期間目標" in t["rows"][0])
        assert ["西部區", "未分配", "", "", "", "300.00", "25.00"] in people["rows"]
