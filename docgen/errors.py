"""One error hierarchy for everything a user can get wrong.

Every problem a user can cause is a :class:`Problem` (file, line, field, message)
or a :class:`DocgenError` carrying one or more of them.  The CLI prints each
problem on one line and exits 1; no traceback reaches a user for bad input.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know.

    :param file: the file the value came from (relative to the workspace when possible).
    :param line: 1-based line (for tables: the row number), or ``None`` if unknown.
    :param field: dotted path of the value, e.g. ``departments[3].duties``; may be empty.
    :param message: what is wrong and what was expected.
    :param severity: ``"error"`` or ``"warning"``.
    :param column: for tabular files, the column header the value sits under.
    """

    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"
    column: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f":{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {prefix}{field}{self.message}"


class DocgenError(click.ClickException):
    """Base of every error docgen reports to a user (exit code 1, no traceback)."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def format_message(self) -> str:
        if not self.problems:
            return self.message
        lines = [str(p) for p in self.problems]
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True)


class ConfigError(DocgenError):
    """The workspace itself is missing or its config file is wrong."""


class DataError(DocgenError):
    """Plan data, ledgers or visit logs are malformed or inconsistent."""


class TemplateError(DocgenError):
    """A template cannot be found, does not compile, or fails while rendering."""


class RenderError(DocgenError):
    """A writer could not turn rendered HTML into its format."""


class MissingDependency(DocgenError):
    """A system package docgen needs is not installed."""


def data_error(problems: list[Problem], what: str = "") -> DataError:
    """Build a :class:`DataError` whose summary counts the errors.

    :param problems: every problem found (warnings included, they are printed too).
    :param what: what was being checked, for the summary line.
    """
    errors = sum(1 for p in problems if p.is_error)
    noun = "error" if errors == 1 else "errors"
    summary = f"{errors} {noun} in {what}" if what else f"{errors} {noun}"
    return DataError(summary, problems)


def relative(path: Path | str, root: Path | None) -> str:
    """Show ``path`` relative to ``root`` when it lies inside it, else as given."""
    p = Path(path)
    if root is not None:
        # the name the file has in the workspace, even when it (or a folder on the way) is a link
        for candidate in (Path(os.path.abspath(p)), p.resolve()):
            try:
                return candidate.relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
    return p.as_posix()
