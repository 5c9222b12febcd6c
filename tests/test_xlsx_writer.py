"""XLSX output: the DOCX's tables as sheets, figures as numbers, totals as formulas that add up."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import compact, copy_example, docx_document

from docgen.cli import cli
from docgen.render.xlsx import parse_figure, sheet_name

DOCUMENTS = {
    "sales-stats": ["sales-stats", "-p", "2026-06", "-r", "south"],
    "monthly-plan": ["monthly-plan", "-p", "2026-06", "-r", "south"],
    "visit-stats": ["visit-stats", "-p", "2026-06", "-r", "south"],
    "visit-plan-s01": ["visit-plan", "-p", "2026-06", "--person", "s01"],
    "annual-plan": ["annual-plan", "-p", "2026"],
    "year-summary": ["year-summary", "-p", "2026"],
}
FOLDERS = {"annual-plan": "2026/company", "year-summary": "2026/company"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Every document of the issue rendered once as DOCX and XLSX from the example workspace."""
    root = tmp_path_factory.mktemp("xlsx")
    ws = copy_example(root / "ws")
    for args in DOCUMENTS.values():
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", *args, "-f", "docx,xlsx", "-o", str(root / "out")])
        assert result.exit_code == 0, result.output
    return root / "out"


def paths(out: Path, name: str) -> tuple[Path, Path]:
    folder = out / FOLDERS.get(name, "2026-06/south")
    return folder / f"{name}.docx", folder / f"{name}.xlsx"


def docx_rows(table) -> list[list[str]]:
    """Rows of cell texts with each merged cell's text once (python-docx repeats it over the span)."""
    seen: set = set()  # the w:tc elements themselves (kept alive, so identity is stable)
    rows = []
    for row in table.rows:
        texts = []
        for cell in row.cells:
            texts.append("" if cell._tc in seen else compact(cell.text))
            seen.add(cell._tc)
        rows.append([t for t in texts if t])
    return rows


def test_a_money_table_holds_numbers_in_the_unit_format_and_sum_formulas(rendered):
    docx_path, xlsx_path = paths(rendered, "sales-stats")
    book = openpyxl.load_workbook(xlsx_path)
    cached = openpyxl.load_workbook(xlsx_path, data_only=True)
    sheet = book["表2 渠道銷售統計（金額：萬元）"]
    assert sheet["A1"].value == "表2　渠道銷售統計（金額：萬元）"
    assert [c.value for c in sheet[2]][:3] == ["渠道", "實績", "佔比"]
    assert sheet.freeze_panes == "A3"  # caption and header stay in view
    # Row 3: 大中型專業客戶 94.47 (萬元) 88.7%; the money is a number, not text.
    assert sheet["B3"].value == pytest.approx(94.47) and sheet["B3"].number_format == "#,##0.00"
    assert sheet["C3"].value == pytest.approx(0.887) and sheet["C3"].number_format == "0.0%"
    # Total row: 實績 94.47 + 11.99 = 106.46, 佔比 88.7% + 11.3% = 100.0% and 累計實績 542.72 + 61.95 = 604.67
    # add up as printed, so they are formulas whose cached values are the printed totals.
    total = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "合計")
    assert total == 5
    assert (sheet["B5"].value, sheet["C5"].value, sheet["D5"].value) == ("=SUM(B3:B4)", "=SUM(C3:C4)", "=SUM(D3:D4)")
    assert cached[sheet.title]["B5"].value == pytest.approx(106.46)
    assert cached[sheet.title]["C5"].value == pytest.approx(1.0)
    assert cached[sheet.title]["D5"].value == pytest.approx(604.67)
    # found by its header: 華南區 plans tons, so a volume table (表1-2) comes before it
    channels = next(t for t in docx_document(docx_path).tables
                    if [c.text for c in t.rows[0].cells][:3] == ["渠道", "實績", "佔比"])
    docx_total = next(r for r in channels.rows if r.cells[0].text == "合計")
    assert [c.text for c in docx_total.cells[1:4]] == ["106.46", "100.0%", "604.67"]


def test_a_total_the_printed_parts_do_not_add_up_to_stays_the_printed_figure(rendered):
    _docx, xlsx_path = paths(rendered, "sales-stats")
    sheet = openpyxl.load_workbook(xlsx_path)["表1 業務員銷售統計（金額：萬元）"]
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    # 目標 38.13 + 45.76 + 41.19 + 27.46 = 152.54: a formula.
    assert sheet.cell(rows["合計"], 2).value == "=SUM(B3:B6)"
    # 實績 24.23 + 43.64 + 26.59 + 11.99 = 106.45, printed total 106.46 (each figure rounded from 元):
    # a formula would show 106.45, so the printed figure is written as a value.
    assert sheet.cell(rows["合計"], 3).value == pytest.approx(106.46)
    # 完成率 69.8% is a ratio, never a sum.
    assert sheet.cell(rows["合計"], 4).value == pytest.approx(0.698)


