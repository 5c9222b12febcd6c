"""One cache helper (docgen.data.cache): a value is read again as soon as a file it came from changes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import copy_example

from docgen.data.cache import FileCache, signature
from docgen.data.plan import load_plan
from docgen.workspace import Workspace


class Reads:
    """A reader that counts its calls and returns the file's text."""

    def __init__(self, path: Path) -> None:
        self.path, self.count = path, 0

    def __call__(self) -> str:
        self.count += 1
        return self.path.read_text(encoding="utf-8")


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text("task: 560萬\n", encoding="utf-8")
    return path


def test_an_unchanged_file_is_read_once(file):
    cache: FileCache[str, str] = FileCache(entries=1)
    read = Reads(file)
    assert [cache.get("k", [file], read) for _ in range(3)] == ["task: 560萬\n"] * 3
    assert read.count == 1


def test_an_edit_of_the_same_size_and_mtime_is_seen_through_the_inode(file, tmp_path):
    cache: FileCache[str, str] = FileCache(entries=1)
    read = Reads(file)
    cache.get("k", [file], read)
    st = file.stat()
    new = tmp_path / "new.yaml"
    new.write_text("task: 700萬\n", encoding="utf-8")  # same length, as an editor saving by rename
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    new.replace(file)
    assert (file.stat().st_size, file.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert cache.get("k", [file], read) == "task: 700萬\n"
    assert read.count == 2


def test_size_mtime_and_removal_each_count_as_a_change(file):
    before = signature([file])
    file.write_text("task: 5600萬\n", encoding="utf-8")
    grown = signature([file])
    assert grown != before and grown[0][1] == before[0][1] + 1
    os.utime(file, ns=(0, grown[0][2] + 1))
    assert signature([file]) != grown
    file.unlink()
    assert signature([file]) == ((str(file), -1, -1, -1),)


def test_the_least_recently_used_key_goes_first(file):
    cache: FileCache[str, str] = FileCache(entries=2)
    read = Reads(file)
    for key in ("a", "b", "a", "c", "a", "b"):  # c evicts b (a was used after b); b is read again
        cache.get(key, [file], read)
    assert read.count == 4  # a, b, c, b
    assert len(cache) == 2
    with pytest.raises(ValueError, match="at least one entry"):
        FileCache(entries=0)


def test_a_plan_is_loaded_once_and_again_after_an_edit(tmp_path, monkeypatch):
    import docgen.data.loading as loading

    ws = Workspace.open(copy_example(tmp_path / "ws"))
    loads = []
    real = loading._Loader.load
    monkeypatch.setattr(loading._Loader, "load", lambda self: loads.append(1) or real(self))
    first, _ = load_plan(ws, 2026)
    again, _ = load_plan(ws, 2026)
    assert again is first and len(loads) == 1
    region = ws.root / "plans/2026/regions/south.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace("task: ", "task:  ", 1), encoding="utf-8")
    edited, _ = load_plan(ws, 2026)
    assert edited is not first and len(loads) == 2
