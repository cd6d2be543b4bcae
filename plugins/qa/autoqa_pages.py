"""The auto-QA pages under ``/p/{project}/qa/autoqa``: the review queue, where QA staff confirm
or reject each hit the rules found in a month's chats, and the report per agent and team (each
rule's hit rate, and the share of its reviewed hits confirmed, with n beside every figure).

The queue shows the hits not decided yet, oldest chat first, a page of `PAGE` at a time, and
can be narrowed to one rule or one agent; a decision posts back to the queue as it was.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, Route, validate

from . import autoqa, autoqa_store, evaluations, interactions
from .actions import EVALUATE, VIEW
from .scorecard_pages import base

PAGE = 100


def _month(p) -> tuple[str, list[str]]:
    offered = interactions.months(p.fw, p.project["slug"])
    asked = p.request.query_params.get("month") or (p.form or {}).get("month")
    if asked:
        return validate.month(asked), offered
    return (offered[0] if offered else p.fw.projects.today(p.project).isoformat()[:7]), offered


def _people(p, month: str) -> tuple[dict, dict]:
    """Each agent's name and team in *month* (the team they were in at its end)."""
    names, teams = {}, {}
    for agent, assignment in p.fw.agents.in_project(p.project["slug"], f"{month}-01", f"{month}-31"):
        names[agent["number"]] = agent["name"]
        teams[agent["number"]] = assignment.get("team") or ""
    return names, teams


def _team_titles(p) -> dict:
    return {t["slug"]: t["name"] for t in p.fw.teams.of(p.project["slug"])}


def review_queue(p, error: str | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    month, offered = _month(p)
    source = p.form if p.form else p.request.query_params
    rule = source.get("rule") if source.get("rule") in autoqa_store.REVIEWED else ""
    agent = str(source.get("agent") or "").strip()
    results = autoqa_store.of_month(p.fw, slug, month)
    waiting = autoqa_store.queue(results, rule or None, agent or None)
    names, _teams = _people(p, month)
    evaluated = {e["interaction"]: e["id"] for m in evaluations.months(p.fw, slug) if m >= month
                 for e in evaluations.of_month(p.fw, slug, m)}
    return p.render("qa/autoqa.html", http_status=status, month=month, months=offered,
                    rows=waiting[:PAGE], total=len(waiting), chats=len(results), rule=rule, agent=agent,
                    rules={r: autoqa.RULES[r] for r in autoqa_store.REVIEWED}, names=names,
                    evaluated=evaluated, base=base(p), error=error, can_review=p.can(EVALUATE))


def review(p) -> Response:
    slug = p.project["slug"]
    month = validate.month(str(p.form.get("month") or ""))
    ident = p.params["id"]
    result = next((r for r in autoqa_store.of_month(p.fw, slug, month) if r["id"] == ident), None)
    if result is None:
        return review_queue(p, p._(N_("No auto-QA result for this chat.")), 404)
    p.authorize(EVALUATE, {"agent": result["agent"], "date": result["date"]})
    try:
        hit = int(str(p.form.get("hit") or ""))
        autoqa_store.review(p.fw, p.project, month, ident, hit, str(p.form.get("verdict") or ""),
                            p.user["username"])
    except ValueError:
        return review_queue(p, p._(N_("Choose a hit to confirm or reject.")), 422)
    except FloorwalkerError as err:
        if err.http_status == 403:
            raise
        return review_queue(p, err.message(p.locale), err.http_status)
    query = "&".join(f"{k}={v}" for k, v in (("month", month), ("rule", p.form.get("rule") or ""),
                                                ("agent", p.form.get("agent") or "")) if v)
    return p.redirect(f"{base(p)}/autoqa?{query}")


def report(p) -> Response:
    slug = p.project["slug"]
    month, offered = _month(p)
    results = autoqa_store.of_month(p.fw, slug, month)
    names, teams = _people(p, month)
    titles = _team_titles(p)

    def labelled(rows, label):
        return [dict(r, label=label(r["group"])) for r in rows]
    return p.render("qa/autoqa_report.html", month=month, months=offered, base=base(p),
                    agents=labelled(autoqa_store.report(results, lambda r: r["agent"]),
                                    lambda g: f"{g} {names.get(g, '')}"),
                    teams=labelled(autoqa_store.report(results, lambda r: teams.get(r["agent"], "")),
                                   lambda g: titles.get(g) or p._(N_("No team"))),
                    whole=labelled(autoqa_store.report(results, lambda r: ""), lambda g: p.project["name"]),
                    rules={r: autoqa.RULES[r] for r in autoqa_store.REVIEWED})


def routes() -> list[Route]:
    return [
        Route("/autoqa", review_queue, action=VIEW),
        Route("/autoqa/report", report, action=VIEW),
        Route("/autoqa/{id}/review", review, action=EVALUATE, methods=("POST",)),
    ]
