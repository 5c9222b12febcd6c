"""Company-level ``phases:`` in company.yaml (篇3's four phases belong to the whole branch).

The company's annual plan shows them without a region label; each region's annual plan shows them under
公司工作階段, before its own phases (under the region's name).  Problems are located as for a region's phases,
and the plan workbook carries them (區域 全公司).
"""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import copy_example, docx_document, docx_tables

from docgen.cli import cli
from docgen.data.plan import load_plan
from docgen.workspace import Workspace

COMPANY_PHASES = """
phases:
  - name: 全年推廣
    start: 2026-03-01
    end: 2026-12-31
    owner: s01
    goal: 全公司的品牌推廣。
    tasks:
      - {start: 2026-03-01, end: 2026-03-31, title: 春季展會, owner: e01}
      - {date: 2026-10-15, title: 秋季訂貨會}
"""


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


def company_phase_workspace(dest: Path, phases: str = COMPANY_PHASES) -> Path:
    ws = copy_example(dest)
    company = ws / "plans" / "2026" / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8") + phases, encoding="utf-8")
    return ws


def headings(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx_document(path).paragraphs if p.style.name.startswith("Heading")]


def test_company_phases_in_the_company_plan_and_under_each_regions_plan(tmp_path: Path) -> None:
    ws = company_phase_workspace(tmp_path / "ws")
    assert run(ws, "validate").exit_code == 0
    for region in (None, "east", "south"):
        args = ["--region", region] if region else []
        result = run(ws, "render", "annual-plan", "--period", "2026", "--format", "docx", *args)
        assert result.exit_code == 0, result.output
    out = ws / "output" / "2026"
    company = headings(out / "company" / "annual-plan.docx")
    # the company's own phase unlabelled, first; 華東區's labelled with its region
    assert [t for s, t in company if s == "Heading 3" and "日至" in t] == [
        "全年推廣（3月1日至12月31日）", "華東區第一階段（5月8日至6月30日）"]
    east = headings(out / "east" / "annual-plan.docx")
    at = east.index(("Heading 3", "公司工作階段"))
    assert east[at + 1] == ("Heading 4", "全年推廣（3月1日至12月31日）")
    assert ("Heading 3", "華東區工作階段") in east[at + 2:]
    assert ("Heading 4", "第一階段（5月8日至6月30日）") in east[at + 2:]
    south = headings(out / "south" / "annual-plan.docx")
    assert south[south.index(("Heading 3", "公司工作階段")) + 1] == ("Heading 4", "全年推廣（3月1日至12月31日）")
    assert not any(t == "華南區工作階段" for _, t in south)  # 華南區 has no phases of its own
    tasks = next(t for t in docx_tables(docx_document(out / "south" / "annual-plan.docx"))
                 if t[0][:4] == ["序號", "日期", "時間", "工作內容"])
    assert [r[1:5] for r in tasks[1:]] == [["3月1日–31日", "", "春季展會", "王志強"],
                                            ["10月15日", "", "秋季訂貨會", "黃家輝"]]


def test_company_phase_problems_are_located_like_a_regions(tmp_path: Path) -> None:
    ws = company_phase_workspace(tmp_path / "ws", COMPANY_PHASES.replace("owner: s01", "owner: x99")
                                 .replace("date: 2026-10-15", "date: 2027-01-15"))
    result = run(ws, "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    text = (ws / "plans/2026/company.yaml").read_text(encoding="utf-8").splitlines()
    owner, task = (next(i for i, line in enumerate(text, 1) if key in line) for key in ("x99", "2027-01-15"))
    assert f"plans/2026/company.yaml:{owner}: phases[0].owner: no person with id 'x99' in the 2026 plan" in lines
    assert (f"plans/2026/company.yaml:{task}: phases[0].tasks[1].date: 2027-01-15 is outside the phase "
            "全年推廣 (2026-03-01 to 2026-12-31)") in lines


def test_company_phases_survive_the_plan_workbook(tmp_path: Path) -> None:
    ws = company_phase_workspace(tmp_path / "ws")
    book = tmp_path / "plan-2026.xlsx"
    assert run(ws, "plan", "export", "2026", str(book)).exit_code == 0
    result = run(ws, "plan", "import", str(book), "--force")
    assert result.exit_code == 0, result.output
    plan, problems = load_plan(Workspace.open(ws), 2026)
    assert plan is not None, problems
    assert [(p.name, p.owner, [t.title for t in p.tasks]) for p in plan.company.phases] == [
        ("全年推廣", "s01", ["春季展會", "秋季訂貨會"])]
    assert [p.name for p in plan.region("east").phases] == ["第一階段"]
