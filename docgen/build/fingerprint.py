"""What an output was made from, as hashes: the exact one (:func:`input_hash`, data as read)
and the cheap one (:func:`file_stamp`, sizes and times of the files) that lets a rerun skip
a document without reading its data."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import pickle
import types
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

from docgen import __version__
from docgen.build.jobs import RenderJob
from docgen.documents import Target
from docgen.workspace import CONFIG_NAME, Workspace


class FileHashes:
    """Content hashes of files, each file read once while unchanged (a ledger feeds many documents).

    Keyed by path and :func:`_stat_key`, so one instance serves a worker for its life.
    """

    def __init__(self) -> None:
        self._files: dict[tuple[Path, str], str] = {}

    def file(self, path: Path) -> str:
        path = Path(path)
        key = (path, _stat_key(path.stat()))
        if key not in self._files:
            self._files[key] = sha256_file(path)
        return self._files[key]

    def folder(self, folder: Path) -> str:
        """One hash over every file a template in ``folder`` could use (names and contents)."""
        digest = hashlib.sha256()
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and not _hidden(p, folder)):
            digest.update(f"{path.relative_to(folder).as_posix()}\0{self.file(path)}\n".encode())
        return digest.hexdigest()


FILE_HASHES = FileHashes()  # per process: workers keep it across the documents they render


def input_hash(job: RenderJob, fmt: str, hashes: FileHashes) -> str:
    """The hash an output depends on: docgen's version, the format, the job itself (the target and
    the data it read, as :func:`job_digest`), every file of its template chain, and its Word
    reference document.

    The data is hashed as read, not as files: when one salesperson's ledger lines change, the
    ledger file changes for everyone, but only that person's, their region's and the company's
    documents read different data, so only those rebuild.

    :param hashes: the process's cache of file hashes.
    """
    digest = hashlib.sha256()
    digest.update(f"docgen {__version__}\0{fmt}\0{job_digest(job)}\n".encode())
    for i, folder in enumerate(job.chain):
        digest.update(f"chain {i}\0{hashes.folder(folder)}\n".encode())
    digest.update(f"reference\0{hashes.file(job.reference_docx)}\n".encode())
    return digest.hexdigest()


def _stat_key(st: os.stat_result) -> str:
    """What says a file changed without reading it: size, modification time, and the inode and
    its change time, which an edit moves even when it puts the old size and mtime back."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_ctime_ns}"


class FileStamps:
    """:func:`_stat_key` of files and folders, each looked at once per run."""

    def __init__(self) -> None:
        self._stats: dict[Path, str] = {}
        self._folders: dict[Path, str] = {}

    def path(self, path: Path) -> str:
        if path not in self._stats:
            try:
                self._stats[path] = _stat_key(path.stat())
            except OSError:
                self._stats[path] = "missing"
        return self._stats[path]

    def folder(self, folder: Path) -> str:
        if folder not in self._folders:
            files = sorted(p for p in Path(folder).rglob("*") if p.is_file() and not _hidden(p, folder))
            self._folders[folder] = hashlib.sha256(
                "".join(f"{p}\0{self.path(p)}\n" for p in files).encode()).hexdigest()
        return self._folders[folder]


def file_stamp(ws: Workspace, target: Target, sources: Iterable[str], stamps: FileStamps) -> str:
    """A cheap fingerprint of everything an output was made from, by :func:`_stat_key`:
    the data files it read, the folders holding them below the workspace root (a new ledger
    month or customer file changes a folder), ``docgen.yaml``, its template chain and reference
    document, and docgen's version.  While it is unchanged the output is current without
    preparing the document; when it changes the data is read and hashed (:func:`input_hash`),
    so a touched but unchanged file costs one preparation, not a rebuild."""
    digest = hashlib.sha256(f"docgen {__version__}\0{target}\n".encode())
    for path in _stamped_paths(ws.root, tuple(sources)):
        digest.update(f"{path}\0{stamps.path(path)}\n".encode())
    for folder in ws.template_chain(target.region):
        digest.update(f"chain\0{stamps.folder(folder)}\n".encode())
    digest.update(f"reference\0{stamps.path(ws.reference_docx(target.region))}\n".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=256)
def _stamped_paths(root: Path, sources: tuple[str, ...]) -> tuple[Path, ...]:
    """``docgen.yaml``, the sources, and their folders below ``root``, in order (many documents
    of a batch read the same files: the set is worked out once)."""
    paths = {root / CONFIG_NAME}
    for rel in sources:
        path = root / rel
        paths.add(path)
        paths.update(parent for parent in path.parents if parent.is_relative_to(root) and parent != root)
    return tuple(sorted(paths))


def job_digest(job: RenderJob) -> str:
    """A hash of what :func:`~docgen.render.job.run_job` renders from, besides template files:
    target, template name, title, context, pictures, page setup, timestamp."""
    return hashlib.sha256(_canonical((job.target, job.template, job.title, job.company, job.context,
                                      job.pictures, job.unit, job.page, job.created))).hexdigest()


_SCALARS = (str, int, float, bool, bytes, Decimal, dt.date, dt.time, dt.timedelta, Enum, PurePath, type(None))


def _canonical(obj: Any, _path: frozenset[int] = frozenset()) -> bytes:
    """Bytes that are equal exactly when two values render the same, stable across processes.

    Mappings and sequences keep their order (templates iterate them in it); sets are sorted;
    models, dataclasses and plain objects are their type and fields; functions (a picture's
    drawing) their qualified name, bound arguments and closure.
    """
    if isinstance(obj, _SCALARS):
        return f"{type(obj).__qualname__}:{obj!r}".encode()
    if id(obj) in _path:
        return b"<cycle>"
    inner = _path | {id(obj)}

    def seq(tag: str, items: Iterable[Any]) -> bytes:
        parts = [_canonical(item, inner) for item in items]
        return tag.encode() + b"[" + b",".join(f"{len(p)}:".encode() + p for p in parts) + b"]"

    if isinstance(obj, Mapping):
        return seq(type(obj).__qualname__, (pair for item in obj.items() for pair in item))
    if isinstance(obj, (list, tuple)):
        return seq(type(obj).__qualname__, obj)
    if isinstance(obj, (set, frozenset)):
        return b"set" + b"|".join(sorted(_canonical(item, inner) for item in obj))
    if isinstance(obj, functools.partial):
        return seq("partial", (obj.func, obj.args, obj.keywords))
    if isinstance(obj, types.MethodType):
        return seq("method", (obj.__func__, obj.__self__))
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        closure = [c.cell_contents for c in (getattr(obj, "__closure__", None) or ())]
        name = f"{obj.__module__}.{obj.__qualname__}"
        return seq(f"function {name}", (getattr(obj, "__defaults__", None), closure))
    if dataclasses.is_dataclass(obj):
        return seq(_type_name(obj), (getattr(obj, f.name) for f in dataclasses.fields(obj)))
    fields = dict(getattr(obj, "__dict__", {}))
    fields.update(getattr(obj, "__pydantic_private__", None) or {})  # e.g. a record's file and line
    for slot in getattr(type(obj), "__slots__", ()):
        if hasattr(obj, slot):
            fields[slot] = getattr(obj, slot)
    if fields:
        return seq(_type_name(obj), (pair for item in sorted(fields.items()) for pair in item))
    try:
        return b"pickle:" + pickle.dumps(obj, protocol=4)
    except Exception:  # unpicklable and opaque: its type, so at least a changed type is seen
        return f"opaque {_type_name(obj)}".encode()


def _type_name(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts)


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the workspace root when inside it (paths are built from the root)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()
