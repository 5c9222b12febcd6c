"""``docgen init --blank``: the skeleton of an empty workspace, every option explained in comments.

The files are valid as they stand (``docgen validate`` passes), so a user fills them in step by step.
"""
from __future__ import annotations

import datetime as dt

CONFIG = """\
# docgen workspace. Every path below is relative to this file; `docgen validate` checks it with plans/.
company: 公司名稱           # printed in every document's header
script: traditional        # traditional | simplified: labels, page footer and the CJK font
unit: 萬元                 # display unit for money: 元 | 萬元
currency: CNY
year: {year}                 # the plan year commands use when no --period is given
fiscal_year_start: 1       # the month the fiscal year starts (8: plans/{year}/ runs from {year}-08 to the July after)
formats: [docx, pdf, html] # what `docgen render` / `docgen build` write unless --format says otherwise
prepared_by: 市場部
# font: Noto Sans CJK SC   # a CJK font family fontconfig knows (`docgen doctor` checks it)

paths:
  plans: plans             # the plan data (YAML, CSV, XLSX)
  templates: plans/templates   # this workspace's own template overrides (optional)
  regions: regions         # regions/<id>/templates/ holds a region's templates, style.css and reference.docx
  ledgers: ledgers         # month-end sales ledgers and visit logs: ledgers/<YYYY-MM>/sales.csv, visits.csv
  output: output

# The regions; each has plans/{year}/regions/<id>.yaml and plans/{year}/customers/<id>.csv.
regions: []
# regions:
#   - {{id: south, name: 華南區}}

calendar:
  holidays: []             # company holidays on top of China's public holidays, e.g. {year}-07-01
  workdays: []             # extra working days (a Saturday stock-take …)
"""

COMPANY = """\
# {year} 年度計畫：公司層面。金額可寫 1092萬、7.5萬，或直接寫數字（元）。
# 各區域的目標、人員在 regions/<區域>.yaml；客戶名單在 customers/。`docgen schema --kind company` 列出所有欄位。
year: {year}
currency: CNY
fiscal_year: {{start: {year}-01-01, end: {year}-12-31}}
# channels:
#   - {{id: stores, name: 直營店, unit: 家}}
# narrative:
#   公司現狀分析: |
#     ……
"""

CHARTER = """\
# 市場部職能與工作計畫 (the marketing-department charter): `docgen render charter`. Text may use Markdown.
department: 市場部
year: {year}
summary: |
  （市場部職能：一段說明。）
roles: []                    # 市場部作用, e.g. - 直接對總經理負責……
departments:                 # the org chart: each department and whom it reports to
  - {{id: gm, name: 總經理}}
  - {{id: marketing, name: 市場部, reports_to: gm}}
positions: []                # - {{title: 市場部經理, headcount: 1, reports_to: 總經理, duties: [……]}}
standards: []                # - {{name: 科學性, meaning: ……}}
duties: []                   # 市場部工作職能
focus: []                    # - {{title: ……, detail: ……}}
training: []                 # - {{topic: ……, audience: ……, when: ……}}
"""

README = """\
# Plan data

- `{year}/company.yaml`: the year's plan for the whole company.
- `{year}/regions/<id>.yaml`: one file per region in docgen.yaml (task, target, people, phases).
- `{year}/customers/<id>.csv`: each region's customer list.
- `charter.yaml`: the marketing department's charter (`docgen render charter`).

`docgen init --force DIR` (without --blank) writes the example company's data to copy from.
"""


def skeleton(year: int | None = None) -> dict[str, str]:
    """The blank workspace's files: relative path → text (folders end in ``/``)."""
    year = year or dt.date.today().year
    return {
        "docgen.yaml": CONFIG.format(year=year),
        f"plans/{year}/company.yaml": COMPANY.format(year=year),
        "plans/README.md": README.format(year=year),
        "plans/charter.yaml": CHARTER.format(year=year),
        f"plans/{year}/regions/": "",
        f"plans/{year}/customers/": "",
        "ledgers/": "",
    }
