"""The supervisor's scores: ``ledgers/<YYYY-MM>/appraisal.csv`` or ``appraisal.xlsx``.

One row per person (業務員: id or name), one column per supervisor-rated scorecard item,
headed by the item's name (銷售人員行為紀律) or key (discipline).  A blank cell is an item not
scored yet (待評 on the card); a number must lie between 0 and the item's weight.  Read with
the one table reader (:mod:`docgen.data.tables`), so encodings, title lines and messages are the ledgers'
(``file:row:column: field: message``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from docgen.data.ledger import SALES_COLUMNS
from docgen.data.limits import DEFAULT_LIMITS, Limits
from docgen.data.tables import Row, Sheet, blank, fold, lookup
from docgen.data.values import parse_amount
from docgen.errors import Problem
from docgen.plan.appraisal import ItemRule

__all__ = ["Scores", "read_scores"]

#: person id → item key → points given
Scores = dict[str, dict[str, Decimal]]


def read_scores(path: Path | str, items: Sequence[ItemRule], known_people: Mapping[str, str],
                display_name: str | None = None, root: Path | None = None,
                limits: Limits = DEFAULT_LIMITS) -> tuple[Scores, list[Problem]]:
    """Read one month's scores file.

    :param items: the rated items (their names and keys are the accepted column heads).
    :param known_people: every accepted way to name a person (id and name) → its id.
    :param root: the workspace (a file whose link leads out of it is refused); ``limits``: size limits.
    :returns: the scores given and every problem (errors; a rated item without a column is a warning).
    """
    columns = {"salesperson": SALES_COLUMNS["salesperson"], **{i.key: (i.name, i.key) for i in items}}
    sheet = Sheet.open(path, display_name, columns, ("salesperson",), root, limits)
    if sheet.lines is None:
        return {}, sheet.problems
    _check_header(sheet, items, columns)
    weights = {i.key: i.weight for i in items}
    scores: Scores = {}
    first_row: dict[str, int] = {}
    for row, cells in sheet.lines:
        at = Row(sheet, row, cells)
        person = at.get("salesperson", lambda v: lookup(v, known_people, "salesperson"))
        given = {key: at.get(key, partial(_points, weight=weight)) for key, weight in weights.items()}
        if at.failed or person is None:
            continue
        if person in first_row:
            sheet.problems.append(Problem(sheet.name, row, "salesperson",
                                          f"{person} is scored twice (first on row {first_row[person]}): keep one row",
                                          column=sheet.header["salesperson"]))
            continue
        first_row[person] = row
        scores[person] = {key: value for key, value in given.items() if value is not None}
    return scores, sheet.problems


def _check_header(sheet: Sheet, items: Sequence[ItemRule], columns: dict[str, tuple[str, ...]]) -> None:
    """A column that is no rated item is an error (a misspelt head would leave its item 待評 unseen)."""
    accepted = {fold(n) for names in columns.values() for n in names}
    for cell in sheet.header_cells:
        if not blank(cell) and fold(cell) not in accepted:
            names = "、".join(i.name for i in items)
            sheet.problems.append(Problem(sheet.name, sheet.header_row, "",
                                          f"unknown column {str(cell).strip()!r}: the rated items are {names}"))
    for item in items:
        if item.key not in sheet.index:
            sheet.problems.append(Problem(sheet.name, sheet.header_row, item.key,
                                          f"no column for {item.name}: every card shows it as 待評",
                                          severity="warning"))


def _points(value: Any, weight: Decimal) -> Decimal | None:
    points = parse_amount(value)
    if points is not None and not 0 <= points <= weight:
        raise ValueError(f"points must be between 0 and {weight.normalize():f}, got {points}")
    return points
