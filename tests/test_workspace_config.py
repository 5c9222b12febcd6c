"""docgen.yaml is parsed in one place (docgen.workspace): rules and appraisal typed there, with their lines."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example

from docgen.cli import cli
from docgen.data.models import Rules
from docgen.errors import ConfigError
from docgen.plan.appraisal import AppraisalSettings
from docgen.workspace import Workspace

WAN = Decimal(10_000)


def with_config(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The example workspace with ``old`` replaced by ``new`` in docgen.yaml, and the line ``new`` starts on."""
    ws = copy_example(tmp_path / "ws")
    config = ws / "docgen.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    config.write_text(text, encoding="utf-8")
    return ws, text[:text.index(new)].count("\n") + 1


def test_rules_and_appraisal_are_typed_with_their_lines(tmp_path):
    root, line = with_config(tmp_path, "appraisal: {}",
                             "appraisal: {exclude_roles: [文員]}\nrules:\n  tier_thresholds: {VIP: 120萬}")
    ws = Workspace.open(root)
    assert isinstance(ws.config.rules, Rules) and isinstance(ws.config.appraisal, AppraisalSettings)
    assert ws.config.rules.tier_thresholds == {"VIP": 120 * WAN, "一級": 50 * WAN, "二級": 10 * WAN}
    assert ws.config.appraisal.exclude_roles == ["文員"]
    where = ws.config.rules.problem("bad", "tier_thresholds")
    assert str(where) == f"docgen.yaml:{line + 2}: rules.tier_thresholds: bad"
    assert ws.rules() == (ws.config.rules, [])
    assert ws.appraisal() == (ws.config.appraisal, [])


def test_a_bad_rule_does_not_stop_the_workspace_but_every_plan_reports_it(tmp_path):
    root, line = with_config(tmp_path, "appraisal: {}", "appraisal: {}\nrules:\n  lost_after_months: 0\n  colour: red")
    ws = Workspace.open(root)  # the charter needs no rules: opening must not fail
    rules, problems = ws.rules()
    assert rules is None
    assert [str(p) for p in problems] == [
        f"docgen.yaml:{line + 2}: rules.lost_after_months: Input should be greater than or equal to 1",
        f"docgen.yaml:{line + 3}: warning: rules.colour: unknown key (ignored)"]
    assert ws.config.rules == Rules()  # the defaults, never half-read settings
    result = CliRunner().invoke(cli, ["-w", str(root), "validate"])
    assert result.exit_code == 1
    assert f"docgen.yaml:{line + 2}: rules.lost_after_months: Input should be greater than or equal to 1" \
        in result.stdout.splitlines()


def test_strict_makes_an_unknown_rule_key_an_error(tmp_path):
    root, line = with_config(tmp_path, "appraisal: {}", "appraisal: {}\nrules:\n  colour: red")
    ws = Workspace.open(root)
    assert ws.rules()[0].model_dump() == Rules().model_dump()  # the unknown key left out
    rules, problems = ws.rules(strict=True)
    assert rules is None and [str(p) for p in problems] == [f"docgen.yaml:{line + 2}: rules.colour: unknown key"]


def test_bad_appraisal_settings_are_reported_where_they_are_written(tmp_path):
    root, line = with_config(tmp_path, "appraisal: {}", "appraisal:\n  exclude_roles: 文員")
    settings, problems = Workspace.open(root).appraisal()
    assert settings is None
    assert [str(p) for p in problems] == [f"docgen.yaml:{line + 1}: appraisal.exclude_roles: expected a list, "
                                          "got a string"]


def test_an_empty_appraisal_means_the_defaults(tmp_path):
    root, _ = with_config(tmp_path, "appraisal: {}", "appraisal:")
    settings, problems = Workspace.open(root).appraisal()
    assert (settings, problems) == (AppraisalSettings(), [])
    assert sum(i.weight for i in settings.items) == 100


def test_logo_is_a_located_warning_even_when_strict(tmp_path):
    root, line = with_config(tmp_path, "appraisal: {}", "appraisal: {}\nlogo: assets/logo.png")
    for strict in (False, True):
        ws = Workspace.open(root, strict=strict)
        assert [str(p) for p in ws.warnings] == [
            f"docgen.yaml:{line + 1}: warning: logo: no document reads this setting, and it will be removed: put the "
            "picture in assets/ and embed it where it belongs: ![logo](assets/logo.png) in a narrative, or "
            '<img src="assets/logo.png"> in a template override (docgen templates eject base.html.j2)']
    assert not hasattr(ws.config, "logo")


def test_require_region_never_returns_none():
    ws = Workspace.open(Path(__file__).resolve().parent.parent)
    assert ws.require_region("east").name == "華東區"
    assert ws.require_region("華東區").id == "east"  # by name too, as --region accepts
    assert ws.region(None) is None and ws.region("east") == ws.require_region("east")
    with pytest.raises(ConfigError, match=r"unknown region 'north'; regions in docgen.yaml: south \(華南區\), "
                                          r"east \(華東區\), shandong \(山東區\)"):
        ws.require_region("north")


def test_only_the_workspace_reads_the_config_file_data():
    """monthend.py once parsed `appraisal:` from ws.source itself, the loader `rules:`: now only Workspace.open does."""
    package = Path(__file__).resolve().parent.parent / "docgen"
    readers = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                     if path.name != "workspace.py" and "ws.source.data" in path.read_text(encoding="utf-8"))
    assert readers == []
