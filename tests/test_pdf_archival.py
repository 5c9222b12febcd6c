"""``pdf_variant: pdf/a-3b`` in docgen.yaml: PDF/A-3b identification and a tagged structure tree."""
from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import cli


class RenderedPdf(PdfReader):
    """A PDF as pypdf reads it, with the HTML of the same render."""

    html = ""


def render_visit_sheet(ws, out, variant: str | None) -> RenderedPdf:
    if variant:
        config = ws / "docgen.yaml"
        config.write_text(config.read_text(encoding="utf-8") + f"pdf_variant: {variant}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "visit-plan", "-p", "2026-07", "-r", "east",
                                      "--person", "e01", "-f", "pdf,html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = RenderedPdf(io.BytesIO((out / "2026-07" / "east" / "visit-plan-e01.pdf").read_bytes()))
    reader.html = (out / "2026-07" / "east" / "visit-plan-e01.html").read_text(encoding="utf-8")  # the same render
    return reader


def structure(node, depth: int = 0) -> list[tuple[int, str]]:
    """(depth, structure type) of every element of the structure tree, in document order."""
    node = node.get_object()
    found = []
    if "/S" in node:
        found.append((depth, node["/S"]))
    kids = node.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    for kid in kids:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and ("/S" in kid or "/K" in kid) and kid.get("/Type") != "/MCR":
            found += structure(kid, depth + ("/S" in node))
    return found


@pytest.fixture(scope="module")
def archival(tmp_path_factory):
    from conftest import copy_example

    tmp = tmp_path_factory.mktemp("a")
    return render_visit_sheet(copy_example(tmp / "ws"), tmp / "out", "pdf/a-3b")


def test_pdf_a_3b_is_identified_in_the_xmp_metadata(archival):
    root = archival.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part="3"', xmp) and re.search(r'pdfaid:conformance="B"', xmp)
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"  # the sRGB output intent PDF/A requires
    assert archival.pdf_header == "%PDF-1.7"


def test_the_structure_tree_tags_headings_and_tables_in_reading_order(archival):
    root = archival.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/Lang"] == "zh-Hant"
    tags = [tag for _, tag in structure(root["/StructTreeRoot"])]
    assert tags.count("/H1") == 1  # 月訪客戶計畫表
    assert tags.count("/H2") == 3  # 一、本月拜訪安排 … 三、未能安排的拜訪
    assert tags.count("/Table") == archival.html.count("<table") >= 3  # every table of the sheet, as the HTML has them
    # reading order: the title, then section one with its table, before section two
    first_h2 = tags.index("/H2")
    assert tags.index("/H1") < first_h2 < tags.index("/Table", first_h2)
    # the first table under a heading: a header row of header cells, then rows of data cells
    table = tags.index("/Table", first_h2)
    rows = tags[table:tags.index("/Table", table + 1)] if "/Table" in tags[table + 1:] else tags[table:]
    assert rows.count("/TH") >= 3 and rows.count("/TD") >= 3


def test_without_pdf_variant_the_pdf_is_plain(workspace, tmp_path):
    plain = render_visit_sheet(workspace, tmp_path / "out", None)
    root = plain.root_object
    assert "/StructTreeRoot" not in root and "/Metadata" not in root and "/OutputIntents" not in root


def test_an_unknown_pdf_variant_is_a_located_config_error(workspace, tmp_path):
    config = workspace / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "pdf_variant: pdf/x-4\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "docgen.yaml" in result.output and "pdf_variant" in result.output
