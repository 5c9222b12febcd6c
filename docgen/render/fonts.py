"""Compact CJK font programs in WeasyPrint's PDFs; the fallback font and characters none can draw.

WeasyPrint (70) subsets with *retained glyph ids*: the PDF's text refers to glyphs by their id
in the original font (``/Identity-H``, CID = glyph id), so its subset keeps every glyph slot up
to the highest id used.  Noto Sans CJK has 65,535 slots; a one-page sheet embedding two weights
carried ~2 × 770 KB of font program, mostly empty slots.

A CID-keyed CFF does not need the slots: its ``charset`` maps each glyph to a CID, and PDF
viewers look glyphs up by CID in a bare CFF program (``/FontFile3 /Subtype /CIDFontType0C``;
poppler reads the charset, MuPDF's FreeType maps CIDs through it).  HarfBuzz's subsetter keeps
a CID-keyed font's CIDs when it renumbers glyphs.  So for such fonts we subset *without*
retained ids, keep only the ``CFF `` table, and embed it bare: the same CIDs, widths and
``ToUnicode`` as before, a fraction of the bytes, and one HarfBuzz pass instead of two.

Characters outside the CJK family (CJK Extension B and later, e.g. the 𠀀 of 𠀀記五金) come
from ``FALLBACK_FAMILIES`` (Hanazono Mincho, Debian's fonts-hanazono), named after the main
family in the page CSS.  A character that no font has is listed by :class:`Finisher` so the
writer can say which one, in which document and on which data line.

WeasyPrint also copies each font's whole file into Python (``Font.file_content``; ~19 MB for one
weight of the Noto Sans CJK collection, 7 ms a document for two weights) when a document first uses
it, though a compact subset reads the font through HarfBuzz and never needs the copy.  Inside
:func:`embedding` the copy is made only when something reads ``file_content`` (WeasyPrint's own
subsetting of a font that is not CID-keyed CFF, such as the TrueType fallback).

This leans on WeasyPrint internals (``weasyprint.pdf.fonts.Font``: ``__init__``, ``subset``, ``type``,
``file_content``, ``hb_face``, ``tables``, ``missing``; ``weasyprint.pdf.fonts.get_hb_object_data``;
the font stream's ``/Subtype``), so it is pinned to the
tested versions (``TESTED_WEASYPRINT``) and ``tests/test_pdf_fonts.py`` fails when an upgrade
breaks it.  Any font that is not CID-keyed CFF, or whose compact subset does not keep its CIDs,
goes through WeasyPrint's own subsetting unchanged.
"""
from __future__ import annotations

import contextvars
import ctypes.util
import functools
import io
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

#: WeasyPrint major versions whose internals this module was tested against.
TESTED_WEASYPRINT = range(70, 71)

#: families tried, in order, for characters the document's CJK family lacks: HanaMinA covers the
#: BMP, Extension A and some of Extension B (𠀀 included), HanaMinB the rest of the supplementary
#: ideographic plane (Extensions B to E; Extension G, U+30000 on, is in neither)
FALLBACK_FAMILIES = ("HanaMinA", "HanaMinB")
#: the Debian package that installs them
FALLBACK_PACKAGE = "fonts-hanazono"
#: data files searched for the line a missing character comes from
DATA_SUFFIXES = (".yaml", ".yml", ".csv")

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("docgen_compact_fonts", default=False)
_BARE_CFF = "_docgen_bare_cff"  # attribute set on a WeasyPrint Font whose file_content is a bare CFF
#: set while WeasyPrint's ``Font.__init__`` runs inside :func:`embedding`: its file copy is deferred
_DEFER_COPY: contextvars.ContextVar[bool] = contextvars.ContextVar("docgen_defer_font_copy", default=False)
_CONTENT = "_docgen_file_content"  # where a WeasyPrint Font keeps its file_content (or _NOT_READ)
_COPIED = "_docgen_file_copied"  # False on a Font whose file_content was deferred and not read since
_NOT_READ = object()
#: a cffi pointer (HarfBuzz face, blob): cffi ships no annotations
CData: TypeAlias = Any


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not one whose internals this module knows."""


def _weasyprint_fonts() -> Any:
    """WeasyPrint's ``pdf.fonts`` module, checked to have what the hooks replace."""
    import weasyprint
    from weasyprint.pdf import fonts

    major = int(weasyprint.__version__.split(".")[0])
    if major not in TESTED_WEASYPRINT:
        raise UnsupportedWeasyPrint(f"WeasyPrint {weasyprint.__version__} is not a tested version "
                                    f"({TESTED_WEASYPRINT.start}–{TESTED_WEASYPRINT.stop - 1})")
    for name in ("subset", "type", "__init__"):
        if not hasattr(fonts.Font, name):
            raise UnsupportedWeasyPrint(f"weasyprint.pdf.fonts.Font has no {name!r}")
    if not callable(getattr(fonts, "get_hb_object_data", None)):
        raise UnsupportedWeasyPrint("weasyprint.pdf.fonts has no get_hb_object_data")
    return fonts


