"""Render a 20-row and a 200-row Chinese table document; print ms per document.

Baseline measured in the same run: a plain ``weasyprint.HTML(string=…).write_pdf()`` of
the same self-contained HTML (no cached FontConfiguration or stylesheet).  Run:

    .venv/bin/python benchmarks/render.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from decimal import Decimal

import weasyprint

from docgen.render.docx import DocxWriter
from docgen.render.document import PageSetup, RenderedDocument
from docgen.render.html import self_contained
from docgen.render.pdf import PdfWriter, page_css
from docgen.workspace import builtin_templates

REGIONS = ["華東區", "華南區", "山東區", "華北區", "西南區"]


def table_document(rows: int) -> RenderedDocument:
    body = []
    for i in range(rows):
        target = Decimal(150000 + 3137 * i)
        actual = target * Decimal("0.93") + i * 11
        body.append(f"<tr><td>業務員{i + 1:03d}</td><td>{REGIONS[i % 5]}</td><td class='num'>{target:,.2f}</td>"
                    f"<td class='num'>{actual:,.2f}</td><td class='num'>{actual / target * 100:.1f}%</td>"
                    f"<td>重點跟進彩印廠、禮盒廠客戶，完成第{i % 4 + 1}週拜訪計畫</td></tr>")
    html = ("<!DOCTYPE html><html lang='zh-Hant'><head><meta charset='utf-8'><title>月銷售統計表</title></head><body>"
            "<div class='running-company'>金立基粘合劑有限公司</div><div class='running-title'>月銷售統計表</div>"
            "<h1>月銷售統計表</h1><table><thead><tr><th>業務員</th><th>區域</th><th class='num'>目標</th>"
            "<th class='num'>實際</th><th class='num'>完成率</th><th>備註</th></tr></thead><tbody>"
            + "".join(body) + "</tbody></table></body></html>")
    css = (builtin_templates() / "style.css").read_text(encoding="utf-8")
    return RenderedDocument("bench", "月銷售統計表", "金立基粘合劑有限公司", html, css, {},
                            dt.datetime(2026, 6, 30), PageSetup(), builtin_templates() / "reference.docx",
                            (builtin_templates(),))


def best_ms(fn, repeat: int) -> float:
    fn()  # warm-up: font scanning and imports are not per-document costs
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdf, docx = PdfWriter(), DocxWriter()
    print(f"{'rows':>5} {'plain WeasyPrint':>17} {'docgen PDF':>11} {'PDF ratio':>10} {'docgen DOCX':>12}")
    results = {}
    for rows in (20, 200):
        doc = table_document(rows)
        plain_html = self_contained(doc, page_css(doc.page.font_family, doc.page.page_label))
        plain = best_ms(lambda: weasyprint.HTML(string=plain_html).write_pdf(), args.repeat)
        ours = best_ms(lambda: pdf.write(doc), args.repeat)
        word = best_ms(lambda: docx.write(doc), args.repeat)
        results[rows] = (plain, ours, word)
        print(f"{rows:>5} {plain:>14.0f} ms {ours:>8.0f} ms {ours / plain:>9.2f}× {word:>9.1f} ms")
    print(f"200/20 rows: plain PDF {results[200][0] / results[20][0]:.1f}×, docgen PDF "
          f"{results[200][1] / results[20][1]:.1f}×, DOCX {results[200][2] / results[20][2]:.1f}×")


if __name__ == "__main__":
    main()
