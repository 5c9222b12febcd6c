"""docgen validate: every problem at once, located; the plan's arithmetic warnings included."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import cli
from docgen.render.typography import typeset_text

EAST_WARNINGS = [
    "plans/2026/regions/east.yaml:14: warning: channels: 華東區渠道定額：直營店: 4人 × 7.5萬 × 7個月 = 210萬, "
    "計畫定額 180萬 (計畫定額相當於6個月)",
    "plans/2026/regions/east.yaml:14: warning: channels: 華東區渠道定額：大中型專業客戶: 4人 × 30萬 × 7個月 = 840萬, "
    "計畫定額 720萬 (計畫定額相當於6個月)",
    "plans/2026/regions/east.yaml:14: warning: channels: 華東區渠道定額：經銷商: 4家 × 8萬 × 7個月 = 224萬, "
    "計畫定額 192萬 (計畫定額相當於6個月)",
    "plans/2026/regions/east.yaml:26: warning: people: 華東區：個人月定額合計 167萬 × 7個月 = 1,169萬, "
    "區域任務 1,092萬: 按定額比例分配",
]


def validate(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), "validate", *args])


def test_the_example_is_valid_and_warns_about_the_seeds_own_arithmetic(workspace):
    result = validate(workspace)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == EAST_WARNINGS
    assert result.stderr.strip() == "0 errors, 4 warnings in plans/charter.yaml, plans/2026"


def test_appraisal_settings_are_checked_where_they_are_written(workspace):
    config = workspace / "docgen.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "appraisal: {}", "appraisal:\n  bands:\n    - {label: 優秀, above: 95}\n  pay: {base: 85, bonus: 1}")
    config.write_text(text, encoding="utf-8")
    result = validate(workspace)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(text.splitlines(), 1) if line == "appraisal:")
    assert f"docgen.yaml:{start + 3}: warning: appraisal.pay.bonus: unknown key (ignored)" in lines
    assert (f"docgen.yaml:{start}: appraisal: the last rating band must have above: null "
            "(it takes every lower score)") in lines


def test_every_problem_of_a_broken_workspace_at_once():
    broken = Path(__file__).parent / "broken" / "many"
    result = validate(broken)
    assert result.exit_code == 1
    assert result.stderr.strip() == "13 errors, 2 warnings in plans/charter.yaml, plans/2026"
    assert len(result.stdout.splitlines()) == 15
    assert "plans/charter.yaml: file not found" in result.stdout.splitlines()
    assert "plans/2026/regions/south.yaml:3: task: expected an amount like 1092萬 or 10920000 (元), got '一千萬'" \
        in result.stdout.splitlines()
    assert "Traceback" not in result.output


def test_strict_makes_unknown_keys_errors(workspace):
    region = workspace / "plans" / "2026" / "regions" / "south.yaml"
    region.write_text(region.read_text(encoding="utf-8") + "\nbudgett: []\n", encoding="utf-8")
    assert validate(workspace).exit_code == 0
    strict = validate(workspace, "--strict")
    assert strict.exit_code == 1
    assert any(line.startswith("plans/2026/regions/south.yaml:") and line.endswith("budgett: unknown key")
               for line in strict.stdout.splitlines())


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_validate_prints_what_the_annual_plan_prints(workspace):
    # 篇4: 500噸 a month for 12 months is 6,000噸, the year says 7,000噸
    south = workspace / "plans" / "2026" / "regions" / "south.yaml"
    _edit(south, "quantity: 1200噸\nmonthly_quantity: 100噸", "quantity: 7000噸\nmonthly_quantity: 500噸")
    result = validate(workspace)
    expected = "每月500噸 × 12個月 = 6,000噸, 年度任務 7,000噸"
    line = next(x for x in result.stdout.splitlines() if expected in x)
    assert line.startswith("plans/2026/regions/south.yaml:11: warning: monthly_quantity: 華南區：")
    CliRunner().invoke(cli, ["-w", str(workspace), "render", "annual-plan", "--period", "2026", "--format", "html"])
    html = (workspace / "output" / "2026" / "company" / "annual-plan.html").read_text(encoding="utf-8")
    # the region named; the document sets the same words with full-width punctuation
    assert typeset_text(f"華南區：{expected}", simplified=False) in html and "華東區：個人月定額合計 167萬" in html


def test_warnings_are_shown_with_errors(workspace):
    south = workspace / "plans" / "2026" / "regions" / "south.yaml"
    _edit(south, "task: 1800萬", "task: 一千八百萬")
    result = validate(workspace)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(x.startswith("plans/2026/regions/south.yaml:8: task:") for x in lines)
    assert EAST_WARNINGS[0] in lines and EAST_WARNINGS[3] in lines      # east loaded: its warnings stand
    assert result.stderr.strip() == "1 error, 4 warnings in plans/charter.yaml, plans/2026"


def test_validate_a_month_reads_its_ledgers_and_scores(workspace):
    june = workspace / "ledgers" / "2026-06"
    ok = validate(workspace, "--period", "2026-06")
    assert ok.exit_code == 0 and ok.stderr.strip().endswith("plans/2026, ledgers/2026-06")
    sales = june / "sales.csv"
    lines = sales.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[2], "C999", 1)
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (june / "appraisal.csv").write_text("業務員,銷售人員行為紀律\n周建國,11\n", encoding="utf-8")
    result = validate(workspace, "--period", "2026-06")
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert ("ledgers/2026-06/sales.csv:4:客戶: customer: unknown customer 'C999': not an id or name in the plan data"
            in out)
    # the plan's warnings come first, the month's problems after them
    assert out[:4] == EAST_WARNINGS
    assert ("ledgers/2026-06/appraisal.csv:2:銷售人員行為紀律: discipline: points must be between 0 and 10, got 11"
            in out)
    # without --period: the plans and every ledger and scores file of their year (validate rejects
    # what a render would)
    whole = validate(workspace)
    assert whole.exit_code == 1
    assert "ledgers/2026-06/sales.csv:4:客戶: customer: unknown customer 'C999': not an id or name in the plan data" \
        in whole.stdout.splitlines()
    assert "ledgers/2026-06/appraisal.csv:2:銷售人員行為紀律: discipline: points must be between 0 and 10, got 11" \
        in whole.stdout.splitlines()
    missing = validate(workspace, "--period", "2026-09")
    assert missing.exit_code == 1
    assert "ledgers/2026-09: no ledgers for 2026-09: the month's statistics cannot be made" in missing.stdout


def test_validate_a_month_names_the_cards_that_will_be_provisional(workspace):
    (workspace / "ledgers" / "2026-06" / "appraisal.csv").write_text(
        "業務員,銷售人員行為紀律,工作計畫、匯報完成率,需求資源客戶回覆情況\n" + "".join(
            f"{p},9,9,9\n" for p in ("s01", "s02", "s03", "s04", "e01", "e02", "e03", "e04", "e05", "e06", "e07",
                                     "d01", "d02", "d03")) + "d04,8,,\n", encoding="utf-8")
    result = validate(workspace, "--period", "2026-06")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[4:] == [
        "ledgers/2026-06/appraisal.csv: warning: salesperson: 馮雪 (d04): 工作計畫、匯報完成率、需求資源客戶回覆情況 "
        "not scored: the card shows 待評 and is provisional, with no pay factor"]
