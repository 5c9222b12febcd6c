"""HTML → DOCX: the Word writer.

Walks the ``<body>`` of a :class:`RenderedDocument` and writes WordprocessingML on
top of a reference document's styles (pandoc's ``--reference-doc`` idea), so a
region restyles Word by swapping one file.  Paragraphs and tables are built as XML
in one pass: python-docx's cell API re-scans the whole table for every cell, which
makes long tables quadratic.  The file is reproducible byte for byte: ZIP entries
carry a fixed date and core properties come from the document, never the clock.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
import lxml.html
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Mm
from lxml import etree

from docgen.errors import RenderError
from docgen.render.document import RenderedDocument
from docgen.render.fetch import Refused, fetch
from docgen.render.html_model import (
    Slot,
    cell_grid,
    cell_lines,
    class_names,
    declared_columns,
    fit_columns,
    inline_style,
    int_attr,
    length_mm,
    padded,
    table_rows,
    text_em,
    unbreakable_pieces,
)
from docgen.render.word_fonts import FONT_TABLE, WordFace, choose_face, font_table

__all__ = ["DocxWriter", "apply_east_asian_font", "save_reproducibly", "write_docx"]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TWIPS_PER_MM = 1440 / 25.4
_EMU_PER_TWIP = 635
_CELL_PADDING_TWIPS = 2 * 108  # Table Grid's left + right cell margins
# The look of templates/style.css, so Word and the PDF match.
_HEADER_FILL = "E4EBF3"  # th background
_TOTAL_FILL = "F3F6F9"  # tr.total background
_GRID_COLOUR = "9AA9B8"  # th, td border: 0.6pt solid
_GRID_EIGHTHS = "5"  # 0.6pt in eighths of a point
_WARNING_COLOUR = "9A3B00"  # .warning
_NOTE_COLOUR = "4A5A6A"  # .note, captions
_NOTE_PT = 8.5
_TABLE_PT = 9.0  # table { font-size: 9pt }
# Page-break rules, as style.css's: a table of up to 12 rows and its total is never split;
# a longer one leaves at least 3 rows on either side of a break.
_UNSPLIT_ROWS = 13
_MIN_ROWS_AT_BREAK = 3
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_SHORT_LINE = 12  # characters: a line this short (a name, a label) should not wrap
_MISSING_PICTURE = "[圖片未嵌入]"
_LANG_CODES = {"zh-hant": "zh-TW", "zh-hans": "zh-CN"}

_CONTAINERS = frozenset(
    ["body", "div", "section", "header", "footer", "figure", "article", "main", "nav", "aside", "blockquote",
     "address", "dl", "form", "fieldset", "details", "center"]
)
_PARAGRAPH_STYLES = {
    "p": "Normal", "h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4",
    "h5": "Heading 4", "h6": "Heading 4", "figcaption": "Caption", "caption": "Caption",
    "pre": "Normal", "dt": "Normal", "dd": "Normal", "li": "Normal", "summary": "Normal",
    "legend": "Normal",
}
_BLOCKS = _CONTAINERS | frozenset(_PARAGRAPH_STYLES) | {"ul", "ol", "table", "hr"}
# Dropped with their content (their tail text still renders).
_SKIPPED = frozenset(
    ["script", "style", "head", "title", "meta", "link", "template", "noscript", "svg", "math", "iframe", "object",
     "embed", "video", "audio", "canvas", "hr", "col", "colgroup"]
)
_ALIGNMENTS = {"left": "left", "start": "left", "right": "right", "end": "right",
               "center": "center", "justify": "both"}
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RASTER_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_PAGE_FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}

W_P, W_R, W_T, W_BR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:br")
W_PPR, W_RPR, W_VAL, W_W, W_TYPE = qn("w:pPr"), qn("w:rPr"), qn("w:val"), qn("w:w"), qn("w:type")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# ---------------------------------------------------------------- public API


class DocxWriter:
    """The Word writer in the shared writer interface (``name``, ``suffix``, ``write``)."""

    name = "docx"
    suffix = ".docx"

    def write(self, doc: RenderedDocument) -> bytes:
        """Return the ``.docx`` bytes of ``doc``.

        :param doc: the rendered document.
        """
        return write_docx(doc)


def write_docx(doc: RenderedDocument) -> bytes:
    """Convert ``doc.html`` to a Word document styled by ``doc.reference_docx``.

    :param doc: the rendered document; its pictures are embedded as PNG.
    :raises RenderError: the HTML or the reference document cannot be read.
    """
    word = _open_reference(doc.reference_docx)
    face = choose_face(_word_lang(doc.page.lang), doc.page.docx_font,
                       reference_font(word) if doc.reference_docx and doc.own_reference else None)
    body = _parse_body(doc.html)
    _set_page(word, doc, face, _running(body, "running-company") or doc.company,
              _running(body, "running-title") or doc.title)
    apply_east_asian_font(word, face.name, doc.page.lang)
    _Converter(doc, word, face).convert(body)
    return save_reproducibly(word, doc.created, title=doc.title, author=doc.company,
                             language=face.lang, face=face)


def reference_font(word: WordDocument) -> str | None:
    """The East Asian font a reference document's Normal style (else its defaults) names."""
    candidates = [word.styles["Normal"].element.rPr] if "Normal" in word.styles else []
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        candidates.append(defaults.find(f"{qn('w:rPrDefault')}/{W_RPR}"))
    for r_pr in candidates:
        r_fonts = r_pr.find(qn("w:rFonts")) if r_pr is not None else None
        font: str | None = r_fonts.get(qn("w:eastAsia")) if r_fonts is not None else None
        if font:
            return font
    return None


