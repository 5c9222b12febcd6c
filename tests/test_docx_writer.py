"""The Word writer: HTML subset in, python-docx (and LibreOffice) read the result back."""
from __future__ import annotations

import base64
import datetime as dt
import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length

from docgen.errors import RenderError
from docgen.render.document import PageSetup, Picture, RenderedDocument
from docgen.render.docx import DocxWriter, write_docx

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "templates" / "reference.docx"
FONT = "Microsoft JhengHei"  # what Word on Windows has for Traditional Chinese
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid grey RGB PNG, written by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def mm(length: Length | None) -> int:
    """A page size or margin in whole millimetres (python-docx gives None for one the file does not set)."""
    assert length is not None
    return round(length.mm)


def text_width(section: Section) -> int:
    """The width between the side margins, in EMU."""
    width, left, right = section.page_width, section.left_margin, section.right_margin
    assert width is not None and left is not None and right is not None
    return width - left - right


def make_doc(body: str, tmp_path: Path, **kw) -> RenderedDocument:
    chart = Picture("chart", 160, 80, draw_svg=lambda: b"<svg/>", draw_png=tiny_png)
    fields: dict[str, Any] = dict(
        doc_id="charter", title="年度計畫", company="範例公司",
        html=f"<!DOCTYPE html><html lang='zh-Hant'><head><title>x</title></head><body>{body}</body></html>",
        css="", pictures={"chart": chart}, created=dt.datetime(2024, 3, 1, 9, 30),
        reference_docx=REFERENCE, allowed_roots=(tmp_path,),
    )
    fields.update(kw)
    return RenderedDocument(**fields)


def read(doc: RenderedDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(write_docx(doc)))


def paragraphs(word) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs]


TABLE = """
<table><caption>表 1　各區目標</caption>
<colgroup><col style="width: 40%"><col style="width: 30%"><col style="width: 30%"></colgroup>
<thead><tr><th rowspan="2">區域</th><th colspan="2">金額（元）</th></tr>
<tr><th class="num">目標</th><th class="num">實績</th></tr></thead>
<tbody><tr><td rowspan="2">北區</td><td class="num">1,200,000</td><td class="num">1,100,000</td></tr>
<tr><td class="num">300,000</td><td class="num">250,000</td></tr></tbody>
<tfoot><tr><td>合計</td><td class="num">1,500,000</td><td class="num">1,350,000</td></tr></tfoot>
</table>"""


def test_headings_paragraphs_and_captions_get_word_styles(tmp_path):
    word = read(make_doc(
        "<h1>年度銷售計畫</h1><h2>目標</h2><h3>分區</h3><h4>北區</h4><p>內文</p>"
        "<p class='caption'>圖 1</p><figure><figcaption>圖 2</figcaption></figure>", tmp_path))
    assert paragraphs(word) == [
        ("Heading 1", "年度銷售計畫"), ("Heading 2", "目標"), ("Heading 3", "分區"),
        ("Heading 4", "北區"), ("Normal", "內文"), ("Caption", "圖 1"), ("Caption", "圖 2"),
    ]


def test_inline_formatting_and_whitespace(tmp_path):
    word = read(make_doc(
        "<p>\n  一般 <strong>粗體</strong> <em>斜體</em> <u>底線</u>"
        " <a href='https://example.com'>連結</a><br>\n 第二行  </p>", tmp_path))
    para = word.paragraphs[0]
    assert para.text == "一般 粗體 斜體 底線 連結\n第二行"
    runs = {r.text: r for r in para.runs}
    assert runs["粗體"].bold and runs["斜體"].italic and runs["底線"].underline
    assert not word.part.rels or all("hyperlink" not in r.reltype for r in word.part.rels.values())


def test_escaped_markup_shows_literally_and_scripts_are_dropped(tmp_path):
    word = read(make_doc(
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 公司</p><script>evil()</script>"
        "<style>p{}</style><p>後文</p>", tmp_path))
    texts = [t for _s, t in paragraphs(word)]
    assert texts == ["<script>alert(1)</script> & 公司", "後文"]


