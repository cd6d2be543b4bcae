"""The issues a client raises (甲方问题闭环): raised → owner assigned → action(s) → closed, every
step timestamped, audited and kept in the issue's own ``steps``.

An issue is raised by the client's login on the portal, or entered by the staff on the client's
behalf (a call, an e-mail, a visit or an inspection: the ``source``, with the client person who
raised it). A supervisor assigns its owner, who answers it; the staff add further actions (what
was done) and internal notes. It closes when the client confirms it is resolved, or when a
supervisor closes it with a note; the client (or a supervisor) may reopen it with a reason.

**The first answer is due within half a business day** (setting ``issue_answer_hours``, in
business hours of ``issue_hours``, counted on the install's holiday calendar in the project's
zone through the core's `BusinessHours`): the default is 4 hours of 09:00–18:00 — half of an
8-hour working day, so an issue raised at 17:00 on a Friday is due at 12:00 on the next working
day, the morning's work. The due time is fixed when the issue is raised. An unanswered issue
past it waits in "waiting for me" for its owner and for the supervisors, and stays marked as
answered late once answered.

What a client reads: its project's issues, their answers, actions and closing notes; never the
internal notes (`for_client`). Staff read everything. Ids are per project, ``Q0001`` …

`in_span` gives the client report the issues of a span as they stood at its end (nothing after
it counts), so a closed month's report reads the same whenever it is generated.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (N_, STAFF, SUPERVISORS, BusinessHours, Conflict, HolidayCalendar, NotFound,
                              PermissionDenied, Setting, ValidationError, validate, values)

from .config import NAME

TABLE = "issues"
SUBJECT_LIMIT = 200
SOURCES = {"portal": N_("Client portal"), "phone": N_("Phone call"), "email": N_("E-mail"),
           "visit": N_("Client visit"), "inspection": N_("Client inspection"), "meeting": N_("Meeting")}
STATUSES = {"open": N_("Waiting for an answer"), "answered": N_("Answered, to confirm"), "closed": N_("Issue closed")}
STEPS = {"raise": N_("Raised"), "assign": N_("Owner assigned"), "answer": N_("Answer given"),
         "action": N_("Action taken"), "note": N_("Internal note"), "confirm": N_("Confirmed resolved by the client"),
         "close": N_("Closed by the supervisor"), "reopen": N_("Reopened")}
CLOCK = {"running": N_("answer due"), "overdue": N_("answer overdue"), "met": N_("answered in time"),
         "late": N_("answered late")}
CLOSED_HOW = {"confirmed": N_("confirmed by the client"), "supervisor": N_("closed by the supervisor")}
VISIBLE = ("raise", "assign", "answer", "action", "confirm", "close", "reopen")  # all but "note"
GROUP = {"group_en": "Client issues", "group_zh": "甲方问题"}


def _check_hours(text) -> None:
    BusinessHours.parse(text, HolidayCalendar())


SETTINGS = [
    Setting("issue_hours", "str", "09:00-18:00", "Business hours of client issues", "甲方问题的工作时间",
            check=_check_hours, help_en="The answer time counts only these hours, on workdays of the holiday "
            "calendar (or 24x7).", help_zh="答复时限只计算此时段，按节假日与调休安排的工作日（或 24x7）。", **GROUP),
    Setting("issue_answer_hours", "float", 4.0, "First answer due within (business hours)",
            "首次答复时限（工作小时）", min=0.5, max=72,
            help_en="Half a business day by default: 4 of an 8-hour working day.",
            help_zh="默认半个工作日：8 小时工作日的 4 小时。", **GROUP),
]


# ---------------------------------------------------------------- reading


def key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def all_of(fw, project: dict) -> list[dict]:
    """The project's issues, newest first."""
    docs = fw.store.table(key(fw, project["slug"]), TABLE).values()
    return sorted(docs, key=lambda d: (d["raised_at"], d["id"]), reverse=True)


def get(fw, project: dict, ident) -> dict:
    doc = fw.store.table(key(fw, project["slug"]), TABLE).get(str(ident or "").strip().upper())
    if doc is None:
        raise NotFound(N_("no client issue {id!r}"), id=str(ident))
    return doc


def for_client(doc: dict) -> dict:
    """*doc* as the client reads it: its steps without the internal notes."""
    return {**doc, "steps": [s for s in doc["steps"] if s["step"] in VISIBLE]}


