"""The pages of the questions from the floor under ``/p/{project}/meetings/questions``: the
leaders' list (a team leader's teams first; what the next briefing collects on top) with the
answer and the turn into a unified answer, and the agent's phone page to raise a question and
read its own and the answered ones. A team leader answers only its teams' questions (`ANSWER`
is a ``writes`` action, checked on the question's agent)."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, NotFound, PermissionDenied, Route, ValidationError

from . import questions, records
from .actions import ANSWER, MINE, VIEW
from .answer_pages import _names as names_of
from .coaching_pages import MY_TEAMS
from .pages import base

FILTERS = ("raised", "answered", "unified", "all")


def next_briefing_day(p) -> str:
    """Today when today is a working day and its briefing is still to come — its time not
    reached, or today's briefing not held yet (its minutes not signed) — else the next working
    day: the briefing the questions raised now are collected for."""
    now = p.fw.projects.now(p.project)
    today = now.date()
    holidays = p.fw.calendar.current()
    pending = any(m["kind"] == "briefing" and m["date"] == today.isoformat()
                  and not (m.get("minutes") or {}).get("signed_by") for m in records.all_of(p.fw, p.project))
    if holidays.is_workday(today) and (pending or now.isoformat(timespec="minutes") < questions.briefing_moment(
            p.fw, p.project, today.isoformat())):
        return today.isoformat()
    return holidays.add_workdays(today, 1).isoformat()


def _teams(p) -> tuple[str, set[str] | None]:
    led = set(questions.led_teams(p.project, p.user))
    chosen = p.request.query_params.get("team")
    if chosen is None:
        chosen = MY_TEAMS if led else ""
    return chosen, (led if chosen == MY_TEAMS else {chosen} if chosen else None)


def question_list(p, error: str | None = None, status: int = 200, failed: str = "") -> Response:
    chosen, teams = _teams(p)
    shown = p.request.query_params.get("status") or "all"
    shown = shown if shown in FILTERS else "all"
    day = next_briefing_day(p)
    collected = [q for q in questions.since_last_briefing(p.fw, p.project, day) if teams is None or q["team"] in teams]
    rows = [q for q in questions.for_leader(p.fw, p.project, teams) if shown == "all" or q["status"] == shown]
    every = p.fw.teams.of(p.project["slug"])
    return p.render("meetings/questions.html", http_status=status, error=error, failed=failed, rows=rows,
                    collected=collected, day=dt.date.fromisoformat(day), chosen=chosen, shown=shown,
                    teams=every, team_names={t["slug"]: t["name"] for t in every},
                    names=names_of(p, {q["agent"] for q in rows + collected}),
                    led=questions.led_teams(p.project, p.user), can_answer=p.can(ANSWER),
                    briefings=[records.shown(m, p.locale) for m in questions.briefings(p.fw, p.project)], states=questions.STATES, base=base(p))


def _act(p, do) -> Response:
    doc = questions.get(p.fw, p.project, p.params["id"])  # 404 before anything else
    p.authorize(ANSWER, {"agent": doc["agent"], "date": p.fw.projects.today(p.project).isoformat()})
    try:
        do(doc)
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return question_list(p, err.message(p.locale), err.http_status, failed=doc["id"])
    return p.redirect(f"{base(p)}/questions#{doc['id']}")


def answer(p) -> Response:
    teams = p.form.get("teams") or []  # a list where several are ticked
    teams = teams if isinstance(teams, list) else [teams]
    return _act(p, lambda doc: questions.answer(p.fw, p.project, doc["id"], p.form.get("text"), teams,
                                                p.user["username"], p.form.get("meeting") or ""))


def unify(p) -> Response:
    def do(doc):
        if p.form.get("confirm") != "yes":
            raise ValidationError(N_("Unified answer"), N_("confirm the publication"))
        questions.unify(p.fw, p.project, doc["id"], p.form.get("meeting"), p.user["username"])
    return _act(p, do)


def mine(p, error: str | None = None, status: int = 200) -> Response:
    """The agent's phone page: raise a question, its own questions, the answered ones."""
    own, answered = questions.for_agent(p.fw, p.project, p.user.get("agent") or "")
    return p.render("meetings/questions_mine.html", http_status=status, error=error, own=own,
                    answered=answered, form=p.form if error else {}, states=questions.STATES, base=base(p),
                    request_raised=p.request.query_params.get("raised") == "1")


def raise_question(p) -> Response:
    try:
        questions.raise_question(p.fw, p.project, p.user, p.form.get("text"), p.form.get("context"))
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return mine(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/questions/mine?raised=1")


def routes() -> list[Route]:
    """Placed before the meeting pages' ``/{id}``."""
    post = ("POST",)
    return [
        Route("/questions", question_list, action=VIEW),
        Route("/questions", raise_question, action=MINE, methods=post),
        Route("/questions/mine", mine, action=MINE),
        Route("/questions/{id}/answer", answer, action=ANSWER, methods=post),
        Route("/questions/{id}/unify", unify, action=ANSWER, methods=post),
    ]
