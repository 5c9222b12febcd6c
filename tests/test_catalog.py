"""Issue 14: no surprises (init, templates show, fonts, doctor, options) and the document catalogue."""
from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from docgen import doctor
from docgen.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# -- init never destroys data -----------------------------------------------------------------
def test_init_refuses_to_overwrite_any_existing_file(tmp_path):
    plan = tmp_path / "plans" / "2026" / "company.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text("my own plan\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert f"{plan.as_posix()}: exists; not overwriting it" in result.output
    assert "nothing written (--force overwrites them)" in result.output
    assert plan.read_text(encoding="utf-8") == "my own plan\n"
    assert not (tmp_path / "docgen.yaml").exists()  # nothing half-written


def test_init_force_overwrites(tmp_path):
    plan = tmp_path / "plans" / "2026" / "company.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text("my own plan\n", encoding="utf-8")
    assert run("init", "--force", str(tmp_path)).exit_code == 0
    assert "fiscal_year" in plan.read_text(encoding="utf-8")


def test_init_blank_is_a_valid_commented_workspace(tmp_path):
    target = tmp_path / "blank"
    assert run("init", "--blank", str(target)).exit_code == 0
    config = (target / "docgen.yaml").read_text(encoding="utf-8")
    assert "company: 公司名稱" in config and "#   - {id: south, name: 華南區}" in config
    assert "regions/<id>/templates/ holds a region's templates, style.css and reference.docx" in config
    assert (target / "ledgers").is_dir() and not list((target / "plans").rglob("*.csv"))
    valid = run("-w", str(target), "validate")
    assert valid.exit_code == 0, valid.output
    assert "0 errors, 0 warnings" in valid.output
    assert run("init", "--blank", str(target)).exit_code == 1  # a second run overwrites nothing


# -- templates show, fonts, doctor --------------------------------------------------------------
def test_templates_show_describes_a_binary_file(workspace):
    result = run("-w", str(workspace), "templates", "show", "reference.docx")
    assert result.exit_code == 0, result.output
    assert "(built-in)/reference.docx: a binary file (Word reference document" in result.output
    assert "not printed. Copy it to edit: docgen templates eject reference.docx" in result.output


def test_render_without_the_cjk_font_exits_1_naming_the_fix(workspace, monkeypatch):
    config = workspace / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "font: No Such CJK Font\n", encoding="utf-8")
    monkeypatch.setattr("docgen.doctor.os.geteuid", lambda: 1000)
    result = run("-w", str(workspace), "render", "charter", "-f", "pdf")
    assert result.exit_code == 1
    assert "PDF needs the Chinese font 'No Such CJK Font', which fontconfig does not find" in result.output
    assert "install it: sudo apt-get install -y fonts-noto-cjk, or set `font:` in docgen.yaml" in result.output
    assert not (workspace / "output" / "2026" / "company" / "charter.pdf").exists()
    assert run("-w", str(workspace), "render", "charter", "-f", "html").exit_code == 0  # HTML needs no font
    built = run("-w", str(workspace), "build", "-p", "2026", "-f", "pdf")
    assert built.exit_code == 1 and "PDF needs the Chinese font 'No Such CJK Font'" in built.output
    assert not (workspace / "output" / "2026" / "company" / "annual-plan.pdf").exists()
    doctor_run = run("-w", str(workspace), "doctor")  # the same check
    assert "MISSING CJK font (No Such CJK Font): not found by fontconfig" in doctor_run.output
    assert doctor_run.exit_code == 1


