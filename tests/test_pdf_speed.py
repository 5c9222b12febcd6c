"""What makes the PDF writer faster must not change what it writes or leave the process altered."""
from __future__ import annotations

import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from render import table_document

from docgen.render.pdf import WRITING_GC_THRESHOLD, PdfWriter, fewer_collections


def collections_during(write) -> int:
    count = [0]

    def counted(phase: str, info: dict) -> None:
        count[0] += phase == "start"

    gc.collect()
    gc.callbacks.append(counted)
    try:
        write()
    finally:
        gc.callbacks.remove(counted)
    return count[0]


def test_writing_a_long_table_runs_the_garbage_collector_a_few_times_not_hundreds():
    # a 200-row table allocates millions of objects that live until the PDF is written; at Python's
    # default threshold (700) the collector ran ~300 times over them (a sixth of the time)
    import weasyprint

    doc, writer = table_document(200), PdfWriter()
    writer.write(doc)  # fonts and stylesheets load once per process
    default = gc.get_threshold()
    assert collections_during(lambda: writer.write(doc)) < 40
    assert gc.get_threshold() == default
    assert collections_during(lambda: weasyprint.HTML(string=doc.html).write_pdf()) > 100  # as shipped


def test_the_collector_thresholds_come_back_after_the_last_of_overlapping_writes():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], WRITING_GC_THRESHOLD)
        with fewer_collections():  # another thread's write (the preview)
            pass
        assert gc.get_threshold()[0] == max(before[0], WRITING_GC_THRESHOLD)
    assert gc.get_threshold() == before


def test_the_same_bytes_whatever_the_collector_does():
    doc, writer = table_document(20), PdfWriter()
    first = writer.write(doc)
    gc.disable()
    try:
        assert writer.write(doc) == first
    finally:
        gc.enable()
