"""Page-break rules in both writers (issue 11): headings and captions stay with what follows,
short tables are never split, long ones leave at least 3 rows on either side, a footnote stays
with its table, a figure with its caption."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import compact, copy_example, soffice_to_pdf
from test_docx_writer import make_doc

from docgen.cli import cli
from docgen.render.docx import write_docx


def rows_html(count: int) -> str:
    return "".join(f"<tr><td>{i}</td><td>項目{i}</td></tr>" for i in range(1, count + 1))


def keeps(tmp_path: Path, body: str) -> list[bool]:
    """keep-with-next of each row of the first table (all its paragraphs agree)."""
    word = docx.Document(io.BytesIO(write_docx(make_doc(body, tmp_path))))
    table = word.tables[0]
    result = []
    for row in table.rows:
        flags = {bool(p.paragraph_format.keep_with_next) for c in row.cells for p in c.paragraphs}
        assert len(flags) == 1
        result.append(flags.pop())
        assert row._tr.xpath("./w:trPr/w:cantSplit")  # no row breaks inside itself
    return result


def test_a_short_table_is_one_keep_with_next_chain(tmp_path):
    body = f"<table><caption>表1　計分卡</caption><thead><tr><th>序號</th><th>項目</th></tr></thead>" \
           f"<tbody>{rows_html(12)}<tr class='total'><td></td><td>合計</td></tr></tbody></table><p>其後</p>"
    assert keeps(tmp_path, body) == [True] * 13 + [False]  # header + 12 rows chained, the total ends it
    word = docx.Document(io.BytesIO(write_docx(make_doc(body, tmp_path))))
    assert word.paragraphs[0].text == "表1　計分卡" and word.paragraphs[0].paragraph_format.keep_with_next


def test_a_long_table_keeps_three_rows_on_either_side_of_a_break(tmp_path):
    body = f"<table><thead><tr><th>序號</th><th>項目</th></tr></thead><tbody>{rows_html(20)}</tbody></table>"
    # header, rows 1–2 keep with the next (rows 1–3 together), rows 18–19 too (18–20 together)
    assert keeps(tmp_path, body) == [True, True, True] + [False] * 15 + [True, True, False]


def test_a_footnote_stays_with_its_table(tmp_path):
    body = f"<table><tbody>{rows_html(20)}</tbody></table><p class='note'>註：本表不含退貨。</p>"
    assert keeps(tmp_path, body)[-1] is True
    body = f"<table><tbody>{rows_html(20)}</tbody></table><p>正文</p>"
    assert keeps(tmp_path, body)[-1] is False


def test_headings_keep_with_next_even_if_the_reference_style_does_not(tmp_path):
    word = docx.Document(io.BytesIO(write_docx(make_doc("<h2>一、概況</h2><h3>1．王志強</h3><p>正文</p>",
                                                         tmp_path, reference_docx=None))))
    h2, h3, text = word.paragraphs
    assert h2.paragraph_format.keep_with_next and h3.paragraph_format.keep_with_next
    assert not text.paragraph_format.keep_with_next


def pages(pdf: Path) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[compact(line) for line in page.splitlines() if line.strip()] for page in text.split("\f")]


@pytest.fixture(scope="module")
def east_sales_stats(tmp_path_factory) -> dict[str, Path]:
    ws = copy_example(tmp_path_factory.mktemp("breaks") / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "render", "sales-stats", "--period", "2026-06",
                                      "--region", "east", "--format", "docx,pdf"])
    assert result.exit_code == 0, result.output
    out = ws / "output" / "2026-06" / "east"
    return {"pdf": out / "sales-stats.pdf",
            "docx": soffice_to_pdf(out / "sales-stats.docx", tmp_path_factory.mktemp("lo"))}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_each_scorecard_sits_on_one_page_under_its_heading(east_sales_stats, kind):
    """The east region has 7 people, each with a 12-item scorecard and its total (13 rows):
    before, they split 1 + 11 and 2 + 10, and "3．張偉 / 表5-3" sat alone at a page's foot."""
    found = 0
    for lines in pages(east_sales_stats[kind]):
        for i, line in enumerate(lines):
            if re.fullmatch(r"表5-\d+.*績效考核表", line):
                found += 1
                assert re.fullmatch(r"\d．\S+", lines[i - 1]), "the person's heading precedes the caption"
                rest = lines[i + 1:]
                rest = rest[:next((k for k, r in enumerate(rest) if re.match(r"表5-\d", r)), len(rest))]
                items = [r for r in rest if re.match(r"\d{1,2}\D", r)][:12]
                assert len(items) == 12, f"{lines[i]}: only {len(items)} items on its page"
                assert any(r.startswith("已計分項目合計（評級") for r in rest), f"{lines[i]}: total not on its page"
    assert found == 7
