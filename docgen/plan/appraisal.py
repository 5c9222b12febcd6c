"""績效考核 (SPEC §4.7): the 12-item scorecard of 篇14, pay factor and rating bands of 篇13.

The seed lists the items of a 績效考核表 (篇14 六) without weights; 篇13 (績效工資) splits a
100-point assessment into 70 points for the planned task (計畫任務/產值) and 30 for the
duties of the post (崗位職能任務).  The default weights follow that split: items 1–9 (sales
and activity figures) total 70, items 10–12 (discipline, reporting, responding) total 30.

Scoring rules, per item:

* ``ratio``: ``points = weight × min(actual / target, cap)``, never below 0; the target is a
  measure or a fixed ``target_value`` (growth: 10% growth earns the full weight);
* ``deduction``: ``points = max(weight − per_unit × count, 0)`` (lost customers); its base is
  the measure named by ``base`` (the active customers the person owns);
* ``manual``: the supervisor's points from the month's scores file, ``0 ≤ points ≤ weight``.

No hidden points.  Every item ends in one of three states:

* **scored**: it has its figures and its base;
* **no base** (shown "—"): the target is missing or zero (no prospects, nothing due, no active
  customers, no last-year sales, no sales quota), or the figure itself is unknown.  The item
  is not scored and its weight is left out; the same rule for every item;
* **pending** (待評): a supervisor-rated item nobody has scored yet.

The total is the sum of the scored items' rounded points (so the printed items add up to the
printed total) out of the scored items' weight; the score rated is that total brought to 100
points (``total × 100 ÷ weight scored``).  A card with a pending item is *provisional*: its
rating is marked so and no pay factor is computed from it.  Points are rounded half up to 0.1.

Pay factor (篇13 「綜合考核85分保底…低於85分,績效工資按比例下浮,最大下浮值≯15%。高於85分,
每增加1分按同比上浮」): 85 → 1.00; each point above adds 1% (90 → 1.05); below 85 the same
ratio applies downwards (「同比」: the rate that applies upwards applies downwards), 1% a point,
floored at −15% (80 → 0.95, 70 and below → 0.85).

Rating (篇13 「綜合評分80分為及格;85—95分為優良;95分以上為優秀;70分及以下為不及格」):
95 is the top of 85—95, so 優秀 is *above* 95; 85 and 80 belong to the band they start;
「70分及以下」 puts 70 in 不及格; the seed leaves 70–80 open, shown as 待改進:
``> 95`` 優秀, ``85 ≤ s ≤ 95`` 優良, ``80 ≤ s < 85`` 及格, ``70 < s < 80`` 待改進, ``≤ 70`` 不及格.
"""
from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docgen.errors import DataError, Problem

__all__ = [
    "AppraisalMeasures", "AppraisalSettings", "Band", "ItemRule", "ItemScore", "PayRule",
    "Scorecard", "pay_factor", "rating", "score",
]

_POINT = Decimal("0.1")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class AppraisalMeasures:
    """One salesperson's (or region's) figures for a period, as the scorecard reads them.

    Counts and amounts come from the month-end statistics and the month's plan; ``growth_rate``
    is a fraction (0.12 = 12%; year-on-year when last year's ledger is there, else month-on-month,
    the caller's choice); ``rated`` holds the supervisor's points by item key (from the month's
    scores file).  ``None`` = not known.
    """

    sales_target: Decimal | None = None
    sales_actual: Decimal | None = None
    quantity_target: Decimal | None = None
    quantity_actual: Decimal | None = None
    development_visits: int | None = None
    development_visits_target: int | None = None
    existing_visits: int | None = None
    existing_visits_planned: int | None = None
    calls: int | None = None
    calls_target: int | None = None
    orders: int | None = None
    orders_target: int | None = None
    growth_rate: Decimal | None = None
    new_customers: int | None = None
    new_customers_target: int | None = None
    lost_customers: int | None = None
    active_customers: int | None = None
    rated: Mapping[str, Decimal] = field(default_factory=dict)


