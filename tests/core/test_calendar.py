"""The project's clock and the install's calendar: the official PRC arrangement (chinesecalendar)
under an administrator's edits, and business time on it — the boundaries a complaint clock or a
meeting cadence meets: a Friday evening, 国庆 with its make-up Saturday, paused spans, midnight,
and a floor in another time zone."""

from datetime import date, datetime, time, timedelta, timezone

import chinese_calendar
import pytest
from hypothesis import given, settings, strategies as st

from floorwalker.core import BusinessHours, Conflict, HolidayCalendar, NotFound, ValidationError
from floorwalker.core.calendar import HOLIDAY_NAMES, Calendar, local_now, official_calendar
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.core.store import CORE

from ..pgcluster import store_for

CN = official_calendar()
OFFICE = BusinessHours(CN)  # 09:00–18:00 on workdays
ROUND_THE_CLOCK = BusinessHours.parse("24x7", CN)
NIGHT_DESK = BusinessHours.parse("22:00-06:00", CN)  # opens on workdays, closes next morning

# 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04), as attendance shipped
# it in data/cn-2026.json before the calendar came from chinesecalendar
NOTICE_2026 = {
    "holidays": [("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"),
                 ("2026-04-04", "2026-04-06"), ("2026-05-01", "2026-05-05"),
                 ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
                 ("2026-10-01", "2026-10-07")],
    "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def fw(tmp_path):
    fw = Floorwalker(store_for(tmp_path), make_plugin_manager(builtins=()))
    fw.projects.create("alpha", "Alpha Bank", "setup")
    fw.projects.create("india", "India Desk", "setup", timezone="Asia/Kolkata")
    return fw


# ---------------------------------------------------------------- the official arrangement


def test_chinesecalendar_matches_the_2026_notice_day_for_day():
    holidays = set()
    for first, last in NOTICE_2026["holidays"]:
        day = date.fromisoformat(first)
        while day <= date.fromisoformat(last):
            holidays.add(day)
            day += timedelta(days=1)
    assert {d for d in CN.holidays if d.year == 2026} == holidays
    assert {d for d in CN.workdays if d.year == 2026} == set(map(date.fromisoformat, NOTICE_2026["workdays"]))


@pytest.mark.parametrize("day, holiday, workday", [
    (date(2026, 10, 1), True, False),    # National Day, a Thursday
    (date(2026, 2, 16), True, False),    # Spring Festival eve, a Monday
    (date(2026, 2, 23), True, False),    # last day of the Spring Festival break
    (date(2026, 2, 24), False, True),    # first working day after it
    (date(2026, 2, 14), False, True),    # make-up Saturday before the Spring Festival
    (date(2026, 9, 20), False, True),    # make-up Sunday before National Day
    (date(2026, 10, 10), False, True),   # make-up Saturday after it
    (date(2026, 3, 7), False, False),    # an ordinary Saturday
    (date(2026, 3, 10), False, True),    # an ordinary Tuesday
    (date(2004, 10, 1), True, False),    # the package reaches back to 2004
    (date(2099, 10, 1), False, True),    # a year nobody has published: its weekday decides
])
def test_the_official_arrangement(day, holiday, workday):
    assert CN.is_holiday(day) is holiday
    assert CN.is_workday(day) is workday


def test_every_official_holiday_name_has_a_translatable_title():
    assert set(chinese_calendar.holidays.values()) <= set(HOLIDAY_NAMES)


def test_the_calendar_page_lists_a_years_notice_as_ranges():
    notice = Calendar.official(2026)
    assert "国务院办公厅关于2026年部分节假日安排的通知" in notice["source"]
    assert [(h["from"], h["to"]) for h in notice["holidays"]] == NOTICE_2026["holidays"]
    assert notice["holidays"][-1]["name"] == "National Day"
    assert notice["workdays"] == NOTICE_2026["workdays"]
    assert Calendar.official(2099) is None


# ---------------------------------------------------------------- an administrator's edits


def test_an_edit_adds_a_local_holiday_and_keeps_the_rest():
    edited = CN.merge({"holidays": [{"name": "company day", "from": "2026-03-10"}]})
    assert edited.is_holiday(date(2026, 3, 10)) and not edited.is_workday(date(2026, 3, 10))
    assert edited.is_holiday(date(2026, 10, 1))
    assert not CN.is_holiday(date(2026, 3, 10))  # the original is unchanged


def test_an_edit_turns_a_holiday_into_a_make_up_workday_and_back():
    worked = CN.merge({"workdays": ["2026-10-03"]})
    assert worked.is_workday(date(2026, 10, 3)) and not worked.is_holiday(date(2026, 10, 3))
    ordinary = worked.merge({"ordinary": ["2026-10-03"]})
    assert not ordinary.is_workday(date(2026, 10, 3))  # a plain Saturday again
    assert not ordinary.is_holiday(date(2026, 10, 3))


@pytest.mark.parametrize("data, problem", [
    ({"workdays": ["2026-03-10"]}, "falls on a weekday"),
    ({"workdays": ["2026-3-7x"]}, "is not a date"),
    ({"holidays": [{"name": "x", "from": "2026-05-05", "to": "2026-05-01"}]}, "ends on"),
    ({"holidays": [{"name": "x", "from": "2026-01-01", "to": "2126-01-01"}]}, "longer than a year"),
    ({"holidays": ["2026-03-07"], "workdays": ["2026-03-07"]}, "both a holiday"),
])
def test_impossible_data_is_refused(data, problem):
    with pytest.raises(ValidationError) as err:
        HolidayCalendar.from_data(data)
    assert problem in str(err.value)
    assert err.value.message("zh_CN").startswith("节假日日历")


@pytest.mark.parametrize("day, n, expected", [
    (date(2026, 9, 30), 1, date(2026, 10, 8)),    # 国庆: the week off is skipped
    (date(2026, 10, 9), 1, date(2026, 10, 10)),   # Friday → the make-up Saturday
    (date(2026, 9, 18), 1, date(2026, 9, 20)),    # Friday → the make-up Sunday
    (date(2026, 10, 8), -1, date(2026, 9, 30)),   # backwards over the holiday
    (date(2026, 3, 13), 3, date(2026, 3, 18)),    # over an ordinary weekend
    (date(2026, 3, 14), 0, date(2026, 3, 14)),
])
def test_adding_workdays(day, n, expected):
    assert CN.add_workdays(day, n) == expected


def test_a_calendar_without_a_working_day_for_a_year_is_refused_not_looped():
    year_off = HolidayCalendar.from_data({"holidays": [{"from": "2030-01-01", "to": "2030-12-31"}]})
    with pytest.raises(ValidationError, match="no working day within a year"):
        year_off.merge({"holidays": [{"from": "2031-01-01", "to": "2031-06-30"}]}).add_workdays(
            date(2029, 12, 31), 1)


def test_edits_are_stored_in_core_and_audited(fw):
    calendar = fw.calendar.edit({"holidays": [{"name": " Company day ", "from": "2026-03-10"}],
                                 "workdays": [date(2026, 3, 14)]}, "admin")
    assert calendar.is_holiday(date(2026, 3, 10)) and fw.calendar.is_workday(date(2026, 3, 14))
    assert fw.calendar.edits() == {"holidays": [{"name": "Company day", "from": "2026-03-10",
                                                 "to": "2026-03-10"}],
                                   "workdays": ["2026-03-14"], "ordinary": []}
    (entry,) = [e for e in fw.store.audit_entries(CORE) if e["action"] == "calendar.edit"]
    assert entry["actor"] == "admin"


def test_an_impossible_edit_writes_nothing(fw):
    with pytest.raises(ValidationError):
        fw.calendar.edit({"holidays": ["2026-03-10"], "workdays": ["2026-03-11"]}, "admin")
    assert fw.calendar.edits() == {} and fw.calendar.current() == CN


def test_edits_attendance_kept_are_read_and_moved_by_the_next_edit(fw):
    kept = {"holidays": [{"name": "Company day", "from": "2026-03-10", "to": "2026-03-10"}],
            "workdays": [], "ordinary": ["2026-10-10"]}
    with fw.store.transaction("plugins/attendance", "admin", "attendance.calendar") as tx:
        tx.insert("calendar", {"id": "edits", **kept})
    assert fw.calendar.edits() == kept
    assert fw.calendar.is_holiday(date(2026, 3, 10)) and not fw.calendar.is_workday(date(2026, 10, 10))
    fw.calendar.edit({**kept, "workdays": ["2026-03-14"]}, "admin")
    assert fw.store.table("plugins/attendance", "calendar") == {}
    assert fw.store.table(CORE, "calendar")["edits"]["ordinary"] == ["2026-10-10"]
    assert fw.calendar.is_holiday(date(2026, 3, 10)) and fw.calendar.is_workday(date(2026, 3, 14))


def test_an_edit_by_another_process_counts_at_once(fw, tmp_path):
    assert fw.calendar.is_workday(date(2026, 3, 10))
    other = Floorwalker(store_for(tmp_path), fw.pm)
    other.calendar.edit({"holidays": ["2026-03-10"]}, "admin")
    assert not fw.calendar.is_workday(date(2026, 3, 10))


# ---------------------------------------------------------------- the project's clock


@pytest.mark.parametrize("zone, expected", [
    ("Asia/Shanghai", "2027-01-01T00:30:00"),
    ("Asia/Kolkata", "2026-12-31T22:00:00"),      # half an hour off the hour, no DST
    ("America/Sao_Paulo", "2026-12-31T13:30:00"),  # no DST since 2019
    ("UTC", "2026-12-31T16:30:00"),
    (None, "2027-01-01T00:30:00"),                 # the default zone
])
def test_the_wall_clock_of_a_zone(zone, expected):
    instant = datetime(2026, 12, 31, 16, 30, 15, 999, tzinfo=timezone.utc)
    assert local_now(zone, at=instant) == at(expected).replace(second=15)


def test_a_project_reads_the_clock_of_its_own_zone(fw):
    now = fw.projects.now("india")
    assert now.tzinfo is None and now.microsecond == 0
    assert abs(now - local_now("Asia/Kolkata")) < timedelta(seconds=2)
    assert abs(fw.projects.now(fw.projects.get("alpha")) - local_now("Asia/Shanghai")) < timedelta(seconds=2)
    assert fw.projects.today("india") in (now.date(), local_now("Asia/Kolkata").date())


def test_a_month_ends_on_the_projects_clock(fw, monkeypatch):
    """New Year's Eve 23:30 in Kolkata is already 02:00 on 1 January in Shanghai: alpha may close
    December, the Indian floor may not yet."""
    floors = {"alpha": at("2027-01-01T02:00"), "india": at("2026-12-31T23:30")}
    monkeypatch.setattr(Projects, "now", lambda self, project: floors[
        project if isinstance(project, str) else project["slug"]])
    with pytest.raises(Conflict, match="has not ended yet"):
        fw.periods.close("india", "2026-12", "admin")
    assert fw.periods.close("alpha", "2026-12", "admin")["state"] == "closed"
    assert fw.periods.list("india")[-1]["month"] == "2026-12"
    assert fw.periods.list("alpha")[-1]["month"] == "2027-01"


# ---------------------------------------------------------------- business time


@pytest.mark.parametrize("hours, start, amount, expected", [
    (OFFICE, "2026-03-13T17:00", 2, "2026-03-16T10:00"),   # Friday 17:00 → Monday
    (OFFICE, "2026-03-13T16:00", 2, "2026-03-13T18:00"),   # the close, not Monday's opening
    (OFFICE, "2026-03-13T18:00", 1, "2026-03-16T10:00"),
    (OFFICE, "2026-03-14T11:00", 1, "2026-03-16T10:00"),   # a Saturday counts from Monday
    (OFFICE, "2026-03-16T07:30", 1, "2026-03-16T10:00"),   # before opening
    (OFFICE, "2026-03-16T12:00", 0, "2026-03-16T12:00"),
    (OFFICE, "2026-03-10T17:00", 1.5, "2026-03-11T09:30"),
    (OFFICE, "2026-09-30T17:00", 2, "2026-10-08T10:00"),   # 国庆: seven days off
    (OFFICE, "2026-10-09T17:00", 2, "2026-10-10T10:00"),   # …then the make-up Saturday
    (OFFICE, "2026-09-18T17:00", 2, "2026-09-20T10:00"),   # the make-up Sunday before it
    (OFFICE, "2026-09-30T10:00", 18, "2026-10-09T10:00"),
    (ROUND_THE_CLOCK, "2026-03-16T23:00", 2, "2026-03-17T01:00"),  # across midnight
    (ROUND_THE_CLOCK, "2026-09-30T23:00", 2, "2026-10-01T01:00"),  # holidays too
    (NIGHT_DESK, "2026-03-13T23:00", 3, "2026-03-14T02:00"),  # Friday's window runs into Saturday
    (NIGHT_DESK, "2026-03-14T05:00", 2, "2026-03-16T23:00"),  # 1 h left of it, then Monday night
    (NIGHT_DESK, "2026-03-16T12:00", 8, "2026-03-17T06:00"),
])
def test_adding_business_hours(hours, start, amount, expected):
    assert hours.add(at(start), hours=amount) == at(expected)


@pytest.mark.parametrize("start, days, expected", [
    ("2026-03-10T10:00", 1, "2026-03-11T10:00"),   # a day keeps the time of day
    ("2026-03-13T10:00", 1, "2026-03-16T10:00"),
    ("2026-09-30T10:00", 1, "2026-10-08T10:00"),   # over 国庆
    ("2026-03-14T10:00", 1, "2026-03-16T18:00"),   # from a Saturday: the close of Monday
    ("2026-03-10T10:00", 5, "2026-03-17T10:00"),
])
def test_adding_business_days(start, days, expected):
    assert OFFICE.add(at(start), days=days) == at(expected)


@pytest.mark.parametrize("hours, a, b, expected", [
    (OFFICE, "2026-03-13T17:00", "2026-03-16T10:00", 2),
    (OFFICE, "2026-03-16T10:00", "2026-03-13T17:00", -2),   # backwards is negative
    (OFFICE, "2026-03-14T08:00", "2026-03-15T20:00", 0),    # a weekend
    (OFFICE, "2026-03-10T12:00", "2026-03-10T12:00", 0),
    (OFFICE, "2026-09-30T09:00", "2026-10-08T18:00", 18),   # 国庆 is off
    (OFFICE, "2026-10-09T09:00", "2026-10-12T09:00", 18),   # Friday and the make-up Saturday
    (OFFICE, "2026-01-01T00:00", "2027-01-01T00:00", 9 * 248),  # 2026's 248 working days
    (ROUND_THE_CLOCK, "2026-03-16T22:00", "2026-03-17T02:00", 4),
    (NIGHT_DESK, "2026-03-13T20:00", "2026-03-14T08:00", 8),
    (NIGHT_DESK, "2026-03-14T00:00", "2026-03-16T00:00", 6),  # Saturday morning: Friday's window
])
def test_business_time_between(hours, a, b, expected):
    assert hours.between(at(a), at(b)) == timedelta(hours=expected)


@pytest.mark.parametrize("paused, expected", [
    ([], 9),
    ([("2026-03-10T10:00", "2026-03-10T12:00"), ("2026-03-10T11:00", "2026-03-10T13:00")], 6),  # overlapping
    ([("2026-03-10T10:00", "2026-03-10T11:00"), ("2026-03-10T11:00", "2026-03-10T12:00")], 7),  # touching
    ([("2026-03-10T11:00", "2026-03-10T12:00"), ("2026-03-10T10:00", "2026-03-10T11:30")], 7),  # unsorted
    ([("2026-03-09T17:00", "2026-03-10T10:00")], 8),   # reaching in from the day before
    ([("2026-03-10T17:00", "2026-03-11T09:30")], 8),   # reaching out past the end
    ([("2026-03-10T19:00", "2026-03-10T22:00")], 9),   # after hours: nothing to pause
    ([("2026-03-10T12:00", "2026-03-10T12:00")], 9),   # empty
    ([("2026-03-10T08:00", "2026-03-10T20:00")], 0),
])
def test_paused_spans_leave_business_time_out(paused, expected):
    spans = [(at(a), at(b)) for a, b in paused]
    assert OFFICE.between(at("2026-03-10T09:00"), at("2026-03-10T18:00"), paused=spans) \
        == timedelta(hours=expected)


def test_a_paused_clock_moves_its_deadline():
    paused = [(at("2026-03-10T17:30"), at("2026-03-11T09:30")), (at("2026-03-11T10:00"), at("2026-03-11T10:15"))]
    assert OFFICE.add(at("2026-03-10T17:00"), hours=2, paused=paused) == at("2026-03-11T11:15")


@settings(max_examples=150, deadline=None)
@given(start=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31)),
       minutes=st.integers(0, 60 * 60),
       pauses=st.lists(st.tuples(st.integers(0, 60 * 24 * 14), st.integers(0, 60 * 24)), max_size=4),
       shape=st.sampled_from([OFFICE, ROUND_THE_CLOCK, NIGHT_DESK]))
