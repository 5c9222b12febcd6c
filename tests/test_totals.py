"""Totals that add up (SPEC §4.9): every table of every example document, read back from HTML.

Plan tables (charter, annual and monthly plans, visit sheets): the printed rows sum exactly to
the printed total.  Statistics tables (sales and visit statistics, year summary): the rows sum
to the total, or the table carries the rounding note, and then they differ by no more than
half a printed unit per row (each row is its true figure rounded).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example

from docgen.cli import cli
from docgen.documents.monthend import ROUNDING_NOTE

STATISTICS = ("sales-stats", "visit-stats", "year-summary")
# columns whose figures are not parts of a whole: ratios, ranks, rates, per-person settings
NOT_ADDITIVE = ("率", "環比", "同比", "/", "名次", "排名", "序號", "權重", "工作日", "數量", "每月定額", "月數",
                "月平均", "個人月定額", "說明", "淡旺季", "每日", "每周", "考核", "得分", "差額")


class Tables(HTMLParser):
    """Each table: its rows (cell texts), which rows are totals, and the note paragraph after it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.table: dict | None = None
        self.cell: list[str] | None = None
        self.note: list[str] | None = None
        self.last: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = {"rows": [], "totals": [], "note": ""}
            self.tables.append(self.table)
        elif tag == "tr" and self.table is not None:
            self.table["rows"].append([])
            if "total" in (attrs.get("class") or ""):
                self.table["totals"].append(len(self.table["rows"]) - 1)
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "p" and self.table is None and self.last is not None and "note" in (attrs.get("class") or ""):
            self.note = []
        elif tag in ("h1", "h2", "h3", "table", "figure"):
            self.last = None

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.table is not None:
            self.table["rows"][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.last, self.table = self.table, None
        elif tag == "p" and self.note is not None and self.last is not None:
            self.last["note"] += "".join(self.note)
            self.note = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.note is not None:
            self.note.append(data)


def _number(cell: str) -> Decimal | None:
    text = cell.replace(",", "").removesuffix("%").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _numbers(cells: list[str]) -> list[Decimal] | None:
    """The cells as numbers, or None if one of them is not a number."""
    numbers = [_number(cell) for cell in cells]
    return None if None in numbers else [n for n in numbers if n is not None]


def _additive(header: list[str], first: str) -> list[int]:
    return [j for j, h in enumerate(header) if j > 0 and not any(k in h for k in NOT_ADDITIVE)
            and not (first == "月份" and "累計" in h)]


def _mismatches(table: dict) -> list[tuple[str, Decimal, Decimal, int]]:
    """(column or row, sum of the printed parts, printed total, number of parts) where they differ."""
    rows = table["rows"]
    header, out = rows[0], []
    totals = set(table["totals"]) | {i for i, r in enumerate(rows) if i and r and r[0].startswith("合計")}
    body = [r for i, r in enumerate(rows[1:], 1) if i not in totals and len(r) == len(header)]
    for t in (rows[i] for i in sorted(totals) if len(rows[i]) == len(header)):
        for j in _additive(header, header[0]):
            if any(r[j] == "—" for r in body):
                continue
            parts, total = _numbers([r[j] for r in body]), _number(t[j])
            if parts is not None and total is not None and sum(parts, Decimal(0)) != total:
                out.append((header[j], sum(parts, Decimal(0)), total, len(parts)))
    if "合計" in header:  # a total column: the row's parts before it add up to it
        k = header.index("合計")
        cols = [j for j in _additive(header, header[0]) if j < k]
        for r in rows[1:]:
            if len(r) != len(header):
                continue
            parts, total = _numbers([r[j] for j in cols]), _number(r[k])
            if parts is not None and total is not None and sum(parts, Decimal(0)) != total:
                out.append((r[0], sum(parts, Decimal(0)), total, len(parts)))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("totals") / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "build", "--format", "html", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return ws / "output"


def _documents(out: Path) -> list[tuple[str, list[dict]]]:
    docs = []
    for path in sorted(out.glob("*/*/*.html")):  # <period>/<region>/<doc>.html, not output/index.html
        parser = Tables()
        parser.feed(path.read_text(encoding="utf-8"))
        docs.append((path.relative_to(out).as_posix(), parser.tables))
    return docs


def test_every_table_of_every_example_document_adds_up_or_says_why(built):
    docs = _documents(built)
    kinds = {path.rsplit("/", 1)[1].split(".")[0].rsplit("-", 1)[0] if "visit-plan-" in path
             else path.rsplit("/", 1)[1].split(".")[0] for path, _ in docs}
    assert {"charter", "annual-plan", "monthly-plan", "visit-plan", *STATISTICS} <= kinds
    checked, noted = 0, 0
    failures: list[tuple[object, ...]] = []
    for path, tables in docs:
        statistics = any(path.endswith(f"/{d}.html") for d in STATISTICS)
        for table in tables:
            checked += 1
            wrong = _mismatches(table)
            if not wrong:
                continue
            if not statistics:
                failures.append((path, table["rows"][0][0], "plan table does not add up", wrong))
            elif ROUNDING_NOTE not in table["note"]:
                failures.append((path, table["rows"][0][0], "no rounding note", wrong))
            else:
                noted += 1
                for what, parts, total, n in wrong:
                    exponent = total.as_tuple().exponent
                    assert isinstance(exponent, int), total                     # a figure, not NaN
                    half_unit = Decimal("0.5").scaleb(exponent)                  # 0.005 for 12.34
                    if abs(parts - total) > n * half_unit:
                        failures.append((path, what, "more than rounding", parts, total))
    assert failures == []
    assert checked > 900 and noted > 0   # the check ran, and found the rounding it allows for


def test_plan_month_shares_add_up_to_100_percent(built):
    # 山東區's seasonality gives 6 months whose exact shares round to 100.1% one by one
    tables = dict(_documents(built))["2026/shandong/annual-plan.html"]
    months = next(t for t in tables if t["rows"][0][:5] == ["月份", "淡旺季", "權重", "月目標", "占比"])
    shares = _numbers([r[4] for r in months["rows"][1:] if r[0].endswith("月")])
    assert shares is not None and sum(shares) == 100


def test_the_checker_catches_a_total_that_does_not_add_up():
    table = {"rows": [["業務員", "目標", "完成率"], ["甲", "1.01", "50.0%"], ["乙", "2.00", "10.0%"],
                      ["合計", "3.00", "20.0%"]], "totals": [], "note": ""}
    assert _mismatches(table) == [("目標", Decimal("3.01"), Decimal("3.00"), 2)]
