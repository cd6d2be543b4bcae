"""Handling a complaint, step by step, each step one audited commit and one history entry.

* **First-contact responsibility** (首问负责制): the one who took the complaint in owns it until
  they hand it over *by name* to another member of the project's staff (a supervisor may hand
  over anyone's). Every step on the complaint is its current owner's (`_owner`); a supervisor
  may also hand it over, escalate, reopen and archive it (`SUPERVISOR_STEPS`), and gives the
  verdict, the severity and the approval of a solution. An agent who took a complaint may
  respond, call back and hand it over (`AGENT_STEPS`; the pages keep the rest from agents).
* **Classify**: category, root cause, the responsible side (our centre or the client's
  department) and the responsible person.
* **Verdict and severity** (a supervisor's, after the investigation): valid (成立) or invalid
  (不成立) with a reason — an invalid one gets the project's polite answer filled in — and
  general (一般) or serious (严重). A changed severity re-applies the SLA policy keeping the
  time spent (see `clocks`). The verdict calls `verdicts.on_verdict`, the seam of the score
  flow.
* **Solution**: proposed by the handler, approved by a manager (a supervisor); the approval is
  when the solution target is met. After a reopen the new solution must differ from every
  earlier one.
* **Callbacks** with their outcome; the first contact back with the customer (a response or a
  callback) meets the first-response target. While the complaint waits on the client's
  handling point, a callback with a result is refused: it follows the handling point's answer.
* **Escalation** (追加): at most twice per complaint; the third is refused.
* **Promise** to the customer where it cannot be solved soon; **wait** on the customer or the
  client (the clocks pause) and **resume**.
* **Close** with the customer's satisfaction (a verdict is needed first), **reopen** when the
  customer is still unhappy (the clocks go on from where they were: the closed span does not
  count), **archive** a closed complaint with its solution and result.
"""

from __future__ import annotations

from datetime import datetime

from floorwalker.core import N_, STAFF, Conflict, NotFound, PermissionDenied, ValidationError, validate, values

from . import clocks, records, verdicts
from .config import NAME, SEVERITIES, SIDES, VERDICTS, WAITING_ON, complaint_rules

MAX_ESCALATIONS = 2
OUTCOMES = {"accepted": N_("customer accepted"), "not_accepted": N_("not accepted"), "unreachable": N_("not reached")}
SATISFACTION = {"satisfied": N_("satisfied"), "neutral": N_("neutral"), "unsatisfied": N_("unsatisfied")}
MANAGERS = ("admin", "director", "supervisor")
SUPERVISOR_STEPS = ("handover", "escalate", "reopen", "archive")  # the owner's, or a supervisor's
AGENT_STEPS = ("respond", "callback", "handover")  # what an agent does with a complaint it took


def _now(fw, project: dict) -> str:
    return fw.projects.now(project).isoformat(sep=" ", timespec="seconds")


def change(fw, project: dict, ident: str, actor: str, step: str, apply, note: str = "", *,
           at: datetime | None = None, **details) -> dict:
    """Apply *apply(doc, now)* (it returns the changed fields, or raises) to complaint *ident*
    in one commit, with a history entry; also keeps any target that has just failed as failed.

    *at* is when the step was taken (default: the project's clock): every step below takes it,
    so a step is recorded when it happened (the demo's past months, a step noted late)."""
    now = at or fw.projects.now(project)
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.{step}") as tx:
        doc = tx.get(records.TABLE, str(ident).strip().upper())
        if doc is None:
            records.get(fw, project, ident)  # the NotFound a reader understands
        fields = apply(doc, now.isoformat(sep=" ", timespec="seconds")) or {}
        after = {**doc, **fields}
        breached = clocks.newly_failed(after, records.targets(fw, project, after, now))
        if breached:
            fields["breached"] = {**(doc.get("breached") or {}), **breached}
        fields["history"] = [*doc["history"], records.entry(actor, step, note, at=now,
                                                            zone=project.get("timezone"), **details)]
        return tx.update(records.TABLE, doc["id"], fields)


def _open(doc: dict) -> None:
    if doc["status"] in ("closed", "archived"):
        raise Conflict(N_("complaint {id} is closed: reopen it first"), id=doc["id"])


def _manager(user: dict | None) -> bool:
    return user is None or bool(set(user.get("roles") or ()) & set(MANAGERS))