def _at(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def clock(doc: dict, now: dt.datetime) -> str:
    """Where the first answer stands: "met" or "late" once answered, else "running" or
    "overdue" at *now*."""
    due, answered = _at(doc["due"]), _at(doc.get("answered_at"))
    if answered is not None:
        return "met" if answered <= due else "late"
    return "overdue" if now > due else "running"


def due_time(fw, project: dict, raised: dt.datetime) -> dt.datetime:
    """When the first answer of an issue raised at *raised* is due (see the module's docstring)."""
    settings = fw.projects.settings(project, NAME)
    hours = fw.calendar.business_hours(project, settings["issue_hours"])
    return hours.add(raised, hours=float(settings["issue_answer_hours"]))


def owners(fw, project: dict) -> list[dict]:
    """The staff who may own an issue of *project* (a staff role, the project in their scope)."""
    slug = project["slug"]
    return [u for u in fw.users.all() if not u.get("disabled") and set(u.get("roles") or ()) & set(STAFF)
            and (("*" in (u.get("projects") or ())) or slug in (u.get("projects") or ()))]


def is_manager(user: dict | None) -> bool:
    return user is None or bool(set(user.get("roles") or ()) & set(SUPERVISORS))


def is_client(user: dict | None) -> bool:
    return bool(user) and set(user.get("roles") or ()) == {"client"}


# ---------------------------------------------------------------- the steps


def _now(fw, project: dict) -> str:
    return fw.projects.now(project).isoformat(sep=" ", timespec="seconds")


def _step(step: str, actor: str, at: str, text: str = "", **details) -> dict:
    return {"at": at, "by": actor, "step": step, "text": text, **details}


def raise_issue(fw, project: dict, subject, details, actor: str, *, source: str = "portal",
                contact=None, raised_at=None, owner=None) -> dict:
    """A new issue, due within the answer time. *raised_at* (``YYYY-MM-DD HH:MM``: the call or
    the visit, entered later) defaults to now; *owner* may be given at once by a supervisor."""
    subject = validate.text(subject, N_("subject"), SUBJECT_LIMIT, required=True)
    details = validate.text(details, N_("details"))
    contact = validate.text(contact, N_("raised by"), validate.NAME_LIMIT)
    source = validate.choice(values.plain(source) or "portal", SOURCES, N_("source"))
    now = fw.projects.now(project)
    if values.plain(raised_at):
        when = values.parse_datetime(values.plain(raised_at).replace("T", " "))
        if when is None:
            raise ValidationError(N_("raised at"), N_("expected a date and time as YYYY-MM-DD HH:MM, got {value!r}"),
                                  value=values.plain(raised_at))
        if when > now:
            raise ValidationError(N_("raised at"), N_("cannot be in the future"))
    else:
        when = now
    when = when.replace(microsecond=0)
    at = when.isoformat(sep=" ", timespec="seconds")
    due = due_time(fw, project, when).isoformat(sep=" ", timespec="seconds")
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.issue.raise") as tx:
        number = len(tx.docs(TABLE)) + 1
        ident = f"Q{number:04d}"
        while tx.get(TABLE, ident) is not None:
            number += 1
            ident = f"Q{number:04d}"
        doc = {"id": ident, "dated": None, "subject": subject, "details": details, "source": source,
               "contact": contact, "raised_at": at, "raised_by": actor, "due": due, "owner": None,
               "status": "open", "answered_at": None, "closed_at": None, "closed_how": None,
               "steps": [_step("raise", actor, at, details, source=source)]}
        tx.insert(TABLE, doc)
    if values.plain(owner):
        doc = assign(fw, project, ident, owner, actor)
    return doc


def _change(fw, project: dict, ident, actor: str, step: str, apply, at: dt.datetime | None = None) -> dict:
    """Apply *apply(doc, now)* → changed fields (or raise) in one audited commit, with its step,
    taken *at* (default: the project's clock; the demo's past weeks give theirs)."""
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.issue.{step}") as tx:
        doc = tx.get(TABLE, str(ident or "").strip().upper())
        if doc is None:
            raise NotFound(N_("no client issue {id!r}"), id=str(ident))
        now = at.isoformat(sep=" ", timespec="seconds") if at else _now(fw, project)
        fields, entry = apply(doc, now)
        fields["steps"] = [*doc["steps"], {"at": now, "by": actor, "step": step, **entry}]
        return tx.update(TABLE, doc["id"], fields)


def _open(doc: dict) -> None:
    if doc["status"] == "closed":
        raise Conflict(N_("client issue {id} is closed: reopen it first"), id=doc["id"])


def assign(fw, project: dict, ident, owner, actor: str, at: dt.datetime | None = None) -> dict:
    """Make *owner* (a staff login of the project) the issue's owner."""
    login = values.plain(owner)
    if login not in {u["username"] for u in owners(fw, project)}:
        raise ValidationError(N_("owner of the issue"), N_("choose a member of the project's staff"))

    def apply(doc, now):
        _open(doc)
        return {"owner": login}, {"text": "", "owner": login}
    return _change(fw, project, ident, actor, "assign", apply, at)


def respond(fw, project: dict, ident, kind, text, user: dict, at: dt.datetime | None = None) -> dict:
    """An answer or an action (the client reads both), or an internal note. The first answer or
    action stops the answer clock; only the owner or a supervisor answers for the centre."""
    kind = validate.choice(values.plain(kind) or "answer", ("answer", "action", "note"), N_("kind"))
    text = validate.text(text, N_("text"), required=True)
    actor = user["username"]

    def apply(doc, now):
        _open(doc)
        if kind != "note" and doc.get("owner") != actor and not is_manager(user):
            raise PermissionDenied(N_("only the issue's owner or a supervisor answers the client"))
        fields = {}
        if kind != "note" and not doc.get("answered_at"):
            fields = {"answered_at": now}
        if kind != "note" and doc["status"] == "open":
            fields["status"] = "answered"
        return fields, {"text": text}
    return _change(fw, project, ident, actor, kind, apply, at)


def confirm(fw, project: dict, ident, text, actor: str, at: dt.datetime | None = None) -> dict:
    """The client confirms the issue is resolved: it closes."""
    text = validate.text(text, N_("comment"))

    def apply(doc, now):
        _open(doc)
        if doc["status"] != "answered":
            raise Conflict(N_("client issue {id} has no answer yet to confirm"), id=doc["id"])
        return {"status": "closed", "closed_at": now, "closed_how": "confirmed"}, {"text": text}
    return _change(fw, project, ident, actor, "confirm", apply, at)


def close(fw, project: dict, ident, text, actor: str, at: dt.datetime | None = None) -> dict:
    """A supervisor closes the issue with a note saying why (the client reads it)."""
    text = validate.text(text, N_("note"), required=True)

    def apply(doc, now):
        _open(doc)
        return {"status": "closed", "closed_at": now, "closed_how": "supervisor"}, {"text": text}
    return _change(fw, project, ident, actor, "close", apply, at)


def reopen(fw, project: dict, ident, text, actor: str, at: dt.datetime | None = None) -> dict:
    """The client (or a supervisor) reopens a closed issue, saying why: it waits for the owner."""
    text = validate.text(text, N_("reason"), required=True)

    def apply(doc, now):
        if doc["status"] != "closed":
            raise Conflict(N_("client issue {id} is not closed"), id=doc["id"])
        return {"status": "open", "closed_at": None, "closed_how": None}, {"text": text}
    return _change(fw, project, ident, actor, "reopen", apply, at)


# ---------------------------------------------------------------- waiting, the report


def waiting(fw, project: dict, user: dict) -> dict[str, int]:
    """What waits for *user*: ``late`` (unanswered past the answer time: their own as owner,
    every one for a supervisor), ``unassigned`` (a supervisor's), ``confirm`` (a client's answered
    issues to confirm or reopen)."""
    now = fw.projects.now(project)
    manager, client = is_manager(user), is_client(user)
    counts = {"late": 0, "unassigned": 0, "confirm": 0}
    for doc in all_of(fw, project):
        if doc["status"] == "closed":
            continue
        if client:
            counts["confirm"] += doc["status"] == "answered"
            continue
        if (manager or doc.get("owner") == user["username"]) and clock(doc, now) == "overdue":
            counts["late"] += 1
        if manager and not doc.get("owner"):
            counts["unassigned"] += 1
    return counts


def in_span(fw, project: dict, first: dt.date, last: dt.date) -> list[dict]:
    """The issues of the span for the client report, oldest first: those raised in it, and those
    raised before it still open at its start; each as it stood at the end of *last* (its steps up
    to then, closed only if it closed by then), without internal notes:

    ``{"id", "subject", "source", "raised_at", "due", "owner" (login or None), "answered_at",
    "answer": "met" | "late" | "overdue" | "running", "status", "closed_at", "closed_how",
    "steps": [{"at", "by", "step", "text"}]}``."""
    start, end = first.isoformat(), f"{last.isoformat()} 23:59:59"
    found = []
    for doc in reversed(all_of(fw, project)):
        if doc["raised_at"] > end:
            continue
        steps = [s for s in doc["steps"] if s["at"] <= end and s["step"] in VISIBLE]
        closed = None
        owner = answered = None
        for s in steps:
            if s["step"] == "assign":
                owner = s.get("owner")
            elif s["step"] in ("answer", "action") and answered is None:
                answered = s["at"]
            closed = s if s["step"] in ("confirm", "close") else (None if s["step"] == "reopen" else closed)
        if doc["raised_at"] < start and closed is not None and closed["at"] < start:
            continue  # closed before the span began
        state = {**doc, "answered_at": answered}
        status = "closed" if closed else ("answered" if answered else "open")
        found.append({"id": doc["id"], "subject": doc["subject"], "source": doc["source"],
                      "raised_at": doc["raised_at"], "due": doc["due"], "owner": owner,
                      "answered_at": answered,
                      "answer": clock(state, dt.datetime.fromisoformat(end)), "status": status,
                      "closed_at": closed["at"] if closed else None,
                      "closed_how": ("confirmed" if closed["step"] == "confirm" else "supervisor") if closed else None,
                      "steps": [{k: s.get(k) for k in ("at", "by", "step", "text")} for s in steps]})
    return found
