"""Month-end PDF throughput of this code against an earlier commit's, measured side by side.

Generates one workspace (``make_workspace.py --scale S``), then builds ``month-end 2026-06``'s PDFs
with 2 worker processes, alternating the baseline's code (``git archive REV`` unpacked into a
temporary folder and put first on ``PYTHONPATH``) and this checkout's, ``--rounds`` times each;
prints for the run with the least CPU time of each: wall time, documents per second, the CPU seconds
the build used (its workers' and its own: a fairer figure than wall time on a shared machine), the
output's size, and the speed-ups.
Each build runs in its own Python process, so neither side's imports or caches help the other.

Run: ``.venv/bin/python benchmarks/pdf_throughput.py [--scale 0.1] [--baseline b1ce647] [--rounds 2]``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: the last commit before compact font subsets (issue 12)
BASELINE = "b1ce647"
MONTH = "2026-06"


def _cpu_seconds() -> tuple[int, float]:
    time.sleep(0.05)  # so that every worker takes one
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return os.getpid(), usage.ru_utime + usage.ru_stime


def child(root: Path, workers: int) -> None:
    """Build the month-end PDFs of ``root`` with whatever docgen is importable; print JSON."""
    from docgen.build import ProcessExecutor, build, month_end_targets
    from docgen.workspace import Workspace

    class CpuPool(ProcessExecutor):
        """Asks each worker for the CPU time it used before the pool shuts down."""

        def close(self, *args, **kwargs) -> None:  # ``abandon`` in this checkout, nothing in older ones
            futures = [self.pool.submit(_cpu_seconds) for _ in range(self.jobs * 4)]
            self.cpu = dict(f.result() for f in futures)
            super().close(*args, **kwargs)

    ws = Workspace.open(root)
    targets = month_end_targets(ws, MONTH)
    pool = CpuPool(workers, ("pdf",))
    start = time.perf_counter()
    result = build(ws, targets, ("pdf",), pool, force=True)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in Path(ws.output_dir).rglob("*.pdf"))
    cpu = sum(pool.cpu.values()) + _cpu_seconds()[1]  # the workers' and this process's
    print(json.dumps({"docs": len(result.built), "failed": len(result.failed), "seconds": seconds,
                      "cpu": cpu, "workers": len(pool.cpu), "bytes": size}))


def run(code: Path, root: Path, workers: int) -> dict:
    """One build in a fresh process (its workers report their CPU time: robust to a busy machine)."""
    env = dict(os.environ, PYTHONPATH=str(code))
    shutil.rmtree(root / "output", ignore_errors=True)  # the workspace's output folder
    out = subprocess.run([sys.executable, str(HERE / "pdf_throughput.py"), "--child", str(root),
                          "--workers", str(workers)], env=env, cwd=code, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"the build with {code} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare against")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.workers)

    sys.path.insert(0, str(HERE))
    from make_workspace import make_workspace

    with tempfile.TemporaryDirectory(prefix="docgen-pdf-bench-") as tmp:
        root, base_code = Path(tmp) / "ws", Path(tmp) / "baseline"
        make_workspace(root, args.scale)
        base_code.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.baseline], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base_code)], input=archive.stdout, check=True)
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for name, code in (("baseline", base_code), ("this", REPO)):
                measured = run(code, root, args.workers)
                if name not in best or measured["cpu"] < best[name]["cpu"]:
                    best[name] = measured
    print(f"month-end {MONTH} PDFs, --scale {args.scale}, {args.workers} workers, best of {args.rounds}:")
    for name, label in (("baseline", f"baseline {args.baseline}"), ("this", "this checkout")):
        m = best[name]
        failed = f"  ({m['failed']} failed)" if m["failed"] else ""
        print(f"  {label:<18} {m['docs']:>4} docs {m['seconds']:7.2f} s {m['docs'] / m['seconds']:6.2f} docs/s "
              f"{m['cpu']:7.1f} CPU s {m['bytes'] / 1e6:7.1f} MB{failed}")
    print(f"  speed-up {best['baseline']['seconds'] / best['this']['seconds']:.2f}× (wall), "
          f"{best['baseline']['cpu'] / best['this']['cpu']:.2f}× (CPU); size "
          f"{best['this']['bytes'] / best['baseline']['bytes']:.2f}× the baseline's")


if __name__ == "__main__":
    main()
