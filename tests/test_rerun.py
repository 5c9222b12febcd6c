"""A month-end rerun with nothing changed stays in one process: no worker pool is started."""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable

from click.testing import CliRunner

from docgen import build
from docgen.cli import cli


def spy_on(started: list[object]) -> Callable[[object], object]:
    """A stand-in for ProcessExecutor._new_pool: notes the executor, then fails as a pool that cannot start."""
    def new_pool(executor: object) -> object:
        started.append(executor)
        return 1 / 0
    return new_pool


def test_an_unchanged_month_end_rerun_starts_no_worker_process(workspace, monkeypatch):
    first = CliRunner().invoke(cli, ["-w", str(workspace), "month-end", "2026-06", "-f", "html", "-j", "1"])
    assert first.exit_code == 0, first.output
    assert "built 23, skipped 0, failed 0" in first.output

    started: list[object] = []
    monkeypatch.setattr(build.ProcessExecutor, "_new_pool", spy_on(started))
    again = CliRunner().invoke(cli, ["-w", str(workspace), "month-end", "2026-06", "-f", "html", "-j", "2"])
    assert again.exit_code == 0, again.output
    assert "built 0, skipped 23, failed 0" in again.output
    assert started == []  # every document was skipped in the parent, on its files' stamps
    assert multiprocessing.active_children() == []


def test_a_rerun_after_a_template_edit_does_use_the_workers(workspace, monkeypatch):
    # the counterpart: the spy above does see a pool when there is work
    assert CliRunner().invoke(cli, ["-w", str(workspace), "month-end", "2026-06", "-f", "html", "-j", "1"]
                              ).exit_code == 0
    (workspace / "docgen.yaml").write_text((workspace / "docgen.yaml").read_text(encoding="utf-8") + "\n",
                                           encoding="utf-8")
    started: list[object] = []
    monkeypatch.setattr(build.ProcessExecutor, "_new_pool", spy_on(started))
    CliRunner().invoke(cli, ["-w", str(workspace), "month-end", "2026-06", "-f", "html", "-j", "2"])
    assert len(started) >= 1