def test_unknown_tags_degrade_to_their_text(tmp_path):
    word = read(make_doc("<custom-box>自訂<mark>標記</mark></custom-box><article><p>段落</p></article>",
                         tmp_path))
    assert [t for _s, t in paragraphs(word)] == ["自訂標記", "段落"]


def test_running_header_elements_stay_out_of_the_body(tmp_path):
    word = read(make_doc("<div class='running-company'>範例公司</div>"
                         "<div class='running-title'>年度計畫</div><h1>年度計畫</h1>", tmp_path))
    assert paragraphs(word) == [("Heading 1", "年度計畫")]


def test_total_rows_are_bold(tmp_path):
    word = read(make_doc("<table><tr><td>甲</td></tr><tr class='total'><td>合計</td></tr></table>", tmp_path))
    rows = word.tables[0].rows
    assert not rows[0].cells[0].paragraphs[0].runs[0].bold
    assert rows[1].cells[0].paragraphs[0].runs[0].bold


def test_nested_lists_use_list_styles_and_each_ol_restarts(tmp_path):
    word = read(make_doc(
        "<ul><li>甲<ul><li>甲一</li></ul></li><li>乙</li></ul>"
        "<ol><li>一</li><li>二</li></ol><p>中間</p><ol><li>再一</li></ol>", tmp_path))
    assert paragraphs(word) == [
        ("List Bullet", "甲"), ("List Bullet 2", "甲一"), ("List Bullet", "乙"),
        ("List Number", "一"), ("List Number", "二"), ("Normal", "中間"), ("List Number", "再一"),
    ]
    num_ids = [p._p.xpath("string(./w:pPr/w:numPr/w:numId/@w:val)") for p in word.paragraphs]
    assert num_ids[3] == num_ids[4] != num_ids[6]


def test_table_cells_merges_header_rows_alignment_and_shading(tmp_path):
    word = read(make_doc(TABLE, tmp_path))
    assert paragraphs(word) == [("Caption", "表 1　各區目標")]
    table = word.tables[0]
    assert table.style is not None and table.style.name == "Table Grid"
    assert [c.text for c in table.rows[2].cells] == ["北區", "1,200,000", "1,100,000"]
    assert [c.text for c in table.rows[4].cells] == ["合計", "1,500,000", "1,350,000"]
    assert table.cell(3, 0).text == "北區"  # the vertical merge reads as one cell

    tbl = table._tbl
    rows = tbl.findall(qn("w:tr"))
    assert [r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for r in rows] == [
        True, True, False, False, False]
    assert tbl.xpath("./w:tr[1]/w:tc[2]/w:tcPr/w:gridSpan/@w:val") == ["2"]
    assert tbl.xpath("./w:tr[1]/w:tc[1]/w:tcPr/w:vMerge/@w:val") == ["restart"]
    continued = tbl.xpath("./w:tr[2]/w:tc[1]/w:tcPr/w:vMerge")
    assert len(continued) == 1 and continued[0].get(qn("w:val")) is None
    assert tbl.xpath("./w:tr[4]/w:tc[1]/w:tcPr/w:vMerge") and len(rows[3].findall(qn("w:tc"))) == 3

    num = table.rows[2].cells[1].paragraphs[0]
    assert num.paragraph_format.alignment is not None and num.alignment.name == "RIGHT"
    assert table.rows[2].cells[0].paragraphs[0].alignment is None
    for th in tbl.xpath("./w:tr[1]/w:tc"):
        assert th.xpath("./w:tcPr/w:shd/@w:fill")
        assert th.xpath(".//w:r/w:rPr/w:b")
    assert not tbl.xpath("./w:tr[3]/w:tc/w:tcPr/w:shd")


