"""The reporting API as the telephony and chat platforms and a client's systems meet it: traffic
rows in all or none (a day sent again replaces it, a retried upload is stored once), the traffic
of a day out to the staff, the KPIs of a span (a client: only the figures meant for it) and the
published reports — another project not there at all."""

import datetime as dt

import pytest
from starlette.testclient import TestClient

from floorwalker.core.api import PREFIX
from floorwalker.core.app import create_app
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.reporting import report, traffic

from .conftest import TwoFigures

URL = f"{PREFIX}/projects/hotline/reporting"
DAY = "2026-11-10"
ROWS = [{"day": DAY, "start": "09:00", "minutes": 30, "queue": "宽带报修", "offered": 120, "answered": 110,
         "answered_in_threshold": 95, "threshold_seconds": 20, "abandoned": 10, "abandoned_short": 3,
         "talk_seconds": 18000, "hold_seconds": 1800, "wrap_seconds": 2000, "csat_responses": 30,
         "csat_satisfied": 28},
        {"day": DAY, "start": "09:30", "minutes": 30, "queue": "宽带报修", "offered": 80, "answered": 70,
         "answered_in_threshold": 55, "threshold_seconds": 20, "abandoned": 10}]


@pytest.fixture(scope="module")
def pm():
    pm = make_plugin_manager(builtins=["reporting"])
    pm.register(TwoFigures(), name="internal")
    return pm


@pytest.fixture
def api(fw):
    app = create_app(fw)

    def client(username, write=False, locale="en"):
        secret = Tokens(fw).create(username, "test", "setup", write=write)[1]
        return TestClient(app, headers={"Authorization": f"Bearer {secret}", "Accept-Language": locale})
    return client


def stored(fw, day=DAY):
    return [(r["start"], r["offered"], r["answered"]) for r in traffic.rows(fw, "hotline", *(2 * [_d(day)]))]


def _d(text):
    return dt.date.fromisoformat(text)


def test_traffic_in_replaces_the_day_and_a_retry_is_stored_once(fw, api):
    platform = api("hotline.supervisor", write=True)
    key = {"Idempotency-Key": "acd-2026-11-10"}
    r = platform.post(f"{URL}/traffic", json={"items": ROWS}, headers=key)
    assert r.status_code == 200, r.text
    assert r.json() == {"rows": 2, "days": 1, "replaced": 0}
    again = platform.post(f"{URL}/traffic", json={"items": ROWS}, headers=key)
    assert again.json() == r.json() and again.headers["idempotent-replay"] == "true"
    assert stored(fw) == [("09:00", 120, 110), ("09:30", 80, 70)]
    first = traffic.rows(fw, "hotline", _d(DAY), _d(DAY))[0]
    assert (first["talk_seconds"], first["threshold_seconds"], first["csat_satisfied"], first["source"]) == \
        (18000, 20, 28, "api")
    # the day sent again (corrected by the platform) replaces what was stored
    r = platform.post(f"{URL}/traffic", json={"items": [{**ROWS[0], "offered": 125}]})
    assert r.json() == {"rows": 1, "days": 1, "replaced": 2}
    assert stored(fw) == [("09:00", 125, 110)]
    read = api("hotline.team_leader").get(f"{URL}/traffic", params={"day": DAY}).json()
    assert [(x["start"], x["offered"], x["queue"]) for x in read["items"]] == [("09:00", 125, "宽带报修")]


