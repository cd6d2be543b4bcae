"""Leave requests (请假): asked → approved or rejected (with a reason) → possibly cancelled.

A request covers the rostered shifts of one agent from one date to another (whole shifts), or
part of one shift (from a time to a time). It is checked when it is made, against the rules of
`requests.check_leave` and `leave_on_swapped_shift`, and refused with every reason. A manager
(supervisor, director, admin) may still record a request the rules refuse, giving the exception
in writing — the regulations' "otherwise only with a manager's approval" — and it then waits for
approval like any other.

Who approves depends on the length in rostered days (`approval_level`): a day is the agent's
shift that day whatever its length (a 10-hour night is one day, 4 hours of an 8-hour shift half
a day), and a supervisor approves up to one day, the director beyond; sick leave of a day or
more needs a certificate, counting the agent's other sick leave of the same shifts (two halves
of one shift asked apart are a day). Only approved leave excuses a shift; a request still
waiting when the shift has passed leaves the day absent, and approving it later re-derives the
day (the absence is reversed). Requests live in the month file of their first day (table
``leave``).
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (SUPERVISORS, Conflict, N_, NotFound, PermissionDenied, ValidationError,
                              new_id, now_iso, validate)

from . import roster as rosters
from .config import project_request_rules
from .days import LeaveSpan, whole_minutes
from .requests import (STATE_WORDS, LeaveRequest, Refused, approval_level, check_leave, days_text,
                       leave_on_swapped_shift, rostered_days)

LEAVE = "leave"
STATUSES = ("pending", "approved", "rejected", "cancelled")
MANAGER_ROLES = frozenset(SUPERVISORS)
APPROVERS = {"supervisor": {"admin", "director", "supervisor"}, "director": {"admin", "director"}}
APPROVED_BY = {"supervisor": N_("leave of {days} rostered days is approved by a supervisor"),
               "director": N_("leave of {days} rostered days is approved by the centre director")}


def asker_id(user: dict) -> str:
    """Who asks, as the rules compare it with the agent: the agent number of an agent login."""
    return user.get("agent") or user["username"]


def _clock(value, field: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field, N_("expected a time as HH:MM, got {value!r}"),
                              value=value) from None


def covered_shifts(fw, project: str, agent: str, first: dt.date, last: dt.date) -> list[tuple[dict, tuple]]:
    """The agent's rostered shifts from *first* to *last*: (roster entry, (start, end))."""
    known = rosters.shifts(fw, project)
    found = []
    for entry in sorted(rosters.roster_between(fw, project, first, last).values(),
                        key=lambda e: e["date"]):
        if entry["agent"] == agent and entry["shift"] in known:
            found.append((entry, known[entry["shift"]].span(dt.date.fromisoformat(entry["date"]))))
    return found


def plan(fw, project: dict, agent: str, first: str, last: str | None = None,
         start_time: str | None = None, end_time: str | None = None) -> dict:
    """What a request would cover: the shifts, the span, the minutes of shift it takes and the
    rostered days they are (`requests.rostered_days`)."""
    slug = project["slug"]
    first_day = dt.date.fromisoformat(first)
    last_day = dt.date.fromisoformat(last or first)
    if last_day < first_day:
        raise ValidationError(N_("to"), N_("the last day is before the first"))
    fw.agents.require_in_project(slug, agent, first_day.isoformat())
    covered = covered_shifts(fw, slug, agent, first_day, last_day)
    if not covered:
        raise ValidationError(N_("date"), N_("{agent} has no shift rostered from {first} to {last}"),
                              agent=agent, first=first_day.isoformat(), last=last_day.isoformat())
    start, end = covered[0][1][0], covered[-1][1][1]
    if start_time or end_time:
        if len(covered) != 1:
            raise ValidationError(N_("from"), N_("part of a shift can be asked for one day only"))
        shift_start, shift_end = covered[0][1]
        start = _on_shift(start_time, shift_start, shift_end, N_("from")) if start_time else shift_start
        end = _on_shift(end_time, shift_start, shift_end, N_("until")) if end_time else shift_end
        if end <= start:
            raise ValidationError(N_("until"), N_("the leave must end after it starts"))
    minutes = sum(whole_minutes(min(e, end) - max(s, start))
                  for _, (s, e) in covered if min(e, end) > max(s, start))
    return {"covered": covered, "start": start, "end": end, "minutes": minutes,
            "days": rostered_days([span for _, span in covered], start, end)}


