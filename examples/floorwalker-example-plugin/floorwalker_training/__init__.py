"""floorwalker-training: trainers' assessments (培训考核) as a Floorwalker plugin.

An example of a third-party plugin, complete but small. It shows each part a real plugin has:

* score rules it adds to the catalogue (`register_score_rules`) — a bonus for a top result, a
  deduction for a failed one;
* per-project settings with defaults and bounds (`register_settings`);
* its own records, kept through the store's API in ``projects/<slug>/training`` (a plugin never
  opens a data file itself), each ledger event pointing at the session that caused it;
* a blocker that stops a month closing while a session has no result (`period_blockers`);
* a section on the agent's month page (`agent_sections`) rendered from its own template;
* a reaction to an agent leaving (`on_agent_left`): future sessions are dropped.

It imports only `floorwalker.core`, the API the core promises to plugins. Every hook below is
project-scoped unless said otherwise: the core calls it only for projects that enable `training`.
"""

from __future__ import annotations

from floorwalker.core import (N_, AgentSection, Blocker, NotFound, ScoreRule, Setting,
                              ValidationError, hookimpl)

from .rules import FAILED, PASSED, result_rule, unscored

NAME = "training"
TABLE = "sessions"


def _key(floorwalker, project: str) -> str:
    return floorwalker.store.plugin_key(project, NAME)


def sessions(floorwalker, project: str, agent: str | None = None) -> list[dict]:
    """The training sessions of *project* (of one *agent* if given), oldest first."""
    found = floorwalker.store.table(_key(floorwalker, project), TABLE).values()
    return sorted((s for s in found if agent is None or s["agent"] == agent),
                  key=lambda s: (s["date"], s["id"]))


def schedule(floorwalker, project: str, agent: str, date: str, topic: str, actor: str) -> dict:
    """Book *agent* on a session about *topic* on *date*."""
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
        evidence=f"{NAME}:{session_id}", reason=f"{session['topic']}: {score}")
    if session.get("event"):
        floorwalker.ledger.reverse(session["event"], f"{session['topic']}: {session['score']} → {score}",
                                   actor, project)
    if event:
        floorwalker.ledger.write([event], actor, "training.result")
    with floorwalker.store.transaction(key, actor, "training.result") as tx:
        return tx.update(TABLE, session_id, {"score": score, "event": event and event["id"]})


# ------------------------------------------------------------------ hooks


@hookimpl
def register_score_rules():
    """Called once at start (not project-scoped): the codes must be unique in the install."""
    return [
        ScoreRule(PASSED, "bonus", 3, "Top result in a training assessment", "培训考核成绩优秀"),
        ScoreRule(FAILED, "light", -2, "Failed a training assessment", "培训考核不及格",
                  min_points=-5, max_points=-2),
    ]


@hookimpl
def register_settings():
    return [
        Setting("pass_mark", "int", 80, "Pass mark of an assessment", "考核及格分", min=0, max=100),
        Setting("top_mark", "int", 95, "Mark that earns the bonus", "获得加分的成绩", min=0, max=100),
    ]


@hookimpl
def period_blockers(floorwalker, project, period):
    waiting = unscored(sessions(floorwalker, project["slug"]), period)
    if not waiting:
        return []
    return [Blocker(NAME, "Training sessions without a result", "培训考核尚未录入成绩",
                    count=len(waiting), url=f"/p/{project['slug']}/{NAME}/")]


@hookimpl
def agent_sections(floorwalker, project, agent, period):
    mine = [s for s in sessions(floorwalker, project["slug"], agent["number"])
            if s["date"].startswith(period)]
    return [AgentSection(NAME, "Training", "培训", f"{NAME}/agent_section.html",
                         {"sessions": mine}, order=60)]


@hookimpl
def on_agent_left(floorwalker, project, agent, date):
    """A leaver keeps the sessions already held; those booked after the last day are dropped."""
    key = _key(floorwalker, project["slug"])
    with floorwalker.store.transaction(key, "system", "training.leaver") as tx:
        for session in list(tx.docs(TABLE).values()):
            if session["agent"] == agent["number"] and session["date"] > date:
                tx.remove(TABLE, session["id"])
