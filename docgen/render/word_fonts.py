"""Which font a Word file names, and the font table that describes it to Word and LibreOffice.

The PDF embeds its font; a DOCX only names one, so it must name a font its readers
have: Word on Windows ships 微軟正黑體 / 新細明體 (Traditional) and 微软雅黑 / 等线
(Simplified); macOS has PingFang, which the font table offers as the alternative
(``w:altName``).  The table lists exactly the fonts the parts use, with the charset
and PANOSE numbers Word's substitution works from when a font is missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

__all__ = ["DEFAULT_FONTS", "WordFace", "choose_face", "font_table"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
FONT_TABLE = "word/fontTable.xml"

DEFAULT_FONTS = {"zh-TW": "Microsoft JhengHei", "zh-CN": "Microsoft YaHei"}
_MAC_FONTS = {"zh-TW": "PingFang TC", "zh-CN": "PingFang SC"}
_CHARSETS = {"zh-TW": "88", "zh-CN": "86"}  # CHINESEBIG5 / GB2312


@dataclass(frozen=True)
class _Known:
    english: str
    charset: str
    panose: str
    family: str


# Windows' Chinese UI fonts under either of their names (Word writes the English one).
_KNOWN = {
    "Microsoft JhengHei": _Known("Microsoft JhengHei", "88", "020B0604030504040204", "swiss"),
    "微軟正黑體": _Known("Microsoft JhengHei", "88", "020B0604030504040204", "swiss"),
    "PMingLiU": _Known("PMingLiU", "88", "02020500000000000000", "roman"),
    "新細明體": _Known("PMingLiU", "88", "02020500000000000000", "roman"),
    "Microsoft YaHei": _Known("Microsoft YaHei", "86", "020B0503020204020204", "swiss"),
    "微软雅黑": _Known("Microsoft YaHei", "86", "020B0503020204020204", "swiss"),
    "DengXian": _Known("DengXian", "86", "02010600030101010101", "auto"),
    "等线": _Known("DengXian", "86", "02010600030101010101", "auto"),
}
_R_FONTS = re.compile(rb"<w:rFonts\b[^>]*>")
_FONT_ATTRS = re.compile(rb'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"')


@dataclass(frozen=True)
class WordFace:
    """The font every run names, and the East Asian language Word breaks lines by.

    :param name: the font name written to ``w:rFonts``.
    :param lang: ``zh-TW`` or ``zh-CN``.
    """

    name: str
    lang: str

    @property
    def alternative(self) -> str:
        """The macOS font offered in the font table when ``name`` is missing."""
        return _MAC_FONTS.get(self.lang, "PingFang TC")


def choose_face(lang: str, configured: str, reference_font: str | None) -> WordFace:
    """The workspace's ``docx_font`` if set, else a region's own reference document's font,
    else the script's Windows font.

    :param lang: ``zh-TW`` / ``zh-CN``.
    :param configured: ``docx_font`` from docgen.yaml ("" when not set).
    :param reference_font: the East Asian font a region's (or the workspace's) own reference document's
        Normal style names; ``None`` for the shipped one, whose font is only a default.
    """
    if configured:
        return WordFace(configured, lang)
    if reference_font:
        return WordFace(reference_font, lang)
    return WordFace(DEFAULT_FONTS.get(lang, DEFAULT_FONTS["zh-TW"]), lang)


def font_table(parts: dict[str, bytes], face: WordFace) -> bytes:
    """A ``fontTable.xml`` listing every font the XML ``parts`` name.

    Entries the old table already describes keep their description; the document's
    face gets its Windows metrics and the macOS alternative.
    """
    used: list[str] = []
    for name, data in sorted(parts.items()):
        if name.startswith("word/") and name.endswith(".xml") and name != FONT_TABLE:
            for element in _R_FONTS.finditer(data):
                for match in _FONT_ATTRS.finditer(element.group(0)):
                    font = match.group(1).decode("utf-8")
                    if font not in used:
                        used.append(font)
    old = _old_entries(parts.get(FONT_TABLE))
    root = etree.Element(f"{{{W}}}fonts", nsmap={"w": W})
    for font in used:
        if font in old and font != face.name:
            root.append(old[font])
        else:
            root.append(_entry(font, face))
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml


def _old_entries(data: bytes | None) -> dict[str, etree._Element]:
    if not data:
        return {}
    root = etree.fromstring(data)
    return {f.get(f"{{{W}}}name"): f for f in root.iterfind("w:font", _NS)}


def _entry(font: str, face: WordFace) -> etree._Element:
    """A font element in schema order: altName, panose1, charset, family, pitch."""
    known = _KNOWN.get(font)
    entry = etree.Element(f"{{{W}}}font", {f"{{{W}}}name": font})
    if font == face.name:
        etree.SubElement(entry, f"{{{W}}}altName", {f"{{{W}}}val": face.alternative})
    if known is not None:
        etree.SubElement(entry, f"{{{W}}}panose1", {f"{{{W}}}val": known.panose})
    charset = known.charset if known else _CHARSETS.get(face.lang, "88")
    etree.SubElement(entry, f"{{{W}}}charset", {f"{{{W}}}val": charset})
    etree.SubElement(entry, f"{{{W}}}family", {f"{{{W}}}val": known.family if known else "auto"})
    etree.SubElement(entry, f"{{{W}}}pitch", {f"{{{W}}}val": "variable"})
    return entry