def days_of(doc: dict) -> float:
    """The rostered days a stored request is (one stored before days were kept: its minutes in
    days of 480)."""
    return doc["days"] if "days" in doc else round(doc["minutes"] / 480, 2)


def _sick_days_around(fw, project: str, agent: str, covered: dict) -> float:
    """The agent's other live sick leave on the shifts *covered* asks for, in rostered days."""
    spans = [span for _, span in covered["covered"]]
    first = dt.date.fromisoformat(covered["covered"][0][0]["date"])
    last = dt.date.fromisoformat(covered["covered"][-1][0]["date"])
    return sum(rostered_days(spans, dt.datetime.fromisoformat(r["start"]),
                             dt.datetime.fromisoformat(r["end"]))
               for r in requests_between(fw, project, first, last) if r["agent"] == agent
               and r["kind"] == "sick" and r["status"] in ("pending", "approved"))


def _on_shift(value, shift_start: dt.datetime, shift_end: dt.datetime, field: str) -> dt.datetime:
    """A clock time placed inside the shift (for a night shift, after midnight is the next day)."""
    clock = _clock(value, field)
    moment = dt.datetime.combine(shift_start.date(), clock)
    if moment < shift_start:
        moment += dt.timedelta(days=1)
    if not shift_start <= moment <= shift_end:
        raise ValidationError(field, N_("{time} is outside the shift ({start}–{end})"),
                              time=clock.strftime("%H:%M"), start=shift_start.strftime("%H:%M"),
                              end=shift_end.strftime("%H:%M"))
    return moment


def request(fw, project: dict, agent: str, kind: str, user: dict, first: str, last: str | None = None,
            *, start_time: str | None = None, end_time: str | None = None, certificate: bool = False,
            emergency: bool = False, note: str = "", exception: str = "",
            asked_at: dt.datetime | None = None) -> dict:
    """Ask for leave; refused with every reason the rules give, unless a manager records an
    exception."""
    note = validate.text(note, N_("note"))
    exception = validate.text(exception, N_("exception"))
    rules = project_request_rules(fw, project)
    covered = plan(fw, project, agent, first, last, start_time, end_time)
    asked_at = asked_at or fw.projects.now(project)
    first_entry, (shift_start, shift_end) = covered["covered"][0]
    night = shift_end.date() > shift_start.date()
    sick_days = _sick_days_around(fw, project["slug"], agent, covered) if kind == "sick" else 0
    reasons = check_leave(LeaveRequest(kind, covered["minutes"], certificate, emergency,
                                       round(covered["days"] + sick_days, 2)),
                          covered["start"], asked_at, asker_id(user), agent, fw.calendar.current(),
                          rules, night, shift_start.date())
    if covered["start"] <= asked_at:  # then "asked N minutes before" makes no sense: say this
        reasons = [ValidationError(N_("date"), N_(
            "the shift of {day} has already started: leave after the fact is recorded by a "
            "manager, with the exception written down"), day=first_entry["date"])] + [
            r for r in reasons if r.field != N_("asked at")]
    known = rosters.shifts(fw, project["slug"])
    for entry_doc, _ in covered["covered"]:
        scheduled = rosters.schedule_entry(entry_doc, known)
        reasons += leave_on_swapped_shift(scheduled) if scheduled else []
    if reasons and not (exception and set(user.get("roles") or ()) & MANAGER_ROLES):
        raise Refused(reasons)
    doc = {"id": new_id(), "agent": agent, "kind": kind, "date": first_entry["date"],
           "last": covered["covered"][-1][0]["date"], "start": covered["start"].isoformat(),
           "end": covered["end"].isoformat(), "minutes": covered["minutes"],
           "days": covered["days"], "level": approval_level(covered["days"], rules),
           "status": "pending",
           "certificate": bool(certificate), "emergency": bool(emergency), "note": note,
           "exception": exception if reasons else "",
           # the rules a manager overruled, in both languages (stored text, read by either)
           "overruled": [{locale: r.message(locale) for locale in ("en", "zh_CN")} for r in reasons],
           "holiday": fw.calendar.is_holiday(covered["start"].date()),
           "asked_by": user["username"], "asked_at": asked_at.isoformat(timespec="minutes"),
           "decided_by": None, "decided_at": None, "reason": ""}
    # A request lives in the month of its first day, so one running over a month's end is in
    # another file: look there first; the transaction then re-checks its own file under the lock.
    earlier = requests_between(fw, project["slug"], dt.date.fromisoformat(doc["date"]),
                               dt.date.fromisoformat(doc["last"]))
    with fw.store.transaction(rosters.month_key(fw, project["slug"], doc["date"][:7]), user["username"],
                              "attendance.leave.request") as tx:
        if any(_overlaps(other, doc) for other in [*earlier, *tx.docs(LEAVE).values()]):
            raise Conflict(N_("{agent} already has leave asked for that time"), agent=agent)
        return tx.insert(LEAVE, doc)


