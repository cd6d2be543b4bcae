"""The incentives API as a workforce or QA system meets it: a score event recorded with the record
page's checks (a team leader only for the agents of their team; a reason; only the rules the page
offers; the ledger's ranges), a reversal asked with its reason as the reversal form asks it, once
per idempotency key — another project not there at all."""

import pytest
from starlette.testclient import TestClient

from floorwalker.core.api import PREFIX
from floorwalker.core.app import create_app
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.incentives import reversals

from .conftest import DAY, MONTH

URL = f"{PREFIX}/projects/acme/incentives"
USERS = {"sup": (["supervisor"], ["acme"], None, ()), "tl": (["team_leader"], ["acme"], None, ["acme.day"]),
         "agent": (["agent"], ["acme"], "1001", ()), "trainer": (["trainer"], ["acme"], None, ()),
         "betasup": (["supervisor"], ["beta"], None, ())}


@pytest.fixture
def api(fw):
    fw.users.add_many([fw.users.prepare(name, "x", roles, projects, name, "en", agent=agent, teams=teams)
                       for name, (roles, projects, agent, teams) in USERS.items()], "setup")
    app = create_app(fw)

    def client(username, write=True, locale="en"):
        secret = Tokens(fw).create(username, "test", "setup", write=write)[1]
        return TestClient(app, headers={"Authorization": f"Bearer {secret}", "Accept-Language": locale})
    return client


def events(fw, number):
    return [(e["rule"], e["points"], e["reason"]) for e in fw.ledger.agent_events("acme", MONTH, number)]


def test_a_team_leader_records_an_event_for_an_agent_of_their_team(fw, api):
    leader = api("tl")
    r = leader.post(f"{URL}/events", json={"agent": "1001", "rule": "loud", "date": DAY, "reason": "大声喧哗"})
    assert r.status_code == 201, r.text
    event = r.json()
    assert (event["agent"], event["rule"], event["period"], event["recorded_by"], event["source"]) == \
        ("1001", "loud", MONTH, "tl", "incentives")
    assert events(fw, "1001") == [("loud", event["points"], "大声喧哗")]
    # another team's agent: refused, nothing written
    r = leader.post(f"{URL}/events", json={"agent": "1003", "rule": "loud", "date": DAY, "reason": "大声喧哗"})
    assert r.status_code == 403 and events(fw, "1003") == []
    # an agent records nothing, a token of another project does not see this one
    assert api("agent").post(f"{URL}/events", json={"agent": "1001", "rule": "loud", "date": DAY,
                                                    "reason": "x"}).status_code == 403
    assert api("betasup").post(f"{URL}/events", json={"agent": "1001", "rule": "loud", "date": DAY,
                                                      "reason": "x"}).status_code == 404
    assert api("trainer").post(f"{URL}/events", json={"agent": "1003", "rule": "loud", "date": DAY,
                                                      "reason": "培训中喧哗"}).status_code == 201


def test_the_record_pages_checks_name_the_field(fw, api):
    sup = api("sup", locale="zh-CN")
    r = sup.post(f"{URL}/events", json={"agent": "1001", "rule": "loud", "date": DAY, "reason": "  "})
    assert r.status_code == 422 and r.json()["error"]["field"] == "reason"
    r = sup.post(f"{URL}/events", json={"agent": "1001", "rule": "leader_judgement", "date": DAY, "points": 3,
                                        "reason": "月度评议"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "rule"  # the judgement has its own form
    r = sup.post(f"{URL}/events", json={"agent": "1001", "rule": "loud", "date": DAY, "points": 50,
                                        "reason": "大声喧哗"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "points"
    for day in ("2025-13-01", "9999-12-31"):
        r = sup.post(f"{URL}/events", json={"agent": "1001", "rule": "loud", "date": day, "reason": "x"})
        assert r.status_code == 422 and r.json()["error"]["field"] == "date"
    assert events(fw, "1001") == []


def test_a_retried_record_is_stored_once(fw, api):
    sup = api("sup")
    body = {"agent": "1002", "rule": "loud", "date": DAY, "reason": "大声喧哗"}
    key = {"Idempotency-Key": "qa-system-8812"}
    first = sup.post(f"{URL}/events", json=body, headers=key)
    again = sup.post(f"{URL}/events", json=body, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert len(events(fw, "1002")) == 1


def test_a_reversal_is_asked_with_its_reason_and_waits_for_a_supervisor(fw, api, score):
    mine, theirs = score("1001", -20), score("1003", -20)
    leader = api("tl")
    r = leader.post(f"{URL}/events/{mine['id']}/reverse", json={"reason": "请假已补批"})
    assert r.status_code == 201, r.text
    asked = r.json()
    assert (asked["event"], asked["reason"], asked["state"], asked["requested_by"]) == \
        (mine["id"], "请假已补批", "pending", "tl")
    assert [x["event"] for x in reversals.requests(fw, "acme", "pending")] == [mine["id"]]
    assert next(r["total"] for r in fw.ledger.sheet("acme", MONTH) if r["number"] == "1001") == 60  # not yet
    again = leader.post(f"{URL}/events/{mine['id']}/reverse", json={"reason": "再次申请"})
    assert again.status_code == 409
    assert leader.post(f"{URL}/events/{theirs['id']}/reverse", json={"reason": "x"}).status_code == 403
    assert leader.post(f"{URL}/events/nope/reverse", json={"reason": "x"}).status_code == 404
    assert leader.post(f"{URL}/events/{theirs['id']}/reverse", json={}).json()["error"]["field"] == "reason"
    assert api("agent").post(f"{URL}/events/{mine['id']}/reverse", json={"reason": "x"}).status_code == 403
    assert len(reversals.requests(fw, "acme")) == 1
