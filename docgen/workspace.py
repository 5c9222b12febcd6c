"""Find a workspace, read its ``docgen.yaml`` and resolve its folders.

The template search chain is an ordered list of folders (MkDocs' theme dirs):
the region's folder, then the workspace's ``templates/``, then the built-ins.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, field_validator

from docgen.data.check import check, strictly
from docgen.data.limits import Limits
from docgen.data.models import Record, Rules, locate
from docgen.data.yamlsrc import Source, load_yaml
from docgen.errors import ConfigError, DataError, Problem, data_error, relative
from docgen.plan.appraisal import AppraisalSettings

CONFIG_NAME = "docgen.yaml"
T = TypeVar("T")
FONT_NAME = re.compile(r"[\w .+-]{1,100}")


def builtin_templates() -> Path:
    """The built-in templates: inside the installed package, or the repository's ``templates/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "builtin_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


EXAMPLE_PARTS = (CONFIG_NAME, "plans", "ledgers")


def example_workspace() -> Path:
    """The example workspace shipped with docgen (the repository root in a checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "example"
    return packaged if (packaged / CONFIG_NAME).is_file() else here.parent


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionConfig(_Model):
    """A region: its id (used in paths and on the command line) and display name."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    name: str


class Paths(_Model):
    plans: str = "plans"
    templates: str = "templates"
    regions: str = "regions"
    ledgers: str = "ledgers"
    output: str = "output"

    @field_validator("*")
    @classmethod
    def _usable(cls, value: str) -> str:
        # the operating system would refuse these only when a render first opens the folder
        if not value.strip():
            raise ValueError("expected a folder name, got an empty text")
        if "\0" in value:
            raise ValueError("a folder name cannot hold the character NUL")
        long = [part for part in Path(value).parts if len(part.encode()) > 255]
        if long:
            raise ValueError(f"the name {long[0][:40]!r}… is longer than the 255 bytes a file system allows")
        if len(value.encode()) > 1024:
            raise ValueError("the path is longer than 1024 bytes")
        return value


class CalendarConfig(_Model):
    """Holidays and make-up working days the workspace adds to China's calendar."""

    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    complete_years: list[int] = []   # years whose whole calendar is the lists above (not in chinese-calendar)


class Config(_Model):
    """The workspace's ``docgen.yaml``, the one place it is parsed.

    ``rules`` (tiers, visit cadence, quadrant) and ``appraisal`` (the scorecard) are checked
    apart from the rest when the workspace opens: a mistake in them is reported, located, by
    ``validate`` and by the documents that use them, not by every command.  Read them through
    :meth:`Workspace.rules` and :meth:`Workspace.appraisal`, which say whether they are valid;
    here they hold their defaults when they are not.
    """

    company: str
    script: Literal["traditional", "simplified"] = "traditional"
    unit: Literal["元", "萬元", "万元"] = "萬元"
    currency: str = "CNY"
    year: int | None = Field(None, ge=2000, le=2100, description="the plan year `--period` defaults to")
    fiscal_year_start: int = Field(1, ge=1, le=12)
    formats: list[Literal["docx", "pdf", "html", "xlsx"]] = ["docx", "pdf", "html"]
    prepared_by: str = "市場部"
    font: str | None = None
    docx_font: str | None = Field(None, description="the font Word files name, e.g. 微軟正黑體 (default: by script)")
    pdf_variant: Literal["pdf/a-3b"] | None = Field(
        None, description="archival PDF: PDF/A-3b, tagged (headings, tables, reading order); default off")
    paths: Paths = Paths()
    regions: list[RegionConfig] = []
    calendar: CalendarConfig = CalendarConfig()
    rules: Rules = Rules()
    columns: dict[str, list[str]] = {}
    appraisal: AppraisalSettings = AppraisalSettings()
    limits: Limits = Limits()

    @field_validator("font")
    @classmethod
    def _plain_font_name(cls, font: str | None) -> str | None:
        # the name goes into CSS and HTML: a family name only, nothing that could end a string or a rule
        if font is not None and not FONT_NAME.fullmatch(font):
            raise ValueError("a font family name: letters, digits, spaces and . _ - + only")
        return font

    @field_validator("regions")
    @classmethod
    def _unique_regions(cls, regions: list[RegionConfig]) -> list[RegionConfig]:
        seen: set[str] = set()
        for r in regions:
            if r.id in seen:
                raise ValueError(f"region id {r.id!r} appears twice")
            seen.add(r.id)
        return regions


