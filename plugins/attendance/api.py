"""The attendance plugin's endpoints of the JSON API (``/api/v1/projects/{project}/attendance/…``):
punches in from a clock, the roster read and written, each agent-day's state, leave asked and
read, and the swaps.

Each does what its page does, through the same functions: punches go through the punch-clock
importer (`importers.run_punches`: every item checked before any is stored, a punch already
stored skipped, the touched days settled), roster entries through the roster importer (each
entry authorised as the roster grid authorises a cell: a team leader sets only the days of the
agents of the teams they lead), leave through `leave.request` as the leave page asks it (an
agent login for itself, a manager's written exception overruling the rules). An agent login
reads only its own days, leave and swaps. A refused item of a list names it: ``items[3].time``.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, Call, Endpoint, NotFound, ValidationError, validate

from . import importers, leave, swaps
from . import punches as punch_records
from . import roster as rosters
from . import sheet
from .actions import OWN, PUNCH_IMPORT, ROSTER_EDIT, VIEW
from .config import NAME

BASE = f"/projects/{{project}}/{NAME}"
MOST_ITEMS = 20_000
MOST_DAYS = 93  # a roster read spans at most about a quarter
STRING = {"type": "string"}
TEXT = {"type": "string", "maxLength": 500}
DAY = {"type": "string", "description": "A day, YYYY-MM-DD.", "example": "2026-12-07"}
MONTH = {"type": "string", "description": "From this month on (YYYY-MM); this month by default.",
         "example": "2026-12"}


# ---------------------------------------------------------------- helpers


def _agent_login(user: dict) -> bool:
    return set(user.get("roles") or ()) <= {"agent"}


def _day(call: Call, name: str, default: dt.date | None = None) -> dt.date:
    """A day of the query within the span the records hold (1900–2999), else the error naming it."""
    text = call.query.get(name)
    if not text and default is not None:
        return default
    return dt.date.fromisoformat(_in_span(text, name))


def _in_span(text: str, name: str) -> str:
    """A day of the body (YYYY-MM-DD) within the span the records hold."""
    day = validate.date(text, name)
    return punch_records.require_day_in_span(dt.date.fromisoformat(day), text, name).isoformat()


def _month(call: Call) -> str:
    text = call.query.get("month") or call.fw.projects.today(call.project).isoformat()[:7]
    month = validate.month(text, "month")
    punch_records.require_day_in_span(dt.date.fromisoformat(f"{month}-01"), text, "month")
    return month


def _today(call: Call) -> dt.date:
    return call.fw.projects.today(call.project)


def _item_error(err: ValidationError, fields: dict[str, str] | None = None) -> ValidationError:
    """An importer's error about row *n* (our item *n*) as the error of ``items[n].field``."""
    if err.row is None:
        return err
    problem = err.params["problem"]
    field = (fields or {}).get(str(err.field), str(err.field))
    return ValidationError(f"items[{err.row}].{field}", problem.message, **problem.params)


def _rows(items: list[dict], keys: tuple[str, ...]) -> list[tuple[int, dict]]:
    """The items as an importer's rows: (item number, {column: text}), numbered from 0 as the
    items are, every row with every column."""
    return [(n, {k: "" if item.get(k) is None else str(item[k]) for k in keys}) for n, item in enumerate(items)]


def _own_or_view(call: Call, agent: str | None = None) -> str | None:
    """The agent an agent login is limited to (its own), after checking an asked-for *agent*; for
    anybody else None (the floor's records, as the pages show them to the staff)."""
    if agent:
        call.authorize(OWN, {"agent": agent})
    if _agent_login(call.user):
        return call.user.get("agent") or "-"
    call.authorize(VIEW)
    return None


# ---------------------------------------------------------------- punches


def add_punches(call: Call) -> dict:
    """The clock's punches, all or none (the importer's checks and repeats skipped)."""
    items = call.body["items"]
    if not items:
        return {"rows": 0, "added": 0, "already": 0, "months": []}
    try:
        done = importers.run_punches(call.fw, call.project, _rows(items, ("agent", "time")),
                                     call.user["username"])
    except ValidationError as err:
        raise _item_error(err) from None
    return {key: done[key] for key in ("rows", "added", "already", "months")}


def _punch(doc: dict) -> dict:
    return {key: doc.get(key) for key in ("id", "agent", "date", "at", "source", "manual", "by", "note", "void")}


def punches(call: Call) -> list[dict]:
    day = _day(call, "day", _today(call)).isoformat()
    agent = call.query.get("agent")
    return [_punch(p) for p in punch_records.punches(call.fw, call.project["slug"], day[:7])
            if p["date"] == day and (not agent or p["agent"] == agent)]


