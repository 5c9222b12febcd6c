"""Quantity targets (噸), channel monthly targets and new-customer targets in the documents (issue 10 parts 1, 5, 3).

The workspace is the example with 華南區's plan in tons as it stands (1,200噸 a year, 100噸 a month; the
ledgers count 公斤, ``ledger_quantity`` converts), plus channel quantities (大中型專業客戶 960噸, 經銷商 240噸)
and a new-customer target (2 a month, 20 a year).  East China and Shandong plan money only: their documents show
no quantity tables.  Figures are read back from the .docx and .pdf and compared across documents.

Hand-worked, 華南區 2026-06 (seasonality weights sum to 11.8; June weighs 1.0):

* months: 1,200 × w / 11.8 → 81.36, 50.85, 101.69 (Mar–Jun, Aug, Dec), 91.53, 122.03 (Sep–Nov); floors sum to
  1,194; the 6 tons left go to .85 (Feb) and the first five .69 (Mar, Apr, May, Jun, Aug): June = 102噸;
  Jan–Jun = 81 + 51 + 102 × 4 = 540噸.
* people (money weights: 黃家輝 no quota → the average 41.67萬, 林小燕 50萬, 何志明 45萬, 梁慧敏 30萬; sum 166.67):
  102 × .25/.30/.27/.18 = 25.5, 30.6, 27.54, 18.36 → floors 100, the 2 left to .6 and .54: 25, 31, 28, 18.
* channels in June: 102噸 × 960/1,200 = 81.6, × 240/1,200 = 20.4 → 81 + 20 = 101, the 1 left to .6: 82 and 20.
* new customers in June: 2 among the money weights: .5, .6, .54, .36 → floors 0, the 2 to .6 and .54:
  林小燕 1, 何志明 1.
"""
from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import REPO, compact, copy_example, docx_document, docx_tables, pdf_text

from docgen.cli import cli
from docgen.data.plan import load_plan
from docgen.workspace import Workspace

SOUTH_PEOPLE = {"黃家輝": 25, "林小燕": 31, "何志明": 28, "梁慧敏": 18}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def quantity_workspace(dest: Path) -> Path:
    ws = copy_example(dest)
    south = ws / "plans" / "2026" / "regions" / "south.yaml"
    _edit(south, "quota: 1440萬}", "quota: 1440萬, quantity: 960噸}")
    _edit(south, "quota: 360萬}", "quota: 360萬, quantity: 240噸}")
    _edit(south, "monthly_quantity: 100噸\n", "monthly_quantity: 100噸\nnew_customers: {monthly: 2, yearly: 20}\n")
    _edit(south, "market_capacity: 30000噸", "market_capacity: 40萬噸")
    return ws