class Workspace:
    """A folder of plan data with its config; everything path-related goes through here.

    :param root: the folder holding ``docgen.yaml``.
    :param config: the parsed config.
    :param source: the config file as loaded (for located messages).
    """

    def __init__(self, root: Path, config: Config, source: Source,
                 settings_problems: dict[str, tuple[Problem, ...]] | None = None) -> None:
        self.root = root.resolve()
        self.config = config
        self.source = source
        self.warnings: list[Problem] = []
        self._settings_problems = settings_problems or {}

    @classmethod
    def open(cls, root: Path, strict: bool = False) -> Workspace:
        """Read ``root/docgen.yaml``; raise :class:`ConfigError` with every problem.

        Problems of ``rules:`` and ``appraisal:`` are kept for :meth:`rules` and :meth:`appraisal`.
        """
        path = root / CONFIG_NAME
        if not path.exists() and not path.is_symlink():
            raise ConfigError("", [Problem(path.as_posix(), None, "", f"not a docgen workspace (no {CONFIG_NAME}); "
                                           f"create one with `docgen init {root}`")])
        try:
            source = load_yaml(path, root)
        except DataError as e:
            raise ConfigError(e.message, e.problems) from None
        data = source.data if isinstance(source.data, dict) else None
        rest = source if data is None else Source(
            source.file, {k: v for k, v in data.items() if k not in (*_SETTINGS, "logo")}, source.lines)
        config, problems = check(Config, rest, strict=strict)
        if config is None:
            err = data_error(problems, CONFIG_NAME)
            raise ConfigError(err.message, err.problems)
        settings, settings_problems = _settings(source)
        ws = cls(root, config.model_copy(update=settings), source, settings_problems)
        ws.warnings = problems + _deprecated(source)
        folders = ws.folder_problems()
        if folders:  # the cause, once, rather than "file not found" for every file under it
            raise ConfigError(data_error(folders, CONFIG_NAME).message, problems + folders)
        return ws

    # -- settings checked apart ----------------------------------------------
    def rules(self, strict: bool = False) -> tuple[Rules | None, list[Problem]]:
        """``rules:`` and its problems; ``None`` if it has an error (unknown keys are errors with ``strict``)."""
        return self._setting("rules", self.config.rules, strict)

    def appraisal(self) -> tuple[AppraisalSettings | None, list[Problem]]:
        """``appraisal:`` and its problems; ``None`` if it has an error (the 篇13/篇14 defaults when absent)."""
        return self._setting("appraisal", self.config.appraisal, strict=False)

    def _setting(self, key: str, value: T, strict: bool) -> tuple[T | None, list[Problem]]:
        problems = list(self._settings_problems.get(key, ()))
        if strict:
            problems = strictly(problems)
        return (None if any(p.is_error for p in problems) else value), problems

    # -- folders -------------------------------------------------------------
    def path(self, name: str) -> Path:
        """The folder ``paths.<name>`` names (plans, templates, regions, ledgers, output)."""
        folder: str = getattr(self.config.paths, name)
        return self.root / folder

    def folder_problems(self) -> list[Problem]:
        """What is wrong with the folders ``paths:`` names, located at their line in docgen.yaml.

        Templates and region folders hold what documents are made of, so they must lie inside
        the workspace; the plan folder must exist; none may be a file.
        """
        problems = []
        for name in Paths.model_fields:
            value = getattr(self.config.paths, name)
            folder = self.path(name)
            where = ("paths", name)
            if name in ("templates", "regions") and not folder.resolve().is_relative_to(self.root):
                problems.append(self.source.problem(where, f"{value!r} leads outside the workspace; "
                                                           "keep templates inside it"))
            elif folder.exists() and not folder.is_dir():
                problems.append(self.source.problem(where, f"{value!r} is a file, expected a folder"))
            elif name == "plans" and not folder.exists():
                problems.append(self.source.problem(where, f"folder {value!r} not found"))
        return problems

    @property
    def output_dir(self) -> Path:
        return self.path("output")

    @overload
    def region(self, region_id: str) -> RegionConfig: ...

    @overload
    def region(self, region_id: None) -> None: ...

    @overload
    def region(self, region_id: str | None) -> RegionConfig | None: ...

    def region(self, region_id: str | None) -> RegionConfig | None:
        """The region with this id (or name); ``None`` for the company; a :class:`ConfigError` if unknown.

        Typed so that a ``str`` gives a :class:`RegionConfig`: ``ws.region(r).id`` needs no check.
        """
        return None if region_id is None else self.require_region(region_id)

    def require_region(self, region_id: str) -> RegionConfig:
        """The region with this id (or name); a :class:`ConfigError` naming the known ones if there is none."""
        for r in self.config.regions:
            if r.id == region_id or r.name == region_id:
                return r
        known = ", ".join(f"{r.id} ({r.name})" for r in self.config.regions) or "none configured"
        raise ConfigError(f"unknown region {region_id!r}; regions in {CONFIG_NAME}: {known}")

    def region_dir(self, region_id: str) -> Path:
        return self.path("regions") / region_id

    def template_chain(self, region_id: str | None = None) -> list[Path]:
        """Folders searched for templates, most specific first (existing ones only, no repeats).

        The region's and the workspace's folders must lie inside the workspace once symlinks
        are resolved: a linked folder leading elsewhere is a located error, never searched.
        """
        candidates = []
        if region_id is not None:
            candidates.append((self.region_dir(region_id) / "templates", "regions"))
        candidates.append((self.path("templates"), "templates"))
        chain: list[Path] = []
        for folder, setting in candidates:
            real = self._inside(folder, setting)
            if real.is_dir() and real not in chain:
                chain.append(real)
        builtin = builtin_templates().resolve()
        return chain if builtin in chain else [*chain, builtin]

    def _inside(self, path: Path, setting: str) -> Path:
        """``path`` resolved, or a :class:`ConfigError` if it leads out of the workspace.

        :param setting: the ``paths:`` key the folder comes from; the error points at it when it is set.
        """
        real = path.resolve()
        if real.is_relative_to(self.root):
            return real
        message = f"leads to {real}, outside the workspace; docgen neither reads templates from there nor writes there"
        configured = self.path(setting).resolve()
        if setting in (self.source.data.get("paths") or {}) and not configured.is_relative_to(self.root):
            raise ConfigError("", [self.source.problem(("paths", setting), message)])
        raise ConfigError("", [Problem(relative(path.parent, self.root) + "/" + path.name, None, "", message)])

    def reference_docx(self, region_id: str | None = None) -> Path:
        """The Word reference document: the region's, the workspace's, else the built-in."""
        chain = self.template_chain(region_id)
        for folder in chain:
            candidate = folder / "reference.docx"
            if not (candidate.is_file() or candidate.is_symlink()):
                continue
            if not any(candidate.resolve().is_relative_to(f) for f in chain):
                raise ConfigError("", [Problem(relative(folder, self.root) + "/reference.docx", None, "",
                                               f"a link to {candidate.resolve()}, outside the template folders; "
                                               "docgen does not read it")])
            if candidate.is_file():
                return candidate
        return builtin_templates() / "reference.docx"

    def eject(self, source: Path, rel: Path, region_id: str | None, force: bool) -> Path:
        """Copy the built-in template ``source`` to ``rel`` in the region's (or the workspace's) folder.

        Nothing is written through a symlink or outside the workspace: a link at the destination
        is replaced by the file (with ``force``), a folder leading out is refused.
        """
        folder = self.region_dir(region_id) / "templates" if region_id else self.path("templates")
        dest = folder / rel
        shown = relative(dest.parent, self.root) + "/" + dest.name
        self._inside(dest.parent, "regions" if region_id else "templates")
        if dest.exists() or dest.is_symlink():
            if not force:
                raise ConfigError(f"{shown} exists; use --force to overwrite it")
            if dest.is_symlink():
                dest.unlink()  # replace the link itself: never write to where it points
        dest.parent.mkdir(parents=True, exist_ok=True)
        self._inside(dest.parent, "regions" if region_id else "templates")
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        return dest

    # -- presentation ----------------------------------------------------------
    @cached_property
    def font_family(self) -> str:
        if self.config.font:
            return self.config.font
        return "Noto Sans CJK TC" if self.config.script == "traditional" else "Noto Sans CJK SC"

    def default_year(self) -> int:
        """The year a command works on when no ``--period`` is given."""
        return self.config.year or dt.date.today().year

    @property
    def traditional(self) -> bool:
        return self.config.script == "traditional"


