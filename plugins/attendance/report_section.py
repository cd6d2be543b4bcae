"""The staffing and attendance section of the client report (`report_sections`): the agent-days
the roster scheduled in the period, on leave, due, present and absent, the attendance rate,
punctuality and schedule adherence — for the project and per team.

The figures are `sheet.figures` of the concluded days, as the KPIs and the monthly report
count them; rates are shares (0.975), shown as percent. Client-safe: no agent is named (teams
and counts only), and nothing here is pay.
"""

from __future__ import annotations

from floorwalker.core import ReportSection, validate

from . import sheet
from .config import NAME

RATES = ("attendance_rate", "punctuality", "adherence")


def _shares(figures: dict) -> dict:
    """*figures* with its rates as shares (the sheet gives them in percent)."""
    return {**figures, **{k: None if figures[k] is None else figures[k] / 100 for k in RATES}}


def section(fw, project: dict, period: str, user: dict) -> list[ReportSection]:
    """The section of *period* (a month, or a week: `validate.period_bounds`)."""
    first, last = validate.period_bounds(period)
    rows = [r for r in sheet.derive(fw, project, first, last) if r["status"] not in ("scheduled", "rest")]
    teams = {t["slug"]: t["name"] for t in fw.teams.of(project["slug"])}
    whole = _shares(sheet.figures(rows))
    whole["rostered"] = whole["due"] + whole["on_leave"]
    by_team = []
    for team, figures in sheet.figures_by(rows, "team").items():
        shown = _shares(figures)
        by_team.append({"name": teams.get(team, team) or "–", **shown, "rostered": shown["due"] + shown["on_leave"]})
    context = {"first": first.isoformat(), "last": last.isoformat(), "whole": whole, "teams": by_team,
               "target": fw.projects.settings(project, NAME)["attendance_target"] / 100}
    return [ReportSection(title_en="Staffing and attendance", title_zh="人员与出勤",
                          template=f"{NAME}/report_section.html", context=context, order=20)]
