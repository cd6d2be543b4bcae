"""The monthly attendance report (考勤月报): per agent, per team and for the project, as rows for
the page, as an xlsx workbook and as a PDF.

Pure over `sheet.month_rows` output: the figures are `sheet.figures` (so the report, the KPIs
and the dashboard never disagree), plus what only a report shows — minutes late and early, and
leave days by kind. Names come in from the caller, already masked for a client login; where they
are, the employee-number column is left out too. The files are the core's `to_xlsx` and `to_pdf`
of the same tables, so a name that looks like a formula is quoted in the workbook.
"""

from __future__ import annotations

from floorwalker.core import N_, Table, to_pdf, to_xlsx, translate

from .requests import LEAVE_TITLES, leave_title
from .sheet import figures

CONCLUDED = ("present", "absent", "on_leave")
# An agent-day's state (`days.STATES`) in the words every page uses (floor_macros.html).
STATE_TITLES = {"in": N_("In"), "late": N_("Late"), "not_in": N_("Not in yet"), "due": N_("Not started"),
                "absent": N_("Absent"), "on_leave": N_("On leave"), "rest": N_("Rest")}
# A day still running that has begun: the day sheet lists it, the figures wait for it to close.
RUNNING = ("in", "late", "not_in")
EXCUSE_TITLES = {"pending": N_("Waiting"), "accepted": N_("Accepted"), "rejected": N_("Rejected")}
# (key, header) of the summary sheet; rates are percentages, minutes whole minutes.
SUMMARY_COLUMNS = (
    ("due", N_("Days due")), ("present", N_("Present")), ("absent", N_("Absent")),
    ("late", N_("Times late")), ("late_minutes", N_("Minutes late")),
    ("early", N_("Times left early")), ("early_minutes", N_("Minutes early")),
    ("on_leave", N_("Days on leave")), ("worked_minutes", N_("Worked minutes")),
    ("scheduled_minutes", N_("Scheduled minutes")), ("adherence", N_("Schedule adherence")),
    ("attendance_rate", N_("Attendance rate")), ("punctuality", N_("Punctuality")),
)
RATES = ("adherence", "attendance_rate", "punctuality")
DAY_COLUMNS = (
    N_("Date"), N_("Employee no."), N_("Name"), N_("Team"), N_("Shift"), N_("Status"),
    N_("Check-in"), N_("Check-out"), N_("Minutes late"), N_("Minutes early"), N_("Worked minutes"),
    N_("Scheduled minutes"), N_("Leave"), N_("Missing punch"), N_("Disciplinary"), N_("Excuse"),
)


def summary(rows: list[dict]) -> dict:
    """The figures of *rows* (any agent-days; rest and still-open days are left out), with the
    minutes late and early and the days on leave by kind."""
    done = [r for r in rows if r["status"] in CONCLUDED]
    present = [r for r in done if r["status"] == "present"]
    leave: dict[str, int] = {}
    for r in done:
        if r["status"] == "on_leave":
            kind = r.get("leave_kind") or "other"
            leave[kind] = leave.get(kind, 0) + 1
    return {**figures(done), "late_minutes": sum(r["late"] for r in present),
            "early_minutes": sum(r["early"] for r in present), "leave": leave}


def monthly(rows: list[dict], names: dict[str, str], teams: dict[str, str]) -> dict:
    """The month's report: a line per agent (their team is that of their latest day), a line per
    team, the project's line, and the leave kinds that occur (the columns of "on leave by kind")."""
    by_agent: dict[str, list[dict]] = {}
    for r in rows:
        by_agent.setdefault(r["agent"], []).append(r)
    agents = []
    for number, days in sorted(by_agent.items()):
        team = max(days, key=lambda r: r["date"])["team"]
        agents.append({"agent": number, "name": names.get(number, number), "team": team,
                       "team_name": teams.get(team, team), **summary(days)})
    by_team: dict[str, list[dict]] = {}
    for r in rows:
        by_team.setdefault(r["team"], []).append(r)
    team_lines = [{"team": t, "team_name": teams.get(t, t), **summary(days)}
                  for t, days in sorted(by_team.items())]
    kinds = sorted({k for line in agents for k in line["leave"]})
    running: dict[str, int] = {}
    for r in rows:
        if r["status"] == "scheduled" and r["state"] in RUNNING:
            running[r["state"]] = running.get(r["state"], 0) + 1
    return {"agents": agents, "teams": team_lines, "project": summary(rows), "kinds": kinds,
            "running": running, "states": [s for s in RUNNING if s in running]}


