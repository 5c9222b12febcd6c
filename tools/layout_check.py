"""Find the pages a typographer would send back, in every PDF and DOCX of an output folder.

Run: ``.venv/bin/python tools/layout_check.py output/ [--no-docx]``.  Each ``.pdf`` is read
as it is; each ``.docx`` is first converted to PDF by LibreOffice (headless, with its own
profile).  What the pages should hold comes from the document itself: the ``.html`` next
to a PDF (else the ``.docx``), or the ``.docx``.  Three checks, one line per finding
(``file: page N: …``), exit status 1 if there is any:

- a heading or caption that is the last thing on its page (not the last page);
- a table split across pages when it has at most 13 rows (12 and a total), or leaving
  fewer than 3 rows on either side of the break;
- a date or number from a table wrapped onto two lines ("2026年4月9 / 日", "1,09 / 2.00").

Page text comes from ``pdftotext -raw`` (content-stream order: one table cell after the
other), compared with white space removed, as LibreOffice spaces CJK and digits apart.
"""
from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
import lxml.html

UNSPLIT_ROWS = 13
MIN_ROWS_AT_BREAK = 3
ROW_KEY_CHARS = 12
_FOOTER = re.compile(r"^第\d+[頁页]/共\d+[頁页]$")
_LIST_MARKER = re.compile(r"^(\d+\.|[•●◦▪■·])$")
_DATE = r"\d{1,4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日"
_DATE_LINE = re.compile(rf"(?:{_DATE})(?:[–-](?:{_DATE}|\d{{1,2}}日))?")
_NUMBER = re.compile(r"\d[\d,]*\.\d+%?|\d[\d,]*%|\d{1,3}(?:,\d{3})+|\d{4,}")
_TAIL = re.compile(r"[\d,.%年月日]+$")
_HEAD = re.compile(r"^[\d,.%年月日]+")
_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>Microsoft JhengHei</family><prefer><family>Noto Sans CJK TC</family></prefer></alias>
  <alias binding="same"><family>Microsoft YaHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
"""


def compact(text: str) -> str:
    return "".join(text.split())


@dataclass
class Structure:
    """What a document holds, in order: running header strings, headings, tables' rows."""

    running: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    tables: list[list[str]] = field(default_factory=list)  # per table: its body rows' texts
    tokens: set[str] = field(default_factory=set)  # date cells and numbers in table cells


def cell_tokens(lines: list[str]) -> set[str]:
    """Numbers anywhere in a cell; dates where they are a line of their own (a date column).
    A date inside running text may break before 日 as Chinese text does."""
    tokens: set[str] = set()
    for line in map(compact, lines):
        tokens.update(_NUMBER.findall(line))
        date = _DATE_LINE.match(line)
        if date:
            tokens.add(date.group(0))
            tokens.update(re.findall(_DATE, date.group(0)))
    return tokens


def html_structure(path: Path) -> Structure:
    root = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    found = Structure()
    for el in root.iter("div"):
        if any(c.startswith("running-") for c in (el.get("class") or "").split()):
            found.running.append(compact(el.text_content()))
    for el in root.iter("h1", "h2", "h3", "h4", "caption"):  # a figcaption ends its figure
        if not any(a.tag in ("td", "th") for a in el.iterancestors()):
            found.headings.append(compact(el.text_content()))
    for table in root.iter("table"):
        rows = [tr for tr in table.iter("tr") if tr.getparent().tag != "thead"]
        found.tables.append([compact(" ".join(c.text_content() for c in tr if c.tag in ("td", "th")))
                             for tr in rows])
        for cell in table.iter("td", "th"):
            for br in cell.iter("br"):
                br.tail = "\n" + (br.tail or "")
            found.tokens |= cell_tokens(cell.text_content().split("\n"))
    return found


def docx_structure(path: Path) -> Structure:
    word = docx.Document(str(path))
    found = Structure()
    header = word.sections[0].header
    found.running = [compact(t) for p in header.paragraphs for t in p.text.split("\t") if t.strip()]
    previous = None
    for para in word.paragraphs:
        figure_caption = previous is not None and previous._p.xpath(".//w:drawing")
        style = para.style.name if para.style is not None else ""
        if style.startswith("Heading") or style == "Title" or (style == "Caption" and not figure_caption):
            found.headings.append(compact(para.text))
        previous = para
    for table in word.tables:
        rows = [r for r in table.rows if not r._tr.xpath("./w:trPr/w:tblHeader")]
        found.tables.append([compact(" ".join(_unique_cells(r))) for r in rows])
        for row in table.rows:
            for text in _unique_cells(row):
                found.tokens |= cell_tokens(text.split("\n"))
    return found


def _unique_cells(row) -> list[str]:
    """Cell texts of a row, a merged cell once (python-docx repeats it per grid column)."""
    seen, texts = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text)
    return texts


_CELL_GAP = re.compile(r"(?<=[\d.,%])\s+(?=[\d.,%])")


def page_lines(pdf: Path, running: list[str], cell_gaps: bool = False) -> list[list[str]]:
    """Each page's text lines (compacted), without the running header, footer and list markers.

    :param cell_gaps: keep a ``|`` where white space parts two numbers (two table cells, such as a
        row's last figure and the next row's number), so they are not read as one wrapped number.
    """
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    margin = set(running) | {"".join(running)}
    pages = []
    for page in text.split("\f"):
        lines = [compact(_CELL_GAP.sub("|", line) if cell_gaps else line) for line in page.splitlines()]
        pages.append([line for line in lines if line and line not in margin
                      and not _FOOTER.match(line) and not _LIST_MARKER.match(line)])
    while pages and not pages[-1]:
        pages.pop()
    return pages


