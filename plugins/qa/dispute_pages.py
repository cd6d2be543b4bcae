"""The pages after the evaluation: the agent acknowledges or disputes (on a phone), the team
leader forwards or returns, a supervisor decides, an evaluator edits with a reason; and the
panel the evaluation's page shows (where it stands, the buttons the reader may use, its history).

The forms post to their own pages and come back to them with the errors beside the fields; a
decision, which moves score points for good, asks first (the ``confirm`` macro).
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import SUPERVISORS, FloorwalkerError, Route, ValidationError, translate, validate

from . import coaching, disputes, edits, evaluations, interactions, scorecards, transcripts
from .actions import ARBITRATE, EVALUATE, FORWARD, OWN, RESPOND, VIEW
from .scorecard_pages import FATAL, TYPES, base


def _names(p) -> dict[str, str]:
    """Agent number → name, for the pages that name the agent beside its number."""
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], "1900-01-01", "2999-12-31")}


def _problems(p, err) -> dict[str, str]:
    return {k: translate(msg, p.locale, **params) for k, (msg, params) in (getattr(err, "problems", None) or {}).items()}


def panel(p, ev: dict) -> dict:
    """The evaluation page's context for its answer, buttons and history."""
    project = p.project
    state, answer = disputes.status(p.fw, project, ev)
    dispute = answer if answer and answer["kind"] == "disputed" else None
    obj = {"agent": ev["agent"], "date": ev["date"]}
    mine = bool(p.user.get("agent")) and p.user["agent"] == ev["agent"]
    return {"state": state, "status_titles": disputes.STATUS, "dispute": dispute,
            "respond_by": disputes.respond_by(p.fw, project, ev),
            "can_respond": mine and state == "open" and p.can(RESPOND),
            "can_forward": bool(dispute) and state == "raised" and p.can(FORWARD, obj),
            "can_decide": bool(dispute) and state == "forwarded" and p.can(ARBITRATE)
            and p.user["username"] not in (ev["evaluator"], dispute.get("forwarded_by")),
            "can_edit": p.can(EVALUATE) and not dispute and not mine
            and ev["date"][:7] not in p.fw.store.closed_months(project["slug"]),
            "history": edits.history(p.fw, project["slug"], ev), "steps": edits.STEPS,
            "outcomes": disputes.OUTCOMES, "coaching_shown": ev.get("coaching") and not coaching.handled(p.fw, project)}


def mine_columns(p, rows: list[dict]) -> dict:
    """The agent's list's columns of this module: where each evaluation stands (its answer, its
    dispute) and, until a plugin opens coaching items, the coaching flag."""
    return {"states": disputes.statuses(p.fw, p.project, rows), "status_titles": disputes.STATUS,
            "respond_by": {e["id"]: disputes.respond_by(p.fw, p.project, e) for e in rows},
            "coaching_column": not coaching.handled(p.fw, p.project)}


def _evaluation(p) -> dict:
    ev = evaluations.get(p.fw, p.project["slug"], p.params["id"])
    p.authorize(OWN, {"agent": ev["agent"], "date": ev["date"]})
    return ev


def acknowledge(p) -> Response:
    ev = _evaluation(p)
    p.authorize(RESPOND, {"agent": ev["agent"], "date": ev["date"]})
    disputes.acknowledge(p.fw, p.project, ev["id"], p.user)
    return p.redirect(f"{base(p)}/evaluations/{ev['id']}")


def dispute_form(p, problems=None, error=None, status: int = 200) -> Response:
    ev = _evaluation(p)
    p.authorize(RESPOND, {"agent": ev["agent"], "date": ev["date"]})
    return p.render("qa/dispute_form.html", http_status=status, ev=ev, lost=disputes.lost_items(ev),
                    reason_field=disputes.reason_field, problems=problems or {}, error=error,
                    values=p.form if (problems or error) else {}, base=base(p),
                    respond_by=disputes.respond_by(p.fw, p.project, ev))


