"""Regenerate ``docs/pages/*.png``: one page of each example document, PDF and Word side by side.

Run: ``.venv/bin/python tools/page_pictures.py [OUT_DIR]``.  The example workspace is copied
to a temporary folder, each document is rendered as PDF and DOCX, the DOCX is opened by
LibreOffice (headless, as a reader without Word would see it) and saved as PDF, and the same
page of both is drawn at 60 dpi next to each other.  The README links the pictures.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_example  # noqa: E402
from layout_check import libreoffice_pdfs  # noqa: E402

DPI = 60
GAP = 16
LABEL = 22
# (picture name, docgen render arguments, output path under output/, page shown)
DOCUMENTS = [
    ("charter", ["charter"], "2026/company/charter", 1),
    ("annual-plan", ["annual-plan", "--period", "2026", "--region", "east"], "2026/east/annual-plan", 6),
    ("monthly-plan", ["monthly-plan", "--period", "2026-06", "--region", "east"], "2026-06/east/monthly-plan", 1),
    ("visit-plan", ["visit-plan", "--period", "2026-06", "--person", "e02"], "2026-06/east/visit-plan-e02", 1),
    ("sales-stats", ["sales-stats", "--period", "2026-06", "--region", "east"], "2026-06/east/sales-stats", 3),
    ("visit-stats", ["visit-stats", "--period", "2026-06", "--region", "east"], "2026-06/east/visit-stats", 1),
    ("year-summary", ["year-summary", "--period", "2026", "--region", "east"], "2026/east/year-summary", 1),
]


def page_png(pdf: Path, page: int, out: Path) -> Image.Image:
    """Page ``page`` of ``pdf`` as a picture."""
    stem = out / f"{pdf.stem}-{pdf.parent.name}"
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("RGB")


def side_by_side(left: Image.Image, right: Image.Image, captions: tuple[str, str]) -> Image.Image:
    width, height = left.width + GAP + right.width, max(left.height, right.height) + LABEL
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    for x, picture, caption in ((0, left, captions[0]), (left.width + GAP, right, captions[1])):
        draw.text((x + 4, 4), caption, fill="black")
        sheet.paste(picture, (x, LABEL))
        draw.rectangle((x, LABEL, x + picture.width - 1, LABEL + picture.height - 1), outline="#9aa9b8")
    return sheet


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "pages"
    target.mkdir(parents=True, exist_ok=True)
    docgen = shutil.which("docgen", path=str(Path(sys.executable).parent)) or "docgen"
    with tempfile.TemporaryDirectory(prefix="page-pictures-") as tmp:
        work = Path(tmp)
        ws = copy_example(work / "ws")
        for _name, args, _path, _page in DOCUMENTS:
            subprocess.run([docgen, "-w", str(ws), "render", *args, "--format", "docx,pdf"], check=True,
                           stdout=subprocess.DEVNULL)
        words = [ws / "output" / f"{path}.docx" for _name, _args, path, _page in DOCUMENTS]
        converted = libreoffice_pdfs(words, work / "lo")
        for (name, _args, path, page), word in zip(DOCUMENTS, words, strict=True):
            pdf = page_png(ws / "output" / f"{path}.pdf", page, work)
            docx = page_png(converted[word], page, work)
            picture = side_by_side(pdf, docx, (f"PDF, page {page}", f"DOCX in LibreOffice, page {page}"))
            picture.save(target / f"{name}.png", optimize=True)
            print(f"wrote {target / f'{name}.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
