"""A large, deterministic workspace for the build benchmarks.

Full size (the default): 50 regions, 1,000 salespeople, 20,000 customers, 200,000 sales-ledger
lines and 30,000 visit-log lines for one month.  ``--scale 0.02`` shrinks every count (at least
one region, one person per region).  The same arguments always give the same bytes.

Files written (the plan formats of ``plans/README.md``)::

    docgen.yaml                        the repository's config with the generated regions
    plans/charter.yaml                 the repository's charter
    plans/<year>/company.yaml          the repository's company plan, year changed
    plans/<year>/regions/<id>.yaml     one region: task, channels, people
    plans/<year>/customers/<id>.csv    the region's customers
    ledgers/<year>-<mm>/sales.csv      the month's sales ledger (all regions)
    ledgers/<year>-<mm>/visits.csv     the month's visit log

The ledgers follow ``ledgers/README.md``; ``LEDGER_LAYOUT`` names the two files.

Run: ``.venv/bin/python benchmarks/make_workspace.py OUT [--scale 0.02] [--year 2026] [--month 6]``.
"""
from __future__ import annotations

import argparse
import csv
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = 20260601
FULL = {"regions": 50, "people": 1000, "customers": 20_000, "sales": 200_000, "visits": 30_000}
LEDGER_LAYOUT = ("ledgers/{month}/sales.csv", "ledgers/{month}/visits.csv")

SURNAMES = ("王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董潘袁蔡蔣余于杜葉程魏蘇呂丁任盧姚"
            "沈鍾姜崔譚陸范汪廖石金韋賈夏付方鄒熊白孟秦邱侯江尹薛閻段雷龍黎史陶賀毛郝顧龔邵萬覃武錢戴嚴歐莫孔向常湯")
GIVEN = "偉芳娜敏靜麗強磊軍洋勇艷傑娟濤明超秀霞平剛桂英華玉蘭萍紅志建國文輝鵬宇浩凱健俊帆斌"
CITIES = ["上海市", "杭州市", "蘇州市", "南京市", "合肥市", "武漢市", "成都市", "重慶市", "廣州市", "深圳市",
          "東莞市", "佛山市", "濟南市", "青島市", "廈門市", "福州市", "長沙市", "鄭州市", "西安市", "天津市"]
KINDS = ["彩印廠", "禮盒廠", "紙袋廠", "皮具箱包廠", "K/A", "代理商"]
PRODUCTS = ["水性覆膜膠", "UV光油", "裱紙膠", "熱熔膠", "封箱膠"]
CUSTOMER_HEADER = ["編號", "客戶名稱", "區域", "業務員", "類型", "城市", "狀態", "去年銷售額", "等級",
                   "月需求量", "預計成交天數", "上次拜訪", "聯繫人", "電話", "備註"]


def counts(scale: float) -> dict[str, int]:
    """Every count at ``scale`` of full size, never below one per region/person."""
    regions = max(1, round(FULL["regions"] * scale))
    people = max(regions, round(FULL["people"] * scale))
    return {"regions": regions, "people": people,
            "customers": max(people, round(FULL["customers"] * scale)),
            "sales": max(1, round(FULL["sales"] * scale)), "visits": max(1, round(FULL["visits"] * scale))}


def make_workspace(out: Path, scale: float = 1.0, year: int = 2026, month: int = 6) -> dict[str, int]:
    """Write the workspace into ``out`` (replacing generated files); return the counts."""
    rng = random.Random(SEED)
    n = counts(scale)
    out.mkdir(parents=True, exist_ok=True)
    regions = [(f"r{i + 1:02d}", f"第{i + 1}區") for i in range(n["regions"])]
    _config(out, regions, year)
    plans = out / "plans"
    (plans / str(year) / "regions").mkdir(parents=True, exist_ok=True)
    (plans / str(year) / "customers").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "plans" / "charter.yaml", plans / "charter.yaml")
    company = yaml.safe_load((REPO / "plans" / "2026" / "company.yaml").read_text(encoding="utf-8"))
    company.update(year=year, fiscal_year={"start": f"{year}-01-01", "end": f"{year}-12-31"})
    _dump(plans / str(year) / "company.yaml", company)

    people_of: dict[str, list[str]] = {}
    for index, (rid, _region_name) in enumerate(regions):
        share = _share(n["people"], len(regions), index)
        people = [f"{rid}p{j + 1:02d}" for j in range(share)]
        people_of[rid] = people
        _dump(plans / str(year) / "regions" / f"{rid}.yaml", _region_plan(rng, rid, people))

    customers: list[tuple[str, str, str]] = []  # (customer id, region, owner)
    for index, (rid, name) in enumerate(regions):
        rows = []
        for j in range(_share(n["customers"], len(regions), index)):
            owner = people_of[rid][j % len(people_of[rid])]
            cid = f"{rid.upper()}C{j + 1:04d}"
            customers.append((cid, rid, owner))
            rows.append(_customer_row(rng, cid, name, owner, year, month))
        _write_csv(plans / str(year) / "customers" / f"{rid}.csv", CUSTOMER_HEADER, rows)

    period = f"{year}-{month:02d}"
    sales_path, visits_path = (out / p.format(month=period) for p in LEDGER_LAYOUT)
    _write_csv(sales_path, ["日期", "單號", "客戶", "業務員", "渠道", "產品", "數量", "金額"],
               _sales_lines(rng, customers, n["sales"], year, month))
    _write_csv(visits_path, ["日期", "業務員", "客戶", "類型", "目的", "結果"],
               _visit_lines(rng, customers, n["visits"], year, month))
    return n


