"""The month's sheet through the store and the ledger: lateness and early leave, night shifts,
absence, excuses and leaders' marks, as `sheet.settle` writes them."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.attendance import leave, roster, sheet

DAY = "2026-03-02"  # a Monday
EVIDENCE = f"attendance:day:1001:{DAY}"


@pytest.mark.parametrize("arrived, points, disciplinary", [
    ("08:00:59", None, False), ("08:01", -2, False), ("08:05", -2, False), ("08:06", -3, False),
    ("08:10", -3, False), ("08:11", -4, False), ("08:19", -4, False), ("08:20", -5, True),
    ("09:30", -5, True)])
def test_lateness_is_settled_by_band_and_disciplinary_from_20_minutes(co, arrived, points,
                                                                      disciplinary):
    co.rota(("1001", DAY, "D"))
    co.punch("1001", f"{DAY} {arrived}", f"{DAY} 17:00")
    row = co.row("1001", DAY)
    assert row["status"] == "present"
    assert row["disciplinary"] is disciplinary
    co.settle("2026-03")
    want = [("late_or_early", points, DAY, EVIDENCE)] if points else []
    assert co.active("1001", "2026-03") == want


def test_late_grace_of_the_shift_is_taken_off_the_minutes(co):
    roster.save_shift(co.fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00", late_grace=5),
                      "setup")
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1001", f"{DAY} 08:05", f"{DAY} 17:00")
    co.punch("1002", f"{DAY} 08:25", f"{DAY} 17:00")
    assert co.row("1001", DAY)["late"] == 0
    assert (co.row("1002", DAY)["late"], co.row("1002", DAY)["disciplinary"]) == (20, True)
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == []
    assert [e[:2] for e in co.active("1002", "2026-03")] == [("late_or_early", -5)]


def test_project_bands_and_disciplinary_threshold_are_settings(co):
    co.configure(late_bands=[[1, -2], [16, -5]], disciplinary_minutes=30)
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1001", f"{DAY} 08:15", f"{DAY} 17:00")
    co.punch("1002", f"{DAY} 08:25", f"{DAY} 17:00")
    co.settle("2026-03")
    assert [e[:2] for e in co.active("1001", "2026-03")] == [("late_or_early", -2)]
    assert [e[:2] for e in co.active("1002", "2026-03")] == [("late_or_early", -5)]
    assert co.row("1002", DAY)["disciplinary"] is False


def test_project_refuses_bands_outside_the_rule(co):
    with pytest.raises(ValidationError):
        co.configure(late_bands=[[1, -6]])
    with pytest.raises(ValidationError):
        co.configure(late_bands=[[5, -2], [3, -3]])


@pytest.mark.parametrize("left, early, points", [
    ("17:00", 0, None), ("16:59", 1, -2), ("16:55", 5, -2), ("16:54", 6, -3), ("16:40", 20, -5)])
def test_early_leave_uses_the_same_bands(co, left, early, points):
    co.rota(("1001", DAY, "D"))
    co.punch("1001", f"{DAY} 07:45", f"{DAY} {left}")
    row = co.row("1001", DAY)
    assert (row["early"], row["late"]) == (early, 0)
    assert row["disciplinary"] is False  # leaving early is banded, never disciplinary by itself
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == ([("late_or_early", points, DAY, EVIDENCE)] if points else [])


def test_early_grace_and_late_plus_early_give_two_events(co):
    roster.save_shift(co.fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00", early_grace=5),
                      "setup")
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1001", f"{DAY} 07:45", f"{DAY} 16:55")
    co.punch("1002", f"{DAY} 08:12", f"{DAY} 16:50")
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == []
    assert [e[:2] for e in co.active("1002", "2026-03")] == [("late_or_early", -4),
                                                             ("late_or_early", -2)]


# ------------------------------------------------------------------ night shifts


def test_night_shift_punches_after_midnight_belong_to_it(co):
    co.rota(("1003", "2026-03-03", "N"), ("1003", "2026-03-04", None))
    co.punch("1003", "2026-03-03 21:45", "2026-03-04 06:00")
    row = co.row("1003", "2026-03-03")
    assert (row["status"], row["late"], row["early"], row["missing_punch"]) == ("present", 0, 0, None)
    assert row["worked"] == 495
    assert co.row("1003", "2026-03-04")["status"] == "rest"
    co.settle("2026-03")
    assert co.active("1003", "2026-03") == []


def test_night_shift_check_in_after_midnight_is_late_from_22_00(co):
    co.rota(("1003", "2026-03-03", "N"))
    co.punch("1003", "2026-03-04 00:10", "2026-03-04 06:00")
    row = co.row("1003", "2026-03-03")
    assert (row["late"], row["disciplinary"]) == (130, True)


def test_night_shift_across_the_month_end(co):
    co.rota(("1003", "2026-11-30", "N"), ("1004", "2026-11-30", "N"))
    co.punch("1003", "2026-11-30 21:50", "2026-12-01 06:00")
    co.punch("1004", "2026-11-30 22:25", "2026-12-01 05:58")
    rows = {r["agent"]: r for r in sheet.month_rows(co.fw, co.project, "2026-11", co.later)}
    assert (rows["1003"]["status"], rows["1003"]["check_out"].isoformat()) == (
        "present", "2026-12-01T06:00:00")
    assert (rows["1004"]["late"], rows["1004"]["early"]) == (25, 2)
    co.settle("2026-11")
    co.settle("2026-12")
    assert co.active("1003", "2026-11") == []
    assert co.active("1004", "2026-11") == [
        ("late_or_early", -5, "2026-11-30", "attendance:day:1004:2026-11-30"),
        ("late_or_early", -2, "2026-11-30", "attendance:day:1004:2026-11-30")]
    assert co.events("1003", "2026-12") == co.events("1004", "2026-12") == []


@pytest.mark.parametrize("check_out, flagged", [("06:00", False), ("06:01", True)])
def test_continuous_work_over_8_hours_and_the_tolerance_is_flagged(co, check_out, flagged):
    co.rota(("1003", "2026-03-03", "N"))
    co.punch("1003", "2026-03-03 21:45", f"2026-03-04 {check_out}")
    row = co.row("1003", "2026-03-03")
    assert row["over_limit"] is flagged  # roll-call from 21:45 is not counted; 480 is the edge
    assert row["worked"] == (496 if flagged else 495)


# ------------------------------------------------------------------ absence


def test_no_punch_and_no_leave_is_absent_minus_20(co):
    co.rota(("1001", DAY, "D"), ("1001", "2026-03-03", None))
    assert co.row("1001", DAY)["status"] == "absent"
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == [("absent", -20, DAY, EVIDENCE)]


def test_the_projects_rule_points_bound_what_a_day_writes(co):
    co.fw.projects.configure("alpha", "core", {"rule_points": {"absent": -15,
                                                               "late_or_early": [-4, -2]}}, "setup")
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1002", f"{DAY} 08:25", f"{DAY} 17:00")
    co.settle("2026-03")
    assert [e[:2] for e in co.active("1001", "2026-03")] == [("absent", -15)]
    assert [e[:2] for e in co.active("1002", "2026-03")] == [("late_or_early", -4)]


def test_pending_leave_stays_absent_until_approved_then_the_absence_is_reversed(co):
    co.rota(("1001", DAY, "D"))
    asked = leave.request(co.fw, co.project, "1001", "personal", co.agent("1001"), DAY,
                          asked_at=dt.datetime(2026, 2, 27, 9, 0))
    co.settle("2026-03")
    assert co.row("1001", DAY)["status"] == "absent"
    assert [e[:2] for e in co.active("1001", "2026-03")] == [("absent", -20)]

    leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    assert co.settle("2026-03") == {"written": 0, "reversed": 1}
    assert co.row("1001", DAY)["status"] == "on_leave"
    assert co.active("1001", "2026-03") == []
    events = co.events("1001", "2026-03")
    (original,) = [e for e in events if not e["reverses"]]
    (reversal,) = [e for e in events if e["reverses"]]
    assert (reversal["reverses"], reversal["points"], reversal["evidence"]) == (
        original["id"], 20, EVIDENCE)


def test_settling_twice_writes_nothing_the_second_time(co):
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1002", f"{DAY} 08:30", f"{DAY} 17:00")
    assert co.settle("2026-03") == {"written": 2, "reversed": 0}
    files = {k: co.fw.store.read(k).generation for k in co.fw.store.keys("projects/alpha")}
    assert co.settle("2026-03") == {"written": 0, "reversed": 0}
    assert {k: co.fw.store.read(k).generation for k in co.fw.store.keys("projects/alpha")} == files


def test_a_punch_added_later_replaces_the_absence_with_the_lateness(co):
    co.rota(("1001", DAY, "D"))
    co.settle("2026-03")
    co.punch("1001", f"{DAY} 08:07", f"{DAY} 17:00")
    assert co.settle("2026-03") == {"written": 1, "reversed": 1}
    assert co.active("1001", "2026-03") == [("late_or_early", -3, DAY, EVIDENCE)]


# ------------------------------------------------------------------ excuses


def test_an_accepted_excuse_reverses_the_days_event_and_the_month_shows_it(co):
    co.rota(("1001", DAY, "D"))
    co.punch("1001", f"{DAY} 08:25", f"{DAY} 17:00")
    co.settle("2026-03")
    sheet.ask_excuse(co.fw, co.project, "1001", DAY, "the train stopped", "12306 notice",
                     co.agent("1001"))
    assert [r["agent"] for r in sheet.pending_excuses(sheet.month_rows(co.fw, co.project, "2026-03"))] == ["1001"]
    with pytest.raises(PermissionDenied):
        sheet.decide_excuse(co.fw, co.project, "1001", DAY, True, co.tl_day)
    sheet.decide_excuse(co.fw, co.project, "1001", DAY, True, co.sup)
    assert co.active("1001", "2026-03") == []
    (row,) = [r for r in co.fw.ledger.sheet("alpha", "2026-03") if r["number"] == "1001"]
    assert row["total"] == row["base"]
    (late,) = [e for e in row["events"] if not e["reverses"]]
    assert late["rule"] == "late_or_early" and late["reversed_by"] is not None
    assert co.settle("2026-03") == {"written": 0, "reversed": 0}


def test_a_rejected_excuse_needs_a_reason_and_leaves_the_event(co):
    co.rota(("1001", DAY, "D"))
    co.settle("2026-03")
    sheet.ask_excuse(co.fw, co.project, "1001", DAY, "overslept", "", co.agent("1001"))
    with pytest.raises(ValidationError) as refused:
        sheet.decide_excuse(co.fw, co.project, "1001", DAY, False, co.sup, "  ")
    assert refused.value.field == "reason"
    sheet.decide_excuse(co.fw, co.project, "1001", DAY, False, co.sup, "no proof")
    assert [e[:2] for e in co.active("1001", "2026-03")] == [("absent", -20)]
    with pytest.raises(Conflict):
        sheet.decide_excuse(co.fw, co.project, "1001", DAY, True, co.sup)


def test_an_excuse_needs_something_to_excuse_and_is_asked_for_oneself(co):
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1001", f"{DAY} 07:45", f"{DAY} 17:00")
    with pytest.raises(ValidationError):
        sheet.ask_excuse(co.fw, co.project, "1001", DAY, "just in case", "", co.agent("1001"))
    with pytest.raises(PermissionDenied):
        sheet.ask_excuse(co.fw, co.project, "1002", DAY, "for a friend", "", co.agent("1001"))
    with pytest.raises(ValidationError):
        sheet.ask_excuse(co.fw, co.project, "1002", DAY, " ", "", co.agent("1002"))


# ------------------------------------------------------------------ leaders' marks


def test_away_counts_from_6_minutes_and_is_disciplinary_from_20(co):
    with pytest.raises(ValidationError) as refused:
        sheet.record_mark(co.fw, co.project, "1001", DAY, "away", co.tl_day, "phone call", 5)
    assert refused.value.field == "minutes"
    six = sheet.record_mark(co.fw, co.project, "1001", DAY, "away", co.tl_day, "phone call", 6)
    nineteen = sheet.record_mark(co.fw, co.project, "1001", DAY, "away", co.tl_day, "smoking", 19)
    twenty = sheet.record_mark(co.fw, co.project, "1001", DAY, "away", co.tl_day, "smoking", 20)
    assert [m["disciplinary"] for m in (six, nineteen, twenty)] == [False, False, True]
    assert co.active("1001", "2026-03") == sorted(
        ("away_over_5min", -5, DAY, f"attendance:mark:{m['id']}") for m in (six, nineteen, twenty))
    assert [m["id"] for m in sheet.marks(co.fw, "alpha", "2026-03")] == sorted(
        m["id"] for m in (six, nineteen, twenty))


def test_cover_is_plus_5_and_a_missing_handover_minus_5(co):
    cover = sheet.record_mark(co.fw, co.project, "1002", DAY, "cover", co.tl_day, "took the night")
    handover = sheet.record_mark(co.fw, co.project, "1002", DAY, "handover", co.tl_day, "no log")
    assert co.active("1002", "2026-03") == sorted([
        ("covered_shift", 5, DAY, f"attendance:mark:{cover['id']}"),
        ("handover_log_missing", -5, DAY, f"attendance:mark:{handover['id']}")])


def test_a_mark_needs_a_note_and_a_known_kind(co):
    with pytest.raises(ValidationError) as refused:
        sheet.record_mark(co.fw, co.project, "1001", DAY, "cover", co.tl_day, "")
    assert refused.value.field == "note"
    with pytest.raises(ValidationError) as refused:
        sheet.record_mark(co.fw, co.project, "1001", DAY, "nap", co.tl_day, "asleep")
    assert refused.value.field == "kind"
    assert co.events("1001", "2026-03") == []


def test_a_kept_derivation_follows_every_change_and_hands_out_copies(co):
    co.rota(("1001", DAY, "D"))
    assert co.row("1001", DAY)["status"] == "absent"
    co.row("1001", DAY)["status"] = "scribbled on"  # a caller's copy, not the kept rows
    assert co.row("1001", DAY)["status"] == "absent"
    co.punch("1001", f"{DAY} 07:50", f"{DAY} 17:00")
    assert co.row("1001", DAY)["status"] == "present"
    co.rota(("1002", DAY, "D"))
    co.punch("1002", f"{DAY} 08:10", f"{DAY} 17:00")
    assert (co.row("1002", DAY)["late"], co.row("1002", DAY)["disciplinary"]) == (10, False)
    co.fw.projects.set("alpha", "attendance.disciplinary_minutes", 5, "sup")  # core.json changes
    assert co.row("1002", DAY)["disciplinary"] is True
