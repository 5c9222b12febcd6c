"""The typesetter's pass over a rendered document, before any writer sees it.

Templates and data write Chinese with whatever punctuation came to hand; a printed page
uses full-width punctuation inside Chinese sentences, no space after "；" or "。", 週 for
"week" in Traditional text, and Simplified characters throughout a Simplified workspace's
documents (the built-in templates are written in Traditional; OpenCC converts them, phrase
by phrase: 計畫 → 计划).  Quantities and counts get thousands separators as money does
(``30,000噸``, ``2,695 次``), and a ``table.drop-empty`` loses the columns that hold nothing
but "—".  Only text is touched, never markup, ``<pre>`` or ``<code>``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from lxml import etree

from docgen.render.html_model import cell_grid, class_names, declared_columns, table_rows

__all__ = ["typeset", "typeset_text"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_HAN = f"[{_CJK}]"
# ", : ; ? !" touching Chinese on either side become full-width; the space after them goes.
_HALF_AFTER_HAN = re.compile(rf"(?<={_HAN})\s*([,:;?!])\s*")
_HALF_BEFORE_HAN = re.compile(rf"\s*([,:;?!])\s*(?={_HAN})")
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# "(…)" with Chinese inside or just before it: full-width brackets.
_PARENS = re.compile(rf"(?:(?<={_HAN})\s*\(([^()]*)\)|\(([^()]*{_HAN}[^()]*)\))")
_SPACE_AFTER_FULL = re.compile(r"(?<=[，。；：、！？）」』】])[ \t]+")
_SPACE_BEFORE_FULL = re.compile(r"[ \t]+(?=[，。；：、！？（「『【])")
# 周 meaning "week" (not the surname 周): 每周, 本周, 周訂單, 周分解, 本月周數 …
_WEEK = re.compile(r"(?<=[每本各上下當逐該])周|(?<=月)周(?=數)|周(?=[訂分目拜報計數末])")
_SKIP = frozenset({"pre", "code", "script", "style"})
_SIMPLIFIED_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})  # 「引號」 → “引号”
# An integer of 4+ digits (not a year, date, id, phone number or decimal part) …
_LONG_INTEGER = re.compile(r"(?<![\d.,\w-])(\d{4,})(?![\d年月日:/-])")
# … grouped everywhere in a number cell, and in running text when a count unit follows.
_COUNTED = re.compile(r"(?<![\d.,\w-])(\d{4,})(?=\s*(?:次|家|噸|吨|人|個|个|天|件|箱|筆|笔|張|张|公斤))")
_EMPTY_CELL = frozenset({"", "—"})
_EMPTY_PAGE = "<html><body></body></html>"


def typeset_text(text: str, simplified: bool) -> str:
    """One string, as :func:`typeset` treats every text of a document."""
    text = _grouped(text, _COUNTED)
    text = _PARENS.sub(lambda m: "（" + (m.group(1) if m.group(1) is not None else m.group(2)) + "）", text)
    text = _HALF_AFTER_HAN.sub(lambda m: _FULL[m.group(1)], text)
    text = _HALF_BEFORE_HAN.sub(lambda m: _FULL[m.group(1)], text)
    text = _SPACE_BEFORE_FULL.sub("", _SPACE_AFTER_FULL.sub("", text))
    if simplified:
        return _simplified(text).translate(_SIMPLIFIED_QUOTES)
    return _WEEK.sub("週", text)


def typeset(html: str, simplified: bool) -> str:
    """The document ``html`` with its text typeset (see the module docstring).

    HTML without a single element (a template that renders nothing, or only a comment) is
    an empty page: lxml refuses to parse it, and every writer needs a document to start from.
    """
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring(_EMPTY_PAGE)
    for table in root.iter("table"):
        if "drop-empty" in class_names(table):
            _drop_empty_columns(table)
    for cell in root.iter("td", "th"):
        if "num" in class_names(cell):
            for el in cell.iter():
                el.text = _grouped(el.text, _LONG_INTEGER)
                if el is not cell:
                    el.tail = _grouped(el.tail, _LONG_INTEGER)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and el.tag not in _SKIP:
            el.text = typeset_text(el.text, simplified)
        if el.tail and (el.getparent() is None or el.getparent().tag not in _SKIP):
            el.tail = typeset_text(el.tail, simplified)
        if simplified:
            for attr in ("alt", "title"):
                if el.get(attr):
                    el.set(attr, _simplified(el.get(attr)))
    return "<!DOCTYPE html>\n" + etree.tostring(root, encoding="unicode", method="html")


def _grouped(text: str | None, pattern: re.Pattern) -> str | None:
    return pattern.sub(lambda m: f"{int(m.group(1)):,}", text) if text else text


def _drop_empty_columns(table: etree._Element) -> None:
    """Remove the columns whose body cells are all empty or "—"; a header spanning one
    narrows by one column."""
    rows = table_rows(table)
    grid = cell_grid(rows)
    columns = max((s.col + s.span for row in grid for s in row), default=0)
    body = [row for (_tr, is_header, _end), row in zip(rows, grid) if not is_header]
    empty = [c for c in range(columns)
             if body and all(s.span == 1 and "".join(s.cell.itertext()).strip() in _EMPTY_CELL
                             for row in body for s in row if s.cell is not None and s.col == c)]
    if not empty or len(empty) == columns:
        return
    declared = declared_columns(table)
    for c in reversed(empty):
        for row in grid:
            for s in row:
                if s.cell is None or not s.col <= c < s.col + s.span:
                    continue
                span = int(s.cell.get("colspan", "1"))
                if span > 1:
                    s.cell.set("colspan", str(span - 1))
                elif s.cell.getparent() is not None:
                    s.cell.getparent().remove(s.cell)
        if c < len(declared) and declared[c].getparent() is not None and not declared[c].get("span"):
            declared[c].getparent().remove(declared[c])


def _simplified(text: str) -> str:
    return _converter().convert(text) if re.search(_HAN, text) else text


@lru_cache(maxsize=1)
def _converter():
    from opencc_purepy import OpenCC  # loaded only for Simplified workspaces

    return OpenCC("t2s")
