"""The value parsers of plan files, customer lists, ledgers and scores: money, quantities, dates, months.

Money is :class:`~decimal.Decimal` in 元; the files may write ``1092萬``, ``7.5萬``, ``560萬元``,
``1億`` or plain numbers in 元.  Each ``parse_*`` function raises :class:`ValueError` with a
message fit for users; the ``Annotated`` types (:data:`Money`, :data:`Date` …) let the pydantic
models use them and describe them in the JSON Schema.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema, model_validator

from docgen.data.check import describe
from docgen.plan.units import quantity_text

# -- value types ---------------------------------------------------------------------------
_MULTIPLIERS = {"萬": Decimal(10_000), "万": Decimal(10_000), "億": Decimal(100_000_000),
                "亿": Decimal(100_000_000), "": Decimal(1)}
_NUMBER = r"[+-]?\d[\d,]*(?:\.\d+)?"
_SIGN = "¥|RMB|CNY|rmb|cny|人民幣|人民币"  # as exports write it; ￥ is ¥ once NFKC-folded
_MONEY_RE = re.compile(rf"^\s*(?:{_SIGN})?\s*({_NUMBER})\s*(萬|万|億|亿)?\s*(元)?\s*$")
MONEY_PATTERN = rf"^\s*({_SIGN})?\s*{_NUMBER}\s*(萬|万|億|亿)?\s*元?\s*$"


# a quadrillion 元 is more than any plan states; past it a figure is a typo (1.0e+999, .inf)
_LARGEST = Decimal(10) ** 15


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def parse_money(value: Any) -> Decimal:
    """``1092萬`` / ``560萬元`` / ``7.5万`` / ``1億`` / ``10920000`` / ``10,920,000元`` / ``¥10,920,000`` → Decimal 元.

    Full-width digits are read as digits.  Floats go through their shortest text (``0.1`` →
    ``Decimal('0.1')``), never binary noise.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected an amount like 1092萬 or 10920000 (元), got {describe(value)}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        m = _MONEY_RE.match(unicodedata.normalize("NFKC", value))
        if not m:
            raise ValueError(f"expected an amount like 1092萬 or 10920000 (元), got {value!r}")
        amount = _number(m.group(1)) * _MULTIPLIERS[m.group(2) or ""]
    else:
        raise ValueError(f"expected an amount like 1092萬 or 10920000 (元), got {describe(value)}")
    if not amount.is_finite() or amount >= _LARGEST:
        raise ValueError(f"expected an amount like 1092萬 or 10920000 (元), got {value!r}")
    if amount < 0:
        raise ValueError(f"expected an amount of 0 or more, got {value!r}")
    # 7.5萬 is 75000.0 by arithmetic: whole amounts are kept without their trailing zeros
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


Money = Annotated[Decimal, BeforeValidator(parse_money), WithJsonSchema({
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": MONEY_PATTERN}],
    "description": "money in 元: a number, or text like 1092萬, 7.5萬, 560萬元, 1億",
})]

# 2026-06-03, 2026/6/3, 2026.6.3, 2026年6月3日; an export may add the time of day (2026-06-03 00:00:00)
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                      r"(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, counting its phantom 1900-02-29


def date_of(value: Any) -> dt.date | None:
    """The date ``value`` holds (a date, or text like ``2026-05-08``, ``2026/5/8``, ``2026年5月8日``), else ``None``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(unicodedata.normalize("NFKC", value).strip())
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def serial_date(value: Any) -> Any:
    """An Excel serial day number (a date cell saved as a number, ``46174`` = 2026-06-01) as a date;
    anything else unchanged.  Only table cells are read so: in a YAML file a number is no date."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    return value


def parse_date(value: Any) -> dt.date:
    """A date from YAML, a CSV cell (``2026-05-08``, ``2026/5/8``, ``2026年5月8日``) or XLSX."""
    date = date_of(value)
    if date is None:
        raise ValueError(f"expected a date like 2026-05-08, got {value!r}")
    return date


Date = Annotated[dt.date, BeforeValidator(parse_date),
                 WithJsonSchema({"type": "string", "format": "date", "description": "like 2026-05-08"})]


def parse_month(value: Any) -> int:
    """A month 1–12, written ``6`` or ``6月``."""
    month = value
    if isinstance(value, str):
        text = value.strip().removesuffix("月")
        month = int(text) if text.isdigit() else None
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError(f"expected a month 1–12, got {value!r}")
    return month


