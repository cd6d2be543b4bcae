"""The attendance pages of requests and records: the approvals queue, leave, shift swaps, the
handover board, an agent's own month and the monthly report, under ``/p/{project}/attendance/``.

An agent login reaches only its own records: every "own" page and form passes the agent it is
about through ``page.authorize``, which answers 404 for anybody else's. Every form posts back:
an error re-renders the page in the reader's language with status 422 and what was typed; a
success redirects (303). A refused leave request or swap lists every reason, one per line.

A decision that changes a past day (leave approved after the shift, an excuse) settles that
agent's days (`sheet.settle_days`) at once, so the ledger — and the agent's month — follow.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, FloorwalkerError, NotFound, Route, ValidationError

from . import evidence, handover, leave, punch_requests, report, sheet, swaps
from . import roster as rosters
from .actions import EXCUSE_DECIDE, HANDOVER, LEAVE_DECIDE, MARK, OWN, REPORT, SWAP_DECIDE, VIEW
from .config import NAME
from .context import arg, base, date_arg, go, month_arg, names_of, team_names
from .requests import Refused, leave_title


# ---------------------------------------------------------------- helpers


def problems(p, err: FloorwalkerError) -> list[str]:
    """What went wrong, one line per reason, in the reader's language."""
    if isinstance(err, Refused):
        return [r.message(p.locale) for r in err.reasons]
    return [err.message(p.locale)]


def agent_login(p) -> bool:
    """An agent's own login (no staff role): it asks and sees for itself only."""
    return set(p.user.get("roles") or ()) <= {"agent"}


def today(p) -> dt.date:
    return p.fw.projects.today(p.project)


def months_from(p, month: str) -> list[str]:
    """The stored months from *month* on (requests of the weeks ahead live in later months)."""
    return [m for m in rosters.stored_months(p.fw, p.project["slug"]) if m >= month]


def own_agent(p, number: str) -> dict:
    """The agent *number* of this project, if the user may see them (404 otherwise)."""
    if not number:
        raise ValidationError(N_("agent"), N_("is required"))
    if not any(a["number"] == number for a, _ in p.fw.agents.in_project(
            p.project["slug"], "0000-01-01", "9999-12-31")):
        raise NotFound(N_("not found"))
    p.authorize(OWN, {"agent": number})
    return p.fw.agents.get(number)


def settle_if_past(p, agent: str, first: str, last: str) -> None:
    """Bring the ledger in line with days a decision changed after they happened (leave approved
    late reverses the absence); days still ahead have no events yet."""
    if first <= today(p).isoformat():
        sheet.settle_days(p.fw, p.project, agent, first, min(last, today(p).isoformat()),
                          p.user["username"])


def project_agents(p) -> list[dict]:
    day = today(p).isoformat()
    return [a for a, _ in p.fw.agents.in_project(p.project["slug"], day)]


def failed(p, template: str, context, err: FloorwalkerError, typed: dict):
    """The form's page again, with every problem and what was typed (nothing was written)."""
    return p.render(template, http_status=422, errors=problems(p, err), typed=typed, **context(p))


# ---------------------------------------------------------------- approvals


def approvals_context(p) -> dict:
    slug = p.project["slug"]
    roles = set(p.user.get("roles") or ())
    waiting_leave = [{**r, "may_decide": bool(roles & leave.APPROVERS[r["level"]])
                      and p.can(LEAVE_DECIDE, r),
                      "approvers": sorted(leave.APPROVERS[r["level"]] - {"admin"})}
                     for r in leave.waiting(p.fw, slug)]
    excuses = [d for m in rosters.stored_months(p.fw, slug)
               for d in sheet.annotations(p.fw, slug, m).values()
               if d.get("excuse", {}).get("status") == "pending"]
    waiting_swaps = [{**s, "mine": [t for t in s["teams"] if p.can(SWAP_DECIDE, {"team": t})]}
                     for s in swaps.waiting(p.fw, slug)]
    return {"base": base(p), "leave": waiting_leave, "swaps": waiting_swaps,
            "excuses": sorted(excuses, key=lambda d: (d["date"], d["agent"])),
            "names": names_of(p, "0000-01-01", "9999-12-31"), "teams": team_names(p),
            "leave_title": leave_title, "is_manager": bool(roles & leave.MANAGER_ROLES),
            "punch_requests": punch_requests.waiting_for(p.fw, p.project, p.user)}


