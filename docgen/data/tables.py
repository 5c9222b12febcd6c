"""Rows of a CSV text or of a workbook's first sheet: the one table reader of customer lists, ledgers,
visit logs and appraisal scores.

Both readers number rows as a spreadsheet does (the first line is row 1) and turn whatever
the file does wrong into one :class:`DataError` at the row it was found: a cell over the
field limit, a workbook that is cut, corrupted or too big when unpacked, a date cell whose
serial number is no date.

:func:`read_table` and :func:`locate_header` are what every tabular input goes through, so a
file one reader accepts the others accept too: UTF-8 (BOM or not), UTF-16 with BOM, GBK/GB18030
or Big5, comma or tab separated; headers in Traditional or Simplified script or English (compared
by :func:`fold`); a title row above the header and a 合計 row below the lines skipped.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from docgen.data.files import UTF16_BOMS, bad_utf8, check_input, read_input
from docgen.data.limits import Limits
from docgen.errors import DataError, Problem

Rows = list[tuple[int, tuple[Any, ...]]]

_WORKBOOK_ADVICE = "open it in Excel and save it again as .xlsx, or export it as CSV UTF-8"


def _fail(name: str, message: str, line: int | None = None) -> DataError:
    return DataError("", [Problem(name, line, "", message)])


def parse_csv(text: str, name: str, limits: Limits, delimiter: str = ",") -> Rows:
    """The rows of CSV ``text`` with the line each starts on."""
    csv.field_size_limit(limits.csv_field_chars)  # per process; every reader sets its own
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as e:
        if "field limit" in str(e):
            raise _fail(name, f"a cell holds more than {limits.csv_field_chars:,} characters "
                              "(limits.csv_field_chars in docgen.yaml)", start) from None
        raise _fail(name, f"invalid CSV: {e}", start) from None
    return rows


def read_xlsx(path: Path, root: Path | None, name: str, limits: Limits) -> Rows:
    """The rows of a workbook's first sheet, its size checked before it is unpacked."""
    check_input(path, root, name)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _fail(name, f"not a readable .xlsx workbook ({e}): {_WORKBOOK_ADVICE}") from None
    if unpacked > limits.xlsx_bytes:
        raise _fail(name, f"the workbook unpacks to {unpacked:,} bytes, more than {limits.xlsx_bytes:,} "
                          "(limits.xlsx_bytes in docgen.yaml)")
    rows: Rows = []
    try:
        _sheet_rows(path, name, limits, rows)
    except DataError:
        raise
    except Exception as e:
        where = f" after row {rows[-1][0]}" if rows else ""
        raise _fail(name, f"the workbook is damaged{where}: {_damage(e)}: {_WORKBOOK_ADVICE}",
                    rows[-1][0] + 1 if rows else None) from None
    return rows


def _damage(e: Exception) -> str:
    """What a reader's exception says about the file, in a user's words."""
    if isinstance(e, zlib.error) or "CRC" in str(e):
        return "its compressed data is corrupt"
    if isinstance(e, KeyError):
        return f"a part is missing ({e.args[0] if e.args else e})"
    if "XML" in type(e).__name__ or type(e).__name__ == "ParseError":
        return f"its XML is broken ({e})"
    return f"{type(e).__name__}: {e}"


def _sheet_rows(path: Path, name: str, limits: Limits, rows: Rows) -> None:
    import openpyxl  # a heavy import, only needed for workbooks

    # the file is opened here so that it is closed when openpyxl fails half-way through
    with warnings.catch_warnings(record=True) as caught, path.open("rb") as file:
        warnings.simplefilter("always")
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise _fail(name, f"the workbook has no sheet: {_WORKBOOK_ADVICE}")
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # ERP exports often declare wrong dimensions
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > limits.xlsx_rows:
                    raise _fail(name, f"more than {limits.xlsx_rows:,} rows (limits.xlsx_rows in docgen.yaml)",
                                number)
                rows.append((number, _real_values(cells, caught)))
                caught.clear()
        finally:
            book.close()


