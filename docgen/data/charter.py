"""The marketing-department charter's data (seed 篇11): ``plans/charter.yaml``.

Departments form the organisation chart by their ``reports_to`` line; positions
are the marketing department's own staff table.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from docgen.data.check import check
from docgen.data.limits import DEFAULT_LIMITS, Limits
from docgen.data.yamlsrc import Source, load_yaml
from docgen.errors import Problem


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Department(_Model):
    """A department: its place in the org chart and its part in working with 市場部."""

    id: str
    name: str
    reports_to: str | None = None
    role: str = ""
    from_marketing: str = Field("", description="what 市場部 gives this department")
    to_marketing: str = Field("", description="what 市場部 gets from it")


class Position(_Model):
    """A position in 市場部: title, headcount and duties."""

    title: str
    headcount: int = Field(ge=0)
    reports_to: str = ""
    duties: list[str]


class Standard(_Model):
    """One of 市場部's work standards and what it means in practice."""

    name: str
    meaning: str


class Focus(_Model):
    """One of the year's key pieces of work."""

    title: str
    detail: str = ""


class Training(_Model):
    """A training item for the sales team."""

    topic: str
    audience: str = ""
    when: str = ""


class Charter(_Model):
    """Everything the charter document shows."""

    department: str = "市場部"
    year: int | None = None
    summary: str = Field(description="市場部職能: the opening paragraph (Markdown)")
    roles: list[str] = Field(description="市場部作用")
    departments: list[Department]
    positions: list[Position]
    standards: list[Standard]
    duties: list[str] = Field(description="市場部工作職能")
    collaboration_intro: str = ""
    focus: list[Focus]
    training: list[Training]



def _cross_check(charter: Charter, source: Source) -> list[Problem]:
    """Reporting lines must name known departments and meet at one top department."""
    problems = []
    ids = {d.id for d in charter.departments}
    for i, d in enumerate(charter.departments):
        if d.reports_to is not None and d.reports_to not in ids:
            problems.append(source.problem(("departments", i, "reports_to"),
                                           f"unknown department {d.reports_to!r}; known: {', '.join(sorted(ids))}"))
    roots = [d for d in charter.departments if d.reports_to is None]
    if len(roots) != 1:
        problems.append(source.problem(("departments",), "exactly one department must report to nobody "
                                       f"(the top of the org chart), found {len(roots)}"))
    return problems


def load_charter(path: Path, root: Path | None,
                 limits: Limits = DEFAULT_LIMITS) -> tuple[Charter | None, list[Problem]]:
    """Load and check ``plans/charter.yaml``; every problem located."""
    source = load_yaml(path, root, limits)
    charter, problems = check(Charter, source)
    if charter is not None:
        problems += _cross_check(charter, source)
    if any(p.is_error for p in problems):
        return None, problems
    return charter, problems
