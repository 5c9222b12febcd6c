"""docgen preview in a real browser: headless Chromium (Debian's package) driven by Playwright.

The browser opens the page, a region template changes, the page shows the new text by itself; a broken
template shows its located error in the page, and the server goes on.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (./dev)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(workspace):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "docgen", "-w", str(workspace), "preview", "annual-plan",
                             "--region", "east", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # until it listens (start-up, not a timing assertion)
            try:
                urllib.request.urlopen(url + "/version", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.communicate()[0])
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_preview_reloads_on_a_template_change_and_shows_errors(workspace, server):
    template = workspace / "regions" / "east" / "templates" / "annual-plan.html.j2"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(server + "/?doc=annual-plan&region=east")
        frame = page.frame_locator("#doc")
        frame.locator("h1").first.wait_for()
        assert "年度銷售總體計畫" in frame.locator("body").inner_text()
        assert "年度銷售總體計畫 · 2026 · 華東區" in page.locator("nav").inner_text()  # the catalogue to choose from

        template.parent.mkdir(parents=True)
        template.write_text('{% extends "builtin/annual-plan.html.j2" %}{% block training %}'
                            "<h2>七、華東區培訓：每月第一個週六</h2>{% endblock %}", encoding="utf-8")
        frame.get_by_text("七、華東區培訓：每月第一個週六").wait_for(timeout=15000)

        template.write_text('{% extends "builtin/annual-plan.html.j2" %}{% block training %}'
                            "{{ no_such_value }}{% endblock %}", encoding="utf-8")
        frame.locator("#errors").wait_for(timeout=15000)
        assert ("regions/east/templates/annual-plan.html.j2:1: template error: 'no_such_value' is undefined"
                in frame.locator("#errors").inner_text())

        template.unlink()  # fixed: the document comes back, the server never stopped
        frame.locator("h1").first.wait_for(timeout=15000)
        browser.close()


def test_pdf_is_served(server):
    with urllib.request.urlopen(server + "/doc.pdf?doc=charter") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF")


def test_preview_listens_on_loopback_only(workspace):
    result = CliRunner().invoke(cli, ["-w", str(workspace), "preview", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "--host '0.0.0.0': the preview listens on this machine only" in result.output
