"""Parser bombs (issue 16 item 4): each small hostile file ends in one located error, within the
limits of ``docgen.yaml``'s ``limits:``.  The bombs are built here, small on disk; the limits are
set low where the real bomb would need a big file, so the test shows the limit is what stops it."""
from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import cli
from docgen.data.limits import Limits
from docgen.data.yamlsrc import parse_yaml
from docgen.errors import DataError

WORKBOOK = "ledgers/2026-03/sales.xlsx"


def docgen(ws: Path, *args: str):
    result = CliRunner().invoke(cli, ["-w", str(ws), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def sales_stats(ws: Path):
    return docgen(ws, "render", "sales-stats", "--period", "2026-06", "--format", "html", "--output", str(ws / "out"))


def set_limits(ws: Path, **limits: int) -> None:
    config = ws / "docgen.yaml"
    body = ", ".join(f"{k}: {v}" for k, v in limits.items())
    config.write_text(config.read_text(encoding="utf-8") + f"\nlimits: {{{body}}}\n", encoding="utf-8")


def alias_bomb() -> str:
    """Nine levels of nine aliases: 9⁹ ≈ 387 million strings once expanded, 342 bytes written."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


def test_an_alias_bomb_is_a_located_error_with_little_memory(workspace):
    charter = workspace / "plans/charter.yaml"
    charter.write_text(charter.read_text(encoding="utf-8") + "\n" + alias_bomb(), encoding="utf-8")
    # a to e hold 74,733 values with the document; the 7th alias of e on line f passes 500,000
    line = next(n for n, text in enumerate(charter.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("f: &f"))
    tracemalloc.start()
    try:
        result = docgen(workspace, "render", "charter", "--format", "html", "--output", str(workspace / "out"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"plans/charter.yaml:{line}: more than 500,000 values once aliases are expanded "
        "(limits.yaml_nodes in docgen.yaml)")
    assert peak < 100 * 2**20   # each alias built once: nothing near the gigabytes a re-walk takes
    assert not (workspace / "out").exists()


def test_aliases_are_shared_not_copied_and_keep_their_lines():
    source = parse_yaml("base: &b {x: 1, y: [2, 3]}\nuse: *b\nlist: [*b, *b]\n", "f.yaml")
    assert source.data["use"] is source.data["base"] is source.data["list"][1]
    assert source.data["use"] == {"x": 1, "y": [2, 3]}
    assert source.line(("use", "y", 0)) == 2   # an alias's values are located at the alias


def test_an_alias_inside_its_own_anchor_is_refused():
    try:
        parse_yaml("a: 1\nloop: &l\n  - 2\n  - *l\n", "f.yaml")
    except DataError as e:
        assert [str(p) for p in e.problems] == ["f.yaml:2: this value holds an alias of itself"]
    else:
        raise AssertionError("a value holding itself was built")


def test_the_yaml_node_limit_is_configurable(workspace):
    set_limits(workspace, yaml_nodes=100)
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(ln.startswith("plans/2026/regions/east.yaml:") and ln.endswith(
        ": more than 100 values once aliases are expanded (limits.yaml_nodes in docgen.yaml)") for ln in lines)


def test_fifty_thousand_levels_of_nesting_is_a_located_error(workspace):
    region = workspace / "plans/2026/regions/east.yaml"
    region.write_text(region.read_text(encoding="utf-8") + "deep: " + "[" * 50_000 + "]" * 50_000 + "\n",
                      encoding="utf-8")
    line = len(region.read_text(encoding="utf-8").splitlines())
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert (f"plans/2026/regions/east.yaml:{line}: nested deeper than 64 levels (limits.yaml_depth in docgen.yaml)"
            in result.output.splitlines())


def test_deep_mappings_too():
    text = "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n"
    try:
        parse_yaml(text, "f.yaml", Limits(yaml_depth=64))
    except DataError as e:
        assert [str(p) for p in e.problems] == [
            "f.yaml:64: nested deeper than 64 levels (limits.yaml_depth in docgen.yaml)"]
    else:
        raise AssertionError("no error for 70 levels")


def sheet_xml(rows: int) -> bytes:
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2026-03-01</t></is></c></row>'
                   for n in range(1, rows + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>').encode()


def replace_sheet(path: Path, sheet: bytes) -> None:
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else data)


def test_a_workbook_that_unpacks_past_the_size_limit(workspace):
    path = workspace / WORKBOOK
    replace_sheet(path, sheet_xml(30_000))          # 2.6 MB of XML, 160 kB on disk
    assert path.stat().st_size < 200_000
    set_limits(workspace, xlsx_bytes=1_000_000)
    for result in (docgen(workspace, "validate"), sales_stats(workspace)):
        assert result.exit_code == 1
        [line] = [ln for ln in result.output.splitlines() if ln.startswith(WORKBOOK)]
        assert line.startswith(f"{WORKBOOK}: the workbook unpacks to ")
        assert line.endswith(" bytes, more than 1,000,000 (limits.xlsx_bytes in docgen.yaml)")


def test_a_workbook_past_the_row_limit_stops_at_the_first_row_too_many(workspace):
    replace_sheet(workspace / WORKBOOK, sheet_xml(2_000))
    set_limits(workspace, xlsx_rows=1_000)
    result = sales_stats(workspace)
    assert result.exit_code == 1
    assert f"{WORKBOOK}:1001: more than 1,000 rows (limits.xlsx_rows in docgen.yaml)" in result.output.splitlines()


def test_a_huge_csv_field_in_a_ledger(workspace):
    ledger = workspace / "ledgers/2026-06/sales.csv"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].replace(",", ',"' + "膠" * 1_000_000 + '",', 1)   # a 3 MB field (the was 50 MB)
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sales_stats(workspace)
    assert result.exit_code == 1
    assert ("ledgers/2026-06/sales.csv:7: a cell holds more than 131,072 characters "
            "(limits.csv_field_chars in docgen.yaml)") in result.output.splitlines()


def test_the_csv_field_limit_is_configurable(workspace):
    set_limits(workspace, csv_field_chars=10)   # row 2 of the east list notes 第一次出差拜訪，已打樣 (11)
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert ("plans/2026/customers/east.csv:2: a cell holds more than 10 characters "
            "(limits.csv_field_chars in docgen.yaml)") in result.output.splitlines()


def test_limits_are_checked_in_docgen_yaml(workspace):
    set_limits(workspace, yaml_depth=0, xlsx_rows=-1)
    result = docgen(workspace, "validate")
    assert result.exit_code == 1
    assert any(ln.endswith(": limits.yaml_depth: Input should be greater than or equal to 1")
               for ln in result.output.splitlines())


def test_a_huge_flat_file_is_stopped_while_it_is_read():
    # the document is one node and each line two (key and value): node 1,001 is the value on line 500
    text = "".join(f"k{i}: {i}\n" for i in range(100_000))
    try:
        parse_yaml(text, "f.yaml", Limits(yaml_nodes=1_000))
    except DataError as e:
        assert [str(p) for p in e.problems] == [
            "f.yaml:500: more than 1,000 values once aliases are expanded (limits.yaml_nodes in docgen.yaml)"]
    else:
        raise AssertionError("100,000 values read under a limit of 1,000")
