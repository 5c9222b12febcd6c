"""The year's plan data: models of the files under ``plans/<year>/`` and their loader.

Layout (see ``plans/README.md`` for users)::

    plans/<year>/company.yaml        year-level facts: channels, narrative, SWOT, budget, training, measures
    plans/<year>/regions/<id>.yaml   one region: areas, targets, seasonality, channel quotas, people, phases
    plans/<year>/customers/*.csv     the customer list, CSV or XLSX, one row per customer

The models only hold facts; all arithmetic lives in :mod:`docgen.plan`.  Money is
:class:`~decimal.Decimal` in 元; the files may write ``1092萬``, ``7.5萬``, ``560萬元``,
``1億`` or plain numbers in 元.

Every record (:class:`Record`) remembers where it came from: ``record.where`` is the
file, line and dotted path; ``record.problem(msg, "owner")`` builds a :class:`Problem`
at the line of that field, so later checks and documents can point at the source.

:func:`load_plan` collects every problem at once (syntax, types, missing fields,
unknown keys, cross-references) and returns ``(Plan | None, problems)``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from docgen.data.check import check, describe
from docgen.data.tables import fold, locate_header, read_table, serial_date
from docgen.data.yamlsrc import Source, format_path, load_yaml
from docgen.errors import DataError, Problem, relative
from docgen.plan import fiscal as fiscal_years
from docgen.plan.competitors import share_total_warning
from docgen.plan.customers import TierRules, VisitCadence
from docgen.workspace import CONFIG_NAME, Workspace

# -- value types ---------------------------------------------------------------------------
_MULTIPLIERS = {"萬": Decimal(10_000), "万": Decimal(10_000), "億": Decimal(100_000_000),
                "亿": Decimal(100_000_000), "": Decimal(1)}
_NUMBER = r"[+-]?\d[\d,]*(?:\.\d+)?"
_MONEY_RE = re.compile(rf"^\s*({_NUMBER})\s*(萬|万|億|亿)?\s*(元)?\s*$")
MONEY_PATTERN = rf"^\s*{_NUMBER}\s*(萬|万|億|亿)?\s*元?\s*$"


# a quadrillion 元 is more than any plan states; past it a figure is a typo (1.0e+999, .inf)
_LARGEST = Decimal(10) ** 15


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def parse_money(value: Any) -> Decimal:
    """``1092萬`` / ``560萬元`` / ``7.5万`` / ``1億`` / ``10920000`` / ``10,920,000元`` → Decimal 元.

    Floats go through their shortest text (``0.1`` → ``Decimal('0.1')``), never binary noise.
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
        m = _MONEY_RE.match(value)
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

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def parse_date(value: Any) -> dt.date:
    """A date from YAML, a CSV cell (``2026-05-08``, ``2026/5/8``, ``2026年5月8日``) or XLSX."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise ValueError(f"expected a date like 2026-05-08, got {value!r}")


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
        return f"{self.value.normalize():f}{self.unit}"


QuantityField = Annotated[Quantity, WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": rf"^\s*{_NUMBER}\s*(萬|万|億|亿)?\s*\S+$"},
              {"type": "object", "additionalProperties": False, "required": ["value", "unit"],
               "properties": {"value": {"type": "number"}, "unit": {"type": "string"}}}],
    "description": "a quantity with its unit: 7000噸, 40萬套",
})]


# -- records that remember their source ----------------------------------------------------
class Where(NamedTuple):
    """Where a record came from: ``file``, ``line`` and the dotted ``field`` path."""

    file: str
    line: int | None
    field: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class Record(BaseModel):
    """Base of every plan model: frozen, unknown keys refused, its source kept privately."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    _where: Where = PrivateAttr(default=Where("", None, ""))
    _field_lines: dict[str, int | None] = PrivateAttr(default_factory=dict)
    _columns: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def where(self) -> Where:
        return self._where

    def problem(self, message: str, field: str | None = None, severity: str = "error") -> Problem:
        """A :class:`Problem` at this record, or at the line of one of its fields."""
        w = self._where
        if field is None:
            return Problem(w.file, w.line, w.field, message, severity)
        line = self._field_lines.get(field) or w.line
        path = f"{w.field}.{field}" if w.field else field
        return Problem(w.file, line, path, message, severity, self._columns.get(field))


def _locate(obj: Any, path: tuple[Any, ...], source: Source) -> None:
    """Give every record under ``obj`` its file, line and path from ``source``."""
    if isinstance(obj, Record):
        names = type(obj).model_fields
        obj._where = Where(source.file, source.line(path), format_path(path))
        obj._field_lines = {name: source.lines.get(path + (name,)) for name in names}
        for name in names:
            _locate(getattr(obj, name), path + (name,), source)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            _locate(item, path + (i,), source)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            _locate(item, path + (key,), source)


