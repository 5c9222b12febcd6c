"""Month-end imports: the sales ledger and the visit log, as CSV or XLSX.

These are the files people really get from their ERP/CRM, so the reader is lenient
about form and strict about content:

* files as :mod:`docgen.data.tables` reads every table: UTF-8 (with or without BOM), UTF-16 with
  BOM (Excel's "Unicode text"), GBK/GB18030 or Big5, comma or tab separated, or XLSX; a title
  line above the header and a 合計 line at the end are skipped;
* headers: Chinese (Traditional or Simplified) and English out of the box, extended by
  the workspace config; channel names match the plan's in either script (:func:`match_channels`);
* values as :mod:`docgen.data.values` parses them: dates ``2026-06-03``, ``2026/6/3``, ``2026.6.3``,
  ``2026年6月3日``, Excel date cells and serial numbers; amounts ``12,345.60``, ``¥12,345``,
  ``(1,200)``, full-width digits, numbers.

Every problem names the file, the spreadsheet row (the header counts as row 1 when it is
the first line) and the column header.  A duplicated order line is only a *warning* and
the line is kept: two identical lines on one order can be genuine.  A negative amount
is a return, kept and marked ``is_return``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.data.limits import DEFAULT_LIMITS, Limits
from docgen.data.tables import Columns, Row, Sheet, cell_text, fold, lookup, merge_columns, required_text
from docgen.data.values import date_of, parse_amount, serial_date
from docgen.errors import Problem

__all__ = [
    "SALES_COLUMNS", "VISIT_COLUMNS", "SaleLine", "VisitLine", "known_keys", "match_channels", "read_sales",
    "read_visits",
]

Month = tuple[int, int]

#: Accepted headers per sales-ledger field, in order of preference.
SALES_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "銷售日期", "销售日期", "單據日期", "单据日期", "date"),
    "order_id": ("單號", "单号", "订单号", "訂單號", "單據號", "单据号", "订单编号", "訂單編號", "order_id", "order",
                 "order no"),
    "customer": ("客戶", "客户", "客戶編號", "客户编号", "客戶名稱", "客户名称", "customer", "customer_id"),
    "salesperson": ("業務員", "业务员", "銷售員", "销售员", "salesperson", "sales"),
    "channel": ("渠道", "通路", "channel"),
    "product": ("產品", "产品", "品名", "產品名稱", "产品名称", "product"),
    "quantity": ("數量", "数量", "quantity", "qty"),
    "amount": ("金額", "金额", "銷售額", "销售额", "amount"),
}
_SALES_REQUIRED = ("date", "order_id", "customer", "salesperson", "amount")

#: Accepted headers per visit-log field, in order of preference.
VISIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "拜訪日期", "拜访日期", "date"),
    "salesperson": SALES_COLUMNS["salesperson"],
    "customer": SALES_COLUMNS["customer"],
    "kind": ("類型", "类型", "方式", "kind", "type"),
    "purpose": ("目的", "purpose"),
    "outcome": ("結果", "结果", "outcome", "result"),
}
_VISIT_REQUIRED = ("date", "salesperson", "customer", "kind")

_KINDS = {"拜訪": "visit", "拜访": "visit", "visit": "visit", "上門": "visit", "上门": "visit",
          "電話": "call", "电话": "call", "call": "call", "phone": "call"}


@dataclass(frozen=True)
class SaleLine:
    """One line of the sales ledger.

    :param row: the spreadsheet row it came from (for messages).
    :param is_return: a negative amount: goods returned, kept in the sums.
    """

    date: dt.date
    order_id: str
    customer: str
    salesperson: str
    channel: str
    product: str
    quantity: Decimal | None
    amount: Decimal
    row: int
    is_return: bool = False


@dataclass(frozen=True)
class VisitLine:
    """One line of the visit log; ``kind`` is ``"visit"`` or ``"call"``."""

    date: dt.date
    salesperson: str
    customer: str
    kind: str
    purpose: str
    outcome: str
    row: int


# ---------------------------------------------------------------- public verbs

def read_sales(path: Path | str, month: Month, known_customers: Mapping[str, str],
               known_people: Mapping[str, str], columns: Columns | None = None,
               display_name: str | None = None, root: Path | None = None,
               limits: Limits = DEFAULT_LIMITS) -> tuple[list[SaleLine], list[Problem]]:
    """Read one month's sales ledger.

    :param path: a ``.csv`` or ``.xlsx`` file (first sheet).
    :param month: ``(year, month)``; a line dated outside it is an error.
    :param known_customers: every accepted way to name a customer (id and name) → its id.
    :param known_people: the same for salespeople.
    :param columns: extra accepted headers per field, added to :data:`SALES_COLUMNS`.
    :param display_name: how the file is named in messages (default: the path).
    :param root: the workspace: a link leading outside it is refused.
    :param limits: how big the file may be (``limits:`` in docgen.yaml).
    :returns: the good lines and every problem (errors and warnings).
    """
    sheet = Sheet.open(path, display_name, merge_columns(SALES_COLUMNS, columns), _SALES_REQUIRED, root, limits)
    if sheet.lines is None:
        return [], sheet.problems
    out: list[SaleLine] = []
    seen: dict[tuple[str, str, str, Decimal], int] = {}
    for row, cells in sheet.lines:
        at = Row(sheet, row, cells)
        date = at.get("date", lambda v: _in_month(_date(v), month))
        order_id = at.get("order_id", required_text)
        customer = at.get("customer", lambda v: lookup(v, known_customers, "customer"))
        person = at.get("salesperson", lambda v: lookup(v, known_people, "salesperson"))
        amount = at.get("amount", lambda v: parse_amount(v, required=True))
        quantity = at.get("quantity", parse_amount)
        channel = at.get("channel", cell_text)
        product = at.get("product", cell_text)
        # a required value is None only when its cell was bad (and reported): the columns are there
        if at.failed or date is None or order_id is None or customer is None or person is None or amount is None:
            continue
        line = SaleLine(date, order_id, customer, person, channel or "", product or "",
                        quantity, amount, row, is_return=amount < 0)
        key = (line.order_id, line.customer, line.product, line.amount)
        if key in seen:
            sheet.problems.append(Problem(
                sheet.name, row, "order_id",
                f"duplicate of row {seen[key]}: same order {line.order_id}, customer, product "
                f"and amount {line.amount} (kept; delete it if it was entered twice)",
                severity="warning", column=sheet.header["order_id"]))
        else:
            seen[key] = row
        out.append(line)
    return out, sheet.summary()


def read_visits(path: Path | str, month: Month, known_customers: Mapping[str, str],
                known_people: Mapping[str, str], columns: Columns | None = None,
                display_name: str | None = None, root: Path | None = None,
                limits: Limits = DEFAULT_LIMITS) -> tuple[list[VisitLine], list[Problem]]:
    """Read one month's visit log; parameters as for :func:`read_sales`.

    ``kind`` accepts 拜訪/拜访/visit (→ ``"visit"``) and 電話/电话/call (→ ``"call"``).
    """
    sheet = Sheet.open(path, display_name, merge_columns(VISIT_COLUMNS, columns), _VISIT_REQUIRED, root, limits)
    if sheet.lines is None:
        return [], sheet.problems
    out: list[VisitLine] = []
    for row, cells in sheet.lines:
        at = Row(sheet, row, cells)
        date = at.get("date", lambda v: _in_month(_date(v), month))
        person = at.get("salesperson", lambda v: lookup(v, known_people, "salesperson"))
        customer = at.get("customer", lambda v: lookup(v, known_customers, "customer"))
        kind = at.get("kind", _kind)
        purpose = at.get("purpose", cell_text)
        outcome = at.get("outcome", cell_text)
        if at.failed or date is None or person is None or customer is None or kind is None:
            continue
        out.append(VisitLine(date, person, customer, kind, purpose or "", outcome or "", row))
    return out, sheet.summary()


# ---------------------------------------------------------------- cells

def _date(value: Any) -> dt.date:
    """A date cell: a date, an Excel serial day number, or text (:func:`docgen.data.values.date_of`)."""
    if not cell_text(value):
        raise ValueError("missing date")
    date = date_of(serial_date(value))
    if date is None:
        raise ValueError(f"not a date: {cell_text(value)!r} (expected e.g. 2026-06-03, 2026/6/3 or 2026年6月3日)")
    return date


def _in_month(date: dt.date, month: Month) -> dt.date:
    if (date.year, date.month) != tuple(month):
        raise ValueError(f"date {date.isoformat()} is outside the month {month[0]}-{month[1]:02d}")
    return date


def _kind(value: Any) -> str:
    text = required_text(value).casefold()
    if text in _KINDS:
        return _KINDS[text]
    raise ValueError(f"unknown kind {cell_text(value)!r}: expected 拜訪/拜访/visit or 電話/电话/call")


def match_channels(lines: list[SaleLine], channels: Iterable[tuple[str, str]]) -> list[SaleLine]:
    """The lines with each channel named as the plan names it, whatever the script or width the
    ledger wrote it in (经销商 → 經銷商) or if it wrote the channel's id, so one channel is one row
    of the statistics.  ``channels`` are the plan's ``(id, name)``; other names stay as written."""
    names = {fold(key): name for id_, name in channels for key in (id_, name)}
    renamed = {written: names.get(fold(written), written) for written in {ln.channel for ln in lines}}
    # copy only the lines that change: a month's ledger is 200,000 lines, nearly all named as planned
    return [ln if renamed[ln.channel] == ln.channel else replace(ln, channel=renamed[ln.channel]) for ln in lines]


def known_keys(records: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Build the ``known_customers``/``known_people`` mapping from ``(id, name)`` pairs.

    A name shared by two records is left out (it would be ambiguous); ids always win.  Names also
    match written in the other script or in full-width forms (:func:`docgen.data.tables.fold`).
    """
    pairs = list(records)
    names: dict[str, str | None] = {}
    for id_, name in pairs:
        if name:
            names[name] = None if name in names and names[name] != id_ else id_
    out = {n: i for n, i in names.items() if i is not None}
    folded: dict[str, str | None] = {}  # the names in one script, width and case, as ledgers write them
    for name, id_ in out.items():
        key = fold(name)
        folded[key] = None if key in folded and folded[key] != id_ else id_
    out.update({k: i for k, i in folded.items() if i is not None and k not in out})
    out.update({id_: id_ for id_, _ in pairs})
    return out
