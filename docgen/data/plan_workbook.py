"""The year's plan as one workbook, and back: ``docgen plan export`` / ``docgen plan import``.

One sheet per kind of record (公司, 區域, 人員, 通路, 通路定額, 季節係數, 淡旺季, 客戶, 階段與任務,
培訓, 預算, 措施, SWOT, 文字), one row per record, Chinese headers, amounts in 元.  Importing
writes the plan files (``company.yaml``, ``regions/<id>.yaml``, ``customers/customers.csv``) one
record per line, and loads them with the plan loader before anything is written: every problem
the loader finds is mapped back to the cell it came from, ``plan-2026.xlsx:人員!G4: field: message``.
A workbook placed in ``plans/<year>/`` is loaded the same way (:func:`load_book`), its records
pointing at their rows.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.data.loading import CUSTOMER_COLUMNS, load_plan
from docgen.data.models import Phase, Plan, Record, Where
from docgen.data.tables import blank, fold
from docgen.data.values import TIERS
from docgen.errors import ConfigError, DataError, Problem, relative
from docgen.workspace import CONFIG_NAME, Workspace

__all__ = ["Changes", "book_in", "current_plan_files", "export_plan", "import_changes", "import_plan", "load_book",
           "workbook_changes"]

COMPANY = "全公司"
_PLAIN_KEY = re.compile(r"^[a-z_]+$")  # the plan files' own keys, written bare as in the examples
_LIST_SPLIT = re.compile(r"\s*[、,，;；]\s*")
_STATUS_NAMES = {"active": "合作中", "prospect": "潛在", "lost": "流失"}
_SWOT_KINDS = {"strengths": "優勢", "weaknesses": "劣勢", "opportunities": "機會", "threats": "威脅"}
_ACTIVITY = [("每日電話", "calls_per_day"), ("每日拜訪", "visits_per_day"), ("每日新客拜訪", "new_visits_per_day"),
             ("每週拜訪", "visits_per_week")]


@dataclass(frozen=True)
class Column:
    """One column of a plan sheet: its header, the record key and the kind of value."""

    header: str
    key: str
    kind: str = "text"  # text | money | int | date | list | quantity | weight | status


def _c(header: str, key: str, kind: str = "text") -> Column:
    return Column(header, key, kind)


SHEETS: dict[str, list[Column]] = {
    "公司": [_c("年度", "year", "int"), _c("幣別", "currency"), _c("財年開始", "fiscal_start", "date"),
           _c("財年結束", "fiscal_end", "date"), _c("任務（元）", "task", "money"),
           _c("目標（元）", "target", "money"), _c("數量", "quantity", "quantity"),
           _c("市場容量", "market_capacity", "quantity"), _c("數量小數位", "quantity_decimals", "int"),
           _c("台帳數量單位", "ledger_unit"), _c("台帳單位折合計畫單位", "ledger_in_plan_unit", "weight")],
    "區域": [_c("區域", "region"), _c("省份", "provinces", "list"), _c("城市", "cities", "list"),
           _c("區域經理", "manager"), _c("辦事處", "office"), _c("起始月", "start", "int"), _c("結束月", "end", "int"),
           _c("任務（元）", "task", "money"), _c("目標（元）", "target", "money"), _c("數量", "quantity", "quantity"),
           _c("月數量", "monthly_quantity", "quantity"), _c("市場容量", "market_capacity", "quantity"),
           *[_c(h, k, "int") for h, k in _ACTIVITY], _c("每月新客戶目標", "new_monthly", "int"),
           _c("全年新客戶目標", "new_yearly", "int")],
    "人員": [_c("區域", "region"), _c("編號", "id"), _c("姓名", "name"), _c("職務", "role"), _c("渠道", "channel"),
           _c("到職日期", "start", "date"), _c("月定額（元）", "monthly_quota", "money"),
           _c("負責地區", "territory", "list"), *[_c(h, k, "int") for h, k in _ACTIVITY], _c("電話", "phone"),
           _c("月數量", "monthly_quantity", "quantity")],
    "通路": [_c("編號", "id"), _c("名稱", "name"), _c("單位", "unit"), _c("說明", "detail")],
    "通路定額": [_c("區域", "region"), _c("渠道", "channel"), _c("單位數", "units", "int"), _c("單位", "unit"),
             _c("定額標準（元）", "rate", "money"), _c("標準說明", "rate_basis"), _c("定額（元）", "quota", "money"),
             _c("備註", "note"), _c("數量定額", "quantity", "quantity")],
    "季節係數": [_c("區域", "region"), *[_c(f"{m}月", str(m), "weight") for m in range(1, 13)]],
    "淡旺季": [_c("區域", "region"), _c("季節", "season"), _c("月份", "months", "list")],
    "客戶": [_c(names[0], key, {"last_year_sales": "money", "monthly_demand": "money", "days_to_close": "int",
                              "last_visit": "date", "status": "status"}.get(key, "text"))
           for key, names in CUSTOMER_COLUMNS.items()],
    "階段與任務": [_c("區域", "region"), _c("階段", "phase"), _c("階段開始", "phase_start", "date"),
              _c("階段結束", "phase_end", "date"), _c("階段負責人", "phase_owner"), _c("階段目標", "goal"),
              _c("日期", "date", "date"), _c("開始", "start", "date"), _c("結束", "end", "date"), _c("時間", "time"),
              _c("任務", "title"), _c("負責人", "owner"), _c("說明", "detail")],
    "培訓": [_c("範圍", "scope"), _c("月份", "month", "int"), _c("日期", "date", "date"), _c("時間", "time"),
           _c("主題", "topic"), _c("對象", "audience"), _c("講師", "trainer"), _c("節數", "sessions", "int"),
           _c("內容", "detail")],
    "預算": [_c("範圍", "scope"), _c("項目", "item"), _c("金額（元）", "amount", "money"), _c("類別", "category"),
           _c("備註", "note")],
    "措施": [_c("範圍", "scope"), _c("標題", "title"), _c("內容", "detail")],
    "SWOT": [_c("範圍", "scope"), _c("類型", "kind"), _c("內容", "text")],
    "文字": [_c("範圍", "scope"), _c("標題", "title"), _c("內容", "text")],
    "競爭對手": [_c("範圍", "scope"), _c("名稱", "name"), _c("市場份額", "share", "weight"), _c("實力", "strength"),
             _c("價格定位", "price"), _c("說明", "note")],
    "工作目標": [_c("區域", "region"), _c("職務", "role"), _c("人員", "person"), _c("項目", "item"),
             _c("每月目標", "per_month", "weight"), _c("單位", "unit")],
}

_GUIDE = [
    "本活頁簿是一年的計畫：每張工作表一類資料，每列一筆。`docgen plan import` 讀回成計畫檔案。",
    "金額一律以元填寫（1092萬 填 10920000）；日期填日期；月份填 1–12。",
    "多個值（省份、城市、負責地區、淡旺季月份）以頓號「、」分隔。",
    "「區域」欄填區域名稱或編號；「範圍」欄填「全公司」或區域名稱。",
    "人員、負責人欄填人員編號（如 s01），渠道欄填通路編號（如 key_accounts）。",
    "階段與任務：每列一個任務，同一階段的各列重複階段欄；沒有任務的階段留空任務欄；全公司的階段在「區域」欄寫「全公司」。",
    "說明、內容欄可用 Markdown。下拉清單列出可選的區域、人員、通路、等級與月份。",
    "競爭對手：市場份額填小數（35% 填 0.35）；價格定位填 高、中 或 低。",
    "工作目標：不承擔銷售目標的人員每月的工作目標；填「職務」是該職務人人適用，填「人員」是個人的。",
]


# ---------------------------------------------------------------- export

def export_plan(ws: Workspace, year: int) -> bytes:
    """The loaded plan of ``year`` as a workbook.

    :raises DataError: the plan does not load (every problem listed).
    """
    plan, problems = load_plan(ws, year)
    if plan is None or any(p.is_error for p in problems):
        raise DataError(f"the {year} plan has errors; fix them before exporting", [p for p in problems if p.is_error])
    names = {r.id: r.name for r in ws.config.regions}
    return _write_book(_plan_rows(plan, names), _choices(plan, names), ws.config.company)


def _plan_rows(plan: Plan, names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    c = plan.company
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    rows["公司"].append({"year": c.year, "currency": c.currency, "task": c.task, "target": c.target,
                       "fiscal_start": c.fiscal_year.start if c.fiscal_year else None,
                       "fiscal_end": c.fiscal_year.end if c.fiscal_year else None,
                       "quantity": c.quantity, "market_capacity": c.market_capacity,
                       "quantity_decimals": c.quantity_decimals or None,
                       "ledger_unit": c.ledger_quantity.unit if c.ledger_quantity else None,
                       "ledger_in_plan_unit": c.ledger_quantity.in_plan_unit if c.ledger_quantity else None})
    rows["通路"] += [ch.model_dump() for ch in c.channels]
    _phase_rows(rows, COMPANY, c.phases)  # the company's phases: 區域 全公司
    _sections(rows, COMPANY, c)
    for r in plan.regions:
        scope = names.get(r.region, r.region)
        rows["區域"].append({**r.model_dump(include={"provinces", "cities", "manager", "office", "task", "target"}),
                           "region": scope, "start": r.period.start, "end": r.period.end, "quantity": r.quantity,
                           "monthly_quantity": r.monthly_quantity, "market_capacity": r.market_capacity,
                           **(r.activity.model_dump() if r.activity else {}),
                           "new_monthly": r.new_customers.monthly if r.new_customers else None,
                           "new_yearly": r.new_customers.yearly if r.new_customers else None})
        rows["人員"] += [{**p.model_dump(exclude={"activity", "region", "targets"}), "region": scope,
                        "monthly_quantity": p.monthly_quantity,
                        **(p.activity.model_dump() if p.activity else {})} for p in r.people]
        rows["工作目標"] += [{**t.model_dump(), "region": scope, "role": role}
                         for role, targets in r.role_targets.items() for t in targets]
        rows["工作目標"] += [{**t.model_dump(), "region": scope, "person": p.id} for p in r.people for t in p.targets]
        rows["通路定額"] += [{**q.model_dump(), "region": scope, "quantity": q.quantity} for q in r.channels]
        if r.seasonality:
            rows["季節係數"].append({"region": scope, **{str(m): w for m, w in r.seasonality.items()}})
        rows["淡旺季"] += [{"region": scope, "season": s, "months": months} for s, months in r.seasons.items()]
        _phase_rows(rows, scope, r.phases)
        _sections(rows, scope, r)
    rows["客戶"] += [{**cu.model_dump(), "region": names.get(cu.region, cu.region)} for cu in plan.customers]
    return rows


def _phase_rows(rows: dict[str, list[dict[str, Any]]], scope: str, phases: list[Phase]) -> None:
    for ph in phases:
        head = {"region": scope, "phase": ph.name, "phase_start": ph.start, "phase_end": ph.end,
                "phase_owner": ph.owner, "goal": ph.goal}
        rows["階段與任務"] += [{**head, **t.model_dump()} for t in ph.tasks] or [head]


def _sections(rows: dict[str, list[dict[str, Any]]], scope: str, sections: Any) -> None:
    rows["培訓"] += [{**t.model_dump(), "scope": scope} for t in sections.training]
    rows["預算"] += [{**b.model_dump(), "scope": scope} for b in sections.budget]
    rows["措施"] += [{**m.model_dump(), "scope": scope} for m in sections.measures]
    rows["競爭對手"] += [{**c.model_dump(), "scope": scope} for c in sections.competitors]
    rows["文字"] += [{"scope": scope, "title": t, "text": text} for t, text in sections.narrative.items()]
    if sections.swot:
        rows["SWOT"] += [{"scope": scope, "kind": label, "text": text}
                         for key, label in _SWOT_KINDS.items() for text in getattr(sections.swot, key)]


def _choices(plan: Plan, names: dict[str, str]) -> dict[str, list[str]]:
    """Header → the values a drop-down offers."""
    people = [p.id for p in plan.people]
    regions = list(names.values())
    return {"區域": regions, "範圍": [COMPANY, *regions], "區域經理": people, "負責人": people, "階段負責人": people,
            "業務員": people, "渠道": [ch.id for ch in plan.company.channels], "等級": list(TIERS),
            "狀態": list(_STATUS_NAMES.values()), "月份": [str(m) for m in range(1, 13)],
            "起始月": [str(m) for m in range(1, 13)], "結束月": [str(m) for m in range(1, 13)],
            "類型": list(_SWOT_KINDS.values())}


def _write_book(rows: dict[str, list[dict[str, Any]]], choices: dict[str, list[str]], company: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    guide = book.active
    guide.title = "說明"
    for line in _GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append([c.header for c in columns])
        for record in rows[name]:
            sheet.append([_cell(record.get(c.key), c.kind) for c in columns])
        for i, column in enumerate(columns, 1):
            letter = get_column_letter(i)
            head = sheet.cell(1, i)
            head.font, head.fill = Font(bold=True), PatternFill("solid", fgColor="E4E7EB")
            fmt = {"money": "#,##0", "date": "yyyy-mm-dd", "weight": "0.0##"}.get(column.kind)
            texts = [str(sheet.cell(r, i).value or "") for r in range(1, sheet.max_row + 1)]
            sheet.column_dimensions[letter].width = min(max(_width(t) for t in texts) + 2, 60)
            for r in range(2, sheet.max_row + 1):
                if fmt:
                    sheet.cell(r, i).number_format = fmt
                if column.kind == "text" and len(str(sheet.cell(r, i).value or "")) > 40:
                    sheet.cell(r, i).alignment = Alignment(wrap_text=True, vertical="top")
            if choices.get(column.header):
                check = DataValidation(type="list", formula1='"' + ",".join(choices[column.header]) + '"',
                                       allow_blank=True)
                check.add(f"{letter}2:{letter}1000")
                sheet.add_data_validation(check)
        sheet.freeze_panes = "A2"
    book.properties.creator = company
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "list":
        return "、".join(str(v) for v in value) or None
    if kind == "quantity":
        return str(value)
    if kind == "status":
        return _STATUS_NAMES.get(value, value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _width(text: str) -> int:
    return max((len(line.encode("gbk", "replace")) for line in text.split("\n")), default=0)


# ---------------------------------------------------------------- import

@dataclass
class _Line:
    """Where one emitted line of a plan file came from: a sheet row and its columns by key."""

    sheet: str
    row: int
    letters: dict[str, str]


class _Emitter:
    """Plan file text built line by line, each line remembering the workbook row it came from."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origin: dict[int, _Line] = {}

    def add(self, text: str, origin: _Line | None) -> None:
        self.lines.append(text)
        if origin is not None:
            self.origin[len(self.lines)] = origin

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class _Row:
    values: dict[str, Any]
    origin: _Line


