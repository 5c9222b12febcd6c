"""What every writer receives: one rendered HTML document and its pictures.

The template renders HTML once; the HTML, PDF and DOCX writers all start from
this object, so the formats cannot drift apart.  Pictures are referenced in the
HTML as ``<img src="asset:NAME">`` and each writer picks the form it embeds best
(SVG for HTML/PDF, PNG for Word).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Picture:
    """A picture the document embeds, drawn lazily in the form a writer asks for.

    :param name: the name used in ``<img src="asset:NAME">``.
    :param width_mm: the width it is drawn for on an A4 page.
    :param height_mm: its height on the page.
    :param draw_svg: returns SVG bytes, or ``None`` if only raster exists.
    :param draw_png: returns PNG bytes (about 200 dpi).
    """

    name: str
    width_mm: float
    height_mm: float
    draw_svg: Callable[[], bytes | None]
    draw_png: Callable[[], bytes]

    def svg(self) -> bytes | None:
        return self.draw_svg()

    def png(self) -> bytes:
        return self.draw_png()


@dataclass(frozen=True)
class PageSetup:
    """The words and fonts around the content, from the workspace config.

    :param font_family: the one CJK family used everywhere (embedded in PDF, ``w:eastAsia`` in Word).
    :param page_label: footer text with ``{page}`` and ``{pages}``, e.g. ``第 {page} 頁 / 共 {pages} 頁``.
    :param lang: HTML ``lang`` (``zh-Hant`` / ``zh-Hans``).
    :param docx_font: the font the Word file names (docgen.yaml ``docx_font``); "" lets the
        region's reference document or the script's Windows font decide.
    :param pdf_variant: ``pdf/a-3b`` for archival, tagged PDFs; ``None``: plain PDF.
    """

    font_family: str = "Noto Sans CJK TC"
    page_label: str = "第 {page} 頁 / 共 {pages} 頁"
    lang: str = "zh-Hant"
    docx_font: str = ""
    pdf_variant: str | None = None


@dataclass(frozen=True)
class RenderedDocument:
    """One document's HTML and everything a writer needs besides it.

    :param doc_id: e.g. ``charter``.
    :param title: the document title (header of every page).
    :param company: the company name (header of every page).
    :param html: a complete HTML document (``<html><head>…<body>…``) without styles.
    :param css: the stylesheet text for HTML and PDF (Word uses ``reference_docx``).
    :param pictures: pictures by name, for ``<img src="asset:NAME">``.
    :param created: the timestamp written into the files (from the data, never "now").
    :param page: fonts and page labels.
    :param reference_docx: the Word reference document whose styles DOCX uses.
    :param own_reference: ``reference_docx`` is a region's or the workspace's, not the shipped one, so its
        Normal style's font is the document's (unless ``page.docx_font`` names one).
    :param allowed_roots: folders local files may be read from (template folders, workspace).
    :param workspace: the workspace folder, where a warning looks for the data line a text came from.
    :param dropped_pictures: pictures the document may not embed, shown as a placeholder instead.
    """

    doc_id: str
    title: str
    company: str
    html: str
    css: str
    pictures: Mapping[str, Picture]
    created: dt.datetime
    page: PageSetup = field(default_factory=PageSetup)
    reference_docx: Path | None = None
    allowed_roots: tuple[Path, ...] = ()
    workspace: Path | None = None
    dropped_pictures: tuple[str, ...] = ()  # addresses replaced by a placeholder (docgen.render.pictures)
    own_reference: bool = False
