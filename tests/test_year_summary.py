"""年度銷售總結 on the hand-made ledgers (May and June 2026, 山東區) and on the example workspace."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_example, docx_document, docx_tables, pdf_text
from test_sales_stats_doc import render, write_hand_ledgers

from docgen.render.typography import typeset_text


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("year") / "ws")
    write_hand_ledgers(ws)
    render(ws, "year-summary", "--period", "2026", "--region", "shandong")
    return ws / "output" / "2026" / "shandong"


def test_trend_table_and_chart(out):
    doc = docx_document(out / "year-summary.docx")
    tables = docx_tables(doc)
    trend = next(t for t in tables if t[0][:3] == ["月份", "目標", "實績"])
    june = next(r for r in trend if r[0] == "6月")
    may = next(r for r in trend if r[0] == "5月")
    assert may[2] == "5.20"
    assert june[1:4] == ["42.00", "15.35", "36.5%"]      # 560萬 × 0.9 ÷ 12; 153500 ÷ 420000
    assert june[5] == "20.55"                              # 52000 + 153500
    assert len(doc.inline_shapes) == 1


def test_task_target_and_ratio(out):
    tables = docx_tables(docx_document(out / "year-summary.docx"))
    row = next(t for t in tables if t[0][1:4] == ["全年任務", "全年目標", "目標/任務"])[1]
    assert row[:4] == ["山東區", "560.00", "700.00", "125.0%"]   # 篇2: 700 ÷ 560
    assert row[5] == "20.55"
    assert row[7:] == ["3.7%", "2.9%"]                           # 205500 ÷ 5600000; ÷ 7000000


def test_customer_base_change(out):
    tables = docx_tables(docx_document(out / "year-summary.docx"))
    moves = next(t for t in tables if t[0][:2] == ["客戶", "業務員"] and "原等級" in t[0])
    # annualised: ytd × 12 ÷ 2 months; D001 (30000 + 12000 + 52000) × 6 = 564000 < 100萬: VIP → 一級
    # D002 80000 × 6 = 480000 < 50萬: 一級 → 二級; D007 21000 × 6 = 126000 stays 二級
    assert [(r[0], r[3], r[4], r[5]) for r in moves[1:]] == [
        ("濟南魯信彩印有限公司", "56.40", "VIP", "一級（降級）"),
        ("青島海晟包裝集團", "48.00", "一級", "二級（降級）"),
    ]
    text = pdf_text(out / "year-summary.pdf").replace(" ", "")
    assert "新開發客戶1家（臨沂蘭山紙品廠）" in text
    assert "流失客戶1家（煙台福山禮盒廠）" in text


def test_ranking_and_appraisal(out):
    tables = docx_tables(docx_document(out / "year-summary.docx"))
    ranking = next(t for t in tables if t[0][:2] == ["名次", "業務員"])
    assert [r[1] for r in ranking[1:]] == ["周建國", "吳芳", "鄭浩", "馮雪"]
    appraisal = next(t for t in tables if t[0][-2:] == ["總分", "評級"])
    assert {r[0] for r in appraisal[1:]} == {"周建國", "吳芳", "鄭浩", "馮雪"}
    text = pdf_text(out / "year-summary.pdf")
    for heading in ("一、任務與目標完成情況", "二、月度趨勢", "五、客戶結構變化", "六、年度考核", "七、總結與展望"):
        assert heading in text


def test_example_workspace_company_summary(tmp_path):
    ws = copy_example(tmp_path / "ws")
    render(ws, "year-summary", "--period", "2026")
    tables = docx_tables(docx_document(ws / "output" / "2026" / "company" / "year-summary.docx"))
    moves = next(t for t in tables if t[0][:2] == ["客戶", "業務員"] and "原等級" in t[0])
    assert ("臨沂華泰印務", "二級", "一級（升級）") in [(r[0], r[4], r[5]) for r in moves[1:]]
    trend = next(t for t in tables if t[0][:3] == ["月份", "目標", "實績"])
    assert [r[0] for r in trend[1:-1]] == [f"{m}月" for m in range(1, 7)]


def test_annual_supervisor_points_average_the_scored_months(tmp_path):
    ws = copy_example(tmp_path / "ws")
    write_hand_ledgers(ws)
    head = "業務員,銷售人員行為紀律,工作計畫、匯報完成率,需求資源客戶回覆情況\n"
    # May's file has no 需求資源客戶回覆情況 column (a warning); 吳芳 is not scored in May
    (ws / "ledgers" / "2026-05" / "appraisal.csv").write_text(head.replace(",需求資源客戶回覆情況", "") + "d01,8,8\n",
                                                              encoding="utf-8")
    (ws / "ledgers" / "2026-06" / "appraisal.csv").write_text(head + "d01,9,8,10\nd02,9,9,9\n", encoding="utf-8")
    render(ws, "year-summary", "--period", "2026", "--region", "shandong")
    tables = docx_tables(docx_document(ws / "output" / "2026" / "shandong" / "year-summary.docx"))
    appraisal = next(t for t in tables if t[0][-2:] == ["總分", "評級"])
    assert [h.split("\n")[0] for h in appraisal[0][-5:-2]] == ["紀律", "匯報", "回覆"]
    rows = {r[0]: r for r in appraisal[1:]}
    assert rows["周建國"][-5:-2] == ["8.5", "8.0", "待評"]         # (8 + 9) ÷ 2, (8 + 8) ÷ 2; May's 回覆 missing
    assert rows["吳芳"][-5:-2] == ["待評"] * 3                      # May not scored: the year's items wait
    assert "（3項待評）" in rows["吳芳"][-2] and rows["吳芳"][-1].endswith("（暫定）")
    assert "（1項待評）" in rows["周建國"][-2]
    html = (ws / "output" / "2026" / "shandong" / "year-summary.html").read_text(encoding="utf-8")
    # the message as validate prints it, set with the documents' full-width punctuation
    assert typeset_text("ledgers/2026-05/appraisal.csv:1: warning: requests: no column for 需求資源客戶回覆情況: "
                        "every card shows it as 待評", simplified=False) in html


def test_people_excluded_from_appraisal_are_in_no_ranking(tmp_path):
    ws = copy_example(tmp_path / "ws")
    write_hand_ledgers(ws)
    region = ws / "plans" / "2026" / "regions" / "shandong.yaml"
    text = region.read_text(encoding="utf-8")
    region.write_text(text.replace("{id: d04, name: 馮雪, role: 業務員,",
                                   "{id: d04, name: 馮雪, role: 業務員, appraisal: false,"), encoding="utf-8")
    render(ws, "year-summary", "--period", "2026", "--region", "shandong")
    tables = docx_tables(docx_document(ws / "output" / "2026" / "shandong" / "year-summary.docx"))
    ranking = next(t for t in tables if t[0][:2] == ["名次", "業務員"])
    appraisal = next(t for t in tables if t[0][-2:] == ["總分", "評級"])
    assert [r[1] for r in ranking[1:]] == ["周建國", "吳芳", "鄭浩"]
    assert {r[0] for r in appraisal[1:]} == {"周建國", "吳芳", "鄭浩"}


def narrative_lines(docx_path: Path) -> list[str]:
    paragraphs = [p.text for p in docx_document(docx_path).paragraphs]
    return paragraphs[paragraphs.index("七、總結與展望") + 1:]


def test_narrative_states_the_tables_figures_in_the_templates_words(out):
    lines = narrative_lines(out / "year-summary.docx")
    tables = docx_tables(docx_document(out / "year-summary.docx"))
    row = next(t for t in tables if t[0][1:4] == ["全年任務", "全年目標", "目標/任務"])[1]
    # 52000 + 153500 = 205500 元 = 20.55 萬元 against the to-date target 242.67 萬: 20.55 ÷ 242.67 = 8.5%,
    # the same figures table 1 prints (累計實績, 同期完成率)
    assert row[5:7] == ["20.55", "8.5%"]
    assert lines[1] == "5–6月累計完成銷售 20.55 萬元，完成同期目標的 8.5%。"
    assert lines[2] == "新開發客戶 1 家：臨沂蘭山紙品廠。"
    assert lines[4].startswith("同期完成率低於 80% 的業務員：周建國（49.3%）、")
    assert lines[6] == "客戶降級：濟南魯信彩印有限公司（VIP→一級）、青島海晟包裝集團（一級→二級）。"
    assert lines[7:10] == ["3．下一年工作計畫",
                           "按今年實績和客戶等級變化重新劃分客戶、調整拜訪週期，VIP 客戶每月拜訪。",
                           "對完成率偏低的業務員制定改進計畫，納入下年度月銷售計畫表跟進。"]


def test_a_region_rewords_next_years_plan_with_one_block(tmp_path):
    ws = copy_example(tmp_path / "ws")
    write_hand_ledgers(ws)
    override = ws / "regions" / "shandong" / "templates" / "year-summary.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "builtin/year-summary.html.j2" %}\n'
                        '{% block next_year %}<li>明年重點開發臨沂市場，每月走訪新客戶 {{ narrative.new_customers '
                        '| length }} 家以上。</li>{% endblock %}\n', encoding="utf-8")
    render(ws, "year-summary", "--period", "2026", "--region", "shandong")
    render(ws, "year-summary", "--period", "2026", "--region", "south")
    shandong = narrative_lines(ws / "output" / "2026" / "shandong" / "year-summary.docx")
    assert shandong[shandong.index("3．下一年工作計畫") + 1:] == ["明年重點開發臨沂市場，每月走訪新客戶 1 家以上。"]
    assert shandong[1] == "5–6月累計完成銷售 20.55 萬元，完成同期目標的 8.5%。"   # the rest is inherited
    assert "明年重點開發臨沂市場" in pdf_text(ws / "output" / "2026" / "shandong" / "year-summary.pdf")
    south = narrative_lines(ws / "output" / "2026" / "south" / "year-summary.docx")
    assert "按今年實績和客戶等級變化重新劃分客戶、調整拜訪週期，VIP 客戶每月拜訪。" in south