def import_plan(ws: Workspace, path: Path, name: str) -> tuple[int, dict[str, str]]:
    """Read a plan workbook: ``(year, {relative path: text})`` of the plan files it makes.

    The files are loaded with the plan loader in a scratch copy of the workspace first.

    :raises DataError: every problem, located at its cell (``name:Sheet!C12``).
    """
    sheets = _read_book(path, name)
    year = _year(sheets, name)
    unplaced = _unplaced(ws, sheets, name)
    if unplaced:
        raise DataError(f"{name}: the plan workbook has errors", unplaced)
    files, origins = _plan_texts(ws, sheets, year)
    _plan, problems = _load_elsewhere(ws, year, files)
    located = [_locate(p, origins, name) for p in problems]
    errors = [p for p in located if p.is_error]
    if errors:
        raise DataError(f"{name}: the plan workbook has errors", errors)
    return year, files


def current_plan_files(ws: Workspace, year: int) -> list[Path]:
    """The files that make ``year``'s plan now (what an import replaces), a plan workbook included."""
    folder = ws.path("plans") / str(year)
    found = [folder / "company.yaml", folder / "customers.csv", folder / "customers.xlsx"]
    found += sorted((folder / "regions").glob("*.y*ml")) + sorted((folder / "customers").glob("*.*"))
    book = book_in(folder) if folder.is_dir() else None
    return [p for p in found if p.is_file()] + ([book] if book else [])