# -- the models ------------------------------------------------------------------------------
class MonthSpan(Record):
    """The months a plan covers, e.g. ``{start: 6, end: 12}`` for 6–12月 (both included).

    The months run in fiscal order: with a fiscal year from August, ``{start: 9, end: 2}`` is
    2026-09 … 2027-02.  Left out, ``start`` and ``end`` are the fiscal year's first and last month.
    The loader gives the span its fiscal year's first month and checks the order.
    """

    start: Month | None = None
    end: Month | None = None
    _first_month: int = PrivateAttr(default=1)

    @property
    def months(self) -> list[int]:
        """The month numbers from ``start`` to ``end`` in fiscal order (empty if ``end`` comes first)."""
        fiscal = [(self._first_month - 1 + i) % 12 + 1 for i in range(12)]
        first = fiscal.index(self.start) if self.start is not None else 0
        last = fiscal.index(self.end) if self.end is not None else 11
        return fiscal[first:last + 1]


class FiscalYear(Record):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _one_year(self) -> FiscalYear:
        # every figure of the year (YTD, the summary) is summed over it: a reversed or decade-long
        # span would be accepted and give wrong totals
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if (self.end - self.start).days > 365:
            raise ValueError(f"{self.start} to {self.end} is longer than a year")
        return self


class Activity(Record):
    """Daily activity quotas (篇6: 30 calls a day, 10 visits a week; 篇10: 2 new + 3 existing + 4 calls).

    ``visits_per_day`` counts visits to existing customers; ``new_visits_per_day`` visits to new ones.
    """

    calls_per_day: int | None = Field(None, ge=0)
    visits_per_day: int | None = Field(None, ge=0)
    new_visits_per_day: int | None = Field(None, ge=0)
    visits_per_week: int | None = Field(None, ge=0)


class Channel(Record):
    """A sales channel of the company (直營店, 大客戶, 經銷商 …); ``unit`` is what is counted (家, 人)."""

    id: Id
    name: str
    unit: str | None = None
    detail: str | None = None


class ChannelQuota(Record):
    """A region's quota in one channel, as stated (篇1: 直營店3家, 每人每月7.5萬, 定額180萬).

    ``quota`` is the stated figure; :mod:`docgen.plan` checks it against units × rate × months.
    """

    channel: Id
    units: int = Field(ge=0)
    unit: str | None = None
    rate: Money
    rate_basis: str | None = None      # how the seed words the rate: 每人每月, 每家每月
    quota: Money | None = None
    quantity: QuantityField | None = None   # the channel's volume quota for the period (7000噸)
    note: str | None = None


class OwnTarget(Record):
    """A monthly target of someone without a sales quota (篇3: a promoter's four training sessions)."""

    item: str                           # 培訓, 門店銷量, 陳列檢查 …
    per_month: Weight
    unit: str | None = None             # 節, 套, 次 …


class Person(Record):
    """Someone on a region's team.  ``region`` is the region of the file that lists the person."""

    id: Id
    name: str
    role: str                           # 區域經理, 業務員, 業務代表, 促銷員, 文員 …
    region: str = Field("", description="set from the region file; leave it out")
    channel: Id | None = None
    start: Date | None = None
    monthly_quota: Money | None = None
    monthly_quantity: QuantityField | None = None   # a share of the region's volume, like monthly_quota
    territory: list[str] = []           # provinces / cities the person covers
    activity: Activity | None = None    # overrides the region's default activity quotas
    phone: str | None = None
    appraisal: bool = True              # false: no scorecard, not in the appraisal ranking
    targets: list[OwnTarget] = []       # own monthly targets (with those of the region's role_targets)


class Task(Record):
    """One dated step of a phase: ``date`` for a day, or ``start`` and ``end`` for a span."""

    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    time: str | None = None             # 上午, 下午, 09:00 …
    title: str
    owner: Id | None = None
    detail: str | None = None           # Markdown

    @model_validator(mode="after")
    def _one_kind_of_date(self) -> Task:
        if self.date is not None and (self.start is not None or self.end is not None):
            raise ValueError("give either date or start and end, not both")
        if self.date is None and (self.start is None or self.end is None):
            raise ValueError("give either date or start and end")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def first_day(self) -> dt.date:
        return self.date or self.start  # type: ignore[return-value]

    @property
    def last_day(self) -> dt.date:
        return self.date or self.end  # type: ignore[return-value]


class Phase(Record):
    """A stage of work (篇1 第一階段, 5/8–6/30) with its dated tasks."""

    name: str
    start: Date
    end: Date
    owner: Id | None = None
    goal: str | None = None             # Markdown
    tasks: list[Task] = []

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Measure(Record):
    """One titled item of 實施措施 (篇2): ``detail`` is Markdown."""

    title: str
    detail: str = ""


class Training(Record):
    """One training (篇3 monthly topics, 篇1 SPIN): by ``month`` or on a ``date``.

    ``month`` is a month number of the plan's fiscal year (``1`` in a year from August is 2027-01),
    or written with its year, ``2027-01``; the loader checks that year.
    """

    month: TrainingMonth | None = None
    date: Date | None = None
    time: str | None = None
    topic: str
    audience: str | None = None
    trainer: str | None = None
    sessions: int | None = Field(None, ge=1)
    detail: str | None = None

    _stated_year: int | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_year(cls, data: Any, handler: Any) -> Training:
        training: Training = handler(data)
        month = data.get("month") if isinstance(data, dict) else None
        if isinstance(month, str) and (m := _YEAR_MONTH_RE.match(month)):
            training._stated_year = int(m[1])
        return training

    @model_validator(mode="after")
    def _when(self) -> Training:
        if self.month is None and self.date is None:
            raise ValueError("give a month or a date")
        return self


