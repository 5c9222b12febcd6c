"""One table reader: customer lists take every encoding, separator, script and layout ledgers take."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_example
from opencc_purepy import OpenCC

from docgen.data.ledger import SaleLine, known_keys, match_channels, read_sales
from docgen.data.plan import load_plan
from docgen.data.tables import fold, locate_header
from docgen.documents.monthend import load_month_end
from docgen.workspace import Workspace

SOUTH = Path(__file__).resolve().parent.parent / "plans/2026/customers/south.csv"
ENGLISH = ("id,name,region,owner,type,city,status,last_year_sales,tier,monthly_demand,days_to_close,"
           "last_visit,contact,phone,note")
SIMPLIFIED = OpenCC("t2s").convert


def south_rows() -> list[str]:
    return SOUTH.read_text(encoding="utf-8").splitlines()


def serial(day: dt.date) -> int:
    """Excel's serial number of ``day`` (worked: 2025-12-16 − 1899-12-30 = 46,007 days)."""
    return (day - dt.date(1899, 12, 30)).days


def load_south(ws: Path) -> list[tuple]:
    plan, problems = load_plan(Workspace.open(ws), 2026)
    assert [str(p) for p in problems if p.is_error] == []
    assert plan is not None
    return [(c.id, fold(c.name), c.region, c.owner, c.status, c.last_year_sales, c.last_visit)
            for c in plan.customers if c.region == "south"]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> list[tuple]:
    return load_south(copy_example(tmp_path_factory.mktemp("base") / "ws"))


def replace_south(tmp_path: Path, data: bytes, name: str = "south.csv") -> Path:
    ws = copy_example(tmp_path / "ws")
    (ws / "plans/2026/customers/south.csv").unlink()
    (ws / "plans/2026/customers" / name).write_bytes(data)
    return ws


def variant(kind: str) -> bytes:
    lines = south_rows()
    text = "\n".join(lines) + "\n"
    if kind == "utf-8-bom":
        return text.encode("utf-8-sig")
    if kind in ("gbk", "gb18030"):  # a mainland export: Simplified headers (编号, 客户名称) and values
        return SIMPLIFIED(text).encode(kind)
    if kind == "big5":  # a Hong Kong export: Big5 with HKSCS (恒 is not in plain Big5)
        return text.encode("big5hkscs")
    if kind == "tab":
        return "\n".join(line.replace(",", "\t") for line in lines).encode("utf-8")
    if kind == "english":
        return "\n".join([ENGLISH, *lines[1:]]).encode("utf-8")
    if kind == "title-and-total":  # an ERP export: a title above the header, a 合計 line below
        return "\n".join(["2026年華南區客戶名單,,,,,,,,,,,,,,", *lines, "合計,,,,,,,1040萬,,,,,,,"]).encode("gbk")
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["utf-8-bom", "gbk", "gb18030", "big5", "tab", "english", "title-and-total"])
def test_a_customer_list_reads_the_same_in_every_form(tmp_path, baseline, kind):
    ws = replace_south(tmp_path, variant(kind))
    assert load_south(ws) == baseline


def test_simplified_region_names_match_the_declared_region(tmp_path, baseline):
    # 華南區 written 华南区 (a GBK export) is still region south
    ws = replace_south(tmp_path, variant("gbk"))
    assert {c[2] for c in load_south(ws)} == {"south"}


def test_excel_serial_dates_in_a_csv_and_a_workbook(tmp_path, baseline):
    lines = south_rows()
    header = lines[0].split(",")
    at = header.index("上次拜訪")
    rows = [line.split(",") for line in lines[1:]]
    for row in rows:
        if row[at]:
            row[at] = str(serial(dt.date.fromisoformat(row[at])))
    assert rows[0][at] == "46007"  # S001 last visited 2025-12-16
    csv_text = "\n".join(",".join(r) for r in [header, *rows])
    assert load_south(replace_south(tmp_path / "csv", csv_text.encode("utf-8"))) == baseline

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([SIMPLIFIED(h) for h in header])  # 编号, 客户名称 … in a workbook too
    for row in rows:
        sheet.append([int(v) if i == at and v else (v or None) for i, v in enumerate(row)])
    path = tmp_path / "south.xlsx"
    book.save(path)
    assert load_south(replace_south(tmp_path / "xlsx", path.read_bytes(), "south.xlsx")) == baseline


