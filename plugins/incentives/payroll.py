"""The pay-float sheet of a closed month, for payroll: one row per agent with score, grade,
pay float, stepped rewards and flags, as rows or as an xlsx file.

Payroll's own flags (`pay_flags`), from the rulebook's 注意事项, for those who see pay only (the
system flags, people decide): resigned within ``resign_after_start_months`` of starting work
after training (the hire date: the first day on the floor) — no salary settlement; resigned
later but within the ``probation_months`` — half a month's pay as the training fee; grade A in
a month of probation — may apply for early confirmation (转正). A leaver's flag is on the month
of leaving.

Only a closed month is exported: an open month's figures can still change, and payroll must
not pay from them. Headings are in the reader's language; the file is made by the core's
`to_xlsx`, which quotes text cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import calendar
import datetime as dt

from floorwalker.core import N_, Conflict, Table, to_xlsx

from .boards import stepped_rewards
from .settings import in_effect

COLUMNS = (("number", "Employee no.", "工号"), ("name", "Name", "姓名"), ("team", "Team", "班组"),
           ("total", "Score", "考核分"), ("grade", "Grade", "等级"),
           ("employment_month", "Month of employment", "入职第几月"),
           ("pay_float", "Pay float", "绩效浮动"), ("rewards", "Stepped rewards", "阶梯奖励"),
           ("flags", "Flags", "提示"), ("position", "Position", "岗位"))
FLAG_TITLES = {"dismissal_review": ("Dismissal review", "辞退评审"),
               "dismissal_conduct": ("Dismissal-level conduct", "辞退级违纪"),
               "award_faulted": ("Best of the month beside a violation", "本月最佳与违规并存"),
               "no_settlement": ("Resigned soon after starting work: no salary settlement",
                                 "上岗后一个月内辞职：不结算工资"),
               "training_fee": ("Resigned in probation: half a month's pay as training fee",
                                "试用期内辞职：需交半个月工资作为培训费"),
               "early_confirmation": ("Excellent in probation: may apply for early confirmation",
                                      "试用期表现优异：可申请提前转正")}


POSITIONS = {"agent": ("Agent", "坐席"), "team_leader": ("Team leader", "班长")}


def pick(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale.startswith("zh") else pair[0]


def months_after(day: str, months: int) -> str:
    """The date *months* months after *day* (the last day of a shorter month)."""
    date = dt.date.fromisoformat(day)
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(date.day, last)).isoformat()


def probation_flags(person: dict, month: str, grade: str | None, settings: dict) -> list[str]:
    """Payroll's flags of *person*'s *month* (see the module's docstring): pure."""
    hired, left = person["hired"], person.get("left_on")
    if left and left[:7] == month and person.get("leave_reason") == "resigned":
        if left < months_after(hired, settings["resign_after_start_months"]):
            return ["no_settlement"]
        if left < months_after(hired, settings["probation_months"]):
            return ["training_fee"]
        return []
    in_probation = f"{month}-01" < months_after(hired, settings["probation_months"]) and month >= hired[:7]
    if grade == "A" and in_probation and not (left and left[:7] <= month):
        return ["early_confirmation"]
    return []


def pay_flags(fw, project: dict, month: str, rows: list[dict]) -> dict[str, list[str]]:
    """Payroll's flags of the sheet *rows* of *month*, by agent number (only those flagged)."""
    settings = in_effect(fw, project, month)
    found = {}
    for row in rows:
        flags = probation_flags(fw.agents.get(row["number"]), month, row.get("grade"), settings)
        if flags:
            found[row["number"]] = flags
    return found


def pay_rows(fw, project: str, month: str) -> list[dict]:
    """The month's rows for payroll; refused while the month is open."""
    if month not in fw.store.closed_months(project):
        raise Conflict(N_("pay is exported from a closed month; close {month} first"), month=month)
    rows = fw.ledger.sheet(project, month)
    project_doc = fw.projects.get(project)
    settings = in_effect(fw, project_doc, month)
    earned = stepped_rewards(settings["stepped_rewards"], rows)
    # the team leaders' months float their pay by the same settings: paid from the same sheet
    leaders = fw.ledger.sheet(project, month, leaders=True)
    rows += leaders
    flagged = pay_flags(fw, project_doc, month, rows)
    position = {r["number"]: POSITIONS["team_leader"] for r in leaders}
    return [{"number": r["number"], "name": r["name"], "team": r["team_name"] or r["team"] or "",
             "position": position.get(r["number"], POSITIONS["agent"]),
             "total": r["total"], "grade": r.get("grade"), "employment_month": r.get("employment_month"),
             "pay_float": r.get("pay_float"),
             "rewards": sum(e["amount"] for e in earned.get(r["number"], ())),
             "flags": list(r.get("flags") or ()) + flagged.get(r["number"], [])} for r in rows]


def workbook(rows: list[dict], month: str, locale: str) -> bytes:
    """*rows* (of `pay_rows`) as an xlsx sheet named after the month, flags in words."""
    cells = []
    for row in rows:
        flags = ", ".join(pick(FLAG_TITLES.get(f, (f, f)), locale) for f in row["flags"])
        cells.append([flags if key == "flags" else pick(row.get(key) or POSITIONS["agent"], locale) if key == "position"
                      else row.get(key) for key, *_ in COLUMNS])
    columns = [(key, pick(titles, locale)) for key, *titles in COLUMNS]
    return to_xlsx(Table(month, columns, cells, fixed_columns=2))
