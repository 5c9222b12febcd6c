"""The Word file looks like the PDF (issue 11): title, colours, captions with their charts,
dates and numbers that do not wrap, header words kept whole, the SWOT header."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import compact, copy_example, soffice_to_pdf
from test_docx_writer import make_doc

from docgen.cli import cli
from docgen.render.docx import write_docx

TWIPS_PER_PT = 20


def read(body: str, tmp_path: Path):
    return docx.Document(io.BytesIO(write_docx(make_doc(body, tmp_path))))


def test_the_title_is_centred_and_the_grid_is_the_stylesheets_grey_blue(tmp_path):
    word = read("<h1>年度銷售總體計畫</h1><table><thead><tr><th>區域</th></tr></thead>"
                "<tbody><tr><td>華東區</td></tr><tr class='total'><td>合計</td></tr></tbody></table>", tmp_path)
    assert word.paragraphs[0].paragraph_format.alignment.name == "CENTER"
    tbl = word.tables[0]._tbl
    colours = set(tbl.xpath("./w:tblPr/w:tblBorders/*/@w:color"))
    assert colours == {"9AA9B8"}  # style.css: th, td { border: 0.6pt solid #9aa9b8 }
    fills = tbl.xpath(".//w:tc/w:tcPr/w:shd/@w:fill")
    assert fills == ["E4EBF3", "F3F6F9"]  # th background, tr.total background


def test_warnings_keep_their_colour_and_notes_are_small_and_grey(tmp_path):
    word = read("<p class='warning'>⚠ 個人月定額合計與任務不符</p><ul class='warning'><li>直營店</li></ul>"
                "<p class='note'>合計的目標欄</p>", tmp_path)
    warning, item, note = word.paragraphs
    assert {r.font.color.rgb for r in warning.runs + item.runs} == {docx.shared.RGBColor(0x9A, 0x3B, 0x00)}
    assert warning._p.xpath("./w:pPr/w:pBdr/w:left/@w:color") == ["9A3B00"]  # p.warning's left rule
    assert {(r.font.size.pt, str(r.font.color.rgb)) for r in note.runs} == {(8.5, "4A5A6A")}


def test_a_figure_keeps_its_picture_with_its_caption(tmp_path):
    word = read("<figure><img src='asset:chart' style='width: 160mm'><figcaption>圖1　月度目標</figcaption>"
                "</figure><p>其後的段落</p>", tmp_path)
    picture, caption, _after = word.paragraphs
    assert picture.paragraph_format.keep_with_next is True
    assert caption.text == "圖1　月度目標" and not caption.paragraph_format.keep_with_next
    assert picture.paragraph_format.alignment.name == "CENTER"


def column_twips(table) -> list[int]:
    return [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]


def test_date_and_number_columns_are_widened_to_hold_them_on_one_line(tmp_path):
    # Declared 8% + 92% of 170 mm: 8% is 13.6 mm = 771 twips. "2026年5月8日" at 9 pt is
    # 4×0.6 + 3×1 + 4 digit/CJK meetings×0.25 + 1 + … ≈ 8.1 em ≈ 73 pt = 1,460 twips + padding.
    body = ("<table><colgroup><col style='width: 8%'><col style='width: 92%'></colgroup>"
            "<thead><tr><th>到職日期</th><th>負責地區</th></tr></thead>"
            "<tbody><tr><td class='date'>2026年5月8日</td><td>上海市</td></tr></tbody></table>")
    table = read(body, tmp_path).tables[0]
    first, second = column_twips(table)
    assert first >= 1460 + 216 and first + second == 9866  # 174 mm of text width (11,906 − 2 × 1,020 twips), unchanged
    assert table._tbl.xpath(".//w:tc[w:tcPr/w:noWrap]//w:t/text()") == ["2026年5月8日"]


def test_header_words_get_the_width_they_need(tmp_path):
    heads = "".join(f"<th>{h}</th>" for h in ("序號", "累計完成率", "說明"))
    body = (f"<table><colgroup><col style='width: 3%'><col style='width: 5%'><col style='width: 92%'></colgroup>"
            f"<thead><tr>{heads}</tr></thead><tbody><tr><td>1</td><td>9</td><td>文字</td></tr></tbody></table>")
    widths = column_twips(read(body, tmp_path).tables[0])
    # 序號: 2 em × 9 pt × bold 1.08 ≈ 19.4 pt = 389 twips, + 216 padding; 累計完成率: 5 em ≈ 972 + 216
    assert widths[0] >= 389 + 216 and widths[1] >= 972 + 216


SWOT = ("<table class='swot'><thead><tr><th>優勢（S）</th><th>劣勢（W）</th></tr></thead><tbody>"
        "<tr><td>強</td><td>弱</td></tr><tr><th>機會（O）</th><th>威脅（T）</th></tr>"
        "<tr><td>機</td><td>險</td></tr></tbody></table>")


def test_a_header_that_labels_only_the_first_half_is_not_repeated(tmp_path):
    tbl = read(SWOT, tmp_path).tables[0]._tbl
    assert tbl.xpath(".//w:trPr/w:tblHeader") == []
    plain = read("<table><thead><tr><th>月份</th></tr></thead><tbody><tr><td>6月</td></tr></tbody></table>",
                 tmp_path).tables[0]._tbl
    assert len(plain.xpath(".//w:trPr/w:tblHeader")) == 1


@pytest.fixture(scope="module")
def east_plan_through_libreoffice(tmp_path_factory) -> str:
    ws = copy_example(tmp_path_factory.mktemp("look") / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "annual-plan", "--period", "2026",
                                      "--region", "east", "--format", "docx"])
    assert result.exit_code == 0, result.output
    pdf = soffice_to_pdf(ws / "output" / "2026" / "east" / "annual-plan.docx", tmp_path_factory.mktemp("lo"))
    import subprocess
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_libreoffice_shows_dates_and_header_words_on_one_line(east_plan_through_libreoffice):
    lines = [compact(line) for line in east_plan_through_libreoffice.splitlines()]
    # 表10 人員配置: 5 people started on 2026年5月8日, 2 on 2026年6月1日, each on one line
    assert sum(line.count("2026年5月8日") for line in lines) == 5
    assert sum(line.count("2026年6月1日") for line in lines) == 2
    # the channel table's 月數 and the phase table's 序號 headers are not split into 月/數, 序/號
    assert any("月數" in line for line in lines) and any("序號" in line for line in lines)
    assert not any(line == "號" or line.startswith("號") for line in lines)
    # the running header names the region, as the PDF's does
    assert any(line.endswith("年度銷售總體計畫（華東區）") for line in lines)


def test_room_for_dates_comes_from_long_text_before_short_names(tmp_path):
    # 客戶 holds a 10-character name: 10 em × 9 pt × 20 × 1.05 = 1,890 twips + 276 padding = 2,166;
    # declared 23% of 9,866 = 2,269. The date column's extra room comes from 說明 (long text) first.
    body = ("<table><colgroup><col style='width: 5%'><col style='width: 23%'><col style='width: 72%'></colgroup>"
            "<thead><tr><th>日期</th><th>客戶</th><th>說明</th></tr></thead><tbody>"
            "<tr><td class='date'>2026年12月31日</td><td>杭州錦繡禮盒有限公司</td>"
            f"<td>{'按需求量大小為縱軸、成交快慢為橫軸分為四類。' * 4}</td></tr></tbody></table>")
    date, name, text = column_twips(read(body, tmp_path).tables[0])
    assert name >= 2166 and date >= 1700 and date + name + text == 9866
