"""``./dev fuzz N``: run N fuzz cases (seeds START…START+N-1) and print a table of outcomes.

    ./dev fuzz 1000                 # seeds 0…999
    ./dev fuzz 1000 --start 5000    # seeds 5000…5999
    ./dev fuzz --seed 1234          # replay one case, printing every command's output

Exits 1 if any case failed; each failure is printed with its seed and mutations.
"""
from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_case


def main() -> int:
    parser = argparse.ArgumentParser(prog="./dev fuzz")
    parser.add_argument("cases", nargs="?", type=int, default=100)
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--seed", type=int, help="replay this one case, verbosely")
    args = parser.parse_args()
    seeds = [args.seed] if args.seed is not None else range(args.start, args.start + args.cases)
    counts: collections.Counter[str] = collections.Counter()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="docgen-fuzz-") as tmp:
        for n, seed in enumerate(seeds, 1):
            # a folder per case: a process-wide cache keyed by path must not carry one case into the next
            case = run_case(seed, Path(tmp) / f"case-{seed}")
            shutil.rmtree(Path(tmp) / f"case-{seed}", ignore_errors=True)
            counts[case.outcome] += 1
            counts["errors name only other files"] += case.elsewhere
            if case.failures or args.seed is not None:
                print(case.report(), flush=True)
            if n % 100 == 0:
                so_far = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
                print(f"… {n} cases in {time.monotonic() - started:.0f} s ({so_far})", file=sys.stderr, flush=True)
    total = len(seeds)
    print(f"\n{total} cases (seeds {seeds[0]}…{seeds[-1]}) in {time.monotonic() - started:.0f} s")
    for outcome in ("exit 0", "exit 1, located", "exit 1, unlocated", "failure", "errors name only other files"):
        print(f"  {outcome:<20} {counts[outcome]}")
    return 1 if counts["failure"] else 0


if __name__ == "__main__":
    sys.exit(main())
