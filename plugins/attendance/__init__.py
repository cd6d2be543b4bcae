"""Attendance (考勤): shifts and the roster, punches, leave, swaps, the handover log, and the score
events they cause.

The modules, from the rules outwards:

* `days`, `requests` — pure rules: an agent-day from a shift and punches, the leave and swap
  regulations (which take the core's holiday calendar, ``floorwalker.calendar``);
* `config` — the per-project settings with the domain's defaults;
* `roster`, `punches`, `leave`, `swaps`, `handover`, `punch_requests` (补卡) — the records,
  kept through the store;
* `sheet` — the month's derived days, settled into the ledger, with excuses and leaders' marks;
* `importers`, `pages`, `commands`, `demo` — files, web pages, the command line and demo data.

The score rules it writes (``late_or_early``, ``absent``, ``away_over_5min``,
``handover_log_missing``, ``covered_shift``) are in the core catalogue: they are the centre's
regulations whether or not a project tracks attendance here. Of those it derives lateness and
absence from the punches (`derived_rules`); the others are leaders' marks.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (KPI, Absence, AgentSection, Blocker, KPIDef, NavItem, RosteredShift, Widget,
                              hookimpl, validate)

from . import evidence, leave, punch_requests, roster, sheet, swaps
from .actions import REPORT, VIEW
from .config import NAME, SETTINGS
from .days import STATES

TITLE = ("Attendance", "考勤")  # what the admin pages call this plugin


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
    from .punch_request_pages import ROUTES as PUNCH_REQUEST_ROUTES
    return [*ROUTES, *PUNCH_REQUEST_ROUTES]


@hookimpl
def register_commands(cli):
    from .commands import attendance
    from .punch_request_commands import COMMANDS
    for command in COMMANDS:
        attendance.add_command(command)
    cli.add_command(attendance)


@hookimpl
def derived_rules():
    return list(sheet.DERIVED_RULES)


@hookimpl
def register_importers():
    from .importers import IMPORTERS
    return IMPORTERS


@hookimpl
def register_endpoints():
    from .api import ENDPOINTS
    return ENDPOINTS


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


KPIS = [
    KPIDef("attendance_rate", "Attendance rate", "出勤率", "%", True, "ratio", "client"),
    KPIDef("punctuality", "Punctuality", "准时率", "%", True, "ratio", "client"),
    KPIDef("absences", "Absences", "旷工次数", "", False, "sum", "client"),
    KPIDef("adherence", "Schedule adherence", "排班遵从率", "%", True, "ratio", "client"),
    KPIDef("leave_days", "Leave days", "请假天数", "", False, "sum", "internal"),
]


@hookimpl
def register_kpis():
    return KPIS


@hookimpl
def project_kpis(floorwalker, project, period, first, last):
    """The concluded days from *first* to *last* (the month of *period* without them); each
    rate with what it counts (agent-days, minutes), so weeks add up into a month."""
    if first is None or last is None:
        first, last = (dt.date.fromisoformat(day) for day in validate.month_bounds(period))
    # a span whose every punch window has closed is derived at a fixed moment after it, so its
    # figures are kept until its files change (a client report's daily trend asks for 31 days,
    # the home for every project); a span still running, to the minute
    now = floorwalker.projects.now(project).replace(second=0, microsecond=0)
    moment = min(now, dt.datetime.combine(last + dt.timedelta(days=2), dt.time()))
    return list(floorwalker.summaries.get(f"{NAME}.kpis", (project["slug"], first, last, moment),
                                          lambda: _kpis(floorwalker, project, first, last, moment)))


def _kpis(floorwalker, project: dict, first: dt.date, last: dt.date, moment: dt.datetime) -> list[KPI]:
    settings = floorwalker.projects.settings(project, NAME)
    figures = sheet.figures(_concluded(sheet.derive(floorwalker, project, first, last, moment)))
    due, present = figures["due"], figures["present"]
    report = f"/p/{project['slug']}/{NAME}/report?month={first.isoformat()[:7]}"
    return [
        KPI(code="attendance_rate", title_en="Attendance rate", title_zh="出勤率",
            value=figures["attendance_rate"], unit="%", target=settings["attendance_target"],
            n=due, numerator=present, denominator=due, url=report),
        KPI(code="punctuality", title_en="Punctuality", title_zh="准时率",
            value=figures["punctuality"], unit="%", target=settings["punctuality_target"],
            n=present, numerator=figures["on_time"], denominator=present, url=report),
        KPI(code="absences", title_en="Absences", title_zh="旷工次数", value=figures["absent"],
            higher_is_better=False, n=due, url=report),
        KPI(code="adherence", title_en="Schedule adherence", title_zh="排班遵从率",
            value=figures["adherence"], unit="%", n=due, numerator=figures["adhered_minutes"],
            denominator=figures["scheduled_minutes"], url=report),
        KPI(code="leave_days", title_en="Leave days", title_zh="请假天数",
            value=_leave_days(floorwalker, project["slug"], first, last), higher_is_better=False,
            url=f"/p/{project['slug']}/{NAME}/leave?month={first.isoformat()[:7]}"),
    ]


def _leave_days(floorwalker, slug: str, first, last) -> float:
    """Approved leave in rostered days (each shift one day), counted in the span it starts in."""
    return round(sum(leave.days_of(r) for r in leave.requests_between(floorwalker, slug, first, last)
                     if r["status"] == "approved"
                     and first.isoformat() <= r["date"] <= last.isoformat()), 2)


@hookimpl
def agent_availability(floorwalker, project, first, last, agents):
    """Approved leave (a day with any approved leave counts whole) and the roster's rest days."""
    wanted = set(agents)
    days = [(r["agent"], dt.date.fromisoformat(r["date"]), "rest") for r in
            roster.roster_between(floorwalker, project["slug"], first, last, wanted).values()
            if r["shift"] is None]
    found = [Absence(r["agent"], max(dt.date.fromisoformat(r["date"]), first),
                     min(dt.date.fromisoformat(r["last"]), last), "leave")
             for r in leave.requests_between(floorwalker, project["slug"], first, last)
             if r["status"] == "approved" and r["agent"] in wanted]
    return found + _spans(days)


