"""What attendance puts on a home page (`home_panels`): today, as the floor page counts it.

- Whoever runs the project (supervisor, director, admin, QA …): today's floor counted by state
  (in, late, not yet in, absent, on leave), a link to the floor where they may open it.
- A team leader (who holds no manager's role): the agents of the teams they lead today, by
  state, with their names: who is in, who is late and by how much, who is not in yet, who is on
  leave.
- An agent login: its shift today and its state, and its leave and swap requests of this month
  and the next with their answers (who decided, and why a refusal).
- A client login: nothing. The floor is the BPO's own.

Every state comes from `sheet.floor_rows`, the one source of an agent-day's state at a moment,
so the home says what the floor, the punches and the agent's own page say. Only today is read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from floorwalker.core import SUPERVISORS, Widget

from . import leave, sheet, swaps
from . import roster as rosters
from .actions import OWN, VIEW
from .config import NAME
from .days import STATES
from .requests import leave_title

RECENT_REQUESTS = 8  # an agent's home lists its latest requests; the requests pages list them all


def panels(fw, project: dict, user: dict) -> list[Widget]:
    roles = set(user.get("roles") or ())
    if roles <= {"client"}:
        return []
    if roles <= {"agent"}:
        return _agent_panel(fw, project, user)
    if not fw.access.can(user, VIEW, project):
        return []
    slug = project["slug"]
    floor = f"/p/{slug}/{NAME}/"
    led = {t.split(".", 1)[1] for t in user.get("teams") or () if t.startswith(f"{slug}.")}
    if led and not roles & set(SUPERVISORS):
        rows = sheet.floor_rows(fw, project)
        return [_team_panel(fw, project, [r for r in rows if r["team"] in led], floor)]
    rows = _floor_from_month(fw, project)
    return [Widget(NAME, "Today's floor", "今日现场", f"{NAME}/home_floor.html",
                   {"counts": Counter(r["state"] for r in rows), "order": STATES, "url": floor},
                   order=10)]


def _floor_from_month(fw, project: dict) -> list[dict]:
    """`sheet.floor_rows`, read from the month's derivation where yesterday is in this month: the
    home asks a manager's projects for their month's figures too, which derive the same month at
    the same minute, so the floor costs nothing more (two derivations a project would outrun
    what `sheet.derive` keeps for a director of many projects)."""
    now = fw.projects.now(project).replace(second=0, microsecond=0)
    today = now.date()
    yesterday = today - dt.timedelta(days=1)
    if yesterday.month != today.month:
        return sheet.floor_rows(fw, project, now)
    day, before = today.isoformat(), yesterday.isoformat()
    return [r for r in sheet.month_rows(fw, project, day[:7], now)
            if r["date"] == day or (r["date"] == before and r["status"] == "scheduled" and r["end"] > now)]


def _team_panel(fw, project: dict, rows: list[dict], floor: str) -> Widget:
    """The leader's teams today, each agent once (a night shift still running comes first)."""
    today = fw.projects.today(project).isoformat()
    names = {a["number"]: a["name"] for a, _ in fw.agents.in_project(project["slug"], today)}
    agents = sorted(({**r, "name": names.get(r["agent"], r["agent"])} for r in rows if r["state"] != "rest"),
                    key=lambda r: (STATES.index(r["state"]), r["agent"]))
    _name_shifts(fw, project["slug"], agents)
    return Widget(NAME, "My team today", "本班组今日", f"{NAME}/home_team.html",
                  {"rows": agents, "counts": Counter(r["state"] for r in rows), "order": STATES,
                   "url": floor}, order=10)


def _agent_panel(fw, project: dict, user: dict) -> list[Widget]:
    number, slug = user.get("agent"), project["slug"]
    if not number or not fw.access.can(user, OWN, project, {"agent": number}):
        return []
    now = fw.projects.now(project)
    today = now.date()
    mine = [r for r in sheet.derive(fw, project, today - dt.timedelta(days=1), today, agents={number})
            if r["date"] == today.isoformat() or (r["status"] == "scheduled" and r["end"] > now)]
    _name_shifts(fw, slug, mine)
    months = [today.isoformat()[:7], (today.replace(day=28) + dt.timedelta(days=4)).isoformat()[:7]]
    asked = [{**r, "what": "leave"} for m in months for r in leave.month_requests(fw, slug, m)
             if r["agent"] == number]
    asked += [{**s, "what": "swap"} for m in months for s in swaps.month_swaps(fw, slug, m)
              if number in (s["first"]["agent"], s["second"]["agent"])]
    asked.sort(key=lambda r: r.get("asked_at") or r.get("created_at") or "", reverse=True)
    for r in asked:
        r["kind_title"] = leave_title(r.get("kind", ""))
        r["decider"] = fw.users.display_name(r.get("decided_by"), user.get("locale", "en")) \
            if r.get("decided_by") else ""
    base = f"/p/{slug}/{NAME}"
    return [Widget(NAME, "My day", "我的今日", f"{NAME}/home_agent.html",
                   {"days": mine, "requests": asked[:RECENT_REQUESTS], "base": base}, order=10)]


def _name_shifts(fw, slug: str, rows: list[dict]) -> None:
    """Each row's shift by its name (早班), not its code."""
    known = rosters.shifts(fw, slug)
    for row in rows:
        shift = known.get(row["shift"]) if row["shift"] else None
        row["shift_name"] = shift.name if shift else ""