# ---------------------------------------------------------------- the roster


def _entry(doc: dict) -> dict:
    return {"id": doc["id"], "agent": doc["agent"], "date": doc["date"], "shift": doc["shift"],
            "team": doc.get("team"), "swap": doc.get("swap"), "source": doc.get("source")}


def roster(call: Call) -> list[dict]:
    first = _day(call, "first", _today(call).replace(day=1))
    last = _day(call, "last", rosters.month_dates(first.isoformat()[:7])[-1])
    if last < first or (last - first).days >= MOST_DAYS:
        raise ValidationError("last", N_("choose at most {days} days, the last day after the first"),
                              days=MOST_DAYS)
    team = call.query.get("team")
    return [_entry(e) for e in rosters.roster_between(call.fw, call.project["slug"], first, last).values()
            if not team or e.get("team") == team]


def set_roster(call: Call) -> dict:
    """Roster entries, all or none: checked as a roster file's cells, each authorised as the roster
    grid's cell (a team leader: the agents of their teams), then written and the past days
    settled."""
    items = call.body["items"]
    if not items:
        return {"cells": 0, "changed": 0, "months": [], "warnings": []}
    rows = _rows([{**item, "shift": item.get("shift") or "rest"} for item in items], ("agent", "date", "shift"))
    slug = call.project["slug"]
    try:
        cells = importers.roster_cells(call.fw, slug, ["agent", "date", "shift"], rows)
        for agent, day in sorted({(agent, day) for agent, day, _ in cells}):
            call.authorize(ROSTER_EDIT, {"agent": agent, "date": day})
        done = importers.run_roster(call.fw, call.project, rows, call.user["username"])
    except ValidationError as err:
        raise _item_error(err) from None
    return {"cells": done["cells"], "changed": done["changed"], "months": done["months"],
            "warnings": [w.message(call.locale) for w in done["warnings"]]}


# ---------------------------------------------------------------- the days


DAY_FIELDS = ("agent", "date", "team", "shift", "state", "status", "start", "end", "check_in", "check_out",
              "late", "early", "missing_punch", "leave_kind", "swap")


def days(call: Call) -> list[dict]:
    """Each rostered agent-day of the day with its state now (`days.day_at`), as the floor and the
    punches page show it."""
    day = _day(call, "day", _today(call))
    agent = call.query.get("agent") or None
    own = _own_or_view(call, agent)
    wanted = {own} if own else ({agent} if agent else None)
    rows = sheet.derive(call.fw, call.project, day, day, agents=wanted)
    return [{key: row.get(key) for key in DAY_FIELDS} for row in rows]


# ---------------------------------------------------------------- leave and swaps


LEAVE_OUT = ("id", "agent", "kind", "date", "last", "start", "end", "minutes", "days", "level", "status",
             "certificate", "emergency", "note", "exception", "holiday", "asked_by", "asked_at", "decided_by",
             "decided_at", "reason")


def _leave(doc: dict) -> dict:
    return {key: doc.get(key) for key in LEAVE_OUT}


def _months_from(call: Call, month: str) -> list[str]:
    return [m for m in rosters.stored_months(call.fw, call.project["slug"]) if m >= month]


def leave_list(call: Call) -> list[dict]:
    month = _month(call)
    own = _own_or_view(call)
    return [_leave(r) for m in _months_from(call, month) for r in leave.month_requests(call.fw, call.project["slug"], m)
            if own is None or r["agent"] == own]


def ask_leave(call: Call) -> dict:
    """Leave asked as the leave page asks it: an agent login for itself (no exception), the staff
    for an agent of the project (a manager may write an exception that overrules the rules)."""
    body = call.body
    agent = body.get("agent") or ""
    exception = body.get("exception") or ""
    if _agent_login(call.user):
        agent, exception = agent or call.user.get("agent") or "", ""
    if not agent:
        raise ValidationError("agent", N_("is required"))
    if not any(a["number"] == agent for a, _ in call.fw.agents.in_project(call.project["slug"], "0000-01-01",
                                                                             "9999-12-31")):
        raise NotFound(N_("not found"))
    call.authorize(OWN, {"agent": agent})
    first = _in_span(body["from"], "from")
    last = _in_span(body["to"], "to") if body.get("to") else None
    doc = leave.request(call.fw, call.project, agent, body["kind"], call.user, first, last,
                        start_time=body.get("start_time") or None, end_time=body.get("end_time") or None,
                        certificate=bool(body.get("certificate")), emergency=bool(body.get("emergency")),
                        note=body.get("note") or "", exception=exception)
    return _leave(doc)


