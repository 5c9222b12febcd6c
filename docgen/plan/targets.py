"""Task (任務, the floor) vs target (目標, the stretch), and a target's share of the market.

Both return exact, unrounded ratios (``Decimal("1.25")`` for 125%); rounding for display is the
document's business.  篇3 writes 5萬 / 40萬 = 12.5% as "約占13%": that is 12.5% rounded half up.
"""
from __future__ import annotations

from decimal import Decimal


def target_ratio(task: Decimal, target: Decimal) -> Decimal | None:
    """Target / task (篇2: 700萬 / 560萬 = 1.25), or ``None`` when the task is 0.

    :param task: the 任務 amount or quantity.
    :param target: the 目標 amount or quantity, in the same unit.
    """
    return _ratio(target, task)


def share(target: Decimal, capacity: Decimal) -> Decimal | None:
    """Market share of a target (篇3: 5萬套 / 40萬套 = 0.125), or ``None`` when the capacity is 0.

    :param target: the sales target, e.g. in sets.
    :param capacity: the market's capacity, in the same unit.
    """
    return _ratio(target, capacity)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)