def test_column_widths_follow_col_percentages_and_fill_the_text_width(tmp_path):
    word = read(make_doc(TABLE, tmp_path))
    section = word.sections[0]
    text_twips = text_width(section) / 635
    grid = [int(w) for w in word.tables[0]._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert sum(grid) == pytest.approx(text_twips, abs=2)
    assert grid[0] / sum(grid) == pytest.approx(0.4, abs=0.01)


def test_table_without_colgroup_splits_width_equally(tmp_path):
    word = read(make_doc("<table><tr><td>a</td><td>b</td><td>c</td><td>d</td></tr></table>", tmp_path))
    grid = [int(w) for w in word.tables[0]._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert max(grid) - min(grid) <= 3


def test_every_run_and_the_styles_carry_the_east_asian_font(tmp_path):
    word = read(make_doc(f"<h1>標題</h1><p>文字 <b>粗</b></p><ul><li>項</li></ul>{TABLE}"
                         "<p><img src='asset:chart'></p>", tmp_path))
    runs = word.element.body.iter(qn("w:r"))
    footer_runs = word.sections[0].footer._element.iter(qn("w:r"))
    header_runs = word.sections[0].header._element.iter(qn("w:r"))
    for run in [*runs, *footer_runs, *header_runs]:
        assert run.xpath("string(./w:rPr/w:rFonts/@w:eastAsia)") == FONT
    for name in ("Normal", "Heading 1", "Caption", "List Bullet", "Table Grid"):
        r_fonts = word.styles[name].element.rPr.rFonts
        assert r_fonts.get(qn("w:eastAsia")) == FONT and r_fonts.get(qn("w:eastAsiaTheme")) is None
    defaults = word.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:eastAsia")
    assert defaults == [FONT]


def test_font_follows_the_script_of_the_page_setup(tmp_path):
    page = PageSetup(font_family="Noto Sans CJK SC", lang="zh-Hans")
    word = read(make_doc("<p>简体</p>", tmp_path, page=page, reference_docx=None))
    assert word.paragraphs[0].runs[0]._r.xpath("string(./w:rPr/w:rFonts/@w:eastAsia)") == "Microsoft YaHei"
    assert word.styles.element.xpath("string(./w:docDefaults//w:lang/@w:eastAsia)") == "zh-CN"


def pictures(word) -> list:
    return list(word.element.body.iter(PIC))


def test_asset_and_data_pictures_are_embedded_at_their_size(tmp_path):
    data_uri = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    word = read(make_doc(f"<figure><img src='asset:chart' style='width: 160mm'></figure>"
                         f"<p><img src='{data_uri}' style='width: 20mm; height: 10mm'></p>", tmp_path))
    assert len(pictures(word)) == 2
    shapes = word.inline_shapes
    assert shapes[0].width.mm == pytest.approx(160, abs=0.1)
    assert shapes[0].height.mm == pytest.approx(80, abs=0.1)  # 4:2 PNG, aspect kept
    assert (shapes[1].width.mm, shapes[1].height.mm) == (pytest.approx(20, abs=0.1), pytest.approx(10, abs=0.1))


def test_asset_without_css_size_uses_the_pictures_own_size(tmp_path):
    word = read(make_doc("<p><img src='asset:chart'></p>", tmp_path))
    shape = word.inline_shapes[0]
    assert (shape.width.mm, shape.height.mm) == (pytest.approx(160, abs=0.1), pytest.approx(80, abs=0.1))


def test_pictures_never_wider_than_the_text(tmp_path):
    word = read(make_doc("<p><img src='asset:chart' style='width: 400mm'></p>", tmp_path))
    section = word.sections[0]
    assert word.inline_shapes[0].width <= text_width(section)


@pytest.mark.parametrize("src", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "../../etc/hosts",
                                 "asset:missing", "data:image/svg+xml;base64,PHN2Zy8+"])
def test_refused_or_unsupported_pictures_embed_nothing(src, tmp_path):
    data = write_docx(make_doc(f"<p>前<img src='{src}'>後</p>", tmp_path))
    word = docx.Document(io.BytesIO(data))
    assert pictures(word) == []
    assert word.paragraphs[0].text == "前[圖片未嵌入]後"
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]


def test_local_picture_inside_allowed_roots_is_embedded(tmp_path):
    (tmp_path / "logo.png").write_bytes(tiny_png())
    word = read(make_doc("<p><img src='logo.png' style='width: 30mm'></p>", tmp_path))
    assert len(pictures(word)) == 1


