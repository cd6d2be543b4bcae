"""The meetings plugin's endpoints of the JSON API (``/api/v1/projects/{project}/meetings/…``): a
month's meetings as the command line's JSON gives them (``meetings list --format json``), and one
meeting as its page shows it — its state, attendance, agenda, minutes and action items. The staff
read them (`VIEW`), as they read the calendar and the meeting pages.
"""

from __future__ import annotations

from floorwalker.core import Call, Endpoint, validate

from . import agenda, items, records
from .actions import VIEW
from .config import NAME

BASE = f"/projects/{{project}}/{NAME}"
STRING = {"type": "string"}
NAMES = {"type": "array", "items": STRING}
MEETING = {"type": "object", "properties": {
    "id": STRING, "kind": STRING, "date": STRING, "time": STRING, "title": STRING, "chair": STRING,
    "expected": NAMES, "present": NAMES, "excused": NAMES, "absent": NAMES,
    "minutes_signed": {"type": "boolean"}}}
MEETING_EXAMPLE = {"id": "M0071", "kind": "briefing", "date": "2026-12-07", "time": "08:45", "title": "晨会",
                   "chair": "bank.lead.day-a", "expected": ["B3002", "B3003", "B3004"],
                   "present": ["B3002", "B3003"], "excused": ["B3004"], "absent": [], "minutes_signed": True}
DETAIL = {"type": "object", "properties": {
    **MEETING["properties"], "state": {"type": "string", "enum": ["planned", "held", "missed"]},
    "attendance": {"type": "object"}, "agenda": {"type": "array", "items": {"type": "object"}},
    "minutes": {"type": "object"}, "items": {"type": "array", "items": {"type": "object"}}}}
DETAIL_EXAMPLE = {**MEETING_EXAMPLE, "state": "held", "chair_role": "team_leader", "department": False,
                  "attendance": {"B3002": {"state": "present", "at": "2026-12-07T08:45:00"},
                                 "B3004": {"state": "excused", "at": "2026-12-07T08:45:00", "note": "年假"}},
                  "agenda": [{"id": "E1", "source": "point", "title": "午间高峰错峰用餐", "note": ""}],
                  "minutes": {"taker": "黄思琪", "decisions": [], "information": ["今日午间高峰请坐席错峰用餐"],
                              "notes": "通报今日请假与调班情况。", "signed_by": "bank.lead.day-a",
                              "signed_at": "2026-12-07T09:28:00"},
                  "items": [{"id": "A0012", "text": "整理本周客户高频问题", "owner": "B3002", "due": "2026-12-11",
                             "status": "open"}]}


def meetings(call: Call) -> list[dict]:
    """The meetings of ``?month=`` (this month by default), as ``meetings list --format json``."""
    month = validate.month(call.query.get("month") or call.fw.projects.today(call.project).isoformat()[:7], "month")
    return [records.as_json(m) for m in records.of_month(call.fw, call.project, month)]


def meeting(call: Call) -> dict:
    doc = records.get(call.fw, call.project, call.params["id"])
    today = call.fw.projects.today(call.project)
    return {**records.as_json(doc), "state": records.state(doc, today), "chair_role": doc.get("chair_role"),
            "department": bool(doc.get("department")), "guests": list(doc.get("guests") or ()),
            "attendance": {number: {k: v for k, v in mark.items() if k in ("state", "at", "note")}
                           for number, mark in (doc.get("attendance") or {}).items()},
            "agenda": [{k: entry.get(k) for k in ("id", "source", "title", "note")}
                       for entry in agenda.view(doc, call.locale)],
            "minutes": dict(doc.get("minutes") or {}),
            "items": [{k: i.get(k) for k in ("id", "text", "owner", "due", "status")}
                      for i in items.on_meeting(call.fw, call.project, doc["id"])]}


ENDPOINTS = [
    Endpoint("GET", f"{BASE}/meetings", meetings, VIEW,
             "The meetings of a month: who was expected, present, excused or absent, the minutes signed or not", summary_zh="某月的会议：应到、出席、请假、缺席人员，纪要是否签发",
             params={"month": {"type": "string", "description": "A month, YYYY-MM (this month by default).",
                               "example": "2026-12"}},
             response={"type": "array", "items": MEETING}, example={"items": [MEETING_EXAMPLE], "next": None},
             paged=True, tag=NAME),
    Endpoint("GET", f"{BASE}/meetings/{{id}}", meeting, VIEW,
             "A meeting: its state, attendance, agenda, minutes and action items", summary_zh="一次会议：状态、出勤、议程、纪要与待办事项", response=DETAIL,
             example=DETAIL_EXAMPLE, tag=NAME),
]