def apply_east_asian_font(word: WordDocument, font: str, lang: str = "zh-Hant") -> None:
    """Make ``font`` the East Asian (and Latin) font of every style and the defaults.

    Theme font attributes are removed because Word lets them win over named fonts.

    :param word: the document whose styles change.
    :param font: the CJK family, e.g. ``Noto Sans CJK TC``.
    :param lang: the HTML language, recorded as the East Asian proofing language.
    """
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = etree.Element(qn("w:docDefaults"))
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = etree.Element(qn("w:rPrDefault"))
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(W_RPR)
    if r_pr is None:
        r_pr = etree.SubElement(r_pr_default, W_RPR)
    _set_fonts(r_pr.get_or_add_rFonts(), font)
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = etree.SubElement(r_pr, qn("w:lang"))  # lang is among the last rPr children
    language.set(qn("w:eastAsia"), _word_lang(lang))
    for style in styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            style_r_pr = style.get_or_add_rPr()
            _set_fonts(style_r_pr.get_or_add_rFonts(), font)
            _set_lang(style_r_pr, _word_lang(lang))
    _set_theme_lang(word, _word_lang(lang))


def _set_lang(r_pr: etree._Element, lang: str) -> None:
    """``w:lang`` with the East Asian language: Word applies Chinese line breaking by it."""
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = etree.Element(qn("w:lang"))
        r_pr.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    language.set(qn("w:eastAsia"), lang)


def _set_theme_lang(word: WordDocument, lang: str) -> None:
    """The settings' theme font language, so Word picks the Chinese theme fonts too."""
    settings = word.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = etree.Element(qn("w:themeFontLang"))
        settings.insert_element_before(
            theme_lang, "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
            "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
            "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
    theme_lang.set(qn("w:eastAsia"), lang)


def save_reproducibly(word: WordDocument, when: dt.datetime, title: str, author: str,
                      language: str = "zh-TW", face: WordFace | None = None) -> bytes:
    """Serialise ``word`` so that the same content always gives the same bytes.

    :param word: the document to save.
    :param when: written as created, modified and last printed time.
    :param title: the core ``title`` property.
    :param author: the core ``creator`` and ``lastModifiedBy`` properties.
    :param language: the core ``language`` property.
    :param face: the document's font; the font table is rewritten to list the fonts used.
    """
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    props = word.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.language = language
    for blank in ("subject", "keywords", "comments", "category", "content_status",
                  "identifier", "version"):
        setattr(props, blank, "")
    raw = io.BytesIO()
    word.save(raw)
    return _stable_zip(raw.getvalue(), face)


# ------------------------------------------------------- document scaffolding


def _open_reference(path: Path | None) -> WordDocument:
    """Open the reference document (or python-docx's default) with an empty body."""
    try:
        word = docx.Document(str(path) if path is not None else None)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError) as e:
        raise RenderError(f"cannot open the Word reference document '{path}': {e}") from e
    body = word.element.body
    section = body.get_or_add_sectPr()
    for child in list(body):
        if child is not section:
            body.remove(child)
    return word


def _parse_body(html: str) -> etree._Element:
    """Return the ``<body>`` element of ``html``."""
    try:
        return lxml.html.document_fromstring(html).body
    except (etree.ParserError, ValueError) as e:
        raise RenderError(f"the rendered HTML cannot be parsed: {e}") from e