MEASURES = tuple(f.name for f in dataclasses.fields(AppraisalMeasures) if f.name != "rated")


#: how an item is scored: a ratio of actual to target, a deduction per unit, or a supervisor's points
RuleKind = Literal["ratio", "deduction", "manual"]

class ItemRule(BaseModel):
    """One scorecard item: what it measures, its weight and how it scores.

    ``sales``: a sales item, scored only for someone with a sales target this period.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    weight: Decimal = Field(ge=0)
    rule: RuleKind
    actual: str | None = None
    target: str | None = None
    target_value: Decimal | None = Field(default=None, gt=0)
    cap: Decimal = Field(default=Decimal(1), gt=0)
    per_unit: Decimal | None = Field(default=None, ge=0)
    base: str | None = None
    fallback: str | None = None
    sales: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> ItemRule:
        for name in (self.actual, self.target, self.base):
            if name is not None and name not in MEASURES:
                raise ValueError(f"item {self.key}: unknown measure {name!r}; known: {', '.join(MEASURES)}")
        if self.rule != "manual" and self.actual is None:
            raise ValueError(f"item {self.key}: a {self.rule} item needs actual (the measure it scores)")
        if self.rule == "ratio" and (self.target is None) == (self.target_value is None):
            raise ValueError(f"item {self.key}: a ratio item needs exactly one of target or target_value")
        if self.rule == "deduction" and self.per_unit is None:
            raise ValueError(f"item {self.key}: a deduction item needs per_unit (points per unit)")
        return self


class Band(BaseModel):
    """A rating band: scores above ``above`` (or equal, when ``inclusive``) get ``label``.

    The last band has ``above: null`` and takes every score left.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    above: Decimal | None
    inclusive: bool = True


class PayRule(BaseModel):
    """Performance-pay factor around a base score (篇13)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base: Decimal = Decimal(85)
    rise_per_point: Decimal = Field(default=Decimal("0.01"), ge=0)
    fall_per_point: Decimal = Field(default=Decimal("0.01"), ge=0)
    max_fall: Decimal = Field(default=Decimal("0.15"), ge=0, le=1)


def _item(key: str, name: str, weight: int, rule: RuleKind, actual: str | None = None, **kw: Any) -> ItemRule:
    return ItemRule(key=key, name=name, weight=Decimal(weight), rule=rule, actual=actual, **kw)


def _default_items() -> list[ItemRule]:
    # 篇14 六、績效考核表 1–12, in the seed's order
    return [
        _item("sales", "計畫銷售指標完成率", 25, "ratio", "sales_actual", target="sales_target", sales=True),
        _item("volume", "實際完成銷量", 5, "ratio", "quantity_actual", target="quantity_target",
              fallback="sales", sales=True),
        _item("development", "開發新客戶數量", 5, "ratio", "development_visits",
              target="development_visits_target"),
        _item("existing_visits", "現有客戶拜訪數量", 8, "ratio", "existing_visits",
              target="existing_visits_planned"),
        _item("calls", "電話銷售拜訪數量", 5, "ratio", "calls", target="calls_target"),
        _item("orders", "周訂單數量", 5, "ratio", "orders", target="orders_target", sales=True),
        _item("growth", "增長率", 5, "ratio", "growth_rate", target_value=Decimal("0.10"), sales=True),
        _item("new_customers", "新增開發客戶數量", 7, "ratio", "new_customers", target="new_customers_target",
              sales=True),
        _item("lost_customers", "丟失客戶數量", 5, "deduction", "lost_customers", per_unit=Decimal(2),
              base="active_customers", sales=True),
        _item("discipline", "銷售人員行為紀律", 10, "manual"),
        _item("reports", "工作計畫、匯報完成率", 10, "manual"),
        _item("requests", "需求資源客戶回覆情況", 10, "manual"),
    ]


def _default_bands() -> list[Band]:
    return [
        Band(label="優秀", above=Decimal(95), inclusive=False),
        Band(label="優良", above=Decimal(85)),
        Band(label="及格", above=Decimal(80)),
        Band(label="待改進", above=Decimal(70), inclusive=False),
        Band(label="不及格", above=None),
    ]


class AppraisalSettings(BaseModel):
    """The company's scorecard: items (weights total 100), rating bands, pay rule, who is scored.

    ``exclude_roles``: roles (as written in the plan's ``role``) that get no scorecard.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    items: list[ItemRule] = Field(default_factory=_default_items)
    bands: list[Band] = Field(default_factory=_default_bands)
    pay: PayRule = Field(default_factory=PayRule)
    exclude_roles: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> AppraisalSettings:
        total = sum((i.weight for i in self.items), Decimal(0))
        if total != 100:
            listed = " + ".join(f"{i.key} {i.weight}" for i in self.items)
            raise ValueError(f"item weights must total 100, got {total} ({listed})")
        keys = [i.key for i in self.items]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"item keys must be unique: {', '.join(dupes)} repeated")
        by_key = {i.key: i for i in self.items}
        for i in self.items:
            if i.fallback is not None:
                other = by_key.get(i.fallback)
                if other is None or other.rule != "ratio" or other.fallback is not None or i.rule != "ratio":
                    raise ValueError(f"item {i.key}: fallback must name another ratio item without a fallback")
        if not self.bands or self.bands[-1].above is not None:
            raise ValueError("the last rating band must have above: null (it takes every lower score)")
        limits = [b.above for b in self.bands[:-1]]
        if any(a is None for a in limits):
            raise ValueError("only the last rating band may have above: null")
        if any(a < b for a, b in itertools.pairwise(limits)):  # type: ignore[operator]
            raise ValueError("rating bands must be listed from the highest score down")
        return self

    @property
    def rated_items(self) -> list[ItemRule]:
        """The supervisor-rated items, in card order (the columns of the scores file)."""
        return [i for i in self.items if i.rule == "manual"]