Changes = tuple[dict[Path, bytes], list[Path]]  # files to write, files to remove


def import_changes(ws: Workspace, year: int, files: dict[str, str], replace: bool) -> Changes:
    """An import's files to write and the year's old plan files to remove (only with ``replace``).

    :raises ConfigError: the year has a plan and ``replace`` is not given.
    """
    old = current_plan_files(ws, year)
    if old and not replace:
        raise ConfigError(f"{relative(old[0].parent, ws.root)} already holds the {year} plan; "
                          "use --force to replace it with the workbook's")
    writes = {ws.path("plans") / Path(rel).relative_to("plans"): text.encode("utf-8") for rel, text in files.items()}
    return writes, [p for p in old if p not in writes]


def workbook_changes(ws: Workspace) -> Changes:
    """Every year's plan files turned into ``plans/<year>/plan-<year>.xlsx`` (``docgen init --excel``)."""
    writes: dict[Path, bytes] = {}
    removals: list[Path] = []
    for folder in sorted(p for p in ws.path("plans").iterdir() if p.is_dir() and p.name.isdigit()):
        year = int(folder.name)
        writes[folder / f"plan-{year}.xlsx"] = export_plan(ws, year)
        removals += current_plan_files(ws, year)
    return writes, removals


def _read_book(path: Path, name: str) -> dict[str, list[_Row]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:
        raise DataError("", [Problem(name, None, "", f"not a readable .xlsx workbook ({e})")]) from None
    out: dict[str, list[_Row]] = {}
    for sheet_name, columns in SHEETS.items():
        if sheet_name not in book.sheetnames:
            out[sheet_name] = []
            continue
        sheet = book[sheet_name]
        header = [fold(c.value) for c in sheet[1]]
        letters: dict[str, str] = {}
        for column in columns:
            if fold(column.header) in header:
                letters[column.key] = sheet.cell(1, header.index(fold(column.header)) + 1).column_letter
        rows = []
        for cells in sheet.iter_rows(min_row=2):
            if all(blank(c.value) for c in cells):
                continue
            values = {}
            for column in columns:
                if column.key in letters:
                    cell = sheet[f"{letters[column.key]}{cells[0].row}"]
                    values[column.key] = _value(cell.value, column.kind)
            rows.append(_Row(values, _Line(sheet_name, cells[0].row, letters)))
        out[sheet_name] = rows
    return out


def _value(value: Any, kind: str) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str) and kind != "text":
        value = value.strip()  # text keeps its line breaks: Markdown's trailing newline is part of it
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if kind == "list":
        return [v for v in _LIST_SPLIT.split(str(value)) if v]
    if kind in ("money", "weight") and isinstance(value, float):
        return Decimal(repr(value))
    if kind == "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _year(sheets: dict[str, list[_Row]], name: str) -> int:
    years = [r.values.get("year") for r in sheets["公司"] if r.values.get("year") is not None]
    if not years or not isinstance(years[0], int):
        raise DataError("", [Problem(f"{name}:公司!A2", None, "year", "give the plan's year (年度), e.g. 2026")])
    return years[0]


