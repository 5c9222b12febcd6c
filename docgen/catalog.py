"""What a workspace's documents are and where they stand: ``docgen list``, ``--dry-run``, ``output/index.html``.

It reads what :mod:`docgen.build` plans (the due targets) and records (the manifest); it never renders.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import escape

from docgen.build import BuildResult, Failure, Manifest, Reporter, due_targets, failure_reason
from docgen.build.fingerprint import FileHashes, FileStamps, file_stamp, input_hash, shown_path
from docgen.build.jobs import make_job
from docgen.documents import Target, all_documents
from docgen.plan.fiscal import FiscalYear
from docgen.render.atomic import write_atomic
from docgen.render.writers import writer
from docgen.workspace import CONFIG_NAME, Workspace


class ReportOnce:
    """A build reporter that prints a failure's reason once: documents failing for the same reason
    (one bad ledger line breaks every document reading that ledger) point back to the first."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.first: dict[str, Target] = {}

    def start(self, total: int) -> None:
        self.reporter.start(total)

    def built(self, target: Target, outputs: list[str]) -> None:
        self.reporter.built(target, outputs)

    def skipped(self, target: Target, outputs: list[str]) -> None:
        self.reporter.skipped(target, outputs)

    def failed(self, target: Target, reason: str) -> None:
        first = self.first.setdefault(reason, target)
        self.reporter.failed(target, reason if first == target else f"the same problem as {first.label()}")

    def note(self, message: str) -> None:
        self.reporter.note(message)

    def finish(self) -> None:
        self.reporter.finish()


# -- the catalogue --------------------------------------------------------------------------------
LAST_RUN_NAME = ".docgen-last-run.json"
INDEX_NAME = "index.html"


@dataclass(frozen=True)
class Output:
    """One output file of a document and its state: ``current``, ``stale``, ``missing``.

    A document (:class:`Row`) is ``failed``, ``stale``, ``missing``, ``incomplete`` (some formats missing)
    or ``current``."""

    format: str
    rel: str  # relative to the output folder
    state: str
    why: str = ""
    built: dt.datetime | None = None


@dataclass(frozen=True)
class Row:
    """One document instance due, its outputs, and the reason its last build failed (if it did)."""

    target: Target
    title: str
    outputs: tuple[Output, ...]
    failed: str = ""

    @property
    def state(self) -> str:
        if self.failed:
            return "failed"
        states = {o.state for o in self.outputs}
        if "stale" in states:
            return "stale"
        if "missing" in states:
            return "missing" if states == {"missing"} else "incomplete"  # some formats never built
        return "current"


def catalogue(ws: Workspace, periods: list[str] | None = None, region: str | None = None,
              formats: tuple[str, ...] | None = None, targets: list[Target] | None = None,
              failures: list[Failure] | None = None, exact: bool = True,
              verified: frozenset[tuple[Target, str]] = frozenset()) -> list[Row]:
    """Every document due (or ``targets``) with each output's state, from the build manifest.

    :param targets: the documents to look at (default: those due); ``failures``: those that could not be planned.
    :param verified: (target, format) pairs a build has just brought up to date: current if the manifest lists them.
    :param exact: when an output's files changed since it was built, prepare the document (read its data,
        render nothing) and compare input hashes as ``docgen build`` would; else call it stale at once.
    """
    formats = formats or tuple(ws.config.formats)
    failures = list(failures or [])
    if targets is None:
        targets = due_targets(ws, periods, region, failures)
    manifest = Manifest.load(ws.output_dir)
    last_failed = _last_run(ws.output_dir).get("failed", {})
    stamps = FileStamps()
    titles = {d.id: d.title for d in all_documents()}
    rows = [Row(f.target, titles[f.target.doc_id], (), f"cannot be planned now: {f.reason}") for f in failures]
    for target in targets:
        outputs = tuple(_state(ws, target, fmt, manifest, stamps, exact, (target, fmt) in verified)
                        for fmt in formats)
        reason = last_failed.get(target.label())
        rows.append(Row(target, titles[target.doc_id], outputs, f"last build failed: {reason}" if reason else ""))
    return rows