def dispute_submit(p) -> Response:
    ev = _evaluation(p)
    p.authorize(RESPOND, {"agent": ev["agent"], "date": ev["date"]})
    try:
        disputes.dispute(p.fw, p.project, ev["id"], p.user, p.form)
    except ValidationError as err:
        return dispute_form(p, _problems(p, err), err.message(p.locale), err.http_status)
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return dispute_form(p, {}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/evaluations/{ev['id']}")


def dispute_list(p) -> Response:
    slug = p.project["slug"]
    offered = disputes.months(p.fw, slug)
    asked = p.request.query_params.get("month")
    month = validate.month(asked) if asked else (offered[-1] if offered else p.fw.projects.today(p.project).isoformat()[:7])
    rows = [d for d in disputes.of_month(p.fw, slug, month) if d["kind"] == "disputed"]
    waiting = [d for d in disputes.open_disputes(p.fw, slug) if d not in rows]
    shown = sorted(waiting + rows, key=lambda d: d["at"])[::-1]  # newest first (ties: the later raised)
    roles = set(p.user.get("roles") or ())
    # a team leader sees the disputes of its own teams (the ones it forwards), all on asking
    leader = "team_leader" in roles and not roles & {*SUPERVISORS, "qa"}
    everyone = not leader or p.request.query_params.get("teams") == "all"
    if not everyone:
        shown = [d for d in shown if p.can(FORWARD, {"agent": d["agent"], "date": d["evaluation_date"]})]
    return p.render("qa/disputes.html", rows=shown, month=month, months=offered[::-1], names=_names(p),
                    status_titles=disputes.STATUS, outcomes=disputes.OUTCOMES, base=base(p),
                    leader=leader, everyone=everyone)


def _dispute(p) -> tuple[dict, dict]:
    """The dispute of the path, or of the form's ``id`` (the forms post it, as the approvals do)."""
    ident = p.params.get("id") or str(p.form.get("id") or "")
    _month, doc = disputes.get(p.fw, p.project["slug"], ident)
    return doc, evaluations.get(p.fw, p.project["slug"], doc["evaluation"])


def dispute_view(p, problems=None, error=None, status: int = 200) -> Response:
    doc, ev = _dispute(p)
    card = scorecards.get(p.fw, p.project["slug"], ev["scorecard_version"])
    items = [i for s in card["sections"] for i in s["items"]]
    return p.render("qa/dispute.html", http_status=status, doc=doc, ev=ev, card_items=items,
                    name=_names(p).get(ev["agent"], ""),
                    status_titles=disputes.STATUS, outcomes=disputes.OUTCOMES, base=base(p),
                    can_forward=doc["state"] == "raised" and p.can(FORWARD, {"agent": ev["agent"], "date": ev["date"]}),
                    can_decide=doc["state"] == "forwarded" and p.can(ARBITRATE)
                    and p.user["username"] not in (ev["evaluator"], doc.get("forwarded_by")),
                    outcome_fields=disputes.outcome_fields, problems=problems or {}, error=error,
                    values=p.form if (problems or error) else {})


def forward(p) -> Response:
    doc, ev = _dispute(p)
    p.authorize(FORWARD, {"agent": ev["agent"], "date": ev["date"]})
    try:
        disputes.forward(p.fw, p.project, doc["id"], p.user, p.form.get("note") or "",
                         back=p.form.get("do") == "return")
    except ValidationError as err:
        return dispute_view(p, {"note": err.message(p.locale)}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/disputes/{doc['id']}")


def decide(p) -> Response:
    doc, ev = _dispute(p)
    p.authorize(ARBITRATE, {"agent": ev["agent"], "date": ev["date"]})
    try:
        disputes.decide(p.fw, p.project, doc["id"], p.user, p.form)
    except ValidationError as err:
        return dispute_view(p, _problems(p, err), err.message(p.locale), err.http_status)
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return dispute_view(p, {}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/disputes/{doc['id']}")


def edit_form(p, problems=None, error=None, status: int = 200) -> Response:
    ev = _evaluation(p)
    p.authorize(EVALUATE, {"agent": ev["agent"], "date": ev["date"]})
    slug = p.project["slug"]
    try:
        interaction = interactions.get(p.fw, slug, ev["interaction"])
    except FloorwalkerError:
        interaction = {"id": ev["interaction"], "agent": ev["agent"], "channel": ev["channel"],
                       "time": ev["interaction_time"], "duration": None, "transcript": ""}
    return p.render("qa/evaluate.html", http_status=status, interaction=interaction,
                    card=scorecards.get(p.fw, slug, ev["scorecard_version"]),
                    messages=transcripts.messages(interaction.get("transcript") or ""), name="", done=None,
                    base=base(p), channels=interactions.CHANNELS, types=TYPES, fatal=FATAL,
                    problems=problems or {}, error=error, editing=ev, autoqa=None,
                    form_action=f"{base(p)}/evaluations/{ev['id']}/edit",
                    values=p.form if (problems or error) else edits.values_of(ev),
                    field_names=evaluations.field_names)


def edit_submit(p) -> Response:
    ev = _evaluation(p)
    p.authorize(EVALUATE, {"agent": ev["agent"], "date": ev["date"]})
    try:
        edits.edit(p.fw, p.project, ev["id"], p.form, p.user)
    except ValidationError as err:
        return edit_form(p, _problems(p, err), err.message(p.locale), err.http_status)
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return edit_form(p, {}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/evaluations/{ev['id']}")


ROUTES = [
    Route("/evaluations/{id}/acknowledge", acknowledge, action=RESPOND, methods=("POST",)),
    Route("/evaluations/{id}/dispute", dispute_form, action=RESPOND),
    Route("/evaluations/{id}/dispute", dispute_submit, action=RESPOND, methods=("POST",)),
    Route("/evaluations/{id}/edit", edit_form, action=EVALUATE),
    Route("/evaluations/{id}/edit", edit_submit, action=EVALUATE, methods=("POST",)),
    Route("/disputes", dispute_list, action=VIEW),
    Route("/disputes/forward", forward, action=FORWARD, methods=("POST",)),
    Route("/disputes/decide", decide, action=ARBITRATE, methods=("POST",)),
    Route("/disputes/{id}", dispute_view, action=VIEW),
]
