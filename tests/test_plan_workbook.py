"""`docgen plan export` / `docgen plan import`: the plan as one workbook, round trip without loss."""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner
from conftest import copy_example
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.cli import cli
from docgen.data.plan import load_plan
from docgen.data.plan_workbook import SHEETS
from docgen.workspace import Workspace


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


def plan_dump(ws: Path, year: int = 2026):
    plan, problems = load_plan(Workspace.open(ws), year)
    assert [str(p) for p in problems if p.is_error] == []
    assert plan is not None
    return (plan.company.model_dump(), [r.model_dump() for r in plan.regions], [c.model_dump() for c in plan.customers])


def fresh(tmp_path: Path, name: str) -> Path:
    """A workspace with the example's settings and charter and no year's plan."""
    ws = tmp_path / name
    (ws / "plans").mkdir(parents=True)
    repo = Path(__file__).resolve().parent.parent
    shutil.copyfile(repo / "docgen.yaml", ws / "docgen.yaml")
    shutil.copyfile(repo / "plans/charter.yaml", ws / "plans/charter.yaml")
    return ws


def round_trip(source: Path, tmp_path: Path) -> Path:
    book = tmp_path / "plan-2026.xlsx"
    result = run(source, "plan", "export", "2026", str(book))
    assert result.exit_code == 0, result.output
    target = fresh(tmp_path, "imported")
    result = run(target, "plan", "import", str(book))
    assert result.exit_code == 0, result.output
    return target


def test_the_example_plan_survives_yaml_to_xlsx_to_yaml(workspace, tmp_path):
    target = round_trip(workspace, tmp_path)
    assert plan_dump(target) == plan_dump(workspace)
    assert sorted(p.relative_to(target / "plans/2026").as_posix() for p in (target / "plans/2026").rglob("*.*")) == [
        "company.yaml", "customers/customers.csv", "regions/east.yaml", "regions/shandong.yaml", "regions/south.yaml"]


def test_the_workbook_has_a_sheet_per_entity_with_formats_lists_and_frozen_headers(workspace, tmp_path):
    book_path = tmp_path / "plan.xlsx"
    assert run(workspace, "plan", "export", "2026", str(book_path)).exit_code == 0
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["說明", *SHEETS]
    people = book["人員"]
    assert [c.value for c in people[1]][:7] == ["區域", "編號", "姓名", "職務", "渠道", "到職日期", "月定額（元）"]
    assert people.freeze_panes == "A2"
    # 林小燕 (s02): 50萬 a month, written in 元; started 2018-08-01
    row = next(r for r in people.iter_rows(min_row=2) if r[1].value == "s02")
    assert row[6].value == 500_000 and row[6].number_format == "#,##0"
    assert row[5].value == dt.datetime(2018, 8, 1) and row[5].number_format == "yyyy-mm-dd"
    assert row[7].value == "深圳市、東莞市"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in people.data_validations.dataValidation}
    assert lists["A2"] == '"華南區,華東區,山東區"' and lists["E2"] == '"stores,key_accounts,distributors"'
    season = book["季節係數"]
    south = next(r for r in season.iter_rows(min_row=2) if r[0].value == "華南區")
    assert [c.value for c in south[1:4]] == [0.8, 0.5, 1]  # 1–3月 of south.yaml
    assert book["說明"]["A1"].value.startswith("本活頁簿是一年的計畫")


