"""Issue 16 item 6: two builds of one output folder.

The first holds ``output/.docgen-lock`` (flock, its pid inside); a second stops with a message
naming that pid, or with ``--wait`` waits and then goes on; no build removes the temporary
file of a writer that is still alive.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_build import make_workspace, manifest_is_true, roster, run_build, runner  # noqa: F401

from security.test_build_limits import RUNAWAY, region_template, set_limits, start_build


def wait_for(condition, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_a_second_build_of_the_same_folder_stops_naming_the_first(tmp_path: Path, roster, runner) -> None:
    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", RUNAWAY)
    first = start_build(root, "-f", "html", "-j", "2")
    try:
        wait_for(lambda: (root / "output/2026/south/roster.html").exists(), first)
        second = run_build(runner, root, "-f", "html", "-j", "1", "-r", "south")
        assert second.exit_code == 1
        assert second.output == (f"{root / 'output'}: another docgen build (pid {first.pid}) is writing "
                                 f"this folder; wait for it to finish or run with --wait\n")
        assert (root / "output/.docgen-lock").read_text() == f"{first.pid}\n"
    finally:
        first.kill()
        first.wait()


def test_with_wait_the_second_build_runs_after_the_first(tmp_path: Path) -> None:
    """Both build the same folder at once, as in the report (the first then died of a swept file):
    the second waits, then finds the first one's documents current."""
    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", RUNAWAY)
    set_limits(root, document_seconds=6)
    first = start_build(root, "--rosters-only", "-f", "html", "-j", "2")
    second = None
    try:
        wait_for(lambda: (root / "output/.docgen-lock").exists(), first)
        second = start_build(root, "--rosters-only", "-f", "html", "-j", "2", "--wait")
        first_out, first_err = first.communicate(timeout=120)
        second_out, second_err = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            if process is not None:
                process.kill()
    assert first.returncode == 1, first_err.decode()
    assert "FAILED roster 2026 east: time limit" in first_err.decode()
    assert first_out.decode().splitlines()[-1] == "built 2, skipped 0, failed 1"
    assert f"waiting for the docgen build (pid {first.pid}) writing {root / 'output'} to finish" \
        in second_err.decode()
    assert second.returncode == 1, second_err.decode()
    assert second_out.decode().splitlines()[-1] == "built 0, skipped 2, failed 1"
    assert sorted(manifest_is_true(root / "output")) == ["2026/shandong/roster.html", "2026/south/roster.html"]


def test_a_build_sweeps_only_temporary_files_of_dead_writers(tmp_path: Path, roster, runner) -> None:
    root = make_workspace(tmp_path / "ws")
    folder = root / "output/2026/south"
    folder.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    live = folder / f".roster.html.{os.getpid()}.abcd1234.tmp"  # a `docgen render` writing now
    left = folder / f".roster.pdf.{dead.pid}.abcd1234.tmp"
    old_style = folder / ".roster.docx.abcd1234.tmp"
    for path in (live, left, old_style):
        path.write_bytes(b"partial")
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert live.read_bytes() == b"partial"
    assert not left.exists() and not old_style.exists()
