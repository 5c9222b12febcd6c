"""``docgen templates vars DOC``: what a document's template receives, described from a real context.

The context is built for the example workspace (the one ``docgen init`` copies) exactly as a render builds
it, frozen to template data (:func:`docgen.render.plain.freeze`), then walked: every name with its type and
an example value.  So the description is the code's, never a hand-written list that drifts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from docgen.documents import Target, get
from docgen.errors import ConfigError
from docgen.workspace import Workspace, example_workspace

MAX_KEYS = 40  # a record with more keys is a table keyed by id: show a few
EXAMPLE_WIDTH = 48


def example_target(ws: Workspace, doc_id: str) -> Target:
    """An instance of ``doc_id`` the example workspace has data for, a region's where there is one."""
    from docgen.build import due_targets

    doc = get(doc_id)
    targets = [t for t in due_targets(ws) if t.doc_id == doc.id]
    if not targets:
        raise ConfigError(f"the example workspace has no {doc_id} to describe")
    return next((t for t in targets if t.region), targets[0])


def context_of(doc_id: str) -> tuple[Target, Mapping[str, Any]]:
    """The frozen template context of ``doc_id`` in the example workspace."""
    from docgen.build.jobs import make_job

    ws = Workspace.open(example_workspace())
    target = example_target(ws, doc_id)
    return target, make_job(ws, target).context


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float, Decimal)):
        return "number" if isinstance(value, float) else "decimal"
    if isinstance(value, dt.datetime):
        return "date-time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "none"
    if isinstance(value, Mapping):
        return f"record ({len(value)} keys)"
    if isinstance(value, tuple):
        return f"list ({len(value)})"
    if isinstance(value, frozenset):
        return f"set ({len(value)})"
    return type(value).__name__


def describe(value: Any, path: str = "", depth: int = 0, max_depth: int = 6) -> list[tuple[str, str, str]]:
    """``(name, type, example)`` rows for ``value`` and, below it, its fields and its lists' first items."""
    rows: list[tuple[str, str, str]] = []
    if path:
        example = "" if isinstance(value, (Mapping, tuple, frozenset)) else _example(value)
        rows.append((path, type_name(value), example))
    if depth >= max_depth:
        return rows
    if isinstance(value, Mapping):
        keys = list(value)
        for key in keys[:MAX_KEYS if len(keys) <= MAX_KEYS else 3]:
            rows += describe(value[key], f"{path}.{key}" if path else str(key), depth + 1, max_depth)
        if len(keys) > MAX_KEYS:
            rows.append((f"{path}.…", "", f"{len(keys) - 3} more keys like these"))
    elif isinstance(value, tuple) and value:
        rows += describe(value[0], f"{path}[]", depth + 1, max_depth)[1:] if isinstance(value[0], Mapping) \
            else [(f"{path}[]", type_name(value[0]), _example(value[0]))] if not isinstance(value[0], tuple) \
            else describe(value[0], f"{path}[]", depth + 1, max_depth)
    return rows


def _example(value: Any) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= EXAMPLE_WIDTH else text[:EXAMPLE_WIDTH - 1] + "…"


def vars_lines(doc_id: str) -> list[str]:
    """The lines ``docgen templates vars DOC`` prints."""
    doc = get(doc_id)
    target, context = context_of(doc.id)
    rows = describe(context)
    width = max(len(name) for name, _, _ in rows) + 2
    lines = [f"# {doc.id} ({doc.title}), template {doc.template}: its context for {target.label()} in the example "
             "workspace; lists show their first item ([])", f"{'name':<{width}}{'type':<18}example"]
    lines += [f"{name:<{width}}{kind:<18}{example}".rstrip() for name, kind, example in rows]
    return lines