def _owner(doc: dict, actor: str, user: dict | None = None, managers: bool = False) -> None:
    """首问负责制: only the complaint's current owner acts on it; where *managers*, a supervisor
    too (hand over, escalate, reopen, archive: `SUPERVISOR_STEPS`)."""
    if doc["owner"] == actor or (managers and _manager(user)):
        return
    if managers:
        raise PermissionDenied(N_("only the current owner of complaint {id} or a supervisor may do this"),
                               id=doc["id"])
    raise PermissionDenied(N_("only the current owner of complaint {id} may do this: ask for it to be "
                              "handed over first"), id=doc["id"])


def _first_response(doc: dict, now: str) -> dict:
    return {} if doc.get("first_response_at") else {"first_response_at": now}


def handover(fw, project, ident, to: str, actor: str, user: dict | None = None, note: str = "",
             at: datetime | None = None) -> dict:
    """Hand the complaint over by name: only its owner (or a manager) may."""
    to = values.plain(to)
    try:
        target = fw.users.get(to) if to else None
    except NotFound:
        target = None
    if target is None or not fw.access.can(target, f"{NAME}.handle", project) \
            or not set(target.get("roles") or ()) & set(STAFF):  # to the staff, not a client or an agent
        raise ValidationError(N_("hand over to"), N_("{name} cannot handle complaints of this project"),
                              name=to or "–")

    def apply(doc, now):
        _open(doc)
        _owner(doc, actor, user, managers=True)
        if to == doc["owner"]:
            raise Conflict(N_("{name} owns this complaint already"), name=to)
        return {"owner": to}
    return change(fw, project, ident, actor, "handover", apply, validate.text(note, N_("note")), at=at, to=to)


def classify(fw, project, ident, fields: dict, actor: str, at: datetime | None = None) -> dict:
    """Category, root cause, responsible side and person (each left as it was when not given)."""
    settings = fw.projects.settings(project, NAME)
    found = {}
    for name, rows, field in (("category", settings["categories"], N_("category")),
                              ("root_cause", settings["root_causes"], N_("root cause"))):
        value = values.plain(fields.get(name))
        if value:
            if value not in {r["name"] for r in rows}:
                raise ValidationError(field, N_("not one of the choices offered: {value!r}"), value=value)
            found[name] = value
    if values.plain(fields.get("side")):
        found["side"] = records.choice(fields.get("side"), SIDES, N_("responsible side"))
    if values.plain(fields.get("responsible")):
        found["responsible"] = validate.text(fields.get("responsible"), N_("responsible person"),
                                             validate.NAME_LIMIT)
    if not found:
        raise ValidationError(N_("category"), N_("is required"))
    def apply(doc, now):
        _owner(doc, actor)
        return found
    return change(fw, project, ident, actor, "classify", apply, at=at, **found)


def set_severity(fw, project, ident, severity: str, actor: str, reason: str = "",
                 at: datetime | None = None) -> dict:
    severity = records.choice(severity, SEVERITIES, N_("severity"))

    def apply(doc, now):
        if doc["severity"] == severity:
            raise Conflict(N_("the severity is {severity} already"), severity=SEVERITIES[severity])
        return {"severity": severity}
    return change(fw, project, ident, actor, "severity", apply, validate.text(reason, N_("reason")),
                  at=at, severity=severity)


def verdict(fw, project, ident, outcome: str, reason: str, actor: str, rule: str | None = None,
            user: dict | None = None, at: datetime | None = None) -> dict:
    """Valid or invalid, with a reason (required), after the investigation; a valid complaint
    against an agent names the score rule it falls under (the deduction is `on_verdict`'s)."""
    outcome = records.choice(outcome, VERDICTS, N_("validity"))
    reason = validate.text(reason, N_("reason"), required=True)
    rule = values.plain(rule) or None
    settings = fw.projects.settings(project, NAME)
    if rule and outcome == "valid":
        fw.ledger.rule(rule, project)  # an unknown code is refused naming it
        allowed = complaint_rules(settings)
        if rule not in allowed:
            raise ValidationError(N_("rule"), N_("{rule} is not a complaint rule of this project: choose one "
                                                 "of {rules}"), rule=rule, rules=", ".join(allowed) or "–")
    before = {}

    def apply(doc, now):
        if outcome == "valid" and doc.get("agent") and not rule:
            raise ValidationError(N_("rule"), N_("a valid complaint against an agent names its score rule"))
        before.update(doc)
        fields = {"verdict": {"outcome": outcome, "reason": reason, "rule": rule if outcome == "valid" else None,
                              "by": actor, "at": now}}
        if outcome == "invalid":
            fields["reply"] = settings["invalid_reply"].format(
                complainant=doc.get("complainant") or "客户", subject=doc["subject"])
        return fields
    doc = change(fw, project, ident, actor, "verdict", apply, reason, at=at, outcome=outcome, rule=rule)
    return verdicts.on_verdict(fw, project, doc, before.get("verdict"), actor, user)


