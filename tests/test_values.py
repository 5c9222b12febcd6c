"""data/values.py is the one value parser: every spelling of one amount or date reads as the same value."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from docgen.data.values import date_of, parse_amount, parse_money, serial_date

amounts = st.decimals(min_value=0, max_value=Decimal(10) ** 12, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_every_spelling_of_an_amount_reads_the_same_in_plans_and_ledgers(amount):
    # e.g. 1234567.80: "1,234,567.80", "¥1,234,567.80", "1,234,567.80元" and 123.456780萬 all give 1234567.8
    grouped = f"{amount:,}"
    wan = f"{amount / 10_000:f}萬"
    for text in (grouped, f"¥{grouped}", f"{grouped}元", f"RMB {grouped}", wan):
        assert parse_money(text) == amount, text
        assert parse_amount(text) == amount, text
    assert parse_amount(f"({grouped})") == -amount  # a return, in accounting style


@given(st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2118, 12, 31)))
def test_every_spelling_of_a_date_reads_the_same(day):
    serial = (day - dt.date(1899, 12, 30)).days  # Excel's day number, 1900's phantom 29 February included
    spellings = [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
                 f"{day.year}年{day.month}月{day.day}日", f"{day.isoformat()} 00:00:00", day,
                 dt.datetime(day.year, day.month, day.day)]
    assert {date_of(s) for s in spellings} == {day}
    assert serial_date(serial) == serial_date(str(serial)) == day
