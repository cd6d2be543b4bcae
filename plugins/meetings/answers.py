"""Unified answers (统一答复口径, issue 15 item 3) and the month's blocker of unsigned minutes.

A decision written in a meeting's minutes can publish a unified answer to every agent of the
project or of chosen teams. The agents expected are fixed when it is published; each reads and
signs it on the phone. An answer is *in force* once every expected agent has signed, or once its
deadline (the setting ``answer_hours``, 48 by default) has passed; until an agent signs, the
answer waits in that agent's "waiting for me" — after the deadline too.

Answers live in the plugin's file (table ``answers``, ids ``U0001`` …), ``dated: None`` like the
meetings; each publication and signature is one audited store transaction.

A month may not close while a meeting of it has minutes written but not signed by the chair
(`blockers`). A meeting with no minutes at all is *missed* on the calendar and in the figures,
not a blocker: a planned meeting never held could not be settled, and attendance alone must not
force a sign-off (signed minutes freeze the attendance, and an absence may still be excused
after the month closed).
"""

from __future__ import annotations

import datetime as dt
import re

from floorwalker.core import N_, Blocker, Conflict, NotFound, Setting, ValidationError, WaitingItem, validate

from . import records
from .config import GROUP, NAME

TABLE = "answers"
_ID = re.compile(r"^U(\d+)$")
TEXT_LIMIT = 2000

SETTINGS = [
    Setting("answer_hours", "int", 48, "Hours the agents have to sign a unified answer",
            "统一答复口径签收时限（小时）", min=1, max=720,
            help_en="After this, the answer is in force even if some agents have not signed yet.",
            help_zh="超过时限后，即使仍有坐席未签收，该口径也生效。", **GROUP),
]


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat(timespec="minutes")


def all_of(fw, project) -> list[dict]:
    """The project's unified answers, newest first."""
    docs = fw.store.table(records.key(fw, project["slug"]), TABLE).values()
    return sorted(docs, key=lambda d: (d["published_at"], d["id"]), reverse=True)


def get(fw, project, answer_id: str) -> dict:
    doc = fw.store.table(records.key(fw, project["slug"]), TABLE).get(str(answer_id).strip().upper())
    if doc is None:
        raise NotFound(N_("no unified answer {id!r}"), id=answer_id)
    return doc


def agents_of(fw, project: dict, teams, day: str) -> list[str]:
    """The numbers of the agents (not the team leaders) of the project, or of *teams*, on *day*."""
    people = [(a, s) for a, s in fw.agents.in_project(project["slug"], day)
              if (a.get("position") or "agent") == "agent"]
    return sorted({a["number"] for a, s in people if not teams or s.get("team") in teams})


def publish(fw, project: dict, meeting_id: str, decision, text, teams, actor: str) -> dict:
    """Publish the decision numbered *decision* (1, 2 … in the minutes) of a meeting as a unified
    answer worded *text* (the decision itself when empty), for the agents of *teams* (all the
    project's agents when none)."""
    meeting = records.get(fw, project, meeting_id)
    decisions = (meeting.get("minutes") or {}).get("decisions") or []
    if not decisions:
        raise ValidationError(N_("Decision"), N_("write the meeting's decisions in its minutes first"))
    try:
        index = int(str(decision or "1").strip())
    except ValueError:
        index = 0
    if not 1 <= index <= len(decisions):
        raise ValidationError(N_("Decision"), N_("choose one of the meeting's decisions"))
    wording = validate.text(text, N_("Unified answer"), TEXT_LIMIT) or decisions[index - 1]
    known = {t["slug"] for t in fw.teams.of(project["slug"])}
    teams = sorted({str(t).strip() for t in (teams or ()) if str(t).strip()})
    if set(teams) - known:
        raise ValidationError(N_("Teams"), N_("choose teams of this project"))
    now = fw.projects.now(project)
    expected = agents_of(fw, project, teams, now.date().isoformat())
    if not expected:
        raise ValidationError(N_("Teams"), N_("no agent of these teams would read it"))
    hours = int(fw.projects.settings(project, NAME)["answer_hours"])
    doc = {"meeting": meeting["id"], "decision": decisions[index - 1], "text": wording, "teams": teams,
           "expected": expected, "signed": {}, "published_by": actor, "published_at": _stamp(now),
           "deadline": _stamp(now + dt.timedelta(hours=hours)), "dated": None}
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.answer") as tx:
        numbers = [int(m.group(1)) for i in tx.docs(TABLE) if (m := _ID.match(i))]
        return tx.insert(TABLE, {**doc, "id": f"U{max(numbers, default=0) + 1:04d}"})


def sign(fw, project: dict, answer_id: str, user: dict) -> dict:
    """The agent linked to *user* signs that it has read the answer (once)."""
    number = user.get("agent") or ""
    with fw.store.transaction(records.key(fw, project["slug"]), user["username"], f"{NAME}.answer.sign") as tx:
        doc = tx.get(TABLE, str(answer_id).strip().upper())
        if doc is None:
            raise NotFound(N_("no unified answer {id!r}"), id=answer_id)
        if number not in doc["expected"]:
            raise ValidationError(N_("Unified answer"), N_("this answer is not addressed to you"))
        if number in doc["signed"]:
            raise Conflict(N_("you have signed this answer already"))
        return tx.update(TABLE, doc["id"], {"signed": {**doc["signed"], number: _stamp(fw.projects.now(project))}})


def unsigned(doc: dict) -> list[str]:
    return [n for n in doc["expected"] if n not in doc["signed"]]


def in_force(doc: dict, now: dt.datetime) -> bool:
    """Every expected agent has signed, or the deadline has come."""
    return not unsigned(doc) or _stamp(now) >= doc["deadline"]


def to_sign(fw, project: dict, number: str) -> list[dict]:
    """The answers agent *number* is expected to sign and has not."""
    return [d for d in all_of(fw, project) if number in d["expected"] and number not in d["signed"]]


def waiting(fw, project: dict, user: dict) -> list[WaitingItem]:
    if not user.get("agent"):
        return []
    count = len(to_sign(fw, project, user["agent"]))
    return [WaitingItem("Unified answers to read and sign", "待签收的统一答复口径", count,
                        f"/p/{project['slug']}/{NAME}/answers/mine")] if count else []


def unsigned_minutes(fw, project: dict, period: str) -> list[dict]:
    """The meetings of *period* whose minutes are written but not signed by the chair."""
    return [m for m in records.of_month(fw, project, period)
            if (m.get("minutes") or {}).get("taker") and not m["minutes"].get("signed_by")]


def blockers(fw, project: dict, period: str) -> list[Blocker]:
    late = unsigned_minutes(fw, project, period)
    return [Blocker(NAME, "Meetings whose minutes are not signed", "会议纪要未签发", len(late),
                    f"/p/{project['slug']}/{NAME}/?month={period}")] if late else []
