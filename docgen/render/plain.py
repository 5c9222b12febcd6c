"""Plain, read-only data for templates: what a template author may reach.

Document contexts are built from pydantic models and dataclasses; their classes
carry methods that construct and load (``parse_raw(..., proto="pickle")`` runs
code).  :func:`freeze` copies a context into values without such methods before
any template sees it: models and dataclasses become :class:`Record` mappings of
their public fields and properties, dicts become :class:`Record`, lists tuples,
sets frozensets; strings, numbers, dates and ``None`` stay as they are.  Any
other type is a programming error and raises, so nothing slips through unseen.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from enum import Enum
from functools import cached_property
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

SCALARS = (str, int, float, bool, Decimal, dt.date, dt.time, dt.timedelta, type(None))


class Record(Mapping[Any, Any]):
    """A read-only mapping; templates read ``r.name`` and ``r["name"]`` alike.

    It has no methods besides the mapping's own (``items``, ``keys``, ``values``,
    ``get``), and a key shadows them in templates (see ``PlainSandbox.getattr``).
    """

    __slots__ = ("_data",)
    _data: dict[Any, Any]

    def __init__(self, data: Mapping[Any, Any]) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Record is read-only")

    def __repr__(self) -> str:
        return f"Record({self._data!r})"

    def __reduce__(self) -> tuple[type, tuple[dict[Any, Any]]]:
        return Record, (self._data,)


def _properties(cls: type) -> list[str]:
    """Public properties defined by docgen's own classes (pydantic's are machinery, not data)."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("docgen."):
            continue
        for name, member in vars(klass).items():
            if isinstance(member, (property, cached_property)) and not name.startswith("_") and name not in names:
                names.append(name)
    return names


def _fields(obj: Any) -> dict[str, Any]:
    is_model = isinstance(obj, BaseModel)
    names = list(type(obj).model_fields) if is_model else [f.name for f in dataclasses.fields(obj)]
    names = [n for n in names if not n.startswith("_")] + _properties(type(obj))
    return {name: getattr(obj, name) for name in names}


def freeze(value: Any, _memo: dict[int, tuple[Any, Any]] | None = None) -> Any:
    """``value`` as plain read-only data (see the module text); raises ``TypeError`` for other types."""
    memo = {} if _memo is None else _memo
    if isinstance(value, Enum):
        return freeze(value.value, memo)
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, PurePath):
        return str(value)
    if id(value) in memo:  # shared objects (a person in many rows) are frozen once
        return memo[id(value)][1]
    if isinstance(value, BaseModel) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        frozen: Any = Record({k: freeze(v, memo) for k, v in _fields(value).items()})
    elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple keeps its field names
        frozen = Record({k: freeze(v, memo) for k, v in zip(value._fields, value, strict=True)})
    elif isinstance(value, Mapping):
        frozen = Record({freeze(k, memo): freeze(v, memo) for k, v in value.items()})
    elif isinstance(value, (list, tuple)):
        frozen = tuple(freeze(v, memo) for v in value)
    elif isinstance(value, (set, frozenset)):
        frozen = frozenset(freeze(v, memo) for v in value)
    else:
        raise TypeError(f"a template may not receive a {type(value).__module__}.{type(value).__qualname__}")
    memo[id(value)] = (value, frozen)  # keep ``value`` alive so its id is not reused
    return frozen
