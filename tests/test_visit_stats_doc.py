"""月訪客戶統計表 on the hand-made June visit log (山東區); expected figures worked out by hand.

Planned = what June's visit plans schedule: active customers due by cadence (VIP 1, 一級 2, 二級 3
months) and A/B prospects.  This workspace logs no visits before June, so the last visits are the
customer list's 上次拜訪 (all in 2025, before the plan year):
  d01: D001 VIP (last 2025-12-08) and D007 二級 (2025-11-20)                        → 2
  d02: D002 一級 (2025-11-27) and D003 一級 (2025-12-19); D008 其他 none             → 2
  d03: D004 一級 (2025-11-11), D005 二級 (2025-10-09), D012 prospect 6萬/14 days: A  → 3
  d04: D006 二級 (2025-12-02) and D010 二級 (2025-10-02)                            → 2
D012 orders in June: it is still a prospect this month (a customer from July).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_example, docx_document, docx_tables, pdf_text
from test_sales_stats_doc import render, write_hand_ledgers

# 業務員: 計畫, 已完成, 完成率, 拜訪次數, 電話, 新客戶拜訪, 逾期
EXPECTED = {
    "周建國": ["2", "1", "50.0%", "2", "3", "0", "1"],   # D001 twice (done once); D007 only called: overdue
    "吳芳": ["2", "1", "50.0%", "2", "1", "0", "1"],     # D008 visited unplanned; D003 overdue
    "鄭浩": ["3", "1", "33.3%", "1", "0", "1", "2"],     # visited the prospect D012 only; D004, D005 overdue
    "馮雪": ["2", "0", "0.0%", "0", "0", "0", "2"],
    "合計": ["9", "3", "33.3%", "5", "4", "1", "6"],     # 3 / 9
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("visits") / "ws")
    write_hand_ledgers(ws)
    render(ws, "visit-stats", "--period", "2026-06", "--region", "shandong")
    return ws / "output" / "2026-06" / "shandong"


def test_docx_people_table(out):
    tables = docx_tables(docx_document(out / "visit-stats.docx"))
    table = next(t for t in tables if t[0][:3] == ["業務員", "計畫拜訪", "已完成"])
    assert {r[0]: r[1:] for r in table[1:]} == EXPECTED


def test_pdf_people_rows(out):
    lines = pdf_text(out / "visit-stats.pdf").splitlines()
    for name, expected in EXPECTED.items():
        line = next(ln for ln in lines if ln.split() and ln.split()[0] == name)
        assert line.split()[1:] == expected, line


def test_tiers_and_overdue(out):
    tables = docx_tables(docx_document(out / "visit-stats.docx"))
    tiers = {r[0]: r[1:4] for r in next(t for t in tables if t[0][0] == "客戶等級")[1:]}
    assert tiers["VIP"] == ["1", "1", "100.0%"]
    assert tiers["一級"] == ["3", "1", "33.3%"]          # D002 done; D003, D004 not
    assert tiers["二級"] == ["4", "0", "0.0%"]           # D007, D005, D006, D010
    assert tiers["A類"] == ["1", "1", "100.0%"]          # the prospect D012, as on 鄭浩's visit plan
    assert tiers["其他"] == ["0", "0", "—"]               # no base: a dash
    overdue = next(t for t in tables if t[0][0] == "客戶" and "拜訪週期" in t[0])
    assert sorted(r[0] for r in overdue[1:]) == sorted(
        ["濟南歷城紙袋廠", "煙台福山禮盒廠", "濰坊聖達紙品有限公司", "臨沂華泰印務", "淄博齊魯彩盒廠",
         "淄博周村包裝材料行"])


def test_planned_visits_are_the_visit_plans(out):
    # 鄭浩's June plan: 一級, then A, then 二級, on open days ⌊k·21/3⌋ = 0, 7, 14 of June's 21 working days
    # (6月19日 端午 is a holiday): 6月1日, 10日, 22日; last visits from the customer list
    tables = docx_tables(docx_document(out / "visit-stats.docx"))
    planned = next(t for t in tables if t[0][:2] == ["業務員", "編號"])
    assert [r for r in planned[1:] if r[0] == "鄭浩"] == [
        ["鄭浩", "D004", "濰坊聖達紙品有限公司", "一級", "6月1日", "2025年11月11日", "否"],
        ["鄭浩", "D012", "臨沂蘭山紙品廠", "A類", "6月10日", "2025年11月18日", "是"],
        ["鄭浩", "D005", "臨沂華泰印務", "二級", "6月22日", "2025年10月9日", "否"]]
    assert len(planned) - 1 == 9


def test_docx_has_the_chart(out):
    assert len(docx_document(out / "visit-stats.docx").inline_shapes) == 1
