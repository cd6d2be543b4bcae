"""The handover log (交接班记录): one per team and shift change, accepted or refused by the
incoming side.

The changes a team should log on a day follow from its roster: its shifts of the day in order of
start, each handing over to the next, and the day's last shift to the next day's first when it
runs past midnight. A change in the past with no log is missing, and shows as such; the leader
may then record the deduction (`sheet.record_mark(kind="handover")`) for the outgoing agent.
Logs live in the month file of the day of the change (table ``handovers``).
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (Conflict, N_, NotFound, PermissionDenied, ValidationError, new_id,
                              now_iso, validate)

from . import roster as rosters
from .requests import STATE_WORDS

HANDOVERS = "handovers"


def expected(fw, project: str, first: dt.date, last: dt.date) -> list[dict]:
    """The shift changes each team should log from *first* to *last*."""
    return [{k: v for k, v in c.items() if k != "to_date"} for c in changes(fw, project, first, last)]


def changes(fw, project: str, first: dt.date, last: dt.date) -> list[dict]:
    """`expected`, each change with the date its incoming shift starts on (``to_date``)."""
    known = rosters.shifts(fw, project)
    entries = rosters.roster_between(fw, project, first, last + dt.timedelta(days=1)).values()
    by_team_day: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        if e["shift"] in known:
            by_team_day.setdefault((e["team"], e["date"]), set()).add(e["shift"])
    found = []
    for (team, day), codes in sorted(by_team_day.items()):
        if day > last.isoformat():
            continue
        ordered = sorted(codes, key=lambda c: (known[c].start, c))
        for out, into in zip(ordered, ordered[1:]):
            found.append({"team": team, "date": day, "from_shift": out, "to_shift": into, "to_date": day})
        if known[ordered[-1]].crosses_midnight:
            next_day = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
            following = by_team_day.get((team, next_day))
            if following:
                first_next = min(following, key=lambda c: (known[c].start, c))
                found.append({"team": team, "date": day, "from_shift": ordered[-1],
                              "to_shift": first_next, "to_date": next_day})
    return found


def logs(fw, project: str, month: str) -> list[dict]:
    return sorted(fw.store.table(rosters.month_key(fw, project, month), HANDOVERS).values(),
                  key=lambda h: (h["date"], h["team"], h["from_shift"]))


def board(fw, project: str, first: dt.date, last: dt.date, now: dt.datetime) -> list[dict]:
    """Each expected change with its log, or marked missing once the outgoing shift has ended."""
    known = rosters.shifts(fw, project)
    found = {}
    for month in rosters.months_of(first, last):
        for h in logs(fw, project, month):
            found[(h["team"], h["date"], h["from_shift"], h["to_shift"])] = h
    rows = []
    for change in expected(fw, project, first, last):
        log = found.get((change["team"], change["date"], change["from_shift"], change["to_shift"]))
        ends = known[change["from_shift"]].span(dt.date.fromisoformat(change["date"]))[1]
        rows.append({**change, "log": log, "missing": log is None and ends <= now})
    return rows


def write_log(fw, project: str, user: dict, team: str, day: str, from_shift: str, to_shift: str,
              outgoing: str, incoming: str, equipment: str, cases: str = "", staffing: str = "") -> dict:
    """The outgoing side fills the log: who hands over to whom, equipment, open cases, staffing."""
    day = dt.date.fromisoformat(day).isoformat()
    outgoing = validate.text(outgoing, N_("outgoing"), required=True)
    incoming = validate.text(incoming, N_("incoming"), required=True)
    equipment = validate.text(equipment, N_("equipment"), required=True)
    cases = validate.text(cases, N_("cases"))
    staffing = validate.text(staffing, N_("staffing"))
    if not any(c["team"] == team and c["from_shift"] == from_shift and c["to_shift"] == to_shift
               for c in expected(fw, project, dt.date.fromisoformat(day), dt.date.fromisoformat(day))):
        raise ValidationError(N_("shift"), N_("team {team} has no change from {out} to {into} on {day}"),
                              team=team, out=from_shift, into=to_shift, day=day)
    doc = {"id": new_id(), "team": team, "date": day, "from_shift": from_shift, "to_shift": to_shift,
           "outgoing": outgoing, "incoming": incoming, "equipment": equipment,
           "cases": cases, "staffing": staffing, "status": "submitted",
           "by": user["username"], "at": now_iso(), "answered_by": None, "refusal": ""}
    with fw.store.transaction(rosters.month_key(fw, project, day[:7]), user["username"],
                              "attendance.handover") as tx:
        if any((h["team"], h["date"], h["from_shift"], h["to_shift"]) == (team, day, from_shift, to_shift)
               and h["status"] != "refused" for h in tx.docs(HANDOVERS).values()):
            raise Conflict(N_("this handover is already logged"))
        return tx.insert(HANDOVERS, doc)


def find(fw, project: str, log_id: str) -> tuple[str, dict]:
    """(month file key, log) of a handover log of *project*; another project's is not found."""
    found = rosters.locate(fw, project, HANDOVERS, log_id)
    if found is None:
        raise NotFound(N_("no handover log {id!r}"), id=log_id)
    return found


def answer(fw, project: str, log_id: str, accept: bool, user: dict, refusal: str = "") -> dict:
    """The incoming side accepts the log, or refuses it with a reason (the outgoing side logs
    again)."""
    key, doc = find(fw, project, log_id)
    if doc["status"] != "submitted":
        raise Conflict(N_("this handover is already {status}"), status=STATE_WORDS[doc["status"]])
    if user["username"] == doc["by"]:
        raise PermissionDenied(N_("the incoming side answers a handover, not whoever wrote it"))
    refusal = validate.text(refusal, N_("reason"))
    if not accept and not refusal:
        raise ValidationError(N_("reason"), N_("say why the handover is refused"))
    with fw.store.transaction(key, user["username"], "attendance.handover.answer") as tx:
        return tx.update(HANDOVERS, log_id, {"status": "accepted" if accept else "refused",
                                              "answered_by": user["username"], "refusal": refusal})
