"""What incentives puts on a home page (`home_panels`): an agent login's own grade of the month
and its own pay float (an agent sees its own pay, nobody else's; a client never). Staff read
grades and pay from the dashboard's figures and the sheets instead.

Only the agent's own row of the core's sheet is read (the core keeps the sheet per file
generation); the grade and the pay float are worked out with the settings in effect for the
month, as the sheet's columns are.
"""

from __future__ import annotations

from floorwalker.core import Widget

from .grades import employment_month, grade, pay_float
from .settings import NAME, in_effect


def panels(fw, project: dict, user: dict) -> list[Widget]:
    number = user.get("agent")
    if not number or not set(user.get("roles") or ()) <= {"agent"}:
        return []
    month = fw.projects.today(project).isoformat()[:7]
    row = next((r for r in fw.ledger.sheet(project["slug"], month, columns=False)
                if r["number"] == number), None)
    if row is None:
        return []
    settings = in_effect(fw, project, month)
    employed = employment_month(row["hired"], month)
    return [Widget(NAME, "My grade", "我的等级", f"{NAME}/home_agent.html",
                   {"grade": grade(row["total"], settings["grade_bands"]),
                    "pay_float": pay_float(row["total"], employed, settings),
                    "employed": employed, "pay_from": settings["pay_from_month"]}, order=5)]
