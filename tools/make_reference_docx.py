"""Generate ``templates/reference.docx``, the Word styles every DOCX starts from.

Like pandoc's ``--reference-doc``: only the styles and the page setup of this file
matter; the DOCX writer empties its body.  A region restyles its Word documents by
shipping its own copy (edit this one in Word, keep the style names).

Run: ``.venv/bin/python tools/make_reference_docx.py [OUT]``.  The output is
byte-identical from run to run, so the file can be committed and diffed.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from docgen.render.docx import apply_east_asian_font, save_reproducibly
from docgen.render.word_fonts import DEFAULT_FONTS, WordFace

FACE = WordFace(DEFAULT_FONTS["zh-TW"], "zh-TW")  # docgen names the script's font when it writes
# The colours of templates/style.css, so Word looks like the PDF.
TEXT = RGBColor(0x1D, 0x2B, 0x3A)  # body and the title
ACCENT = RGBColor(0x2F, 0x5D, 0x8A)  # h2, h3 and h2's rule
MUTED = RGBColor(0x4A, 0x5A, 0x6A)  # captions
# (style, size pt, space before pt, space after pt, colour): style.css's h1–h4
HEADINGS = (
    ("Title", 18, 0, 12, TEXT),
    ("Heading 1", 18, 0, 11, TEXT),
    ("Heading 2", 13, 20, 6, ACCENT),
    ("Heading 3", 11, 11, 4, ACCENT),
    ("Heading 4", 10, 8, 3, TEXT),
)
STAMP = dt.datetime(2024, 1, 1)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


def a4_page(word: WordDocument) -> None:
    """A4 portrait with the PDF's margins (22 mm top, 20 mm bottom, 18 mm sides), so a line
    holds the same text in both; header and footer 1 cm from the edge."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in (("top", 22), ("bottom", 20), ("left", 18), ("right", 18)):
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance = section.footer_distance = Mm(10)


def body_styles(word: WordDocument) -> None:
    """Normal text, captions, header/footer and lists, tuned for dense Chinese text."""
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.2
    caption = word.styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.bold = False
    caption.font.color.rgb = MUTED
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True  # a caption stays with its table or follows its figure
    for name in ("Header", "Footer"):
        word.styles[name].font.size = Pt(9)
        word.styles[name].font.color.rgb = MUTED
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number",
                 "List Number 2", "List Number 3"):
        word.styles[name].paragraph_format.space_after = Pt(2)
    word.styles["Table Grid"].font.size = Pt(9)


def heading_styles(word: WordDocument) -> None:
    """Bold headings in the stylesheet's colours; the title centred, h2 over a blue rule."""
    for name, size, before, after, colour in HEADINGS:
        style = word.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = colour
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    for name in ("Title", "Heading 1"):
        word.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule_below(word.styles["Heading 2"], ACCENT)


def rule_below(style, colour: RGBColor) -> None:
    """A bottom border under every paragraph of ``style`` (python-docx has no API for it)."""
    p_pr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", str(colour))):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                               "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                               "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")


def build() -> bytes:
    """The reference document's bytes."""
    word = docx.Document()
    a4_page(word)
    body_styles(word)
    heading_styles(word)
    apply_east_asian_font(word, FACE.name, "zh-Hant")
    return save_reproducibly(word, STAMP, title="docgen reference", author="docgen", face=FACE)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
