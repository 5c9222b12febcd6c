"""HTML tables → XLSX: the spreadsheet writer.

One sheet per ``<table>`` of the rendered document, in document order, named after
its caption (or the heading above it), so the workbook holds exactly the tables the
DOCX shows.  Cells keep the printed figures exact: a ``class="num"`` cell's text is
parsed back with the decimals it was printed with (``1,800.00`` → 1800.00 in
``#,##0.00``, ``8.5%`` → 0.085 in ``0.0%``), Chinese dates become dates.  A total
row's figure that is the sum of the column above it is written as ``=SUM(…)`` with
the printed total as its cached value (openpyxl writes none), so a reader that does
not recalculate shows the same figure.  Bytes are reproducible: fixed ZIP times and
core properties from the document, never the clock.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import lxml.html
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import RenderError
from docgen.render.document import RenderedDocument
from docgen.render.html_model import cell_grid, cell_lines, class_names, padded, table_rows

__all__ = ["XlsxWriter", "parse_figure", "sheet_name", "write_xlsx"]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_HEADER_FILL = PatternFill("solid", fgColor="E4E7EB")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_MAX_WIDTH = 50  # columns wider than this wrap their text instead
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.(\d+))?$")
_PERCENT = re.compile(r"^-?\d+(\.(\d+))?%$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CORE_MODIFIED = "{http://purl.org/dc/terms/}modified"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

Figure = Decimal | dt.date | str


class XlsxWriter:
    """The spreadsheet writer in the shared writer interface (``name``, ``suffix``, ``write``)."""

    name = "xlsx"
    suffix = ".xlsx"

    def write(self, doc: RenderedDocument) -> bytes:
        return write_xlsx(doc)


@dataclass(frozen=True)
class _Cell:
    text: str
    value: Figure | None
    number_format: str
    header: bool
    numeric_class: bool
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class _Table:
    title: str
    header_rows: int  # rows from <thead>: frozen
    rows: list[list[_Cell | None]]  # None: covered by a merged cell
    totals: frozenset[int]  # indexes of rows with class="total"


def write_xlsx(doc: RenderedDocument) -> bytes:
    """The workbook of ``doc``'s tables, one sheet each."""
    tables = _read_tables(doc.html, doc.title)
    if not tables:
        raise RenderError(f"{doc.doc_id}: the document has no tables to write as a spreadsheet")
    book = Workbook()
    book.remove(book.active)
    cached: dict[str, dict[str, str]] = {}
    taken: set[str] = set()
    for index, table in enumerate(tables, 1):
        sheet = book.create_sheet(sheet_name(table.title, taken))
        cached[f"xl/worksheets/sheet{index}.xml"] = _fill_sheet(sheet, table)
    props = book.properties
    props.title, props.creator, props.lastModifiedBy = doc.title, doc.company, doc.company
    props.created = props.modified = doc.created.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), cached, doc.created)


def sheet_name(title: str, taken: set[str]) -> str:
    """A legal, unique sheet name: no ``[]:*?/\\``, at most 31 characters, unique ignoring case.

    ``taken`` holds the lower-cased names already used and gets the new one.
    """
    base = " ".join(_SHEET_FORBIDDEN.sub("_", title).split()).strip("'") or "表"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f"({n})"
        name = base[:31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def parse_figure(text: str, numeric: bool) -> tuple[Figure | None, str]:
    """The value a printed cell shows and the number format that prints it again.

    Numbers and percentages only in ``numeric`` (``class="num"``) cells; the decimals
    printed are the decimals of the format, so the spreadsheet shows what the page shows.
    """
    if numeric:
        match = _NUMBER.match(text)
        if match:
            places = len(match.group(4) or "")
            return Decimal(text.replace(",", "")), "#,##0" + ("." + "0" * places if places else "")
        match = _PERCENT.match(text)
        if match:
            places = len(match.group(2) or "")
            return Decimal(text[:-1]) / 100, "0" + ("." + "0" * places if places else "") + "%"
    match = _DATE.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())), _DATE_FORMAT
        except ValueError:
            pass
    return (text or None), "General"


# ------------------------------------------------------------ reading HTML


def _read_tables(html: str, fallback_title: str) -> list[_Table]:
    body = lxml.html.document_fromstring(html).find("body")
    if body is None:
        return []
    tables, heading = [], fallback_title
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _HEADINGS:
            heading = _text(el) or heading
        elif el.tag == "table" and not any(a.tag == "table" for a in el.iterancestors()):
            tables.append(_read_table(el, heading))
    return tables


