"""Issue 16 item 1: a template gets plain read-only data and an allow-list sandbox.

Each test performs an attack a region's template author could try and checks that
nothing ran and the render stops with a located message (exit 1, no traceback).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2 import Undefined
from markupsafe import Markup

from docgen.build import due_targets, month_end_targets
from docgen.build.jobs import make_job
from docgen.cli import cli
from docgen.documents import all_documents
from docgen.render.environment import make_environment
from docgen.render.plain import SCALARS, Record
from docgen.workspace import Workspace


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def override(path: Path, body: str, base: str) -> None:
    write(path, f'{{% extends "builtin/{base}" %}}\n{{% block content %}}\n<p>ok</p>\n{body}\n{{% endblock %}}\n')


def render(workspace: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(workspace), "render", *args, "-f", "html"])


def pickle_payload(marker: Path) -> str:
    """The issue's payload: a pickle that runs ``touch MARKER`` when loaded."""
    return f"cos\\nsystem\\n(S'touch {marker}'\\ntR."


@pytest.mark.parametrize("where, doc, extra, expr", [
    ("plans/templates/charter.html.j2", "charter", [], "charter"),
    ("regions/east/templates/annual-plan.html.j2", "annual-plan", ["-r", "east"], "region_plan"),
    ("plans/templates/monthly-plan.html.j2", "monthly-plan", ["-p", "2026-06", "-r", "east"],
     "people[0].person"),
])
def test_pickle_payload_through_a_model_class_method_runs_nothing(workspace, tmp_path, where, doc, extra, expr):
    marker = tmp_path / "pwned"
    base = Path(where).name
    override(workspace / where,
             f'{{{{ {expr}.parse_raw("{pickle_payload(marker)}", proto="pickle", allow_pickle=True) }}}}', base)
    result = render(workspace, doc, *extra)
    assert not marker.exists()
    assert result.exit_code == 1
    assert result.output.startswith(f"{where}:4: template ")
    assert "parse_raw" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("body", [
    '{{ "{0.__class__.__mro__}".format_map(charter) }}',
    '{{ "{0.__class__}".format(charter) }}',
    '{{ "{a.x}" | attr("format_map") }}',
    "{{ charter.model_validate_json('{}') }}",
    "{{ charter.departments[0].copy() }}",
    "{{ doc.prepared_on.fromisoformat('2020-01-01') }}",
    "{{ doc.prepared_on.replace(year=1) }}",
    "{{ charter.departments.__class__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__self__ }}",
])
def test_anything_off_the_allow_list_is_a_located_security_error(workspace, body):
    override(workspace / "plans" / "templates" / "charter.html.j2", body, "charter.html.j2")
    result = render(workspace, "charter")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("plans/templates/charter.html.j2:4: template "), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_recursive_macro_is_a_located_error(workspace):
    override(workspace / "plans" / "templates" / "charter.html.j2",
             "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}", "charter.html.j2")
    result = render(workspace, "charter")
    assert result.exit_code == 1
    assert result.output.startswith("plans/templates/charter.html.j2:4: template error: endless recursion")


def test_template_including_itself_is_a_located_error(workspace):
    write(workspace / "plans" / "templates" / "part.html.j2", "<p>again</p>\n{% include 'part.html.j2' %}\n")
    override(workspace / "plans" / "templates" / "charter.html.j2", "{% include 'part.html.j2' %}",
             "charter.html.j2")
    result = render(workspace, "charter")
    assert result.exit_code == 1
    assert result.output.startswith("plans/templates/part.html.j2:2: template error: endless recursion")
    assert "Traceback" not in result.output


def test_what_templates_really_use_still_works(workspace):
    # methods on the allow-list, Jinja's helpers, and a record key named like a mapping method
    body = ("{% set ns = namespace(n=0) %}{% for k, v in {'a': 1, 'b': 2}.items() %}{% set ns.n = ns.n + v %}"
            "{{ loop.index }}{{ loop.cycle('x', 'y') }}{% endfor %}|{{ ns.n }}|{{ doc.prepared_on.isoformat() }}"
            "|{{ charter.departments[0].name.strip().upper() }}|{{ {'items': 'data'}.items }}"
            "|{{ {'a': 1}.get('a') }}|{% set j = joiner('+') %}{{ j() }}a{{ j() }}b"
            "|{% for g in [{'k': 'a'}, {'k': 'b'}, {'k': 'a'}] | groupby('k') %}{{ g.grouper }}{{ g.list | length }}"
            "{% endfor %}|{{ charter.departments | map(attribute='name') | first }}|")
    override(workspace / "plans" / "templates" / "charter.html.j2", body, "charter.html.j2")
    result = render(workspace, "charter")
    assert result.exit_code == 0, result.output
    html = (workspace / "output" / "2026" / "company" / "charter.html").read_text(encoding="utf-8")
    assert "1x2y|3|2026-" in html and "|data|1|a+b|" in html
    assert "|a2b1|總經理|" in html


