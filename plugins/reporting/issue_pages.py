"""The client's issues on the web, under ``/p/{project}/reporting/issues``: the list (the
client's raise form on top), an issue's page with its timeline and the steps the reader may
take, and the forms behind them.

A client login reads its own project's issues without the internal notes and may raise one,
confirm an answered one resolved, or reopen a closed one. The staff raise issues on the client's
behalf (a call, a visit, an inspection: the source and when it was raised); a supervisor assigns
the owner and may close an issue with a note; the owner (or a supervisor) answers and records
actions; any of the staff adds internal notes.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, PermissionDenied, Route, ValidationError

from . import issues
from .actions import ISSUES, ISSUES_CONFIRM, ISSUES_HANDLE, ISSUES_MANAGE, ISSUES_RAISE
from .config import NAME

FILTERS = ("open", "answered", "closed", "overdue")
# the field a refusal names → the form's input
INPUTS = {"subject": "subject", "details": "details", "raised by": "contact", "raised at": "raised_at",
          "source": "source", "owner of the issue": "owner", "text": "text", "note": "text", "reason": "text",
          "comment": "text", "kind": "kind"}


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}/issues"


def words(p) -> dict:
    def options(found: dict) -> list[tuple[str, str]]:
        return [(k, p._(v)) for k, v in found.items()]
    return {"sources": issues.SOURCES, "statuses": issues.STATUSES, "steps_shown": issues.STEPS,
            "clocks": issues.CLOCK, "closed_how": issues.CLOSED_HOW, "source_options": options(issues.SOURCES),
            "base": base(p), "client": issues.is_client(p.user)}


def rows_of(p, docs: list[dict], shown: str = "") -> list[dict]:
    """The issues *docs* as the list shows them (each with its answer clock), narrowed to the
    *shown* filter."""
    now = p.fw.projects.now(p.project)
    rows = []
    for doc in docs:
        state = issues.clock(doc, now)
        if shown == "overdue" and (state != "overdue" or doc["status"] == "closed"):
            continue
        if shown in issues.STATUSES and doc["status"] != shown:
            continue
        rows.append({"doc": doc, "clock": state})
    return rows


def raise_values(p) -> dict:
    return {"raised_at": p.fw.projects.now(p.project).isoformat(sep=" ", timespec="minutes"), "source": "phone"}


def listing(p, errors: dict | None = None, status: int = 200) -> Response:
    shown = p.request.query_params.get("status", "")
    shown = shown if shown in FILTERS else ""
    return p.render("reporting/issues.html", http_status=status, errors=errors or {},
                    rows=rows_of(p, issues.all_of(p.fw, p.project), shown), shown=shown, filters=FILTERS,
                    values=p.form if errors else raise_values(p), can_raise=p.can(ISSUES_RAISE),
                    can_manage=p.can(ISSUES_MANAGE), owners=_owners(p), **words(p))


def _owners(p) -> list[tuple[str, str]]:
    return [(u["username"], p.fw.users.display_name(u["username"], p.locale))
            for u in issues.owners(p.fw, p.project)]


def raise_submit(p) -> Response:
    staff = not issues.is_client(p.user)
    form = p.form
    try:
        doc = issues.raise_issue(p.fw, p.project, form.get("subject"), form.get("details"), p.user["username"],
                                 source=form.get("source") if staff else "portal",
                                 contact=form.get("contact") if staff else "",
                                 raised_at=form.get("raised_at") if staff else None,
                                 owner=form.get("owner") if staff and p.can(ISSUES_MANAGE) else None)
    except ValidationError as err:
        return listing(p, {INPUTS.get(err.field, err.field): err.message(p.locale)}, err.http_status)
    return p.redirect(f"{base(p)}/{doc['id']}")


def issue(p, error: str | None = None, status: int = 200) -> Response:
    doc = issues.get(p.fw, p.project, p.params["id"])
    client = issues.is_client(p.user)
    shown = issues.for_client(doc) if client else doc
    manager = p.can(ISSUES_MANAGE)
    return p.render("reporting/issue.html", http_status=status, doc=shown, error=error,
                    state=issues.clock(doc, p.fw.projects.now(p.project)),
                    can_answer=p.can(ISSUES_HANDLE) and (manager or doc.get("owner") == p.user["username"]),
                    can_note=p.can(ISSUES_HANDLE), can_manage=manager, can_confirm=p.can(ISSUES_CONFIRM),
                    owners=_owners(p), timeline=list(reversed(shown["steps"])), **words(p))


STAFF_STEPS = {
    "answer": lambda p, i: issues.respond(p.fw, p.project, i, "answer", p.form.get("text"), p.user),
    "action": lambda p, i: issues.respond(p.fw, p.project, i, "action", p.form.get("text"), p.user),
    "note": lambda p, i: issues.respond(p.fw, p.project, i, "note", p.form.get("text"), p.user),
    "assign": lambda p, i: issues.assign(p.fw, p.project, i, p.form.get("owner"), p.user["username"]),
    "close": lambda p, i: issues.close(p.fw, p.project, i, p.form.get("text"), p.user["username"]),
    "reopen": lambda p, i: issues.reopen(p.fw, p.project, i, p.form.get("text"), p.user["username"]),
}
MANAGER_STEPS = ("assign", "close", "reopen")
CLIENT_STEPS = {
    "confirm": lambda p, i: issues.confirm(p.fw, p.project, i, p.form.get("text"), p.user["username"]),
    "reopen": lambda p, i: issues.reopen(p.fw, p.project, i, p.form.get("text"), p.user["username"]),
}


def _take(p, steps: dict, managed: tuple = ()) -> Response:
    ident = p.params["id"]
    issues.get(p.fw, p.project, ident)  # 404 before anything else
    name = str(p.form.get("step") or "")
    step = steps.get(name)
    if step is None:
        return issue(p, p._(N_("choose a step")), 422)
    try:
        if name in managed and not p.can(ISSUES_MANAGE):
            raise PermissionDenied(N_("a supervisor assigns, closes and reopens client issues"))
        step(p, ident)
    except FloorwalkerError as err:
        if err.http_status == 404 and not isinstance(err, ValidationError):
            raise
        return issue(p, err.message(p.locale), err.http_status)  # a refusal in the reader's words
    return p.redirect(f"{base(p)}/{issues.get(p.fw, p.project, ident)['id']}")


def staff_step(p) -> Response:
    return _take(p, STAFF_STEPS, MANAGER_STEPS)


def client_step(p) -> Response:
    return _take(p, CLIENT_STEPS)


def routes() -> list[Route]:
    post = ("POST",)
    return [
        Route("/issues", listing, action=ISSUES),
        Route("/issues", raise_submit, action=ISSUES_RAISE, methods=post),
        Route("/issues/{id}", issue, action=ISSUES),
        Route("/issues/{id}/steps", staff_step, action=ISSUES_HANDLE, methods=post),
        Route("/issues/{id}/client", client_step, action=ISSUES_CONFIRM, methods=post),
    ]