def _state(ws: Workspace, target: Target, fmt: str, manifest: Manifest, stamps: FileStamps,
           exact: bool, verified: bool = False) -> Output:
    rel = target.output_path(writer(fmt).suffix).as_posix()
    path = ws.output_dir / rel
    entry = manifest.entries.get(rel)
    if entry is None:
        if path.exists():
            return Output(fmt, rel, "stale", "not made by `docgen build`, or changed by hand since")
        return Output(fmt, rel, "missing", "never built")
    built = dt.datetime.fromtimestamp(entry.mtime_ns / 1e9)
    if verified or (entry.stamp and entry.stamp == file_stamp(ws, target, entry.sources, stamps)):
        return Output(fmt, rel, "current", "", built)
    changed = _changed_since(ws, target, entry.sources, entry.mtime_ns)
    why = (f"{', '.join(changed[:3])}{' …' if len(changed) > 3 else ''} changed since it was built"
           if changed else "its data, templates or docgen changed since it was built")
    if exact:
        try:
            job = make_job(ws, target)
        except Exception as e:  # the document cannot be made now: the build will say so
            return Output(fmt, rel, "stale", f"cannot be made now: {failure_reason(e)}", built)
        if input_hash(job, fmt, FileHashes()) == entry.inputs:
            return Output(fmt, rel, "current", "", built)
    return Output(fmt, rel, "stale", why, built)


