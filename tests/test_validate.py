"""docgen validate: every problem at once, located; the plan's arithmetic warnings included."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import cli

EAST_WARNINGS = [
    "plans/2026/regions/east.yaml:14: warning: channels: 直營店: 4人 × 7.5萬 × 7個月 = 210萬, "
    "計畫定額 180萬 (計畫定額相當於6個月)",
    "plans/2026/regions/east.yaml:14: warning: channels: 大中型專業客戶: 4人 × 30萬 × 7個月 = 840萬, "
    "計畫定額 720萬 (計畫定額相當於6個月)",
    "plans/2026/regions/east.yaml:14: warning: channels: 經銷商: 4家 × 8萬 × 7個月 = 224萬, "
    "計畫定額 192萬 (計畫定額相當於6個月)",
    "plans/2026/regions/east.yaml:26: warning: people: 個人月定額合計 167萬 × 7個月 = 1,169萬, "
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
