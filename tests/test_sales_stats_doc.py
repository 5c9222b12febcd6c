"""月銷售統計表 end to end on a small hand-made ledger; every expected figure worked out by hand.

The workspace is the example's plan with its ledgers replaced by these lines (山東區):
June target per salesperson: 560萬 task × June's weight 0.9 ÷ the weights' sum 12.0 = 42萬 for the
region, shared equally by its 4 people (no quotas) = 10.5萬 each.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_example, docx_document, docx_tables, pdf_text
from docgen.cli import cli

HEADER = "日期,單號,客戶,業務員,渠道,產品,數量,金額\n"
LAST_JUNE = [  # history: makes D001, D002, D007 old customers and D003 lost (nothing since)
    "2025-06-10,LY1,D001,d01,大中型專業客戶,白乳膠,1000,45000",
    "2025-06-11,LY2,D007,d01,大中型專業客戶,裱紙膠,500,5000",
    "2025-06-12,LY3,D002,d02,大中型專業客戶,覆膜膠,800,40000",
    "2025-06-13,LY4,D003,d02,大中型專業客戶,糊盒膠,300,6000",
]
MAY = ["2026-05-20,M1,濟南魯信彩印有限公司,周建國,大中型專業客戶,白乳膠,1200,52000"]
JUNE = [
    "2026-06-02,SO1,D001,d01,大中型專業客戶,白乳膠,1000,30000",
    "2026-06-02,SO1,D001,d01,大中型專業客戶,熱熔膠,400,12000",
    "2026-06-05,SO2,D007,d01,大中型專業客戶,裱紙膠,800,21000",
    "2026-06-08,SO3,D002,d02,大中型專業客戶,覆膜膠,2000,\"84,000\"",
    "2026-06-20,TH1,D002,d02,大中型專業客戶,覆膜膠,-100,-4000",   # a return
    "2026-06-22,SO4,D012,d03,經銷商,白乳膠,350,10500",            # a prospect's first order: new
]
VISITS = [
    "日期,業務員,客戶,類型,目的,結果",
    "2026-06-03,d01,D001,拜訪,例行拜訪,已下單",
    "2026-06-17,d01,D001,拜訪,技術交流,意向良好",
    "2026-06-04,d01,D007,電話,訂單確認,",
    "2026-06-05,d01,D007,電話,送貨跟進,",
    "2026-06-06,d01,D007,電話,回訪,",
    "2026-06-09,d02,D002,拜訪,例行拜訪,已下單",
    "2026-06-10,d02,D008,拜訪,新品介紹,待報價",
    "2026-06-11,d02,D003,電話,回訪,",
    "2026-06-12,d03,D012,拜訪,初次拜訪,已下單",
]

# 業務員, 目標, 實績, 完成率, 累計實績, 環比, 同比, 訂單, 新客戶, 流失 (in 萬元)
EXPECTED = {
    "周建國": ["10.50", "6.30", "60.0%", "11.50", "21.2%", "26.0%", "2", "0", "0"],
    # 63000 / 105000; May 52000 → (63000 − 52000) / 52000; last June 45000 + 5000
    "吳芳": ["10.50", "8.00", "76.2%", "8.00", "—", "73.9%", "1", "0", "1"],
    # 84000 − 4000 = 80000; no May sales → no MoM base; (80000 − 46000) / 46000; D003 lost
    "鄭浩": ["10.50", "1.05", "10.0%", "1.05", "—", "—", "1", "1", "0"],
    "馮雪": ["10.50", "0.00", "0.0%", "0.00", "—", "—", "0", "0", "0"],
    "合計": ["42.00", "15.35", "36.5%", "20.55", "195.2%", "59.9%", "4", "1", "1"],
    # 153500 / 420000; May 52000 + June 153500; (153500 − 52000) / 52000; (153500 − 96000) / 96000
}


def write_hand_ledgers(ws: Path) -> None:
    """Replace the example's ledgers by the small hand-made ones above."""
    shutil.rmtree(ws / "ledgers", ignore_errors=True)
    for month, lines in (("2025-06", LAST_JUNE), ("2026-05", MAY), ("2026-06", JUNE)):
        folder = ws / "ledgers" / month
        folder.mkdir(parents=True)
        (folder / "sales.csv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    (ws / "ledgers" / "2026-06" / "visits.csv").write_text("\n".join(VISITS) + "\n", encoding="utf-8")


def render(ws: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", *args, "--format", "docx,pdf,html"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def hand_ws(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("sales") / "ws")
    write_hand_ledgers(ws)
    render(ws, "sales-stats", "--period", "2026-06", "--region", "shandong")
    return ws


@pytest.fixture(scope="module")
def out(hand_ws) -> Path:
    return hand_ws / "output" / "2026-06" / "shandong"


def _people_table(tables):
    return next(t for t in tables if t[0][:4] == ["業務員", "目標", "實績", "完成率"])


def test_docx_table_has_the_hand_computed_figures(out):
    table = _people_table(docx_tables(docx_document(out / "sales-stats.docx")))
    rows = {r[0]: r[1:] for r in table[1:]}
    for name, expected in EXPECTED.items():
        got = rows[name]
        # skip the YTD completion column (its target is a largest-remainder split)
        assert got[:4] + got[5:] == expected, name


def test_pdf_text_has_the_same_figures(out):
    lines = pdf_text(out / "sales-stats.pdf").splitlines()
    for name, expected in EXPECTED.items():
        line = next(ln for ln in lines if ln.split() and ln.split()[0] == name)
        cells = line.split()
        assert cells[1:5] + cells[6:] == expected, line


def test_channels_tiers_top_customers_and_new_lost(out):
    tables = docx_tables(docx_document(out / "sales-stats.docx"))
    channels = next(t for t in tables if t[0][0] == "渠道")
    assert [r[:3] for r in channels[1:]] == [["大中型專業客戶", "14.30", "93.2%"], ["經銷商", "1.05", "6.8%"],
                                            ["合計", "15.35", "100.0%"]]
    tiers = {r[0]: r[1] for r in next(t for t in tables if t[0][0] == "客戶等級")[1:]}
    # D001 112萬 VIP; D002 96萬 一級; D007 14萬 二級; D012 a prospect: 其他
    assert tiers == {"VIP": "4.20", "一級": "8.00", "二級": "2.10", "其他": "1.05", "合計": "15.35"}
    top = next(t for t in tables if t[0][:2] == ["排名", "客戶"])
    assert top[1][1:4] == ["青島海晟包裝集團", "8.00", "52.1%"]
    text = docx_text(out / "sales-stats.docx")
    assert "本月新增客戶：臨沂蘭山紙品廠" in text
    assert "煙台福山禮盒廠" in text  # lost: nothing bought since 2025-06


def test_scorecards_for_each_salesperson(out):
    tables = docx_tables(docx_document(out / "sales-stats.docx"))
    cards = [t for t in tables if t[0] == ["序號", "考核項目", "權重", "考核指標", "得分"]]
    assert len(cards) == 4
    first = cards[0]
    assert first[1][1:] == ["計畫銷售指標完成率", "25", "60.0%", "15.0"]   # 25 × 0.6
    assert first[-1][0:3] == ["", first[-1][1], "100"] and "評級" in first[-1][1]
    summary = next(t for t in tables if t[0][:4] == ["業務員", "區域", "銷售完成率", "考核總分"])
    assert [r[0] for r in summary[1:]] == ["周建國", "吳芳", "鄭浩", "馮雪"]


def test_html_uses_the_dash_for_missing_bases(out):
    html = (out / "sales-stats.html").read_text(encoding="utf-8")
    assert "—" in html and "inf" not in html.lower().replace("info", "")


def docx_text(path: Path) -> str:
    doc = docx_document(path)
    return "\n".join(p.text for p in doc.paragraphs)
