"""tools/layout_check.py: zero findings on the example documents, and it fails on bad pages.

The example check covers one document of each kind (7 documents: the charter, the east
region's annual plan, June's monthly plan, Li Ming's visit sheet, sales and visit statistics
for the east region, and the east region's year summary), each as PDF and as DOCX through
LibreOffice; the whole example build (32 PDF + 32 DOCX) takes over a minute on LibreOffice
alone and is run by hand: ``tools/layout_check.py output/``.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_example

from docgen.cli import cli
from docgen.render.document import RenderedDocument
from docgen.render.docx import DocxWriter
from docgen.render.pdf import PdfWriter

sys.path.insert(0, str(REPO / "tools"))
import layout_check

DOCUMENTS = [
    ["charter"],
    ["annual-plan", "--period", "2026", "--region", "east"],
    ["monthly-plan", "--period", "2026-06", "--region", "east"],
    ["visit-plan", "--period", "2026-06", "--person", "e02"],
    ["sales-stats", "--period", "2026-06", "--region", "east"],
    ["visit-stats", "--period", "2026-06", "--region", "east"],
    ["year-summary", "--period", "2026", "--region", "east"],
]


def test_the_example_documents_have_no_findings(tmp_path):
    ws = copy_example(tmp_path / "ws")
    for args in DOCUMENTS:
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", *args, "--format", "docx,pdf,html"])
        assert result.exit_code == 0, result.output
    output = ws / "output"
    assert len(list(output.rglob("*.pdf"))) == len(list(output.rglob("*.docx"))) == 7
    assert layout_check.check_folder(output) == []


FILLER = "<p>本月重點是鞏固老客戶並開發新客戶。</p>" * 3
BAD = f"""<!DOCTYPE html><html lang="zh-Hant"><head><title>x</title></head><body>
<h1>壞排版</h1>{FILLER}
<h2>二、銷售目標</h2>
<p style="break-before: page; page-break-before: always">標題留在上一頁的底部。</p>
<table><caption>表1　三行的表</caption><thead><tr><th>月份</th><th>金額</th></tr></thead>
<tbody><tr><td>6月</td><td>156.00</td></tr><tr><td>7月</td><td>156.00</td></tr>
<tr style="break-before: page"><td>8月</td><td>156.00</td></tr></tbody></table>
<table style="width: 60mm"><colgroup><col style="width: 15mm"><col style="width: 45mm"></colgroup>
<tbody><tr><td style="overflow-wrap: anywhere">2026年4月9日</td><td>到職</td></tr></tbody></table>
</body></html>"""


def bad_document(tmp_path: Path) -> RenderedDocument:
    return RenderedDocument(doc_id="charter", title="壞排版", company="範例公司", html=BAD, css="",
                            pictures={}, created=dt.datetime(2026, 6, 30),
                            reference_docx=REPO / "templates" / "reference.docx", allowed_roots=(tmp_path,))


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    doc = bad_document(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "bad.html").write_text(BAD, encoding="utf-8")
    (folder / "bad.pdf").write_bytes(PdfWriter().write(doc))
    (folder / "bad.docx").write_bytes(DocxWriter().write(doc))
    return folder


def test_it_finds_an_orphaned_heading_a_split_short_table_and_a_wrapped_date(bad_folder):
    findings = layout_check.check_folder(bad_folder)
    pdf = [f for f in findings if f.startswith(str(bad_folder / "bad.pdf"))]
    word = [f for f in findings if "through LibreOffice" in f]
    assert any(f.endswith("page 1: '二、銷售目標' is the last thing on its page") for f in pdf)
    assert any("table 1 of 3 rows is split 2 + 1" in f for f in pdf)
    assert any("'2026年4月9日' is wrapped" in f for f in pdf)
    # Word keeps the short table together and widens the date's column; the forced break
    # after the heading is still there
    assert word == [f"{bad_folder / 'bad.docx'} (through LibreOffice): page 1: '二、銷售目標' is the last "
                    "thing on its page"]


def test_the_command_exits_1_with_one_line_per_finding(bad_folder, capsys):
    assert layout_check.main([str(bad_folder), "--no-docx"]) == 1
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 3
    assert "1 PDF, 0 DOCX, 3 finding(s)" in out.err
