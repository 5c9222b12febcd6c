"""Issue 16 item 7: what the operating system refuses is a problem, not a crash.

A folder that cannot be written (read-only, disk full) fails the documents that go there, with
their path and the system's reason; the rest are built; exit 1, no traceback.  A manifest that
cannot be read is moved aside with a warning and the build goes on.
"""
from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_build import ALL_HTML, MANIFEST_NAME, built_paths, make_workspace, manifest_is_true, roster, run_build, runner  # noqa: F401


def refuse_in(monkeypatch: pytest.MonkeyPatch, folder: str, code: int) -> None:
    """Make the system refuse writes below ``folder`` with ``code``: at creating the temporary
    file (a read-only folder) or at flushing it (a disk that fills up while writing)."""
    if code == errno.EROFS:
        real_open = os.open

        def refusing_open(file, flags, *args, **kwargs):
            if folder in str(file) and flags & os.O_CREAT:
                raise OSError(code, os.strerror(code), str(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    else:
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if folder in os.readlink(f"/proc/self/fd/{fd}"):
                raise OSError(code, os.strerror(code))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("code, reason", [(errno.EROFS, "Read-only file system"),
                                          (errno.ENOSPC, "No space left on device")])
def test_a_folder_that_cannot_be_written_fails_its_documents_alone(tmp_path: Path, roster, runner,
                                                                   monkeypatch, code: int, reason: str) -> None:
    root = make_workspace(tmp_path / "ws")
    refuse_in(monkeypatch, "/output/2026/east", code)
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "internal error" not in result.output
    failed = [line for line in result.output.splitlines() if line.startswith("FAILED")]
    assert failed == [f"FAILED roster 2026 east: output/2026/east/roster.html: cannot write ({reason})"]
    assert built_paths(result.output) == [p for p in ALL_HTML if "east" not in p]
    assert sorted(manifest_is_true(root / "output")) == [p for p in ALL_HTML if "east" not in p]


def test_a_manifest_that_cannot_be_saved_is_a_warning(tmp_path: Path, roster, runner, monkeypatch) -> None:
    root = make_workspace(tmp_path / "ws")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if MANIFEST_NAME in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert result.exit_code == 0
    assert result.output.count("cannot save the manifest") == 1
    assert f"{root / 'output' / MANIFEST_NAME}: warning: cannot save the manifest (No space left on device)" \
        in result.output
    assert built_paths(result.output) == ALL_HTML


def test_an_output_folder_where_no_lock_can_be_made_is_one_clear_error(tmp_path: Path, roster, runner,
                                                                      monkeypatch) -> None:
    root = make_workspace(tmp_path / "ws")
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if str(path).endswith(".docgen-lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert result.output == f"{root / 'output/.docgen-lock'}: cannot create the build lock (Read-only file system)\n"


def _deep(path: Path) -> None:
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")


def _garbage(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\x00{garbage")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "x").write_text("x", encoding="utf-8")


@pytest.mark.parametrize("spoil, reason", [(_deep, "RecursionError"), (_garbage, "UnicodeDecodeError"),
                                           (_folder, "Is a directory")])
def test_an_unreadable_manifest_is_set_aside_and_the_build_goes_on(tmp_path: Path, roster, runner,
                                                                   spoil, reason: str) -> None:
    root = make_workspace(tmp_path / "ws")
    output = root / "output"
    assert run_build(runner, root, "-f", "html", "-j", "1").exit_code == 0
    manifest = output / MANIFEST_NAME
    manifest.unlink()
    spoil(manifest)
    result = run_build(runner, root, "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    aside = [p.name for p in output.iterdir() if p.name.endswith(".unreadable")]
    assert len(aside) == 1
    assert f"{manifest}: warning: cannot read the manifest ({reason}); moved to {aside[0]}, " \
           f"every document is rebuilt" in result.output
    assert built_paths(result.output) == ALL_HTML
    assert sorted(manifest_is_true(output)) == ALL_HTML
    again = run_build(runner, root, "-f", "html", "-j", "1")
    assert "warning" not in again.output and "built 0, skipped 4, failed 0" in again.output


def test_render_into_a_folder_that_cannot_be_written_is_one_clear_error(tmp_path: Path, roster, runner,
                                                                       monkeypatch) -> None:
    from docgen.cli import cli

    root = make_workspace(tmp_path / "ws")
    refuse_in(monkeypatch, "/output/2026/east", errno.ENOSPC)
    result = runner.invoke(cli, ["-w", str(root), "render", "roster", "-r", "east", "-f", "html"])
    assert result.exit_code == 1
    assert result.output == f"{root / 'output/2026/east/roster.html'}: cannot write (No space left on device)\n"
    assert not list((root / "output").rglob("*.tmp"))
