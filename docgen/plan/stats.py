"""Month-end statistics (SPEC §4.8): sales by salesperson, region, channel, tier, company; visits.

Pure arithmetic on ledger lines and plan facts.  Ratios are exact :class:`~decimal.Decimal`
quotients; a ratio whose base is zero or missing is ``None`` (shown as "—" by
:func:`format_ratio`), never an exception or an infinity.

Attribution, so that every total is the sum of its parts:

* a sale counts for the salesperson on the line, that person's region, the line's channel and
  the customer's tier; region = sum of its salespeople, company = sum of the regions;
* a *new* customer (first purchase ever in the month, judged on every line given) counts where
  its first line of the month counts;
* a *lost* customer (status active, bought before, nothing in the last N months ending with
  this month) counts for its owner, the owner's region (else the customer's), the channel of
  its last purchase and its tier;
* targets are per salesperson and month; a region's target is the sum of its salespeople's,
  the company's the sum of the regions'; channels have a target only when given; tiers none.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from docgen.data.ledger import SaleLine, VisitLine
from docgen.plan.fiscal import FiscalYear

__all__ = [
    "Customer", "CustomerRow", "OverdueCustomer", "Person", "SalesRow", "SalesStats", "VisitRow",
    "VisitStats", "format_ratio", "growth", "months_between", "ratio", "sales_stats", "visit_stats",
]

Month = tuple[int, int]
UNASSIGNED = "—"
#: key prefix of the row holding a region's target that no salesperson carries
UNASSIGNED_TARGET = "未分配"


class Person(Protocol):
    """What statistics need of a salesperson (the plan's person model has these attributes)."""

    id: str
    name: str
    region: str


class Customer(Protocol):
    """What statistics need of a customer; ``status`` is prospect / active / lost."""

    id: str
    name: str
    region: str
    owner: str
    tier: str | None
    status: str


# ---------------------------------------------------------------- small arithmetic

def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """``part / whole``, or ``None`` when either is missing or ``whole`` is zero."""
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) / Decimal(whole)


