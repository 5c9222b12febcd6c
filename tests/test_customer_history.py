"""One customer history (SPEC §4.4): visits known before a month, due-ness on them, prospects that buy,
tier counts, and the annual scorecard's months.  Every expected figure is worked out by hand."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example
from hypothesis import given
from hypothesis import strategies as st

from docgen.cli import cli
from docgen.documents.monthend import (
    appraisal_settings,
    load_month_end,
    measures_for,
    month_schedules,
    month_scores,
    visit_figures,
)
from docgen.documents.planning import History, classify, history_of, opening_tiers
from docgen.documents.sales_stats import month_sales
from docgen.documents.year_summary import scored_months, year_context
from docgen.plan.customers import Tier, first_purchases, is_due, last_visits, status_in, tier_counts
from docgen.workspace import Workspace


@dataclass(frozen=True)
class Line:
    customer: str
    date: date
    kind: str = "visit"


# ---------------------------------------------------------------- pure rules

def test_list_date_before_the_month_and_logged_visits_make_one_history() -> None:
    # For June 2026 (first day 2026-06-01):
    #   A: list 2026-04-16, log 2026-01-14 and 2026-04-21 → the latest, 2026-04-21
    #   B: list 2026-06-10 is not before June: ignored; no log → never visited (absent)
    #   C: list 2025-10-21; only a call on 2026-05-05 (calls are not visits) → 2025-10-21
    #   D: list blank; a visit on 2026-06-02 is in June itself, not before it → absent
    #   E: list blank; visited 2026-05-31 → 2026-05-31
    lists = {"A": date(2026, 4, 16), "B": date(2026, 6, 10), "C": date(2025, 10, 21), "D": None, "E": None}
    log = [Line("A", date(2026, 1, 14)), Line("A", date(2026, 4, 21)), Line("C", date(2026, 5, 5), "call"),
           Line("D", date(2026, 6, 2)), Line("E", date(2026, 5, 31))]
    assert last_visits(lists, log, (2026, 6)) == {"A": date(2026, 4, 21), "C": date(2025, 10, 21),
                                                  "E": date(2026, 5, 31)}
    # for January 2026 only the list dates before 2026-01-01 count: A's and B's are later, C's stays
    assert last_visits(lists, log, (2026, 1)) == {"C": date(2025, 10, 21)}


def test_due_on_the_one_history() -> None:
    # June 2026: a 一級 (every 2 months) last visited 2026-04-21 → 6 − 4 = 2 ≥ 2 → due; a VIP visited
    # 2026-05-31 → 1 ≥ 1 → due; a 二級 visited 2026-04-21 → 2 < 3 → not due.
    assert is_due(Tier.FIRST, date(2026, 4, 21), 2026, 6)
    assert is_due(Tier.VIP, date(2026, 5, 31), 2026, 6)
    assert not is_due(Tier.SECOND, date(2026, 4, 21), 2026, 6)
    assert is_due(Tier.SECOND, None, 2026, 6)          # never visited
    assert not is_due(Tier.OTHER, None, 2026, 6)       # no cadence


def test_a_prospect_that_buys_in_may_is_a_customer_from_june() -> None:
    # S016's first order is on 2026-05-14: for May it is still a prospect (first purchase not before May),
    # for June it is active.  A return in April by another customer is a ledger line too.
    sales = [Line("S016", date(2026, 5, 14), "sale"), Line("S016", date(2026, 6, 2), "sale"),
             Line("S004", date(2026, 4, 28), "sale")]
    assert first_purchases(sales, (2026, 5)) == {"S004": (2026, 4)}
    assert first_purchases(sales, (2026, 6)) == {"S004": (2026, 4), "S016": (2026, 5)}
    assert status_in("prospect", None, (2026, 5)) == "prospect"
    assert status_in("prospect", (2026, 5), (2026, 5)) == "prospect"
    assert status_in("prospect", (2026, 5), (2026, 6)) == "active"
    assert status_in("lost", (2025, 6), (2026, 6)) == "lost"   # only prospects change


def test_tier_counts_list_every_tier() -> None:
    assert tier_counts(["VIP", Tier.VIP, "二級"]) == {"VIP": 2, "一級": 0, "二級": 1, "其他": 0}


@given(st.lists(st.sampled_from([t.value for t in Tier]), max_size=50))
def test_tier_counts_add_up_to_the_customers_counted(tiers: list[str]) -> None:
    assert sum(tier_counts(tiers).values()) == len(tiers)


# ---------------------------------------------------------------- on the example workspace

@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace.open(Path(__file__).resolve().parent.parent)


def test_example_list_dates_are_before_the_plan_year(ws: Workspace) -> None:
    me = load_month_end(ws, (2026, 1), before=True)
    assert all(c.last_visit is None or c.last_visit < date(2026, 1, 1) for c in me.plan.customers)


def test_vips_are_on_every_months_plan(ws: Workspace) -> None:
    # VIPs are due every month; the January sheets of 2026 carry all five (list dates are all in 2025)
    me = load_month_end(ws, (2026, 1), before=True)
    planned = {v.candidate.customer_id for s in month_schedules(me, (2026, 1), me.people()).values()
               for v in s.schedule.scheduled}
    assert {"S001", "S002", "S003", "S005", "D001"} <= planned


def test_classing_follows_the_logged_visits(ws: Workspace) -> None:
    # S011 (19萬: 二級) is on the list as last visited 2025-10-21; the logs add 2026-01-22 and 2026-04-27.
    # For June: 2 months since April < 3 → not due; for July: 3 → due, last visit 2026-04-27.
    me = load_month_end(ws, (2026, 6))
    s011 = me.plan.customer("S011")
    june = classify(me.plan, s011, 2026, 6, me.history((2026, 6)))
    july = classify(me.plan, s011, 2026, 7, me.history((2026, 7)))
    assert (june.last_visit, june.due) == (date(2026, 4, 27), False)
    assert (july.last_visit, july.due) == (date(2026, 4, 27), True)


def test_prospect_conversion_on_the_example(ws: Workspace) -> None:
    # S016 (佛山三水紙箱廠, 何志明 s03) orders first in May: in May a prospect (4萬 < 5萬 small,
    # 20 > 15 days slow: D), active from June
    me = load_month_end(ws, (2026, 6))
    s016 = me.plan.customer("S016")
    assert classify(me.plan, s016, 2026, 5, me.history((2026, 5))).status == "prospect"
    assert classify(me.plan, s016, 2026, 6, me.history((2026, 6))).status == "active"
    # May's scorecard: S016 was one of 何志明's prospects and he converted it → 1 of 1;
    # June's: no prospect left, so no new-customer target (the item has no base)
    may = load_month_end(ws, (2026, 5))
    he = may.plan.person("s03")
    sales_may = {r.key: r for r in month_sales(may, "south").by_salesperson}["s03"]
    m = measures_for(may, he, sales_may, None, (2026, 5))
    assert (m.new_customers, m.new_customers_target) == (1, 1)
    sales_june = {r.key: r for r in month_sales(me, "south").by_salesperson}["s03"]
    m = measures_for(me, he, sales_june, None, (2026, 6))
    assert (m.new_customers, m.new_customers_target) == (0, 0)


def test_visit_statistics_plan_what_the_visit_plans_schedule(ws: Workspace) -> None:
    # the statistics (month-end data up to June) and the plans (ledgers before June only) agree
    me = load_month_end(ws, (2026, 6))
    before = load_month_end(ws, (2026, 6), before=True)
    issued = month_schedules(before, (2026, 6), before.people())
    stats = visit_figures(me, (2026, 6), me.people())
    assert {r.key: r.planned for r in stats.by_salesperson} == {
        pid: len(s.schedule.scheduled) for pid, s in issued.items()} | {
        p.id: 0 for p in me.people() if p.id not in issued}
    assert month_schedules(me, (2026, 6), me.people()) == issued


def _year_context(me, region: str | None, months: list[int]) -> dict:
    """The year summary's context, with the settings and supervisor scores its document reads."""
    settings = appraisal_settings(me.ws)
    scores = {m: month_scores(me.ws, me.plan, (me.month[0], m), settings) for m in months}
    return year_context(me, region, months, settings, scores)


