"""The quick seeded fuzz run of the test suite (``./dev fuzz N`` runs more): 100 broken copies of
the example workspace, each through ``validate`` and a render that reads the broken file."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import Case, Run, _half_written, invoke, prepare, renders_for, run_case

SEEDS = range(100)


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> list[Case]:
    work = tmp_path_factory.mktemp("fuzz")
    cases = []
    for seed in SEEDS:   # a folder each: no process-wide cache carries one case into the next
        cases.append(run_case(seed, work / f"case-{seed}"))
        shutil.rmtree(work / f"case-{seed}")
    return cases


def test_no_internal_error_hang_warning_or_half_written_output(cases):
    failed = [c.report() for c in cases if c.failures]
    assert not failed, "\n\n".join(failed)


def test_validate_is_at_least_as_strict_as_any_render(cases):
    rejected = [c for c in cases if c.runs[1].exit_code == 1 and c.runs[1].error_files()]
    assert len(rejected) >= 20   # the check has cases to bite on: renders that rejected a file
    missed = [c.report() for c in cases if c.stricter_render]
    assert not missed, "\n\n".join(missed)


def test_the_cases_break_things_in_many_ways(cases):
    outcomes = {c.outcome for c in cases}
    assert {"exit 0", "exit 1, located"} <= outcomes
    touched = {m.file.split("/")[0] for c in cases for m in c.mutations}
    assert touched >= {"docgen.yaml", "plans", "ledgers"}
    assert any(m.file.endswith(".xlsx") for c in cases for m in c.mutations)
    assert any(m.file.startswith("plans/templates/") for c in cases for m in c.mutations)


def test_the_judge_sees_an_internal_error(workspace, monkeypatch):
    import docgen.data.loading as plan

    def broken(*args, **kwargs):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(plan, "plan_files", broken)
    run = invoke(workspace, ["validate"])
    assert run.failure.startswith("internal error: ZeroDivisionError: planted")


def test_the_judge_sees_half_written_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "charter.html").write_text("<html><body>cut", encoding="utf-8")
    assert _half_written(Run(["render"], 0, ""), out) == "half-written: charter.html does not end with </html>"
    assert _half_written(Run(["render"], 1, ""), out) == "half-written: a failed render left charter.html"
    (out / ".charter.html.x1.tmp").write_text("", encoding="utf-8")
    assert _half_written(Run(["render"], 0, ""), out).startswith("half-written: temporary file")


@pytest.mark.parametrize("seed", [3, 11, 62])
def test_the_installed_command_too(seed, tmp_path):
    """A few cases through the real entry point, in its own process: the exit code, no traceback."""
    ws, case, rng = prepare(seed, tmp_path / "case")
    docgen = Path(sys.executable).parent / "docgen"
    for args in (["validate"], renders_for(case.mutations[0].file, rng)):
        done = subprocess.run([str(docgen), "-w", str(ws), *args, *(["-o", str(tmp_path / "out")] if
                              args[0] == "render" else [])], capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        assert "Warning" not in done.stderr


@pytest.mark.parametrize("seed", [
    1426,     # a template whose output has no <head>: the HTML writer crashed
    102250,   # a Gantt chart's long labels: matplotlib's tight-layout UserWarning reached the user
    102844,   # a tab in a department name: matplotlib's missing-glyph UserWarning reached the user
    103538,   # corrupted workbook data: openpyxl left the file open (ResourceWarning)
    401487,   # a template that renders nothing: the HTML writer crashed on an empty document
    900237,   # the same after merging the typography pass, which parsed the empty document first
    910823,   # a base template cut short, so the document holds no element at all: the same crash
])
def test_cases_that_once_failed(seed, tmp_path):
    case = run_case(seed, tmp_path / "case")
    assert not case.failures and not case.stricter_render, case.report()