_installed = False


def install() -> None:
    """Hook the compact subset into WeasyPrint's ``Font`` (once per process).

    The hooks act only inside :func:`embedding`; elsewhere WeasyPrint behaves as shipped.
    :raises UnsupportedWeasyPrint: if the installed WeasyPrint is not a tested one.
    """
    global _installed
    if _installed:
        return
    weasy_fonts = _weasyprint_fonts()
    font_class = weasy_fonts.Font
    shipped_subset, shipped_type = font_class.subset, font_class.type
    _defer_file_copy(weasy_fonts)

    def subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if _ACTIVE.get() and to_unicode:
            program = compact_cff(self.hb_face, self.tables, set(to_unicode), hinting,
                                  notdef=bool(self.missing))
            if program is not None:
                self.file_content = program
                setattr(self, _BARE_CFF, True)
                return
        shipped_subset(self, to_unicode, hinting)

    def font_type(self: Any) -> str:
        # a bare CFF goes the OpenType way (/FontFile3, /CIDFontType0); the finisher fixes its /Subtype
        return "otf" if getattr(self, _BARE_CFF, False) else str(shipped_type.fget(self))

    font_class.subset = subset
    font_class.type = property(font_type)
    _installed = True


def _defer_file_copy(weasy_fonts: Any) -> None:
    """Make ``Font.file_content`` read the font file on first use, not in ``Font.__init__``."""
    font_class, shipped_init, shipped_read = weasy_fonts.Font, weasy_fonts.Font.__init__, weasy_fonts.get_hb_object_data

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        token = _DEFER_COPY.set(_ACTIVE.get())
        try:
            shipped_init(self, *args, **kwargs)
        finally:
            _DEFER_COPY.reset(token)

    def read(hb_object: Any, ot_color: str | None = None, glyph: int | None = None) -> Any:
        # __init__ asks for its whole face (no colour glyph): answer "later"
        if ot_color is None and _DEFER_COPY.get():
            return _NOT_READ
        return shipped_read(hb_object, ot_color, glyph)

    def file_content(self: Any) -> Any:
        content = self.__dict__[_CONTENT]
        if content is _NOT_READ:
            content = self.__dict__[_CONTENT] = shipped_read(self.hb_face)
            self.__dict__[_COPIED] = True
        return content

    def set_file_content(self: Any, content: Any) -> None:
        if content is _NOT_READ:
            self.__dict__[_COPIED] = False
        self.__dict__[_CONTENT] = content

    font_class.__init__ = init
    font_class.file_content = property(file_content, set_file_content)
    weasy_fonts.get_hb_object_data = read


def file_copied(font: Any) -> bool:
    """Whether WeasyPrint's ``font`` copied its whole font file."""
    return bool(font.__dict__.get(_COPIED, True))


def supported() -> str | None:
    """Why compact subsets are unavailable here (``None``: they are available)."""
    try:
        install()
    except UnsupportedWeasyPrint as e:
        return str(e)
    return None


@dataclass(frozen=True)
class MissingGlyph:
    """A character no installed font could draw: it prints as an empty box."""

    char: str

    def describe(self) -> str:
        name = unicodedata.name(self.char, "")
        return f"'{self.char}' (U+{ord(self.char):04X}{' ' + name if name else ''})"


class Finisher:
    """WeasyPrint's ``finisher``: labels the bare CFF programs as such, notes missing characters."""

    def __init__(self) -> None:
        self.missing: list[MissingGlyph] = []

    def __call__(self, document: Any, pdf: Any) -> None:
        """Called by WeasyPrint with its ``Document`` and the ``pydyf.PDF`` about to be written."""
        import pydyf

        for obj in pdf.objects:
            if (isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType"
                    and obj.stream and bytes(obj.stream[0][:4]) != b"OTTO"):
                obj.extra["Subtype"] = "/CIDFontType0C"
        # WeasyPrint draws a character no font has with a stand-in glyph id (Font.missing)
        self.missing = [MissingGlyph(chr(c)) for c in sorted({c for font in document.fonts.values()
                                                              for c in getattr(font, "missing", {})})]


def data_line(char: str, root: Path) -> str | None:
    """``file:line`` of the first line of the workspace's data (``plans/``, ``ledgers/``, under ``root``)
    holding ``char`` (its source)."""
    files = (p for folder in ("plans", "ledgers") for p in sorted((root / folder).rglob("*")))  # the plan first
    for path in (p for p in files if p.suffix.lower() in DATA_SUFFIXES and p.is_file()):
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                for number, line in enumerate(lines, 1):
                    if char in line:
                        return f"{path.relative_to(root).as_posix()}:{number}"
        except OSError:
            continue
    return None


