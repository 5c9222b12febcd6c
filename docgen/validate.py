"""``docgen validate``: every problem in the workspace's data, at once.

Checks the config, the charter, each year's plan (types, unknown keys, cross-references)
and the plan's arithmetic warnings — the same checks the plan documents print, taken from
:func:`docgen.documents.checks.plan_checks` — then fails once.  Warnings are reported even
when there are errors: the arithmetic of the regions that did load is checked.  With a month
(``--period 2026-06``) it reads that month's ledgers and supervisor scores as month-end would,
once the plan and the settings are free of errors (the ledgers are read against them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from docgen.data.charter import load_charter
from docgen.data.plan import Plan, load_plan
from docgen.documents.checks import appraisal_problems, arithmetic_warnings
from docgen.errors import DocgenError, Problem, relative
from docgen.plan.appraisal import AppraisalSettings
from docgen.plan.figures import sales_team
from docgen.plan.fiscal import plan_fiscal
from docgen.workspace import Workspace

Month = tuple[int, int]


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


def validate(ws: Workspace, strict: bool = False, years: list[int] | None = None,
             month: Month | None = None) -> Report:
    """Check everything the workspace holds (and ``month``'s ledgers and scores); never raises for bad data."""
    report = Report(problems=list(getattr(ws, "warnings", [])))
    charter = ws.path("plans") / "charter.yaml"
    if ws.path("plans").is_dir():  # the charter is always built: a missing one is an error
        report.checked.append(relative(charter, ws.root))
        report.problems += _guarded(lambda: load_charter(charter, ws.root, ws.config.limits)[1])
    report.problems += appraisal_checks(ws)
    ledgers: list[Problem] = []
    for year in years or plan_years(ws):
        report.checked.append(f"plans/{year}")
        plan, problems = _guarded_plan(ws, year, strict)
        report.problems += problems
        if plan is not None:
            complete = not any(p.is_error for p in problems)
            report.problems += plan_warnings(ws, plan, complete) + visit_history_warnings(plan)
            if complete:  # ledgers are read against the plan: a broken one would only echo its errors
                ledgers += ledger_checks(ws, plan)
    plan_sound = not any(p.is_error for p in report.problems)
    report.problems += ledgers
    if month is not None:
        report.checked.append(f"ledgers/{month[0]}-{month[1]:02d}")
        if plan_sound:  # a month is read against its plan: a broken plan would only echo its errors
            report.problems += month_checks(ws, month)
    report.problems = list(dict.fromkeys(report.problems))  # a ledger line read by both checks is told once
    return report


def plan_warnings(ws: Workspace, plan: Plan, complete: bool = True) -> list[Problem]:
    """The plan's arithmetic warnings (:func:`~docgen.documents.checks.plan_checks`), at their region.

    :param complete: ``False`` for a plan loaded with errors: a check its gaps break is skipped
        (the errors already say what is wrong there).
    """
    if complete:
        return arithmetic_warnings(ws, plan)
    try:
        return arithmetic_warnings(ws, plan)
    except (DocgenError, KeyError, ValueError):
        return []


def month_checks(ws: Workspace, month: Month) -> list[Problem]:
    """A month's ledgers and supervisor scores, read as month-end reads them: every bad line, every warning."""
    from docgen.documents import fiscal_year_of
    from docgen.documents.monthend import (
        appraisal_settings,
        ledger_folder,
        load_month_end,
        month_problems,
        month_scores,
    )
    from docgen.documents.planning import load

    folder = ledger_folder(ws, month)
    if not folder.is_dir():
        return [Problem(relative(folder, ws.root), None, "",
                        f"no ledgers for {month[0]}-{month[1]:02d}: the month's statistics cannot be made")]

    def ledgers() -> list[Problem]:
        return month_problems(load_month_end(ws, month), month)

    def scores() -> list[Problem]:
        plan, settings = load(ws, fiscal_year_of(ws, month)), appraisal_settings(ws)
        given = month_scores(ws, plan, month, settings)
        return given.warnings + unscored(ws, plan, month, settings, given.scores)

    # read apart, so that a bad ledger line does not hide a bad score
    return _guarded(ledgers) + _guarded(scores)


def visit_history_warnings(plan) -> list[Problem]:
    """Customer-list 上次拜訪 dates inside the plan period (SPEC §4.4: not a visit before those months)."""
    from docgen.documents.planning import list_date_warnings

    return list_date_warnings(plan)


def ledger_checks(ws: Workspace, plan) -> list[Problem]:
    """Every ledger and supervisor-scores file a month-end document of the plan's year reads (earlier
    years' ledgers too), checked as that document checks it: validate must reject whatever a render would."""
    from docgen.documents.monthend import appraisal_settings, ledger_months, load_month_end, month_scores

    months = [m for m in ledger_months(ws) if plan_fiscal(plan).contains(m)]
    if not months:
        return []
    ledgers = _guarded(lambda: load_month_end(ws, months[-1]).warnings)
    settings = _guarded_value(lambda: appraisal_settings(ws))
    if settings is None:  # the settings' own problems are appraisal_checks'
        return ledgers
    return ledgers + [p for m in months for p in _guarded(lambda m=m: month_scores(ws, plan, m, settings).warnings)]


def _guarded_value(make):
    try:
        return make()
    except DocgenError:
        return None


def plan_load_warnings(ws: Workspace, years: list[int]) -> list[Problem]:
    """The warnings of loading those years' plans (a misspelt key is ignored with a warning): what
    ``render``, ``build`` and ``month-end`` print too, so that no one reads a document made without
    a key they thought they gave.  Errors are left to the documents that need the plan."""
    return [p for year in years if (ws.path("plans") / str(year)).is_dir()
            for p in load_plan(ws, year)[1] if not p.is_error]


def unscored(ws: Workspace, plan: Plan, month: Month, settings: AppraisalSettings,
             scores: dict[str, dict[str, Decimal]]) -> list[Problem]:
    """A warning per person whose card will be provisional: a rated item the month's scores leave blank."""
    from docgen.documents.monthend import ledger_file, ledger_folder, month_end_day, scored_people

    folder = ledger_folder(ws, month)
    where = relative(ledger_file(folder, "appraisal") or folder / "appraisal.csv", ws.root)
    people = [p for p in scored_people(settings, sales_team(plan))
              if p.start is None or p.start <= month_end_day(month)]
    out = []
    for p in people:
        missing = [i.name for i in settings.rated_items if i.key not in scores.get(p.id, {})]
        if missing:
            out.append(Problem(where, None, "salesperson", f"{p.name} ({p.id}): {'、'.join(missing)} not scored: "
                               f"the card shows 待評 and is provisional, with no pay factor", severity="warning"))
    return out


def appraisal_checks(ws: Workspace) -> list[Problem]:
    """The appraisal settings of docgen.yaml (weights total 100, bands in order …)."""
    return appraisal_problems(ws)[1]


def _guarded(load) -> list[Problem]:
    try:
        return list(load())
    except DocgenError as e:
        return e.problems or [Problem("", None, "", e.message)]


def _guarded_plan(ws: Workspace, year: int, strict: bool):
    try:
        return load_plan(ws, year, strict=strict, partial=True)
    except DocgenError as e:
        return None, e.problems or [Problem(f"plans/{year}", None, "", e.message)]


__all__ = ["Report", "plan_load_warnings", "plan_years", "validate"]