def _plan_texts(ws: Workspace, sheets: dict[str, list[_Row]], year: int) -> tuple[dict[str, str], dict[str, _Emitter]]:
    regions = _region_ids(ws)
    emitters: dict[str, _Emitter] = {}
    company = _Emitter()
    emitters[f"plans/{year}/company.yaml"] = company
    for row in sheets["公司"][:1]:
        v, o = row.values, row.origin
        company.add(f"year: {year}", o)
        for key in ("currency", "task", "target", "quantity", "market_capacity", "quantity_decimals"):
            if v.get(key) is not None:
                company.add(f"{key}: {_yaml(v[key])}", o)
        if v.get("ledger_unit") is not None or v.get("ledger_in_plan_unit") is not None:
            ledger = {"unit": v.get("ledger_unit"), "in_plan_unit": v.get("ledger_in_plan_unit")}
            company.add(f"ledger_quantity: {_yaml(ledger)}", o)
        if v.get("fiscal_start") is not None or v.get("fiscal_end") is not None:
            company.add(f"fiscal_year: {{start: {_yaml(v.get('fiscal_start'))}, end: {_yaml(v.get('fiscal_end'))}}}", o)
    _records(company, "channels", sheets["通路"], lambda v: v)
    _phases(company, [r for r in sheets["階段與任務"] if fold(r.values.get("region")) == fold(COMPANY)])
    _emit_sections(company, sheets, lambda scope: blank(scope) or fold(scope) == fold(COMPANY))
    by_region: dict[str, list[_Row]] = {}
    for row in sheets["區域"]:
        rid = regions.get(fold(row.values.get("region")), row.values.get("region"))
        by_region.setdefault(str(rid), []).append(row)
    for rid, rows in by_region.items():
        out = _Emitter()
        emitters[f"plans/{year}/regions/{rid}.yaml"] = out
        v, o = rows[0].values, rows[0].origin
        out.add(f"region: {_yaml(rid)}", o)
        for key in ("provinces", "cities", "manager", "office", "task", "target", "quantity", "monthly_quantity",
                    "market_capacity"):
            if v.get(key) is not None:
                out.add(f"{key}: {_yaml(v[key])}", o)
        if v.get("start") is not None or v.get("end") is not None:
            out.add("period: " + _yaml({k: v[k] for k in ("start", "end") if v.get(k) is not None}), o)
        activity = {k: v[k] for _, k in _ACTIVITY if v.get(k) is not None}
        if activity:
            out.add(f"activity: {_yaml(activity)}", o)
        new = {k: v[f"new_{k}"] for k in ("monthly", "yearly") if v.get(f"new_{k}") is not None}
        if new:
            out.add(f"new_customers: {_yaml(new)}", o)
        mine = _scoped(regions, rid)
        weights = [r for r in sheets["季節係數"] if mine(r.values.get("region"))]
        if weights:
            w = {int(m): weights[0].values[str(m)] for m in range(1, 13) if weights[0].values.get(str(m)) is not None}
            out.add(f"seasonality: {_yaml(w)}", weights[0].origin)
        seasons = [r for r in sheets["淡旺季"] if mine(r.values.get("region"))]
        if seasons:
            out.add("seasons:", None)
            for r in seasons:
                months = [int(m) if str(m).isdigit() else m for m in r.values.get("months") or []]
                out.add(f"  {_yaml(r.values.get('season'))}: {_yaml(months)}", r.origin)
        _records(out, "channels", [r for r in sheets["通路定額"] if mine(r.values.get("region"))],
                 lambda v: {k: x for k, x in v.items() if k != "region"})
        targets = [r for r in sheets["工作目標"] if mine(r.values.get("region"))]
        _records(out, "people", [r for r in sheets["人員"] if mine(r.values.get("region"))],
                 _person_with(targets))
        by_role: dict[str, list[_Row]] = {}
        for t in targets:
            if t.values.get("person") is None:
                by_role.setdefault(str(t.values.get("role")), []).append(t)
        if by_role:
            out.add("role_targets:", None)
            for role, rows in by_role.items():
                out.add(f"  {_yaml(role)}:", rows[0].origin)
                for row in rows:
                    out.add(f"    - {_yaml(_own_target(row.values))}", row.origin)
        _phases(out, [r for r in sheets["階段與任務"] if mine(r.values.get("region"))])
        _emit_sections(out, sheets, mine)
    customers = _customer_csv(sheets["客戶"])
    emitters[f"plans/{year}/customers/customers.csv"] = customers
    return {path: e.text() for path, e in emitters.items()}, emitters