def test_one_bad_row_writes_nothing_and_names_its_item(fw, api):
    platform = api("hotline.supervisor", write=True, locale="zh-CN")
    r = platform.post(f"{URL}/traffic", json={"items": [ROWS[0], {**ROWS[1], "answered": 90}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[1].answered"
    assert "90" in r.json()["error"]["message"] and "offered" in r.json()["error"]["message"]
    r = platform.post(f"{URL}/traffic", json={"items": [ROWS[0], {**ROWS[1], "start": "9点半"}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[1].start"
    r = platform.post(f"{URL}/traffic", json={"items": [{**ROWS[0], "day": "2026-11-17"}]})  # after today
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[0].day"
    r = platform.post(f"{URL}/traffic", json={"items": [ROWS[0], ROWS[0]]})
    assert r.status_code == 422 and r.json()["error"]["field"].startswith("items[1].")
    r = platform.post(f"{URL}/traffic", json={"items": [{**ROWS[0], "queue": "合计"}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[0].queue"
    r = platform.post(f"{URL}/traffic", json={"items": [{**ROWS[0], "offered": -1}]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "items[0].offered"
    assert stored(fw) == []


def test_who_may_not_send_or_read_traffic(fw, api):
    body = {"items": ROWS}
    assert api("hotline.team_leader", write=True).post(f"{URL}/traffic", json=body).status_code == 403
    assert api("hotline.client", write=True).post(f"{URL}/traffic", json=body).status_code == 403
    assert api("shop.supervisor", write=True).post(f"{URL}/traffic", json=body).status_code == 404
    assert stored(fw) == []
    assert api("hotline.client").get(f"{URL}/traffic", params={"day": DAY}).status_code == 403
    assert api("hotline.agent").get(f"{URL}/traffic", params={"day": DAY}).status_code == 403


def test_kpis_of_a_span_and_a_client_reads_only_its_figures(fw, api):
    fw.projects.enable("hotline", "internal", "setup")
    traffic.replace(fw, "hotline", ROWS, "setup", "import")
    staff = api("hotline.supervisor").get(f"{URL}/kpis", params={"first": DAY, "last": DAY})
    assert staff.status_code == 200, staff.text
    figures = {f["code"]: f for f in staff.json()}
    assert figures["answer_rate"]["value"] == pytest.approx(180 / 200) and figures["answer_rate"]["n"] == 200
    assert set(figures["answer_rate"]) >= {"code", "value", "target", "met", "n", "automated"}
    assert figures["answer_rate"]["automated"] is True and "coffee" in figures
    client = {f["code"] for f in api("hotline.client").get(f"{URL}/kpis", params={"first": DAY, "last": DAY}).json()}
    assert "smiles" in client and "answer_rate" in client and "coffee" not in client
    assert api("hotline.agent").get(f"{URL}/kpis").status_code == 403
    assert api("hotline.supervisor").get(f"{URL}/kpis", params={"first": DAY, "last": "2026-11-01"}).status_code == 422
    assert api("shop.client").get(f"{URL}/kpis").status_code == 404


def test_the_published_reports_and_their_documents(fw, api):
    hotline = fw.projects.get("hotline")
    traffic.replace(fw, "hotline", ROWS, "setup", "import")
    report.publish(fw, hotline, report.span_of("2026-W46"), "hotline.supervisor", fw.render)
    client = api("hotline.client")
    listed = client.get(f"{URL}/reports").json()
    assert [r["id"] for r in listed["items"]] == ["2026-W46"] and "data" not in listed["items"][0]
    one = client.get(f"{URL}/reports/2026-W46").json()
    assert one["kind"] == "week" and one["document"] == report.stored(fw, hotline, report.span_of("2026-W46"))["data"]
    assert client.get(f"{URL}/reports/2026-10").status_code == 404  # not published
    assert client.get(f"{URL}/reports/last-month").status_code == 422
    assert client.get(f"{URL}/reports/9999-12").json()["error"]["field"] == "period"
    assert api("shop.client").get(f"{URL}/reports").status_code == 404
    # an agent reads the reports only where the project shows them
    assert api("hotline.agent").get(f"{URL}/reports").status_code == 403
    fw.projects.configure("hotline", "reporting", {"agents_see_reports": True}, "setup")
    assert api("hotline.agent").get(f"{URL}/reports/2026-W46").status_code == 200