def _config(out: Path, regions: list[tuple[str, str]], year: int) -> None:
    config = yaml.safe_load((REPO / "docgen.yaml").read_text(encoding="utf-8"))
    config.update(year=year, regions=[{"id": rid, "name": name} for rid, name in regions])
    _dump(out / "docgen.yaml", config)


def _region_plan(rng: random.Random, rid: str, people: list[str]) -> dict:
    quotas = [rng.randrange(20, 60) for _ in people]
    task = sum(quotas) * 12
    key_accounts = task * 3 // 4
    return {
        "region": rid,
        "provinces": ["廣東省"],
        "manager": people[0],
        "office": f"{rid}辦事處",
        "period": {"start": 1, "end": 12},
        "task": f"{task}萬",
        "channels": [
            {"channel": "key_accounts", "units": max(1, len(people) * 3), "unit": "家", "rate": "3萬",
             "rate_basis": "每家每月", "quota": f"{key_accounts}萬"},
            {"channel": "distributors", "units": max(1, len(people) // 4), "unit": "家", "rate": "5萬",
             "rate_basis": "每家每月", "quota": f"{task - key_accounts}萬"},
        ],
        "people": [
            {"id": pid, "name": _name(rng), "role": "區域經理" if i == 0 else "業務員",
             "channel": "key_accounts" if i % 4 else "distributors", "start": "2020-01-01",
             "monthly_quota": f"{quota}萬", "territory": [rng.choice(CITIES)]}
            for i, (pid, quota) in enumerate(zip(people, quotas, strict=True))
        ],
        "budget": [{"item": "差旅費", "amount": f"{len(people) * 2}萬", "category": "差旅"}],
    }


def _customer_row(rng: random.Random, cid: str, region_name: str, owner: str, year: int, month: int) -> list:
    active = rng.random() < 0.7
    last_visit = f"{year}-{rng.randrange(1, month + 1):02d}-{rng.randrange(1, 29):02d}" if rng.random() < 0.9 else ""
    return [cid, f"{rng.choice(CITIES)[:-1]}{_name(rng)}{rng.choice(KINDS[:4])}", region_name, owner,
            rng.choice(KINDS), rng.choice(CITIES), "合作中" if active else "潛在",
            f"{rng.randrange(5, 300)}萬" if active else "", "",
            "" if active else f"{rng.randrange(1, 15)}萬", "" if active else rng.randrange(5, 90),
            last_visit, f"{rng.choice(SURNAMES)}經理", f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}", ""]


def _sales_lines(rng: random.Random, customers: list[tuple[str, str, str]], lines: int, year: int, month: int):
    for i in range(lines):
        cid, _, owner = rng.choice(customers)
        quantity = rng.randrange(1, 200)
        yield [f"{year}-{month:02d}-{rng.randrange(1, 29):02d}", f"SO{year}{month:02d}{i // 3:06d}", cid, owner,
               rng.choice(["key_accounts", "distributors"]), rng.choice(PRODUCTS), quantity,
               f"{quantity * rng.randrange(80, 400):.2f}"]


def _visit_lines(rng: random.Random, customers: list[tuple[str, str, str]], lines: int, year: int, month: int):
    for _ in range(lines):
        cid, _, owner = rng.choice(customers)
        yield [f"{year}-{month:02d}-{rng.randrange(1, 29):02d}", owner, cid, rng.choice(["拜訪", "電話"]),
               rng.choice(["回訪", "打樣", "報價", "收款"]), rng.choice(["已下單", "跟進中", "無需求"])]


def _share(total: int, parts: int, index: int) -> int:
    """Part ``index`` of ``total`` split as evenly as possible into ``parts``."""
    return total // parts + (1 if index < total % parts else 0)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of full size (default 1)")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--month", type=int, default=6)
    args = parser.parse_args()
    n = make_workspace(args.out, args.scale, args.year, args.month)
    print(f"{args.out}: " + ", ".join(f"{v:,} {k}" for k, v in n.items()))


if __name__ == "__main__":
    main()
