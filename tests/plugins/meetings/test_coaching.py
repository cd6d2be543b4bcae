"""Coaching (辅导, issue 15 item 6): an item opened by hand or by QA, the session, the agent's
acknowledgement in time, late or not at all (the deadline a setting), the follow-up that closes
it, who may coach whom, what an agent sees, the waiting counts and the figures."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, NotFound, ValidationError
from floorwalker.plugins import meetings
from floorwalker.plugins.meetings import coaching, records

SESSION = {"date": "2026-11-16", "notes": "回放录音，核实身份环节遗漏", "agreed": "每天听两条优秀录音",
           "follow_up": "2026-11-23"}


def _item(fw, acme, agent="1001", reason="语速过快", actor="sup"):
    return coaching.open_by_hand(fw, acme, agent, reason, actor)


def _waiting(fw, acme, username):
    user = fw.users.get(username)
    found = fw.project_hook(acme, "waiting_items")(floorwalker=fw, project=acme, user=user)
    return {w.title_zh: w.count for ws in found for w in ws}


def test_a_session_acknowledged_within_the_deadline_is_in_time(fw, acme, clock):
    item = _item(fw, acme)
    assert item["source"] == "hand" and item["leaders"] == ["lead"] and item["team"] == "day"
    held = coaching.hold_session(fw, acme, item["id"], SESSION, "lead")
    assert held["session"]["deadline"] == "2026-11-18T10:00"  # 48 hours, the default
    clock.now = dt.datetime(2026, 11, 18, 10, 0)  # at the deadline: still in time
    done = coaching.acknowledge(fw, acme, item["id"], fw.users.get("li"))
    assert done["session"]["acknowledged_at"] == "2026-11-18T10:00" and done["session"]["late"] is False
    assert coaching.stage(done, clock.now) == "follow_up"
    with pytest.raises(Conflict):
        coaching.acknowledge(fw, acme, item["id"], fw.users.get("li"))


def test_an_acknowledgement_past_the_deadline_setting_is_recorded_late(fw, acme, clock):
    acme = fw.projects.configure("acme", "meetings", {"coaching_ack_hours": 24}, "setup")
    item = _item(fw, acme)
    assert coaching.hold_session(fw, acme, item["id"], SESSION, "lead")["session"]["deadline"] == "2026-11-17T10:00"
    clock.now = dt.datetime(2026, 11, 17, 10, 1)
    assert coaching.stage(coaching.get(fw, acme, item["id"]), clock.now) == "unacknowledged"
    done = coaching.acknowledge(fw, acme, item["id"], fw.users.get("li"))
    assert done["session"]["late"] is True and coaching.stage(done, clock.now) == "follow_up"


def test_a_session_never_acknowledged_shows_to_the_team_leader_after_the_deadline(fw, acme, clock):
    item = _item(fw, acme)
    assert _waiting(fw, acme, "lead").get("待辅导事项") == 1  # no session yet
    coaching.hold_session(fw, acme, item["id"], SESSION, "lead")
    assert "待辅导事项" not in _waiting(fw, acme, "lead")
    assert _waiting(fw, acme, "li").get("待确认的辅导记录") == 1
    assert "逾期未确认的辅导记录" not in _waiting(fw, acme, "lead")
    clock.now = dt.datetime(2026, 11, 18, 10, 1)
    assert _waiting(fw, acme, "lead").get("逾期未确认的辅导记录") == 1
    assert _waiting(fw, acme, "li").get("待确认的辅导记录") == 1  # still the agent's to do
    coaching.acknowledge(fw, acme, item["id"], fw.users.get("li"))
    assert "逾期未确认的辅导记录" not in _waiting(fw, acme, "lead") and "待确认的辅导记录" not in _waiting(fw, acme, "li")


def test_the_follow_up_closes_the_item_and_every_step_is_audited(fw, acme, clock):
    item = _item(fw, acme)
    with pytest.raises(Conflict):  # nothing to follow up before the session
        coaching.record_follow_up(fw, acme, item["id"], "2026-11-16", "复听五通", "lead")
    coaching.hold_session(fw, acme, item["id"], SESSION, "lead")
    coaching.acknowledge(fw, acme, item["id"], fw.users.get("li"))
    done = coaching.record_follow_up(fw, acme, item["id"], "2026-11-23", "复听五通，话术已规范", "lead")
    assert done["status"] == "closed" and done["closing"]["how"] == "follow_up"
    assert coaching.stage(done, clock.now) == "closed"
    with pytest.raises(Conflict):
        coaching.hold_session(fw, acme, item["id"], SESSION, "lead")
    other = _item(fw, acme, "1002", "情绪低落")
    with pytest.raises(ValidationError) as refused:
        coaching.close(fw, acme, other["id"], "", "lead")
    assert refused.value.message("zh_CN").startswith("关闭原因")
    assert coaching.close(fw, acme, other["id"], "已调岗，不再跟进", "lead")["closing"]["how"] == "closed"
    steps = [(a["actor"], a["action"]) for a in fw.store.audit_entries(records.key(fw, "acme"))
             if a["action"].startswith("meetings.coaching")]
    assert steps == [("sup", "meetings.coaching"), ("lead", "meetings.coaching.session"),
                     ("li", "meetings.coaching.acknowledge"), ("lead", "meetings.coaching.follow_up"),
                     ("sup", "meetings.coaching"), ("lead", "meetings.coaching.close")]


def test_a_session_form_names_the_refused_field(fw, acme, clock):
    item = _item(fw, acme)
    for change, field in [({"date": "2026-11-17"}, "辅导日期"), ({"agreed": ""}, "约定改进事项"),
                          ({"follow_up": "2026-11-10"}, "跟进日期")]:
        with pytest.raises(ValidationError) as refused:
            coaching.hold_session(fw, acme, item["id"], {**SESSION, **change}, "lead")
        assert refused.value.message("zh_CN").startswith(field)
    assert coaching.get(fw, acme, item["id"])["session"] is None


def test_a_team_leader_cannot_coach_an_agent_of_another_team(fw, acme, signed_in):
    lead = signed_in("lead")
    refused = lead.post("/p/acme/meetings/coaching", data={"csrf_token": lead.csrf, "agent": "1003", "reason": "态度"})
    assert refused.status_code == 403 and coaching.all_of(fw, acme) == []
    night = _item(fw, acme, "1003", "态度差")
    refused = lead.post(f"/p/acme/meetings/coaching/{night['id']}/session", data={"csrf_token": lead.csrf, **SESSION})
    assert refused.status_code == 403 and coaching.get(fw, acme, night["id"])["session"] is None
    assert lead.post(f"/p/acme/meetings/coaching/{night['id']}/close",
                     data={"csrf_token": lead.csrf, "note": "x"}).status_code == 403
    own = lead.post("/p/acme/meetings/coaching", data={"csrf_token": lead.csrf, "agent": "1001", "reason": "语速过快"})
    assert own.status_code == 303
    (mine,) = [d for d in coaching.all_of(fw, acme) if d["agent"] == "1001"]
    assert mine["opened_by"] == "lead"
    assert lead.post(f"/p/acme/meetings/coaching/{mine['id']}/session",
                     data={"csrf_token": lead.csrf, **SESSION}).status_code == 303
    sup = signed_in("sup")  # a supervisor coaches any agent of the project
    assert sup.post(f"/p/acme/meetings/coaching/{night['id']}/session",
                    data={"csrf_token": sup.csrf, **SESSION}).status_code == 303


def test_the_coaching_page_starts_at_the_leaders_teams(fw, acme, signed_in):
    _item(fw, acme, "1001", "语速过快")
    _item(fw, acme, "1003", "态度差")
    page = signed_in("lead").get("/p/acme/meetings/coaching")
    assert page.status_code == 200 and [c["agent"] for c in page.context["rows"]] == ["1001"]
    assert page.context["per_leader"] == {"lead": 1} and [a["number"] for a in page.context["coachable"]] == ["1001",
                                                                                                               "1002"]
    everything = signed_in("lead").get("/p/acme/meetings/coaching?team=")
    assert sorted(c["agent"] for c in everything.context["rows"]) == ["1001", "1003"]
    sup = signed_in("sup").get("/p/acme/meetings/coaching")
    assert len(sup.context["rows"]) == 2 and "辅导" in sup.text and "Li Lei" in sup.text


def test_an_agent_sees_only_its_own_coaching(fw, acme, signed_in, clock):
    own = _item(fw, acme, "1001", "语速过快")
    other = _item(fw, acme, "1002", "情绪低落")
    coaching.hold_session(fw, acme, own["id"], SESSION, "lead")
    coaching.hold_session(fw, acme, other["id"], {**SESSION, "notes": "家中有事，已协调调班"}, "lead")
    li = signed_in("li")
    page = li.get("/p/acme/meetings/coaching/mine")
    assert page.status_code == 200 and 'name="viewport"' in page.text
    assert [c["id"] for c in page.context["to_ack"]] == [own["id"]] and "家中有事" not in page.text
    assert li.get(f"/p/acme/meetings/coaching/{other['id']}").status_code == 403
    assert li.post(f"/p/acme/meetings/coaching/{other['id']}/acknowledge",
                   data={"csrf_token": li.csrf, "confirm": "yes"}).status_code == 404
    assert coaching.get(fw, acme, other["id"])["session"]["acknowledged_at"] is None
    with pytest.raises(NotFound):
        coaching.acknowledge(fw, acme, other["id"], fw.users.get("li"))
    unconfirmed = li.post(f"/p/acme/meetings/coaching/{own['id']}/acknowledge", data={"csrf_token": li.csrf})
    assert unconfirmed.status_code == 422 and coaching.get(fw, acme, own["id"])["session"]["acknowledged_at"] is None
    assert li.post(f"/p/acme/meetings/coaching/{own['id']}/acknowledge",
                   data={"csrf_token": li.csrf, "confirm": "yes"}).status_code == 303
    assert coaching.get(fw, acme, own["id"])["session"]["acknowledged_at"] == "2026-11-16T10:00"
    assert li.get("/p/acme/meetings/coaching").status_code == 403


def test_a_source_links_only_for_those_who_may_open_it(fw, acme, signed_in):
    assert meetings.qa_coaching_item(fw, acme, {"id": "E7", "agent": "1001", "comment": "未核实身份",
                                                "date": "2026-11-12"}) is True
    (item,) = coaching.all_of(fw, acme)
    assert item["opened"] == "2026-11-12" and item["link"] == "/p/acme/qa/evaluations/E7"
    page = signed_in("sup").get("/p/acme/meetings/coaching")
    assert page.context["rows"][0]["source_open"] is False  # QA is off here: no link to a page that is not
    assert 'href="/p/acme/qa/evaluations/E7"' not in page.text
    from floorwalker.plugins.meetings.coaching_pages import can_open
    assert can_open(page.context["page"], "/p/acme/meetings/items") is True
    li_page = signed_in("li").get("/p/acme/meetings/mine")
    assert can_open(li_page.context["page"], "/p/acme/meetings/items") is False


def test_coaching_done_vs_due(fw, acme, clock):
    first = _item(fw, acme, "1001")
    second = _item(fw, acme, "1002")
    meetings.qa_coaching_item(fw, acme, {"id": "E1", "agent": "1003", "date": "2026-10-30"})
    coaching.hold_session(fw, acme, first["id"], SESSION, "lead")
    coaching.hold_session(fw, acme, second["id"], SESSION, "lead")
    coaching.acknowledge(fw, acme, first["id"], fw.users.get("li"))
    assert coaching.figures(fw, acme, "2026-11-01", "2026-11-30") == {"due": 2, "done": 1}
    assert coaching.figures(fw, acme, "2026-10-01", "2026-10-31") == {"due": 1, "done": 0}
    assert coaching.figures(fw, acme, "2026-11-01", "2026-11-15") == {"due": 0, "done": 0}


def test_an_item_by_hand_names_an_agent_of_the_project(fw, acme):
    with pytest.raises(ValidationError) as refused:
        coaching.open_by_hand(fw, acme, "9999", "语速过快", "sup")
    assert refused.value.message("zh_CN").startswith("坐席")
    with pytest.raises(ValidationError) as refused:
        coaching.open_by_hand(fw, acme, "1001", "  ", "sup")
    assert refused.value.message("zh_CN").startswith("原因")
    assert coaching.all_of(fw, acme) == []


def test_the_demo_writes_sessions_for_the_items(fw, acme, clock):
    import random
    meetings.qa_coaching_item(fw, acme, {"id": "E1", "agent": "1001", "date": "2026-09-20"})
    meetings.complaints_coaching_item(fw, acme, {"id": "C1", "agent": "1002", "subject": "态度差",
                                                 "received": "2026-10-05"}, ["lead"])
    assert coaching.demo(fw, acme, 3, random.Random(7), dt.date(2026, 11, 16), "setup") >= 2
    docs = coaching.all_of(fw, acme)
    assert len(docs) == 2 + len(coaching.HAND_REASONS)
    sessions = [d["session"] for d in docs if d["session"]]
    assert sessions and all(s["notes"] and s["agreed"] for s in sessions)
    assert all(s["acknowledged_at"] is None or s["acknowledged_at"] <= "2026-11-16T10:00" for s in sessions)