def _read_table(table: etree._Element, heading: str) -> _Table:
    caption = table.find("caption")
    title = (_text(caption) if caption is not None else "") or heading
    rows = table_rows(table)
    grid = cell_grid(rows)
    columns = max((s.col + s.span for slots in grid for s in slots), default=0)
    below = Counter(id(s.origin) for slots in grid for s in slots if s.merge == "continue")
    out: list[list[_Cell | None]] = []
    for (_tr, is_header, _end), slots in zip(rows, grid):
        line: list[_Cell | None] = []
        for slot in padded(slots, columns):
            if slot.cell is None:
                line.extend([None] * slot.span if slot.merge == "continue" else
                            [_Cell("", None, "General", is_header, False)] * slot.span)
                continue
            down = 1 + below[id(slot.cell)]
            text = _text(slot.cell)
            numeric = "num" in class_names(slot.cell)
            value, fmt = parse_figure(text, numeric)
            line.append(_Cell(text, value, fmt, is_header or slot.cell.tag == "th", numeric, down, slot.span))
            line.extend([None] * (slot.span - 1))
        out.append(line)
    header_rows = sum(1 for _tr, is_header, _end in rows if is_header)
    totals = frozenset(i for i, (tr, _h, _e) in enumerate(rows) if "total" in class_names(tr))
    return _Table(title, header_rows, out, totals)


def _text(el: etree._Element) -> str:
    """The cell's text as the page shows it, its ideographic spaces kept."""
    return "\n".join(cell_lines(el, html_spaces_only=True))


# ------------------------------------------------------------ writing the sheet


def _fill_sheet(sheet: Worksheet, table: _Table) -> dict[str, str]:
    """Write the caption and the table; return the cached values of the SUM formulas by cell."""
    sheet.cell(1, 1, table.title).font = Font(bold=True)
    top = 2  # the table starts under its caption
    cached: dict[str, str] = {}
    widths: dict[int, int] = {}
    for r, line in enumerate(table.rows):
        for c, cell in enumerate(line):
            if cell is None:
                continue
            target = sheet.cell(top + r, c + 1)
            formula = _sum_formula(table, r, c, top) if r in table.totals else None
            if formula:
                target.value = formula
                cached[target.coordinate] = format(cell.value, "f")
            elif isinstance(cell.value, (Decimal, dt.date)):
                target.value = cell.value
            else:
                target.value = cell.text or None
            _style(target, cell)
            if cell.rows > 1 or cell.cols > 1:
                sheet.merge_cells(start_row=top + r, start_column=c + 1,
                                  end_row=top + r + cell.rows - 1, end_column=c + cell.cols)
                _border_merged(sheet, top + r, c + 1, cell)
            if cell.cols == 1:
                widths[c] = max(widths.get(c, 0), _display_width(cell.text))
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c + 1)].width = min(width + 2, _MAX_WIDTH)
    if table.header_rows:
        sheet.freeze_panes = sheet.cell(top + table.header_rows, 1)
    return cached


def _sum_formula(table: _Table, r: int, c: int, top: int) -> str | None:
    """``=SUM(…)`` over the rows above a total, if they print numbers that add up to it exactly."""
    total = table.rows[r][c]
    if total is None or not total.numeric_class or not isinstance(total.value, Decimal):
        return None
    first = r
    while first - 1 >= table.header_rows and first - 1 not in table.totals:
        first -= 1
    parts = [table.rows[i][c] for i in range(first, r)]
    if not parts or any(p is None or p.rows > 1 or p.cols > 1 or not isinstance(p.value, Decimal)
                        or not p.numeric_class for p in parts):
        return None
    if sum(p.value for p in parts) != total.value:  # type: ignore[misc]
        return None
    column = get_column_letter(c + 1)
    return f"=SUM({column}{top + first}:{column}{top + r - 1})"


def _style(target, cell: _Cell) -> None:
    target.number_format = cell.number_format
    target.border = _BORDER
    wrap = "\n" in cell.text or _display_width(cell.text) > _MAX_WIDTH
    if cell.header:
        target.font = Font(bold=True)
        target.fill = _HEADER_FILL
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif cell.numeric_class:
        target.alignment = Alignment(horizontal="right", vertical="center", wrap_text=wrap)
    else:
        target.alignment = Alignment(vertical="center", wrap_text=wrap)


def _border_merged(sheet: Worksheet, row: int, col: int, cell: _Cell) -> None:
    for r in range(row, row + cell.rows):
        for c in range(col, col + cell.cols):
            sheet.cell(r, c).border = _BORDER


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters take two."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


# ------------------------------------------------------------ the package


def _reproducible(data: bytes, cached: dict[str, dict[str, str]], when: dt.datetime) -> bytes:
    """Rewrite the ZIP: fixed entry times, cached formula values, core times from the document."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            payload = source.read(name)
            if name in cached:
                payload = _with_cached_values(payload, cached[name])
            elif name == "docProps/core.xml":
                payload = _with_modified(payload, when)
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, payload)
    return out.getvalue()


def _with_cached_values(payload: bytes, values: dict[str, str]) -> bytes:
    root = etree.fromstring(payload)
    for c in root.iter(f"{{{_MAIN_NS}}}c"):
        value = values.get(c.get("r", ""))
        if value is None:
            continue
        v = c.find(f"{{{_MAIN_NS}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{_MAIN_NS}}}v")
        v.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_modified(payload: bytes, when: dt.datetime) -> bytes:
    """openpyxl stamps ``modified`` with the clock when saving; put the document's time back."""
    root = etree.fromstring(payload)
    modified = root.find(_CORE_MODIFIED)
    if modified is not None:
        modified.text = when.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
