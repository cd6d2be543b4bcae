"""The holiday calendar: which days are worked, from the shipped 2026 arrangement and an
administrator's edits."""

from datetime import date

import pytest

from floorwalker.core import ValidationError
from floorwalker.plugins.attendance.calendar import HolidayCalendar


@pytest.fixture(scope="module")
def cn2026():
    return HolidayCalendar.load("cn-2026")


@pytest.mark.parametrize("day, holiday, workday", [
    (date(2026, 10, 1), True, False),    # National Day, a Thursday
    (date(2026, 2, 16), True, False),    # Spring Festival eve, a Monday
    (date(2026, 2, 23), True, False),    # last day of the Spring Festival break
    (date(2026, 2, 24), False, True),    # first working day after it
    (date(2026, 2, 14), False, True),    # make-up Saturday before the Spring Festival
    (date(2026, 9, 20), False, True),    # make-up Sunday before National Day
    (date(2026, 3, 7), False, False),    # an ordinary Saturday
    (date(2026, 3, 8), False, False),    # an ordinary Sunday
    (date(2026, 3, 10), False, True),    # an ordinary Tuesday
])
def test_the_2026_arrangement(cn2026, day, holiday, workday):
    assert cn2026.is_holiday(day) is holiday
    assert cn2026.is_workday(day) is workday


def test_the_shipped_file_counts_the_official_days(cn2026):
    assert len(cn2026.holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert len(cn2026.workdays) == 6
    assert all(day.weekday() >= 5 for day in cn2026.workdays)


def test_an_edit_adds_a_local_holiday_and_keeps_the_rest(cn2026):
    edited = cn2026.merge({"holidays": [{"name": "company day", "from": "2026-03-10"}]})
    assert edited.is_holiday(date(2026, 3, 10)) and not edited.is_workday(date(2026, 3, 10))
    assert edited.is_holiday(date(2026, 10, 1))
    assert not cn2026.is_holiday(date(2026, 3, 10))  # the original is unchanged


def test_an_edit_turns_a_holiday_into_a_make_up_workday_and_back(cn2026):
    worked = cn2026.merge({"workdays": ["2026-10-03"]})
    assert worked.is_workday(date(2026, 10, 3)) and not worked.is_holiday(date(2026, 10, 3))
    ordinary = worked.merge({"ordinary": ["2026-10-03"]})
    assert not ordinary.is_workday(date(2026, 10, 3))  # a plain Saturday again
    assert not ordinary.is_holiday(date(2026, 10, 3))


@pytest.mark.parametrize("data, problem", [
    ({"workdays": ["2026-03-10"]}, "falls on a weekday"),
    ({"workdays": ["2026-3-7x"]}, "is not a date"),
    ({"holidays": [{"name": "x", "from": "2026-05-05", "to": "2026-05-01"}]}, "ends on"),
    ({"holidays": ["2026-03-07"], "workdays": ["2026-03-07"]}, "both a holiday"),
])
def test_impossible_data_is_refused(data, problem):
    with pytest.raises(ValidationError) as err:
        HolidayCalendar.from_data(data)
    assert problem in str(err.value)
    assert err.value.message("zh_CN").startswith("节假日日历")


def test_an_unknown_calendar_name_is_refused():
    with pytest.raises(ValidationError, match="no holiday data named"):
        HolidayCalendar.load("xx-1999")
