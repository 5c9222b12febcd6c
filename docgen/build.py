"""Batch builds: which documents are due, which changed, and running them.

A build is a flat graph of independent jobs, one per (document, period,
region/person), each a pure function of its inputs.  The parent process plans the
targets and skips those whose files have not changed since the manifest recorded
them (a cheap look at sizes and modification times).  The rest go to an executor
(in-process, a process pool, or a Dask cluster) as :class:`Task` s: the worker
prepares the document (reads its data), hashes what it read and its templates,
renders only the formats whose hash differs from the manifest's, and sends the
bytes back; only the parent writes.  So workers never touch the output folder,
and the manifest, written by one process, can be kept true at every moment:

* every output file is written atomically (a temporary file, then a rename);
* a manifest entry is dropped *and saved* before its file is overwritten, and
  added only after its file is on disk; so a killed run leaves a manifest that
  lists a subset of the files, each with its true hash;
* on load, entries whose file is missing or differs are dropped anyway (a file
  edited or deleted by hand is rebuilt).
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import signal
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePath
from typing import Any, Protocol

from docgen import __version__
from docgen.documents import (
    DocumentType,
    Target,
    all_documents,
    fiscal_year_of,
    get,
    named_period,
    parse_period,
    period_ids,
)
from docgen.errors import ConfigError, DocgenError, MissingDependency, relative
from docgen.plan.fiscal import MonthPeriod
from docgen.limits import DocumentLimits, die_with_parent, run_limited
from docgen.render.atomic import temporary_file_pid, write_atomic
from docgen.render.job import RenderJob, make_job, rendered_document, writer
from docgen.render.pictures import dropped_warning
from docgen.workspace import CONFIG_NAME, Workspace

MANIFEST_NAME = ".docgen-manifest.json"
MANIFEST_FORMAT = 1

#: ``docgen month-end YYYY-MM``: statistics of the month itself …
MONTH_END_STATS = ("sales-stats", "visit-stats")
#: … the plans of the month after it …
MONTH_END_PLANS = ("monthly-plan", "visit-plan")
#: … and, after the last month of the fiscal year, the year's summary.
YEAR_END_DOCS = ("year-summary",)


# -- planning -----------------------------------------------------------------------------------
def fiscal_months(ws: Workspace, year: int) -> list[str]:
    """The twelve months of fiscal year ``year`` (named by the calendar year it starts in)."""
    start = ws.config.fiscal_year_start
    return [_month_name(year, start + i) for i in range(12)]


def due_targets(ws: Workspace, periods: Iterable[str] | None = None, region: str | None = None,
                failures: list[Failure] | None = None) -> list[Target]:
    """Every document instance due for ``periods``: each registered document's own targets.

    :param periods: years and months; default: the workspace's default year and each month
        of that fiscal year (months without data yield no targets, as documents only return
        instances for which data exists).
    :param region: keep only this region's documents (its people's included, the company's not).
    :param failures: if given, a document whose targets cannot be listed (its data does not
        load) is added here and the others are still planned; else its error propagates.
    """
    if periods is None:
        year = ws.default_year()
        periods = [str(year), *fiscal_months(ws, year)]
    targets: list[Target] = []
    for period in period_ids(ws, list(periods)):
        _, month = parse_period(period)
        kind = "year" if month is None else "month"
        for doc in _documents():
            if doc.period_kind == kind:
                targets += _targets_of(doc, ws, period, failures)
    return _in_region(ws, targets, region)


def month_end_targets(ws: Workspace, month: str, region: str | None = None,
                      failures: list[Failure] | None = None, notes: list[str] | None = None) -> list[Target]:
    """What closing ``month`` produces.

    The month's ``sales-stats`` and ``visit-stats``; the next month's ``monthly-plan`` and
    ``visit-plan``; and the fiscal year's ``year-summary`` when ``month`` is its last month.
    Documents not (yet) registered are left out; each document returns only the instances
    for which data exists.

    :param month: a month as the user names it (``2026-06``, ``2027年3月``).
    :param failures: as for :func:`due_targets`; also gets the month's statistics when the month
        has no ledger folder (instead of leaving them out without a word).
    :param notes: gets what the run leaves out and why (next year's plans not written yet).
    """
    named = named_period(ws, month)
    if not isinstance(named, MonthPeriod):
        raise ConfigError(f"month-end {month!r}: expected a month like {ws.default_year()}-06")
    year, number = named.month
    this, following = _month_name(year, number), _month_name(year, number + 1)
    wanted = [(doc_id, this) for doc_id in MONTH_END_STATS]
    folder = ws.path("ledgers") / this
    if failures is not None and not folder.is_dir():  # the statistics would silently be left out
        reason = f"no ledgers for {this} ({relative(folder, ws.root)}/ not found): the month's statistics could not be made"
        failures += [Failure(Target(doc_id, this), reason) for doc_id in MONTH_END_STATS]
        wanted = []
    plans = ws.path("plans") / str(fiscal_year_of(ws, (int(following[:4]), int(following[5:]))))
    if plans.is_dir() or notes is None:
        wanted += [(doc_id, following) for doc_id in MONTH_END_PLANS]
    else:
        notes.append(f"next year's plans are missing ({relative(plans, ws.root)}/ not found): "
                     f"{following}'s monthly plans and visit sheets were not made")
    if number % 12 + 1 == ws.config.fiscal_year_start:  # the next month starts a fiscal year
        fiscal_year = year if ws.config.fiscal_year_start == 1 else year - 1
        wanted += [(doc_id, str(fiscal_year)) for doc_id in YEAR_END_DOCS]
    registered = {doc.id: doc for doc in _documents()}
    targets: list[Target] = []
    for doc_id, period in wanted:
        if doc_id in registered:
            targets += _targets_of(registered[doc_id], ws, period, failures)
    return _in_region(ws, targets, region)


def _targets_of(doc: DocumentType, ws: Workspace, period: str, failures: list[Failure] | None) -> list[Target]:
    try:
        return doc.targets(ws, period)
    except Exception as e:
        if failures is None:
            raise
        failures.append(Failure(Target(doc.id, period), failure_reason(e)))
        return []


def _documents() -> list[DocumentType]:
    return sorted(all_documents(), key=lambda d: d.id)


def _month_name(year: int, month: int) -> str:
    """``(2026, 13)`` → ``2027-01``: months past December roll into the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def _in_region(ws: Workspace, targets: list[Target], region: str | None) -> list[Target]:
    if region is None:
        return targets
    region_id = ws.region(region).id
    return [t for t in targets if t.region == region_id]


# -- input hashes -------------------------------------------------------------------------------
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
            self._files[key] = _sha256_file(path)
        return self._files[key]

    def folder(self, folder: Path) -> str:
        """One hash over every file a template in ``folder`` could use (names and contents)."""
        digest = hashlib.sha256()
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and not _hidden(p, folder)):
            digest.update(f"{path.relative_to(folder).as_posix()}\0{self.file(path)}\n".encode())
        return digest.hexdigest()