@contextmanager
def embedding(compact: bool = True) -> Iterator[Finisher]:
    """Render one PDF inside this block and pass it the yielded finisher.

    :param compact: embed CID-keyed CFF fonts as compact bare CFF subsets; ``False`` (or a
        WeasyPrint this module was not tested with) keeps WeasyPrint's own subsets.
    """
    token = _ACTIVE.set(compact and supported() is None)
    try:
        yield Finisher()
    finally:
        _ACTIVE.reset(token)


# -- HarfBuzz ------------------------------------------------------------------------------------
#: the tables HarfBuzz needs to subset a CFF font; the rest (cmap, layout) would make it add
#: glyphs the text never uses (variation-sequence alternates, substitutions)
_CFF_FACE_TABLES = ("CFF ", "head", "maxp")


@functools.lru_cache(maxsize=1)
def _hb() -> Any:
    """The few HarfBuzz calls WeasyPrint's cffi declarations lack, declared on top of them."""
    import cffi
    from weasyprint.text.ffi import ffi as weasy_ffi

    ffi = cffi.FFI()
    ffi.include(weasy_ffi)
    ffi.cdef("""
        hb_face_t * hb_face_builder_create (void);
        hb_bool_t hb_face_builder_add_table (hb_face_t *face, hb_tag_t tag, hb_blob_t *blob);
    """)
    return ffi.dlopen(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")


def _tag(name: str) -> int:
    from weasyprint.text.ffi import harfbuzz

    return int(harfbuzz.hb_tag_from_string(name.encode("latin-1"), -1))


def _cff_face(hb_face: CData) -> CData:
    """A face of ``hb_face``'s CFF, head and maxp tables only (shared, not copied)."""
    from weasyprint.text.ffi import harfbuzz

    face = _hb().hb_face_builder_create()
    for name in _CFF_FACE_TABLES:
        blob = harfbuzz.hb_face_reference_table(hb_face, _tag(name))
        _hb().hb_face_builder_add_table(face, _tag(name), blob)
        harfbuzz.hb_blob_destroy(blob)
    return face


def _table(face: CData, name: str) -> bytes | None:
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, _tag(name))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return None if data == ffi.NULL else ffi.unpack(data, int(length[0]))
    finally:
        harfbuzz.hb_blob_destroy(blob)


def compact_cff(hb_face: CData, tables: list[str], gids: set[int], hinting: bool = False,
                notdef: bool = False) -> bytes | None:
    """A bare CID-keyed CFF holding glyph 0 and ``gids``, each under its original id as CID.

    :param hb_face: the HarfBuzz face of the whole font.
    :param tables: the font's table tags.
    :param hinting: keep the hints (WeasyPrint's ``hinting`` option; off by default).
    :param notdef: keep .notdef's outline (some characters had no glyph).
    :returns: ``None`` if the font is not CID-keyed CFF or its CIDs are not its glyph ids.
    """
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if "CFF " not in tables or not harfbuzz_subset:
        return None
    wanted = sorted(g for g in gids if g < harfbuzz.hb_face_get_glyph_count(hb_face))
    plan = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    glyphs = ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted)
    harfbuzz.hb_set_add_sorted_array(harfbuzz_subset.hb_subset_input_glyph_set(plan), glyphs, len(wanted))
    # WeasyPrint's own flags: plain charstrings (smaller once compressed), hints only if asked for,
    # and .notdef's outline where a character had no glyph
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if notdef:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(plan, flags)
    source = ffi.gc(_cff_face(hb_face), harfbuzz.hb_face_destroy)
    face = harfbuzz_subset.hb_subset_or_fail(source, plan)
    if face == ffi.NULL:
        return None
    try:
        program = _table(face, "CFF ")
    finally:
        harfbuzz.hb_face_destroy(face)
    # every glyph must keep its id as CID (true when a font's CIDs are its glyph ids, as in
    # Noto Sans CJK / Source Han); else the text would point at the wrong glyphs
    if not program or cff_cids(program) != [0, *(g for g in wanted if g)]:
        return None
    return program


def cff_cids(program: bytes) -> list[int] | None:
    """The CIDs of a bare CFF's glyphs in glyph order, or ``None`` if it is not CID-keyed."""
    from fontTools.cffLib import CFFFontSet

    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(program), None)
    top = fonts[fonts.fontNames[0]]
    if not hasattr(top, "ROS"):
        return None
    return [0 if name == ".notdef" else int(name[3:]) for name in top.charset]
