"""The example workspace's 2026 plan loads cleanly and says what the seed says."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.data.plan import Plan, load_plan, parse_date, parse_money
from docgen.data.schema import plan_schema
from docgen.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
WAN = Decimal(10_000)


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded, problems = load_plan(Workspace.open(ROOT), 2026)
    assert [str(p) for p in problems if p.is_error] == []
    assert loaded is not None
    return loaded


def test_the_example_has_no_problems_at_all() -> None:
    _, problems = load_plan(Workspace.open(ROOT), 2026, strict=True)
    assert [str(p) for p in problems] == []


def test_east_channel_quotas_sum_to_1092_wan(plan: Plan) -> None:
    east = plan.region("east")
    quotas = {q.channel: q.quota for q in east.channels}
    assert quotas == {"stores": 180 * WAN, "key_accounts": 720 * WAN, "distributors": 192 * WAN}
    assert sum(q for q in quotas.values() if q is not None) == Decimal(10_920_000) == east.task
    # units are what the rate is per: people for stores and key accounts (每人每月), as
    # 180萬 ÷ 7.5萬 ÷ 6 = 4 implies; the counts of 3 stores and 13+ customers are notes
    rates = {q.channel: (q.units, q.unit, q.rate) for q in east.channels}
    assert rates == {"stores": (4, "人", Decimal(75_000)), "key_accounts": (4, "人", 30 * WAN),
                     "distributors": (4, "家", 8 * WAN)}
    assert [q.note for q in east.channels][:2] == ["直營店3家", "開發大、中型專業客戶（終端）13家以上"]
    # the seed's own inconsistency is kept: 6–12月 is seven months
    assert east.period.months == [6, 7, 8, 9, 10, 11, 12]


def test_east_covers_six_provinces_and_two_cities(plan: Plan) -> None:
    east = plan.region("east")
    assert east.areas == ["浙江省", "江蘇省", "四川省", "山東省", "安徽省", "湖北省", "上海市", "重慶市"]
    assert (len(east.provinces), len(east.cities)) == (6, 2)


def test_first_phase_tasks_are_dated(plan: Plan) -> None:
    phase = plan.region("east").phases[0]
    assert (phase.name, phase.start, phase.end) == ("第一階段", dt.date(2026, 5, 8), dt.date(2026, 6, 30))
    spans = [(t.first_day.isoformat(), t.last_day.isoformat(), t.title) for t in phase.tasks]
    assert spans == [
        ("2026-05-08", "2026-05-08", "區域市場的進一步細分"),
        ("2026-05-10", "2026-05-10", "業務員SPIN技巧培訓"),
        ("2026-05-12", "2026-05-14", "辦事處的前期籌備工作"),
        ("2026-05-15", "2026-05-22", "客戶資料的收集以及電話預約"),
        ("2026-05-23", "2026-06-05", "第一次出差"),
        ("2026-06-06", "2026-06-08", "對第一次出差成效的總結"),
    ]
    assert phase.tasks[1].time == "上午"
    assert phase.owner is not None and plan.person(phase.owner).role == "區域經理"


def test_shandong_task_target_and_seasons(plan: Plan) -> None:
    shandong = plan.region("shandong")
    assert (shandong.task, shandong.target) == (560 * WAN, 700 * WAN)
    assert sorted(shandong.seasonality) == list(range(1, 13))
    assert set(shandong.seasons) == {"淡季", "旺季"}
    assert [m.title for m in shandong.measures] == ["技術交流", "客戶回訪", "網路檢索", "售後協調"]
    activity = plan.activity("d02")
    assert activity is not None and activity.model_dump() == {
        "calls_per_day": 4, "visits_per_day": 3, "new_visits_per_day": 2, "visits_per_week": None}


def test_lookups(plan: Plan) -> None:
    assert [r.region for r in plan.regions] == ["south", "east", "shandong"]
    manager = plan.manager_of("east")
    assert manager is not None and manager.name == "王志強"
    assert all(p.region == "east" for p in plan.people_in("east"))
    assert 5 <= len(plan.people_in("east")) <= 8
    assert {c.id for c in plan.customers_of("e04")} == {"E005", "E006", "E007"}
    assert len(plan.prospects("east")) == 8
    assert plan.channel("stores").name == "直營店"
    own, default = plan.activity("e06"), plan.activity("e02")
    assert own is not None and own.calls_per_day == 10               # the person's own quotas
    assert default is not None and default.calls_per_day == 30      # the region's default (篇6)
    with pytest.raises(KeyError):
        plan.region("north")


def test_prospects_fill_all_four_quadrants(plan: Plan) -> None:
    rule = plan.rules.quadrant
    seen = set()
    for c in plan.prospects("east"):
        assert c.monthly_demand is not None and c.days_to_close is not None  # a prospect states both
        seen.add((c.monthly_demand >= rule.large_demand, c.days_to_close <= rule.fast_days))
    assert seen == {(True, True), (False, True), (True, False), (False, False)}


def test_customers_span_the_four_tiers(plan: Plan) -> None:
    limits = plan.rules.tier_thresholds
    sales = [c.last_year_sales for c in plan.customers if c.last_year_sales is not None]
    assert len(sales) >= 25
    bands = {"VIP" if s >= limits["VIP"] else "一級" if s >= limits["一級"]
             else "二級" if s >= limits["二級"] else "其他"
             for s in sales}
    assert bands == {"VIP", "一級", "二級", "其他"}
    assert plan.customer("S005").tier == "VIP"          # an explicit tier
    assert {c.status for c in plan.customers} == {"prospect", "active", "lost"}


def test_records_know_where_they_came_from(plan: Plan) -> None:
    customer = plan.customer("E001")
    assert str(customer.where) == "plans/2026/customers/east.csv:2"
    assert str(customer.problem("bad", "owner")) == "plans/2026/customers/east.csv:2:業務員: owner: bad"
    task = plan.region("east").phases[0].tasks[0]
    assert task.where.file == "plans/2026/regions/east.yaml"
    assert task.where.field == "phases[0].tasks[0]"
    assert str(task.problem("x", "date")).endswith(": phases[0].tasks[0].date: x")


@pytest.mark.parametrize("text, yuan", [
    ("1092萬", 10_920_000), ("7.5萬", 75_000), ("560萬元", 5_600_000), ("1,092萬", 10_920_000),
    ("10920000", 10_920_000), ("10,920,000元", 10_920_000), ("1億", 100_000_000), ("7.5万", 75_000),
    (75000, 75_000), (0.1, Decimal("0.1")),
])
def test_money_is_read_in_yuan(text, yuan) -> None:
    assert parse_money(text) == Decimal(yuan)


@pytest.mark.parametrize("text", ["2026-05-08", "2026/5/8", "2026年5月8日", dt.datetime(2026, 5, 8, 9)])
def test_dates_in_the_usual_spellings(text) -> None:
    assert parse_date(text) == dt.date(2026, 5, 8)


def _copy_workspace(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "docgen.yaml", tmp_path / "docgen.yaml")
    shutil.copytree(ROOT / "plans" / "2026", tmp_path / "plans" / "2026")
    return tmp_path


ENGLISH = {"編號": "id", "客戶名稱": "name", "區域": "region", "業務員": "owner", "類型": "type",
           "城市": "city", "狀態": "status", "去年銷售額": "last_year_sales", "等級": "tier",
           "月需求量": "monthly_demand", "預計成交天數": "days_to_close", "上次拜訪": "last_visit",
           "聯繫人": "contact", "電話": "phone", "備註": "note"}


def test_the_customer_list_may_be_xlsx_with_english_headers(plan: Plan, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    root = _copy_workspace(tmp_path)
    csv_path = root / "plans/2026/customers/south.csv"
    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([ENGLISH[h] for h in rows[0]])
    for row in rows[1:]:
        cells: list = [v or None for v in row]
        visit = rows[0].index("上次拜訪")
        if cells[visit]:                                  # real date cells, as Excel keeps them
            cells[visit] = dt.datetime.fromisoformat(cells[visit])
        cells[rows[0].index("預計成交天數")] = int(row[rows[0].index("預計成交天數")] or 0) or None
        sales = rows[0].index("去年銷售額")
        if cells[sales]:                                  # a number of 元, not text
            cells[sales] = float(parse_money(cells[sales]))
        sheet.append(cells)
    book.save(root / "plans/2026/customers/south.xlsx")
    csv_path.unlink()

    from_xlsx, problems = load_plan(Workspace.open(root), 2026)
    assert [str(p) for p in problems] == [] and from_xlsx is not None
    expected = [c.model_dump() for c in plan.customers_in("south")]
    assert [c.model_dump() for c in from_xlsx.customers_in("south")] == expected
    assert str(from_xlsx.customer("S001").where) == "plans/2026/customers/south.xlsx:2"


def test_columns_in_the_config_add_header_names(tmp_path: Path) -> None:
    root = _copy_workspace(tmp_path)
    config = root / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "columns:\n  last_year_sales: [2025年銷售額]\n",
                      encoding="utf-8")
    path = root / "plans/2026/customers/south.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("去年銷售額", "2025年銷售額"), encoding="utf-8")
    plan, problems = load_plan(Workspace.open(root), 2026)
    assert [str(p) for p in problems] == [] and plan is not None
    assert plan.customer("S002").last_year_sales == 235 * WAN


def test_rules_come_from_the_config_with_defaults(tmp_path: Path) -> None:
    root = _copy_workspace(tmp_path)
    config = root / "docgen.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "rules:\n  visit_cadence: {二級: 4}\n  quadrant: {large_demand: 8萬}\n",
                      encoding="utf-8")
    plan, problems = load_plan(Workspace.open(root), 2026)
    assert problems == [] and plan is not None
    assert plan.rules.visit_cadence == {"VIP": 1, "一級": 2, "二級": 4, "其他": None}
    assert (plan.rules.quadrant.large_demand, plan.rules.quadrant.fast_days) == (8 * WAN, 15)
    assert plan.rules.tier_thresholds["VIP"] == 100 * WAN


def test_a_missing_year_is_one_problem() -> None:
    plan, problems = load_plan(Workspace.open(ROOT), 1999)
    assert plan is None
    assert [str(p) for p in problems] == ["plans/1999: no plan for 1999: folder not found"]


def test_the_schema_describes_each_file_kind() -> None:
    schema = plan_schema()
    json.dumps(schema, ensure_ascii=False)
    assert {"CompanyPlan", "RegionPlan", "Customer", "Rules"} <= set(schema["$defs"])
    assert schema["x-docgen-files"]["plans/<year>/regions/<region id>.yaml"] == {
        "$ref": "#/$defs/RegionPlan"}
    region = plan_schema("region")
    assert region["additionalProperties"] is False
    assert "seasonality" in region["properties"] and "RegionPlan" not in region["$defs"]
    owner = schema["$defs"]["Customer"]["properties"]["owner"]
    assert "業務員" in owner["description"]
