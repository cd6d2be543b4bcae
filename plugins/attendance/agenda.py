"""What attendance offers a meeting's agenda (the platform's `agenda_items`, issue 15 item 5).

- Morning briefing (``briefing``): yesterday's figures — attendance rate, late, absent, on leave,
  with who was late or absent — and today: who is on approved leave, who is not in, the swaps
  worked today.
- Weekly team meeting (``weekly``): last week's (Monday to Sunday before the meeting's week)
  attendance per team.
- Shift handover (``handover``): the shifts running at the meeting's time or starting within
  `HANDOVER_HOURS` of it, each agent by state.

Every figure is the sheet's (`sheet.derive`, `sheet.figures`), the one source the floor, the
report and the dashboard read; agents are named by name. The meetings plugin renders and keeps
what is offered when the chair drafts the agenda.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import AgendaItem

from . import roster as rosters
from . import sheet, swaps
from .days import STATES
from .requests import leave_title

HANDOVER_HOURS = 2
NOT_THERE = ("late", "not_in", "absent", "on_leave")  # the states a briefing names


def items(fw, project: dict, meeting: dict, day: dt.date) -> list[AgendaItem]:
    kind = (meeting or {}).get("kind")
    if kind == "briefing":
        return _briefing(fw, project, day)
    if kind == "weekly":
        return _weekly(fw, project, day)
    if kind == "handover":
        return _handover(fw, project, meeting, day)
    return []


def _names(fw, slug: str, day: dt.date) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in fw.agents.in_project(slug, (day - dt.timedelta(days=7)).isoformat(),
                                                                    day.isoformat())}


def _shift_names(fw, slug: str) -> dict[str, str]:
    return {code: shift.name for code, shift in rosters.shifts(fw, slug).items()}


def _person(row: dict, names: dict, shifts: dict) -> dict:
    return {"name": names.get(row["agent"], row["agent"]), "state": row["state"], "late": row.get("late") or 0,
            "shift": shifts.get(row["shift"] or "", row["shift"] or ""),
            "leave": leave_title(row["leave_kind"]) if row.get("leave_kind") else ""}


def _briefing(fw, project: dict, day: dt.date) -> list[AgendaItem]:
    slug, now = project["slug"], fw.projects.now(project)
    yesterday = day - dt.timedelta(days=1)
    names, shifts = _names(fw, slug, day), _shift_names(fw, slug)
    rows = sheet.derive(fw, project, yesterday, day, now)
    done = [r for r in rows if r["date"] == yesterday.isoformat() and r["status"] not in ("scheduled", "rest")]
    found = []
    if done:
        figures = sheet.figures(done)
        marked = [_person(r, names, shifts) for r in done if r["status"] == "absent" or r.get("late")]
        found.append(AgendaItem("Yesterday's attendance", "昨日出勤", "attendance/agenda_yesterday.html",
                                {"figures": figures, "day": yesterday.isoformat(), "people": marked}, order=10))
    today = [_person(r, names, shifts) for r in rows if r["date"] == day.isoformat() and r["state"] in NOT_THERE]
    swapped = _swaps_on(fw, slug, day, names, shifts)
    if today or swapped:
        today.sort(key=lambda p: (STATES.index(p["state"]), p["name"]))
        found.append(AgendaItem("Today: leave, absences and swaps", "今日请假、缺勤与换班",
                                "attendance/agenda_today.html", {"people": today, "swaps": swapped,
                                                                 "day": day.isoformat()}, order=11))
    return found


def _swaps_on(fw, slug: str, day: dt.date, names: dict, shifts: dict) -> list[dict]:
    """The approved swaps with a side worked on *day*."""
    found = []
    for swap in swaps.month_swaps(fw, slug, day.isoformat()[:7]):
        sides = (swap["first"], swap["second"])
        if swap["status"] == "approved" and any(s["date"] == day.isoformat() for s in sides):
            found.append([{"name": names.get(s["agent"], s["agent"]), "date": s["date"],
                           "shift": shifts.get(s["shift"] or "", s["shift"] or "")} for s in sides])
    return found


def _weekly(fw, project: dict, day: dt.date) -> list[AgendaItem]:
    slug = project["slug"]
    first = day - dt.timedelta(days=day.weekday() + 7)
    last = first + dt.timedelta(days=6)
    rows = [r for r in sheet.derive(fw, project, first, last, fw.projects.now(project))
            if r["status"] not in ("scheduled", "rest")]
    if not rows:
        return []
    titles = {t["slug"]: t["name"] for t in fw.teams.of(slug)}
    teams = [{"team": titles.get(team, team), **figures} for team, figures in sheet.figures_by(rows, "team").items()]
    return [AgendaItem("Last week's attendance by team", "上周各班组出勤", "attendance/agenda_week.html",
                       {"teams": teams, "whole": sheet.figures(rows), "first": first.isoformat(),
                        "last": last.isoformat()}, order=10)]


def _handover(fw, project: dict, meeting: dict, day: dt.date) -> list[AgendaItem]:
    """The shifts running at the meeting's time, or starting within `HANDOVER_HOURS` after it."""
    slug = project["slug"]
    hour, minute = (int(x) for x in (meeting.get("time") or "08:00").split(":"))
    moment = dt.datetime.combine(day, dt.time(hour, minute))
    horizon = moment + dt.timedelta(hours=HANDOVER_HOURS)
    names, shifts = _names(fw, slug, day), _shift_names(fw, slug)
    rows = [r for r in sheet.derive(fw, project, day - dt.timedelta(days=1), day, fw.projects.now(project))
            if r["state"] != "rest" and r.get("start") and r["start"] <= horizon and r["end"] > moment]
    if not rows:
        return []
    groups: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda r: (r["start"], STATES.index(r["state"]), r["agent"])):
        groups.setdefault(shifts.get(row["shift"], row["shift"]), []).append(_person(row, names, shifts))
    return [AgendaItem("Attendance of the shift", "本班次出勤", "attendance/agenda_shift.html",
                       {"groups": [{"shift": s, "people": people} for s, people in groups.items()]}, order=10)]
