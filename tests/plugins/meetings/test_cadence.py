"""When the meetings of a month fall: the monthly meeting on the last Friday before the 25th,
moved to the working day before when that Friday is off (a make-up Saturday included), with the
State Council's real arrangements and an administrator's own."""

import datetime as dt

import pytest

from floorwalker.core import HolidayCalendar
from floorwalker.core.calendar import official_calendar
from floorwalker.plugins.meetings import cadence
from floorwalker.plugins.meetings.config import DEFAULT_CADENCE

PLAIN = HolidayCalendar()


@pytest.mark.parametrize("year, month, day", [
    (2026, 12, 18),  # the 25th is a Friday: the Friday before it
    (2026, 11, 20),  # the 25th is a Wednesday
    (2026, 10, 23),  # the 25th is a Sunday: the 23rd, two days before
    (2026, 9, 18),   # the 25th is a Friday again
    (2026, 7, 24),   # the 24th itself is a Friday
])
def test_the_last_friday_before_the_25th(year, month, day):
    assert cadence.monthly_meeting_day(year, month, PLAIN) == dt.date(year, month, day)


def test_a_holiday_friday_moves_to_the_working_day_before():
    # 2026: Dragon Boat Festival, Friday 19 June, is off: the Thursday before
    assert cadence.monthly_meeting_day(2026, 6, official_calendar()) == dt.date(2026, 6, 18)
    # and an administrator's own holiday (a company day) on Friday 20 November does the same
    company_day = HolidayCalendar().merge({"holidays": ["2026-11-20"]})
    assert cadence.monthly_meeting_day(2026, 11, company_day) == dt.date(2026, 11, 19)


def test_the_working_day_before_may_be_a_make_up_saturday():
    # 2026: Spring Festival from Sunday 15 February, Saturday 14 February worked (调休): the
    # meeting of Friday 20 February is held on that Saturday
    assert cadence.monthly_meeting_day(2026, 2, official_calendar()) == dt.date(2026, 2, 14)
    week_off = HolidayCalendar().merge({"holidays": [{"name": "x", "from": "2026-11-16", "to": "2026-11-20"}],
                                        "workdays": ["2026-11-14"]})
    assert cadence.monthly_meeting_day(2026, 11, week_off) == dt.date(2026, 11, 14)


def test_a_month_of_the_default_cadence():
    slots = cadence.plan(DEFAULT_CADENCE, "2026-06", official_calendar())
    kinds = {}
    for s in slots:
        kinds.setdefault(s.kind, []).append(s)
    assert [s.date for s in kinds["monthly"]] == [dt.date(2026, 6, 18)]
    assert len(kinds["handover"]) == 30 * 2  # every day, at both shift changes
    assert dt.date(2026, 6, 19) not in [s.date for s in kinds["briefing"]]  # no briefing on the holiday
    assert [s.date.day for s in kinds["weekly"]] == [1, 8, 15, 22, 29]  # Mondays
    assert [s.date for s in kinds["qa_analysis"]] == [dt.date(2026, 6, 10)]
    assert [s.date for s in kinds["review"]] == [dt.date(2026, 6, 30)]  # the half-year review
    assert "review" not in {s.kind for s in cadence.plan(DEFAULT_CADENCE, "2026-05", official_calendar())}


def test_a_weekly_meeting_on_a_holiday_moves_to_the_next_working_day_of_its_week():
    # Monday 5 October 2026 is in the National Day holiday (1–7 October): the meeting moves to
    # Thursday the 8th, the first working day of that week
    days = cadence.days_of({"when": "weekly", "day": 1}, 2026, 10, official_calendar())
    assert days == [dt.date(2026, 10, d) for d in (8, 12, 19, 26)]
