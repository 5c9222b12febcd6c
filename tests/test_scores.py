"""The supervisor's monthly scores file (ledgers/<YYYY-MM>/appraisal.csv|xlsx): read with located errors."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import openpyxl

from docgen.data.scores import read_scores
from docgen.plan.appraisal import AppraisalSettings

ITEMS = AppraisalSettings().rated_items
PEOPLE = {"d01": "d01", "周建國": "d01", "d02": "d02", "吳芳": "d02"}


def read(tmp_path: Path, text: str):
    path = tmp_path / "appraisal.csv"
    path.write_text(text, encoding="utf-8")
    return read_scores(path, ITEMS, PEOPLE, "ledgers/2026-06/appraisal.csv")


def test_names_or_keys_head_the_columns_and_blank_is_not_scored(tmp_path):
    scores, problems = read(tmp_path, "業務員,銷售人員行為紀律,reports,需求資源客戶回覆情況\n"
                                      "周建國,9,8.5,10\nd02,10,,7\n")
    assert problems == []
    assert scores == {"d01": {"discipline": D(9), "reports": D("8.5"), "requests": D(10)},
                      "d02": {"discipline": D(10), "requests": D(7)}}


def test_every_bad_line_is_located(tmp_path):
    _, problems = read(tmp_path, "2026年6月考核評分\n"
                                 "業務員,銷售人員行為紀律,工作計畫、匯報完成率,需求資源客戶回覆情況\n"
                                 "d01,11,8,10\nd09,9,9,9\nd02,九,9,9\nd01,9,9,9\n")
    assert [str(p) for p in problems] == [
        "ledgers/2026-06/appraisal.csv:3:銷售人員行為紀律: discipline: points must be between 0 and 10, got 11",
        "ledgers/2026-06/appraisal.csv:4:業務員: salesperson: unknown salesperson 'd09': "
        "not an id or name in the plan data",
        "ledgers/2026-06/appraisal.csv:5:銷售人員行為紀律: discipline: not a number: '九' "
        "(expected e.g. 12,345.60 or ¥12,345)",
    ]


def test_a_person_twice_and_unknown_or_missing_columns(tmp_path):
    _, problems = read(tmp_path, "業務員,紀律分,工作計畫、匯報完成率,需求資源客戶回覆情況\nd01,9,9,9\n周建國,8,8,8\n")
    assert [str(p) for p in problems] == [
        "ledgers/2026-06/appraisal.csv:1: unknown column '紀律分': the rated items are "
        "銷售人員行為紀律、工作計畫、匯報完成率、需求資源客戶回覆情況",
        "ledgers/2026-06/appraisal.csv:1: warning: discipline: no column for 銷售人員行為紀律: "
        "every card shows it as 待評",
        "ledgers/2026-06/appraisal.csv:3:業務員: salesperson: d01 is scored twice (first on row 2): keep one row",
    ]


def test_xlsx(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["業務員", "discipline", "reports", "requests"])
    sheet.append(["吳芳", 8, 9.5, None])
    book.save(tmp_path / "appraisal.xlsx")
    scores, problems = read_scores(tmp_path / "appraisal.xlsx", ITEMS, PEOPLE)
    assert problems == [] and scores == {"d02": {"discipline": D(8), "reports": D("9.5")}}