def _swap(doc: dict) -> dict:
    return {key: doc.get(key) for key in ("id", "date", "first", "second", "teams", "status", "asked_by",
                                          "asked_at", "accepted_at", "approvals", "reason")}


def swap_list(call: Call) -> list[dict]:
    month = _month(call)
    own = _own_or_view(call)
    return [_swap(s) for m in _months_from(call, month) for s in swaps.month_swaps(call.fw, call.project["slug"], m)
            if own is None or own in (s["first"]["agent"], s["second"]["agent"])]


# ---------------------------------------------------------------- declarations


def _page(item: dict) -> dict:
    return {"items": [item], "next": None}


PUNCH = {"type": "object", "required": ["agent", "time"], "additionalProperties": False, "properties": {
    "agent": {"type": "string", "minLength": 1, "maxLength": 20, "description": "The agent's number (工号)."},
    "time": {"type": "string", "minLength": 1, "maxLength": 40,
             "description": "The punch time, YYYY-MM-DD HH:MM[:SS] (the floor's local time)."}}}
PUNCHES_BODY = {"type": "object", "required": ["items"], "additionalProperties": False, "properties": {
    "items": {"type": "array", "maxItems": MOST_ITEMS, "items": PUNCH}}}
PUNCH_OUT = {"type": "object", "properties": {k: STRING for k in ("id", "agent", "date", "at", "source", "note")}}
PUNCH_EXAMPLE = {"id": "p7f3a2c91", "agent": "T2001", "date": "2026-12-07", "at": "2026-12-07T08:01:22",
                 "source": "import", "manual": False, "by": None, "note": "", "void": False}
ENTRY = {"type": "object", "required": ["agent", "date"], "additionalProperties": False, "properties": {
    "agent": {"type": "string", "minLength": 1, "maxLength": 20},
    "date": {"type": "string", "minLength": 1, "maxLength": 10, "description": "YYYY-MM-DD"},
    "shift": {"type": "string", "maxLength": 20, "nullable": True,
              "description": "A shift type's code; null or empty for a rest day."}}}
ROSTER_BODY = {"type": "object", "required": ["items"], "additionalProperties": False, "properties": {
    "items": {"type": "array", "maxItems": MOST_ITEMS, "items": ENTRY}}}
ENTRY_EXAMPLE = {"id": "T2001:2026-12-08", "agent": "T2001", "date": "2026-12-08", "shift": "D", "team": "day-a",
                 "swap": None, "source": "import"}
DAY_EXAMPLE = {"agent": "T2001", "date": "2026-12-07", "team": "day-a", "shift": "D", "state": "late",
               "status": "scheduled", "start": "2026-12-07T08:00:00", "end": "2026-12-07T17:00:00",
               "check_in": "2026-12-07T08:06:00", "check_out": None, "late": 6, "early": None,
               "missing_punch": None, "leave_kind": None, "swap": None}
LEAVE_BODY = {"type": "object", "required": ["kind", "from"], "additionalProperties": False, "properties": {
    "agent": {"type": "string", "maxLength": 20, "nullable": True,
              "description": "The agent (an agent login: itself, and may leave it out)."},
    "kind": {"type": "string", "minLength": 1, "maxLength": 40, "description": "personal, sick, annual …"},
    "from": {"type": "string", "minLength": 1, "maxLength": 10, "description": "The first day, YYYY-MM-DD."},
    "to": {"type": "string", "maxLength": 10, "nullable": True, "description": "The last day (one day if left out)."},
    "start_time": {"type": "string", "maxLength": 8, "nullable": True, "description": "HH:MM, for part of a shift."},
    "end_time": {"type": "string", "maxLength": 8, "nullable": True},
    "certificate": {"type": "boolean", "nullable": True},
    "emergency": {"type": "boolean", "nullable": True},
    "note": {**TEXT, "nullable": True},
    "exception": {**TEXT, "nullable": True,
                  "description": "A manager's written exception, recording leave the rules refuse."}}}
LEAVE_EXAMPLE = {"id": "l3c9d0e1a", "agent": "T2001", "kind": "personal", "date": "2026-12-10", "last": "2026-12-10",
                 "start": "2026-12-10T08:00:00", "end": "2026-12-10T17:00:00", "minutes": 480, "days": 1.0,
                 "level": "supervisor", "status": "pending", "certificate": False, "emergency": False,
                 "note": "孩子开家长会", "exception": "", "holiday": False, "asked_by": "t2001",
                 "asked_at": "2026-12-07T09:12", "decided_by": None, "decided_at": None, "reason": ""}
