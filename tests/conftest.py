"""Shared fixtures: small real workspaces copied from the example, and readers for outputs."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def copy_example(dest: Path) -> Path:
    """A copy of the example workspace (config and plan data; no outputs) at ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "docgen.yaml", dest / "docgen.yaml")
    shutil.copytree(REPO / "plans", dest / "plans", ignore=shutil.ignore_patterns("__pycache__"))
    if (REPO / "ledgers").is_dir():
        shutil.copytree(REPO / "ledgers", dest / "ledgers")
    if (REPO / "regions").is_dir():
        shutil.copytree(REPO / "regions", dest / "regions")
    return dest


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh copy of the example workspace."""
    return copy_example(tmp_path / "ws")


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext reads it (layout kept, so table rows stay on one line)."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_font_families(path: Path) -> set[str]:
    """Font families embedded in a PDF (subset prefix and weight removed), per pdffonts."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    families = set()
    for line in out.splitlines()[2:]:
        name = line.split()[0]
        name = name.split("+", 1)[-1]
        for weight in ("-Bold", "-Regular", "-Medium", "-Light"):
            name = name.removesuffix(weight)
        families.add(name)
    return families


def docx_document(path_or_bytes):
    import docx

    if isinstance(path_or_bytes, (bytes, bytearray)):
        return docx.Document(io.BytesIO(path_or_bytes))
    return docx.Document(str(path_or_bytes))


def docx_tables(document) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_table(path: Path, header_start: list[str]) -> list[list[str]]:
    """The first table of the .docx whose header row starts with ``header_start``."""
    tables = docx_tables(docx_document(path))
    return next(t for t in tables if t[0][:len(header_start)] == header_start)


def pdf_row(text: str, first: str, nth: int = 0) -> list[str]:
    """The words of the ``nth`` PDF line (pdftotext -layout) whose first word is ``first``: a table row."""
    rows = [line.split() for line in text.splitlines() if line.split()[:1] == [first]]
    return rows[nth]


def compact(text: str) -> str:
    """Text without white space (pdftotext and LibreOffice space CJK and digits differently)."""
    return "".join(text.split())


def soffice_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Open a .docx in LibreOffice (headless) and save it as PDF, as a Word user's client would."""
    import os

    env = dict(os.environ, HOME=str(out_dir / "home"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                   capture_output=True, text=True, check=True, timeout=180, env=env)
    return out_dir / (docx_path.stem + ".pdf")
