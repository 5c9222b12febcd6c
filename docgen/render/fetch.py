"""The only way a writer may get the bytes behind a URL: one policy for every fetch.

HTML pictures, PDF pictures, stylesheets (``@import``), fonts (``@font-face``) and
Word pictures all come through here.  Allowed:

* ``asset:NAME``: a picture the document drew (charts);
* ``data:`` URIs of an image, font or stylesheet type;
* files inside the template folders, or inside the workspace's ``assets/``
  folder, after resolving symlinks, and only of the types below (by extension
  *and* content): pictures ``png jpg gif svg webp``, fonts ``ttf otf ttc woff woff2``,
  stylesheets ``css``.

Everything else (``http:``, ``file:`` elsewhere, ``..`` escapes, a symlink out,
``.git/config``) is refused with a warning: rendering never reaches the network or
the rest of the disk.  A relative path is looked up in each allowed folder, and
also from the workspace (``assets/logo.png``).
"""
from __future__ import annotations

import base64
import logging
import urllib.parse
from pathlib import Path

from docgen.render.document import RenderedDocument

LOG = logging.getLogger("docgen.fetch")

ASSETS = "assets"

#: extension → (mime type, kind); a file must also look like its kind (see :func:`_looks_like`).
TYPES = {
    ".png": ("image/png", "image"), ".jpg": ("image/jpeg", "image"), ".jpeg": ("image/jpeg", "image"),
    ".gif": ("image/gif", "image"), ".webp": ("image/webp", "image"), ".svg": ("image/svg+xml", "svg"),
    ".ttf": ("font/ttf", "font"), ".otf": ("font/otf", "font"), ".woff": ("font/woff", "font"),
    ".woff2": ("font/woff2", "font"), ".ttc": ("font/collection", "font"), ".css": ("text/css", "css"),
}
_MIME_KIND = {mime: kind for mime, kind in TYPES.values()}
PICTURES = frozenset({"image", "svg"})
EVERY_KIND = frozenset(kind for _, kind in TYPES.values())
_MAGIC = {
    "image": (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a"),
    "font": (b"\x00\x01\x00\x00", b"true", b"OTTO", b"wOFF", b"wOF2", b"ttcf"),
}


class Refused(Exception):
    """The URL is not one a document may fetch."""


def parse_data_uri(url: str) -> tuple[str, bytes]:
    """Split ``data:mime;base64,...`` into (mime, bytes)."""
    head, _, payload = url[5:].partition(",")
    parts = head.split(";")
    mime = parts[0].strip().lower() or "text/plain"
    if "base64" in parts[1:]:
        return mime, base64.b64decode(payload)
    return mime, urllib.parse.unquote_to_bytes(payload)


def _looks_like(kind: str, payload: bytes) -> bool:
    """Content sniffing: the bytes are what the extension or mime type claims."""
    if kind == "image":
        return payload.startswith(_MAGIC["image"]) or (payload[:4] == b"RIFF" and payload[8:12] == b"WEBP")
    if kind == "font":
        return payload.startswith(_MAGIC["font"])
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if kind == "svg":
        return "<svg" in text[:4096] and "\0" not in text
    return kind == "css" and "\0" not in text


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def _candidates(url: str, roots: tuple[Path, ...]) -> list[Path]:
    """Where a relative path or ``file:`` URL may be, before resolving symlinks."""
    if url.startswith("file:"):
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path))
    elif ":" in url.split("/", 1)[0] or url.startswith("//"):
        raise Refused("not a local file")
    else:
        path = Path(urllib.parse.unquote(url.split("?", 1)[0].split("#", 1)[0]))
    if path.is_absolute():
        # the PDF writer resolves relative paths against the first root: look them up like relative ones
        base = roots[0] if roots else None
        if base is None or not path.is_relative_to(base):
            return [path]
        path = path.relative_to(base)
    folders = list(roots) + [r.parent for r in roots if r.name == ASSETS]  # "assets/logo.png" from the workspace
    return [folder / path for folder in folders]


def local_file(url: str, roots: tuple[Path, ...]) -> Path:
    """The file a relative path or ``file:`` URL names, if it lies inside ``roots`` once symlinks are resolved."""
    real_roots = tuple(r.resolve() for r in roots)
    for candidate in _candidates(url, roots):
        real = candidate.resolve()
        if _inside(real, real_roots) and real.is_file():
            return real
    raise Refused("not a file inside the template folders or the workspace's assets/")


def fetch_resource(url: str, roots: tuple[Path, ...], kinds: frozenset[str] = EVERY_KIND) -> tuple[str, bytes]:
    """(mime type, bytes) of a ``data:`` URI or an allowed local file; :class:`Refused` otherwise.

    :param roots: the template folders and the workspace's ``assets/`` folder.
    :param kinds: what the caller can use: :data:`PICTURES` for ``<img>``, any kind for WeasyPrint.
    """
    if url.startswith("data:"):
        mime, payload = parse_data_uri(url)
        kind = _MIME_KIND.get(mime)
    else:
        path = local_file(url, roots)
        mime, kind = TYPES.get(path.suffix.lower(), ("", None))
        if kind is None:
            raise Refused(f"{path.suffix or 'no extension'}: not a picture, font or stylesheet")
        payload = path.read_bytes()
    if kind not in kinds or not _looks_like(kind, payload):
        raise Refused(f"not a {'picture' if kinds == PICTURES else 'picture, font or stylesheet'}")
    return mime, payload


def refused(doc_id: str, url: str, why: object) -> None:
    """Say once per refusal what was not fetched (the document goes on without it)."""
    LOG.warning("%s: not fetched: %s (%s)", doc_id, url[:120], why)


def fetch(url: str, doc: RenderedDocument, prefer: str = "svg",
          kinds: frozenset[str] = EVERY_KIND) -> tuple[str, bytes]:
    """Return (mime type, bytes) for ``url`` in ``doc``, or raise :class:`Refused` (after a warning).

    :param prefer: ``"svg"`` or ``"png"``: the form wanted for ``asset:`` pictures.
    :param kinds: as for :func:`fetch_resource`.
    """
    try:
        if url.startswith("asset:"):
            picture = doc.pictures.get(url[6:])
            if picture is None:
                raise Refused("no such picture in this document")
            if prefer == "svg":
                svg = picture.svg()
                if svg is not None:
                    return "image/svg+xml", svg
            return "image/png", picture.png()
        return fetch_resource(url, doc.allowed_roots, kinds)
    except (Refused, OSError, ValueError) as e:
        refused(doc.doc_id, url, e)
        raise Refused(url) from e
