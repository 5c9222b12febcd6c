"""Month-end statistics on a small hand-made ledger; expected figures worked out by hand."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.data.ledger import SaleLine, VisitLine
from docgen.plan.stats import format_ratio, growth, months_between, ratio, sales_stats, visit_stats


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    region: str


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    region: str
    owner: str
    tier: str | None
    status: str = "active"


def sum_all(figures: Iterable[D | None]) -> D:
    """The sum of figures that must all be there (every row here has a target)."""
    present = list(figures)
    assert None not in present
    return sum((f for f in present if f is not None), D(0))


JUNE = (2026, 6)
PEOPLE = [Person("P1", "張偉", "E"), Person("P2", "李娜", "E"), Person("P3", "王強", "S")]
CUSTOMERS = [
    Customer("A", "華美彩印", "E", "P1", "VIP"),
    Customer("B", "金鼎禮盒", "E", "P1", "一級"),
    Customer("C", "永興包裝", "E", "P2", "二級"),
    Customer("D", "齊魯印務", "S", "P3", "VIP"),
    Customer("E", "東方紙品", "E", "P2", "一級"),          # last bought in February: lost
    Customer("F", "泰山禮品", "S", "P3", "其他"),          # first bought in June: new
    Customer("G", "新潛客", "E", "P1", None, "prospect"),
    Customer("H", "從未下單", "E", "P1", "其他"),          # never bought: not lost
    Customer("X", "早已流失", "S", "P3", "二級", "lost"),   # status lost already: not counted again
]
REGIONS = {"E": "華東區", "S": "山東區"}

_row = iter(range(2, 1000))


def sale(date: str, order: str, customer: str, person: str, channel: str, amount: str,
         product: str = "白膠") -> SaleLine:
    a = D(amount)
    return SaleLine(dt.date.fromisoformat(date), order, customer, person, channel, product, None, a,
                    next(_row), is_return=a < 0)


LAST_YEAR = [
    sale("2025-06-10", "LY1", "A", "P1", "直營", "1000"),
    sale("2025-06-11", "LY2", "D", "P3", "K/A", "500"),
    sale("2025-03-01", "LY3", "X", "P3", "K/A", "50"),
]
THIS_YEAR = [
    sale("2026-01-15", "J1", "B", "P1", "K/A", "100"),
    sale("2026-02-10", "F1", "E", "P2", "代理商", "300"),
    sale("2026-05-05", "M1", "A", "P1", "直營", "800"),
    sale("2026-05-06", "M2", "C", "P2", "代理商", "200"),
    sale("2026-05-07", "M3", "D", "P3", "K/A", "400"),
    sale("2026-06-01", "SO1", "A", "P1", "直營", "1000"),
    sale("2026-06-01", "SO1", "A", "P1", "直營", "200", product="熱熔膠"),
    sale("2026-06-02", "SO2", "B", "P1", "K/A", "500"),
    sale("2026-06-03", "SO3", "B", "P1", "K/A", "-100"),     # a return: counts in amounts, not in orders
    sale("2026-06-04", "SO4", "C", "P2", "代理商", "300"),
    sale("2026-06-05", "SO5", "D", "P3", "K/A", "600"),
    sale("2026-06-06", "SO6", "F", "P3", "直營", "400"),
    sale("2026-07-01", "FUT", "A", "P1", "直營", "9999"),    # after the month: ignored
]
TARGETS = {
    "P1": {(2026, m): D(1000) for m in range(1, 7)},
    "P2": {**{(2026, m): D(500) for m in range(1, 6)}, (2026, 6): D(0)},   # June target zero
    # P3 has no target at all
}


def stats(lines=LAST_YEAR + THIS_YEAR, **kw):
    return sales_stats(JUNE, lines, TARGETS, PEOPLE, CUSTOMERS, region_names=REGIONS, **kw)


def by_key(rows):
    return {r.key: r for r in rows}


def test_salesperson_rows():
    s = by_key(stats().by_salesperson)
    p1, p2, p3 = s["P1"], s["P2"], s["P3"]
    # P1: June 1000 + 200 + 500 - 100 = 1600 against 1000
    assert (p1.target, p1.actual, p1.completion) == (D(1000), D(1600), D("1.6"))
    # YTD 100 + 800 + 1600 = 2500 against 6 × 1000
    assert (p1.ytd_actual, p1.ytd_target, p1.ytd_completion) == (D(2500), D(6000), D(2500) / D(6000))
    assert (p1.previous, p1.mom) == (D(800), D(1))            # (1600 - 800) / 800
    assert (p1.last_year, p1.yoy) == (D(1000), D("0.6"))      # (1600 - 1000) / 1000
    assert (p1.orders, p1.new_customers, p1.lost_customers) == (2, 0, 0)   # SO1, SO2
    assert p1.label == "張偉" and p1.region == "E"
    # P2: target zero → completion None; no sale last June → yoy None
    assert (p2.actual, p2.target, p2.completion) == (D(300), D(0), None)
    assert (p2.ytd_actual, p2.ytd_target, p2.ytd_completion) == (D(800), D(2500), D("0.32"))
    assert (p2.mom, p2.last_year, p2.yoy) == (D("0.5"), D(0), None)
    assert (p2.orders, p2.lost_customers) == (1, 1)            # E is P2's
    # P3: no target at all → None, not zero
    assert (p3.actual, p3.target, p3.completion, p3.ytd_target, p3.ytd_completion) == (
        D(1000), None, None, None, None)
    assert (p3.ytd_actual, p3.mom, p3.yoy) == (D(1400), D("1.5"), D(1))
    assert (p3.orders, p3.new_customers) == (2, 1)             # F is new


def test_region_company_channel_and_tier_rows():
    result = stats()
    regions = by_key(result.by_region)
    assert regions["E"].label == "華東區"
    assert (regions["E"].actual, regions["E"].target, regions["E"].completion) == (D(1900), D(1000), D("1.9"))
    assert (regions["S"].actual, regions["S"].target, regions["S"].completion) == (D(1000), None, None)
    t = result.total
    assert (t.label, t.actual, t.target, t.completion) == ("合計", D(2900), D(1000), D("2.9"))
    assert (t.ytd_actual, t.ytd_target) == (D(4700), D(8500))   # 2500 + 800 + 1400
    assert t.mom == D(1500) / D(1400)
    assert t.yoy == D(1400) / D(1500)
    assert (t.orders, t.new_customers, t.lost_customers) == (5, 1, 1)
    assert result.new_customer_ids == ["F"] and result.lost_customer_ids == ["E"]
    channels = by_key(result.by_channel)
    assert {k: r.actual for k, r in channels.items()} == {"K/A": D(1000), "代理商": D(300), "直營": D(1600)}
    assert channels["直營"].new_customers == 1 and channels["代理商"].lost_customers == 1
    assert channels["直營"].target is None
    tiers = by_key(result.by_tier)
    assert {k: r.actual for k, r in tiers.items() if r.actual} == {
        "VIP": D(1800), "一級": D(400), "二級": D(300), "其他": D(400)}
    assert tiers["一級"].lost_customers == 1 and tiers["其他"].new_customers == 1
    top = result.top_customers
    assert [(c.key, c.actual) for c in top] == [("A", D(1200)), ("D", D(600)), ("B", D(400)),
                                                ("F", D(400)), ("C", D(300))]
    assert top[0].share == D(1200) / D(2900) and top[0].label == "華美彩印"


def test_without_last_year_yoy_is_none_and_shown_as_dash():
    result = stats(lines=THIS_YEAR)
    assert all(r.yoy is None and r.last_year is None for r in [*result.by_salesperson, result.total])
    assert format_ratio(result.total.yoy) == "—"
    assert format_ratio(result.total.mom) == "107.1%"      # 1500 / 1400 = 1.07142…


def test_region_scope_keeps_history_for_new_and_lost():
    result = stats(region="E")
    assert [r.key for r in result.by_salesperson] == ["P1", "P2"]
    assert [r.key for r in result.by_region] == ["E"]
    t = result.total
    assert (t.label, t.actual, t.target, t.new_customers, t.lost_customers) == ("華東區", D(1900), D(1000), 0, 1)
    assert result.new_customer_ids == [] and result.lost_customer_ids == ["E"]


def test_lost_window_length():
    # with N = 5 the window is February–June: E bought in February, so it is not lost
    assert stats(lost_after_months=5).lost_customer_ids == []
    # with N = 1 only June counts: C (last bought in June) is fine, E lost
    assert stats(lost_after_months=1).lost_customer_ids == ["E"]


def test_zero_and_missing_bases():
    assert ratio(D(1), D(0)) is None
    assert ratio(None, D(5)) is None and ratio(D(5), None) is None
    assert growth(D(5), D(0)) is None and growth(D(5), None) is None
    assert growth(D(0), D(4)) == D(-1)
    assert format_ratio(None) == "—"
    assert format_ratio(D("0.85")) == "85.0%"
    assert format_ratio(D("0.8495")) == "85.0%"          # half up
    assert format_ratio(D("-0.125")) == "-12.5%"
    empty = sales_stats(JUNE, [], {}, PEOPLE, CUSTOMERS)
    assert empty.total.actual == 0 and empty.total.completion is None and empty.total.mom is None
    assert empty.top_customers == [] and empty.by_channel == []


def test_months_between():
    assert months_between((2025, 11), (2026, 2)) == 3
    assert months_between((2026, 6), (2026, 6)) == 0


# ---------------------------------------------------------------- visits

def visit(date: str, person: str, customer: str, kind: str = "visit") -> VisitLine:
    return VisitLine(dt.date.fromisoformat(date), person, customer, kind, "", "", next(_row))


VISITS = [
    visit("2026-06-02", "P1", "A"), visit("2026-06-20", "P1", "A"),   # A twice: one planned customer
    visit("2026-06-03", "P1", "B", "call"),
    visit("2026-06-04", "P1", "G"),                                     # a prospect, not planned
    visit("2026-06-05", "P2", "C"),
    visit("2026-06-06", "P2", "E", "call"), visit("2026-06-07", "P2", "E", "call"),
    visit("2026-05-30", "P2", "E"),                                     # another month: ignored
    visit("2026-06-08", "P3", "D"),                                     # out of scope
]
PLANNED = {"P1": ["A", "B"], "P2": ["C", "E"], "P3": ["D"]}
CADENCE = {"VIP": 1, "一級": 2, "二級": 3, "其他": None}
LAST = {"A": dt.date(2026, 5, 10), "B": dt.date(2026, 4, 1), "C": dt.date(2026, 1, 1)}


def test_visit_stats():
    result = visit_stats(JUNE, VISITS, PLANNED, PEOPLE[:2], CUSTOMERS, CADENCE, LAST)
    p1, p2 = result.by_salesperson
    # P1 planned A, B; visited A (twice) and prospect G; called B
    assert (p1.planned, p1.done, p1.visits, p1.completion, p1.calls, p1.new_customer_visits) == (
        2, 1, 3, D("0.5"), 1, 1)
    assert (p2.planned, p2.done, p2.visits, p2.completion, p2.calls) == (2, 1, 1, D("0.5"), 2)
    t = result.total
    assert (t.planned, t.done, t.visits, t.completion, t.calls, t.overdue) == (4, 2, 4, D("0.5"), 3, 2)
    # B: last visit April, cadence 2 → due in June, only called → overdue; E never visited → overdue
    assert [(o.customer, o.owner, o.last_visit, o.months_since) for o in result.overdue] == [
        ("B", "P1", dt.date(2026, 4, 1), 2), ("E", "P2", None, None)]
    assert (p1.overdue, p2.overdue) == (1, 1)
    tiers = {r.key: r for r in result.by_tier}
    assert list(tiers)[:4] == ["VIP", "一級", "二級", "其他"]
    assert (tiers["VIP"].planned, tiers["VIP"].done, tiers["VIP"].visits, tiers["VIP"].completion) == (1, 1, 2, D(1))
    assert (tiers["一級"].planned, tiers["一級"].done, tiers["一級"].completion, tiers["一級"].calls,
            tiers["一級"].overdue) == (2, 0, D(0), 3, 2)
    assert (tiers["未分級"].visits, tiers["未分級"].planned, tiers["未分級"].completion) == (1, 0, None)
    assert format_ratio(tiers["未分級"].completion) == "—"


def test_planned_prospects_count_in_their_plan_class_not_as_existing_customers():
    # P1's visit plan: A (VIP) and the prospect G (an A類 prospect on the plan).  P1 visited A twice and G once:
    # planned 2, done 2; of them the existing customers: 1 planned (A), 1 done — the scorecard's base.
    result = visit_stats(JUNE, VISITS, {"P1": ["A", "G"]}, PEOPLE[:1], CUSTOMERS, CADENCE, LAST, {"G": "A類"})
    p1 = result.by_salesperson[0]
    assert (p1.planned, p1.done, p1.existing_planned, p1.existing_done, p1.new_customer_visits) == (2, 2, 1, 1, 1)
    tiers = {r.key: r for r in result.by_tier}
    assert (tiers["A類"].planned, tiers["A類"].done, tiers["VIP"].planned) == (1, 1, 1)


def test_visit_stats_within_cadence_is_not_overdue():
    last = {"A": dt.date(2026, 6, 1), "B": dt.date(2026, 5, 1), "E": dt.date(2026, 5, 1)}
    result = visit_stats(JUNE, [], {}, PEOPLE[:2], CUSTOMERS, CADENCE, last)
    # A visited this month already (last visit June), B and E one month ago with cadence 2; C never → overdue
    assert [o.customer for o in result.overdue] == ["C"]
    assert result.total.completion is None


# ---------------------------------------------------------------- sums hold

people_st = st.lists(st.tuples(st.sampled_from(["E", "S", "N"])), min_size=1, max_size=6)
line_st = st.tuples(
    st.integers(0, 5),                                   # salesperson index (mod the number of people)
    st.sampled_from(["直營", "K/A", "代理商", ""]),
    st.sampled_from(["A", "B", "C", "D", "E", "F"]),
    st.integers(1, 6),                                   # month of 2026
    st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None)
@given(regions=people_st, raw=st.lists(line_st, max_size=40))
def test_parts_sum_to_the_whole(regions, raw):
    people = [Person(f"P{i}", f"人{i}", r) for i, (r,) in enumerate(regions)]
    lines = [SaleLine(dt.date(2026, m, 1), f"O{n}", c, people[p % len(people)].id, ch, "x", None, a, n + 2)
             for n, (p, ch, c, m, a) in enumerate(raw)]
    targets = {p.id: {(2026, 6): D(1000)} for p in people}
    result = sales_stats(JUNE, lines, targets, people, CUSTOMERS)
    for region in result.by_region:
        members = [r for r in result.by_salesperson if r.region == region.key]
        assert region.actual == sum((r.actual for r in members), D(0))
        assert region.ytd_actual == sum((r.ytd_actual for r in members), D(0))
        assert region.target == sum_all(r.target for r in members)
    for field in ("actual", "ytd_actual", "previous", "new_customers", "lost_customers"):
        total = getattr(result.total, field)
        assert total == sum((getattr(r, field) for r in result.by_region), 0)
        assert total == sum((getattr(r, field) for r in result.by_channel), 0)
        assert total == sum((getattr(r, field) for r in result.by_tier), 0)
    assert result.total.target == sum_all(r.target for r in result.by_region)


def test_a_region_target_nobody_carries_is_a_row_of_its_own():
    # 華東區 (E) has a June target of 300, its people carry 100 + 150: 50 left; 西部區 (W) has nobody: 80
    targets = {"P1": {JUNE: D(100)}, "P2": {JUNE: D(150)}, "P3": {JUNE: D(200)}}
    regions = {"E": {JUNE: D(300)}, "S": {JUNE: D(200)}, "W": {JUNE: D(80)}}
    stats = sales_stats(JUNE, [], targets, PEOPLE, CUSTOMERS, region_names={**REGIONS, "W": "西部區"},
                        region_targets=regions)
    rows = {r.label: r.target for r in stats.by_salesperson}
    assert rows == {"張偉": D(100), "李娜": D(150), "王強": D(200),
                    "未分配（華東區）": D(50), "未分配（西部區）": D(80)}
    assert [(r.label, r.target) for r in stats.by_region] == [("華東區", D(300)), ("山東區", D(200)), ("西部區", D(80))]
    assert stats.total.target == D(580)
    east = sales_stats(JUNE, [], targets, PEOPLE, CUSTOMERS, region="E", region_names=REGIONS, region_targets=regions)
    assert [r.label for r in east.by_salesperson] == ["張偉", "李娜", "未分配（華東區）"]
    assert east.total.target == D(300)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=3, max_size=3),
       st.lists(st.integers(min_value=0, max_value=3000), min_size=3, max_size=3))
def test_targets_by_person_and_by_region_add_up_to_the_total(people_amounts, extra):
    targets = {p.id: {JUNE: D(a)} for p, a in zip(PEOPLE, people_amounts, strict=True)}
    carried = {"E": D(people_amounts[0] + people_amounts[1]), "S": D(people_amounts[2]), "W": D(0)}
    regions = {r: {JUNE: carried[r] + D(x)} for r, x in zip(("E", "S", "W"), extra, strict=True)}
    stats = sales_stats(JUNE, [], targets, PEOPLE, CUSTOMERS, region_names=REGIONS, region_targets=regions)
    total = sum(regions[r][JUNE] for r in regions)
    assert stats.total.target == total
    assert sum(r.target or 0 for r in stats.by_salesperson) == total
    assert sum(r.target or 0 for r in stats.by_region) == total
