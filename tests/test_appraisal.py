"""績效考核: the 12-item scorecard, pay factor and rating bands at their edges."""
from __future__ import annotations

from decimal import Decimal as D

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


RATED = {"discipline": D(9), "reports": D("8.5"), "requests": D(10)}


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
        lost_customers=1, active_customers=6,                # 5 − 2 = 3.0
        rated=RATED,                                         # the supervisor's 9 + 8.5 + 10
    )
    card = score(AppraisalSettings(), m)
    assert [i.points for i in card.items] == [
        D("22.5"), D("4.5"), D("4.0"), D("8.0"), D("4.2"), D("5.0"), D("2.5"), D("3.5"), D("3.0"),
        D("9.0"), D("8.5"), D("10.0")]
    assert {i.status for i in card.items} == {"scored"}
    assert card.total == D("84.7") and card.weight == 100 and card.score == D("84.7")
    assert card.pay_factor == D("0.997")                     # 84.7 − 85 = −0.3 points → −0.3%
    assert card.rating == "及格" and card.rating_text == "及格" and card.total_text == "84.7"
    assert card.items[4].measure == D(500) / D(600)
    assert card.items[1].measure == D("0.9")                 # the fallback's ratio


def test_unscored_items_are_pending_and_not_in_the_total():
    m = AppraisalMeasures(sales_target=D(100), sales_actual=D(100), development_visits=1,
                          development_visits_target=1, existing_visits=1, existing_visits_planned=1,
                          calls=1, calls_target=1, orders=1, orders_target=1, growth_rate=D("0.2"),
                          new_customers=1, new_customers_target=1, lost_customers=1, active_customers=3)
    card = score(AppraisalSettings(), m)
    # every sales/activity item full except lost customers 5 − 2 = 3: 70 − 2 = 68 of 70; 30 points 待評
    assert [i.status for i in card.items[9:]] == ["pending"] * 3
    assert [i.points for i in card.items[9:]] == [None] * 3
    assert card.total == D("68.0") and card.weight == 70 and card.pending == 3
    assert card.total_text == "68.0 / 70（3項待評）"
    assert card.score == D("97.1")                           # 68 × 100 ÷ 70 = 97.14…
    assert card.rating_text == "優秀（暫定）" and card.pay_factor is None and not card.complete


def test_one_rule_for_every_item_without_a_base():
    # no prospects (development, new customers), nothing due (visits), no call quota, no active
    # customers (orders, lost), no last year (growth): every one "—", its weight left out
    m = AppraisalMeasures(sales_target=D(100), sales_actual=D(80), development_visits=0,
                          development_visits_target=0, existing_visits=0, existing_visits_planned=0,
                          calls=3, calls_target=None, orders=0, orders_target=0, growth_rate=None,
                          new_customers=0, new_customers_target=0, lost_customers=0, active_customers=0,
                          rated=RATED)
    card = score(AppraisalSettings(), m)
    by = {i.key: i for i in card.items}
    no_base = [k for k, i in by.items() if i.status == "no_base"]
    assert no_base == ["development", "existing_visits", "calls", "orders", "growth", "new_customers",
                       "lost_customers"]
    assert all(by[k].points is None for k in no_base)
    # sales 0.8 × 25 = 20, volume 0.8 × 5 = 4, rated 27.5: 51.5 of 25 + 5 + 30 = 60
    assert card.total == D("51.5") and card.weight == 60 and card.total_text == "51.5 / 60"
    assert card.score == D("85.8")                           # 51.5 × 100 ÷ 60 = 85.83…
    assert card.rating == "優良" and card.pay_factor == D("1.008")


def test_no_sales_quota_means_no_sales_items():
    # a promoter with a call quota and no target: scored on calls and the supervisor's items only
    m = AppraisalMeasures(sales_target=D(0), sales_actual=D(0), calls=100, calls_target=200,
                          orders=0, orders_target=0, lost_customers=0, active_customers=0, rated=RATED)
    card = score(AppraisalSettings(), m)
    by = {i.key: i for i in card.items}
    for key in ("sales", "volume", "orders", "growth", "new_customers", "lost_customers"):
        assert by[key].status == "no_base", key
    assert by["calls"].points == D("2.5")                    # 0.5 × 5
    assert card.total == D("30.0") and card.weight == 35     # 2.5 + 27.5 of 5 + 30
    assert card.score == D("85.7") and card.rating == "優良"   # not failed for a target nobody gave


