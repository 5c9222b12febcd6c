"""Each kind of broken input the fuzzer found crashing docgen (issue 17) is now one located
problem, exit 1, from ``validate`` and from the render that reads the file."""
from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import cli

EAST = "plans/2026/regions/east.yaml"
SALES = "ledgers/2026-06/sales.csv"
WORKBOOK = "ledgers/2026-03/sales.xlsx"


def docgen(ws: Path, *args: str):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, ["-w", str(ws), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert [w for w in caught if not issubclass(w.category, DeprecationWarning)] == []
    return result


def errors(result) -> list[str]:
    """The problem lines of a run: warnings and summary lines left out."""
    return [line for line in result.output.splitlines()
            if ": warning:" not in line and not re.match(r"^\d+ errors?\b", line)]


def sales_stats(ws: Path):
    return docgen(ws, "render", "sales-stats", "--period", "2026-06", "--format", "html",
                  "--output", str(ws / "out"))


def set_sales_cell(ws: Path, row: int, column: int, value: str) -> None:
    path = ws / SALES
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[row - 1].split(",")
    cells[column - 1] = value
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def rewrite_zip(path: Path, change) -> None:
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            data = change(name, data)
            if data is not None:
                z.writestr(name, data)


def test_a_customer_list_replaced_by_a_folder(workspace):
    path = workspace / "plans/2026/customers/east.csv"
    path.unlink()
    path.mkdir()
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert errors(result) == ["plans/2026/customers/east.csv: is a folder, expected a file"]


def test_a_ledger_cell_over_the_csv_field_limit(workspace):
    set_sales_cell(workspace, 4, 6, "膠" * 140_000)
    for result in (docgen(workspace, "validate"), sales_stats(workspace)):
        assert result.exit_code == 1
        assert errors(result) == [f"{SALES}:4: a cell holds more than 131,072 characters "
                                  "(limits.csv_field_chars in docgen.yaml)"]
    assert not (workspace / "out").exists()


def test_nan_and_inf_money_in_a_plan_are_located(workspace):
    path = workspace / EAST
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"rate: [^,}]+", "rate: .nan", text, count=1)
    text = re.sub(r"(?m)^task: .*$", "task: .inf", text, count=1)
    path.write_text(text, encoding="utf-8")
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert errors(result) == [
        f"{EAST}:9: task: expected an amount like 1092萬 or 10920000 (元), got inf",
        f"{EAST}:16: channels[0].rate: expected an amount like 1092萬 or 10920000 (元), got nan",
    ]


def test_1e999_in_a_ledger_is_reported_at_the_ledger_line_not_in_a_template(workspace):
    set_sales_cell(workspace, 4, 8, "1e999")
    for result in (docgen(workspace, "validate"), sales_stats(workspace)):
        assert result.exit_code == 1
        assert errors(result) == [f"{SALES}:4:金額: amount: not a plausible amount: '1e999' "
                                  "(expected less than 10^15)"]


