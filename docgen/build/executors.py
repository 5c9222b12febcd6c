"""Running :class:`Task` s: in this process, in a local process pool, or on a Dask cluster.

A worker prepares the document (reads its data), hashes what it read and its templates,
renders only the formats whose hash differs from the manifest's, and sends the bytes back;
only the parent writes.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import functools
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from docgen.build.failures import failure_reason
from docgen.build.fingerprint import FILE_HASHES, FileStamps, file_stamp, input_hash, shown_path
from docgen.build.jobs import make_job
from docgen.documents import DocumentType, Target
from docgen.errors import ConfigError, DocgenError, MissingDependency
from docgen.limits import die_with_parent, run_limited
from docgen.render.compose import compose
from docgen.render.writers import writer
from docgen.workspace import Workspace


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
        return run_limited(task.ws.config.limits, functools.partial(_render, task))
    except Exception as e:  # fault isolation
        return Outcome(reason=failure_reason(e))
    finally:
        _release_memory()


def _render(task: Task) -> Outcome:
    job = make_job(task.ws, task.target, doc=task.doc)
    hashes = {fmt: input_hash(job, fmt, FILE_HASHES) for fmt in task.formats}
    sources = tuple(sorted({shown_path(Path(p), task.ws.root) for p in job.inputs}))
    stamp = file_stamp(task.ws, task.target, sources, FileStamps())
    stale = tuple(f for f in task.formats if task.force or task.recorded.get(f) != hashes[f])
    if not stale:
        return Outcome(hashes, sources, stamp)
    doc = compose(job)
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
            context.set_forkserver_preload(["docgen.forkserver", "docgen.build.executors"])
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
            if outcome is _POOL_BROKE:
                outcome = Outcome(reason="BrokenProcessPool: its worker process died")
            yield task, outcome

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
            raise MissingDependency("--scheduler needs Dask: pip install '.[dask]' in a clone of docgen "
                                    "(README)") from None
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
        with contextlib.suppress(OSError, TimeoutError):  # the scheduler is gone: nothing left to tell it
            self.client.close(timeout=self.seconds)


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
