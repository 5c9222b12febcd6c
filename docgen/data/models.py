"""The models of the plan files under ``plans/<year>/`` and the loaded :class:`Plan`.

Layout (see ``plans/README.md`` for users)::

    plans/<year>/company.yaml        year-level facts: channels, narrative, SWOT, budget, training, measures
    plans/<year>/regions/<id>.yaml   one region: areas, targets, seasonality, channel quotas, people, phases
    plans/<year>/customers/*.csv     the customer list, CSV or XLSX, one row per customer

The models only hold facts; all arithmetic lives in :mod:`docgen.plan`; the values they hold
are parsed by :mod:`docgen.data.values`, and :mod:`docgen.data.loading` reads the files.

Every record (:class:`Record`) remembers where it came from: ``record.where`` is the
file, line and dotted path; ``record.problem(msg, "owner")`` builds a :class:`Problem`
at the line of that field, so later checks and documents can point at the source.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from docgen.data.values import (
    Date,
    Id,
    Money,
    Month,
    PricePosition,
    QuantityField,
    Share,
    StatusField,
    Tier,
    TierField,
    TrainingMonth,
    Weight,
    stated_year,
)
from docgen.data.yamlsrc import Source, format_path
from docgen.errors import Problem

# the one import of a higher layer left here: Rules.tiers and Rules.cadence hand the plan arithmetic its own
# value types; they belong down here (or built by the plan layer from Rules), a move docgen.plan must make
from docgen.plan.customers import TierRules, VisitCadence


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


def locate(obj: Any, path: tuple[Any, ...], source: Source) -> None:
    """Give every record under ``obj`` its file, line and path from ``source``."""
    if isinstance(obj, Record):
        names = type(obj).model_fields
        obj._where = Where(source.file, source.line(path), format_path(path))
        obj._field_lines = {name: source.lines.get((*path, name)) for name in names}
        for name in names:
            locate(getattr(obj, name), (*path, name), source)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            locate(item, (*path, i), source)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            locate(item, (*path, key), source)


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
    quantity: QuantityField | None = None   # the channel's volume quota for the period (960噸)
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
        training._stated_year = stated_year(data.get("month")) if isinstance(data, dict) else None
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
    quantity_decimals: int = Field(default=0, ge=0, le=3)   # places of a quantity's parts (0: whole tons, sets)
    ledger_quantity: LedgerQuantity | None = None    # the ledgers' 數量 in another unit than the plan's
    market_capacity: QuantityField | None = None
    channels: list[Channel] = []
    phases: list[Phase] = []            # the whole company's stages (篇3's four phases of the branch)


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


class QuadrantRule(Record):
    large_demand: Money = Decimal(50_000)   # monthly demand ≥ this is large (篇1: 5萬)
    fast_days: int = Field(default=15, ge=0)        # close within this many days is fast (篇1: 半個月)


RankedTier = Literal["VIP", "一級", "二級"]  # the tiers with a threshold (below 二級: 其他)
_DEFAULT_THRESHOLDS: dict[RankedTier, Decimal] = {"VIP": Decimal(1_000_000), "一級": Decimal(500_000),
                                                 "二級": Decimal(100_000)}
_DEFAULT_CADENCE: dict[Tier, int | None] = {"VIP": 1, "一級": 2, "二級": 3, "其他": None}


class Rules(Record):
    """``rules:`` in docgen.yaml; every key optional, the defaults are SPEC §4.

    ``tier_thresholds``: lowest last-year sales of VIP, 一級, 二級 (below 二級: 其他).
    ``visit_cadence``: months between visits per tier (``null``: not visited on a cadence).
    """

    tier_thresholds: dict[RankedTier, Money] = _DEFAULT_THRESHOLDS
    visit_cadence: dict[TierField, int | None] = _DEFAULT_CADENCE
    quadrant: QuadrantRule = QuadrantRule()
    lost_after_months: int = Field(default=3, ge=1)
    # roles given no share of a region's sales target unless a person has a monthly_quota (篇3's promoters)
    no_quota_roles: list[str] = ["促銷員", "文員"]

    @field_validator("tier_thresholds")
    @classmethod
    def _falling(cls, given: dict[RankedTier, Decimal]) -> dict[RankedTier, Decimal]:
        merged = {**_DEFAULT_THRESHOLDS, **given}
        if not merged["VIP"] > merged["一級"] > merged["二級"]:
            raise ValueError("thresholds must fall from VIP to 一級 to 二級")
        return merged

    @field_validator("visit_cadence")
    @classmethod
    def _complete(cls, given: dict[Tier, int | None]) -> dict[Tier, int | None]:
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
    :param fiscal_year: first and last day (company.yaml, else from docgen.yaml's start month).
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