def test_between_measures_what_add_added(start, minutes, pauses, shape):
    start = start.replace(second=0, microsecond=0)
    paused = [(start + timedelta(minutes=m), start + timedelta(minutes=m + length)) for m, length in pauses]
    end = shape.add(start, hours=minutes / 60, paused=paused)
    assert shape.between(start, end, paused) == timedelta(minutes=minutes)


def test_aware_instants_are_read_on_the_floors_clock():
    """A floor in Kolkata (UTC+05:30, no DST): 03:00 UTC is 08:30 there, before opening."""
    india = BusinessHours(CN, zone="Asia/Kolkata")
    utc = lambda text: at(text).replace(tzinfo=timezone.utc)  # noqa: E731
    due = india.add(utc("2026-03-10T03:00"), hours=1)
    assert due == utc("2026-03-10T04:30") and str(due.tzinfo) == "Asia/Kolkata"
    assert india.between(utc("2026-03-10T03:30"), utc("2026-03-10T12:30")) == timedelta(hours=9)
    assert BusinessHours(CN, zone="Asia/Shanghai").between(
        utc("2026-03-10T03:30"), utc("2026-03-10T12:30")) == timedelta(hours=6, minutes=30)
    assert india.add(at("2026-03-10T08:30"), hours=1) == at("2026-03-10T10:00")  # naive in, naive out