# the sections of docgen.yaml checked apart (see Config)
_SETTINGS = ("rules", "appraisal")


class _RulesHolder(Record):
    rules: Rules = Rules()


class _AppraisalHolder(_Model):
    appraisal: AppraisalSettings = AppraisalSettings()


def _settings(source: Source) -> tuple[dict[str, Any], dict[str, tuple[Problem, ...]]]:
    """``rules:`` and ``appraisal:`` checked where they are written: the valid ones, and each one's problems.

    The holders' paths (``rules``, …) are the config's own, so the config's lines apply as they are.
    """
    data = source.data if isinstance(source.data, dict) else {}
    valid: dict[str, Any] = {}
    problems: dict[str, tuple[Problem, ...]] = {}
    if "rules" in data:
        sub = Source(source.file, {"rules": data["rules"]}, source.lines)
        rules, found = check(_RulesHolder, sub)
        if rules is not None:
            locate(rules, (), sub)
            valid["rules"] = rules.rules
        problems["rules"] = tuple(found)
    # `appraisal:` left empty (null) means the defaults
    appraisal, found = check(_AppraisalHolder, Source(source.file, {"appraisal": data.get("appraisal") or {}},
                                                      source.lines))
    if appraisal is not None:
        valid["appraisal"] = appraisal.appraisal
    problems["appraisal"] = tuple(found)
    return valid, problems


def _deprecated(source: Source) -> list[Problem]:
    """``logo:`` was accepted and never shown: say so, and how to show a logo, rather than ignore it silently."""
    if not isinstance(source.data, dict) or "logo" not in source.data:
        return []
    return [source.problem(("logo",), "no document reads this setting, and it will be removed: put the picture in "
                                      "assets/ and embed it where it belongs: ![logo](assets/logo.png) in a "
                                      "narrative, or <img src=\"assets/logo.png\"> in a template override "
                                      "(docgen templates eject base.html.j2)", "warning")]


def find_workspace(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``docgen.yaml`` (else ``start``)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start