def _set_page(word: WordDocument, doc: RenderedDocument, face: WordFace, company: str,
              running_title: str) -> None:
    """A4 portrait; the company left and the title (with the region) right above, as in the
    PDF's running header; page numbers below."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.different_first_page_header_footer = False
    header = section.header
    header.is_linked_to_previous = False
    text_width = (section.page_width - (section.left_margin or 0) - (section.right_margin or 0)) // _EMU_PER_TWIP
    # python-docx has no public way to empty a header; its element is the w:hdr.
    para = _margin_paragraph(header._element, word, "Header", "left", right_tab=int(text_width))
    _margin_run(para, company, face)
    etree.SubElement(_run(para, _Format(), face, small=True), qn("w:tab"))
    _margin_run(para, running_title, face)
    footer = section.footer
    footer.is_linked_to_previous = False
    para = _margin_paragraph(footer._element, word, "Footer", "center")
    for piece in re.split(r"(\{page\}|\{pages\})", doc.page.page_label):
        if piece in _PAGE_FIELDS:
            _field_runs(para, _PAGE_FIELDS[piece], face)
        elif piece:
            _margin_run(para, piece, face)


def _running(body: etree._Element, name: str) -> str:
    """A running-header string of the PDF (``running-company``, ``running-title`` with the
    region), from the HTML, as typeset."""
    for el in body.iter("div"):
        if name in class_names(el):
            return _WHITESPACE.sub(" ", el.text_content()).strip()
    return ""


def _margin_paragraph(part_root: etree._Element, word: WordDocument, style: str,
                      align: str, right_tab: int | None = None) -> etree._Element:
    """Empty a header or footer and return its one new paragraph."""
    for child in list(part_root):
        part_root.remove(child)
    para = etree.SubElement(part_root, W_P)
    p_pr = etree.SubElement(para, W_PPR)
    etree.SubElement(p_pr, qn("w:pStyle"), {W_VAL: _ensure_style(word, style, WD_STYLE_TYPE.PARAGRAPH)})
    if right_tab is not None:
        tabs = etree.SubElement(p_pr, qn("w:tabs"))
        # The style's own centre and right stops would catch the tab before the right margin.
        for stop in word.styles[style].element.iterfind(f"{W_PPR}/{qn('w:tabs')}/{qn('w:tab')}"):
            etree.SubElement(tabs, qn("w:tab"), {W_VAL: "clear", qn("w:pos"): stop.get(qn("w:pos"))})
        etree.SubElement(tabs, qn("w:tab"), {W_VAL: "right", qn("w:pos"): str(right_tab)})
    etree.SubElement(p_pr, qn("w:jc"), {W_VAL: align})
    return para


def _field_runs(para: etree._Element, instruction: str, face: WordFace) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice both update."""
    for part in ("begin", "instruction", "separate", "result", "end"):
        run = _run(para, _Format(), face, small=True)
        if part == "instruction":
            etree.SubElement(run, qn("w:instrText"), {XML_SPACE: "preserve"}).text = f" {instruction} "
        elif part == "result":
            etree.SubElement(run, W_T).text = "1"  # shown until the reader updates fields
        else:
            etree.SubElement(run, qn("w:fldChar"), {qn("w:fldCharType"): part})


def _margin_run(para: etree._Element, text: str, face: WordFace) -> None:
    run = _run(para, _Format(), face, small=True)
    etree.SubElement(run, W_T, {XML_SPACE: "preserve"}).text = text


def _ensure_style(word: WordDocument, name: str, kind: WD_STYLE_TYPE) -> str:
    """The style id of ``name``, adding a plain style if the reference lacks it."""
    styles = word.styles
    if name in styles:
        style = styles[name]
    else:
        style = styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH and name != "Normal":
            style.base_style = styles["Normal"]
    style_id: str = style.style_id
    return style_id


def _set_fonts(r_fonts: etree._Element, font: str) -> None:
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        r_fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        r_fonts.set(qn(attr), font)


def _word_lang(lang: str) -> str:
    return _LANG_CODES.get(lang.lower(), lang)


def _stable_zip(data: bytes, face: WordFace | None = None) -> bytes:
    """Rewrite a ZIP with fixed timestamps and the content types first."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    if face is not None and FONT_TABLE in entries:
        entries[FONT_TABLE] = font_table(entries, face)
    order = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name])
    return out.getvalue()


# ------------------------------------------------------------------- runs


@dataclass(frozen=True)
class _Format:
    """Character formatting inherited from the inline elements around a text."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    position: str | None = None  # "superscript" / "subscript"
    size_pt: float | None = None  # a table's or a note's size; else the style's
    color: str | None = None  # hex RGB of .warning and .note

    def inside(self, tag: str) -> _Format:
        """The format of text inside ``<tag>``."""
        if tag in ("b", "strong", "th"):
            return replace(self, bold=True)
        if tag in ("i", "em", "cite", "var", "dfn"):
            return replace(self, italic=True)
        if tag in ("u", "ins"):
            return replace(self, underline=True)
        if tag in ("s", "del", "strike"):
            return replace(self, strike=True)
        if tag in ("sup", "sub"):
            return replace(self, position="superscript" if tag == "sup" else "subscript")
        return self


def _run(para: etree._Element, fmt: _Format, face: WordFace, small: bool = False) -> etree._Element:
    """Append a ``w:r`` whose properties name the face's font for every script (schema order).

    :param small: grey 9 pt, for the page header and footer.
    """
    run = etree.SubElement(para, W_R)
    r_pr = etree.SubElement(run, W_RPR)
    etree.SubElement(r_pr, qn("w:rFonts"), {qn("w:ascii"): face.name, qn("w:hAnsi"): face.name,
                                            qn("w:eastAsia"): face.name, qn("w:hint"): "eastAsia"})
    if fmt.bold:
        etree.SubElement(r_pr, qn("w:b"))
    if fmt.italic:
        etree.SubElement(r_pr, qn("w:i"))
    if fmt.strike:
        etree.SubElement(r_pr, qn("w:strike"))
    if small:
        etree.SubElement(r_pr, qn("w:color"), {W_VAL: "595959"})
        etree.SubElement(r_pr, qn("w:sz"), {W_VAL: "18"})
        return _finish_run(run, r_pr, fmt, face)
    if fmt.color:
        etree.SubElement(r_pr, qn("w:color"), {W_VAL: fmt.color})
    if fmt.size_pt:
        etree.SubElement(r_pr, qn("w:sz"), {W_VAL: str(round(fmt.size_pt * 2))})
    return _finish_run(run, r_pr, fmt, face)