def check(pdf: Path, structure: Structure, label: str) -> list[str]:
    pages = page_lines(pdf, structure.running)
    return (_orphaned_headings(pages, structure, label) + _split_tables(pages, structure, label)
            + _wrapped_tokens(page_lines(pdf, structure.running, cell_gaps=True), structure, label))


def _orphaned_headings(pages: list[list[str]], structure: Structure, label: str) -> list[str]:
    problems = []
    for number, lines in enumerate(pages[:-1], 1):
        tail = "".join(lines[-3:])
        for heading in structure.headings:
            if heading and tail.endswith(heading):
                problems.append(f"{label}: page {number}: '{heading}' is the last thing on its page")
                break
    return problems


def _split_tables(pages: list[list[str]], structure: Structure, label: str) -> list[str]:
    text, starts = "", []
    for lines in pages:
        starts.append(len(text))
        text += "".join(lines)
    cursor, problems = 0, []
    for number, rows in enumerate(structure.tables, 1):
        on_page = []
        for row in rows:
            key = row[:ROW_KEY_CHARS]
            where = text.find(key, cursor) if key else -1
            if where < 0:
                continue
            cursor = where + len(key)
            on_page.append(sum(1 for s in starts if s <= where))
        counts = [on_page.count(p) for p in sorted(set(on_page))]
        if len(counts) < 2:
            continue
        total, first_page = len(on_page), min(on_page)
        split = " + ".join(map(str, counts))
        if total <= UNSPLIT_ROWS:
            problems.append(f"{label}: page {first_page}: table {number} of {total} rows is split {split}")
        elif counts[0] < MIN_ROWS_AT_BREAK or counts[-1] < MIN_ROWS_AT_BREAK:
            problems.append(f"{label}: page {first_page}: table {number} is split {split}, "
                            f"fewer than {MIN_ROWS_AT_BREAK} rows on one side")
    return problems


def _wrapped_tokens(pages: list[list[str]], structure: Structure, label: str) -> list[str]:
    problems = []
    for number, lines in enumerate(pages, 1):
        for above, below in itertools.pairwise(lines):
            tail, head = _TAIL.search(above), _HEAD.match(below)
            if not tail or not head:
                continue
            left, right = tail.group(0), head.group(0)
            if _whole(left, structure.tokens) and _whole(right, structure.tokens):
                continue  # two cells, each complete
            crossing = [token for token in structure.tokens if _crosses(left, right, token)]
            if crossing:
                token = max(crossing, key=len)
                problems.append(f"{label}: page {number}: '{token}' is wrapped as '{left}' / '{right}'")
    return problems


def _crosses(left: str, right: str, token: str) -> bool:
    """Whether ``token`` occurs in ``left + right`` across the line break between them."""
    joined, at = left + right, (left + right).find(token)
    while at >= 0:
        if at < len(left) < at + len(token):
            return True
        at = joined.find(token, at + 1)
    return False


def _whole(piece: str, tokens: set[str]) -> bool:
    return piece in tokens or piece.isdigit()


def libreoffice_pdfs(files: list[Path], work: Path) -> dict[Path, Path]:
    """Convert ``files`` with LibreOffice headless, one call per folder (same names differ by folder)."""
    home = work / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True, exist_ok=True)
    (home / ".config" / "fontconfig" / "fonts.conf").write_text(_FONTCONFIG, encoding="utf-8")
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    converted: dict[Path, Path] = {}
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        by_folder.setdefault(path.parent, []).append(path)
    for index, (_folder, group) in enumerate(sorted(by_folder.items())):
        out = work / f"pdf{index}"
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out),
                        *map(str, group)], capture_output=True, check=True, timeout=600, env=env)
        converted.update({path: out / (path.stem + ".pdf") for path in group})
    return converted


def check_folder(folder: Path, with_docx: bool = True) -> list[str]:
    """Every finding in ``folder`` (recursively)."""
    problems = []
    for pdf in sorted(folder.rglob("*.pdf")):
        html, word = pdf.with_suffix(".html"), pdf.with_suffix(".docx")
        if html.is_file():
            structure = html_structure(html)
        elif word.is_file():
            structure = docx_structure(word)
        else:
            problems.append(f"{pdf}: no .html or .docx next to it to say what it holds; not checked")
            continue
        problems += check(pdf, structure, str(pdf))
    words = sorted(folder.rglob("*.docx"))
    if with_docx and words:
        with tempfile.TemporaryDirectory(prefix="layout-check-") as work:
            for path, pdf in libreoffice_pdfs(words, Path(work)).items():
                problems += check(pdf, docx_structure(path), f"{path} (through LibreOffice)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="an output folder, e.g. output/")
    parser.add_argument("--no-docx", action="store_true", help="check the PDFs only (no LibreOffice)")
    args = parser.parse_args(argv)
    problems = check_folder(args.folder, with_docx=not args.no_docx)
    for line in problems:
        print(line)
    pdfs = len(list(args.folder.rglob("*.pdf")))
    words = 0 if args.no_docx else len(list(args.folder.rglob("*.docx")))
    print(f"layout check: {pdfs} PDF, {words} DOCX, {len(problems)} finding(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
