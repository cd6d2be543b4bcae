"""The pay-float sheet of a closed month, for payroll: one row per agent with score, grade,
pay float, stepped rewards and flags, as rows or as an xlsx file.

Only a closed month is exported: an open month's figures can still change, and payroll must
not pay from them. Headings are in the reader's language; the file is made by the core's
`to_xlsx`, which quotes text cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

from floorwalker.core import N_, Conflict, Table, to_xlsx

from .boards import stepped_rewards
from .settings import in_effect

COLUMNS = (("number", "Employee no.", "工号"), ("name", "Name", "姓名"), ("team", "Team", "班组"),
           ("total", "Score", "考核分"), ("grade", "Grade", "等级"),
           ("employment_month", "Month of employment", "入职第几月"),
           ("pay_float", "Pay float", "绩效浮动"), ("rewards", "Stepped rewards", "阶梯奖励"),
           ("flags", "Flags", "提示"))
FLAG_TITLES = {"dismissal_review": ("Dismissal review", "辞退评审"),
               "dismissal_conduct": ("Dismissal-level conduct", "辞退级违纪")}


def pick(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale.startswith("zh") else pair[0]


def pay_rows(fw, project: str, month: str) -> list[dict]:
    """The month's rows for payroll; refused while the month is open."""
    if month not in fw.store.closed_months(project):
        raise Conflict(N_("pay is exported from a closed month; close {month} first"), month=month)
    rows = fw.ledger.sheet(project, month)
    settings = in_effect(fw, fw.projects.get(project), month)
    earned = stepped_rewards(settings["stepped_rewards"], rows)
    return [{"number": r["number"], "name": r["name"], "team": r["team_name"] or r["team"] or "",
             "total": r["total"], "grade": r.get("grade"), "employment_month": r.get("employment_month"),
             "pay_float": r.get("pay_float"),
             "rewards": sum(e["amount"] for e in earned.get(r["number"], ())),
             "flags": list(r.get("flags") or ())} for r in rows]


def workbook(rows: list[dict], month: str, locale: str) -> bytes:
    """*rows* (of `pay_rows`) as an xlsx sheet named after the month, flags in words."""
    cells = []
    for row in rows:
        flags = ", ".join(pick(FLAG_TITLES.get(f, (f, f)), locale) for f in row["flags"])
        cells.append([flags if key == "flags" else row[key] for key, *_ in COLUMNS])
    columns = [(key, pick(titles, locale)) for key, *titles in COLUMNS]
    return to_xlsx(Table(month, columns, cells, fixed_columns=2))