def test_dates_are_dates_and_headers_are_frozen(rendered):
    _docx, xlsx_path = paths(rendered, "annual-plan")
    sheet = openpyxl.load_workbook(xlsx_path)["表12 全公司人員配置"]
    assert [c.value for c in sheet[2]] == ["區域", "姓名", "職務", "渠道", "到職日期", "負責地區"]
    assert sheet["E3"].value == dt.datetime(2015, 4, 1)
    assert sheet["E3"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.freeze_panes == "A3"
    # CJK text counts double: 深圳市、東莞市 (7 characters) needs 14 units, plus margin.
    assert sheet.column_dimensions["F"].width >= 14


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_sheets_are_the_docx_tables_in_order(rendered, name):
    docx_path, xlsx_path = paths(rendered, name)
    tables = docx_document(docx_path).tables
    book = openpyxl.load_workbook(xlsx_path)
    assert len(book.worksheets) == len(tables)
    for sheet in book.worksheets:
        # The sheet is named after the caption in A1 (shortened to Excel's 31 characters).
        assert compact(sheet["A1"].value).startswith(compact(sheet.title.removesuffix("…")))


def libreoffice_csv(xlsx: Path, out_dir: Path, recalculate: bool) -> dict[int, list[list[str]]]:
    """Every sheet of ``xlsx`` as LibreOffice prints it (CSV, formatted), by sheet number.

    With ``recalculate`` the cached formula values are removed first, so LibreOffice must compute them.
    """
    source = xlsx
    if recalculate:
        source = out_dir / xlsx.name
        with zipfile.ZipFile(xlsx) as zin, zipfile.ZipFile(source, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if item.filename.startswith("xl/worksheets/"):
                    data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
                zout.writestr(item, data)
    env = dict(os.environ, HOME=str(out_dir / "home"))
    # Filter options: comma, quote, UTF-8, from line 1, …, save cell content as shown, all sheets (-1).
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(["soffice", "--headless", "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
                    "--outdir", str(out_dir), str(source)], capture_output=True, check=True, timeout=180, env=env)
    sheets = {}
    book = openpyxl.load_workbook(xlsx, read_only=True)
    for number, title in enumerate(book.sheetnames, 1):
        text = (out_dir / f"{xlsx.stem}-{title}.csv").read_text(encoding="utf-8")
        sheets[number] = list(csv.reader(io.StringIO(text)))
    return sheets


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_libreoffice_recalculates_every_sheet_to_the_docx_figures(rendered, tmp_path, name):
    docx_path, xlsx_path = paths(rendered, name)
    tables = docx_document(docx_path).tables
    sheets = libreoffice_csv(xlsx_path, tmp_path, recalculate=True)
    for number, table in enumerate(tables, 1):
        shown = [[compact(c) for c in row if compact(c)] for row in sheets[number][1:]]
        shown = [row for row in shown if row]
        assert shown == [row for row in docx_rows(table) if row], f"sheet {number}"


def test_libreoffice_shows_the_cached_totals_without_recalculating(rendered, tmp_path):
    docx_path, xlsx_path = paths(rendered, "monthly-plan")
    sheets = libreoffice_csv(xlsx_path, tmp_path, recalculate=False)
    week_table = sheets[3]  # 表2 業務員本月目標及週分解
    assert week_table[-1][0] == "區域合計"
    docx_total = docx_rows(docx_document(docx_path).tables[2])[-1]
    assert [compact(c) for c in week_table[-1] if c] == docx_total


def test_the_bytes_are_reproducible(tmp_path):
    ws = copy_example(tmp_path / "ws")
    outs = []
    for run in ("a", "b"):
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", "sales-stats", "-p", "2026-06", "-r", "south",
                                          "-f", "xlsx", "-o", str(tmp_path / run)])
        assert result.exit_code == 0, result.output
        outs.append((tmp_path / run / "2026-06/south/sales-stats.xlsx").read_bytes())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(io.BytesIO(outs[0])) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2026-06-30T00:00:00Z") == 2  # created and modified: the month's end, not the clock


def test_formats_in_docgen_yaml_accept_xlsx(tmp_path):
    ws = copy_example(tmp_path / "ws")
    config = ws / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("formats: [docx, pdf, html]", "formats: [xlsx]"),
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "year-summary", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("year-summary.xlsx")


def test_an_unknown_format_names_xlsx_among_the_choices(tmp_path):
    ws = copy_example(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "charter", "-f", "xls"])
    assert result.exit_code == 1
    assert "choose from docx, pdf, html, xlsx" in result.output


@pytest.mark.parametrize("text, numeric, expected", [
    ("1,800.00", True, (Decimal("1800.00"), "#,##0.00")),
    ("-11.8%", True, (Decimal("-0.118"), "0.0%")),
    ("840", True, (Decimal(840), "#,##0")),
    ("90.0", True, (Decimal("90.0"), "#,##0.0")),
    ("21 天", True, ("21 天", "General")),
    ("—", True, ("—", "General")),
    ("1,800.00", False, ("1,800.00", "General")),  # only class="num" cells are figures
    ("2026年4月16日", False, (dt.date(2026, 4, 16), 'yyyy"年"m"月"d"日"')),
    ("2026年2月30日", False, ("2026年2月30日", "General")),
])
def test_printed_figures_parse_back_exactly(text, numeric, expected):
    assert parse_figure(text, numeric) == expected


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    assert sheet_name("表1　渠道/通路[新]:統計?", taken) == "表1 渠道_通路_新__統計_"
    long = "表2　" + "很長的標題" * 10
    first = sheet_name(long, taken)
    second = sheet_name(long, taken)
    assert len(first) == 31 and len(second) == 31 and first != second and second.endswith("(2)")
    assert sheet_name("ABC", taken) == "ABC" and sheet_name("abc", taken) == "abc(2)"