def growth(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """Growth rate ``(now - before) / before``; ``None`` without a (non-zero) base."""
    if now is None or before is None:
        return None
    return ratio(now - before, before)


def format_ratio(x: Decimal | None) -> str:
    """``Decimal("0.85")`` → ``"85.0%"``; ``None`` → ``"—"`` (rounded half up)."""
    if x is None:
        return "—"
    return f"{(x * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def months_between(earlier: Month, later: Month) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (2026-04 → 2026-06 is 2)."""
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


def _shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def _month_of(date: dt.date) -> Month:
    return date.year, date.month


# ---------------------------------------------------------------- sales

@dataclass(frozen=True)
class SalesRow:
    """One line of 月銷售統計表: a salesperson, region, channel, tier or the company.

    Money is Decimal in 元; ratios are Decimal fractions (0.85 = 85%) or ``None``.
    :param previous: actual of the previous month (the base of ``mom``).
    :param last_year: actual of the same month last year, ``None`` when no ledger line of
        that month was given at all.
    """

    key: str
    label: str
    target: Decimal | None
    actual: Decimal
    completion: Decimal | None
    ytd_actual: Decimal
    ytd_target: Decimal | None
    ytd_completion: Decimal | None
    previous: Decimal
    mom: Decimal | None
    last_year: Decimal | None
    yoy: Decimal | None
    orders: int
    new_customers: int
    lost_customers: int
    region: str | None = None


@dataclass(frozen=True)
class CustomerRow:
    """A top customer of the month: its sales and share of the total."""

    key: str
    label: str
    actual: Decimal
    share: Decimal | None
    orders: int


@dataclass(frozen=True)
class SalesStats:
    """Everything 月銷售統計表 shows for one month and scope."""

    month: Month
    by_salesperson: list[SalesRow]
    by_region: list[SalesRow]
    by_channel: list[SalesRow]
    by_tier: list[SalesRow]
    total: SalesRow
    top_customers: list[CustomerRow]
    new_customer_ids: list[str]
    lost_customer_ids: list[str]


class _Grouping:
    """How one table groups lines, customers and targets."""

    def __init__(self, of_line: Callable[[SaleLine], str], of_lost: Callable[[Customer, SaleLine], str],
                 targets: Callable[[str, Month], Decimal | None]) -> None:
        self.of_line, self.of_lost, self.targets = of_line, of_lost, targets


class _Attribution:
    """Who a line, a lost customer and a target belong to, for one report's scope.

    :param fiscal: the fiscal year of the report's month (a region's unassigned part is looked for in it).
    :param region: the region reported on, or ``None`` for the company.
    :param region_targets: region → month → the region's whole target, where given.
    """

    def __init__(self, fiscal: FiscalYear, targets: Mapping[str, Mapping[Month, Decimal]], people: Sequence[Person],
                 customers: Sequence[Customer], region: str | None,
                 channel_targets: Mapping[str, Mapping[Month, Decimal]] | None,
                 region_targets: Mapping[str, Mapping[Month, Decimal]] | None) -> None:
        self.targets, self.region = targets, region
        self.channel_targets, self.region_targets = channel_targets or {}, region_targets
        self.person_by_id = {p.id: p for p in people}
        self.customer_by_id = {c.id: c for c in customers}
        self.people = [p for p in people if region is None or p.region == region]
        self.regions = list(dict.fromkeys(
            [p.region for p in self.people] + [r for r in (region_targets or {}) if region is None or r == region]))
        #: row key → region, for each region with a target part that no salesperson carries
        self.unassigned_keys = {f"{UNASSIGNED_TARGET}:{r}": r for r in self.regions
                                if any(self.unassigned(r, m) for m in fiscal.months)}

    def person_region(self, person_id: str) -> str:
        p = self.person_by_id.get(person_id)
        return p.region if p is not None else UNASSIGNED

    def tier_of(self, customer_id: str) -> str:
        c = self.customer_by_id.get(customer_id)
        return (c.tier if c is not None and c.tier else "未分級")

    def in_scope(self, person_id: str) -> bool:
        return self.region is None or self.person_region(person_id) == self.region

    def lost_owner(self, c: Customer, ln: SaleLine) -> str:
        # the owner answers for the customer; if the owner is unknown, whoever sold to it last
        return c.owner if c.owner in self.person_by_id else ln.salesperson

    def lost_region(self, c: Customer, ln: SaleLine) -> str:
        owner = self.lost_owner(c, ln)
        return self.person_by_id[owner].region if owner in self.person_by_id else (c.region or UNASSIGNED)

    def people_target(self, key: str, m: Month) -> Decimal | None:
        return _sum_known(self.targets.get(p.id, {}).get(m) for p in self.people if p.region == key)

    def region_target(self, key: str, m: Month) -> Decimal | None:
        if self.region_targets is not None and key in self.region_targets:
            return self.region_targets[key].get(m)
        return self.people_target(key, m)

    def unassigned(self, key: str, m: Month) -> Decimal | None:
        whole = self.region_target(key, m)
        return None if whole is None else whole - (self.people_target(key, m) or Decimal(0))

    def person_target(self, key: str, m: Month) -> Decimal | None:
        if key in self.unassigned_keys:
            return self.unassigned(self.unassigned_keys[key], m)
        return self.targets.get(key, {}).get(m)

    def channel_target(self, key: str, m: Month) -> Decimal | None:
        return self.channel_targets.get(key, {}).get(m)

    def total_target(self, key: str, m: Month) -> Decimal | None:
        return _sum_known(self.region_target(r, m) for r in self.regions)

    def groupings(self) -> dict[str, _Grouping]:
        """How each table of the report groups: by salesperson, region, channel, tier, and the total."""
        return {
            "salesperson": _Grouping(lambda ln: ln.salesperson, self.lost_owner, self.person_target),
            "region": _Grouping(lambda ln: self.person_region(ln.salesperson), self.lost_region,
                                self.region_target),
            "channel": _Grouping(lambda ln: ln.channel or UNASSIGNED, lambda c, ln: ln.channel or UNASSIGNED,
                                 self.channel_target),
            "tier": _Grouping(lambda ln: self.tier_of(ln.customer), lambda c, ln: self.tier_of(c.id),
                              lambda k, m: None),
            "total": _Grouping(lambda ln: "total", lambda c, ln: "total", self.total_target),
        }


def sales_stats(month: Month, lines: Iterable[SaleLine], targets: Mapping[str, Mapping[Month, Decimal]],
                people: Sequence[Person], customers: Sequence[Customer], *,
                region: str | None = None, region_names: Mapping[str, str] | None = None,
                channel_targets: Mapping[str, Mapping[Month, Decimal]] | None = None,
                region_targets: Mapping[str, Mapping[Month, Decimal]] | None = None,
                lost_after_months: int = 3, top: int = 10, fiscal_start: int = 1) -> SalesStats:
    """Compute the month's sales statistics.

    :param month: ``(year, month)`` of the report.
    :param lines: every ledger line available: this year's months up to ``month`` and any earlier
        history (last year's same month for YoY; more for telling new customers from old).
        Lines after ``month`` are ignored.
    :param targets: salesperson id → ``(year, month)`` → target amount.
    :param people: everyone on the teams (id, name, region); their order is the table's order.  Only
        those in ``targets`` get a row of their own whatever they sold; the others when they sold.
    :param customers: the customer master (id, name, region, owner, tier, status).
    :param region: restrict the figures to this region's salespeople (``None``: company).
        New/lost customers are still judged on every line.
    :param region_names: region id → display name.
    :param channel_targets: optional channel → month → target.
    :param region_targets: optional region → month → the region's whole target.  When given, a
        region's and the total's targets are these (not the sum of its people's), and the part of a
        region's target no salesperson carries is a row of its own, 「未分配（華東區）」, among
        the salespeople, so the rows still add up to the total.
    :param lost_after_months: N of the lost-customer rule (at least 1).
    :param top: how many top customers to list.
    :param fiscal_start: the fiscal year's first month: YTD runs from it (2026-08 … 2027-03 from August).
    """
    if lost_after_months < 1:
        raise ValueError("lost_after_months must be at least 1")
    fiscal = FiscalYear.of_month(month, fiscal_start)
    lines = [ln for ln in lines if _month_of(ln.date) <= month]
    region_names = dict(region_names or {})
    at = _Attribution(fiscal, targets, people, customers, region, channel_targets, region_targets)

    # first purchase ever and last purchase, over every line given
    first: dict[str, SaleLine] = {}
    last: dict[str, SaleLine] = {}
    for ln in sorted(lines, key=lambda x: (x.date, x.row)):
        first.setdefault(ln.customer, ln)
        last[ln.customer] = ln
    new_ids = sorted(
        c for c, ln in first.items() if _month_of(ln.date) == month and at.in_scope(ln.salesperson))

    window_start = _shift(month, -(lost_after_months - 1))
    lost: list[tuple[Customer, SaleLine]] = []
    for c in customers:
        ln = last.get(c.id)
        if c.status == "active" and ln is not None and _month_of(ln.date) < window_start \
                and at.in_scope(at.lost_owner(c, ln)):
            lost.append((c, ln))
    lost_ids = sorted(c.id for c, _ in lost)

    scoped = [ln for ln in lines if at.in_scope(ln.salesperson)]
    have_last_year = any(_month_of(ln.date) == (month[0] - 1, month[1]) for ln in lines)
    groupings = at.groupings()
    new_lines = [first[c] for c in new_ids]

    def table(name: str, keys: Iterable[str], label: Callable[[str], str]) -> list[SalesRow]:
        g = groupings[name]
        # rows for everyone given, then for anyone else who sold this fiscal year or lost a customer
        seen = {g.of_line(ln) for ln in scoped if fiscal.contains(_month_of(ln.date))} \
            | {g.of_lost(c, ln) for c, ln in lost}
        keys = list(dict.fromkeys(list(keys) + sorted(seen)))
        return [_sales_row(key, label(key), g, month, fiscal, scoped, new_lines, lost, have_last_year,
                           region=(at.unassigned_keys.get(key) or at.person_region(key)) if name == "salesperson"
                           else None)
                for key in keys]

    names = {p.id: p.name for p in people}
    names.update({k: f"未分配（{region_names.get(r, r)}）" for k, r in at.unassigned_keys.items()})
    # the people given a target (a promoter or clerk without one is listed only if they sold)
    by_person = table("salesperson", [p.id for p in at.people if p.id in targets] + list(at.unassigned_keys),
                      lambda k: names.get(k, k))
    by_region = table("region", at.regions, lambda k: region_names.get(k, k))
    by_channel = table("channel", at.channel_targets.keys(), lambda k: k)
    by_tier = table("tier", [], lambda k: k)
    total = _sales_row("total", region_names.get(region, region) if region else "合計",
                       groupings["total"], month, fiscal, scoped, new_lines, lost, have_last_year)
    return SalesStats(month, by_person, by_region, by_channel, by_tier, total,
                      _top_customers(month, scoped, at.customer_by_id, total.actual, top), new_ids, lost_ids)


def _sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the values given, ``None`` when none is given (no target is not a zero target)."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def _sales_row(key: str, label: str, g: _Grouping, month: Month, fiscal: FiscalYear, lines: list[SaleLine],
               new_lines: list[SaleLine], lost: list[tuple[Customer, SaleLine]],
               have_last_year: bool, region: str | None = None) -> SalesRow:
    mine = [ln for ln in lines if g.of_line(ln) == key]

    def actual_in(m: Month) -> Decimal:
        return sum((ln.amount for ln in mine if _month_of(ln.date) == m), Decimal(0))

    this = [ln for ln in mine if _month_of(ln.date) == month]
    actual = actual_in(month)
    target = g.targets(key, month)
    ytd_months = fiscal.ytd(month)
    ytd_actual = sum((actual_in(m) for m in ytd_months), Decimal(0))
    ytd_target = _sum_known(g.targets(key, m) for m in ytd_months)
    previous = actual_in(_shift(month, -1))
    last_year = actual_in((month[0] - 1, month[1])) if have_last_year else None
    return SalesRow(
        key=key, label=label, target=target, actual=actual, completion=ratio(actual, target),
        ytd_actual=ytd_actual, ytd_target=ytd_target, ytd_completion=ratio(ytd_actual, ytd_target),
        previous=previous, mom=growth(actual, previous), last_year=last_year, yoy=growth(actual, last_year),
        orders=len({ln.order_id for ln in this if not ln.is_return}),
        new_customers=sum(1 for ln in new_lines if g.of_line(ln) == key),
        lost_customers=sum(1 for c, ln in lost if g.of_lost(c, ln) == key),
        region=region)


