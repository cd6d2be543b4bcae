"""The complaint pages under ``/p/{project}/complaints/``: the queue with its clocks coloured, the
intake form (a phone call's few required fields: channel and subject; the rest later), and the
complaint's own page with its timeline and the steps the reader may take.

A client login reads the queue and the complaint pages of its own project, masked (see
`records.masked`); every form and button is for the staff. The project's Import page (导入)
takes the handling point's lists through the importer, so there is no upload here.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import FloorwalkerError, Route, ValidationError

from . import clocks, handling, records, verdicts
from .actions import DECIDE, HANDLE, INTAKE, VIEW
from .config import AGAINST, CHANNELS, NAME, SEVERITIES, SIDES, STATUSES, STEPS, VERDICTS, WAITING_ON, names

# the field a refusal names → the form's input
INPUTS = {"what the customer wants": "wants", "number at the handling point": "external_id"}
HANDLE_STEPS = {"respond": lambda fw, pr, i, f, a, u: handling.respond(fw, pr, i, a, f.get("note")),
                "handover": lambda fw, pr, i, f, a, u: handling.handover(fw, pr, i, f.get("to"), a, u,
                                                                         f.get("note")),
                "classify": lambda fw, pr, i, f, a, u: handling.classify(fw, pr, i, f, a),
                "callback": lambda fw, pr, i, f, a, u: handling.callback(fw, pr, i, f.get("outcome"), a,
                                                                         f.get("note")),
                "escalate": lambda fw, pr, i, f, a, u: handling.escalate(fw, pr, i, f.get("reason"), a),
                "promise": lambda fw, pr, i, f, a, u: handling.promise(fw, pr, i, f.get("text"), f.get("by"), a),
                "wait": lambda fw, pr, i, f, a, u: handling.wait(fw, pr, i, f.get("on"), a, f.get("note")),
                "resume": lambda fw, pr, i, f, a, u: handling.resume(fw, pr, i, a, f.get("note")),
                "propose": lambda fw, pr, i, f, a, u: handling.propose(fw, pr, i, f.get("text"), a),
                "close": lambda fw, pr, i, f, a, u: handling.close(fw, pr, i, f.get("satisfaction"), a,
                                                                   f.get("note")),
                "reopen": lambda fw, pr, i, f, a, u: handling.reopen(fw, pr, i, f.get("reason"), a),
                "archive": lambda fw, pr, i, f, a, u: handling.archive(fw, pr, i, a)}
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
    rows = []
    for doc in records.all_of(p.fw, p.project):
        if status and doc["status"] != status:
            continue
        found = records.targets(p.fw, p.project, doc, now)
        if clock == "warning" and not any(c.warning for c in found):
            continue
        if clock == "failed" and not any(c.state == "failed" for c in found):
            continue
        rows.append({"doc": records.masked(doc) if masked else doc, "clocks": found})
    done = ("closed", "archived")
    later = now.replace(year=now.year + 100)
    rows.sort(key=lambda r: (r["doc"]["status"] in done,  # open first, a breach before the rest,
                             not any(c.state == "failed" for c in r["clocks"]),  # then by due time
                             min((c.due for c in r["clocks"] if c.state != "met"), default=later)))
    return p.render("complaints/queue.html", rows=rows, status=status, clock=clock, masked=masked,
                    agent_names={} if masked else _agent_names(p), can_intake=p.can(INTAKE), **_context(p))


def intake_form(p, errors: dict | None = None, status: int = 200) -> Response:
    teams = [(t["slug"], t["name"]) for t in p.fw.teams.of(p.project["slug"])]
    return p.render("complaints/intake.html", http_status=status, errors=errors or {},
                    values=p.form if errors else {}, teams=teams,
                    now=p.fw.projects.now(p.project).isoformat(sep=" ", timespec="minutes"), **_context(p))


def intake_submit(p) -> Response:
    try:
        doc = records.intake(p.fw, p.project, p.form, p.user["username"])
    except ValidationError as err:
        field = INPUTS.get(err.field, err.field)
        return intake_form(p, {field: err.message(p.locale)}, err.http_status)
    return p.redirect(f"{base(p)}/{doc['id']}")


def complaint(p, error: str | None = None, status: int = 200) -> Response:
    doc = records.get(p.fw, p.project, p.params["id"])
    masked = client_only(p.user)
    found = records.targets(p.fw, p.project, doc)
    staff = [u["username"] for u in p.fw.users.all()
             if not u.get("disabled") and p_staff(u) and p.fw.access.can(u, HANDLE, p.project)]
    rules = [r for r in p.fw.ledger.rules(p.project) if r.points < 0 and not r.derived] if not masked else []
    return p.render("complaints/complaint.html", http_status=status, c=records.masked(doc) if masked else doc,
                    clocks=found, masked=masked, error=error, staff=staff, rules=rules,
                    agent_name="" if masked else _agent_names(p).get(doc.get("agent") or "", ""),
                    can_handle=p.can(HANDLE), can_decide=p.can(DECIDE),
                    max_escalations=handling.MAX_ESCALATIONS,
                    flow=None if masked else verdicts.view(p.fw, p.project, doc, p.locale), **_context(p))


def _step(p, steps: dict) -> Response:
    ident = p.params["id"]
    records.get(p.fw, p.project, ident)  # 404 before anything else
    step = steps.get(str(p.form.get("step") or ""))
    if step is None:
        return complaint(p, p._("choose a step"), 422)
    try:
        step(p.fw, p.project, ident, p.form, p.user["username"], p.user)
    except FloorwalkerError as err:
        if err.http_status in (403, 404) and not isinstance(err, ValidationError):
            raise
        return complaint(p, err.message(p.locale), err.http_status)
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
