"""The coaching pages (辅导) under ``/p/{project}/meetings/coaching``: the leaders' list (a team
leader's teams first, widened on request; open items by default), an item opened by hand, one
item with its session, follow-up and closing, and the agent's phone page of its own sessions to
acknowledge. A team leader writes only on the agents of the teams they lead (`COACH` is a
``writes`` action); an agent reaches only its own items, and never sees another's notes."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Match

from floorwalker.core import N_, FloorwalkerError, NotFound, PermissionDenied, Route, ValidationError

from . import coaching
from .actions import COACH, MINE, VIEW
from .answer_pages import _names as names_of
from .pages import base

MY_TEAMS = "mine"
FILTERS = ("open", "closed", "all")


def can_open(p, url: str) -> bool:
    """Whether the reader may open *url* of this app (a QA evaluation, a complaint): the route's
    plugin is on in the project and the reader's role holds its action."""
    if not url:
        return False
    scope = {"type": "http", "path": url, "method": "GET", "root_path": ""}
    for route in p.request.app.routes:
        if route.matches(scope)[0] == Match.FULL:
            plugin = getattr(route, "plugin", None)
            return (plugin is None or plugin in p.project["plugins"]) and p.can(getattr(route, "action", ""))
    return False


def _choices(p) -> tuple[str, set[str] | None]:
    """``?team=`` as on the core's lists: a team leader starts at the teams they lead."""
    prefix = f"{p.project['slug']}."
    led = {t[len(prefix):] for t in p.user.get("teams") or () if t.startswith(prefix)}
    chosen = p.request.query_params.get("team")
    if chosen is None:
        chosen = MY_TEAMS if led else ""
    return chosen, (led if chosen == MY_TEAMS else {chosen} if chosen else None)


def _coachable(p) -> list[dict]:
    """The agents the reader may open an item for (a team leader: those of the teams they lead)."""
    today = p.fw.projects.today(p.project).isoformat()
    return [a for a, s in p.fw.agents.in_project(p.project["slug"], today)
            if p.fw.access.can(p.user, COACH, p.project, {"agent": a["number"], "date": today})]


def coaching_page(p, error: str | None = None, status: int = 200) -> Response:
    chosen, teams = _choices(p)
    shown = p.request.query_params.get("state") or "open"
    shown = shown if shown in FILTERS else "open"
    agent = (p.request.query_params.get("agent") or "").strip()
    now = p.fw.projects.now(p.project)
    rows = []
    for doc in coaching.all_of(p.fw, p.project):
        if teams is not None and doc.get("team") not in teams and not (
                chosen == MY_TEAMS and coaching.leads(p.fw, p.project, p.user, doc)):
            continue
        if shown != "all" and (shown == "open") != (doc["status"] == "open"):
            continue
        if agent and doc["agent"] != agent:
            continue
        rows.append({**doc, "stage": coaching.stage(doc, now), "source_open": can_open(p, doc["link"])})
    per_agent, per_leader = {}, {}
    for row in rows:
        if row["status"] == "open":
            per_agent[row["agent"]] = per_agent.get(row["agent"], 0) + 1
            for leader in row["leaders"]:
                per_leader[leader] = per_leader.get(leader, 0) + 1
    return p.render("meetings/coaching.html", http_status=status, rows=rows, error=error, chosen=chosen,
                    shown=shown, agent=agent, teams=p.fw.teams.of(p.project["slug"]), per_agent=per_agent,
                    per_leader=per_leader, coachable=_coachable(p) if p.can(COACH) else [],
                    names=names_of(p, {r["agent"] for r in rows}),
                    led=p.user.get("teams") and any(t.startswith(f"{p.project['slug']}.") for t in p.user["teams"]),
                    stages=coaching.STAGES, sources=coaching.SOURCES, base=base(p))


