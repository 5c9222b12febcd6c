"""Reading an input file's bytes and text: the one place that says why a file cannot be read.

Every data reader (YAML, customer lists, ledgers) starts here, so a folder where a file
should be, a link leading out of the workspace or a file in the wrong encoding gets the
same located message whichever file it is.
"""
from __future__ import annotations

from pathlib import Path

from docgen.errors import DataError, Problem

# encodings a Chinese office's files come in besides UTF-8, tried in this order to say which
# one a file is in (GB18030 decodes almost any bytes, so it is only named after the others)
_OTHER_ENCODINGS = (("gbk", "GBK"), ("big5", "Big5"), ("gb18030", "GB18030"))
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")   # Excel's "Unicode text" export starts with one


def _fail(name: str, message: str, line: int | None = None) -> DataError:
    return DataError("", [Problem(name, line, "", message)])


def inside(path: Path, root: Path | None) -> bool:
    """Whether ``path``, links resolved, lies inside ``root`` (always true without a root)."""
    if root is None:
        return True
    return path.resolve().is_relative_to(root.resolve())


def check_input(path: Path, root: Path | None, name: str) -> None:
    """Refuse, before anything is read, a folder where a file should be and a link (or a
    linked folder on the way) that leads outside ``root``: plan data is shared, the
    machine's other files are not."""
    if not inside(path, root):
        raise _fail(name, f"leads outside the workspace (to {path.resolve().as_posix()}); "
                          "docgen reads only files inside it: copy the file in instead of linking it")
    if path.is_dir():
        raise _fail(name, "is a folder, expected a file")


def read_input(path: Path, root: Path | None, name: str) -> bytes:
    """The bytes of an input file, or a :class:`DataError` naming ``name`` and why not."""
    check_input(path, root, name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _fail(name, "file not found") from None
    except OSError as e:
        raise _fail(name, f"cannot read: {e.strerror or e}") from None


def bad_utf8(data: bytes, name: str, advice: str) -> DataError:
    """The error for bytes that are not UTF-8: the line and byte of the first bad byte, and
    the encoding the file is probably in."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        start = e.start
    else:  # pragma: no cover - only called for bytes that failed to decode
        start = 0
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    encoding = "UTF-16" if data.startswith(UTF16_BOMS) else next(
        (label for codec, label in _OTHER_ENCODINGS if _decodes(data, codec)), None)
    guess = f"; it reads as {encoding} text" if encoding else ""
    return _fail(name, f"not UTF-8 text: byte {column} of the line (0x{data[start]:02X}) is not UTF-8"
                       f"{guess}: {advice}", line)


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def decode_utf8(data: bytes, name: str, advice: str = "save it as UTF-8") -> str:
    """``data`` as UTF-8 text (an Excel BOM dropped), else a located :class:`DataError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad_utf8(data, name, advice) from None
