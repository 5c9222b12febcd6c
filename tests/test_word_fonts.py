"""Word fonts and language: the DOCX names fonts its readers have, for its script (issue 11).

Every assertion reads the XML back out of the written file.
"""
from __future__ import annotations

import io
import zipfile

import docx
from click.testing import CliRunner
from conftest import copy_example
from docx.oxml.ns import qn
from lxml import etree
from test_docx_writer import REFERENCE, make_doc

from docgen.cli import cli
from docgen.render.document import PageSetup
from docgen.render.docx import write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def fonts_named(data: bytes) -> dict[str, etree._Element]:
    table = part(data, "word/fontTable.xml")
    return {f.get(qn("w:name")): f for f in table.iterfind("w:font", NS)}


def run_fonts(data: bytes) -> set[str]:
    body = part(data, "word/document.xml")
    return set(body.xpath("//w:r/w:rPr/w:rFonts/@w:eastAsia", namespaces=NS))


def test_traditional_names_jhenghei_with_pingfang_as_the_alternative(tmp_path):
    data = write_docx(make_doc("<h1>標題</h1><p>文字</p>", tmp_path))
    assert run_fonts(data) == {"Microsoft JhengHei"}
    table = fonts_named(data)
    jhenghei = table["Microsoft JhengHei"]
    assert jhenghei.find("w:altName", NS).get(qn("w:val")) == "PingFang TC"
    assert jhenghei.find("w:charset", NS).get(qn("w:val")) == "88"  # Big5
    # the table lists what the parts use: the face and the bullets' Symbol, not python-docx's defaults
    assert "ＭＳ 明朝" not in table and "Calibri" not in table and "Noto Sans CJK TC" not in table
    assert set(table) <= {"Microsoft JhengHei", "Symbol", "Courier"}


def test_simplified_names_yahei_with_pingfang_sc_and_zh_cn(tmp_path):
    page = PageSetup(font_family="Noto Sans CJK SC", page_label="第 {page} 页", lang="zh-Hans")
    data = write_docx(make_doc("<p>简体</p>", tmp_path, page=page))
    assert run_fonts(data) == {"Microsoft YaHei"}
    yahei = fonts_named(data)["Microsoft YaHei"]
    assert yahei.find("w:altName", NS).get(qn("w:val")) == "PingFang SC"
    assert yahei.find("w:charset", NS).get(qn("w:val")) == "86"  # GB2312
    body = part(data, "word/document.xml")
    assert set(body.xpath("//w:r/w:rPr/w:lang/@w:eastAsia", namespaces=NS)) == {"zh-CN"}
    settings = part(data, "word/settings.xml")
    assert settings.xpath("string(//w:themeFontLang/@w:eastAsia)", namespaces=NS) == "zh-CN"


def test_every_run_and_style_carries_the_chinese_language(tmp_path):
    data = write_docx(make_doc("<h2>一、分析</h2><p>文字<b>粗</b></p><table><tr><td>格</td></tr></table>",
                               tmp_path))
    body = part(data, "word/document.xml")
    runs = body.xpath("//w:r", namespaces=NS)
    assert runs and all(r.xpath("string(w:rPr/w:lang/@w:eastAsia)", namespaces=NS) == "zh-TW" for r in runs)
    styles = part(data, "word/styles.xml")
    for style_id in ("Normal", "Heading2", "Caption", "TableGrid"):
        style = styles.xpath(f"//w:style[@w:styleId='{style_id}']", namespaces=NS)[0]
        assert style.xpath("string(w:rPr/w:lang/@w:eastAsia)", namespaces=NS) == "zh-TW", style_id
        assert style.xpath("string(w:rPr/w:rFonts/@w:eastAsia)", namespaces=NS) == "Microsoft JhengHei"


def test_workspace_docx_font_wins_and_gets_its_windows_metrics(tmp_path):
    page = PageSetup(docx_font="新細明體")
    data = write_docx(make_doc("<p>文字</p>", tmp_path, page=page))
    assert run_fonts(data) == {"新細明體"}
    entry = fonts_named(data)["新細明體"]
    assert entry.find("w:panose1", NS).get(qn("w:val")) == "02020500000000000000"
    assert entry.find("w:altName", NS).get(qn("w:val")) == "PingFang TC"


def test_a_regions_reference_document_names_its_own_font(tmp_path):
    reference = docx.Document(str(REFERENCE))
    reference.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "DFKai-SB")
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    data = write_docx(make_doc("<p>文字</p>", tmp_path, reference_docx=path, own_reference=True))
    assert run_fonts(data) == {"DFKai-SB"}
    assert "DFKai-SB" in fonts_named(data)
    # docgen.yaml's docx_font still wins over the reference document
    data = write_docx(make_doc("<p>文字</p>", tmp_path, reference_docx=path, own_reference=True,
                               page=PageSetup(docx_font="PMingLiU")))
    assert run_fonts(data) == {"PMingLiU"}
    # a document not marked as having its own reference (the shipped one) keeps the script's font
    assert run_fonts(write_docx(make_doc("<p>文字</p>", tmp_path, reference_docx=path))) == {"Microsoft JhengHei"}


def test_the_build_marks_a_regions_reference_document_as_its_own(tmp_path):
    ws = copy_example(tmp_path / "ws")
    reference = docx.Document(str(REFERENCE))
    reference.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "DFKai-SB")
    (ws / "regions" / "east" / "templates").mkdir(parents=True, exist_ok=True)
    reference.save(str(ws / "regions" / "east" / "templates" / "reference.docx"))
    fonts = {}
    for region in ("east", "south"):
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", "annual-plan", "-r", region, "-f", "docx"])
        assert result.exit_code == 0, result.output
        (written,) = (ws / "output").rglob(f"*{region}*/annual-plan.docx")
        fonts[region] = run_fonts(written.read_bytes())
    # east's own reference names its font; south has none, so the shipped one's font is only a default
    assert fonts == {"east": {"DFKai-SB"}, "south": {"Microsoft JhengHei"}}


def test_docx_font_in_docgen_yaml_reaches_the_word_file(tmp_path):
    ws = copy_example(tmp_path / "ws")
    config = ws / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "prepared_by: 市場部", "prepared_by: 市場部\ndocx_font: 微軟正黑體"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "charter", "--format", "docx"])
    assert result.exit_code == 0, result.output
    data = (ws / "output" / "2026" / "company" / "charter.docx").read_bytes()
    assert run_fonts(data) == {"微軟正黑體"}
    assert fonts_named(data)["微軟正黑體"].find("w:charset", NS).get(qn("w:val")) == "88"


def test_running_header_shows_the_company_and_the_title_with_the_region(tmp_path):
    html_head = "<div class='running-company'>範例公司</div><div class='running-title'>年度計畫（華東區）</div>"
    word = docx.Document(io.BytesIO(write_docx(make_doc(html_head + "<h1>年度計畫</h1>", tmp_path))))
    header = word.sections[0].header._element
    assert "".join(header.xpath(".//w:t/text()")) == "範例公司年度計畫（華東區）"
    assert header.xpath(".//w:tabs/w:tab[@w:val='right']")  # the title sits at the right margin
    assert word.paragraphs[0].text == "年度計畫"  # the running strings are not body text
