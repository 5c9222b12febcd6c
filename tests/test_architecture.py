"""The layers of docs/architecture.md import downward only, and no two packages import each other.

Every ``import`` of a docgen module counts, including those inside functions (a late import is still a
dependency; it only hides it from a reader) and under ``if TYPE_CHECKING:`` (an annotation that names a higher
layer is knowledge of it). Known violations are listed in KNOWN_UPWARD and KNOWN_CYCLES, each with the reason; an
entry that no longer occurs fails the test too, so the lists only shrink.
"""
from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Module (or package prefix) → layer. The longest matching prefix wins; a module under no entry fails the test, so a
# new module is placed deliberately (and in docs/architecture.md's table).
LAYER_OF: dict[str, str] = {
    "docgen": "base",  # the package itself: its version
    "docgen.errors": "base",
    "docgen.plan.units": "base",  # the display-unit value type (issue 15 part 2): the writers format money with it
    "docgen.plan.fiscal": "base",  # the fiscal-year value type (issue 10): the loader maps a plan's months with it
    "docgen.data": "data",
    "docgen.workspace": "data",
    "docgen.plan": "plan",
    "docgen.documents": "documents",
    "docgen.validate": "documents",
    "docgen.render": "render",
    "docgen.build": "build",
    "docgen.limits": "build",
    "docgen.forkserver": "build",
    "docgen.__main__": "cli",
    "docgen.cli": "cli",
    "docgen.catalog": "cli",
    "docgen.preview": "cli",
    "docgen.doctor": "cli",
    "docgen.completion": "cli",
    "docgen.progress": "cli",
    "docgen.template_vars": "cli",
    "docgen.blank": "cli",
}

# Layer → the other layers it may import. render knows nothing of the plan, the documents or the build: it turns a
# rendered document into bytes. plan is the domain: pure arithmetic over value types (plan/lines.py, the settings
# models) and Protocols, importing nothing; data reads files into those types, so it sits above plan although it
# runs first in the pipeline.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "base": frozenset(),
    "plan": frozenset({"base"}),
    "data": frozenset({"base", "plan"}),
    "render": frozenset({"base"}),
    "documents": frozenset({"base", "data", "plan", "render"}),
    "build": frozenset({"base", "data", "plan", "render", "documents"}),
    "cli": frozenset({"base", "data", "plan", "render", "documents", "build"}),
}

# Packages (a docgen subpackage or top-level module) that import each other, directly or round a longer loop.
KNOWN_CYCLES: dict[frozenset[str], str] = {
    frozenset({"data", "workspace"}): "workspace.py is the data layer's root: it reads docgen.yaml with data's "
                                      "parsers, and data's loaders take the Workspace",
}


@dataclass(frozen=True)
class Import:
    """One import of a module of the checked package: where it is written and what it names."""

    file: str  # relative to the folder that holds the package, with forward slashes
    line: int
    importer: str
    imported: str


def module_names(package_dir: Path) -> dict[str, Path]:
    """Every module of the package at ``package_dir``, by dotted name."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def imports_in(package_dir: Path, skip: Iterable[str] = ()) -> list[Import]:
    """Every import of one of the package's own modules, anywhere in its modules (function bodies included).

    ``from P import x`` names ``P.x`` when that is a module, else ``P``. Modules under a ``skip`` prefix are not read.
    """
    modules = module_names(package_dir)
    package = package_dir.name
    found = []
    for name, path in modules.items():
        if any(name == s or name.startswith(s + ".") for s in skip):
            continue
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, name, is_package, modules):
                if target == package or target.startswith(package + "."):
                    file = path.relative_to(package_dir.parent).as_posix()
                    found.append(Import(file, node.lineno, name, target))
    return list(dict.fromkeys(found))  # `from P import a, b` of one module is one import


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool,
             modules: Mapping[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, node.module] if node.module else parts)
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def layer_of(module: str, layers: Mapping[str, str]) -> str | None:
    """The layer of the longest prefix of ``module`` in ``layers``."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        layer = layers.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


def upward_imports(imports: Iterable[Import], layers: Mapping[str, str],
                   may_import: Mapping[str, frozenset[str]]) -> list[tuple[Import, str]]:
    """Each import that crosses to a layer its importer may not import, with the message that says so."""
    broken = []
    for imp in imports:
        source, target = layer_of(imp.importer, layers), layer_of(imp.imported, layers)
        assert source is not None and target is not None, f"{imp.file}: a module in no layer: {imp}"
        if source != target and target not in may_import[source]:
            allowed = ", ".join(sorted(may_import[source]))
            rule = f"may import only {allowed}" if allowed else "may import no other layer"
            message = (f"{imp.file}:{imp.line}: imports {imp.imported} ({target} layer), but the {source} layer "
                       f"{rule} (docs/architecture.md)")
            broken.append((imp, message))
    return broken


