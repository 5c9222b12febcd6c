"""The only way a writer may get the bytes behind a URL.

Allowed: ``asset:`` pictures of the document, ``data:`` URIs, and files inside
the template folders and the workspace.  Everything else (``http:``, ``file:``
outside those folders, ``..`` escapes) yields nothing: rendering never reaches
the network or the rest of the disk.
"""
from __future__ import annotations

import base64
import mimetypes
import urllib.parse
from pathlib import Path

from docgen.render.document import RenderedDocument


class Refused(Exception):
    """The URL is not one a document may fetch."""


def parse_data_uri(url: str) -> tuple[str, bytes]:
    """Split ``data:mime;base64,...`` into (mime, bytes)."""
    head, _, payload = url[5:].partition(",")
    parts = head.split(";")
    mime = parts[0] or "text/plain"
    if "base64" in parts[1:]:
        return mime, base64.b64decode(payload)
    return mime, urllib.parse.unquote_to_bytes(payload)


def local_file(url: str, roots: tuple[Path, ...]) -> Path:
    """The file a relative path or ``file:`` URL names, if it lies inside ``roots``."""
    if url.startswith("file:"):
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path))
    elif "://" in url or url.startswith("//"):
        raise Refused(url)
    else:
        path = Path(urllib.parse.unquote(url))
    candidates = [path] if path.is_absolute() else [root / path for root in roots]
    for candidate in candidates:
        real = candidate.resolve()
        for root in roots:
            if real.is_relative_to(root.resolve()) and real.is_file():
                return real
    raise Refused(url)


def fetch(url: str, doc: RenderedDocument, prefer: str = "svg") -> tuple[str, bytes]:
    """Return (mime type, bytes) for ``url`` in ``doc``, or raise :class:`Refused`.

    :param prefer: ``"svg"`` or ``"png"``: the form wanted for ``asset:`` pictures.
    """
    if url.startswith("asset:"):
        picture = doc.pictures.get(url[6:])
        if picture is None:
            raise Refused(url)
        if prefer == "svg":
            svg = picture.svg()
            if svg is not None:
                return "image/svg+xml", svg
        return "image/png", picture.png()
    if url.startswith("data:"):
        return parse_data_uri(url)
    path = local_file(url, doc.allowed_roots)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return mime, path.read_bytes()
