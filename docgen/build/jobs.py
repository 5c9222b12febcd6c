"""A render job: one document instance read from the workspace, ready to render.

``make_job`` does all the reading (the document's data through the registry, the
workspace's templates and settings); rendering the job (:func:`docgen.render.compose.compose`)
is a pure function of it, so a batch runner can ship jobs to worker processes and skip
the ones whose inputs did not change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen import __version__
from docgen.documents import DocumentType, Prepared, Target, creation_date, get
from docgen.render.compose import DocumentSource, compose
from docgen.render.document import PageSetup
from docgen.render.plain import freeze
from docgen.render.writers import writer
from docgen.workspace import Workspace, builtin_templates


@dataclass(frozen=True)
class RenderJob(DocumentSource):
    """A :class:`DocumentSource` with the instance it renders and the files it was read from."""

    target: Target
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
    reference = ws.reference_docx(target.region)
    # a region's or the workspace's own reference.docx names the Word font; the shipped one's is only a default
    own_reference = reference.resolve() != (builtin_templates() / "reference.docx").resolve()
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
        doc_id=target.doc_id, template=doc.template, title=prepared.title, company=ws.config.company,
        context=freeze({"doc": meta, **prepared.context}), pictures=tuple(prepared.pictures), chain=chain,
        root=ws.root, unit=ws.config.unit, page=page_setup(ws), created=created,
        reference_docx=reference, own_reference=own_reference, target=target, inputs=tuple(prepared.inputs),
    )


def run_job(job: RenderJob, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Render ``job`` in each of ``formats``: format → file bytes.  Pure: no files written."""
    doc = compose(job)
    return {fmt: writer(fmt).write(doc) for fmt in formats}
