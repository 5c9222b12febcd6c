"""What one document may cost: a time limit and a memory limit, and worker processes that die
with the build that started them.

A region's template is code its author controls: a triple ``range(99999)`` loop runs for
days, a huge string fills the machine.  Each document is rendered under :func:`run_limited`:

* time: a ``SIGALRM`` after ``document_seconds`` raises in the rendering code (templates are
  Python, so it is heard between two steps); the CPU-time limit ``RLIMIT_CPU`` is the backstop
  for code stuck inside a C call, which the kernel ends outright;
* memory: the address space may grow by ``document_memory`` while the document renders
  (``RLIMIT_AS``), so an allocation past it fails with ``MemoryError`` instead of the machine
  swapping.  Address space, not resident memory: only a limit the kernel enforces stops one
  huge allocation before it happens.

Both need the process's main thread (signals and limits are per process), which local workers
and ``docgen render`` have and Dask's threaded workers do not: there the cluster's own worker
limits apply.
"""
from __future__ import annotations

import ctypes
import math
import os
import resource
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from docgen.data.limits import Limits
from docgen.errors import DocgenError

T = TypeVar("T")

_CPU_GRACE = 5  # seconds of CPU past the time limit before the kernel ends a worker stuck in C


def show_size(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


class LimitExceeded(DocgenError):
    """A document went past its time or memory limit (the message says which)."""


class _OutOfTime(BaseException):
    """Raised by the alarm inside the rendering code; a BaseException so that no ``except
    Exception`` on the way (a template error wrapper) turns it into another failure."""


def run_limited(limits: Limits, work: Callable[[], T], label: str = "") -> T:
    """``work()`` under ``limits`` (``document_seconds`` and ``document_memory`` of ``limits:`` in
    docgen.yaml, checked when it was read); past one, raise :class:`LimitExceeded` naming it.

    A function, not a context manager: the alarm can arrive at any step, also while the
    block's own exception is on its way out, and only an enclosing ``try`` sees it there.

    :param label: put before the message (``docgen render`` names its document; a build's
        failure line already does).
    """
    if threading.current_thread() is not threading.main_thread():
        return work()  # signals and process limits belong to the main thread (Dask workers)
    prefix = f"{label}: " if label else ""
    seconds, memory = limits.document_seconds, limits.document_memory
    previous = signal.getsignal(signal.SIGALRM)
    saved = {which: resource.getrlimit(which)
             for which in (resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_CORE)}

    def restore() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        for which, value in saved.items():
            resource.setrlimit(which, value)

    try:
        try:
            if memory and (now := _address_space()) is not None:
                _lower(resource.RLIMIT_AS, now + memory)
            if seconds:
                _lower(resource.RLIMIT_CPU, math.ceil(_cpu_seconds() + seconds) + _CPU_GRACE)
                _lower(resource.RLIMIT_CORE, 0)  # the CPU limit's SIGXCPU would dump the worker's memory
                signal.signal(signal.SIGALRM, _alarm)
                signal.setitimer(signal.ITIMER_REAL, seconds)  # fires once
            return work()
        finally:
            restore()
    except _OutOfTime:
        restore()  # the alarm may have cut the first one short
        raise LimitExceeded(f"{prefix}time limit: still running after {seconds:g} s "
                            f"(limits.document_seconds in docgen.yaml)") from None
    except MemoryError:
        if not memory:
            raise
        raise LimitExceeded(f"{prefix}memory limit: needed more than {show_size(memory)} "
                            f"(limits.document_memory in docgen.yaml)") from None


def _alarm(signum: int, frame: Any) -> None:
    raise _OutOfTime


def _lower(which: int, soft: int) -> None:
    """Set a soft limit, never above the hard one."""
    _, hard = resource.getrlimit(which)
    resource.setrlimit(which, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _address_space() -> int | None:
    """This process's address space now (``VmSize``), in bytes; ``None`` without ``/proc``
    (not Linux: there is no memory limit)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:
        return None


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; elsewhere nothing).

    A build killed outright (SIGKILL, the OOM killer) runs no clean-up: without this its
    workers, busy with a runaway template, would go on for hours."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request was made: adopted by init
        os._exit(1)
