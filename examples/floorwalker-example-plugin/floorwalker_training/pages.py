"""The plugin's page, mounted at ``/p/<project>/training/``: the project's sessions, and a form
to schedule one.

A handler is a plain function of the web shell's `Page` (``p``). The route's action is checked
before it runs (the user's role, in a project they may see that enables the plugin); the form
handler also passes the record it writes to ``p.authorize``, so a team leader schedules only
agents of the teams they lead. A refused value shows beside its field, with what was typed.
"""

from __future__ import annotations

from floorwalker.core import N_, Route, ValidationError, validate

from . import records
from .actions import SCHEDULE, VIEW
from .records import NAME, TOPIC_LIMIT

FIELDS = ("agent", "date", "topic")


def routes() -> list[Route]:
    return [Route("/", sessions_page, action=VIEW),
            Route("/", schedule_session, action=SCHEDULE, methods=("POST",),
                  limits={"topic": TOPIC_LIMIT})]


def sessions_page(p, errors: dict | None = None, typed: dict | None = None, status: int = 200):
    slug = p.project["slug"]
    today = p.fw.projects.today(p.project).isoformat()
    found = records.sessions(p.fw, slug)
    names = {number: p.fw.agents.get(number)["name"] for number in {s["agent"] for s in found}}
    agents = [(a["number"], f"{a['number']} {a['name']}") for a, _ in p.fw.agents.in_project(slug, today)]
    return p.render("training/sessions.html", http_status=status, sessions=found[::-1], names=names,
                    agents=agents, can_schedule=p.can(SCHEDULE), errors=errors or {},
                    typed=typed or {"date": today}, action=f"/p/{slug}/{NAME}/")


def schedule_session(p):
    typed = {name: str(p.form.get(name, "")).strip() for name in FIELDS}
    try:
        if not typed["agent"]:
            raise ValidationError(N_("agent"), N_("is required"))
        date = validate.date(typed["date"])
        p.authorize(SCHEDULE, {"agent": typed["agent"], "date": date})
        records.schedule(p.fw, p.project["slug"], typed["agent"], date, typed["topic"],
                         p.user["username"])
    except ValidationError as err:  # shown beside its field; a refusal of access is the shell's page
        return sessions_page(p, {err.field: err.message(p.locale)}, typed, err.http_status)
    return p.redirect(f"/p/{p.project['slug']}/{NAME}/")
