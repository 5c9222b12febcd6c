"""Channel quotas (篇1) and monthly-vs-annual tasks (篇4): recompute, compare, warn with both numbers.

A channel's quota is ``units × rate per unit per month × months``.  ``units`` is what the rate is
*per*: salespeople for "每人每月" (篇1's 直營店 and 大中型客戶 rates), outlets for "每家每月"
(篇1's 經銷商) — not necessarily the number of stores or customers the channel has.
篇1's quotas all come out as stated with 4 units over 6 months::

    直營店      4人 × 7.5萬 × 6個月 = 180萬
    大中型客戶  4人 × 30萬  × 6個月 = 720萬
    經銷商      4家 × 8萬   × 6個月 = 192萬      合計 1,092萬

while its period, 6–12月, has 7 months.  Nothing is corrected silently: every mismatch is a
warning in Traditional Chinese showing both numbers (amounts without trailing zeros, with
thousands separators, followed by the unit given, e.g. 萬).  The texts are::

    {name}: {units}{unit_label} × {rate}{unit} × {months}個月 = {quota}{unit}, 計畫定額 {stated}{unit}
        … followed by " (計畫定額相當於{k}個月)" when the stated quota is a whole number k of months
    {name}: 定額按{months}個月計算, 計畫期間為{period}個月
        ({units}{unit_label} × {rate}{unit} × {period}個月 = {x}{unit})
    各渠道定額合計 {sum}{unit}, 期間目標 {target}{unit}, 相差 {difference}{unit}
    每月{monthly}{unit} × {months}個月 = {product}{unit}, 年度任務 {annual}{unit} (平均每月需 {needed}{unit})
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Channel:
    """One sales channel and how its quota is stated.

    :param name: e.g. ``直營店``, ``大中型客戶``, ``經銷商``.
    :param units: how many of what the rate is per (salespeople for 每人每月, outlets for 每家每月).
    :param rate_per_unit_month: the quota of one unit for one month, e.g. ``Decimal("7.5")`` (萬).
    :param months: the months the quota is computed over, or ``None`` for the whole period.
    :param stated_quota: the quota the plan states, e.g. ``Decimal(180)``, or ``None`` if it only gives the rate.
    :param unit_label: what a unit is counted in, shown after ``units`` in warnings: ``人``, ``家``, or empty.
    """

    name: str
    units: int
    rate_per_unit_month: Decimal
    months: int | None = None
    stated_quota: Decimal | None = None
    unit_label: str = ""

    def quota(self, months_in_period: int) -> Decimal:
        """``units × rate × months`` (the channel's own months, else the period's).

        :param months_in_period: the months of the plan's period.
        """
        return self.quota_over(self.months if self.months is not None else months_in_period)

    def quota_over(self, months: int) -> Decimal:
        """``units × rate × months`` for the months given.

        :param months: how many months.
        """
        return self.units * self.rate_per_unit_month * months


@dataclass(frozen=True)
class ChannelCheck:
    """The recomputed channel quotas and what does not add up.

    :param quotas: channel name → computed quota (units × rate × months).
    :param computed_total: the sum of the computed quotas.
    :param planned_total: the sum of each channel's stated quota, or its computed one where none is stated.
    :param period_target: the target the channels must add up to.
    :param warnings: one text per mismatch, in channel order, the total last.
    """

    quotas: dict[str, Decimal]
    computed_total: Decimal
    planned_total: Decimal
    period_target: Decimal
    warnings: tuple[str, ...]


def check_channels(
    channels: Sequence[Channel], period_target: Decimal, months_in_period: int, unit: str = "萬"
) -> ChannelCheck:
    """Recompute every channel's quota and compare with its stated quota, the period and the target.

    :param channels: the channels, in the order the plan lists them.
    :param period_target: the period's sales target, e.g. ``Decimal(1092)``.
    :param months_in_period: how many months the period has (6–12月 → 7).
    :param unit: the money unit appended to amounts in warnings, e.g. ``萬`` or ``元``.
    """
    quotas = {c.name: c.quota(months_in_period) for c in channels}
    warnings = [w for c in channels for w in _channel_warnings(c, months_in_period, unit)]
    planned_total = sum((c.stated_quota if c.stated_quota is not None else quotas[c.name] for c in channels),
                        Decimal(0))
    if planned_total != period_target:
        warnings.append(f"各渠道定額合計 {_plain(planned_total)}{unit}, 期間目標 {_plain(period_target)}{unit}, "
                        f"相差 {_plain(planned_total - period_target)}{unit}")
    return ChannelCheck(quotas, sum(quotas.values(), Decimal(0)), planned_total, period_target, tuple(warnings))


def _channel_warnings(channel: Channel, months_in_period: int, unit: str) -> list[str]:
    warnings = []
    months = channel.months if channel.months is not None else months_in_period
    if months != months_in_period:
        warnings.append(f"{channel.name}: 定額按{months}個月計算, 計畫期間為{months_in_period}個月 "
                        f"({_product(channel, months_in_period, unit)})")
    stated = channel.stated_quota
    if stated is not None and stated != channel.quota(months_in_period):
        text = f"{channel.name}: {_product(channel, months, unit)}, 計畫定額 {_plain(stated)}{unit}"
        implied = _implied_months(channel, stated)
        if implied is not None:
            text += f" (計畫定額相當於{implied}個月)"
        warnings.append(text)
    return warnings


def _product(channel: Channel, months: int, unit: str) -> str:
    return (f"{channel.units}{channel.unit_label} × {_plain(channel.rate_per_unit_month)}{unit} × {months}個月"
            f" = {_plain(channel.quota_over(months))}{unit}")


def _implied_months(channel: Channel, stated: Decimal) -> int | None:
    per_month = channel.units * channel.rate_per_unit_month
    if per_month == 0:
        return None
    months = stated / per_month
    return int(months) if months == months.to_integral_value() and months > 0 else None


def check_monthly_vs_annual(monthly: Decimal, annual: Decimal, months: int = 12, unit: str = "") -> str | None:
    """Compare a monthly task × months with the annual task (篇4: 500噸 × 12 = 6,000噸 vs 7,000噸).

    :param monthly: the monthly task, e.g. ``Decimal(500)``.
    :param annual: the annual task, e.g. ``Decimal(7000)``.
    :param months: the months of the year the monthly task applies to.
    :param unit: appended to every figure, e.g. ``噸``, ``套``, ``萬``.
    :return: the warning text, or ``None`` when they agree.
    """
    product = monthly * months
    if product == annual:
        return None
    needed = (annual / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return (f"每月{_plain(monthly)}{unit} × {months}個月 = {_plain(product)}{unit}, 年度任務 {_plain(annual)}{unit}"
            f" (平均每月需 {_plain(needed)}{unit})")


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():,f}"
