"""The QA endpoints of the JSON API as a telephony or chat platform meets them: interactions in,
all or nothing and once per idempotency key, and the evaluations read back as the QA pages show
them (an agent its own, a team leader its teams', another project's: 404)."""

import datetime as dt

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.qa import evaluations, interactions

TODAY = dt.date.today().isoformat()
URL = "/api/v1/projects/acme/qa"
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}


@pytest.fixture
def api(fw):
    """``api(role, write=False, agent=None, teams=())``: a client calling as a new user of *role*
    in acme, with a token of its own."""
    app, made = create_app(fw), iter(range(1000))

    def call(role, write=False, agent=None, teams=()):
        username = f"{role}{next(made)}"
        fw.users.add_many([fw.users.prepare(username, "x", [role], ["acme"], username, "en", agent=agent,
                                            teams=teams)], "setup")
        token = Tokens(fw).create(username, "platform", "setup", write=write)[1]
        return TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    return call


def item(ident, agent="1001", **changes):
    return {"id": ident, "agent": agent, "time": f"{TODAY} 09:00:00", "channel": "chat",
            "transcript": "[09:00:00] 客户: 在吗\n[09:00:05] 客服: 您好", **changes}


def stored(fw):
    return [i["id"] for m in interactions.months(fw, "acme") for i in interactions.of_month(fw, "acme", m)]


def test_interactions_come_in_all_or_nothing_naming_the_bad_item(fw, api):
    qa = api("qa", write=True)
    r = qa.post(f"{URL}/interactions", json={"items": [item("C1"), item("C2", agent="2001"), item("C3")]})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "items[1].agent" and "2001" in r.json()["error"]["message"]
    r = qa.post(f"{URL}/interactions", json={"items": [item("C1"), item("C2", time="7 December")]})
    assert r.json()["error"]["field"] == "items[1].time"
    r = qa.post(f"{URL}/interactions", json={"items": [item("C1", channel="fax")]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[0].channel"
    assert stored(fw) == []
    r = qa.post(f"{URL}/interactions", json={"items": [item("C1"), item("C2", channel="电话", transcript=None,
                                                                         recording="rec/2.wav", duration=125)]})
    assert r.status_code == 200 and r.json() == {"rows": 2, "added": 2, "already": 0}
    assert interactions.get(fw, "acme", "C2")["channel"] == "call" and interactions.get(fw, "acme", "C2")["duration"] == 125
    again = qa.post(f"{URL}/interactions", json={"items": [item("C2"), item("C4", agent="1003")]})
    assert again.json() == {"rows": 2, "added": 1, "already": 1}  # an id already imported is skipped


def test_a_retried_upload_is_stored_once(fw, api):
    qa = api("qa", write=True)
    key = {"Idempotency-Key": "chat-export-2026-12-07"}
    first = qa.post(f"{URL}/interactions", json={"items": [item("C1"), item("C2")]}, headers=key)
    again = qa.post(f"{URL}/interactions", json={"items": [item("C1"), item("C2")]}, headers=key)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert again.headers["idempotent-replay"] == "true" and sorted(stored(fw)) == ["C1", "C2"]


def test_only_evaluators_import_and_a_refused_call_writes_nothing(fw, api):
    for role in ("team_leader", "trainer", "agent"):
        r = api(role, write=True, agent="1001" if role == "agent" else None,
                teams=["acme.day"] if role == "team_leader" else ()).post(
            f"{URL}/interactions", json={"items": [item("C1")]})
        assert r.status_code == 403, role
    assert api("supervisor").post(f"{URL}/interactions", json={"items": [item("C1")]}).status_code == 403
    assert api("qa", write=True).post("/api/v1/projects/beta/qa/interactions",
                                      json={"items": [item("C1", agent="2001")]}).status_code == 404
    assert stored(fw) == [] and interactions.months(fw, "beta") == []


@pytest.fixture
def evaluated(fw, published):
    """C1 of 1001 (day), C2 of 1002 (day) and C3 of 1003 (night), each evaluated by qa1."""
    for ident, agent in (("C1", "1001"), ("C2", "1002"), ("C3", "1003")):
        interactions.store(fw, "acme", _rows([item(ident, agent)]), "setup")
        evaluations.submit(fw, fw.projects.get("acme"), ident, 1, FULL, "qa1")
    return {e["interaction"]: e["id"] for m in evaluations.months(fw, "acme")
            for e in evaluations.of_month(fw, "acme", m)}


def _rows(items):
    class Rows(list):
        header = list(items[0])
    return Rows((n, {k: str(v) for k, v in i.items()}) for n, i in enumerate(items))


def _agents(r):
    assert r.status_code == 200, r.text
    return sorted(e["agent"] for e in r.json()["items"])


def test_the_evaluations_as_the_pages_show_them_to_each_reader(fw, api, evaluated):
    assert _agents(api("qa").get(f"{URL}/evaluations")) == ["1001", "1002", "1003"]
    assert _agents(api("qa").get(f"{URL}/evaluations", params={"agent": "1003"})) == ["1003"]
    leader = api("team_leader", teams=["acme.day"])
    assert _agents(leader.get(f"{URL}/evaluations")) == ["1001", "1002"]  # its teams'
    assert _agents(leader.get(f"{URL}/evaluations", params={"teams": "all"})) == ["1001", "1002", "1003"]
    agent = api("agent", agent="1001")
    assert _agents(agent.get(f"{URL}/evaluations")) == ["1001"]  # its own, as /qa/mine
    assert agent.get(f"{URL}/evaluations", params={"agent": "1003"}).status_code == 404
    assert agent.get(f"{URL}/evaluations/{evaluated['C3']}").status_code == 404
    own = agent.get(f"{URL}/evaluations/{evaluated['C1']}").json()
    assert own["agent"] == "1001" and own["score"] == own["base"] + own["bonus"] and own["items"]
    assert api("client").get(f"{URL}/evaluations").status_code == 403
    assert _agents(api("qa").get(f"{URL}/evaluations", params={"month": "2020-01"})) == []
    assert api("qa").get(f"{URL}/evaluations", params={"month": "2020-13"}).status_code == 422
    assert api("qa").get(f"{URL}/evaluations/no-such-id").status_code == 404
    assert api("qa").get("/api/v1/projects/beta/qa/evaluations").status_code == 404


def test_the_interactions_of_a_month_with_their_evaluations(fw, api, evaluated):
    listed = api("trainer").get(f"{URL}/interactions").json()["items"]
    assert {i["id"]: i["evaluation"] for i in listed} == evaluated
    assert listed[0]["transcript"].startswith("[09:00:00]")
    assert api("agent", agent="1001").get(f"{URL}/interactions").status_code == 403  # the sampling