_FILE_HASHES = FileHashes()  # per process: workers keep it across the documents they render


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


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts)


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to the workspace root when inside it (paths are built from the root)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()


# -- the manifest -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """What the manifest knows about one output file.

    :param inputs: the :func:`input_hash` it was built from.
    :param sha256: the file's own hash (to notice files changed or replaced by hand).
    :param sources: the data files its document read (relative to the workspace).
    :param stamp: :func:`file_stamp` of those files and the templates when it was built: while it
        holds, the output is current without reading any data (the fast path of a rerun).
    """

    doc: str
    period: str
    region: str | None
    person: str | None
    format: str
    inputs: str
    sha256: str
    size: int
    mtime_ns: int
    sources: tuple[str, ...] = ()
    stamp: str = ""
    ctime_ns: int = 0  # 0: a manifest written before it was recorded (the file is hashed once)


class Manifest:
    """``output/.docgen-manifest.json``: each output path (relative to ``output/``) → :class:`Entry`.

    What is saved only ever lists files that are on disk with the recorded hash: call
    :meth:`before_write` before overwriting one.
    """

    SAVE_INTERVAL = 0.5  # seconds between saves of additions; removals are saved at once

    def __init__(self, output_dir: Path, entries: dict[str, Entry] | None = None,
                 warn: Callable[[str], None] = lambda message: None) -> None:
        self.output_dir = output_dir
        self.path = output_dir / MANIFEST_NAME
        self.entries: dict[str, Entry] = dict(entries or {})
        self.warn = warn
        self._saved: set[str] = set(self.entries)
        self._dirty = False
        self._last_save = 0.0
        self._save_failed = False

    @classmethod
    def load(cls, output_dir: Path, warn: Callable[[str], None] = lambda message: None) -> Manifest:
        """Read the manifest, keeping only entries whose file is there with the recorded hash.

        A missing manifest is an empty one: everything is rebuilt.  One that cannot be read
        (damaged, nested too deep, a folder) is moved aside with a warning, so the build goes
        on and writes a good one.
        """
        path = output_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            raw = data["outputs"] if data.get("format") == MANIFEST_FORMAT else {}
            entries = {rel: Entry(**{**fields, "sources": tuple(fields.get("sources", ()))})
                       for rel, fields in raw.items()}
        except FileNotFoundError:
            entries = {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as e:
            entries = {}
            warn(_set_aside(path, e))
        manifest = cls(output_dir, warn=warn)
        for rel, entry in entries.items():
            checked = _still_true(output_dir / rel, entry)
            if checked is not None:
                manifest.entries[rel] = checked
        manifest._saved = set(entries)  # what the file on disk lists, true or not
        manifest._dirty = manifest.entries.keys() != entries.keys() or any(
            manifest.entries[r] != entries[r] for r in manifest.entries)
        return manifest

    def before_write(self, rels: Iterable[str]) -> None:
        """Save now if the saved manifest still lists any of ``rels``: it is about to become false."""
        if any(rel in self._saved for rel in rels):
            for rel in rels:
                self.entries.pop(rel, None)
            self.save()

    def record(self, rel: str, target: Target, fmt: str, inputs: str, payload: bytes,
               sources: tuple[str, ...] = (), stamp: str = "") -> None:
        """Note that ``payload`` is now on disk at ``rel``, built from ``inputs``."""
        stat = (self.output_dir / rel).stat()
        self.entries[rel] = Entry(target.doc_id, target.period, target.region, target.person, fmt, inputs,
                                  hashlib.sha256(payload).hexdigest(), stat.st_size, stat.st_mtime_ns,
                                  tuple(sources), stamp, stat.st_ctime_ns)
        self._dirty = True

    def restamp(self, rel: str, sources: tuple[str, ...], stamp: str) -> None:
        """The output is current (its data did not change) but its files did: note their new stamp."""
        entry = self.entries[rel]
        if (entry.sources, entry.stamp) != (sources, stamp):
            self.entries[rel] = dataclasses.replace(entry, sources=sources, stamp=stamp)
            self._dirty = True

    def save_soon(self) -> None:
        """Save if the last save is older than :attr:`SAVE_INTERVAL` (additions can wait)."""
        if self._dirty and time.monotonic() - self._last_save >= self.SAVE_INTERVAL:
            self.save()

    def save(self) -> None:
        """Write the manifest.  If that fails (a full disk), warn once and go on: the one on disk
        stays, and a stale entry in it costs the next build a hash of that file, not a wrong skip."""
        if not self._dirty and self.path.exists():
            return
        data = {"format": MANIFEST_FORMAT, "docgen": __version__,
                "outputs": {rel: vars(self.entries[rel]) for rel in sorted(self.entries)}}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as e:
            if not self._save_failed:
                self.warn(f"{self.path}: warning: cannot save the manifest ({e.strerror or e})")
            self._save_failed = True
            return
        self._saved = set(self.entries)
        self._dirty = False
        self._last_save = time.monotonic()


def _set_aside(path: Path, error: BaseException) -> str:
    """Rename an unreadable manifest out of the way; the warning that says so."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
    aside = path.with_name(f"{path.name}.{dt.datetime.now():%Y%m%d-%H%M%S}.unreadable")
    try:
        path.rename(aside)
    except OSError as e:
        return f"{path}: warning: cannot read the manifest ({reason}) nor move it aside ({e.strerror}); " \
               f"every document is rebuilt"
    return f"{path}: warning: cannot read the manifest ({reason}); moved to {aside.name}, " \
           f"every document is rebuilt"


