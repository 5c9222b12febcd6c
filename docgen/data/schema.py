"""JSON Schema of the plan files, for editor completion and ``docgen schema``.

One document describes every kind of plan file; each kind is a ``$defs`` entry and
``x-docgen-files`` says which files it applies to.  A YAML editor can use the whole
document (its top level accepts a company or a region file) or one kind through
:func:`plan_schema`'s ``kind``.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from docgen.data.loading import CUSTOMER_COLUMNS
from docgen.data.models import CompanyPlan, Customer, RegionPlan, Rules

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# file kind → (model, the files it describes)
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "company": (CompanyPlan, "plans/<year>/company.yaml"),
    "region": (RegionPlan, "plans/<year>/regions/<region id>.yaml"),
    "customer": (Customer, "one row of plans/<year>/customers/*.csv or *.xlsx"),
    "rules": (Rules, "rules: in docgen.yaml"),
}


def plan_schema(kind: str | None = None) -> dict[str, Any]:
    """The JSON Schema of the plan files, or of one ``kind`` (company, region, customer, rules).

    :raises KeyError: for an unknown kind.
    """
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(KINDS[k][0], "validation")
                                                            for k in ([kind] if kind else KINDS)]
    refs, defs = models_json_schema(models, ref_template="#/$defs/{model}")
    schema: dict[str, Any] = {"$schema": DIALECT, **defs}
    _describe_columns(schema["$defs"])
    if kind:
        name = KINDS[kind][0].__name__
        schema.update(schema["$defs"].pop(name))
        schema["title"] = f"docgen {kind} file: {KINDS[kind][1]}"
        rebased: dict[str, Any] = _rebase(schema, name)
        return rebased
    schema["title"] = "docgen plan files"
    schema["anyOf"] = [refs[(CompanyPlan, "validation")], refs[(RegionPlan, "validation")]]
    schema["x-docgen-files"] = {path: refs[(model, "validation")] for model, path in KINDS.values()}
    return schema


def _describe_columns(defs: dict[str, Any]) -> None:
    """Name the accepted header of each customer column in its description."""
    customer = defs.get("Customer")
    if not customer:
        return
    for field, headers in CUSTOMER_COLUMNS.items():
        prop = customer["properties"][field]
        note = "column: " + " / ".join(headers)
        prop["description"] = f"{prop['description']} ({note})" if "description" in prop else note


def _rebase(node: Any, name: str) -> Any:
    """After inlining ``$defs[name]`` at the top, point its self-references at ``#``."""
    if isinstance(node, dict):
        return {k: ("#" if k == "$ref" and v == f"#/$defs/{name}" else _rebase(v, name))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v, name) for v in node]
    return node


__all__ = ["KINDS", "plan_schema"]
