"""Rows of a CSV text or of a workbook's first sheet: the one table reader of customer lists and ledgers.

Both readers number rows as a spreadsheet does (the first line is row 1) and turn whatever
the file does wrong into one :class:`DataError` at the row it was found: a cell over the
field limit, a workbook that is cut, corrupted or too big when unpacked, a date cell whose
serial number is no date.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from docgen.data.files import check_input
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
    except Exception as e:  # noqa: BLE001 - openpyxl fails on a damaged part in many ways; all mean the file
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
