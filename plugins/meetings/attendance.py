"""A meeting's attendance: present, excused (with the leave that excuses it) or absent, and the
score it causes.

**The leave** is asked of the platform (`agent_availability`: attendance answers with approved
leave and the roster's rest days), never read from another plugin's files. An agent away on the
meeting's day is offered as excused with that absence; an excuse the platform does not know
(the supervisor's own permission) needs a written reason.

**The score.** Absent without leave from a department meeting (the cadence row says which:
never a shift's handover or roll-call) writes ``missed_meeting`` −10, source ``meetings``,
evidence ``meetings:meeting:<id>``, dated the meeting's day. Excused (or present) afterwards, the
deduction is reversed as a *decision* — a leader judged the excuse — so a later settle or the
month's close leaves it reversed; after the month closed it is a correction (`Ledger.correct`).
Signed minutes freeze present and absent, but an absence is still excused afterwards (`excuse`,
by those who take attendance, a team leader for its own teams' agents).
Several agents share a meeting's evidence key, so each agent's event is written and reversed
on its own rather than through `Ledger.settle`, whose decisions hold a whole key.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, Conflict, NotFound, ValidationError, now_iso, validate

from . import records
from .config import NAME, PRESENCE

RULE = "missed_meeting"
KIND = "meeting"


def evidence(meeting_id: str) -> str:
    return f"{NAME}:{KIND}:{meeting_id}"


def away(fw, project: dict, day: str, numbers: list[str]) -> dict[str, dict]:
    """Agent number → the absence that covers *day* (kind, first, last), as the enabled plugins
    answer the platform's `agent_availability`."""
    when = dt.date.fromisoformat(day)
    answers = fw.project_hook(project, "agent_availability")(
        floorwalker=fw, project=project, first=when, last=when, agents=list(numbers))
    found = {}
    for absence in (a for answer in answers for a in (answer or ())):
        if absence.first <= when <= absence.last and absence.agent in numbers:
            found.setdefault(absence.agent, {"kind": absence.kind, "first": absence.first.isoformat(),
                                             "last": absence.last.isoformat()})
    return found


def _who(fw, number: str) -> str:
    """The agent's name for a message (the number when the register does not know it)."""
    try:
        return fw.agents.get(number)["name"]
    except NotFound:  # a number the register does not know: the number is all there is
        return number


def live_event(fw, slug: str, meeting: dict, agent: str) -> dict | None:
    """The agent's ``missed_meeting`` for *meeting* that still counts, if any."""
    events = fw.ledger.events(slug, meeting["date"][:7])
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    corrected = {e.get("corrects") for e in events}
    for later in _later_months(fw, slug, meeting["date"][:7]):
        corrected |= {e.get("corrects") for e in fw.ledger.events(slug, later)}
    return next((e for e in events if e["evidence"] == evidence(meeting["id"]) and e["agent"] == agent
                 and not e["reverses"] and e["id"] not in reversed_ids and e["id"] not in corrected
                 and e["source"] == NAME), None)


def _later_months(fw, slug: str, month: str) -> list[str]:
    today = fw.projects.today(fw.projects.get(slug)).isoformat()[:7]
    return [m for m in validate.months_between(month, max(month, today)) if m != month]


def take(fw, project: dict, meeting_id: str, marks: dict[str, tuple[str, str]], actor: str) -> dict:
    """Record attendance: *marks* maps an expected agent's number to (state, note). Returns the
    meeting as stored. Each change of an absence from a department meeting scores or reverses."""
    slug = project["slug"]
    meeting = records.get(fw, project, meeting_id)
    if (meeting.get("minutes") or {}).get("signed_by"):
        # signed minutes freeze present and absent; an absence may still be excused (`excuse`)
        was = meeting.get("attendance") or {}
        if not all(mark == "excused" and (was.get(n) or {}).get("state") in ("absent", "excused")
                   for n, (mark, _) in marks.items()):
            raise Conflict(N_("the minutes of {id} are signed: only an absence may still be excused"),
                           id=meeting["id"])
        for number, (_, note) in marks.items():
            if was[number]["state"] == "absent":
                meeting = excuse(fw, project, meeting["id"], number, note, actor)
        return meeting
    if meeting["date"] > fw.projects.today(project).isoformat():
        raise ValidationError(N_("attendance"), N_("attendance is taken on the meeting's day, not before"))
    leave = away(fw, project, meeting["date"], list(marks))
    taken = dict(meeting.get("attendance") or {})
    for number, (mark, note) in marks.items():
        if number not in meeting["expected"]:
            raise ValidationError(N_("attendance"), N_("{number} is not expected at this meeting"), number=_who(fw, number))
        if mark not in PRESENCE:
            raise ValidationError(N_("attendance"), N_("{number}: choose present, excused or absent"), number=_who(fw, number))
        note = validate.text(note, N_("reason"), 200)
        if mark == "excused" and number not in leave and not note:
            raise ValidationError(N_("reason"), N_("{number} has no leave that day: say what excuses the "
                                                   "absence"), number=_who(fw, number))
        entry = {"state": mark, "by": actor, "at": now_iso()}
        if mark == "excused":
            entry.update(leave=leave.get(number), note=note)
        elif note:
            entry["note"] = note
        taken[number] = entry
    doc = records.update(fw, project, meeting["id"], actor, f"{NAME}.attendance", lambda d: {"attendance": taken})
    if meeting.get("department"):
        for number, (mark, note) in marks.items():
            score(fw, slug, doc, number, mark, note, actor)
    return doc


