"""A document's template rendered once into the HTML every writer starts from.

:func:`compose` is a pure function of a :class:`DocumentSource` (plain, picklable data),
so a batch runner can ship sources to worker processes.  Environments are cached per
process: templates load once per worker.  What a source is made from (the document
registry, the workspace) is the build layer's business (:mod:`docgen.build.jobs`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError, Problem, relative
from docgen.render.document import PageSetup, Picture, RenderedDocument
from docgen.render.environment import ChainLoader, LinkOutside, PlainSandbox, make_environment, render_template
from docgen.render.fetch import ASSETS
from docgen.render.pictures import drop_refused
from docgen.render.typography import typeset, typeset_text

STYLESHEET = "style.css"


@dataclass(frozen=True)
class DocumentSource:
    """What one document is rendered from.

    :param doc_id: e.g. ``charter``.
    :param template: the template's name in the chain, e.g. ``charter.html.j2``.
    :param context: the template's variables, already plain read-only data.
    :param chain: the template folders, first match wins.
    :param root: the workspace folder (messages show paths relative to it; its assets may be read).
    :param unit: the money unit the filters format in.
    :param created: the timestamp written into the files.
    :param reference_docx: the Word reference document.
    :param own_reference: ``reference_docx`` is a region's or the workspace's, not the shipped one.
    """

    doc_id: str
    template: str
    title: str
    company: str
    context: Mapping[str, Any]
    pictures: tuple[Picture, ...]
    chain: tuple[Path, ...]
    root: Path
    unit: str
    page: PageSetup
    created: dt.datetime
    reference_docx: Path
    own_reference: bool


@lru_cache(maxsize=32)
def _environment(chain: tuple[Path, ...], unit: str) -> PlainSandbox:
    return make_environment(list(chain), unit)


def forget_templates() -> None:
    """Compile templates again on next use (a live preview after an edit)."""
    _environment.cache_clear()


def _stylesheet(chain: tuple[Path, ...], root: Path) -> str:
    try:
        return ChainLoader(list(chain)).locate(STYLESHEET).read_text(encoding="utf-8")
    except LinkOutside as e:
        where = f"{relative(e.path.parent, root)}/{e.path.name}"
        raise ConfigError("", [Problem(where, None, "", f"a link to {e.target}, outside the template folders; "
                                                        "docgen does not read it")]) from e
    except Exception as e:  # TemplateNotFound or unreadable
        raise ConfigError(f"no {STYLESHEET} in the template chain ({e})") from e


def compose(source: DocumentSource) -> RenderedDocument:
    """Render the source's template to HTML (once) for every writer."""
    env = _environment(source.chain, source.unit)
    html = render_template(env, source.template, source.context, shown=lambda p: relative(p, source.root))
    simplified = source.page.lang == "zh-Hans"
    return drop_refused(RenderedDocument(
        doc_id=source.doc_id, title=typeset_text(source.title, simplified), company=source.company,
        html=typeset(html, simplified),
        css=_stylesheet(source.chain, source.root), pictures={p.name: p for p in source.pictures},
        created=source.created, page=source.page, reference_docx=source.reference_docx,
        allowed_roots=(*source.chain, source.root / ASSETS), workspace=source.root,
        own_reference=source.own_reference,
    ))
