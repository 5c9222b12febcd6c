"""A document that could not be built, and the one line that says why."""
from __future__ import annotations

from dataclasses import dataclass

from docgen.documents import Target
from docgen.errors import DocgenError


@dataclass(frozen=True)
class Failure:
    target: Target
    reason: str

    def __str__(self) -> str:
        return f"FAILED {self.target.label()}: {self.reason}"


def failure_reason(error: BaseException) -> str:
    """One line: a DocgenError's first problem (its message if none), else ``Type: message``."""
    if isinstance(error, DocgenError):
        if error.problems:
            errors = [p for p in error.problems if p.is_error] or error.problems
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return str(errors[0]) + more
        text = error.message
    else:
        text = f"{type(error).__name__}: {error}"
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