def test_floors():
    m = AppraisalMeasures(sales_target=D(100), sales_actual=D(-5), quantity_target=D(10), quantity_actual=D(12),
                          growth_rate=D("-0.2"), lost_customers=4, active_customers=2)
    by = {i.key: i for i in score(AppraisalSettings(), m).items}
    assert by["sales"].points == 0                                       # returns above sales: 0, not negative
    assert by["volume"].measure == D("1.2") and by["volume"].points == D("5.0")
    assert by["growth"].points == 0                                      # shrinking earns nothing
    assert by["lost_customers"].points == 0                              # 5 − 4 × 2 floors at 0


def test_nothing_scored_has_no_rating():
    card = score(AppraisalSettings(), AppraisalMeasures())
    assert card.total == 0 and card.weight == 0 and card.score is None
    assert card.rating is None and card.rating_text == "—" and card.pay_factor is None


def test_rated_points_out_of_range_are_a_data_error():
    with pytest.raises(DataError) as e:
        score(AppraisalSettings(), AppraisalMeasures(rated={"discipline": D(12)}), source="appraisal of d01")
    assert [str(p) for p in e.value.problems] == [
        "appraisal of d01: discipline: 銷售人員行為紀律: points must be between 0 and 10, got 12"]


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
    bad = [items[0].model_copy(update={"weight": D(20)}), *items[1:]]
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
    ({"items": [{"key": "x", "name": "X", "weight": 100, "rule": "ratio", "target": "sales_target"}]},
     "a ratio item needs actual"),
    ({"exclude_role": ["促銷員"]}, "Extra inputs are not permitted"),
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
        {"key": "discipline", "name": "紀律", "weight": 30, "rule": "manual"},
    ]})
    card = score(s, AppraisalMeasures(sales_target=D(100), sales_actual=D(150), rated={"discipline": D(25)}))
    assert [i.points for i in card.items] == [D("84.0"), D("25.0")]   # 70 × 1.2 cap, manual 25
    assert card.total == D("109.0") and card.pay_factor == D("1.24") and card.rating == "優秀"


_count = st.one_of(st.none(), st.integers(min_value=0, max_value=50))
_money = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7).map(D))


@settings(max_examples=200, deadline=None)
@given(st.builds(AppraisalMeasures, sales_target=_money, sales_actual=_money, quantity_target=_money,
                 quantity_actual=_money, development_visits=_count, development_visits_target=_count,
                 existing_visits=_count, existing_visits_planned=_count, calls=_count, calls_target=_count,
                 orders=_count, orders_target=_count,
                 growth_rate=st.one_of(st.none(), st.decimals(min_value=-1, max_value=5, places=3)),
                 new_customers=_count, new_customers_target=_count, lost_customers=_count, active_customers=_count,
                 rated=st.dictionaries(st.sampled_from(["discipline", "reports", "requests"]),
                                       st.integers(min_value=0, max_value=10).map(D))))
def test_every_card_accounts_for_every_point(m):
    card = score(AppraisalSettings(), m)
    scored = [i for i in card.items if i.status == "scored"]
    points = [i.points for i in scored if i.points is not None]
    assert len(points) == len(scored)                                       # a scored item has its points
    assert card.total == sum(points, D(0))                                  # the printed items add up
    assert card.weight == sum((i.weight for i in scored), D(0))
    assert card.weight + sum(i.weight for i in card.items if i.status != "scored") == 100
    assert all(i.points is None for i in card.items if i.status != "scored")
    assert all(0 <= p <= i.weight for p, i in zip(points, scored, strict=True))  # caps at 1: never above the weight
    assert card.pending == 3 - len(m.rated)
    assert (card.pay_factor is None) == (card.pending > 0 or card.score is None)
    if card.score is not None:
        assert abs(card.score - card.total * 100 / card.weight) <= D("0.05")