class BudgetLine(Record):
    """One line of 費用預算 / 資金使用 (篇8, 篇12)."""

    item: str
    amount: Money
    category: str | None = None
    note: str | None = None


class Swot(Record):
    """SWOT (篇5): four lists of short statements."""

    strengths: list[str] = []
    weaknesses: list[str] = []
    opportunities: list[str] = []
    threats: list[str] = []


class Competitor(Record):
    """A competitor in 市場分析 (篇3: 格力、美的、海爾; 篇4: 金健、北大荒、福臨門、金龍魚)."""

    name: str
    share: Share | None = None          # market share: 35%, 0.35 or 35
    strength: str | None = None         # 一線品牌, 區域強勢 …
    price: PricePosition | None = None  # 高, 中 or 低
    note: str | None = None             # Markdown


class _Sections(Record):
    """What both the company and a region may say in words: narrative and lists."""

    narrative: dict[str, str] = {}      # section title → Markdown, in file order
    measures: list[Measure] = []
    training: list[Training] = []
    budget: list[BudgetLine] = []
    swot: Swot | None = None
    competitors: list[Competitor] = []  # a region's list replaces the company's in its annual plan


class CountTarget(Record):
    """A count to reach, a month and/or a year (篇4: 10 new stable customers a month, 50 a year)."""

    monthly: int | None = Field(None, ge=0)
    yearly: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _some(self) -> CountTarget:
        if self.monthly is None and self.yearly is None:
            raise ValueError("give monthly, yearly or both")
        return self


class LedgerQuantity(Record):
    """How the ledgers count 數量 against the plan's unit: ``{unit: 公斤, in_plan_unit: 0.001}`` (1 公斤 = 0.001噸)."""

    unit: str
    in_plan_unit: Weight

    @field_validator("in_plan_unit")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError(f"expected a number above 0, got {value}")
        return value


class CompanyPlan(_Sections):
    """``plans/<year>/company.yaml``: year-level facts beyond ``docgen.yaml``."""

    year: int | None = None
    currency: str | None = None         # defaults to docgen.yaml's currency
    fiscal_year: FiscalYear | None = None
    task: Money | None = None           # company-wide 任務 (floor), if stated
    target: Money | None = None         # company-wide 目標 (stretch), if stated
    quantity: QuantityField | None = None
    quantity_decimals: Annotated[int, Field(ge=0, le=3)] = 0   # places of a quantity's parts (0: whole tons, sets)
    ledger_quantity: LedgerQuantity | None = None    # the ledgers' 數量 in another unit than the plan's
    market_capacity: QuantityField | None = None
    channels: list[Channel] = []


class RegionPlan(_Sections):
    """``plans/<year>/regions/<id>.yaml``: one region's plan for the year."""

    region: Id                          # the id declared in docgen.yaml
    provinces: list[str] = []
    cities: list[str] = []
    manager: Id | None = None           # person id
    office: str | None = None
    period: MonthSpan = MonthSpan()
    task: Money | None = None           # 任務: the floor (篇2: 560萬)
    target: Money | None = None         # 目標: the stretch (篇2: 700萬)
    quantity: QuantityField | None = None    # the period's volume (篇4: 7000噸)
    monthly_quantity: QuantityField | None = None   # as stated per month (篇4: 500噸)
    market_capacity: QuantityField | None = None    # 篇3: 40萬套
    new_customers: CountTarget | None = None   # 篇4: {monthly: 10, yearly: 50}
    seasonality: dict[Month, Weight] = {}      # month → weight; none means equal months
    seasons: dict[str, list[Month]] = {}       # 淡季 / 旺季 → months, for documents
    activity: Activity | None = None           # default daily quotas of the region's people
    role_targets: dict[str, list[OwnTarget]] = {}  # role → own monthly targets (篇3: 促銷員 培訓 4節)
    channels: list[ChannelQuota] = []
    people: list[Person] = []
    phases: list[Phase] = []

    @field_validator("seasonality")
    @classmethod
    def _some_weight(cls, weights: dict[int, Decimal]) -> dict[int, Decimal]:
        if weights and not any(weights.values()):
            raise ValueError("every weight is 0; give at least one month a weight above 0")
        return weights

    @property
    def areas(self) -> list[str]:
        """Provinces, then cities (篇1: 6省2市)."""
        return [*self.provinces, *self.cities]


class Customer(Record):
    """One row of the customer list (CSV or XLSX)."""

    id: Id
    name: str
    region: str                         # region id (a region's name is accepted and turned into its id)
    owner: Id                           # the person id of the salesperson
    type: str | None = None             # 彩印廠, 禮盒廠, K/A, 代理商 …
    city: str | None = None
    status: StatusField = "active"
    last_year_sales: Money | None = None
    tier: TierField | None = None       # explicit tier; else computed from last-year sales
    monthly_demand: Money | None = None  # prospects: estimated purchases per month
    days_to_close: int | None = Field(None, ge=0)  # prospects: expected days to the first order
    last_visit: Date | None = None
    contact: str | None = None
    phone: str | None = None
    note: str | None = None