def _changed_since(ws: Workspace, target: Target, sources: tuple[str, ...], mtime_ns: int) -> list[str]:
    """The inputs (data files, template files, docgen.yaml) modified after the output was written."""
    paths = [ws.root / CONFIG_NAME, *(ws.root / s for s in sources)]
    for folder in ws.template_chain(target.region):
        paths += [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    changed = []
    for p in paths:
        try:
            if p.stat().st_mtime_ns > mtime_ns:
                changed.append(shown_path(p, ws.root))
        except OSError:
            changed.append(f"{shown_path(p, ws.root)} (deleted)")
    return list(dict.fromkeys(changed))


def _last_run(output_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((output_dir / LAST_RUN_NAME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("failed"), dict) else {}
    except (OSError, ValueError):
        return {}


def record_run(ws: Workspace, result: BuildResult, formats: tuple[str, ...]) -> None:
    """After a build: remember what failed (for ``docgen list``) and rewrite ``output/index.html``.

    What the build just built or found current is not looked at again (it would double a rerun's cost)."""
    last = _last_run(ws.output_dir)
    failed: dict[str, str] = dict(last.get("failed", {}))
    for target in (*result.built, *result.skipped):
        failed.pop(target.label(), None)
    failed.update({f.target.label(): f.reason for f in result.failed})
    finished = dt.datetime.now().isoformat(timespec="seconds")
    data = {"finished": finished, "failed": failed}
    ws.output_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(ws.output_dir / LAST_RUN_NAME, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    verified = frozenset((t, f) for t in (*result.built, *result.skipped) for f in formats)
    write_index(ws, catalogue(ws, exact=False, verified=verified), finished)


# -- text -----------------------------------------------------------------------------------------
def list_lines(rows: list[Row]) -> list[str]:
    """``docgen list``: one line per document, then one indented line per output file."""
    lines = []
    for row in rows:
        lines.append(f"{row.target.label():<40} {row.title}  [{row.state}]"
                     + (f" {row.failed}" if row.failed else ""))
        for o in row.outputs:
            lines.append(f"    {o.state:<8} {o.rel}" + (f"  ({o.why})" if o.why else ""))
    return lines


def dry_run_lines(rows: list[Row], force: bool = False) -> list[str]:
    """``--dry-run``: what a build would write and why, and the count of what it would skip."""
    lines, skipped = [], 0
    for row in rows:
        todo = [o for o in row.outputs if force or o.state != "current"]
        if not todo and not row.outputs and row.failed:
            lines.append(f"would fail {row.target.label()}: {row.failed}")  # cannot be planned
        for o in todo:
            lines.append(f"would build {o.rel}: {'--force' if force else o.why}")
        skipped += not todo and bool(row.outputs)
    built = sum(1 for row in rows if any(force or o.state != "current" for o in row.outputs))
    lines.append(f"would build {built}, skip {skipped}; nothing was built (--dry-run)")
    return lines


# -- output/index.html ----------------------------------------------------------------------------
def _period_heading(ws: Workspace, period: str) -> str:
    """A year's heading as the company names it: ``2026/27財年`` when the fiscal year crosses December,
    else ``2026``; a month stays ``2026-08``."""
    if not period.isdigit():
        return period
    fiscal = FiscalYear(int(period), ws.config.fiscal_year_start)
    return fiscal.name if fiscal.crosses_december else period


def write_index(ws: Workspace, rows: list[Row], finished: str) -> Path:
    """``output/index.html``: every document by period and region, with links to its files.

    Every text (titles, region names, reasons, file names) goes through :func:`markupsafe.escape` and
    every link through :func:`urllib.parse.quote`: data and file names are untrusted input.
    """
    by_period: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (r.target.period, r.target.region or "", r.target)):
        by_period.setdefault(row.target.period, []).append(row)
    e = escape
    parts = [f"<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
             f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
             f"<title>{e(ws.config.company)} · 文件目錄</title><style>{_INDEX_CSS}</style></head><body>",
             f"<h1>{e(ws.config.company)} · 文件目錄</h1><p class=\"meta\">last build: {e(finished)}</p>"]
    for period, period_rows in sorted(by_period.items()):  # the year first, then its months
        parts.append(f"<h2>{e(_period_heading(ws, period))}</h2><table><thead><tr><th>region</th>"
                     "<th>document</th><th>files</th><th>state</th><th>built</th><th>notes</th></tr></thead><tbody>")
        for row in period_rows:
            region = next((r.name for r in ws.config.regions if r.id == row.target.region), None)
            where = region or ("company" if row.target.region is None else row.target.region)
            person = f" · {row.target.person}" if row.target.person else ""
            links = " ".join(f'<a href="{e(quote(o.rel))}">{e(o.format)}</a>' if o.state != "missing"
                             else f'<span class="missing">{e(o.format)}</span>' for o in row.outputs)
            built = max((o.built for o in row.outputs if o.built), default=None)
            notes = [row.failed] if row.failed else []
            notes += document_warnings(ws.output_dir, row)
            notes += [f"{o.format}: {o.why}" for o in row.outputs if o.why and o.state != "missing"]
            parts.append(f"<tr class=\"{e(row.state)}\"><td>{e(where)}</td><td>{e(row.title)}{e(person)}"
                         f"<br><small>{e(row.target.doc_id)}</small></td><td>{links}</td><td>{e(row.state)}</td>"
                         f"<td>{e(built.strftime('%Y-%m-%d %H:%M') if built else '—')}</td>"
                         f"<td>{'<br>'.join(str(e(n)) for n in notes)}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    path = ws.output_dir / INDEX_NAME
    write_atomic(path, "".join(parts).encode("utf-8"))
    return path


def document_warnings(output_dir: Path, row: Row, limit: int = 5) -> list[str]:
    """The warnings the document prints (``class="warning"`` paragraphs and list items), read back from its
    HTML output when there is one: what the reader of the document sees, not a second computation."""
    from lxml import html

    page = next((o for o in row.outputs if o.format == "html" and o.state != "missing"), None)
    if page is None:
        return []
    try:
        tree = html.fromstring((output_dir / page.rel).read_bytes())
    except (OSError, ValueError, html.etree.ParserError):
        return []
    found = [" ".join(el.text_content().split()) for el in
             tree.xpath('//*[self::p or self::li][contains(concat(" ", @class, " "), " warning ")]'
                        ' | //ul[contains(concat(" ", @class, " "), " warning ")]/li')]
    found = [text.lstrip("⚠ ") for text in dict.fromkeys(found) if text and not text.endswith("：")]  # no headings
    more = [f"… and {len(found) - limit} more warnings"] if len(found) > limit else []
    return [f"⚠ {text}" for text in found[:limit]] + more


_INDEX_CSS = """body{font-family:"Noto Sans CJK TC","Noto Sans CJK SC",sans-serif;margin:2em}
table{border-collapse:collapse;width:100%;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left}
tr.failed{background:#fdd}tr.stale,tr.incomplete{background:#ffd}tr.missing{color:#888}.missing{color:#aaa}.meta{color:#666}"""