def test_doctor_does_not_fail_for_test_only_tools_and_says_sudo(workspace, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr("docgen.doctor.shutil.which",
                        lambda name: None if name in ("soffice", "pdftotext") else real_which(name))
    monkeypatch.setattr("docgen.doctor.os.geteuid", lambda: 1000)
    result = run("-w", str(workspace), "doctor")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("absent  LibreOffice (opens .docx like Word; tests use it): `soffice` not on PATH "
            "(optional: only the test suite needs it)") in lines
    assert "        install: sudo apt-get install -y poppler-utils" in lines
    assert lines[-1] == "everything documents need is here"


def test_doctor_as_root_prints_no_sudo(monkeypatch):
    monkeypatch.setattr("docgen.doctor.os.geteuid", lambda: 0)
    assert doctor.as_user("apt-get install -y x") == "apt-get install -y x"


# -- consistent options ------------------------------------------------------------------------
def test_render_help_lists_the_document_ids():
    result = run("render", "--help")
    assert "visit-plan    月訪客戶計畫表 (one per salesperson, --period YYYY-MM)" in result.output
    assert "annual-plan   年度銷售總體計畫 (one per the company and each region, --period YYYY)" in result.output


def test_person_by_name_or_id_gives_the_same_file(workspace):
    by_name = run("-w", str(workspace), "render", "visit-plan", "-p", "2026-07", "--person", "何志明", "-f", "html")
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output.strip().endswith("output/2026-07/south/visit-plan-s03.html")
    bad = run("-w", str(workspace), "render", "visit-plan", "-p", "2026-07", "--person", "無名氏", "-f", "html")
    assert bad.exit_code == 1 and "no person '無名氏' in the 2026 plan; people: s01 (" in bad.output


def test_quiet_and_verbose(workspace):
    quiet = run("-w", str(workspace), "render", "charter", "-f", "html", "-q")
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = run("-w", str(workspace), "render", "charter", "-f", "html", "-v")
    assert verbose.output.strip().endswith(" bytes)") and "charter.html (" in verbose.output


def test_month_end_takes_period_option_and_output_folder(workspace, tmp_path):
    out = tmp_path / "elsewhere"
    result = run("-w", str(workspace), "month-end", "--period", "2026-06", "-f", "html", "-j", "1", "-q",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "built 23, skipped 0, failed 0"
    assert (out / "2026-06" / "east" / "sales-stats.html").is_file()
    assert (out / ".docgen-manifest.json").is_file() and not (workspace / "output").exists()
    both = run("-w", str(workspace), "month-end", "2026-06", "--period", "2026-05")
    assert both.exit_code == 2 and "give the month once" in both.output
    neither = run("-w", str(workspace), "month-end")
    assert neither.exit_code == 2 and "which month? e.g. `docgen month-end 2026-06`" in neither.output


def test_one_ledger_error_is_reported_once(workspace):
    sales = workspace / "ledgers" / "2026-06" / "sales.csv"
    lines = sales.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("中山嘉和紙品有限公司", "不存在客戶", 1)
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("-w", str(workspace), "month-end", "2026-06", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert result.output.count("unknown customer '不存在客戶'") == 1
    assert "FAILED sales-stats 2026-06 south: the same problem as sales-stats 2026-06 company" in result.output


# -- the catalogue ------------------------------------------------------------------------------
def test_list_dry_run_and_index_follow_the_manifest(workspace):
    ws = str(workspace)
    before = run("-w", ws, "list", "-p", "2026", "-f", "html")
    assert "charter 2026 company" in before.output and "    missing  2026/company/charter.html  (never built)" \
        in before.output.splitlines()
    dry = run("-w", ws, "build", "-p", "2026", "-f", "html", "--dry-run")
    assert dry.exit_code == 0
    assert "would build 2026/east/annual-plan.html: never built" in dry.output.splitlines()
    assert dry.output.splitlines()[-1] == "would build 9, skip 0; nothing was built (--dry-run)"
    assert not (workspace / "output").exists()  # built nothing

    assert run("-w", ws, "build", "-p", "2026", "-f", "html", "-j", "1").exit_code == 0
    region = workspace / "plans" / "2026" / "regions" / "east.yaml"
    text = region.read_text(encoding="utf-8")
    region.write_text(text.replace("audience: 華東區業務員", "audience: 華東區全體業務員", 1), encoding="utf-8")
    lines = run("-w", ws, "list", "-p", "2026", "-f", "html").output.splitlines()
    assert "    current  2026/company/charter.html" in lines
    assert "    stale    2026/east/annual-plan.html  (plans/2026/regions/east.yaml changed since it was built)" \
        in lines
    dry = run("-w", ws, "build", "-p", "2026", "-f", "html", "--dry-run").output.splitlines()
    assert "would build 2026/east/annual-plan.html: plans/2026/regions/east.yaml changed since it was built" in dry
    assert "would build 2026/company/charter.html: plans/2026/regions/east.yaml changed since it was built" \
        not in dry

    index = (workspace / "output" / "index.html").read_text(encoding="utf-8")
    assert "<h2>2026</h2>" in index and "年度銷售總體計畫" in index and "華東區" in index
    assert '<a href="2026/company/charter.html">html</a>' in index
    # the warnings the east annual plan prints (its channel quotas do not match units × rate × months)
    # (as the document sets it: full-width punctuation)
    assert "⚠ 直營店：4人 × 7.5萬 × 7個月 = 210萬，計畫定額 180萬（計畫定額相當於6個月）" in index
    # docgen.yaml asks for docx, pdf and html; only html was built
    assert '<tr class="incomplete"><td>company</td><td>市場部職能與工作計畫' in index


def test_failed_last_time_and_index_escapes_everything(workspace):
    config = workspace / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "company: 金立基粘合劑有限公司", "company: '<script>alert(1)</script>'"), encoding="utf-8")
    template = workspace / "regions" / "east" / "templates" / "annual-plan.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text("{{ no_such_value }}", encoding="utf-8")
    result = run("-w", str(workspace), "build", "-p", "2026", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    listed = run("-w", str(workspace), "list", "-p", "2026", "-r", "east", "-f", "html").output
    assert "annual-plan 2026 east" in listed and "[failed] last build failed: " in listed
    index = (workspace / "output" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert '<tr class="failed">' in index and "no_such_value" in index


# -- README truth: overrides, template variables -------------------------------------------------
def test_templates_list_says_what_an_override_affects(workspace):
    folder = workspace / "regions" / "east" / "templates"
    folder.mkdir(parents=True)
    (folder / "charter.html.j2").write_text('{% extends "builtin/charter.html.j2" %}', encoding="utf-8")
    (folder / "base.html.j2").write_text('{% extends "builtin/base.html.j2" %}', encoding="utf-8")
    lines = run("-w", str(workspace), "templates", "list", "--region", "east").output.splitlines()
    charter = lines.index("charter.html.j2              regions/east/templates")
    assert lines[charter + 1] == ("    affects: no document (not charter: one per company, "
                                  "so a region's copy is never used)")
    base = lines.index("base.html.j2                 regions/east/templates")
    assert lines[base + 1] == ("    affects: annual-plan, monthly-plan, sales-stats, visit-plan, visit-stats, "
                               "year-summary (not charter: one per company, so a region's copy is never used)")
    workspace_wide = workspace / "plans" / "templates" / "charter.html.j2"
    workspace_wide.parent.mkdir(parents=True)
    workspace_wide.write_text('{% extends "builtin/charter.html.j2" %}', encoding="utf-8")
    lines = run("-w", str(workspace), "templates", "list").output.splitlines()
    assert lines[lines.index("charter.html.j2              plans/templates") + 1] == "    affects: charter"


def test_readme_override_example_changes_the_regional_document(workspace):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("`regions/east/templates/annual-plan.html.j2` changes East China's annual plan:\n\n"
                           "```jinja\n")[1].split("```")[0]
    template = workspace / "regions" / "east" / "templates" / "annual-plan.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text(example, encoding="utf-8")
    result = run("-w", str(workspace), "render", "annual-plan", "-r", "east", "-f", "html")
    assert result.exit_code == 0, result.output
    html = (workspace / "output" / "2026" / "east" / "annual-plan.html").read_text(encoding="utf-8")
    assert "十、華東區培訓安排" in html and "每月第一個週六集中培訓" in html


def test_templates_vars_describes_the_frozen_context():
    result = run("templates", "vars", "annual-plan")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("# annual-plan (年度銷售總體計畫), template annual-plan.html.j2: its context for "
                               "annual-plan 2026 south in the example workspace")
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert rows["doc.company"] == ["text", "金立基粘合劑有限公司"]
    assert rows["doc.prepared_on"] == ["date", "2026-01-01"]
    assert rows["is_company"] == ["yes/no", "False"]
    assert rows["region_plan.budget[].item"] == ["text", "差旅費"]
    unknown = run("templates", "vars", "nope")
    assert unknown.exit_code == 1 and "unknown document 'nope'" in unknown.output


# -- shell completion ---------------------------------------------------------------------------
def complete(args: list[str], incomplete: str) -> list[str]:
    from click.shell_completion import ShellComplete

    return [c.value for c in ShellComplete(cli, {}, "docgen", "_DOCGEN_COMPLETE").get_completions(args, incomplete)]


def test_completion_offers_documents_regions_people_periods_templates(workspace):
    ws = ["-w", str(workspace)]
    assert complete([*ws, "render"], "visit") == ["visit-plan", "visit-stats"]
    assert complete([*ws, "render", "annual-plan", "--region"], "") == ["south", "east", "shandong"]
    assert complete([*ws, "render", "visit-plan", "-p", "2026-07", "--person"], "e0") == \
        ["e01", "e02", "e03", "e04", "e05", "e06", "e07"]
    assert complete([*ws, "build", "--period"], "2026-0")[:2] == ["2026-06", "2026-05"]
    assert complete([*ws, "month-end"], "2026-06") == ["2026-06"]
    assert complete([*ws, "templates", "show"], "ref") == ["reference.docx"]
    assert complete(["-w", str(workspace / "nowhere"), "render", "x", "--region"], "") == []  # no error
