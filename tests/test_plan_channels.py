"""Channel quotas of 篇1 (1092萬 over 6–12月) and 篇4's monthly vs annual tons."""
from decimal import Decimal as D

from docgen.plan.channels import Channel, check_channels, check_monthly_vs_annual
from docgen.plan.targets import share, target_ratio


def seed_channels(months: int | None = None) -> list[Channel]:
    """篇1: 直營店 180萬 at 7.5萬 per person a month, 大中型客戶 720萬 at 30萬, 經銷商 192萬 at 8萬 each."""
    return [
        Channel("直營店", 4, D("7.5"), months, D(180), "人"),
        Channel("大中型客戶", 4, D(30), months, D(720), "人"),
        Channel("經銷商", 4, D(8), months, D(192), "家"),
    ]


def test_the_stated_quotas_are_four_units_over_six_months_and_sum_to_1092() -> None:
    check = check_channels(seed_channels(months=6), D(1092), 6)
    assert check.quotas == {"直營店": D(180), "大中型客戶": D(720), "經銷商": D(192)}
    assert check.computed_total == check.planned_total == D(1092)
    assert check.warnings == ()


def test_seed_as_written_warns_that_its_rates_imply_six_months_of_the_seven() -> None:
    check = check_channels(seed_channels(), D(1092), 7)
    assert check.quotas == {"直營店": D(210), "大中型客戶": D(840), "經銷商": D(224)}
    assert check.computed_total == D(1274)
    assert check.planned_total == D(1092)
    assert check.warnings == (
        "直營店: 4人 × 7.5萬 × 7個月 = 210萬, 計畫定額 180萬 (計畫定額相當於6個月)",
        "大中型客戶: 4人 × 30萬 × 7個月 = 840萬, 計畫定額 720萬 (計畫定額相當於6個月)",
        "經銷商: 4家 × 8萬 × 7個月 = 224萬, 計畫定額 192萬 (計畫定額相當於6個月)",
    )


def test_channel_months_shorter_than_the_period_is_a_warning_with_both_numbers() -> None:
    check = check_channels(seed_channels(months=6), D(1092), 7)
    assert check.quotas["經銷商"] == D(192)
    assert check.warnings == (
        "直營店: 定額按6個月計算, 計畫期間為7個月 (4人 × 7.5萬 × 7個月 = 210萬)",
        "大中型客戶: 定額按6個月計算, 計畫期間為7個月 (4人 × 30萬 × 7個月 = 840萬)",
        "經銷商: 定額按6個月計算, 計畫期間為7個月 (4家 × 8萬 × 7個月 = 224萬)",
    )


def test_quotas_not_adding_up_to_the_target_is_a_warning() -> None:
    check = check_channels(seed_channels(months=6), D(1200), 6)
    assert check.warnings == ("各渠道定額合計 1,092萬, 期間目標 1,200萬, 相差 -108萬",)


def test_channels_without_stated_quota_use_the_computed_one() -> None:
    channels = [Channel("經銷商", 4, D(8)), Channel("直營店", 3, D(10000), unit_label="家")]
    check = check_channels(channels, D(90000), 3, unit="元")
    assert check.quotas == {"經銷商": D(96), "直營店": D(90000)}
    assert check.warnings == ("各渠道定額合計 90,096元, 期間目標 90,000元, 相差 96元",)


def test_no_whole_month_equivalent_is_not_invented() -> None:
    check = check_channels([Channel("經銷商", 4, D(8), None, D(100), "家")], D(100), 7)
    assert check.warnings == ("經銷商: 4家 × 8萬 × 7個月 = 224萬, 計畫定額 100萬",)


def test_500_tons_a_month_is_not_7000_a_year() -> None:
    assert check_monthly_vs_annual(D(500), D(7000), 12, "噸") == (
        "每月500噸 × 12個月 = 6,000噸, 年度任務 7,000噸 (平均每月需 583.33噸)")
    assert check_monthly_vs_annual(D(500), D(6000), 12, "噸") is None


def test_target_over_task_and_market_share() -> None:
    assert target_ratio(D(560), D(700)) == D("1.25")
    assert target_ratio(D(0), D(700)) is None
    assert share(D(50000), D(400000)) == D("0.125")
    assert share(D(5), D(0)) is None
