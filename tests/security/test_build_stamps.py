"""Issue 16 item 8c: an edit that keeps a file's size and puts its old mtime back is noticed.

Stamps carry the inode's change time (which no one can set back) besides size and mtime."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_build import built_paths, make_workspace, roster, run_build, runner  # noqa: F401


def edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    st = path.stat()
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def test_a_same_size_data_edit_with_the_old_mtime_is_rebuilt(tmp_path: Path, roster, runner) -> None:
    root = make_workspace(tmp_path / "ws")
    assert run_build(runner, root, "-f", "html", "-j", "1").exit_code == 0
    edit_keeping_size_and_mtime(root / "plans/roster-east.yaml", "華東區甲".encode(), "華東區丙".encode())
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert built_paths(result.output) == ["2026/east/roster.html"]
    assert "華東區丙" in (root / "output/2026/east/roster.html").read_text(encoding="utf-8")


def test_a_same_size_output_edit_with_the_old_mtime_is_rebuilt(tmp_path: Path, roster, runner) -> None:
    root = make_workspace(tmp_path / "ws")
    assert run_build(runner, root, "-f", "html", "-j", "1").exit_code == 0
    output = root / "output/2026/south/roster.html"
    good = output.read_bytes()
    edit_keeping_size_and_mtime(output, "名冊".encode(), "廢紙".encode())
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert built_paths(result.output) == ["2026/south/roster.html"]
    assert output.read_bytes() == good
