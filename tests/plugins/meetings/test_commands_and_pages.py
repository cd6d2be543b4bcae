"""`floorwalker meetings plan|list` (the JSON of issue 15, item 9); the pages a leader runs a
meeting from (attendance, minutes, sign-off only after the confirmation) and an agent's own
meetings; the coaching items QA and complaints open through their hooks."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.plugins.meetings import attendance, coaching, items, records


@pytest.fixture
def run(fw, pm):
    cli = make_cli(pm)

    def invoke(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", *args], catch_exceptions=False)
    return invoke


def test_plan_then_list_as_json(fw, acme, run):
    done = run("meetings", "plan", "--project", "acme", "--month", "2026-11")
    assert done.exit_code == 0 and "Planned" in done.output
    weekly = next(m for m in records.of_month(fw, acme, "2026-11") if m["kind"] == "weekly" and m["date"] == "2026-11-16")
    attendance.take(fw, acme, weekly["id"], {"1009": ("absent", "")}, "sup")
    listed = json.loads(run("meetings", "list", "--project", "acme", "--month", "2026-11", "--format", "json").output)
    assert {m["kind"] for m in listed} == {"handover", "briefing", "weekly", "monthly", "qa_analysis"}
    (shown,) = [m for m in listed if m["id"] == weekly["id"]]
    assert {k: shown[k] for k in ("kind", "date", "chair", "expected", "present", "excused", "absent",
                                  "minutes_signed")} == {
        "kind": "weekly", "date": "2026-11-16", "chair": "sup", "expected": ["1009"], "present": [],
        "excused": [], "absent": ["1009"], "minutes_signed": False}
    monthly = [m for m in listed if m["kind"] == "monthly"]
    assert [m["date"] for m in monthly] == ["2026-11-20"]
    table = run("meetings", "list", "--project", "acme", "--month", "2026-11", "--format", "csv")
    assert table.exit_code == 0 and "Weekly team meeting" in table.output


def _weekly(fw, acme, day="2026-11-16"):
    doc = records.new_doc(fw, acme, kind="weekly", date=day, time="16:30", title="班务会", expected=["1009"],
                          chair="sup", department=True)
    return records.add(fw, acme, [doc], "sup")[0]


def test_a_leader_runs_a_meeting_from_its_page(fw, acme, signed_in):
    m = _weekly(fw, acme)
    sup = signed_in("sup")
    page = sup.get(f"/p/acme/meetings/{m['id']}")
    assert page.status_code == 200 and page.context["m"]["id"] == m["id"] and "班务会" in page.text
    assert "1009" not in page.text.replace('name="state-1009"', "").replace('name="note-1009"', "").replace('value="1009"', "")  # names, not numbers
    url = f"/p/acme/meetings/{m['id']}"
    assert sup.post(url + "/attendance", data={"csrf_token": sup.csrf, "state-1009": "absent"}).status_code == 303
    assert attendance.live_event(fw, "acme", records.get(fw, acme, m["id"]), "1009")["points"] == -10
    assert sup.post(url + "/minutes", data={"csrf_token": sup.csrf, "taker": "王敏", "decisions": "统一答复"}).status_code == 303
    assert sup.post(url + "/items", data={"csrf_token": sup.csrf, "text": "整理话术", "owner": "lead",
                                          "due": "2026-11-20"}).status_code == 303
    unconfirmed = sup.post(url + "/sign", data={"csrf_token": sup.csrf})
    assert unconfirmed.status_code == 422 and "请确认签发" in unconfirmed.text
    assert not records.get(fw, acme, m["id"])["minutes"].get("signed_by")
    assert sup.post(url + "/sign", data={"csrf_token": sup.csrf, "confirm": "yes"}).status_code == 303
    assert records.get(fw, acme, m["id"])["minutes"]["signed_by"] == "sup"


def test_a_refused_attendance_names_the_field_in_chinese(fw, acme, signed_in):
    m = _weekly(fw, acme)
    sup = signed_in("sup")
    refused = sup.post(f"/p/acme/meetings/{m['id']}/attendance", data={"csrf_token": sup.csrf, "state-1009": "excused"})
    assert refused.status_code == 422 and "当天没有请假记录" in refused.text


def test_the_calendar_shows_planned_held_and_missed_with_the_holidays(fw, acme, signed_in, clock):
    records.plan_month(fw, acme, "2026-06", "sup")
    clock.now = dt.datetime(2026, 6, 22, 9, 0)
    page = signed_in("lead").get("/p/acme/meetings/?month=2026-06")
    assert page.status_code == 200 and page.context["counts"]["missed"] > 0
    cells = {d["iso"]: d for row in page.context["weeks"] for d in row}
    assert cells["2026-06-19"]["kind"] == "holiday"
    assert [m["doc"]["kind"] for m in cells["2026-06-18"]["meetings"] if m["doc"]["kind"] == "monthly"] == ["monthly"]
    week = signed_in("lead").get("/p/acme/meetings/?week=2026-06-18")
    assert [d["iso"] for d in week.context["weeks"][0]][0] == "2026-06-15"


def test_an_agent_sees_its_meetings_and_items_on_the_phone(fw, acme, signed_in):
    m = records.add(fw, acme, [records.new_doc(fw, acme, kind="briefing", date="2026-11-17", time="08:45",
                                               title="晨会", expected=["1001", "1002"], chair="lead")], "lead")[0]
    items.raise_item(fw, acme, m["id"], "复习新话术", "1001", "2026-11-18", "lead")
    page = signed_in("li").get("/p/acme/meetings/mine")
    assert page.status_code == 200 and [r["doc"]["id"] for r in page.context["rows"]] == [m["id"]]
    assert [i["text"] for i in page.context["items"]] == ["复习新话术"]
    assert signed_in("li").get("/p/acme/meetings/").status_code == 403


def test_coaching_items_from_qa_and_complaints_reach_the_team_leader(fw, acme, signed_in):
    from floorwalker.plugins import meetings
    assert meetings.qa_coaching_item(fw, acme, {"id": "E1", "agent": "1001", "score": 72, "comment": "未核实身份",
                                                "date": "2026-11-12"}) is True
    assert meetings.qa_coaching_item(fw, acme, {"id": "E1", "agent": "1001", "date": "2026-11-12"}) is None  # once
    assert meetings.complaints_coaching_item(fw, acme, {"id": "C0001", "agent": "1003", "subject": "态度差"},
                                             ["sup"]) is True
    lead = signed_in("lead").get("/p/acme/meetings/coaching")
    assert [(c["agent"], c["source"], c["reason"]) for c in lead.context["rows"]] == [("1001", "qa", "未核实身份")]
    everything = coaching.for_user(fw, acme, fw.users.get("sup"), see_all=True)
    assert {c["ref"] for c in everything} == {"E1", "C0001"}
