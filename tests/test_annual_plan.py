"""The annual plan end to end: figures of the example (seed 篇1, 篇2) read back from the .docx and the .pdf."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compact, copy_example, docx_document, docx_table, pdf_row, pdf_text

from docgen.cli import cli

HEADINGS = ["一、市場分析", "二、銷售目標", "三、渠道定額", "四、目標分解", "五、客戶分類與拜訪頻率",
            "六、準客戶分類（四象限）", "七、實施措施", "八、工作階段", "九、團隊配置", "十、培訓計畫",
            "十一、費用預算", "十二、SWOT分析"]

# 篇1: 6–12月 is 7 months, but 4 distributors × 8萬 a month only make 192萬 over 6
# as printed: full-width punctuation inside the Chinese sentence (docgen.render.typography)
DISTRIBUTOR_WARNING = "經銷商：4家 × 8萬 × 7個月 = 224萬，計畫定額 192萬（計畫定額相當於6個月）"


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The company plan and the east and shandong plans, each in DOCX, PDF and HTML."""
    ws = copy_example(tmp_path_factory.mktemp("annual") / "ws")
    out = {}
    for scope in ("company", "east", "shandong"):
        args = ["-w", str(ws), "render", "annual-plan", "--period", "2026", "--format", "docx,pdf,html"]
        if scope != "company":
            args += ["--region", scope]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        folder = ws / "output" / "2026" / scope
        out[scope] = {fmt: folder / f"annual-plan.{fmt}" for fmt in ("docx", "pdf", "html")}
    return out








def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_headings_in_order_in_docx_and_pdf(plans):
    doc = docx_document(plans["east"]["docx"])
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == HEADINGS
    text = compact(pdf_text(plans["east"]["pdf"]))
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)


def test_east_channel_quotas_compose_1092(plans):
    stated = {"直營店": Decimal(180), "大中型專業客戶": Decimal(720), "經銷商": Decimal(192)}
    # 篇1's rates are per person (stores, key accounts) and per distributor; its quotas imply
    # 4 of each over 6 months (180 = 4 × 7.5 × 6), while the period 6–12月 has 7 months
    computed = {"直營店": 4 * Decimal("7.5") * 7, "大中型專業客戶": Decimal(4 * 30 * 7), "經銷商": Decimal(4 * 8 * 7)}
    rows = docx_table(plans["east"]["docx"], ["渠道", "數量", "每月定額"])
    by_name = {r[0]: r for r in rows[1:]}
    for name in stated:
        assert amount(by_name[name][4]) == computed[name]
        assert amount(by_name[name][5]) == stated[name]
        assert amount(by_name[name][6]) == stated[name] - computed[name]
    assert by_name["經銷商"][1:4] == ["4家", "8.00\n每家每月", "7"]
    assert sum(stated.values()) == 1092
    assert by_name["合計"][5] == "1,092.00"
    assert by_name["合計"][4] == f"{sum(computed.values()):,.2f}" == "1,274.00"
    pdf = pdf_text(plans["east"]["pdf"])
    assert pdf_row(pdf, "經銷商")[1:7] == ["4家", "8.00", "7", "224.00", "192.00", "-32.00"]
    assert pdf_row(pdf, "合計")[1:3] == ["1,274.00", "1,092.00"]


def test_channel_warning_shows_both_numbers(plans):
    doc = docx_document(plans["east"]["docx"])
    assert DISTRIBUTOR_WARNING in [p.text for p in doc.paragraphs]
    assert compact(DISTRIBUTOR_WARNING) in compact(pdf_text(plans["east"]["pdf"]))
    assert "核對提示（華東區）" in compact(pdf_text(plans["east"]["pdf"]))


def test_east_months_are_156_each_and_sum_to_the_task(plans):
    rows = docx_table(plans["east"]["docx"], ["月份", "淡旺季", "權重", "月目標"])
    months = {r[0]: r[3] for r in rows[1:]}
    assert months == {**{f"{m}月": "156.00" for m in range(6, 13)}, "合計": "1,092.00"}  # 1,092 / 7
    pdf = pdf_text(plans["east"]["pdf"])
    for m in range(6, 13):
        assert pdf_row(pdf, f"{m}月")[1:3] == ["平均", "156.00"]