Status = Literal["scored", "no_base", "pending"]


@dataclass(frozen=True)
class ItemScore:
    """One item of a card: ``measure`` is the ratio (ratio items), the count (deduction) or the
    points given (manual); ``points`` is ``None`` unless ``status`` is ``"scored"``."""

    key: str
    name: str
    weight: Decimal
    rule: str
    status: Status
    measure: Decimal | None
    points: Decimal | None


@dataclass(frozen=True)
class Scorecard:
    """The scored card.

    :param total: the scored items' points added up (as printed).
    :param weight: the scored items' weights added up: what ``total`` is out of.
    :param score: ``total`` brought to 100 points, what is rated (``None``: nothing scored).
    :param pending: how many supervisor-rated items are not scored yet.
    :param pay_factor: only for a complete card (nothing pending), else ``None``.
    """

    items: list[ItemScore]
    total: Decimal
    weight: Decimal
    score: Decimal | None
    pending: int
    rating: str | None
    pay_factor: Decimal | None

    @property
    def complete(self) -> bool:
        return self.pending == 0

    @property
    def total_text(self) -> str:
        """``86.2`` for a full card; ``80.0 / 87`` when weights are left out; ``68.0 / 70（3項待評）``."""
        text = f"{self.total} / {_plain(self.weight)}" if self.weight != _HUNDRED else str(self.total)
        return text + (f"（{self.pending}項待評）" if self.pending else "")

    @property
    def score_text(self) -> str:
        """The score rated, on 100 points: ``92.0`` (``—`` when nothing was scored)."""
        return "—" if self.score is None else str(self.score)

    @property
    def rating_text(self) -> str:
        if self.rating is None:
            return "—"
        return self.rating if self.complete else f"{self.rating}（暫定）"

    @property
    def excluded(self) -> list[ItemScore]:
        return [i for i in self.items if i.status == "no_base"]


