"""Load ``plans/<year>/``: its YAML files, its customer list (CSV or XLSX) and the cross-checks between them.

:func:`load_plan` collects every problem at once (syntax, types, missing fields,
unknown keys, cross-references) and returns ``(Plan | None, problems)``.
"""
from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from docgen.data.cache import FileCache
from docgen.data.check import check, describe
from docgen.data.models import (
    CompanyPlan,
    Customer,
    Person,
    Phase,
    Plan,
    Record,
    RegionPlan,
    Rules,
    Where,
    locate,
)
from docgen.data.models import FiscalYear as StatedFiscalYear
from docgen.data.tables import fold, locate_header, merge_columns, read_table
from docgen.data.values import Quantity, serial_date
from docgen.data.yamlsrc import Source, load_yaml
from docgen.errors import DataError, Problem, relative
from docgen.plan.fiscal import FiscalYear
from docgen.workspace import CONFIG_NAME, Workspace

R = TypeVar("R", bound=Record)

# Default header names of the customer list, Traditional Chinese and English (any case; the same
# names in Simplified script match too); docgen.yaml's `columns: {field: [header, …]}` adds more.
CUSTOMER_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("編號", "客戶編號", "id"),
    "name": ("客戶名稱", "名稱", "name"),
    "region": ("區域", "region"),
    "owner": ("業務員", "負責人", "owner"),
    "type": ("類型", "客戶類型", "type"),
    "city": ("城市", "city"),
    "status": ("狀態", "status"),
    "last_year_sales": ("去年銷售額", "last_year_sales"),
    "tier": ("等級", "客戶等級", "tier"),
    "monthly_demand": ("月需求量", "月需求", "monthly_demand"),
    "days_to_close": ("預計成交天數", "days_to_close"),
    "last_visit": ("上次拜訪", "最近拜訪", "last_visit"),
    "contact": ("聯繫人", "contact"),
    "phone": ("電話", "phone"),
    "note": ("備註", "note"),
}
_TEXT_FIELDS = {"id", "name", "region", "owner", "type", "city", "contact", "phone", "note"}


def load_plan(ws: Workspace, year: int, strict: bool = False,
              partial: bool = False) -> tuple[Plan | None, list[Problem]]:
    """Load and cross-check ``plans/<year>/``; return the plan (``None`` on any error) and every problem.

    ``partial``: return the plan as far as it loaded even with errors (the records that failed
    left out), so ``validate`` can still report the arithmetic warnings of the rest.

    Unknown keys and columns are warnings, errors with ``strict``.  The result is kept per
    process while the files it read are unchanged (:mod:`docgen.data.cache`), so a batch of
    documents for one year loads the plan once; the plan is immutable, so sharing is safe.
    """
    plan, problems = _PLANS.get((ws.root, year, strict), plan_files(ws, year), lambda: _load(ws, year, strict))
    return (None if not partial and any(p.is_error for p in problems) else plan), list(problems)


# a batch works on one year; a fiscal year across December reads the next year's plan too
_PLANS: FileCache[tuple[Path, int, bool], tuple[Plan | None, tuple[Problem, ...]]] = FileCache(entries=2)


def plan_files(ws: Workspace, year: int) -> list[Path]:
    """The files a year's plan is read from: ``docgen.yaml`` and every file under ``plans/<year>/``."""
    files = [ws.root / CONFIG_NAME]
    folder = ws.path("plans") / str(year)
    if folder.is_dir():
        files += sorted(p for p in folder.rglob("*") if p.is_file())
    return files


def _load(ws: Workspace, year: int, strict: bool) -> tuple[Plan | None, tuple[Problem, ...]]:
    loader = _Loader(ws, year, strict)
    plan = loader.load()
    return plan, tuple(sorted(loader.problems, key=lambda p: (p.file, p.line or 0, p.field, p.message)))


