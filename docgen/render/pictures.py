"""Pictures a document may not embed, replaced once for every format.

A template may name a picture the fetch policy refuses (a web address, a file outside the
workspace) or an ``asset:`` the document does not have.  Each writer used to drop such a
picture its own way; here it becomes one visible placeholder in the HTML every writer starts
from, so DOCX, PDF and HTML say the same thing, and the addresses are listed for the command to
warn about.
"""
from __future__ import annotations

import dataclasses

import lxml.html
from lxml import etree

from docgen.render.document import RenderedDocument
from docgen.render.fetch import PICTURES, Refused, fetch_resource, refused

PLACEHOLDER_CLASS = "missing-picture"


def _allowed(src: str, doc: RenderedDocument) -> bool:
    """Whether :func:`docgen.render.fetch.fetch` would serve ``src`` as a picture (without drawing
    the document's own pictures); a refusal is warned about as the writers' fetches are."""
    if src.startswith("asset:"):
        return src[6:] in doc.pictures
    try:
        fetch_resource(src, doc.allowed_roots, PICTURES)
    except (Refused, OSError, ValueError) as e:
        refused(doc.doc_id, src, e)
        return False
    return True


def placeholder_text(alt: str) -> str:
    return f"［圖片未能載入：{alt}］" if alt else "［圖片未能載入］"


def drop_refused(doc: RenderedDocument) -> RenderedDocument:
    """``doc`` with every picture it may not embed replaced by a placeholder naming it (by its
    ``alt`` text: the address itself stays out of the document), listed in ``dropped_pictures``.

    The HTML is rewritten only when a picture is dropped, so other documents stay byte-identical.
    """
    if "<img" not in doc.html:
        return doc
    tree = lxml.html.document_fromstring(doc.html)
    dropped = []
    for img in tree.xpath("//img"):
        src = img.get("src", "")
        if _allowed(src, doc):
            continue
        span = etree.Element("span", {"class": PLACEHOLDER_CLASS})
        span.text = placeholder_text(img.get("alt") or "")
        span.tail = img.tail
        img.getparent().replace(img, span)
        dropped.append(src)
    if not dropped:
        return doc
    html = "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode")
    return dataclasses.replace(doc, html=html, dropped_pictures=tuple(dropped))


def dropped_warning(label: str, src: str) -> str:
    """The warning ``render``, ``build`` and ``month-end`` print for a picture left out of a document."""
    return (f"warning: {label}: picture {src!r} not embedded (only the document's own pictures, data: URIs and "
            f"files inside the workspace are); a placeholder stands in its place")
