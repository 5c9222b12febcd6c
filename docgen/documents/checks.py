"""The checks of the plan data that both the documents and ``docgen validate`` report.

A warning a document prints and the same warning ``validate`` prints come from one function here,
which both call down into (documents and validate never import each other): the plan's arithmetic
(:func:`plan_checks`: channel quotas against units × rate × months, the month's quantity × months
against the year's, personal quotas against the region's task, a region whose task nobody carries,
competitors' shares above the whole market)
and the ``appraisal:`` settings of docgen.yaml (:func:`appraisal_problems`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from docgen.data.plan import Competitor, Plan, RegionPlan
from docgen.documents.figures import RegionTargets, all_targets
from docgen.documents.planning import money
from docgen.documents.volume_figures import all_volumes, quantity_unit
from docgen.errors import Problem
from docgen.plan.appraisal import AppraisalSettings
from docgen.plan.channels import Channel, check_channels, check_monthly_vs_annual
from docgen.plan.competitors import share_total_warning
from docgen.plan.quantities import check_parts
from docgen.workspace import Workspace


@dataclass(frozen=True)
class ChannelRow:
    """One channel's quota as the plan states it and as units × rate × months computes it."""

    name: str
    units: str          # 3家
    rate: Decimal       # per unit per month, 元
    rate_basis: str     # 每人每月
    months: int
    computed: Decimal   # units × rate × months, 元
    stated: Decimal | None
    difference: Decimal | None   # stated − computed
    note: str


@dataclass(frozen=True)
class ChannelTable:
    """A region's channel quotas, their totals against the period target, and the warnings."""

    region: str
    rows: tuple[ChannelRow, ...]
    computed_total: Decimal
    planned_total: Decimal
    period_target: Decimal
    warnings: tuple[str, ...]


def channel_table(ws: Workspace, plan: Plan, region: RegionPlan, region_name: str,
                  targets: RegionTargets) -> ChannelTable | None:
    """The region's channel quotas recomputed (units × rate × months) and checked against the period target."""
    if not region.channels:
        return None
    unit = money(ws)
    months = len(targets.months)
    names = {c.id: c.name for c in plan.company.channels}
    channels = [Channel(names.get(q.channel, q.channel), q.units, unit.scaled(q.rate), None,
                        None if q.quota is None else unit.scaled(q.quota), q.unit or "") for q in region.channels]
    check = check_channels(channels, unit.scaled(targets.basis), months, unit.word)
    rows = []
    for q, c in zip(region.channels, channels, strict=True):
        computed = q.units * q.rate * months
        rows.append(ChannelRow(c.name, f"{q.units}{q.unit or ''}", q.rate, q.rate_basis or "每月", months,
                               computed, q.quota, None if q.quota is None else q.quota - computed, q.note or ""))
    return ChannelTable(region_name, tuple(rows), unit.base(check.computed_total), unit.base(check.planned_total),
                        unit.base(check.period_target), check.warnings)


@dataclass(frozen=True)
class PlanCheck:
    """A warning about the plan's arithmetic: the region it is about, the field, the text (which names the region)."""

    region: str | None  # None: company.yaml
    field: str
    text: str


def plan_checks(ws: Workspace, plan: Plan, every: dict[str, RegionTargets] | None = None) -> list[PlanCheck]:
    """Every warning the plan documents print about the plan's arithmetic, in one place: the annual
    plan prints them, ``validate`` reports them at their region file.

    Channel quotas against units × rate × months, the month's quantity × months against the
    year's, personal quotas against the region's task, a region whose task nobody carries.
    """
    every = every if every is not None else all_targets(plan, money(ws).quantum)
    names = {r.id: r.name for r in ws.config.regions}
    checks = []
    for r in plan.regions:
        name = names.get(r.region, r.region)
        table = channel_table(ws, plan, r, name, every[r.region])
        checks += [PlanCheck(r.region, "channels", f"{name}渠道定額：{w}") for w in (table.warnings if table else ())]
        if r.monthly_quantity is not None and r.quantity is not None and r.monthly_quantity.unit == r.quantity.unit:
            text = check_monthly_vs_annual(r.monthly_quantity.value, r.quantity.value, len(r.period.months),
                                           r.quantity.unit)
            if text:
                checks.append(PlanCheck(r.region, "monthly_quantity", f"{name}：{text}"))
        checks += [PlanCheck(r.region, "people", f"{name}：{w}") for w in every[r.region].warnings]
    return checks + competitor_checks(plan, names) + volume_checks(plan, names)


def competitor_checks(plan: Plan, names: dict[str, str]) -> list[PlanCheck]:
    """Competitors' market shares adding up to more than the market: the company's list, and each
    region's own list (which replaces the company's in the region's annual plan)."""
    lists: list[tuple[str | None, str, list[Competitor]]] = [(None, "全公司", plan.company.competitors)]
    lists += [(r.region, names.get(r.region, r.region), r.competitors) for r in plan.regions if r.competitors]
    return [PlanCheck(region, "competitors", f"{name}：{warning}") for region, name, competitors in lists
            if (warning := share_total_warning(c.share for c in competitors)) is not None]


def volume_checks(plan: Plan, names: dict[str, str]) -> list[PlanCheck]:
    """The channels' quantities against their region's, and the regions' against the company's stated
    quantity (region ``None``: the company).  Both numbers shown, nothing corrected."""
    volumes = all_volumes(plan)
    unit = quantity_unit(plan) or ""
    checks: list[PlanCheck] = []
    for region_id, volume in volumes.items():
        stated = [q.quantity.value for q in plan.region(region_id).channels if q.quantity is not None]
        text = check_parts("各渠道數量定額合計", sum(stated, Decimal(0)), "期間數量", volume.split.basis, unit)
        if stated and text:
            checks.append(PlanCheck(region_id, "channels", f"{names.get(region_id, region_id)}：{text}"))
    company = plan.company.quantity
    if company is not None and volumes:
        total = sum((v.split.basis for v in volumes.values()), Decimal(0))
        text = check_parts("各區域數量合計", total, "全公司數量目標", company.value, unit)
        if text:
            checks.append(PlanCheck(None, "quantity", f"全公司：{text}"))
    return checks


def arithmetic_warnings(ws: Workspace, plan: Plan) -> list[Problem]:
    """:func:`plan_checks` located at the data they come from, a region's or the company's (for ``validate``)."""
    regions = {r.region: r for r in plan.regions}
    return [(plan.company if c.region is None else regions[c.region]).problem(c.text, field=c.field, severity="warning")
            for c in plan_checks(ws, plan)]


def appraisal_problems(ws: Workspace) -> tuple[AppraisalSettings | None, list[Problem]]:
    """``appraisal:`` of docgen.yaml, as the workspace checked it where it is written (file, line, field)."""
    return ws.appraisal()