def open_by_hand(p) -> Response:
    number = str(p.form.get("agent") or "").strip()
    if not number:
        refused = ValidationError(N_("Agent"), N_("choose an agent"))
        return coaching_page(p, refused.message(p.locale), refused.http_status)
    p.authorize(COACH, {"agent": number, "date": p.fw.projects.today(p.project).isoformat()})
    try:
        doc = coaching.open_by_hand(p.fw, p.project, number, p.form.get("reason"), p.user["username"])
    except ValidationError as err:
        return coaching_page(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/coaching/{doc['id']}")


def item(p, error: str | None = None, status: int = 200) -> Response:
    doc = coaching.get(p.fw, p.project, p.params["id"])
    today = p.fw.projects.today(p.project).isoformat()
    return p.render("meetings/coaching_item.html", http_status=status, c=doc, error=error,
                    stage=coaching.stage(doc, p.fw.projects.now(p.project)), today=today,
                    source_open=can_open(p, doc["link"]), names=names_of(p, [doc["agent"]]),
                    can_coach=p.fw.access.can(p.user, COACH, p.project, {"agent": doc["agent"], "date": today}),
                    stages=coaching.STAGES, sources=coaching.SOURCES, base=base(p))


def _step(p, do) -> Response:
    """Authorise the leader on the item's agent (403 and nothing written for another team's),
    then do the step; a refused form comes back with its error."""
    doc = coaching.get(p.fw, p.project, p.params["id"])  # 404 before anything else
    p.authorize(COACH, {"agent": doc["agent"], "date": p.fw.projects.today(p.project).isoformat()})
    try:
        do(doc)
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return item(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/coaching/{doc['id']}")


def session(p) -> Response:
    return _step(p, lambda doc: coaching.hold_session(p.fw, p.project, doc["id"], p.form, p.user["username"]))


def follow_up(p) -> Response:
    return _step(p, lambda doc: coaching.record_follow_up(p.fw, p.project, doc["id"], p.form.get("date"),
                                                          p.form.get("note"), p.user["username"]))


def close(p) -> Response:
    return _step(p, lambda doc: coaching.close(p.fw, p.project, doc["id"], p.form.get("note"), p.user["username"]))


def mine(p, error: str | None = None, status: int = 200) -> Response:
    """The agent's own coaching sessions: those to acknowledge first (a phone page)."""
    number = p.user.get("agent") or ""
    now = p.fw.projects.now(p.project)
    rows = [{**d, "stage": coaching.stage(d, now)} for d in coaching.of_agent(p.fw, p.project, number)]
    return p.render("meetings/coaching_mine.html", http_status=status, error=error,
                    to_ack=[r for r in rows if not r["session"]["acknowledged_at"]],
                    done=[r for r in rows if r["session"]["acknowledged_at"]], stages=coaching.STAGES, base=base(p))


def acknowledge(p) -> Response:
    doc = coaching.get(p.fw, p.project, p.params["id"])
    if doc["agent"] != (p.user.get("agent") or ""):  # another agent's item is not there for it
        raise NotFound(N_("no coaching item {id!r}"), id=p.params["id"])
    if p.form.get("confirm") != "yes":
        return mine(p, p._("confirm the acknowledgement"), 422)
    try:
        coaching.acknowledge(p.fw, p.project, p.params["id"], p.user)
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return mine(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/coaching/mine")


def routes() -> list[Route]:
    """Placed before the meeting pages' ``/{id}``."""
    post = ("POST",)
    return [
        Route("/coaching", coaching_page, action=VIEW),
        Route("/coaching", open_by_hand, action=COACH, methods=post),
        Route("/coaching/mine", mine, action=MINE),
        Route("/coaching/{id}", item, action=VIEW),
        Route("/coaching/{id}/session", session, action=COACH, methods=post),
        Route("/coaching/{id}/follow-up", follow_up, action=COACH, methods=post),
        Route("/coaching/{id}/close", close, action=COACH, methods=post),
        Route("/coaching/{id}/acknowledge", acknowledge, action=MINE, methods=post),
    ]
