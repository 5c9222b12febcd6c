"""Shell completion for docgen's arguments: document ids, regions, people, periods, template names.

Click calls these while the user presses Tab (``_DOCGEN_COMPLETE=bash_source docgen``); each reads the
workspace named by ``-w`` (or the nearest one) and offers nothing, never an error, when it cannot.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from docgen.workspace import Workspace, find_workspace

_PERIOD = re.compile(r"^\d{4}(-\d{2})?$")


def _workspace(ctx: click.Context) -> Workspace:
    root = ctx.find_root().params.get("root")
    return Workspace.open(Path(root) if root else find_workspace(Path.cwd()))


def _period_year(ctx: click.Context, ws: Workspace) -> int:
    """The plan folder of the ``--period`` typed so far (a month's fiscal year), else the default year."""
    from docgen.documents import plan_year

    period = ctx.params.get("period") or ""
    return plan_year(ws, period) if _PERIOD.match(period) else ws.default_year()


def _safely(items: Callable[[click.Context], Iterable[tuple[str, str]]]):
    """A click ``shell_complete`` callback offering ``items`` (value, help) that start with what was typed."""
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            return [CompletionItem(value, help=text) for value, text in items(ctx) if value.startswith(incomplete)]
        except Exception:  # completion must never print a traceback into the user's shell
            return []
    return complete


@_safely
def documents(ctx: click.Context) -> Iterable[tuple[str, str]]:
    from docgen.documents import all_documents

    return sorted((d.id, d.title) for d in all_documents())


@_safely
def regions(ctx: click.Context) -> Iterable[tuple[str, str]]:
    return [(r.id, r.name) for r in _workspace(ctx).config.regions]


@_safely
def people(ctx: click.Context) -> Iterable[tuple[str, str]]:
    from docgen.documents.planning import load

    ws = _workspace(ctx)
    return [(p.id, p.name) for p in load(ws, _period_year(ctx, ws)).people]


@_safely
def periods(ctx: click.Context) -> Iterable[tuple[str, str]]:
    """The years with a plan folder and the months with ledgers, newest first."""
    ws = _workspace(ctx)
    found = {p.name for folder in (ws.path("plans"), ws.path("ledgers")) if folder.is_dir()
             for p in folder.iterdir() if p.is_dir() and _PERIOD.match(p.name)}
    return [(p, _period_help(ws, p)) for p in sorted(found, reverse=True)]


def _period_help(ws: Workspace, period: str) -> str:
    """``year``/``month``, or across December the fiscal year's name: ``fiscal year 2026/27``."""
    from docgen.plan.fiscal import FiscalYear

    if len(period) == 4:
        fiscal = FiscalYear(int(period), ws.config.fiscal_year_start)
        return f"fiscal year {fiscal.label}" if fiscal.crosses_december else "year"
    return "month"


@_safely
def templates(ctx: click.Context) -> Iterable[tuple[str, str]]:
    from docgen.render.environment import ChainLoader

    ws = _workspace(ctx)
    region = ctx.params.get("region")
    return [(name, "") for name in ChainLoader(ws.template_chain(ws.region(region).id if region else None))
            .list_templates()]