def test_east_people_share_every_month_exactly(plans):
    rows = docx_table(plans["east"]["docx"], ["月份", "王志強", "李明"])
    for row in rows[1:-1]:
        assert sum(amount(v) for v in row[1:-1]) == amount(row[-1]) == Decimal(156)
    # by monthly quota 30萬 : 32萬 : 7.5萬 … of 156萬 (total quota 167萬)
    assert rows[1][1:8] == ["28.03", "28.02", "28.02", "28.02", "29.89", "7.01", "7.01"]
    total = rows[-1]
    assert total[0] == "合計" and total[-1] == "1,092.00"
    assert sum(amount(v) for v in total[1:-1]) == Decimal(1092)


def test_shandong_task_target_and_ratio(plans):
    rows = docx_table(plans["shandong"]["docx"], ["區域", "計畫期間", "任務（保底）"])
    assert rows[1] == ["山東區", "1–12月", "560.00", "700.00", "125.0%", "560.00"]  # 700 / 560
    assert pdf_row(pdf_text(plans["shandong"]["pdf"]), "山東區")[1:6] == ["1–12月", "560.00", "700.00", "125.0%",
                                                                         "560.00"]


def test_shandong_seasonal_months_sum_to_560(plans):
    # weights sum to 12.0: 560 × w / 12 to 0.01萬, largest remainders (.67 ×3, then the first .33) rounded up
    expected = {1: "28.00", 2: "23.34", 3: "46.67", 4: "51.33", 5: "51.33", 6: "42.00", 7: "37.33", 8: "37.33",
                9: "56.00", 10: "60.67", 11: "60.67", 12: "65.33"}
    rows = docx_table(plans["shandong"]["docx"], ["月份", "淡旺季", "權重", "月目標"])
    assert {r[0]: r[3] for r in rows[1:-1]} == {f"{m}月": v for m, v in expected.items()}
    assert sum(amount(v) for v in expected.values()) == 560
    assert rows[-1][3] == "560.00"
    assert rows[1][1:3] == ["淡季", "0.6"] and rows[10][1:3] == ["旺季", "1.3"]
    pdf = pdf_text(plans["shandong"]["pdf"])
    assert pdf_row(pdf, "2月")[1:4] == ["淡季", "0.5", "23.34"]
    assert pdf_row(pdf, "12月")[1:4] == ["旺季", "1.4", "65.33"]


def test_company_targets_and_months_add_up(plans):
    rows = docx_table(plans["company"]["docx"], ["區域", "計畫期間", "任務（保底）"])
    assert rows[-1][0] == "合計"
    assert rows[-1][2] == "3,452.00"  # 1,800 + 1,092 + 560
    assert rows[-1][3] == "3,792.00"  # 2,000 + 1,092 (east states no target) + 700
    months = docx_table(plans["company"]["docx"], ["月份", "華南區", "華東區", "山東區", "合計"])
    assert months[7][:5] == ["7月", "137.29", "156.00", "37.33", "330.62"]
    assert months[-1][1:5] == ["1,800.00", "1,092.00", "560.00", "3,452.00"]
    assert pdf_row(pdf_text(plans["company"]["pdf"]), "7月")[1:5] == ["137.29", "156.00", "37.33", "330.62"]


def test_market_capacity_share(plans):
    rows = docx_table(plans["company"]["docx"], ["範圍", "市場容量"])
    assert rows[1] == ["華南區", "30,000噸", "1,200噸", "4.0%"]  # 1,200 / 30,000, grouped as money is