def respond(fw, project, ident, actor: str, note: str = "", at: datetime | None = None) -> dict:
    """The first contact back with the customer (an acknowledgement, an apology)."""
    def apply(doc, now):
        _open(doc)
        _owner(doc, actor)
        return _first_response(doc, now)
    return change(fw, project, ident, actor, "respond", apply, validate.text(note, N_("note")), at=at)


def callback(fw, project, ident, outcome: str, actor: str, note: str = "",
             at: datetime | None = None) -> dict:
    outcome = records.choice(outcome, OUTCOMES, N_("callback outcome"))
    note = validate.text(note, N_("note"))

    def apply(doc, now):
        _open(doc)
        _owner(doc, actor)
        if any(not p.get("end") and p["on"] == "client" for p in doc["pauses"]):
            raise Conflict(N_("the client's handling point has not answered yet: the callback with "
                              "the result follows its answer"))
        return {"callbacks": [*doc["callbacks"], {"at": now, "by": actor, "outcome": outcome, "note": note}],
                **_first_response(doc, now)}
    return change(fw, project, ident, actor, "callback", apply, note, at=at, outcome=outcome)


def escalate(fw, project, ident, reason: str, actor: str, at: datetime | None = None,
             user: dict | None = None) -> dict:
    """追加: the customer does not accept the answer; at most `MAX_ESCALATIONS` per complaint."""
    reason = validate.text(reason, N_("reason"), required=True)

    def apply(doc, now):
        _open(doc)
        _owner(doc, actor, user, managers=True)
        if len(doc["escalations"]) >= MAX_ESCALATIONS:
            raise Conflict(N_("complaint {id} has been escalated twice already: no third escalation"),
                           id=doc["id"])
        return {"escalations": [*doc["escalations"], {"at": now, "by": actor, "reason": reason}]}
    return change(fw, project, ident, actor, "escalate", apply, reason, at=at)


def promise(fw, project, ident, text: str, by: str, actor: str, at: datetime | None = None) -> dict:
    text = validate.text(text, N_("promise"), required=True)
    by = validate.date(by, N_("promised by"))

    def apply(doc, now):
        _open(doc)
        _owner(doc, actor)
        return {"promise": {"text": text, "by": by, "at": now, "made_by": actor}}
    return change(fw, project, ident, actor, "promise", apply, text, at=at, due=by)


def wait(fw, project, ident, on: str, actor: str, note: str = "", at: datetime | None = None) -> dict:
    """Pause the clocks while waiting on the customer or the client."""
    on = records.choice(on, WAITING_ON, N_("waiting on"))

    def apply(doc, now):
        _open(doc)
        _owner(doc, actor)
        if doc["status"] == "waiting":
            raise Conflict(N_("complaint {id} is waiting already"), id=doc["id"])
        return {"status": "waiting", "pauses": [*doc["pauses"], {"start": now, "end": None, "on": on}]}
    return change(fw, project, ident, actor, "wait", apply, validate.text(note, N_("note")), at=at, on=on)


def resume(fw, project, ident, actor: str, note: str = "", at: datetime | None = None) -> dict:
    def apply(doc, now):
        _owner(doc, actor)
        if doc["status"] != "waiting":
            raise Conflict(N_("complaint {id} is not waiting"), id=doc["id"])
        pauses = [dict(p, end=now) if not p.get("end") else p for p in doc["pauses"]]
        return {"status": "open", "pauses": pauses}
    return change(fw, project, ident, actor, "resume", apply, validate.text(note, N_("note")), at=at)


