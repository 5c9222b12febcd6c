"""The monthly plan end to end: weeks, working days and daily quotas read back from the .docx and the .pdf."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example, docx_document, docx_table, docx_tables, pdf_row, pdf_text

from docgen.cli import cli


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """山東區 2026-10 (National Day and a make-up Saturday) and 華東區 2026-07, in DOCX, PDF and HTML."""
    ws = copy_example(tmp_path_factory.mktemp("monthly") / "ws")
    out = {}
    for region, period in (("shandong", "2026-10"), ("east", "2026-07")):
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", "monthly-plan", "--period", period,
                                          "--region", region, "--format", "docx,pdf,html"])
        assert result.exit_code == 0, result.output
        folder = ws / "output" / period / region
        out[region] = {fmt: folder / f"monthly-plan.{fmt}" for fmt in ("docx", "pdf", "html")}
    return out






def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_october_has_18_working_days(plans):
    # 22 weekdays − 5 National Day weekdays (10/1, 2, 5, 6, 7) + the make-up Saturday 10/10 = 18
    summary = docx_tables(docx_document(plans["shandong"]["docx"]))[1]
    assert summary[0][:2] == ["本月目標", "60.67"]
    assert summary[1][:2] == ["本月工作日", "18 天"]
    assert summary[2][1] == "3.37"   # 60.67 / 18
    pdf = pdf_text(plans["shandong"]["pdf"])
    assert pdf_row(pdf, "本月工作日")[1:3] == ["18", "天"]


def test_october_weeks_by_working_days(plans):
    rows = docx_table(plans["shandong"]["docx"], ["業務員", "工作日"])
    assert [h.split("\n") for h in rows[0][2:7]] == [
        ["第1週", "10/1–10/4", "0天"], ["第2週", "10/5–10/11", "3天"], ["第3週", "10/12–10/18", "5天"],
        ["第4週", "10/19–10/25", "5天"], ["第5週", "10/26–10/31", "5天"]]
    # 60.67 shared equally by four people (no quotas), the earliest taking the extra 0.01s
    people = {r[0]: r for r in rows[1:]}
    assert [people[n][-1] for n in ("周建國", "吳芳", "鄭浩", "馮雪")] == ["15.17", "15.17", "15.17", "15.16"]
    # 15.17 × 0/18, 3/18, 5/18 …: 0, 2.528, 4.214 ×3 → largest remainders to week 2, then week 3
    assert people["周建國"][1:7] == ["18", "0.00", "2.53", "4.22", "4.21", "4.21"]
    for row in rows[1:]:
        assert sum(amount(v) for v in row[2:-1]) == amount(row[-1])
    total = rows[-1]
    assert total[0] == "區域合計" and total[-1] == "60.67"
    assert sum(amount(v) for v in total[2:-1]) == Decimal("60.67")
    for i in range(2, 7):
        assert sum(amount(r[i]) for r in rows[1:-1]) == amount(total[i])
    pdf = pdf_text(plans["shandong"]["pdf"])
    assert pdf_row(pdf, "周建國")[1:8] == ["18", "0.00", "2.53", "4.22", "4.21", "4.21", "15.17"]
    assert pdf_row(pdf, "區域合計")[1:8] == ["18", "0.00", "10.12", "16.87", "16.84", "16.84", "60.67"]


def test_east_july_people_weeks_sum_to_156(plans):
    rows = docx_table(plans["east"]["docx"], ["業務員", "工作日"])
    assert rows[-1][-1] == "156.00"  # 1,092 / 7
    assert sum(amount(r[-1]) for r in rows[1:-1]) == Decimal(156)
    for row in rows[1:]:
        assert row[1] == "23"
        assert sum(amount(v) for v in row[2:-1]) == amount(row[-1])


def test_daily_quotas_over_the_month(plans):
    # 山東區 (篇10 二.三.四): 4 calls, 3 existing + 2 new visits a day, × 18 working days
    rows = docx_table(plans["shandong"]["docx"], ["業務員", "職務", "每日工作量"])
    by_name = {r[0]: r for r in rows[2:]}
    # a column nobody filled ("—" throughout) is left out: 山東區 has no 每週拜訪, 華東區 no 訪老/訪新客戶
    assert by_name["吳芳"][2:] == ["4", "3", "2", "72", "90", "0"]
    # D012 (6萬 a month, 14 days: an A prospect) ordered in June: a customer from July, no longer a target
    assert by_name["鄭浩"][-1] == "0"
    assert by_name["區域合計"][-3:] == ["288", "360", "0"]
    # 華東區 (篇6): 30 calls a day and 10 visits a week (2 a day) × 23 working days; the stores' staff 10 and 5
    east = {r[0]: r for r in docx_table(plans["east"]["docx"], ["業務員", "職務", "每日工作量"])[2:]}
    # E002 (A) and E003 (B) ordered in June: customers in July, so 李明 has no new-customer target left;
    # of the region's A/B prospects E001–E004 all ordered in June
    assert east["李明"][2:] == ["30", "10", "690", "46", "0"]
    assert east["趙磊"][2:] == ["10", "5", "230", "23", "0"]
    assert east["區域合計"][-3:] == ["3,910", "276", "0"]   # 5 × 690 + 2 × 230; 5 × 46 + 2 × 23
    pdf = pdf_text(plans["east"]["pdf"])
    assert pdf_row(pdf, "李明", 1)[-5:] == ["30", "10", "690", "46", "0"]


def test_key_customers_due_and_prospects(plans):
    rows = docx_table(plans["shandong"]["docx"], ["業務員", "編號", "客戶名稱", "類別"])
    listed = {r[1]: (r[0], r[3]) for r in rows[1:]}
    # D001 VIP, last logged visit 2026-06-02: 4 months before October; the logged visit is the reason shown
    assert listed["D001"] == ("周建國", "VIP")
    assert next(r for r in rows if r[1] == "D001")[4] == "每月一次，上次 2026年6月2日"
    assert "D008" not in listed and "D011" not in listed    # 其他: no cadence; lost
    # D012, an A prospect, ordered in June: from July a customer (其他, no cadence), off the prospect list
    assert "D012" not in listed
    assert "臨沂蘭山紙品廠" not in pdf_text(plans["shandong"]["pdf"])
