"""The writers, one module per output format, registered here by name."""
from __future__ import annotations

import importlib
from functools import cache
from typing import Any

WRITERS = {
    "html": "docgen.render.html:HtmlWriter",
    "pdf": "docgen.render.pdf:PdfWriter",
    "docx": "docgen.render.docx:DocxWriter",
    "xlsx": "docgen.render.xlsx:XlsxWriter",
}


@cache
def writer(fmt: str) -> Any:
    """The writer for ``fmt`` (one module each, same tiny interface), imported on first use."""
    module, _, cls = WRITERS[fmt].partition(":")
    return getattr(importlib.import_module(module), cls)()