def test_tiers_and_cadence_of_named_customers(plans):
    rows = docx_table(plans["shandong"]["docx"], ["編號", "客戶名稱", "類型", "業務員", "去年銷售額", "等級"])
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["D001"][4:7] == ["112.00", "VIP", "1個月"]     # ≥ 100萬
    assert by_id["D002"][4:7] == ["96.00", "一級", "2個月"]     # ≥ 50萬
    assert by_id["D005"][4:7] == ["38.00", "二級", "3個月"]     # ≥ 10萬
    assert by_id["D009"][4:7] == ["6.00", "其他", "不定期"]
    assert by_id["D011"][1] == "煙台萊山禮品盒廠（已流失）"
    counts = docx_table(plans["company"]["docx"], ["等級", "標準", "拜訪頻率", "華南區"])
    # active customers only; 華南區 VIP: S001 168萬, S002 235萬, S003 126萬, and S005 by hand (72萬 → 一級)
    # 山東區: VIP D001; 一級 D002–D004; 二級 D005–D007, D010; 其他 D008, D009 (D011 lost, D012 a prospect)
    assert [r[3:] for r in counts[1:]] == [["4", "0", "1", "5"], ["3", "0", "3", "6"], ["5", "0", "4", "9"],
                                          ["2", "0", "2", "4"]]
    company_list = docx_table(plans["company"]["docx"], ["編號", "客戶名稱", "類型"])
    assert next(r for r in company_list if r[0] == "S005")[5] == "VIP*"
    assert pdf_row(pdf_text(plans["shandong"]["pdf"]), "D002")[-4:] == ["96.00", "一級", "2個月", "2025年11月27日"]


def test_prospect_quadrants_by_the_seed_thresholds(plans):
    # 篇1: ≥ 5萬 a month is large, ≤ 15 days (half a month) is fast; both bounds included
    rows = docx_table(plans["east"]["docx"], ["編號", "客戶名稱", "類型", "業務員", "月需求量"])
    quadrant = {r[0]: r[6] for r in rows[1:]}
    assert quadrant == {"E001": "A類", "E002": "A類", "E003": "B類", "E004": "B類", "E005": "C類",
                        "E006": "C類", "E007": "D類", "E008": "D類"}
    assert pdf_row(pdf_text(plans["east"]["pdf"]), "E004")[-3:] == ["2.00", "15", "B類"]
    assert pdf_row(pdf_text(plans["east"]["pdf"]), "E006")[-3:] == ["5.00", "30", "C類"]
    summary = docx_table(plans["east"]["docx"], ["類別", "特徵", "跟進策略"])
    assert [r[3] for r in summary[1:]] == ["2", "2", "2", "2"]


def test_phase_one_tasks_and_gantt(plans):
    rows = docx_table(plans["east"]["docx"], ["序號", "日期", "時間", "工作內容"])
    assert [r[1:4] for r in rows[1:]] == [
        ["5月8日", "", "區域市場的進一步細分"], ["5月10日", "上午", "業務員SPIN技巧培訓"],
        ["5月12日–14日", "", "辦事處的前期籌備工作"], ["5月15日–22日", "", "客戶資料的收集以及電話預約"],
        ["5月23日–6月5日", "", "第一次出差"], ["6月6日–8日", "", "對第一次出差成效的總結"]]
    assert len(docx_document(plans["east"]["docx"]).inline_shapes) == 2   # monthly chart + Gantt
    assert len(docx_document(plans["shandong"]["docx"]).inline_shapes) == 1  # no phases: the chart only
    assert "第一階段（5月8日至6月30日）" in compact(pdf_text(plans["east"]["pdf"]))


def test_budget_total(plans):
    rows = docx_table(plans["east"]["docx"], ["序號", "項目", "類別", "金額"])
    assert rows[-1][1:4] == ["合計", "", "36.80"]  # 4.2 + 2 + 12.6 + 18
    company = docx_table(plans["company"]["docx"], ["序號", "項目", "類別", "金額"])
    # 30 + 20 + 5 and the regions: 華南 16, 華東 36.8, 山東 23
    assert company[-1][3] == "130.80"


def test_html_has_the_pictures_inline(plans):
    html = plans["east"]["html"].read_text(encoding="utf-8")
    assert "asset:" not in html and html.count("<svg") + html.count("data:image") >= 2
