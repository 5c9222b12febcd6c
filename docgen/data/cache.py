"""What was read from files, kept per process while those files are unchanged.

A batch makes many documents from the same inputs (a year's plan, a month's ledgers), and
reading them again for each document costs most of the batch.  :class:`FileCache` keeps the
result under a key together with the *stat signature* of the files it was read from, and
reads again as soon as one of them changes: ``docgen preview`` and long runs see edits.

The signature is each file's size, modification time (ns) and inode: editors and
``write_atomic`` replace a file by renaming a new one over it, which keeps the size and, on a
file system with coarse timestamps, even the mtime, but never the inode.  Values are shared
between callers: keep only immutable ones (frozen models, tuples).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["FileCache", "Signature", "signature"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: ``(path, size, mtime_ns, inode)`` per file, in the order given; ``-1``s for a file that is gone.
Signature = tuple[tuple[str, int, int, int], ...]


def signature(files: Iterable[Path]) -> Signature:
    """The stat signature of ``files``: what changes when any of them is edited, replaced or removed."""
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:  # removed since it was listed: a change like any other
            out.append((str(path), -1, -1, -1))
        else:
            out.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


class FileCache(Generic[K, V]):
    """At most ``entries`` values by key, each valid while its files keep their signature.

    :param entries: how many keys to keep; the least recently used goes first.
    """

    def __init__(self, entries: int) -> None:
        if entries < 1:
            raise ValueError(f"a cache keeps at least one entry, got {entries}")
        self._entries = entries
        self._values: OrderedDict[K, tuple[Signature, V]] = OrderedDict()

    def get(self, key: K, files: Iterable[Path], read: Callable[[], V]) -> V:
        """The value kept for ``key`` if ``files`` are unchanged since it was read, else ``read()``'s.

        The signature is taken before reading, so a file changed while it is read is read again next time.
        """
        current = signature(files)
        kept = self._values.get(key)
        if kept is not None and kept[0] == current:
            self._values.move_to_end(key)
            return kept[1]
        value = read()
        self._values[key] = (current, value)
        self._values.move_to_end(key)
        while len(self._values) > self._entries:
            self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
