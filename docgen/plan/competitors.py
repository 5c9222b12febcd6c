"""Competitors in 市場分析 (篇3: 格力、美的、海爾 and 格蘭仕's own 2.8%; 篇4: 金健、北大荒、福臨門、金龍魚)."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


def share_total_warning(shares: Iterable[Decimal | None]) -> str | None:
    """A warning when the competitors' stated market shares add up to more than the whole market.

    Shares are fractions (0.35 is 35%); a competitor without a share counts for nothing.
    """
    total = sum((s for s in shares if s is not None), Decimal(0))
    if total <= 1:
        return None
    shown = (total * 100).quantize(Decimal("0.1"))
    return f"主要競爭對手的市場份額合計 {shown}%，超過 100%，請核對"


__all__ = ["share_total_warning"]
