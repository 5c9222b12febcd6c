"""How the DOCX writer scales with table length.

Builds a 20-row and a 200-row six-column Chinese table document, times
``write_docx`` (best of 5) and prints milliseconds per document and the 200/20
ratio.  Linear work gives a ratio near 10 (less, as the fixed cost of loading the
reference document and zipping is shared); python-docx's cell API gives ~100.

Run: ``.venv/bin/python benchmarks/docx_tables.py [--keep OUT.docx]``.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from html import escape
from pathlib import Path

from docgen.render.document import RenderedDocument
from docgen.render.docx import write_docx

REFERENCE = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
REGIONS = ("台北", "新竹", "台中", "台南", "高雄", "花蓮")
REPEATS = 5


def table_document(rows: int) -> RenderedDocument:
    """A document holding one ``rows``-row table of money-like figures.

    :param rows: number of body rows.
    """
    body = []
    for i in range(rows):
        target = 1_250_000 + i * 37_519
        actual = target * (90 + i % 17) // 100
        body.append(
            f"<tr><td>{REGIONS[i % len(REGIONS)]}第{i + 1}組</td><td>{escape('王小明 & 陳大文')}</td>"
            f'<td class="num">{target:,}</td><td class="num">{actual:,}</td>'
            f'<td class="num">{actual / target:.1%}</td><td>持續追蹤重點客戶與新品推廣進度</td></tr>'
        )
    html = (
        "<html><body><h1>各區業績追蹤表</h1><p>單位：元。</p>"
        '<table><colgroup><col style="width: 16%"><col style="width: 16%"><col style="width: 15%">'
        '<col style="width: 15%"><col style="width: 10%"><col style="width: 28%"></colgroup>'
        "<thead><tr><th>區域</th><th>負責人</th><th>目標</th><th>實績</th><th>達成率</th><th>備註</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></body></html>"
    )
    return RenderedDocument(
        doc_id="bench", title="業績追蹤表", company="範例股份有限公司", html=html, css="",
        pictures={}, created=dt.datetime(2024, 1, 1), reference_docx=REFERENCE if REFERENCE.exists() else None,
    )


def best_ms(doc: RenderedDocument) -> float:
    """The fastest of :data:`REPEATS` writes, in milliseconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        write_docx(doc)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main(argv: list[str]) -> int:
    small, large = table_document(20), table_document(200)
    write_docx(small)  # warm imports and caches
    small_ms, large_ms = best_ms(small), best_ms(large)
    print(f"write_docx  20 rows: {small_ms:7.1f} ms")
    print(f"write_docx 200 rows: {large_ms:7.1f} ms")
    print(f"ratio 200/20:        {large_ms / small_ms:7.2f}")
    if len(argv) > 2 and argv[1] == "--keep":
        Path(argv[2]).write_bytes(write_docx(large))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