Month = Annotated[int, BeforeValidator(parse_month), WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 1, "maximum": 12},
              {"type": "string", "pattern": "^([1-9]|1[0-2])月$"}],
    "description": "a month 1–12 (6 or 6月)",
})]


_YEAR_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def stated_year(value: Any) -> int | None:
    """The year of a month written with it (``2027-01`` → 2027), else ``None``."""
    m = _YEAR_MONTH_RE.match(value) if isinstance(value, str) else None
    return int(m[1]) if m else None


def parse_training_month(value: Any) -> int:
    """A month 1–12 (``6``, ``6月``) or a month with its year, ``2027-01`` (the loader checks the year)."""
    if isinstance(value, str) and (m := _YEAR_MONTH_RE.match(value)):
        value = int(m[2])
        if not 1 <= value <= 12:
            raise ValueError(f"expected a month like 2027-01, got {m[0].strip()!r}")
    return parse_month(value)


TrainingMonth = Annotated[int, BeforeValidator(parse_training_month), WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 1, "maximum": 12},
              {"type": "string", "pattern": "^(([1-9]|1[0-2])月|\\d{4}-(0?[1-9]|1[0-2]))$"}],
    "description": "a month of the fiscal year: 6, 6月 or 2027-01",
})]


def parse_weight(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"expected a weight (a number ≥ 0), got {describe(value)}")
    try:
        weight = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"expected a weight (a number ≥ 0), got {value!r}") from None
    if not weight.is_finite() or weight >= _LARGEST:
        raise ValueError(f"expected a weight (a number ≥ 0), got {value!r}")
    if weight < 0:
        raise ValueError(f"expected a weight ≥ 0, got {value}")
    return weight


Weight = Annotated[Decimal, BeforeValidator(parse_weight),
                   WithJsonSchema({"type": "number", "minimum": 0})]

def parse_share(value: Any) -> Decimal:
    """A market share as a fraction: ``35%``, ``2.8%``, ``0.35`` and ``35`` are 0.35, 0.028, 0.35, 0.35."""
    text = value.strip().removesuffix("%").removesuffix("％") if isinstance(value, str) else value
    percent = isinstance(value, str) and text != value.strip()
    share = parse_weight(text)
    if percent or share > 1:
        share = share / 100
    if share > 1:
        raise ValueError(f"expected a share of at most 100%, got {value!r}")
    return share


Share = Annotated[Decimal, BeforeValidator(parse_share), WithJsonSchema({
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 100},
              {"type": "string", "pattern": "^\\s*\\d+(\\.\\d+)?\\s*[%％]\\s*$"}],
    "description": "a market share: 35%, 0.35 or 35",
})]

_PRICE_SPELLINGS = {"高": "高", "高端": "高", "高價": "高", "高价": "高", "high": "高",
                    "中": "中", "中端": "中", "中價": "中", "中价": "中", "mid": "中", "middle": "中",
                    "低": "低", "低端": "低", "低價": "低", "低价": "低", "low": "低"}


