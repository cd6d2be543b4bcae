"""The calibration pages under ``/p/{project}/qa/calibration``: the sessions with the form that
opens one, a session (who has scored; the comparison once the reader may see it), the scoring
form (the ordinary evaluation form, posted here), and closing a session.

Blindness is checked here as in `calibration.may_see`: a participant who has not scored sees who
has, never what they answered.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, NotFound, Route, ValidationError, WaitingItem, translate

from . import autoqa_store, calibration, evaluations, interactions, scorecards, transcripts
from .actions import CALIBRATE, VIEW
from .config import NAME
from .scorecard_pages import FATAL, TYPES, base

FATAL_SHOWN = {"section": FATAL["section"], "all": FATAL["all"]}


def index(p, errors: dict | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    me = p.user["username"]
    docs = calibration.sessions(p.fw, slug)
    can_open = p.can(CALIBRATE)
    return p.render("qa/calibration.html", http_status=status, sessions=docs, base=base(p),
                    mine=[d for d in docs if calibration.waiting_for(d, me)], states=calibration.STATES,
                    can_open=can_open, errors=errors or {}, values=p.form if errors else {},
                    interaction=p.request.query_params.get("interaction", ""),
                    chosen=_list(p.form, "evaluators") if errors else [],
                    people=[u for u in calibration.evaluators(p.fw, p.project) if u["username"] != me]
                    if can_open else [],
                    published=scorecards.in_state(p.fw, slug, "published"))


def start(p) -> Response:
    try:
        doc = calibration.open_session(p.fw, p.project, str(p.form.get("interaction") or ""),
                                       _list(p.form, "evaluators"), p.user["username"])
    except ValidationError as err:
        return index(p, {err.field: err.message(p.locale)}, err.http_status)
    except FloorwalkerError as err:
        return index(p, {"interaction": err.message(p.locale)}, err.http_status)
    return p.redirect(f"{base(p)}/calibration/{doc['id']}")


def _list(form, name: str) -> list[str]:
    getter = getattr(form, "getlist", None)
    values = getter(name) if getter else form.get(name) or []
    return [values] if isinstance(values, str) else list(values)


def session(p, error: str | None = None, status: int = 200) -> Response:
    doc = calibration.get(p.fw, p.project["slug"], p.params["id"])
    me = p.user["username"]
    threshold = p.fw.projects.settings(p.project, NAME)["calibration_threshold"]
    visible = calibration.may_see(doc, me, p.can(VIEW))
    return p.render("qa/calibration_session.html", http_status=status, doc=doc, base=base(p),
                    states=calibration.STATES, visible=visible, threshold=threshold,
                    result=calibration.compare(doc, threshold) if visible else None,
                    waiting=calibration.waiting_for(doc, me), error=error, fatal=FATAL_SHOWN,
                    channels=interactions.CHANNELS)


def _participant(p) -> dict:
    doc = calibration.get(p.fw, p.project["slug"], p.params["id"])
    if p.user["username"] not in calibration.participants(doc):
        raise NotFound(N_("no calibration session {id!r}"), id=doc["id"])
    return doc


def score_page(p, problems: dict | None = None, error: str | None = None, status: int = 200) -> Response:
    """The evaluation form, as any evaluation shows it, posted to the session."""
    doc = _participant(p)
    if not calibration.waiting_for(doc, p.user["username"]):
        return p.redirect(f"{base(p)}/calibration/{doc['id']}")
    slug = p.project["slug"]
    interaction = interactions.get(p.fw, slug, doc["interaction"])
    shown = {k: translate(msg, p.locale, **params) for k, (msg, params) in (problems or {}).items()}
    names = {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(slug, "1900-01-01", "2999-12-31")}
    return p.render("qa/evaluate.html", http_status=status, interaction=interaction,
                    card=scorecards.get(p.fw, slug, doc["version"]),
                    messages=transcripts.messages(interaction["transcript"]),
                    name=names.get(interaction["agent"], ""), done=None, base=base(p),
                    channels=interactions.CHANNELS, types=TYPES, fatal=FATAL, problems=shown, error=error,
                    values=p.form if problems or error else {},
                    autoqa=autoqa_store.beside(p.fw, slug, interaction),  # as beside any evaluation
                    field_names=evaluations.field_names,
                    form_action=f"{base(p)}/calibration/{doc['id']}/score")


def score_submit(p) -> Response:
    doc = _participant(p)
    try:
        calibration.submit(p.fw, p.project, doc["id"], p.form, p.user["username"])
    except ValidationError as err:
        return score_page(p, getattr(err, "problems", None) or {}, err.message(p.locale), err.http_status)
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return session(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/calibration/{doc['id']}")


def close(p) -> Response:
    try:
        doc = calibration.close(p.fw, p.project, p.params["id"], p.user["username"])
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return session(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/calibration/{doc['id']}")


def waiting(fw, project: dict, user: dict) -> list[WaitingItem]:
    """The open sessions waiting for *user*'s scoring."""
    if not fw.access.can(user, CALIBRATE, project):
        return []
    count = sum(calibration.waiting_for(d, user["username"]) for d in calibration.sessions(fw, project["slug"]))
    return [WaitingItem("Calibrations to score", "待评分的质检校准", count,
                        f"/p/{project['slug']}/{NAME}/calibration")] if count else []


ROUTES = [
    Route("/calibration", index, action=VIEW),
    Route("/calibration", start, action=CALIBRATE, methods=("POST",)),
    Route("/calibration/{id}", session, action=VIEW),
    Route("/calibration/{id}/score", score_page, action=CALIBRATE),
    Route("/calibration/{id}/score", score_submit, action=CALIBRATE, methods=("POST",)),
    Route("/calibration/{id}/close", close, action=CALIBRATE, methods=("POST",)),
]