def _unplaced(ws: Workspace, sheets: dict[str, list[_Row]], name: str) -> list[Problem]:
    """A row whose 區域 or 範圍 names no declared region (or 全公司) would belong to no plan file."""
    regions = _region_ids(ws)
    known = ", ".join([COMPANY] + [r.name for r in ws.config.regions])
    problems = []
    for sheet, rows in sheets.items():
        for row in rows:
            for key, company_ok in (("region", sheet == "階段與任務"), ("scope", True)):  # company phases
                if key not in row.origin.letters:
                    continue
                value = row.values.get(key)
                if company_ok and (blank(value) or fold(value) == fold(COMPANY)):
                    continue
                if blank(value) or fold(value) not in regions:
                    where = f"{name}:{sheet}!{row.origin.letters[key]}{row.origin.row}"
                    expected = known if company_ok else known.removeprefix(COMPANY + ", ")
                    problems.append(Problem(where, None, key, f"unknown region {value!r}: expected one of {expected}"))
    return problems


def _region_ids(ws: Workspace) -> dict[str, str]:
    return {fold(key): r.id for r in ws.config.regions for key in (r.id, r.name)}


def _scoped(regions: dict[str, str], rid: str) -> Callable[[Any], bool]:
    return lambda scope: scope is not None and regions.get(fold(scope)) == rid


