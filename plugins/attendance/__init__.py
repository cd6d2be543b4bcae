"""Attendance (考勤): shifts and the roster, punches, leave, swaps, the handover log, and the score
events they cause.

The modules, from the rules outwards:

* `days`, `requests`, `calendar` — pure rules: an agent-day from a shift and punches, the leave
  and swap regulations, the holiday calendar;
* `config` — the per-project settings with the domain's defaults, and the install's calendar;
* `roster`, `punches`, `leave`, `swaps`, `handover` — the records, kept through the store;
* `sheet` — the month's derived days, settled into the ledger, with excuses and leaders' marks;
* `importers`, `pages`, `commands`, `demo` — files, web pages, the command line and demo data.

The score rules it writes (``late_or_early``, ``absent``, ``away_over_5min``,
``handover_log_missing``, ``covered_shift``) are in the core catalogue: they are the centre's
regulations whether or not a project tracks attendance here.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import KPI, AgentSection, Blocker, NavItem, Widget, hookimpl

from . import leave, roster, sheet, swaps
from .config import NAME, SETTINGS, local_now


@hookimpl
def register_settings():
    return SETTINGS


@hookimpl
def register_actions():
    from .actions import ACTIONS
    return ACTIONS


@hookimpl
def register_routes():
    from .pages import ROUTES
    return ROUTES


@hookimpl
def register_commands(cli):
    from .commands import attendance
    cli.add_command(attendance)


@hookimpl
def register_importers():
    from .importers import IMPORTERS
    return IMPORTERS


@hookimpl
def nav_items(project, user):
    roles = set(user.get("roles") or ())
    if roles <= {"agent"}:
        return [NavItem(NAME, "My attendance", "我的考勤", f"{NAME}/mine", order=20)]
    if roles <= {"client"}:
        return [NavItem(NAME, "Attendance report", "考勤月报", f"{NAME}/report", order=20)]
    return [NavItem(NAME, "Attendance", "考勤", f"{NAME}/", order=20)]


def _concluded(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["status"] not in ("scheduled", "rest")]


@hookimpl
def project_kpis(floorwalker, project, period):
    settings = floorwalker.projects.settings(project, NAME)
    figures = sheet.figures(_concluded(sheet.month_rows(floorwalker, project, period)))
    return [
        KPI(NAME, "attendance_rate", "Attendance rate", "出勤率", figures["attendance_rate"], "%",
            settings["attendance_target"]),
        KPI(NAME, "punctuality", "Punctuality", "准时率", figures["punctuality"], "%",
            settings["punctuality_target"]),
        KPI(NAME, "absences", "Absences", "旷工次数", figures["absent"], "", None, higher_is_better=False),
        KPI(NAME, "adherence", "Schedule adherence", "排班遵从率", figures["adherence"], "%"),
        KPI(NAME, "leave_days", "Leave days", "请假天数",
            round(sum(sheet.leave_days_by_kind(floorwalker, project["slug"], period).values()), 2), "",
            None, higher_is_better=False),
    ]


@hookimpl
def period_blockers(floorwalker, project, period):
    slug = project["slug"]
    rows = sheet.month_rows(floorwalker, project, period)
    found = []
    waiting_leave = [r for r in leave.waiting(floorwalker, slug) if r["date"][:7] <= period <= r["last"][:7]]
    if waiting_leave:
        found.append(Blocker(NAME, "Leave requests waiting for approval", "待审批的请假申请",
                             len(waiting_leave), f"/p/{slug}/{NAME}/approvals"))
    waiting_swaps = [s for s in swaps.waiting(floorwalker, slug) if s["date"][:7] == period]
    if waiting_swaps:
        found.append(Blocker(NAME, "Shift swaps waiting for a decision", "待处理的换班申请",
                             len(waiting_swaps), f"/p/{slug}/{NAME}/approvals"))
    open_exceptions = sheet.exceptions(rows)
    if open_exceptions:
        found.append(Blocker(NAME, "Punch exceptions not resolved", "未处理的打卡异常",
                             len(open_exceptions), f"/p/{slug}/{NAME}/exceptions?month={period}"))
    excuses = sheet.pending_excuses(rows)
    if excuses:
        found.append(Blocker(NAME, "Excuses waiting for a decision", "待处理的考勤说明",
                             len(excuses), f"/p/{slug}/{NAME}/approvals"))
    return found


@hookimpl
def on_period_closing(floorwalker, project, period, user):
    """The month's last derived days reach the ledger before it locks."""
    sheet.settle(floorwalker, project, period, user["username"] if user else "system")