@pytest.mark.parametrize("text, opens, closes, every_day, length", [
    ("09:00-18:00", time(9), time(18), False, 9),
    ("09:00–18:00 daily", time(9), time(18), True, 9),
    ("08:30 - 17:30 workdays", time(8, 30), time(17, 30), False, 9),
    ("22:00-06:00", time(22), time(6), False, 8),
    ("00:00-24:00", time(0), time(0), False, 24),
    ("24x7", time(0), time(0), True, 24),
])
def test_business_hours_as_an_administrator_writes_them(text, opens, closes, every_day, length):
    hours = BusinessHours.parse(text, CN)
    assert (hours.opens, hours.closes, hours.every_day) == (opens, closes, every_day)
    assert hours.length == timedelta(hours=length)


@pytest.mark.parametrize("text", ["", "9-18", "25:00-26:00", "09:00-18:60", "09:00-18:00 weekends", "24:30-01:00"])
def test_business_hours_that_do_not_read_are_refused(text):
    with pytest.raises(ValidationError) as err:
        BusinessHours.parse(text, CN)
    assert err.value.message("zh_CN").startswith("工作时间")


def test_a_projects_business_hours_follow_its_zone_and_the_installs_edits(fw):
    fw.calendar.edit({"holidays": [{"name": "Company day", "from": "2026-03-10"}]}, "admin")
    hours = fw.calendar.business_hours("india", "08:00-20:00")
    assert hours.zone == "Asia/Kolkata" and hours.length == timedelta(hours=12)
    assert not hours.is_workday(date(2026, 3, 10)) and hours.is_workday(date(2026, 3, 11))
    assert fw.calendar.business_hours(fw.projects.get("alpha")).zone == "Asia/Shanghai"
    assert fw.calendar.business_hours("alpha", "24x7").is_workday(date(2026, 3, 10))
    with pytest.raises(NotFound):
        fw.calendar.business_hours("nope")
