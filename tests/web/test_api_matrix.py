"""Every endpoint of the JSON API × every role × own project / another project (and own team /
another team for the writes a team leader makes only for its teams): the status each one gets.

The endpoints are read from the app's own declarations (``app.state.api.endpoints``, the list the
OpenAPI document is written from), so an endpoint without a row here fails
`test_every_endpoint_is_in_the_matrix`. Every call is made with a token that writes, as the user
``<role>1`` of alpha (the agent login is 1001 of the day team, which team_leader1 leads). A
project the user does not have answers 404, whatever the role. A write sends a real body where a
harmless one exists (a new team, an interaction, a complaint, an empty list) and ``{}`` otherwise:
422 then shows the call got past authorisation and changed nothing. A refused write (403, 404)
changes no file of the install (`test_status` compares them before and after). Like the pages'
matrix (test_authz_matrix.py), a role the route's declared action does not give is 403 here and a
role it gives is not, except where the handler refuses its object (`HANDLER_REFUSES`).
"""

import datetime as dt
import hashlib
import itertools
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core.api import PREFIX
from floorwalker.core.app import create_app
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.complaints import records as complaints
from floorwalker.plugins.meetings import records as meetings
from floorwalker.plugins.qa import evaluations, interactions, scorecards

from ..pgcluster import on_postgresql
from .conftest import make_company

TODAY = dt.date.today()
DAY, MONTH = TODAY.isoformat(), TODAY.isoformat()[:7]
COLUMNS = ("admin", "director", "supervisor", "trainer", "team_leader", "qa", "agent", "client")

#                                                                 adm dir sup trn tl  qa  agt cli
MATRIX = {
    ("GET", "/projects"):                                        "200 200 200 200 200 200 200 200",
    ("GET", "/projects/{project}"):                              "200 200 200 200 200 200 200 200",
    ("GET", "/projects/{project}/teams"):                        "200 200 200 200 200 200 403 403",
    ("POST", "/projects/{project}/teams"):                       "201 403 403 403 403 403 403 403",
    ("GET", "/projects/{project}/agents"):                       "200 200 200 200 200 200 403 403",
    ("POST", "/projects/{project}/agents"):                      "201 201 201 403 403 403 403 403",
    ("GET", "/projects/{project}/agents/{number}"):              "200 200 200 200 200 200 200 403",
    ("GET", "/projects/{project}/agents/{number}/months/{month}"): "200 200 200 200 200 200 200 403",
    ("GET", "/projects/{project}/scores/{month}"):               "200 200 200 200 200 200 403 403",
    ("GET", "/projects/{project}/events"):                       "200 200 200 200 200 200 403 403",
    ("GET", "/projects/{project}/periods"):                      "200 200 200 403 200 403 403 403",
    # attendance (plugins/attendance/api.py): the clock's punches are a supervisor's import; the
    # roster's writes a team leader's for its teams (an empty list names no agent); an agent asks
    # its own leave ({} here: 422)
    ("POST", "/projects/{project}/attendance/punches"):          "200 200 200 403 403 403 403 403",
    ("GET", "/projects/{project}/attendance/punches"):           "200 200 200 200 200 200 403 403",
    ("GET", "/projects/{project}/attendance/roster"):            "200 200 200 200 200 200 403 403",
    ("PUT", "/projects/{project}/attendance/roster"):            "200 200 200 403 200 403 403 403",
    ("GET", "/projects/{project}/attendance/days"):              "200 200 200 200 200 200 200 403",
    ("GET", "/projects/{project}/attendance/leave"):             "200 200 200 200 200 200 200 403",
    ("POST", "/projects/{project}/attendance/leave"):            "422 422 422 422 422 422 422 403",
    ("GET", "/projects/{project}/attendance/swaps"):             "200 200 200 200 200 200 200 403",
    # incentives: recording and asking a reversal ({} here: 422; the team's own test below)
    ("POST", "/projects/{project}/incentives/events"):           "422 422 422 422 422 403 403 403",
    ("POST", "/projects/{project}/incentives/events/{id}/reverse"): "422 422 422 403 422 403 403 403",
    # qa: evaluators import interactions; the staff read them (never an agent: the sampling); an
    # agent reads its own evaluations, a client nothing of QA
    ("GET", "/projects/{project}/qa/interactions"):              "200 200 200 200 200 200 403 403",
    ("POST", "/projects/{project}/qa/interactions"):             "200 200 200 403 403 200 403 403",
    ("GET", "/projects/{project}/qa/evaluations"):               "200 200 200 200 200 200 200 403",
    ("GET", "/projects/{project}/qa/evaluations/{id}"):          "200 200 200 200 200 200 200 403",
    # complaints: the staff and an agent take complaints in; a client reads them masked
    ("GET", "/projects/{project}/complaints/complaints"):        "200 200 200 200 200 200 200 200",
    ("POST", "/projects/{project}/complaints/complaints"):       "201 201 201 201 201 201 201 403",
    ("GET", "/projects/{project}/complaints/complaints/{id}"):   "200 200 200 200 200 200 200 200",
    # meetings: the staff read them
    ("GET", "/projects/{project}/meetings/meetings"):            "200 200 200 200 200 200 403 403",
    ("GET", "/projects/{project}/meetings/meetings/{id}"):       "200 200 200 200 200 200 403 403",
    # reporting: the staff read the raw traffic; a client the KPIs and the published reports
    ("POST", "/projects/{project}/reporting/traffic"):           "200 200 200 403 403 403 403 403",
    ("GET", "/projects/{project}/reporting/traffic"):            "200 200 200 200 200 200 403 403",
    ("GET", "/projects/{project}/reporting/kpis"):               "200 200 200 200 200 200 403 200",
    ("GET", "/projects/{project}/reporting/reports"):            "200 200 200 200 200 200 403 200",
    ("GET", "/projects/{project}/reporting/reports/{period}"):   "404 404 404 404 404 404 403 404",
}
# endpoints whose handler refuses a role the route's action gives (the object's check, a setting):
# {(method, path): {role: why}}
HANDLER_REFUSES = {
    ("GET", "/projects/{project}/reporting/reports"): {"agent": "agents_see_reports is off"},
    ("GET", "/projects/{project}/reporting/reports/{period}"): {"agent": "agents_see_reports is off"},
}
# the writes a team leader makes only for the agents of its teams: (own team's body, other team's)
# for each, built by `team_bodies`
TEAM_WRITES = [("POST", "/projects/{project}/incentives/events"),
               ("POST", "/projects/{project}/incentives/events/{id}/reverse"),
               ("PUT", "/projects/{project}/attendance/roster")]
