"""Typography details (issue 11): separators on quantities, 週/周 by script, full-width
punctuation, a searchable title, ids and 金額單位 only where they belong, empty columns left
out, whole-number count axes, and the example in both scripts."""
from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compact, copy_example, docx_document, docx_tables, pdf_font_families, pdf_text
from matplotlib.figure import Figure

from docgen.cli import cli
from docgen.render.charts import BarChart, Series, bar_chart
from docgen.render.typography import typeset, typeset_text


@pytest.mark.parametrize("raw, printed", [
    # a channel warning as the plan check writes it, and as a page prints it
    ("經銷商: 4家 × 8萬 × 7個月 = 224萬, 計畫定額 192萬 (計畫定額相當於6個月)",
     "經銷商：4家 × 8萬 × 7個月 = 224萬，計畫定額 192萬（計畫定額相當於6個月）"),
    ("已拜訪； 應訪客戶均已安排。 下月再訪", "已拜訪；應訪客戶均已安排。下月再訪"),
    ("全月電話 2695 次，市場容量 30000 噸", "全月電話 2,695 次，市場容量 30,000 噸"),
    ("每周拜訪，周訂單，本月周數", "每週拜訪，週訂單，本月週數"),
    ("周建國 2026年 10:30 E0932 0571-8833 2290 1,092.00", "周建國 2026年 10:30 E0932 0571-8833 2290 1,092.00"),
])
def test_traditional_text(raw, printed):
    assert typeset_text(raw, simplified=False) == printed


def test_simplified_text_uses_simplified_characters_and_周():
    assert typeset_text("年度銷售總體計畫：每週拜訪", simplified=True) == "年度销售总体计划：每周拜访"
    assert typeset_text("「同期目標」為計畫", simplified=True) == "“同期目标”为计划"  # Simplified quotation marks


def test_number_cells_get_thousands_separators_but_not_their_decimals():
    html = typeset("<table><tr><td class='num'>2695</td><td class='num'>1151.5%</td>"
                   "<td class='num'>0.12345</td><td>E0932</td></tr></table>", simplified=False)
    assert ">2,695<" in html and ">1,151.5%<" in html and ">0.12345<" in html and ">E0932<" in html


def test_a_drop_empty_table_loses_its_all_dash_columns_and_narrows_the_header_over_them():
    html = typeset("<table class='drop-empty'><colgroup><col><col><col></colgroup><thead>"
                   "<tr><th rowspan='2'>業務員</th><th colspan='2'>每日工作量</th></tr>"
                   "<tr><th>電話</th><th>訪老客戶</th></tr></thead><tbody>"
                   "<tr><td>李明</td><td>30</td><td>—</td></tr><tr class='total'><td>合計</td><td>30</td><td></td></tr>"
                   "</tbody></table>", simplified=False)
    assert "訪老客戶" not in html and "—" not in html
    assert '<th colspan="1">每日工作量</th>' in html and html.count("<col>") == 2


def test_count_axes_are_whole_numbers_and_empty_series_are_left_out():
    chart = bar_chart("visits", ["a", "b"], [Series("plan", (1.0, 2.0)), Series("new", (0.0, 0.0))])
    assert isinstance(chart.draw_svg, partial)  # the chart is drawn when a writer asks, from this spec
    spec = chart.draw_svg.args[0]
    assert [s.label for s in spec.series] == ["plan"]
    fig = Figure()
    BarChart(("a", "b"), (Series("done", (1.0, 2.0)),)).draw(fig)
    assert all(float(t).is_integer() for t in fig.axes[0].get_yticks())


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("typo") / "ws")
    for args in (["annual-plan", "--period", "2026", "--region", "east"],
                 ["visit-plan", "--period", "2026-06", "--person", "e02"],
                 ["monthly-plan", "--period", "2026-06", "--region", "east"]):
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", *args, "--format", "docx,pdf"])
        assert result.exit_code == 0, result.output
    return ws / "output"


def test_the_pdf_title_reads_whole(example):
    first_lines = [line.strip() for line in pdf_text(example / "2026" / "east" / "annual-plan.pdf").splitlines()
                   if line.strip()]
    assert "年度銷售總體計畫" in first_lines[:3]  # not "年 度銷售總體計畫" (letter-spacing)


def test_visit_sheet_has_no_internal_id_and_no_money_unit(example):
    word = docx_document(example / "2026-06" / "east" / "visit-plan-e02.docx")
    text = "\n".join(cell for table in docx_tables(word) for row in table for cell in row)
    assert "李明" in text and "e02" not in text
    assert "金額單位" not in text
    annual = docx_document(example / "2026" / "east" / "annual-plan.docx")
    assert "金額單位" in [cell for row in docx_tables(annual)[0] for cell in row]


def test_monthly_plan_leaves_out_the_columns_nobody_filled(example):
    tables = docx_tables(docx_document(example / "2026-06" / "east" / "monthly-plan.docx"))
    quotas = next(t for t in tables if t[0][0] == "業務員" and "每日工作量" in t[0])
    # 訪老客戶 / 訪新客戶 were "—" for everyone in the example: left out
    assert "訪老客戶" not in quotas[1] and "訪新客戶" not in quotas[1] and "電話" in quotas[1]
    assert "每週拜訪" in quotas[0] and all("—" not in cell for row in quotas for cell in row)


@pytest.fixture(scope="module")
def simplified(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("simplified") / "ws")
    config = ws / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("script: traditional", "script: simplified"),
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "annual-plan", "--period", "2026",
                                      "--region", "east", "--format", "docx,pdf"])
    assert result.exit_code == 0, result.output
    return ws / "output" / "2026" / "east"


def test_a_simplified_workspace_gets_simplified_labels_and_the_sc_fonts(simplified):
    pdf = compact(pdf_text(simplified / "annual-plan.pdf"))
    assert "年度销售总体计划" in pdf and "第1页/共" in pdf and "市场分析" in pdf
    assert "銷售" not in pdf and "計畫" not in pdf
    assert pdf_font_families(simplified / "annual-plan.pdf") == {"Noto-Sans-CJK-SC"}
    word = docx_document(simplified / "annual-plan.docx")
    assert word.paragraphs[0].text == "年度销售总体计划"
    assert word.core_properties.title == "年度销售总体计划"
    assert word.sections[0].header.paragraphs[0].text == "金立基粘合剂有限公司\t年度销售总体计划（华东区）"
    fonts = set(word.element.body.xpath(".//w:rFonts/@w:eastAsia"))
    langs = set(word.element.body.xpath(".//w:lang/@w:eastAsia"))
    assert fonts == {"Microsoft YaHei"} and langs == {"zh-CN"}


def test_the_simplified_build_passes_the_layout_check(simplified):
    import sys

    from conftest import REPO
    sys.path.insert(0, str(REPO / "tools"))
    import layout_check

    assert layout_check.check_folder(simplified) == []


@pytest.mark.parametrize("html", ["", "   \n", "<!-- 只有註解 -->"])
def test_html_without_an_element_is_typeset_as_an_empty_page(html):
    assert typeset(html, simplified=False) == "<!DOCTYPE html>\n<html><body></body></html>"