def authorize_decision(p, typed: dict, approve: bool) -> None:
    """The decision's record decides: a leave request's or an excuse's agent, the swap side's
    team a leader approves (refusing, any team of the swap the leader leads)."""
    slug = p.project["slug"]
    if typed["what"] == "leave":
        p.authorize(LEAVE_DECIDE, leave.find(p.fw, slug, typed["id"])[1])
    elif typed["what"] == "excuse":
        p.authorize(EXCUSE_DECIDE, {"agent": typed["agent"], "date": typed["date"]})
    elif typed["what"] == "swap":
        doc = swaps.find(p.fw, slug, typed["id"])[1]
        teams = [typed["team"]] if approve else doc["teams"]
        if not any(p.can(SWAP_DECIDE, {"team": t}) for t in teams if t):
            p.authorize(SWAP_DECIDE, {"team": teams[0]} if teams and teams[0] else None)


def approvals(p):
    if p.request.method == "GET":
        return p.render("attendance/approvals.html", done=arg(p, "done"), errors=[], typed={},
                        **approvals_context(p))
    typed = {k: arg(p, k) for k in ("what", "id", "decision", "reason", "team", "agent", "date")}
    approve = typed["decision"] == "approve"
    authorize_decision(p, typed, approve)
    try:
        if typed["what"] == "leave":
            doc = leave.decide(p.fw, p.project, typed["id"], approve, p.user, typed["reason"])
            if approve:
                settle_if_past(p, doc["agent"], doc["date"], doc["last"])
        elif typed["what"] == "swap":
            if approve:
                swaps.approve(p.fw, p.project, typed["id"], p.user, typed["team"])
            else:
                swaps.reject(p.fw, p.project, typed["id"], p.user, typed["reason"])
        elif typed["what"] == "excuse":
            sheet.decide_excuse(p.fw, p.project, typed["agent"], date_arg(p), approve, p.user,
                                typed["reason"])
        else:
            raise ValidationError(N_("decision"), N_("must be one of {choices}"),
                                  choices="leave, swap, excuse")
    except FloorwalkerError as err:
        return failed(p, "attendance/approvals.html", approvals_context, err, typed)
    return go(p, "approvals", done=f"{typed['what']}-{'approved' if approve else 'rejected'}")


# ---------------------------------------------------------------- leave


def leave_context(p) -> dict:
    month = month_arg(p)
    slug = p.project["slug"]
    mine = p.user.get("agent") if agent_login(p) else None
    found = [r for m in months_from(p, month) for r in leave.month_requests(p.fw, slug, m)
             if mine is None or r["agent"] == mine]
    kinds = list(p.fw.projects.settings(p.project, NAME)["leave_notice_minutes"])
    return {"base": base(p), "month": month, "requests": found, "kinds": kinds,
            "leave_title": leave_title, "agents": [] if mine else project_agents(p), "own": mine,
            "names": names_of(p, "0000-01-01", "9999-12-31"),
            "is_manager": bool(set(p.user.get("roles") or ()) & leave.MANAGER_ROLES)}


LEAVE_FIELDS = ("agent", "kind", "from", "to", "start_time", "end_time", "note", "exception")


def leave_page(p):
    if p.request.method == "GET":
        return p.render("attendance/leave.html", done=arg(p, "done"), errors=[], typed={},
                        **leave_context(p))
    typed = {k: arg(p, k) for k in LEAVE_FIELDS}
    typed.update(certificate=bool(arg(p, "certificate")), emergency=bool(arg(p, "emergency")))
    if agent_login(p):
        typed["agent"] = typed["agent"] or p.user.get("agent", "")
        typed["exception"] = ""
    try:
        own_agent(p, typed["agent"])
        for name in ("from", "to"):
            if typed[name]:
                typed[name] = date_arg(p, name)
        if not typed["from"]:
            raise ValidationError(N_("from"), N_("is required"))
        leave.request(p.fw, p.project, typed["agent"], typed["kind"], p.user, typed["from"],
                      typed["to"] or None, start_time=typed["start_time"] or None,
                      end_time=typed["end_time"] or None, certificate=typed["certificate"],
                      emergency=typed["emergency"], note=typed["note"], exception=typed["exception"])
    except NotFound:
        raise
    except FloorwalkerError as err:
        return failed(p, "attendance/leave.html", leave_context, err, typed)
    return go(p, "leave", done="asked")


