"""Month-end ledger and visit-log import: encodings, headers, formats, and located problems."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from docgen.data.ledger import known_keys, read_sales, read_visits

JUNE = (2026, 6)
CUSTOMERS = known_keys([("C001", "華美彩印"), ("C002", "金鼎禮盒"), ("C003", "永興包裝")])
PEOPLE = known_keys([("P01", "張偉"), ("P02", "李娜")])
NAME = "ledger/2026-06.csv"

HEADER = "日期,單號,客戶,業務員,渠道,產品,數量,金額\n"


def write(tmp_path: Path, text: str, name: str = "sales.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def sales(path: Path, **kw):
    return read_sales(path, JUNE, CUSTOMERS, PEOPLE, display_name=NAME, **kw)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_reads_good_lines_in_every_date_and_amount_form(tmp_path):
    path = write(tmp_path, HEADER
                 + "2026-06-03,SO-1,C001,P01,直營,白膠,10,\"12,345.60\"\n"
                 + "2026/6/4,SO-2,金鼎禮盒,李娜,K/A,熱熔膠,5,¥12345\n"
                 + "2026年6月30日,SO-3,C003,P01,代理商,白膠,,\"￥１，２００\"\n",
                 encoding="utf-8-sig")
    lines, problems = sales(path)
    assert problems == []
    assert [ln.date for ln in lines] == [dt.date(2026, 6, 3), dt.date(2026, 6, 4), dt.date(2026, 6, 30)]
    assert [ln.amount for ln in lines] == [Decimal("12345.60"), Decimal("12345"), Decimal("1200")]
    assert [ln.customer for ln in lines] == ["C001", "C002", "C003"]   # by id or by name
    assert [ln.salesperson for ln in lines] == ["P01", "P02", "P01"]
    assert [ln.row for ln in lines] == [2, 3, 4]
    assert lines[0].quantity == Decimal(10) and lines[2].quantity is None
    assert lines[1].channel == "K/A" and lines[1].product == "熱熔膠"


def test_gbk_csv_with_simplified_headers(tmp_path):
    path = write(tmp_path, "日期,订单号,客户,业务员,渠道,产品,数量,金额\n"
                 "2026-06-05,SO-9,华美彩印,P02,直营,白胶,3,\"3,000.00\"\n", encoding="gbk")
    # the name is written in Simplified here, so accept it as the ERP spells it
    known = dict(CUSTOMERS, **{"华美彩印": "C001"})
    lines, problems = read_sales(path, JUNE, known, PEOPLE, display_name=NAME)
    assert problems == []
    (line,) = lines
    assert (line.order_id, line.customer, line.channel, line.product) == ("SO-9", "C001", "直营", "白胶")
    assert line.amount == Decimal("3000.00")


def test_xlsx_with_chinese_headers_title_row_and_date_cells(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2026年6月銷售明細"])                       # a title line above the header
    ws.append(["日期", "訂單號", "客戶編號", "業務員", "通路", "產品", "數量", "金額"])
    ws.append([dt.datetime(2026, 6, 8), 10023, "C002", "P01", "直營", "白膠", 4, 8800.5])
    ws.append([dt.date(2026, 6, 9), "SO-2", "C003", "P02", "K/A", "白膠", 1, "abc"])
    ws.append(["合計", None, None, None, None, None, 5, 8800.5])  # ERP's total line is skipped
    path = tmp_path / "sales.xlsx"
    book.save(path)
    lines, problems = read_sales(path, JUNE, CUSTOMERS, PEOPLE, display_name="ledger/2026-06.xlsx")
    (line,) = lines
    assert (line.date, line.order_id, line.customer, line.amount) == (
        dt.date(2026, 6, 8), "10023", "C002", Decimal("8800.5"))
    assert line.row == 3
    assert messages(problems) == [
        "ledger/2026-06.xlsx:4:金額: amount: not a number: 'abc' (expected e.g. 12,345.60 or ¥12,345)"]


def test_a_return_is_kept_and_marked(tmp_path):
    path = write(tmp_path, HEADER + "2026-06-10,SO-7,C001,P01,直營,白膠,-2,\"-1,500.00\"\n"
                 "2026-06-11,SO-8,C001,P01,直營,白膠,-1,(300)\n")
    lines, problems = sales(path)
    assert problems == []
    assert [(ln.amount, ln.is_return) for ln in lines] == [(Decimal("-1500.00"), True), (Decimal("-300"), True)]


@pytest.mark.parametrize("row, expected", [
    ("2026-06-03,SO-1,C999,P01,直營,白膠,1,100",
     "ledger/2026-06.csv:2:客戶: customer: unknown customer 'C999': not an id or name in the plan data"),
    ("2026-06-03,SO-1,C001,王五,直營,白膠,1,100",
     "ledger/2026-06.csv:2:業務員: salesperson: unknown salesperson '王五': not an id or name in the plan data"),
    ("2026-07-01,SO-1,C001,P01,直營,白膠,1,100",
     "ledger/2026-06.csv:2:日期: date: date 2026-07-01 is outside the month 2026-06"),
    ("2026-06-31,SO-1,C001,P01,直營,白膠,1,100",
     "ledger/2026-06.csv:2:日期: date: not a date: '2026-06-31' (expected e.g. 2026-06-03, 2026/6/3 or 2026年6月3日)"),
    ("2026-06-03,SO-1,C001,P01,直營,白膠,1,一百",
     "ledger/2026-06.csv:2:金額: amount: not a number: '一百' (expected e.g. 12,345.60 or ¥12,345)"),
    ("2026-06-03,SO-1,C001,P01,直營,白膠,1,",
     "ledger/2026-06.csv:2:金額: amount: missing value"),
    ("2026-06-03,,C001,P01,直營,白膠,1,100",
     "ledger/2026-06.csv:2:單號: order_id: missing value"),
    ("2026-06-03,SO-1,C001,P01,直營,白膠,幾個,100",
     "ledger/2026-06.csv:2:數量: quantity: not a number: '幾個' (expected e.g. 12,345.60 or ¥12,345)"),
])
def test_each_bad_line_is_named_by_file_row_and_column(tmp_path, row, expected):
    lines, problems = sales(write(tmp_path, HEADER + row + "\n"))
    assert lines == []
    assert messages(problems) == [expected]
    assert problems[0].is_error


def test_every_bad_cell_of_a_line_is_reported_and_good_lines_survive(tmp_path):
    path = write(tmp_path, HEADER
                 + "2026-06-03,SO-1,C001,P01,直營,白膠,1,100\n"
                 + "2026-05-31,SO-2,C999,P01,直營,白膠,1,x\n")
    lines, problems = sales(path)
    assert [ln.order_id for ln in lines] == ["SO-1"]
    assert messages(problems) == [
        "ledger/2026-06.csv:3:日期: date: date 2026-05-31 is outside the month 2026-06",
        "ledger/2026-06.csv:3:客戶: customer: unknown customer 'C999': not an id or name in the plan data",
        "ledger/2026-06.csv:3:金額: amount: not a number: 'x' (expected e.g. 12,345.60 or ¥12,345)",
    ]


def test_duplicated_order_line_is_a_warning_and_kept(tmp_path):
    path = write(tmp_path, HEADER
                 + "2026-06-03,SO-1,C001,P01,直營,白膠,1,100\n"
                 + "2026-06-03,SO-1,C001,P01,直營,熱熔膠,1,100\n"    # other product: fine
                 + "2026-06-04,SO-1,華美彩印,P01,直營,白膠,1,100.00\n")  # same line again
    lines, problems = sales(path)
    assert len(lines) == 3
    assert messages(problems) == [
        "ledger/2026-06.csv:4:單號: warning: order_id: duplicate of row 2: same order SO-1, customer, "
        "product and amount 100.00 (kept; delete it if it was entered twice)"]
    assert not problems[0].is_error


def test_missing_required_column_is_one_error_listing_accepted_headers(tmp_path):
    path = write(tmp_path, "日期,單號,客戶,渠道,產品,數量,金額\n2026-06-03,SO-1,C001,直營,白膠,1,100\n")
    lines, problems = sales(path)
    assert lines == []
    assert messages(problems) == [
        "ledger/2026-06.csv:1: salesperson: missing column for salesperson: expected a header named one of "
        "業務員, 业务员, 銷售員, 销售员, salesperson, sales (add more names under the import columns of "
        "the workspace config)"]


def test_header_without_lines_is_no_error(tmp_path):
    lines, problems = sales(write(tmp_path, HEADER))
    assert (lines, problems) == ([], [])


def test_empty_file_and_unsupported_type(tmp_path):
    _, problems = sales(write(tmp_path, ""))
    assert messages(problems) == ["ledger/2026-06.csv: the file is empty: expected a header row"]
    _, problems = read_sales(write(tmp_path, "x", name="s.xls"), JUNE, CUSTOMERS, PEOPLE, display_name="s.xls")
    assert messages(problems) == ["s.xls: old .xls workbooks are not supported: save it as .xlsx or .csv"]


def test_english_headers_and_config_extension(tmp_path):
    path = write(tmp_path, "Date,Order,Customer,Salesperson,Channel,Product,Qty,Amount\n"
                 "2026-06-03,SO-1,C001,P01,KA,glue,1,100\n")
    lines, problems = sales(path)
    assert problems == [] and lines[0].amount == Decimal(100)
    path = write(tmp_path, "開單日,單號,客戶,業務員,價稅合計\n2026-06-03,SO-1,C001,P01,100\n")
    lines, problems = sales(path, columns={"date": ["開單日"], "amount": ["價稅合計"]})
    assert problems == [] and lines[0].date == dt.date(2026, 6, 3)


def test_visit_log_kinds_and_problems(tmp_path):
    path = write(tmp_path, "日期,業務員,客戶,類型,目的,結果\n"
                 "2026-06-02,P01,C001,拜訪,新品介紹,下單意向\n"
                 "2026/6/3,張偉,C002,电话,回訪,滿意\n"
                 "2026-06-04,P01,C003,郵件,,\n", encoding="gb18030")
    lines, problems = read_visits(path, JUNE, CUSTOMERS, PEOPLE, display_name="visits/2026-06.csv")
    assert [(v.kind, v.salesperson, v.customer, v.row) for v in lines] == [
        ("visit", "P01", "C001", 2), ("call", "P01", "C002", 3)]
    assert lines[0].purpose == "新品介紹" and lines[0].outcome == "下單意向"
    assert messages(problems) == [
        "visits/2026-06.csv:4:類型: kind: unknown kind '郵件': expected 拜訪/拜访/visit or 電話/电话/call"]


def test_known_keys_leaves_out_ambiguous_names():
    keys = known_keys([("C1", "同名"), ("C2", "同名"), ("C3", "獨家")])
    # 独家: the name in Simplified script, as a mainland ledger writes it
    assert keys == {"C1": "C1", "C2": "C2", "C3": "C3", "獨家": "C3", "独家": "C3"}
