"""The attendance API as a punch clock, a workforce system and an agent's app meet it: punches in
all or none and once per idempotency key, the roster written cell by cell as the grid allows it
(a team leader only for their teams), each agent-day's state, leave asked and read, swaps — an
agent login only ever its own, another project not there at all.

The company: project alpha (attendance) with team day (1001 Li Lei, 1002 Han Meimei) on D
08:00–17:00 Monday to Friday and team night (1003 Wang Fang) on N 21:00–06:00, rostered for
October 2026; project beta (attendance) with 2001. The floor's clock stands at NOW."""

import datetime as dt

import pytest
from starlette.testclient import TestClient

from floorwalker.core.api import PREFIX
from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.attendance import leave, punches, roster, swaps

from ...pgcluster import store_for

NOW = dt.datetime(2026, 10, 12, 10, 30)  # a Monday
URL = f"{PREFIX}/projects/alpha/attendance"
USERS = {"sup": (["supervisor"], ["alpha"], None, ()), "tl": (["team_leader"], ["alpha"], None, ["alpha.day"]),
         "agent": (["agent"], ["alpha"], "1001", ()), "client": (["client"], ["alpha"], None, ()),
         "betasup": (["supervisor"], ["beta"], None, ())}


@pytest.fixture(autouse=True)
def floor_clock(monkeypatch):
    monkeypatch.setattr(Projects, "now", lambda self, project: NOW)


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager(builtins=["attendance"])


@pytest.fixture
def fw(tmp_path, pm):
    fw = Floorwalker(store_for(tmp_path / "data"), pm)
    for slug in ("alpha", "beta"):
        fw.projects.create(slug, slug.title(), "setup", plugins=["attendance"])
    fw.teams.create("alpha", "day", "早班", "setup")
    fw.teams.create("alpha", "night", "晚班", "setup")
    for number, name, team in (("1001", "李雷", "day"), ("1002", "韩梅梅", "day"), ("1003", "王芳", "night")):
        fw.agents.add("alpha", number, name, "setup", team=team, hired="2026-01-05")
    fw.agents.add("beta", "2001", "赵伟", "setup", hired="2026-01-05")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("N", "Night", "21:00", "06:00"), "setup")
    roster.set_pattern(fw, "alpha", "day", ["D", "D", "D", "D", "D", None, None], "setup")
    roster.set_pattern(fw, "alpha", "night", ["N"] * 7, "setup")
    for team in ("day", "night"):
        roster.apply_pattern(fw, "alpha", team, "2026-10-01", "2026-10-31", "setup")
    fw.users.add_many([fw.users.prepare(name, "x", roles, projects, name, "en", agent=agent, teams=teams)
                       for name, (roles, projects, agent, teams) in USERS.items()], "setup")
    return fw


@pytest.fixture
def app(fw):
    return create_app(fw)


@pytest.fixture
def api(fw, app):
    """``api(username, write=False)``: a test client calling with a token of that user."""
    def client(username, write=False, locale="en"):
        secret = Tokens(fw).create(username, "test", "setup", write=write)[1]
        return TestClient(app, headers={"Authorization": f"Bearer {secret}", "Accept-Language": locale})
    return client


def stored(fw, month="2026-10"):
    return [(p["agent"], p["at"]) for p in punches.punches(fw, "alpha", month)]


# ---------------------------------------------------------------- punches


def test_punches_from_a_clock_are_stored_once_and_read_back_by_day(fw, api):
    clock = api("sup", write=True)
    body = {"items": [{"agent": "1001", "time": "2026-10-12 07:52:10"},
                      {"agent": "1002", "time": "2026-10-12 08:09"}]}
    key = {"Idempotency-Key": "clock-7-2026-10-12-0800"}
    first = clock.post(f"{URL}/punches", json=body, headers=key)
    assert first.status_code == 200, first.text
    assert first.json() == {"rows": 2, "added": 2, "already": 0, "months": ["2026-10"]}
    again = clock.post(f"{URL}/punches", json=body, headers=key)
    assert again.json() == first.json() and again.headers["idempotent-replay"] == "true"
    assert sorted(stored(fw)) == [("1001", "2026-10-12T07:52:10"), ("1002", "2026-10-12T08:09:00")]
    # sent again without the key (an overlapping export): the repeats are skipped, not doubled
    overlap = clock.post(f"{URL}/punches", json={"items": body["items"] + [
        {"agent": "1003", "time": "2026-10-11 20:58"}]})
    assert overlap.json()["added"] == 1 and overlap.json()["already"] == 2
    read = clock.get(f"{URL}/punches", params={"day": "2026-10-12"}).json()
    assert [(p["agent"], p["at"], p["source"]) for p in read["items"]] and read["next"] is None
    assert sorted(p["agent"] for p in read["items"]) == ["1001", "1002"]
    one = clock.get(f"{URL}/punches", params={"day": "2026-10-12", "agent": "1002"}).json()["items"]
    assert [p["at"] for p in one] == ["2026-10-12T08:09:00"]


