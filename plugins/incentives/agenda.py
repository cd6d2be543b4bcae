"""What incentives offers a meeting's agenda (the platform's `agenda_items`, issue 15 item 5): for
the monthly all-agent meeting, the month's score sheet in short — how many agents in each grade,
the average score and the lowest (with whose it is), per team too.

Never pay: the agenda is read by whoever sees the meeting (a team leader among them), so the pay
float, the money and anything derived from them stay out, whoever drafts it. The month is the
meeting's; before the 25th it is the score so far.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import AgendaItem

from . import settings
from .grades import GRADES, grade


def items(fw, project: dict, meeting: dict, day: dt.date) -> list[AgendaItem]:
    if (meeting or {}).get("kind") != "monthly":
        return []
    month = day.isoformat()[:7]
    rows = fw.ledger.sheet(project["slug"], month, columns=False)
    if not rows:
        return []
    bands = settings.in_effect(fw, project, month)["grade_bands"]
    counts = {letter: 0 for letter in GRADES}
    for row in rows:
        counts[grade(row["total"], bands)] += 1
    lowest = min(rows, key=lambda r: (r["total"], r["number"]))
    teams: dict[str, list[float]] = {}
    for row in rows:
        teams.setdefault(row.get("team_name") or "", []).append(row["total"])
    return [AgendaItem("The month's score sheet", "本月考核分汇总", "incentives/agenda_month.html",
                       {"month": month, "n": len(rows), "grades": counts,
                        "average": round(sum(r["total"] for r in rows) / len(rows), 1),
                        "lowest": {"name": lowest["name"], "total": lowest["total"]},
                        "teams": [{"team": team, "n": len(totals), "average": round(sum(totals) / len(totals), 1),
                                   "lowest": min(totals)} for team, totals in sorted(teams.items())]},
                       order=5)]