def parse_price(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in _PRICE_SPELLINGS:
        return _PRICE_SPELLINGS[value.strip().lower()]
    raise ValueError(f"expected a price position 高, 中 or 低 (高端, 中端, 低端), got {value!r}")


PricePosition = Annotated[Literal["高", "中", "低"], BeforeValidator(parse_price)]

_ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_id(value: Any) -> str:
    """Ids appear in file names and on the command line: letters, digits, ``-`` and ``_``."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID_RE.match(value.strip()):
        shown = repr(value) if isinstance(value, str) else describe(value)
        raise ValueError(f"expected an id of letters, digits, - or _, got {shown}")
    return value.strip()


Id = Annotated[str, BeforeValidator(parse_id),
               WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9_-]+$"})]

Tier = Literal["VIP", "一級", "二級", "其他"]
TIERS: tuple[str, ...] = ("VIP", "一級", "二級", "其他")
_TIER_SPELLINGS = {"vip": "VIP", "一級": "一級", "一级": "一級", "二級": "二級", "二级": "二級",
                   "其他": "其他", "其它": "其他"}


def parse_tier(value: Any) -> Any:
    if isinstance(value, str):
        key = value.strip().removesuffix("客戶").removesuffix("客户").removesuffix("用戶")
        key = key.removesuffix("用户")
        if key.lower() in _TIER_SPELLINGS:
            return _TIER_SPELLINGS[key.lower()]
    raise ValueError(f"expected VIP, 一級, 二級 or 其他, got {value!r}")


TierField = Annotated[Tier, BeforeValidator(parse_tier)]

Status = Literal["prospect", "active", "lost"]
_STATUS_SPELLINGS = {
    "prospect": "prospect", "潛在": "prospect", "潛在客戶": "prospect", "准客戶": "prospect",
    "準客戶": "prospect", "意向": "prospect", "潜在": "prospect", "潜在客户": "prospect",
    "active": "active", "合作中": "active", "合作": "active", "現有": "active", "現有客戶": "active",
    "现有": "active", "现有客户": "active",
    "lost": "lost", "流失": "lost", "已流失": "lost", "停止合作": "lost",
}


def parse_status(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in _STATUS_SPELLINGS:
        return _STATUS_SPELLINGS[value.strip().lower()]
    raise ValueError(f"expected prospect, active or lost (潛在, 合作中, 流失), got {value!r}")


StatusField = Annotated[Status, BeforeValidator(parse_status)]

_QUANTITY_RE = re.compile(rf"^\s*({_NUMBER})\s*(萬|万|億|亿)?\s*([^\d\s,.+-][^\s]*)\s*$")


class Quantity(BaseModel):
    """A physical quantity: ``7000噸``, ``40萬套`` or ``{value: 7000, unit: 噸}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Decimal
    unit: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            m = _QUANTITY_RE.match(data)
            if not m:
                raise ValueError(f"expected a quantity like 7000噸 or 40萬套, got {data!r}")
            return {"value": _number(m.group(1)) * _MULTIPLIERS[m.group(2) or ""], "unit": m.group(3)}
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            raise ValueError(f"expected a quantity with its unit like 7000噸, got {data!r}")
        return data

    def __str__(self) -> str:
        """``7,000噸``, ``40萬套`` (:func:`~docgen.plan.units.quantity_text`), as planners write it; it parses back."""
        return quantity_text(self.value, self.unit)


QuantityField = Annotated[Quantity, WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": rf"^\s*{_NUMBER}\s*(萬|万|億|亿)?\s*\S+$"},
              {"type": "object", "additionalProperties": False, "required": ["value", "unit"],
               "properties": {"value": {"type": "number"}, "unit": {"type": "string"}}}],
    "description": "a quantity with its unit: 7000噸, 40萬套",
})]


# -- amounts as ERP exports write them ---------------------------------------------------------
_CURRENCY = re.compile(r"(?i)¥|\$|rmb|cny|人民幣|人民币|元")


def parse_amount(value: Any, required: bool = False) -> Decimal | None:
    """A signed number from a ledger or scores cell: ``12,345.60``, ``¥12,345``, ``(1,200)`` (accounting
    style for −1,200), ``1.2萬``, full-width digits, or a number cell; ``None`` for a blank cell unless ``required``.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return _plausible(Decimal(value), value)
    if isinstance(value, float):
        return _plausible(Decimal(repr(value)), value)  # the shortest form Excel showed, not binary noise
    if isinstance(value, Decimal):
        return _plausible(value, value)
    text = "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()  # ￥ → ¥, full-width digits
    if not text:
        if required:
            raise ValueError("missing value")
        return None
    cleaned = _CURRENCY.sub("", text.replace(",", "").replace(" ", "").replace("\u2212", "-"))
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    multiplier = _MULTIPLIERS.get(cleaned[-1:], Decimal(1)) if cleaned else Decimal(1)
    if multiplier != 1:
        cleaned = cleaned[:-1]
    try:
        number = Decimal(cleaned) * multiplier
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r} (expected e.g. 12,345.60 or ¥12,345)") from None
    if multiplier != 1 and number == number.to_integral_value():
        number = number.quantize(Decimal(1))  # 1.2萬 is 12000, not 12000.0
    return -_plausible(number, text) if negative else _plausible(number, text)


def _plausible(number: Decimal, shown: Any) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"not a number: {shown!r}")
    if abs(number) >= _LARGEST:
        raise ValueError(f"not a plausible amount: {shown!r} (expected less than 10^15)")
    return number