class _Loader:
    def __init__(self, ws: Workspace, year: int, strict: bool) -> None:
        self.ws = ws
        self.year = year
        self.strict = strict
        self.folder = ws.path("plans") / str(year)
        self.problems: list[Problem] = []
        # a file that failed leaves its ids unknown: skip the checks that would then cascade
        self.people_known = True
        self.channels_known = True
        self.company_missing = False
        self.missing_channels: set[str] = set()   # named while company.yaml, which declares them, is absent

    def rel(self, path: Path) -> str:
        return relative(path, self.ws.root)

    def load(self) -> Plan | None:
        if not self.folder.is_dir():
            self.problems.append(Problem(self.rel(self.folder), None, "",
                                         f"no plan for {self.year}: folder not found"))
            return None
        from docgen.data.plan_workbook import book_in, load_book  # it loads its files with this loader

        if (book := book_in(self.folder)) is not None:  # the plan kept as one workbook
            plan, self.problems = load_book(self.ws, self.year, book, self.strict)
            return plan
        rules = self._rules()
        company = self._company()
        regions = self._regions()
        customers = self._customers()
        if company is None:
            self.channels_known = False
        for sections in (company, *regions):
            if sections is not None:
                self._training_months(sections)
        self._cross_check(company or CompanyPlan(), regions, customers)
        if company is None or rules is None:
            return None
        config = self.ws.config
        return Plan(
            year=self.year, company=company,
            regions=tuple(sorted(regions, key=lambda r: self._region_order(r.region))),
            customers=tuple(customers), rules=rules,
            currency=company.currency or config.currency,
            fiscal_year=(self.fiscal.first_day, self.fiscal.last_day),
        )

    # -- files ----------------------------------------------------------------------------
    def _yaml(self, path: Path) -> Source | None:
        try:
            return load_yaml(path, self.ws.root, self.ws.config.limits)
        except DataError as e:
            self.problems.extend(e.problems)
            return None

    def _model(self, model: type[R], source: Source) -> R | None:
        if not isinstance(source.data, dict):
            self.problems.append(source.problem((), f"expected a mapping, got {describe(source.data)}"))
            return None
        obj, problems = check(model, source, self.strict)
        self.problems.extend(problems)
        if obj is not None:
            locate(obj, (), source)
        return obj

    def _rules(self) -> Rules | None:
        rules, problems = self.ws.rules(self.strict)  # checked, located, when the workspace opened
        self.problems.extend(problems)
        return rules

    def _company(self) -> CompanyPlan | None:
        path = self.folder / "company.yaml"
        if not path.exists() and not path.is_symlink():
            self.company_missing = True
            return CompanyPlan()
        source = self._yaml(path)
        if source is None:
            return None
        company = self._model(CompanyPlan, source)
        if company is not None and company.year is not None and company.year != self.year:
            self.problems.append(company.problem(
                f"year {company.year} does not match the folder {self.rel(self.folder)}", "year"))
        if company is not None and company.fiscal_year is not None:
            self._check_fiscal_year(company, company.fiscal_year)
        return company

    def _check_fiscal_year(self, company: CompanyPlan, stated: StatedFiscalYear) -> None:
        """company.yaml's fiscal year is docgen.yaml's, stated again: they must agree."""
        if (stated.start, stated.end) == (self.fiscal.first_day, self.fiscal.last_day):
            return
        start = self.ws.config.fiscal_year_start
        if stated.start.day == 1 and stated.start.month != start:
            hint = f"set fiscal_year_start: {stated.start.month} in {CONFIG_NAME}"
        else:
            hint = (f"with fiscal_year_start: {start} in {CONFIG_NAME} it runs "
                    f"{self.fiscal.first_day} to {self.fiscal.last_day}")
        self.problems.append(company.problem(
            f"{stated.start} to {stated.end} is not the fiscal year {self.fiscal.label}: {hint}", "fiscal_year"))

    def _regions(self) -> list[RegionPlan]:
        regions: list[RegionPlan] = []
        seen: dict[str, RegionPlan] = {}
        folder = self.folder / "regions"
        paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
        for path in paths:
            source = self._yaml(path)
            if source is not None and isinstance(source.data, dict):
                source = _with_people_region(source)
            region = self._model(RegionPlan, source) if source is not None else None
            if region is None:
                self.people_known = False
                continue
            if region.region in seen:
                self.problems.append(region.problem(
                    f"region {region.region!r} is already planned in {seen[region.region].where}",
                    "region"))
                continue
            if path.stem != region.region:
                self.problems.append(region.problem(
                    f"the file is named {path.name} but plans region {region.region!r}",
                    "region", "warning"))
            seen[region.region] = region
            regions.append(region)
            self._fiscal_months(region)
        for i, declared in enumerate(self.ws.config.regions):
            if declared.id not in seen and self.people_known:
                self.problems.append(self.ws.source.problem(
                    ("regions", i), f"no plan for region {declared.id!r} in {self.year} "
                                    f"(add {self.rel(folder / (declared.id + '.yaml'))})", "warning"))
        return regions

    @cached_property
    def fiscal(self) -> FiscalYear:
        return FiscalYear(self.year, self.ws.config.fiscal_year_start)

    def _fiscal_months(self, region: RegionPlan) -> None:
        """Give the region's period its fiscal year, and check it runs forward in it."""
        region.period._first_month = self.fiscal.start_month
        start, end = region.period.start, region.period.end
        try:
            self.fiscal.span(start or self.fiscal.numbers[0], end or self.fiscal.numbers[-1])
        except ValueError as e:
            self.problems.append(region.problem(str(e), "period"))

    def _training_months(self, sections: CompanyPlan | RegionPlan) -> None:
        """A training month written with its year (``2027-01``) must be that month of this fiscal year."""
        for training in sections.training:
            if training.month is None or training._stated_year is None:
                continue
            year, month = self.fiscal.month(training.month)
            if training._stated_year != year:
                self.problems.append(training.problem(
                    f"{training._stated_year}-{training.month:02d} is not in the fiscal year {self.fiscal.label} "
                    f"({self.fiscal.period_text}); its {training.month}月 is {year}-{month:02d}", "month"))

    def _customers(self) -> list[Customer]:
        folder = self.folder / "customers"
        paths = [p for name in ("customers.csv", "customers.xlsx") if (p := self.folder / name).is_file()]
        if folder.is_dir():
            paths += sorted(p for p in folder.iterdir()
                            if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith("~$"))
        headers = self._headers()
        customers: list[Customer] = []
        for path in paths:
            customers += self._table(path, headers)
        return customers

    def _headers(self) -> dict[str, tuple[str, ...]]:
        """Field → accepted headers: docgen.yaml's ``columns`` first, then the defaults.

        ``columns`` may also name other tables' fields (ledgers, visit logs): keys that are
        not customer fields are left to them.
        """
        return merge_columns(CUSTOMER_COLUMNS, self.ws.config.columns)

    def _table(self, path: Path, headers: dict[str, tuple[str, ...]]) -> list[Customer]:
        name = self.rel(path)
        required = [f for f, info in Customer.model_fields.items() if info.is_required()]
        try:
            rows = read_table(path, self.ws.root, name, self.ws.config.limits, headers)
        except DataError as e:
            self.problems.extend(e.problems)
            return []
        if not any(any(c not in (None, "") for c in cells) for _, cells in rows):
            self.problems.append(Problem(name, 1, "", "the file is empty: expected a header row and a "
                                                      "row per customer (delete the file if it has none)",
                                         "warning"))
            return []
        table, problems = locate_header(rows, name, headers, required)
        self.problems += problems
        if table is None:
            return []
        ignored = "" if self.strict else " (ignored)"
        self.problems += [Problem(name, table.header_row, "", "unknown column" + ignored,
                                  "error" if self.strict else "warning", header) for header in table.unknown]
        self.problems += [Problem(name, table.header_row, "", f"a second column for {field}", "error", header)
                          for field, header in table.repeated]
        columns, index = table.header, table.index
        customers = []
        for line, cells in table.lines:
            data = {}
            for field, i in index.items():
                value = cells[i] if i < len(cells) else None
                value = _cell(value, field)
                if value is not None:
                    data[field] = value
            if not data:
                continue
            if isinstance(data.get("region"), str):
                data["region"] = self._region_id(data["region"])
            source = Source(name, data, {(): line, **{(f,): line for f in Customer.model_fields}})
            customer, problems = check(Customer, source, self.strict)
            self.problems.extend(replace(p, column=columns.get(p.field)) for p in problems)
            if customer is None:
                continue
            customer._where = Where(name, line, "")
            customer._field_lines = {f: line for f in Customer.model_fields}
            customer._columns = dict(columns)
            customers.append(customer)
        return customers

    # -- cross-references -----------------------------------------------------------------------
    def _region_id(self, text: str) -> str:
        text = text.strip()
        return self._region_keys.get(fold(text), text)

    @cached_property
    def _region_keys(self) -> dict[str, str]:
        """Each region's id and name, in either script (华南区 is 華南區) → its id."""
        return {fold(key): r.id for r in self.ws.config.regions for key in (r.id, r.name)}

    def _region_order(self, region_id: str) -> int:
        ids = [r.id for r in self.ws.config.regions]
        return ids.index(region_id) if region_id in ids else len(ids)

    def _cross_check(self, company: CompanyPlan, regions: list[RegionPlan],
                     customers: list[Customer]) -> None:
        declared = [r.id for r in self.ws.config.regions]
        declared_text = ", ".join(declared) or "none"
        _duplicates([(c.id, c) for c in company.channels], "channel id", "id", self.problems)
        people: dict[str, Person] = {}
        for region in regions:
            if region.region not in declared:
                self.problems.append(region.problem(
                    f"region {region.region!r} is not declared in {CONFIG_NAME} "
                    f"(declared: {declared_text})", "region"))
            for person in region.people:
                if person.region != region.region:
                    self.problems.append(person.problem(
                        f"{person.region!r} is not this file's region {region.region!r}; "
                        f"list the person in that region's file", "region"))
                if person.id in people:
                    self.problems.append(person.problem(
                        f"person id {person.id!r} is used twice (first at {people[person.id].where})",
                        "id"))
                else:
                    people[person.id] = person
        for region in regions:
            self._check_region(region, people, company)
        self._check_phases(company.phases, people)
        self.problems += _quantity_units(company, regions)
        if self.missing_channels:  # one cause, one message: not one per channel named
            self.problems.append(Problem(
                self.rel(self.folder / "company.yaml"), None, "",
                f"file not found: the regions name channels ({', '.join(sorted(self.missing_channels))}) "
                "that it declares"))
        _duplicates([(c.id, c) for c in customers], "customer id", "id", self.problems)
        unplanned = self._unplanned_regions(regions, customers)
        for customer in customers:
            if customer.region not in unplanned:
                self._check_customer(customer, people, declared_text)

    def _unplanned_regions(self, regions: list[RegionPlan], customers: list[Customer]) -> set[str]:
        """Declared regions that have customers but no plan file: one message for the missing file,
        not one per customer whose salesperson it would list."""
        planned = {r.region for r in regions}
        declared = {r.id for r in self.ws.config.regions}
        missing: dict[str, list[Customer]] = {}
        for c in customers:
            path = self.folder / "regions" / f"{c.region}.yaml"
            if c.region in declared and c.region not in planned and not path.exists() and not path.is_symlink():
                missing.setdefault(c.region, []).append(c)
        for region, listed in missing.items():
            self.problems.append(Problem(
                self.rel(self.folder / "regions" / f"{region}.yaml"), None, "",
                f"file not found: {len(listed)} customers of region {region!r} need its plan "
                f"(the first at {listed[0].where})"))
        return set(missing)

    def _person_ref(self, record: Record, field: str, person_id: str | None,
                    people: dict[str, Person]) -> None:
        if person_id is not None and person_id not in people and self.people_known:
            self.problems.append(record.problem(
                f"no person with id {person_id!r} in the {self.year} plan", field))

    def _check_phases(self, phases: list[Phase], people: dict[str, Person]) -> None:
        """A region's or the company's phases: owners are people of the plan, tasks lie in their phase."""
        for phase in phases:
            self._person_ref(phase, "owner", phase.owner, people)
            for task in phase.tasks:
                self._person_ref(task, "owner", task.owner, people)
                for field in ("date", "start", "end"):
                    day = getattr(task, field)
                    if day is not None and not phase.start <= day <= phase.end:
                        self.problems.append(task.problem(
                            f"{day} is outside the phase {phase.name} ({phase.start} to {phase.end})",
                            field))

    def _check_region(self, region: RegionPlan, people: dict[str, Person],
                      company: CompanyPlan) -> None:
        channels = [c.id for c in company.channels]

        def channel_ref(record: Record, channel_id: str | None) -> None:
            if channel_id is not None and self.company_missing:
                self.missing_channels.add(channel_id)
            elif channel_id is not None and channel_id not in channels and self.channels_known:
                self.problems.append(record.problem(
                    f"no channel {channel_id!r} in company.yaml "
                    f"(channels: {', '.join(channels) or 'none'})", "channel"))

        self._person_ref(region, "manager", region.manager, people)
        for person in region.people:
            channel_ref(person, person.channel)
        for quota in region.channels:
            channel_ref(quota, quota.channel)
        _duplicates([(q.channel, q) for q in region.channels], "channel", "channel", self.problems)
        self._check_phases(region.phases, people)
        if region.seasonality:
            for month in region.period.months:
                if month not in region.seasonality:
                    self.problems.append(region.problem(
                        f"no weight for month {month} of the period "
                        f"{region.period.start}–{region.period.end}月", "seasonality"))

    def _check_customer(self, customer: Customer, people: dict[str, Person], declared_text: str) -> None:
        declared = [r.id for r in self.ws.config.regions]
        if customer.region not in declared:
            self.problems.append(customer.problem(
                f"region {customer.region!r} is not declared in {CONFIG_NAME} "
                f"(declared: {declared_text})", "region"))
        owner = people.get(customer.owner)
        if owner is None:
            self._person_ref(customer, "owner", customer.owner, people)
        elif owner.region != customer.region and customer.region in declared:
            self.problems.append(customer.problem(
                f"owner {customer.owner!r} works in region {owner.region!r}, not {customer.region!r}",
                "owner", "warning"))
        if customer.status == "prospect":
            lacking = [f for f in ("monthly_demand", "days_to_close") if getattr(customer, f) is None]
            if lacking:
                self.problems.append(customer.problem(
                    f"prospect without {' and '.join(lacking)}: it cannot be placed in the quadrant",
                    None, "warning"))


