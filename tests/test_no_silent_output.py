"""No silent wrong output: each case is a clear error (exit 1, nothing written) or a warning."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import cli
from docgen.documents.annual_plan import _span


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


def test_a_misspelt_key_is_reported_by_render_build_and_month_end(workspace):
    region = workspace / "plans" / "2026" / "regions" / "shandong.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace("target: 700萬", "targte: 700萬"), encoding="utf-8")
    warning = "plans/2026/regions/shandong.yaml:9: warning: targte: unknown key (ignored)"
    assert warning in run(workspace, "validate").stdout.splitlines()
    for args in (("render", "annual-plan", "--region", "shandong", "--format", "html"),
                 ("build", "--period", "2026", "--format", "html", "--jobs", "1"),
                 ("month-end", "2026-06", "--format", "html", "--jobs", "1")):
        result = run(workspace, *args)
        assert result.exit_code == 0, result.output
        assert warning in result.stderr.splitlines(), args


def test_month_end_without_the_months_ledgers_says_so(workspace):
    result = run(workspace, "month-end", "2026-09", "--format", "html", "--jobs", "1")
    assert result.exit_code == 1
    reason = "no ledgers for 2026-09 (ledgers/2026-09/ not found): the month's statistics could not be made"
    assert f"FAILED sales-stats 2026-09 company: {reason}" in result.output
    # one cause, one message: the second document points back to the first
    assert "FAILED visit-stats 2026-09 company: the same problem as sales-stats 2026-09 company" in result.output
    assert result.output.strip().endswith("failed 2")
    assert (workspace / "output" / "2026-10" / "east" / "monthly-plan.html").is_file()   # the plans are still made


def test_render_statistics_without_the_months_ledgers_is_an_error(workspace):
    for doc in ("sales-stats", "visit-stats"):
        result = run(workspace, "render", doc, "--period", "2026-08", "--region", "south", "--format", "html")
        assert result.exit_code == 1
        assert ("no ledgers for 2026-08 (ledgers/2026-08/ not found): the month's statistics cannot be made"
                in result.output)
    assert not (workspace / "output" / "2026-08").exists()


def test_the_charter_of_one_year_is_not_rendered_for_another(workspace):
    result = run(workspace, "render", "charter", "--period", "2031", "--format", "html")
    assert result.exit_code == 1
    assert ("plans/charter.yaml:4: year: the charter is for 2026, not 2031: render it with --period 2026, "
            "or change year to 2031") in result.output
    assert not (workspace / "output" / "2031").exists()


def test_year_end_without_next_years_plans_makes_the_statistics_and_the_summary(workspace):
    (workspace / "ledgers" / "2026-12").mkdir()
    result = run(workspace, "month-end", "2026-12", "--format", "html", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert ("note: next year's plans are missing (plans/2027/ not found): 2027-01's monthly plans and visit sheets "
            "were not made") in result.stderr.splitlines()
    out = workspace / "output"
    assert (out / "2026-12" / "company" / "sales-stats.html").is_file()
    assert (out / "2026-12" / "east" / "visit-stats.html").is_file()
    assert (out / "2026" / "company" / "year-summary.html").is_file()
    assert not (out / "2027-01").exists()
    assert result.stdout.strip().endswith("built 11, skipped 0, failed 0")


def test_management_text_has_no_setting_names_and_a_half_year_is_dated_at_its_end(workspace):
    assert run(workspace, "render", "year-summary", "--period", "2026", "--format", "html").exit_code == 0
    html = (workspace / "output" / "2026" / "company" / "year-summary.html").read_text(encoding="utf-8")
    for name in ("docgen.yaml", "rules.", "tier_thresholds", "appraisal.csv", "ledgers/"):
        assert name not in html
    assert "門檻：VIP ≥ 100萬，一級 ≥ 50萬，二級 ≥ 10萬" in html
    # ledgers January–June: dated 30 June, not 31 December
    assert "2026年6月30日" in html and "2026年12月31日" not in html


def test_dates_outside_the_plan_year_show_their_year():
    from datetime import date

    assert _span(date(2027, 2, 1), date(2027, 2, 28), 2026) == "2027年2月1日–28日"
    assert _span(date(2026, 12, 1), date(2027, 2, 28), 2026) == "12月1日–2027年2月28日"
    assert _span(date(2026, 6, 8), date(2026, 6, 30), 2026) == "6月8日–30日"
    assert _span(date(2026, 6, 8), date(2026, 6, 8), 2026) == "6月8日"


def test_a_phase_into_next_year_is_dated_with_its_year(workspace):
    east = workspace / "plans" / "2026" / "regions" / "east.yaml"
    text = east.read_text(encoding="utf-8")
    phase = "  - name: 第三階段\n    start: 2027-02-01\n    end: 2027-02-28\n    owner: e01\n    goal: 春節後開拓。\n"
    east.write_text(text.replace("phases:\n", "phases:\n" + phase, 1), encoding="utf-8")
    result = run(workspace, "render", "annual-plan", "--region", "east", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (workspace / "output" / "2026" / "east" / "annual-plan.html").read_text(encoding="utf-8")
    assert "第三階段（2027年2月1日至2027年2月28日）" in html


def test_a_dropped_picture_is_a_warning_and_the_same_placeholder_in_every_format(workspace):
    from conftest import docx_document, pdf_text

    folder = workspace / "plans" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "charter.html.j2").write_text(
        '{% extends "builtin/charter.html.j2" %}\n{% block training %}\n<h2>七、培訓</h2>\n'
        '<p><img src="https://example.com/team.png" alt="華東區團隊合照" style="width: 40mm"></p>\n{% endblock %}\n',
        encoding="utf-8")
    result = run(workspace, "render", "charter", "--period", "2026", "--format", "docx,pdf,html")
    assert result.exit_code == 0, result.output
    assert ("warning: charter 2026 company: picture 'https://example.com/team.png' not embedded (only the document's "
            "own pictures, data: URIs and files inside the workspace are); a placeholder stands in its place"
            ) in result.stderr.splitlines()
    out = workspace / "output" / "2026" / "company"
    text = "［圖片未能載入：華東區團隊合照］"
    html = (out / "charter.html").read_text(encoding="utf-8")
    assert text in html and "example.com" not in html
    assert text in "".join(p.text for p in docx_document(out / "charter.docx").paragraphs)
    assert text in "".join(pdf_text(out / "charter.pdf").split())
    # a batch build says the same (here through a new format, so the charter is rendered again)
    built = run(workspace, "build", "--period", "2026", "--format", "html", "--force")
    assert ("warning: charter 2026 company: picture 'https://example.com/team.png' not embedded (only the document's "
            "own pictures, data: URIs and files inside the workspace are); a placeholder stands in its place"
            ) in built.stderr.splitlines()
