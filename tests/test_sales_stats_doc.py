"""月銷售統計表 end to end on a small hand-made ledger; every expected figure worked out by hand.

The workspace is the example's plan with its ledgers replaced by these lines (山東區):
June target per salesperson: 560萬 task × June's weight 0.9 ÷ the weights' sum 12.0 = 42萬 for the
region, shared equally by its 4 people (no quotas) = 10.5萬 each.
"""
from __future__ import annotations

import shutil
from decimal import Decimal as D
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


SCORES = [  # the supervisor's points: 周建國 all three, 吳芳 two (需求資源客戶回覆 not yet), 鄭浩 and 馮雪 none
    "業務員,銷售人員行為紀律,工作計畫、匯報完成率,需求資源客戶回覆情況",
    "周建國,9,8,10",
    "d02,10,10,",
]


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
    (ws / "ledgers" / "2026-06" / "appraisal.csv").write_text("\n".join(SCORES) + "\n", encoding="utf-8")
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
    # 周建國: 2 active customers (D001 VIP, D007 二級), no prospects; June has 21 working days, 5 weeks
    assert [r[1:] for r in cards[0][1:-1]] == [
        ["計畫銷售指標完成率", "25", "60.0%", "15.0"],      # 6.30 / 10.50 × 25
        ["實際完成銷量", "5", "60.0%", "3.0"],              # no quantity target: the amount's completion
        ["開發新客戶數量", "5", "—", "—（不計）"],          # no prospects: no base
        ["現有客戶拜訪數量", "8", "50.0%", "4.0"],          # D001 visited of D001, D007 due
        ["電話銷售拜訪數量", "5", "3.6%", "0.2"],           # 3 calls / (4 a day × 21 days) × 5 = 0.18
        ["週訂單數量", "5", "20.0%", "1.0"],                # 週 (Traditional); 2 orders / (2 customers × 5 weeks)
        ["增長率", "5", "260.0%", "5.0"],                   # YoY 26.0% ÷ 10%, capped
        ["新增開發客戶數量", "7", "—", "—（不計）"],        # no prospects: no base
        ["丟失客戶數量", "5", "0", "5.0"],
        ["銷售人員行為紀律", "10", "9.0", "9.0"],           # from appraisal.csv
        ["工作計畫、匯報完成率", "10", "8.0", "8.0"],
        ["需求資源客戶回覆情況", "10", "10.0", "10.0"],
    ]
    # 15 + 3 + 4 + 0.2 + 1 + 5 + 5 + 27 = 60.2 of 100 − 12 = 88; 60.2 × 100 ÷ 88 = 68.41 → 不及格, 85%
    assert cards[0][-1][2:] == ["88", "", "60.2 / 88"]
    for card in cards:  # the scored rows add up to the total row, points and weights alike
        scored = [r for r in card[1:-1] if r[4][0].isdigit()]
        total, weight = card[-1][4].split("（")[0].split(" / ") if "/" in card[-1][4] else (card[-1][4], "100")
        assert sum(D(r[4]) for r in scored) == D(total) and sum(D(r[2]) for r in scored) == D(weight)
    assert "評級：不及格；折合百分 68.4；績效工資係數 85.0%" in cards[0][-1][1]
    summary = next(t for t in tables if t[0][:4] == ["業務員", "區域", "銷售完成率", "考核總分"])
    assert summary[0] == ["業務員", "區域", "銷售完成率", "考核總分", "折合百分", "評級", "績效工資係數"]
    assert summary[1] == ["周建國", "山東區", "60.0%", "60.2 / 88", "68.4", "不及格", "85.0%"]
    # 吳芳: 需求資源客戶回覆 not scored → 待評, provisional, no pay factor
    # 19.0 + 3.8 + 4.0 + 0.1 + 0.3 + 5.0 + 3.0 + 20 = 55.2 of 78; × 100 ÷ 78 = 70.77 → 待改進
    assert cards[1][12][4] == "待評"
    assert summary[2] == ["吳芳", "山東區", "76.2%", "55.2 / 78（1項待評）", "70.8", "待改進（暫定）", "待評齊後計算"]
    assert summary[4][3:] == ["5.0 / 53（3項待評）", "9.4", "不及格（暫定）", "待評齊後計算"]
    text = docx_text(out / "sales-stats.docx")
    assert "沒有基數的項目（無潛在客戶、無應訪客戶、無合作客戶、無去年銷售、無銷售目標）顯示「—」" in text
    assert "計畫銷售指標完成率（25分）：實績 ÷ 銷售目標" in text
    assert "績效工資係數：85 分為 100%，每高 1 分加 1%，每低 1 分減 1%，最多減 15%。" in text
    assert "＞95 分為優秀；≥85 分為優良；≥80 分為及格；＞70 分為待改進；其餘為不及格" in text


def test_a_bad_scores_file_fails_the_document_at_its_line(tmp_path):
    ws = copy_example(tmp_path / "ws")
    write_hand_ledgers(ws)
    (ws / "ledgers" / "2026-06" / "appraisal.csv").write_text("業務員,銷售人員行為紀律\n周建國,12\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "sales-stats", "--period", "2026-06",
                                      "--region", "shandong", "--format", "html"])
    assert result.exit_code == 1
    assert ("ledgers/2026-06/appraisal.csv:2:銷售人員行為紀律: discipline: points must be between 0 and 10, got 12"
            in result.output)
    assert not (ws / "output" / "2026-06" / "shandong" / "sales-stats.html").exists()


def test_people_excluded_from_appraisal_are_nowhere_in_it(tmp_path):
    ws = copy_example(tmp_path / "ws")
    write_hand_ledgers(ws)
    region = ws / "plans" / "2026" / "regions" / "shandong.yaml"
    text = region.read_text(encoding="utf-8")
    text = text.replace("{id: d04, name: 馮雪, role: 業務員,", "{id: d04, name: 馮雪, role: 業務員, appraisal: false,")
    text = text.replace("{id: d03, name: 鄭浩, role: 業務員,", "{id: d03, name: 鄭浩, role: 文員,")
    region.write_text(text, encoding="utf-8")
    config = ws / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("appraisal: {}", "appraisal: {exclude_roles: [文員]}"),
                      encoding="utf-8")
    render(ws, "sales-stats", "--period", "2026-06", "--region", "shandong")
    tables = docx_tables(docx_document(ws / "output" / "2026-06" / "shandong" / "sales-stats.docx"))
    summary = next(t for t in tables if t[0][:4] == ["業務員", "區域", "銷售完成率", "考核總分"])
    assert [r[0] for r in summary[1:]] == ["周建國", "吳芳"]
    assert len([t for t in tables if t[0] == ["序號", "考核項目", "權重", "考核指標", "得分"]]) == 2
    assert "鄭浩" in [r[0] for r in _people_table(tables)[1:]]   # still in the sales figures


def test_html_uses_the_dash_for_missing_bases(out):
    html = (out / "sales-stats.html").read_text(encoding="utf-8")
    assert "—" in html and "inf" not in html.lower().replace("info", "")


def docx_text(path: Path) -> str:
    doc = docx_document(path)
    return "\n".join(p.text for p in doc.paragraphs)
