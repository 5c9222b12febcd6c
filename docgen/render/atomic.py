"""Atomic file writes: a temporary file beside the target, then a rename.

An interrupted run never leaves a half-written file where a good one was.  The temporary
file's name carries the writer's pid (``.NAME.PID.RANDOM.tmp``), so a later build clears
only what a dead writer left.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_TEMPORARY = re.compile(r"\..+\.(\d+)\.[^.]+\.tmp")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporary_file_pid(name: str) -> int | None:
    """The pid of the process writing temporary file ``name``; ``None`` if the name has none."""
    match = _TEMPORARY.fullmatch(name)
    return int(match[1]) if match else None
