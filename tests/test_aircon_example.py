"""The second example company (issue 10 part 7): seed 篇3's air-conditioner branch in 深圳.

`docgen init DIR --example aircon` writes `examples/aircon/`: a plan in money and sets (1億元, 5萬套,
market 40萬套) on a fiscal year from August 2026 to July 2027, three 片區 (one opened in September),
K/A channels, 40 promoters without a sales quota, the monthly training calendar September–February
and the seed's four phases, with the ledgers of August–October 2026 and last year's for YoY.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner
from conftest import REPO, compact, docx_document, docx_tables, pdf_text

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


# -- the example validates clean and its whole fiscal year builds ---------------------------------
LEDGER_MONTHS = ("2026-08", "2026-09", "2026-10")


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("aircon") / "ws"
    result = run("init", str(root), "--example", "aircon")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def out(ws: Path) -> Path:
    """Everything `docgen build` makes of the example (its default: the fiscal year 2026/27), as Word."""
    result = run("-w", str(ws), "build", "--format", "docx", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "failed 0" in result.output.splitlines()[-1]
    return ws / "output"


def table(path: Path, *head: str) -> list[list[str]]:
    """The first table of the .docx whose header row starts with ``head``."""
    return next(t for t in docx_tables(docx_document(path)) if t[0][:len(head)] == list(head))


def rows_by_first_cell(rows: list[list[str]]) -> dict[str, list[str]]:
    return {r[0]: r[1:] for r in rows[1:]}


def test_the_example_validates_clean_with_every_months_ledgers(ws: Path):
    for period in (None, *LEDGER_MONTHS):
        result = run("-w", str(ws), "validate", *(("--period", period) if period else ()))
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1].startswith("0 errors, 0 warnings"), result.output


def test_the_whole_fiscal_year_is_built_from_august_to_july(out: Path):
    # monthly plans for every month of 2026/27 (東部片區 from September), statistics for the months with ledgers
    plans = sorted(p.parent.parent.name for p in out.glob("*/central/monthly-plan.docx"))
    assert plans == ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
                     *(f"2027-{m:02d}" for m in range(1, 8))]
    assert not (out / "2026-08" / "east" / "monthly-plan.docx").exists()
    assert (out / "2026-09" / "east" / "monthly-plan.docx").is_file()
    assert sorted(p.parent.parent.name for p in out.glob("*/company/sales-stats.docx")) == list(LEDGER_MONTHS)
    assert (out / "2026" / "company" / "year-summary.docx").is_file()


def test_the_annual_plan_shows_1_yi_and_50000_sets_against_a_market_of_400000(out: Path, ws: Path, tmp_path):
    plan = out / "2026" / "company" / "annual-plan.docx"
    title = rows_by_first_cell(docx_tables(docx_document(plan))[0])
    assert title["期間"][0] == "2026/27財年（2026年8月至2027年7月）"
    # 5萬套 ÷ 40萬套 = 12.5% (the seed rounds it to 13%)
    assert table(plan, "範圍", "市場容量")[1] == ["全公司", "40萬套", "50,000套", "12.5%"]
    tasks = rows_by_first_cell(table(plan, "區域", "計畫期間", "任務（保底）"))
    assert tasks["東部片區"][:2] == ["2026年9月–2027年7月", "2,200.00"]
    assert tasks["合計"][1] == "10,000.00"       # 4,200 + 3,600 + 2,200 萬元 = 1億元
    volumes = rows_by_first_cell(table(plan, "區域", "計畫期間", "期間數量"))
    assert volumes["合計"][1] == "50,000"        # 21,000 + 18,000 + 11,000 套
    # the PDF of the same document says the same
    rendered = run("-w", str(ws), "render", "annual-plan", "--format", "pdf", "-o", str(tmp_path))
    assert rendered.exit_code == 0, rendered.output
    text = compact(pdf_text(tmp_path / "2026" / "company" / "annual-plan.pdf"))
    assert "全公司40萬套50,000套12.5%" in text
    assert "合計10,000.0010,000.00100.0%10,000.00" in text


def test_the_month_targets_run_from_august_with_the_summer_peak_and_add_up(out: Path):
    months = table(out / "2026" / "company" / "annual-plan.docx", "月份", "中心片區", "西部片區", "東部片區")
    assert [r[0] for r in months[1:]] == ["8月", "9月", "10月", "11月", "12月", "2027年1月", "2月", "3月", "4月",
                                          "5月", "6月", "7月", "合計"]
    by_month = rows_by_first_cell(months)
    # August: 10 of 100 weight points; 中心 4,200萬 × 10% = 420, 西部 3,600萬 × 10% = 360; 東部 starts in September
    assert by_month["8月"][:4] == ["420.00", "360.00", "—", "780.00"]
    # July, the peak: 19%: 798 + 684 + 2,200 × 19/90 (東部 has no August: 90 points) = 464.44
    assert by_month["7月"][:4] == ["798.00", "684.00", "464.44", "1,946.44"]
    assert by_month["合計"][:4] == ["4,200.00", "3,600.00", "2,200.00", "10,000.00"]


def test_the_training_calendar_runs_september_to_february_with_real_years(out: Path):
    training = table(out / "2026" / "company" / "annual-plan.docx", "時間", "培訓主題")
    assert [(r[0], r[1], r[4]) for r in training[1:]] == [
        ("9月", "企業文化及行業知識", "4"), ("10月", "專業知識", "4"), ("11月", "促銷技巧", "4"),
        ("12月", "心態引導、培訓及心態建設", "4"), ("2027年1月", "促銷活動及終端布置", "4"),
        ("2027年2月", "現場模擬銷售培訓及現場測試", "")]


PHASES = ["第一階段（8月1日至8月30日）", "第二階段（9月1日至2027年2月1日）",
          "第三階段（2027年2月1日至2027年2月28日）", "第四階段（2027年3月1日至2027年7月31日）"]


def headings(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx_document(path).paragraphs if p.style.name.startswith("Heading")]


def test_the_four_phases_run_into_2027(out: Path):
    # 篇3's four phases are the branch's (company.yaml): no 片區 label in the company's plan ...
    company = headings(out / "2026" / "company" / "annual-plan.docx")
    assert [text for style, text in company if style == "Heading 3" and "階段（" in text] == PHASES
    first_tasks = table(out / "2026" / "company" / "annual-plan.docx", "序號", "日期", "時間", "工作內容")
    assert first_tasks[1][1:4] == ["8月1日–15日", "", "促銷員重點排查、量化考核"]
    # ... and in every 片區's plan under 公司工作階段, with the same tasks
    for region in ("central", "west", "east"):
        own = headings(out / "2026" / region / "annual-plan.docx")
        start = own.index(("Heading 3", "公司工作階段"))
        assert [text for _, text in own[start + 1:start + 5]] == PHASES
        assert table(out / "2026" / region / "annual-plan.docx", "序號", "日期", "時間", "工作內容") == first_tasks


def test_promoters_carry_no_sales_target_and_get_no_scorecard(out: Path):
    people = table(out / "2026" / "company" / "annual-plan.docx", "區域", "姓名", "職務", "渠道", "個人月定額")
    assert [r[1] for r in people[1:-1]] == ["林國棟", "陳曉東", "黃嘉豪", "鄧志偉", "何俊傑", "羅思敏",
                                            "謝文斌", "吳嘉欣", "張立新"]
    monthly = out / "2026-09" / "central" / "monthly-plan.docx"
    # September: 中心片區 4,200萬 × 6% = 252, shared 150 : 120 : 80 → 108, 86.4, 57.6
    targets = rows_by_first_cell(table(monthly, "業務員", "工作日"))
    assert {name: row[-1] for name, row in targets.items()} == {"林國棟": "108.00", "陳曉東": "86.40",
                                                               "黃嘉豪": "57.60", "區域合計": "252.00"}
    own = table(monthly, "姓名", "職務", "工作目標", "本月目標")
    promoters = [r for r in own[1:] if r[1] == "促銷員"]
    assert len(promoters) == 16 and all(r[2:] == ["培訓", "4節"] for r in promoters)
    assert [r[2:] for r in own[1:] if not r[0]][:1] == [["門店銷量", "80套"]]
    cards = table(out / "2026-10" / "company" / "sales-stats.docx", "業務員", "區域", "銷售完成率", "考核總分")
    assert len(cards) == 10 and "促銷員" not in {r[1] for r in cards} and "周志遠" not in {r[0] for r in cards}


def test_year_to_date_counts_from_the_fiscal_years_first_month(out: Path):
    stats = out / "2026-10" / "company" / "sales-stats.docx"
    summary = docx_document(stats).paragraphs
    opening = next(p.text for p in summary if p.text.startswith("2026年10月全公司銷售目標"))
    # October: 294 + 252 + 2,200 × 7/90 = 717.11; since August: 780 + 614.67 + 717.11 = 2,111.78
    assert "銷售目標 717.11 萬元" in opening and "2026年8月至今累計完成" in opening
    months = rows_by_first_cell(table(out / "2026" / "company" / "year-summary.docx", "月份", "目標", "實績"))
    assert [months[m][3] for m in ("8月", "9月", "10月")] == ["780.00", "1,394.67", "2,111.78"]


def test_channel_targets_follow_the_regions_months_by_their_quotas(out: Path):
    channels = rows_by_first_cell(table(out / "2026-10" / "company" / "sales-stats.docx", "渠道", "目標", "實際"))
    # October K/A: 294 × 3,168/4,200 + 252 × 2,640/3,600 + 171.11 × 1,540/2,200 = 221.76 + 184.80 + 119.78
    assert channels["K/A家電連鎖"][0] == "526.34"
    assert channels["合計"][0] == "717.11"


# -- quantities (套) alongside money, on the same fiscal year -------------------------------------
def test_sets_go_to_the_salespeople_only_in_the_same_shares_as_their_monthly_quantities(out: Path):
    monthly = out / "2026-09" / "central" / "monthly-plan.docx"
    # September: 21,000套 × 6% = 1,260, shared 750 : 600 : 400 → 540, 432, 288 (promoters and 周志遠 carry none)
    sets = {name: row[-1] for name, row in rows_by_first_cell(
        next(t for t in docx_tables(docx_document(monthly)) if t[0][-1] == "本月數量")).items()}
    assert sets == {"林國棟": "540", "陳曉東": "432", "黃嘉豪": "288", "區域合計": "1,260"}
    stats = out / "2026-10" / "company" / "sales-stats.docx"
    by_person = next(t for t in docx_tables(docx_document(stats))
                     if t[0][:2] == ["業務員", "目標"] and "累計目標" in t[0])
    assert [r[0] for r in by_person[1:]] == ["林國棟", "陳曉東", "黃嘉豪", "鄧志偉", "何俊傑", "羅思敏",
                                             "謝文斌", "吳嘉欣", "張立新", "合計"]


def test_the_sets_run_from_august_and_add_up_to_50000(out: Path):
    months = next(t for t in docx_tables(docx_document(out / "2026" / "company" / "annual-plan.docx"))
                  if t[0][:2] == ["月份", "中心片區"] and "占比" in t[0])
    assert [r[0] for r in months[1:]] == ["8月", "9月", "10月", "11月", "12月", "2027年1月", "2月", "3月", "4月",
                                          "5月", "6月", "7月", "合計"]
    by_month = rows_by_first_cell(months)
    assert by_month["8月"][:4] == ["2,100", "1,800", "—", "3,900"]   # 10% of 21,000 and 18,000
    assert by_month["合計"][:4] == ["21,000", "18,000", "11,000", "50,000"]


def ledger_sets(ws: Path, month: str) -> int:
    """The month's 套 as the ERP exported them: the sales ledger's 數量 column (returns negative)."""
    with (ws / "ledgers" / month / "sales.csv").open(encoding="utf-8", newline="") as f:
        return sum(int(row["數量"]) for row in csv.DictReader(f))


def test_sets_and_channels_count_their_year_to_date_from_august(out: Path, ws: Path):
    stats = out / "2026-10" / "company" / "sales-stats.docx"
    regions = rows_by_first_cell(next(t for t in docx_tables(docx_document(stats))
                                      if t[0][:2] == ["區域", "目標"] and "累計目標" in t[0]))
    # targets: 3,900 (August) + 1,260 + 1,080 + 733 (September; 東部 11,000 × 6/90 = 733.3) + 1,470 + 1,260
    # + 856 (October) = 10,559; actuals: the ledgers' 數量 of August to October
    october, to_date = ledger_sets(ws, "2026-10"), sum(ledger_sets(ws, m) for m in LEDGER_MONTHS)
    assert regions["合計"][:5] == ["3,586", f"{october:,}", f"{october / 3586:.1%}", f"{to_date:,}", "10,559"]
    channels = rows_by_first_cell(table(stats, "渠道", "目標", "實際"))
    assert channels["合計"][4] == "2,111.78"


def test_a_fiscal_year_is_named_as_such_in_the_summary_and_the_index(out: Path):
    # the year from August: its "year start" is 2026-08, so the summary says 財年初 / 本財年 / 下一財年, not
    # 年初 / 今年 / 下一年 (which would read as January 2026 and the calendar year)
    summary = out / "2026" / "company" / "year-summary.docx"
    text = "\n".join(p.text for p in docx_document(summary).paragraphs)
    assert "財年初有銷售的客戶" in text and "3．下一財年工作計畫" in text and "納入下一財年月銷售計畫表跟進" in text
    assert not any(word in text.replace("財年初", "").replace("上一財年", "") for word in ("年初", "今年", "下一年"))
    tiers = table(summary, "", "VIP")
    assert [r[0] for r in tiers[1:]] == ["財年初（同年度計畫）", "按本財年銷售額（年化）"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>2026/27財年</h2>" in index and "<h2>2026</h2>" not in index and "<h2>2026-08</h2>" in index
