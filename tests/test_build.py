"""Batch builds: planning, the manifest, incremental rebuilds, fault isolation, interruption,
the process pool and Dask executors, and progress output.

The workspaces are small and real: the repository's ``docgen.yaml`` and charter, plus a
``roster`` document registered by the test (one per region, read from
``plans/roster-<region>.yaml``, rendered by ``roster.html.j2`` in the workspace's templates).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.build import (
    MANIFEST_NAME,
    DaskExecutor,
    Manifest,
    ProcessExecutor,
    SerialExecutor,
    build,
    due_targets,
    month_end_targets,
)
from docgen.build import executors as build_executors
from docgen.cli import cli
from docgen.documents import REGISTRY, DocumentType, Prepared, Target, parse_period
from docgen.errors import DataError, Problem, relative
from docgen.progress import Progress
from docgen.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
ROSTER_TEMPLATE = """{% extends "base.html.j2" %}
{% block content %}
<h2>名冊</h2>
<ul>{% for p in people %}<li>{{ p.name }} {{ p.phone }}</li>{% endfor %}</ul>
{% endblock %}
"""


class RosterDocument(DocumentType):
    """A test document: one per region that has ``plans/roster-<region>.yaml``, with each
    person's phone from ``plans/phones.yaml``, which all regions share (like a month's ledger)."""

    id = "roster"
    title = "區域名冊"
    template = "roster.html.j2"
    scope = "region"
    period_kind = "year"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        return [Target(self.id, period, r.id) for r in ws.config.regions if _roster_file(ws, r.id).is_file()]

    def prepare(self, ws: Workspace, target: Target) -> Prepared:
        path = _roster_file(ws, target.region)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        people = data.get("people") if isinstance(data, dict) else None
        if not isinstance(people, list):
            raise DataError("1 error in roster", [Problem(relative(path, ws.root), 1, "people",
                                                           "expected a list of names")])
        phones_file = ws.path("plans") / "phones.yaml"
        phones = yaml.safe_load(phones_file.read_text(encoding="utf-8"))
        year, _ = parse_period(target.period)
        return Prepared(title=self.title, inputs=[path, phones_file],
                        context={"people": [{"name": name, "phone": phones.get(name, "")} for name in people]},
                        created=dt.date(year, 1, 1), period_label=f"{year}年度")


class TallyDocument(DocumentType):
    """A monthly test document: one per month that has ``plans/tally-<YYYY-MM>.yaml``."""

    id = "tally"
    title = "月度統計"
    template = "roster.html.j2"
    scope = "company"
    period_kind = "month"

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        return [Target(self.id, period)] if (ws.path("plans") / f"tally-{period}.yaml").is_file() else []


def _roster_file(ws: Workspace, region: str | None) -> Path:
    return ws.path("plans") / f"roster-{region}.yaml"


def register_roster() -> Callable[[], None]:
    """Make the registry hold just the charter and the roster; return how to undo that.

    The build machinery is tested against documents whose data the test controls (the real
    planning and month-end documents have their own tests), so no other document module is
    loaded.  Also used by the subprocess of the interruption test.
    """
    import docgen.documents as documents
    from docgen.documents.charter import CharterDocument

    saved, load_all = dict(REGISTRY), documents._load_all
    documents._load_all = lambda: None
    REGISTRY.clear()
    REGISTRY.update(charter=CharterDocument(), roster=RosterDocument())

    def undo() -> None:
        documents._load_all = load_all
        REGISTRY.clear()
        REGISTRY.update(saved)

    return undo


def make_workspace(root: Path, regions: list[tuple[str, str]] | None = None) -> Path:
    """A workspace with the repository's config (optionally other regions), charter and rosters."""
    config = yaml.safe_load((REPO / "docgen.yaml").read_text(encoding="utf-8"))
    if regions is not None:
        config["regions"] = [{"id": rid, "name": name} for rid, name in regions]
    root.mkdir(parents=True, exist_ok=True)
    (root / "docgen.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    plans = root / config["paths"]["plans"]
    plans.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "plans" / "charter.yaml", plans / "charter.yaml")
    templates = root / config["paths"]["templates"]
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "roster.html.j2").write_text(ROSTER_TEMPLATE, encoding="utf-8")
    phones: dict[str, str] = {}
    for region in config["regions"]:
        people = [f"{region['name']}甲", f"{region['name']}乙"]
        (plans / f"roster-{region['id']}.yaml").write_text(yaml.safe_dump({"people": people}, allow_unicode=True),
                                                           encoding="utf-8")
        phones.update({name: f"0{len(phones) + 100}-5566" for name in people})
    (plans / "phones.yaml").write_text(yaml.safe_dump(phones, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture
def roster() -> Iterator[None]:
    undo = register_roster()
    yield
    undo()


@pytest.fixture
def runner() -> CliRunner:
    from docgen.buildcli import build as build_command
    from docgen.buildcli import month_end

    for command in (build_command, month_end):
        if command.name not in cli.commands:
            cli.add_command(command)
    return CliRunner()


@pytest.fixture
def ws_root(tmp_path: Path, roster: None) -> Path:
    return make_workspace(tmp_path / "ws")


def run_build(runner: CliRunner, root: Path, *args: str):
    return runner.invoke(cli, ["-w", str(root), "build", *args])


def built_paths(output: str) -> list[str]:
    """The paths of the ``built PATH`` lines (not the summary line)."""
    return sorted(line.split(" ", 1)[1] for line in output.splitlines()
                  if line.startswith("built ") and "/" in line)


def manifest_is_true(output_dir: Path) -> dict:
    """Every manifest entry's file exists with the recorded hash; return the entries."""
    data = json.loads((output_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    for rel, entry in data["outputs"].items():
        path = output_dir / rel
        assert path.is_file(), rel
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], rel
    assert not list(output_dir.rglob("*.tmp"))
    return data["outputs"]


ALL_HTML = ["2026/company/charter.html", "2026/east/roster.html", "2026/shandong/roster.html",
            "2026/south/roster.html"]


# -- planning -----------------------------------------------------------------------------------
def test_due_targets_are_each_documents_instances_with_data(ws_root: Path) -> None:
    ws = Workspace.open(ws_root)
    assert sorted(due_targets(ws)) == [Target("charter", "2026"), Target("roster", "2026", "east"),
                                       Target("roster", "2026", "shandong"), Target("roster", "2026", "south")]
    assert due_targets(ws, ["2026"], region="華東區") == [Target("roster", "2026", "east")]


def test_default_periods_add_the_months_of_the_fiscal_year_that_have_data(
        ws_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, "tally", TallyDocument())
    for month in ("2026-03", "2026-11", "2027-02"):
        (ws_root / "plans" / f"tally-{month}.yaml").write_text("{}", encoding="utf-8")
    ws = Workspace.open(ws_root)
    assert [t.period for t in due_targets(ws) if t.doc_id == "tally"] == ["2026-03", "2026-11"]
    assert [t.period for t in due_targets(ws, ["2027-02"])] == ["2027-02"]


class _Every(DocumentType):
    """A stand-in for the month-end documents: one company instance for any period."""

    def __init__(self, doc_id: str, kind: str) -> None:
        self.id, self.period_kind = doc_id, kind


@pytest.mark.parametrize("start, month, expected", [
    (1, "2026-06", ["monthly-plan 2026-07", "sales-stats 2026-06", "visit-plan 2026-07", "visit-stats 2026-06"]),
    (1, "2026-12", ["monthly-plan 2027-01", "sales-stats 2026-12", "visit-plan 2027-01", "visit-stats 2026-12",
                    "year-summary 2026"]),
    (4, "2026-12", ["monthly-plan 2027-01", "sales-stats 2026-12", "visit-plan 2027-01", "visit-stats 2026-12"]),
    (4, "2027-03", ["monthly-plan 2027-04", "sales-stats 2027-03", "visit-plan 2027-04", "visit-stats 2027-03",
                    "year-summary 2026"]),
])
def test_month_end_is_the_months_statistics_next_months_plans_and_the_year_end(
        ws_root: Path, monkeypatch: pytest.MonkeyPatch, start: int, month: str, expected: list[str]) -> None:
    for doc_id, kind in [("sales-stats", "month"), ("visit-stats", "month"), ("monthly-plan", "month"),
                         ("visit-plan", "month"), ("year-summary", "year")]:
        monkeypatch.setitem(REGISTRY, doc_id, _Every(doc_id, kind))
    ws = Workspace.open(ws_root)
    ws.config = ws.config.model_copy(update={"fiscal_year_start": start})
    assert sorted(f"{t.doc_id} {t.period}" for t in month_end_targets(ws, month)) == expected


# -- building and rebuilding --------------------------------------------------------------------
def test_build_writes_every_document_in_every_format_with_a_process_pool(ws_root: Path, runner: CliRunner) -> None:
    result = run_build(runner, ws_root, "--format", "pdf,docx,html", "--jobs", "2")
    assert result.exit_code == 0, result.output
    expected = sorted(p.replace(".html", suffix) for p in ALL_HTML for suffix in (".pdf", ".docx", ".html"))
    assert built_paths(result.output) == expected
    assert sorted(manifest_is_true(ws_root / "output")) == expected
    assert (ws_root / "output/2026/east/roster.pdf").read_bytes().startswith(b"%PDF")
    assert "built 4, skipped 0, failed 0" in result.output


def test_a_second_build_skips_everything(ws_root: Path, runner: CliRunner) -> None:
    assert run_build(runner, ws_root, "-f", "html", "-j", "1").exit_code == 0
    again = run_build(runner, ws_root, "-f", "html", "-j", "1")
    assert again.exit_code == 0
    assert built_paths(again.output) == []
    assert again.output.strip().splitlines()[-1] == "built 0, skipped 4, failed 0"


def test_a_rerun_with_unchanged_files_reads_no_data(ws_root: Path, runner: CliRunner, monkeypatch) -> None:
    assert run_build(runner, ws_root, "-f", "html", "-j", "1").exit_code == 0
    prepared: list[Target] = []
    real_make_job = build_executors.make_job

    def counting_make_job(ws, target, **kw):
        prepared.append(target)
        return real_make_job(ws, target, **kw)

    monkeypatch.setattr(build_executors, "make_job", counting_make_job)
    run_build(runner, ws_root, "-f", "html", "-j", "1")  # the first build created output/: stamps settle
    prepared.clear()
    again = run_build(runner, ws_root, "-f", "html", "-j", "1")
    assert again.output.strip().splitlines()[-1] == "built 0, skipped 4, failed 0"
    assert prepared == []
    # a file touched but not changed: the documents that read it are prepared, compared, skipped
    roster = ws_root / "plans/roster-east.yaml"
    os.utime(roster, ns=(roster.stat().st_atime_ns, roster.stat().st_mtime_ns + 10**9))
    again = run_build(runner, ws_root, "-f", "html", "-j", "1")
    assert again.output.strip().splitlines()[-1] == "built 0, skipped 4, failed 0"
    assert [t.label() for t in prepared] == ["roster 2026 east"]


def test_a_changed_input_rebuilds_exactly_the_outputs_that_depend_on_it(ws_root: Path, runner: CliRunner) -> None:
    def rebuilt() -> list[str]:
        result = run_build(runner, ws_root, "-f", "html", "-j", "1")
        assert result.exit_code == 0, result.output
        manifest_is_true(ws_root / "output")
        return built_paths(result.output)

    assert rebuilt() == ALL_HTML
    (ws_root / "plans/roster-east.yaml").write_text("people: [王五]\n", encoding="utf-8")
    assert rebuilt() == ["2026/east/roster.html"]
    assert "王五" in (ws_root / "output/2026/east/roster.html").read_text(encoding="utf-8")

    # a shared file (like the month's ledger): only the document whose data changed rebuilds
    phones_file = ws_root / "plans/phones.yaml"
    phones = yaml.safe_load(phones_file.read_text(encoding="utf-8"))
    phones["山東區乙"] = "0531-8888"
    phones_file.write_text(yaml.safe_dump(phones, allow_unicode=True), encoding="utf-8")
    assert rebuilt() == ["2026/shandong/roster.html"]

    override = ws_root / "regions/south/templates/roster.html.j2"  # a regional template override
    override.parent.mkdir(parents=True)
    override.write_text(ROSTER_TEMPLATE.replace("名冊", "華南名冊"), encoding="utf-8")
    assert rebuilt() == ["2026/south/roster.html"]

    charter = ws_root / "plans/charter.yaml"
    with charter.open("a", encoding="utf-8") as fh:
        fh.write("\n# a comment changes the file, not the data read from it\n")
    assert rebuilt() == []
    text = charter.read_text(encoding="utf-8")
    charter.write_text(text.replace("是企業的靈魂。", "是企業的大腦。"), encoding="utf-8")
    assert rebuilt() == ["2026/company/charter.html"]

    (ws_root / "output/2026/shandong/roster.html").unlink()  # deleted by hand
    (ws_root / "output/2026/east/roster.html").write_text("edited by hand", encoding="utf-8")
    assert rebuilt() == ["2026/east/roster.html", "2026/shandong/roster.html"]

    assert rebuilt() == []
    forced = run_build(runner, ws_root, "-f", "html", "-j", "1", "--force")
    assert built_paths(forced.output) == ALL_HTML


def test_a_new_format_builds_only_that_format(ws_root: Path, runner: CliRunner) -> None:
    run_build(runner, ws_root, "-f", "html", "-j", "1", "-r", "east")
    result = run_build(runner, ws_root, "-f", "html,docx", "-j", "1", "-r", "east")
    assert built_paths(result.output) == ["2026/east/roster.docx"]


# -- fault isolation ----------------------------------------------------------------------------
def test_bad_data_for_one_region_fails_that_document_alone(ws_root: Path, runner: CliRunner) -> None:
    (ws_root / "plans/roster-shandong.yaml").write_text("people: 山東\n", encoding="utf-8")
    result = run_build(runner, ws_root, "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert ("FAILED roster 2026 shandong: plans/roster-shandong.yaml:1: people: expected a list of names"
            in result.output)
    assert built_paths(result.output) == [p for p in ALL_HTML if "shandong" not in p]
    assert result.output.strip().splitlines()[-1] == "built 3, skipped 0, failed 1"
    manifest_is_true(ws_root / "output")


def test_a_broken_regional_template_fails_that_region_alone_in_a_worker(ws_root: Path, runner: CliRunner) -> None:
    override = ws_root / "regions/east/templates/roster.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(ROSTER_TEMPLATE.replace("{{ p.name }}", "{{ nobody.name }}"), encoding="utf-8")
    result = run_build(runner, ws_root, "-f", "html", "-j", "2")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith("FAILED roster 2026 east: ")
    assert "nobody" in failed[0]
    assert built_paths(result.output) == [p for p in ALL_HTML if "east" not in p]
    assert "built 3, skipped 0, failed 1" in result.output


# -- interruption -------------------------------------------------------------------------------
class _InterruptAfter(Progress):
    """Ctrl-C arriving right after the n-th document is written."""

    def __init__(self, n: int) -> None:
        super().__init__(io.StringIO(), io.StringIO(), tty=False)
        self.n = n

    def built(self, target: Target, outputs: list[str]) -> None:
        super().built(target, outputs)
        if self.built_count == self.n:
            raise KeyboardInterrupt


class _KillsItsWorker:
    """Context data whose unpickling kills the worker process outright (like a segfault)."""

    def __reduce__(self):
        return os._exit, (3,)


def test_a_worker_that_dies_fails_its_job_and_the_pool_carries_on(ws_root: Path) -> None:
    class PoisonEast(ProcessExecutor):
        def results(self, tasks):
            return super().results(dataclasses.replace(t, doc=_KillsItsWorker()) if t.target.region == "east"
                                   else t for t in tasks)

    ws = Workspace.open(ws_root)
    result = build(ws, due_targets(ws), ("html",), PoisonEast(2, ("html",)))
    assert [f.target.region for f in result.failed] == ["east"], result.failed
    assert "BrokenProcessPool" in result.failed[0].reason
    assert sorted(t.label() for t in result.built) == ["charter 2026 company", "roster 2026 shandong",
                                                       "roster 2026 south"]
    assert sorted(manifest_is_true(ws.output_dir)) == sorted(result.written)


def test_ctrl_c_keeps_finished_files_and_a_true_manifest(ws_root: Path) -> None:
    ws = Workspace.open(ws_root)
    targets = due_targets(ws)
    first = build(ws, targets, ("html",), SerialExecutor(), reporter=_InterruptAfter(2))
    assert first.interrupted and len(first.built) == 2 and first.not_run == 2
    assert sorted(manifest_is_true(ws.output_dir)) == sorted(first.written)
    (ws_root / "plans/roster-east.yaml").write_text("people: [王五]\n", encoding="utf-8")
    second = build(ws, targets, ("html",), SerialExecutor(), force=True, reporter=_InterruptAfter(1))
    assert second.interrupted
    manifest_is_true(ws.output_dir)
    finished = build(ws, targets, ("html",), SerialExecutor())
    assert not finished.interrupted and not finished.failed
    assert len(finished.built) + len(finished.skipped) == 4
    assert sorted(manifest_is_true(ws.output_dir)) == ALL_HTML


def test_a_killed_build_leaves_no_partial_file_and_a_true_manifest(tmp_path: Path) -> None:
    regions = [(f"r{i:02d}", f"第{i}區") for i in range(12)]
    root = make_workspace(tmp_path / "ws", regions)
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('build_fixture', {str(Path(__file__))!r})\n"
        "fixture = importlib.util.module_from_spec(spec); spec.loader.exec_module(fixture)\n"
        "fixture.register_roster()\n"
        "from docgen.cli import cli, main\n"
        "from docgen.buildcli import build, month_end\n"
        "cli.add_command(build); cli.add_command(month_end)\n"
        f"sys.argv = ['docgen', '-w', {str(root)!r}, 'build', '--jobs', '1', '--format', 'html,pdf']\n"
        "main()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output = root / "output"
    deadline = time.monotonic() + 60
    while not list(output.rglob("*.pdf")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the build ended before it could be interrupted"
    process.terminate()
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert b"interrupted: built" in err
    entries = manifest_is_true(output)
    assert 0 < len(entries) < 2 * (len(regions) + 1)
    on_disk = {p.relative_to(output).as_posix() for p in output.rglob("*.*") if p.name != MANIFEST_NAME}
    assert set(entries) <= on_disk


def test_manifest_load_drops_entries_whose_file_changed(ws_root: Path) -> None:
    ws = Workspace.open(ws_root)
    build(ws, due_targets(ws), ("html",))
    (ws.output_dir / "2026/south/roster.html").write_text("x", encoding="utf-8")
    os.utime(ws.output_dir / "2026/east/roster.html", ns=(0, 0))  # touched, same bytes: still true
    assert sorted(Manifest.load(ws.output_dir).entries) == [p for p in ALL_HTML if "south" not in p]


# -- executors ----------------------------------------------------------------------------------
def _outputs(output_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(output_dir).as_posix(): p.read_bytes()
            for p in sorted(output_dir.rglob("*.*")) if not p.name.startswith(".")}  # not the manifest, lock


def test_dask_writes_the_same_bytes_as_the_local_executors(tmp_path: Path, roster: None) -> None:
    distributed = pytest.importorskip("distributed")
    formats = ("html", "docx")
    local = Workspace.open(make_workspace(tmp_path / "local"))
    pooled = Workspace.open(make_workspace(tmp_path / "pooled"))
    remote = Workspace.open(make_workspace(tmp_path / "remote"))
    assert not build(local, due_targets(local), formats, SerialExecutor()).failed
    assert not build(pooled, due_targets(pooled), formats, ProcessExecutor(2, formats)).failed
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        result = build(remote, due_targets(remote), formats, DaskExecutor(cluster.scheduler_address))
    assert not result.failed and len(result.built) == 4
    expected = _outputs(local.output_dir)
    assert len(expected) == 8
    assert _outputs(pooled.output_dir) == expected
    assert _outputs(remote.output_dir) == expected


def test_dask_missing_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    from docgen.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:1", timeout="0.5s")


# -- progress -----------------------------------------------------------------------------------
def test_progress_off_a_terminal_is_plain_lines(ws_root: Path, runner: CliRunner) -> None:
    (ws_root / "plans/roster-shandong.yaml").write_text("people: 山東\n", encoding="utf-8")
    result = run_build(runner, ws_root, "-f", "html", "-j", "1")
    assert "\r" not in result.output and "\x1b" not in result.output
    assert "built 2026/east/roster.html" in result.output.splitlines()


def test_progress_on_a_terminal_is_one_redrawn_bar() -> None:
    out, err = io.StringIO(), io.StringIO()
    progress = Progress(out, err, tty=True)
    progress.start(4)
    progress.skipped(Target("charter", "2026"), ["2026/company/charter.html"])
    progress.built(Target("roster", "2026", "east"), ["2026/east/roster.html"])
    progress.failed(Target("roster", "2026", "south"), "plans/roster-south.yaml:1: bad")
    progress.finish()
    assert "\n" not in out.getvalue().rstrip("\n")
    assert "\r[###############-----] 3/4 built 1 skipped 1 failed 1  ETA 0:" in out.getvalue()
    assert err.getvalue() == "FAILED roster 2026 south: plans/roster-south.yaml:1: bad\n"
