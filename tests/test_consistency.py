"""Every figure shown in two documents is the same figure (SPEC §4.9; issue 8).

The example workspace is built once for the plan year and every month that has ledgers (Word only,
several jobs), and the figures are read back from the generated .docx tables and paragraphs:

* planned visits and last-visit dates: visit-plan ↔ visit-stats ↔ monthly-plan table 4;
* month targets: monthly-plan ↔ sales-stats;
* year to date: sales-stats ↔ year-summary;
* tier counts: annual-plan ↔ year-summary;
* new and lost customers: sales-stats ↔ year-summary.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_example, docx_document, docx_tables

from docgen.cli import cli
from docgen.workspace import Workspace

YEAR = "2026"
MONTHS = sorted(p.name for p in (REPO / "ledgers").iterdir() if p.is_dir() and p.name.startswith(f"{YEAR}-"))
REGIONS = ("south", "east", "shandong")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("consistency") / "ws")
    result = CliRunner().invoke(cli, ["-w", str(ws), "build", "--period", ",".join([YEAR, *MONTHS]),
                                      "--format", "docx", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return ws / "output"


def tables(path: Path) -> list[list[list[str]]]:
    return docx_tables(docx_document(path))


def table(path: Path, *head: str) -> list[list[str]] | None:
    """The first table whose header row starts with ``head`` (``None``: the document has none)."""
    return next((t for t in tables(path) if t[0][:len(head)] == list(head)), None)


def the_table(path: Path, *head: str) -> list[list[str]]:
    """The first table whose header row starts with ``head``; the document must have one."""
    found = table(path, *head)
    assert found is not None, (path, head)
    return found


def region_name(region_id: str) -> str:
    region = Workspace.open(REPO).region(region_id)
    assert region is not None, region_id
    return region.name


def text(path: Path) -> str:
    return "\n".join(p.text for p in docx_document(path).paragraphs)


def body(path: Path, *head: str) -> list[list[str]]:
    """The rows under the header of the first table starting with ``head`` (none: no rows)."""
    t = table(path, *head)
    return t[1:] if t else []


# ---------------------------------------------------------------- visits

def issued(folder: Path) -> dict[str, dict]:
    """Person name → what the person's visit plans say: scheduled and unscheduled visits, totals by class."""
    out = {}
    for sheet in sorted(folder.glob("visit-plan-*.docx")):
        name = the_table(sheet, "姓名")[0][1].split("（")[0]
        scheduled = [(name, r[2].split("\n")[1].split("　")[0], r[3], r[1].split("\n")[0], r[6])
                     for r in body(sheet, "序號", "日期", "客戶", "類別")]
        unscheduled = [(name, r[1], r[3], r[4]) for r in body(sheet, "序號", "編號", "客戶名稱", "類別")]
        totals = {r[0]: int(r[2]) for r in body(sheet, "類別", "應訪", "已排", "未能安排") if r[0] != "合計"}
        out[name] = {"scheduled": scheduled, "unscheduled": unscheduled, "totals": totals}
    return out


def visit_folders(out: Path) -> list[Path]:
    folders = [out / m / r for m in MONTHS for r in REGIONS if (out / m / r / "visit-stats.docx").is_file()]
    assert len(folders) >= 2 * len(MONTHS)   # 華南區 and 山東區 every month, 華東區 from June
    return folders


def test_visit_stats_plan_exactly_what_the_visit_plans_schedule(out: Path) -> None:
    for folder in visit_folders(out):
        stats = folder / "visit-stats.docx"
        sheets = issued(folder)
        planned = [tuple(r[i] for i in (0, 1, 3, 4, 5)) for r in body(stats, "業務員", "編號", "客戶", "類別")]
        assert sorted(planned) == sorted(v[:5] for s in sheets.values() for v in s["scheduled"]), folder
        by_person = {r[0]: int(r[1]) for r in body(stats, "業務員", "計畫拜訪", "已完成") if r[0] != "合計"}
        assert by_person == {name: len(sheets[name]["scheduled"]) if name in sheets else 0
                             for name in by_person}, folder
        by_class = {r[0]: int(r[1]) for r in body(stats, "客戶等級", "計畫拜訪", "已完成") if r[0] != "合計"}
        from_sheets: Counter[str] = Counter()
        for s in sheets.values():
            from_sheets.update(s["totals"])
        assert {k: v for k, v in by_class.items() if v} == {k: v for k, v in from_sheets.items() if v}, folder


def test_monthly_plan_lists_the_visit_plans_customers_with_the_same_last_visits(out: Path) -> None:
    for folder in visit_folders(out):
        sheets = issued(folder)
        key = body(folder / "monthly-plan.docx", "業務員", "編號", "客戶名稱", "類別")
        assert sorted((r[0], r[1], r[3]) for r in key) == sorted(
            [v[:3] for s in sheets.values() for v in s["scheduled"]]
            + [v[:3] for s in sheets.values() for v in s["unscheduled"]]), folder
        last_on_sheets = {(v[0], v[1]): v[4] for s in sheets.values() for v in s["scheduled"]}
        reasons_on_sheets = {(v[0], v[1]): v[3] for s in sheets.values() for v in s["unscheduled"]}
        for person, cid, _, label, detail in key:
            if label.endswith("類"):   # prospects: demand and days to close, no cadence
                continue
            if (person, cid) in reasons_on_sheets:
                assert detail == reasons_on_sheets[person, cid], (folder, cid)
            else:
                shown = re.search(r"上次 (.+)$|從未拜訪", detail)
                assert shown is not None, (folder, cid, detail)
                assert (shown[1] or "從未拜訪") == last_on_sheets[person, cid], (folder, cid, detail)


