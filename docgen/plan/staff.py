"""Who carries a sales target, and the own targets of those who do not (篇3's promoters, 篇4's clerk).

A promoter stands in a store and a clerk keeps the figures: neither is given a share of the region's
sales target, so neither is scored, ranked or listed as failing one.  Which roles carry no target is
the workspace's rule (``rules.no_quota_roles`` in docgen.yaml, by default 促銷員 and 文員); a person of such a role
who is given a ``monthly_quota`` of their own carries it all the same (篇1's store staff at 7.5萬).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class _Staff(Protocol):
    @property
    def role(self) -> str: ...

    @property
    def monthly_quota(self) -> Decimal | None: ...


class _Fold(Protocol):
    def __call__(self, value: str, /) -> str: ...


class _OwnTarget(Protocol):
    @property
    def item(self) -> str: ...

    @property
    def per_month(self) -> Decimal: ...

    @property
    def unit(self) -> str | None: ...


def carries_quota(person: _Staff, no_quota_roles: Iterable[str], fold: _Fold) -> bool:
    """Whether ``person`` takes a share of the region's sales target.

    :param no_quota_roles: the roles that carry none unless the person has a ``monthly_quota``.
    :param fold: how role names compare (one script, any width), e.g. ``促销员`` is ``促銷員``.
    """
    if person.monthly_quota is not None:
        return True
    return fold(person.role) not in {fold(role) for role in no_quota_roles}


@dataclass(frozen=True)
class OwnTarget:
    """One target of a person without a sales quota: ``培訓 4節`` a month, ``門店銷量 20套``."""

    item: str
    per_month: Decimal
    unit: str


def own_targets(role: str, personal: Sequence[_OwnTarget], by_role: Mapping[str, Sequence[_OwnTarget]],
                fold: _Fold) -> list[OwnTarget]:
    """The person's own targets: the region's targets for their role, an item the person states
    themselves replacing the role's item of that name."""
    role_items = next((items for name, items in by_role.items() if fold(name) == fold(role)), ())
    mine = {t.item: t for t in personal}
    merged = [mine.pop(t.item, t) for t in role_items] + list(mine.values())
    return [OwnTarget(t.item, t.per_month, t.unit or "") for t in merged]


__all__ = ["OwnTarget", "carries_quota", "own_targets"]
