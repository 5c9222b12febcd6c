"""Seeded mutations of a copy of the example workspace: what users (and their tools) do to files.

``mutate(ws, rng)`` applies one mutation chosen by ``rng`` and returns a :class:`Mutation`
naming the file it touched and what it did, so a failing case can be replayed from its seed.
Every input kind is covered: YAML (docgen.yaml, the charter, the plan), CSV customer lists and
ledgers in each encoding they come in, XLSX workbooks (as files and as zip parts), templates,
and file-level damage (a folder, an empty file, binary noise, a link out of the workspace).
"""
from __future__ import annotations

import csv
import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Mutation:
    """What was done to which file (workspace-relative)."""

    file: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


# values a wrong-typed or hostile YAML scalar may take
YAML_VALUES = [
    ".nan", ".inf", "-.inf", "1.0e+999", "1e999", "-5", "0", "99999999999999999999999", "[]", "{}", "null",
    "~", "true", "'一千萬'", "2026-13-01", "2026-02-30", "9999-12-31", "0001-01-01", "[1, [2, [3]]]",
    "{a: b}", "*nowhere", "&x", "!!binary aGVsbG8=", "!!python/object/apply:os.system ['id']",
    "'" + "長" * 5000 + "'", "12月", "13月", "1092萬萬", "-1092萬", "0x1F", "1_000", "'\t'", "|\n  block",
    "!!set {a, b}", "!!omap [a: 1]", "2026-06-08T25:00:00", "e02", "'../../etc'", "\"\\x00\"",
]

# values a garbage CSV cell may take
CSV_VALUES = [
    "", " ", "NaN", "inf", "-inf", "1e999", "-1", "(1,200)", "1,2,3", "2026-02-30", "2026/13/01",
    "99999999999999999999999", "=SUM(A1:A9)", "\x00", '"', "C999", "合計", "VIP客戶", "潛在", "流失",
    "¥", "１２３", "0x10", "２０２６年６月３日", "2026-06-31", "1e-999", "✓", "\u202e", "x" * 300,
    "2025-06-01", "2027-01-01", "99999", "-0", "e02", "電話", "拜訪",
]

DEEP = "[" * 2000 + "]" * 2000


# ---------------------------------------------------------------- text helpers

def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


def _content_lines(lines: list[str]) -> list[int]:
    idx = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    return idx or list(range(len(lines))) or [0]


# ---------------------------------------------------------------- YAML

def yaml_delete_line(path: Path, rng: random.Random) -> str:
    lines = _lines(path)
    i = rng.choice(_content_lines(lines))
    del lines[i:i + 1]
    _write_lines(path, lines)
    return f"deleted line {i + 1}"


def yaml_swap_lines(path: Path, rng: random.Random) -> str:
    lines = _lines(path)
    idx = _content_lines(lines)
    i, j = rng.choice(idx), rng.choice(idx)
    if i < len(lines) and j < len(lines):
        lines[i], lines[j] = lines[j], lines[i]
    _write_lines(path, lines)
    return f"swapped lines {i + 1} and {j + 1}"


def yaml_truncate(path: Path, rng: random.Random) -> str:
    data = path.read_bytes()
    cut = rng.randrange(len(data) + 1) if data else 0
    path.write_bytes(data[:cut])
    return f"cut after byte {cut}"


def yaml_reindent(path: Path, rng: random.Random) -> str:
    lines = _lines(path)
    i = rng.choice(_content_lines(lines))
    if i < len(lines):
        shift = rng.choice([-4, -2, -1, 1, 2, 3, 8])
        body = lines[i].lstrip(" ")
        indent = max(0, len(lines[i]) - len(body) + shift)
        lines[i] = " " * indent + body
        if rng.random() < 0.2:
            lines[i] = "\t" + lines[i]
        _write_lines(path, lines)
        return f"re-indented line {i + 1} by {shift}"
    return "re-indented nothing (empty file)"


