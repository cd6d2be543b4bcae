"""The staffing plan of a day: the forecast from the same weekday of past weeks (or typed by
hand), Erlang C against the contract's service level, shrinkage, and the agents the attendance
roster puts on the floor in each interval (through the platform's `agent_shifts`)."""

import datetime as dt

import pytest

from floorwalker.core import ValidationError
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.attendance import leave, roster
from floorwalker.plugins.reporting import staffing, traffic

DAY = dt.date(2026, 11, 16)  # a Monday


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager(builtins=["attendance", "reporting"])


@pytest.fixture
def hotline(fw):
    """The hotline with attendance on: a day shift 09:00–17:00, a late one 09:15–18:00."""
    fw.projects.enable("hotline", "attendance", "setup")
    for doc in (roster.shift_doc("D", "Day", "09:00", "17:00"),
                roster.shift_doc("L", "Late", "09:15", "18:00")):
        roster.save_shift(fw, "hotline", doc, "setup")
    return fw.projects.get("hotline")


def interval(day, start, offered, *, minutes=30, answered=None, aht=180):
    answered = offered if answered is None else answered
    return {"day": day.isoformat(), "start": start, "minutes": minutes, "offered": offered,
            "answered": answered, "talk_seconds": answered * aht, "hold_seconds": 0, "wrap_seconds": 0}


def history(fw, project, *weeks):
    """Traffic of the Mondays before DAY: *weeks* = the 09:00 offered calls, newest week first
    (None: no traffic that Monday at all)."""
    rows = [interval(DAY - dt.timedelta(weeks=n), "09:00", calls)
            for n, calls in enumerate(weeks, 1) if calls is not None]
    traffic.replace(fw, project, rows, "sup", "test")


def row(plan, start):
    return next(r for r in plan if r["start"] == start)


def test_required_from_the_average_of_the_same_weekday_of_the_last_four_weeks(fw, hotline):
    # 100 calls on average (a fifth week back is too old to count); AHT 180 s; 80 % in 20 s
    history(fw, hotline, 120, 80, 110, 90, 1000)
    (nine,) = staffing.day_plan(fw, hotline, DAY)
    assert (nine["start"], nine["end"], nine["calls"], nine["source"], nine["aht"]) == (
        "09:00", "09:30", 100.0, "history", 180)
    assert (nine["erlangs"], nine["agents"], nine["required"]) == (10.0, 14, 20)  # 30 % shrinkage
    assert nine["service_level"] == pytest.approx(0.888, abs=1e-3)
    assert (nine["scheduled"], nine["gap"], nine["short"]) == (0, -20, True)


def test_a_week_without_traffic_is_no_data_not_a_quiet_day(fw, hotline):
    history(fw, hotline, 120, None, 80, None)
    assert row(staffing.day_plan(fw, hotline, DAY), "09:00")["calls"] == 100.0
    traffic.replace(fw, hotline, [interval(DAY - dt.timedelta(weeks=2), "10:00", 40)], "sup", "test")
    # that Monday has traffic now: its 09:00 without a row counts as no calls there
    assert row(staffing.day_plan(fw, hotline, DAY), "09:00")["calls"] == pytest.approx(200 / 3, abs=0.1)


def test_an_hour_row_is_spread_over_its_half_hours(fw, hotline):
    traffic.replace(fw, hotline, [interval(DAY - dt.timedelta(weeks=1), "10:00", 200, minutes=60)],
                    "sup", "test")
    plan = staffing.day_plan(fw, hotline, DAY)
    assert [(r["start"], r["calls"]) for r in plan] == [("10:00", 100.0), ("10:30", 100.0)]


def test_scheduled_counts_the_rostered_agents_less_leave_part_of_an_interval_as_part(fw, hotline):
    history(fw, hotline, 100)
    monday = DAY.isoformat()
    roster.set_entries(fw, "hotline", [("1001", monday, "D"), ("1002", monday, "L"), ("1003", monday, "D")],
                       "sup")
    request = leave.request(fw, hotline, "1001", "annual", fw.users.get("hotline.agent"), monday,
                            asked_at=dt.datetime(2026, 11, 1, 9, 0))
    leave.decide(fw, hotline, request["id"], True, fw.users.get("hotline.supervisor"))
    plan = staffing.day_plan(fw, hotline, DAY)
    assert row(plan, "09:00")["scheduled"] == 1.5  # 1003 whole, 1002 from 09:15, 1001 on leave
    assert row(plan, "09:30")["scheduled"] == 2
    assert row(plan, "17:30") == {**row(plan, "17:30"), "calls": None, "required": None,
                                  "scheduled": 1, "gap": None, "short": False}
    assert row(plan, "09:00")["gap"] == -18.5


