"""YAML loading that remembers where every value came from.

``load_yaml`` returns a :class:`Source`: the plain Python data plus the line of
each value, addressed by its path (``("departments", 3, "duties")``).  Pydantic
reports errors by the same kind of path, so any later check can say
``plans/company.yaml:42: departments[3].duties: …``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import DataError, Problem, relative

Path_ = tuple[Any, ...]


def format_path(path: Path_) -> str:
    """``("departments", 3, "duties")`` → ``departments[3].duties``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class Source:
    """Data loaded from one file and the line of each of its values.

    :param file: the file's name as shown to users (workspace-relative).
    :param data: the plain Python value (dicts, lists, str, int, float, date …).
    :param lines: line (1-based) of each value by its path; ``()`` is the document.
    """

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` or, failing that, of its nearest located parent."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def problem(self, path: Path_, message: str, severity: str = "error") -> Problem:
        """A :class:`Problem` located at ``path`` in this file."""
        return Problem(self.file, self.line(path), format_path(path), message, severity)

    def sub(self, prefix: Path_) -> "Source":
        """The part of this source under ``prefix``, with paths made relative to it."""
        node: Any = self.data
        for part in prefix:
            node = node[part]
        n = len(prefix)
        lines = {p[n:]: ln for p, ln in self.lines.items() if p[:n] == tuple(prefix)}
        return Source(self.file, node, lines)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (``2026-13-01``) stay text for a located message."""


_yaml_timestamp = yaml.SafeLoader.yaml_constructors["tag:yaml.org,2002:timestamp"]


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError (no mark) for a date-shaped impossible date
    try:
        return _yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark)
            out[key] = _construct(loader, value_node, path + (key,), lines)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, path + (i,), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> Source:
    """Parse YAML text; a syntax error becomes one located :class:`DataError`."""
    lines: dict[Path_, int] = {}
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = _construct(loader, node, (), lines) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        what = e.problem or e.context or "invalid YAML"
        if e.context and e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            what += f" ({e.context} started at line {e.context_mark.line + 1})"
        raise DataError("", [Problem(file, line, "", f"invalid YAML: {what}")]) from e
    except yaml.YAMLError as e:
        raise DataError("", [Problem(file, None, "", f"invalid YAML: {e}")]) from e
    if data is None:
        data = {}
    return Source(file, data, lines)


def load_yaml(path: Path, root: Path | None = None) -> Source:
    """Read and parse a YAML file, naming it relative to ``root`` in messages."""
    name = relative(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise DataError("", [Problem(name, None, "", "file not found")]) from e
    except UnicodeDecodeError as e:
        raise DataError("", [Problem(name, None, "", f"not UTF-8 text ({e.reason})")]) from e
    except OSError as e:
        raise DataError("", [Problem(name, None, "", f"cannot read: {e.strerror}")]) from e
    return parse_yaml(text, name)


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date)
