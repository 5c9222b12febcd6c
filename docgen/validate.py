"""``docgen validate``: every problem in the workspace's data, at once.

Checks the config, the charter, each year's plan (types, unknown keys, cross-references)
and the plan's arithmetic warnings (channel quotas, personal quotas), then fails once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.data.charter import load_charter
from docgen.data.plan import load_plan
from docgen.errors import DocgenError, Problem, relative
from docgen.workspace import Workspace


@dataclass
class Report:
    """What ``validate`` found: problems (errors and warnings) and what was checked."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def plan_years(ws: Workspace) -> list[int]:
    """The years that have a folder under ``plans/``."""
    folder = ws.path("plans")
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4) \
        if folder.is_dir() else []


def validate(ws: Workspace, strict: bool = False, years: list[int] | None = None) -> Report:
    """Check everything the workspace holds; never raises for bad data."""
    report = Report(problems=list(getattr(ws, "warnings", [])))
    charter = ws.path("plans") / "charter.yaml"
    if ws.path("plans").is_dir():  # the charter is always built: a missing one is an error
        report.checked.append(relative(charter, ws.root))
        report.problems += _guarded(lambda: load_charter(charter, ws.root, ws.config.limits)[1])
    report.problems += appraisal_checks(ws)
    for year in years or plan_years(ws):
        report.checked.append(f"plans/{year}")
        plan, problems = _guarded_plan(ws, year, strict)
        report.problems += problems
        if plan is not None:
            report.problems += plan_warnings(ws, plan)
            report.problems += ledger_checks(ws, plan)
    return report


def plan_warnings(ws: Workspace, plan) -> list[Problem]:
    """The plan's arithmetic warnings (channel quota check, personal quotas), located at their region."""
    try:
        from docgen.documents.annual_plan import arithmetic_warnings
    except ImportError:  # pragma: no cover - the planning documents are not installed
        return []
    return arithmetic_warnings(ws, plan)


def ledger_checks(ws: Workspace, plan) -> list[Problem]:
    """Every ledger a month-end document of the plan's year reads (earlier years' too), checked
    as that document checks it: validate must reject whatever a render would."""
    from docgen.documents.monthend import ledger_months, load_month_end

    months = [m for m in ledger_months(ws) if m[0] == plan.year]
    if not months:
        return []
    try:
        return list(load_month_end(ws, months[-1]).warnings)
    except DocgenError as e:
        return e.problems or [Problem(relative(ws.path("ledgers"), ws.root), None, "", e.message)]


def appraisal_checks(ws: Workspace) -> list[Problem]:
    """The appraisal settings of docgen.yaml (weights total 100, bands in order …)."""
    from docgen.documents.monthend import appraisal_problems

    return appraisal_problems(ws)[1]


def _guarded(load) -> list[Problem]:
    try:
        return list(load())
    except DocgenError as e:
        return e.problems or [Problem("", None, "", e.message)]


def _guarded_plan(ws: Workspace, year: int, strict: bool):
    try:
        return load_plan(ws, year, strict=strict)
    except DocgenError as e:
        return None, e.problems or [Problem(f"plans/{year}", None, "", e.message)]


__all__ = ["Report", "validate", "plan_years", "Path"]