# Default header names of the customer list, Traditional Chinese and English (any case; the same
# names in Simplified script match too); docgen.yaml's `columns: {field: [header, …]}` adds more.
CUSTOMER_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("編號", "客戶編號", "id"),
    "name": ("客戶名稱", "名稱", "name"),
    "region": ("區域", "region"),
    "owner": ("業務員", "負責人", "owner"),
    "type": ("類型", "客戶類型", "type"),
    "city": ("城市", "city"),
    "status": ("狀態", "status"),
    "last_year_sales": ("去年銷售額", "last_year_sales"),
    "tier": ("等級", "客戶等級", "tier"),
    "monthly_demand": ("月需求量", "月需求", "monthly_demand"),
    "days_to_close": ("預計成交天數", "days_to_close"),
    "last_visit": ("上次拜訪", "最近拜訪", "last_visit"),
    "contact": ("聯繫人", "contact"),
    "phone": ("電話", "phone"),
    "note": ("備註", "note"),
}
_TEXT_FIELDS = {"id", "name", "region", "owner", "type", "city", "contact", "phone", "note"}


class QuadrantRule(Record):
    large_demand: Money = Decimal(50_000)   # monthly demand ≥ this is large (篇1: 5萬)
    fast_days: int = Field(15, ge=0)        # close within this many days is fast (篇1: 半個月)


_DEFAULT_THRESHOLDS = {"VIP": Decimal(1_000_000), "一級": Decimal(500_000), "二級": Decimal(100_000)}
_DEFAULT_CADENCE: dict[str, int | None] = {"VIP": 1, "一級": 2, "二級": 3, "其他": None}


class Rules(Record):
    """``rules:`` in docgen.yaml; every key optional, the defaults are SPEC §4.

    ``tier_thresholds``: lowest last-year sales of VIP, 一級, 二級 (below 二級: 其他).
    ``visit_cadence``: months between visits per tier (``null``: not visited on a cadence).
    """

    tier_thresholds: dict[Literal["VIP", "一級", "二級"], Money] = _DEFAULT_THRESHOLDS
    visit_cadence: dict[TierField, int | None] = _DEFAULT_CADENCE
    quadrant: QuadrantRule = QuadrantRule()
    lost_after_months: int = Field(3, ge=1)
    # roles given no share of a region's sales target unless a person has a monthly_quota (篇3's promoters)
    no_quota_roles: list[str] = ["促銷員", "文員"]

    @field_validator("tier_thresholds")
    @classmethod
    def _falling(cls, given: dict[str, Decimal]) -> dict[str, Decimal]:
        merged = {**_DEFAULT_THRESHOLDS, **given}
        if not merged["VIP"] > merged["一級"] > merged["二級"]:
            raise ValueError("thresholds must fall from VIP to 一級 to 二級")
        return merged

    @field_validator("visit_cadence")
    @classmethod
    def _complete(cls, given: dict[str, int | None]) -> dict[str, int | None]:
        for tier, months in given.items():
            if months is not None and months < 1:
                raise ValueError(f"{tier}: expected a number of months ≥ 1 or null, got {months}")
        return {**_DEFAULT_CADENCE, **given}

    @property
    def tiers(self) -> TierRules:
        """The thresholds as :func:`docgen.plan.customers.tier_of` takes them."""
        t = self.tier_thresholds
        return TierRules(vip=t["VIP"], first=t["一級"], second=t["二級"])

    @property
    def cadence(self) -> VisitCadence:
        """The cadence as :func:`docgen.plan.customers.is_due` takes it."""
        c = self.visit_cadence
        return VisitCadence(vip=c["VIP"], first=c["一級"], second=c["二級"], other=c["其他"])