def _person(v: dict[str, Any], targets: list[_Row]) -> dict[str, Any]:
    out = {k: x for k, x in v.items() if k not in {k for _, k in _ACTIVITY} | {"region"}}
    activity = {k: v[k] for _, k in _ACTIVITY if v.get(k) is not None}
    if activity:
        out["activity"] = activity
    if targets:
        out["targets"] = [_own_target(t.values) for t in targets]
    return out


def _person_with(targets: list[_Row]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A person's record with their own rows of 工作目標."""
    return lambda v: _person(v, [t for t in targets if t.values.get("person") == v.get("id")])


def _own_target(v: dict[str, Any]) -> dict[str, Any]:
    return {k: v[k] for k in ("item", "per_month", "unit") if v.get(k) is not None}


def _records(out: _Emitter, key: str, rows: list[_Row], shape: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    if not rows:
        return
    out.add(f"{key}:", None)
    for row in rows:
        out.add(f"  - {_yaml(shape(row.values))}", row.origin)


def _phases(out: _Emitter, rows: list[_Row]) -> None:
    """Rows grouped by phase (first appearance order): the phase from its first row, a task per row."""
    groups: dict[Any, list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.values.get("phase"), []).append(row)
    if not groups:
        return
    out.add("phases:", None)
    for name, members in groups.items():
        first = members[0]
        v = first.values
        out.add(f"  - name: {_yaml(name)}", first.origin)
        for key, field in (("phase_start", "start"), ("phase_end", "end"), ("phase_owner", "owner"), ("goal", "goal")):
            if v.get(key) is not None:
                out.add(f"    {field}: {_yaml(v[key])}", first.origin)
        tasks = [r for r in members if any(r.values.get(k) is not None for k in _TASK_KEYS)]
        if tasks:
            out.add("    tasks:", None)
        for row in tasks:
            out.add(f"      - {_yaml({k: row.values.get(k) for k in _TASK_KEYS})}", row.origin)


_TASK_KEYS = ("date", "start", "end", "time", "title", "owner", "detail")


def _emit_sections(out: _Emitter, sheets: dict[str, list[_Row]], mine: Callable[[Any], bool]) -> None:
    """Training, budget, measures, narrative and SWOT rows of one scope (the company or a region)."""
    def scoped(sheet: str) -> list[_Row]:
        return [r for r in sheets[sheet] if mine(r.values.get("scope"))]

    strip = lambda v: {k: x for k, x in v.items() if k != "scope"}  # noqa: E731 - one use per sheet
    _records(out, "training", scoped("培訓"), strip)
    _records(out, "budget", scoped("預算"), strip)
    _records(out, "measures", scoped("措施"), strip)
    _records(out, "competitors", scoped("競爭對手"), strip)
    narrative = scoped("文字")
    if narrative:
        out.add("narrative:", None)
        for row in narrative:
            out.add(f"  {_yaml(row.values.get('title'))}: {_yaml(row.values.get('text'))}", row.origin)
    swot = scoped("SWOT")
    if swot:
        out.add("swot:", None)
        kinds = {fold(label): key for key, label in _SWOT_KINDS.items()}
        for key in _SWOT_KINDS:
            items = [r for r in swot if kinds.get(fold(r.values.get("kind"))) == key]
            if items:
                out.add(f"  {key}:", None)
                for row in items:
                    out.add(f"    - {_yaml(row.values.get('text'))}", row.origin)
        for row in swot:
            if kinds.get(fold(row.values.get("kind"))) is None:
                out.add(f"  {_yaml(row.values.get('kind'))}: []", row.origin)  # the loader names the bad kind


def _customer_csv(rows: list[_Row]) -> _Emitter:
    import csv

    out = _Emitter()
    columns = SHEETS["客戶"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([c.header for c in columns])
    out.add(buffer.getvalue().rstrip("\n"), rows[0].origin if rows else None)
    for row in rows:
        buffer = io.StringIO()
        cells = [_csv_cell(row.values.get(c.key), c.kind) for c in columns]
        csv.writer(buffer, lineterminator="\n").writerow(cells)
        out.add(buffer.getvalue().rstrip("\n"), row.origin)
    return out


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).replace("\n", " ")


def _yaml(value: Any) -> str:
    """One value in YAML flow style on one line (strings JSON-quoted, which YAML reads as they are)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k if isinstance(k, int) or _PLAIN_KEY.match(k) else _yaml(k)}: {_yaml(v)}"
                               for k, v in value.items() if v is not None) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _load_elsewhere(ws: Workspace, year: int, files: dict[str, str],
                    strict: bool = False) -> tuple[Plan | None, list[Problem]]:
    """Load the plan files in a scratch workspace (this workspace's config): the plan and every problem."""
    with tempfile.TemporaryDirectory(prefix="docgen-import-") as scratch:
        root = Path(scratch)
        (root / CONFIG_NAME).write_bytes((ws.root / CONFIG_NAME).read_bytes())
        plans = root / Path(ws.path("plans")).relative_to(ws.root)
        for rel, text in files.items():
            target = plans / Path(rel).relative_to("plans")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return load_plan(Workspace.open(root), year, strict)


def book_in(folder: Path) -> Path | None:
    """The plan workbook placed in a year's plan folder (``plans/2026/plan-2026.xlsx``), if any."""
    books = sorted(p for p in folder.glob("*.xlsx") if p.stem != "customers" and not p.name.startswith("~$"))
    return books[0] if books else None


def load_book(ws: Workspace, year: int, book: Path, strict: bool = False) -> tuple[Plan | None, list[Problem]]:
    """The plan of a workbook in ``plans/<year>/``, every problem and record located at its cell."""
    name = relative(book, ws.root)
    others = [p for p in current_plan_files(ws, year) if p != book]
    if others:
        return None, [Problem(name, None, "", f"{relative(others[0], ws.root)} is a plan file too: keep the "
                                              "plan in the workbook or in the files, not both")]
    try:
        sheets = _read_book(book, name)
        found_year = _year(sheets, name)
    except DataError as e:
        return None, e.problems
    if found_year != year:
        return None, [Problem(f"{name}:公司!A2", None, "year", f"year {found_year} does not match the folder {year}")]
    unplaced = _unplaced(ws, sheets, name)
    if unplaced:
        return None, unplaced
    files, origins = _plan_texts(ws, sheets, year)
    plan, problems = _load_elsewhere(ws, year, files, strict)
    if plan is not None:
        for record in (plan.company, *plan.regions, *plan.customers):
            _relocate(record, origins, name)
    return plan, [_locate(p, origins, name) for p in problems]


def _relocate(obj: Any, origins: dict[str, _Emitter], name: str) -> None:
    """Point every record at its workbook row instead of the scratch file it was loaded from."""
    if isinstance(obj, Record):
        where = obj.where
        emitter = origins.get(where.file)
        origin = emitter.origin.get(where.line) if emitter and where.line is not None else None
        if origin is not None:
            obj._where = Where(f"{name}:{origin.sheet}!A{origin.row}", None, where.field)
            obj._field_lines = {}
        for field_name in type(obj).model_fields:
            _relocate(getattr(obj, field_name), origins, name)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _relocate(item, origins, name)
    elif isinstance(obj, dict):
        for item in obj.values():
            _relocate(item, origins, name)


def _locate(problem: Problem, origins: dict[str, _Emitter], name: str) -> Problem:
    """The problem at the workbook cell its value came from (``name:Sheet!C12``)."""
    emitter = origins.get(problem.file)
    origin = emitter.origin.get(problem.line) if emitter and problem.line is not None else None
    if origin is None:
        return Problem(name, None, problem.field, problem.message, problem.severity)
    key = re.split(r"[.\[]", problem.field.rsplit(".", 1)[-1])[0] if problem.field else ""
    key = _CUSTOMER_KEYS.get(problem.column or "", key) if origin.sheet == "客戶" else key
    letter = origin.letters.get(key) or origin.letters.get(_FIELD_KEYS.get((origin.sheet, key), ""), "A")
    return Problem(f"{name}:{origin.sheet}!{letter}{origin.row}", None, problem.field, problem.message,
                   problem.severity)


_CUSTOMER_KEYS = {c.header: c.key for c in SHEETS["客戶"]}
# plan-file field names that are another key in the sheet
_FIELD_KEYS = {("階段與任務", "name"): "phase", ("區域", "period"): "start", ("公司", "fiscal_year"): "fiscal_start"}
