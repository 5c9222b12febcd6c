"""The domain and documents layers import downward only (issue 15).

``docgen.plan`` is pure arithmetic: it may read the data models and the error types, nothing above
them.  ``docgen.documents`` may use of ``docgen.render`` only its declared surface: the ``cdate``
filter, the chart builders and the ``Picture`` they return.  ``validate`` takes its checks from
``documents.checks``, never from a document module.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOCGEN = Path(__file__).resolve().parent.parent / "docgen"

#: what documents/ may import from render/, and why: pictures are made where their figures are
RENDER_SURFACE = {"docgen.render.filters", "docgen.render.charts", "docgen.render.document"}


def imports(path: Path) -> set[str]:
    """Every docgen module ``path`` imports (at any depth: a function-level import is an import too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docgen"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("docgen"))
    return found


@pytest.mark.parametrize("path", sorted((DOCGEN / "plan").glob("*.py")), ids=lambda p: p.name)
def test_plan_imports_only_the_data_models_and_itself(path: Path) -> None:
    above = {m for m in imports(path) if not m.startswith(("docgen.plan", "docgen.data", "docgen.errors"))}
    assert above == set()


@pytest.mark.parametrize("path", sorted((DOCGEN / "documents").glob("*.py")), ids=lambda p: p.name)
def test_documents_use_only_the_declared_render_surface(path: Path) -> None:
    used = {m for m in imports(path) if m.startswith("docgen.render")}
    assert used <= RENDER_SURFACE
    assert not {m for m in imports(path) if m.startswith(("docgen.build", "docgen.cli", "docgen.validate"))}


def test_validate_calls_down_into_the_checks_not_into_documents() -> None:
    used = imports(DOCGEN / "validate.py")
    assert "docgen.documents.checks" in used
    assert not used & {"docgen.documents.annual_plan", "docgen.documents.sales_stats",
                       "docgen.documents.year_summary", "docgen.documents.visit_stats"}
