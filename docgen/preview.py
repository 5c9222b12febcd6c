"""``docgen preview``: a local web page showing one document as HTML and PDF, reloaded on every change.

A small Starlette app served by uvicorn on a loopback address; ``watchfiles`` watches the workspace
(plan data, ledgers, docgen.yaml, template folders, stylesheets) and the built-in templates.  Each
change bumps a version number the page polls (every 250 ms), so it reloads within a second.  A document
that cannot be made shows its located error (``file:line: field: message``) in the page; the server
goes on.  Nothing is written to the output folder.
"""
from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import escape

from docgen.documents import Target, all_documents
from docgen.errors import ConfigError, DocgenError
from docgen.workspace import Workspace, builtin_templates

LOOPBACK_NAMES = ("localhost",)


def check_loopback(host: str) -> None:
    """Only this machine may connect: the preview shows every figure of the plan to whoever can."""
    if host in LOOPBACK_NAMES:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ConfigError(f"--host {host!r}: the preview listens on this machine only (127.0.0.1, ::1, localhost)")


@dataclass
class State:
    """What the page shows and the version number that changes with every watched file."""

    ws: Workspace
    version: int = 0
    changed: list[str] = field(default_factory=list)


def _target(ws: Workspace, params) -> Target:
    from docgen.build.service import resolve_target

    doc = params.get("doc") or "charter"
    return resolve_target(ws, doc, params.get("period") or None, params.get("region") or None,
                          params.get("person") or None)


def render_bytes(ws: Workspace, params, fmt: str) -> bytes:
    """The document the query names, rendered in ``fmt`` (templates re-read: the environment is per change)."""
    from docgen.build.jobs import make_job, run_job

    return run_job(make_job(ws, _target(ws, params)), (fmt,))[fmt]


def error_page(error: BaseException, ws: Workspace) -> str:
    """A located error as a page: each problem on its own line, escaped."""
    from docgen.build import failure_reason

    if isinstance(error, DocgenError):
        lines = [error.message] if error.message else []
        lines += [str(p) for p in error.problems]
    else:
        lines = [failure_reason(error)]
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in lines if line)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>error</title></head>"
            f"<body style=\"font-family:sans-serif\"><h1 style=\"color:#b00\">This document cannot be made</h1>"
            f"<ul id=\"errors\">{items}</ul><p>Fix the file; this page reloads by itself.</p></body></html>")


def _choices(ws: Workspace) -> str:
    """The catalogue's documents as a list of links (document, period, region, person)."""
    from docgen.build import due_targets

    failures: list = []
    rows = due_targets(ws, None, None, failures)
    titles = {d.id: d.title for d in all_documents()}
    links = []
    for t in rows:
        query = urlencode({k: v for k, v in (("doc", t.doc_id), ("period", t.period), ("region", t.region or ""),
                                             ("person", t.person or "")) if v})
        where = ws.region(t.region).name if t.region else "公司"
        text = " · ".join(x for x in (titles.get(t.doc_id, t.doc_id), t.period, where, t.person or "") if x)
        links.append(f'<li><a href="/?{escape(query)}">{escape(text)}</a></li>')
    return "".join(links)


def page(state: State, query: str) -> str:
    """The preview page: the document's HTML in a frame, a link to its PDF, the catalogue beside it."""
    q = escape(query)
    in_script = json.dumps(query).replace("<", "\\u003c")  # a JS string that cannot end the <script>
    return f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>docgen preview</title>
<meta http-equiv="Content-Security-Policy"
 content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-src 'self'">
<style>body{{margin:0;display:flex;height:100vh;font-family:sans-serif}}nav{{width:22em;overflow:auto;
padding:.5em;border-right:1px solid #ccc;font-size:90%}}main{{flex:1;display:flex;flex-direction:column}}
iframe{{flex:1;border:0}}header{{padding:.3em .6em;border-bottom:1px solid #ccc}}</style></head>
<body><nav><ul>{_choices(state.ws)}</ul></nav>
<main><header><a href="/doc.html?{q}" target="_blank">HTML</a> · <a href="/doc.pdf?{q}" target="_blank">PDF</a>
<span id="status"></span></header>
<iframe id="doc" src="/doc.html?{q}"></iframe></main>
<script>
let seen = {state.version};
async function poll() {{
  try {{
    const r = await fetch("/version");
    const v = (await r.json()).version;
    if (v !== seen) {{ seen = v; document.getElementById("doc").src = "/doc.html?" + {in_script} + "&v=" + v; }}
  }} catch (e) {{ document.getElementById("status").textContent = " (server stopped)"; }}
  setTimeout(poll, 250);
}}
poll();
</script></body></html>"""


def make_app(ws: Workspace):
    """The preview app for ``ws`` (the watcher runs as long as the app does)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    state = State(ws)

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page(state, str(request.query_params)))

    async def document(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        try:
            payload = await asyncio.to_thread(render_bytes, ws, request.query_params, fmt)
        except Exception as e:  # a located error in the page, never a crashed server
            return HTMLResponse(error_page(e, ws), status_code=422)
        media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
        return Response(payload, media_type=media, headers={"Cache-Control": "no-store"})

    async def version(request: Request) -> JSONResponse:
        return JSONResponse({"version": state.version, "changed": state.changed},
                            headers={"Cache-Control": "no-store"})

    async def watch() -> None:
        from watchfiles import awatch

        from docgen.render.compose import forget_templates

        async for changes in awatch(ws.root, builtin_templates(), watch_filter=_watched(ws), step=50):
            forget_templates()  # templates are compiled once per chain: read them again
            state.changed = sorted({str(path) for _, path in changes})
            state.version += 1

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(watch())
        yield
        task.cancel()

    routes = [Route("/", index), Route("/doc.{fmt:str}", document), Route("/version", version)]
    return Starlette(routes=routes, lifespan=lifespan)


def _watched(ws: Workspace):
    """Everything but the output folder and hidden or cache files."""
    output = ws.output_dir.resolve()

    def wanted(change, path: str) -> bool:
        p = Path(path)
        return not (p.resolve().is_relative_to(output) or any(part.startswith(".") or part == "__pycache__"
                                                               for part in p.parts))
    return wanted


def serve(ws: Workspace, host: str, port: int, query: dict[str, str]) -> None:
    """Run the preview until Ctrl-C."""
    import click
    import uvicorn

    check_loopback(host)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"preview on http://{shown}:{port}/?{urlencode(query)} (Ctrl-C stops)")
    uvicorn.run(make_app(ws), host=host, port=port, log_level="warning")