_BAD_DATE = re.compile(r"Cell ([A-Z]+)\d+ is marked as a date but the serial value (\S+) is outside")


def _real_values(cells: tuple[Any, ...], caught: list[warnings.WarningMessage]) -> tuple[Any, ...]:
    """The row as the file holds it: openpyxl replaces a date cell whose serial number is no
    date by ``#VALUE!`` (and warns); put the number back so the message quotes what is there."""
    if not caught:
        return tuple(cells)
    out = list(cells)
    for w in caught:
        m = _BAD_DATE.search(str(w.message))
        if m is None:
            continue
        index = _column_index(m[1])
        if index < len(out) and out[index] == "#VALUE!":
            out[index] = m[2]
    return tuple(out)


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


# ---------------------------------------------------------------- the table of a file

#: A first cell that marks the sum line ERP exports end with: not a record.
TOTAL_MARKERS = frozenset({"合计", "总计", "小计", "total"})  # folded (Simplified) forms
# Encodings a CSV from a Chinese office comes in after UTF-8: mainland exports are GBK (GB18030
# is its superset), Taiwan and Hong Kong ones Big5 (Big5-HKSCS is its superset, with 恒 and the
# other characters Hong Kong added).  Each decodes most bytes of the other.
_LEGACY_ENCODINGS = ("gb18030", "big5hkscs")
_HEADER_SEARCH = 10  # rows a title may take above the header


@dataclass(frozen=True)
class Table:
    """A file's rows with its header found and mapped to fields.

    :param header_row: the row the header is on (a title above it is skipped).
    :param header_cells: the header's cells as the file holds them.
    :param index: field → column number.
    :param header: field → the header as written in the file (for messages).
    :param unknown: headers that name no field, as written.
    :param repeated: ``(field, header)`` of a second column for a field already found.
    :param lines: the rows below the header, blank rows and a total row left out.
    """

    name: str
    header_row: int
    header_cells: tuple[Any, ...]
    index: dict[str, int]
    header: dict[str, str]
    unknown: list[str]
    repeated: list[tuple[str, str]]
    lines: Rows


@lru_cache(maxsize=1 << 16)  # a ledger names the same few channels and people on every line
def fold(value: Any) -> str:
    """A header or name as compared: full-width forms and BOM gone, one space, any case, and one
    script, so ``經銷商``, ``经销商`` and ``經銷商 `` are the same name."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", "" if value is None else str(value))
                  .replace("\ufeff", "")).strip().casefold()
    return _converter().convert(text) if text and not text.isascii() else text


@lru_cache(maxsize=1)
def _converter() -> Any:
    from opencc_purepy import OpenCC  # Traditional ↔ Simplified by OpenCC's dictionaries, not a hand-made list

    return OpenCC("t2s")


def read_table(path: Path, root: Path | None, name: str, limits: Limits,
               columns: Mapping[str, Sequence[str]]) -> Rows:
    """The rows of a ``.csv``/``.txt`` (comma or tab separated, UTF-8 with or without BOM, GBK/GB18030
    or Big5) or of a ``.xlsx`` workbook's first sheet.  ``columns`` (field → accepted headers)
    decides between encodings that both decode: the right one shows the headers."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, root, name, limits)
    if suffix == ".xls":
        raise _fail(name, "old .xls workbooks are not supported: save it as .xlsx or .csv")
    if suffix not in (".csv", ".txt"):
        raise _fail(name, f"unsupported file type {suffix or '(none)'}: expected .csv or .xlsx")
    text = decode_table(read_input(path, root, name), name, columns)
    head = text.split("\n", _HEADER_SEARCH)[:_HEADER_SEARCH]
    tabs, commas = sum(line.count("\t") for line in head), sum(line.count(",") for line in head)
    return parse_csv(text, name, limits, "\t" if tabs > commas else ",")


