"""The PDF writer (WeasyPrint): A4, running header, ``第 N 頁 / 共 M 頁`` footer.

One ``FontConfiguration`` and the parsed stylesheets are kept per process and
reused for every document: parsing CSS and scanning fonts cost more than laying
out a short document.  One CJK family is named, so one is embedded (plus, only for characters
it lacks, the fallback font); fonts.py makes its embedded program small.

While WeasyPrint writes a document, Python's cyclic garbage collector runs far less often
(:func:`fewer_collections`): WeasyPrint builds a tree of boxes that lives until the PDF is
written, and the collector, run every 700 allocations, walked that growing tree again and again:
a sixth of a long table's time.  The garbage is collected afterwards (a build worker collects
after each document).
"""
from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from docgen.errors import MissingDependency, RenderError
from docgen.render.document import RenderedDocument
from docgen.render.fetch import Refused, fetch, fetch_resource, refused
from docgen.render.fonts import FALLBACK_FAMILIES, MissingGlyph, data_line, embedding


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_css(font_family: str, page_label: str) -> str:
    """The page rules: A4, header from the document's running strings, numbered footer."""
    before, _, rest = page_label.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer = (f"{_css_string(before)} counter(page) {_css_string(middle)} "
              f"counter(pages) {_css_string(after)}")
    # the CJK family, then fonts for the characters it lacks (CJK extensions)
    family = ", ".join(_css_string(f) for f in (font_family, *FALLBACK_FAMILIES))
    return f"""
@page {{
  size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left {{ content: string(company); font-family: {family}; font-size: 8pt; color: #555; }}
  @top-right {{ content: string(doctitle); font-family: {family}; font-size: 8pt; color: #555; }}
  @bottom-center {{ content: {footer}; font-family: {family}; font-size: 8pt; color: #555; }}
}}
html {{ font-family: {family}; }}
.running-company {{ string-set: company content(); }}
.running-title {{ string-set: doctitle content(); }}
thead {{ display: table-header-group; }}
tr, img, figure {{ break-inside: avoid; }}
"""


@lru_cache(maxsize=1)
def _weasy() -> tuple[ModuleType, Any]:
    """WeasyPrint and the process's one ``FontConfiguration`` (WeasyPrint ships no annotations)."""
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as e:  # pragma: no cover - depends on the machine
        raise MissingDependency(f"WeasyPrint cannot load ({e}); run `docgen doctor`") from e
    return weasyprint, FontConfiguration()


@lru_cache(maxsize=16)
def _stylesheets(css: str, font_family: str, page_label: str, roots: tuple[Path, ...]) -> tuple[Any, Any]:
    """The parsed stylesheets, per process; ``@import`` and ``url()`` in them go through the fetch
    policy for ``roots`` (the template folders), never the document, so the cache is per chain."""
    weasyprint, fonts = _weasy()
    fetcher = _url_fetcher(lambda url: _serve_resource(url, roots))
    base = _base_url(roots)
    return (weasyprint.CSS(string=css, font_config=fonts, url_fetcher=fetcher, base_url=base),
            weasyprint.CSS(string=page_css(font_family, page_label), font_config=fonts, url_fetcher=fetcher,
                           base_url=base))


def _serve_resource(url: str, roots: tuple[Path, ...]) -> tuple[str, bytes]:
    try:
        return fetch_resource(url, roots)
    except (Refused, OSError, ValueError) as e:
        refused("style.css", url, e)
        raise Refused(url) from e


def _url_fetcher(serve: Callable[[str], tuple[str, bytes]]) -> object:
    """A WeasyPrint fetcher that serves only what ``serve`` (the fetch policy) allows and raises otherwise."""
    _weasy()
    from weasyprint import urls

    def checked(url: str) -> tuple[str, bytes]:
        try:
            return serve(url)
        except Refused as e:
            raise ValueError(f"docgen refuses to fetch {url!r}") from e

    if hasattr(urls, "URLFetcherResponse"):  # WeasyPrint ≥ 68: a URLFetcher subclass
        # WeasyPrint ships no annotations, so its URLFetcher is Any to mypy; only this class may subclass it
        class Fetcher(urls.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
                mime, payload = checked(url)
                return urls.URLFetcherResponse(url, payload, {"Content-Type": mime})
        return Fetcher()

    def fetcher(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, str | bytes]:  # older WeasyPrint
        mime, payload = checked(url)
        return {"string": payload, "mime_type": mime}
    return fetcher


def _base_url(roots: tuple[Path, ...]) -> str | None:
    # relative paths resolve against the most specific template folder (the fetch policy also tries the others)
    return roots[0].as_uri() + "/" if roots else None


def archival(variant: str | None) -> dict[str, str | bool]:
    """WeasyPrint's options for ``variant``: PDF/A with a structure tree (tagged PDF), or nothing."""
    return {"pdf_variant": variant, "pdf_tags": True} if variant else {}


#: allocations between two young-generation collections while a PDF is written (Python's default: 700)
WRITING_GC_THRESHOLD = 100_000


class _Writing:
    """How many PDFs this process is writing, and the collector's thresholds before the first."""

    count = 0
    thresholds: tuple[int, int, int] = gc.get_threshold()


_writing_lock = threading.Lock()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often inside this block (see the module's docstring).

    The thresholds are process-wide: the first of overlapping blocks (the preview's threads) sets
    them, the last one restores them.
    """
    with _writing_lock:
        if not _Writing.count:
            _Writing.thresholds = first, second, third = gc.get_threshold()
            gc.set_threshold(max(first, WRITING_GC_THRESHOLD), second, third)
        _Writing.count += 1
    try:
        yield
    finally:
        with _writing_lock:
            _Writing.count -= 1
            if not _Writing.count:
                gc.set_threshold(*_Writing.thresholds)


class PdfWriter:
    """Writes the archive PDF."""

    name = "pdf"
    suffix = ".pdf"

    def __init__(self, compact_fonts: bool = True) -> None:
        #: ``False``: WeasyPrint's own font subsets (benchmarks and tests compare the two)
        self.compact_fonts = compact_fonts

    def write(self, doc: RenderedDocument) -> bytes:
        weasyprint, fonts = _weasy()
        sheets = _stylesheets(doc.css, doc.page.font_family, doc.page.page_label, doc.allowed_roots)
        try:
            with fewer_collections(), embedding(self.compact_fonts) as finisher:
                html = weasyprint.HTML(string=doc.html, base_url=_base_url(doc.allowed_roots),
                                       url_fetcher=_url_fetcher(lambda url: fetch(url, doc)))
                pdf: bytes = html.write_pdf(stylesheets=list(sheets), font_config=fonts, attachments=[],
                                            uncompressed_pdf=False,
                                            pdf_identifier=b"docgen-" + doc.doc_id.encode(),
                                            finisher=finisher, **archival(doc.page.pdf_variant))
        except MissingDependency:
            raise
        except Exception as e:  # WeasyPrint raises many kinds; the user needs one line
            raise RenderError(f"{doc.doc_id}: PDF rendering failed: {e}") from e
        for glyph in finisher.missing:
            warn_missing(doc, glyph)
        return pdf


def warn_missing(doc: RenderedDocument, glyph: MissingGlyph) -> None:
    """One line on stderr (workers' too): the character, its document and where the data has it."""
    where = data_line(glyph.char, doc.workspace) if doc.workspace else None
    print(f"warning: {doc.doc_id} ({doc.title}): {glyph.describe()} has no glyph in any installed font and "
          f"prints as an empty box{f' ({where})' if where else ''}; run `docgen doctor`", file=sys.stderr)
