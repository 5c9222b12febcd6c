"""The writer registry: each format one module behind the :class:`Writer` interface, found by name."""
from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.render import writers
from docgen.render.document import RenderedDocument
from docgen.render.writers import Writer, formats, writer

DOC = RenderedDocument(doc_id="note", title="年度計畫", company="華東實業", css="",
                       html="<html><body><h1>年度計畫</h1><table><tr><th>銷售目標</th></tr><tr><td>1,800</td></tr></table>"
                            "</body></html>",
                       pictures={}, created=dt.datetime(2026, 6, 30))


class TextWriter:
    """A format added by a test: only this class and one registry entry."""

    name = "txt"
    suffix = ".txt"

    def write(self, doc: RenderedDocument) -> bytes:
        body = lxml.html.document_fromstring(doc.html).text_content()
        return f"{doc.title}\n{body}\n".encode()


@pytest.fixture
def with_text_format(monkeypatch):
    module = importlib.import_module(__name__)  # this file, under whatever name pytest imported it
    monkeypatch.setitem(writers.WRITERS, "txt", f"{module.__name__}:TextWriter")
    writer.cache_clear()
    yield
    writer.cache_clear()


def test_the_four_formats_are_registered_in_the_order_the_cli_lists_them() -> None:
    assert formats() == ("docx", "pdf", "html", "xlsx")


@pytest.mark.parametrize("fmt", ["docx", "html", "xlsx"])
def test_each_registered_writer_is_a_writer_named_by_its_format(fmt: str) -> None:
    made = writer(fmt)
    assert isinstance(made, Writer)
    assert (made.name, made.suffix) == (fmt, f".{fmt}")
    assert writer(fmt) is made  # made once per process
    assert isinstance(made.write(DOC), bytes)


def test_the_pdf_writer_is_registered_too() -> None:
    made = writer("pdf")
    assert (made.name, made.suffix) == ("pdf", ".pdf")
    assert made.write(DOC).startswith(b"%PDF-")


def test_a_registered_class_that_is_not_a_writer_is_refused(monkeypatch) -> None:
    monkeypatch.setitem(writers.WRITERS, "page", "docgen.render.document:PageSetup")
    writer.cache_clear()
    with pytest.raises(TypeError, match=r"docgen\.render\.document:PageSetup is not a Writer named 'page'"):
        writer("page")
    writer.cache_clear()


def test_a_format_added_to_the_registry_renders_from_the_cli(workspace: Path, tmp_path: Path,
                                                             with_text_format) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-p", "2026",
                                      "-f", "txt,html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "2026/company/charter.txt").read_text(encoding="utf-8")
    title = text.splitlines()[0]
    html = (out / "2026/company/charter.html").read_text(encoding="utf-8")
    assert title == "市場部職能與工作計畫"
    assert f"{title}</title>" in html
    assert "應用技術及公司產品培訓" in text  # the body's table, as the HTML has it


def test_an_unknown_format_lists_the_registered_ones(workspace: Path, with_text_format) -> None:
    result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-f", "odt"])
    assert result.exit_code == 1
    assert "--format: unknown format odt; choose from docx, pdf, html, xlsx, txt" in result.output
