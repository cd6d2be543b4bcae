"""The missed-punch pages (补卡) under ``/p/{project}/attendance/``: an agent asks and sees the
answer to its own requests; a team leader decides, here or in the approvals queue.

``punch-requests`` is the agent's form and list (an agent login sees its own requests only;
staff see everyone's, with the decision where they may take it); ``punch-requests/decide``
approves or rejects one request, checked against the request's agent and day, so a team leader
decides for the teams they lead only. Like the other request pages, an error re-renders the
page with status 422 and what was typed; a success redirects (303).
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, FloorwalkerError, NotFound, Route, ValidationError

from . import punch_requests as requests
from .actions import OWN, PUNCH_REQUEST_DECIDE
from .config import NAME
from .context import arg, base, go, month_arg, names_of
from .request_pages import agent_login, approvals_context, failed, own_agent, today

FIELDS = ("date", "time", "kind", "reason")
BACK = ("approvals", "punch-requests")
DONE = {"approve": "punch-approved", "reject": "punch-rejected"}


def page_context(p) -> dict:
    """The requests of the month asked for and the month before (a request of the last days of
    a month is asked in the next), the agent's own only for an agent login."""
    slug, month = p.project["slug"], month_arg(p)
    before = (dt.date.fromisoformat(f"{month}-01") - dt.timedelta(days=1)).isoformat()[:7]
    mine = p.user.get("agent") if agent_login(p) else None
    shown = requests.requests_of(p.fw, slug, [before, month], mine)
    for r in shown:
        r["may_decide"] = r["status"] == "pending" and p.can(PUNCH_REQUEST_DECIDE, r)
    rules = requests.rules_of(p.fw.projects.settings(p.project, NAME))
    this_month = today(p).isoformat()[:7]
    used = sum(1 for r in requests.month_requests(p.fw, slug, this_month)
               if mine and r["agent"] == mine and r["status"] in requests.COUNTED)
    return {"base": base(p), "month": month, "requests": shown, "own": mine, "rules": rules,
            "used": used, "today": today(p).isoformat(), "kinds": requests.KINDS,
            "names": names_of(p, "0000-01-01", "9999-12-31")}


def punch_requests_page(p):
    if p.request.method == "GET":
        return p.render("attendance/punch_requests.html", done=arg(p, "done"), errors=[],
                        typed={}, **page_context(p))
    typed = {k: arg(p, k) for k in (*FIELDS, "do", "id")}
    try:
        if typed["do"] == "ask":
            me = p.user.get("agent") or ""
            if not me:
                raise ValidationError(N_("agent"), N_("only an agent asks for its own missed punch"))
            own_agent(p, me)
            requests.ask(p.fw, p.project, me, typed["date"], typed["time"], typed["kind"],
                         typed["reason"], p.user["username"])
        elif typed["do"] == "withdraw":
            _, doc = requests.find(p.fw, p.project["slug"], typed["id"])
            p.authorize(OWN, doc)
            requests.withdraw(p.fw, p.project, doc["id"], p.user)
        else:
            raise ValidationError(N_("decision"), N_("must be one of {choices}"), choices="ask, withdraw")
    except NotFound:
        raise
    except FloorwalkerError as err:
        return failed(p, "attendance/punch_requests.html", page_context, err, typed)
    return go(p, "punch-requests", done="punch-asked" if typed["do"] == "ask" else "punch-withdrawn")


def decide_post(p):
    """Approve or reject one request; back to the page the decision was taken on."""
    _, doc = requests.find(p.fw, p.project["slug"], arg(p, "id"))
    p.authorize(PUNCH_REQUEST_DECIDE, doc)
    typed = {"what": "punch", "id": doc["id"], "decision": arg(p, "decision"),
             "reason": arg(p, "reason")}
    back = arg(p, "back") if arg(p, "back") in BACK else "punch-requests"
    try:
        if typed["decision"] not in ("approve", "reject"):
            raise ValidationError(N_("decision"), N_("must be one of {choices}"), choices="approve, reject")
        requests.decide(p.fw, p.project, doc["id"], typed["decision"] == "approve",
                        p.user["username"], typed["reason"])
    except FloorwalkerError as err:
        if back == "approvals":
            return failed(p, "attendance/approvals.html", approvals_context, err, typed)
        return failed(p, "attendance/punch_requests.html", page_context, err, typed)
    return go(p, back, done=DONE[typed["decision"]])


ROUTES = [
    Route("punch-requests", punch_requests_page, OWN),
    Route("punch-requests", punch_requests_page, OWN, ("POST",)),
    Route("punch-requests/decide", decide_post, PUNCH_REQUEST_DECIDE, ("POST",)),
]
