"""The template search chain, region overrides, and what a hostile template cannot do."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import pdf_text

from docgen.build.jobs import make_job, run_job
from docgen.cli import cli
from docgen.documents import Target
from docgen.errors import TemplateError
from docgen.workspace import Workspace, builtin_templates


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def render_html(ws_root: Path, region: str | None = None) -> str:
    ws = Workspace.open(ws_root)
    return run_job(make_job(ws, Target("charter", "2026", region)), ("html",))["html"].decode()


def test_chain_order_is_region_then_workspace_then_builtin(workspace):
    (workspace / "plans" / "templates").mkdir()
    (workspace / "regions" / "east" / "templates").mkdir(parents=True)
    ws = Workspace.open(workspace)
    assert ws.template_chain("east") == [
        (workspace / "regions" / "east" / "templates").resolve(),
        (workspace / "plans" / "templates").resolve(),
        builtin_templates().resolve(),
    ]
    assert ws.template_chain(None) == [(workspace / "plans" / "templates").resolve(), builtin_templates().resolve()]


def test_most_specific_folder_wins(workspace):
    write(workspace / "plans" / "templates" / "charter.html.j2",
          '{% extends "base.html.j2" %}{% block content %}<p>WORKSPACE</p>{% endblock %}')
    write(workspace / "regions" / "east" / "templates" / "charter.html.j2",
          '{% extends "base.html.j2" %}{% block content %}<p>REGION</p>{% endblock %}')
    assert "WORKSPACE" in render_html(workspace)
    east = render_html(workspace, "east")
    assert "REGION" in east and "WORKSPACE" not in east
    assert "WORKSPACE" in render_html(workspace, "south")


def test_region_override_of_one_block_inherits_the_rest(workspace):
    write(workspace / "regions" / "east" / "templates" / "charter.html.j2",
          '{% extends "builtin/charter.html.j2" %}\n'
          '{% block training %}<h2>七、華東區培訓安排</h2><p>每月第一個週六集中培訓。</p>{% endblock %}\n')
    east = render_html(workspace, "east")
    base = render_html(workspace)
    assert "七、華東區培訓安排" in east and "七、培訓計畫" not in east
    assert "七、培訓計畫" in base
    for inherited in ("一、市場部職能", "三、工作標準", "準確性", "五、部門協作"):
        assert inherited in east


def test_region_stylesheet_override_reaches_the_pdf(workspace):
    write(workspace / "regions" / "east" / "templates" / "style.css",
          (builtin_templates() / "style.css").read_text(encoding="utf-8") + "\nh2 { color: #aa0000; }\n")
    ws = Workspace.open(workspace)
    html = run_job(make_job(ws, Target("charter", "2026", "east")), ("html",))["html"].decode()
    assert "#aa0000" in html


def test_templates_list_shows_the_chain(workspace):
    write(workspace / "regions" / "east" / "templates" / "charter.html.j2", "x")
    out = CliRunner().invoke(cli, ["-w", str(workspace), "templates", "list", "--region", "east"]).output
    lines = out.splitlines()
    assert lines[1] == "  1. regions/east/templates"
    assert lines[2].startswith("  2. (built-in)")
    assert any(line.startswith("charter.html.j2") and line.endswith("regions/east/templates") for line in lines)


def test_eject_copies_the_builtin_for_a_region(workspace):
    result = CliRunner().invoke(cli, ["-w", str(workspace), "templates", "eject", "charter.html.j2", "-r", "east"])
    assert result.exit_code == 0, result.output
    ejected = workspace / "regions" / "east" / "templates" / "charter.html.j2"
    assert ejected.read_text(encoding="utf-8") == (builtin_templates() / "charter.html.j2").read_text(encoding="utf-8")
    again = CliRunner().invoke(cli, ["-w", str(workspace), "templates", "eject", "charter.html.j2", "-r", "east"])
    assert again.exit_code == 1 and "use --force" in again.output


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ charter.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
])
def test_sandbox_escape_is_a_template_error_with_file_and_line(workspace, body):
    write(workspace / "plans" / "templates" / "charter.html.j2",
          '{% extends "base.html.j2" %}\n{% block content %}\n<p>ok</p>\n' + body + "\n{% endblock %}\n")
    result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-f", "html"])
    assert result.exit_code == 1
    assert result.output.startswith("plans/templates/charter.html.j2:4: template ")
    assert "Traceback" not in result.output
    assert not (workspace / "output" / "2026" / "company" / "charter.html").exists()


def test_syntax_error_names_file_and_line(workspace):
    write(workspace / "plans" / "templates" / "charter.html.j2",
          '{% extends "base.html.j2" %}\n{% block content %}\n{% for x in %}\n{% endblock %}\n')
    result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-f", "html"])
    assert result.exit_code == 1
    assert result.output.startswith("plans/templates/charter.html.j2:3: template syntax error: ")


def test_undefined_variable_is_an_error_not_an_empty_cell(workspace):
    write(workspace / "plans" / "templates" / "charter.html.j2",
          '{% extends "base.html.j2" %}\n{% block content %}\n<td>{{ charter.no_such_field }}</td>\n{% endblock %}\n')
    with pytest.raises(TemplateError) as err:
        render_html(workspace)
    assert str(err.value.problems[0]).startswith("plans/templates/charter.html.j2:3: template error: ")
    assert "no_such_field" in str(err.value.problems[0])


class _Listener:
    """A TCP port on loopback that records whether anything connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


