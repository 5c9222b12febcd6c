"""The build loop: skip what is current, run the rest, write each file and keep the manifest true."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from docgen.build.executors import Executor, Outcome, SerialExecutor, Task
from docgen.build.failures import Failure
from docgen.build.fingerprint import FileStamps, file_stamp, shown_path
from docgen.build.manifest import Manifest, output_lock, sweep_temporary_files
from docgen.documents import Target, get
from docgen.render.atomic import write_atomic
from docgen.render.pictures import dropped_warning
from docgen.render.writers import writer
from docgen.workspace import Workspace


class Reporter(Protocol):
    """Who hears about each job (see :mod:`docgen.progress`)."""

    def start(self, total: int) -> None: ...
    def note(self, message: str) -> None: ...
    def built(self, target: Target, outputs: list[str]) -> None: ...
    def skipped(self, target: Target, outputs: list[str]) -> None: ...
    def failed(self, target: Target, reason: str) -> None: ...
    def finish(self) -> None: ...



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
        with output_lock(ws.output_dir, wait, reporter.note):
            result = _build_locked(ws, targets, formats, executor, force, reporter, planning_failures)
        completed = not result.interrupted
        return result
    finally:
        with _sigterm_as_interrupt(ignore=True):
            executor.close(abandon=not completed)


def _build_locked(ws: Workspace, targets: list[Target], formats: tuple[str, ...], executor: Executor,
                  force: bool, reporter: Reporter, planning_failures: list[Failure]) -> BuildResult:
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
            yield Task(ws, get(target.doc_id), target, formats, recorded, force)

    def write(target: Target, outcome: Outcome) -> None:
        """Write a document's files; an OSError (read-only folder, full disk) fails it alone."""
        outputs = [rel(target, fmt) for fmt in outcome.files]
        manifest.before_write(outputs)
        for fmt, payload in outcome.files.items():
            path = output_dir / rel(target, fmt)
            try:
                write_atomic(path, payload)
            except OSError as e:
                fail(target, f"{shown_path(path, ws.root)}: cannot write ({e.strerror or e})")
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
