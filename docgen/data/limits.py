"""Limits on what one input file may expand to, so a small hostile file cannot exhaust the machine.

A 500-byte YAML alias bomb or a 1.5 MB workbook that unpacks to a million rows is cheap to
write and expensive to read; every reader checks its limit before or while reading and ends
in a located error.  The defaults are far above what a sales department's files hold; a
workspace raises them under ``limits:`` in ``docgen.yaml``.
"""
from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_SECONDS = 120.0
DEFAULT_MEMORY = 2 << 30  # 2 GiB: a process's first PDF maps ~500 MiB (fonts, libraries), see the README
MINIMUM_MEMORY = 512 << 20  # below it PDF rendering fails outright (pango cannot start its threads)

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
          "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}


class Limits(BaseModel):
    """``limits:`` in docgen.yaml.

    :param yaml_depth: deepest nesting of lists and mappings in a YAML file.
    :param yaml_nodes: values a YAML file may hold once its aliases are expanded.
    :param xlsx_bytes: uncompressed size of a workbook (all its parts together).
    :param xlsx_rows: rows of a workbook's first sheet.
    :param csv_field_chars: characters in one CSV cell.
    :param document_seconds: wall-clock seconds one document may take to prepare and render
        (:func:`docgen.limits.run_limited`); ``null`` switches the limit off.
    :param document_memory: address space one document may add: bytes, or a size like ``2GiB``,
        at least 512 MiB; ``null`` switches the limit off.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    yaml_depth: int = Field(64, ge=1, le=200)  # the YAML composer recurses per level
    yaml_nodes: int = Field(500_000, ge=1)
    xlsx_bytes: int = Field(200_000_000, ge=1)
    xlsx_rows: int = Field(300_000, ge=1)
    csv_field_chars: int = Field(131_072, ge=1)
    document_seconds: float | None = DEFAULT_SECONDS
    document_memory: int | None = DEFAULT_MEMORY

    @field_validator("document_seconds", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not 0 < value < math.inf):
            raise ValueError(f"expected a number of seconds above 0, got {value!r}")
        return value

    @field_validator("document_memory", mode="before")
    @classmethod
    def _memory(cls, value: Any) -> int | None:
        if value is None:
            return None
        size = parse_size(value)
        if size is None or size < MINIMUM_MEMORY:
            raise ValueError(f"expected a size of at least 512MiB, like 2GiB, got {value!r}")
        return size


def parse_size(value: Any) -> int | None:
    """``2GiB`` → 2147483648; a positive int is bytes; anything else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", str(value).lower())
    if not match or match[2] not in _UNITS:
        return None
    size = int(float(match[1]) * _UNITS[match[2]])
    return size if size > 0 else None


DEFAULT_LIMITS = Limits()
