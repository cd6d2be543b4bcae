"""The QA pages under ``/p/{project}/qa/``: the interactions to evaluate, the evaluation form
beside the transcript, the evaluations of a month, one evaluation, and an agent's own
evaluations; the standard's pages are in `scorecard_pages`.

Every handler is a plain function of the web shell's `Page`; the route's action is checked
before it runs (`routes()`), and a page about one agent's record passes it to
`page.authorize`, so an agent reaches only its own evaluations (404 for anyone else's).
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import FloorwalkerError, Route, ValidationError, translate, validate

from . import autoqa_pages, autoqa_store, casebook, handbook, weekly  # issue 13 items 7, 9
from . import dispute_pages  # issue 13 items 3, 4
from . import evaluations, figures, interactions, report_pages, scorecard_pages, scorecards, transcripts
from . import sampling_pages  # issue 13 item 2: the sampling plan
from . import calibration_pages, score_pages  # issue 13 items 5, 6: exams, spot checks, calibration
from .actions import EVALUATE, OWN, STANDARD, VIEW
from .scorecard_pages import FATAL, TYPES, base

FATAL_SHOWN = {"section": FATAL["section"], "all": FATAL["all"]}


def _month(p, offered: list[str]) -> str:
    asked = p.request.query_params.get("month")
    if asked:
        return validate.month(asked)
    return offered[0] if offered else p.fw.projects.today(p.project).isoformat()[:7]


def landing(p) -> Response:
    return p.redirect(f"{base(p)}/interactions" if p.can(VIEW) else f"{base(p)}/mine")


def _names(p) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], "1900-01-01",
                                                                       "2999-12-31")}


def interaction_list(p) -> Response:
    slug = p.project["slug"]
    offered = interactions.months(p.fw, slug)
    month = _month(p, offered)
    rows = interactions.of_month(p.fw, slug, month)
    done = {e["interaction"]: e for e in evaluations.of_month(p.fw, slug, month)}
    for m in evaluations.months(p.fw, slug):  # an interaction of this month evaluated in the next
        if m > month:
            done.update({e["interaction"]: e for e in evaluations.of_month(p.fw, slug, m)})
    return p.render("qa/interactions.html", month=month, months=offered, rows=rows, done=done,
                    names=_names(p), base=base(p), channels=interactions.CHANNELS,
                    can_evaluate=p.can(EVALUATE),
                    published=scorecards.in_state(p.fw, slug, "published"))


def evaluate_page(p, problems: dict | None = None, error: str | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    interaction = interactions.get(p.fw, slug, p.params["id"])
    p.authorize(EVALUATE, {"agent": interaction["agent"], "date": interaction["date"]})
    card = scorecards.in_state(p.fw, slug, "published")
    done = [e for e in evaluations.of_interaction(p.fw, slug, interaction["id"]) if e["kind"] == "evaluation"]
    shown = {k: translate(msg, p.locale, **params) for k, (msg, params) in (problems or {}).items()}
    return p.render("qa/evaluate.html", http_status=status, interaction=interaction, card=card,
                    messages=transcripts.messages(interaction["transcript"]),
                    name=_names(p).get(interaction["agent"], ""), done=done[0] if done else None,
                    base=base(p), channels=interactions.CHANNELS, types=TYPES, fatal=FATAL,
                    problems=shown, error=error, values=p.form if problems or error else {},
                    autoqa=autoqa_store.beside(p.fw, slug, interaction),
                    field_names=evaluations.field_names)


def evaluate_submit(p) -> Response:
    slug = p.project["slug"]
    interaction = interactions.get(p.fw, slug, p.params["id"])
    p.authorize(EVALUATE, {"agent": interaction["agent"], "date": interaction["date"]})
    try:
        doc = evaluations.submit(p.fw, p.project, interaction["id"], p.form.get("version"), p.form,
                                 p.user["username"], p.user)
    except ValidationError as err:
        return evaluate_page(p, getattr(err, "problems", None) or {}, err.message(p.locale), err.http_status)
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return evaluate_page(p, {}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/evaluations/{doc['id']}")


def evaluation_list(p) -> Response:
    slug = p.project["slug"]
    offered = evaluations.months(p.fw, slug)
    month = _month(p, offered)
    rows = evaluations.of_month(p.fw, slug, month)
    return p.render("qa/evaluations.html", month=month, months=offered, rows=rows, names=_names(p),
                    base=base(p), fatal=FATAL_SHOWN, channels=interactions.CHANNELS)


def evaluation_view(p) -> Response:
    doc = evaluations.get(p.fw, p.project["slug"], p.params["id"])
    p.authorize(OWN, {"agent": doc["agent"], "date": doc["date"]})
    staff = p.can(VIEW)
    try:  # the agent sees the conversation too, to dispute knowing what was said
        interaction = interactions.get(p.fw, p.project["slug"], doc["interaction"])
    except FloorwalkerError:
        interaction = None
    return p.render("qa/evaluation.html", ev=doc, staff=staff, interaction=interaction,
                    autoqa=autoqa_store.beside(p.fw, p.project["slug"], interaction) if staff else None,
                    messages=transcripts.messages(interaction["transcript"]) if interaction else [],
                    name=_names(p).get(doc["agent"], ""), base=base(p), fatal=FATAL_SHOWN,
                    channels=interactions.CHANNELS,
                    answer=dispute_pages.panel(p, doc))  # acknowledge, dispute, history (disputes.py)


def mine(p) -> Response:
    number = p.user.get("agent")
    rows = evaluations.of_agent(p.fw, p.project["slug"], number) if number else []
    return p.render("qa/mine.html", rows=rows, linked=bool(number), base=base(p), fatal=FATAL_SHOWN,
                    channels=interactions.CHANNELS,  # and its own figures per month (figures.py)
                    own=figures.agent_months(rows, figures.minimum(p.fw, p.project)),
                    too_small=figures.TOO_SMALL, **dispute_pages.mine_columns(p, rows))


def routes() -> list[Route]:
    post = ("POST",)
    sp = scorecard_pages
    return [
        Route("/", landing, action=OWN),
        Route("/interactions", interaction_list, action=VIEW),
        Route("/interactions/{id}", evaluate_page, action=EVALUATE),
        Route("/interactions/{id}", evaluate_submit, action=EVALUATE, methods=post),
        Route("/evaluations", evaluation_list, action=VIEW),
        Route("/evaluations/{id}", evaluation_view, action=OWN),
        Route("/mine", mine, action=OWN),
        Route("/scorecards", sp.index, action=VIEW),
        Route("/scorecards/import", sp.upload, action=STANDARD, methods=post),
        Route("/scorecards/new", sp.start, action=STANDARD, methods=post),
        Route("/scorecards/draft", sp.edit, action=STANDARD),
        Route("/scorecards/draft", sp.save, action=STANDARD, methods=post),
        Route("/scorecards/{id}", sp.view, action=VIEW),
        Route("/scorecards/{id}/export.xlsx", sp.export, action=VIEW),
        Route("/scorecards/{id}/publish", sp.publish, action=STANDARD, methods=post),
        *autoqa_pages.routes(), *weekly.routes(), *casebook.routes(), *handbook.routes(),
        *report_pages.ROUTES,  # the QA report and its xlsx (figures.py)
        *sampling_pages.ROUTES,  # the sampling plan and the worklists (sampling.py)
        *calibration_pages.ROUTES, *score_pages.ROUTES,  # calibration; exams and spot checks
        *dispute_pages.ROUTES,  # acknowledge, dispute, forward, decide, edit (disputes.py)
    ]
