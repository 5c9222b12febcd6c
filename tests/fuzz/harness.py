"""Run one fuzz case: a copy of the example workspace, 1–3 seeded mutations, then ``docgen validate``
and a render that reads the mutated file, judged as a user would judge the output.

A case *fails* on an internal error (an exception escaping the CLI, "internal error" or a
traceback in the output, an exit code other than 0 or 1), a hang (no answer within
:data:`TIMEOUT` seconds), a Python warning reaching the user, a half-written output (a file
left behind by a failed render, a temporary file, an empty or cut HTML file), or a render that
rejects a data file ``validate`` passed (validate must be at least as strict as any render).
"""
from __future__ import annotations

import random
import re
import shutil
import signal
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import copy_example
from mutations import Mutation, mutate

from docgen.cli import cli

TIMEOUT = 60  # seconds a command may take on this workspace before it counts as a hang

PERSON = {"south": "s02", "east": "e02", "shandong": "d02"}
REGIONS = tuple(PERSON)


def _render(doc: str, period: str, region: str | None = None, person: str | None = None) -> list[str]:
    args = ["render", doc, "--period", period, "--format", "html"]
    if region:
        args += ["--region", region]
    if person:
        args += ["--person", person]
    return args


def renders_for(file: str, rng: random.Random) -> list[str]:
    """One render that reads ``file`` (chosen by ``rng`` among those that do)."""
    region = next((r for r in REGIONS if f"/{r}." in file), rng.choice(REGIONS))
    plan = [_render("annual-plan", "2026"), _render("annual-plan", "2026", region),
            _render("monthly-plan", "2026-07", region), _render("visit-plan", "2026-07", person=PERSON[region]),
            _render("sales-stats", "2026-06", region)]
    sales = [_render("sales-stats", "2026-06"), _render("sales-stats", "2026-06", region),
             _render("year-summary", "2026", region)]
    visits = [_render("visit-stats", "2026-06", region), _render("visit-plan", "2026-07", person=PERSON[region])]
    if file == "plans/charter.yaml":
        choices = [_render("charter", "2026")]
    elif file.startswith("plans/templates/"):
        doc = Path(file).name.split(".")[0]
        choices = [_render("charter", "2026")] if doc == "base" else {
            "charter": [_render("charter", "2026")], "annual-plan": plan[:2], "monthly-plan": plan[2:3],
            "visit-plan": plan[3:4], "sales-stats": sales[:2], "visit-stats": visits[:1],
            "year-summary": sales[2:]}[doc]
    elif file.startswith("plans/"):
        choices = plan
    elif file.startswith("ledgers/") and "/visits." in file:
        choices = visits
    elif file.startswith("ledgers/"):
        choices = sales
    else:
        choices = [_render("charter", "2026"), *plan, *sales, *visits]
    return rng.choice(choices)


@dataclass
class Run:
    """One command's outcome."""

    args: list[str]
    exit_code: int
    output: str
    failure: str = ""          # why this run breaks the promise ("" when it keeps it)

    def error_files(self) -> set[str]:
        """Files named by the error lines (``file:line: …``), warnings left out."""
        files = set()
        for line in self.output.splitlines():
            m = re.match(r"^([\w./\-+]+?\.(?:ya?ml|csv|xlsx|j2)|plans/\d{4})(?::|\s)", line)
            if m and ": warning:" not in line:
                files.add(m[1])
        return files

    @property
    def located(self) -> bool:
        problems = [ln for ln in self.output.splitlines() if ln and not re.match(r"^\d+ errors?\b", ln)]
        return all(re.match(r"^[^:\s]+:\d+", ln) for ln in problems if ": warning:" not in ln)


