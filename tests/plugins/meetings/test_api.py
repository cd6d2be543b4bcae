"""The meetings endpoints of the JSON API: a month's meetings as ``meetings list --format json``
gives them, one meeting with its attendance, minutes and action items; the staff read them, an
agent login and another project's caller do not."""

import json

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core.app import create_app
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.meetings import attendance, items, records

URL = "/api/v1/projects/acme/meetings/meetings"


@pytest.fixture
def api(fw):
    app = create_app(fw)

    def call(username):
        token = Tokens(fw).create(username, "wfm", "setup")[1]
        return TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    return call


@pytest.fixture
def weekly(fw, acme):
    records.plan_month(fw, acme, "2026-11", "sup")
    found = next(m for m in records.of_month(fw, acme, "2026-11") if m["kind"] == "weekly" and m["date"] == "2026-11-16")
    attendance.take(fw, acme, found["id"], {"1009": ("absent", "")}, "sup")
    records.write_minutes(fw, acme, found["id"], {"taker": "黄思琪", "notes": "本周质检复盘",
                                                  "decisions": "周五前完成话术复训"}, "sup")
    items.raise_item(fw, acme, found["id"], "整理高频问题", "1009", "2026-11-20", "sup")
    return found


def test_a_months_meetings_are_the_command_lines_json(fw, pm, api, weekly):
    listed = api("lead").get(URL, params={"month": "2026-11", "limit": 1000}).json()["items"]
    cli = CliRunner().invoke(make_cli(pm), ["--data", str(fw.store.root), "meetings", "list", "--project", "acme",
                                            "--month", "2026-11", "--format", "json"])
    assert sorted(listed, key=lambda m: m["id"]) == sorted(json.loads(cli.output), key=lambda m: m["id"])
    (shown,) = [m for m in listed if m["id"] == weekly["id"]]
    assert (shown["absent"], shown["minutes_signed"]) == (["1009"], False)
    this_month = api("qa1").get(URL).json()["items"]  # the clock's month, 2026-11
    assert {m["id"] for m in this_month} == {m["id"] for m in listed}
    assert api("qa1").get(URL, params={"month": "2026-12"}).json()["items"] == []
    assert api("qa1").get(URL, params={"month": "11/2026"}).status_code == 422


def test_a_meeting_with_its_attendance_minutes_and_items(api, weekly):
    shown = api("dir").get(f"{URL}/{weekly['id']}").json()
    assert shown["state"] == "planned" and shown["attendance"]["1009"]["state"] == "absent"
    assert shown["minutes"]["decisions"] == ["周五前完成话术复训"] and shown["minutes"]["taker"] == "黄思琪"
    assert [(i["text"], i["owner"], i["status"]) for i in shown["items"]] == [("整理高频问题", "1009", "open")]
    assert "by" not in shown["attendance"]["1009"]
    assert api("dir").get(f"{URL}/M9999").status_code == 404
    assert api("dir").get(f"{URL}/{weekly['id'].lower()}").status_code == 200  # as the page reads ids


def test_an_agent_and_another_projects_caller_read_no_meetings(fw, api, weekly):
    assert api("li").get(URL).status_code == 403
    assert api("li").get(f"{URL}/{weekly['id']}").status_code == 403
    fw.projects.create("beta", "Beta Ltd", "setup", plugins=["meetings"])
    fw.users.add_many([fw.users.prepare("betasup", "x", ["supervisor"], ["beta"], "B", "zh_CN")], "setup")
    assert api("betasup").get(URL).status_code == 404
    assert api("betasup").get(f"{URL}/{weekly['id']}").status_code == 404
