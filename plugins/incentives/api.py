"""The incentives plugin's endpoints of the JSON API (``/api/v1/projects/{project}/incentives/…``):
record a score event as the record page does, and ask for one to be reversed as the reversal
form does (a supervisor then decides it on the reversals page).

The same checks as the pages, through the same functions: the route's action, then the event's
agent on its date (`Call.authorize`: a team leader records and asks only for the agents of the
teams they lead, never for another team leader), a reason required, and the ledger's own checks
(the rule's points, a once-a-month rule, a closed month). Only the rules the record page offers
are recorded here (bonuses and violations, not the monthly judgement nor an adjustment).

The month's score sheet with grades and the pay float (for those who hold ``incentives.pay``)
is the core's ``/scores/{month}``: this plugin adds its columns there, so it has no sheet here.
"""

from __future__ import annotations

from floorwalker.core import N_, Call, Endpoint, ValidationError, validate

from . import reversals
from .actions import RECORD, REVERSAL_ASK
from .forms import RECORDED_KINDS
from .settings import NAME

BASE = f"/projects/{{project}}/{NAME}"
FIRST_DAY, LAST_DAY = "1900-01-01", "2999-12-31"  # the span the records hold (as the importers')
EVENT_FIELDS = ("id", "agent", "rule", "date", "points", "reason", "source", "evidence", "reverses", "period",
                "recorded_by", "recorded_at")


def _event(e: dict) -> dict:
    return {key: e.get(key) for key in EVENT_FIELDS}


def _reason(text) -> str:
    text = str(text or "").strip()
    if not text:
        raise ValidationError(N_("reason"), N_("is required"))
    return text


def record(call: Call) -> dict:
    """One score event, as the record page records it."""
    body = call.body
    date = validate.date(body["date"], N_("date"))
    if not FIRST_DAY <= date <= LAST_DAY:
        raise ValidationError(N_("date"), N_("expected a date from {first} to {last}, got {value!r}"),
                              first=FIRST_DAY, last=LAST_DAY, value=date)
    call.authorize(RECORD, {"agent": body["agent"], "date": date})
    reason = _reason(body.get("reason"))
    rules = {r.code: r for r in call.fw.ledger.rules(call.project)}
    rule = rules.get(body["rule"])
    if rule is None or rule.derived or rule.kind not in RECORDED_KINDS:
        raise ValidationError(N_("rule"), N_("{code} is not recorded by hand here"), code=body["rule"])
    event = call.fw.ledger.record(call.project["slug"], body["agent"], body["rule"], date,
                                  call.user["username"], points=body.get("points"), reason=reason,
                                  source=NAME)
    return _event(event)


def reverse(call: Call) -> dict:
    """Ask for the event to be reversed, with its reason: as the reversal form asks (a supervisor
    approves or rejects it on the reversals page; the month cannot close while it waits)."""
    slug = call.project["slug"]
    event_id = call.params["id"]
    _, event = call.fw.ledger.find(event_id, slug)
    call.authorize(REVERSAL_ASK, event)
    found = reversals.request(call.fw, slug, event_id, call.body.get("reason"), call.user["username"])
    return {key: found.get(key) for key in ("id", "event", "event_month", "agent", "rule", "points", "reason",
                                            "requested_by", "requested_at", "state")}


RECORD_BODY = {"type": "object", "required": ["agent", "rule", "date", "reason"], "additionalProperties": False,
               "properties": {
                   "agent": {"type": "string", "minLength": 1, "maxLength": 20, "description": "The agent's number."},
                   "rule": {"type": "string", "minLength": 1, "maxLength": 60,
                            "description": "The rule's code (a bonus or a violation the record page offers)."},
                   "date": {"type": "string", "minLength": 1, "maxLength": 10, "description": "YYYY-MM-DD"},
                   "points": {"type": "integer", "nullable": True, "minimum": -1000, "maximum": 1000,
                              "description": "Within the rule's range; the rule's default if left out."},
                   "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}
EVENT = {"type": "object", "properties": {k: {"type": "string"} for k in ("id", "agent", "rule", "date", "reason")}}
EVENT_EXAMPLE = {"id": "e5b1c0d2f", "agent": "T2001", "rule": "late_or_early", "date": "2026-12-07", "points": -2,
                 "reason": "早班迟到 12 分钟", "source": "incentives", "evidence": None, "reverses": None,
                 "period": "2026-12", "recorded_by": "zhang.tl", "recorded_at": "2026-12-07T09:15:02.114"}
REVERSE_BODY = {"type": "object", "required": ["reason"], "additionalProperties": False,
                "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}

ENDPOINTS = [
    Endpoint("POST", f"{BASE}/events", record, RECORD,
             "Record a score event (a team leader: the agents of their teams)", summary_zh="登记考核记录（班长：仅本班组坐席）", body=RECORD_BODY,
             body_example={"agent": "T2001", "rule": "late_or_early", "date": "2026-12-07", "points": -2,
                           "reason": "早班迟到 12 分钟"},
             response=EVENT, example=EVENT_EXAMPLE, status=201, tag="incentives"),
    Endpoint("POST", f"{BASE}/events/{{id}}/reverse", reverse, REVERSAL_ASK,
             "Ask for a score event to be reversed, with the reason (a supervisor decides)", summary_zh="申请冲销考核记录并说明原因（由主管决定）", body=REVERSE_BODY,
             body_example={"reason": "系统故障导致打卡缺失，已核实"}, response={"type": "object"},
             example={"id": "r0a9b8c7d", "event": "e5b1c0d2f", "event_month": "2026-12", "agent": "T2001",
                      "rule": "late_or_early", "points": -2, "reason": "系统故障导致打卡缺失，已核实",
                      "requested_by": "zhang.tl", "requested_at": "2026-12-07T10:20:00", "state": "pending"},
             status=201, tag="incentives"),
]
