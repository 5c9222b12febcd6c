"""A fiscal year from August (tests/fiscal_ws): the documents of months across December.

The workspace: one region 深圳區, task 1300萬 over 2026-08 … 2027-07, January weighing 2 and every other
month 1, so each month is 100萬 and January 200萬; 王強 carries 60萬 a month and 李娜 40萬 (60 : 40), the
promoter 陳芳 and the clerk 吳敏 carry nothing.  Ledgers: 2026-07 (the fiscal year before), 2026-08,
2026-12, 2027-01 and 2027-07.  2027 is not in chinese-calendar: docgen.yaml lists its holidays.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compact, docx_document, docx_table, docx_tables, pdf_text

from docgen.cli import cli
from docgen.data.plan import load_plan
from docgen.workspace import Workspace

FIXTURE = Path(__file__).parent / "fiscal_ws"


def copy_fiscal(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    return dest


def cells(table: list[list[str]]) -> dict[str, str]:
    """A two-column key–value table (the title block, a summary) as label → value."""
    return {row[i]: row[i + 1] for row in table for i in range(0, len(row) - 1, 2)}


def title_block(path: Path) -> dict[str, str]:
    return cells(docx_tables(docx_document(path))[0])


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


def render(ws: Path, *args: str) -> None:
    result = run(ws, "render", *args, "--format", "docx,pdf")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    ws = copy_fiscal(tmp_path_factory.mktemp("fiscal") / "ws")
    render(ws, "annual-plan", "--period", "2026", "--region", "sz")
    render(ws, "monthly-plan", "--period", "2027-01", "--region", "sz")
    render(ws, "monthly-plan", "--period", "2027-02", "--region", "sz")
    render(ws, "sales-stats", "--period", "2027-01", "--region", "sz")
    render(ws, "year-summary", "--period", "2026")
    return ws


@pytest.fixture
def fresh(tmp_path) -> Path:
    return copy_fiscal(tmp_path / "ws")


# -- the annual plan ------------------------------------------------------------------------------
def test_the_annual_plans_months_run_from_august_to_july(ws):
    path = ws / "output" / "2026" / "sz" / "annual-plan.docx"
    months = docx_table(path, ["月份", "淡旺季", "權重"])
    assert [r[0] for r in months[1:]] == ["8月", "9月", "10月", "11月", "12月", "2027年1月", "2月", "3月", "4月",
                                         "5月", "6月", "7月", "合計"]
    # 1300萬 ÷ 13 weights = 100萬 a weight: January (weight 2) 200萬, the rest 100萬; 累計 runs in that order
    assert [r[3] for r in months[1:7]] == ["100.00"] * 5 + ["200.00"]
    assert [r[5] for r in months[1:7]] == ["100.00", "200.00", "300.00", "400.00", "500.00", "700.00"]
    people = docx_table(path, ["月份", "王強", "李娜", "合計"])
    assert people[6] == ["2027年1月", "120.00", "80.00", "200.00"]   # 200萬 split 60 : 40


def test_the_annual_plan_is_titled_by_its_fiscal_year(ws):
    title = title_block(ws / "output" / "2026" / "sz" / "annual-plan.docx")
    assert (title["期間"], title["日期"]) == ("2026/27財年（2026年8月至2027年7月）", "2026年8月1日")
    text = compact(pdf_text(ws / "output" / "2026" / "sz" / "annual-plan.pdf"))
    assert "期間2026/27財年（2026年8月" in text and "至2027年7月）" in text   # the cell wraps in two lines
    targets = docx_table(ws / "output" / "2026" / "sz" / "annual-plan.docx", ["區域", "計畫期間"])
    assert targets[1][:3] == ["深圳區", "2026年8月–2027年7月", "1,300.00"]


def test_training_and_phases_carry_their_real_dates(ws):
    path = ws / "output" / "2026" / "sz" / "annual-plan.docx"
    training = docx_table(path, ["時間", "培訓主題"])
    assert [r[:2] for r in training[1:]] == [["9月", "企業文化及行業知識"], ["12月", "心態引導"],
                                            ["2027年1月", "促銷活動及終端布置"]]
    text = compact(pdf_text(ws / "output" / "2026" / "sz" / "annual-plan.pdf"))
    assert "第二階段（9月1日至2027年2月1日）" in text
    assert "12月1日–2027年1月31日" in text


# -- the monthly plans --------------------------------------------------------------------------
def test_january_2027_is_planned_from_the_2026_folder_with_2027s_working_days(ws):
    path = ws / "output" / "2027-01" / "sz" / "monthly-plan.docx"
    assert title_block(path)["期間"] == "2027年1月"
    summary = cells(docx_tables(docx_document(path))[1])
    assert summary["本月目標"] == "200.00"
    # January 2027: 21 weekdays, New Year's Day (a Friday) off
    assert summary["本月工作日"] == "20 天"
    # 累計 from August: 5 × 100萬 + 200萬 = 700萬 of 1300萬 = 53.8%
    assert summary["截至本月累計目標"] == "700.00（53.8%）"
    weeks = docx_table(path, ["業務員", "工作日"])
    assert weeks[1][0] == "王強" and weeks[1][-1] == "120.00"
    assert [r[0] for r in weeks[1:]] == ["王強", "李娜", "區域合計"]   # the promoter and the clerk carry nothing


def test_february_2027_counts_the_spring_festival_and_the_make_up_saturdays(ws):
    summary = cells(docx_tables(docx_document(ws / "output" / "2027-02" / "sz" / "monthly-plan.docx"))[1])
    # 20 weekdays − 5 days off (8–12 February) + 2 Saturdays worked (6 and 20 February) = 17
    assert summary["本月工作日"] == "17 天"


def test_staff_without_a_quota_are_listed_with_their_own_targets(ws):
    staff = docx_table(ws / "output" / "2027-01" / "sz" / "monthly-plan.docx", ["姓名", "職務", "工作目標"])
    # the role's 培訓 4節 and 門店銷量 20套, the promoter's own 門店銷量 30套 replacing the latter
    assert staff[1:] == [["陳芳", "促銷員", "培訓", "4節"], ["", "", "門店銷量", "30套"], ["吳敏", "文員", "—", "—"]]


# -- the statistics -----------------------------------------------------------------------------
def test_ytd_counts_from_august_and_not_the_july_before(ws):
    people = docx_table(ws / "output" / "2027-01" / "sz" / "sales-stats.docx", ["業務員", "目標", "實績"])
    # 王強: target 120萬, sold 150萬 (125.0%); 累計 since August 70 + 80 + 150 = 300萬 of
    # 60 × 5 + 120 = 420萬 = 71.4%; July 2026's 50萬 belongs to the year before; 環比 150 ÷ 80 − 1 = 87.5%
    assert people[1][:7] == ["王強", "120.00", "150.00", "125.0%", "300.00", "71.4%", "87.5%"]
    assert people[-1][:6] == ["合計", "200.00", "200.00", "100.0%", "420.00", "60.0%"]   # 420 of 700
    assert [r[0] for r in people[1:]] == ["王強", "李娜", "合計"]
    text = compact(pdf_text(ws / "output" / "2027-01" / "sz" / "sales-stats.pdf"))
    assert "2026年8月至今累計完成420.00萬元，累計完成率60.0%" in text


def test_the_promoter_and_the_clerk_have_no_scorecard(ws):
    tables = docx_tables(docx_document(ws / "output" / "2027-01" / "sz" / "sales-stats.docx"))
    summary = next(t for t in tables if t[0][:2] == ["業務員", "區域"] and "考核總分" in t[0])
    assert [r[0] for r in summary[1:]] == ["王強", "李娜"]


def test_the_year_summary_covers_the_fiscal_year_in_order(ws):
    path = ws / "output" / "2026" / "company" / "year-summary.docx"
    trend = docx_table(path, ["月份", "目標", "實績"])
    assert [r[0] for r in trend[1:-1]] == ["8月", "12月", "2027年1月", "7月"]
    assert trend[-2][4:6] == ["500.00", "520.00"]   # targets 100 + 100 + 200 + 100; sales 100 + 120 + 200 + 100
    title = title_block(path)
    assert (title["期間"], title["日期"]) == ("2026/27財年（2026年8月至2027年7月）", "2027年7月31日")
    text = compact(pdf_text(path.with_suffix(".pdf")))
    assert "本總結涵蓋2026年8月至2027年7月的銷售台帳" in text


# -- bad input ----------------------------------------------------------------------------------
def _line(path: Path, start: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if ln.startswith(start))


def test_a_period_that_runs_backwards_in_the_fiscal_year_is_located(fresh):
    region = fresh / "plans" / "2026" / "regions" / "sz.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace("period: {start: 8, end: 7}",
                                                                 "period: {start: 3, end: 9}"), encoding="utf-8")
    result = run(fresh, "validate")
    assert result.exit_code == 1
    assert (f"plans/2026/regions/sz.yaml:{_line(region, 'period:')}: period: end month 9 is before start month 3 "
            f"in the fiscal year 2026/27 (8月–7月)") in result.output.splitlines()


def test_a_training_month_of_the_wrong_year_is_located(fresh):
    company = fresh / "plans" / "2026" / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace("month: 2027-01", "month: 2026-01"),
                       encoding="utf-8")
    result = run(fresh, "validate")
    assert result.exit_code == 1
    line = _line(company, "  - {month: 2026-01")
    assert (f"plans/2026/company.yaml:{line}: training[2].month: 2026-01 is not in the fiscal year 2026/27 "
            f"(2026-08..2027-07); its 1月 is 2027-01") in result.output.splitlines()


def test_a_fiscal_year_that_is_not_docgen_yamls_says_which_setting_to_change(fresh):
    config = fresh / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("fiscal_year_start: 8", "fiscal_year_start: 1"),
                      encoding="utf-8")
    result = run(fresh, "validate")
    assert result.exit_code == 1
    company = fresh / "plans" / "2026" / "company.yaml"
    assert (f"plans/2026/company.yaml:{_line(company, 'fiscal_year:')}: fiscal_year: 2026-08-01 to 2027-07-31 "
            f"is not the fiscal year 2026: set fiscal_year_start: 8 in docgen.yaml") in result.output.splitlines()


# -- periods on the command line ----------------------------------------------------------------
@pytest.mark.parametrize("period", ["2026", "FY2026", "2026/27", "2026-27", "2026財年", "2026-08..2027-07"])
def test_every_name_of_the_fiscal_year_renders_the_same_annual_plan(fresh, period):
    result = run(fresh, "render", "annual-plan", "--period", period, "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(fresh / "output" / "2026" / "company" / "annual-plan.html")]


@pytest.mark.parametrize("period", ["2027-03", "2027-3", "2027/03", "2027年3月"])
def test_a_month_after_december_finds_its_fiscal_plan(fresh, period):
    result = run(fresh, "render", "monthly-plan", "--period", period, "--region", "sz", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(fresh / "output" / "2027-03" / "sz" / "monthly-plan.html")]


def test_a_span_that_is_not_the_fiscal_year_says_what_the_fiscal_year_is(fresh):
    result = run(fresh, "render", "annual-plan", "--period", "2026-09..2027-07")
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "--period '2026-09..2027-07': not a fiscal year (the fiscal year 2026/27 runs 2026-08..2027-07); "
        "name one month like 2026-09, or build a span of months with docgen build --period")


def _dry_run(ws: Path, *args: str) -> list[str]:
    result = run(ws, *args, "--dry-run", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return sorted(line.split()[2].rstrip(":") for line in result.output.splitlines()
                  if line.startswith("would build") and line.endswith("never built"))


def test_closing_july_makes_the_fiscal_years_summary_and_december_does_not(fresh):
    july = _dry_run(fresh, "month-end", "2027-07")
    assert "2026/company/year-summary.pdf" in july and "2026/sz/year-summary.pdf" in july
    december = run(fresh, "month-end", "2026-12", "--dry-run", "--format", "pdf")
    assert "year-summary" not in december.output
    assert "plans are missing" not in december.output          # January 2027 is planned in plans/2026/
    assert "2027-01/sz/monthly-plan.pdf" in december.output


def test_build_takes_a_span_of_months_across_december(fresh):
    built = _dry_run(fresh, "build", "--period", "2026-12..2027-01")
    assert {p.split("/")[0] for p in built} == {"2026-12", "2027-01"}
    assert "2027-01/sz/sales-stats.pdf" in built and "2026-12/sz/monthly-plan.pdf" in built


# -- the plan as a workbook -----------------------------------------------------------------------
def _plan(ws: Path):
    plan, problems = load_plan(Workspace.open(ws), 2026)
    assert [str(p) for p in problems if p.is_error] == []
    return plan


def test_competitors_and_own_targets_survive_yaml_to_xlsx_to_yaml(fresh, tmp_path):
    book = tmp_path / "plan.xlsx"
    assert run(fresh, "plan", "export", "2026", str(book)).exit_code == 0
    target = copy_fiscal(tmp_path / "imported")
    shutil.rmtree(target / "plans" / "2026")
    result = run(target, "plan", "import", str(book))
    assert result.exit_code == 0, result.output
    before, after = _plan(fresh), _plan(target)
    assert after.company.model_dump() == before.company.model_dump()
    assert [r.model_dump() for r in after.regions] == [r.model_dump() for r in before.regions]
    assert [c.name for c in after.company.competitors] == ["格力", "美的", "奧克斯"]
    assert after.regions[0].period.months == [8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]


def test_completion_names_the_fiscal_year_and_finds_a_months_people(fresh):
    from click.shell_completion import ShellComplete

    def complete(args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
        shell = ShellComplete(cli, {}, "docgen", "_DOCGEN_COMPLETE")
        return [(c.value, c.help) for c in shell.get_completions(["-w", str(fresh), *args], incomplete)]

    assert ("2026", "fiscal year 2026/27") in complete(["build", "--period"], "")
    # 2027-01's people come from plans/2026/
    assert [v for v, _ in complete(["render", "visit-plan", "-p", "2027-01", "--person"], "a")] == ["a01", "a02"]


def test_a_last_visit_is_judged_against_the_periods_first_month_in_its_real_year(fresh):
    # the region plans January–July only: its first month is 2027-01, so a visit on 2026-12-15 is before it
    region = fresh / "plans" / "2026" / "regions" / "sz.yaml"
    text = region.read_text(encoding="utf-8").replace("period: {start: 8, end: 7}", "period: {start: 1, end: 7}")
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith(("  8:", "  9:", "  10:", "  11:", "  12:")))
    region.write_text(text + "\n", encoding="utf-8")
    customers = fresh / "plans" / "2026" / "customers" / "sz.csv"
    customers.write_text(customers.read_text(encoding="utf-8").replace("2026-07-10", "2026-12-15")
                         .replace("2026-06-15", "2027-02-01"), encoding="utf-8")
    result = run(fresh, "validate")
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if "last_visit" in ln]
    assert warnings == ["plans/2026/customers/sz.csv:3:上次拜訪: warning: last_visit: 2027-02-01 is not before the plan's "
                        "first month 2027-01: plans up to 2027-02 ignore it; give the last visit before the plan "
                        "year and log later visits in the month's visits.csv"]


def test_the_charter_is_titled_by_the_fiscal_year(fresh):
    render(fresh, "charter", "--period", "2026/27")
    assert title_block(fresh / "output" / "2026" / "company" / "charter.docx")["期間"] == \
        "2026/27財年（2026年8月至2027年7月）"


def test_competitor_shares_above_the_market_are_one_warning_in_validate_and_the_annual_plan(fresh):
    company = fresh / "plans" / "2026" / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace("share: 25%", "share: 75%"), encoding="utf-8")
    result = run(fresh, "validate")
    assert result.exit_code == 0, result.output
    # 格力 30% + 美的 75% = 105%
    assert (f"plans/2026/company.yaml:{_line(company, 'competitors:')}: warning: competitors: 全公司：主要競爭對手的"
            f"市場份額合計 105.0%，超過 100%，請核對") in result.output.splitlines()
    render(fresh, "annual-plan", "--period", "2026")
    text = compact(pdf_text(fresh / "output" / "2026" / "company" / "annual-plan.pdf"))
    assert "⚠全公司：主要競爭對手的市場份額合計105.0%，超過100%，請核對。" in text


def test_the_competitors_table_is_in_the_market_analysis(ws):
    table = docx_table(ws / "output" / "2026" / "sz" / "annual-plan.docx", ["競爭對手", "市場份額"])
    assert table[1:] == [["格力", "30.0%", "一線品牌", "高", ""], ["美的", "25.0%", "一線品牌", "中", ""],
                         ["奧克斯", "—", "份額下滑", "低", "受企業、品牌等方面的不良影響"]]
