"""績效考核 (SPEC §4.7): the 12-item scorecard of 篇14, pay factor and rating bands of 篇13.

The seed lists the items of a 績效考核表 (篇14 六) without weights; 篇13 (績效工資) splits a
100-point assessment into 70 points for the planned task (計畫任務/產值) and 30 for the
duties of the post (崗位職能任務).  The default weights follow that split: items 1–9 (sales
and activity figures) total 70, items 10–12 (discipline, reporting, responding) total 30.

Scoring rules, per item:

* ``ratio``: ``points = weight × min(actual / target, cap)``, never below 0; the target is a
  measure or a fixed ``target_value`` (growth: 10% growth earns the full weight);
* ``deduction``: ``points = max(weight − per_unit × count, 0)`` (lost customers);
* ``manual``: the points are given by the assessor (discipline), ``0 ≤ points ≤ weight``.

A measure that is missing (or a ratio whose target is zero) scores by ``when_missing``:
``"zero"`` (default), ``"full"`` (nothing to assess: no customer request to answer, no
violation recorded), or via ``fallback`` the ratio of another item (sales volume without a
quantity target is scored by the amount's completion).  Points are rounded half up to 0.1 and
the total is the sum of the rounded points, so the printed items add up to the printed total.

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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docgen.errors import DataError, Problem

__all__ = [
    "AppraisalMeasures", "AppraisalSettings", "Band", "ItemRule", "ItemScore", "PayRule",
    "Scorecard", "pay_factor", "rating", "score",
]

_POINT = Decimal("0.1")


@dataclass(frozen=True)
class AppraisalMeasures:
    """One salesperson's (or region's) figures for a period, as the scorecard reads them.

    Counts and amounts come from the month-end statistics and the month's plan; ``growth_rate``
    is a fraction (0.12 = 12%; year-on-year when last year's ledger is there, else month-on-month,
    the caller's choice); ``discipline`` is the assessor's points.  ``None`` = not known.
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
    discipline: Decimal | None = None
    reports_done: int | None = None
    reports_due: int | None = None
    requests_answered: int | None = None
    requests_received: int | None = None


MEASURES = tuple(f.name for f in dataclasses.fields(AppraisalMeasures))


class ItemRule(BaseModel):
    """One scorecard item: what it measures, its weight and how it scores."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    weight: Decimal = Field(ge=0)
    rule: Literal["ratio", "deduction", "manual"]
    actual: str
    target: str | None = None
    target_value: Decimal | None = Field(default=None, gt=0)
    cap: Decimal = Field(default=Decimal(1), gt=0)
    per_unit: Decimal | None = Field(default=None, ge=0)
    when_missing: Literal["zero", "full"] = "zero"
    fallback: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "ItemRule":
        for name in (self.actual, self.target):
            if name is not None and name not in MEASURES:
                raise ValueError(f"item {self.key}: unknown measure {name!r}; known: {', '.join(MEASURES)}")
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


def _item(key: str, name: str, weight: int, rule: str, actual: str, **kw: object) -> ItemRule:
    return ItemRule(key=key, name=name, weight=Decimal(weight), rule=rule, actual=actual, **kw)


def _default_items() -> list[ItemRule]:
    # 篇14 六、績效考核表 1–12, in the seed's order
    return [
        _item("sales", "計畫銷售指標完成率", 25, "ratio", "sales_actual", target="sales_target"),
        _item("volume", "實際完成銷量", 5, "ratio", "quantity_actual", target="quantity_target",
              fallback="sales"),
        _item("development", "開發新客戶數量", 5, "ratio", "development_visits",
              target="development_visits_target", when_missing="full"),
        _item("existing_visits", "現有客戶拜訪數量", 8, "ratio", "existing_visits",
              target="existing_visits_planned"),
        _item("calls", "電話銷售拜訪數量", 5, "ratio", "calls", target="calls_target"),
        _item("orders", "周訂單數量", 5, "ratio", "orders", target="orders_target"),
        _item("growth", "增長率", 5, "ratio", "growth_rate", target_value=Decimal("0.10")),
        _item("new_customers", "新增開發客戶數量", 7, "ratio", "new_customers", target="new_customers_target",
              when_missing="full"),
        _item("lost_customers", "丟失客戶數量", 5, "deduction", "lost_customers", per_unit=Decimal(2)),
        _item("discipline", "銷售人員行為紀律", 10, "manual", "discipline", when_missing="full"),
        _item("reports", "工作計畫、匯報完成率", 10, "ratio", "reports_done", target="reports_due",
              when_missing="full"),
        _item("requests", "需求資源客戶回覆情況", 10, "ratio", "requests_answered",
              target="requests_received", when_missing="full"),
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
    """The company's scorecard: items (weights total 100), rating bands and pay rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    items: list[ItemRule] = Field(default_factory=_default_items)
    bands: list[Band] = Field(default_factory=_default_bands)
    pay: PayRule = Field(default_factory=PayRule)

    @model_validator(mode="after")
    def _consistent(self) -> "AppraisalSettings":
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
        if any(a < b for a, b in zip(limits, limits[1:])):  # type: ignore[operator]
            raise ValueError("rating bands must be listed from the highest score down")
        return self


@dataclass(frozen=True)
class ItemScore:
    """One scored item: ``measure`` is the ratio (ratio items), the count (deduction) or the
    points given (manual); ``None`` when it was not known."""

    key: str
    name: str
    weight: Decimal
    measure: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class Scorecard:
    """The scored card: items in settings order, their total, pay factor and rating."""

    items: list[ItemScore]
    total: Decimal
    pay_factor: Decimal
    rating: str


def _round(x: Decimal) -> Decimal:
    return x.quantize(_POINT, rounding=ROUND_HALF_UP)


def _ratio_of(item: ItemRule, m: AppraisalMeasures) -> Decimal | None:
    actual = getattr(m, item.actual)
    target = getattr(m, item.target) if item.target is not None else item.target_value
    if actual is None or target is None or target == 0:
        return None
    return Decimal(actual) / Decimal(target)


def score(settings: AppraisalSettings, measures: AppraisalMeasures, source: str = "appraisal") -> Scorecard:
    """Score one card.

    :param source: names the measures' origin in the error for a manual score out of range.
    :raises DataError: a manual score below 0 or above its item's weight.
    """
    by_key = {i.key: i for i in settings.items}
    problems: list[Problem] = []
    items: list[ItemScore] = []
    for item in settings.items:
        measure: Decimal | None
        if item.rule == "ratio":
            measure = _ratio_of(item, measures)
            if measure is None and item.fallback is not None:
                measure = _ratio_of(by_key[item.fallback], measures)
            points = None if measure is None else item.weight * max(min(measure, item.cap), Decimal(0))
        elif item.rule == "deduction":
            count = getattr(measures, item.actual)
            measure = None if count is None else Decimal(count)
            points = None if measure is None else max(item.weight - item.per_unit * measure, Decimal(0))  # type: ignore[operator]
        else:
            given = getattr(measures, item.actual)
            measure = None if given is None else Decimal(given)
            points = measure
            if measure is not None and not 0 <= measure <= item.weight:
                problems.append(Problem(source, None, item.actual,
                                        f"{item.name}: points must be between 0 and {item.weight}, got {measure}"))
        if points is None:
            points = item.weight if item.when_missing == "full" else Decimal(0)
        items.append(ItemScore(item.key, item.name, item.weight, measure, _round(points)))
    if problems:
        raise DataError("", problems)
    total = sum((i.points for i in items), Decimal(0))
    return Scorecard(items, total, pay_factor(total, settings.pay), rating(total, settings))


def pay_factor(total: Decimal, rule: PayRule | None = None) -> Decimal:
    """The performance-pay factor for a total score: 85 → 1.00, 90 → 1.05, 80 → 0.95, ≤70 → 0.85."""
    rule = rule or PayRule()
    diff = Decimal(total) - rule.base
    if diff >= 0:
        return Decimal(1) + diff * rule.rise_per_point
    return max(Decimal(1) + diff * rule.fall_per_point, Decimal(1) - rule.max_fall)


def rating(total: Decimal, settings: AppraisalSettings | None = None) -> str:
    """The rating band's label for a total score (see the module docstring for the edges)."""
    bands = (settings or AppraisalSettings()).bands
    for band in bands:
        if band.above is None:
            return band.label
        if total > band.above or (band.inclusive and total == band.above):
            return band.label
    return bands[-1].label  # pragma: no cover - the validator guarantees a catch-all band