# ---------------------------------------------------------------- targets, year to date

def person_targets(path: Path) -> dict[str, str]:
    return {r[0]: r[-1] for r in body(path, "業務員", "工作日")}


def sales_rows(path: Path) -> dict[str, list[str]]:
    return {r[0]: r for r in body(path, "業務員", "目標", "實績", "完成率")}


def test_month_targets_are_the_same_in_the_monthly_plan_and_the_sales_statistics(out: Path) -> None:
    checked = 0
    for month in MONTHS:
        for region in REGIONS:
            plan, stats = out / month / region / "monthly-plan.docx", out / month / region / "sales-stats.docx"
            if not plan.is_file():
                continue
            rows = sales_rows(stats)
            for name, target in person_targets(plan).items():
                if name in rows:
                    assert rows[name][1] == target, (month, region, name)
                    checked += 1
            month_target = the_table(plan, "本月目標")[0][1]
            assert sales_rows(stats)[next(reversed(rows))][1] == month_target, (month, region)
    assert checked >= 8 * len(MONTHS)


def test_year_to_date_is_the_same_in_the_sales_statistics_and_the_year_summary(out: Path) -> None:
    last = MONTHS[-1]
    summary = out / YEAR / "company" / "year-summary.docx"
    ranking = {r[1]: r[4] for r in body(summary, "名次", "業務員", "區域", "同期目標", "累計實績")}
    in_stats = {name: row[4] for region in REGIONS
                for name, row in sales_rows(out / last / region / "sales-stats.docx").items()}
    assert ranking and all(ranking[name] == in_stats[name] for name in ranking)
    regions = {r[0]: r[5] for r in body(summary, "區域", "全年任務", "全年目標")}
    for region in REGIONS:
        stats = sales_rows(out / last / region / "sales-stats.docx")
        total = stats[next(reversed(stats))]
        assert regions[region_name(region)] == total[4], region
    # the monthly trend: each month's target, actual and cumulative actual as that month's statistics say
    *trend, year_total = body(summary, "月份", "目標", "實績")
    assert [r[0] for r in trend] == [f"{int(m[5:])}月" for m in MONTHS]
    for row, month in zip(trend, MONTHS, strict=True):
        total = list(sales_rows(out / month / "company" / "sales-stats.docx").values())[-1]
        assert (row[1], row[2], row[5]) == (total[1], total[2], total[4]), month
    assert year_total[0] == "合計" and year_total[2] == total[4]


# ---------------------------------------------------------------- tiers, new and lost customers

def test_tier_counts_are_the_same_in_the_annual_plan_and_the_year_summary(out: Path) -> None:
    company = body(out / YEAR / "company" / "annual-plan.docx", "等級", "標準", "拜訪頻率")
    head = the_table(out / YEAR / "company" / "annual-plan.docx", "等級", "標準", "拜訪頻率")[0]
    opening = {r[0]: r[1:] for r in body(out / YEAR / "company" / "year-summary.docx", "", "VIP", "一級")}
    row = next(v for k, v in opening.items() if k.startswith("年初"))
    assert [r[-1] for r in company] == row[:4]                       # VIP, 一級, 二級, 其他 (合計 column)
    for region in REGIONS:
        regional = body(out / YEAR / region / "annual-plan.docx", "等級", "標準", "拜訪頻率")
        summary = {r[0]: r[1:] for r in body(out / YEAR / region / "year-summary.docx", "", "VIP", "一級")}
        row = next(v for k, v in summary.items() if k.startswith("年初"))
        assert [r[-1] for r in regional] == row[:4], region
        column = head.index(region_name(region))
        assert [r[column] for r in company] == row[:4], region


def customer_names(paragraphs: str, label: str) -> set[str]:
    found = re.search(label + r"：([^。]+)。", paragraphs)
    return set(found[1].split("、")) if found else set()


def test_new_and_lost_customers_are_the_same_in_the_sales_statistics_and_the_year_summary(out: Path) -> None:
    for scope in ("company", *REGIONS):
        summary = text(out / YEAR / scope / "year-summary.docx")
        line = re.search(r"本期新開發客戶 (\d+) 家(?:（([^）]*)）)?；\s*流失客戶 (\d+) 家(?:（([^）]*)）)?", summary)
        assert line is not None, summary
        new = set(line[2].split("、")) if line[2] else set()
        lost = set(line[4].split("、")) if line[4] else set()
        monthly = [p for m in MONTHS if (p := out / m / scope / "sales-stats.docx").is_file()]
        new_in_stats = set().union(*(customer_names(text(p), "本月新增客戶") for p in monthly))
        assert (int(line[1]), new) == (len(new_in_stats), new_in_stats), scope
        new_counted = sum(int(list(sales_rows(p).values())[-1][9]) for p in monthly)
        assert new_counted == len(new), scope
        lost_now = customer_names(text(monthly[-1]), r"流失客戶（連續 \d+ 個月無銷售）")
        assert (int(line[3]), lost) == (len(lost_now), lost_now), scope
        if scope == "company":   # the example's conversions and its lost customer are really compared
            assert {"佛山三水紙箱廠", "臨沂蘭山紙品廠"} <= new and lost == {"深圳寶安恒通紙品"}