def test_one_bad_punch_writes_none_and_names_its_item(fw, api):
    clock = api("sup", write=True, locale="zh-CN")
    r = clock.post(f"{URL}/punches", json={"items": [
        {"agent": "1001", "time": "2026-10-12 07:52"},
        {"agent": "1002", "time": "2026-10-12 08:09"},
        {"agent": "1003", "time": "yesterday at eight"}]})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "items[2].time" and "yesterday at eight" in error["message"]
    r = clock.post(f"{URL}/punches", json={"items": [{"agent": "1001", "time": "2026-10-12 07:52"},
                                                     {"agent": "2001", "time": "2026-10-12 08:00"}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[1].agent"
    r = clock.post(f"{URL}/punches", json={"items": [{"agent": "1001"}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[0].time"
    assert stored(fw) == []


def test_who_may_not_import_punches_writes_nothing(fw, api):
    body = {"items": [{"agent": "1001", "time": "2026-10-12 07:52"}]}
    assert api("tl", write=True).post(f"{URL}/punches", json=body).status_code == 403
    assert api("agent", write=True).post(f"{URL}/punches", json=body).status_code == 403
    assert api("sup").post(f"{URL}/punches", json=body).status_code == 403  # a token that only reads
    beta = api("betasup", write=True)
    assert beta.post(f"{URL}/punches", json=body).status_code == 404
    assert beta.get(f"{URL}/punches").status_code == 404
    assert api("client").get(f"{URL}/punches").status_code == 403
    assert stored(fw) == []


# ---------------------------------------------------------------- the roster


def test_the_roster_is_read_and_set_all_or_none(fw, api):
    sup = api("sup", write=True)
    read = sup.get(f"{URL}/roster", params={"first": "2026-10-12", "last": "2026-10-13", "team": "day"}).json()
    assert {(e["agent"], e["date"], e["shift"]) for e in read["items"]} == {
        ("1001", "2026-10-12", "D"), ("1001", "2026-10-13", "D"),
        ("1002", "2026-10-12", "D"), ("1002", "2026-10-13", "D")}
    r = sup.put(f"{URL}/roster", json={"items": [{"agent": "1001", "date": "2026-10-20", "shift": None},
                                                 {"agent": "1003", "date": "2026-10-20", "shift": "D"}]})
    assert r.status_code == 200, r.text
    assert r.json()["changed"] == 2
    entries = roster.roster(fw, "alpha", "2026-10")
    assert entries["1001:2026-10-20"]["shift"] is None and entries["1003:2026-10-20"]["shift"] == "D"
    r = sup.put(f"{URL}/roster", json={"items": [{"agent": "1001", "date": "2026-10-21", "shift": None},
                                                 {"agent": "1002", "date": "2026-10-21", "shift": "X9"}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[1].shift"
    assert roster.roster(fw, "alpha", "2026-10")["1001:2026-10-21"]["shift"] == "D"  # nothing written
    assert sup.get(f"{URL}/roster", params={"first": "2026-10-01", "last": "2027-10-01"}).status_code == 422


def test_a_team_leader_sets_the_roster_of_their_own_team_only(fw, api):
    leader = api("tl", write=True)
    own = leader.put(f"{URL}/roster", json={"items": [{"agent": "1002", "date": "2026-10-22", "shift": None}]})
    assert own.status_code == 200
    r = leader.put(f"{URL}/roster", json={"items": [{"agent": "1001", "date": "2026-10-23", "shift": None},
                                                    {"agent": "1003", "date": "2026-10-23", "shift": None}]})
    assert r.status_code == 403
    entries = roster.roster(fw, "alpha", "2026-10")
    assert entries["1001:2026-10-23"]["shift"] == "D" and entries["1003:2026-10-23"]["shift"] == "N"
    assert api("agent", write=True).put(f"{URL}/roster", json={"items": []}).status_code == 403


# ---------------------------------------------------------------- days, leave, swaps


def test_each_agent_day_has_one_state_and_an_agent_reads_only_its_own(fw, api):
    punches.store_punches(fw, "alpha", [punches.punch_doc("1001", dt.datetime(2026, 10, 12, 7, 50), "import"),
                                        punches.punch_doc("1002", dt.datetime(2026, 10, 12, 8, 12), "import")],
                          "setup")
    staff = api("sup").get(f"{URL}/days", params={"day": "2026-10-12"}).json()["items"]
    assert {d["agent"]: d["state"] for d in staff} == {"1001": "in", "1002": "late", "1003": "due"}
    assert api("tl").get(f"{URL}/days", params={"day": "2026-10-12"}).status_code == 200
    agent = api("agent")
    mine = agent.get(f"{URL}/days", params={"day": "2026-10-12"}).json()["items"]
    assert [(d["agent"], d["state"]) for d in mine] == [("1001", "in")]
    assert agent.get(f"{URL}/days", params={"day": "2026-10-12", "agent": "1002"}).status_code == 404
    assert agent.get(f"{URL}/days", params={"day": "12/10/2026"}).status_code == 422
    assert agent.get(f"{URL}/days", params={"day": "9999-12-31"}).json()["error"]["field"] == "day"
    assert api("client").get(f"{URL}/days").status_code == 403


def test_an_agent_asks_for_leave_for_itself_and_reads_only_its_own(fw, api):
    agent = api("agent", write=True)
    r = agent.post(f"{URL}/leave", json={"kind": "personal", "from": "2026-10-14", "note": "孩子开家长会"})
    assert r.status_code == 201, r.text
    assert r.json()["agent"] == "1001" and r.json()["status"] == "pending"
    # an agent cannot ask on another's behalf: that agent is not there for it
    assert agent.post(f"{URL}/leave", json={"agent": "1002", "kind": "personal",
                                            "from": "2026-10-15"}).status_code == 404
    leave.request(fw, fw.projects.get("alpha"), "1002", "personal",
                  {"username": "agent2", "roles": ["agent"], "agent": "1002"}, "2026-10-16")
    assert [x["agent"] for x in agent.get(f"{URL}/leave", params={"month": "2026-10"}).json()["items"]] == ["1001"]
    assert sorted(x["agent"] for x in api("sup").get(f"{URL}/leave", params={"month": "2026-10"}).json()["items"]) \
        == ["1001", "1002"]
    # the rules refuse too little notice, naming why; nothing is stored
    late = agent.post(f"{URL}/leave", json={"kind": "personal", "from": "2026-10-13"})
    assert late.status_code == 422 and late.json()["error"]["message"]
    assert len(leave.month_requests(fw, "alpha", "2026-10")) == 2


def test_a_team_leader_records_leave_for_an_agent_and_a_manager_overrules_the_rules(fw, api):
    r = api("tl", write=True).post(f"{URL}/leave", json={"agent": "1002", "kind": "sick", "from": "2026-10-13",
                                                         "certificate": True})
    assert r.status_code == 201 and r.json()["asked_by"] == "tl", r.text
    refused = {"agent": "1003", "kind": "personal", "from": "2026-10-12"}  # the shift has started
    assert api("sup", write=True).post(f"{URL}/leave", json=refused).status_code == 422
    r = api("sup", write=True).post(f"{URL}/leave", json={**refused, "exception": "家中急事，主管电话确认"})
    assert r.status_code == 201 and r.json()["exception"]


def test_swaps_an_agent_reads_only_its_own(fw, api):
    project = fw.projects.get("alpha")
    roster.set_entries(fw, "alpha", [("1002", "2026-10-14", None), ("1001", "2026-10-15", None)], "setup")
    swaps.ask(fw, project, {"username": "agent", "roles": ["agent"], "agent": "1001"}, "1001", "2026-10-14",
              "1002", "2026-10-15")
    staff = api("sup").get(f"{URL}/swaps", params={"month": "2026-10"}).json()["items"]
    assert [(s["first"]["agent"], s["second"]["agent"]) for s in staff] == [("1001", "1002")]
    assert len(api("agent").get(f"{URL}/swaps", params={"month": "2026-10"}).json()["items"]) == 1
    fw.users.add_many([fw.users.prepare("agent3", "x", ["agent"], ["alpha"], "a3", "en", agent="1003")], "setup")
    assert api("agent3").get(f"{URL}/swaps", params={"month": "2026-10"}).json()["items"] == []
