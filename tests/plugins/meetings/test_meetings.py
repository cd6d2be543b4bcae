"""A month planned from the cadence, the minutes and the chair's sign-off (a handover's four
headings each filled or 无), action items carried into the next meeting of their kind — twice —
with their history, and what waits for whom: overdue items and the monthly service-quality report."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, ValidationError, WaitingItem
from floorwalker.core.plugins import collect
from floorwalker.plugins.meetings import items, records, reports


def test_a_month_planned_from_the_cadence_and_planned_again_adds_nothing(fw, acme):
    made = records.plan_month(fw, acme, "2026-12", "sup")
    monthly = [m for m in made if m["kind"] == "monthly"]
    assert [(m["date"], m["time"], m["title"], m["chair"], m["department"]) for m in monthly] == \
        [("2026-12-18", "14:00", "月度全员大会", "sup", True)]  # the 25th is a Friday
    assert monthly[0]["expected"] == ["1001", "1002", "1003", "1009"] and monthly[0]["guests"] == ["dir"]
    weekly = [m for m in made if m["kind"] == "weekly"]
    assert weekly[0]["expected"] == ["1009"] and weekly[0]["chair"] == "sup"  # the team leaders, the supervisor
    handover = [m for m in made if m["kind"] == "handover"]
    assert len(handover) == 62 and not handover[0]["department"]
    assert records.plan_month(fw, acme, "2026-12", "sup") == []


def _signed(fw, acme, doc, who="sup"):
    records.write_minutes(fw, acme, doc["id"], {"taker": "王敏", "decisions": "统一答复退款时效\n加强质检"}, who)
    return records.sign_off(fw, acme, doc["id"], who)


def _weekly(fw, acme, day):
    doc = records.new_doc(fw, acme, kind="weekly", date=day, time="16:30", title="班务会", expected=["1009"],
                          chair="sup", department=True)
    return records.add(fw, acme, [doc], "sup")[0]


def test_minutes_need_a_minute_taker_and_only_the_chair_signs(fw, acme):
    m = _weekly(fw, acme, "2026-11-16")
    with pytest.raises(ValidationError):
        records.sign_off(fw, acme, m["id"], "sup")
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏", "decisions": "一\n二", "information": "三"}, "sup")
    with pytest.raises(ValidationError):
        records.sign_off(fw, acme, m["id"], "lead")
    signed = records.sign_off(fw, acme, m["id"], "sup")
    assert signed["minutes"]["decisions"] == ["一", "二"] and signed["minutes"]["information"] == ["三"]
    assert records.state(signed, dt.date(2026, 11, 16)) == "held"
    with pytest.raises(Conflict):
        records.write_minutes(fw, acme, m["id"], {"taker": "别人"}, "sup")


def test_the_handover_minutes_have_four_headings_each_filled_or_marked_none(fw, acme):
    doc = records.new_doc(fw, acme, kind="handover", date="2026-11-16", time="16:00", title="交接会",
                          expected=["1009"], chair="lead")
    m = records.add(fw, acme, [doc], "lead")[0]
    records.write_minutes(fw, acme, m["id"], {"taker": "张伟", "business": "新增退款渠道", "instructions": "无",
                                               "customers": "", "process": "无"}, "lead")
    with pytest.raises(ValidationError) as refused:
        records.sign_off(fw, acme, m["id"], "lead")
    assert refused.value.field == "Customer suggestions and complaints"
    records.write_minutes(fw, acme, m["id"], {"taker": "张伟", "business": "新增退款渠道", "instructions": "无",
                                               "customers": "无", "process": "无"}, "lead")
    assert records.sign_off(fw, acme, m["id"], "lead")["minutes"]["headings"]["business"] == "新增退款渠道"


def test_an_unsigned_meeting_whose_day_passed_is_missed():
    doc = {"date": "2026-11-13", "minutes": {}}
    assert records.state(doc, dt.date(2026, 11, 16)) == "missed"
    assert records.state(doc, dt.date(2026, 11, 13)) == "planned"


def test_an_action_item_not_done_is_carried_twice_with_its_history(fw, acme):
    first, second = _weekly(fw, acme, "2026-11-02"), _weekly(fw, acme, "2026-11-09")
    item = items.raise_item(fw, acme, first["id"], "整理退款话术", "lead", "2026-11-06", "sup")
    done = items.raise_item(fw, acme, first["id"], "更新排班表", "lead", "2026-11-06", "sup")
    items.set_status(fw, acme, done["id"], "done", "sup")
    _signed(fw, acme, first)
    assert [i["id"] for i in items.on_meeting(fw, acme, second["id"])] == [item["id"]]
    _signed(fw, acme, second)
    # the third meeting does not exist yet: the item waits on the second, and moves once it is planned
    assert items.on_meeting(fw, acme, second["id"])[0]["id"] == item["id"]
    third = _weekly(fw, acme, "2026-11-16")
    (carried,) = items.on_meeting(fw, acme, third["id"])
    assert [(h["what"], h.get("from"), h["meeting"]) for h in carried["history"]] == [
        ("raised", None, first["id"]), ("carried", first["id"], second["id"]), ("carried", second["id"], third["id"])]
    assert [i["meeting"] for i in items.all_of(fw, acme) if i["id"] == done["id"]] == [first["id"]]  # done: stays


def test_an_item_is_not_carried_into_a_meeting_of_another_kind(fw, acme):
    first = _weekly(fw, acme, "2026-11-02")
    item = items.raise_item(fw, acme, first["id"], "整理退款话术", "lead", "2026-11-06", "sup")
    doc = records.new_doc(fw, acme, kind="monthly", date="2026-11-20", time="14:00", title="月度全员大会",
                          expected=["1001"], chair="sup")
    records.add(fw, acme, [doc], "sup")
    _signed(fw, acme, first)
    assert items.on_meeting(fw, acme, first["id"])[0]["id"] == item["id"]


def _waiting(fw, acme, username):
    user = fw.users.get(username)
    return collect(fw.project_hook(acme, "waiting_items"), WaitingItem, floorwalker=fw, project=acme, user=user)


def test_overdue_items_wait_for_their_owner(fw, acme):
    m = _weekly(fw, acme, "2026-11-09")
    items.raise_item(fw, acme, m["id"], "整理退款话术", "lead", "2026-11-13", "sup")
    items.raise_item(fw, acme, m["id"], "复盘投诉", "lead", "2026-11-20", "sup")  # not due yet
    found = {w.title_en: w.count for w in _waiting(fw, acme, "lead")}
    assert found["Overdue action items"] == 1
    assert "Overdue action items" not in {w.title_en for w in _waiting(fw, acme, "sup")}


def test_the_monthly_service_quality_report_waits_until_handed_in(fw, acme, clock):
    assert "Monthly service-quality report to hand in" in {w.title_en for w in _waiting(fw, acme, "lead")}
    assert not any("reports" in w.url for w in _waiting(fw, acme, "sup"))  # not late before the 22nd
    clock.now = dt.datetime(2026, 11, 23, 9, 0)
    late = {w.title_en: w.count for w in _waiting(fw, acme, "sup")}
    assert late["Service-quality reports past their day"] == 1
    reports.hand_in(fw, acme, "2026-11", "本月服务质量：满意度 96%……", fw.users.get("lead"))
    assert not any("reports" in w.url for w in _waiting(fw, acme, "lead") + _waiting(fw, acme, "sup"))
