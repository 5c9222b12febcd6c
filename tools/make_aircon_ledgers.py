"""Generate the aircon example's month-end ledgers (seeded, so every run writes the same files).

    .venv/bin/python tools/make_aircon_ledgers.py [--seed 2703] [--workspace examples/aircon]

The aircon example (``examples/aircon``, seed 篇3) plans the fiscal year 2026/27 from August.  This
writes, for 2026-08 … 2026-10 (the months closed by the end of November 2026), ``sales.csv`` (sell-in
to the stores, agents and outlets: 數量 in 套 and 金額 in 元, the ERP's order lines), ``visits.csv`` and
the supervisor's ``appraisal.csv``; and the sales of 2025-08 … 2025-10 (for YoY) and of 2026-07, the last
month of the previous fiscal year (for August's MoM, and so that a store buying every month is never
taken for lost because the months before the plan are missing).

* Sales follow each salesperson's month targets (money) with a personal spread; a line is one model
  (1匹 … 3匹) at its sell-in price, so the sets and the money of a month differ from the plan's 2,000元
  a set as a real mix does.  Promoters sell through in the stores and have no ledger lines.
* 東部片區 opens on 2026-09-01 with stores that were 中心片區's and 西部片區's: until August their
  orders are booked by 林國棟 (c01), 鄧志偉 (w01) and 黃嘉豪 (c03), from September by the 東部片區 team.
* Prospects close: 蘇寧電器石岩店 (W017) in September, 國美電器南山後海店 (C019) and
  格蘭仕空調店中店（坪山家電城）(E011) in October: new customers.
* One return: 國美電器深南店 (C005) sends back 1.5匹定頻掛機 in September.
* Visits follow docgen's own visit plans (:func:`docgen.documents.planning.month_schedule`): most
  made on the day or a few working days later, a few missed, some unplanned.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from make_ledgers import Logged, ledger_rows, money, write_csv  # noqa: E402  (tools/ is the script's folder)

from docgen.data.plan import load_plan  # noqa: E402
from docgen.documents.figures import person_month_targets  # noqa: E402
from docgen.documents.planning import history_of, month_schedule  # noqa: E402
from docgen.plan.calendar import WorkCalendar  # noqa: E402
from docgen.workspace import Workspace  # noqa: E402

YEAR = 2026
MONTHS = [(2026, 8), (2026, 9), (2026, 10)]
HISTORY = [(2025, 8), (2025, 9), (2025, 10), (2026, 7)]
LAST_YEAR_SHARE = {7: Decimal("0.19"), 8: Decimal("0.10"), 9: Decimal("0.06"), 10: Decimal("0.07")}
GROWTH = Decimal(3)                       # this year's plan is about three times last year's sales
SALES_HEADER = ["日期", "單號", "客戶", "業務員", "渠道", "產品", "數量", "金額"]
VISIT_HEADER = ["日期", "業務員", "客戶", "類型", "目的", "結果"]
APPRAISAL_HEADER = ["業務員", "銷售人員行為紀律", "工作計畫、匯報完成率", "需求資源客戶回覆情況"]
PRODUCTS = [  # model, sell-in price per set (元), share of the sets
    ("1匹定頻掛機", Decimal(1290), 22), ("1.5匹定頻掛機", Decimal(1560), 30), ("1.5匹變頻掛機", Decimal(2080), 28),
    ("2匹立櫃機", Decimal(3280), 14), ("3匹立櫃機", Decimal(4350), 6),
]
CHANNEL_OF_TYPE = {"K/A": "ka", "代理商": "agents", "專賣店": "outlets"}
FIRST_ORDER = {"W017": (2026, 9), "C019": (2026, 10), "E011": (2026, 10)}
RETURNS = {(2026, 9): ("C005", "1.5匹定頻掛機", 6)}
OPENS = {"east": (2026, 9)}               # a region's first month of business as a region
EARLIER_OWNER = {"e01": "c01", "e02": "w01", "e03": "c03"}   # who booked the east's stores before it opened
PERSONAL = {"c01": 0.97, "c02": 0.88, "c03": 1.04, "w01": 0.92, "w02": 0.81, "w03": 1.06, "e01": 0.74,
            "e02": 0.69, "e03": 0.62}
PURPOSES = ["巡店", "上樣跟蹤", "產品陳列檢查", "促銷活動洽談", "對賬回款", "新品介紹"]
OUTCOMES = ["已下單", "補貨中", "陳列已調整", "活動方案待確認", "已回款", "需再跟進"]
CALL_PURPOSES = ["訂單確認", "到貨跟進", "庫存查詢", "促銷報名", "回訪"]


class Generator:
    def __init__(self, ws: Workspace, seed: int) -> None:
        plan, problems = load_plan(ws, YEAR)
        if plan is None:
            sys.exit("\n".join(str(p) for p in problems))
        self.plan = plan
        self.ws = ws
        self.rng = random.Random(seed)
        cal = ws.config.calendar
        self.cal = WorkCalendar(frozenset(cal.holidays), frozenset(cal.workdays), frozenset(cal.complete_years))
        self.targets = person_month_targets(plan, Decimal(100))
        self.channel_names = {c.id: c.name for c in plan.company.channels}
        self.logged: list[Logged] = []

    def _open(self, region: str, month: tuple[int, int]) -> bool:
        return month >= OPENS.get(region, month)

    def _seller(self, owner: str, month: tuple[int, int]) -> str:
        region = next(p.region for p in self.plan.people if p.id == owner)
        return owner if self._open(region, month) else EARLIER_OWNER.get(owner, owner)

    # -- sales
    def _budgets(self, month: tuple[int, int]) -> dict[str, Decimal]:
        """Customer id → what it buys this month (元)."""
        out: dict[str, Decimal] = {}
        for person in self.plan.people:
            mine = [c for c in self.plan.customers_of(person.id) if self._buys(c, month)]
            if not mine:
                continue
            weights = {c.id: c.last_year_sales or c.monthly_demand or Decimal(100_000) for c in mine}
            if not self._in_plan(person.region, month):  # before the plan: last year's pattern
                growth = GROWTH if month >= MONTHS[0] else Decimal(1)
                for c in mine:
                    out[c.id] = weights[c.id] * LAST_YEAR_SHARE[month[1]] * growth
                continue
            target = self.targets.get(person.id, {}).get(month, Decimal(0))
            budget = target * Decimal(str(PERSONAL.get(person.id, 1.0))) * \
                Decimal(str(round(self.rng.uniform(0.9, 1.1), 3)))
            total = sum(weights.values())
            for c in mine:
                out[c.id] = budget * weights[c.id] / total
        return out

    def _in_plan(self, region: str, month: tuple[int, int]) -> bool:
        return month in MONTHS and self._open(region, month)

    def _buys(self, customer, month: tuple[int, int]) -> bool:
        if customer.id in FIRST_ORDER:
            return month >= FIRST_ORDER[customer.id]
        return customer.status == "active"

    def sales(self, month: tuple[int, int]) -> list[list[str]]:
        days = self.cal.working_days(*month)
        rows: list[tuple[dt.date, str, str, str, str, str, int, Decimal]] = []
        names = {p.id: p.name for p in self.plan.people}
        for cid, budget in self._budgets(month).items():
            c = self.plan.customer(cid)
            seller = names[self._seller(c.owner, month)]
            channel = self.channel_names[CHANNEL_OF_TYPE[c.type or "K/A"]]
            orders = max(1, min(6, int(budget / 60_000)))
            for i in range(orders):
                day = self.rng.choice(days)
                for model, price, share in PRODUCTS:
                    sets = int(budget / orders / Decimal(2054) * share / 100 *
                               Decimal(str(round(self.rng.uniform(0.7, 1.3), 3))))
                    if sets > 0:
                        rows.append((day, f"SO{i}", c.name, seller, channel, model, sets, money(sets * price)))
                        self.logged.append(Logged(cid, day, "sale"))
        if month in RETURNS:
            cid, model, sets = RETURNS[month]
            c = self.plan.customer(cid)
            price = next(p for m, p, _ in PRODUCTS if m == model)
            rows.append((days[-2], "RET", c.name, names[c.owner], self.channel_names["ka"], model, -sets,
                         money(-sets * price)))
        rows.sort(key=lambda r: (r[0], r[3], r[2], r[1] != "RET"))
        return ledger_rows(rows, month)

    # -- visits
    def visits(self, month: tuple[int, int]) -> list[list[str]]:
        rows: list[list[str]] = []
        days = self.cal.working_days(*month)
        history = history_of(self.plan, month, [x for x in self.logged if x.kind == "sale"],
                             [x for x in self.logged if x.kind != "sale"])
        for person in self.plan.people:
            owned = self.plan.customers_of(person.id)
            mine = [d for d in days if person.start is None or d >= person.start]
            if not owned or not mine or not self._open(person.region, month):
                continue
            planned: set[str] = set()
            for v in month_schedule(self.ws, self.plan, person.id, history).schedule.scheduled:
                planned.add(v.candidate.customer_id)
                if self.rng.random() < 0.9:  # made, on the day or up to three working days later
                    later = [d for d in mine if d >= v.day][:4] or mine[-1:]
                    self._visit(rows, self.rng.choice(later), person, v.candidate.customer_id)
            for c in owned:
                if c.id not in planned and c.status != "lost" and self.rng.random() < 0.15:
                    self._visit(rows, self.rng.choice(mine), person, c.id)
            activity = self.plan.activity(person.id)
            quota = (activity.calls_per_day or 0) * len(mine) if activity else 0
            for _ in range(int(quota * self.rng.uniform(0.7, 1.05))):
                c = self.rng.choice(owned)
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

    # -- the supervisor's scores
    def appraisal(self, month: tuple[int, int]) -> list[list[str]]:
        """Every quota-carrying person on the team this month, scored 6–10 on each rated item."""
        rows = []
        for person in self.plan.people:
            if person.monthly_quota and (person.start is None or person.start <= dt.date(*month, 1)):
                rows.append([person.name, *(str(self.rng.randint(6, 10)) for _ in APPRAISAL_HEADER[1:])])
        return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2703)
    parser.add_argument("--workspace", type=Path, default=REPO / "examples" / "aircon")
    args = parser.parse_args(argv)
    ws = Workspace.open(args.workspace)
    gen = Generator(ws, args.seed)
    root = ws.path("ledgers")
    for month in HISTORY + MONTHS:
        folder = root / f"{month[0]}-{month[1]:02d}"
        rows = gen.sales(month)
        write_csv(folder / "sales.csv", SALES_HEADER, rows)
        if month[0] == YEAR:
            write_csv(folder / "visits.csv", VISIT_HEADER, gen.visits(month))
            write_csv(folder / "appraisal.csv", APPRAISAL_HEADER, gen.appraisal(month))
        print(f"{folder.relative_to(ws.root)}: {len(rows)} sales lines")


if __name__ == "__main__":
    main()
