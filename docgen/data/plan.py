"""The year's plan data, as one import: the models (:mod:`docgen.data.models`), the value parsers
(:mod:`docgen.data.values`) and :func:`load_plan` (:mod:`docgen.data.loading`).

Money is :class:`~decimal.Decimal` in 元; every record remembers its file, line and field.
"""
from __future__ import annotations

from docgen.data.loading import CUSTOMER_COLUMNS, load_plan
from docgen.data.models import (
    Activity,
    BudgetLine,
    Channel,
    ChannelQuota,
    CompanyPlan,
    Competitor,
    CountTarget,
    Customer,
    LedgerQuantity,
    Measure,
    MonthSpan,
    OwnTarget,
    Person,
    Phase,
    Plan,
    Record,
    RegionPlan,
    Rules,
    Swot,
    Task,
    Training,
    Where,
)
from docgen.data.values import TIERS, Quantity, parse_date, parse_money

__all__ = [
    "CUSTOMER_COLUMNS",
    "TIERS",
    "Activity",
    "BudgetLine",
    "Channel",
    "ChannelQuota",
    "CompanyPlan",
    "Competitor",
    "CountTarget",
    "Customer",
    "LedgerQuantity",
    "Measure",
    "MonthSpan",
    "OwnTarget",
    "Person",
    "Phase",
    "Plan",
    "Quantity",
    "Record",
    "RegionPlan",
    "Rules",
    "Swot",
    "Task",
    "Training",
    "Where",
    "load_plan",
    "parse_date",
    "parse_money",
]
