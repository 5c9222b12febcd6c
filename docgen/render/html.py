"""The HTML writer: one self-contained file for preview.

The stylesheet is inlined and every picture becomes a ``data:`` URI; anything the
fetch policy refuses (network, files outside the workspace) is dropped, and so are
``<script>`` and ``<link>``: the file opens the same anywhere and phones nowhere.
"""
from __future__ import annotations

import base64

import lxml.html
from lxml import etree

from docgen.render.document import RenderedDocument
from docgen.render.fetch import Refused, fetch


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def self_contained(doc: RenderedDocument, extra_css: str = "") -> str:
    """``doc.html`` with its CSS inlined, pictures embedded and unsafe elements removed."""
    # a template that renders nothing gives an empty page, not a parser error
    tree = lxml.html.document_fromstring(doc.html if doc.html.strip() else "<html><body></body></html>")
    for bad in tree.xpath("//script | //link | //iframe | //object | //embed | //base"):
        bad.drop_tree()
    for img in tree.xpath("//img"):
        try:
            img.set("src", _data_uri(*fetch(img.get("src", ""), doc, prefer="svg")))
        except (Refused, OSError, ValueError):
            alt = img.get("alt") or ""
            placeholder = etree.Element("span", {"class": "missing-picture"})
            placeholder.text = alt
            placeholder.tail = img.tail
            img.getparent().replace(img, placeholder)
    head = tree.find("head")
    if head is None:  # a template whose output has no <head> (lxml adds none after a stray tag)
        head = etree.Element("head")
        tree.insert(0, head)
    style = etree.SubElement(head, "style")
    style.text = doc.css + extra_css
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode")


class HtmlWriter:
    """Writes the preview HTML."""

    name = "html"
    suffix = ".html"

    def write(self, doc: RenderedDocument) -> bytes:
        font = f'\nhtml {{ font-family: "{doc.page.font_family}", sans-serif; }}\n'
        return self_contained(doc, font).encode("utf-8")