def decode_table(data: bytes, name: str, columns: Mapping[str, Sequence[str]]) -> str:
    """CSV bytes as text: UTF-8 (BOM or not) or UTF-16 (BOM: Excel's "Unicode text"), else the legacy
    encoding in which the most headers read."""
    try:
        return data.decode("utf-16" if data.startswith(UTF16_BOMS) else "utf-8-sig")
    except UnicodeDecodeError:
        pass
    accepted = {fold(n) for names in columns.values() for n in names}
    best: tuple[int, str] | None = None
    for codec in _LEGACY_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        lines = text.split("\n", _HEADER_SEARCH)[:_HEADER_SEARCH]
        hits = sum(1 for line in lines for cell in re.split(r"[,\t]", line) if fold(cell.strip('"')) in accepted)
        if best is None or hits > best[0]:
            best = (hits, text)
    if best is None:
        raise bad_utf8(data, name, "save it as CSV UTF-8")
    return best[1]


def locate_header(rows: Rows, name: str, columns: Mapping[str, Sequence[str]],
                  required: Sequence[str]) -> tuple[Table | None, list[Problem]]:
    """Find the header among the first rows (the one naming the most fields: a title row above it
    is skipped), map its columns to fields, and keep the lines below it but a total row.

    :param columns: field → accepted headers, preferred first (any script, case or width).
    :returns: the table, or ``None`` with a problem per missing required column.
    """
    filled = [(n, cells) for n, cells in rows if not all(blank(c) for c in cells)]
    if not filled:
        return None, [Problem(name, None, "", "the file is empty: expected a header row")]
    accepted = {field: [fold(n) for n in names] for field, names in columns.items()}
    hits = [sum(1 for names in accepted.values() if set(names) & {fold(c) for c in cells})
            for _, cells in filled[:_HEADER_SEARCH]]
    at = hits.index(max(hits))
    header_row, cells = filled[at]
    folded = [None if blank(c) else fold(c) for c in cells]
    index, repeated = {}, []
    for field, names in accepted.items():
        # preference order: the column whose header comes first among the field's names wins; a
        # header may serve two fields when docgen.yaml says so (columns: {amount: [日期]})
        places = [i for rank in dict.fromkeys(names) for i, f in enumerate(folded) if f == rank]
        if places:
            index[field] = places[0]
            repeated += [(field, _written(cells[i])) for i in places[1:]]
    named = {i for names in accepted.values() for i, f in enumerate(folded) if f in names}
    unknown = [_written(cells[i]) for i, f in enumerate(folded) if f is not None and i not in named]
    missing = [f for f in required if f not in index]
    if missing:
        return None, [Problem(name, header_row, f, f"missing column for {f}: expected a header named one of "
                                                   f"{', '.join(columns[f])} (add more names under the import "
                                                   "columns of the workspace config)") for f in missing]
    lines = [(n, c) for n, c in filled[at + 1:] if not _is_total(c)]
    return Table(name, header_row, tuple(cells), index, {f: _written(cells[i]) for f, i in index.items()}, unknown,
                 repeated, lines), []


def blank(value: Any) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _written(cell: Any) -> str:
    return str(cell).replace("\ufeff", "").strip()


def _is_total(cells: tuple[Any, ...]) -> bool:
    first = next((c for c in cells if not blank(c)), None)
    return isinstance(first, str) and fold(first).replace(" ", "") in TOTAL_MARKERS


# ---------------------------------------------------------------- reading the cells of a table

Columns = Mapping[str, Sequence[str]]

#: Bad cells listed one by one per column; the rest are counted on one line.
LISTED_PER_COLUMN = 10


def merge_columns(defaults: Columns, extra: Columns | None) -> dict[str, tuple[str, ...]]:
    """Field → accepted headers: the workspace's ``columns:`` for a field first, then the defaults.

    Only the fields of ``defaults`` are kept: ``columns:`` names the fields of every kind of table.
    """
    extra = extra or {}
    merged = {}
    for field, names in defaults.items():
        given = extra.get(field, ())
        given = (given,) if isinstance(given, str) else tuple(given)
        merged[field] = given + tuple(n for n in names if n not in given)
    return merged