def _duplicates(items: list[tuple[str, Record]], what: str, field: str,
                problems: list[Problem]) -> None:
    """A problem for each key seen before, pointing at the first."""
    first: dict[str, Record] = {}
    for key, record in items:
        if key in first:
            problems.append(record.problem(f"{what} {key!r} is used twice (first at {first[key].where})",
                                           field))
        else:
            first[key] = record


def _quantity_units(company: CompanyPlan, regions: list[RegionPlan]) -> list[Problem]:
    """One quantity unit per plan: every target quantity in the unit of the first one given."""
    stated: list[tuple[Record, str, Quantity]] = []
    if company.quantity is not None:
        stated.append((company, "quantity", company.quantity))
    for region in regions:
        records: list[Record] = [region, *region.people, *region.channels]
        for record in records:
            for field in ("quantity", "monthly_quantity"):
                value = getattr(record, field, None)
                if isinstance(value, Quantity):
                    stated.append((record, field, value))
    if not stated:
        return []
    first, first_field, unit = stated[0][0], stated[0][1], stated[0][2].unit
    where = first.problem("", first_field)
    return [record.problem(f"unit {q.unit} differs from the plan's quantity unit {unit} "
                           f"({where.file}:{where.line}); one plan counts in one unit", field)
            for record, field, q in stated[1:] if q.unit != unit]


def _with_people_region(source: Source) -> Source:
    """Give each person the file's region (the people of a region file belong to it)."""
    region = source.data.get("region")
    people = source.data.get("people")
    if not isinstance(region, str) or not isinstance(people, list):
        return source
    data = dict(source.data)
    data["people"] = [({**p, "region": region} if isinstance(p, dict) and "region" not in p else p)
                      for p in people]
    return Source(source.file, data, source.lines)


def _cell(value: Any, field: str) -> Any:
    """A cell as the model wants it: blanks are absent, numbers in text columns become text."""
    if isinstance(value, str):
        value = value.strip()
        return (serial_date(value) if field == "last_visit" else value) or None
    if value is None:
        return None
    if field == "last_visit":
        return serial_date(value)
    if field in _TEXT_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value
