"""The complaint pages under ``/p/{project}/complaints/``: the queue with its clocks coloured, the
intake form (a phone call's few required fields: channel and subject; the rest later), and the
complaint's own page with its timeline and the steps the reader may take.

A client login reads the queue and the complaint pages of its own project, masked (see
`records.masked`); every form and button is for the staff. The project's Import page (导入)
takes the handling point's lists through the importer, so there is no upload here.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, NotFound, PermissionDenied, Route, ValidationError

from . import clocks, handling, records, verdicts
from .actions import DECIDE, HANDLE, INTAKE, VIEW
from .config import (AGAINST, CHANNELS, NAME, SEVERITIES, SIDES, STATUSES, STEPS, VERDICTS, WAITING_ON,
                     complaint_rules, names)

# the field a refusal names → the form's input
INPUTS = {"what the customer wants": "wants", "number at the handling point": "external_id"}
HANDLE_STEPS = {"respond": lambda fw, pr, i, f, a, u: handling.respond(fw, pr, i, a, f.get("note")),
                "handover": lambda fw, pr, i, f, a, u: handling.handover(fw, pr, i, f.get("to"), a, u,
                                                                         f.get("note")),
                "classify": lambda fw, pr, i, f, a, u: handling.classify(fw, pr, i, f, a),
                "callback": lambda fw, pr, i, f, a, u: handling.callback(fw, pr, i, f.get("outcome"), a,
                                                                         f.get("note")),
                "escalate": lambda fw, pr, i, f, a, u: handling.escalate(fw, pr, i, f.get("reason"), a, user=u),
                "promise": lambda fw, pr, i, f, a, u: handling.promise(fw, pr, i, f.get("text"), f.get("by"), a),
                "wait": lambda fw, pr, i, f, a, u: handling.wait(fw, pr, i, f.get("on"), a, f.get("note")),
                "resume": lambda fw, pr, i, f, a, u: handling.resume(fw, pr, i, a, f.get("note")),
                "propose": lambda fw, pr, i, f, a, u: handling.propose(fw, pr, i, f.get("text"), a),
                "close": lambda fw, pr, i, f, a, u: handling.close(fw, pr, i, f.get("satisfaction"), a,
                                                                   f.get("note")),
                "reopen": lambda fw, pr, i, f, a, u: handling.reopen(fw, pr, i, f.get("reason"), a, user=u),
                "archive": lambda fw, pr, i, f, a, u: handling.archive(fw, pr, i, a, user=u)}
DECIDE_STEPS = {"verdict": lambda fw, pr, i, f, a, u: handling.verdict(fw, pr, i, f.get("outcome"),
                                                                       f.get("reason"), a, f.get("rule"), u),
                "severity": lambda fw, pr, i, f, a, u: handling.set_severity(fw, pr, i, f.get("severity"), a,
                                                                             f.get("reason")),
                "approve": lambda fw, pr, i, f, a, u: handling.approve(fw, pr, i, a)}
WORDS = {"channels": CHANNELS, "severities": SEVERITIES, "against": AGAINST, "sides": SIDES,
         "statuses": STATUSES, "verdicts": VERDICTS, "waiting_on": WAITING_ON,
         "outcomes": handling.OUTCOMES, "satisfaction": handling.SATISFACTION,
         "targets": clocks.TARGET_TITLES, "states": clocks.STATES}


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def client_only(user: dict) -> bool:
    """A client login (masked reading), as opposed to the centre's staff."""
    return "client" in (user.get("roles") or ()) and not p_staff(user)


def p_staff(user: dict) -> bool:
    return bool(set(user.get("roles") or ()) - {"client", "agent"})


def agent_only(user: dict | None) -> bool:
    """A floor agent's login: it reads and handles only the complaints it owns now."""
    roles = set((user or {}).get("roles") or ())
    return "agent" in roles and not p_staff(user)


def _own(p, doc: dict) -> None:
    """An agent login knows only the complaints it owns now: anyone else's is not found."""
    if agent_only(p.user) and doc["owner"] != p.user["username"]:
        raise NotFound(N_("no complaint {id!r}"), id=doc["id"])


def _context(p) -> dict:
    settings = p.fw.projects.settings(p.project, NAME)
    def options(words: dict) -> list[tuple[str, str]]:
        return [(k, p._(v)) for k, v in words.items()]
    return {"base": base(p), **WORDS, "categories": names(settings["categories"], p.locale),
            "root_causes": names(settings["root_causes"], p.locale),
            "channel_options": options(CHANNELS), "against_options": options(AGAINST),
            "severity_options": options(SEVERITIES), "side_options": options(SIDES),
            "outcome_options": options(handling.OUTCOMES), "satisfaction_options": options(handling.SATISFACTION),
            "waiting_options": options(WAITING_ON), "steps_shown": dict(options(STEPS))}


def _agent_names(p) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], "1900-01-01",
                                                                       "2999-12-31")}


def queue(p) -> Response:
    """Open complaints first (by their nearest deadline), then the rest; ``?status=`` and
    ``?clock=warning|failed`` narrow it (the "waiting for me" links)."""
    now = p.fw.projects.now(p.project)
    masked = client_only(p.user)
    status = p.request.query_params.get("status", "")
    clock = p.request.query_params.get("clock", "")
    month = p.request.query_params.get("month", "")
    mine = agent_only(p.user)
    docs = records.all_of(p.fw, p.project)
    months = sorted({d["received"][:7] for d in docs}, reverse=True)
    month = month if month in months else ""
    rows = []
    for doc in docs:
        if status and doc["status"] != status or month and doc["received"][:7] != month:
            continue
        if mine and doc["owner"] != p.user["username"]:
            continue
        found = records.targets(p.fw, p.project, doc, now)
        if clock == "warning" and not any(c.warning for c in found):
            continue
        if clock == "failed" and not any(c.state == "failed" for c in found):
            continue
        rows.append({"doc": records.masked(doc) if masked else doc, "clocks": found})
    rows.sort(key=lambda r: _order(r, now))
    return p.render("complaints/queue.html", rows=rows, status=status, clock=clock, masked=masked,
                    month=month, months=months, mine=mine, agent_names={} if masked else _agent_names(p),
                    can_intake=p.can(INTAKE), **_context(p))


