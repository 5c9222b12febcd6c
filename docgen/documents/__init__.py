"""The documents docgen makes, by id, and what one instance of a document is.

Each document module turns models and figures into a template context (pure);
it registers a :class:`DocumentType` here.  The CLI and the batch builder only
talk to this registry, so adding a document adds a module, nothing else.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError
from docgen.plan import fiscal
from docgen.plan.fiscal import FiscalYear, MonthPeriod, MonthsPeriod, YearPeriod
from docgen.render.document import Picture
from docgen.workspace import Workspace


@dataclass(frozen=True, order=True)
class Target:
    """One instance of a document: which document, for which period, region and person.

    :param period: ``2026`` or ``2026-06``.
    :param region: a region id, or ``None`` for the company.
    :param person: a salesperson id for per-person documents.
    """

    doc_id: str
    period: str
    region: str | None = None
    person: str | None = None

    def output_path(self, suffix: str) -> Path:
        """``<period>/<region-or-company>/<doc>[-<person>]<suffix>`` under the output folder."""
        name = self.doc_id + (f"-{self.person}" if self.person else "")
        return Path(self.period) / (self.region or "company") / f"{name}{suffix}"

    def label(self) -> str:
        parts = [self.doc_id, self.period, self.region or "company"]
        if self.person:
            parts.append(self.person)
        return " ".join(parts)


@dataclass
class Prepared:
    """What a document module hands to rendering: title, template context, pictures, inputs.

    :param inputs: every file the context was built from (for the build manifest).
    """

    title: str
    context: dict[str, Any]
    pictures: list[Picture] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)
    created: dt.date | None = None
    region_name: str | None = None
    period_label: str = ""


class DocumentType:
    """Base for a document kind; subclasses set the class attributes and two methods."""

    id: str = ""
    title: str = ""
    template: str = ""
    scope: str = "company"  # company | region | person | company+region
    period_kind: str = "year"  # year | month

    def targets(self, ws: Workspace, period: str) -> list[Target]:
        """Every instance due for ``period`` (for batch builds)."""
        return [Target(self.id, period)]

    def prepare(self, ws: Workspace, target: Target) -> Prepared:  # pragma: no cover - abstract
        raise NotImplementedError


REGISTRY: dict[str, DocumentType] = {}


def register(cls: type[DocumentType]) -> type[DocumentType]:
    """Class decorator: make a document available by its id."""
    REGISTRY[cls.id] = cls()
    return cls


def get(doc_id: str) -> DocumentType:
    _load_all()
    try:
        return REGISTRY[doc_id]
    except KeyError:
        raise ConfigError(f"unknown document {doc_id!r}; documents: {', '.join(sorted(REGISTRY))}") from None


def all_documents() -> list[DocumentType]:
    _load_all()
    return list(REGISTRY.values())


def _load_all() -> None:
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def creation_date(default: dt.date) -> dt.datetime:
    """The timestamp written into files: ``SOURCE_DATE_EPOCH`` if set, else a date from the data."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(default, dt.time(0, 0))


def named_period(ws: Workspace, text: str) -> YearPeriod | MonthPeriod | MonthsPeriod:
    """A period as the user names it (``FY2026``, ``2026/27``, ``2026-08..2027-07``, ``2027年3月`` …),
    read with the workspace's fiscal year; a clear error otherwise."""
    try:
        return fiscal.parse_period(str(text), ws.config.fiscal_year_start)
    except fiscal.PeriodError as e:
        raise ConfigError(f"--period {e}") from None


def canonical_period(ws: Workspace, text: str) -> str:
    """The id of one fiscal year (its plan folder, ``2026``) or month (``2027-03``) however it is named."""
    period = named_period(ws, text)
    if isinstance(period, MonthsPeriod):
        year = FiscalYear.of_month(period.months[0], ws.config.fiscal_year_start)
        raise ConfigError(f"--period {text!r}: not a fiscal year (the fiscal year {year.label} runs "
                          f"{year.period_text}); name one month like {fiscal.month_text(period.months[0])}, "
                          f"or build a span of months with docgen build --period")
    return period.text


def period_ids(ws: Workspace, texts: list[str]) -> list[str]:
    """Periods as the user names them → canonical ids, a span of months becoming its months
    (``2026-11..2027-02`` → ``2026-11``, ``2026-12``, ``2027-01``, ``2027-02``), for batch builds."""
    out: list[str] = []
    for text in texts:
        period = named_period(ws, text)
        out += ([fiscal.month_text(m) for m in period.months] if isinstance(period, MonthsPeriod)
                else [period.text])
    return list(dict.fromkeys(out))


def plan_year(ws: Workspace, text: str) -> int:
    """The plan folder a named period reads: its fiscal year, or its first month's."""
    period = named_period(ws, text)
    if isinstance(period, MonthsPeriod):
        return fiscal_year_of(ws, period.months[0])
    return period.fiscal.year


def fiscal_year_of(ws: Workspace, month: tuple[int, int]) -> int:
    """The fiscal year (plan folder) ``month`` belongs to: 2027-03 → 2026 when the year starts in August."""
    return FiscalYear.of_month(month, ws.config.fiscal_year_start).year


def parse_period(period: str) -> tuple[int, int | None]:
    """A canonical period id: ``2026`` → (2026, None); ``2026-06`` → (2026, 6); anything else is a clear error.

    A month's plan is that of :func:`fiscal_year_of` it, which is not ``2026`` in every workspace."""
    text = str(period).strip()
    try:
        if len(text) == 4 and text.isdigit():
            return int(text), None
        year, month = text.split("-")
        if len(year) == 4 and 1 <= int(month) <= 12:
            return int(year), int(month)
    except ValueError:
        pass
    raise ConfigError(f"--period {period!r}: expected a year like 2026 or a month like 2026-06")

