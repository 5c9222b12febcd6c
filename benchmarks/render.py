"""Render a 20-row and a 200-row Chinese table document; print ms per document.

Baseline measured in the same run: a plain ``weasyprint.HTML(string=…).write_pdf()`` of
the same self-contained HTML (no cached FontConfiguration or stylesheet); also docgen's writer
with WeasyPrint's own font subsets (``PdfWriter(compact_fonts=False)``, the font path before issue 12).
Each timed call is followed by a garbage collection, as a build worker does after each document
(over what the call left, the rest of the process being frozen first, as in a worker), so a path
cannot look faster by leaving its garbage to the next one.  Times are CPU
times, best and median of ``--repeat``, so a busy machine skews them less than wall time.
Then, per path, where one 200-row document's time goes: the stages (a cProfile run) and the
garbage collector's share (``gc.callbacks``, outside the profiler).  Run:

    .venv/bin/python benchmarks/render.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import gc
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import weasyprint

from docgen.render.document import PageSetup, RenderedDocument
from docgen.render.docx import DocxWriter
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


def cpu_ms(fn, repeat: int) -> tuple[float, float]:
    """Best and median CPU ms of ``fn`` and the collection after it.

    As in a build worker, what the process holds before (modules, fonts, caches) is frozen, so the
    collection after each call looks at that call's objects only.
    """
    fn()  # warm-up: font scanning and imports are not per-document costs
    gc.collect()
    gc.freeze()
    times = []
    try:
        for _ in range(repeat):
            start = time.process_time()  # CPU time: other load on a shared machine does not count
            fn()
            gc.collect()
            times.append(time.process_time() - start)
    finally:
        gc.unfreeze()
    return min(times) * 1000, statistics.median(times) * 1000


def collector_ms(fn) -> tuple[float, int]:
    """CPU ms the garbage collector spends inside one call of ``fn``, and how many collections."""
    spent, started = [0.0, 0], [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            spent[0] += time.process_time() - started[0]
            spent[1] += 1

    gc.collect()
    gc.callbacks.append(timed)
    try:
        fn()
    finally:
        gc.callbacks.remove(timed)
    return spent[0] * 1000, int(spent[1])


#: the stages of a WeasyPrint render, by the function each one's time is counted under
STAGES = {
    "CSS + styles": ("weasyprint/document.py", "_build_layout_context"),
    "boxes": ("weasyprint/formatting_structure/build.py", "build_formatting_structure"),
    "layout": ("weasyprint/layout/__init__.py", "layout_document"),
    "drawing": ("weasyprint/document.py", "paint"),
    "fonts": ("weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    "compression": ("~", "<method 'compress' of 'zlib.Compress' objects>"),
    "total": ("benchmarks/render.py", "<lambda>"),
}


def stages(fn) -> dict[str, float]:
    """ms per stage of one call of ``fn`` (cumulative; fonts include their compression)."""
    profile = cProfile.Profile(time.process_time)  # CPU time, like best_ms
    profile.runcall(fn)
    profile.create_stats()  # fills profile.stats, the table pstats.Stats would read
    found: dict[str, float] = {}
    for (path, _, name), (_, _, _, cumulative, _) in profile.stats.items():
        for stage, (where, function) in STAGES.items():
            if name == function and (where == "~" or path.endswith(where)):
                found[stage] = found.get(stage, 0) + cumulative * 1000
    return found


def paths(doc: RenderedDocument) -> dict[str, Callable[[], object]]:
    plain_html = self_contained(doc, page_css(doc.page.font_family, doc.page.page_label))
    before, ours = PdfWriter(compact_fonts=False), PdfWriter()
    return {"plain WeasyPrint": lambda: weasyprint.HTML(string=plain_html).write_pdf(),
            "docgen PDF before": lambda: before.write(doc), "docgen PDF": lambda: ours.write(doc)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    docx = DocxWriter()
    print(f"CPU ms per document, best / median of {args.repeat}")
    print(f"{'rows':>5} {'plain WeasyPrint':>17} {'docgen PDF before':>18} {'docgen PDF':>12} {'PDF ratio':>10} "
          f"{'docgen DOCX':>12}")
    results = {}
    for rows in (20, 200):
        doc = table_document(rows)
        (plain, plain_mid), (old, old_mid), (ours, ours_mid) = (cpu_ms(fn, args.repeat)
                                                                for fn in paths(doc).values())
        word, _ = cpu_ms(functools.partial(docx.write, doc), args.repeat)
        results[rows] = (plain, ours, word)
        print(f"{rows:>5} {plain:>7.0f} / {plain_mid:>4.0f} ms {old:>8.0f} / {old_mid:>4.0f} ms {ours:>5.0f} / "
              f"{ours_mid:>4.0f} ms {ours / plain:>6.2f}× {word:>9.1f} ms")
    print(f"200/20 rows: plain PDF {results[200][0] / results[20][0]:.1f}×, docgen PDF "
          f"{results[200][1] / results[20][1]:.1f}×, DOCX {results[200][2] / results[20][2]:.1f}×")
    print("\nwhere one 200-row PDF's CPU time goes (ms, cProfile, so slower than above; gc: outside the profiler):")
    print(f"{'':<18}" + "".join(f"{stage:>14}" for stage in STAGES) + f"{'gc':>16}")
    for name, fn in paths(table_document(200)).items():
        found = stages(fn)
        collector, collections = collector_ms(fn)
        print(f"{name:<18}" + "".join(f"{found.get(stage, 0):>14.0f}" for stage in STAGES)
              + f"{collector:>7.0f} in {collections:>4}")


if __name__ == "__main__":
    main()
