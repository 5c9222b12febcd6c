"""The HTML side of the Word writer: inline styles, lengths, and the HTML table model.

Pure functions over lxml elements, no Word in them: where each cell of a table with
``colspan``/``rowspan`` lands on the column grid, which ``<col>`` declares which column,
what an inline ``style`` says.  :mod:`docgen.render.docx` turns the result into Word XML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(mm|cm|in|pt|px|%)?\s*$")
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96, None: 25.4 / 96}


@dataclass
class Slot:
    """One grid position a ``w:tc`` occupies in a row."""

    col: int
    span: int
    cell: etree._Element | None  # None: padding, or the lower part of a vertical merge
    merge: str | None = None  # "restart" / "continue"
    origin: etree._Element | None = None  # the HTML cell whose look the slot shows


def class_names(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


def inline_style(el: etree._Element) -> dict[str, str]:
    """The declarations of an inline ``style`` attribute, lower-cased."""
    style = el.get("style")
    if not style:
        return {}
    declarations = {}
    for item in style.split(";"):
        name, sep, value = item.partition(":")
        if sep:
            declarations[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return declarations


def int_attr(el: etree._Element, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(el.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high)


def length_mm(value: str | None, full_mm: float) -> float | None:
    """A CSS length (``160mm``, ``80%``, ``300px``, bare pixels) in millimetres."""
    match = LENGTH.match(value or "")
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit == "%":
        return full_mm * number / 100
    return number * MM_PER_UNIT[unit]


def table_rows(table: etree._Element) -> list[tuple[etree._Element, bool, int]]:
    """(tr, in thead, index after its row group) in display order: head, body, foot."""
    head: list[list[etree._Element]] = []
    body: list[list[etree._Element]] = []
    foot: list[list[etree._Element]] = []
    loose: list[etree._Element] | None = None
    for child in table:
        if child.tag == "tr":
            if loose is None:
                loose = []
                body.append(loose)
            loose.append(child)
            continue
        loose = None
        groups = {"thead": head, "tbody": body, "tfoot": foot}.get(child.tag)
        if groups is not None:
            groups.append([tr for tr in child if tr.tag == "tr"])
    rows = []
    for groups, is_header in ((head, True), (body, False), (foot, False)):
        for group in groups:
            end = len(rows) + len(group)
            rows.extend((tr, is_header, end) for tr in group)
    return rows


def cell_grid(rows: list[tuple[etree._Element, bool, int]]) -> list[list[Slot]]:
    """Place every cell on the column grid, as the HTML table model does."""
    slots: list[list[Slot]] = [[] for _ in rows]
    taken: set[tuple[int, int]] = set()
    for r, (tr, _is_header, group_end) in enumerate(rows):
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in taken:
                col += 1
            span = int_attr(cell, "colspan", 1, 1, 1000)
            # A colspan stops where a cell from an earlier row reaches down.
            span = next((s for s in range(1, span) if (r, col + s) in taken), span)
            down = min(int_attr(cell, "rowspan", 1, 1, 65534), group_end - r)
            slots[r].append(Slot(col, span, cell, "restart" if down > 1 else None, cell))
            for below in range(r + 1, r + down):
                slots[below].append(Slot(col, span, None, "continue", cell))
                taken.update((below, c) for c in range(col, col + span))
            col += span
    return slots


def padded(slots: list[Slot], columns: int) -> list[Slot]:
    """The row's slots in column order, with empty cells where HTML left gaps."""
    result, col = [], 0
    for slot in sorted(slots, key=lambda s: s.col):
        result.extend(Slot(c, 1, None) for c in range(col, slot.col))
        result.append(slot)
        col = slot.col + slot.span
    result.extend(Slot(c, 1, None) for c in range(col, columns))
    return result


def declared_columns(table: etree._Element) -> list[etree._Element]:
    """One ``<col>`` (or span-less ``<colgroup>``) per column it declares."""
    columns = []
    for child in table:
        if child.tag == "colgroup":
            cols = [c for c in child if c.tag == "col"] or [child]
        elif child.tag == "col":
            cols = [child]
        else:
            continue
        for col in cols:
            columns.extend([col] * int_attr(col, "span", 1, 1, 1000))
    return columns


# -- column widths that fit what must not wrap

