"""Compact CJK font programs: only the glyphs used, pages and text as with WeasyPrint's own subsets."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_example, pdf_text
from fontTools.cffLib import CFFFontSet
from pypdf import PdfReader

from docgen.build.jobs import make_job
from docgen.documents import Target
from docgen.render import fonts
from docgen.render.compose import compose
from docgen.render.pdf import PdfWriter
from docgen.workspace import Workspace


@pytest.fixture(scope="module")
def visit_sheet(tmp_path_factory):
    """One example visit sheet, rendered compact (docgen's way) and with WeasyPrint's own subsets."""
    ws = Workspace.open(copy_example(tmp_path_factory.mktemp("ws")))
    doc = compose(make_job(ws, Target("visit-plan", "2026-06", "east", "e01")))
    return PdfWriter().write(doc), PdfWriter(compact_fonts=False).write(doc)


def embedded_fonts(pdf: bytes) -> list[dict]:
    """Each embedded CID font: its font-file subtype, program bytes and the glyph ids its widths list."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]  # pypdf types a dictionary's values as any PDF object
        for font in resources["/Font"].values():
            cid_font = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"].get_object()
            key = next(k for k in ("/FontFile3", "/FontFile2") if k in descriptor)
            stream = descriptor[key].get_object()
            widths, used = cid_font["/W"], set[int]()
            for i in range(0, len(widths), 2):  # [first [w w …] first [w …] …]
                used.update(range(widths[i], widths[i] + len(widths[i + 1])))
            found.append({"subtype": stream.get("/Subtype"), "program": stream.get_data(), "used": used})
    return found


def cff_glyph_cids(program: bytes) -> list[int]:
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    top = cff[cff.fontNames[0]]
    assert top.ROS == ("Adobe", "Identity", 0)  # CID-keyed
    return [0 if name == ".notdef" else int(name.removeprefix("cid")) for name in top.charset]


def test_the_installed_weasyprint_is_one_the_font_hooks_were_tested_with():
    # fails on a WeasyPrint upgrade: re-test fonts.py against it, then widen TESTED_WEASYPRINT
    # (and pyproject's pin) together
    assert fonts.supported() is None


def test_each_font_program_holds_only_the_glyphs_the_text_uses(visit_sheet):
    compact, _ = visit_sheet
    embedded = embedded_fonts(compact)
    assert len(embedded) == 2  # Noto Sans CJK TC regular and bold
    for font in embedded:
        assert font["subtype"] == "/CIDFontType0C"  # a bare CID-keyed CFF
        # .notdef plus exactly the glyphs drawn, each under its Noto glyph id as CID
        assert cff_glyph_cids(font["program"]) == [0, *sorted(font["used"] - {0})]


def test_weasyprints_own_subset_keeps_every_slot_up_to_the_highest_glyph(visit_sheet):
    # what the compact programs replace: an OpenType font of tens of thousands of glyph slots
    _, plain = visit_sheet
    for font in embedded_fonts(plain):
        assert font["subtype"] == "/OpenType"
        assert len(cff_glyph_cids(_cff_table(font["program"]))) > max(font["used"]) > 10_000


def _cff_table(opentype: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(opentype)).reader["CFF "]


def test_compact_pdf_is_a_fraction_of_the_size_with_the_same_text(visit_sheet, tmp_path):
    compact, plain = visit_sheet
    assert len(compact) < 50_000 < 250_000 < len(plain)
    (tmp_path / "c.pdf").write_bytes(compact)
    (tmp_path / "p.pdf").write_bytes(plain)
    assert pdf_text(tmp_path / "c.pdf") == pdf_text(tmp_path / "p.pdf")
    assert "月訪客戶計畫表" in pdf_text(tmp_path / "c.pdf")


def test_pages_are_pixel_identical_in_poppler(visit_sheet, tmp_path):
    compact, plain = visit_sheet
    pages = {}
    for name, pdf in (("compact", compact), ("plain", plain)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
        pages[name] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.ppm"))]
    assert len(pages["compact"]) == 1
    assert pages["compact"] == pages["plain"]


@pytest.mark.skipif(shutil.which("mutool") is None, reason="mutool (mupdf-tools) not installed: run ./dev")
def test_pages_are_pixel_identical_in_mupdf(visit_sheet, tmp_path):
    compact, plain = visit_sheet
    pages = {}
    for name, pdf in (("compact", compact), ("plain", plain)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["mutool", "draw", "-q", "-r", "60", "-o", str(tmp_path / f"{name}-%d.pnm"),
                        str(tmp_path / f"{name}.pdf")], check=True, capture_output=True)
        pages[name] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pnm"))]
    assert len(pages["compact"]) == 1
    assert pages["compact"] == pages["plain"]


def test_a_font_whose_cids_are_not_its_glyph_ids_keeps_weasyprints_subset(monkeypatch):
    # the compact program must name every glyph by its glyph id; a CFF whose charset says
    # otherwise is refused (and WeasyPrint's own subset is used)
    from weasyprint.text.ffi import harfbuzz

    monkeypatch.setattr(fonts, "cff_cids", lambda program: [0, 1, 2])
    face = _noto_face()
    assert fonts.compact_cff(face, ["CFF "], {17, 18}) is None
    monkeypatch.undo()
    program = fonts.compact_cff(face, ["CFF "], {17, 18})
    assert program is not None and fonts.cff_cids(program) == [0, 17, 18]
    assert fonts.compact_cff(face, ["glyf", "loca"], {17, 18}) is None  # TrueType: not ours
    harfbuzz.hb_face_destroy(face)


def _noto_face():
    import ctypes.util

    import cffi
    from weasyprint.text.ffi import ffi as weasy_ffi

    ffi = cffi.FFI()
    ffi.include(weasy_ffi)
    ffi.cdef("hb_blob_t * hb_blob_create_from_file (const char *file_name);"
             "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);")
    hb = ffi.dlopen(ctypes.util.find_library("harfbuzz"))
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK TC"], capture_output=True, text=True,
                          check=True).stdout
    return hb.hb_face_create(hb.hb_blob_create_from_file(path.encode()), 0)


# -- characters outside the CJK font --------------------------------------------------------------
def render_with_customer_name(ws_root: Path, name: str) -> bytes:
    """The east region's e01 June visit sheet, its first customer (上海華印彩印廠, east.csv line 2, an A
    prospect until it orders in June) renamed."""
    # the ledgers name the customer too (the sheet reads the visit history): rename it everywhere
    for path in [ws_root / "plans" / "2026" / "customers" / "east.csv", *(ws_root / "ledgers").glob("*/*.csv")]:
        path.write_text(path.read_text(encoding="utf-8").replace("上海華印彩印廠", name), encoding="utf-8")
    ws = Workspace.open(ws_root)
    return PdfWriter().write(compose(make_job(ws, Target("visit-plan", "2026-06", "east", "e01"))))


def glyph_drawn_for(pdf: bytes, char: str) -> tuple[str, str, int]:
    """(font, glyph name, contour count) of the glyph the PDF's fonts map ``char`` to (via ToUnicode)."""
    from fontTools.ttLib import TTFont

    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            target = char.encode("utf-16-be").hex()
            for gid, text in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap):
                if text == target:
                    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                    program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
                    glyph = program.getGlyphOrder()[int(gid, 16)]
                    return font["/BaseFont"], glyph, program["glyf"][glyph].numberOfContours
    raise AssertionError(f"no font maps {char!r}")


def test_a_cjk_extension_b_name_prints_with_a_real_glyph(workspace, tmp_path, capfd):
    pdf = render_with_customer_name(workspace, "𠀀記五金")
    font, glyph, contours = glyph_drawn_for(pdf, "𠀀")  # U+20000, outside Noto Sans CJK
    assert "HanaMin" in font  # the fallback font (fonts-hanazono)
    assert glyph != ".notdef" and contours > 0
    (tmp_path / "x.pdf").write_bytes(pdf)
    assert "𠀀記五金" in pdf_text(tmp_path / "x.pdf")
    assert "warning" not in capfd.readouterr().err


def test_a_character_no_font_has_is_named_with_its_document_and_data_line(workspace, capfd):
    render_with_customer_name(workspace, "𰀀記五金")  # U+30000, CJK Extension G: in no installed font
    assert capfd.readouterr().err.splitlines() == [
        "warning: visit-plan (月訪客戶計畫表): '𰀀' (U+30000 CJK UNIFIED IDEOGRAPH-30000) has no glyph in any "
        "installed font and prints as an empty box (plans/2026/customers/east.csv:2); run `docgen doctor`"]
