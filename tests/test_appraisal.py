"""績效考核: the 12-item scorecard, pay factor and rating bands at their edges."""
from __future__ import annotations

from decimal import Decimal as D

import pydantic
import pytest

from docgen.errors import DataError
from docgen.plan.appraisal import AppraisalMeasures, AppraisalSettings, Band, pay_factor, rating, score


def test_default_settings_are_the_twelve_items_of_the_seed():
    s = AppraisalSettings()
    assert [i.name for i in s.items] == [
        "計畫銷售指標完成率", "實際完成銷量", "開發新客戶數量", "現有客戶拜訪數量", "電話銷售拜訪數量",
        "周訂單數量", "增長率", "新增開發客戶數量", "丟失客戶數量", "銷售人員行為紀律",
        "工作計畫、匯報完成率", "需求資源客戶回覆情況"]
    assert sum(i.weight for i in s.items) == 100
    assert sum(i.weight for i in s.items[:9]) == 70     # 篇13: 計畫任務 70 + 崗位職能 30


def test_scorecard_for_a_hand_made_case():
    m = AppraisalMeasures(
        sales_target=D(10000), sales_actual=D(9000),         # 0.9 × 25 = 22.5
        # no quantity target: volume scored by the amount's completion, 0.9 × 5 = 4.5
        development_visits=8, development_visits_target=10,  # 0.8 × 5 = 4.0
        existing_visits=12, existing_visits_planned=12,      # 1 × 8 = 8.0
        calls=500, calls_target=600,                         # 5/6 × 5 = 4.1666… → 4.2
        orders=6, orders_target=4,                           # capped at the weight: 5.0
        growth_rate=D("0.05"),                               # half of 10% → 2.5
        new_customers=1, new_customers_target=2,             # 0.5 × 7 = 3.5
        lost_customers=1,                                    # 5 − 2 = 3.0
        # discipline not given: no violation recorded → 10
        reports_done=9, reports_due=10,                      # 9.0
        requests_answered=0, requests_received=0,            # nothing to answer → 10
    )
    card = score(AppraisalSettings(), m)
    assert [i.points for i in card.items] == [
        D("22.5"), D("4.5"), D("4.0"), D("8.0"), D("4.2"), D("5.0"), D("2.5"), D("3.5"), D("3.0"),
        D("10"), D("9.0"), D("10")]
    assert card.total == D("86.2")
    assert card.pay_factor == D("1.012")
    assert card.rating == "優良"
    assert card.items[4].measure == D(500) / D(600)
    assert card.items[1].measure == D("0.9")                 # the fallback's ratio
    assert card.items[9].measure is None


def test_floors_and_missing_measures():
    m = AppraisalMeasures(sales_target=D(0), sales_actual=D(500), quantity_target=D(10),
                          quantity_actual=D(12), growth_rate=D("-0.2"), lost_customers=4, discipline=D(6))
    by = {i.key: i for i in score(AppraisalSettings(), m).items}
    assert by["sales"].measure is None and by["sales"].points == 0       # zero target → no points
    assert by["volume"].measure == D("1.2") and by["volume"].points == D("5.0")
    assert by["growth"].points == 0                                      # shrinking earns nothing
    assert by["lost_customers"].points == 0                              # 5 − 4 × 2 floors at 0
    assert by["discipline"].points == D("6.0")
    assert by["calls"].measure is None and by["calls"].points == 0


def test_manual_points_out_of_range_are_a_data_error():
    with pytest.raises(DataError) as e:
        score(AppraisalSettings(), AppraisalMeasures(discipline=D(12)), source="appraisal/2026-06.yaml")
    assert [str(p) for p in e.value.problems] == [
        "appraisal/2026-06.yaml: discipline: 銷售人員行為紀律: points must be between 0 and 10, got 12"]


@pytest.mark.parametrize("total, factor", [
    ("100", "1.15"), ("90", "1.05"), ("85.5", "1.005"), ("85", "1.00"), ("84.9", "0.999"),
    ("80", "0.95"), ("75", "0.90"), ("70.1", "0.851"), ("70", "0.85"), ("69.9", "0.85"), ("0", "0.85"),
])
def test_pay_factor(total, factor):
    assert pay_factor(D(total)) == D(factor)


@pytest.mark.parametrize("total, label", [
    ("100", "優秀"), ("95.1", "優秀"), ("95", "優良"), ("94.9", "優良"), ("85.1", "優良"), ("85", "優良"),
    ("84.9", "及格"), ("80.1", "及格"), ("80", "及格"), ("79.9", "待改進"), ("70.1", "待改進"),
    ("70", "不及格"), ("69.9", "不及格"), ("0", "不及格"),
])
def test_rating_band_edges(total, label):
    assert rating(D(total)) == label


def test_bands_are_configurable():
    s = AppraisalSettings(bands=[Band(label="優秀", above=D(95), inclusive=False),
                                 Band(label="合格", above=D(70), inclusive=False),
                                 Band(label="不合格", above=None)])
    assert [rating(D(x), s) for x in ("96", "95", "70.5", "70")] == ["優秀", "合格", "合格", "不合格"]


def test_weights_must_total_100():
    items = AppraisalSettings().items
    bad = [items[0].model_copy(update={"weight": D(20)})] + items[1:]
    with pytest.raises(pydantic.ValidationError) as e:
        AppraisalSettings(items=bad)
    assert "item weights must total 100, got 95 (sales 20 + volume 5 + development 5" in str(e.value)


@pytest.mark.parametrize("data, message", [
    ({"items": [{"key": "x", "name": "X", "weight": 100, "rule": "ratio", "actual": "sales",
                 "target": "sales_target"}]}, "unknown measure 'sales'"),
    ({"items": [{"key": "x", "name": "X", "weight": 100, "rule": "ratio", "actual": "sales_actual"}]},
     "needs exactly one of target or target_value"),
    ({"items": [{"key": "x", "name": "X", "weight": 100, "rule": "deduction", "actual": "lost_customers"}]},
     "needs per_unit"),
    ({"bands": [{"label": "低", "above": 50}, {"label": "高", "above": 90}, {"label": "末", "above": None}]},
     "from the highest score down"),
    ({"bands": [{"label": "高", "above": 90}]}, "the last rating band must have above: null"),
])
def test_settings_validation(data, message):
    with pytest.raises(pydantic.ValidationError) as e:
        AppraisalSettings.model_validate(data)
    assert message in str(e.value)


def test_settings_from_config_data():
    s = AppraisalSettings.model_validate({"items": [
        {"key": "sales", "name": "銷售額", "weight": 70, "rule": "ratio", "actual": "sales_actual",
         "target": "sales_target", "cap": "1.2"},
        {"key": "discipline", "name": "紀律", "weight": 30, "rule": "manual", "actual": "discipline"},
    ]})
    card = score(s, AppraisalMeasures(sales_target=D(100), sales_actual=D(150), discipline=D(25)))
    assert [i.points for i in card.items] == [D("84.0"), D("25.0")]   # 70 × 1.2 cap, manual 25
    assert card.total == D("109.0") and card.pay_factor == D("1.24") and card.rating == "優秀"
