"""The unified-answer pages (统一答复口径) under ``/p/{project}/meetings/``: the leaders' list of
answers (signed, who has not, in force or not) with the form that publishes a meeting's decision
(``/answers?meeting=<id>``), one answer with the names of who has not signed, and the agent's
phone page of the answers to read and sign."""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import FloorwalkerError, NotFound, PermissionDenied, Route

from . import answers, records
from .actions import MINE, RUN, VIEW
from .pages import base


def _list(form, name: str) -> list[str]:
    """A field that may repeat (ticked boxes): none, one (a string) or several (a list)."""
    getter = getattr(form, "getlist", None)
    values = getter(name) if getter else form.get(name) or []
    return [values] if isinstance(values, str) else list(values)


def _names(p, numbers) -> dict:
    found = {}
    for number in numbers:
        try:
            found[number] = p.fw.agents.get(number)["name"]
        except NotFound:
            found[number] = number
    return found


def _rows(p, docs) -> list[dict]:
    now = p.fw.projects.now(p.project)
    return [{"doc": d, "unsigned": answers.unsigned(d), "in_force": answers.in_force(d, now)} for d in docs]


def answer_list(p, error: str | None = None, status: int = 200) -> Response:
    """Every answer; with ``?meeting=<id>`` (or after a refused publication) the form that
    publishes one of that meeting's decisions."""
    ident = p.params.get("id") or p.request.query_params.get("meeting") or ""
    meeting = None
    if ident:
        try:
            meeting = records.get(p.fw, p.project, ident)
        except NotFound:
            meeting = None
    return p.render("meetings/answers.html", http_status=status, rows=_rows(p, answers.all_of(p.fw, p.project)),
                    meeting=meeting and records.shown(meeting, p.locale), teams=p.fw.teams.of(p.project["slug"]), error=error,
                    can_run=p.can(RUN), base=base(p))


def publish(p) -> Response:
    records.get(p.fw, p.project, p.params["id"])  # 404 before anything else
    teams = _list(p.form, "teams")
    try:
        doc = answers.publish(p.fw, p.project, p.params["id"], p.form.get("decision"), p.form.get("text"),
                              teams, p.user["username"])
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return answer_list(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/answers/{doc['id']}")


def answer(p) -> Response:
    doc = answers.get(p.fw, p.project, p.params["id"])
    (row,) = _rows(p, [doc])
    return p.render("meetings/answer.html", r=row, names=_names(p, doc["expected"]), base=base(p))


def mine(p, error: str | None = None, status: int = 200) -> Response:
    """The agent's answers: those to sign first, then the signed ones (a phone page)."""
    number = p.user.get("agent") or ""
    docs = [d for d in answers.all_of(p.fw, p.project) if number and number in d["expected"]]
    return p.render("meetings/answer_mine.html", http_status=status, error=error,
                    to_sign=[d for d in docs if number not in d["signed"]],
                    signed=[d for d in docs if number in d["signed"]], number=number, base=base(p))


def sign(p) -> Response:
    answers.get(p.fw, p.project, p.params["id"])  # 404 before anything else
    try:
        answers.sign(p.fw, p.project, p.params["id"], p.user)
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return mine(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/answers/mine")


def routes() -> list[Route]:
    """Placed before the meeting pages' ``/{id}``, which would take ``/answers`` for a meeting."""
    post = ("POST",)
    return [
        Route("/answers", answer_list, action=VIEW),
        Route("/answers/mine", mine, action=MINE),
        Route("/answers/{id}", answer, action=VIEW),
        Route("/answers/{id}/sign", sign, action=MINE, methods=post),
        Route("/{id}/answers", publish, action=RUN, methods=post),
    ]