def _finish_run(run: etree._Element, r_pr: etree._Element, fmt: _Format, face: WordFace) -> etree._Element:
    """The run properties after the size, in schema order."""
    if fmt.underline:
        etree.SubElement(r_pr, qn("w:u"), {W_VAL: "single"})
    if fmt.position:
        etree.SubElement(r_pr, qn("w:vertAlign"), {W_VAL: fmt.position})
    etree.SubElement(r_pr, qn("w:lang"), {qn("w:eastAsia"): face.lang})
    return run


@dataclass(frozen=True)
class _Look:
    """Paragraph properties, written once the paragraph is complete (schema order)."""

    style_id: str
    align: str | None = None
    keep_next: bool = False
    compact: bool = False  # table cells: single lines, no space before or after
    numbering: tuple[int, int] | None = None  # (numId, ilvl) restarting an ordered list
    rule_left: bool = False  # p.warning's left border


class _Paragraph:
    """One ``w:p`` being filled; whitespace collapses as a browser collapses it."""

    def __init__(self, parent: etree._Element, look: _Look, face: WordFace, preserve: bool) -> None:
        self.element = etree.SubElement(parent, W_P)
        self.look = look
        self.face = face
        self.preserve = preserve
        self._text: etree._Element | None = None  # w:t of the last run, if text
        self._format: _Format | None = None
        self._after_space = True  # drops leading whitespace
        self._has_content = False

    def add_text(self, text: str, fmt: _Format) -> None:
        text = _NOT_XML.sub("", text)
        if self.preserve:
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if i:
                    self.add_break()
                self._append(line, fmt)
            return
        text = _WHITESPACE.sub(" ", text)
        if self._after_space and text.startswith(" "):
            text = text[1:]
        if text:
            self._after_space = text.endswith(" ")
            self._append(text, fmt)

    def _append(self, text: str, fmt: _Format) -> None:
        if not text:
            return
        self._has_content = True
        if self._text is not None and fmt == self._format:
            self._text.text += text
            return
        run = _run(self.element, fmt, self.face)
        self._text = etree.SubElement(run, W_T, {XML_SPACE: "preserve"})
        self._text.text = text
        self._format = fmt

    def add_break(self, page: bool = False) -> None:
        run = _run(self.element, _Format(), self.face)
        etree.SubElement(run, W_BR, {W_TYPE: "page"} if page else {})
        self._text, self._after_space, self._has_content = None, True, True

    def add_drawing(self, inline: etree._Element) -> None:
        run = _run(self.element, _Format(), self.face)
        etree.SubElement(run, qn("w:drawing")).append(inline)
        self._text, self._after_space, self._has_content = None, False, True

    def finish(self, page_break: bool) -> bool:
        """Write the paragraph properties; drop the paragraph if it stayed empty.

        :param page_break: start the paragraph on a new page.
        :returns: whether the paragraph was kept.
        """
        if self._text is not None and not self.preserve:
            self._text.text = self._text.text.rstrip(" ")
        if not self._has_content:
            self.element.getparent().remove(self.element)
            return False
        self.element.insert(0, _paragraph_properties(self.look, page_break))
        return True


def _paragraph_properties(look: _Look, page_break: bool) -> etree._Element:
    p_pr = etree.Element(W_PPR)
    etree.SubElement(p_pr, qn("w:pStyle"), {W_VAL: look.style_id})
    if look.keep_next:
        etree.SubElement(p_pr, qn("w:keepNext"))
    if page_break:
        etree.SubElement(p_pr, qn("w:pageBreakBefore"))
    if look.numbering is not None:
        num_pr = etree.SubElement(p_pr, qn("w:numPr"))
        etree.SubElement(num_pr, qn("w:ilvl"), {W_VAL: str(look.numbering[1])})
        etree.SubElement(num_pr, qn("w:numId"), {W_VAL: str(look.numbering[0])})
    if look.rule_left:
        borders = etree.SubElement(p_pr, qn("w:pBdr"))
        etree.SubElement(borders, qn("w:left"), {W_VAL: "single", qn("w:sz"): "18", qn("w:space"): "6",
                                                 qn("w:color"): _WARNING_COLOUR})
    if look.compact:
        etree.SubElement(p_pr, qn("w:spacing"), {qn("w:before"): "0", qn("w:after"): "0",
                                                 qn("w:line"): "240", qn("w:lineRule"): "auto"})
    if look.align:
        etree.SubElement(p_pr, qn("w:jc"), {W_VAL: look.align})
    return p_pr


# ------------------------------------------------------------------ blocks


@dataclass
class _ListItem:
    """One ``<li>``: its first paragraph gets the bullet, later ones only the indent."""

    style: str
    continuation: str
    num_id: int | None
    started: bool = False

    def next_style(self) -> tuple[str, tuple[int, int] | None]:
        if self.started:
            return self.continuation, None
        self.started = True
        return self.style, (self.num_id, 0) if self.num_id is not None else None


