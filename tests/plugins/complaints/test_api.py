"""The complaints endpoints of the JSON API as the telephony or the client's handling point meets
them: intake with the intake form's checks (the field named by its JSON key, in the caller's
language), the queue and a complaint masked for a client, an agent reading only what it owns,
another project's answering 404, and a retried intake stored once."""

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.complaints import handling, records

URL = "/api/v1/projects/acme/complaints/complaints"
CALL = {"channel": "phone", "subject": "坐席态度差", "complainant": "张三丰", "contact": "13812345678",
        "agent": "1001", "wants": "道歉", "details": "内部备注：已核实录音", "severity": "serious"}


@pytest.fixture
def api(fw):
    """``api(username, write=False, **headers)``: a client calling as *username* with a token."""
    app = create_app(fw)
    fw.users.add_many([fw.users.prepare("li", "x", ["agent"], ["acme"], "Li", "zh_CN", agent="1001"),
                       fw.users.prepare("han", "x", ["agent"], ["acme"], "Han", "zh_CN", agent="1002")], "setup")

    def call(username, write=False, **headers):
        token = Tokens(fw).create(username, "acd", "setup", write=write)[1]
        return TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en", **headers})
    return call


def test_intake_takes_a_complaint_in_as_the_form_does(fw, api):
    r = api("desk", write=True).post(URL, json=CALL)
    assert r.status_code == 201, r.text
    doc = records.get(fw, "acme", r.json()["id"])
    assert (doc["owner"], doc["against"], doc["severity"], doc["status"]) == ("desk", "agent", "serious", "open")
    assert r.json()["owner"] == "desk" and r.json()["targets"]
    minimal = api("desk", write=True).post(URL, json={"channel": "email", "subject": "回复太慢"})
    assert minimal.status_code == 201 and minimal.json()["received"].startswith("2026-11-16 10:00")


def test_intake_refuses_what_the_form_refuses_naming_the_field(fw, api):
    desk = api("desk", write=True, **{"Accept-Language": "zh-CN"})
    r = desk.post(URL, json={**CALL, "agent": "2001"})  # beta's agent
    assert r.status_code == 422 and r.json()["error"]["field"] == "agent" and "2001" in r.json()["error"]["message"]
    r = desk.post(URL, json={**CALL, "received": "2026-11-17 09:00"})  # later than now
    assert r.status_code == 422 and r.json()["error"]["field"] == "received"
    r = desk.post(URL, json={**CALL, "wants": "要" * 2001})
    assert r.json()["error"]["field"] == "wants" and r.json()["error"]["message"].startswith("客户诉求")
    r = desk.post(URL, json={"channel": "phone"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "subject"
    r = desk.post(URL, json={**CALL, "channel": "fax"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "channel"
    assert records.all_of(fw, "acme") == []


def test_an_agent_takes_complaints_in_without_a_severity_and_reads_only_its_own(fw, api):
    li = api("li", write=True)
    own = li.post(URL, json=CALL)
    assert own.status_code == 201 and own.json()["severity"] == "general"  # the agent's form has none
    other = api("desk", write=True).post(URL, json={"channel": "chat", "subject": "物流慢"}).json()["id"]
    assert [c["id"] for c in li.get(URL).json()["items"]] == [own.json()["id"]]
    assert li.get(f"{URL}/{other}").status_code == 404
    assert li.get(f"{URL}/{own.json()['id']}").json()["details"] == CALL["details"]
    handling.handover(fw, fw.projects.get("acme"), own.json()["id"], "desk", "li", None, "")
    assert li.get(URL).json()["items"] == []  # handed over: no longer its to read
    assert api("han").get(f"{URL}/{own.json()['id']}").status_code == 404


def test_a_client_reads_the_queue_and_a_complaint_masked(fw, api):
    ident = api("desk", write=True).post(URL, json=CALL).json()["id"]
    handling.verdict(fw, fw.projects.get("acme"), ident, "valid", "录音核实属实", "sup", "quarrel_with_customer")
    client = api("client")
    row = client.get(URL).json()["items"][0]
    assert (row["complainant"], row["contact"], row["agent"], row["owner"]) == ("张**", "138****5678", None, None)
    shown = client.get(f"{URL}/{ident}").json()
    text = str(shown)
    assert shown["masked"] and shown["verdict"] == "valid"
    for secret in ("张三丰", "13812345678", "1001", "desk", "sup", "内部备注", "录音核实属实"):
        assert secret not in text, secret
    staff = api("sup").get(f"{URL}/{ident}").json()
    assert staff["complainant"] == "张三丰" and staff["verdict_detail"]["reason"] == "录音核实属实"
    assert client.post(URL, json=CALL).status_code == 403  # a client takes nothing in (read token too)
    assert api("client", write=True).post(URL, json=CALL).status_code == 403


def test_the_queue_narrows_by_month_and_status_and_another_project_is_not_found(fw, api):
    desk = api("desk", write=True)
    first = desk.post(URL, json={**CALL, "received": "2026-10-30 09:00"}).json()["id"]
    second = desk.post(URL, json=CALL).json()["id"]
    handling.wait(fw, fw.projects.get("acme"), second, "customer", "desk", "等客户提供订单号")
    sup = api("sup")
    assert [c["id"] for c in sup.get(URL, params={"month": "2026-10"}).json()["items"]] == [first]
    assert [c["id"] for c in sup.get(URL, params={"status": "waiting"}).json()["items"]] == [second]
    assert sup.get(URL, params={"status": "lost"}).status_code == 422
    assert sup.get(URL, params={"month": "October"}).status_code == 422
    assert sup.get(f"{URL}/C9999").status_code == 404
    assert sup.get("/api/v1/projects/beta/complaints/complaints").status_code == 404
    assert api("sup", write=True).post("/api/v1/projects/beta/complaints/complaints", json=CALL).status_code == 404
    assert records.all_of(fw, "beta") == []


def test_a_retried_intake_is_stored_once(fw, api):
    desk = api("desk", write=True)
    key = {"Idempotency-Key": "acd-call-20261116-0042"}
    first = desk.post(URL, json=CALL, headers=key)
    again = desk.post(URL, json=CALL, headers=key)
    assert first.json()["id"] == again.json()["id"] and len(records.all_of(fw, "acme")) == 1