_SCALAR = re.compile(r"(:\s+)([^\s\[{&*#|>][^#\n]*?)(\s*(?:#.*)?)$")
_FLOW_VALUE = re.compile(r"(:\s*)([^,\[\]{}\n]+?)(\s*[,}\]])")


def yaml_wrong_scalar(path: Path, rng: random.Random) -> str:
    lines = _lines(path)
    idx = [i for i in _content_lines(lines) if i < len(lines) and ":" in lines[i]]
    if not idx:
        return "no scalar to change"
    i = rng.choice(idx)
    value = rng.choice(YAML_VALUES)
    line = lines[i].rstrip("\n")
    flows = list(_FLOW_VALUE.finditer(line))
    m: re.Match[str] | None
    if flows and rng.random() < 0.6:
        m = rng.choice(flows)
        new = line[:m.start(2)] + value.replace("\n", " ") + line[m.end(2):]
    else:
        m = _SCALAR.search(line)
        if m is None:
            return "no scalar to change"
        new = line[:m.start(2)] + value + line[m.end(2):]
    lines[i] = new + "\n"
    _write_lines(path, lines)
    return f"line {i + 1}: value replaced by {value[:40]!r}"


def yaml_duplicate_line(path: Path, rng: random.Random) -> str:
    lines = _lines(path)
    i = rng.choice(_content_lines(lines))
    if i < len(lines):
        lines.insert(i, lines[i])
    _write_lines(path, lines)
    return f"duplicated line {i + 1}"


def yaml_insert_garbage(path: Path, rng: random.Random) -> str:
    lines = _lines(path)
    i = rng.randrange(len(lines) + 1)
    junk = rng.choice(["- - -", ": :", "key: [unclosed", "? complex", "%YAML 9.9", "---", "...",
                       "a: &a [*a]", "<<: *nowhere", "x: " + DEEP, "'unterminated", "\x07bell: 1",
                       "extra_key: 1", "\ufeffbom: 1", "\u3000: 全角空白"])
    lines.insert(i, junk + "\n")
    _write_lines(path, lines)
    return f"inserted {junk[:30]!r} at line {i + 1}"


YAML_MUTATIONS: list[Callable[[Path, random.Random], str]] = [
    yaml_delete_line, yaml_swap_lines, yaml_truncate, yaml_reindent, yaml_wrong_scalar,
    yaml_wrong_scalar, yaml_duplicate_line, yaml_insert_garbage,
]


# ---------------------------------------------------------------- CSV

def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def csv_drop_column(path: Path, rng: random.Random) -> str:
    rows = _read_csv(path)
    width = max((len(r) for r in rows), default=0)
    if not width:
        return "no column to drop"
    c = rng.randrange(width)
    _write_csv(path, [r[:c] + r[c + 1:] for r in rows])
    return f"dropped column {c + 1}"


def csv_swap_columns(path: Path, rng: random.Random) -> str:
    rows = _read_csv(path)
    width = min((len(r) for r in rows if r), default=0)
    if width < 2:
        return "no columns to swap"
    a, b = rng.sample(range(width), 2)
    swap_header = rng.random() < 0.5
    for n, r in enumerate(rows):
        if len(r) > max(a, b) and (n > 0 or swap_header):
            r[a], r[b] = r[b], r[a]
    _write_csv(path, rows)
    return f"swapped columns {a + 1} and {b + 1}" + (" (header too)" if swap_header else " (not the header)")


def csv_garbage_cell(path: Path, rng: random.Random) -> str:
    rows = _read_csv(path)
    if not rows:
        return "no cell"
    r = rng.randrange(len(rows))
    if not rows[r]:
        return "blank row"
    c = rng.randrange(len(rows[r]))
    value = rng.choice(CSV_VALUES)
    rows[r][c] = value
    _write_csv(path, rows)
    return f"row {r + 1} column {c + 1} set to {value[:20]!r}"


