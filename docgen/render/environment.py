"""The sandboxed Jinja environment and the template search chain.

Templates are written by region staff and run on the machine that builds
month-end, so the sandbox is an allow-list: a template reads plain data (see
:mod:`docgen.render.plain`), calls filters, tests, macros and the few methods in
:data:`SAFE_ATTRIBUTES`, and nothing else.

Templates are looked up in an ordered list of folders: the region's, the
workspace's, the built-ins.  A name prefixed ``builtin/`` reaches the built-in
template directly, so an override can extend the very template it replaces and
change one block: ``{% extends "builtin/charter.html.j2" %}``.
"""
from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.filters import _GroupTuple
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from docgen.errors import Problem, TemplateError
from docgen.render.filters import make_filters

BUILTIN_PREFIX = "builtin/"


class LinkOutside(jinja2.TemplateNotFound):
    """A template name leads, through a symlink, out of the template folders."""

    def __init__(self, name: str, path: Path, target: Path) -> None:
        super().__init__(name)
        self.path, self.target = path, target


class ChainLoader(jinja2.BaseLoader):
    """Find a template in the first folder of ``chain`` that has it.

    Every path is resolved (symlinks followed) and must stay inside one of the
    chain's folders: a link to ``/etc/passwd``, or a linked folder leading out,
    is refused with :class:`LinkOutside`, never read.

    :param chain: folders, most specific first; the last is the built-ins.
    """

    def __init__(self, chain: list[Path]) -> None:
        self.chain = [Path(p) for p in chain]
        self._real = [p.resolve() for p in self.chain]

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (resolved) lies in one of the chain's folders."""
        real = path.resolve()
        return any(real.is_relative_to(folder) for folder in self._real)

    def locate(self, name: str) -> Path:
        """The file ``name`` resolves to, or :class:`jinja2.TemplateNotFound` (:class:`LinkOutside`)."""
        folders = self.chain
        if name.startswith(BUILTIN_PREFIX):
            name, folders = name[len(BUILTIN_PREFIX):], self.chain[-1:]
        pieces = split_template_path(name)  # refuses "..", so no escaping the folders by name
        for folder in folders:
            candidate = folder.joinpath(*pieces)
            if not (candidate.is_file() or candidate.is_symlink()):
                continue
            if not self.inside(candidate):
                raise LinkOutside(name, candidate, candidate.resolve())
            if candidate.is_file():
                return candidate
        raise jinja2.TemplateNotFound(name)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.locate(template)
        text = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime

    def list_templates(self) -> list[str]:
        """Every name :meth:`locate` can serve (links leading out are left out)."""
        names: set[str] = set()
        for folder in self.chain:
            for path in folder.rglob("*"):  # does not descend into linked folders
                if path.is_file() and self.inside(path):
                    names.add(path.relative_to(folder).as_posix())
        return sorted(names)


_STR = frozenset({
    "capitalize", "count", "endswith", "find", "isdigit", "join", "lower", "lstrip", "replace", "rsplit",
    "rstrip", "split", "splitlines", "startswith", "strip", "title", "upper",
})  # no format/format_map: format strings reach attributes
_DATE = frozenset({"year", "month", "day", "isoformat", "isoweekday", "weekday", "strftime"})

#: type → attributes a template may read (and, for methods, call); anything else is refused.
SAFE_ATTRIBUTES: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (Mapping, frozenset({"items", "keys", "values", "get"})),
    (Markup, _STR | {"striptags", "unescape"}),
    (str, _STR),
    (_GroupTuple, frozenset({"grouper", "list", "count", "index"})),  # what ``|groupby`` yields
    ((tuple, list), frozenset({"count", "index"})),
    (dt.datetime, _DATE | {"hour", "minute", "second", "date"}),
    (dt.date, _DATE),
    (LoopContext, frozenset({"changed", "cycle", "depth", "depth0", "first", "index", "index0", "last",
                             "length", "nextitem", "previtem", "revindex", "revindex0"})),
    (Cycler, frozenset({"current", "next", "reset"})),
)
#: objects templates may call besides filters, tests and the methods above (calling an
#: undefined value raises its own "has no attribute" message, which says more than "unsafe").
_CALLABLE_TYPES = (Macro, LoopContext, BlockReference, Joiner, jinja2.Undefined)


