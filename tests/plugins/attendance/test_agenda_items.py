"""What attendance offers a meeting's agenda (issue 15 item 5, the platform's `agenda_items`):
yesterday's figures and today's leave, absences and swaps for the morning briefing, last week
per team for the weekly meeting, the shift's attendance for a handover — all from the sheet."""

import datetime as dt

import pytest

from floorwalker.core import AgendaItem
from floorwalker.core.plugins import collect
from floorwalker.core.projects import Projects
from floorwalker.plugins.attendance import leave, swaps
from floorwalker.plugins.attendance.requests import leave_title

BRIEFING = dt.datetime(2026, 3, 4, 8, 45)  # a Wednesday, before the day shift's roll-call is due


@pytest.fixture
def floor(co, monkeypatch):
    """Tuesday the 3rd: Li on time, Han 12 minutes late, Wang absent. Wednesday the 4th: Han on
    approved leave; Li's day shift swapped with Zhao's of the 5th."""
    co.rota(("1001", "2026-03-03", "D"), ("1002", "2026-03-03", "D"), ("1003", "2026-03-03", "D"),
            ("1001", "2026-03-04", "D"), ("1002", "2026-03-04", "D"), ("1004", "2026-03-04", None),
            ("1001", "2026-03-05", None), ("1004", "2026-03-05", "D"))
    co.punch("1001", "2026-03-03 07:50", "2026-03-03 17:05")
    co.punch("1002", "2026-03-03 08:12", "2026-03-03 17:02")
    asked = leave.request(co.fw, co.project, "1002", "personal", co.agent("1002"), "2026-03-04",
                          asked_at=dt.datetime(2026, 2, 27, 9, 0))
    leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    swap = swaps.ask(co.fw, co.project, co.agent("1001"), "1001", "2026-03-04", "1004", "2026-03-05")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1004"))
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "eve")
    monkeypatch.setattr(Projects, "now", lambda self, project: BRIEFING)
    return co


def offered(co, kind, day=BRIEFING.date(), time="08:45"):
    return collect(co.fw.project_hook(co.project, "agenda_items"), AgendaItem, floorwalker=co.fw,
                   project=co.project, meeting={"kind": kind, "date": day.isoformat(), "time": time}, day=day,
                   user=co.sup)


def test_the_briefing_gets_yesterdays_figures_with_who_was_late_or_absent(floor):
    yesterday, today = offered(floor, "briefing")
    assert (yesterday.plugin, yesterday.title_zh) == ("attendance", "昨日出勤")
    figures = yesterday.context["figures"]
    assert (figures["due"], figures["present"], figures["late"], figures["absent"]) == (3, 2, 1, 1)
    assert figures["attendance_rate"] == 66.7
    assert {(p["name"], p["state"], p["late"]) for p in yesterday.context["people"]} == \
        {("Han", "late", 12), ("Wang", "absent", 0)}


def test_the_briefing_gets_todays_leave_and_swaps(floor):
    _, today = offered(floor, "briefing")
    # at 08:45 the day shift has begun: Zhao, who works Li's shift, has not punched in yet
    assert [(p["name"], p["state"], p["leave"]) for p in today.context["people"]] == \
        [("Zhao", "not_in", ""), ("Han", "on_leave", leave_title("personal"))]
    ((first, second),) = today.context["swaps"]
    assert (first["name"], first["date"], second["name"], second["date"]) == \
        ("Li", "2026-03-04", "Zhao", "2026-03-05")


def test_the_weekly_meeting_gets_last_week_per_team(floor, monkeypatch):
    monkeypatch.setattr(Projects, "now", lambda self, project: dt.datetime(2026, 3, 9, 16, 0))
    (item,) = offered(floor, "weekly", dt.date(2026, 3, 9), "16:30")
    assert (item.context["first"], item.context["last"]) == ("2026-03-02", "2026-03-08")
    by_team = {t["team"]: t for t in item.context["teams"]}
    # Han late on the 3rd and on leave the 4th; Li absent on the 5th (the shift Li swapped for)
    assert (by_team["Day"]["late"], by_team["Day"]["absent"], by_team["Day"]["on_leave"]) == (1, 1, 1)
    assert by_team["Evening"]["absent"] == 2  # Wang on the 3rd, Zhao on the 4th
    assert item.context["whole"]["due"] == 5


def test_the_handover_gets_the_shift_at_the_meeting(floor):
    (item,) = offered(floor, "handover", time="08:00")
    (group,) = item.context["groups"]
    assert group["shift"] == "Day"
    assert sorted((p["name"], p["state"]) for p in group["people"]) == [("Han", "on_leave"), ("Zhao", "not_in")]


def test_other_meetings_get_nothing_from_attendance(floor):
    assert offered(floor, "monthly", dt.date(2026, 3, 20)) == []
    assert offered(floor, "qa_analysis") == []
