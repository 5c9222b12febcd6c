"""The visit plan end to end: who is due, when, and what does not fit, read back from the .docx and the .pdf."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_example, docx_table, pdf_row, pdf_text
from docgen.cli import cli
from docgen.documents import Target, get
from docgen.errors import ConfigError
from docgen.workspace import Workspace

EXTRA_VIPS = 25


def overload(ws: Path) -> None:
    """Give 馮雪 (d04) 25 more VIP customers visited last month and one visit a day."""
    region = ws / "plans" / "2026" / "regions" / "shandong.yaml"
    text = region.read_text(encoding="utf-8")
    person = "{id: d04, name: 馮雪, role: 業務員, channel: key_accounts, start: 2025-09-01, territory: [淄博市]}"
    assert person in text
    region.write_text(text.replace(person, person[:-1] + ", activity: {visits_per_day: 1}}"), encoding="utf-8")
    with (ws / "plans" / "2026" / "customers" / "shandong.csv").open("a", encoding="utf-8") as f:
        for i in range(1, EXTRA_VIPS + 1):
            f.write(f"V{i:03d},淄博大客戶{i:02d},山東區,d04,彩印廠,淄博市,合作中,120萬,,,,2026-06-10,,,\n")


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """吳芳 (d02) and 李明 (e02) from the example, and the overloaded 馮雪 (d04), for 2026-07."""
    ws = copy_example(tmp_path_factory.mktemp("visits") / "ws")
    overload(ws)
    out = {}
    for person, region in (("d02", "shandong"), ("e02", "east"), ("d04", "shandong")):
        result = CliRunner().invoke(cli, ["-w", str(ws), "render", "visit-plan", "--period", "2026-07",
                                          "--person", person, "--region", region, "--format", "docx,pdf,html"])
        assert result.exit_code == 0, result.output
        folder = ws / "output" / "2026-07" / region
        out[person] = {fmt: folder / f"visit-plan-{person}.{fmt}" for fmt in ("docx", "pdf", "html")}
    return out






def test_due_customers_spread_over_the_month(sheets):
    # D002 (96萬, 一級, last 2026-03-27) and D003 (61萬, 一級, 2026-02-19) are due: ≥ 2 months;
    # D008 (9萬, 其他) has no cadence.  Two visits over 23 working days: days 0 and 11.
    rows = docx_table(sheets["d02"]["docx"], ["序號", "日期", "客戶", "類別"])
    assert [(r[1], r[2].split("\n")[0], r[3], r[6]) for r in rows[1:]] == [
        ("7月1日\n（三）", "青島海晟包裝集團", "一級", "2026年3月27日"),
        ("7月16日\n（四）", "煙台福山禮盒廠", "一級", "2026年2月19日")]
    pdf = pdf_text(sheets["d02"]["pdf"])
    assert pdf_row(pdf, "1")[1] == "7月1日" and pdf_row(pdf, "2")[1] == "7月16日"
    assert "應訪客戶均已安排" in pdf


def test_prospects_a_before_b(sheets):
    rows = docx_table(sheets["e02"]["docx"], ["序號", "日期", "客戶", "類別"])
    assert [(r[2].split("\n")[0], r[3]) for r in rows[1:]] == [("杭州錦繡禮盒有限公司", "A類"),
                                                              ("蘇州恒達紙袋廠", "B類")]


def test_totals_by_tier(sheets):
    rows = docx_table(sheets["d04"]["docx"], ["類別", "應訪", "已排", "未能安排"])
    # 25 VIPs + D006 (26萬, last 2025-12-02) and D010 (31萬, 2026-04-02): 二級, due after 3 months
    assert rows[1:] == [["VIP", "25", "23", "2"], ["一級", "0", "0", "0"], ["A類", "0", "0", "0"],
                        ["B類", "0", "0", "0"], ["二級", "2", "0", "2"], ["合計", "27", "23", "4"]]
    pdf = pdf_text(sheets["d04"]["pdf"])
    assert pdf_row(pdf, "VIP")[1:4] == ["25", "23", "2"]
    assert pdf_row(pdf, "合計")[1:4] == ["27", "23", "4"]


def test_overflow_is_listed_not_dropped(sheets):
    # one visit a day × 23 working days in July 2026: the last two VIPs and both 二級 do not fit
    rows = docx_table(sheets["d04"]["docx"], ["序號", "編號", "客戶名稱", "類別"])
    assert [(r[1], r[3]) for r in rows[1:]] == [("V024", "VIP"), ("V025", "VIP"), ("D006", "二級"),
                                                ("D010", "二級")]
    scheduled = docx_table(sheets["d04"]["docx"], ["序號", "日期", "客戶", "類別"])
    assert len(scheduled) - 1 == 23
    assert len({r[1] for r in scheduled[1:]}) == 23   # one a day
    text = "".join(pdf_text(sheets["d04"]["pdf"]).split())
    assert "本月可排23家次（每日1家×23個工作日），應訪27家，以下4家未能安排" in text
    for customer in ("V024", "V025", "D006", "D010"):
        assert customer in text


def test_refine_finds_the_persons_region(workspace):
    ws = Workspace.open(workspace)
    doc = get("visit-plan")
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
