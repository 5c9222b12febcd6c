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
from docx.shared import Mm, Pt, RGBColor

from docgen.render.docx import apply_east_asian_font, save_reproducibly
from docgen.render.word_fonts import DEFAULT_FONTS, WordFace

FACE = WordFace(DEFAULT_FONTS["zh-TW"], "zh-TW")  # docgen names the script's font when it writes
INK = RGBColor(0x2E, 0x40, 0x53)  # dark blue-grey for headings
MUTED = RGBColor(0x5D, 0x6D, 0x7E)
# (style, size pt, space before pt, space after pt)
HEADINGS = (
    ("Title", 22, 0, 12),
    ("Heading 1", 16, 18, 8),
    ("Heading 2", 14, 14, 6),
    ("Heading 3", 12, 10, 4),
    ("Heading 4", 11, 8, 4),
)
STAMP = dt.datetime(2024, 1, 1)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


def a4_page(word: WordDocument) -> None:
    """A4 portrait with 2 cm margins; header and footer 1 cm from the edge."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Mm(20))
    section.header_distance = section.footer_distance = Mm(10)


def body_styles(word: WordDocument) -> None:
    """Normal text, captions, header/footer and lists, tuned for dense Chinese text."""
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.2
    caption = word.styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.bold = True
    caption.font.color.rgb = MUTED
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):
        word.styles[name].font.size = Pt(9)
        word.styles[name].font.color.rgb = MUTED
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number",
                 "List Number 2", "List Number 3"):
        word.styles[name].paragraph_format.space_after = Pt(2)
    word.styles["Table Grid"].font.size = Pt(10)


def heading_styles(word: WordDocument) -> None:
    """Bold dark blue-grey headings, sized down one step per level."""
    for name, size, before, after in HEADINGS:
        style = word.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = INK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)


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
