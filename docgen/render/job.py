"""A render job: (document, context, template chain) → bytes per format.

``make_job`` does all the reading (data, templates' stylesheet); ``run_job`` is a
pure function of the job, so a batch runner can ship jobs to worker processes and
skip the ones whose inputs did not change.  Environments and writers are cached
per process: templates, fonts and stylesheets load once per worker.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from docgen import __version__
from docgen.documents import DocumentType, Prepared, Target, creation_date, get
from docgen.errors import ConfigError, Problem, relative
from docgen.render.document import PageSetup, Picture, RenderedDocument
from docgen.render.environment import ChainLoader, LinkOutside, make_environment, render_template
from docgen.render.fetch import ASSETS
from docgen.render.pictures import drop_refused
from docgen.render.plain import freeze
from docgen.render.typography import typeset, typeset_text
from docgen.workspace import Workspace

STYLESHEET = "style.css"


@dataclass(frozen=True)
class RenderJob:
    """Everything one document needs, as plain picklable data."""

    target: Target
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
    inputs: tuple[Path, ...]


def page_setup(ws: Workspace) -> PageSetup:
    docx_font = ws.config.docx_font or ""
    if ws.traditional:
        return PageSetup(ws.font_family, "第 {page} 頁 / 共 {pages} 頁", "zh-Hant", docx_font, ws.config.pdf_variant)
    return PageSetup(ws.font_family, "第 {page} 页 / 共 {pages} 页", "zh-Hans", docx_font, ws.config.pdf_variant)


def make_job(ws: Workspace, target: Target, prepared: Prepared | None = None,
             doc: DocumentType | None = None) -> RenderJob:
    """Read what ``target`` needs and freeze it into a :class:`RenderJob`.

    The context is frozen to plain read-only data here, the one place every
    document passes through, so no template sees a model class or a method.

    :param doc: the document type (default: the registered one of ``target.doc_id``).
    """
    doc = doc or get(target.doc_id)
    prepared = prepared or doc.prepare(ws, target)
    chain = tuple(ws.template_chain(target.region))
    region = ws.region(target.region)
    created = creation_date(prepared.created or dt.date(2000, 1, 1))
    meta = {
        "id": target.doc_id,
        "title": prepared.title,
        "company": ws.config.company,
        "region": region.name if region else None,
        "region_id": region.id if region else None,
        "period": target.period,
        "period_label": prepared.period_label,
        "prepared_by": ws.config.prepared_by,
        "prepared_on": created.date(),
        "unit": ws.config.unit,
        "lang": page_setup(ws).lang,
        "generator": f"docgen {__version__}",
    }
    return RenderJob(
        target=target, template=doc.template, title=prepared.title, company=ws.config.company,
        context=freeze({"doc": meta, **prepared.context}), pictures=tuple(prepared.pictures), chain=chain,
        root=ws.root, unit=ws.config.unit, page=page_setup(ws), created=created,
        reference_docx=ws.reference_docx(target.region), inputs=tuple(prepared.inputs),
    )


@lru_cache(maxsize=32)
def _environment(chain: tuple[Path, ...], unit: str):
    return make_environment(list(chain), unit)


def _stylesheet(chain: tuple[Path, ...], root: Path) -> str:
    try:
        return ChainLoader(list(chain)).locate(STYLESHEET).read_text(encoding="utf-8")
    except LinkOutside as e:
        raise ConfigError("", [Problem(f"{relative(e.path.parent, root)}/{e.path.name}", None, "", f"a link to {e.target}, outside the "
                                       "template folders; docgen does not read it")]) from e
    except Exception as e:  # TemplateNotFound or unreadable
        raise ConfigError(f"no {STYLESHEET} in the template chain ({e})") from e


def _has_elements(html: str) -> bool:
    """Whether ``html`` holds an element for the writers to parse (lxml refuses a document with none)."""
    import lxml.html
    from lxml import etree

    try:
        lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return False
    return True


def rendered_document(job: RenderJob) -> RenderedDocument:
    """Render the job's template to HTML (once) for every writer."""
    env = _environment(job.chain, job.unit)
    html = render_template(env, job.template, job.context, shown=lambda p: relative(p, job.root))
    if not _has_elements(html):  # a template that renders nothing (or only a comment) makes an empty page
        html = "<html><body></body></html>"
    simplified = job.page.lang == "zh-Hans"
    return drop_refused(RenderedDocument(
        doc_id=job.target.doc_id, title=typeset_text(job.title, simplified), company=job.company,
        html=typeset(html, simplified),
        css=_stylesheet(job.chain, job.root), pictures={p.name: p for p in job.pictures}, created=job.created,
        page=job.page, reference_docx=job.reference_docx, allowed_roots=job.chain + (job.root / ASSETS,),
        workspace=job.root,
    ))


WRITERS = {
    "html": "docgen.render.html:HtmlWriter",
    "pdf": "docgen.render.pdf:PdfWriter",
    "docx": "docgen.render.docx:DocxWriter",
    "xlsx": "docgen.render.xlsx:XlsxWriter",
}


@cache
def writer(fmt: str) -> Any:
    """The writer for ``fmt`` (one module each, same tiny interface), imported on first use."""
    import importlib

    module, _, cls = WRITERS[fmt].partition(":")
    return getattr(importlib.import_module(module), cls)()


def run_job(job: RenderJob, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Render ``job`` in each of ``formats``: format → file bytes.  Pure: no files written."""
    doc = rendered_document(job)
    return {fmt: writer(fmt).write(doc) for fmt in formats}
