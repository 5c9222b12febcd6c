"""How fast ``docgen month-end`` builds, and what the incremental build saves.

Generates a workspace with ``make_workspace.py`` (``--scale``, default 0.02: 1 region, 20 people),
then for each format builds the month-end documents with a pool of 1 and of 2 workers and prints:
documents and pages (PDF) per second, the 2-over-1 speed-up, each worker's peak memory, and
whether a worker's memory grows from its 10th to its last document.
Then, all formats with 2 workers: a full build, a rerun with nothing changed (and its ratio to the
full build), and a rerun after one ledger line (one salesperson's) changed.

Run: ``.venv/bin/python benchmarks/month_end.py [--scale 0.02] [--formats html,docx,pdf] [--keep DIR]``.
"""
from __future__ import annotations

import argparse
import io
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_workspace import LEDGER_LAYOUT, make_workspace

from docgen.build import BuildResult, Failure, ProcessExecutor, build, month_end_targets
from docgen.documents import Target
from docgen.workspace import Workspace

MONTH = "2026-06"


class MeasuredPool(ProcessExecutor):
    """A process pool that asks each worker for its peak memory before it shuts down."""

    peaks: dict[int, int]

    def close(self, abandon: bool = False) -> None:
        self.peaks = {0: 0}
        if self._pool is not None and not abandon:  # a run that skipped everything started no workers
            futures = [self.pool.submit(_peak_rss) for _ in range(self.jobs * 4)]
            self.peaks = dict(f.result() for f in futures)
        super().close(abandon)


def _peak_rss() -> tuple[int, int]:
    import os

    time.sleep(0.05)  # so that every worker takes one
    return os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def pdf_pages(output_dir: Path, written: list[str]) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return sum(len(PdfReader(io.BytesIO((output_dir / rel).read_bytes())).pages)
               for rel in written if rel.endswith(".pdf"))


def timed(ws: Workspace, targets: list[Target], formats: tuple[str, ...], workers: int,
          force: bool = False) -> tuple[BuildResult, float, MeasuredPool]:
    pool = MeasuredPool(workers, formats)
    start = time.perf_counter()
    result = build(ws, targets, formats, pool, force=force)
    elapsed = time.perf_counter() - start
    if result.failed:
        print(f"  {len(result.failed)} failed, e.g. {result.failed[0]}")
    return result, elapsed, pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--formats", default="html,docx,pdf")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    formats = tuple(args.formats.split(","))

    root = args.keep or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    counts = make_workspace(root, args.scale)
    ws = Workspace.open(root)
    print(f"workspace: {', '.join(f'{v:,} {k}' for k, v in counts.items())}")

    failures: list[Failure] = []
    targets = month_end_targets(ws, MONTH, failures=failures)
    if failures:
        sys.exit(f"the generated workspace does not plan: {failures[0]}")
    print(f"{len(targets)} documents for month-end {MONTH}\n")

    print(f"{'format':<6} {'workers':>7} {'docs':>5} {'seconds':>8} {'docs/s':>7} {'pages/s':>8} "
          f"{'peak MiB/worker':>16}")
    for fmt in formats:
        seconds = {}
        for workers in (1, 2):
            shutil.rmtree(ws.output_dir, ignore_errors=True)
            result, elapsed, pool = timed(ws, targets, (fmt,), workers)
            seconds[workers] = elapsed
            pages = pdf_pages(ws.output_dir, result.written) if fmt == "pdf" else None
            peak = max(pool.peaks.values()) / 1024
            print(f"{fmt:<6} {workers:>7} {len(result.built):>5} {elapsed:>8.2f} {len(result.built) / elapsed:>7.1f} "
                  f"{(f'{pages / elapsed:.1f}' if pages else '-'):>8} {peak:>16.0f}")
        print(f"{fmt:<6} speed-up of 2 workers over 1: {seconds[1] / seconds[2]:.2f}x")
        shutil.rmtree(ws.output_dir, ignore_errors=True)
        _, _, early = timed(ws, targets[:10], (fmt,), 2)
        print(f"{fmt:<6} worker memory: peak {max(early.peaks.values()) / 1024:.0f} MiB after 10 documents, "
              f"{peak:.0f} MiB after {len(targets)}")

    shutil.rmtree(ws.output_dir, ignore_errors=True)
    full, full_s, _ = timed(ws, targets, formats, 2)
    again, again_s, _ = timed(ws, targets, formats, 2)
    ledger = root / LEDGER_LAYOUT[0].format(month=MONTH)
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].rstrip("\n").split(",")
    fields[-1] = f"{float(fields[-1]) + 1:.2f}"  # one salesperson's ledger line changes
    lines[1] = ",".join(fields) + "\n"
    ledger.write_text("".join(lines), encoding="utf-8")
    changed, changed_s, _ = timed(ws, targets, formats, 2)
    print(f"\nall formats ({','.join(formats)}), 2 workers:")
    print(f"  full build            {full_s:8.2f} s  built {len(full.built)}")
    print(f"  rerun, nothing new    {again_s:8.2f} s  skipped {len(again.skipped)}  "
          f"({again_s / full_s:.1%} of the full build)")
    print(f"  rerun, 1 ledger line  {changed_s:8.2f} s  built {len(changed.built)}, skipped {len(changed.skipped)}")
    print(f"  parent peak memory    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MiB")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