class Sheet:
    """The rows of one file, its header located and mapped to fields, and the problems found.

    :param name: the file as messages name it.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.header: dict[str, str] = {}      # field → header as written in the file
        self.index: dict[str, int] = {}       # field → column index
        self.lines: Rows | None = None        # None: the file could not be read
        self.header_row: int | None = None    # the header's row number and cells, as written
        self.header_cells: tuple[Any, ...] = ()
        self._listed: dict[str, int] = {}           # field → bad cells seen
        self._unlisted: dict[str, list[int]] = {}   # field → rows of its bad cells past the first few

    @classmethod
    def open(cls, path: Path | str, display_name: str | None, columns: Columns,
             required: Sequence[str], root: Path | None, limits: Limits) -> Sheet:
        """Read ``path`` with :func:`read_table` and find its header with :func:`locate_header`."""
        path = Path(path)
        sheet = cls(display_name or path.as_posix())
        try:
            rows = read_table(path, root, sheet.name, limits, columns)
        except DataError as e:
            sheet.problems += e.problems
            return sheet
        table, sheet.problems = locate_header(rows, sheet.name, columns, required)
        if table is not None:
            sheet.index, sheet.header, sheet.lines = table.index, table.header, table.lines
            sheet.header_row, sheet.header_cells = table.header_row, table.header_cells
        return sheet

    def bad_cell(self, row: int, field: str, message: str) -> None:
        """A located problem for a bad cell; past :data:`LISTED_PER_COLUMN` in one column only
        counted: a wrong column mapping is one cause, not a message per row."""
        self._listed[field] = self._listed.get(field, 0) + 1
        if self._listed[field] <= LISTED_PER_COLUMN:
            self.problems.append(Problem(self.name, row, field, message, column=self.header[field]))
        else:
            self._unlisted.setdefault(field, []).append(row)

    def summary(self) -> list[Problem]:
        """Every problem, with one line per column whose further bad cells were only counted."""
        return self.problems + [
            Problem(self.name, rows[0], field, f"{len(rows)} more rows like the ones above, up to row {rows[-1]} "
                                               f"(is the column {self.header[field]!r} the right one?)",
                    column=self.header[field])
            for field, rows in self._unlisted.items()]


T = TypeVar("T")


class Row:
    """Parse the cells of one line, collecting a located problem for each bad one.

    A cell parser raises :class:`ValueError` with the message to show (as the parsers of
    :mod:`docgen.data.values` do).
    """

    def __init__(self, sheet: Sheet, row: int, cells: tuple[Any, ...]) -> None:
        self.sheet, self.row, self.cells = sheet, row, cells
        self.failed = False

    def get(self, field: str, parse: Callable[[Any], T]) -> T | None:
        """The parsed cell of ``field``; ``None`` if the file has no such column or the cell is bad."""
        if field not in self.sheet.index:
            return None
        i = self.sheet.index[field]
        value = self.cells[i] if i < len(self.cells) else None
        try:
            return parse(value)
        except ValueError as e:
            self.failed = True
            self.sheet.bad_cell(self.row, field, str(e))
            return None


def cell_text(value: Any) -> str:
    """A cell as text: full-width forms folded (NFKC), an id typed as a number in Excel without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def required_text(value: Any) -> str:
    text = cell_text(value)
    if not text:
        raise ValueError("missing value")
    return text


def lookup(value: Any, known: Mapping[str, str], what: str) -> str:
    """The id a cell names (an id or a name, in either script: see ``known_keys`` in the ledger)."""
    key = required_text(value)
    if key in known:
        return known[key]
    raw = str(value).strip()
    if raw in known:
        return known[raw]
    if fold(key) in known:  # 华美彩印 for 華美彩印
        return known[fold(key)]
    raise ValueError(f"unknown {what} {key!r}: not an id or name in the plan data")
