"""Reading the rendered HTML the way every writer does: one reading of a cell's text."""
from __future__ import annotations

import lxml.html
import pytest

from docgen.render.html_model import cell_lines


def cell(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


@pytest.mark.parametrize("html, lines", [
    ("<td>銷售額</td>", ["銷售額"]),
    ("<td>  華東區 \t  合計 </td>", ["華東區 合計"]),
    ("<td>上半年<br>下半年</td>", ["上半年", "下半年"]),
    ("<td><p>甲</p>乙<div>丙</div></td>", ["甲", "乙", "丙"]),  # a block's tail starts a line of its own
    ("<td><ul><li>拜訪</li><li>報價</li></ul></td>", ["拜訪", "報價"]),
    ("<td>甲<!-- 註 -->乙<span> 丙</span></td>", ["甲乙 丙"]),  # a comment is not text; its tail is
    ("<td><p></p><br></td>", []),
])
def test_lines_of_a_cell(html: str, lines: list[str]) -> None:
    assert cell_lines(cell(html)) == lines
    assert cell_lines(cell(html), html_spaces_only=True) == lines


def test_only_html_white_space_collapses_for_a_spreadsheet() -> None:
    caption = cell("<caption>表2\u3000渠道銷售統計\t （金額：萬元）\u00a0</caption>")
    assert cell_lines(caption, html_spaces_only=True) == ["表2\u3000渠道銷售統計 （金額：萬元）\u00a0"]
    assert cell_lines(caption) == ["表2 渠道銷售統計 （金額：萬元）"]
