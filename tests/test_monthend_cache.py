"""The month-end data is read once per process and read again as soon as a file it came from changes
(:mod:`docgen.data.cache`: size, mtime and inode), so a long run or ``docgen preview`` sees every edit."""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from conftest import copy_example
from test_sales_stats_doc import write_hand_ledgers

from docgen.documents.monthend import load_month_end
from docgen.workspace import Workspace


def june_sales(ws: Workspace) -> Decimal:
    return sum((ln.amount for ln in load_month_end(ws, (2026, 6)).sales if ln.date.month == 6), Decimal(0))


def replace_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Rename a new file over ``path`` (as editors and atomic writers do) with its size and mtime."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    fresh = path.with_suffix(".tmp")
    fresh.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(fresh, path)


def test_unchanged_files_give_the_same_month_end(tmp_path):
    root = copy_example(tmp_path / "ws")
    write_hand_ledgers(root)
    ws = Workspace.open(root)
    assert load_month_end(ws, (2026, 6)) is load_month_end(ws, (2026, 6))
    assert load_month_end(ws, (2026, 6), before=True) is not load_month_end(ws, (2026, 6))


def test_a_ledger_replaced_with_the_same_size_and_mtime_is_read_again(tmp_path):
    root = copy_example(tmp_path / "ws")
    write_hand_ledgers(root)
    ws = Workspace.open(root)
    first = june_sales(ws)
    # 熱熔膠 12000 → 13000 on the hand-made June ledger: one more 1000 元, the file's size unchanged
    replace_keeping_size_and_mtime(root / "ledgers" / "2026-06" / "sales.csv", "熱熔膠,400,12000", "熱熔膠,400,13000")
    assert june_sales(ws) == first + 1000


def test_a_plan_edit_reads_the_ledgers_again_against_it(tmp_path):
    root = copy_example(tmp_path / "ws")
    write_hand_ledgers(root)
    ws = Workspace.open(root)
    before = load_month_end(ws, (2026, 6))
    region = root / "plans" / "2026" / "regions" / "shandong.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace("name: 馮雪", "name: 馮雪梅"), encoding="utf-8")
    after = load_month_end(ws, (2026, 6))
    assert after is not before
    assert "馮雪梅" in {p.name for p in after.plan.people}
