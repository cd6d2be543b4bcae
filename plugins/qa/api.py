"""The QA plugin's endpoints of the JSON API (``/api/v1/projects/{project}/qa/…``): interactions
in from the telephony or the chat platform, and the evaluations read back.

Each does what its page does, through the same functions: interactions go through the
interactions importer (`interactions.store`: every item checked before any is stored, an id
already imported skipped), so one wrong item stores nothing and is named ``items[3].time``. The
evaluations are listed as the QA pages show them to the reader: an agent login its own (as
``/qa/mine``), a team leader the agents of the teams it leads (as the disputes list; all with
``?teams=all``), the other staff all of them; one evaluation is authorised as its page is.
"""

from __future__ import annotations

from floorwalker.core import SUPERVISORS, Call, Endpoint, ValidationError, validate

from . import evaluations, interactions
from .actions import FORWARD, IMPORT, OWN, VIEW
from .config import NAME

BASE = f"/projects/{{project}}/{NAME}"
MOST_ITEMS = 10_000
STRING = {"type": "string"}
NULLABLE = {"type": "string", "nullable": True}
MONTH = {"type": "string", "description": "A month, YYYY-MM (the newest with records by default).",
         "example": "2026-11"}
KEYS = ("id", "agent", "time", "channel", "duration", "transcript", "recording", "category")

INTERACTION_IN = {"type": "object", "required": ["id", "agent", "time", "channel"], "additionalProperties": False,
                  "properties": {
                      "id": {"type": "string", "minLength": 1, "maxLength": 64},
                      "agent": {"type": "string", "minLength": 1, "maxLength": 20},
                      "time": {"type": "string", "minLength": 1, "maxLength": 30},
                      "channel": {"type": "string", "minLength": 1, "maxLength": 20},
                      "duration": {"type": "integer", "minimum": 0, "maximum": 7 * 24 * 3600 - 1, "nullable": True},
                      "transcript": {"type": "string", "maxLength": interactions.TRANSCRIPT_LIMIT, "nullable": True},
                      "recording": {"type": "string", "maxLength": 500, "nullable": True},
                      "category": {"type": "string", "maxLength": 100, "nullable": True}}}
INTERACTIONS_IN = {"type": "object", "required": ["items"], "additionalProperties": False,
                   "properties": {"items": {"type": "array", "items": INTERACTION_IN, "maxItems": MOST_ITEMS}}}
INTERACTIONS_EXAMPLE = {"items": [
    {"id": "CL202612070001", "agent": "B3001", "time": "2026-12-07 09:12:40", "channel": "call", "duration": 185,
     "recording": "rec/202612/CL202612070001.wav", "category": "分期办理"},
    {"id": "CH202612070002", "agent": "B3002", "time": "2026-12-07 09:20:05", "channel": "chat",
     "transcript": "[09:20:05] 客户: 我的信用卡被冻结了\n[09:20:31] 客服: 您好，请问您的卡号后四位是？",
     "category": "挂失冻结"}]}
IMPORTED = {"type": "object", "properties": {"rows": {"type": "integer"}, "added": {"type": "integer"},
                                             "already": {"type": "integer"}}}
INTERACTION = {"type": "object", "properties": {
    "id": STRING, "agent": STRING, "time": STRING, "date": STRING, "channel": STRING,
    "duration": {"type": "integer", "nullable": True}, "transcript": STRING, "recording": STRING,
    "category": STRING, "evaluation": NULLABLE}}
INTERACTION_EXAMPLE = {"id": "CL202612070001", "agent": "B3001", "time": "2026-12-07 09:12:40",
                       "date": "2026-12-07", "channel": "call", "duration": 185, "transcript": "",
                       "recording": "rec/202612/CL202612070001.wav", "category": "分期办理",
                       "evaluation": None}
EVALUATION = {"type": "object", "properties": {
    "id": STRING, "interaction": STRING, "agent": STRING, "channel": STRING, "interaction_time": STRING,
    "evaluator": STRING, "scorecard_version": {"type": "integer"}, "date": STRING, "submitted_at": STRING,
    "status": STRING, "score": {"type": "number"}, "fatal": NULLABLE, "full_marks": {"type": "boolean"},
    "comment": STRING}}
EVALUATION_EXAMPLE = {"id": "01M974FVEBQBNHAX5MXDYQ9T9H", "interaction": "CL202611030001", "agent": "B3001",
                      "channel": "call", "interaction_time": "2026-11-03 11:53:54", "evaluator": "bank.qa",
                      "scorecard_version": 2, "date": "2026-11-04", "submitted_at": "2026-11-04T14:47:00.000",
                      "status": "submitted", "score": 103.0, "fatal": None, "full_marks": True,
                      "comment": "解答清晰，客户满意"}
ITEM_EXAMPLE = {"section": "服务礼仪", "item": "开场问候规范", "answer": "yes", "points": 5, "maximum": 5,
                "na": False, "fatal": None, "comment": ""}


class _Rows(list):
    """The items as the importer's rows, with the header the importer matches its columns in."""

    header = list(KEYS)