def test_a_forecast_typed_by_hand_wins_and_is_audited(fw, hotline):
    history(fw, hotline, 100)
    staffing.save_forecast(fw, hotline, DAY, {"09:00": ("20", "240"), "09:30": ("", "")}, "hotline.supervisor")
    nine = row(staffing.day_plan(fw, hotline, DAY), "09:00")
    assert (nine["calls"], nine["aht"], nine["source"], nine["erlangs"]) == (20.0, 240, "hand", 2.67)
    audited = [a for a in fw.store.audit_entries("projects/hotline/reporting_forecast")
               if a["action"] == "reporting.staffing.forecast"]
    assert [a["actor"] for a in audited] == ["hotline.supervisor"]


@pytest.mark.parametrize("entries, field", [({"09:00": ("-5", "")}, "calls"),
                                            ({"09:00": ("ten", "")}, "calls"),
                                            ({"09:00": ("10", "0")}, "AHT (seconds)"),
                                            ({"09:10": ("10", "")}, "interval")])
def test_bad_forecast_input_names_its_field(fw, hotline, entries, field):
    with pytest.raises(ValidationError) as caught:
        staffing.save_forecast(fw, hotline, DAY, entries, "hotline.supervisor")
    assert caught.value.field == field


def test_the_contracts_service_level_and_threshold_decide(fw, hotline, monkeypatch):
    history(fw, hotline, 100)
    monkeypatch.setattr(staffing.contracts, "version_on", lambda fw, project, day: {
        "targets": {"service_level": {"target": 0.9}}, "sl_threshold_seconds": 10})
    nine = row(staffing.day_plan(fw, hotline, DAY), "09:00")
    assert (nine["target"], nine["threshold"], nine["agents"]) == (0.9, 10, 15)


def test_the_summary_for_the_report(fw, hotline):
    history(fw, hotline, 100)
    traffic.replace(fw, hotline, [interval(DAY - dt.timedelta(weeks=1) + dt.timedelta(days=1), "09:00", 10)],
                    "sup", "test")
    found = staffing.summary(fw, hotline, DAY, DAY + dt.timedelta(days=1))
    assert [(d["day"], d["intervals"], d["short"], d["required_hours"]) for d in found["days"]] == [
        ("2026-11-16", 1, 1, 10.0), ("2026-11-17", 1, 1, 2.5)]  # 20 and 5 agents half an hour
    assert found["slots"] == [{"start": "09:00", "days": 2, "agents": 8.5, "required": 12.5, "scheduled": 0.0,
                               "gap": -12.5}]  # 14 and 3 on the phones
    assert (found["intervals"], found["short"]) == (2, 2)


def test_the_reports_summary_of_a_day_has_the_pages_numbers(fw, hotline):
    """One definition: required to roster (with shrinkage) against scheduled, to the same
    decimals — 1002 on from 09:20 is a third of the 09:00 half hour on both."""
    roster.save_shift(fw, "hotline", roster.shift_doc("T", "Twenty past", "09:20", "18:00"), "setup")
    history(fw, hotline, 100)
    roster.set_entries(fw, "hotline", [("1001", DAY.isoformat(), "D"), ("1002", DAY.isoformat(), "T")], "sup")
    page = {r["start"]: r for r in staffing.day_plan(fw, hotline, DAY) if r["required"] is not None}
    found = staffing.summary(fw, hotline, DAY, DAY)
    assert [(s["start"], s["agents"], s["required"], s["scheduled"], s["gap"]) for s in found["slots"]] == [
        (start, r["agents"], r["required"], r["scheduled"], r["gap"]) for start, r in page.items()]
    assert found["slots"][0]["scheduled"] == 1.33 and found["slots"][0]["required"] == 20  # 14 on the phones ÷ 0.7
    assert (found["short"], found["shrinkage"]) == (sum(r["short"] for r in page.values()), 0.3)


def test_the_chart_keeps_every_interval_between_its_first_and_its_last():
    from floorwalker.plugins.reporting import staffing_pages
    rows = [{"start": f"{h:02d}:{m:02d}", "minutes": 30, "required": None if h < 6 else 10, "scheduled": 9}
            for h in list(range(0, 6)) + list(range(8, 24)) for m in (0, 30)]
    svg = str(staffing_pages.chart(rows, "en", "Agents", "To roster", "Scheduled"))
    assert ">06:00</text>" in svg  # no row from 06:00 to 07:30: still on the time axis
    assert svg.count('class="bar"') == 44 + 32  # every row scheduled, those from 06:00 required: no bar made up
