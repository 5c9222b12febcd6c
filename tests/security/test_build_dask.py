"""Issue 16 item 8b: a Dask cluster that goes away ends the build with a message, not a wait
without end."""
from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_build import REPO, due_targets, make_workspace, manifest_is_true, roster, run_build, runner  # noqa: F401

from docgen.build import ClusterLost, DaskExecutor, build
from docgen.progress import Progress
from docgen.workspace import Workspace
from security.test_build_limits import RUNAWAY, region_template

pytest.importorskip("distributed")


def test_a_scheduler_address_where_nothing_listens_is_a_clear_error(tmp_path: Path, roster, runner) -> None:
    root = make_workspace(tmp_path / "ws")
    result = run_build(runner, root, "-f", "html", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 1
    assert result.output.startswith("--scheduler tcp://127.0.0.1:1: cannot reach the Dask scheduler (")


def test_a_cluster_without_workers_ends_the_build(tmp_path: Path, roster) -> None:
    from distributed import LocalCluster

    ws = Workspace.open(make_workspace(tmp_path / "ws"))
    with LocalCluster(n_workers=0, dashboard_address=None) as cluster, pytest.raises(
            ClusterLost, match=rf"^--scheduler {cluster.scheduler_address}: the Dask cluster has "
                               r"no workers \(waited 1s\); the documents not yet built were not run$"):
        build(ws, due_targets(ws), ("html",), DaskExecutor(cluster.scheduler_address, timeout="1s"))


class _Hook(Progress):
    """Calls ``then`` once, after the first document is written."""

    def __init__(self, then) -> None:
        import io

        super().__init__(io.StringIO(), io.StringIO(), tty=False)
        self.then = then

    def built(self, target, outputs) -> None:
        super().built(target, outputs)
        if self.built_count == 1:
            self.then()


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _scheduler_address(path: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return json.loads(path.read_text())["address"]
        except (OSError, ValueError):  # not written yet, or half
            time.sleep(0.1)
    raise AssertionError("the scheduler did not start")


@pytest.mark.parametrize("lost, message", [("scheduler", "lost the Dask scheduler"),
                                           ("worker", "the Dask cluster has no workers")])
def test_a_cluster_lost_mid_build_ends_it_with_a_message(tmp_path: Path, roster, lost: str, message: str) -> None:
    """A scheduler and a worker of their own (processes); one of them killed once the first
    document is written, while the worker is stuck in east's runaway template (Dask's threads
    have no time limit).  Before, a build then waited for good."""
    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", RUNAWAY)
    ws = Workspace.open(root)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO)])}
    address_file = tmp_path / "scheduler.json"
    processes = {"scheduler": _start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", str(address_file)], env)}
    try:
        address = _scheduler_address(address_file)
        processes["worker"] = _start(["distributed.cli.dask_worker", address, "--nthreads", "2", "--no-nanny",
                                      "--no-dashboard"], env)
        executor = DaskExecutor(address, timeout="3s")
        with pytest.raises(ClusterLost, match=rf"^--scheduler {address}: {message} \(waited 3s\)"):
            build(ws, due_targets(ws), ("html",), executor, reporter=_Hook(processes[lost].kill))
        assert len(manifest_is_true(root / "output")) >= 1
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # the lost client's asyncio tasks are garbage now: finalize them here, not inside a later
        # compile() (CPython 3.11.7 then fails with "AST constructor recursion depth mismatch")
        gc.collect()
