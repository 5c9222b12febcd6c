"""Generate the example workspace's month-end ledgers (seeded, so every run writes the same files).

    .venv/bin/python tools/make_ledgers.py [--seed 2026] [--workspace .]

Writes ``ledgers/2025-06/sales.csv`` (last year's June, for YoY) and, for 2026-01 … 2026-06,
``ledgers/<month>/sales.csv`` (2026-03 as ``sales.xlsx``, as an ERP export) and ``visits.csv``,
from the people and customers of ``plans/2026``.  Sales per salesperson and month follow the
plan's monthly targets with a personal spread; the cases the statistics must handle are built in:

* 馮雪 (d04) sells nothing in February (Spring Festival);
* 深圳寶安恒通紙品 (S012) buys in January and February, then stops: lost from May;
* returns (negative amounts), one in March and one in June;
* 臨沂華泰印務 (D005, 38萬 last year: 二級) buys far more this year: 一級 on its annualised sales;
* prospects close: 佛山三水紙箱廠 (S016) in May, 臨沂蘭山紙品廠 (D012) and five East China
  prospects in June (new customers); East China's team starts in May, its first orders in June.

The visit logs follow the visit plans: each month every salesperson is handed the visit plan
docgen itself makes for the month (:func:`docgen.documents.planning.month_schedule`, on the
customer list's 上次拜訪 — all before 2026 — and the visits logged so far), makes most of the
planned visits on or a few days after the planned day, misses a few (they are due again next
month) and adds some unplanned ones.  East China's team, hired in May before its plan starts
in June, pays its prospects first visits in May.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docgen.data.plan import Customer, load_plan  # noqa: E402
from docgen.documents.figures import person_month_targets  # noqa: E402
from docgen.documents.planning import history_of, month_schedule  # noqa: E402
from docgen.plan.calendar import WorkCalendar  # noqa: E402
from docgen.workspace import Workspace  # noqa: E402

YEAR = 2026
MONTHS = [(2026, m) for m in range(1, 7)]
HISTORY = [(2025, 6)]
XLSX_MONTH = (2026, 3)
SALES_HEADER = ["日期", "單號", "客戶", "業務員", "渠道", "產品", "數量", "金額"]
VISIT_HEADER = ["日期", "業務員", "客戶", "類型", "目的", "結果"]
PRODUCTS = [  # name, price per kg (元)
    ("白乳膠", Decimal("9.80")), ("覆膜膠", Decimal("16.50")), ("裱紙膠", Decimal("8.60")),
    ("糊盒膠", Decimal("12.40")), ("熱熔膠", Decimal("21.00")), ("水性光油", Decimal("18.20")),
]
NO_SALES = {("d04", (2026, 2))}
STOPS_AFTER = {"S012": (2026, 2)}          # the lost customer's last month
GROWS = {"D005": Decimal("1.9")}            # the tier mover: this year's rate × last year's
FIRST_ORDER = {"S016": (2026, 5), "D012": (2026, 6), "E001": (2026, 6), "E002": (2026, 6),
               "E003": (2026, 6), "E004": (2026, 6), "E008": (2026, 6)}
RETURNS = {(2026, 3): "S004", (2026, 6): "S002"}
PERSONAL = {"s01": 1.02, "s02": 1.08, "s03": 0.93, "s04": 0.78, "d01": 1.05, "d02": 0.97, "d03": 1.12,
            "d04": 0.72}
PURPOSES = ["例行拜訪", "新品介紹", "催收貨款", "技術交流", "打樣跟進", "售後服務"]
OUTCOMES = ["已下單", "意向良好", "待報價", "需再跟進", "已回款", "客戶提出改進意見"]
CALL_PURPOSES = ["訂單確認", "電話預約", "送貨跟進", "報價", "回訪"]


def money(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), ROUND_HALF_UP)


class Generator:
    def __init__(self, ws: Workspace, seed: int) -> None:
        plan, problems = load_plan(ws, YEAR)
        if plan is None:
            sys.exit("\n".join(str(p) for p in problems))
        self.plan = plan
        self.ws = ws
        self.rng = random.Random(seed)
        self.cal = WorkCalendar(frozenset(ws.config.calendar.holidays), frozenset(ws.config.calendar.workdays))
        self.targets = person_month_targets(plan, Decimal(100))
        self.channel_names = {c.id: c.name for c in plan.company.channels}
        self.logged: list[Logged] = []        # every sale and visit written so far, for the history

    # -- sales
    def buyers(self, person_id: str, month: tuple[int, int]) -> list[tuple[Customer, Decimal]]:
        """(customer, weight) of the person's customers buying this month."""
        out = []
        for c in self.plan.customers_of(person_id):
            if c.id in FIRST_ORDER:
                if month < FIRST_ORDER[c.id]:
                    continue
                weight = c.monthly_demand or Decimal(30000)
            elif c.status == "prospect":
                continue
            elif c.status == "lost":
                if month[0] == YEAR:
                    continue
                weight = c.last_year_sales or Decimal(50000)
            else:
                if c.id in STOPS_AFTER and month > STOPS_AFTER[c.id]:
                    continue
                grows = GROWS.get(c.id, Decimal(1)) if month[0] == YEAR else Decimal(1)
                weight = (c.last_year_sales or Decimal(50000)) * grows
            out.append((c, weight))
        return out

    def sales(self, month: tuple[int, int]) -> list[list[str]]:
        rows: list[tuple[dt.date, str, str, str, str, str, Decimal, Decimal]] = []
        days = self.cal.working_days(*month)
        for person in self.plan.people:
            if (person.id, month) in NO_SALES:
                continue
            buyers = self.buyers(person.id, month)
            if not buyers:
                continue
            usual = sum((w for _, w in buyers), Decimal(0)) / 12   # what the customers usually buy in a month
            if month in self.targets.get(person.id, {}):
                # this year: pulled towards the plan's target, but customers do not double overnight
                planned = self.targets[person.id][month] * Decimal(str(PERSONAL.get(person.id, 1.0)))
                budget = planned * Decimal("0.3") + usual * Decimal("0.75")
            else:
                budget = usual
            budget *= Decimal(str(round(self.rng.uniform(0.85, 1.15), 3)))
            if person.region == "east":  # first trial orders of a new region
                budget = sum(w for _, w in buyers) * Decimal("1.1")
            total_weight = sum(w for _, w in buyers)
            channel = self.channel_names.get(person.channel or "", "")
            for c, weight in buyers:
                share = budget * weight / total_weight
                lines = max(3, min(45, int(share / 2500)))
                orders = max(1, lines // 3)
                per_line = share / lines
                for i in range(orders):
                    day = self.rng.choice(days)
                    order_lines = lines // orders + (1 if i < lines % orders else 0)
                    for name, price in self.rng.sample(PRODUCTS, k=min(order_lines, len(PRODUCTS))):
                        amount = per_line * Decimal(str(round(self.rng.uniform(0.6, 1.4), 3)))
                        qty = max(Decimal(1), (amount / price).quantize(Decimal(1), ROUND_HALF_UP))
                        rows.append((day, f"SO{i}", c.name, person.name, channel, name, qty, money(qty * price)))
                        self.logged.append(Logged(c.id, day, "sale"))
            if RETURNS.get(month) in {c.id for c, _ in buyers}:
                c = next(c for c, _ in buyers if c.id == RETURNS[month])
                name, price = PRODUCTS[1]
                qty = Decimal(self.rng.randint(150, 400))
                rows.append((days[-3], "RET", c.name, person.name, channel, name, -qty, money(-qty * price)))
        rows.sort(key=lambda r: (r[0], r[3], r[2], r[1] != "RET"))
        return ledger_rows(rows, month)

    # -- visits
    def visits(self, month: tuple[int, int]) -> list[list[str]]:
        rows: list[list[str]] = []
        days = self.cal.working_days(*month)
        history = history_of(self.plan, month, [x for x in self.logged if x.kind == "sale"],
                             [x for x in self.logged if x.kind != "sale"])
        covered = {r.region for r in self.plan.regions if month[1] in r.period.months}
        for person in self.plan.people:
            mine = [d for d in days if person.start is None or d >= person.start]
            if not mine:
                continue
            owned = self.plan.customers_of(person.id)
            planned: set[str] = set()
            if person.region in covered:
                for v in month_schedule(self.ws, self.plan, person.id, history).schedule.scheduled:
                    planned.add(v.candidate.customer_id)
                    if self.rng.random() < 0.88:  # made, on the day or up to three working days later
                        later = [d for d in mine if d >= v.day][:4] or mine[-1:]
                        self._visit(rows, self.rng.choice(later), person, v.candidate.customer_id)
            for c in owned:
                if c.id in planned or c.status == "lost":
                    continue
                first_trip = c.status == "prospect" and person.region not in covered
                if self.rng.random() < (0.8 if first_trip else 0.12):
                    self._visit(rows, self.rng.choice(mine), person, c.id)
            activity = self.plan.activity(person.id)
            quota = (activity.calls_per_day or 0) * len(mine) if activity else 0
            callees = [c for c in owned if c.status != "lost"] or \
                      [c for c in self.plan.customers_in(person.region) if c.status == "prospect"]
            for _ in range(int(quota * self.rng.uniform(0.6, 1.05))):
                c = self.rng.choice(callees)
                rows.append([self.rng.choice(mine).isoformat(), person.name, c.name, "電話",
                             self.rng.choice(CALL_PURPOSES), ""])
        rows.sort(key=lambda r: (r[0], r[1], r[3], r[2]))
        return rows

    def _visit(self, rows: list[list[str]], day: dt.date, person, customer_id: str) -> None:
        customer = self.plan.customer(customer_id)
        first = not any(x.customer == customer_id and x.kind == "visit" for x in self.logged)
        purpose = "初次拜訪" if customer.status == "prospect" and first else self.rng.choice(PURPOSES)
        rows.append([day.isoformat(), person.name, customer.name, "拜訪", purpose, self.rng.choice(OUTCOMES)])
        self.logged.append(Logged(customer_id, day, "visit"))


@dataclass(frozen=True)
class Logged:
    """A sale or visit written, as the visit history reads it."""

    customer: str
    date: dt.date
    kind: str   # sale / visit


Sale = tuple[dt.date, str, str, str, str, str, Decimal | int, Decimal]


def ledger_rows(sales: Sequence[Sale], month: tuple[int, int]) -> list[list[str]]:
    """Sorted sales (day, kind SO…/RET, customer, seller, channel, product, quantity, amount) as the
    ERP's rows, with one order number per order: a customer's lines of one day and kind (a customer
    may order twice a day), SO2606-0001 for sales and TH2606-0002 for returns."""
    out: list[list[str]] = []
    order_no, last_key = 0, None
    prefix = f"{month[0] % 100:02d}{month[1]:02d}"
    for day, kind, customer, seller, channel, product, qty, amount in sales:
        key = (day, customer, kind)
        if key != last_key:
            order_no += 1
            last_key = key
        order = f"{'TH' if kind == 'RET' else 'SO'}{prefix}-{order_no:04d}"
        out.append([day.isoformat(), order, customer, seller, channel, product, str(qty), f"{amount:.2f}"])
    return out


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, header: list[str], rows: list[list[str]], title: str) -> None:
    """An ERP-style export: a title line above the header, typed cells, fixed timestamps."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "銷售明細"
    sheet.append([title])
    sheet.append(header)
    for r in rows:
        sheet.append([dt.date.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6]), float(r[7])])
    for cell in sheet["A"][2:]:
        cell.number_format = "yyyy-mm-dd"
    when = dt.datetime(2026, 4, 1)
    book.properties.created = when
    buf = io.BytesIO()
    book.save(buf)
    # openpyxl stamps the save time into core.xml and the zip entries: fix both
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 4, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(fixed, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workspace", type=Path, default=REPO)
    args = parser.parse_args(argv)
    ws = Workspace.open(args.workspace)
    gen = Generator(ws, args.seed)
    root = ws.path("ledgers")
    for month in HISTORY + MONTHS:
        folder = root / f"{month[0]}-{month[1]:02d}"
        rows = gen.sales(month)
        for stale in (folder / "sales.csv", folder / "sales.xlsx"):
            stale.unlink(missing_ok=True)
        if month == XLSX_MONTH:
            write_xlsx(folder / "sales.xlsx", SALES_HEADER, rows, f"{month[0]}年{month[1]}月銷售明細")
        else:
            write_csv(folder / "sales.csv", SALES_HEADER, rows)
        if month[0] == YEAR:
            write_csv(folder / "visits.csv", VISIT_HEADER, gen.visits(month))
        print(f"{folder.relative_to(ws.root)}: {len(rows)} sales lines")


if __name__ == "__main__":
    main()