def leave_cancel(p):
    _, doc = leave.find(p.fw, p.project["slug"], p.params["id"])
    p.authorize(OWN, doc)
    try:
        leave.cancel(p.fw, p.project, doc["id"], p.user, arg(p, "reason"))
    except FloorwalkerError as err:
        return failed(p, "attendance/leave.html", leave_context, err, {})
    if doc["status"] == "approved":
        settle_if_past(p, doc["agent"], doc["date"], doc["last"])
    return go(p, "leave", done="cancelled")


# ---------------------------------------------------------------- swaps


def swaps_context(p) -> dict:
    month = month_arg(p)
    slug = p.project["slug"]
    mine = p.user.get("agent") if agent_login(p) else None
    found = [s for m in months_from(p, month) for s in swaps.month_swaps(p.fw, slug, m)
             if mine is None or mine in (s["first"]["agent"], s["second"]["agent"])]
    return {"base": base(p), "month": month, "swaps": found, "own": mine or p.user.get("agent"),
            "agents": project_agents(p), "names": names_of(p, "0000-01-01", "9999-12-31"),
            "is_agent": mine is not None}


def swaps_page(p):
    if p.request.method == "GET":
        return p.render("attendance/swaps.html", done=arg(p, "done"), errors=[], typed={},
                        **swaps_context(p))
    typed = {k: arg(p, k) for k in ("do", "id", "agent", "date", "other", "other_date", "reason")}
    me = p.user.get("agent")
    try:
        if typed["do"] not in ("ask", "accept", "decline", "withdraw"):
            raise ValidationError(N_("decision"), N_("must be one of {choices}"),
                                  choices="ask, accept, decline, withdraw")
        if typed["do"] == "ask":
            if agent_login(p):
                typed["agent"] = me
            own_agent(p, typed["agent"])
            swaps.ask(p.fw, p.project, p.user, typed["agent"], date_arg(p), typed["other"],
                      date_arg(p, "other_date"))
        else:
            _, doc = swaps.find(p.fw, p.project["slug"], typed["id"])
            if agent_login(p) and me not in (doc["first"]["agent"], doc["second"]["agent"]):
                raise NotFound(N_("not found"))
            if typed["do"] == "accept":
                swaps.accept(p.fw, p.project, doc["id"], p.user)
            elif typed["do"] == "decline":
                swaps.reject(p.fw, p.project, doc["id"], p.user, typed["reason"])
            else:
                swaps.cancel(p.fw, p.project, doc["id"], p.user)
    except NotFound:
        raise
    except FloorwalkerError as err:
        return failed(p, "attendance/swaps.html", swaps_context, err, typed)
    return go(p, "swaps", done=typed["do"])


# ---------------------------------------------------------------- handover


def handover_context(p) -> dict:
    slug = p.project["slug"]
    last = dt.date.fromisoformat(arg(p, "to") or today(p).isoformat())
    first = dt.date.fromisoformat(arg(p, "from") or (last - dt.timedelta(days=1)).isoformat())
    if last < first or (last - first).days > 31:
        raise ValidationError(N_("to"), N_("choose at most a month, the last day after the first"))
    entries = rosters.roster_between(p.fw, slug, first, last + dt.timedelta(days=1)).values()
    on_shift: dict[tuple, list[str]] = {}
    for e in entries:
        on_shift.setdefault((e["team"], e["date"], e["shift"]), []).append(e["agent"])
    rows = handover.board(p.fw, slug, first, last, p.fw.projects.now(p.project))
    known = rosters.shifts(p.fw, slug)
    deducted = {(k["agent"], k["date"]) for m in rosters.months_of(first, last)
                for k in sheet.marks(p.fw, slug, m) if k["kind"] == "handover"}
    for r in rows:
        r["outgoing_agents"] = sorted(on_shift.get((r["team"], r["date"], r["from_shift"]), []))
        # the change after the day's last shift hands over to the next day's first
        into_day = r["date"] if known[r["to_shift"]].start > known[r["from_shift"]].start \
            else (dt.date.fromisoformat(r["date"]) + dt.timedelta(days=1)).isoformat()
        r["incoming_agents"] = sorted(on_shift.get((r["team"], into_day, r["to_shift"]), []))
        r["deducted"] = [a for a in r["outgoing_agents"] if (a, r["date"]) in deducted]
    return {"base": base(p), "first": first.isoformat(), "last": last.isoformat(), "rows": rows,
            "names": names_of(p, first.isoformat(), last.isoformat()), "teams": team_names(p),
            "missing": sum(1 for r in rows if r["missing"])}


