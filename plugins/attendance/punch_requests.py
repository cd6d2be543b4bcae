"""Missed-punch requests (补卡申请): an agent asks for a punch it forgot → its team leader
approves (the punch is added, marked with who approved it) or rejects it with a reason.

As in the attendance apps centres already use, an agent asks itself, with a reason, for a day
not long past (``punch_request_days``, 3 by default) and only so often
(``punch_requests_per_month``, 3): `check_request` holds those rules, pure, and says what is
wrong in the agent's own words ("you have already asked …"). A request names the day of the
shift, the time and whether it is the check-in or the check-out; the time is placed inside that
shift's punch window, so the check-out of a night shift lands on the next morning.

Approving writes the request's answer and the punch in one go (both month files locked before
either commits: a night shift's check-out on the 1st lives in the next month's file) and then
settles the days the punch touches, as a manual punch does, so the score sheet follows at once.
Requests live in the month file of their day (table ``punch_requests``); the store audits every
change.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from dataclasses import dataclass

from floorwalker.core import (Conflict, FloorwalkerError, N_, NotFound, PeriodClosed, PermissionDenied,
                              ValidationError, new_id, now_iso, validate)

from . import roster as rosters
from . import sheet
from .actions import PUNCH_REQUEST_DECIDE
from .config import NAME
from .punches import PUNCHES, punch_doc
from .requests import STATE_WORDS, Refused

PUNCH_REQUESTS = "punch_requests"
KINDS = {"in": N_("check-in"), "out": N_("check-out")}
STATUSES = ("pending", "approved", "rejected", "cancelled")
COUNTED = ("pending", "approved")  # what uses up the month's allowance


@dataclass(frozen=True)
class PunchRequestRules:
    """How late and how often an agent may ask (the project's settings)."""

    days: int = 3
    per_month: int = 3


def rules_of(settings: dict) -> PunchRequestRules:
    return PunchRequestRules(days=settings["punch_request_days"],
                             per_month=settings["punch_requests_per_month"])


def check_request(day: dt.date, at: dt.datetime, now: dt.datetime, asked_in_month: int,
                  rules: PunchRequestRules) -> list[FloorwalkerError]:
    """Every rule a request for the punch *at* of the shift of *day*, asked at *now*, breaks;
    *asked_in_month* is how many requests of the agent already count in *day*'s month."""
    found: list[FloorwalkerError] = []
    if at > now:
        found.append(ValidationError(N_("time"), N_("you can ask only for a punch whose time has passed")))
    elif (now.date() - day).days > rules.days:
        found.append(FloorwalkerError(N_(
            "You can ask for a missed punch only within {days} days of the day; {day} is too long ago."),
            days=rules.days, day=day.isoformat()))
    if asked_in_month >= rules.per_month:
        if day.isoformat()[:7] == now.date().isoformat()[:7]:
            found.append(FloorwalkerError(N_(
                "You have already asked for {count} missed punches this month; at most {limit} a "
                "month are allowed."), count=asked_in_month, limit=rules.per_month))
        else:
            found.append(FloorwalkerError(N_(
                "You have already asked for {count} missed punches in {month}; at most {limit} a "
                "month are allowed."), count=asked_in_month, month=day.isoformat()[:7],
                limit=rules.per_month))
    return found


def placed(day: dt.date, clock: dt.time, window: tuple[dt.datetime, dt.datetime]) -> dt.datetime:
    """*clock* as a moment inside the punch *window* of the shift of *day*: after midnight a
    night shift's time is the next day's. Refused when it falls outside the window."""
    for offset in (0, 1, -1):
        moment = dt.datetime.combine(day + dt.timedelta(days=offset), clock)
        if window[0] <= moment <= window[1]:
            return moment
    raise ValidationError(N_("time"), N_(
        "{time} is not within the punch times of your shift on {day} ({start}–{end})"),
        time=clock.strftime("%H:%M"), day=day.isoformat(), start=window[0].strftime("%H:%M"),
        end=window[1].strftime("%H:%M"))


# ------------------------------------------------------------------ reading


def month_requests(fw, project: str, month: str) -> list[dict]:
    return sorted(fw.store.table(rosters.month_key(fw, project, month), PUNCH_REQUESTS).values(),
                  key=lambda r: (r["at"], r["id"]))


def requests_of(fw, project: str, months: list[str], agent: str | None = None) -> list[dict]:
    """The requests of *months* (of *agent*, if given), newest day first."""
    found = [r for m in months for r in month_requests(fw, project, m)
             if agent is None or r["agent"] == agent]
    return sorted(found, key=lambda r: (r["at"], r["id"]), reverse=True)


def waiting(fw, project: str) -> list[dict]:
    return [r for m in rosters.stored_months(fw, project) for r in month_requests(fw, project, m)
            if r["status"] == "pending"]


def waiting_for(fw, project: dict, user: dict) -> list[dict]:
    """The waiting requests, each with whether *user* may decide it (those first): a team
    leader decides for the teams they lead."""
    found = [{**r, "may_decide": fw.access.can(user, PUNCH_REQUEST_DECIDE, project, r)}
             for r in waiting(fw, project["slug"])]
    return sorted(found, key=lambda r: (not r["may_decide"], r["at"], r["id"]))


def find(fw, project: str, request_id: str) -> tuple[str, dict]:
    found = rosters.locate(fw, project, PUNCH_REQUESTS, request_id)
    if found is not None:
        return found
    raise NotFound(N_("no missed-punch request {id!r}"), id=request_id)


def approved_by_day(fw, project: str, month: str) -> dict[tuple[str, str], list[dict]]:
    """The approved requests of *month* by (agent, day): the punch each added and who approved
    it, as the day listings show them."""
    found: dict[tuple[str, str], list[dict]] = {}
    for r in month_requests(fw, project, month):
        if r["status"] == "approved":
            found.setdefault((r["agent"], r["date"]), []).append(
                {"at": r["at"], "kind": r["kind"], "approved_by": r["decided_by"],
                 "approver": r["decided_by_name"]})
    return found




# ------------------------------------------------------------------ asking


def _clock(value) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(N_("time"), N_("choose the time of the punch, e.g. 08:00")) from None


def _day(value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(N_("date"), N_("choose the day of the shift")) from None


def ask(fw, project: dict, agent: str, day, clock, kind: str, reason: str, asked_by: str,
        now: dt.datetime | None = None) -> dict:
    """*agent* asks for the *kind* punch (``in``/``out``) at *clock* of its shift on *day*;
    refused with every rule it breaks. *asked_by* is the login that asks."""
    slug = project["slug"]
    if kind not in KINDS:
        raise ValidationError(N_("punch"), N_("choose check-in or check-out"))
    reason = validate.text(reason, N_("reason"))
    if not reason:
        raise ValidationError(N_("reason"), N_("say why the punch was missed"))
    day, clock = _day(day), _clock(clock)
    now = now or fw.projects.now(project)
    fw.agents.require_in_project(slug, agent, day.isoformat())
    if day.isoformat()[:7] in fw.store.closed_months(slug):
        raise PeriodClosed(slug, day.isoformat()[:7])
    entry = rosters.entry(fw, slug, agent, day.isoformat())
    shift = rosters.shifts(fw, slug).get(entry["shift"]) if entry and entry["shift"] else None
    if shift is None:
        raise ValidationError(N_("date"), N_("you have no shift rostered on {day}"), day=day.isoformat())
    at = placed(day, clock, shift.punch_window(day))
    rules = rules_of(fw.projects.settings(project, NAME))
    key = rosters.month_key(fw, slug, day.isoformat()[:7])
    doc = {"id": new_id(), "agent": agent, "date": day.isoformat(), "at": at.isoformat(timespec="seconds"),
           "kind": kind, "reason": reason, "status": "pending", "asked_by": asked_by,
           "asked_at": now.isoformat(timespec="minutes"), "decided_by": None, "decided_by_name": None,
           "decided_at": None, "rejection": "", "punch": None}
    with fw.store.transaction(key, asked_by, "attendance.punch_request.ask") as tx:
        mine = [r for r in tx.docs(PUNCH_REQUESTS).values() if r["agent"] == agent]
        broken = check_request(day, at, now, sum(1 for r in mine if r["status"] in COUNTED), rules)
        if broken:
            raise Refused(broken)
        if any(r["status"] == "pending" and r["date"] == doc["date"] and r["kind"] == kind for r in mine):
            raise Conflict(N_("you have already asked for this punch; it is waiting for your team leader"))
        return tx.insert(PUNCH_REQUESTS, doc)


def withdraw(fw, project: dict, request_id: str, user: dict) -> dict:
    """The agent takes back a request still waiting (it then no longer counts in the month)."""
    key, doc = find(fw, project["slug"], request_id)
    if doc["status"] != "pending":
        raise Conflict(N_("this request is already {status}"), status=STATE_WORDS[doc["status"]])
    if user.get("agent") != doc["agent"] and doc["asked_by"] != user["username"]:
        raise PermissionDenied(N_("only whoever asked can withdraw the request"))
    with fw.store.transaction(key, user["username"], "attendance.punch_request.withdraw") as tx:
        return tx.update(PUNCH_REQUESTS, request_id, {"status": "cancelled", "decided_at": now_iso()})


# ------------------------------------------------------------------ deciding


def decide(fw, project: dict, request_id: str, approve: bool, username: str, reason: str = "") -> dict:
    """Approve (the punch is added, flagged manual and marked with the approver) or reject (with
    a reason) a waiting request; an approval settles the days the punch touches. Who may decide
    is the caller's check (``attendance.punch_request.decide`` on the request)."""
    slug = project["slug"]
    key, doc = find(fw, slug, request_id)
    if doc["status"] != "pending":
        raise Conflict(N_("this request is already {status}"), status=STATE_WORDS[doc["status"]])
    reason = validate.text(reason, N_("reason"))
    if not approve and not reason:
        raise ValidationError(N_("reason"), N_("say why the request is rejected"))
    change = {"status": "approved" if approve else "rejected", "rejection": "" if approve else reason,
              "decided_by": username, "decided_by_name": fw.users.display_name(username, "en"),
              "decided_at": now_iso()}
    if not approve:
        with fw.store.transaction(key, username, "attendance.punch_request.reject") as tx:
            return tx.update(PUNCH_REQUESTS, request_id, change)
    at = dt.datetime.fromisoformat(doc["at"])
    punch = {**punch_doc(doc["agent"], at, "manual", username, doc["reason"]), "request": doc["id"],
             "kind": doc["kind"], "approved_by": username, "approver": change["decided_by_name"]}
    punch_key = rosters.month_key(fw, slug, punch["date"][:7])
    for month in {doc["date"][:7], punch["date"][:7]}:
        if month in fw.store.closed_months(slug):
            raise PeriodClosed(slug, month)
    with ExitStack() as stack:
        txs = {k: stack.enter_context(fw.store.transaction(k, username, "attendance.punch_request.approve"))
               for k in sorted({key, punch_key})}
        txs[punch_key].insert(PUNCHES, punch)
        done = txs[key].update(PUNCH_REQUESTS, request_id, {**change, "punch": punch["id"]})
    sheet.settle_days(fw, project, doc["agent"], *sorted((doc["date"], punch["date"])), username)
    return done