#: the largest string or sequence ``*`` may make, and the largest integer ``**`` may make (in bits):
#: far above any document, far below what would exhaust a worker.
MAX_REPEAT = 1_000_000
MAX_POWER_BITS = 100_000


class PlainSandbox(SandboxedEnvironment):
    """A sandbox that allows what :data:`SAFE_ATTRIBUTES` lists and refuses everything else."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _repeat_size(left, right) > MAX_REPEAT:
            raise jinja2.exceptions.SecurityError(f"'*' would make more than {MAX_REPEAT:,} items")
        if (operator == "**" and isinstance(left, int) and isinstance(right, int)
                and right * max(abs(left), 1).bit_length() > MAX_POWER_BITS):
            raise jinja2.exceptions.SecurityError(f"'**' would make a number of more than {MAX_POWER_BITS:,} bits")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, Namespace):  # ``namespace()`` holds what the template itself stored
            return True
        return any(isinstance(obj, kind) and attr in names for kind, names in SAFE_ATTRIBUTES)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, _CALLABLE_TYPES):
            return True
        if isinstance(obj, (types.MethodType, types.BuiltinMethodType)):
            owner = getattr(obj, "__self__", None)
            return owner is not None and self.is_safe_attribute(owner, obj.__name__, obj)
        return any(obj is f for f in self._callables())

    def _callables(self) -> list[Any]:
        defaults = [self.globals.get(name) for name in ("range", "dict", "lipsum", "cycler", "joiner", "namespace")]
        return [*defaults, *self.filters.values(), *self.tests.values()]

    def getattr(self, obj: Any, attribute: str) -> Any:
        # a record's key wins over a mapping method of the same name: ``card.items`` is data
        if isinstance(obj, Mapping) and isinstance(attribute, str) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> None:
        # str.format is not on the allow-list at all, so Jinja's sandboxed wrapper is not needed
        return None


def _repeat_size(left: Any, right: Any) -> int:
    """How many items ``left * right`` makes when it repeats a string or sequence (else 0)."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, tuple, list)) and isinstance(times, int):
            return len(seq) * times
    return 0


def make_environment(chain: list[Path], unit: str, globals_: dict[str, Any] | None = None) -> PlainSandbox:
    """A sandboxed, strict, autoescaping environment over ``chain``."""
    env = PlainSandbox(
        loader=ChainLoader(chain),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(make_filters(unit))
    env.globals.update(globals_ or {})
    return env


def _template_frame(tb: TracebackType | None, roots: list[Path]) -> tuple[str, int] | None:
    """The innermost traceback frame that is template code: (file, line)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(str(r)) for r in roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(env: PlainSandbox, name: str, context: Mapping[str, Any],
                    shown: Callable[[str], str] = str) -> str:
    """Render ``name`` with ``context``; any failure is a :class:`TemplateError` naming file and line.

    :param shown: turns an absolute template path into what users see (workspace-relative).
    """
    loader: ChainLoader = env.loader  # type: ignore[assignment]
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as e:
        where = shown(e.filename or name)
        raise TemplateError("", [Problem(where, e.lineno, "", f"template syntax error: {e.message}")]) from e
    except LinkOutside as e:
        frame = _template_frame(sys.exc_info()[2], loader.chain)
        what = (f"template error: {e.name} is a link to {e.target}, outside the template folders; "
                f"templates may not read files elsewhere")
        if frame is None:
            link = f"{shown(str(e.path.parent))}/{e.path.name}"  # the link itself, not where it leads
            raise TemplateError("", [Problem(link, None, "", what)]) from e
        raise TemplateError("", [Problem(shown(frame[0]), frame[1], "", what)]) from e
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"template not found: {e.name} (searched: "
                            f"{', '.join(shown(str(p)) for p in loader.chain)})") from e
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, jinja2.TemplateRuntimeError, TypeError,
            ValueError, AttributeError, KeyError, ArithmeticError, RecursionError) as e:
        frame = _template_frame(sys.exc_info()[2], loader.chain)
        kind = "unsafe operation blocked" if isinstance(e, jinja2.exceptions.SecurityError) else "error"
        what = _RECURSION if isinstance(e, RecursionError) else str(e)
        if frame is None:
            raise TemplateError(f"{name}: template {kind}: {what}") from e
        raise TemplateError("", [Problem(shown(frame[0]), frame[1], "", f"template {kind}: {what}")]) from e


_RECURSION = "endless recursion (a macro that calls itself, or a template that includes itself)"
