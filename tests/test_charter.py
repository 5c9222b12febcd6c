"""The charter end to end: DOCX, PDF and HTML from the example company's data."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import docx_document, docx_tables, pdf_font_families, pdf_text, soffice_to_pdf
from docx.oxml.ns import qn

from docgen.cli import cli

HEADINGS = ["一、市場部職能", "二、組織架構", "三、工作標準", "四、工作職能", "五、部門協作",
            "六、2026年度工作重點", "七、培訓計畫"]


@pytest.fixture(scope="module")
def charter_files(tmp_path_factory) -> dict[str, Path]:
    from conftest import copy_example

    ws = copy_example(tmp_path_factory.mktemp("charter") / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "charter", "--format", "docx,pdf,html"])
    assert result.exit_code == 0, result.output
    out = ws / "output" / "2026" / "company"
    return {fmt: out / f"charter.{fmt}" for fmt in ("docx", "pdf", "html")}


def test_docx_has_headings_in_order_with_heading_styles(charter_files):
    doc = docx_document(charter_files["docx"])
    # the PDF's running-header strings are not body text in Word: the title comes first
    assert doc.paragraphs[0].text == "市場部職能與工作計畫"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == HEADINGS


def test_docx_tables_hold_the_positions_and_standards(charter_files):
    tables = docx_tables(docx_document(charter_files["docx"]))
    positions = next(t for t in tables if t[0][:3] == ["崗位", "人數", "匯報對象"])
    assert positions[1][:3] == ["市場部經理", "1", "總經理"]
    assert positions[-1][:2] == ["合計", "7"]  # 1 + 2 + 2 + 1 + 1
    standards = next(t for t in tables if t[0] == ["序號", "標準", "含義"])
    assert [row[1] for row in standards[1:]] == ["準確性", "及時性", "協調性", "規劃力", "計畫性", "執行力"]
    collaboration = next(t for t in tables if t[0][0] == "部門" and len(t[0]) == 3)
    assert [row[0] for row in collaboration[1:]] == ["行政人事部", "研發生產部", "銷售部", "財務部",
                                                     "市場留守/物流部"]


def test_docx_runs_carry_an_east_asian_font(charter_files):
    doc = docx_document(charter_files["docx"])
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text.strip()]
    assert runs
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) == "Microsoft JhengHei", run.text


def test_docx_has_the_org_chart_picture(charter_files):
    doc = docx_document(charter_files["docx"])
    assert len(doc.inline_shapes) == 1


def test_libreoffice_opens_the_docx(charter_files, tmp_path):
    pdf = soffice_to_pdf(charter_files["docx"], tmp_path)
    text = pdf_text(pdf).replace(" ", "")  # LibreOffice spaces Latin digits from CJK
    for heading in HEADINGS:
        assert heading in text


def test_pdf_text_has_the_headings_and_page_footer(charter_files):
    text = pdf_text(charter_files["pdf"])
    for heading in HEADINGS:
        assert heading in text
    compact = text.replace(" ", "")
    assert "第1頁/共4頁" in compact and "第4頁/共4頁" in compact
    assert "金立基粘合劑有限公司" in text


def test_pdf_embeds_exactly_one_cjk_family(charter_files):
    assert pdf_font_families(charter_files["pdf"]) == {"Noto-Sans-CJK-TC"}


def test_html_is_self_contained(charter_files):
    html = charter_files["html"].read_text(encoding="utf-8")
    assert "<style>" in html and "data:image/svg+xml;base64," in html
    assert "asset:" not in html and "<link" not in html
    for heading in HEADINGS:
        assert heading in html
