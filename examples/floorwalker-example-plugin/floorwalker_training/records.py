"""The plugin's records: training sessions and their results, kept through the store's API.

Sessions live in ``projects/<slug>/training`` (table ``sessions``), written only in store
transactions — locked, atomic, audited — so a session dated in a closed month can no longer
change. A result's score event names the session as its evidence (``training:session:<id>``).
"""

from __future__ import annotations

from floorwalker.core import N_, NotFound, ValidationError, validate

from .rules import overdue, result_rule

NAME = "training"
TABLE = "sessions"
TOPIC_LIMIT = 200


def _key(floorwalker, project: str) -> str:
    return floorwalker.store.plugin_key(project, NAME)


def sessions(floorwalker, project: str, agent: str | None = None) -> list[dict]:
    """The training sessions of *project* (of one *agent* if given), oldest first."""
    found = floorwalker.store.table(_key(floorwalker, project), TABLE).values()
    return sorted((s for s in found if agent is None or s["agent"] == agent),
                  key=lambda s: (s["date"], s["id"]))


def schedule(floorwalker, project: str, agent: str, date: str, topic: str, actor: str) -> dict:
    """Book *agent* on a session about *topic* on *date*; the agent must be in the project then."""
    date = validate.date(date)
    topic = validate.text(topic, N_("topic"), TOPIC_LIMIT, required=True)
    floorwalker.agents.require_in_project(project, agent, date)
    with floorwalker.store.transaction(_key(floorwalker, project), actor, "training.schedule") as tx:
        return tx.insert(TABLE, {"agent": agent, "date": date, "topic": topic, "score": None,
                                 "event": None})


def record_result(floorwalker, project: str, session_id: str, score: int, actor: str) -> dict:
    """Store the assessment *score* of a session and the score event it earns, if any.

    The event names the session as its evidence, so the month's sheet leads back here. A
    corrected score reverses the event the old one caused (the ledger is never edited), so the
    agent's total follows on its own.
    """
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ValidationError(N_("score"), N_("expected a whole number from 0 to 100, got {value!r}"),
                              value=score)
    key = _key(floorwalker, project)
    session = floorwalker.store.table(key, TABLE).get(session_id)
    if session is None:
        raise NotFound(N_("no training session {id!r}"), id=session_id)
    project_doc = floorwalker.projects.get(project)
    settings = floorwalker.projects.settings(project_doc, NAME)
    code = result_rule(score, settings["pass_mark"], settings["top_mark"])
    # check the new event before changing anything, so a refusal leaves the old one standing
    event = code and floorwalker.ledger.prepare(
        project_doc, session["agent"], code, session["date"], actor, source=NAME,
        evidence=f"{NAME}:session:{session_id}", reason=f"{session['topic']}: {score}")
    if session.get("event"):
        floorwalker.ledger.reverse(session["event"], f"{session['topic']}: {session['score']} → {score}",
                                   actor, project)
    if event:
        floorwalker.ledger.write([event], actor, "training.result")
    with floorwalker.store.transaction(key, actor, "training.result") as tx:
        return tx.update(TABLE, session_id, {"score": score, "event": event and event["id"]})


def mark_due(floorwalker, project: dict, now) -> dict:
    """The job: mark each session whose day has passed without a result as due for one.

    Idempotent, as every job must be (the server and a cron line may both run it): a session
    is marked once, with the day it was found due, and a run with nothing to mark writes
    nothing. Months already closed are left alone: nothing in them may change.
    """
    slug = project["slug"]
    today = now.date().isoformat()
    closed = floorwalker.store.closed_months(slug)
    with floorwalker.store.transaction(_key(floorwalker, slug), "system", "training.due") as tx:
        late = [s for s in overdue(tx.docs(TABLE).values(), today) if s["date"][:7] not in closed]
        for session in late:
            tx.update(TABLE, session["id"], {"due": today})
    return {"marked": len(late)}


def drop_after(floorwalker, project: str, agent: str, last_day: str) -> None:
    """Drop *agent*'s sessions booked after *last_day* (a leaver keeps those already held)."""
    with floorwalker.store.transaction(_key(floorwalker, project), "system", "training.leaver") as tx:
        for session in list(tx.docs(TABLE).values()):
            if session["agent"] == agent and session["date"] > last_day:
                tx.remove(TABLE, session["id"])
