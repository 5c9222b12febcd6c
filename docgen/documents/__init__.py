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

    def required_region(self) -> str:
        """The region of a document made per region or person (a clear error when none was given)."""
        if self.region is None:
            raise ConfigError(f"{self.doc_id} is made for one region: give --region")
        return self.region

    def required_person(self) -> str:
        """The salesperson of a document made per person (a clear error when none was given)."""
        if self.person is None:
            raise ConfigError(f"{self.doc_id} is made for one salesperson: give --person")
        return self.person

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


def parse_period(period: str) -> tuple[int, int | None]:
    """``2026`` → (2026, None); ``2026-06`` → (2026, 6); anything else is a clear error."""
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
