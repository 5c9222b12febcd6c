"""Issue 16 items 2 and 8a: every stylesheet, picture and font fetch goes through one policy.

Allowed: ``asset:``, ``data:``, and picture/font/stylesheet files inside the template
folders or the workspace's ``assets/`` (after resolving symlinks).  Each test performs
the attack and also shows the allowed twin working, so a test that passes because
nothing is fetched at all would fail.
"""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compact, docx_document, pdf_font_families, pdf_text

from docgen.cli import cli
from docgen.workspace import builtin_templates

MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def style(workspace: Path, extra: str, folder: str = "plans/templates") -> None:
    """The built-in stylesheet plus ``extra``, as the workspace's (or a region's) override."""
    builtin = (builtin_templates() / "style.css").read_text(encoding="utf-8")
    write(workspace / folder / "style.css", extra + "\n" + builtin)


def render(workspace: Path, formats: str = "html,pdf", *args: str, doc: str = "charter"):
    return CliRunner().invoke(cli, ["-w", str(workspace), "render", doc, "-f", formats, *args])


def out(workspace: Path, name: str, region: str = "company") -> Path:
    return workspace / "output" / "2026" / region / name


class Listener:
    """A TCP port on loopback that counts connections."""

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


@pytest.fixture
def listener():
    port = Listener()
    yield port
    port.close()


def test_import_of_a_local_file_outside_the_chain_reaches_no_output(workspace, tmp_path):
    secret = write(tmp_path / "secret.css", 'h1::after { content: "OUTSIDE-SECRET-91"; }')
    write(workspace / "plans" / "templates" / "inside.css", 'h1::after { content: "INSIDE-OK-42"; }')
    (workspace / "plans" / "templates" / "linked.css").symlink_to(secret)
    style(workspace, f'@import url("file:///etc/passwd");\n@import url("file://{secret}");\n'
                     '@import url("linked.css");\n@import url("../../../secret.css");\n@import "inside.css";')
    result = render(workspace)
    assert result.exit_code == 0, result.output
    text = compact(pdf_text(out(workspace, "charter.pdf")))
    assert "INSIDE-OK-42" in text  # the allowed import works
    assert "OUTSIDE-SECRET-91" not in text and "root:" not in text
    html = out(workspace, "charter.html").read_text(encoding="utf-8")
    assert "INSIDE-OK-42" in html
    assert "OUTSIDE-SECRET-91" not in html and "root:x" not in html and "passwd" not in html


def test_region_stylesheet_imports_over_the_network_open_no_connection(workspace, listener):
    url = f"http://127.0.0.1:{listener.port}"
    style(workspace, f'@import url("{url}/a.css");\n'
                     f'@font-face {{ font-family: "Remote"; src: url("{url}/f.woff"); }}\n'
                     f'body {{ background: url({url}/bg.png); font-family: "Remote", serif; }}\n'
                     f'h2 {{ background-image: url("//127.0.0.1:{listener.port}/h.png"); }}\n'
                     f'h3 {{ background-image: -webkit-image-set("{url}/i.png" 1x); }}', "regions/east/templates")
    write(workspace / "regions" / "east" / "templates" / "annual-plan.html.j2",
          '{% extends "builtin/annual-plan.html.j2" %}{% block content %}'
          f'<style>@import url("{url}/b.css"); p {{ background: url({url}/c.png) }}</style>'
          f'<p style="background: url(\'{url}/d.png\')">內容</p><input type="image" src="{url}/e.png">'
          f'<img srcset="{url}/f.png 2x" src="{url}/g.png" alt="遠端">{{{{ super() }}}}{{% endblock %}}')
    result = render(workspace, "html,pdf", "-r", "east", doc="annual-plan")
    assert result.exit_code == 0, result.output
    assert listener.connections == 0
    html = out(workspace, "annual-plan.html", "east").read_text(encoding="utf-8")
    assert "127.0.0.1" not in html and "內容" in html