def test_a_workbook_whose_sheet_xml_is_cut(workspace):
    rewrite_zip(workspace / WORKBOOK, lambda name, data: data[:len(data) // 2] if "sheet1" in name else data)
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    [line] = errors(result)
    assert re.match(rf"^{WORKBOOK}:(\d+): the workbook is damaged after row \d+: its XML is broken "
                    r"\((no element found|unclosed token): line 1, column \d+\): open it in Excel and save it again",
                    line)


def test_a_workbook_with_bad_bytes_in_its_sheet(workspace):
    rewrite_zip(workspace / WORKBOOK,
                lambda name, data: data.replace(b"<row", b"<row\xff", 3) if "sheet1" in name else data)
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert errors(result)[0].startswith(f"{WORKBOOK}: the workbook is damaged: its XML is broken (not well-formed")


def test_a_workbook_without_its_sheet(workspace):
    rewrite_zip(workspace / WORKBOOK, lambda name, data: None if "sheet1" in name else data)
    result = sales_stats(workspace)
    assert result.exit_code == 1
    assert errors(result)[0] == (f"{WORKBOOK}: the workbook has no sheet: open it in Excel and save it "
                                 "again as .xlsx, or export it as CSV UTF-8")


def test_a_workbook_with_corrupted_compressed_data(workspace):
    path = workspace / WORKBOOK
    data = bytearray(path.read_bytes())
    at = data.find(b"sheet1.xml") + 200
    data[at:at + 20] = bytes(20)
    path.write_bytes(bytes(data))
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert errors(result)[0].startswith(f"{WORKBOOK}: the workbook is damaged: its compressed data is corrupt")


@pytest.mark.parametrize("value, message", [
    ("t" * 300, "the name 'tttttttttttttttttttttttttttttttttttttttt'… is longer than the 255 bytes "
                "a file system allows"),
    ('"a\\0b"', "a folder name cannot hold the character NUL"),
    ("/", "'/' leads outside the workspace; keep templates inside it"),
    ("docgen.yaml", "'docgen.yaml' is a file, expected a folder"),
])
def test_paths_templates_that_no_render_could_use(workspace, value, message):
    path = workspace / "docgen.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("  templates:"))
    path.write_text(text.replace("  templates: plans/templates", f"  templates: {value}"), encoding="utf-8")
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert f"docgen.yaml:{line}: paths.templates: {message}" in errors(result)


def test_a_missing_plans_folder_is_reported_at_its_setting_by_every_command(workspace):
    path = workspace / "docgen.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("  plans:"))
    path.write_text(text.replace("  plans: plans", "  plans: nowhere"), encoding="utf-8")
    for result in (docgen(workspace, "validate"), docgen(workspace, "render", "charter", "-f", "html")):
        assert result.exit_code == 1
        assert errors(result) == [f"docgen.yaml:{line}: paths.plans: folder 'nowhere' not found"]


def test_a_huge_excel_date_serial_quotes_the_cell_and_leaks_no_warning(workspace):
    path = workspace / WORKBOOK
    book = openpyxl.load_workbook(path)
    cell = book.worksheets[0].cell(3, 1)
    cell.value = 99_999_999
    cell.number_format = "yyyy-mm-dd"
    book.save(path)
    result = docgen(workspace, "validate")  # docgen() asserts no warning reached the user
    assert result.exit_code == 1
    assert errors(result) == [f"{WORKBOOK}:3:日期: date: not a date: '99999999' "
                              "(expected e.g. 2026-06-03, 2026/6/3 or 2026年6月3日)"]


def test_an_empty_customer_list_is_a_warning(workspace):
    (workspace / "plans/2026/customers/shandong.csv").write_bytes(b"")
    result = docgen(workspace, "validate")
    assert ("plans/2026/customers/shandong.csv:1: warning: the file is empty: expected a header row and a row "
            "per customer (delete the file if it has none)") in result.output.splitlines()


def test_a_missing_company_yaml_is_one_message(workspace):
    (workspace / "plans/2026/company.yaml").unlink()
    for result in (docgen(workspace, "validate"), docgen(workspace, "render", "annual-plan", "-f", "html")):
        assert result.exit_code == 1
        assert errors(result) == ["plans/2026/company.yaml: file not found: the regions name channels "
                                  "(distributors, key_accounts, stores) that it declares"]


def test_not_utf8_names_the_line_the_byte_and_the_encoding_that_works(workspace):
    path = workspace / EAST
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    first = path.read_bytes().splitlines()[0]
    column = next(i for i, b in enumerate(first) if b >= 0x80)
    assert errors(result) == [f"{EAST}:1: not UTF-8 text: byte {column + 1} of the line (0x{first[column]:02X}) "
                              "is not UTF-8; it reads as GBK text: save it as UTF-8"]


def test_a_customer_list_in_no_encoding(workspace):
    # GBK and Big5 customer lists are read as ledgers are (issue 13, tests/test_tables.py); bytes that
    # are text in no encoding docgen knows are located at their line
    path = workspace / "plans/2026/customers/east.csv"
    path.write_bytes(path.read_bytes().replace(b"E002", b"E\x80\x80", 1))
    result = docgen(workspace, "validate")
    assert errors(result) == ["plans/2026/customers/east.csv:3: not UTF-8 text: byte 2 of the line (0x80) is not "
                              "UTF-8: save it as CSV UTF-8"]


@pytest.mark.parametrize("damage, message", [
    ("missing", "not a docgen workspace (no docgen.yaml); create one with `docgen init {ws}`"),
    ("folder", "is a folder, expected a file"),
    ("binary", "not UTF-8 text: byte 1 of the line (0xFF) is not UTF-8: save it as UTF-8"),
])
def test_a_missing_or_unreadable_docgen_yaml_is_located(workspace, damage, message):
    path = workspace / "docgen.yaml"
    path.unlink()
    if damage == "folder":
        path.mkdir()
    elif damage == "binary":
        path.write_bytes(b"\xff\x00\x01\x02")
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    name = path.as_posix() if damage == "missing" else "docgen.yaml"
    line = "" if damage != "binary" else ":1"
    assert errors(result) == [f"{name}{line}: " + message.format(ws=workspace)]


def test_a_link_out_of_the_workspace_is_refused_without_reading_it(workspace):
    region = workspace / "plans/2026/regions/east.yaml"
    region.unlink()
    region.symlink_to("/etc/passwd")
    ledger = workspace / SALES
    ledger.unlink()
    ledger.symlink_to("/etc/passwd")
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert f"{EAST}: leads outside the workspace (to /etc/passwd); docgen reads only files inside it: " \
           "copy the file in instead of linking it" in errors(result)
    assert "root:" not in result.output
    result = sales_stats(workspace)
    assert "root:" not in result.output


def test_a_linked_folder_out_of_the_workspace_is_refused(workspace, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "sales.csv").write_text("日期,單號\nsecret,line\n", encoding="utf-8")
    folder = workspace / "ledgers/2026-06"
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    folder.symlink_to(outside, target_is_directory=True)
    result = sales_stats(workspace)
    assert result.exit_code == 1
    assert errors(result)[0] == (f"{SALES}: leads outside the workspace (to {outside.resolve()}/sales.csv); "
                                 "docgen reads only files inside it: copy the file in instead of linking it")
    assert "secret" not in result.output


def test_a_link_inside_the_workspace_is_read(workspace):
    region = workspace / "plans/2026/regions/east.yaml"
    copy = workspace / "shared-east.yaml"
    region.rename(copy)
    region.symlink_to(copy)
    assert docgen(workspace, "validate").exit_code == 0


@pytest.mark.parametrize("span, message", [
    ("{start: 2026-07-01, end: 2026-01-01}", "end 2026-01-01 is not after start 2026-07-01"),
    ("{start: 2020-01-01, end: 2030-12-31}", "2020-01-01 to 2030-12-31 is longer than a year"),
])
def test_a_fiscal_year_that_is_not_a_year(workspace, span, message):
    path = workspace / "plans/2026/company.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("fiscal_year:"))
    path.write_text(text.replace("fiscal_year: {start: 2026-01-01, end: 2026-12-31}", f"fiscal_year: {span}"),
                    encoding="utf-8")
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert errors(result) == [f"plans/2026/company.yaml:{line}: fiscal_year: {message}"]


def test_a_ledger_saved_as_excel_unicode_text_is_read(workspace):
    """Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated; the same figures as the CSV."""
    before = sales_stats(workspace)
    html = next((workspace / "out").rglob("*.html")).read_text(encoding="utf-8")
    path = workspace / SALES
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_bytes(("\r\n".join(r.replace(",", "\t") for r in rows) + "\r\n").encode("utf-16"))
    for f in (workspace / "out").rglob("*.html"):
        f.unlink()
    after = sales_stats(workspace)
    assert before.exit_code == after.exit_code == 0
    assert next((workspace / "out").rglob("*.html")).read_text(encoding="utf-8") == html


def test_a_utf16_customer_list_is_read_as_a_ledger_is(workspace):
    # one table reader (issue 13): Excel's "Unicode text" is read for customer lists too
    path = workspace / "plans/2026/customers/east.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = docgen(workspace, "validate")
    assert result.exit_code == 0 and errors(result) == []


def test_a_wrong_column_mapping_is_ten_messages_and_a_count_not_one_per_row(workspace):
    config = workspace / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\ncolumns: {amount: [日期]}\n", encoding="utf-8")
    result = sales_stats(workspace)
    lines = [ln for ln in errors(result) if ln.startswith(SALES)]
    rows = len((workspace / SALES).read_text(encoding="utf-8").splitlines())
    assert lines[:10] == [f"{SALES}:{n}:日期: amount: not a number: '2026-06-01' "
                          "(expected e.g. 12,345.60 or ¥12,345)" for n in range(2, 12)]
    assert lines[10:] == [f"{SALES}:12:日期: amount: {rows - 11} more rows like the ones above, up to row {rows} "
                          "(is the column '日期' the right one?)"]


def test_a_missing_region_file_is_one_message_not_one_per_customer(workspace):
    (workspace / EAST).unlink()
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert errors(result) == [f"{EAST}: file not found: 8 customers of region 'east' need its plan "
                              "(the first at plans/2026/customers/east.csv:2)"]