def _top_customers(month: Month, lines: list[SaleLine], customers: Mapping[str, Customer],
                   total: Decimal, top: int) -> list[CustomerRow]:
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    orders: dict[str, set[str]] = defaultdict(set)
    for ln in lines:
        if _month_of(ln.date) == month:
            amounts[ln.customer] += ln.amount
            if not ln.is_return:
                orders[ln.customer].add(ln.order_id)
    ranked = sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [CustomerRow(cid, customers[cid].name if cid in customers else cid, amount,
                        ratio(amount, total), len(orders[cid])) for cid, amount in ranked]


# ---------------------------------------------------------------- visits

@dataclass(frozen=True)
class VisitRow:
    """One line of 月訪客戶統計表 (a salesperson, a tier, or the total).

    :param planned: customers on the month's visit plan.
    :param done: planned customers visited at least once (revisits do not inflate completion).
    :param visits: every visit of the month (kind visit), planned or not.
    :param completion: ``done / planned``.
    :param new_customer_visits: visits to prospects (status prospect).
    :param overdue: customers past their cadence at month end.
    :param existing_planned: of ``planned``, the customers (not prospects): the scorecard's base.
    :param existing_done: of ``done``, the customers (not prospects).
    """

    key: str
    label: str
    planned: int
    done: int
    visits: int
    completion: Decimal | None
    calls: int
    new_customer_visits: int
    overdue: int
    existing_planned: int = 0
    existing_done: int = 0


