"""Shift swaps (换班): asked by one agent naming the other and both shifts → accepted by the other
agent → approved by the team leader of each side → the roster changes.

The rules of `requests.check_swap` are checked when the swap is asked and again at the last
approval (the roster may have moved meanwhile); a refusal gives every reason. Two swaps of one
shift cannot both stand: a swap is refused when asked if either shift is already in a live swap
(asked, accepted or approved), and at approval if it is in one approved or asked before it (so
of two that slipped in together the first asked goes on, and the other waits on it). Swapped
roster entries carry the swap's id: they cannot be swapped again, no leave may be taken from
them, and whoever leaves a swapped shift empty is absent (the roster says whose shift it is
now).
Swaps live in the month file of the asker's shift (table ``swaps``).
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack

from floorwalker.core import (LEADERS, SUPERVISORS, Conflict, N_, NotFound, PermissionDenied,
                              ValidationError, new_id, now_iso, validate)

from . import roster as rosters
from .config import project_request_rules
from .leave import requests_between
from .requests import STATE_WORDS, Refused, ShiftSwap, check_swap

SWAPS = "swaps"
LIVE = ("asked", "accepted", "approved")
LEADER_ROLES = frozenset(LEADERS)
MANAGER_ROLES = frozenset(SUPERVISORS)


def _side(fw, project: str, agent: str, day: str) -> dict:
    entry = rosters.entry(fw, project, agent, dt.date.fromisoformat(day).isoformat())
    if entry is None or entry["shift"] is None:
        raise ValidationError(N_("shift"), N_("{agent} has no shift rostered on {day}"), agent=agent,
                              day=day)
    return entry


def month_swaps(fw, project: str, month: str) -> list[dict]:
    return sorted(fw.store.table(rosters.month_key(fw, project, month), SWAPS).values(),
                  key=lambda s: (s["date"], s["id"]))


def _in_other_swaps(fw, project: str, shifts: set[tuple[str, str]],
                    swap: dict | None) -> dict[tuple[str, dt.date], str]:
    """The *shifts* (agent, date) already in a live swap that stands before *swap* (the one
    being approved; None: a swap being asked, before which every live one stands)."""
    found = {}
    for month in rosters.stored_months(fw, project):
        for other in month_swaps(fw, project, month):
            if other["status"] not in LIVE or (swap is not None and (
                    other["id"] == swap["id"] or (other["status"] != "approved" and (
                        other["asked_at"], other["id"]) > (swap["asked_at"], swap["id"])))):
                continue
            for side in (other["first"], other["second"]):
                if (side["agent"], side["date"]) in shifts:
                    found[side["agent"], dt.date.fromisoformat(side["date"])] = other["status"]
    return found


def reasons(fw, project: dict, first: dict, second: dict, swap: dict | None = None) -> list:
    """Every reason the rules refuse swapping roster entries *first* and *second* (when *swap*
    is given, at its approval: not counting the swap itself)."""
    slug = project["slug"]
    ignore = swap["id"] if swap else None
    in_swaps = _in_other_swaps(fw, slug, {(first["agent"], first["date"]),
                                          (second["agent"], second["date"])}, swap)
    rules = project_request_rules(fw, project)
    known = rosters.shifts(fw, slug)
    a, b = rosters.schedule_entry(first, known), rosters.schedule_entry(second, known)
    days = sorted((a.date, b.date))
    around = rosters.roster_between(fw, slug, days[0] - dt.timedelta(days=2), days[1] + dt.timedelta(days=2))
    schedule = [e for e in (rosters.schedule_entry(doc, known) for doc in around.values()
                            if doc["agent"] in (a.agent, b.agent)) if e is not None]
    counts: dict[str, int] = {}
    for month in {a.date.isoformat()[:7], b.date.isoformat()[:7]}:
        for swap in month_swaps(fw, slug, month):
            if swap["status"] in LIVE and swap["id"] != ignore:
                for side in (swap["first"], swap["second"]):
                    if side["date"][:7] in (a.date.isoformat()[:7], b.date.isoformat()[:7]):
                        counts[side["agent"]] = counts.get(side["agent"], 0) + 1
    leave_days = set()
    for r in requests_between(fw, slug, days[0], days[1]):
        if r["status"] in ("pending", "approved"):
            day = dt.date.fromisoformat(r["date"])
            while day.isoformat() <= r["last"]:
                leave_days.add((r["agent"], day))
                day += dt.timedelta(days=1)
    tiers = {agent: fw.agents.get(agent).get("tier") for agent in (a.agent, b.agent)}
    return check_swap(ShiftSwap(a, b), schedule, counts, fw.calendar.current(), leave_days, rules,
                      tiers, in_swaps)


def ask(fw, project: dict, user: dict, agent: str, day: str, other: str, other_day: str) -> dict:
    """*agent* asks to work *other*'s shift of *other_day* and give *other* the one of *day*."""
    slug = project["slug"]
    if user.get("agent") and user["agent"] != agent and not set(user.get("roles") or ()) & LEADER_ROLES:
        raise PermissionDenied(N_("an agent asks for a swap of their own shift only"))
    if agent == other:
        raise ValidationError(N_("other agent"), N_("name another agent to swap with"))
    first, second = _side(fw, slug, agent, day), _side(fw, slug, other, other_day)
    found = reasons(fw, project, first, second)
    if found:
        raise Refused(found)
    doc = {"id": new_id(), "date": first["date"],
           "first": {"agent": agent, "date": first["date"], "shift": first["shift"], "team": first["team"]},
           "second": {"agent": other, "date": second["date"], "shift": second["shift"],
                      "team": second["team"]},
           "teams": sorted({first["team"], second["team"]}), "status": "asked",
           "asked_by": user["username"], "asked_at": now_iso(), "accepted_at": None,
           "approvals": {}, "reason": ""}
    with fw.store.transaction(rosters.month_key(fw, slug, doc["date"][:7]), user["username"],
                              "attendance.swap.ask") as tx:
        latest = max((s["asked_at"] for s in tx.docs(SWAPS).values()), default="")
        if doc["asked_at"] <= latest:  # two asked in one millisecond: the one stored first is first
            doc["asked_at"] = _a_moment_after(latest)
        return tx.insert(SWAPS, doc)