_LINE_BREAK = "\n"
_BLOCK_TAGS = frozenset(["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
                         "table", "tr"])
_HTML_SPACE = re.compile(r"[ \t\r\f]+")  # HTML's white space; the ideographic space is text
# Dates, numbers and Latin words: wrapping inside them is what a reader sends back.
_UNBREAKABLE = re.compile(r"\d{1,4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|[\d,]*\d(?:\.\d+)?%?|[A-Za-z]+")
_HEADER_WORD = re.compile(r"[^\s/／、]+")
_LONGEST_HEADER_WORD = 8  # a longer header phrase may wrap; shorter ones stay whole ("累計完成率")


def cell_lines(cell: etree._Element, html_spaces_only: bool = False) -> list[str]:
    """The text lines of a cell as the page shows them: ``<br>`` and blocks start new lines,
    runs of white space become one space, empty lines go.

    :param html_spaces_only: collapse only HTML's white space (space, tab, CR, FF), so the
        ideographic space U+3000 and no-break spaces stay text, as a spreadsheet cell keeps
        them (``表2　渠道銷售統計``); default: every Unicode space, as for measuring line widths.
    """
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.tag == "br" or el.tag in _BLOCK_TAGS:
            parts.append(_LINE_BREAK)
        parts.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        if el.tag in _BLOCK_TAGS:
            parts.append(_LINE_BREAK)

    walk(cell)
    lines = "".join(parts).split(_LINE_BREAK)
    if html_spaces_only:
        collapsed = (_HTML_SPACE.sub(" ", line).strip(" ") for line in lines)
    else:
        collapsed = (" ".join(line.split()) for line in lines)
    return [line for line in collapsed if line]


def unbreakable_pieces(cell: etree._Element) -> list[str]:
    """What must stay on one line in a cell: whole lines of number and date cells, the
    words of a header, and dates, numbers and Latin words anywhere."""
    lines = cell_lines(cell)
    if {"num", "date"} & set(class_names(cell)):
        return lines
    pieces = [m.group(0) for line in lines for m in _UNBREAKABLE.finditer(line)]
    if cell.tag == "th":
        pieces += [w for line in lines for w in _HEADER_WORD.findall(line) if len(w) <= _LONGEST_HEADER_WORD]
    return pieces


def text_em(text: str) -> float:
    """Width of ``text`` in em: CJK and full-width characters 1, Latin letters and digits about
    0.6, and a quarter em where CJK meets Latin (Word and LibreOffice space them apart)."""
    width, previous_cjk = 0.0, None
    for ch in text:
        cjk = ord(ch) >= 0x2E80
        if ch == " ":
            width += 0.3
        elif cjk:
            width += 1.0
        elif ch.isalnum():
            width += 0.6
        else:
            width += 0.4
        if ch.isalnum() or cjk:
            if previous_cjk is not None and previous_cjk != cjk:
                width += 0.25
            previous_cjk = cjk
    return width


def fit_columns(widths: list[int], need: list[int], prefer: list[int] | None = None) -> list[int]:
    """Widen columns narrower than what they must hold, taking the room from columns that
    have more than they need, in proportion; the total width stays the same.

    :param prefer: widths columns would rather keep (a short name on one line): room is
        taken above these first, and below them only if that is not enough.
    """
    fitted = list(widths)
    for floor in ([max(n, p) for n, p in zip(need, prefer)] if prefer else [], need):
        if floor:
            fitted = _move_room(fitted, need, floor)
    return fitted


def _move_room(widths: list[int], need: list[int], floor: list[int]) -> list[int]:
    short = {i: n - w for i, (w, n) in enumerate(zip(widths, need)) if n > w}
    spare = {i: w - f for i, (w, f, n) in enumerate(zip(widths, floor, need)) if f < w and n <= w}
    wanted, available = sum(short.values()), sum(spare.values())
    if not short or not available:
        return list(widths)
    moved = min(wanted, available)
    fitted = list(widths)
    for i, room in spare.items():
        fitted[i] -= int(moved * room / available)
    for i, lack in short.items():
        fitted[i] += int(moved * lack / wanted)
    fitted[max(range(len(fitted)), key=lambda i: fitted[i])] += sum(widths) - sum(fitted)
    return fitted