def package_of(module: str) -> str:
    """The unit of the cycle check: the subpackage or top-level module (``docgen.data.plan`` → ``data``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_cycles(imports: Iterable[Import]) -> dict[frozenset[str], list[Import]]:
    """Groups of packages that import each other (strongly connected, more than one), with the imports inside each."""
    edges: dict[str, set[str]] = {}
    for imp in imports:
        source, target = package_of(imp.importer), package_of(imp.imported)
        edges.setdefault(target, set())
        if source != target:
            edges.setdefault(source, set()).add(target)
    cycles = {}
    for group in _strongly_connected(edges):
        if len(group) > 1:
            cycles[group] = [i for i in imports if package_of(i.importer) in group and package_of(i.imported) in group
                             and package_of(i.importer) != package_of(i.imported)]
    return cycles


def _strongly_connected(edges: Mapping[str, set[str]]) -> list[frozenset[str]]:
    """Tarjan's algorithm; the graph has a few dozen nodes, so recursion is fine."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: list[str] = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            groups.append(frozenset(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


# The real package. docgen/example and docgen/builtin_templates exist only in an installed wheel (data, no code).
DOCGEN_IMPORTS = imports_in(REPO / "docgen", skip=("docgen.example", "docgen.builtin_templates"))


def test_docgen_has_imports_to_check() -> None:
    # Guards against a checker that reads nothing: docgen's modules import each other hundreds of times.
    assert len(DOCGEN_IMPORTS) > 200
    assert any(i.file == "docgen/cli/common.py" and i.imported == "docgen.workspace" for i in DOCGEN_IMPORTS)


def test_every_module_is_in_a_layer() -> None:
    unplaced = sorted(name for name in module_names(REPO / "docgen")
                      if layer_of(name, LAYER_OF) is None and not name.startswith("docgen.example"))
    assert unplaced == [], "modules in no layer: add them to LAYER_OF here and to docs/architecture.md"


def test_layers_import_only_downward() -> None:
    broken = [message for _, message in upward_imports(DOCGEN_IMPORTS, LAYER_OF, MAY_IMPORT)]
    assert broken == [], "\n".join(broken)


def test_no_import_cycle_between_packages() -> None:
    cycles = package_cycles(DOCGEN_IMPORTS)
    new = {group: found for group, found in cycles.items() if group not in KNOWN_CYCLES}
    assert new == {}, "\n".join(
        f"packages {sorted(group)} import each other: "
        + "; ".join(f"{i.file}:{i.line} imports {i.imported}" for i in found) for group, found in new.items())
    gone = [sorted(group) for group in KNOWN_CYCLES if group not in cycles]
    assert gone == [], f"no longer a cycle (or a different one now); update KNOWN_CYCLES: {gone}"


# The checker itself, on a package small enough to know every answer.
FAKE_LAYERS = {"shop": "low", "shop.money": "low", "shop.report": "high"}
FAKE_RULES = {"low": frozenset[str](), "high": frozenset({"low"})}


@pytest.fixture
def fake_package(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "money/__init__.py": "",
        "money/units.py": "import os\n",
        "money/format.py": """\
            from . import units
            from .units import os


            def total():
                from shop.report import summary  # the wrong way: low imports high, hidden in a function
                return summary
            """,
        "report.py": "from shop.money import format\nimport shop.money.units as units\n",
    }
    for name, text in files.items():
        path = tmp_path / "shop" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path / "shop"


def test_the_checker_reads_every_kind_of_import(fake_package: Path) -> None:
    found = {(i.file, i.line, i.imported) for i in imports_in(fake_package)}
    assert found == {
        ("shop/money/format.py", 1, "shop.money.units"),  # from . import units
        ("shop/money/format.py", 2, "shop.money.units"),  # from .units import os (os is not a module of shop)
        ("shop/money/format.py", 6, "shop.report"),  # inside a function
        ("shop/report.py", 1, "shop.money.format"),
        ("shop/report.py", 2, "shop.money.units"),
    }


def test_the_checker_finds_the_upward_import_and_only_it(fake_package: Path) -> None:
    broken = upward_imports(imports_in(fake_package), FAKE_LAYERS, FAKE_RULES)
    assert [message for _, message in broken] == [
        "shop/money/format.py:6: imports shop.report (high layer), but the low layer may import no other layer "
        "(docs/architecture.md)"
    ]


def test_the_checker_finds_the_cycle(fake_package: Path) -> None:
    cycles = package_cycles(imports_in(fake_package))
    assert list(cycles) == [frozenset({"money", "report"})]
    assert {(i.file, i.line) for i in cycles[frozenset({"money", "report"})]} == {
        ("shop/money/format.py", 6), ("shop/report.py", 1), ("shop/report.py", 2)}
