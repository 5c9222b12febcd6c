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


def test_a_gbk_tab_separated_customer_list_with_excel_serial_visits_reads_the_same(tmp_path, baseline):
    # a mainland export all at once: GBK, tabs, Simplified headers and an Excel serial 上次拜訪
    # (S001 last visited 2025-12-16 = serial 46007)
    lines = [line.split(",") for line in south_rows()]
    at = lines[0].index("上次拜訪")
    for row in lines[1:]:
        if row[at]:
            row[at] = str(serial(dt.date.fromisoformat(row[at])))
    assert lines[1][at] == "46007"
    text = SIMPLIFIED("\n".join("\t".join(row) for row in lines) + "\n")
    assert "上次拜访" in text and "\t" in text
    assert load_south(replace_south(tmp_path, text.encode("gbk"))) == baseline


def test_customer_lists_and_ledgers_read_the_same_date_spellings(tmp_path):
    """One date parser for both: each spelling gives 2026-06-03 in a ledger and a customer list."""
    from docgen.data.values import date_of, parse_date, serial_date

    spellings = ["2026-06-03", "2026/6/3", "2026.6.3", "2026年6月3日", "2026-06-03 00:00:00", "２０２６-０６-０３"]
    for text in spellings:
        assert parse_date(text) == dt.date(2026, 6, 3), text
        path = tmp_path / "sales.csv"
        path.write_text(f"日期,單號,客戶,業務員,金額\n{text},SO-1,C001,P01,1200\n", encoding="utf-8")
        lines, problems = read_sales(path, JUNE, CUSTOMERS, PEOPLE)
        assert (problems, [ln.date for ln in lines]) == ([], [dt.date(2026, 6, 3)]), text
    assert serial_date("46176") == serial_date(46176) == dt.date(2026, 6, 3)  # 46176 − 46007 = 169 days after 12-16
    assert date_of("2026-06-03 上午") is None and date_of("2026-02-30") is None


def test_the_workspace_columns_come_first_for_every_table():
    from docgen.data.tables import merge_columns

    merged = merge_columns({"id": ("編號", "id"), "name": ("名稱",)}, {"id": ["代碼", "id"], "amount": ["金額"]})
    assert merged == {"id": ("代碼", "id", "編號"), "name": ("名稱",)}


def test_no_data_module_imports_a_private_name_of_another():
    """scores.py once read ledgers with ledger.py's private _Sheet/_Row: what tables share is public."""
    import ast

    folder = Path(__file__).resolve().parent.parent / "docgen" / "data"
    private = [f"{path.name}: {alias.name} from {node.module}"
               for path in sorted(folder.glob("*.py"))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("docgen")
               for alias in node.names if alias.name.startswith("_")]
    assert private == []


@pytest.mark.parametrize(("text", "yuan"), [("¥1,680,000", 1_680_000), ("￥168萬", 1_680_000), ("RMB 7.5万元", 75_000),
                                            ("１６８萬", 1_680_000)])
def test_a_customer_list_reads_money_as_erp_exports_write_it(tmp_path, text, yuan):
    """The currency signs and full-width digits a ledger accepts, in a customer list's money columns too."""
    lines = south_rows()
    assert ",168萬," in lines[1]  # S001's last-year sales
    lines[1] = lines[1].replace(",168萬,", f',"{text}",')  # quoted: the thousands commas
    plan, problems = load_plan(Workspace.open(replace_south(tmp_path, "\n".join(lines).encode("utf-8"))), 2026)
    assert [str(p) for p in problems if p.is_error] == []
    assert plan.customer("S001").last_year_sales == Decimal(yuan)


def test_a_ledger_reads_wan_as_a_customer_list_does(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("日期,單號,客戶,業務員,金額\n2026-06-03,SO-1,C001,P01,1.2萬\n2026-06-04,SO-2,C001,P01,(0.5萬)\n",
                    encoding="utf-8")
    lines, problems = read_sales(path, JUNE, CUSTOMERS, PEOPLE)
    assert problems == []
    # 1.2 × 10,000 = 12,000; a return of 0.5萬 = −5,000, written as the whole number it is
    assert [str(ln.amount) for ln in lines] == ["12000", "-5000"]
    assert [ln.is_return for ln in lines] == [False, True]