def authorize_handover(p, typed: dict) -> None:
    """A log is written and answered by its team's leader; a deduction names its agent."""
    if typed["do"] == "write":
        p.authorize(HANDOVER, {"team": typed["team"]})
    elif typed["do"] in ("accept", "refuse"):
        p.authorize(HANDOVER, {"team": handover.find(p.fw, p.project["slug"], typed["id"])[1]["team"]})
    elif typed["do"] == "deduct":
        p.authorize(MARK, {"agent": typed["agent"], "date": typed["date"]})


def handover_page(p):
    if p.request.method == "GET":
        return p.render("attendance/handover.html", done=arg(p, "done"), errors=[], typed={},
                        **handover_context(p))
    fields = ("do", "id", "team", "date", "from_shift", "to_shift", "outgoing", "incoming",
              "equipment", "cases", "staffing", "reason", "agent")
    typed = {k: arg(p, k) for k in fields}
    slug = p.project["slug"]
    authorize_handover(p, typed)
    try:
        if typed["do"] == "write":
            handover.write_log(p.fw, slug, p.user, typed["team"], date_arg(p), typed["from_shift"],
                               typed["to_shift"], typed["outgoing"], typed["incoming"],
                               typed["equipment"], typed["cases"], typed["staffing"])
        elif typed["do"] in ("accept", "refuse"):
            handover.answer(p.fw, slug, typed["id"], typed["do"] == "accept", p.user, typed["reason"])
        elif typed["do"] == "deduct":
            if not typed["agent"]:
                raise ValidationError(N_("outgoing"), N_("is required"))
            note = typed["reason"] or f"{typed['from_shift']}→{typed['to_shift']}"
            sheet.record_mark(p.fw, p.project, typed["agent"], date_arg(p), "handover", p.user, note)
        else:
            raise ValidationError(N_("decision"), N_("must be one of {choices}"),
                                  choices="write, accept, refuse, deduct")
    except FloorwalkerError as err:
        return failed(p, "attendance/handover.html", handover_context, err, typed)
    return go(p, "handover", done=typed["do"], **{"from": arg(p, "from"), "to": arg(p, "to")})


# ---------------------------------------------------------------- an agent's month


def month_context(p, number: str) -> dict:
    month = month_arg(p)
    slug = p.project["slug"]
    first, last = rosters.month_dates(month)[0], rosters.month_dates(month)[-1]
    rows = sheet.month_rows(p.fw, p.project, month, agents={number})
    settings = p.fw.projects.settings(p.project, NAME)
    for r in rows:
        r["may_excuse"] = (bool(sheet.wanted_events({**r, "note": {}}, settings))
                           and r["note"].get("excuse", {}).get("status") not in ("pending", "accepted"))
    # a day's event stores its reason as English facts ("late 5 min"): read in the reader's language
    events = [{**e, "reason": evidence.reason(e.get("reason") or "", p.locale) or e.get("reason") or ""}
              for e in p.fw.ledger.agent_events(slug, month, number) if e["source"] == sheet.SOURCE]
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    rules = {r.code: r for r in p.fw.ledger.rules(p.project)}
    return {"base": base(p), "month": month, "agent": p.fw.agents.get(number), "rows": rows,
            "figures": report.summary(rows), "leave_title": leave_title,
            "requests": [r for r in leave.requests_between(p.fw, slug, first, last) if r["agent"] == number],
            "swaps": [s for s in swaps.month_swaps(p.fw, slug, month)
                      if number in (s["first"]["agent"], s["second"]["agent"])],
            "marks": [m for m in sheet.marks(p.fw, slug, month) if m["agent"] == number],
            "mark_titles": sheet.MARK_TITLES, "events": events, "reversed_ids": reversed_ids,
            "rules": rules, "names": names_of(p, first.isoformat(), last.isoformat())}