def test_explicit_tier_is_never_a_move(ws: Workspace) -> None:
    # S005 (72萬 last year, tier VIP by hand) stays VIP in both rows and is not listed as a move;
    # D005 (38萬: 二級) grows ×1.9 in the generated ledgers: an upgrade to 一級 on annualised sales
    me = load_month_end(ws, (2026, 6))
    ctx = _year_context(me, None, [1, 2, 3, 4, 5, 6])
    assert "中山嘉和紙品有限公司" not in [m.customer for m in ctx["tier_moves"]]
    assert ("臨沂華泰印務", "二級", "一級") in [(m.customer, m.before, m.after) for m in ctx["tier_moves"]]
    # the opening row is the annual plan's count: active customers, explicit tier first
    assert ctx["tiers_before"] == opening_tiers(me.plan, me.plan.customers)
    assert ctx["tiers_before"]["VIP"] == 5   # S001, S002, S003, S005 (by hand), D001


def test_annual_scorecard_counts_from_the_later_of_plan_start_and_start_date(ws: Workspace) -> None:
    # 華東區 plans 6–12月; its staff started 2026-05-08 → June only; 山東區 plans 1–12月 and
    # 馮雪 started 2025-09-01 → every month with ledgers
    me = load_month_end(ws, (2026, 6))
    assert scored_months(me, me.plan.person("e01"), [1, 2, 3, 4, 5, 6]) == [6]
    assert scored_months(me, me.plan.person("d04"), [1, 2, 3, 4, 5, 6]) == [1, 2, 3, 4, 5, 6]
    # 王志強 (e01): calls target = 30 a day × June's 21 working days = 630, and the prospect-visit
    # target is his one prospect (E001) × 1 month — both over the same month
    card = next(c for c in _year_context(me, "east", [1, 2, 3, 4, 5, 6])["cards"] if c.person == "e01")
    assert (card.measures.calls_target, card.measures.development_visits_target) == (630, 1)


