"""The writers, one module per output format, registered here by name.

A writer turns the one :class:`~docgen.render.document.RenderedDocument` into a file's bytes;
it never writes files itself (the build writes them atomically).  Adding a format is one
module with a class that satisfies :class:`Writer`, and one line in :data:`WRITERS`.  The
registry names classes by import path so that a command loads only the writers it uses
(WeasyPrint and python-docx are slow to import).
"""
from __future__ import annotations

import importlib
from functools import cache
from typing import Protocol, runtime_checkable

from docgen.render.document import RenderedDocument


@runtime_checkable
class Writer(Protocol):
    """One output format.

    :param name: the format's name, as in ``--format`` and ``formats:`` (``"pdf"``).
    :param suffix: the output file's suffix, with its dot (``".pdf"``).
    """

    name: str
    suffix: str

    def write(self, doc: RenderedDocument) -> bytes:
        """The file's bytes; a problem with the document raises :class:`~docgen.errors.RenderError`."""
        ...


#: format name → ``module:class`` of its writer, in the order ``--format`` lists them.
WRITERS: dict[str, str] = {
    "docx": "docgen.render.docx:DocxWriter",
    "pdf": "docgen.render.pdf:PdfWriter",
    "html": "docgen.render.html:HtmlWriter",
    "xlsx": "docgen.render.xlsx:XlsxWriter",
}


def formats() -> tuple[str, ...]:
    """The registered format names."""
    return tuple(WRITERS)


@cache
def writer(fmt: str) -> Writer:
    """The writer for ``fmt``, imported and made on first use (once per process).

    :raises KeyError: ``fmt`` is not registered (the CLI checks ``--format`` against :func:`formats` first).
    """
    module, _, cls = WRITERS[fmt].partition(":")
    made = getattr(importlib.import_module(module), cls)()
    if not isinstance(made, Writer) or made.name != fmt:
        raise TypeError(f"{WRITERS[fmt]} is not a Writer named {fmt!r}")
    return made
