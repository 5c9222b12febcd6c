"""Workbooks people fill in: blank templates of the tables docgen reads.

A template's header row holds, for each field, the first header the reader accepts for it
(the workspace's own ``columns:`` names first), so nobody guesses a column name; one sample
row shows what a cell holds.  The readers (:mod:`docgen.data.tables`) take the file back as
it is, sample row and all.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docgen.data.ledger import SALES_COLUMNS, VISIT_COLUMNS
from docgen.data.loading import CUSTOMER_COLUMNS
from docgen.data.tables import merge_columns

__all__ = ["TEMPLATE_KINDS", "Blank", "blank_table", "blank_workbook"]

TEMPLATE_KINDS = ("ledger", "visits", "customers", "appraisal")

_DATE_FORMAT = "yyyy-mm-dd"
_SAMPLE_NOTE = "範例列：照此格式填寫後刪除或改寫本列"

# One sample line per table, from the example workspace (篇1's 金立基, June 2026).
_SAMPLES: dict[str, dict[str, Any]] = {
    "ledger": {"date": dt.date(2026, 6, 3), "order_id": "SO2606-0001", "customer": "S001", "salesperson": "s01",
               "channel": "大中型專業客戶", "product": "白膠", "quantity": 10, "amount": Decimal("1200.00")},
    "visits": {"date": dt.date(2026, 6, 3), "salesperson": "s01", "customer": "S001", "kind": "拜訪",
               "purpose": "例行拜訪：了解用量和庫存", "outcome": "確認下月訂貨量"},
    "customers": {"id": "S001", "name": "廣州雅圖彩印有限公司", "region": "華南區", "owner": "s01", "type": "彩印廠",
                  "city": "廣州市", "status": "合作中", "last_year_sales": "168萬", "last_visit": dt.date(2026, 4, 16),
                  "contact": "鄧總", "phone": "020-8221 3301"},
}
_FORMATS = {"date": _DATE_FORMAT, "last_visit": _DATE_FORMAT, "amount": "#,##0.00", "quantity": "#,##0"}
_CHOICES = {
    ("visits", "kind"): ["拜訪", "電話"],
    ("customers", "status"): ["合作中", "潛在", "流失"],
    ("customers", "tier"): ["VIP", "一級", "二級", "其他"],
}
_SHEETS = {"ledger": "銷售明細", "visits": "拜訪記錄", "customers": "客戶名單", "appraisal": "考核評分"}


@dataclass(frozen=True)
class Blank:
    """A template: sheet name, the header per column, a sample row, formats and choice lists by column."""

    sheet: str
    headers: list[str]
    sample: list[Any]
    formats: dict[int, str] = field(default_factory=dict)
    choices: dict[int, list[str]] = field(default_factory=dict)


def blank_table(kind: str, columns: Mapping[str, Sequence[str]] | None = None,
                rated: Sequence[tuple[str, Decimal]] = ()) -> Blank:
    """The template of ``kind`` (one of :data:`TEMPLATE_KINDS`).

    :param columns: docgen.yaml's ``columns:``: field → extra accepted headers, preferred first.
    :param rated: for ``appraisal``, the supervisor-rated items as ``(name, weight)``, in card order.
    """
    if kind == "appraisal":
        headers = [merge_columns(SALES_COLUMNS, columns)["salesperson"][0]] + [name for name, _ in rated]
        sample = ["s01"] + [weight for _, weight in rated]  # full points: the form of a score
        return Blank(_SHEETS[kind], headers, sample, {i: "0.#" for i in range(1, len(headers))})
    defaults = {"ledger": SALES_COLUMNS, "visits": VISIT_COLUMNS, "customers": CUSTOMER_COLUMNS}[kind]
    fields = list(defaults)
    accepted = merge_columns(defaults, columns)  # the names the reader prefers: the workspace's first
    return Blank(
        _SHEETS[kind],
        [accepted[f][0] for f in fields],
        [_SAMPLES[kind].get(f) for f in fields],
        {i: _FORMATS[f] for i, f in enumerate(fields) if f in _FORMATS},
        {i: _CHOICES[(kind, f)] for i, f in enumerate(fields) if (kind, f) in _CHOICES},
    )


def blank_workbook(blank: Blank) -> bytes:
    """The template as an ``.xlsx``: bold frozen header, widths that fit, column formats, choice lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = blank.sheet
    sheet.append(blank.headers)
    sheet.append(blank.sample)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["A2"].comment = Comment(_SAMPLE_NOTE, "docgen")
    sheet.freeze_panes = "A2"
    for i, header in enumerate(blank.headers):
        letter = get_column_letter(i + 1)
        shown = max(len(str(v).encode("gbk", "replace")) for v in (header, blank.sample[i] or ""))
        sheet.column_dimensions[letter].width = max(shown + 4, 10)  # GBK bytes: a CJK character is two
        if i in blank.formats:  # the whole column's style, so rows typed in later get it too
            sheet.column_dimensions[letter].number_format = blank.formats[i]
            sheet.cell(2, i + 1).number_format = blank.formats[i]
        if i in blank.choices:
            check = DataValidation(type="list", formula1='"' + ",".join(blank.choices[i]) + '"', allow_blank=True)
            check.add(f"{letter}2:{letter}501")
            sheet.add_data_validation(check)
    book.properties.creator = "docgen"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
