"""YAML loading that remembers where every value came from.

``load_yaml`` returns a :class:`Source`: the plain Python data plus the line of
each value, addressed by its path (``("departments", 3, "duties")``).  Pydantic
reports errors by the same kind of path, so any later check can say
``plans/company.yaml:42: departments[3].duties: …``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docgen.data.files import decode_utf8, read_input
from docgen.data.limits import DEFAULT_LIMITS, Limits
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
        return self.lines.get((), 1)  # an empty file: its first line

    def problem(self, path: Path_, message: str, severity: str = "error") -> Problem:
        """A :class:`Problem` located at ``path`` in this file."""
        return Problem(self.file, self.line(path), format_path(path), message, severity)

    def sub(self, prefix: Path_) -> Source:
        """The part of this source under ``prefix``, with paths made relative to it."""
        node: Any = self.data
        for part in prefix:
            node = node[part]
        n = len(prefix)
        lines = {p[n:]: ln for p, ln in self.lines.items() if p[:n] == tuple(prefix)}
        return Source(self.file, node, lines)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses nesting deeper than ``limits.yaml_depth`` and keeps impossible
    dates (``2026-13-01``) as text for a located message."""

    def __init__(self, text: str, limits: Limits) -> None:
        super().__init__(text)
        self.limits = limits
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        # PyYAML composes recursively: 50,000 nested "[" would end in a RecursionError; and it
        # holds every node before any is built, so a huge file is stopped here too
        self.depth += 1
        self.nodes += 1
        try:
            line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]  # untyped in the stubs
            if self.depth > self.limits.yaml_depth:
                raise _Refused(f"nested deeper than {self.limits.yaml_depth} levels "
                               f"(limits.yaml_depth in {_CONFIG})", line)
            if self.nodes > self.limits.yaml_nodes:
                raise _Refused(_too_many(self.limits), line)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Refused(Exception):
    """YAML that is valid but that docgen will not build (a limit passed, a value holding itself)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


_CONFIG = "docgen.yaml"


def _too_many(limits: Limits) -> str:
    return f"more than {limits.yaml_nodes:,} values once aliases are expanded (limits.yaml_nodes in {_CONFIG})"
_yaml_timestamp = yaml.SafeLoader.yaml_constructors["tag:yaml.org,2002:timestamp"]


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError (no mark) for a date-shaped impossible date
    try:
        return _yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


class _Builder:
    """Builds plain data from the node graph, noting each value's line.

    An alias is the same node as its anchor: it is built once and shared (as ``yaml.safe_load``
    does), never walked again, so nine levels of nine aliases cost 81 nodes, not 9⁹.  The
    expanded size is still counted against ``limits.yaml_nodes``: later checks walk the data.
    """

    def __init__(self, loader: _Loader, lines: dict[Path_, int]) -> None:
        self.loader = loader
        self.lines = lines
        self.built: dict[int, tuple[Any, int]] = {}   # id(node) → (value, expanded node count)
        self.building: set[int] = set()               # the nodes being built: the current path
        self.total = 0

    def build(self, node: yaml.Node, path: Path_, key_line: int | None = None) -> tuple[Any, int]:
        if id(node) in self.built or id(node) in self.building:
            # an alias: the node is its anchor's, so it is located at its key, else its parent
            line = key_line or (self.lines[path[:-1]] if path else node.start_mark.line + 1)
            if id(node) in self.building:  # later checks and templates would walk it forever
                raise _Refused("this value holds an alias of itself", line)
            self.lines[path] = line
            value, size = self.built[id(node)]
            self._count(size, line)
            return value, size
        self.lines[path] = node.start_mark.line + 1
        self.building.add(id(node))
        if isinstance(node, yaml.MappingNode):
            value, size = self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            value, size = [], 1
            for i, item in enumerate(node.value):
                child, n = self.build(item, (*path, i))
                value.append(child)
                size += n
        else:
            value, size = self.loader.construct_object(node, deep=True), 1
        self.building.discard(id(node))
        self._count(1, node.start_mark.line + 1)
        self.built[id(node)] = (value, size)
        return value, size

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> tuple[dict[Any, Any], int]:
        self.loader.flatten_mapping(node)
        value: dict[Any, Any] = {}
        size = 1
        for key_node, value_node in node.value:
            key = self.loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark)
            value[key], n = self.build(value_node, (*path, key), key_node.start_mark.line + 1)
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            size += n
        return value, size

    def _count(self, size: int, line: int) -> None:
        self.total += size
        if self.total > self.loader.limits.yaml_nodes:
            raise _Refused(_too_many(self.loader.limits), line)


def parse_yaml(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Parse YAML text; a syntax error or an exceeded limit becomes one located :class:`DataError`."""
    lines: dict[Path_, int] = {}
    try:
        loader = _Loader(text, limits)
        try:
            node = loader.get_single_node()
            data = _Builder(loader, lines).build(node, ())[0] if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        what = e.problem or e.context or "invalid YAML"
        if e.context and e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            what += f" ({e.context} started at line {e.context_mark.line + 1})"
        raise DataError("", [Problem(file, line, "", f"invalid YAML: {what}")]) from e
    except _Refused as e:
        raise DataError("", [Problem(file, e.line, "", str(e))]) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        raise DataError("", [Problem(file, line, "", f"invalid YAML: character U+{e.character:04X} "
                                                     "is not allowed in YAML text")]) from e
    except yaml.YAMLError as e:
        raise DataError("", [Problem(file, None, "", f"invalid YAML: {e}")]) from e
    if data is None:
        data = {}
    return Source(file, data, lines)


def load_yaml(path: Path, root: Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Read and parse a YAML file, naming it relative to ``root`` in messages."""
    name = relative(path, root)
    return parse_yaml(decode_utf8(read_input(path, root, name), name), name, limits)