_unique = itertools.count(1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The web tests' company, with an evaluation of 1001, a complaint agent1 took in, the
    month's meetings and a score event of each team; a token that writes for every user."""
    fw = make_company(tmp_path_factory.mktemp("api-matrix"))
    alpha = fw.projects.get("alpha")
    rows = [(2, dict(zip(scorecards.COLUMNS, ("服务", "100", "问候规范", "是否", "10", "无", "")))),
            (3, dict(zip(scorecards.COLUMNS, ("加分项", "", "主动营销", "分值", "5", "无", ""))))]
    scorecards.save_draft(fw, "alpha", scorecards.card_from_rows(rows, [], {k: k for k in scorecards.COLUMNS}),
                          "qa1", "质检标准")
    scorecards.publish(fw, "alpha", 1, "qa1")

    class Rows(list):
        header = ["id", "agent", "time", "channel", "recording"]
    interactions.store(fw, "alpha", Rows([(0, {"id": "CALL1", "agent": "1001", "time": f"{DAY} 09:00:00",
                                               "channel": "call", "recording": "r.wav"})]), "qa1")
    evaluation = evaluations.submit(fw, alpha, "CALL1", 1, {"a-0-0": "yes", "a-1-0": "0", "comment": "好"}, "qa1")
    complaint = complaints.intake(fw, alpha, {"channel": "phone", "subject": "等待太久"}, "agent1")
    meetings.plan_month(fw, alpha, MONTH, "supervisor1")
    meeting = meetings.of_month(fw, alpha, MONTH)[0]
    day_event = fw.ledger.record("alpha", "1002", "loud", DAY, "supervisor1")
    night_event = fw.ledger.record("alpha", "1003", "loud", DAY, "supervisor1")
    app = create_app(fw, config={"api_rate": 100_000})
    tokens = {role: Tokens(fw).create(f"{role}1", "matrix", "setup", write=True)[1] for role in COLUMNS}
    ids = {"qa/evaluations": evaluation["id"], "complaints/complaints": complaint["id"],
           "meetings/meetings": meeting["id"], "incentives/events": day_event["id"]}
    return {"fw": fw, "app": app, "tokens": tokens, "ids": ids, "night_event": night_event["id"]}


def client(world, role) -> TestClient:
    return TestClient(world["app"], headers={"Authorization": f"Bearer {world['tokens'][role]}",
                                             "Accept-Language": "en"})


def url_of(world, path: str, own: bool) -> str:
    def value(match):
        name = match.group(1)
        if name == "project":
            return "alpha" if own else "beta"
        if name == "number":
            return "1001" if own else "2001"
        if name == "month":
            return MONTH
        if name == "period":
            return MONTH
        return next((ident for prefix, ident in world["ids"].items() if f"/{prefix}/" in path), "no-such-id")
    return PREFIX + re.sub(r"\{(\w+)\}", value, path)


def body_of(method: str, path: str):
    """A body that writes harmlessly where one exists, else ``{}`` (refused by the body's schema)."""
    n = next(_unique)
    bodies = {
        "/projects/{project}/teams": {"slug": f"matrix-{n}", "name": "矩阵组"},
        "/projects/{project}/agents": {"number": f"8{n:04d}", "name": "矩阵坐席", "team": "day", "hired": DAY},
        "/projects/{project}/qa/interactions": {"items": [{"id": f"M{n}", "agent": "1001", "time": f"{DAY} 10:00:00",
                                                           "channel": "chat", "transcript": "客户: 你好"}]},
        "/projects/{project}/complaints/complaints": {"channel": "phone", "subject": "矩阵投诉"},
        "/projects/{project}/attendance/punches": {"items": []},
        "/projects/{project}/attendance/roster": {"items": []},
        "/projects/{project}/reporting/traffic": {"items": []},
    }
    return bodies.get(path, {})


def files(fw) -> dict:
    """Every data file's digest, but the tokens' (a call records its token's last use); on
    PostgreSQL every shard's generation, the tokens' aside."""
    if on_postgresql():
        return {key: fw.store.read(key).generation for key in fw.store.keys() if key != "tokens"}
    root = fw.store.root
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith("tokens.json") and not p.name.endswith(".lock")}