def test_a_bad_cell_below_a_title_row_is_located_on_its_own_line(tmp_path):
    lines = south_rows()
    lines[2] = lines[2].replace("235萬", "二百萬")  # S002's last-year sales
    text = "\n".join(["2026年華南區客戶名單", *lines])
    ws = replace_south(tmp_path, SIMPLIFIED(text).encode("gbk"))
    _plan, problems = load_plan(Workspace.open(ws), 2026)
    errors = [str(p) for p in problems if p.is_error]
    assert len(errors) == 1
    # line 4: title (1), header (2), S001 (3), S002 (4); the column as the file writes it
    assert errors[0].startswith("plans/2026/customers/south.csv:4:去年销售额: last_year_sales: ")


def test_a_missing_column_names_the_header_row(tmp_path):
    lines = south_rows()
    text = "\n".join(["2026年華南區客戶名單"] + [",".join(line.split(",")[1:]) for line in lines])  # no 編號
    ws = replace_south(tmp_path, text.encode("utf-8"))
    _plan, problems = load_plan(Workspace.open(ws), 2026)
    assert [str(p) for p in problems if p.is_error] == [
        "plans/2026/customers/south.csv:2: id: missing column for id: expected a header named one of "
        "編號, 客戶編號, id (add more names under the import columns of the workspace config)"]


JUNE = (2026, 6)
CUSTOMERS = known_keys([("C001", "華美彩印"), ("C002", "金鼎禮盒")])
PEOPLE = known_keys([("P01", "張偉")])


@pytest.mark.parametrize("encoding", ["big5", "gbk"])
def test_a_ledger_in_big5_or_gbk_reads(tmp_path, encoding):
    text = ("2026年6月銷售明細\n日期\t單號\t客戶\t業務員\t渠道\t產品\t數量\t金額\n"
            "2026-06-03\tSO-1\t華美彩印\t張偉\t經銷商\t白膠\t10\t1200\n合計\t\t\t\t\t\t\t1200\n")
    if encoding == "gbk":
        text = SIMPLIFIED(text)
    path = tmp_path / "sales.csv"
    path.write_bytes(text.encode(encoding))
    # the GBK file names 华美彩印 and 张伟: the plan's 華美彩印 and 張偉 in the other script
    lines, problems = read_sales(path, JUNE, CUSTOMERS, PEOPLE, display_name="sales.csv")
    assert problems == []
    assert [(ln.customer, ln.channel, ln.amount, ln.row) for ln in lines] == [
        ("C001", SIMPLIFIED("經銷商") if encoding == "gbk" else "經銷商", Decimal(1200), 3)]
    assert [ln.salesperson for ln in lines] == ["P01"]


def test_ledger_channels_match_the_plan_across_scripts_and_ids():
    line = SaleLine(dt.date(2026, 6, 3), "SO-1", "C001", "P01", "", "", None, Decimal(1), 2)
    lines = [line.__class__(**{**line.__dict__, "channel": c}) for c in ("经销商", "經銷商", "distributors", "網店")]
    matched = match_channels(lines, [("distributors", "經銷商"), ("stores", "直營店")])
    assert [ln.channel for ln in matched] == ["經銷商", "經銷商", "經銷商", "網店"]


def test_month_end_counts_a_simplified_channel_with_the_plans(tmp_path):
    ws = copy_example(tmp_path / "ws")
    ledger = ws / "ledgers/2026-06/sales.csv"
    text = ledger.read_text(encoding="utf-8")
    assert text.count(",經銷商,") > 2
    ledger.write_text(text.replace(",經銷商,", ",经销商,", 2), encoding="utf-8")
    month = load_month_end(Workspace.open(ws), JUNE)
    channels = {ln.channel for ln in month.sales}
    assert "经销商" not in channels and "經銷商" in channels


def test_the_header_is_the_row_naming_most_fields():
    rows = [(1, ("客户名单", "", "")), (2, ("编号", "客户名称", "备注")), (3, ("S1", "甲", "")),
            (4, ("合计", "", ""))]
    table, problems = locate_header(rows, "f.csv", {"id": ("編號",), "name": ("客戶名稱",)}, ["id"])
    assert problems == [] and table is not None
    assert (table.header_row, table.index, table.header, table.unknown) == (
        2, {"id": 0, "name": 1}, {"id": "编号", "name": "客户名称"}, ["备注"])
    assert table.lines == [(3, ("S1", "甲", ""))]