def _round(x: Decimal) -> Decimal:
    return x.quantize(_POINT, rounding=ROUND_HALF_UP)


def _plain(x: Decimal) -> str:
    return f"{x.normalize():f}"


def _ratio_of(item: ItemRule, m: AppraisalMeasures) -> Decimal | None:
    actual = getattr(m, item.actual)  # type: ignore[arg-type]
    target = getattr(m, item.target) if item.target is not None else item.target_value
    if actual is None or target is None or target == 0:
        return None
    return Decimal(actual) / Decimal(target)


def _has_quota(m: AppraisalMeasures) -> bool:
    return bool(m.sales_target)


def _one(item: ItemRule, by_key: dict[str, ItemRule], m: AppraisalMeasures,
         problems: list[Problem], source: str) -> ItemScore:
    """Score one item (see the module docstring for the three states)."""
    def out(status: Status, measure: Decimal | None, points: Decimal | None = None) -> ItemScore:
        return ItemScore(item.key, item.name, item.weight, item.rule, status, measure,
                         None if points is None else _round(points))

    if item.rule == "manual":
        given = m.rated.get(item.key)
        if given is None:
            return out("pending", None)
        if not 0 <= given <= item.weight:
            problems.append(Problem(source, None, item.key,
                                    f"{item.name}: points must be between 0 and {item.weight}, got {given}"))
        return out("scored", given, given)
    if item.sales and not _has_quota(m):
        return out("no_base", None)
    if item.rule == "ratio":
        measure = _ratio_of(item, m)
        if measure is None and item.fallback is not None:
            measure = _ratio_of(by_key[item.fallback], m)
        if measure is None:
            return out("no_base", None)
        return out("scored", measure, item.weight * max(min(measure, item.cap), Decimal(0)))
    count = getattr(m, item.actual)  # type: ignore[arg-type]
    base = getattr(m, item.base) if item.base is not None else 1
    if count is None or not (base or count):
        return out("no_base", None)
    return out("scored", Decimal(count), max(item.weight - item.per_unit * Decimal(count), Decimal(0)))  # type: ignore[operator]


def score(settings: AppraisalSettings, measures: AppraisalMeasures, source: str = "appraisal") -> Scorecard:
    """Score one card.

    :param source: names the measures' origin in the error for a rated score out of range.
    :raises DataError: a rated score below 0 or above its item's weight.
    """
    by_key = {i.key: i for i in settings.items}
    problems: list[Problem] = []
    items = [_one(item, by_key, measures, problems, source) for item in settings.items]
    if problems:
        raise DataError("", problems)
    scored = [i for i in items if i.status == "scored"]
    total = sum((i.points for i in scored if i.points is not None), Decimal(0))  # a scored item has points
    weight = sum((i.weight for i in scored), Decimal(0))
    pending = sum(1 for i in items if i.status == "pending")
    points = _round(total * _HUNDRED / weight) if weight else None
    label = None if points is None else rating(points, settings)
    factor = pay_factor(points, settings.pay) if points is not None and not pending else None
    return Scorecard(items, total, weight, points, pending, label, factor)


def pay_factor(total: Decimal, rule: PayRule | None = None) -> Decimal:
    """The performance-pay factor for a score: 85 → 1.00, 90 → 1.05, 80 → 0.95, ≤70 → 0.85."""
    rule = rule or PayRule()
    diff = Decimal(total) - rule.base
    if diff >= 0:
        return Decimal(1) + diff * rule.rise_per_point
    return max(Decimal(1) + diff * rule.fall_per_point, Decimal(1) - rule.max_fall)


def rating(total: Decimal, settings: AppraisalSettings | None = None) -> str:
    """The rating band's label for a score (see the module docstring for the edges)."""
    bands = (settings or AppraisalSettings()).bands
    for band in bands:
        if band.above is None:
            return band.label
        if total > band.above or (band.inclusive and total == band.above):
            return band.label
    return bands[-1].label  # pragma: no cover - the validator guarantees a catch-all band
