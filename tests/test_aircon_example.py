"""The second example company (issue 10 part 7): seed 篇3's air-conditioner branch in 深圳.

`docgen init DIR --example aircon` writes `examples/aircon/`: a plan in money and sets (1億元, 5萬套,
market 40萬套) on a fiscal year from August 2026 to July 2027, three 片區 (one opened in September),
K/A channels, 40 promoters without a sales quota, the monthly training calendar September–February
and the seed's four phases, with the ledgers of August–October 2026 and last year's for YoY.
"""
from __future__ import annotations

from pathlib import Path

from click.shell_completion import ShellComplete
from click.testing import CliRunner
from conftest import REPO

from docgen.cli import cli

EXAMPLE = REPO / "examples" / "aircon"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_example_aircon_writes_the_air_conditioner_workspace(tmp_path):
    result = run("init", str(tmp_path / "aircon"), "--example", "aircon")
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path / "aircon") == files_under(EXAMPLE)
    config = (tmp_path / "aircon" / "docgen.yaml").read_text(encoding="utf-8")
    assert "company: 格蘭仕空調深圳分公司" in config and "fiscal_year_start: 8" in config


def test_init_without_example_still_writes_the_first_example(tmp_path):
    assert run("init", str(tmp_path / "ws")).exit_code == 0
    assert "company: 金立基粘合劑有限公司" in (tmp_path / "ws" / "docgen.yaml").read_text(encoding="utf-8")
    assert not (tmp_path / "ws" / "plans" / "2026" / "regions" / "central.yaml").exists()


def test_init_refuses_an_unknown_example_and_completes_the_known_ones(tmp_path):
    result = run("init", str(tmp_path / "ws"), "--example", "rice")
    assert result.exit_code == 2
    assert "'rice' is not one of 'adhesives', 'aircon'" in result.output
    assert not (tmp_path / "ws").exists()
    completions = ShellComplete(cli, {}, "docgen", "_DOCGEN_COMPLETE").get_completions(["init", "--example"], "")
    assert [c.value for c in completions] == ["adhesives", "aircon"]
