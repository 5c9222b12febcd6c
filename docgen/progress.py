"""Build progress: a redrawn bar on a terminal, plain lines anywhere else.

On a TTY one line is redrawn with ``\\r``::

    [########------------] 12/40 built 10 skipped 1 failed 1  ETA 0:42

In CI logs and files each event is a plain line (``built 2026/east/annual-plan.pdf``)
with no control characters.  Failures always get their own line, on stderr.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from typing import TextIO

from docgen.documents import Target

BAR_WIDTH = 20
REDRAW_INTERVAL = 0.1  # seconds: a thousand skipped jobs should not mean a thousand redraws


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal that understands ``\\r`` (not CI, not dumb)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")


class Progress:
    """Hears about each job of a build (see :class:`docgen.build.Reporter`) and shows it.

    :param out: where progress goes (default stdout).
    :param err: where failures go (default stderr).
    :param tty: force the bar on or off (default: whether ``out`` is a terminal).
    """

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None, tty: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.tty = is_terminal(self.out) if tty is None else tty
        self.total = 0
        self.built_count = self.skipped_count = self.failed_count = 0
        self._started = time.monotonic()
        self._rendering_started: float | None = None
        self._rendered = 0
        self._last_draw = 0.0
        self._bar_shown = False

    # -- events ---------------------------------------------------------------------------------
    def start(self, total: int) -> None:
        self.total = total
        self._started = time.monotonic()
        self._draw(force=True)

    def note(self, message: str) -> None:
        """A line for the user that is not about one document (a warning, waiting for a lock)."""
        self._clear()
        self._write(self.err, message)
        self._draw(force=True)

    def built(self, target: Target, outputs: list[str]) -> None:
        self.built_count += 1
        self._count_rendered()
        self._lines(f"built {o}" for o in outputs)

    def skipped(self, target: Target, outputs: list[str]) -> None:
        self.skipped_count += 1
        self._lines(f"skipped {o}" for o in outputs)

    def failed(self, target: Target, reason: str) -> None:
        self.failed_count += 1
        self._count_rendered()
        self._clear()
        self._write(self.err, f"FAILED {target.label()}: {reason}")
        self._draw(force=True)

    def finish(self) -> None:
        if self.tty and self._bar_shown:
            self._draw(force=True)
            self.out.write("\n")
            self.out.flush()
            self._bar_shown = False

    # -- the bar --------------------------------------------------------------------------------
    @property
    def done(self) -> int:
        return self.built_count + self.skipped_count + self.failed_count

    def bar(self) -> str:
        """The bar's text (without ``\\r``)."""
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        eta = self.eta()
        return (f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {self.done}/{self.total} "
                f"built {self.built_count} skipped {self.skipped_count} failed {self.failed_count}"
                + (f"  ETA {eta}" if eta else ""))

    def eta(self) -> str | None:
        """Time left at the rate documents have been rendered so far (skips are near free)."""
        left = self.total - self.done
        if left <= 0 or not self._rendered or self._rendering_started is None:
            return None
        rate = self._rendered / max(time.monotonic() - self._rendering_started, 1e-6)
        seconds = round(left / rate)
        hours, rest = divmod(seconds, 3600)
        return (f"{hours}:" if hours else "") + f"{rest // 60:{'02' if hours else ''}d}:{rest % 60:02d}"

    def _count_rendered(self) -> None:
        if self._rendering_started is None:
            # the first result took a whole render; start the clock at the build's start
            self._rendering_started = self._started
        self._rendered += 1

    def _lines(self, lines: Iterable[str]) -> None:
        if self.tty:
            self._draw()
        else:
            for line in lines:
                self._write(self.out, line)

    def _draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < REDRAW_INTERVAL and self.done < self.total:
            return
        self._last_draw = now
        self.out.write("\r" + self.bar().ljust(79))
        self.out.flush()
        self._bar_shown = True

    def _clear(self) -> None:
        if self.tty and self._bar_shown:
            self.out.write("\r" + " " * 79 + "\r")
            self.out.flush()
            self._bar_shown = False

    @staticmethod
    def _write(stream: TextIO, line: str) -> None:
        stream.write(line + "\n")
        stream.flush()
