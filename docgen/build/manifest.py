"""The output folder's record of what it holds (the manifest), its lock, and the sweep of
temporary files a killed run left.

The saved manifest only ever lists files that are on disk with the recorded hash: an entry
is dropped *and saved* before its file is overwritten, and added only after the new file is
on disk; on load, entries whose file is missing or differs are dropped anyway.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docgen import __version__
from docgen.build.fingerprint import sha256_file
from docgen.documents import Target
from docgen.errors import ConfigError, DocgenError
from docgen.render.atomic import temporary_file_pid, write_atomic

MANIFEST_NAME = ".docgen-manifest.json"
MANIFEST_FORMAT = 1

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
    if sha256_file(path) != entry.sha256:
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
