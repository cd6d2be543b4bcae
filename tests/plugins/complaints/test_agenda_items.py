"""What complaints offers a meeting's agenda (issue 15 item 5, the platform's `agenda_items`): the
complaints near or past their deadline for the morning briefing, those open for a shift
handover, last week's for the weekly meeting, the month's review for the monthly one."""

import datetime as dt

from floorwalker.core import AgendaItem
from floorwalker.core.plugins import collect
from floorwalker.plugins.complaints import handling, pack, records


def offered(fw, kind, day=dt.date(2026, 11, 16), user="sup"):
    project = fw.projects.get("acme")
    return collect(fw.project_hook(project, "agenda_items"), AgendaItem, floorwalker=fw, project=project,
                   meeting={"kind": kind, "date": day.isoformat(), "time": "08:45"}, day=day,
                   user=fw.users.get(user))


def take(fw, received, subject, agent="1001"):
    return records.intake(fw, fw.projects.get("acme"), {"channel": "phone", "subject": subject,
                                                       "received": received, "agent": agent}, "desk")


def test_the_briefing_gets_the_complaints_near_and_past_their_deadline(fw, clock):
    take(fw, "2026-11-15 12:00", "退款未到账")  # 24 hours to answer: 2 hours left at 10:00
    take(fw, "2026-11-15 08:00", "坐席态度差")  # due at 08:00 today: past
    take(fw, "2026-11-16 09:00", "咨询发票")  # 23 hours left: not yet a worry
    (item,) = offered(fw, "briefing")
    assert (item.plugin, item.title_zh) == ("complaints", "即将超时或已超时的投诉")
    assert [r["subject"] for r in item.context["late"]] == ["坐席态度差"]
    assert [r["subject"] for r in item.context["near"]] == ["退款未到账"]
    assert item.context["near"][0]["agent"] == "Li Lei"  # by name, not number


def test_nothing_near_a_deadline_offers_nothing(fw, clock):
    take(fw, "2026-11-16 09:00", "咨询发票")
    assert offered(fw, "briefing") == []


def test_the_handover_gets_every_open_complaint_and_not_the_closed(fw, clock):
    take(fw, "2026-11-16 09:00", "咨询发票")
    closed = take(fw, "2026-11-16 08:00", "重复扣费")
    project = fw.projects.get("acme")
    handling.verdict(fw, project, closed["id"], "invalid", "核实无误", "sup")
    handling.close(fw, project, closed["id"], "satisfied", "desk")
    (item,) = offered(fw, "handover")
    assert [r["subject"] for r in item.context["rows"]] == ["咨询发票"]
    assert item.context["rows"][0]["due"]  # its next deadline is shown


def test_the_weekly_meeting_gets_last_weeks_complaints(fw, clock):
    take(fw, "2026-11-10 09:00", "上周的投诉")
    take(fw, "2026-11-16 08:30", "本周的投诉")
    (item,) = offered(fw, "weekly")
    assert [r["subject"] for r in item.context["rows"]] == ["上周的投诉"]
    assert (item.context["first"], item.context["last"]) == ("2026-11-09", "2026-11-15")


def test_the_monthly_meeting_gets_the_review_pack_in_short(fw, clock):
    take(fw, "2026-11-03 09:00", "坐席态度差")
    pack.save_note(fw, fw.projects.get("acme"), "2026-11", "每周抽听服务态度类录音", "sup")
    (item,) = offered(fw, "monthly", dt.date(2026, 11, 20))
    assert item.context["received"] == 1 and item.context["prevention"] == "每周抽听服务态度类录音"
    assert any(k["title_zh"] == "投诉量" or k["title_en"].startswith("Complaints") for k in item.context["kpis"])
    assert offered(fw, "qa_analysis") == []
