"""The core's API endpoints: projects, teams, agents, an agent's month, the score sheet, the score
events of a month and the months. Each answers what the page of the same name shows its reader
(the same authorisation: a team leader adds no team, an agent reads only its own month, the pay
columns only for those who hold them); the plugins add theirs through ``register_endpoints``."""

from __future__ import annotations

from . import validate
from .api import Call, Endpoint
from .errors import NotFound, ValidationError
from .i18n import N_
from .pages import sheet_table

STRING = {"type": "string"}
SLUG = {"type": "string", "minLength": 1, "maxLength": 40}
MONTH = {"type": "string", "description": "A month, YYYY-MM.", "example": "2026-11"}
TEAM_FILTER = {"type": "string", "description": "Only this team (its slug)."}
FIRST_MONTH, LAST_MONTH = "1900-01", "2999-12"  # the span the records hold (importing.FIRST_DATE …)

PROJECT = {"type": "object", "properties": {
    "slug": STRING, "name": STRING, "client": STRING, "status": STRING, "timezone": STRING,
    "channels": {"type": "array", "items": STRING}, "plugins": {"type": "array", "items": STRING}}}
PROJECT_EXAMPLE = {"slug": "telecom", "name": "华联通信客服热线", "client": "华联通信股份有限公司", "status": "active",
                   "timezone": "Asia/Shanghai", "channels": ["voice"], "plugins": ["attendance", "incentives"]}
TEAM = {"type": "object", "properties": {"slug": STRING, "name": STRING, "leader": {"type": "string", "nullable": True}}}
AGENT = {"type": "object", "properties": {
    "number": STRING, "name": STRING, "team": {"type": "string", "nullable": True}, "status": STRING,
    "hired": {"type": "string", "nullable": True}, "tier": {"type": "string", "nullable": True}}}
AGENT_FIELDS = {"employee number": "number", "hire date": "hired"}  # what `agents.add` names them
AGENT_EXAMPLE = {"number": "T2001", "name": "李娜", "team": "day-a", "status": "active", "hired": "2025-03-01",
                 "tier": "regular"}


def _month(text) -> str:
    """A month of the path or the query, within the span the records hold: a month whose day
    after does not exist (9999-12) is refused naming it, never a server error."""
    month = validate.month(text, "month")
    if not FIRST_MONTH <= month <= LAST_MONTH:
        raise ValidationError("month", N_("expected a date from {first} to {last}, got {value!r}"),
                              first=FIRST_MONTH, last=LAST_MONTH, value=month)
    return month


def _project(doc: dict) -> dict:
    return {key: doc.get(key) for key in PROJECT["properties"]}


def projects(call: Call) -> list[dict]:
    return [_project(p) for p in call.fw.projects.all()
            if call.fw.access.can(call.user, "signed_in") and _sees(call.user, p["slug"])]


def _sees(user: dict, slug: str) -> bool:
    from .users import in_scope
    return in_scope(user, slug)


def project(call: Call) -> dict:
    return _project(call.project)


def teams(call: Call) -> list[dict]:
    return [{"slug": t["slug"], "name": t["name"], "leader": t.get("leader")}
            for t in call.fw.teams.of(call.project["slug"])]


def add_team(call: Call) -> dict:
    doc = call.fw.teams.create(call.project["slug"], call.body["slug"], call.body["name"],
                               call.user["username"])
    return {"slug": doc["slug"], "name": doc["name"], "leader": doc.get("leader")}


def _agent(agent: dict, assignment: dict | None) -> dict:
    return {"number": agent["number"], "name": agent["name"], "team": (assignment or {}).get("team"),
            "status": agent["status"], "hired": agent.get("hired"), "tier": agent.get("tier")}


def agents(call: Call) -> list[dict]:
    month = call.query.get("month")
    slug = call.project["slug"]
    if month:
        found = call.fw.agents.in_month(slug, _month(month))
    else:
        found = call.fw.agents.in_project(slug, "0000-01-01", "9999-12-31")
    team = call.query.get("team")
    return [_agent(a, asg) for a, asg in found if not team or asg.get("team") == team]


def add_agent(call: Call) -> dict:
    body = call.body
    call.authorize("agents.import", {"team": body["team"]} if body.get("team") else None)
    try:
        agent = call.fw.agents.add(call.project["slug"], body["number"], body["name"], call.user["username"],
                                   team=body.get("team"), hired=body.get("hired"))
    except ValidationError as err:
        err.field = AGENT_FIELDS.get(err.field, err.field)  # the body's key; the message keeps the words
        raise
    return _agent(agent, {"team": body.get("team")})


def agent(call: Call) -> dict:
    number = call.params["number"]
    call.authorize("agent.view", {"agent": number})
    found = call.fw.agents.get(number)
    assignment = next((a for a in reversed(call.fw.agents.assignments(number))
                       if a["project"] == call.project["slug"]), None)
    if assignment is None:
        raise NotFound(N_("no agent {number!r} in this project"), number=number)
    return _agent(found, assignment)


def agent_month(call: Call) -> dict:
    number, month = call.params["number"], _month(call.params["month"])
    call.authorize("agent.view", {"agent": number})
    slug = call.project["slug"]
    row = next((r for r in call.fw.ledger.sheet(slug, month, columns=False) if r["number"] == number), None)
    if row is None:
        raise NotFound(N_("no agent {number!r} in this project"), number=number)
    events = call.fw.ledger.agent_events(slug, month, number)
    return {"agent": number, "month": month, "total": row["total"], "base": row["base"], "bonus": row["bonus"],
            "deductions": row["deductions"], "events": [_event(e) for e in events]}