ORDER = {"open": 0, "waiting": 1, "closed": 2, "archived": 3}


def _order(row: dict, now):
    """Open first by the nearest deadline still to meet, then on hold (the same way), then closed
    and archived (as `records.all_of` gives them: the newest received first; the sort is stable)."""
    doc = row["doc"]
    rank = ORDER.get(doc["status"], 4)
    if rank < 2:
        due = min((c.due for c in row["clocks"] if c.state != "met" and c.due), default=None)
        return (rank, due is None, due or now)
    return (rank, False, now)


def intake_form(p, errors: dict | None = None, status: int = 200) -> Response:
    teams = [(t["slug"], t["name"]) for t in p.fw.teams.of(p.project["slug"])]
    return p.render("complaints/intake.html", http_status=status, errors=errors or {},
                    show_severity=not agent_only(p.user),
                    values=p.form if errors else {}, teams=teams,
                    now=p.fw.projects.now(p.project).isoformat(sep=" ", timespec="minutes"), **_context(p))


def intake_submit(p) -> Response:
    form = {k: v for k, v in p.form.items() if k != "severity"} if agent_only(p.user) else p.form
    try:
        doc = records.intake(p.fw, p.project, form, p.user["username"])
    except ValidationError as err:
        field = INPUTS.get(err.field, err.field)
        return intake_form(p, {field: err.message(p.locale)}, err.http_status)
    return p.redirect(f"{base(p)}/{doc['id']}")


def complaint(p, error: str | None = None, status: int = 200) -> Response:
    doc = records.get(p.fw, p.project, p.params["id"])
    _own(p, doc)
    masked = client_only(p.user)
    found = records.targets(p.fw, p.project, doc)
    staff = [u["username"] for u in p.fw.users.all()
             if not u.get("disabled") and p_staff(u) and p.fw.access.can(u, HANDLE, p.project)]
    allowed = complaint_rules(p.fw.projects.settings(p.project, NAME))
    rules = sorted((r for r in p.fw.ledger.rules(p.project) if r.code in allowed),
                   key=lambda r: allowed.index(r.code)) if not masked else []
    return p.render("complaints/complaint.html", http_status=status, c=records.masked(doc) if masked else doc,
                    clocks=found, masked=masked, error=error, staff=staff, rules=rules,
                    agent_name="" if masked else _agent_names(p).get(doc.get("agent") or "", ""),
                    can_handle=p.can(HANDLE), can_decide=p.can(DECIDE),
                    owner=doc["owner"] == p.user["username"], steps=_steps_for(p, doc),
                    timeline=[(records.shown_at(h["at"], p.project.get("timezone")), h)
                              for h in reversed(doc.get("history") or ())],
                    max_escalations=handling.MAX_ESCALATIONS,
                    flow=None if masked else verdicts.view(p.fw, p.project, doc, p.locale), **_context(p))


def _steps_for(p, doc: dict) -> set[str]:
    """The handling steps the reader may take on *doc*: its owner's; a supervisor's on another's
    complaint (`handling.SUPERVISOR_STEPS`); an agent's only `handling.AGENT_STEPS`."""
    if not p.can(HANDLE):
        return set()
    if doc["owner"] == p.user["username"]:
        steps = set(HANDLE_STEPS)
    elif handling._manager(p.user):
        steps = set(handling.SUPERVISOR_STEPS)
    else:
        steps = set()
    return steps & set(handling.AGENT_STEPS) if agent_only(p.user) else steps


def _step(p, steps: dict) -> Response:
    ident = p.params["id"]
    _own(p, records.get(p.fw, p.project, ident))  # 404 before anything else
    name = str(p.form.get("step") or "")
    step = steps.get(name)
    if step is None:
        return complaint(p, p._("choose a step"), 422)
    try:
        if agent_only(p.user) and name not in handling.AGENT_STEPS:
            raise PermissionDenied(N_("an agent responds, calls back and hands over a complaint it took; "
                                      "the other steps are for the staff it hands it over to"))
        doc = step(p.fw, p.project, ident, p.form, p.user["username"], p.user)
    except FloorwalkerError as err:
        if err.http_status == 404 and not isinstance(err, ValidationError):
            raise
        return complaint(p, err.message(p.locale), err.http_status)  # a refusal in the reader's words
    if agent_only(p.user) and doc["owner"] != p.user["username"]:
        return p.redirect(f"{base(p)}/")  # handed over: no longer the agent's to read
    return p.redirect(f"{base(p)}/{ident}")


def handle(p) -> Response:
    return _step(p, HANDLE_STEPS)


def decide(p) -> Response:
    return _step(p, DECIDE_STEPS)


def routes() -> list[Route]:
    post = ("POST",)
    return [
        Route("/", queue, action=VIEW),
        Route("/new", intake_form, action=INTAKE),
        Route("/new", intake_submit, action=INTAKE, methods=post),
        Route("/{id}", complaint, action=VIEW),
        Route("/{id}/handle", handle, action=HANDLE, methods=post),
        Route("/{id}/decide", decide, action=DECIDE, methods=post),
    ]
