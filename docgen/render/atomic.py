"""Atomic file writes: a temporary file beside the target, then a rename.

An interrupted run never leaves a half-written file where a good one was.  The temporary
file's name carries the writer's pid (``.NAME.PID.RANDOM.tmp``), so a later build clears
only what a dead writer left.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_TEMPORARY = re.compile(r"\..+\.(\d+)\.[^.]+\.tmp")


def write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` so that readers see the old file or the new one, never a mix.

    The temporary name is chosen before the file exists, so an interrupt (Ctrl-C, SIGTERM)
    landing at any step still finds it to remove."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # an ordinary file: 0666 less umask
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_file_pid(name: str) -> int | None:
    """The pid of the process writing temporary file ``name``; ``None`` if the name has none."""
    match = _TEMPORARY.fullmatch(name)
    return int(match[1]) if match else None
