"""The casebook (案例库): evaluations marked as a good or a bad case, each with its lesson, and
the QA analysis meeting's material through the platform's `agenda_items` hook.

A case keeps what the meeting needs of its evaluation when it was marked — the score, the
fatal error, the items that lost points and their comments, and the evaluator's overall
comment — so a meetings plugin reads it without knowing the QA plugin's files. An evaluation
is a case at most once; a case is removed (confirmed first), never edited. The agenda shows the
lessons and what happened, not who the agent was: a bad case is shown to learn from, not to
name a colleague before the floor (the casebook page, for QA staff, names the agent). Cases
live in the plugin's project file (table ``cases``); they are no pay record (``dated`` None).
"""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from floorwalker.core import (N_, AgendaItem, Conflict, NotFound, Route,
                              ValidationError, new_id, now_iso, validate)

from . import evaluations
from .actions import CASEBOOK, VIEW
from .config import NAME
from .scorecard_pages import base

TABLE = "cases"
KINDS = {"good": N_("Good case"), "bad": N_("Bad case")}
LESSON_LIMIT = 2000
# the meeting kinds whose agenda takes the casebook (the QA analysis meeting, 质检分析会)
MEETINGS = ("qa", "qa_analysis")
AGENDA_DAYS = 31  # an agenda shows the cases marked in the month before the meeting


def _key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def cases(fw, slug: str, kind: str | None = None) -> list[dict]:
    """The project's cases, the newest marked first (of one *kind*, or all)."""
    docs = fw.store.table(_key(fw, slug), TABLE).values()
    return sorted((d for d in docs if not kind or d["kind"] == kind), key=lambda d: d["marked_at"], reverse=True)


def mark(fw, project: dict, evaluation_id: str, kind: str, lesson: str, actor: str) -> dict:
    """Make evaluation *evaluation_id* a good or bad case with its *lesson*; raises
    `ValidationError` (with ``field``: ``kind`` or ``lesson``) or `Conflict` when it is one."""
    slug = project["slug"]
    ev = evaluations.get(fw, slug, evaluation_id)
    if kind not in KINDS:
        raise ValidationError(N_("kind"), N_("choose a good or a bad case"))
    lesson = validate.text(lesson or "", N_("lesson"), LESSON_LIMIT)
    if not lesson:
        raise ValidationError(N_("lesson"), N_("say what the floor should learn from it"))
    lost = [{"section": i["section"], "item": i["item"], "points": i["points"], "maximum": i["maximum"],
             "comment": i.get("comment") or ""}
            for i in ev["items"] if not i["na"] and i["points"] is not None and i["points"] < i["maximum"]
            and any(s["title"] == i["section"] and s.get("weight") is not None for s in ev.get("sections", ()))]
    with fw.store.transaction(_key(fw, slug), actor, "qa.casebook.mark") as tx:
        if any(d["evaluation"] == evaluation_id for d in tx.docs(TABLE).values()):
            raise Conflict(N_("this evaluation is in the casebook already"))
        return tx.insert(TABLE, {"id": new_id(), "dated": None, "evaluation": evaluation_id, "kind": kind,
                                 "lesson": lesson, "agent": ev["agent"], "interaction": ev["interaction"],
                                 "channel": ev.get("channel"), "date": ev["date"], "score": ev["score"],
                                 "fatal": ev["fatal"], "comment": ev.get("comment") or "", "lost": lost,
                                 "marked_by": actor, "marked_at": now_iso()})


def remove(fw, project: dict, case_id: str, actor: str) -> None:
    with fw.store.transaction(_key(fw, project["slug"]), actor, "qa.casebook.remove") as tx:
        if tx.get(TABLE, case_id) is None:
            raise NotFound(N_("no case {id!r}"), id=case_id)
        tx.remove(TABLE, case_id)


def agenda(fw, project: dict, meeting: dict, day: dt.date) -> list[AgendaItem]:
    """The QA analysis meeting's material: the cases marked in the `AGENDA_DAYS` up to *day*."""
    if (meeting or {}).get("kind") not in MEETINGS:
        return []
    first = (day - dt.timedelta(days=AGENDA_DAYS)).isoformat()
    shown = [{k: c[k] for k in ("kind", "lesson", "date", "score", "fatal", "comment", "lost", "channel")}
             for c in cases(fw, project["slug"]) if first <= c["marked_at"][:10] <= day.isoformat()]
    if not shown:
        return []
    return [AgendaItem("QA casebook: good and bad cases", "质检案例：优秀与问题案例", "qa/casebook_agenda.html",
                       {"cases": shown, "kinds": KINDS}, order=50)]


# ---------------------------------------------------------------- pages


def index(p) -> Response:
    kind = p.request.query_params.get("kind")
    kind = kind if kind in KINDS else None
    names = {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], "1900-01-01", "2999-12-31")}
    return p.render("qa/casebook.html", cases=cases(p.fw, p.project["slug"], kind), kind=kind, kinds=KINDS,
                    names=names, base=base(p), can_edit=p.can(CASEBOOK))


def new_page(p, problems: dict | None = None, error: str | None = None, status: int = 200) -> Response:
    ident = str(p.request.query_params.get("evaluation") or (p.form or {}).get("evaluation") or "")
    ev = evaluations.get(p.fw, p.project["slug"], ident)
    p.authorize(VIEW, {"agent": ev["agent"], "date": ev["date"]})
    return p.render("qa/casebook_new.html", http_status=status, ev=ev, kinds=KINDS, base=base(p),
                    problems=problems or {}, error=error, values=p.form if problems or error else {})


def new_submit(p) -> Response:
    try:
        mark(p.fw, p.project, str(p.form.get("evaluation") or ""), str(p.form.get("kind") or ""),
             str(p.form.get("lesson") or ""), p.user["username"])
    except ValidationError as err:
        field = "kind" if err.field == N_("kind") else "lesson"
        return new_page(p, {field: err.message(p.locale)}, None, err.http_status)
    except Conflict as err:
        return new_page(p, {}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/casebook")


def remove_submit(p) -> Response:
    remove(p.fw, p.project, p.params["id"], p.user["username"])  # an unknown case: 404
    return p.redirect(f"{base(p)}/casebook")


def routes() -> list[Route]:
    post = ("POST",)
    return [
        Route("/casebook", index, action=VIEW),
        Route("/casebook/new", new_page, action=CASEBOOK),
        Route("/casebook/new", new_submit, action=CASEBOOK, methods=post),
        Route("/casebook/{id}/remove", remove_submit, action=CASEBOOK, methods=post),
    ]