def _month(call: Call, offered: list[str]) -> str:
    asked = call.query.get("month")
    if asked:
        return validate.month(asked, "month")
    return offered[0] if offered else call.fw.projects.today(call.project).isoformat()[:7]


# ---------------------------------------------------------------- interactions


def add_interactions(call: Call) -> dict:
    """The platform's interactions, all or none (the importer's checks; an id already there is skipped)."""
    items = call.body["items"]
    rows = _Rows((n, {k: "" if item.get(k) is None else str(item[k]) for k in KEYS})
                 for n, item in enumerate(items))
    try:
        done = interactions.store(call.fw, call.project, rows, call.user["username"])
    except ValidationError as err:
        if err.row is None:
            raise
        problem = err.params["problem"]
        raise ValidationError(f"items[{err.row}].{err.field}", problem.message, **problem.params) from None
    return {key: done[key] for key in ("rows", "added", "already")}


def interaction_list(call: Call) -> list[dict]:
    """The interactions of a month, each with the evaluation made of it (as the page marks them)."""
    slug = call.project["slug"]
    month = _month(call, interactions.months(call.fw, slug))
    done = {e["interaction"]: e["id"] for m in evaluations.months(call.fw, slug) if m >= month
            for e in evaluations.of_month(call.fw, slug, m)}
    return [{**{k: doc.get(k) for k in INTERACTION["properties"] if k != "evaluation"},
             "evaluation": done.get(doc["id"])} for doc in interactions.of_month(call.fw, slug, month)]


# ---------------------------------------------------------------- evaluations


def _summary(doc: dict) -> dict:
    return {k: doc.get(k) for k in EVALUATION["properties"]}


def _leader_only(user: dict) -> bool:
    """A team leader who is not also QA or a supervisor: it reads its own teams' (as the disputes list)."""
    roles = set(user.get("roles") or ())
    return "team_leader" in roles and not roles & {*SUPERVISORS, "qa"}


def evaluation_list(call: Call) -> list[dict]:
    slug = call.project["slug"]
    month = _month(call, evaluations.months(call.fw, slug))
    agent = call.query.get("agent")
    if agent:
        call.authorize(OWN, {"agent": agent})  # an agent login: only its own; another project's: 404
    if not call.fw.access.can(call.user, VIEW, call.project):  # an agent login, as /qa/mine
        agent = call.user.get("agent") or "-"
    rows = [e for e in evaluations.of_month(call.fw, slug, month) if not agent or e["agent"] == agent]
    if _leader_only(call.user) and call.query.get("teams") != "all":
        rows = [e for e in rows if call.fw.access.can(call.user, FORWARD, call.project,
                                                      {"agent": e["agent"], "date": e["date"]})]
    return [_summary(e) for e in rows]


def evaluation(call: Call) -> dict:
    doc = evaluations.get(call.fw, call.project["slug"], call.params["id"])
    call.authorize(OWN, {"agent": doc["agent"], "date": doc["date"]})
    return {**_summary(doc), "base": doc.get("base"), "bonus": doc.get("bonus"),
            "sections": doc.get("sections") or [], "items": doc.get("items") or []}


ENDPOINTS = [
    Endpoint("GET", f"{BASE}/interactions", interaction_list, VIEW,
             "The interactions of a month, each with the evaluation made of it", summary_zh="某月的服务记录，及其质检评估",
             params={"month": MONTH}, response={"type": "array", "items": INTERACTION},
             example={"items": [INTERACTION_EXAMPLE], "next": None}, paged=True, tag=NAME),
    Endpoint("POST", f"{BASE}/interactions", add_interactions, IMPORT,
             "Interactions from the telephony or chat platform, all or none (an id already there is skipped)", summary_zh="来自话务或在线平台的服务记录，全部成功或全部不写（已有编号的跳过）",
             body=INTERACTIONS_IN, body_example=INTERACTIONS_EXAMPLE, response=IMPORTED,
             example={"rows": 2, "added": 2, "already": 0}, tag=NAME),
    Endpoint("GET", f"{BASE}/evaluations", evaluation_list, OWN,
             "The evaluations of a month (an agent: its own; a team leader: its teams', all with teams=all)", summary_zh="某月的质检评估（坐席：仅本人；班长：本班组，teams=all 时为全部）",
             params={"month": MONTH, "agent": {"type": "string", "description": "Only this agent's."},
                     "teams": {"type": "string", "enum": ["all"],
                               "description": "A team leader: every team's, not only its own."}},
             response={"type": "array", "items": EVALUATION},
             example={"items": [EVALUATION_EXAMPLE], "next": None}, paged=True, tag=NAME),
    Endpoint("GET", f"{BASE}/evaluations/{{id}}", evaluation, OWN,
             "An evaluation with its items (an agent: its own)", summary_zh="一份质检评估及其各项（坐席：仅本人）",
             response=EVALUATION, example={**EVALUATION_EXAMPLE, "base": 100.0, "bonus": 3.0, "sections": [],
                                           "items": [ITEM_EXAMPLE]}, tag=NAME),
]