@dataclass
class Case:
    """A fuzz case: its seed, what was done, and what docgen did."""

    seed: int
    mutations: list[Mutation] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stricter_render: list[str] = field(default_factory=list)   # data files a render rejected, validate passed

    @property
    def outcome(self) -> str:
        if self.failures or self.stricter_render:
            return "failure"
        if all(r.exit_code == 0 for r in self.runs):
            return "exit 0"
        return "exit 1, located" if all(r.located for r in self.runs if r.exit_code) else "exit 1, unlocated"

    @property
    def elsewhere(self) -> bool:
        """A run failed naming only files other than the mutated ones: a consequence reported, not
        its cause (counted, not failed: a docgen.yaml setting can rightly fault another file)."""
        mutated = {str(Path(m.file).with_suffix("")) for m in self.mutations}
        named = [{str(Path(f).with_suffix("")) for f in r.error_files()} for r in self.runs if r.exit_code == 1]
        return any(files and not files & mutated for files in named)

    def report(self) -> str:
        lines = [f"seed {self.seed}: " + "; ".join(str(m) for m in self.mutations)]
        for r in self.runs:
            failure = f"  ✗ {r.failure}" if r.failure else ""
            lines.append(f"  $ docgen {' '.join(r.args)} → exit {r.exit_code}{failure}")
            lines += ["    " + ln[:300] for ln in r.output.splitlines()[:12]]
        lines += [f"  FAIL: {f}" for f in self.failures + self.stricter_render]
        lines.append(f"  replay: ./dev fuzz --seed {self.seed}")
        return "\n".join(lines)


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang(f"no answer within {TIMEOUT} s")


def invoke(ws: Path, args: list[str], out: Path | None = None) -> Run:
    """Run ``docgen -w ws ARGS`` in-process with a time limit; judge the run."""
    full = ["-w", str(ws), *args] + (["--output", str(out)] if out is not None else [])
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = CliRunner().invoke(cli, full, catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    run = Run(args, result.exit_code, result.output)
    leaked = [w for w in caught if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    if isinstance(result.exception, _Hang):
        run.failure = f"hang: {result.exception}"
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception))
        run.failure = f"internal error: {type(result.exception).__name__}: {result.exception}\n{tb[-1500:]}"
    elif result.exit_code not in (0, 1):
        run.failure = f"exit code {result.exit_code}"
    elif "internal error" in result.output or "Traceback" in result.output:
        run.failure = "internal error text in the output"
    elif leaked:
        run.failure = f"a Python warning reached the user: {leaked[0].category.__name__}: {leaked[0].message}"
    return run


def _half_written(run: Run, out: Path) -> str:
    files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    temps = [p for p in files if p.name.endswith(".tmp")]
    if temps:
        return f"half-written: temporary file {temps[0].name} left behind"
    if run.exit_code != 0 and files:
        return f"half-written: a failed render left {files[0].relative_to(out)}"
    if run.exit_code == 0:
        if not files:
            return "render exited 0 but wrote nothing"
        for p in files:
            if p.suffix == ".html" and not p.read_text(encoding="utf-8", errors="replace").rstrip().endswith("</html>"):
                return f"half-written: {p.name} does not end with </html>"
    return ""


def prepare(seed: int, workdir: Path) -> tuple[Path, Case, random.Random]:
    """The broken workspace of case ``seed`` in ``workdir`` (emptied first)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    ws = copy_example(workdir / "ws")
    rng = random.Random(seed)
    case = Case(seed)
    for _ in range(rng.choice([1, 1, 2, 3])):
        case.mutations.append(mutate(ws, rng))
    return ws, case, rng


def run_case(seed: int, workdir: Path) -> Case:
    """Build, mutate and run one case in ``workdir``."""
    ws, case, rng = prepare(seed, workdir)
    validate = invoke(ws, ["validate"])
    case.runs.append(validate)
    render_args = renders_for(case.mutations[0].file, rng)
    out = workdir / "out"
    render = invoke(ws, render_args, out)
    render.failure = render.failure or _half_written(render, out)
    case.runs.append(render)
    case.failures += [f"{' '.join(r.args[:2])}: {r.failure}" for r in case.runs if r.failure]
    if not case.failures and render.exit_code == 1:
        case.stricter_render += _stricter_render(validate, render)
    return case


def _stricter_render(validate: Run, render: Run) -> list[str]:
    """A data file a render rejects must have an error from ``validate`` too (templates aside:
    ``validate`` checks data, a template's errors show when it renders)."""
    data_files = {f for f in render.error_files() if not f.endswith(".j2")}
    missed = sorted(f for f in data_files if f not in validate.error_files())
    return [f"validate ⊉ render: the render rejected {f}, validate reported no error in it" for f in missed]