SWAP_EXAMPLE = {"id": "s81b2f4d0", "date": "2026-12-12",
                "first": {"agent": "T2001", "date": "2026-12-12", "shift": "D", "team": "day-a"},
                "second": {"agent": "T2002", "date": "2026-12-13", "shift": "D", "team": "day-a"},
                "teams": ["day-a"], "status": "accepted", "asked_by": "t2001", "asked_at": "2026-12-07T10:02:11.204",
                "accepted_at": "2026-12-07T11:30:00", "approvals": {}, "reason": ""}
AGENT_FILTER = {"type": "string", "description": "Only this agent (its number)."}
OBJECT = {"type": "object"}

ENDPOINTS = [
    Endpoint("POST", f"{BASE}/punches", add_punches, PUNCH_IMPORT,
             "Punches from a clock, all or none (a punch already stored is skipped)", summary_zh="打卡机的打卡记录，全部成功或全部不写（已存的打卡跳过）", body=PUNCHES_BODY,
             body_example={"items": [{"agent": "T2001", "time": "2026-12-07 08:01:22"},
                                     {"agent": "T2002", "time": "2026-12-07 07:55:03"}]},
             response=OBJECT, example={"rows": 2, "added": 2, "already": 0, "months": ["2026-12"]},
             tag="attendance"),
    Endpoint("GET", f"{BASE}/punches", punches, VIEW, "The punches of a day (a page at a time)", summary_zh="某日的打卡记录（分页）",
             params={"day": DAY, "agent": AGENT_FILTER}, response={"type": "array", "items": PUNCH_OUT},
             example=_page(PUNCH_EXAMPLE), paged=True, tag="attendance"),
    Endpoint("GET", f"{BASE}/roster", roster, VIEW, "The roster from a day to a day (a page at a time)", summary_zh="某段日期的排班（分页）",
             params={"first": {**DAY, "description": "The first day (this month's first by default)."},
                     "last": {**DAY, "description": f"The last day (at most {MOST_DAYS} days on)."},
                     "team": {"type": "string", "description": "Only this team (its slug)."}},
             response={"type": "array", "items": OBJECT}, example=_page(ENTRY_EXAMPLE), paged=True,
             tag="attendance"),
    Endpoint("PUT", f"{BASE}/roster", set_roster, ROSTER_EDIT,
             "Set roster entries, all or none (a team leader: the agents of their teams)", summary_zh="设置排班，全部成功或全部不写（班长：仅本班组坐席）", body=ROSTER_BODY,
             body_example={"items": [{"agent": "T2001", "date": "2026-12-08", "shift": "D"},
                                     {"agent": "T2001", "date": "2026-12-09", "shift": None}]},
             response=OBJECT, example={"cells": 2, "changed": 2, "months": ["2026-12"], "warnings": []},
             tag="attendance"),
    Endpoint("GET", f"{BASE}/days", days, OWN,
             "Each agent-day of a day with its state now (an agent login: its own)", summary_zh="某日每位坐席的出勤状态（坐席账号：仅本人）",
             params={"day": DAY, "agent": AGENT_FILTER}, response={"type": "array", "items": OBJECT},
             example=_page(DAY_EXAMPLE), paged=True, cursor="agent", tag="attendance"),
    Endpoint("GET", f"{BASE}/leave", leave_list, OWN, "Leave requests from a month on (an agent login: its own)", summary_zh="某月起的请假申请（坐席账号：仅本人）",
             params={"month": MONTH}, response={"type": "array", "items": OBJECT}, example=_page(LEAVE_EXAMPLE),
             paged=True, tag="attendance"),
    Endpoint("POST", f"{BASE}/leave", ask_leave, OWN,
             "Ask for leave (an agent for itself; the staff record it for an agent)", summary_zh="申请请假（坐席为本人申请；管理人员代为登记）", body=LEAVE_BODY,
             body_example={"agent": "T2001", "kind": "personal", "from": "2026-12-10", "note": "孩子开家长会"},
             response=OBJECT, example=LEAVE_EXAMPLE, status=201, tag="attendance"),
    Endpoint("GET", f"{BASE}/swaps", swap_list, OWN, "Shift swaps from a month on (an agent login: its own)", summary_zh="某月起的调班（坐席账号：仅本人）",
             params={"month": MONTH}, response={"type": "array", "items": OBJECT}, example=_page(SWAP_EXAMPLE),
             paged=True, tag="attendance"),
]