def test_page_breaks_from_class_and_css(tmp_path):
    word = read(make_doc(
        "<p>一</p><h2 class='page-break'>二</h2><p style='page-break-before: always'>三</p>"
        "<div style='break-before: page'><p>四</p></div><div class='page-break'></div>"
        "<table><tr><td>表</td></tr></table>", tmp_path))
    breaks = [bool(p._p.xpath("./w:pPr/w:pageBreakBefore")) for p in word.paragraphs]
    assert [p.text for p in word.paragraphs][:4] == ["一", "二", "三", "四"]
    assert breaks == [False, True, True, True, True]  # the last one carries the table's break


def test_header_footer_and_page_fields(tmp_path):
    word = read(make_doc("<p>內容</p>", tmp_path))
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "範例公司\t年度計畫"  # company left, title at the right tab
    footer = section.footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.xpath("string(.)").startswith("第 ")
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert section.orientation.name == "PORTRAIT"


def test_two_writes_are_byte_identical_with_fixed_metadata(tmp_path):
    doc = make_doc(f"<h1>標題</h1>{TABLE}<ol><li>一</li></ol><p><img src='asset:chart'></p>", tmp_path)
    first, second = write_docx(doc), DocxWriter().write(doc)
    assert first == second
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(first)).core_properties
    assert (props.title, props.author, props.revision) == ("年度計畫", "範例公司", 1)
    when = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
    assert props.created == props.modified == props.last_printed == when


def test_reference_document_gives_styles_and_page_but_not_its_body(tmp_path):
    reference = docx.Document(str(REFERENCE))
    reference.add_paragraph("參考文件的內文")
    path = tmp_path / "region.docx"
    reference.save(str(path))
    word = read(make_doc("<h1>標題</h1>", tmp_path, reference_docx=path))
    assert paragraphs(word) == [("Heading 1", "標題")]
    margin = word.sections[0].left_margin
    assert margin is not None and margin.mm == pytest.approx(18, abs=0.1)  # the PDF's side margin
    assert word.styles["Normal"].font.size.pt == 10.5


def test_missing_reference_document_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="reference"):
        write_docx(make_doc("<p>x</p>", tmp_path, reference_docx=tmp_path / "nope.docx"))


def test_builtin_reference_document_is_a4_with_cjk_styles():
    word = docx.Document(str(REFERENCE))
    section = word.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin)) == (22, 18)  # as the PDF's @page
    for name in ("Normal", "Heading 1", "Heading 4", "Caption", "Table Grid"):
        assert word.styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) == FONT
    assert len(word.element.body) == 1  # only the section properties


def test_writer_interface():
    writer = DocxWriter()
    assert (writer.name, writer.suffix) == ("docx", ".docx")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are needed")
def test_libreoffice_renders_the_chinese_heading(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    source = out / "plan.docx"
    source.write_bytes(write_docx(make_doc(f"<h1>年度銷售計畫</h1>{TABLE}", tmp_path)))
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
                   check=True, env=env, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(out / "plan.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "年度銷售計畫" in text
    assert "1,200,000" in text


def test_a_tables_inline_font_size_and_number_cells_that_do_not_wrap(tmp_path):
    body = ('<table style="font-size: 8pt"><thead><tr><th>業務員</th><th class="num">完成率</th></tr></thead>'
            '<tbody><tr><td>周建國</td><td class="num">118.7%</td></tr></tbody></table>'
            '<table><tbody><tr><td>一般</td></tr></tbody></table>')
    word = docx.Document(io.BytesIO(write_docx(make_doc(body, tmp_path))))
    small, plain = word.tables
    sizes = {r._r.rPr.find(qn("w:sz")).get(qn("w:val")) for row in small.rows for c in row.cells
             for p in c.paragraphs for r in p.runs}
    assert sizes == {"16"}  # 8 pt in half-points
    plain_sizes = {r._r.rPr.find(qn("w:sz")).get(qn("w:val")) for p in plain.rows[0].cells[0].paragraphs
                   for r in p.runs}
    assert plain_sizes == {"18"}  # 9 pt, as the stylesheet's tables
    number_cell, label_cell = small.rows[1].cells[1]._tc.tcPr, small.rows[1].cells[0]._tc.tcPr
    assert number_cell is not None and number_cell.find(qn("w:noWrap")) is not None
    assert label_cell is None or label_cell.find(qn("w:noWrap")) is None