def request(world, role, method, path, own, body=None):
    url = url_of(world, path, own)
    caller = client(world, role)
    if method == "GET":
        return caller.get(url)
    return caller.request(method, url, json=body_of(method, path) if body is None else body)


def expected(method: str, path: str, role: str) -> int:
    return int(MATRIX[method, path].split()[COLUMNS.index(role)])


def test_every_endpoint_is_in_the_matrix(world):
    declared = {(e.method, e.path) for e in world["app"].state.api.endpoints}
    assert sorted(declared - MATRIX.keys()) == [], "endpoints without a row in the API's authorisation matrix"
    assert sorted(MATRIX.keys() - declared) == [], "rows for endpoints that no longer exist"


def test_the_matrix_follows_the_declared_actions(world):
    """403 exactly where the route's action does not give the role (or its handler refuses it)."""
    fw = world["fw"]
    alpha = fw.projects.get("alpha")
    wrong = []
    for endpoint in world["app"].state.api.endpoints:
        held = fw.access.roles(endpoint.action, alpha)
        for role in COLUMNS:
            refused = expected(endpoint.method, endpoint.path, role) == 403
            by_handler = role in HANDLER_REFUSES.get((endpoint.method, endpoint.path), {})
            if refused != (role not in held and "*" not in held) and not by_handler:
                wrong.append((endpoint.method, endpoint.path, role, endpoint.action))
    assert wrong == [], wrong


CASES = [(method, path, role, where) for (method, path) in MATRIX for role in COLUMNS
         for where in ("own", "other") if where == "own" or "{project}" in path]


@pytest.mark.parametrize("method, path, role, where", CASES)
def test_status(world, method, path, role, where):
    own = where == "own"
    before = files(world["fw"]) if method != "GET" else None
    response = request(world, role, method, path, own)
    want = expected(method, path, role) if own else 404
    assert response.status_code == want, response.text[:400]
    assert response.headers["content-type"] == "application/json"
    if want >= 300:
        assert set(response.json()) == {"error"}
        if before is not None:
            assert files(world["fw"]) == before, "a refused write changed the install"


def test_every_write_a_team_leader_makes_for_its_teams_is_tried_for_both(world):
    """A write whose action `writes` and which a team leader holds is checked per team: it is
    tried below for the leader's own team and another team."""
    fw = world["fw"]
    alpha = fw.projects.get("alpha")
    scoped = {(e.method, e.path) for e in world["app"].state.api.endpoints
              if fw.access.actions[e.action].writes and "team_leader" in fw.access.roles(e.action, alpha)}
    assert scoped == set(TEAM_WRITES)


def team_bodies(world, path):
    """(own team's, other team's) body and path of a team leader's write: agents 1002 (day) and 1003 (night)."""
    n = next(_unique)
    if path.endswith("/reverse"):
        return ({"reason": "核实为系统误判"}, world["ids"]["incentives/events"]), \
               ({"reason": "核实为系统误判"}, world["night_event"])
    if path.endswith("/roster"):
        day = (TODAY + dt.timedelta(days=1 + n % 20)).isoformat()
        return ({"items": [{"agent": "1002", "date": day, "shift": "rest"}]}, None), \
               ({"items": [{"agent": "1003", "date": day, "shift": "rest"}]}, None)
    event = {"rule": "loud", "date": DAY, "reason": "现场喧哗"}
    return ({**event, "agent": "1002"}, None), ({**event, "agent": "1003"}, None)


@pytest.mark.parametrize("method, path", TEAM_WRITES)
def test_a_team_leader_writes_only_for_its_teams(world, method, path):
    (own_body, own_id), (other_body, other_id) = team_bodies(world, path)
    leader = client(world, "team_leader")

    def url(ident):
        return url_of(world, path, True).replace(world["ids"].get("incentives/events", "-"), ident) if ident else \
            url_of(world, path, True)
    before = files(world["fw"])
    refused = leader.request(method, url(other_id), json=other_body)
    assert refused.status_code == 403, refused.text
    assert files(world["fw"]) == before, "a refused write changed the install"
    done = leader.request(method, url(own_id), json=own_body)
    assert done.status_code in (200, 201), done.text
    assert files(world["fw"]) != before