def state_title(row: dict, locale: str) -> str:
    """The day's state as every page says it: "Late 21 min", "Not in yet", "On leave" …"""
    if row["state"] == "late":
        return translate(N_("Late {minutes} min"), locale, minutes=row["late"])
    return translate(STATE_TITLES[row["state"]], locale)


def workbook(report: dict, days: list[dict], names: dict[str, str], teams: dict[str, str],
             month: str, locale: str, numbers: bool = True) -> bytes:
    """The report as an xlsx file: the summary sheet and the sheet of days (`summary_table`,
    `days_table`)."""
    return to_xlsx([summary_table(report, month, locale, numbers),
                    days_table(days, names, teams, locale, numbers)])


def document(report: dict, month: str, locale: str, title: str, numbers: bool = True) -> bytes:
    """The report as a PDF headed *title*: the summary table, as the page shows it."""
    return to_pdf(summary_table(report, month, locale, numbers), title=title, locale=locale)


def summary_table(report: dict, month: str, locale: str, numbers: bool = True) -> Table:
    """Agents, then teams, then the project, one line each, under the month's title; without
    *numbers* there is no employee-number column (a client who may not see names may not see
    who is behind them either)."""

    def _(msgid: str, **params) -> str:
        return translate(msgid, locale, **params)

    lead = [_(N_("Employee no."))] if numbers else []
    header = lead + [_(N_("Name")), _(N_("Team"))]
    header += [_(title) + (" %" if key in RATES else "") for key, title in SUMMARY_COLUMNS]
    header += [_(N_("Leave: {kind}"), kind=_(LEAVE_TITLES.get(k, k))) for k in report["kinds"]]

    def line(number: str, cells: list, figures_of: dict) -> list:
        return (([number] if numbers else []) + cells
                + [figures_of[key] for key, _title in SUMMARY_COLUMNS]
                + [figures_of["leave"].get(k, 0) for k in report["kinds"]])

    rows = [line(a["agent"], [a["name"], a["team_name"]], a) for a in report["agents"]]
    rows += [line("", [_(N_("Team total")), t["team_name"]], t) for t in report["teams"]]
    rows.append(line("", [_(N_("Project total")), ""], report["project"]))
    return Table(month, header, rows, fixed_columns=len(lead) + 2)


def days_table(days: list[dict], names: dict[str, str], teams: dict[str, str], locale: str,
               numbers: bool = True) -> Table:
    """Each agent-day of *days* that has concluded or begun, by date and agent, with its state
    as the pages show it; without *numbers* as above."""

    def _(msgid: str, **params) -> str:
        return translate(msgid, locale, **params)

    header = [_(title) for title in DAY_COLUMNS if numbers or title != "Employee no."]
    rows = []
    for r in sorted(days, key=lambda r: (r["date"], r["agent"])):
        if r["status"] not in CONCLUDED and r["state"] not in RUNNING:
            continue
        excuse = r["note"].get("excuse", {}).get("status")
        rows.append([r["date"], *([r["agent"]] if numbers else []),
                     names.get(r["agent"], r["agent"] if numbers else ""),
                     teams.get(r["team"], r["team"]), r["shift"], state_title(r, locale),
                     _clock(r.get("check_in")), _clock(r.get("check_out")), r.get("late") or 0,
                     r.get("early") or 0, r.get("worked") or 0, r["scheduled_minutes"],
                     _(leave_title(r["leave_kind"])) if r.get("leave_kind") else "",
                     _(N_("yes")) if r.get("missing_punch") else "",
                     _(N_("yes")) if r.get("disciplinary") else "",
                     _(EXCUSE_TITLES[excuse]) if excuse else ""])
    return Table(_(N_("Days")), header, rows, fixed_columns=2)


def _clock(moment) -> str:
    return moment.strftime("%H:%M") if moment else ""