# -- the whole surface: every document's context ------------------------------------------------

#: methods a template may reach, by the type they are reached on (the sandbox's allow-list, spelled out
#: independently so that widening the list fails this test until someone looks).
EXPECTED_METHODS = {
    "Record": {"items", "keys", "values", "get"},
    "tuple": {"count", "index"},
    "frozenset": set(),
    "str": {"capitalize", "count", "endswith", "find", "isdigit", "join", "lower", "lstrip", "replace",
            "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "title", "upper"},
    "Markup": {"capitalize", "count", "endswith", "find", "isdigit", "join", "lower", "lstrip", "replace",
               "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "title", "upper",
               "striptags", "unescape"},
    "date": {"isoformat", "isoweekday", "weekday", "strftime"},
    "datetime": {"isoformat", "isoweekday", "weekday", "strftime", "date"},
}


def _contexts(ws: Workspace):
    targets = due_targets(ws) + month_end_targets(ws, "2026-06")
    for doc in all_documents():
        mine = [t for t in targets if t.doc_id == doc.id]
        assert mine, f"no example target for {doc.id}"
        for target in mine[:2] + mine[-1:]:
            yield target, make_job(ws, target).context


def test_no_document_context_reaches_a_callable_off_the_allow_list(tmp_path):
    from conftest import copy_example

    ws = Workspace.open(copy_example(tmp_path / "ws"))
    env = make_environment(ws.template_chain(), ws.config.unit)
    seen_docs = set()
    for target, context in _contexts(ws):
        seen_docs.add(target.doc_id)
        stack, visited = [(target.label(), context)], set()
        while stack:
            path, value = stack.pop()
            if id(value) in visited:
                continue
            visited.add(id(value))
            assert isinstance(value, (Record, tuple, frozenset, Markup, *SCALARS)), f"{path}: {type(value)}"
            assert not (callable(value) and not isinstance(value, type(None))), path
            if isinstance(value, Record):
                stack += [(f"{path}.{k}", v) for k, v in value.items()]
            elif isinstance(value, (tuple, frozenset)):
                stack += [(f"{path}[{i}]", v) for i, v in enumerate(value)]
            # everything a template can reach by attribute, through the sandbox as templates do
            for name in dir(value):
                if isinstance(value, Record) and name in value:
                    continue
                got = env.getattr(value, name)
                if isinstance(got, Undefined):
                    continue
                if callable(got):
                    assert name in EXPECTED_METHODS[type(value).__name__], f"{path}.{name} is callable"
                    assert env.is_safe_callable(got)
                else:
                    assert isinstance(got, (int, type(None))), f"{path}.{name}: {type(got)}"
    assert seen_docs == {d.id for d in all_documents()}


@pytest.mark.parametrize("body, what", [
    ('{{ "x" * 100000000 }}', "'*' would make more than 1,000,000 items"),
    ("{{ (1, 2) * 10000000 }}", "'*' would make more than 1,000,000 items"),
    ("{{ 10 ** 100000000 }}", "'**' would make a number of more than 100,000 bits"),
])
def test_arithmetic_bombs_are_refused_at_once(workspace, body, what):
    override(workspace / "plans" / "templates" / "charter.html.j2", body, "charter.html.j2")
    result = render(workspace, "charter")
    assert result.exit_code == 1
    assert result.output == f"plans/templates/charter.html.j2:4: template unsafe operation blocked: {what}\n"


def test_ordinary_arithmetic_still_works(workspace):
    override(workspace / "plans" / "templates" / "charter.html.j2",
             '{{ "-" * 3 }}|{{ 2 ** 10 }}|{{ 3 * 4 }}|{{ (1,) * 2 }}', "charter.html.j2")
    result = render(workspace, "charter")
    assert result.exit_code == 0, result.output
    assert "---|1024|12|(1, 1)" in (workspace / "output" / "2026" / "company" / "charter.html").read_text(
        encoding="utf-8")


def test_pickle_payload_in_a_region_template_runs_nothing_inside_build_workers(workspace, tmp_path):
    marker = tmp_path / "pwned-in-worker"
    override(workspace / "regions" / "east" / "templates" / "annual-plan.html.j2",
             f'{{{{ region_plan.parse_raw("{pickle_payload(marker)}", proto="pickle", allow_pickle=True) }}}}',
             "annual-plan.html.j2")
    result = CliRunner().invoke(cli, ["-w", str(workspace), "build", "-p", "2026", "-r", "east", "-f", "html",
                                      "-j", "2"])
    assert not marker.exists()
    assert result.exit_code == 1
    assert ("FAILED annual-plan 2026 east: regions/east/templates/annual-plan.html.j2:4: template error: "
            "'docgen.render.plain.Record object' has no attribute 'parse_raw'") in result.output
