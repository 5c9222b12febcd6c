"""The HTML writer: one self-contained file for preview.

The stylesheet is inlined and every picture becomes a ``data:`` URI; anything the
fetch policy refuses (network, files outside the template folders and ``assets/``)
is dropped.  So are scripts in every form (``<script>``, ``on…=`` handlers,
``javascript:`` links), embedded frames, and ``url()``/``@import`` in CSS that the
policy does not serve: the file opens the same anywhere and phones nowhere.  CSS
placed in ``<style>`` cannot close the element (``</style><script>`` stays CSS).
"""
from __future__ import annotations

import base64
import re
from typing import Any

import lxml.html
import tinycss2
from lxml import etree

from docgen.render.document import RenderedDocument
from docgen.render.fetch import EVERY_KIND, PICTURES, Refused, fetch

_DROPPED = ("script", "link", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
            "meta[@http-equiv]", "form", "audio", "video", "source", "track", "svg", "math", "noscript",
            "template", "portal")
_URL_ATTRIBUTES = ("href", "xlink:href", "action", "formaction", "background", "poster", "srcset", "ping",
                   "data", "codebase", "cite", "longdesc", "lowsrc", "dynsrc")
_SAFE_LINK = re.compile(r"^(#|https?:|mailto:|tel:)", re.IGNORECASE)
_IMPORT_DEPTH = 3
_FETCHING = re.compile(r"(-[a-z]+-)?(url|src|image|image-set|cross-fade|element)")  # CSS functions that load
_REMOTE = re.compile(r"^((https?|ftps?|file|wss?):|//)", re.IGNORECASE)


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _embedded(url: str, doc: RenderedDocument, kinds: frozenset[str] = EVERY_KIND) -> str | None:
    """``url`` as a ``data:`` URI if the fetch policy serves it, else ``None``."""
    try:
        return _data_uri(*fetch(url, doc, prefer="svg", kinds=kinds))
    except Refused:
        return None


def _url_token(token: Any, url: str | None) -> Any:
    """``url("data:…")``, or ``url("")`` for what the policy refused (a data URI needs no escaping)."""
    url = url or ""
    return tinycss2.ast.URLToken(token.source_line, token.source_column, url, f'url("{url}")')


def _css_tokens(tokens: list[Any], doc: RenderedDocument) -> list[Any]:
    """Tokens with every ``url()`` embedded as ``data:`` or emptied."""
    out = []
    for token in tokens:
        if token.type == "url":
            out.append(_url_token(token, _embedded(token.value, doc)))
        elif token.type == "function" and _FETCHING.fullmatch(token.lower_name):
            strings = [t for t in token.arguments if t.type == "string"]
            url = _embedded(strings[0].value, doc) if token.lower_name == "url" and strings else None
            out.append(_url_token(token, url))
        elif token.type == "string" and _REMOTE.match(token.value.strip()):  # e.g. a vendor image-set("http://…")
            out.append(tinycss2.ast.StringToken(token.source_line, token.source_column, "", '""'))
        elif hasattr(token, "content") and token.content is not None:  # blocks: () [] {}
            token.content = _css_tokens(token.content, doc)
            out.append(token)
        elif token.type == "function":
            token.arguments = _css_tokens(token.arguments, doc)
            out.append(token)
        else:
            out.append(token)
    return out


def _import_url(rule: Any) -> str | None:
    for token in rule.prelude:
        if token.type in ("string", "url"):
            return str(token.value)
        if token.type == "function" and token.lower_name == "url":
            strings = [str(t.value) for t in token.arguments if t.type == "string"]
            return strings[0] if strings else None
    return None


def safe_css(css: str, doc: RenderedDocument, depth: int = 0) -> str:
    """CSS for a ``<style>`` element: ``@import`` inlined (or dropped), ``url()`` embedded (or emptied),
    and ``<`` escaped so the text cannot end the element."""
    parts = []
    for rule in tinycss2.parse_stylesheet(css):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            url = _import_url(rule)
            try:
                imported = fetch(url, doc)[1].decode("utf-8-sig") if url and depth < _IMPORT_DEPTH else ""
            except (Refused, UnicodeDecodeError):
                imported = ""
            parts.append(safe_css(imported, doc, depth + 1) if imported else "")
            continue
        if rule.type == "error":
            continue
        if rule.type in ("qualified-rule", "at-rule"):
            rule.prelude = _css_tokens(rule.prelude, doc)
            if rule.content is not None:
                rule.content = _css_tokens(rule.content, doc)
        parts.append(rule.serialize())
    return "".join(parts).replace("<", "\\3c ")


def _declarations(style: str, doc: RenderedDocument) -> str:
    tokens = _css_tokens(tinycss2.parse_component_value_list(style), doc)
    css: str = tinycss2.serialize(tokens)
    return css.replace("<", "\\3c ")


def _sanitize(tree: etree._Element, doc: RenderedDocument) -> None:
    for bad in tree.xpath("|".join(f"//{tag}" for tag in _DROPPED)):
        bad.drop_tree()
    for el in tree.iter(etree.Element):
        for name in list(el.attrib):
            low = name.lower()
            if (low.startswith("on") or (low == "src" and el.tag != "img")  # <input type=image src=…>
                    or (low in _URL_ATTRIBUTES and not (low == "href" and _SAFE_LINK.match(el.attrib[name].strip())))):
                del el.attrib[name]
            elif low == "style":
                el.set(name, _declarations(el.attrib[name], doc))
    for style in tree.xpath("//style"):
        style.text = safe_css(style.text or "", doc)


def self_contained(doc: RenderedDocument, extra_css: str = "") -> str:
    """``doc.html`` with its CSS inlined, pictures embedded and unsafe elements removed."""
    # a template that renders nothing gives an empty page, not a parser error
    tree = lxml.html.document_fromstring(doc.html if doc.html.strip() else "<html><body></body></html>")
    _sanitize(tree, doc)
    for img in tree.xpath("//img"):
        src = _embedded(img.get("src", ""), doc, PICTURES)
        if src is not None:
            img.set("src", src)
            continue
        placeholder = etree.Element("span", {"class": "missing-picture"})
        placeholder.text = img.get("alt") or ""
        placeholder.tail = img.tail
        img.getparent().replace(img, placeholder)
    head = tree.find("head")
    if head is None:  # a template whose output has no <head> (lxml adds none after a stray tag)
        head = etree.Element("head")
        tree.insert(0, head)
    style = etree.SubElement(head, "style")
    style.text = safe_css(doc.css + extra_css, doc)
    html = lxml.html.tostring(tree, encoding="unicode")
    return f"<!DOCTYPE html>\n{html}"


class HtmlWriter:
    """Writes the preview HTML."""

    name = "html"
    suffix = ".html"

    def write(self, doc: RenderedDocument) -> bytes:
        font = doc.page.font_family.replace("\\", "\\\\").replace('"', '\\"')
        return self_contained(doc, f'\nhtml {{ font-family: "{font}", sans-serif; }}\n').encode("utf-8")