# -- the loaded plan -------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """Everything planned for one year, cross-checked.

    :param year: the plan's year (its folder).
    :param company: ``company.yaml`` (empty if the file is absent).
    :param regions: the region plans in ``docgen.yaml``'s order.
    :param customers: every customer row, in file then row order.
    :param rules: tier thresholds, visit cadence, quadrant thresholds.
    :param currency: the plan's currency (company.yaml, else docgen.yaml).
    :param fiscal_year: first and last day (docgen.yaml's ``fiscal_year_start``; company.yaml may state it too).
    """

    year: int
    company: CompanyPlan
    regions: tuple[RegionPlan, ...]
    customers: tuple[Customer, ...]
    rules: Rules
    currency: str
    fiscal_year: tuple[dt.date, dt.date]

    def region(self, region_id: str) -> RegionPlan:
        """The region plan by id; ``KeyError`` if the year has none."""
        for r in self.regions:
            if r.region == region_id:
                return r
        raise KeyError(f"no plan for region {region_id!r} in {self.year}")

    @property
    def people(self) -> list[Person]:
        return [p for r in self.regions for p in r.people]

    def person(self, person_id: str) -> Person:
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(f"no person with id {person_id!r} in the {self.year} plan")

    def people_in(self, region_id: str) -> list[Person]:
        return list(self.region(region_id).people)

    def manager_of(self, region_id: str) -> Person | None:
        manager = self.region(region_id).manager
        return self.person(manager) if manager else None

    def activity(self, person_id: str) -> Activity | None:
        """The person's daily activity quotas, else the region's default."""
        person = self.person(person_id)
        return person.activity or self.region(person.region).activity

    def channel(self, channel_id: str) -> Channel:
        for c in self.company.channels:
            if c.id == channel_id:
                return c
        raise KeyError(f"no channel {channel_id!r} in the {self.year} plan")

    def customer(self, customer_id: str) -> Customer:
        for c in self.customers:
            if c.id == customer_id:
                return c
        raise KeyError(f"no customer {customer_id!r} in the {self.year} plan")

    def customers_of(self, person_id: str) -> list[Customer]:
        return [c for c in self.customers if c.owner == person_id]

    def customers_in(self, region_id: str) -> list[Customer]:
        return [c for c in self.customers if c.region == region_id]

    def prospects(self, region_id: str | None = None) -> list[Customer]:
        return [c for c in self.customers
                if c.status == "prospect" and (region_id is None or c.region == region_id)]


# -- loading ---------------------------------------------------------------------------------
def load_plan(ws: Workspace, year: int, strict: bool = False,
              partial: bool = False) -> tuple[Plan | None, list[Problem]]:
    """Load and cross-check ``plans/<year>/``; return the plan (``None`` on any error) and every problem.

    ``partial``: return the plan as far as it loaded even with errors (the records that failed
    left out), so ``validate`` can still report the arithmetic warnings of the rest.

    Unknown keys and columns are warnings, errors with ``strict``.  The result is kept per
    process while the files it read are unchanged (same size and mtime), so a batch of
    documents for one year loads the plan once; the plan is immutable, so sharing is safe.
    """
    key = (ws.root, year, strict, _signature(ws, year))
    if key not in _CACHE:
        _CACHE.clear()  # one year's plan at a time is what a batch needs
        loader = _Loader(ws, year, strict)
        plan = loader.load()
        problems = sorted(loader.problems, key=lambda p: (p.file, p.line or 0, p.field, p.message))
        _CACHE[key] = (plan, tuple(problems))
    plan, problems = _CACHE[key]
    return (None if not partial and any(p.is_error for p in problems) else plan), list(problems)


_CACHE: dict[tuple, tuple[Plan | None, tuple[Problem, ...]]] = {}


def _signature(ws: Workspace, year: int) -> tuple:
    """Which files a plan is read from, with their size and modification time."""
    files = [ws.root / CONFIG_NAME]
    folder = ws.path("plans") / str(year)
    if folder.is_dir():
        files += sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), st.st_size, st.st_mtime_ns) for p in files if (st := p.stat()))


class _Loader:
    def __init__(self, ws: Workspace, year: int, strict: bool) -> None:
        self.ws = ws
        self.year = year
        self.strict = strict
        self.folder = ws.path("plans") / str(year)
        self.problems: list[Problem] = []
        # a file that failed leaves its ids unknown: skip the checks that would then cascade
        self.people_known = True
        self.channels_known = True
        self.company_missing = False
        self.missing_channels: set[str] = set()   # named while company.yaml, which declares them, is absent

    def rel(self, path: Path) -> str:
        return relative(path, self.ws.root)

    def load(self) -> Plan | None:
        if not self.folder.is_dir():
            self.problems.append(Problem(self.rel(self.folder), None, "",
                                         f"no plan for {self.year}: folder not found"))
            return None
        from docgen.data.plan_workbook import book_in, load_book  # it loads its files with this loader

        if (book := book_in(self.folder)) is not None:  # the plan kept as one workbook
            plan, self.problems = load_book(self.ws, self.year, book, self.strict)
            return plan
        rules = self._rules()
        company = self._company()
        regions = self._regions()
        customers = self._customers()
        if company is None:
            self.channels_known = False
        for sections in (company, *regions):
            if sections is not None:
                self._training_months(sections)
                self._competitor_shares(sections)
        self._cross_check(company or CompanyPlan(), regions, customers)
        if company is None or rules is None:
            return None
        config = self.ws.config
        return Plan(
            year=self.year, company=company,
            regions=tuple(sorted(regions, key=lambda r: self._region_order(r.region))),
            customers=tuple(customers), rules=rules,
            currency=company.currency or config.currency,
            fiscal_year=(self.fiscal.first_day, self.fiscal.last_day),
        )

    # -- files ----------------------------------------------------------------------------
    def _yaml(self, path: Path) -> Source | None:
        try:
            return load_yaml(path, self.ws.root, self.ws.config.limits)
        except DataError as e:
            self.problems.extend(e.problems)
            return None

    def _model(self, model: type[Record], source: Source) -> Any:
        if not isinstance(source.data, dict):
            self.problems.append(source.problem((), f"expected a mapping, got {describe(source.data)}"))
            return None
        obj, problems = check(model, source, self.strict)
        self.problems.extend(problems)
        if obj is not None:
            _locate(obj, (), source)
        return obj

    def _rules(self) -> Rules | None:
        source = self.ws.source
        if not isinstance(source.data, dict) or "rules" not in source.data:
            return Rules()
        # the holder's paths ("rules", …) are the config's own, so its lines apply as they are
        sub = Source(source.file, {"rules": source.data["rules"]}, source.lines)
        holder, problems = check(_RulesHolder, sub, self.strict)
        self.problems.extend(problems)
        if holder is None:
            return None
        _locate(holder, (), sub)
        return holder.rules

    def _company(self) -> CompanyPlan | None:
        path = self.folder / "company.yaml"
        if not path.exists() and not path.is_symlink():
            self.company_missing = True
            return CompanyPlan()
        source = self._yaml(path)
        if source is None:
            return None
        company = self._model(CompanyPlan, source)
        if company is not None and company.year is not None and company.year != self.year:
            self.problems.append(company.problem(
                f"year {company.year} does not match the folder {self.rel(self.folder)}", "year"))
        if company is not None and company.fiscal_year is not None:
            self._check_fiscal_year(company)
        return company

    def _check_fiscal_year(self, company: CompanyPlan) -> None:
        """company.yaml's fiscal year is docgen.yaml's, stated again: they must agree."""
        stated = company.fiscal_year
        assert stated is not None
        if (stated.start, stated.end) == (self.fiscal.first_day, self.fiscal.last_day):
            return
        start = self.ws.config.fiscal_year_start
        if stated.start.day == 1 and stated.start.month != start:
            hint = f"set fiscal_year_start: {stated.start.month} in {CONFIG_NAME}"
        else:
            hint = (f"with fiscal_year_start: {start} in {CONFIG_NAME} it runs "
                    f"{self.fiscal.first_day} to {self.fiscal.last_day}")
        self.problems.append(company.problem(
            f"{stated.start} to {stated.end} is not the fiscal year {self.fiscal.label}: {hint}", "fiscal_year"))

    def _regions(self) -> list[RegionPlan]:
        regions: list[RegionPlan] = []
        seen: dict[str, RegionPlan] = {}
        folder = self.folder / "regions"
        paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
        for path in paths:
            source = self._yaml(path)
            if source is not None and isinstance(source.data, dict):
                source = _with_people_region(source)
            region = self._model(RegionPlan, source) if source is not None else None
            if region is None:
                self.people_known = False
                continue
            if region.region in seen:
                self.problems.append(region.problem(
                    f"region {region.region!r} is already planned in {seen[region.region].where}",
                    "region"))
                continue
            if path.stem != region.region:
                self.problems.append(region.problem(
                    f"the file is named {path.name} but plans region {region.region!r}",
                    "region", "warning"))
            seen[region.region] = region
            regions.append(region)
            self._fiscal_months(region)
        for i, declared in enumerate(self.ws.config.regions):
            if declared.id not in seen and self.people_known:
                self.problems.append(self.ws.source.problem(
                    ("regions", i), f"no plan for region {declared.id!r} in {self.year} "
                                    f"(add {self.rel(folder / (declared.id + '.yaml'))})", "warning"))
        return regions

    @cached_property
    def fiscal(self) -> fiscal_years.FiscalYear:
        return fiscal_years.FiscalYear(self.year, self.ws.config.fiscal_year_start)

    def _fiscal_months(self, region: RegionPlan) -> None:
        """Give the region's period its fiscal year, and check it runs forward in it."""
        region.period._first_month = self.fiscal.start_month
        start, end = region.period.start, region.period.end
        try:
            self.fiscal.span(start or self.fiscal.numbers[0], end or self.fiscal.numbers[-1])
        except ValueError as e:
            self.problems.append(region.problem(str(e), "period"))

    def _training_months(self, sections: _Sections) -> None:
        """A training month written with its year (``2027-01``) must be that month of this fiscal year."""
        for training in sections.training:
            if training.month is None or training._stated_year is None:
                continue
            year, month = self.fiscal.month(training.month)
            if training._stated_year != year:
                self.problems.append(training.problem(
                    f"{training._stated_year}-{training.month:02d} is not in the fiscal year {self.fiscal.label} "
                    f"({self.fiscal.period_text}); its {training.month}月 is {year}-{month:02d}", "month"))

    def _competitor_shares(self, sections: _Sections) -> None:
        warning = share_total_warning(c.share for c in sections.competitors)
        if warning is not None:
            self.problems.append(sections.problem(warning, "competitors", "warning"))

    def _customers(self) -> list[Customer]:
        folder = self.folder / "customers"
        paths = [p for name in ("customers.csv", "customers.xlsx") if (p := self.folder / name).is_file()]
        if folder.is_dir():
            paths += sorted(p for p in folder.iterdir()
                            if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith("~$"))
        headers = self._headers()
        customers: list[Customer] = []
        for path in paths:
            customers += self._table(path, headers)
        return customers

    def _headers(self) -> dict[str, tuple[str, ...]]:
        """Field → accepted headers: docgen.yaml's ``columns`` first, then the defaults.

        ``columns`` may also name other tables' fields (ledgers, visit logs): keys that are
        not customer fields are left to them.
        """
        extra = self.ws.config.columns
        return {f: tuple(extra.get(f, ())) + names for f, names in CUSTOMER_COLUMNS.items()}

    def _table(self, path: Path, headers: dict[str, tuple[str, ...]]) -> list[Customer]:
        name = self.rel(path)
        required = [f for f, info in Customer.model_fields.items() if info.is_required()]
        try:
            rows = read_table(path, self.ws.root, name, self.ws.config.limits, headers)
        except DataError as e:
            self.problems.extend(e.problems)
            return []
        if not any(any(c not in (None, "") for c in cells) for _, cells in rows):
            self.problems.append(Problem(name, 1, "", "the file is empty: expected a header row and a "
                                                      "row per customer (delete the file if it has none)",
                                         "warning"))
            return []
        table, problems = locate_header(rows, name, headers, required)
        self.problems += problems
        if table is None:
            return []
        ignored = "" if self.strict else " (ignored)"
        self.problems += [Problem(name, table.header_row, "", "unknown column" + ignored,
                                  "error" if self.strict else "warning", header) for header in table.unknown]
        self.problems += [Problem(name, table.header_row, "", f"a second column for {field}", "error", header)
                          for field, header in table.repeated]
        columns, index = table.header, table.index
        customers = []
        for line, cells in table.lines:
            data = {}
            for field, i in index.items():
                value = cells[i] if i < len(cells) else None
                value = _cell(value, field)
                if value is not None:
                    data[field] = value
            if not data:
                continue
            if isinstance(data.get("region"), str):
                data["region"] = self._region_id(data["region"])
            source = Source(name, data, {(): line, **{(f,): line for f in Customer.model_fields}})
            customer, problems = check(Customer, source, self.strict)
            self.problems.extend(replace(p, column=columns.get(p.field)) for p in problems)
            if customer is None:
                continue
            customer._where = Where(name, line, "")
            customer._field_lines = {f: line for f in Customer.model_fields}
            customer._columns = dict(columns)
            customers.append(customer)
        return customers

    # -- cross-references -----------------------------------------------------------------------
    def _region_id(self, text: str) -> str:
        text = text.strip()
        return self._region_keys.get(fold(text), text)

    @cached_property
    def _region_keys(self) -> dict[str, str]:
        """Each region's id and name, in either script (华南区 is 華南區) → its id."""
        return {fold(key): r.id for r in self.ws.config.regions for key in (r.id, r.name)}

    def _region_order(self, region_id: str) -> int:
        ids = [r.id for r in self.ws.config.regions]
        return ids.index(region_id) if region_id in ids else len(ids)

    def _cross_check(self, company: CompanyPlan, regions: list[RegionPlan],
                     customers: list[Customer]) -> None:
        declared = [r.id for r in self.ws.config.regions]
        declared_text = ", ".join(declared) or "none"
        _duplicates([(c.id, c) for c in company.channels], "channel id", "id", self.problems)
        people: dict[str, Person] = {}
        for region in regions:
            if region.region not in declared:
                self.problems.append(region.problem(
                    f"region {region.region!r} is not declared in {CONFIG_NAME} "
                    f"(declared: {declared_text})", "region"))
            for person in region.people:
                if person.region != region.region:
                    self.problems.append(person.problem(
                        f"{person.region!r} is not this file's region {region.region!r}; "
                        f"list the person in that region's file", "region"))
                if person.id in people:
                    self.problems.append(person.problem(
                        f"person id {person.id!r} is used twice (first at {people[person.id].where})",
                        "id"))
                else:
                    people[person.id] = person
        for region in regions:
            self._check_region(region, people, company)
        self.problems += _quantity_units(company, regions)
        if self.missing_channels:  # one cause, one message: not one per channel named
            self.problems.append(Problem(
                self.rel(self.folder / "company.yaml"), None, "",
                f"file not found: the regions name channels ({', '.join(sorted(self.missing_channels))}) "
                "that it declares"))
        _duplicates([(c.id, c) for c in customers], "customer id", "id", self.problems)
        unplanned = self._unplanned_regions(regions, customers)
        for customer in customers:
            if customer.region not in unplanned:
                self._check_customer(customer, people, declared_text)

    def _unplanned_regions(self, regions: list[RegionPlan], customers: list[Customer]) -> set[str]:
        """Declared regions that have customers but no plan file: one message for the missing file,
        not one per customer whose salesperson it would list."""
        planned = {r.region for r in regions}
        declared = {r.id for r in self.ws.config.regions}
        missing: dict[str, list[Customer]] = {}
        for c in customers:
            path = self.folder / "regions" / f"{c.region}.yaml"
            if c.region in declared and c.region not in planned and not path.exists() and not path.is_symlink():
                missing.setdefault(c.region, []).append(c)
        for region, listed in missing.items():
            self.problems.append(Problem(
                self.rel(self.folder / "regions" / f"{region}.yaml"), None, "",
                f"file not found: {len(listed)} customers of region {region!r} need its plan "
                f"(the first at {listed[0].where})"))
        return set(missing)

    def _person_ref(self, record: Record, field: str, person_id: str | None,
                    people: dict[str, Person]) -> None:
        if person_id is not None and person_id not in people and self.people_known:
            self.problems.append(record.problem(
                f"no person with id {person_id!r} in the {self.year} plan", field))

    def _check_region(self, region: RegionPlan, people: dict[str, Person],
                      company: CompanyPlan) -> None:
        channels = [c.id for c in company.channels]

        def channel_ref(record: Record, channel_id: str | None) -> None:
            if channel_id is not None and self.company_missing:
                self.missing_channels.add(channel_id)
            elif channel_id is not None and channel_id not in channels and self.channels_known:
                self.problems.append(record.problem(
                    f"no channel {channel_id!r} in company.yaml "
                    f"(channels: {', '.join(channels) or 'none'})", "channel"))

        self._person_ref(region, "manager", region.manager, people)
        for person in region.people:
            channel_ref(person, person.channel)
        for quota in region.channels:
            channel_ref(quota, quota.channel)
        _duplicates([(q.channel, q) for q in region.channels], "channel", "channel", self.problems)
        for phase in region.phases:
            self._person_ref(phase, "owner", phase.owner, people)
            for task in phase.tasks:
                self._person_ref(task, "owner", task.owner, people)
                for field in ("date", "start", "end"):
                    day = getattr(task, field)
                    if day is not None and not phase.start <= day <= phase.end:
                        self.problems.append(task.problem(
                            f"{day} is outside the phase {phase.name} ({phase.start} to {phase.end})",
                            field))
        if region.seasonality:
            for month in region.period.months:
                if month not in region.seasonality:
                    self.problems.append(region.problem(
                        f"no weight for month {month} of the period "
                        f"{region.period.start}–{region.period.end}月", "seasonality"))

    def _check_customer(self, customer: Customer, people: dict[str, Person], declared_text: str) -> None:
        declared = [r.id for r in self.ws.config.regions]
        if customer.region not in declared:
            self.problems.append(customer.problem(
                f"region {customer.region!r} is not declared in {CONFIG_NAME} "
                f"(declared: {declared_text})", "region"))
        owner = people.get(customer.owner)
        if owner is None:
            self._person_ref(customer, "owner", customer.owner, people)
        elif owner.region != customer.region and customer.region in declared:
            self.problems.append(customer.problem(
                f"owner {customer.owner!r} works in region {owner.region!r}, not {customer.region!r}",
                "owner", "warning"))
        if customer.status == "prospect":
            lacking = [f for f in ("monthly_demand", "days_to_close") if getattr(customer, f) is None]
            if lacking:
                self.problems.append(customer.problem(
                    f"prospect without {' and '.join(lacking)}: it cannot be placed in the quadrant",
                    None, "warning"))


class _RulesHolder(Record):
    rules: Rules = Rules()


def _duplicates(items: list[tuple[str, Record]], what: str, field: str,
                problems: list[Problem]) -> None:
    """A problem for each key seen before, pointing at the first."""
    first: dict[str, Record] = {}
    for key, record in items:
        if key in first:
            problems.append(record.problem(f"{what} {key!r} is used twice (first at {first[key].where})",
                                           field))
        else:
            first[key] = record


def _quantity_units(company: CompanyPlan, regions: list[RegionPlan]) -> list[Problem]:
    """One quantity unit per plan: every target quantity in the unit of the first one given."""
    stated: list[tuple[Record, str, Quantity]] = []
    if company.quantity is not None:
        stated.append((company, "quantity", company.quantity))
    for region in regions:
        records: list[Record] = [region, *region.people, *region.channels]
        for record in records:
            for field in ("quantity", "monthly_quantity"):
                value = getattr(record, field, None)
                if isinstance(value, Quantity):
                    stated.append((record, field, value))
    if not stated:
        return []
    first, first_field, unit = stated[0][0], stated[0][1], stated[0][2].unit
    where = first.problem("", first_field)
    return [record.problem(f"unit {q.unit} differs from the plan's quantity unit {unit} "
                           f"({where.file}:{where.line}); one plan counts in one unit", field)
            for record, field, q in stated[1:] if q.unit != unit]


def _with_people_region(source: Source) -> Source:
    """Give each person the file's region (the people of a region file belong to it)."""
    region = source.data.get("region")
    people = source.data.get("people")
    if not isinstance(region, str) or not isinstance(people, list):
        return source
    data = dict(source.data)
    data["people"] = [({**p, "region": region} if isinstance(p, dict) and "region" not in p else p)
                      for p in people]
    return Source(source.file, data, source.lines)


# -- tables ----------------------------------------------------------------------------------
def _cell(value: Any, field: str) -> Any:
    """A cell as the model wants it: blanks are absent, numbers in text columns become text."""
    if isinstance(value, str):
        value = value.strip()
        return (serial_date(value) if field == "last_visit" else value) or None
    if value is None:
        return None
    if field == "last_visit":
        return serial_date(value)
    if field in _TEXT_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


__all__ = [
    "CUSTOMER_COLUMNS",
    "Activity",
    "BudgetLine",
    "Channel",
    "ChannelQuota",
    "CompanyPlan",
    "Competitor",
    "CountTarget",
    "Customer",
    "LedgerQuantity",
    "Measure",
    "MonthSpan",
    "OwnTarget",
    "Person",
    "Phase",
    "Plan",
    "Quantity",
    "Record",
    "RegionPlan",
    "Rules",
    "Swot",
    "Task",
    "Training",
    "Where",
    "load_plan",
    "parse_date",
    "parse_money",
]
