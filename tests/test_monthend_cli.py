"""Month-end documents through the CLI: bad ledgers, an empty ledger, a GBK export, the example data."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import docx_document, docx_tables, pdf_text

from docgen.cli import cli

HEADER = "日期,單號,客戶,業務員,渠道,產品,數量,金額\n"


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


@pytest.fixture
def june(workspace: Path) -> Path:
    """The example workspace with only an empty June folder under ledgers/."""
    shutil.rmtree(workspace / "ledgers", ignore_errors=True)
    folder = workspace / "ledgers" / "2026-06"
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("line, message", [
    ("2026-06-02,SO1,D001,d01,K,白乳膠,10,abc",
     "ledgers/2026-06/sales.csv:2:金額: amount: not a number: 'abc' (expected e.g. 12,345.60 or ¥12,345)"),
    ("2026-07-01,SO1,D001,d01,K,白乳膠,10,100",
     "ledgers/2026-06/sales.csv:2:日期: date: date 2026-07-01 is outside the month 2026-06"),
    ("2026-06-03,SO1,無名氏,d01,K,白乳膠,10,100",
     "ledgers/2026-06/sales.csv:2:客戶: customer: unknown customer '無名氏': not an id or name in the plan data"),
    ("2026-06-03,SO1,D001,x99,K,白乳膠,10,100",
     "ledgers/2026-06/sales.csv:2:業務員: salesperson: unknown salesperson 'x99': not an id or name in the plan data"),
    ("2026-06-03,,D001,d01,K,白乳膠,10,100",
     "ledgers/2026-06/sales.csv:2:單號: order_id: missing value"),
])
def test_bad_ledger_line_is_located_and_exits_1(june: Path, line: str, message: str):
    (june / "sales.csv").write_text(HEADER + line + "\n", encoding="utf-8")
    result = run(june.parent.parent, "render", "sales-stats", "--period", "2026-06", "--region", "shandong",
                 "--format", "html")
    assert result.exit_code == 1
    assert message in result.output.splitlines()
    assert "Traceback" not in result.output
    assert not (june.parent.parent / "output").exists()


def test_bad_visit_log_is_located_too(june: Path):
    (june / "visits.csv").write_text("日期,業務員,客戶,類型\n2026-06-02,d01,D001,傳真\n", encoding="utf-8")
    result = run(june.parent.parent, "render", "visit-stats", "--period", "2026-06", "--region", "shandong",
                 "--format", "html")
    assert result.exit_code == 1
    assert ("ledgers/2026-06/visits.csv:2:類型: kind: unknown kind '傳真': expected 拜訪/拜访/visit or 電話/电话/call"
            in result.output.splitlines())


@pytest.mark.parametrize("content", [HEADER, "", None])
def test_empty_ledger_still_gives_a_statistics_document(june: Path, tmp_path: Path, content: str | None):
    if content is not None:
        (june / "sales.csv").write_text(content, encoding="utf-8")
    ws = june.parent.parent
    result = run(ws, "render", "sales-stats", "--period", "2026-06", "--region", "shandong",
                 "--format", "docx,pdf")
    assert result.exit_code == 0, result.output
    out = ws / "output" / "2026-06" / "shandong"
    assert "本月無銷售記錄" in pdf_text(out / "sales-stats.pdf").replace(" ", "")
    doc = docx_document(out / "sales-stats.docx")
    assert any("本月無銷售記錄" in p.text for p in doc.paragraphs)
    people = next(t for t in docx_tables(doc) if t[0][:3] == ["業務員", "目標", "實績"])
    assert people[-1][:4] == ["合計", "42.00", "0.00", "0.0%"]


def test_gbk_csv_ledger_reads_correctly(june: Path):
    # a simplified-Chinese ERP export; GBK also holds the traditional names of the plan
    text = ("日期,订单号,客户,业务员,渠道,产品,数量,金额\n"
            "2026/6/3,SO1,濟南魯信彩印有限公司,周建國,大客户,白乳胶,100,\"12,345.60\"\n"
            "2026/6/4,SO2,D002,吳芳,大客户,覆膜胶,10,2000\n")
    (june / "sales.csv").write_bytes(text.encode("gbk"))
    ws = june.parent.parent
    result = run(ws, "render", "sales-stats", "--period", "2026-06", "--region", "shandong", "--format", "docx")
    assert result.exit_code == 0, result.output
    doc = docx_document(ws / "output" / "2026-06" / "shandong" / "sales-stats.docx")
    people = {r[0]: r for r in next(t for t in docx_tables(doc) if t[0][:3] == ["業務員", "目標", "實績"])}
    assert people["周建國"][2] == "1.23"          # 12,345.60 元 in 萬元
    assert people["吳芳"][2] == "0.20"
    channels = next(t for t in docx_tables(doc) if t[0][0] == "渠道")
    assert channels[1][0] == "大客户"             # the GBK text survived


def test_duplicate_lines_are_warned_in_the_document(june: Path):
    line = "2026-06-03,SO1,D001,d01,K,白乳膠,10,100\n"
    (june / "sales.csv").write_text(HEADER + line + line, encoding="utf-8")
    ws = june.parent.parent
    result = run(ws, "render", "sales-stats", "--period", "2026-06", "--region", "shandong", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (ws / "output" / "2026-06" / "shandong" / "sales-stats.html").read_text(encoding="utf-8")
    assert "台帳提示" in html and "duplicate of row 2" in html


def test_example_ledgers_render_company_and_regions(workspace: Path):
    result = run(workspace, "render", "sales-stats", "--period", "2026-02", "--format", "docx")
    assert result.exit_code == 0, result.output
    doc = docx_document(workspace / "output" / "2026-02" / "company" / "sales-stats.docx")
    people = {r[0]: r for r in next(t for t in docx_tables(doc) if t[0][:3] == ["業務員", "目標", "實績"])}
    assert people["馮雪"][2:4] == ["0.00", "0.0%"]   # the salesperson without sales in February
    for region in ("south", "shandong"):
        result = run(workspace, "render", "visit-stats", "--period", "2026-03", "--region", region,
                     "--format", "html")  # March's sales ledger is the XLSX one
        assert result.exit_code == 0, result.output


def test_targets_follow_the_ledger_folders(workspace: Path):
    from docgen.documents import get
    from docgen.workspace import Workspace

    ws = Workspace.open(workspace)
    assert [(t.region) for t in get("sales-stats").targets(ws, "2026-06")] == [None, "south", "east", "shandong"]
    # East China's plan starts in June: no regional statistics before
    assert [(t.region) for t in get("sales-stats").targets(ws, "2026-05")] == [None, "south", "shandong"]
    assert [(t.region) for t in get("visit-stats").targets(ws, "2026-05")] == ["south", "shandong"]
    assert get("sales-stats").targets(ws, "2026-07") == []
    assert get("sales-stats").targets(ws, "2025-06") == []   # history only: no 2025 plan
    assert len(get("year-summary").targets(ws, "2026")) == 4
