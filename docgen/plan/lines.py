"""The lines of a month's ledgers, as the statistics count them: a sale and a visit or call.

Plain values with no behaviour: :mod:`docgen.data.ledger` reads them from the ERP/CRM exports and
:mod:`docgen.plan.stats` sums them, so they live here, below both.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


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