def test_problems_are_located_at_their_cells_and_nothing_is_written(workspace, tmp_path):
    book_path = tmp_path / "plan.xlsx"
    assert run(workspace, "plan", "export", "2026", str(book_path)).exit_code == 0
    book = openpyxl.load_workbook(book_path)
    book["人員"]["G4"] = "abc"             # 何志明's monthly quota
    book["區域"]["F3"] = 13                # east's first month
    book["客戶"]["H5"] = "二百萬"
    book["階段與任務"]["K3"] = None          # a task without its title
    book.save(book_path)
    target = fresh(tmp_path, "target")
    result = run(target, "plan", "import", str(book_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "plan.xlsx:人員!G4: people[2].monthly_quota: expected an amount like 1092萬 or 10920000 (元), got 'abc'" \
        in lines
    assert "plan.xlsx:區域!F3: period.start: expected a month 1–12, got 13" in lines
    assert any(line.startswith("plan.xlsx:客戶!H5: last_year_sales: ") for line in lines)
    assert "plan.xlsx:階段與任務!K3: phases[0].tasks[1].title: required field is missing" in lines
    assert "Traceback" not in result.output
    assert [p.name for p in (target / "plans").iterdir()] == ["charter.yaml"]


def test_a_row_in_no_region_is_refused(workspace, tmp_path):
    book_path = tmp_path / "plan.xlsx"
    assert run(workspace, "plan", "export", "2026", str(book_path)).exit_code == 0
    book = openpyxl.load_workbook(book_path)
    book["預算"]["A2"] = "華北區"
    book.save(book_path)
    result = run(fresh(tmp_path, "target"), "plan", "import", str(book_path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "plan.xlsx:預算!A2: scope: unknown region '華北區': expected one of 全公司, 華南區, 華東區, 山東區")


def test_an_existing_plan_is_replaced_only_with_force(workspace, tmp_path):
    book_path = tmp_path / "plan.xlsx"
    assert run(workspace, "plan", "export", "2026", str(book_path)).exit_code == 0
    result = run(workspace, "plan", "import", str(book_path))
    assert result.exit_code == 1 and "already holds the 2026 plan; use --force" in result.output
    before = plan_dump(workspace)
    result = run(workspace, "plan", "import", str(book_path), "--force")
    assert result.exit_code == 0, result.output
    assert not (workspace / "plans/2026/customers/south.csv").exists()  # replaced by customers.csv
    assert plan_dump(workspace) == before


def test_export_refuses_a_plan_with_errors(workspace, tmp_path):
    region = workspace / "plans/2026/regions/south.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace("task: 1800萬", "task: 一千萬"), encoding="utf-8")
    result = run(workspace, "plan", "export", "2026", str(tmp_path / "plan.xlsx"))
    assert result.exit_code == 1
    assert "plans/2026/regions/south.yaml:8: task: expected an amount" in result.output
    assert not (tmp_path / "plan.xlsx").exists()


# ---------------------------------------------------------------- generated plans

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
words = st.text(_CJK, min_size=1, max_size=6)
prose = st.text(st.one_of(_CJK, st.sampled_from(list("ab1,.;：（）- \n"))), min_size=1, max_size=40).filter(
    lambda s: s.strip() and not s.startswith((" ", "\n")))
money = st.one_of(st.integers(0, 10**9), st.integers(0, 10**7).map(lambda n: Decimal(n) + Decimal("0.5")))
days = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
CHANNELS = ["stores", "key_accounts"]


@st.composite
def region_plan(draw, region: str, prefix: str) -> dict:
    people = [{"id": f"{prefix}{i}", "name": draw(words), "role": draw(st.sampled_from(["業務員", "區域經理"])),
               "channel": draw(st.sampled_from(CHANNELS)), "start": draw(days),
               "monthly_quota": draw(money), "territory": draw(st.lists(words, max_size=3))}
              for i in range(1, draw(st.integers(1, 4)) + 1)]
    ids = [p["id"] for p in people]
    start = draw(st.integers(1, 12))
    end = draw(st.integers(start, 12))
    weights = {m: draw(st.decimals("0", "3", places=1)) for m in range(start, end + 1)}  # every month of the period
    data = {"region": region, "provinces": draw(st.lists(words, max_size=3)), "manager": ids[0],
            "period": {"start": start, "end": end}, "task": draw(money),
            "seasonality": weights,
            "channels": [{"channel": c, "units": draw(st.integers(0, 9)), "rate": draw(money)} for c in CHANNELS],
            "people": people,
            "phases": [{"name": draw(words), "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31),
                        "owner": draw(st.sampled_from(ids)),
                        "tasks": [{"date": draw(days), "title": draw(prose), "owner": draw(st.sampled_from(ids)),
                                   "detail": draw(prose)} for _ in range(draw(st.integers(0, 3)))]}],
            "training": [{"month": draw(st.integers(1, 12)), "topic": draw(words), "detail": draw(prose)}],
            "budget": [{"item": draw(words), "amount": draw(money), "note": draw(prose)}],
            "narrative": {draw(words): draw(prose)}}
    if not any(weights.values()):
        weights[start] = Decimal(1)
    return data


def _plain(value):
    """YAML-safe: Decimals as their text, which the plan loader reads back exactly."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(south=region_plan("south", "s"), east=region_plan("east", "e"), shandong=region_plan("shandong", "d"),
       measures=st.lists(st.fixed_dictionaries({"title": words, "detail": prose}), max_size=2),
       swot=st.lists(prose, min_size=1, max_size=2))
def test_generated_plans_survive_the_round_trip(tmp_path_factory, south, east, shandong, measures, swot):
    tmp = tmp_path_factory.mktemp("gen")
    ws = fresh(tmp, "source")
    folder = ws / "plans/2026"
    (folder / "regions").mkdir(parents=True)
    company = {"year": 2026, "channels": [{"id": c, "name": c.upper()} for c in CHANNELS], "measures": measures,
               "swot": {"strengths": swot, "threats": swot[:1]}}
    (folder / "company.yaml").write_text(yaml.safe_dump(_plain(company), allow_unicode=True), encoding="utf-8")
    for data in (south, east, shandong):
        (folder / "regions" / f"{data['region']}.yaml").write_text(
            yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    target = round_trip(ws, tmp)
    assert plan_dump(target) == plan_dump(ws)


# ---------------------------------------------------------------- a workbook in plans/<year>/

def test_a_workbook_in_the_plan_folder_is_the_plan(workspace, tmp_path):
    before = plan_dump(workspace)
    target = fresh(tmp_path, "excel")
    (target / "plans/2026").mkdir(parents=True)
    assert run(workspace, "plan", "export", "2026", str(target / "plans/2026/plan-2026.xlsx")).exit_code == 0
    assert plan_dump(target) == before
    result = run(target, "validate")
    assert result.exit_code == 0, result.output
    # the loader's warnings point at the workbook row the value came from (east's row of 區域)
    assert "plans/2026/plan-2026.xlsx:區域!A3: warning: people: 華東區：個人月定額合計 167萬" in result.output
    result = run(target, "render", "annual-plan", "-p", "2026", "-f", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


def test_validate_locates_a_bad_cell_of_the_plan_workbook(workspace, tmp_path):
    target = fresh(tmp_path, "excel")
    book_path = target / "plans/2026/plan-2026.xlsx"
    book_path.parent.mkdir(parents=True)
    assert run(workspace, "plan", "export", "2026", str(book_path)).exit_code == 0
    book = openpyxl.load_workbook(book_path)
    book["人員"]["F2"] = "2026-02-30"  # 黃家輝's start: no such day
    book.save(book_path)
    result = run(target, "validate")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("plans/2026/plan-2026.xlsx:人員!F2: people[0].start: ")


def test_a_workbook_beside_plan_files_is_refused(workspace, tmp_path):
    assert run(workspace, "plan", "export", "2026", str(workspace / "plans/2026/plan-2026.xlsx")).exit_code == 0
    result = run(workspace, "validate")
    assert result.exit_code == 1
    assert "plans/2026/plan-2026.xlsx: plans/2026/company.yaml is a plan file too: keep the plan in the workbook " \
           "or in the files, not both" in result.output


def test_init_excel_starts_a_workspace_whose_plan_is_a_workbook(tmp_path):
    target = tmp_path / "new"
    result = CliRunner().invoke(cli, ["init", str(target), "--excel"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (target / "plans/2026").iterdir()) == ["plan-2026.xlsx"]
    assert plan_dump(target) == plan_dump(copy_example(tmp_path / "example"))


def test_importing_the_folder_workbook_turns_the_plan_back_into_files(tmp_path):
    target = tmp_path / "new"
    assert CliRunner().invoke(cli, ["init", str(target), "--excel"]).exit_code == 0
    before = plan_dump(target)
    book = target / "plans/2026/plan-2026.xlsx"
    assert run(target, "plan", "import", str(book)).exit_code == 1  # the workbook is the plan: --force
    result = run(target, "plan", "import", str(book), "--force")
    assert result.exit_code == 0, result.output
    assert not book.exists() and (target / "plans/2026/company.yaml").is_file()
    assert plan_dump(target) == before