def _a_moment_after(stamp: str) -> str:
    """*stamp* (``now_iso``'s form, to the millisecond) plus one millisecond."""
    moment = dt.datetime.fromisoformat(stamp) + dt.timedelta(milliseconds=1)
    return moment.isoformat(timespec="milliseconds")


def find(fw, project: str, swap_id: str) -> tuple[str, dict]:
    found = rosters.locate(fw, project, SWAPS, swap_id)
    if found is not None:
        return found
    raise NotFound(N_("no shift swap {id!r}"), id=swap_id)


def _update(fw, key: str, swap_id: str, change: dict, user: dict, action: str) -> dict:
    with fw.store.transaction(key, user["username"], action) as tx:
        return tx.update(SWAPS, swap_id, change)


def accept(fw, project: dict, swap_id: str, user: dict) -> dict:
    """The other agent agrees to the swap."""
    key, doc = find(fw, project["slug"], swap_id)
    if doc["status"] != "asked":
        raise Conflict(N_("this swap is already {status}"), status=STATE_WORDS[doc["status"]])
    if user.get("agent") != doc["second"]["agent"]:
        raise PermissionDenied(N_("only {agent} can accept this swap"), agent=doc["second"]["agent"])
    return _update(fw, key, swap_id, {"status": "accepted", "accepted_at": now_iso()}, user,
                   "attendance.swap.accept")


