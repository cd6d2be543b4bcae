"""The complaints plugin's endpoints of the JSON API (``/api/v1/projects/{project}/complaints/…``):
the queue, a complaint, and intake from the telephony or the client's handling point.

Each reads and decides as its page does, through the same functions: the queue and a complaint
are masked for a client login exactly as its pages are (the complainant and the contact cut
short, no agent's or staff member's name, no internal notes, the verdict without its reason), and
an agent login reads only the complaints it owns now (anyone else's: 404). Intake is the intake
form's: `records.intake` with its checks, an agent login's severity dropped, the taker owning the
complaint (首问负责制); a refusal names the JSON field (``wants``, ``external_id`` …).
"""

from __future__ import annotations

from floorwalker.core import N_, Call, Endpoint, NotFound, ValidationError, validate

from . import records
from .actions import INTAKE, VIEW
from .config import AGAINST, CHANNELS, NAME, SEVERITIES, STATUSES
from .pages import INPUTS, agent_only, client_only

BASE = f"/projects/{{project}}/{NAME}"
STRING = {"type": "string"}
NULLABLE = {"type": "string", "nullable": True}


def _text(limit: int) -> dict:
    return {"type": "string", "maxLength": limit, "nullable": True}


INTAKE_IN = {"type": "object", "required": ["channel", "subject"], "additionalProperties": False, "properties": {
    "channel": {"type": "string", "enum": list(CHANNELS)},
    "subject": {"type": "string", "minLength": 1, "maxLength": records.SUBJECT_LIMIT},
    "received": {**_text(30), "description": "YYYY-MM-DD HH:MM; now by default."},
    "complainant": _text(validate.NAME_LIMIT), "contact": _text(records.CONTACT_LIMIT),
    "against": {"type": "string", "enum": list(AGAINST), "nullable": True},
    "agent": _text(20), "team": _text(40), "category": _text(100),
    "severity": {"type": "string", "enum": list(SEVERITIES), "nullable": True},
    "wants": _text(validate.NOTE_LIMIT), "details": _text(validate.NOTE_LIMIT), "interaction": _text(64),
    "external_id": _text(64)}}
FIELD_NAMES = (N_("wants"), N_("external_id"))  # the body's keys the form names otherwise, as an error names them
INTAKE_EXAMPLE = {"channel": "phone", "subject": "分期提前还款还被收全部手续费", "received": "2026-12-07 10:12",
                  "complainant": "马先生", "contact": "13836117176", "against": "process", "category": "分期业务",
                  "wants": "退还未到期的手续费"}
TARGETS = {"type": "object", "description": "Each SLA target: its due time, state and business minutes used."}
COMPLAINT = {"type": "object", "properties": {
    "id": STRING, "received": STRING, "channel": STRING, "subject": STRING, "complainant": NULLABLE,
    "contact": NULLABLE, "against": NULLABLE, "agent": NULLABLE, "team": NULLABLE, "category": NULLABLE,
    "severity": STRING, "status": STRING, "owner": NULLABLE, "verdict": NULLABLE,
    "escalations": {"type": "integer"}, "targets": TARGETS, "masked": {"type": "boolean"}}}
COMPLAINT_EXAMPLE = {"id": "C0054", "received": "2026-12-07 10:12:00", "channel": "phone",
                     "subject": "分期提前还款还被收全部手续费", "complainant": "马先生", "contact": "13836117176",
                     "against": "process", "agent": None, "team": None, "category": "分期业务",
                     "severity": "general", "status": "open", "owner": "bank.qa", "verdict": None,
                     "escalations": 0, "masked": False,
                     "targets": {"response": {"due": "2026-12-07 12:12", "state": "running", "minutes": 20}}}
# what a client's complaint page shows of a complaint, beyond the queue's columns
CLIENT_KEYS = ("wants", "root_cause", "satisfaction", "first_response_at", "solved_at", "closed_at")


def _targets(found: list) -> dict:
    return {c.target: {"due": c.due.isoformat(sep=" ", timespec="minutes") if c.due else None,
                       "state": c.state, "minutes": c.minutes} for c in found}


