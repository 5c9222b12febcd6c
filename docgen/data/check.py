"""Turn pydantic validation into located problems, all at once.

Models are declared with ``extra="forbid"`` so that pydantic names unknown keys;
here those become warnings (errors with ``strict``), and every other failure an
error at the file and line the value came from.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

import pydantic
from pydantic_core import ErrorDetails

from docgen.data.yamlsrc import Source, format_path
from docgen.errors import Problem

M = TypeVar("M", bound=pydantic.BaseModel)

_UNKNOWN_KEY = "unknown key"
_IGNORED_KEY = "unknown key (ignored)"

_TYPE_NAMES = {
    int: "a number", float: "a number", str: "a string", bool: "true or false",
    list: "a list", dict: "a mapping", type(None): "nothing",
}


def describe(value: Any) -> str:
    """How a bad value reads in a message: ``a number``, ``a list`` …"""
    for t, name in _TYPE_NAMES.items():
        if type(value) is t:
            return name
    return type(value).__name__


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "list_type":
        return f"expected a list, got {describe(got)}"
    if kind in ("string_type",):
        return f"expected a string, got {describe(got)}"
    if kind in ("int_type", "int_parsing", "float_type", "float_parsing", "decimal_parsing", "decimal_type"):
        return f"expected a number, got {describe(got) if not isinstance(got, str) else repr(got)}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return f"expected a date like 2026-05-08, got {got!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {describe(got)}"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic adds the tag of a union member or a function-validator name; drop them
    return tuple(p for p in loc if not (isinstance(p, str) and (p.startswith("function-") or "[" in p)))


def check(model: type[M], source: Source, strict: bool = False,
          context: dict[str, Any] | None = None) -> tuple[M | None, list[Problem]]:
    """Validate ``source.data`` as ``model``; return it (or ``None``) and every problem.

    Unknown keys are warnings unless ``strict``; in that case they are errors.
    """
    problems: list[Problem] = []
    data = source.data
    try:
        return model.model_validate(data, context=context), problems
    except pydantic.ValidationError as e:
        errors = e.errors(include_url=False)
    extras = [err for err in errors if err["type"] == "extra_forbidden"]
    others = [err for err in errors if err["type"] != "extra_forbidden"]
    for err in extras:
        loc = _clean_loc(err["loc"])
        problems.append(source.problem(loc, _UNKNOWN_KEY if strict else _IGNORED_KEY, "error" if strict else "warning"))
    for err in others:
        loc = _clean_loc(err["loc"])
        problems.append(source.problem(loc, _message(err)))
    if others or strict:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.field))
    stripped = _strip(data, [_clean_loc(err["loc"]) for err in extras])
    try:
        return model.model_validate(stripped, context=context), problems
    except pydantic.ValidationError as e:  # pragma: no cover - stripping only removes keys
        problems.extend(source.problem(_clean_loc(x["loc"]), _message(x)) for x in e.errors())
        return None, problems


def strictly(problems: list[Problem]) -> list[Problem]:
    """``problems`` of a lenient :func:`check` as a strict one states them: an ignored unknown key is an error."""
    return [replace(p, message=_UNKNOWN_KEY, severity="error") if (p.message, p.severity) == (_IGNORED_KEY, "warning")
            else p for p in problems]


def _strip(data: Any, paths: list[tuple[Any, ...]]) -> Any:
    import copy

    data = copy.deepcopy(data)
    for path in paths:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            del node[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return data


__all__ = ["check", "describe", "format_path", "strictly"]
