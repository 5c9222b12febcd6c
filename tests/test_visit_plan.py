"""The visit plan end to end: who is due, when, and what does not fit, read back from the .docx and the .pdf."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example, docx_table, pdf_row, pdf_text

from docgen.cli import cli
from docgen.documents import Target, get
from docgen.documents.visit_plan import VisitPlanDocument
from docgen.errors import ConfigError
from docgen.workspace import Workspace

EXTRA_VIPS = 25


def overload(ws: Path) -> None:
    """Give 馮雪 (d04) 25 more VIP customers and one 二級, last visited in 2025, and one visit a day."""
    region = ws / "plans" / "2026" / "regions" / "shandong.yaml"
    text = region.read_text(encoding="utf-8")
    person = "{id: d04, name: 馮雪, role: 業務員, channel: key_accounts, start: 2025-09-01, territory: [淄博市]}"
    assert person in text
    region.write_text(text.replace(person, person[:-1] + ", activity: {visits_per_day: 1}}"), encoding="utf-8")
    with (ws / "plans" / "2026" / "customers" / "shandong.csv").open("a", encoding="utf-8") as f:
        for i in range(1, EXTRA_VIPS + 1):
            f.write(f"V{i:03d},淄博大客戶{i:02d},山東區,d04,彩印廠,淄博市,合作中,120萬,,,,2025-12-10,,,\n")
        f.write("W001,淄博小客戶,山東區,d04,彩印廠,淄博市,合作中,20萬,,,,2025-09-01,,,\n")


SHEETS = (("s02", "south", "2026-07"), ("e02", "east", "2026-06"), ("e02", "east", "2026-07"),
          ("d04", "shandong", "2026-07"))


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> dict[tuple[str, str], dict[str, Path]]:
    """(person, month) → files: 林小燕 (s02) in July, 李明 (e02) in June and July, the overloaded 馮雪 (d04)."""
    ws = copy_example(tmp_path_factory.mktemp("visits") / "ws")
    overload(ws)
    out = {}
    for person, region, month in SHEETS:
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", "visit-plan", "--period", month,
                                          "--person", person, "--region", region, "--format", "docx,pdf,html"])
        assert result.exit_code == 0, result.output
        folder = ws / "output" / month / region
        out[person, month] = {fmt: folder / f"visit-plan-{person}.{fmt}" for fmt in ("docx", "pdf", "html")}
    return out


def test_due_customers_spread_over_the_month(sheets):
    # 林小燕's customers before July, by the one visit history (the example's visit logs):
    # S002 VIP last 2026-06-04, S003 VIP 2026-06-17 (1 month ≥ 1: due); S006 一級 2026-05-19 (2 ≥ 2: due);
    # S011 二級 2026-04-27 (3 ≥ 3: due); S012 二級 2026-05-25 (2 < 3: not due); S011's list date 2025-10-21
    # is older than its logged visits.  Four visits over July's 23 working days go to open days
    # ⌊k·23/4⌋ = 0, 5, 11, 17: 7月1日, 8日, 16日, 24日.
    rows = docx_table(sheets["s02", "2026-07"]["docx"], ["序號", "日期", "客戶", "類別"])
    assert [(r[1], r[2].split("\n")[0], r[3], r[6]) for r in rows[1:]] == [
        ("7月1日\n（三）", "深圳華藝包裝集團", "VIP", "2026年6月4日"),
        ("7月8日\n（三）", "東莞騰飛禮盒廠", "VIP", "2026年6月17日"),
        ("7月16日\n（四）", "深圳百盛精品盒廠", "一級", "2026年5月19日"),
        ("7月24日\n（五）", "東莞長安皮具廠", "二級", "2026年4月27日")]
    pdf = pdf_text(sheets["s02", "2026-07"]["pdf"])
    assert pdf_row(pdf, "1")[1] == "7月1日" and pdf_row(pdf, "4")[1] == "7月24日"
    assert "應訪客戶均已安排" in pdf


def test_prospects_a_before_b(sheets):
    # June: E002 (6萬 a month ≥ 5萬, 12 days ≤ 15: A) before E003 (3萬, 7 days: B); both first visited 2026-05-12
    rows = docx_table(sheets["e02", "2026-06"]["docx"], ["序號", "日期", "客戶", "類別"])
    assert [(r[2].split("\n")[0], r[3], r[6]) for r in rows[1:]] == [
        ("杭州錦繡禮盒有限公司", "A類", "2026年5月12日"), ("蘇州恒達紙袋廠", "B類", "2026年5月12日")]


def test_prospects_that_bought_leave_the_next_sheet(sheets):
    # E002 and E003 ordered in June (ledgers/2026-06/sales.csv): customers from July, 其他 without a cadence
    text = "".join(pdf_text(sheets["e02", "2026-07"]["pdf"]).split())
    assert "本月沒有到期應拜訪的客戶或A、B類準客戶" in text
    assert "杭州錦繡禮盒" not in text and "蘇州恒達紙袋廠" not in text


def test_totals_by_tier(sheets):
    rows = docx_table(sheets["d04", "2026-07"]["docx"], ["類別", "應訪", "已排", "未能安排"])
    # 25 VIPs (last 2025-12-10) and W001 (20萬: 二級, last 2025-09-01) are due; D006 (二級, last 2026-06-04)
    # and D010 (二級, last 2026-05-07) are not: fewer than 3 months
    assert rows[1:] == [["VIP", "25", "23", "2"], ["一級", "0", "0", "0"], ["A類", "0", "0", "0"],
                        ["B類", "0", "0", "0"], ["二級", "1", "0", "1"], ["合計", "26", "23", "3"]]
    pdf = pdf_text(sheets["d04", "2026-07"]["pdf"])
    assert pdf_row(pdf, "VIP")[1:4] == ["25", "23", "2"]
    assert pdf_row(pdf, "合計")[1:4] == ["26", "23", "3"]


def test_overflow_is_listed_not_dropped(sheets):
    # one visit a day × 23 working days in July 2026: the last two VIPs and the 二級 do not fit
    rows = docx_table(sheets["d04", "2026-07"]["docx"], ["序號", "編號", "客戶名稱", "類別"])
    assert [(r[1], r[3]) for r in rows[1:]] == [("V024", "VIP"), ("V025", "VIP"), ("W001", "二級")]
    scheduled = docx_table(sheets["d04", "2026-07"]["docx"], ["序號", "日期", "客戶", "類別"])
    assert len(scheduled) - 1 == 23
    assert len({r[1] for r in scheduled[1:]}) == 23   # one a day
    text = "".join(pdf_text(sheets["d04", "2026-07"]["pdf"]).split())
    assert "本月可排23家次（每日1家×23個工作日），應訪26家，以下3家未能安排" in text
    for customer in ("V024", "V025", "W001"):
        assert customer in text


def test_refine_finds_the_persons_region(workspace):
    ws = Workspace.open(workspace)
    doc = get("visit-plan")
    assert isinstance(doc, VisitPlanDocument)
    assert doc.refine(ws, Target("visit-plan", "2026-07", None, "d02")) == Target("visit-plan", "2026-07",
                                                                                  "shandong", "d02")
    with pytest.raises(ConfigError, match="works in 山東區"):
        doc.refine(ws, Target("visit-plan", "2026-07", "east", "d02"))
    with pytest.raises(ConfigError, match="no person 'x9'"):
        doc.refine(ws, Target("visit-plan", "2026-07", None, "x9"))


def test_batch_targets_follow_the_plan_period(workspace):
    ws = Workspace.open(workspace)
    march = get("visit-plan").targets(ws, "2026-03")
    assert {t.region for t in march} == {"south", "shandong"}   # 華東區 plans 6–12月 only
    july = get("visit-plan").targets(ws, "2026-07")
    assert Target("visit-plan", "2026-07", "east", "e02") in july
    assert not any(t.person == "e06" for t in july)              # no customers: no sheet
    assert [t.region for t in get("monthly-plan").targets(ws, "2026-03")] == ["south", "shandong"]