def _still_true(path: Path, entry: Entry) -> Entry | None:
    """``entry`` if ``path`` still holds what it records (size and times, else content), else None."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if stat.st_size != entry.size:
        return None
    if (stat.st_mtime_ns, stat.st_ctime_ns) == (entry.mtime_ns, entry.ctime_ns):
        return entry
    if _sha256_file(path) != entry.sha256:
        return None
    return dataclasses.replace(entry, mtime_ns=stat.st_mtime_ns, ctime_ns=stat.st_ctime_ns)


# -- the output folder --------------------------------------------------------------------------
LOCK_NAME = ".docgen-lock"


class OutputLocked(DocgenError):
    """Another build is writing the same output folder."""


@contextmanager
def output_lock(output_dir: Path, wait: bool = False,
                waiting: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold ``output/.docgen-lock`` (``flock``, with this process's pid in it) for a build.

    Two builds of one folder would rewrite each other's manifest and files.  The lock goes with
    the process: a killed build never leaves the folder locked.

    :param wait: wait for the other build (saying so through ``waiting``) instead of failing.
    """
    import fcntl

    path = output_dir / LOCK_NAME
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise ConfigError(f"{path}: cannot create the build lock ({e.strerror})") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(fd)
            if not wait:
                raise OutputLocked(f"{output_dir}: another docgen build{holder} is writing this folder; "
                                   f"wait for it to finish or run with --wait") from None
            waiting(f"waiting for the docgen build{holder} writing {output_dir} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _lock_holder(fd: int) -> str:
    """`` (pid 1234)`` from the lock file, or nothing if it does not say."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f" (pid {text})" if text.isdigit() else ""


def sweep_temporary_files(output_dir: Path) -> int:
    """Remove temporary files a hard-killed run (SIGKILL, power cut) left; return how many.

    Only files whose writer (the pid in the name, see :func:`~docgen.render.atomic.write_atomic`)
    is gone: a ``docgen render`` writing beside a build takes no lock, and its file stays."""
    removed = 0
    if output_dir.is_dir():
        for path in output_dir.rglob(".*.tmp"):
            if not _writer_alive(path.name):
                try:
                    path.unlink(missing_ok=True)
                    removed += 1
                except OSError:  # not ours to clear (permissions): harmless, it is hidden
                    pass
    return removed


def _writer_alive(name: str) -> bool:
    pid = temporary_file_pid(name)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


# -- executors ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    """One document for a worker: prepare it, hash what it read, render the formats that changed.

    :param recorded: format → the input hash the manifest has for that output (``None``: none).
    """

    ws: Workspace
    doc: DocumentType  # shipped with the task: a worker renders what the parent planned
    target: Target
    formats: tuple[str, ...]
    recorded: Mapping[str, str | None]
    force: bool = False
    limits: DocumentLimits = DocumentLimits()


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for a :class:`Task`.

    :param hashes: format → :func:`input_hash` of the data and templates it was made from.
    :param sources: the files the document read (workspace-relative); :param stamp: their :func:`file_stamp`.
    :param files: the rendered formats whose inputs changed (empty: all current).
    :param reason: why it failed (then nothing else is set).
    :param dropped_pictures: pictures the rendered document could not embed (a warning each).
    """

    hashes: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    stamp: str = ""
    files: Mapping[str, bytes] = field(default_factory=dict)
    reason: str | None = None
    dropped_pictures: tuple[str, ...] = ()


class Executor(Protocol):
    """Runs tasks and yields each with its outcome as it completes (any order)."""

    def results(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]: ...

    def close(self, abandon: bool = False) -> None:
        """Release the workers; ``abandon``: the run stopped early, drop work in progress at once."""


def render_task(task: Task) -> Outcome:
    """Prepare, hash and (where its inputs changed) render one document, in whatever process runs it.

    Preparing reads the data (plan, ledgers), the costly part of a text-only format, so it runs in
    the workers too; data loaded once is kept per worker while its files are unchanged.  Any failure
    becomes the outcome's one-line reason: one bad document never stops the others.
    """
    try:
        return run_limited(task.limits, functools.partial(_render, task))
    except Exception as e:  # fault isolation
        return Outcome(reason=failure_reason(e))
    finally:
        _release_memory()


def _render(task: Task) -> Outcome:
    job = make_job(task.ws, task.target, doc=task.doc)
    hashes = {fmt: input_hash(job, fmt, _FILE_HASHES) for fmt in task.formats}
    sources = tuple(sorted({_shown(Path(p), task.ws.root) for p in job.inputs}))
    stamp = file_stamp(task.ws, task.target, sources, FileStamps())
    stale = tuple(f for f in task.formats if task.force or task.recorded.get(f) != hashes[f])
    if not stale:
        return Outcome(hashes, sources, stamp)
    doc = rendered_document(job)
    return Outcome(hashes, sources, stamp, {fmt: writer(fmt).write(doc) for fmt in stale},
                   dropped_pictures=doc.dropped_pictures)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def _release_memory() -> None:
    """Free each document's memory as soon as it is written.

    A Word document is a web of reference cycles (python-docx's package parts) around large
    lxml trees, so it waited for a full garbage collection; and glibc kept freed pages.  A
    worker's memory climbed with every document (536 → 848 MiB over the benchmark's 1,151).
    After each document: collect, then *freeze* what survives (the worker's loaded plan and
    ledgers) so the next collection only looks at what the next document allocates and stays
    cheap, then hand freed pages back (``malloc_trim``, where libc is glibc).
    """
    gc.collect()
    gc.freeze()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def failure_reason(error: BaseException) -> str:
    """One line: a DocgenError's first problem (its message if none), else ``Type: message``."""
    if isinstance(error, DocgenError):
        if error.problems:
            errors = [p for p in error.problems if p.is_error] or error.problems
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return str(errors[0]) + more
        text = error.message
    else:
        text = f"{type(error).__name__}: {error}"
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class SerialExecutor:
    """Renders in this process, one job after another (``--jobs 1``, and the reference)."""

    def results(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        for task in tasks:
            yield task, render_task(task)

    def close(self, abandon: bool = False) -> None:
        pass


def _windowed(tasks: Iterable[Task], window: int, submit: Callable[[Task], Any],
              wait_first: Callable[[list[Any]], Iterable[Any]], outcome: Callable[[Any], Outcome],
              cancel: Callable[[list[Any]], None]) -> Iterator[tuple[Task, Outcome]]:
    """Keep ``window`` tasks in flight, pulling more as others finish (bounded memory, and the
    parent prepares the next jobs while workers render)."""
    pending: dict[Any, Task] = {}
    source = iter(tasks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                else:
                    pending[submit(task)] = task
            if not pending:
                return
            for future in wait_first(list(pending)):
                yield pending.pop(future), outcome(future)
    finally:
        if pending:
            cancel(list(pending))


def _worker_init(formats: tuple[str, ...]) -> None:
    """Each worker: leave Ctrl-C to the parent (which kills its workers when it stops), die
    with the forkserver (which dies with the build), and load the writers (fonts, styles) once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    for fmt in formats:
        writer(fmt)


class ProcessExecutor:
    """A local process pool; writers, templates and fonts are loaded once per worker.

    :param jobs: number of worker processes.
    :param formats: the formats the run writes (loaded when each worker starts).
    """

    def __init__(self, jobs: int, formats: tuple[str, ...] = ()) -> None:
        self.jobs = max(1, jobs)
        self.formats = tuple(formats)
        self._pool: cf.ProcessPoolExecutor | None = None  # started with the first task

    @property
    def pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool()
        return self._pool

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        # forkserver: workers fork from a clean, single-threaded server that has docgen loaded
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload(["docgen.forkserver", "docgen.render.job"])
        return cf.ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_worker_init,
                                      initargs=(self.formats,))

    def _submit(self, task: Task) -> cf.Future:
        """Submit, replacing a pool a dead worker broke (its jobs come back failed, the rest go on)."""
        try:
            return self.pool.submit(render_task, task)
        except cf.process.BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            try:
                return self.pool.submit(render_task, task)
            except cf.process.BrokenProcessPool as e:
                failed: cf.Future = cf.Future()
                failed.set_exception(e)
                return failed

    def results(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Completed tasks as they finish.  When a worker dies, every task in flight fails with the
        pool; those are run again one at a time at the end, so only the one that kills its
        worker is reported failed."""
        def wait_first(futures: list[cf.Future]) -> Iterable[cf.Future]:
            return cf.wait(futures, return_when=cf.FIRST_COMPLETED)[0]

        casualties: list[Task] = []
        for task, outcome in _windowed(tasks, 2 * self.jobs, self._submit, wait_first, _pool_outcome,
                                       lambda futures: [f.cancel() for f in futures]):
            if outcome is _POOL_BROKE:
                casualties.append(task)
            else:
                yield task, outcome
        for task in casualties:
            outcome = _pool_outcome(self._submit(task))
            yield task, Outcome(reason="BrokenProcessPool: its worker process died") if outcome is _POOL_BROKE else outcome

    def close(self, abandon: bool = False) -> None:
        """Shut the pool down; with ``abandon`` (Ctrl-C) kill the workers first: one may be deep in
        a runaway template, and a clean shutdown waits for it."""
        if self._pool is None:
            return
        if abandon:
            for process in list((self._pool._processes or {}).values()):  # no public way in 3.11
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """The same tasks on a Dask cluster (``pip install '.[dask]'`` in a clone of docgen).

    Workers need docgen installed and the workspace at the same path (a shared filesystem):
    they read the data and templates themselves, as local workers do.  A scheduler that stops
    answering, or a cluster left without workers, for ``timeout`` ends the build with
    :class:`ClusterLost` instead of a wait without end.

    :param scheduler: the scheduler address, e.g. ``tcp://10.0.0.5:8786``.
    :param timeout: how long to try to connect, and to wait for a lost scheduler, e.g. ``"10s"``.
    """

    POLL = 0.1  # seconds between looks at the cluster while no task finishes

    def __init__(self, scheduler: str, timeout: str = "10s") -> None:
        try:
            from dask.utils import parse_timedelta
            from distributed import Client
        except ImportError:
            raise MissingDependency("--scheduler needs Dask: pip install '.[dask]' in a clone of docgen (README)") from None
        self.scheduler = scheduler
        self.timeout = timeout
        self.seconds = parse_timedelta(timeout)
        try:
            self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ConfigError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({e})") from e

    def results(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        from distributed import as_completed

        try:
            self.client.wait_for_workers(1, timeout=self.seconds)
        except (OSError, TimeoutError) as e:
            raise self._lost("the Dask cluster has no workers") from e
        threads = sum(self.client.nthreads().values()) or 1
        finished = as_completed(loop=self.client.loop)  # not distributed.wait: that needs a default client

        def submit(task: Task) -> Any:
            future = self.client.submit(render_task, task, pure=False)
            finished.add(future)
            return future

        def wait_first(pending: list[Any]) -> list[Any]:
            self._wait_until_ready(finished)
            future = next(finished)
            if future.status == "cancelled":  # not by us: the client cancels all when its scheduler goes
                raise self._lost("lost the Dask scheduler")
            return [future]

        return _windowed(tasks, 2 * threads, submit, wait_first, self._outcome, self.client.cancel)

    def _outcome(self, future: Any) -> Outcome:
        """A finished task's outcome; its result lives on a worker, and if that worker is gone
        Dask computes it again, so fetching it waits on the cluster too."""
        try:
            return future.result(timeout=self.seconds)
        except TimeoutError:
            raise self._lost("the Dask cluster has no workers" if not self._has_workers()
                             else "no answer from the Dask cluster") from None
        except Exception as e:  # the task failed, or the cluster lost it
            return Outcome(reason=failure_reason(e))

    def _wait_until_ready(self, finished: Any) -> None:
        """Wait for a finished task while the cluster can finish one; raise :class:`ClusterLost`
        once it could not for ``timeout`` (no scheduler to ask, or no worker)."""
        healthy_at = time.monotonic()
        checked_at = 0.0
        while not finished.has_ready():
            now = time.monotonic()
            if self.client.status == "running" and now - checked_at >= 1:
                checked_at = now
                if self._has_workers():
                    healthy_at = now
            if now - healthy_at > self.seconds:
                raise self._lost("lost the Dask scheduler" if self.client.status != "running"
                                 else "the Dask cluster has no workers")
            time.sleep(self.POLL)

    def _lost(self, what: str) -> ClusterLost:
        return ClusterLost(f"--scheduler {self.scheduler}: {what} (waited {self.timeout}); "
                           f"the documents not yet built were not run")

    def _has_workers(self) -> bool:
        try:
            return bool(self.client.nthreads())
        except (OSError, TimeoutError):
            return False

    def close(self, abandon: bool = False) -> None:
        try:
            self.client.close(timeout=self.seconds)
        except (OSError, TimeoutError):  # the scheduler is gone: nothing left to tell it
            pass


class ClusterLost(DocgenError):
    """The Dask scheduler or all its workers stopped answering during a build."""


_POOL_BROKE = Outcome(reason="the worker pool broke")


def _pool_outcome(future: cf.Future) -> Outcome:
    """A local future's outcome; :data:`_POOL_BROKE` when a dead worker took the pool down."""
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        return _POOL_BROKE
    except Exception as e:
        return Outcome(reason=failure_reason(e))


def make_executor(jobs: int | None = None, scheduler: str | None = None,
                  formats: tuple[str, ...] = ()) -> Executor:
    """Dask if ``scheduler`` is given, else a process pool of ``jobs`` (default: the CPU count);
    ``jobs=1`` renders in this process."""
    if scheduler:
        return DaskExecutor(scheduler)
    jobs = jobs or os.cpu_count() or 1
    return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs, formats)


# -- the run ------------------------------------------------------------------------------------
class Reporter(Protocol):
    """Who hears about each job (see :mod:`docgen.progress`)."""

    def start(self, total: int) -> None: ...
    def note(self, message: str) -> None: ...
    def built(self, target: Target, outputs: list[str]) -> None: ...
    def skipped(self, target: Target, outputs: list[str]) -> None: ...
    def failed(self, target: Target, reason: str) -> None: ...
    def finish(self) -> None: ...


@dataclass(frozen=True)
class Failure:
    target: Target
    reason: str

    def __str__(self) -> str:
        return f"FAILED {self.target.label()}: {self.reason}"


@dataclass
class BuildResult:
    """Counts are of documents (jobs); a document with any format rebuilt counts as built."""

    built: list[Target] = field(default_factory=list)
    skipped: list[Target] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    interrupted: bool = False
    total: int = 0

    @property
    def not_run(self) -> int:
        return self.total - len(self.built) - len(self.skipped) - len(self.failed)

    def summary(self) -> str:
        return f"built {len(self.built)}, skipped {len(self.skipped)}, failed {len(self.failed)}"


def build(ws: Workspace, targets: list[Target], formats: tuple[str, ...], executor: Executor | None = None,
          force: bool = False, reporter: Reporter | None = None,
          planning_failures: list[Failure] = (), wait: bool = False) -> BuildResult:
    """Bring every output of ``targets`` up to date; never raises for one document's failure.

    One build at a time writes an output folder (:func:`output_lock`): a second one raises
    :class:`OutputLocked`, or with ``wait`` waits.  Each document renders under the workspace's
    ``limits:`` (:mod:`docgen.limits`).  Ctrl-C (or SIGTERM) stops submitting, kills the
    workers, saves the manifest and returns with ``interrupted`` set.

    :param formats: e.g. ``("pdf", "docx")``.
    :param executor: default :class:`SerialExecutor`; closed when the build ends.
    :param force: rebuild even outputs whose inputs did not change.
    :param planning_failures: documents whose targets could not be listed (reported and counted).
    """
    executor = executor or SerialExecutor()
    reporter = reporter or _Silent()
    completed = False
    try:
        limits = DocumentLimits.of(ws)
        with output_lock(ws.output_dir, wait, reporter.note):
            result = _build_locked(ws, targets, formats, executor, force, reporter, planning_failures, limits)
        completed = not result.interrupted
        return result
    finally:
        with _sigterm_as_interrupt(ignore=True):
            executor.close(abandon=not completed)


def _build_locked(ws: Workspace, targets: list[Target], formats: tuple[str, ...], executor: Executor,
                  force: bool, reporter: Reporter, planning_failures: list[Failure],
                  limits: DocumentLimits) -> BuildResult:
    output_dir = ws.output_dir
    result = BuildResult(total=len(targets) + len(planning_failures))
    sweep_temporary_files(output_dir)
    manifest = Manifest.load(output_dir, warn=reporter.note)
    stamps = FileStamps()
    reporter.start(result.total)

    def rel(target: Target, fmt: str) -> str:
        return target.output_path(writer(fmt).suffix).as_posix()

    def fail(target: Target, reason: str) -> None:
        result.failed.append(Failure(target, reason))
        reporter.failed(target, reason)

    for failure in planning_failures:
        fail(failure.target, failure.reason)

    def unchanged_files(target: Target) -> bool:
        entries = [manifest.entries.get(rel(target, f)) for f in formats]
        if force or not all(e is not None and e.stamp for e in entries):
            return False
        return all(e.stamp == file_stamp(ws, target, e.sources, stamps) for e in entries)

    def tasks() -> Iterator[Task]:
        for target in targets:
            if unchanged_files(target):
                result.skipped.append(target)
                reporter.skipped(target, [rel(target, f) for f in formats])
                continue
            recorded = {f: (e.inputs if (e := manifest.entries.get(rel(target, f))) else None) for f in formats}
            yield Task(ws, get(target.doc_id), target, formats, recorded, force, limits)

    def write(target: Target, outcome: Outcome) -> None:
        """Write a document's files; an OSError (read-only folder, full disk) fails it alone."""
        outputs = [rel(target, fmt) for fmt in outcome.files]
        manifest.before_write(outputs)
        for fmt, payload in outcome.files.items():
            path = output_dir / rel(target, fmt)
            try:
                write_atomic(path, payload)
            except OSError as e:
                fail(target, f"{_shown(path, ws.root)}: cannot write ({e.strerror or e})")
                return
            manifest.record(rel(target, fmt), target, fmt, outcome.hashes[fmt], payload,
                            outcome.sources, outcome.stamp)
            result.written.append(rel(target, fmt))
        manifest.save_soon()
        result.built.append(target)
        reporter.built(target, outputs)

    queue = executor.results(tasks())
    try:
        with _sigterm_as_interrupt():
            for task, outcome in queue:
                target = task.target
                if outcome.reason is not None:
                    fail(target, outcome.reason)
                    continue
                for fmt in formats:
                    if fmt not in outcome.files:  # its data did not change: only its files' stamp did
                        manifest.restamp(rel(target, fmt), outcome.sources, outcome.stamp)
                if not outcome.files:
                    result.skipped.append(target)
                    reporter.skipped(target, [rel(target, f) for f in formats])
                    continue
                for src in outcome.dropped_pictures:
                    reporter.note(dropped_warning(target.label(), src))
                write(target, outcome)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        with _sigterm_as_interrupt(ignore=True):
            queue.close()
            manifest.save()
            reporter.finish()
    return result


class _Silent:
    def start(self, total: int) -> None: pass
    def note(self, message: str) -> None: pass
    def built(self, target: Target, outputs: list[str]) -> None: pass
    def skipped(self, target: Target, outputs: list[str]) -> None: pass
    def failed(self, target: Target, reason: str) -> None: pass
    def finish(self) -> None: pass


@contextmanager
def _sigterm_as_interrupt(ignore: bool = False) -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while building (so ``kill`` also stops cleanly); with
    ``ignore``, hold both off while the manifest is being saved."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    handler = signal.SIG_IGN if ignore else interrupt
    previous = {sig: signal.signal(sig, handler) for sig in ((signal.SIGTERM, signal.SIGINT) if ignore
                                                             else (signal.SIGTERM,))}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