def test_history_without_ledgers_is_the_list(ws: Workspace) -> None:
    me = load_month_end(ws, (2026, 1), before=True)
    h = history_of(me.plan, (2026, 1))
    assert isinstance(h, History) and h.last_visit["S011"] == date(2025, 10, 21) and h.first_purchase == {}


def test_month_end_names_the_prospects_that_bought(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "month-end", "2026-05", "--format", "html", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert ("2026年5月首次成交的準客戶：佛山三水紙箱廠（S016）。下月起按合作中客戶計算，"
            "請在客戶名單中把狀態改為「合作中」。") in result.output


def test_validate_warns_about_a_list_date_inside_the_plan(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    customers = ws / "plans" / "2026" / "customers" / "south.csv"
    text = customers.read_text(encoding="utf-8")
    customers.write_text(text.replace(",2025-12-16,", ",2026-04-16,"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws), "validate"])
    assert result.exit_code == 0, result.output      # a warning, not an error
    assert ("plans/2026/customers/south.csv:2:上次拜訪: warning: last_visit: 2026-04-16 is not before the "
            "plan's first month 2026-01") in result.output


def test_a_converted_prospect_can_be_lost_like_any_customer(tmp_path: Path) -> None:
    # D012 (a listed prospect) buys in January only; D001 buys every month.  From February D012 is an
    # active customer; with nothing bought in February, March and April (N = 3) it is lost in April.
    ws_root = copy_example(tmp_path / "ws")
    shutil.rmtree(ws_root / "ledgers")
    header = "日期,單號,客戶,業務員,渠道,產品,數量,金額\n"
    for month in (1, 2, 3, 4):
        folder = ws_root / "ledgers" / f"2026-{month:02d}"
        folder.mkdir(parents=True)
        lines = [f"2026-{month:02d}-05,A{month},D001,d01,,白乳膠,10,1000"]
        if month == 1:
            lines.append("2026-01-06,B1,D012,d03,,白乳膠,10,1000")
        (folder / "sales.csv").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    ws = Workspace.open(ws_root)
    assert month_sales(load_month_end(ws, (2026, 3)), "shandong").lost_customer_ids == []
    assert month_sales(load_month_end(ws, (2026, 4)), "shandong").lost_customer_ids == ["D012"]
