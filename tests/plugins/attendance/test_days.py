"""The agent-day rules: shifts across midnight, punch windows, lateness bands, leave, absence and
the score events a day causes."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from floorwalker.core import ValidationError
from floorwalker.plugins.attendance.days import (AgentDay, DaySettings, LeaveSpan, Shift,
                                                  continuous_work, derive_day, due_span,
                                                  score_for)

D = date(2026, 11, 3)
DAY_SHIFT = Shift("D", "day shift", time(8, 0), time(17, 0))
NIGHT_SHIFT = Shift("N", "night shift", time(22, 0), time(6, 0))
RULES = DaySettings()


def at(hh_mm: str, day: date = D) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm))


def day_with(check_in: datetime, check_out: datetime = at("17:00"), shift: Shift = DAY_SHIFT,
             leave: LeaveSpan | None = None, rules: DaySettings = RULES) -> AgentDay:
    return derive_day(D, shift, [check_in, check_out], leave, rules)


# shifts

def test_a_night_shift_crosses_midnight_and_ends_the_next_day():
    assert NIGHT_SHIFT.crosses_midnight and not DAY_SHIFT.crosses_midnight
    assert NIGHT_SHIFT.span(D) == (at("22:00"), at("06:00", D + timedelta(days=1)))
    assert DAY_SHIFT.span(D) == (at("08:00"), at("17:00"))


def test_a_shift_ending_when_it_starts_lasts_24_hours():
    whole_day = Shift("24", "24 hours", time(8, 0), time(8, 0))
    assert whole_day.span(D) == (at("08:00"), at("08:00", D + timedelta(days=1)))


def test_the_punch_window_reaches_before_the_start_and_after_the_end():
    assert DAY_SHIFT.punch_window(D) == (at("06:00"), at("19:00"))


@pytest.mark.parametrize("name, label", [
    ("late_grace", "late grace"), ("early_grace", "early grace"),
    ("punch_before", "punch window before the start"),
    ("punch_after", "punch window after the end")])
def test_negative_minutes_on_a_shift_are_refused(name, label):
    with pytest.raises(ValidationError) as caught:
        Shift("D", "day", time(8), time(17), **{name: -1})
    assert str(caught.value) == f"{label}: must be 0 minutes or more, got -1"


# lateness, bands and the disciplinary threshold

@pytest.mark.parametrize("minutes_late, points, disciplinary", [
    (0, 0, False), (1, -2, False), (5, -2, False), (6, -3, False), (10, -3, False),
    (11, -4, False), (19, -4, False), (20, -5, True), (45, -5, True)])
def test_lateness_falls_in_its_band(minutes_late, points, disciplinary):
    day = day_with(at("08:00") + timedelta(minutes=minutes_late))
    assert day.status == "present"
    assert (day.late_minutes, day.disciplinary) == (minutes_late, disciplinary)
    assert score_for(day, RULES) == ([("late_or_early", points)] if points else [])


def test_seconds_are_dropped_like_a_punch_clock_does():
    assert day_with(at("08:00:59")).late_minutes == 0
    assert day_with(at("08:05:59")).late_minutes == 5
    assert day_with(at("08:00"), at("16:59:01")).early_minutes == 1
    assert not day_with(at("07:50:30")).missed_roll_call
    assert derive_day(D, DAY_SHIFT, [at("19:00:59")], None, RULES).status == "present"


@pytest.mark.parametrize("minutes_late, late_minutes, disciplinary", [
    (3, 0, False), (4, 1, False), (22, 19, False), (23, 20, True)])
def test_grace_is_taken_off_before_bands_and_the_disciplinary_threshold(minutes_late, late_minutes,
                                                                          disciplinary):
    lenient = Shift("D", "day", time(8), time(17), late_grace=3)
    day = day_with(at("08:00") + timedelta(minutes=minutes_late), shift=lenient)
    assert (day.late_minutes, day.disciplinary) == (late_minutes, disciplinary)


@pytest.mark.parametrize("minutes_early, points", [
    (0, 0), (1, -2), (5, -2), (6, -3), (10, -3), (11, -4), (19, -4), (20, -5), (45, -5)])
def test_early_leave_falls_in_its_band(minutes_early, points):
    day = day_with(at("07:45"), at("17:00") - timedelta(minutes=minutes_early))
    assert (day.early_minutes, day.late_minutes, day.disciplinary) == (minutes_early, 0, False)
    assert score_for(day, RULES) == ([("late_or_early", points)] if points else [])


def test_early_grace_forgives_the_first_minutes():
    lenient = Shift("D", "day", time(8), time(17), early_grace=2)
    assert day_with(at("07:45"), at("16:58"), shift=lenient).early_minutes == 0
    assert day_with(at("07:45"), at("16:57"), shift=lenient).early_minutes == 1


def test_late_and_early_on_one_day_are_two_events():
    day = day_with(at("08:07"), at("16:58"))
    assert score_for(day, RULES) == [("late_or_early", -3), ("late_or_early", -2)]


def test_a_project_sets_its_own_bands_and_threshold():
    strict = DaySettings(late_bands=((1, -3), (10, -5)), disciplinary_minutes=10)
    day = day_with(at("08:10"), rules=strict)
    assert day.disciplinary and score_for(day, strict) == [("late_or_early", -5)]
    assert score_for(day_with(at("08:09"), rules=strict), strict) == [("late_or_early", -3)]


@pytest.mark.parametrize("bands", [(), ((0, -2),), ((6, -3), (1, -2)), ((1, -2), (1, -3)),
                                   ((1, -1),), ((1, -6),)])
def test_bands_the_rule_cannot_take_are_refused(bands):
    with pytest.raises(ValidationError) as caught:
        DaySettings(late_bands=bands)
    assert caught.value.field == "late bands"


# roll-call and the continuous-work limit

@pytest.mark.parametrize("minutes_before, missed", [(0, True), (9, True), (10, False), (11, False)])
def test_roll_call_wants_the_agent_10_minutes_before_the_start(minutes_before, missed):
    day = day_with(at("08:00") - timedelta(minutes=minutes_before))
    assert (day.missed_roll_call, day.late_minutes) == (missed, 0)
    assert score_for(day, RULES) == []  # a flag, not points


def test_a_night_shift_across_midnight_is_one_day_of_work():
    day = derive_day(D, NIGHT_SHIFT, [at("21:55"), at("06:02", D + timedelta(days=1))], None, RULES)
    assert (day.status, day.late_minutes, day.early_minutes) == ("present", 0, 0)
    # 22:00 to 06:02 is 2 minutes over 8 hours: flagged, as the rulebook has no tolerance
    assert day.worked_minutes == 487 and day.over_continuous_limit
    assert day.missed_roll_call  # 5 minutes before is not 10
    assert score_for(day, RULES) == []


@pytest.mark.parametrize("check_out, over", [("16:00", False), ("16:01", True)])
def test_more_than_8_hours_in_a_row_is_flagged_past_the_tolerance(check_out, over):
    # 480 minutes is the limit, with no tolerance by default (a project may add one:
    # test_rulebook_rules.py)
    day = day_with(at("08:00"), at(check_out))
    assert day.over_continuous_limit is over


@pytest.mark.parametrize("check_out, over", [("17:00", False), ("17:01", True)])
def test_roll_call_and_the_meal_break_are_not_continuous_work(check_out, over):
    with_break = Shift("D", "day shift", time(8, 0), time(17, 0), break_minutes=60)
    day = day_with(at("07:45"), at(check_out), shift=with_break)
    assert day.over_continuous_limit is over  # 08:00 to 17:01 less 60 = 481 > 480


# punch windows

def test_last_nights_check_out_does_not_count_for_this_mornings_day_shift():
    day_shift = Shift("D9", "day shift", time(9), time(18))
    last_night_out = at("06:02")
    day = derive_day(D, day_shift, [last_night_out, at("09:12"), at("18:00")], None, RULES)
    assert (day.check_in, day.late_minutes) == (at("09:12"), 12)
    assert derive_day(D, day_shift, [last_night_out], None, RULES).status == "absent"


@pytest.mark.parametrize("punch, counted", [
    ("05:59", False), ("06:00", True), ("19:00", True), ("19:01", False)])
def test_the_window_edges_are_included(punch, counted):
    day = derive_day(D, DAY_SHIFT, [at(punch)], None, RULES)
    assert (day.status == "present") == counted


def test_the_first_punch_is_the_check_in_and_the_last_the_check_out():
    punches = [at("17:05"), at("12:00"), at("07:40"), at("13:00")]
    day = derive_day(D, DAY_SHIFT, punches, None, RULES)
    assert (day.check_in, day.check_out, day.worked_minutes) == (at("07:40"), at("17:05"), 565)


# single punch

@pytest.mark.parametrize("punch, missing, late, early", [
    ("07:45", "out", 0, 0), ("08:30", "out", 30, 0), ("16:30", "in", 0, 30), ("17:10", "in", 0, 0)])
def test_a_single_punch_is_present_with_the_missing_side_named(punch, missing, late, early):
    day = derive_day(D, DAY_SHIFT, [at(punch)], None, RULES)
    assert (day.status, day.missing_punch, day.worked_minutes) == ("present", missing, 0)
    assert (day.late_minutes, day.early_minutes) == (late, early)
    assert day.missed_roll_call == (missing == "in" or late > 0)


def test_two_punches_leave_nothing_missing():
    assert day_with(at("07:45")).missing_punch is None


# rest, leave and absence

def test_no_shift_is_a_rest_day_whatever_was_punched():
    day = derive_day(D, None, [at("08:00")], None, RULES)
    assert day.status == "rest" and score_for(day, RULES) == []


def test_scheduled_without_a_punch_or_leave_is_absent():
    day = derive_day(D, DAY_SHIFT, [], None, RULES)
    assert day.status == "absent" and score_for(day, RULES) == [("absent", -20)]


def test_leave_covering_the_whole_shift_is_on_leave():
    leave = LeaveSpan(at("08:00"), at("17:00"))
    day = derive_day(D, DAY_SHIFT, [], leave, RULES)
    assert day.status == "on_leave" and score_for(day, RULES) == []


def test_leave_covering_only_the_morning_does_not_excuse_a_no_show():
    leave = LeaveSpan(at("08:00"), at("12:00"))
    assert derive_day(D, DAY_SHIFT, [], leave, RULES).status == "absent"


@pytest.mark.parametrize("check_in, late, disciplinary", [
    ("11:55", 0, False), ("12:00", 0, False), ("12:19", 19, False), ("12:20", 20, True)])
def test_leave_covering_the_start_excuses_lateness_up_to_its_end(check_in, late, disciplinary):
    leave = LeaveSpan(at("07:30"), at("12:00"))
    day = day_with(at(check_in), leave=leave)
    assert (day.late_minutes, day.disciplinary, day.missed_roll_call) == (late, disciplinary, False)


@pytest.mark.parametrize("check_out, early", [("15:00", 0), ("14:55", 5)])
def test_leave_covering_the_end_excuses_early_leave_up_to_its_start(check_out, early):
    leave = LeaveSpan(at("15:00"), at("18:00"))
    assert day_with(at("07:45"), at(check_out), leave=leave).early_minutes == early


@pytest.mark.parametrize("punch, missing", [("12:10", "out"), ("14:29", "out"), ("14:30", "in")])
def test_a_single_punch_after_morning_leave_is_judged_against_the_afternoon(punch, missing):
    leave = LeaveSpan(at("08:00"), at("12:00"))
    assert derive_day(D, DAY_SHIFT, [at(punch)], leave, RULES).missing_punch == missing


def test_leave_elsewhere_in_the_day_excuses_nothing():
    leave = LeaveSpan(at("12:00"), at("13:00"))
    day = day_with(at("08:25"), at("16:50"), leave=leave)
    assert (day.late_minutes, day.early_minutes, day.disciplinary) == (25, 10, True)


def test_leave_must_end_after_it_starts():
    with pytest.raises(ValidationError) as caught:
        LeaveSpan(at("12:00"), at("12:00"))
    assert caught.value.field == "leave period"


# properties

SHIFTS = st.builds(
    Shift, st.just("S"), st.just("shift"),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    late_grace=st.integers(0, 15), early_grace=st.integers(0, 15),
    punch_before=st.integers(0, 240), punch_after=st.integers(0, 240))
MOMENTS = st.datetimes(min_value=at("00:00") - timedelta(days=1),
                       max_value=at("00:00") + timedelta(days=3))


@st.composite
def leaves(draw):
    start = draw(MOMENTS)
    return LeaveSpan(start, start + draw(st.timedeltas(timedelta(minutes=1), timedelta(days=2))))


@hypothesis_settings(max_examples=300, deadline=None)
@given(shift=st.none() | SHIFTS, punches=st.lists(MOMENTS, max_size=6),
       leave=st.none() | leaves())
def test_every_day_is_consistent(shift, punches, leave):
    day = derive_day(D, shift, punches, leave, RULES)
    assert day.worked_minutes >= 0 and day.late_minutes >= 0 and day.early_minutes >= 0
    if shift is None:
        assert day.status == "rest"
        return
    first, last = shift.punch_window(D)
    start, end = shift.span(D)
    in_window = [p for p in punches if first <= p.replace(second=0, microsecond=0) <= last]
    whole_leave = leave is not None and leave.start <= start and end <= leave.end
    assert (day.status == "absent") == (not in_window and not whole_leave)
    assert (day.status == "on_leave") == whole_leave
    continuous = continuous_work(day.check_in, day.check_out, due_span(start, end, leave)[0], 0)
    assert day.over_continuous_limit == (continuous > 480)
    assert day.disciplinary == (day.late_minutes >= 20)
    events = score_for(day, RULES)
    assert all(rule == "late_or_early" and -5 <= points <= -2 for rule, points in events) \
        or events == [("absent", -20)]
