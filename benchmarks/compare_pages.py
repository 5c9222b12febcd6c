"""Do this checkout's PDFs look exactly like an earlier commit's?  Page pixels and text, side by side.

Builds the example workspace's PDFs (``docgen build --format pdf`` for ``--period``, in one process)
once with the code of ``--baseline`` (``git archive`` unpacked into a temporary folder, first on
``PYTHONPATH``) and twice with this checkout, then for every PDF compares:

- every page drawn by poppler (``pdftoppm``) and by MuPDF (``mutool draw``) at ``--dpi``: the decoded
  pixels must be equal (a differing page is saved as ``<name>-p<N>-<renderer>-{before,after}.png``
  under ``--keep``, if given, to look at);
- the text ``pdftotext -layout`` reads;
- this checkout's two builds, byte for byte (deterministic rebuilds).

Prints one line per document that differs and a summary; exits 1 if anything differs.
Run: ``.venv/bin/python benchmarks/compare_pages.py --baseline REV [--period 2026-06] [--dpi 100] [--keep DIR]``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops

REPO = Path(__file__).resolve().parent.parent
#: what makes up the example workspace (the repository is one)
WORKSPACE = ("docgen.yaml", "plans", "ledgers", "regions", "assets")


@dataclass
class Difference:
    """What differs in one PDF between the baseline and this checkout."""

    pages: tuple[int, int]
    pixels: dict[str, list[int]] = field(default_factory=dict)  # renderer → differing page numbers
    text: bool = False
    rebuild: bool = False

    def __bool__(self) -> bool:
        return (self.pages[0] != self.pages[1] or any(self.pixels.values()) or self.text
                or self.rebuild)


def copy_workspace(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in WORKSPACE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copyfile(source, dest / name)
    return dest


def build_pdfs(code: Path, workspace: Path, out: Path, periods: list[str]) -> None:
    """``docgen build`` with the docgen of ``code``, in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(code))
    command = [sys.executable, "-m", "docgen", "-w", str(workspace), "build", "--format", "pdf", "--jobs", "1",
               "--force", "-q", "-o", str(out)]
    for period in periods:
        command += ["--period", period]
    subprocess.run(command, env=env, cwd=code, check=True)


def pages_of(pdf: Path, renderer: str, dpi: int, out: Path) -> list[Path]:
    """Every page of ``pdf`` drawn by ``renderer`` (``poppler`` or ``mupdf``) as PNG files in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    if renderer == "poppler":
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out / "p")], check=True)
    else:
        subprocess.run(["mutool", "draw", "-q", "-r", str(dpi), "-o", str(out / "p%04d.png"), str(pdf)],
                       check=True, capture_output=True)
    return sorted(out.glob("p*.png"), key=lambda p: int(p.stem.lstrip("p-")))


def same_pixels(a: Path, b: Path) -> bool:
    with Image.open(a) as first, Image.open(b) as second:
        if first.size != second.size:
            return False
        return ImageChops.difference(first.convert("RGB"), second.convert("RGB")).getbbox() is None


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))


def compare(rel: Path, before: Path, after: Path, again: Path, dpi: int, scratch: Path,
            keep: Path | None) -> Difference:
    old, new = before / rel, after / rel
    found = Difference((page_count(old), page_count(new)), text=text_of(old) != text_of(new),
                       rebuild=new.read_bytes() != (again / rel).read_bytes())
    stem = rel.as_posix().replace("/", "_").removesuffix(".pdf")
    for renderer in ("poppler", "mupdf"):
        olds = pages_of(old, renderer, dpi, scratch / stem / renderer / "before")
        news = pages_of(new, renderer, dpi, scratch / stem / renderer / "after")
        pairs = enumerate(zip(olds, news, strict=False), 1)  # a page count that differs is reported apart
        found.pixels[renderer] = [n for n, (a, b) in pairs if not same_pixels(a, b)]
        if keep:
            for n in found.pixels[renderer]:
                shutil.copyfile(olds[n - 1], keep / f"{stem}-p{n}-{renderer}-before.png")
                shutil.copyfile(news[n - 1], keep / f"{stem}-p{n}-{renderer}-after.png")
    shutil.rmtree(scratch / stem)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit whose PDFs are the reference")
    parser.add_argument("--period", action="append", help="periods to build (default: 2026 and 2026-06)")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="folder for the pictures of pages that differ")
    args = parser.parse_args()
    periods = args.period or ["2026", "2026-06"]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-compare-") as tmp:
        tmp_path = Path(tmp)
        base_code = tmp_path / "baseline"
        base_code.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.baseline], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base_code)], input=archive.stdout, check=True)
        workspace = copy_workspace(tmp_path / "ws")
        outs = {name: tmp_path / name for name in ("before", "after", "again")}
        build_pdfs(base_code, workspace, outs["before"], periods)
        build_pdfs(REPO, workspace, outs["after"], periods)
        build_pdfs(REPO, workspace, outs["again"], periods)
        rels = sorted(p.relative_to(outs["before"]) for p in outs["before"].rglob("*.pdf"))
        missing = [rel for rel in rels if not (outs["after"] / rel).is_file()]
        present = [rel for rel in rels if rel not in missing]
        with ThreadPoolExecutor(2) as pool:
            differences = pool.map(lambda rel: compare(rel, outs["before"], outs["after"], outs["again"], args.dpi,
                                                       tmp_path / "pages", args.keep), present)
            results = dict(zip(present, differences, strict=True))
    pages = sum(d.pages[0] for d in results.values())
    for rel, found in results.items():
        if found:
            print(f"{rel}: pages {found.pages[0]} → {found.pages[1]}; differing pages: poppler "
                  f"{found.pixels['poppler'] or 'none'}, MuPDF {found.pixels['mupdf'] or 'none'}; "
                  f"text {'differs' if found.text else 'same'}; rebuild {'differs' if found.rebuild else 'same'}")
    for rel in missing:
        print(f"{rel}: not built by this checkout")
    differing = [rel for rel, found in results.items() if found]
    print(f"{len(results)} PDFs, {pages} pages at {args.dpi} dpi against {args.baseline}: "
          f"{len(results) - len(differing)} identical in poppler and MuPDF pixels and pdftotext text, "
          f"{len(differing)} differ; {sum(not d.rebuild for d in results.values())} rebuilt byte-identical")
    return 1 if differing or missing else 0


if __name__ == "__main__":
    sys.exit(main())