@hookimpl
def dashboard_widgets(floorwalker, project, period, user):
    today = local_now(project).date()
    rows = sheet.derive(floorwalker, project, today, today)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    month_rows = _concluded(sheet.month_rows(floorwalker, project, period))
    return [Widget(NAME, "Attendance", "考勤", f"{NAME}/widget.html",
                   {"today": today.isoformat(), "counts": counts,
                    "figures": sheet.figures(month_rows), "url": f"/p/{project['slug']}/{NAME}/"},
                   order=20)]


@hookimpl
def agent_sections(floorwalker, project, agent, period):
    rows = sheet.month_rows(floorwalker, project, period, agents={agent["number"]})
    if not rows:
        return []
    return [AgentSection(NAME, "Attendance", "考勤", f"{NAME}/agent_section.html",
                         {"rows": rows, "figures": sheet.figures(_concluded(rows)),
                          "marks": [m for m in sheet.marks(floorwalker, project["slug"], period)
                                    if m["agent"] == agent["number"]],
                          "url": f"/p/{project['slug']}/{NAME}/agents/{agent['number']}?month={period}"},
                         order=30)]


@hookimpl
def evidence_links(project, events):
    """A day's event opens the agent's attendance month at that day; a leader's mark, the
    month's marks."""
    base = f"/p/{project['slug']}/{NAME}"
    links = {}
    for event in events:
        parts = (event.get("evidence") or "").split(":")
        if event.get("source") != NAME or len(parts) < 3 or parts[0] != NAME:
            continue
        if parts[1] == "day" and len(parts) == 4:
            links[event["id"]] = f"{base}/agents/{parts[2]}?month={parts[3][:7]}#day-{parts[3]}"
        elif parts[1] == "mark":
            links[event["id"]] = f"{base}/marks?month={event['date'][:7]}#mark-{parts[2]}"
    return links


@hookimpl
def on_agent_created(floorwalker, project, agent, user):
    """A new agent gets the team's weekly pattern for the rest of the month they start in."""
    assignment = floorwalker.agents.assignment_on(agent["number"], max(agent["hired"], _today(project)))
    if assignment is None or roster.pattern(floorwalker, project["slug"], assignment["team"]) is None:
        return
    first = max(agent["hired"], _today(project))
    last = roster.month_dates(first[:7])[-1].isoformat()
    roster.apply_pattern(floorwalker, project["slug"], assignment["team"], first, last,
                         user["username"] if user else "system", only=agent["number"])


@hookimpl
def on_agent_left(floorwalker, project, agent, date, user):
    """A leaver's shifts after the last day are dropped from the roster."""
    after = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()
    roster.drop_from(floorwalker, project["slug"], agent["number"], after,
                     user["username"] if user else "system")


@hookimpl
def on_agent_moved(floorwalker, project, agent, assignment, previous, user):
    """Leaving a project drops the shifts there from the move on; a new team's pattern is
    applied to the rest of that month. *project* is the project moved to, so the one left is
    ``previous["project"]``."""
    actor = user["username"] if user else "system"
    if previous and previous["project"] != assignment["project"]:
        roster.drop_from(floorwalker, previous["project"], agent["number"], assignment["start"], actor)
    if assignment["project"] == project["slug"] and roster.pattern(
            floorwalker, project["slug"], assignment["team"]) is not None:
        last = roster.month_dates(assignment["start"][:7])[-1].isoformat()
        roster.apply_pattern(floorwalker, project["slug"], assignment["team"], assignment["start"],
                             last, actor, overwrite=True, only=agent["number"])


@hookimpl
def demo_data(floorwalker, project, months, rng, actor, today):
    """The floor stands at the project's clock when the demo is built for today (the server's
    date may be a day off the floor's time zone), else — a demo of another day, as tests
    build — at 18:00 of that day, so a seed gives the same floor."""
    from .demo import build
    now = local_now(project)
    if abs((now.date() - today).days) > 1:
        now = dt.datetime.combine(today, dt.time(18, 0))
    build(floorwalker, project, months, rng, actor, now)


def _today(project: dict) -> str:
    return local_now(project).date().isoformat()