@hookimpl
def agent_shifts(floorwalker, project, first, last):
    """The roster's shifts (a swap's included) less approved leave: leave over part of a shift
    leaves the rest of it, leave over the middle two pieces."""
    slug = project["slug"]
    known = roster.shifts(floorwalker, slug)
    away = leave.approved_spans(floorwalker, slug, first, last)
    found = []
    for entry in roster.roster_between(floorwalker, slug, first, last).values():
        shift = known.get(entry["shift"]) if entry["shift"] else None
        if shift is None:
            continue
        pieces = [shift.span(dt.date.fromisoformat(entry["date"]))]
        for span in away.get(entry["agent"], ()):
            pieces = [(a, b) for start, end in pieces
                      for a, b in ((start, min(end, span.start)), (max(start, span.end), end)) if a < b]
        found += [RosteredShift(entry["agent"], entry["date"], start, end, shift.code, shift.job_type,
                                shift.break_minutes) for start, end in pieces]
    return sorted(found, key=lambda s: (s.date, s.agent, s.start))


def _spans(days: list[tuple[str, dt.date, str]]) -> list[Absence]:
    """Consecutive days of one agent and kind as one absence."""
    spans: list[Absence] = []
    for agent, day, kind in sorted(days):
        last = spans[-1] if spans else None
        if last and (last.agent, last.kind) == (agent, kind) and last.last + dt.timedelta(days=1) == day:
            spans[-1] = Absence(agent, last.first, day, kind)
        else:
            spans.append(Absence(agent, day, day, kind))
    return spans


@hookimpl
def agenda_items(floorwalker, project, meeting, day):
    """Yesterday's figures and today's leave and swaps for the morning briefing, last week per
    team for the weekly meeting, the shift's attendance for a handover (agenda.py)."""
    from . import agenda
    return agenda.items(floorwalker, project, meeting, day)


@hookimpl
def waiting_items(floorwalker, project, user):
    """Leave, swaps, excuses and missed-punch requests to decide, punch exceptions to resolve,
    handover logs to accept or missing (`waiting.items`)."""
    from .waiting import items
    return items(floorwalker, project, user)


@hookimpl
def home_panels(floorwalker, project, user):
    from .home import panels
    return panels(floorwalker, project, user)


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
    fixes = [r for r in punch_requests.month_requests(floorwalker, slug, period) if r["status"] == "pending"]
    if fixes:
        found.append(Blocker(NAME, "Missed-punch requests waiting for a decision", "待审批的补卡申请",
                             len(fixes), f"/p/{slug}/{NAME}/approvals#punch-requests"))
    return found


@hookimpl
def on_period_closing(floorwalker, project, period, user):
    """The month's last derived days reach the ledger before it locks."""
    sheet.settle(floorwalker, project, period, user["username"] if user else "system")


