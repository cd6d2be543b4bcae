"""The sampling plan's pages under ``/p/{project}/qa/``: the month's plan (per agent its quota
against picks and evaluations, per evaluator planned against done, every pick with its reason,
the history), building it, replacing or removing a pick with a reason, taking a pick, and an
evaluator's own worklist.

The plan is QA staff's: reading it needs ``qa.view`` and changing it ``qa.sample``, which an
agent's role never holds (the plan is not shown to agents); taking a pick is evaluating's.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, Route, ValidationError, validate

from . import interactions, sampling
from .actions import EVALUATE, SAMPLE, VIEW
from .scorecard_pages import base


def _month(p) -> str:
    asked = p.request.query_params.get("month")
    return validate.month(asked) if asked else p.fw.projects.today(p.project).isoformat()[:7]


def _names(p) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], "1900-01-01",
                                                                       "2999-12-31")}


def plan(p, month: str | None = None, errors: dict | None = None, error: str | None = None,
         status: int = 200) -> Response:
    slug = p.project["slug"]
    month = month or _month(p)
    today = p.fw.projects.today(p.project)
    offered = sorted(set(sampling.months(p.fw, slug)) | {today.isoformat()[:7]}, reverse=True)
    closed = month in p.fw.store.closed_months(slug)
    return p.render("qa/plan.html", http_status=status, month=month, months=offered, base=base(p),
                    plan=sampling.overview(p.fw, slug, month, today), history=sampling.history(p.fw, slug, month),
                    names=_names(p), why=sampling.WHY, states=sampling.STATES, actions=sampling.ACTIONS,
                    channels=interactions.CHANNELS, closed=closed,
                    can_sample=p.can(SAMPLE) and not closed, can_evaluate=p.can(EVALUATE),
                    errors=errors or {}, error=error, values=p.form if errors or error else {})


def build(p) -> Response:
    month = p.form.get("month") or ""
    try:
        month = validate.month(month) if month else ""
        if not month:
            raise ValidationError(N_("month"), N_("is required"))
        sampling.build(p.fw, p.project, month, p.user["username"])
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return plan(p, month or None, error=err.message(p.locale), status=err.http_status)
    return p.redirect(f"{base(p)}/plan?month={month}")


def _pick_month(p) -> str:
    return sampling.find(p.fw, p.project["slug"], p.params["id"])[0]


def _change(p, do) -> Response:
    month = _pick_month(p)
    try:
        do()
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return plan(p, month, errors={p.params["id"]: err.message(p.locale)}, status=err.http_status)
    return p.redirect(f"{base(p)}/plan?month={month}#plan-picks")


def replace(p) -> Response:
    return _change(p, lambda: sampling.replace(p.fw, p.project, p.params["id"], p.form.get("reason") or "",
                                               p.user["username"], p.form.get("interaction") or ""))


def remove(p) -> Response:
    return _change(p, lambda: sampling.remove(p.fw, p.project, p.params["id"], p.form.get("reason") or "",
                                              p.user["username"]))


def take(p) -> Response:
    month = _pick_month(p)
    try:
        sampling.take(p.fw, p.project, p.params["id"], p.user["username"])
    except FloorwalkerError as err:
        if err.http_status in (403, 404):
            raise
        return plan(p, month, errors={p.params["id"]: err.message(p.locale)}, status=err.http_status)
    return p.redirect(f"{base(p)}/worklist")


def worklist(p) -> Response:
    slug = p.project["slug"]
    rows = sampling.worklist(p.fw, slug, p.user["username"])
    today = p.fw.projects.today(p.project)
    return p.render("qa/worklist.html", rows=rows, base=base(p), names=_names(p), why=sampling.WHY,
                    states=sampling.STATES, channels=interactions.CHANNELS,
                    planned=len(rows), done=sum(r["state"] == "done" for r in rows),
                    due=sampling.due_this_week(p.fw, slug, p.user["username"], today),
                    free=sampling.unassigned(p.fw, slug))


ROUTES = [
    Route("/plan", plan, action=VIEW),
    Route("/plan", build, action=SAMPLE, methods=("POST",)),
    Route("/plan/picks/{id}/replace", replace, action=SAMPLE, methods=("POST",)),
    Route("/plan/picks/{id}/remove", remove, action=SAMPLE, methods=("POST",)),
    Route("/plan/picks/{id}/take", take, action=EVALUATE, methods=("POST",)),
    Route("/worklist", worklist, action=EVALUATE),
]