def _event(e: dict) -> dict:
    return {key: e.get(key) for key in ("id", "agent", "rule", "date", "points", "reason", "source", "evidence",
                                        "reverses", "period", "recorded_by", "recorded_at")}


def sheet(call: Call) -> dict:
    month = _month(call.params["month"])
    team = call.query.get("team")
    columns, rows = sheet_table(call.fw, call.project, month, call.locale, "number", call.user,
                                {team} if team else None)
    keys = [c["key"] for c in columns]
    return {"month": month, "state": call.fw.periods.state(call.project["slug"], month),
            "columns": [{"key": c["key"], "title": c["title"]} for c in columns],
            "rows": [dict(zip(keys, cells)) for cells in rows]}


def events(call: Call) -> list[dict]:
    month = _month(call.query.get("month") or call.fw.projects.today(call.project).isoformat()[:7])
    return [_event(e) for e in call.fw.ledger.events(call.project["slug"], month)]


def periods(call: Call) -> list[dict]:
    return [{"month": p["month"], "state": p["state"], "closed_at": p.get("closed_at")}
            for p in call.fw.periods.list(call.project["slug"])]


ENDPOINTS = [
    Endpoint("GET", "/projects", projects, "signed_in", "The projects the token sees", summary_zh="令牌可见的项目",
             response={"type": "array", "items": PROJECT}, example=[PROJECT_EXAMPLE], tag="projects"),
    Endpoint("GET", "/projects/{project}", project, "signed_in", "A project", summary_zh="一个项目", response=PROJECT,
             example=PROJECT_EXAMPLE, tag="projects"),
    Endpoint("GET", "/projects/{project}/teams", teams, "agents.list", "The project's teams", summary_zh="项目的班组",
             response={"type": "array", "items": TEAM}, example=[{"slug": "day-a", "name": "早班一组", "leader": None}],
             tag="projects"),
    Endpoint("POST", "/projects/{project}/teams", add_team, "admin.project", "Add a team", summary_zh="新增班组",
             body={"type": "object", "required": ["slug", "name"], "additionalProperties": False,
                   "properties": {"slug": SLUG, "name": {"type": "string", "minLength": 1, "maxLength": 80}}},
             body_example={"slug": "night", "name": "夜班组"}, response=TEAM,
             example={"slug": "night", "name": "夜班组", "leader": None}, status=201, tag="projects"),
    Endpoint("GET", "/projects/{project}/agents", agents, "agents.list", "The project's agents (a page at a time)", summary_zh="项目的坐席（分页）",
             params={"month": MONTH, "team": TEAM_FILTER}, response={"type": "array", "items": AGENT},
             example={"items": [AGENT_EXAMPLE], "next": None}, paged=True, cursor="number", tag="agents"),
    Endpoint("POST", "/projects/{project}/agents", add_agent, "agents.import", "Add an agent", summary_zh="新增坐席",
             body={"type": "object", "required": ["number", "name"], "additionalProperties": False,
                   "properties": {"number": {"type": "string", "minLength": 1, "maxLength": 20},
                                  "name": {"type": "string", "minLength": 1, "maxLength": 80},
                                  "team": {"type": "string", "maxLength": 40, "nullable": True},
                                  "hired": {"type": "string", "maxLength": 10, "nullable": True}}},
             body_example={"number": "T2099", "name": "王芳", "team": "day-a", "hired": "2026-12-01"},
             response=AGENT, example=AGENT_EXAMPLE, status=201, tag="agents"),
    Endpoint("GET", "/projects/{project}/agents/{number}", agent, "agent.view", "An agent", summary_zh="一名坐席", response=AGENT,
             example=AGENT_EXAMPLE, tag="agents"),
    Endpoint("GET", "/projects/{project}/agents/{number}/months/{month}", agent_month, "agent.view",
             "An agent's month: the score and its events", summary_zh="坐席的月度：考核分及其记录",
             response={"type": "object"}, example={"agent": "T2001", "month": "2026-11", "total": 97, "base": 100,
                                                   "bonus": 2, "deductions": {"light": -5}, "events": []},
             tag="scores"),
    Endpoint("GET", "/projects/{project}/scores/{month}", sheet, "scores.view",
             "The month's score sheet (pay columns only for those who hold them)", summary_zh="当月考核分表（绩效金额列仅对有权限者显示）", params={"team": TEAM_FILTER},
             response={"type": "object"}, example={"month": "2026-11", "state": "open", "columns": [], "rows": []},
             tag="scores"),
    Endpoint("GET", "/projects/{project}/events", events, "scores.view", "The score events of a month", summary_zh="当月的考核记录",
             params={"month": MONTH}, response={"type": "array", "items": {"type": "object"}},
             example={"items": [], "next": None}, paged=True, tag="scores"),
    Endpoint("GET", "/projects/{project}/periods", periods, "periods.view", "The months and whether each is closed", summary_zh="各月份及是否已月结",
             response={"type": "array", "items": {"type": "object"}},
             example=[{"month": "2026-11", "state": "open", "closed_at": None}], tag="periods"),
]