@dataclass(frozen=True)
class _Context:
    """What the blocks around an element decide about the paragraphs inside it."""

    width: int  # available width in twips
    style: str = "Normal"
    fmt: _Format = field(default_factory=_Format)
    align: str | None = None
    in_cell: bool = False
    keep_next: bool = False
    rule_left: bool = False
    preserve: bool = False
    list_depth: int = 0
    item: _ListItem | None = None


class _Converter:
    """Writes the blocks of one HTML body into one Word document."""

    def __init__(self, doc: RenderedDocument, word: WordDocument, face: WordFace) -> None:
        self.doc = doc
        self.word = word
        self.face = face
        self.pending_break = False
        self._style_ids: dict[str, str] = {}
        self._shape_id = 0

    def convert(self, body: etree._Element) -> None:
        """Replace the document body with the content of ``body``."""
        w_body = self.word.element.body
        section_properties = w_body.get_or_add_sectPr()
        w_body.remove(section_properties)
        width = self._text_width(section_properties)
        self.flow(body, w_body, _Context(width=width))
        w_body.append(section_properties)

    def _text_width(self, section_properties: etree._Element) -> int:
        page_width = section_properties.page_width or Mm(210)
        margins = (section_properties.left_margin or 0) + (section_properties.right_margin or 0)
        return max(int((page_width - margins) / _EMU_PER_TWIP), 1440)

    def style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = _ensure_style(self.word, name, kind)
        return self._style_ids[name]

    # -- flow: inline content between blocks becomes implicit paragraphs

    def flow(self, element: etree._Element, out: etree._Element, ctx: _Context) -> None:
        """Write the children of ``element`` into ``out`` (a body or a ``w:tc``)."""
        para = self._text(None, element.text, out, ctx)
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIPPED and not _in_page_margin(child):
                if _is_block(child):
                    self._close(para)
                    para = None
                    self.block(child, out, ctx)
                else:
                    para = para or self._open(out, ctx)
                    self.inline(child, para, ctx, ctx.fmt)
            para = self._text(para, child.tail, out, ctx)
        self._close(para)

    def _text(self, para: _Paragraph | None, text: str | None, out: etree._Element,
              ctx: _Context) -> _Paragraph | None:
        if not text or (para is None and not ctx.preserve and not text.strip(" \t\n\r\f")):
            return para
        para = para or self._open(out, ctx)
        para.add_text(text, ctx.fmt)
        return para

    def _open(self, out: etree._Element, ctx: _Context) -> _Paragraph:
        style, numbering = ctx.style, None
        if style == "Normal" and ctx.item is not None:
            style, numbering = ctx.item.next_style()
        look = _Look(self.style_id(style), ctx.align, ctx.keep_next, ctx.in_cell, numbering, ctx.rule_left)
        return _Paragraph(out, look, self.face, ctx.preserve)

    def _close(self, para: _Paragraph | None) -> None:
        if para is not None and para.finish(self.pending_break):
            self.pending_break = False

    # -- blocks

    def block(self, el: etree._Element, out: etree._Element, ctx: _Context) -> None:
        """Write one block-level element."""
        css = inline_style(el)
        if not ctx.in_cell and _breaks(el, css, "before"):
            self.pending_break = True
        align = _ALIGNMENTS.get(css.get("text-align", el.get("align", "")).lower())
        if el.tag == "h1" and not align:
            align = "center"  # the stylesheet centres the title
        if align:
            ctx = replace(ctx, align=align)
        ctx = _class_look(el, ctx)
        tag = el.tag
        if tag == "table":
            self.table(el, out, ctx)
        elif tag in ("ul", "ol"):
            self.list_items(el, out, ctx)
        elif tag in _PARAGRAPH_STYLES:
            style = "Caption" if "caption" in class_names(el) else _PARAGRAPH_STYLES[tag]
            keep = ctx.keep_next or (not ctx.in_cell and (tag in _HEADINGS or style == "Caption"))
            self.flow(el, out, replace(ctx, style=style if style != "Normal" else ctx.style, keep_next=keep,
                                       preserve=ctx.preserve or tag == "pre"))
        elif tag == "figure":
            start = len(out)
            # centred, as on a printed page; the picture keeps with its caption
            self.flow(el, out, replace(ctx, align=align or "center", keep_next=not ctx.in_cell))
            if len(out) > start and out[-1].tag == W_P:
                _drop_keep_next(out[-1])
        elif tag != "hr":
            self.flow(el, out, replace(ctx, fmt=ctx.fmt.inside(tag)))
        if not ctx.in_cell and _breaks(el, css, "after"):
            self.pending_break = True

    def list_items(self, el: etree._Element, out: etree._Element, ctx: _Context) -> None:
        """Write ``<ul>``/``<ol>`` items with Word's list styles, nested up to level 3."""
        ordered = el.tag == "ol"
        depth = ctx.list_depth + 1
        suffix = "" if depth == 1 else f" {min(depth, 3)}"
        style = ("List Number" if ordered else "List Bullet") + suffix
        num_id = self._restart_numbering(style, int_attr(el, "start", 1, 1, 32767)) if ordered else None
        for child in el:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                item = _ListItem(style, "List Continue" + suffix, num_id)
                self.flow(child, out, replace(ctx, style="Normal", list_depth=depth, item=item))

    def _restart_numbering(self, style: str, start: int) -> int | None:
        """A fresh ``w:num`` for one ``<ol>``, so each list counts from ``start``."""
        self.style_id(style)
        p_pr = self.word.styles[style].element.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        numbering = self.word.part.numbering_part.element
        try:
            shared = numbering.num_having_numId(num_pr.numId.val)
        except KeyError:
            return None
        num = numbering.add_num(shared.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        num_id: int = num.numId
        return num_id

    # -- inline

    def inline(self, el: etree._Element, para: _Paragraph, ctx: _Context, fmt: _Format) -> None:
        """Write an inline element (and its descendants) into ``para``."""
        tag = el.tag
        if tag == "br":
            para.add_break(page=not ctx.in_cell and _breaks(el, inline_style(el), "before"))
            return
        if tag == "img":
            self.picture(el, para, ctx)
            return
        fmt = _class_format(el, fmt.inside(tag))
        if el.text:
            para.add_text(el.text, fmt)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                self.inline(child, para, ctx, fmt)
            if child.tail:
                para.add_text(child.tail, fmt)

    def picture(self, img: etree._Element, para: _Paragraph, ctx: _Context) -> None:
        """Embed a PNG/JPEG/GIF picture; anything refused or not raster becomes a note."""
        src = img.get("src", "")
        try:
            _mime, blob = fetch(src, self.doc, prefer="png")
        except (Refused, OSError):
            blob = b""
        if not blob.startswith(_RASTER_MAGIC):
            para.add_text(_MISSING_PICTURE, _Format())
            return
        try:
            r_id, image = self.word.part.get_or_add_image(io.BytesIO(blob))
        except UnrecognizedImageError as e:
            raise RenderError(f"picture '{src[:80]}' is not a readable image: {e}") from e
        width, height = self._picture_size(img, src, image.width, image.height, ctx)
        self._shape_id += 1
        para.add_drawing(CT_Inline.new_pic_inline(self._shape_id, r_id, image.filename,
                                                  Emu(width), Emu(height)))

    def _picture_size(self, img: etree._Element, src: str, native_w: int, native_h: int,
                      ctx: _Context) -> tuple[int, int]:
        """EMU size from the CSS, else the Picture's own size, never wider than the text."""
        css = inline_style(img)
        full_mm = ctx.width / _TWIPS_PER_MM
        w_mm = length_mm(css.get("width", img.get("width")), full_mm)
        h_mm = length_mm(css.get("height", img.get("height")), full_mm)
        picture = self.doc.pictures.get(src[6:]) if src.startswith("asset:") else None
        if w_mm is None and h_mm is None and picture is not None:
            w_mm, h_mm = picture.width_mm, picture.height_mm
        given_w = int(Mm(w_mm)) if w_mm else None  # EMU
        given_h = int(Mm(h_mm)) if h_mm else None
        # one side given: the other keeps the picture's proportions
        width = given_w if given_w is not None else (
            native_w if given_h is None else round(native_w * given_h / native_h))
        height = given_h if given_h is not None else (
            native_h if given_w is None else round(native_h * width / native_w))
        limit = ctx.width * _EMU_PER_TWIP
        if width > limit:
            width, height = limit, round(height * limit / width)
        return int(width), int(height)

    # -- tables

    def table(self, el: etree._Element, out: etree._Element, ctx: _Context) -> None:
        """Write ``<table>`` as one ``w:tbl`` built directly as XML."""
        inner = replace(ctx, style="Normal", item=None, list_depth=0)
        for caption in el.iterchildren("caption"):
            self.flow(caption, out, replace(inner, style="Caption", keep_next=True))
        if self.pending_break:
            self._break_carrier(out)
        if len(out) and out[-1].tag == qn("w:tbl"):
            # Word fuses adjacent tables; a paragraph keeps them apart.
            etree.SubElement(out, W_P)
        rows = table_rows(el)
        grid = cell_grid(rows)
        columns = max([len(declared_columns(el))] + [s.col + s.span for row in grid for s in row])
        if columns == 0:
            return
        size_mm = length_mm(inline_style(el).get("font-size"), 0)
        # 9 pt as the stylesheet's tables; a wide statistics table set smaller, as in the PDF
        size_pt = round(size_mm * 72 / 25.4, 1) if size_mm else _TABLE_PT
        inner = replace(inner, fmt=replace(inner.fmt, size_pt=size_pt))
        widths = fit_columns(_column_widths(declared_columns(el), columns, ctx.width),
                             *_columns_need(grid, columns, size_pt))
        repeat_head = not _has_inner_header(rows)
        keeps = _rows_kept_with_next(rows, _followed_by_note(el))
        tbl = etree.SubElement(out, qn("w:tbl"))
        tbl.append(self._table_properties(sum(widths)))
        tbl_grid = etree.SubElement(tbl, qn("w:tblGrid"))
        for width in widths:
            etree.SubElement(tbl_grid, qn("w:gridCol"), {W_W: str(width)})
        for (source_row, is_header, _end), slots, keep in zip(rows, grid, keeps, strict=True):
            tr = etree.SubElement(tbl, qn("w:tr"))
            tr_pr = etree.SubElement(tr, qn("w:trPr"))
            etree.SubElement(tr_pr, qn("w:cantSplit"))
            if is_header and repeat_head:
                etree.SubElement(tr_pr, qn("w:tblHeader"))
            row_ctx = replace(inner, keep_next=keep and not ctx.in_cell)
            fill = None
            if "total" in class_names(source_row):  # bold on a light ground, as the stylesheet's tr.total
                row_ctx, fill = replace(row_ctx, fmt=row_ctx.fmt.inside("b")), _TOTAL_FILL
            for slot in padded(slots, columns):
                self._cell(tr, slot, sum(widths[slot.col:slot.col + slot.span]), row_ctx, fill)

    def _table_properties(self, width: int) -> etree._Element:
        tbl_pr = etree.Element(qn("w:tblPr"))
        table_style = self.style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        etree.SubElement(tbl_pr, qn("w:tblStyle"), {W_VAL: table_style})
        etree.SubElement(tbl_pr, qn("w:tblW"), {W_W: str(width), W_TYPE: "dxa"})
        borders = etree.SubElement(tbl_pr, qn("w:tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            etree.SubElement(borders, qn(f"w:{side}"), {W_VAL: "single", qn("w:sz"): _GRID_EIGHTHS,
                                                       qn("w:space"): "0", qn("w:color"): _GRID_COLOUR})
        etree.SubElement(tbl_pr, qn("w:tblLayout"), {W_TYPE: "fixed"})
        margins = etree.SubElement(tbl_pr, qn("w:tblCellMar"))  # some of the stylesheet's 1.2 mm padding
        for side, twips in (("top", 34), ("left", _CELL_PADDING_TWIPS // 2), ("bottom", 34),
                            ("right", _CELL_PADDING_TWIPS // 2)):
            etree.SubElement(margins, qn(f"w:{side}"), {W_W: str(twips), W_TYPE: "dxa"})
        return tbl_pr

    def _cell(self, tr: etree._Element, slot: Slot, width: int, ctx: _Context, fill: str | None) -> None:
        tc = etree.SubElement(tr, qn("w:tc"))
        tc_pr = etree.SubElement(tc, qn("w:tcPr"))
        etree.SubElement(tc_pr, qn("w:tcW"), {W_W: str(width), W_TYPE: "dxa"})
        if slot.span > 1:
            etree.SubElement(tc_pr, qn("w:gridSpan"), {W_VAL: str(slot.span)})
        if slot.merge:
            etree.SubElement(tc_pr, qn("w:vMerge"), {W_VAL: "restart"} if slot.merge == "restart" else {})
        if slot.origin is not None and slot.origin.tag == "th":
            fill = _HEADER_FILL
        if fill:
            etree.SubElement(tc_pr, qn("w:shd"), {W_VAL: "clear", qn("w:color"): "auto", qn("w:fill"): fill})
        if slot.cell is not None and {"num", "date"} & set(class_names(slot.cell)):
            etree.SubElement(tc_pr, qn("w:noWrap"))  # as the stylesheet's td.num, td.date: one line
        etree.SubElement(tc_pr, qn("w:vAlign"), {W_VAL: "center"})  # HTML cells centre vertically
        if slot.cell is not None:
            cell_ctx = replace(ctx, width=max(width - _CELL_PADDING_TWIPS, 360), in_cell=True,
                               align=_cell_alignment(slot.cell, ctx.align),
                               fmt=ctx.fmt.inside(slot.cell.tag))
            self.flow(slot.cell, tc, cell_ctx)
        if tc[-1].tag != W_P:  # Word requires every cell to end with a paragraph
            empty = etree.SubElement(tc, W_P)
            empty.append(_paragraph_properties(_Look(self.style_id("Normal"), compact=True), False))

    def _break_carrier(self, out: etree._Element) -> None:
        """A hairline paragraph that starts a new page before a table."""
        para = etree.SubElement(out, W_P)
        p_pr = etree.SubElement(para, W_PPR)
        etree.SubElement(p_pr, qn("w:pageBreakBefore"))
        etree.SubElement(p_pr, qn("w:spacing"), {qn("w:before"): "0", qn("w:after"): "0",
                                                 qn("w:line"): "20", qn("w:lineRule"): "exact"})
        self.pending_break = False


# ------------------------------------------------------------ HTML helpers


def _class_format(el: etree._Element, fmt: _Format) -> _Format:
    """The stylesheet's ``.warning`` and ``.note`` as character formatting."""
    names = class_names(el)
    if "warning" in names:
        return replace(fmt, color=_WARNING_COLOUR)
    if "note" in names:
        return replace(fmt, color=_NOTE_COLOUR, size_pt=_NOTE_PT)
    return fmt


def _class_look(el: etree._Element, ctx: _Context) -> _Context:
    """A block's classes: colour and size, and the left rule of ``p.warning``."""
    ctx = replace(ctx, fmt=_class_format(el, ctx.fmt))
    if el.tag == "p" and "warning" in class_names(el) and not ctx.in_cell:
        ctx = replace(ctx, rule_left=True)
    return ctx


def _drop_keep_next(para: etree._Element) -> None:
    p_pr = para.find(W_PPR)
    keep = p_pr.find(qn("w:keepNext")) if p_pr is not None else None
    if keep is not None:
        p_pr.remove(keep)


def _in_page_margin(el: etree._Element) -> bool:
    """``class="running-…"`` elements feed the PDF's running header; Word has its own."""
    return any(name.startswith("running-") for name in class_names(el))


def _is_block(el: etree._Element) -> bool:
    """Block tags, and any other element that wraps blocks (an unknown tag, ``<a><div>``)."""
    if el.tag in _BLOCKS:
        return True
    return any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el)


def _breaks(el: etree._Element, css: dict[str, str], side: str) -> bool:
    """Whether a page break belongs ``before`` or ``after`` the element."""
    if side == "before" and "page-break" in class_names(el):
        return True
    return css.get(f"page-break-{side}") == "always" or css.get(f"break-{side}") == "page"


def _cell_alignment(cell: etree._Element, inherited: str | None) -> str | None:
    """``class="num"`` right-aligns; explicit CSS wins; ``th`` centres as in HTML."""
    css = inline_style(cell)
    explicit = _ALIGNMENTS.get(css.get("text-align", cell.get("align", "")).lower())
    if explicit:
        return explicit
    if "num" in class_names(cell):
        return "right"
    return "center" if cell.tag == "th" else inherited


def _columns_need(grid: list[list[Slot]], columns: int, size_pt: float) -> tuple[list[int], list[int]]:
    """Twips each column needs so that no date, number or header word wraps, and twips it
    would rather have so that a short line (a name, up to 12 characters) stays whole."""
    need, prefer = [0] * columns, [0] * columns
    for row in grid:
        for slot in row:
            if slot.cell is None or slot.span != 1 or slot.col >= columns:
                continue
            scale = size_pt * 20 * (1.08 if slot.cell.tag == "th" else 1.0) * 1.05
            pieces = unbreakable_pieces(slot.cell)
            short = [line for line in cell_lines(slot.cell) if len(line) <= _SHORT_LINE]
            for widths, texts in ((need, pieces), (prefer, short)):
                widest = max((text_em(text) for text in texts), default=0.0)
                widths[slot.col] = max(widths[slot.col], int(widest * scale) + _CELL_PADDING_TWIPS + 60)
    return need, prefer


def _rows_kept_with_next(rows: list[tuple[etree._Element, bool, int]], note_follows: bool) -> list[bool]:
    """Which rows keep with the next (Word's keep-with-next on their paragraphs, with cantSplit):
    header rows; every row of a short table; the first and last rows of a long one, so a page
    break leaves at least three on either side; the last row when a note follows the table."""
    body = sum(1 for _tr, is_header, _end in rows if not is_header)
    keeps, index = [], 0
    for _tr, is_header, _end in rows:
        if is_header:
            keeps.append(True)
            continue
        last = index == body - 1
        keeps.append((not last and (body <= _UNSPLIT_ROWS or index < _MIN_ROWS_AT_BREAK - 1
                                    or index >= body - _MIN_ROWS_AT_BREAK))
                     or (last and note_follows))
        index += 1
    return keeps


def _followed_by_note(table: etree._Element) -> bool:
    """Whether the next element is a ``p.note``: a table's footnote stays on its page."""
    following = table.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    return following is not None and following.tag == "p" and "note" in class_names(following)


def _has_inner_header(rows: list[tuple[etree._Element, bool, int]]) -> bool:
    """A body row of only ``th`` cells heads the rows below it: a header repeated on the next
    page would then label them wrongly (the SWOT table's 機會/威脅 under 優勢/劣勢)."""
    for tr, is_header, _end in rows:
        cells = [c for c in tr if c.tag in ("td", "th")]
        if not is_header and cells and all(c.tag == "th" for c in cells):
            return True
    return False


def _column_widths(declared: list[etree._Element], columns: int, total: int) -> list[int]:
    """Twips per column: declared widths as shares of ``total``, the rest split equally."""
    total_mm = total / _TWIPS_PER_MM
    shares: list[float | None] = []
    for col in declared[:columns]:
        mm = length_mm(inline_style(col).get("width", col.get("width")), total_mm)
        shares.append(mm / total_mm if mm else None)
    shares += [None] * (columns - len(shares))
    known = sum(s for s in shares if s is not None)
    unknown = shares.count(None)
    # Undeclared columns share what is left, but never vanish.
    rest = max(1.0 - known, 0.5 * unknown / columns) / unknown if unknown else 0.0
    filled = [s if s is not None else rest for s in shares]
    scale = total / sum(filled)
    widths = [int(s * scale) for s in filled]
    widths[-1] += total - sum(widths)
    return widths