def mine(p):
    number = p.user.get("agent")
    if not number:
        return p.render("attendance/mine.html", agent=None, base=base(p), agents=project_agents(p))
    own_agent(p, number)
    return p.render("attendance/mine.html", errors=[], typed={}, **month_context(p, number))


def agent_page(p):
    number = p.params["number"]
    own_agent(p, number)
    return p.render("attendance/mine.html", errors=[], typed={}, done=arg(p, "done"),
                    **month_context(p, number))


def excuse_post(p):
    number = p.params["number"]
    own_agent(p, number)
    typed = {k: arg(p, k) for k in ("date", "reason", "proof")}
    try:
        sheet.ask_excuse(p.fw, p.project, number, date_arg(p), typed["reason"], typed["proof"], p.user)
    except FloorwalkerError as err:
        return p.render("attendance/mine.html", http_status=422, errors=problems(p, err), typed=typed,
                        **month_context(p, number))
    return go(p, f"agents/{number}", month=typed["date"][:7], done="excuse")


# ---------------------------------------------------------------- the monthly report


def report_data(p, month: str) -> tuple[dict, list[dict], dict, dict, bool]:
    """The month's report with names as this reader may see them, and whether they are masked."""
    dates = rosters.month_dates(month)
    agents = [a for a, _ in p.fw.agents.in_project(p.project["slug"], dates[0].isoformat(),
                                                   dates[-1].isoformat())]
    names = {a["number"]: p.agent_name(a, n) for n, a in enumerate(agents, 1)}
    masked = any(names[a["number"]] != a["name"] for a in agents)
    rows = sheet.month_rows(p.fw, p.project, month)
    teams = team_names(p)
    return report.monthly(rows, names, teams), rows, names, teams, masked


def report_page(p):
    month = month_arg(p)
    data, _, _, _, masked = report_data(p, month)
    return p.render("attendance/report.html", base=base(p), month=month, report=data,
                    masked=masked, leave_title=leave_title)


def report_xlsx(p):
    month = month_arg(p)
    data, rows, names, teams, masked = report_data(p, month)
    # where names are hidden, so is the employee number that would name the agent just as well
    body = report.workbook(data, rows, names, teams, month, p.locale, numbers=not masked)
    return p.download(body, f"{p.project['slug']}-attendance-{month}.xlsx")


def report_pdf(p):
    """The report as a PDF: the lines of the page, names and numbers masked as in the xlsx."""
    month = month_arg(p)
    data, _, _, _, masked = report_data(p, month)
    title = f"{p.project['name']} · {p._(N_('Monthly report'))} {month}"
    body = report.document(data, month, p.locale, title, numbers=not masked)
    return p.download(body, f"{p.project['slug']}-attendance-{month}.pdf")


ROUTES = [
    Route("approvals", approvals, VIEW),
    Route("approvals", approvals, VIEW, ("POST",)),
    Route("leave", leave_page, OWN),
    Route("leave", leave_page, OWN, ("POST",)),
    Route("leave/{id}/cancel", leave_cancel, OWN, ("POST",)),
    Route("swaps", swaps_page, OWN),
    Route("swaps", swaps_page, OWN, ("POST",)),
    Route("handover", handover_page, VIEW),
    Route("handover", handover_page, HANDOVER, ("POST",)),
    Route("mine", mine, OWN),
    Route("agents/{number}", agent_page, OWN),
    Route("agents/{number}/excuse", excuse_post, OWN, ("POST",)),
    Route("report", report_page, REPORT),
    Route("report.xlsx", report_xlsx, REPORT),
    Route("report.pdf", report_pdf, REPORT),
]
