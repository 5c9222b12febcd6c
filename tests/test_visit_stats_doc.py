"""月訪客戶統計表 on the hand-made June visit log (山東區); expected figures worked out by hand.

Planned = active customers due by cadence (VIP 1, 一級 2, 二級 3 months) from the customer list's
last visit (no earlier visit logs in this workspace):
  d01: D001 VIP (last 2026-04-08) and D007 二級 (2025-11-20)              → 2
  d02: D002 一級 (2026-03-27) and D003 一級 (2026-02-19); D008 其他 none    → 2
  d03: D004 一級 (2026-03-11) and D005 二級 (2026-01-09); D012 a prospect   → 2
  d04: D006 二級 (2025-12-02); D010 二級 last 2026-04-02 is not due yet     → 1
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_example, docx_document, docx_tables, pdf_text
from test_sales_stats_doc import render, write_hand_ledgers

# 業務員: 計畫, 已完成, 完成率, 拜訪次數, 電話, 新客戶拜訪, 逾期
EXPECTED = {
    "周建國": ["2", "1", "50.0%", "2", "3", "0", "1"],   # D001 twice (done once); D007 only called
    "吳芳": ["2", "1", "50.0%", "2", "1", "0", "1"],     # D008 visited unplanned; D003 overdue
    "鄭浩": ["2", "0", "0.0%", "1", "0", "1", "2"],      # visited the prospect D012 only
    "馮雪": ["1", "0", "0.0%", "0", "0", "0", "1"],
    "合計": ["7", "2", "28.6%", "5", "4", "1", "5"],     # 2 / 7
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
    assert tiers["二級"] == ["3", "0", "0.0%"]
    assert tiers["其他"] == ["0", "0", "—"]               # no base: a dash
    overdue = next(t for t in tables if t[0][0] == "客戶" and "拜訪週期" in t[0])
    assert sorted(r[0] for r in overdue[1:]) == sorted(
        ["濟南歷城紙袋廠", "煙台福山禮盒廠", "濰坊聖達紙品有限公司", "臨沂華泰印務", "淄博齊魯彩盒廠"])


def test_docx_has_the_chart(out):
    assert len(docx_document(out / "visit-stats.docx").inline_shapes) == 1