def _overlaps(other: dict, doc: dict) -> bool:
    """Whether *other* is live leave of the same agent over any of *doc*'s time."""
    return (other["agent"] == doc["agent"] and other["status"] in ("pending", "approved")
            and other["start"] < doc["end"] and doc["start"] < other["end"])


# ------------------------------------------------------------------ reading


def month_requests(fw, project: str, month: str) -> list[dict]:
    return sorted(fw.store.table(rosters.month_key(fw, project, month), LEAVE).values(),
                  key=lambda r: (r["start"], r["id"]))


def requests_between(fw, project: str, first: dt.date, last: dt.date) -> list[dict]:
    """Requests that touch the days from *first* to *last* (a request starts in its own month,
    so the month before is read too, for leave running over a month's end)."""
    found = []
    for month in rosters.months_of(first.replace(day=1) - dt.timedelta(days=1), last):
        found += [r for r in month_requests(fw, project, month)
                  if r["date"] <= last.isoformat() and r["last"] >= first.isoformat()]
    return found


def approved_spans(fw, project: str, first: dt.date, last: dt.date,
                   requests: list[dict] | None = None) -> dict[str, list[LeaveSpan]]:
    """Approved leave by agent, as the day rules take it (from *requests* when the caller has
    them already)."""
    spans: dict[str, list[LeaveSpan]] = {}
    for r in requests if requests is not None else requests_between(fw, project, first, last):
        if r["status"] == "approved":
            spans.setdefault(r["agent"], []).append(
                LeaveSpan(dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])))
    return spans


def find(fw, project: str, request_id: str) -> tuple[str, dict]:
    found = rosters.locate(fw, project, LEAVE, request_id)
    if found is not None:
        return found
    raise NotFound(N_("no leave request {id!r}"), id=request_id)


# ------------------------------------------------------------------ deciding


def decide(fw, project: dict, request_id: str, approve: bool, user: dict, reason: str = "") -> dict:
    """Approve or reject a waiting request; a rejection needs a reason. The approver's role must
    match the request's level (supervisor up to a day, director beyond)."""
    key, doc = find(fw, project["slug"], request_id)
    if doc["status"] != "pending":
        raise Conflict(N_("this request is already {status}"), status=STATE_WORDS[doc["status"]])
    if not set(user.get("roles") or ()) & APPROVERS[doc["level"]]:
        raise PermissionDenied(APPROVED_BY[doc["level"]], days=days_text(days_of(doc)))
    reason = validate.text(reason, N_("reason"))
    if not approve and not reason:
        raise ValidationError(N_("reason"), N_("say why the request is rejected"))
    with fw.store.transaction(key, user["username"], "attendance.leave.decide") as tx:
        return tx.update(LEAVE, request_id, {
            "status": "approved" if approve else "rejected", "reason": reason,
            "decided_by": user["username"], "decided_at": now_iso()})


def cancel(fw, project: dict, request_id: str, user: dict, reason: str = "") -> dict:
    """Withdraw a request: the asker (or a manager) while it waits, a manager once approved."""
    key, doc = find(fw, project["slug"], request_id)
    if doc["status"] not in ("pending", "approved"):
        raise Conflict(N_("this request is already {status}"), status=STATE_WORDS[doc["status"]])
    reason = validate.text(reason, N_("reason"))
    manager = bool(set(user.get("roles") or ()) & MANAGER_ROLES)
    own = doc["asked_by"] == user["username"] or user.get("agent") == doc["agent"]
    if not manager and not (own and doc["status"] == "pending"):
        raise PermissionDenied(N_("only a manager can cancel approved leave"))
    with fw.store.transaction(key, user["username"], "attendance.leave.cancel") as tx:
        return tx.update(LEAVE, request_id, {"status": "cancelled", "reason": reason,
                                              "decided_by": user["username"], "decided_at": now_iso()})


def waiting(fw, project: str, month: str | None = None) -> list[dict]:
    months = [month] if month else rosters.stored_months(fw, project)
    return [r for m in months for r in month_requests(fw, project, m) if r["status"] == "pending"]
