"""Jinja filters: money in the workspace unit, percentages, Chinese dates, Markdown.

They are pure functions of their arguments and the workspace's presentation
settings, so the same data always prints the same way in every format.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from docgen.plan.units import money_unit

DASH = "—"

def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def money(value: Any, unit: str = "萬元", places: int | None = None) -> str:
    """An amount in 元 shown in ``unit`` with thousands separators: 10920000 → ``1,092.00``
    (:meth:`docgen.plan.units.Unit.format`).  ``None`` shows as ``—``.
    """
    amount = _decimal(value)
    return DASH if amount is None else money_unit(unit).format(amount, places)


def number(value: Any, places: int = 0) -> str:
    """A plain number with thousands separators (``None`` → ``—``)."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    shown = amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{shown:,.{places}f}"


def percent(value: Any, places: int = 1) -> str:
    """A ratio as a percentage: 1.25 → ``125.0%``; ``None`` (no base) → ``—``."""
    ratio = _decimal(value)
    if ratio is None:
        return DASH
    shown = (ratio * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{shown:.{places}f}%"


def cdate(value: dt.date | None, style: str = "day") -> str:
    """A Chinese date: ``2026年6月8日``; style ``month`` → ``2026年6月``, ``md`` → ``6月8日``."""
    if value is None:
        return DASH
    if style == "month":
        return f"{value.year}年{value.month}月"
    if style == "md":
        return f"{value.month}月{value.day}日"
    return f"{value.year}年{value.month}月{value.day}日"


@lru_cache(maxsize=1)
def _markdown_parser() -> MarkdownIt:
    # html=False: raw HTML in data is shown as text, never passed through
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_SOFT_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")


def markdown(text: str | None) -> Markup:
    """Render a narrative field written in Markdown (raw HTML in it shows as text).

    A line break between two Chinese characters joins the lines without the space
    Markdown would put there (Chinese has no spaces between words).
    """
    if not text:
        return Markup("")
    return Markup(_markdown_parser().render(_CJK_SOFT_BREAK.sub("", str(text))))


def make_filters(unit: str) -> dict[str, Any]:
    """The filters for a workspace whose money unit is ``unit``."""
    return {
        "money": lambda v, places=None: money(v, unit, places),
        "number": number,
        "percent": percent,
        "cdate": cdate,
        "markdown": markdown,
    }
