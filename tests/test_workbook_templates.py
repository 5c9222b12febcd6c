"""`docgen templates xlsx KIND FILE`: blank workbooks whose headers and sample row the readers take as they are."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import copy_example

from docgen.cli import cli
from docgen.data.ledger import known_keys, read_sales, read_visits
from docgen.data.plan import load_plan
from docgen.workspace import Workspace

JUNE = (2026, 6)
CUSTOMERS = known_keys([("S001", "廣州雅圖彩印有限公司")])
PEOPLE = known_keys([("s01", "黃家輝")])


def template(ws: Path, kind: str, dest: Path, *extra: str) -> list[list]:
    result = CliRunner().invoke(cli, ["-w", str(ws), "templates", "xlsx", kind, str(dest), *extra])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(dest)
    sheet = openpyxl.load_workbook(dest).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_ledger_template_reads_back_as_one_line(workspace, tmp_path):
    path = tmp_path / "sales.xlsx"
    rows = template(workspace, "ledger", path)
    assert rows[0] == ["日期", "單號", "客戶", "業務員", "渠道", "產品", "數量", "金額"]
    lines, problems = read_sales(path, JUNE, CUSTOMERS, PEOPLE)
    assert problems == []
    assert [(ln.date, ln.customer, ln.salesperson, ln.amount) for ln in lines] == [
        (dt.date(2026, 6, 3), "S001", "s01", Decimal("1200"))]


def test_the_visits_template_reads_back_as_one_visit(workspace, tmp_path):
    path = tmp_path / "visits.xlsx"
    rows = template(workspace, "visits", path)
    assert rows[0] == ["日期", "業務員", "客戶", "類型", "目的", "結果"]
    lines, problems = read_visits(path, JUNE, CUSTOMERS, PEOPLE)
    assert problems == [] and [(ln.customer, ln.kind) for ln in lines] == [("S001", "visit")]
    validation = openpyxl.load_workbook(path).active.data_validations.dataValidation
    assert [(v.formula1, str(v.sqref)) for v in validation] == [('"拜訪,電話"', "D2:D501")]


def test_the_customers_template_is_a_customer_list_the_plan_loads(workspace, tmp_path):
    folder = workspace / "plans/2026/customers"
    (folder / "south.csv").unlink()
    rows = template(workspace, "customers", folder / "south.xlsx")
    assert rows[0][:4] == ["編號", "客戶名稱", "區域", "業務員"] and len(rows[0]) == 15
    plan, problems = load_plan(Workspace.open(workspace), 2026)
    assert [str(p) for p in problems if p.is_error] == []
    assert plan is not None
    south = [c for c in plan.customers if c.region == "south"]
    assert [(c.id, c.last_year_sales, c.last_visit) for c in south] == [
        ("S001", Decimal(1_680_000), dt.date(2026, 4, 16))]


def test_the_appraisal_template_has_a_column_per_supervisor_rated_item(workspace, tmp_path):
    rows = template(workspace, "appraisal", tmp_path / "appraisal.xlsx")
    # the default scorecard (篇14) has three items the supervisor rates, 10 points each
    assert rows == [["業務員", "銷售人員行為紀律", "工作計畫、匯報完成率", "需求資源客戶回覆情況"], ["s01", 10, 10, 10]]


def test_the_workspace_own_column_names_come_first(tmp_path):
    ws = copy_example(tmp_path / "ws")
    config = ws / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\ncolumns:\n  salesperson: [銷售代表]\n",
                      encoding="utf-8")
    rows = template(ws, "ledger", tmp_path / "sales.xlsx")
    assert rows[0][3] == "銷售代表"


def test_an_existing_file_is_kept_without_force(workspace, tmp_path):
    path = tmp_path / "sales.xlsx"
    path.write_bytes(b"mine")
    result = CliRunner().invoke(cli, ["-w", str(workspace), "templates", "xlsx", "ledger", str(path)])
    assert result.exit_code == 1 and "exists; use --force" in result.output
    assert path.read_bytes() == b"mine"