def approve(fw, project: dict, swap_id: str, user: dict, team: str) -> dict:
    """A team leader approves for *team*; once each side's team has approved, the roster changes.
    One person approves one side only (unless both agents are in the same team). A team leader
    approves only for a team they lead (the page checks it with ``attendance.swap.decide``); a
    supervisor or above for any team."""
    slug = project["slug"]
    key, doc = find(fw, slug, swap_id)
    if doc["status"] != "accepted":
        raise Conflict(N_("a swap is approved after the other agent accepts it; this one is {status}"),
                       status=STATE_WORDS[doc["status"]])
    if not set(user.get("roles") or ()) & LEADER_ROLES:
        raise PermissionDenied(N_("a team leader approves swaps"))
    if team not in doc["teams"] or team in doc["approvals"]:
        raise ValidationError(N_("team"), N_("team {team} has nothing to approve in this swap"), team=team)
    fw.access.authorize(user, "attendance.swap.decide", project, {"team": team})
    if user["username"] in doc["approvals"].values():
        raise PermissionDenied(N_("the other team's leader must approve the other side"))
    approvals = {**doc["approvals"], team: user["username"]}
    if set(approvals) != set(doc["teams"]):
        return _update(fw, key, swap_id, {"approvals": approvals}, user, "attendance.swap.approve")
    first = _side(fw, slug, doc["first"]["agent"], doc["first"]["date"])
    second = _side(fw, slug, doc["second"]["agent"], doc["second"]["date"])
    if (first["shift"], second["shift"]) != (doc["first"]["shift"], doc["second"]["shift"]):
        raise Conflict(N_("the roster changed since the swap was asked; ask again"))
    found = reasons(fw, project, first, second, swap=doc)
    if found:
        raise Refused(found)
    _apply(fw, slug, doc, user["username"], key, {"approvals": approvals, "status": "approved"})
    return find(fw, slug, swap_id)[1]


def _apply(fw, project: str, doc: dict, actor: str, swap_key: str, change: dict) -> None:
    """Write the swapped roster and the swap's new state, every file locked before any commits."""
    a, b = doc["first"], doc["second"]
    if a["date"] == b["date"]:
        cells = [(a["agent"], a["date"], b["shift"]), (b["agent"], b["date"], a["shift"])]
    else:
        cells = [(a["agent"], a["date"], None), (a["agent"], b["date"], b["shift"]),
                 (b["agent"], b["date"], None), (b["agent"], a["date"], a["shift"])]
    by_key: dict[str, list] = {}
    for agent, day, code in cells:
        by_key.setdefault(rosters.month_key(fw, project, day[:7]), []).append((agent, day, code))
    with ExitStack() as stack:
        txs = {k: stack.enter_context(fw.store.transaction(k, actor, "attendance.swap.apply"))
               for k in sorted(set(by_key) | {swap_key})}
        for k, batch in by_key.items():
            for agent, day, code in batch:
                assignment = fw.agents.assignment_on(agent, day)
                entry_doc = {"id": rosters.entry_id(agent, day), "agent": agent, "date": day,
                             "shift": code, "team": assignment["team"], "swap": doc["id"],
                             "source": "swap"}
                if txs[k].get(rosters.ROSTER, entry_doc["id"]) is None:
                    txs[k].insert(rosters.ROSTER, entry_doc)
                else:
                    txs[k].update(rosters.ROSTER, entry_doc["id"], entry_doc)
        txs[swap_key].update(SWAPS, doc["id"], change)


def reject(fw, project: dict, swap_id: str, user: dict, reason: str) -> dict:
    """The other agent declines, or a team leader refuses; a leader gives a reason."""
    key, doc = find(fw, project["slug"], swap_id)
    if doc["status"] not in ("asked", "accepted"):
        raise Conflict(N_("this swap is already {status}"), status=STATE_WORDS[doc["status"]])
    leader = bool(set(user.get("roles") or ()) & LEADER_ROLES)
    if not leader and user.get("agent") != doc["second"]["agent"]:
        raise PermissionDenied(N_("only {agent} can accept this swap"), agent=doc["second"]["agent"])
    reason = validate.text(reason, N_("reason"))
    if leader and not reason:
        raise ValidationError(N_("reason"), N_("say why the swap is rejected"))
    return _update(fw, key, swap_id, {"status": "rejected", "reason": reason}, user,
                   "attendance.swap.reject")


def cancel(fw, project: dict, swap_id: str, user: dict) -> dict:
    """The asker withdraws a swap not yet approved."""
    key, doc = find(fw, project["slug"], swap_id)
    if doc["status"] not in ("asked", "accepted"):
        raise Conflict(N_("this swap is already {status}"), status=STATE_WORDS[doc["status"]])
    if doc["asked_by"] != user["username"] and not set(user.get("roles") or ()) & MANAGER_ROLES:
        raise PermissionDenied(N_("only whoever asked can withdraw the swap"))
    return _update(fw, key, swap_id, {"status": "cancelled"}, user, "attendance.swap.cancel")


def waiting(fw, project: str) -> list[dict]:
    return [s for m in rosters.stored_months(fw, project) for s in month_swaps(fw, project, m)
            if s["status"] in ("asked", "accepted")]