def _row(doc: dict, found: list, masked: bool) -> dict:
    """A complaint as the queue lists it (a client: masked, no agent's or handler's name)."""
    shown = records.masked(doc) if masked else doc
    return {"id": doc["id"], "received": doc["received"], "channel": doc["channel"], "subject": doc["subject"],
            "complainant": shown.get("complainant"), "contact": shown.get("contact"), "against": doc.get("against"),
            "agent": None if masked else doc.get("agent"), "team": doc.get("team"), "category": doc.get("category"),
            "severity": doc["severity"], "status": doc["status"], "owner": None if masked else doc["owner"],
            "verdict": (doc.get("verdict") or {}).get("outcome"), "escalations": len(doc.get("escalations") or ()),
            "targets": _targets(found), "masked": masked}


def _client(doc: dict, found: list) -> dict:
    """A complaint as a client's complaint page shows it: masked, its steps without who or notes."""
    shown = records.masked(doc)
    solution = doc.get("solution") or {}
    promise = doc.get("promise") or {}
    return {**_row(doc, found, True), **{k: doc.get(k) for k in CLIENT_KEYS},
            "solution": {"text": solution["text"], "approved": bool(solution.get("approved_at"))} if solution else None,
            "promise": {"text": promise.get("text"), "by": promise.get("by")} if promise else None,
            "history": shown["history"], "callbacks": shown["callbacks"]}


def _read(call: Call, ident: str) -> dict:
    doc = records.get(call.fw, call.project, ident)
    if agent_only(call.user) and doc["owner"] != call.user["username"]:  # as the page's `_own`
        raise NotFound(N_("no complaint {id!r}"), id=doc["id"])
    return doc


def _shown(call: Call, doc: dict) -> dict:
    found = records.targets(call.fw, call.project, doc)
    if client_only(call.user):
        return _client(doc, found)
    row = _row(doc, found, False)  # the staff's (and the owning agent's) page: the whole record
    return {**{k: v for k, v in doc.items() if k not in row}, **row, "verdict_detail": doc.get("verdict"),
            "escalation_log": doc.get("escalations") or []}


def queue(call: Call) -> list[dict]:
    """The queue: ``?month=`` and ``?status=`` narrow it as the page's do (paged by id)."""
    month = call.query.get("month")
    if month:
        month = validate.month(month, "month")
    status = call.query.get("status")
    if status and status not in STATUSES:
        raise ValidationError("status", N_("not one of the choices offered: {value!r}"), value=status)
    masked, mine = client_only(call.user), agent_only(call.user)
    now = call.fw.projects.now(call.project)
    return [_row(doc, records.targets(call.fw, call.project, doc, now), masked)
            for doc in records.all_of(call.fw, call.project)
            if (not status or doc["status"] == status) and (not month or doc["received"][:7] == month)
            and (not mine or doc["owner"] == call.user["username"])]


def complaint(call: Call) -> dict:
    return _shown(call, _read(call, call.params["id"]))


def intake(call: Call) -> dict:
    """Take a complaint in as the intake form does; the taker owns it."""
    fields = {k: v for k, v in call.body.items() if v is not None}
    if agent_only(call.user):
        fields.pop("severity", None)  # an agent's form has no severity: a supervisor sets it
    try:
        doc = records.intake(call.fw, call.project, fields, call.user["username"])
    except ValidationError as err:
        err.field = INPUTS.get(err.field, err.field)  # the JSON field, the message in the reader's words
        raise
    return _shown(call, doc)


ENDPOINTS = [
    Endpoint("GET", f"{BASE}/complaints", queue, VIEW,
             "The complaints (a client: masked; an agent: the ones it owns), by id", summary_zh="投诉列表（甲方：脱敏；坐席：仅本人受理的），按编号",
             params={"month": {"type": "string", "description": "Received in this month, YYYY-MM.",
                               "example": "2026-12"},
                     "status": {"type": "string", "enum": list(STATUSES), "description": "Only in this state."}},
             response={"type": "array", "items": COMPLAINT}, example={"items": [COMPLAINT_EXAMPLE], "next": None},
             paged=True, tag=NAME),
    Endpoint("POST", f"{BASE}/complaints", intake, INTAKE,
             "Take a complaint in (channel and subject are required; the rest may come later)", summary_zh="受理投诉（渠道与主题必填，其余可稍后补充）",
             body=INTAKE_IN, body_example=INTAKE_EXAMPLE, response=COMPLAINT, example=COMPLAINT_EXAMPLE,
             status=201, tag=NAME),
    Endpoint("GET", f"{BASE}/complaints/{{id}}", complaint, VIEW,
             "A complaint with its clocks and history (a client: masked)", summary_zh="一条投诉及其时限与处理记录（甲方：脱敏）", response=COMPLAINT,
             example={**COMPLAINT_EXAMPLE, "history": []}, tag=NAME),
]