@hookimpl
def dashboard_widgets(floorwalker, project, period, user):
    """Today's floor counted by state (as the floor page counts it) and the month's figures."""
    now = floorwalker.projects.now(project)
    counts: dict[str, int] = {}
    for row in sheet.floor_rows(floorwalker, project, now):
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    month_rows = _concluded(sheet.month_rows(floorwalker, project, period))
    base = f"/p/{project['slug']}/{NAME}"
    can = floorwalker.access.can
    staff, report = can(user, VIEW, project), can(user, REPORT, project)
    # each figure opens the list behind it, only for those who may open it (a client: the report)
    return [Widget(NAME, "Attendance", "考勤", f"{NAME}/widget.html",
                   {"today": now.date().isoformat(), "counts": counts, "order": STATES,
                    "figures": sheet.figures(month_rows),
                    "url": f"{base}/" if staff else None,
                    "report": f"{base}/report?month={period}" if report else None,
                    "exceptions": f"{base}/exceptions?month={period}" if staff else None},
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
def evidence_links(floorwalker, project, events, user):
    """A day's event opens that day's punches, a leader's mark the month's marks; for a reader
    who may not see the floor's records (an agent), the agent's attendance month at that day."""
    base = f"/p/{project['slug']}/{NAME}"
    staff = floorwalker.access.can(user, VIEW, project)
    links = {}
    for event in events:
        parts = (event.get("evidence") or "").split(":")
        if event.get("source") != NAME or len(parts) < 3 or parts[0] != NAME:
            continue
        own = f"{base}/agents/{event['agent']}?month={event['date'][:7]}#day-{event['date']}"
        if parts[1] == "day" and len(parts) == 4:
            links[event["id"]] = f"{base}/punches?agent={parts[2]}&date={parts[3]}" if staff else own
        elif parts[1] == "mark":
            links[event["id"]] = f"{base}/marks?month={event['date'][:7]}#mark-{parts[2]}" if staff else own
    return links


@hookimpl
def describe_evidence(floorwalker, project, events):
    """A day's event reads 考勤 · 12月4日 with its reason in the reader's language; a leader's
    mark, 考勤 · 离岗."""
    months = {e["date"][:7] for e in events if ":mark:" in (e.get("evidence") or "")}
    titles = {m["id"]: sheet.MARK_TITLES.get(m["kind"]) for month in sorted(months)
              for m in sheet.marks(floorwalker, project["slug"], month)}
    return evidence.describe(events, {k: v for k, v in titles.items() if v})


@hookimpl
def on_agent_created(floorwalker, project, agent, user):
    """A new agent gets the team's weekly pattern for the rest of the month they start in."""
    first = max(agent["hired"], floorwalker.projects.today(project).isoformat())
    assignment = floorwalker.agents.assignment_on(agent["number"], first)
    if assignment is None or roster.pattern(floorwalker, project["slug"], assignment["team"]) is None:
        return
    last = roster.month_dates(first[:7])[-1].isoformat()
    roster.apply_pattern(floorwalker, project["slug"], assignment["team"], first, last,
                         user["username"] if user else "system", only=agent["number"])


@hookimpl
def on_agents_created(floorwalker, project, agents, user):
    """An import: every new agent gets their team's pattern for the rest of the month they start
    in, all in one roster commit per month file (not one per agent)."""
    slug, today = project["slug"], floorwalker.projects.today(project).isoformat()
    groups: dict[tuple[str, str], set[str]] = {}  # (team, first day) -> agents
    for agent in agents:
        first = max(agent["hired"], today)
        assignment = floorwalker.agents.assignment_on(agent["number"], first)
        if assignment is not None and roster.pattern(floorwalker, slug, assignment["team"]) is not None:
            groups.setdefault((assignment["team"], first), set()).add(agent["number"])
    cells = []
    for (team, first), numbers in sorted(groups.items()):
        last = roster.month_dates(first[:7])[-1].isoformat()
        cells += roster.pattern_cells(floorwalker, slug, team, first, last, only=numbers)
    if cells:
        roster.set_entries(floorwalker, slug, cells, user["username"] if user else "system",
                           source="pattern", action="attendance.pattern")


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
    now = floorwalker.projects.now(project)
    if abs((now.date() - today).days) > 1:
        now = dt.datetime.combine(today, dt.time(18, 0))
    build(floorwalker, project, months, rng, actor, now)



@hookimpl
def report_sections(floorwalker, project, period, user):
    """Staffing and attendance of the client report's period, by team (report_section.py)."""
    from . import report_section
    return report_section.section(floorwalker, project, period, user)