def csv_huge_cell(path: Path, rng: random.Random) -> str:
    rows = _read_csv(path)
    r = rng.randrange(len(rows)) if rows else 0
    if not rows or not rows[r]:
        return "no cell"
    c = rng.randrange(len(rows[r]))
    size = rng.choice([140_000, 300_000])
    rows[r][c] = "長" * size
    _write_csv(path, rows)
    return f"row {r + 1} column {c + 1} holds {size:,} characters"


def csv_reencode(path: Path, rng: random.Random) -> str:
    text = path.read_text(encoding="utf-8-sig")
    encoding = rng.choice(["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "latin-1"])
    try:
        data = text.encode(encoding, errors="replace" if encoding in ("latin-1", "big5", "gbk") else "strict")
    except UnicodeEncodeError:
        data = text.encode("gb18030")
        encoding = "gb18030"
    path.write_bytes(data)
    return f"re-encoded as {encoding}"


def csv_delete_row(path: Path, rng: random.Random) -> str:
    rows = _read_csv(path)
    if not rows:
        return "no row"
    r = rng.randrange(len(rows))
    del rows[r]
    _write_csv(path, rows)
    return f"deleted row {r + 1}"


def csv_duplicate_row(path: Path, rng: random.Random) -> str:
    rows = _read_csv(path)
    if not rows:
        return "no row"
    r = rng.randrange(len(rows))
    rows.insert(r, list(rows[r]))
    _write_csv(path, rows)
    return f"duplicated row {r + 1}"


def csv_bad_bytes(path: Path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    if not data:
        return "empty"
    at = rng.randrange(len(data))
    junk = rng.choice([b"\xff", b"\xc3", b"\x00", b"\xe4\xb8", b'"', b"\r", b"\n\n", b",,,"])
    data[at:at] = junk
    path.write_bytes(bytes(data))
    return f"inserted {junk!r} at byte {at}"


def csv_truncate(path: Path, rng: random.Random) -> str:
    data = path.read_bytes()
    cut = rng.randrange(len(data) + 1) if data else 0
    path.write_bytes(data[:cut])
    return f"cut after byte {cut}"


def csv_to_xlsx(path: Path, rng: random.Random) -> str:
    """Replace the CSV by a workbook holding the same rows (and maybe a bad cell)."""
    import openpyxl

    rows = _read_csv(path)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    note = ""
    if rows and rng.random() < 0.7:
        r = rng.randrange(1, len(rows) + 1)
        c = rng.randrange(1, max(len(rows[r - 1]), 1) + 1)
        cell = sheet.cell(r, c)
        kind = rng.choice(["huge date", "nan", "inf", "number", "date", "bool", "formula error"])
        if kind == "huge date":
            cell.value = 99_999_999
            cell.number_format = "yyyy-mm-dd"
        elif kind == "nan":
            cell.value = float("nan")
        elif kind == "inf":
            cell.value = float("inf")
        elif kind == "number":
            cell.value = 1e300
        elif kind == "date":
            import datetime as dt
            cell.value = dt.datetime(1900, 1, 1)
        elif kind == "bool":
            cell.value = True
        else:
            cell.value = "#DIV/0!"
        note = f"; row {r} column {c} is {kind}"
    target = path.with_suffix(".xlsx")
    book.save(target)
    path.unlink()
    return f"replaced by {target.name}{note}"


CSV_MUTATIONS: list[Callable[[Path, random.Random], str]] = [
    csv_drop_column, csv_swap_columns, csv_garbage_cell, csv_garbage_cell, csv_garbage_cell, csv_huge_cell,
    csv_reencode, csv_delete_row, csv_duplicate_row, csv_bad_bytes, csv_truncate, csv_to_xlsx,
]


# ---------------------------------------------------------------- XLSX

def _rewrite_zip(path: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            new = change(info.filename, data)
            if new is not None:
                dst.writestr(info.filename, new)


def _parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def xlsx_delete_part(path: Path, rng: random.Random) -> str:
    part = rng.choice(_parts(path))
    _rewrite_zip(path, lambda name, data: None if name == part else data)
    return f"deleted part {part}"


def xlsx_cut_part(path: Path, rng: random.Random) -> str:
    parts = _parts(path)
    sheet = [p for p in parts if "worksheets/sheet" in p]
    part = rng.choice(sheet if sheet and rng.random() < 0.6 else parts)
    frac = rng.random()
    _rewrite_zip(path, lambda name, data: data[:int(len(data) * frac)] if name == part else data)
    return f"cut part {part} at {frac:.0%}"


def xlsx_bad_bytes(path: Path, rng: random.Random) -> str:
    part = rng.choice(_parts(path))
    junk = rng.choice([b"\xff\xfe", b"<", b"&", b"\x00", b"</row>", b"<c r=\"ZZZ99999999\"><v>1</v></c>"])
    pos = rng.random()

    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        at = int(len(data) * pos)
        return data[:at] + junk + data[at:]
    _rewrite_zip(path, change)
    return f"inserted {junk!r} into part {part} at {pos:.0%}"


def xlsx_corrupt_compressed(path: Path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    # flip bytes inside the compressed data (after the first local header), keeping the zip's directory
    end = data.rfind(b"PK\x01\x02") if b"PK\x01\x02" in data else len(data)
    start = 40
    if end <= start:
        return "too small to corrupt"
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(start, end)
        data[at] ^= rng.randrange(1, 256)
    path.write_bytes(bytes(data))
    return "flipped bytes in the compressed data"


def xlsx_cells(path: Path, rng: random.Random) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    r = rng.randrange(1, sheet.max_row + 1)
    c = rng.randrange(1, sheet.max_column + 1)
    kind = rng.choice(["huge date", "garbage", "nan", "delete column", "empty sheet", "second sheet first"])
    if kind == "huge date":
        sheet.cell(r, c).value = 2_958_466 * 10
        sheet.cell(r, c).number_format = "yyyy-mm-dd"
    elif kind == "garbage":
        sheet.cell(r, c).value = rng.choice(CSV_VALUES)
    elif kind == "nan":
        sheet.cell(r, c).value = float("nan")
    elif kind == "delete column":
        sheet.delete_cols(c)
    elif kind == "empty sheet":
        sheet.delete_rows(1, sheet.max_row)
    else:
        book.move_sheet(book.create_sheet("空白"), offset=-len(book.worksheets))
    book.save(path)
    return f"{kind} at row {r} column {c}"


XLSX_MUTATIONS: list[Callable[[Path, random.Random], str]] = [
    xlsx_delete_part, xlsx_cut_part, xlsx_bad_bytes, xlsx_corrupt_compressed, xlsx_cells, xlsx_cells,
]


# ---------------------------------------------------------------- any file

def file_folder(path: Path, rng: random.Random) -> str:
    path.unlink()
    path.mkdir()
    if rng.random() < 0.5:
        (path / "inside.txt").write_text("x", encoding="utf-8")
    return "replaced by a folder"


def file_empty(path: Path, rng: random.Random) -> str:
    path.write_bytes(rng.choice([b"", b"\n", b"\xef\xbb\xbf", b"   \n\n"]))
    return "emptied"


def file_binary(path: Path, rng: random.Random) -> str:
    path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.choice([16, 500, 4000]))))
    return "replaced by random bytes"


def file_delete(path: Path, rng: random.Random) -> str:
    path.unlink()
    return "deleted"


def file_link_out(path: Path, rng: random.Random) -> str:
    path.unlink()
    path.symlink_to(rng.choice(["/etc/passwd", "/etc/hostname", "/nonexistent/file"]))
    return f"replaced by a link to {path.readlink()}"


FILE_MUTATIONS: list[Callable[[Path, random.Random], str]] = [
    file_folder, file_empty, file_binary, file_delete, file_link_out,
]


# ---------------------------------------------------------------- docgen.yaml values

CONFIG_EDITS = [
    ("paths.templates", "  templates: " + "t" * 300),
    ("paths.templates", "  templates: " + "長" * 100),
    ("paths.templates", "  templates: \"a\\0b\""),
    ("paths.templates", "  templates: docgen.yaml"),
    ("paths.templates", "  templates: /"),
    ("paths.plans", "  plans: nowhere"),
    ("paths.plans", "  plans: docgen.yaml"),
    ("paths.plans", "  plans: ''"),
    ("paths.ledgers", "  ledgers: plans"),
    ("paths.ledgers", "  ledgers: ledgers/2026-06/sales.csv"),
    ("paths.output", "  output: docgen.yaml"),
    ("paths.output", "  output: plans/charter.yaml"),
    ("paths.regions", "  regions: " + "r" * 256),
    ("paths.plans", "  plans: [a, b]"),
]


def config_break(path: Path, rng: random.Random) -> str:
    text = path.read_text(encoding="utf-8")
    choice = rng.randrange(4)
    if choice == 0:
        key, line = rng.choice(CONFIG_EDITS)
        field = key.split(".")[1]
        text = re.sub(rf"(?m)^  {field}:.*$", lambda _: line, text, count=1)
        return_what = f"{key} set to {line.strip()[:50]!r}"
    elif choice == 1:
        key = rng.choice(["unit", "script", "year", "fiscal_year_start", "formats", "company", "currency",
                          "font", "logo", "prepared_by", "regions", "calendar", "columns", "rules", "appraisal",
                          "limits"])
        value = rng.choice(YAML_VALUES)
        text = re.sub(rf"(?m)^{key}:.*$", lambda _: f"{key}: {value}", text, count=1)
        if f"{key}: {value}" not in text:
            text += f"\n{key}: {value}\n"
        return_what = f"{key} set to {value[:40]!r}"
    elif choice == 2:
        extra = rng.choice([
            "columns: {amount: [日期]}", "columns: {amount: 5}", "columns: {date: [金額], amount: [日期]}",
            "columns: {id: [客戶名稱]}", "rules: {tier_thresholds: {VIP: 0}}", "rules: {visit_cadence: {VIP: 0}}",
            "rules: {quadrant: {large_demand: .nan}}", "rules: {lost_after_months: 999999}",
            "calendar: {holidays: [2026-02-30]}", "calendar: {workdays: [1]}",
            "regions: [{id: south, name: 華南區}, {id: south, name: 又}]", "regions: []",
            "regions: [{id: '../x', name: x}]", "limits: {yaml_depth: 0}", "limits: {xlsx_rows: 1}",
            "limits: {csv_field_chars: 10}", "limits: {yaml_nodes: 10}", "appraisal: {items: 5}",
            "fiscal_year_start: 7", "unit: 元", "script: simplified",
        ])
        key = extra.split(":")[0]
        text = re.sub(rf"(?m)^{key}:.*(\n[ #].*)*$", "", text, count=1) + "\n" + extra + "\n"
        return_what = f"set {extra[:60]!r}"
    else:
        return_what = yaml_wrong_scalar(path, rng)
        text = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return return_what


# ---------------------------------------------------------------- templates

TEMPLATE_JUNK = [
    "{% endfor %}", "{{ no_such_value }}", "{% include 'nope.html.j2' %}", "{{ 1 / 0 }}", "{{ ''.__class__ }}",
    "{% for x in 5 %}{% endfor %}", "{{ 'a' | no_such_filter }}", "{% block body %}", "{{ money('x') }}",
    "{{ none.attr }}", "{% extends 'charter.html.j2' %}", "{{ {}['k'] }}", "{% macro m() %}", "{#",
    "{{ 'x' * 10 }}", "{{ 1 | money }}", "{{ 'abc' | percent }}", "{{ 'abc' | cdate }}",
]


def template_break(ws: Path, rng: random.Random) -> tuple[str, str]:
    """Copy a built-in template into the workspace's template folder and break the copy."""
    names = sorted(p.name for p in BUILTIN_TEMPLATES.glob("*.html.j2"))
    name = rng.choice(names)
    folder = ws / "plans" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    try:
        lines = _lines(dest)
    except (OSError, UnicodeDecodeError):  # not there yet, or broken by an earlier mutation
        shutil.copyfile(BUILTIN_TEMPLATES / name, dest)
        lines = _lines(dest)
    how = rng.randrange(4)
    i = rng.randrange(len(lines) + 1)
    if how == 0:
        junk = rng.choice(TEMPLATE_JUNK)
        lines.insert(i, junk + "\n")
        what = f"inserted {junk!r} at line {i + 1}"
    elif how == 1 and lines:
        i = min(i, len(lines) - 1)
        del lines[i]
        what = f"deleted line {i + 1}"
    elif how == 2:
        data = dest.read_bytes()
        cut = rng.randrange(len(data) + 1)
        dest.write_bytes(data[:cut])
        return f"plans/templates/{name}", f"cut after byte {cut}"
    else:
        dest.write_bytes(rng.choice([b"\xff\xfe\x00", b"", "{{ 中文 }}".encode("gbk")]))
        return f"plans/templates/{name}", "replaced by bad bytes"
    _write_lines(dest, lines)
    return f"plans/templates/{name}", what


# ---------------------------------------------------------------- choosing

def input_files(ws: Path) -> dict[str, list[str]]:
    """The workspace's input files by kind (workspace-relative)."""
    rel = lambda p: p.relative_to(ws).as_posix()  # noqa: E731
    kinds: dict[str, list[str]] = {"config": ["docgen.yaml"], "yaml": [], "csv": [], "xlsx": []}
    for p in sorted((ws / "plans").rglob("*")):
        if p.is_file() and p.suffix in (".yaml", ".yml"):
            kinds["yaml"].append(rel(p))
    for p in sorted([*(ws / "plans").rglob("*.csv"), *(ws / "ledgers").rglob("*.csv")]):
        kinds["csv"].append(rel(p))
    for p in sorted([*(ws / "plans").rglob("*.xlsx"), *(ws / "ledgers").rglob("*.xlsx")]):
        kinds["xlsx"].append(rel(p))
    return kinds


def mutate(ws: Path, rng: random.Random) -> Mutation:
    """Apply one mutation to the workspace at ``ws``."""
    kinds = input_files(ws)
    kind = rng.choices(["config", "yaml", "csv", "xlsx", "file", "template"], [3, 6, 6, 3, 3, 2])[0]
    if kind == "template":
        file, what = template_break(ws, rng)
        return Mutation(file, what)
    if kind == "file":
        file = rng.choice(kinds["config"] + kinds["yaml"] + kinds["csv"] + kinds["xlsx"])
        path = ws / file
        if not path.is_file() or path.is_symlink():
            return Mutation(file, "(already not a file)")
        return Mutation(file, rng.choice(FILE_MUTATIONS)(path, rng))
    file = rng.choice(kinds[kind]) if kinds[kind] else "docgen.yaml"
    path = ws / file
    if not path.is_file() or path.is_symlink():
        return Mutation(file, "(already not a file)")
    try:
        if kind == "config":
            return Mutation(file, config_break(path, rng))
        table = {"yaml": YAML_MUTATIONS, "csv": CSV_MUTATIONS, "xlsx": XLSX_MUTATIONS}[kind]
        return Mutation(file, rng.choice(table)(path, rng))
    except Exception as e:
        # an earlier mutation left the file unreadable to the mutator itself: damage it further
        return Mutation(file, file_binary(path, rng) + f" (mutator could not parse it: {type(e).__name__})")
