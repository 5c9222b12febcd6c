"""Limits on what one input file may expand to, so a small hostile file cannot exhaust the machine.

A 500-byte YAML alias bomb or a 1.5 MB workbook that unpacks to a million rows is cheap to
write and expensive to read; every reader checks its limit before or while reading and ends
in a located error.  The defaults are far above what a sales department's files hold; a
workspace raises them under ``limits:`` in ``docgen.yaml``.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Limits(BaseModel):
    """``limits:`` in docgen.yaml.

    :param yaml_depth: deepest nesting of lists and mappings in a YAML file.
    :param yaml_nodes: values a YAML file may hold once its aliases are expanded.
    :param xlsx_bytes: uncompressed size of a workbook (all its parts together).
    :param xlsx_rows: rows of a workbook's first sheet.
    :param csv_field_chars: characters in one CSV cell.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    yaml_depth: int = Field(64, ge=1, le=200)  # the YAML composer recurses per level
    yaml_nodes: int = Field(500_000, ge=1)
    xlsx_bytes: int = Field(200_000_000, ge=1)
    xlsx_rows: int = Field(300_000, ge=1)
    csv_field_chars: int = Field(131_072, ge=1)


DEFAULT_LIMITS = Limits()