@dataclass(frozen=True)
class OverdueCustomer:
    """A customer whose visit cadence ran out without a visit (never visited: ``last_visit`` None)."""

    customer: str
    label: str
    owner: str
    tier: str
    cadence: int
    last_visit: dt.date | None
    months_since: int | None


@dataclass(frozen=True)
class VisitStats:
    """Everything 月訪客戶統計表 shows for one month and scope."""

    month: Month
    by_salesperson: list[VisitRow]
    by_tier: list[VisitRow]
    total: VisitRow
    overdue: list[OverdueCustomer]


def visit_stats(month: Month, visits: Iterable[VisitLine], planned: Mapping[str, Sequence[str]],
                people: Sequence[Person], customers: Sequence[Customer],
                cadence: Mapping[str, int | None], last_visits: Mapping[str, dt.date],
                labels: Mapping[str, str] | None = None) -> VisitStats:
    """Compute the month's visit statistics.

    :param visits: the month's visit log (lines of other months are ignored).
    :param planned: salesperson id → customer ids on the month's visit plan.
    :param people: the salespeople in scope, in table order; visits by others are ignored.
    :param customers: the customer master.
    :param cadence: tier → months between visits (``None`` or absent: no cadence, never overdue).
    :param last_visits: customer id → last visit *before* this month (absent: never visited).
    :param labels: customer id → the row of the by-tier table it counts in (default: its tier),
        e.g. the visit plan's class ``A類`` for a prospect planned.
    A customer is overdue at month end when it is active, its tier has a cadence, and it was
    not visited this month although ``months since its last visit ≥ cadence`` (or never visited).
    """
    scope = {p.id for p in people}
    customer_by_id = {c.id: c for c in customers}
    month_visits = [v for v in visits if _month_of(v.date) == month and v.salesperson in scope]

    def tier_of(customer_id: str) -> str:
        if labels and customer_id in labels:
            return labels[customer_id]
        c = customer_by_id.get(customer_id)
        return c.tier if c is not None and c.tier else "未分級"

    visited_now: dict[str, dt.date] = {}
    for v in month_visits:
        if v.kind == "visit":
            visited_now[v.customer] = max(v.date, visited_now.get(v.customer, v.date))
    overdue: list[OverdueCustomer] = []
    for c in customers:
        every = cadence.get(c.tier) if c.tier else None
        if c.status != "active" or not every or c.owner not in scope or c.id in visited_now:
            continue
        before = last_visits.get(c.id)
        since = months_between(_month_of(before), month) if before is not None else None
        if since is None or since >= every:
            overdue.append(OverdueCustomer(c.id, c.name, c.owner, c.tier or "", every, before, since))

    # (salesperson, customer) pairs planned; a customer planned twice counts once
    plan_pairs = [(p.id, cid) for p in people for cid in dict.fromkeys(planned.get(p.id, ()))]
    visited_pairs = {(v.salesperson, v.customer) for v in month_visits if v.kind == "visit"}

    def is_prospect(customer_id: str) -> bool:
        return customer_id in customer_by_id and customer_by_id[customer_id].status == "prospect"

    def row(key: str, label: str, keep_pair: Callable[[str, str], bool],
            keep_customer: Callable[[str, str], bool]) -> VisitRow:
        pairs = [(p, c) for p, c in plan_pairs if keep_pair(p, c)]
        mine = [v for v in month_visits if keep_customer(v.salesperson, v.customer)]
        done = sum(1 for pair in pairs if pair in visited_pairs)
        existing = [pair for pair in pairs if not is_prospect(pair[1])]
        return VisitRow(
            key=key, label=label, planned=len(pairs), done=done,
            visits=sum(1 for v in mine if v.kind == "visit"), completion=ratio(done, len(pairs)),
            calls=sum(1 for v in mine if v.kind == "call"),
            new_customer_visits=sum(1 for v in mine if v.kind == "visit" and is_prospect(v.customer)),
            overdue=sum(1 for o in overdue if keep_customer(o.owner, o.customer)),
            existing_planned=len(existing), existing_done=sum(1 for pair in existing if pair in visited_pairs))

    by_person = [row(p.id, p.name, lambda s, c, pid=p.id: s == pid, lambda s, c, pid=p.id: s == pid)
                 for p in people]
    tiers = list(dict.fromkeys(
        [t for t in cadence] + sorted({tier_of(c) for _, c in plan_pairs} | {tier_of(v.customer) for v in month_visits})))
    by_tier = [row(t, t, lambda s, c, t=t: tier_of(c) == t, lambda s, c, t=t: tier_of(c) == t) for t in tiers]
    total = row("total", "合計", lambda s, c: True, lambda s, c: True)
    return VisitStats(month, by_person, by_tier, total, overdue)