def test_font_face_loads_only_fonts_inside_the_chain(workspace, tmp_path):
    outside = tmp_path / "fonts" / "Outsider.ttf"
    outside.parent.mkdir()
    shutil.copyfile(MONO, outside)
    # Latin text in the probe face (the CJK headings would fall back to the CJK font anyway)
    face = ('@font-face {{ font-family: "Probe"; src: url("{}"); }}\n'
            'h1::after {{ content: "Probe ABC"; font-family: "Probe"; }}')
    style(workspace, face.format(outside.as_uri()))
    assert render(workspace, "pdf").exit_code == 0
    assert "Probe" not in pdf_font_families(out(workspace, "charter.pdf"))
    shutil.copyfile(MONO, workspace / "plans" / "templates" / "Inside.ttf")
    style(workspace, face.format("Inside.ttf"))
    assert render(workspace, "pdf").exit_code == 0
    assert "Probe" in pdf_font_families(out(workspace, "charter.pdf"))


def test_html_carries_no_script_smuggled_through_css_or_the_template(workspace):
    style(workspace, '/* </style><script>alert("css")</script> */\n'
                     'h1::before { content: "</style><script>alert(2)</script>"; }')
    write(workspace / "plans" / "templates" / "charter.html.j2",
          '{% extends "builtin/charter.html.j2" %}{% block content %}'
          '<img src="asset:none" onerror="alert(3)" alt="x"><a href="javascript:alert(4)">連結</a>'
          '<a href="https://example.com/ok">網址</a><svg><script>alert(5)</script></svg>'
          '<meta http-equiv="refresh" content="0;url=https://example.com">'
          '<iframe src="data:text/html,<script>alert(6)</script>"></iframe>{{ super() }}{% endblock %}')
    result = render(workspace, "html")
    assert result.exit_code == 0, result.output
    html = out(workspace, "charter.html").read_text(encoding="utf-8").lower()
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "http-equiv" not in html and "<iframe" not in html
    assert "</style><script>" not in html and 'content: "\\3c /style>\\3c script>' in html
    assert 'href="https://example.com/ok"' in html  # a plain link is not a fetch and stays


@pytest.mark.parametrize("font", ['Noto"; } </style><script>alert(1)</script>', "x;background:url(http://a/)"])
def test_font_in_docgen_yaml_cannot_smuggle_markup_or_urls(workspace, font):
    config = workspace / "docgen.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("prepared_by: 市場部", f"prepared_by: 市場部\nfont: '{font}'"), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index(f"font: '{font}'") + 1
    result = render(workspace, "html")
    assert result.exit_code == 1
    assert result.output.startswith(f"docgen.yaml:{line}: font: ")
    assert not out(workspace, "charter.html").exists()


def test_markdown_image_embeds_only_pictures_from_assets_or_templates(workspace, caplog):
    png = (builtin_templates().parent / "docs").glob("*.png")
    picture = next(png, None) or next(Path("/usr/share").rglob("*.png"))
    write(workspace / ".git" / "config", "[remote]\n url = https://TOKEN-abc123@example.com/x.git\n")
    write(workspace / "assets" / "fake.png", "TEXT-NOT-A-PICTURE-77")
    write(workspace / "plans" / "notes.svg", '<svg xmlns="http://www.w3.org/2000/svg">PLANS-SVG</svg>')
    (workspace / "assets" / "logo.png").write_bytes(picture.read_bytes())
    charter = workspace / "plans" / "charter.yaml"
    text = charter.read_text(encoding="utf-8")
    pictures = ("  ![git](.git/config) ![fake](assets/fake.png) ![plans](plans/notes.svg) ![css](style.css)"
                " ![logo](assets/logo.png)\n\n")
    charter.write_text(text.replace("summary: |\n", "summary: |\n" + pictures, 1), encoding="utf-8")
    result = render(workspace, "html,pdf,docx")
    assert result.exit_code == 0, result.output
    html = out(workspace, "charter.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 1  # the logo, and nothing else
    assert "data:text/css" not in html  # the template folders' style.css is no picture
    for name in ("charter.html", "charter.pdf", "charter.docx"):
        data = out(workspace, name).read_bytes()
        assert b"TOKEN-abc123" not in data and b"TEXT-NOT-A-PICTURE" not in data and b"PLANS-SVG" not in data
    assert len([p for p in docx_document(out(workspace, "charter.docx")).inline_shapes]) >= 1
    refusals = [r.getMessage() for r in caplog.records if r.name == "docgen.fetch"]
    assert any(".git/config" in m for m in refusals) and any("assets/fake.png" in m for m in refusals)
