"""``charter``: 市場部職能與工作計畫 (seed 篇11), one per company."""
from __future__ import annotations

import datetime as dt

from docgen.data.charter import Charter, Department, load_charter
from docgen.data.yamlsrc import load_yaml
from docgen.documents import DocumentType, Prepared, Target, parse_period, register
from docgen.errors import data_error
from docgen.plan.fiscal import FiscalYear
from docgen.render.charts import OrgNode, org_chart
from docgen.workspace import Workspace

CHARTER_FILE = "charter.yaml"


def org_tree(charter: Charter) -> OrgNode:
    """The departments as a tree by reporting line, 市場部 highlighted."""
    children: dict[str | None, list[Department]] = {}
    for d in charter.departments:
        children.setdefault(d.reports_to, []).append(d)

    def node(d: Department) -> OrgNode:
        return OrgNode(d.name, tuple(node(c) for c in children.get(d.id, [])),
                       highlight=d.name == charter.department)

    return node(children[None][0])


def charter_context(charter: Charter) -> dict:
    """The template context: the charter itself plus derived figures."""
    return {
        "charter": charter,
        "headcount": sum(p.headcount for p in charter.positions),
        "partners": [d for d in charter.departments if d.role and d.name != charter.department],
    }


@register
class CharterDocument(DocumentType):
    id = "charter"
    title = "市場部職能與工作計畫"
    template = "charter.html.j2"
    scope = "company"
    period_kind = "year"

    def prepare(self, ws: Workspace, target: Target) -> Prepared:
        path = ws.path("plans") / CHARTER_FILE
        charter, problems = load_charter(path, ws.root, ws.config.limits)
        if charter is None:
            raise data_error(problems, CHARTER_FILE)
        year, _ = parse_period(target.period)
        if charter.year is not None and charter.year != year:  # one year in the title, another in the text
            where = load_yaml(path, ws.root)
            raise data_error([where.problem(("year",), f"the charter is for {charter.year}, not {year}: render it with "
                                                       f"--period {charter.year}, or change year to {year}")],
                             CHARTER_FILE)
        return Prepared(
            title=f"{charter.department}職能與工作計畫",
            context=charter_context(charter),
            pictures=[org_chart("orgchart", org_tree(charter))],
            inputs=[path],
            created=dt.date(year, 1, 1),
            period_label=FiscalYear(year, ws.config.fiscal_year_start).title,
        )