def excuse(fw, project: dict, meeting_id: str, number: str, note, actor: str) -> dict:
    """Excuse an absence afterwards — leave approved after the meeting, a reason the chair
    accepts — whether or not the minutes are signed and the month closed: the only change a
    signed meeting's attendance still takes. The mark becomes excused (keeping what it was, who
    excused it and when: one audited store transaction) and a ``missed_meeting`` it had cost is
    reversed as a decision, or corrected in the open month after a close (`score`)."""
    meeting = records.get(fw, project, meeting_id)
    if meeting["expected"] and number not in meeting["expected"]:
        raise ValidationError(N_("attendance"), N_("{number} is not expected at this meeting"), number=_who(fw, number))
    leave = away(fw, project, meeting["date"], [number])
    note = validate.text(note, N_("reason"), 200)
    if number not in leave and not note:
        raise ValidationError(N_("reason"), N_("{number} has no leave that day: say what excuses the "
                                               "absence"), number=_who(fw, number))

    def change(doc):
        was = (doc.get("attendance") or {}).get(number) or {}
        if was.get("state") != "absent":
            raise ValidationError(N_("attendance"), N_("{number} is not marked absent: only an absence is "
                                                       "excused afterwards"), number=_who(fw, number))
        entry = {"state": "excused", "by": actor, "at": now_iso(), "leave": leave.get(number), "note": note,
                 "afterwards": True, "was": {k: was[k] for k in ("state", "by", "at") if k in was}}
        return {"attendance": {**doc["attendance"], number: entry}}
    doc = records.update(fw, project, meeting["id"], actor, f"{NAME}.excuse", change)
    if doc.get("department"):
        score(fw, project["slug"], doc, number, "excused", note, actor)
    return doc


def score(fw, slug: str, meeting: dict, number: str, mark: str, note: str, actor: str) -> None:
    """Bring the agent's ``missed_meeting`` for *meeting* in line with its attendance."""
    event = live_event(fw, slug, meeting, number)
    if mark == "absent" and event is None:
        project = fw.projects.get(slug)
        done = fw.ledger.prepare(project, number, RULE, meeting["date"], actor, reason=meeting["title"],
                                 source=NAME, evidence=evidence(meeting["id"]), allow_derived=True)
        fw.ledger.write([done], actor, f"{NAME}.attendance")
    elif mark != "absent" and event is not None:
        reason = note or ("缺席已获准假" if mark == "excused" else "已确认出席")  # the ledger keeps the floor's words
        if event["period"] in fw.store.closed_months(slug):
            fw.ledger.correct(event["id"], reason, actor, slug)
        else:
            fw.ledger.reverse(event["id"], reason, actor, slug, decision=True)


def sheet(fw, project: dict, meeting: dict) -> list[dict]:
    """The attendance form: each expected agent with its name, team, mark and the leave the
    platform knows on the day (offered as the excuse)."""
    leave = away(fw, project, meeting["date"], meeting["expected"])
    people = {a["number"]: (a, s) for a, s in fw.agents.in_project(project["slug"], meeting["date"])}
    teams = {t["slug"]: t["name"] for t in fw.teams.of(project["slug"])}
    rows = []
    for number in meeting["expected"]:
        agent, assignment = people.get(number, ({"number": number, "name": number}, {}))
        taken = (meeting.get("attendance") or {}).get(number) or {}
        rows.append({"number": number, "name": agent["name"], "team": teams.get(assignment.get("team") or "", ""),
                     "state": taken.get("state") or ("excused" if number in leave else ""),
                     "note": taken.get("note") or "", "leave": taken.get("leave") or leave.get(number),
                     "afterwards": taken.get("by") if taken.get("afterwards") else ""})
    return rows