def run(ws: Path, *args: str):
    result = CliRunner().invoke(cli, ["-w", str(ws), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    ws = quantity_workspace(tmp_path_factory.mktemp("volume") / "ws")
    run(ws, "render", "annual-plan", "--period", "2026", "--region", "south", "--format", "docx,pdf")
    run(ws, "render", "annual-plan", "--period", "2026", "--region", "shandong", "--format", "docx")
    for region in ("south", "east"):
        run(ws, "render", "monthly-plan", "--period", "2026-06", "--region", region, "--format", "docx,pdf")
        run(ws, "render", "sales-stats", "--period", "2026-06", "--region", region, "--format", "docx,pdf")
    run(ws, "render", "sales-stats", "--period", "2026-06", "--format", "docx")
    run(ws, "render", "year-summary", "--period", "2026", "--format", "docx,pdf")
    return ws / "output"


def tables(path: Path) -> list[list[list[str]]]:
    return docx_tables(docx_document(path))


def table(path: Path, *head: str) -> list[list[str]]:
    return next(t for t in tables(path) if t[0][:len(head)] == list(head))


def row(t: list[list[str]], first: str) -> list[str]:
    return next(r for r in t if r[0] == first)


def ledger_tons(month: str, people: set[str]) -> dict[str, Decimal]:
    """Each person's 數量 of the month in the example's ledger, 公斤 → 噸 (read here, not by docgen)."""
    folder = REPO / "ledgers" / month
    if (folder / "sales.csv").is_file():
        with open(folder / "sales.csv", encoding="utf-8-sig") as f:
            rows = [(line["業務員"], line["數量"]) for line in csv.DictReader(f)]
    else:  # one month is kept as a workbook, its header under a title row
        sheet = list(openpyxl.load_workbook(folder / "sales.xlsx", read_only=True).active.iter_rows(values_only=True))
        head = sheet[1]
        rows = [(r[head.index("業務員")], r[head.index("數量")]) for r in sheet[2:]]
    out: dict[str, Decimal] = {}
    for person, quantity in rows:
        if person in people:
            out[person] = out.get(person, Decimal(0)) + Decimal(str(quantity or 0)) / 1000
    return out


def whole(x: Decimal) -> str:
    return f"{x.quantize(Decimal(1), ROUND_HALF_UP):,}"


def test_the_annual_plan_splits_the_tons_by_month_and_person(out: Path) -> None:
    doc = out / "2026" / "south" / "annual-plan.docx"
    months = table(doc, "月份", *SOUTH_PEOPLE, "合計", "占比", "累計")
    assert row(months, "6月")[1:6] == ["25", "31", "28", "18", "102"]
    assert [row(months, f"{m}月")[5] for m in range(1, 13)] == \
        ["81", "51", "102", "102", "102", "102", "91", "102", "122", "122", "122", "101"]
    assert row(months, "合計")[5] == "1,200" and row(months, "12月")[7] == "1,200"
    stated = table(doc, "區域", "計畫期間", "期間數量", "每月數量", "分解基數")
    assert row(stated, "華南區")[2:] == ["1,200", "100", "1,200"]
    channels = table(doc, "區域", "渠道", "數量定額", "占區域數量")
    assert [r[1:] for r in channels[1:]] == [["大中型專業客戶", "960", "80.0%"], ["經銷商", "240", "20.0%"]]
    # 1,200 / 400,000 = 0.3%; the capacity printed in 萬 as written, never 400000噸
    assert row(table(doc, "範圍", "市場容量", "銷量目標"), "華南區")[1:] == ["40萬噸", "1,200噸", "0.3%"]
    pdf = compact(pdf_text(out / "2026" / "south" / "annual-plan.pdf"))
    assert "華南區月度數量目標（單位：噸）" in pdf and compact("6月 25 31 28 18 102 8.5%") in pdf


def test_a_money_only_plan_shows_no_quantity_tables(out: Path) -> None:
    for doc in (out / "2026" / "shandong" / "annual-plan.docx", out / "2026-06" / "east" / "monthly-plan.docx",
                out / "2026-06" / "east" / "sales-stats.docx"):
        text = "".join(p.text for p in docx_document(doc).paragraphs)
        assert "噸" not in text and not any("本月數量" in cell for t in tables(doc) for r in t for cell in r), doc


def test_the_month_of_tons_is_the_same_in_the_plans_and_the_statistics(out: Path) -> None:
    monthly = out / "2026-06" / "south" / "monthly-plan.docx"
    weeks = next(t for t in tables(monthly) if t[0][0] == "業務員" and t[0][-1] == "本月數量")
    assert {r[0]: int(r[-1]) for r in weeks[1:] if r[0] in SOUTH_PEOPLE} == SOUTH_PEOPLE
    assert row(weeks, "區域合計")[-1] == "102"
    assert all(sum(int(c) for c in r[2:-1]) == int(r[-1]) for r in weeks[1:])  # the weeks add up to the month
    summary = tables(monthly)[1]
    assert any("本月數量目標" in r and "102 噸" in r for r in summary)
    stats = out / "2026-06" / "south" / "sales-stats.docx"
    volume = table(stats, "業務員", "目標", "實際", "完成率", "累計實際", "累計目標")
    assert {r[0]: int(r[1]) for r in volume[1:] if r[0] in SOUTH_PEOPLE} == SOUTH_PEOPLE
    assert row(volume, "合計")[1] == "102" and row(volume, "合計")[5] == "540"


def test_actual_tons_come_from_the_ledgers_quantity_column(out: Path) -> None:
    # 林小燕 sold 34,410 公斤 in June: 34.41噸 of 31 → 111.0%
    tons = ledger_tons("2026-06", set(SOUTH_PEOPLE))
    stats = out / "2026-06" / "south" / "sales-stats.docx"
    volume = table(stats, "業務員", "目標", "實際", "完成率", "累計實際", "累計目標")
    for name, target in SOUTH_PEOPLE.items():
        done = tons[name]
        percent = (done / target * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert row(volume, name)[2:4] == [whole(done), f"{percent}%"]
    assert row(volume, "林小燕")[2:4] == ["34", "111.0%"]
    pdf = pdf_text(out / "2026-06" / "south" / "sales-stats.pdf")
    assert compact("林小燕 31 34 111.0%") in compact(pdf)
    # the same tons to date in the year summary: Jan–Jun of 540 due
    year = sum((sum(ledger_tons(f"2026-0{m}", set(SOUTH_PEOPLE)).values(), Decimal(0)) for m in range(1, 7)),
               Decimal(0))
    summary = table(out / "2026" / "company" / "year-summary.docx", "區域", "全年數量", "同期數量目標", "累計銷量")
    assert row(summary, "華南區")[1:4] == ["1,200", "540", whole(year)]
    assert row(volume, "合計")[4] == whole(year)


def test_the_volume_item_of_the_scorecard_is_the_tons(out: Path) -> None:
    # 林小燕's card (the second, in team order): 實際完成銷量 is 34.41 of 31噸, not the money's 95.4%
    cards = [t for t in tables(out / "2026-06" / "south" / "sales-stats.docx") if t[0][:2] == ["序號", "考核項目"]]
    items = {r[1]: r[3] for r in cards[1][1:]}
    assert items["實際完成銷量"] == "111.0%" and items["計畫銷售指標完成率"] == "95.4%"


def test_channel_completion_in_the_statistics_and_the_summary(out: Path) -> None:
    # June: 152.54萬 shared 1,440 : 360 → 122.032 → 122.03 and 30.508 → 30.51 (the 0.01 left to .8)
    stats = out / "2026-06" / "south" / "sales-stats.docx"
    money = table(stats, "渠道", "目標", "實際", "完成率")
    assert [r[:2] for r in money[1:3]] == [["大中型專業客戶", "122.03"], ["經銷商", "30.51"]]
    assert row(money, "合計")[1] == "152.54"
    region = table(stats, "業務員", "目標", "實績")
    assert row(money, "合計")[2] == row(region, "合計")[2]  # the region's lines, every channel
    tons = next(t for t in tables(stats) if t[0][:2] == ["渠道", "目標"] and row(t, "合計")[1] == "102")
    assert [r[:2] for r in tons[1:3]] == [["大中型專業客戶", "82"], ["經銷商", "20"]]
    # the company's channels: the regions that set channel quotas (華南區 and 華東區), their task to date
    summary = out / "2026" / "company" / "year-summary.docx"
    channels = table(summary, "渠道", "同期目標", "累計實績", "同期完成率")
    regions = table(summary, "區域", "全年任務")
    due = sum(Decimal(row(regions, name)[4].replace(",", "")) for name in ("華南區", "華東區"))
    assert Decimal(row(channels, "合計")[1].replace(",", "")) == due
    assert "渠道目標完成情況" in compact(pdf_text(out / "2026" / "company" / "year-summary.pdf"))


def test_new_customer_targets_in_the_monthly_plan_and_the_statistics(out: Path) -> None:
    monthly = out / "2026-06" / "south" / "monthly-plan.docx"
    activity = next(t for t in tables(monthly) if "A、B類準客戶" in t[0])
    assert {r[0]: r[-1] for r in activity[2:]} == {"黃家輝": "0", "林小燕": "1", "何志明": "1", "梁慧敏": "0",
                                                   "區域合計": "2"}
    assert any("本月新客戶目標" in r and "2 家" in r and "20 家" in r for r in tables(monthly)[1])
    stats = out / "2026-06" / "south" / "sales-stats.docx"
    counts = table(stats, "業務員", "新客戶目標", "新增客戶", "完成率")
    money = table(stats, "業務員", "目標", "實績")
    for name in SOUTH_PEOPLE:
        assert row(counts, name)[2] == row(money, name)[9]  # the same new customers as table 1's 新客
    assert row(counts, "合計")[1] == "2"
    company = table(out / "2026-06" / "company" / "sales-stats.docx", "業務員", "新客戶目標", "新增客戶", "完成率")
    assert row(company, "合計") == row(counts, "合計")  # only 華南區 states a target


def test_quantities_that_do_not_add_up_are_warnings_with_both_numbers(tmp_path: Path) -> None:
    ws = quantity_workspace(tmp_path / "ws")
    _edit(ws / "plans" / "2026" / "regions" / "south.yaml", "quantity: 240噸}", "quantity: 180噸}")
    _edit(ws / "plans" / "2026" / "company.yaml", "year: 2026\n", "year: 2026\nquantity: 1500噸\n")
    result = CliRunner().invoke(cli, ["-w", str(ws), "validate"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "plans/2026/regions/south.yaml:37: warning: channels: 華南區：各渠道數量定額合計 1,140噸, " \
           "期間數量 1,200噸, 相差 -60噸" in lines
    assert "plans/2026/company.yaml:5: warning: quantity: 全公司：各區域數量合計 1,200噸, 全公司數量目標 1,500噸, " \
           "相差 -300噸" in lines


def test_a_second_quantity_unit_is_a_located_error(tmp_path: Path) -> None:
    ws = quantity_workspace(tmp_path / "ws")
    _edit(ws / "plans" / "2026" / "regions" / "south.yaml", "quantity: 240噸}", "quantity: 9600箱}")
    result = CliRunner().invoke(cli, ["-w", str(ws), "validate"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "plans/2026/regions/south.yaml:39: channels[1].quantity: unit 箱 differs from the plan's quantity unit 噸 " \
           "(plans/2026/regions/south.yaml:10); one plan counts in one unit" in result.stdout.splitlines()


def test_the_quantity_fields_survive_the_plan_workbook(tmp_path: Path) -> None:
    ws = quantity_workspace(tmp_path / "ws")
    south = ws / "plans" / "2026" / "regions" / "south.yaml"
    _edit(south, "monthly_quota: 50萬,", "monthly_quota: 50萬, monthly_quantity: 40噸,")
    _edit(ws / "plans" / "2026" / "company.yaml", "year: 2026\n", "year: 2026\nquantity_decimals: 1\n")
    before = dump(ws)
    run(ws, "plan", "export", "2026", str(tmp_path / "plan.xlsx"))
    run(ws, "plan", "import", str(tmp_path / "plan.xlsx"), "--force")
    assert dump(ws) == before
    region = before[1][0]
    assert region["new_customers"] == {"monthly": 2, "yearly": 20}
    assert [q["quantity"] for q in region["channels"]] == [{"value": Decimal(960), "unit": "噸"},
                                                          {"value": Decimal(240), "unit": "噸"}]
    assert region["people"][1]["monthly_quantity"] == {"value": Decimal(40), "unit": "噸"}
    assert before[0]["quantity_decimals"] == 1 and before[0]["ledger_quantity"] == {"unit": "公斤",
                                                                                    "in_plan_unit": Decimal("0.001")}


def dump(ws: Path) -> tuple:
    plan, problems = load_plan(Workspace.open(ws), 2026)
    assert plan is not None, problems
    return plan.company.model_dump(), [r.model_dump() for r in plan.regions]


def tons_only_workspace(dest: Path) -> Path:
    """The example with 華南區 planned like 篇4: 7,000噸 a year, 500噸 a month, no money task or target."""
    ws = copy_example(dest)
    south = ws / "plans" / "2026" / "regions" / "south.yaml"
    _edit(south, "task: 1800萬\ntarget: 2000萬\nquantity: 1200噸\nmonthly_quantity: 100噸\n",
          "quantity: 7000噸\nmonthly_quantity: 500噸\nnew_customers: {monthly: 10, yearly: 50}\n")
    return ws


def test_a_plan_in_tons_only_seed4(tmp_path: Path) -> None:
    # 篇4: 500噸 a month, 7,000噸 a year, 10 new customers a month; no money task. 7,000噸 is decomposed over
    # weights summing to 11.8: Jan 474.58, Feb 296.61, Mar–Jun/Aug/Dec 593.22, Jul 533.90, Sep–Nov 711.86; the
    # floors sum to 6,994 and the 6 tons left go to .90 (Jul), .86 × 3 (Sep–Nov), .61 (Feb), .58 (Jan): June = 593噸.
    ws = tons_only_workspace(tmp_path / "ws")
    result = run(ws, "validate")
    assert "plans/2026/regions/south.yaml:9: warning: monthly_quantity: 華南區：每月500噸 × 12個月 = 6,000噸, " \
           "年度任務 7,000噸 (平均每月需 583.33噸)" in result.stdout.splitlines()
    run(ws, "render", "monthly-plan", "--period", "2026-06", "--region", "south", "--format", "docx")
    monthly = ws / "output" / "2026-06" / "south" / "monthly-plan.docx"
    weeks = next(t for t in tables(monthly) if t[0][0] == "業務員" and t[0][-1] == "本月數量")
    assert row(weeks, "區域合計")[-1] == "593"
    assert any("本月新客戶目標" in r and "10 家" in r and "50 家" in r for r in tables(monthly)[1])
    # no money to split: the plans show the tons, not tables of 0.00 萬元
    assert not any(t[0][-1:] == ["本月目標"] for t in tables(monthly))
    assert not any("本月目標" in r for r in tables(monthly)[1])
    run(ws, "render", "annual-plan", "--period", "2026", "--region", "south", "--format", "docx")
    annual = ws / "output" / "2026" / "south" / "annual-plan.docx"
    assert not any(t[0][:4] == ["月份", "淡旺季", "權重", "月目標"] for t in tables(annual))
    assert row(table(annual, "月份", "黃家輝"), "6月")[5] == "593"
    assert "1．銷量（數量）目標" in [p.text for p in docx_document(annual).paragraphs]


def test_a_plan_in_tons_only_shows_money_sold_but_no_money_targets(tmp_path: Path, out: Path) -> None:
    # 篇4's director plans tons; the ledger still has the amounts, so the statistics keep the revenue (銷售額,
    # 累計, MoM/YoY) and drop what would be 0.00 targets and "—" completions. The money sold is the same figure
    # as in the money plan of the module's workspace (same ledgers): 林小燕 43.64 萬元 in June, 253.06 to date.
    ws = tons_only_workspace(tmp_path / "ws")
    run(ws, "render", "sales-stats", "--period", "2026-06", "--region", "south", "--format", "docx,pdf")
    run(ws, "render", "year-summary", "--period", "2026", "--region", "south", "--format", "docx,pdf")
    stats = ws / "output" / "2026-06" / "south" / "sales-stats.docx"
    people = table(stats, "業務員", "銷售額")
    assert people[0] == ["業務員", "銷售額", "累計銷售額", "環比", "同比", "訂單", "新客", "流失"]
    money_plan = table(out / "2026-06" / "south" / "sales-stats.docx", "業務員", "目標", "實績")
    assert row(people, "林小燕")[1:3] == [row(money_plan, "林小燕")[2], row(money_plan, "林小燕")[4]] \
        == ["43.64", "253.06"]
    assert not any("目標" in t[0] and "實績" in t[0] for t in tables(stats))  # no money target table
    # June's 593噸 carried by the people (hand-worked in test_a_plan_in_tons_only_seed4) against the ledger's tons
    tons = table(stats, "業務員", "目標", "實際")
    assert row(tons, "合計")[1] == "593"
    # the scorecards' completion is the tons'
    cards = table(stats, "業務員", "區域", "銷量完成率")
    assert row(cards, "林小燕")[2] == row(tons, "林小燕")[3]
    text = compact(pdf_text(stats.with_suffix(".pdf")))
    assert "2026年6月華南區銷售額106.46萬元" in text and "銷售目標0.00" not in text
    summary = ws / "output" / "2026" / "south" / "year-summary.docx"
    assert table(summary, "範圍", "累計銷售額")[1] == ["華南區", "604.67"]
    assert row(table(summary, "月份", "銷售額", "累計銷售額"), "6月") == ["6月", "106.46", "604.67"]
    assert table(summary, "名次", "業務員")[0] == ["名次", "業務員", "區域", "累計實績"]
    assert not any(t[0][:3] == ["範圍", "全年任務", "全年目標"] for t in tables(summary))
    assert row(table(summary, "範圍", "全年數量"), "華南區")[1:4] == ["7,000", "3,144", "465"]
    assert "任務與目標完成情況" in compact(pdf_text(summary.with_suffix(".pdf")))