def test_hostile_urls_in_a_template_fetch_and_embed_nothing(workspace, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG-NOT-FOR-DOCUMENTS-7f3a")
    listener = _Listener()
    try:
        write(workspace / "plans" / "templates" / "charter.html.j2",
              '{% extends "builtin/charter.html.j2" %}\n{% block roles %}\n'
              f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/x.css">\n'
              f'<link rel="attachment" href="file://{secret}">\n'
              f'<img src="http://127.0.0.1:{listener.port}/x.png" alt="remote">\n'
              '<img src="file:///etc/passwd" alt="passwd">\n'
              f'<img src="file://{secret}" alt="outside">\n'
              '<img src="../../../../etc/hostname" alt="escape">\n'
              '{{ super() }}\n{% endblock %}\n')
        result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-f", "html,pdf,docx"])
        assert result.exit_code == 0, result.output
    finally:
        listener.close()
    assert listener.connections == 0
    out = workspace / "output" / "2026" / "company"
    html = (out / "charter.html").read_text(encoding="utf-8")
    assert "127.0.0.1" not in html and "/etc/passwd" not in html and str(secret) not in html
    for f in ("charter.html", "charter.pdf", "charter.docx"):
        data = (out / f).read_bytes()
        assert b"NOT-FOR-DOCUMENTS" not in data and b"root:x:0:0" not in data
    assert "一、市場部職能" in pdf_text(out / "charter.pdf")


def test_markup_in_data_shows_as_text(workspace):
    charter = workspace / "plans" / "charter.yaml"
    text = charter.read_text(encoding="utf-8").replace(
        "  - 是企業的靈魂。", '  - "是企業的靈魂 <script>alert(1)</script> & R&D <img src=file:///etc/passwd>"')
    charter.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(workspace), "render", "charter", "-f", "html,pdf,docx"])
    assert result.exit_code == 0, result.output
    out = workspace / "output" / "2026" / "company"
    html = (out / "charter.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; R&amp;D &lt;img" in html
    assert "<script>" not in html
    assert "<script>alert(1)</script> & R&D" in pdf_text(out / "charter.pdf")
    from conftest import docx_document

    paragraphs = [p.text for p in docx_document(out / "charter.docx").paragraphs]
    assert any("<script>alert(1)</script> & R&D <img src=file:///etc/passwd>" in p for p in paragraphs)
