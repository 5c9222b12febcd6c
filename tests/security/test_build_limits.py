"""Issue 16 item 5: a runaway template cannot hold a build, a machine or a Ctrl-C hostage.

Each document has a time and a memory limit (``limits:`` in docgen.yaml) in build workers and
in ``docgen render``; Ctrl-C and SIGTERM stop a build whose worker is stuck; a build killed
outright takes its forkserver and workers with it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import test_build as fixture
from test_build import built_paths, make_workspace, roster, run_build, runner  # noqa: F401

RUNAWAY = fixture.ROSTER_TEMPLATE.replace(
    "{% block content %}",
    "{% block content %}{% for a in range(99999) %}{% for b in range(99999) %}{% for c in range(99999) %}"
    "{% endfor %}{% endfor %}{% endfor %}")
MEMORY_HOG = fixture.ROSTER_TEMPLATE.replace("{% block content %}",
                                             '{% block content %}{% set ns = namespace(s="x" * 1000000) %}'
                                             '{% for i in range(12) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}'
                                             '{{ ns.s|length }}')  # 4 GB by doubling: the sandbox refuses one big '*'



def region_template(root: Path, region: str, text: str) -> None:
    path = root / "regions" / region / "templates" / "roster.html.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def set_limits(root: Path, **limits: object) -> None:
    config = yaml.safe_load((root / "docgen.yaml").read_text(encoding="utf-8"))
    config["limits"] = limits
    (root / "docgen.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def rosters_only(roster: None) -> None:
    """Only the (tiny) roster documents: a short time limit then never catches a real one on a
    busy machine."""
    fixture.REGISTRY.pop("charter")


def test_a_runaway_region_template_fails_its_document_on_the_time_limit(tmp_path: Path, rosters_only,
                                                                        runner) -> None:
    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", RUNAWAY)
    set_limits(root, document_seconds=3)
    result = run_build(runner, root, "-f", "html", "-j", "2")
    assert result.exit_code == 1, result.output
    failed = [line for line in result.output.splitlines() if line.startswith("FAILED")]
    assert failed == ["FAILED roster 2026 east: time limit: still running after 3 s "
                      "(limits.document_seconds in docgen.yaml)"]
    assert built_paths(result.output) == ["2026/shandong/roster.html", "2026/south/roster.html"]


def test_a_template_that_allocates_gigabytes_fails_on_the_memory_limit(tmp_path: Path, rosters_only,
                                                                     runner) -> None:
    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", MEMORY_HOG)
    set_limits(root, document_memory="1GiB")
    result = run_build(runner, root, "-f", "html", "-j", "2")
    assert result.exit_code == 1, result.output
    failed = [line for line in result.output.splitlines() if line.startswith("FAILED")]
    assert failed == ["FAILED roster 2026 east: memory limit: needed more than 1 GiB "
                      "(limits.document_memory in docgen.yaml)"]
    assert "built 2, skipped 0, failed 1" in result.output


def test_render_has_the_same_time_limit(tmp_path: Path, rosters_only, runner) -> None:
    from docgen.cli import cli

    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", RUNAWAY)
    set_limits(root, document_seconds=1.5)
    result = runner.invoke(cli, ["-w", str(root), "render", "roster", "-r", "east", "-f", "html"])
    assert result.exit_code == 1
    assert result.output.strip() == ("roster 2026 east: time limit: still running after 1.5 s "
                                     "(limits.document_seconds in docgen.yaml)")
    assert not (root / "output").exists()


@pytest.mark.parametrize("limits, field", [({"document_seconds": -1}, "limits.document_seconds"),
                                           ({"document_memory": "lots"}, "limits.document_memory"),
                                           ({"document_memory": "64MiB"}, "limits.document_memory")])
def test_a_bad_limit_is_a_located_error(tmp_path: Path, roster, runner, limits: dict, field: str) -> None:
    root = make_workspace(tmp_path / "ws")
    set_limits(root, **limits)
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert result.exit_code == 1
    line = next(line for line in (root / "docgen.yaml").read_text(encoding="utf-8").splitlines()
                if line.startswith("  document_"))
    number = (root / "docgen.yaml").read_text(encoding="utf-8").splitlines().index(line) + 1
    assert result.output.startswith(f"docgen.yaml:{number}: {field}: expected "), result.output


def test_validate_rejects_a_bad_limit_as_render_would(tmp_path: Path, roster, runner) -> None:
    from docgen.cli import cli

    root = make_workspace(tmp_path / "ws")
    set_limits(root, document_seconds=0, document_memory="64MiB")
    result = runner.invoke(cli, ["-w", str(root), "validate"])
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.output.splitlines() if line.startswith("docgen.yaml:")] == [
        "limits.document_memory: expected a size of at least 512MiB, like 2GiB, got '64MiB'",
        "limits.document_seconds: expected a number of seconds above 0, got 0"]


@pytest.mark.parametrize("given, seconds, memory", [
    ({}, 120.0, 2 << 30),  # the defaults
    ({"document_seconds": 1.5, "document_memory": "1GiB"}, 1.5, 1 << 30),
    ({"document_seconds": 30, "document_memory": " 1.5 gb "}, 30, 3 << 29),
    ({"document_memory": 600 << 20}, 120.0, 600 << 20),  # a number is bytes
    ({"document_seconds": None, "document_memory": None}, None, None),  # null switches a limit off
])
def test_limits_are_read_once_into_numbers(given: dict, seconds: float | None, memory: int | None) -> None:
    from docgen.data.limits import Limits

    limits = Limits.model_validate(given)
    assert (limits.document_seconds, limits.document_memory) == (seconds, memory)


# -- signals and killed builds ------------------------------------------------------------------
_BUILD = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)  # a test runner may start us ignoring it\n"
    f"sys.path.insert(0, {str(Path(fixture.__file__).parent)!r})\n"
    "import test_build\n"
    "test_build.register_roster()\n"
    "if '--rosters-only' in sys.argv:\n"
    "    sys.argv.remove('--rosters-only'); test_build.REGISTRY.pop('charter')\n"
    "from docgen.cli import cli, main\n"
    "from docgen.buildcli import build, month_end\n"
    "cli.add_command(build); cli.add_command(month_end)\n"
    "sys.argv = ['docgen', '-w', sys.argv[1], 'build', *sys.argv[2:]]\n"
    "main()\n"
)


def start_build(root: Path, *args: str) -> subprocess.Popen:
    """``docgen build`` in a process of its own; ``--rosters-only`` (first) as :func:`rosters_only`."""
    return subprocess.Popen([sys.executable, "-c", _BUILD, str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return {p for p in found if alive(p)}


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that does not reap it counts as ended)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def runaway_build(tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    """A build whose east worker is stuck in a runaway loop (default limits), once it is stuck:
    the others are built; return it and its worker processes."""
    root = make_workspace(tmp_path / "ws")
    region_template(root, "east", RUNAWAY)
    process = start_build(root, "-f", "html", "-j", "2")
    deadline = time.monotonic() + 120
    while len(list((root / "output").rglob("*.html"))) < 3 and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    time.sleep(1)  # let the parent count the third file it wrote
    workers = descendants(process.pid)
    assert len(workers) >= 3, workers  # the forkserver (and resource tracker) and the workers
    return process, workers


def wait_until_gone(pids: set[int], timeout: float = 30) -> set[int]:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_a_build_whose_worker_runs_away(tmp_path: Path, sig: int) -> None:
    process, workers = runaway_build(tmp_path)
    process.send_signal(sig)
    try:
        _out, err = process.communicate(timeout=30)  # generous: it ends in about a second
    finally:
        process.kill()
    assert process.returncode == 130, err.decode()
    assert "interrupted: built 3, skipped 0, failed 0, not run 1" in err.decode()
    assert wait_until_gone(workers) == set()


def test_workers_and_forkserver_die_with_a_killed_build(tmp_path: Path) -> None:
    process, workers = runaway_build(tmp_path)
    process.kill()
    process.wait(timeout=30)
    left = wait_until_gone(workers)
    for pid in left:  # do not leave them running for the next test
        os.kill(pid, signal.SIGKILL)
    assert left == set()