def propose(fw, project, ident, text: str, actor: str, at: datetime | None = None) -> dict:
    text = validate.text(text, N_("solution"), required=True)

    def apply(doc, now):
        _open(doc)
        _owner(doc, actor)
        earlier = [s["text"] for s in doc["solutions"] if s.get("approved_at")]
        if doc.get("reopens") and values.plain(text) in map(values.plain, earlier):
            raise ValidationError(N_("solution"), N_("a reopened complaint needs a changed solution, "
                                                     "not the same one again"))
        return {"solution": {"text": text, "by": actor, "at": now, "approved_by": None, "approved_at": None}}
    return change(fw, project, ident, actor, "propose", apply, text, at=at)


def approve(fw, project, ident, actor: str, at: datetime | None = None) -> dict:
    """A manager approves the proposed solution: the solution target is met now."""
    def apply(doc, now):
        _open(doc)
        solution = doc.get("solution")
        if not solution or solution.get("approved_at"):
            raise Conflict(N_("complaint {id} has no proposed solution to approve"), id=doc["id"])
        approved = dict(solution, approved_by=actor, approved_at=now)
        return {"solution": approved, "solutions": [*doc["solutions"], approved], "solved_at": now}
    return change(fw, project, ident, actor, "approve", apply, at=at)


def close(fw, project, ident, satisfaction: str, actor: str, note: str = "",
          at: datetime | None = None) -> dict:
    satisfaction = records.choice(satisfaction, SATISFACTION, N_("satisfaction"))

    def apply(doc, now):
        _open(doc)
        if doc["status"] == "waiting":
            raise Conflict(N_("complaint {id} is waiting: resume it before closing"), id=doc["id"])
        _owner(doc, actor)
        if not doc.get("verdict"):
            raise Conflict(N_("complaint {id} has no verdict yet"), id=doc["id"])
        if doc.get("reopens") and not doc.get("solved_at"):
            raise Conflict(N_("complaint {id} was reopened: it is closed once its changed solution "
                              "is approved"), id=doc["id"])
        # closing answers the complaint: a target still open is done now (met or failed), so no
        # clock of a closed complaint runs on
        return {"status": "closed", "closed_at": now, "satisfaction": satisfaction,
                **_first_response(doc, now), **({} if doc.get("solved_at") else {"solved_at": now})}
    return change(fw, project, ident, actor, "close", apply, validate.text(note, N_("note")),
                  at=at, satisfaction=satisfaction)


def reopen(fw, project, ident, reason: str, actor: str, at: datetime | None = None,
           user: dict | None = None) -> dict:
    """The customer is still unhappy: open again, the clocks going on from where they stood;
    the solution must change (the approved one no longer counts as the solution)."""
    reason = validate.text(reason, N_("reason"), required=True)

    def apply(doc, now):
        if doc["status"] != "closed":
            raise Conflict(N_("only a closed complaint is reopened"))
        _owner(doc, actor, user, managers=True)
        return {"status": "open", "closed_at": None, "solved_at": None, "solution": None,
                "satisfaction": None,
                "reopens": [*doc["reopens"], {"closed_at": doc["closed_at"], "at": now, "by": actor,
                                              "reason": reason}]}
    return change(fw, project, ident, actor, "reopen", apply, reason, at=at)


def archive(fw, project, ident, actor: str, at: datetime | None = None, user: dict | None = None) -> dict:
    def apply(doc, now):
        if doc["status"] != "closed":
            raise Conflict(N_("only a closed complaint is archived"))
        _owner(doc, actor, user, managers=True)
        return {"status": "archived", "archived_at": now}
    return change(fw, project, ident, actor, "archive", apply, at=at)


def record_breaches(fw, project: dict, actor: str, at: datetime | None = None) -> int:
    """Keep every newly failed target of the open complaints as failed, and escalate it to the
    supervisors (a history entry; the supervisors' "waiting for me" counts it): the timed job."""
    now = at or fw.projects.now(project)
    found = 0
    for doc in records.all_of(fw, project):
        if doc["status"] in ("closed", "archived"):
            continue
        failed = clocks.newly_failed(doc, records.targets(fw, project, doc, now))
        if failed:
            found += 1
            change(fw, project, doc["id"], actor, "breach", lambda d, n: {}, "", at=at, targets=sorted(failed))
    return found
