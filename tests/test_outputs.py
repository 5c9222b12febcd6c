"""Outputs are deterministic and written atomically; bad input never leaves a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.render import atomic


def render(ws: Path, *extra: str):
    return CliRunner().invoke(cli, ["-w", str(ws), "render", "charter", *extra])


def test_two_builds_are_byte_identical(workspace, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert render(workspace, "-f", "docx,pdf,html", "-o", str(first)).exit_code == 0
    assert render(workspace, "-f", "docx,pdf,html", "-o", str(second)).exit_code == 0
    for suffix in ("docx", "pdf", "html"):
        a = (first / "2026" / "company" / f"charter.{suffix}").read_bytes()
        b = (second / "2026" / "company" / f"charter.{suffix}").read_bytes()
        assert a == b, suffix


def pdf_dates(data: bytes) -> tuple[str, str]:
    import io

    import pypdf

    meta = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    return str(meta["/CreationDate"]), str(meta["/ModDate"])


def test_pdf_dates_come_from_the_data_or_source_date_epoch(workspace, tmp_path, monkeypatch):
    assert render(workspace, "-f", "pdf", "-o", str(tmp_path / "a")).exit_code == 0
    plain = (tmp_path / "a" / "2026" / "company" / "charter.pdf").read_bytes()
    assert pdf_dates(plain) == ("D:20260101", "D:20260101")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert render(workspace, "-f", "pdf", "-o", str(tmp_path / "b")).exit_code == 0
    assert (tmp_path / "b" / "2026" / "company" / "charter.pdf").read_bytes() == plain
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    assert render(workspace, "-f", "pdf", "-o", str(tmp_path / "c")).exit_code == 0
    assert pdf_dates((tmp_path / "c" / "2026" / "company" / "charter.pdf").read_bytes())[0].startswith("D:20260528")


def test_an_interrupted_write_leaves_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "out" / "charter.pdf"
    atomic.write_atomic(target, b"the good file")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("docgen.render.atomic.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomic(target, b"half a new fi")
    assert target.read_bytes() == b"the good file"
    assert [p.name for p in target.parent.iterdir()] == ["charter.pdf"]


def test_a_failed_render_does_not_touch_existing_outputs(workspace):
    assert render(workspace, "-f", "html,pdf").exit_code == 0
    out = workspace / "output" / "2026" / "company"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    charter = workspace / "plans" / "charter.yaml"
    charter.write_text(charter.read_text(encoding="utf-8").replace("headcount: 2", "headcount: two", 1),
                       encoding="utf-8")
    assert render(workspace, "-f", "html,pdf").exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("edit, expected", [
    (("roles:                       # 市場部作用", "roles: [unclosed"),
     "plans/charter.yaml:16: invalid YAML: expected ',' or ']', but got ':' "
     "(while parsing a flow sequence started at line 10)"),
    (("    headcount: 2\n", "    headcount: two\n"),
     "plans/charter.yaml:60: positions[1].headcount: expected a number, got 'two'"),
    (("    duties: [制定、督促、實施必要的銷售推廣, 專賣店形象的管理與建設]", "    duties: 42"),
     "plans/charter.yaml:62: positions[1].duties: expected a list, got a number"),
    (("summary: |", "summery: |"),
     "plans/charter.yaml:3: summary: required field is missing"),
    (("    reports_to: sales\n", "    reports_to: warehouse\n"),
     "plans/charter.yaml:49: departments[6].reports_to: unknown department 'warehouse'; "
     "known: admin, finance, gm, logistics, marketing, rnd, sales"),
])
def test_bad_charter_data_gives_one_located_line_and_exit_1(workspace, edit, expected):
    charter = workspace / "plans" / "charter.yaml"
    text = charter.read_text(encoding="utf-8")
    assert edit[0] in text
    charter.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    result = render(workspace, "-f", "html")
    assert result.exit_code == 1
    assert expected in result.output.splitlines()
    assert "Traceback" not in result.output


def test_the_console_command_prints_no_traceback(workspace):
    (workspace / "docgen.yaml").write_text("company: [broken\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "docgen", "-w", str(workspace), "render", "charter"],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(Path.cwd())))
    assert proc.returncode == 1
    assert proc.stderr.startswith("docgen.yaml:2: invalid YAML: ")
    assert "Traceback" not in proc.stderr


def test_unknown_region_and_bad_period_are_clear(workspace):
    result = CliRunner().invoke(cli, ["-w", str(workspace), "templates", "list", "--region", "north"])
    assert result.exit_code == 1
    assert result.output.strip() == ("unknown region 'north'; regions in docgen.yaml: south (華南區), "
                                     "east (華東區), shandong (山東區)")
    result = render(workspace, "--period", "2026-13")
    assert result.exit_code == 1
    assert "--period '2026-13': expected a year like 2026 or a month like 2026-06" in result.output


def test_not_a_workspace(tmp_path):
    result = CliRunner().invoke(cli, ["-w", str(tmp_path), "render", "charter"])
    assert result.exit_code == 1
    assert "not a docgen workspace (no docgen.yaml)" in result.output
