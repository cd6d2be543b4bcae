"""The holiday calendar (节假日): public holidays and make-up workdays (调休上班).

In China the State Council moves working days around each holiday, so "is this a working day?"
cannot be answered from the weekday alone: a Saturday may be a working day, a Monday a holiday.
Leave and swap rules ask this calendar. The official arrangement ships as JSON in `data/`
(one file per country and year, naming its source); an administrator's edits are merged on top.

The data is a dict::

    {"holidays": [{"name": "National Day", "from": "2026-10-01", "to": "2026-10-07"}, …],
     "workdays": ["2026-09-20", …]}

A holiday range holds every day off, weekend days included; a make-up workday is a Saturday or
Sunday that is worked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from floorwalker.core import N_, ValidationError

DATA_DIR = Path(__file__).parent / "data"
SATURDAY = 5
CALENDAR = N_("holiday calendar")  # the field a calendar's refusals name


@dataclass(frozen=True)
class HolidayCalendar:
    """Days off and make-up workdays; every other day follows the weekday (Mon–Fri worked)."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @classmethod
    def from_data(cls, data: dict) -> HolidayCalendar:
        """Build a calendar from the JSON form; refuses impossible data naming the day."""
        return cls().merge(data)

    @classmethod
    def load(cls, name: str) -> HolidayCalendar:
        """The calendar shipped as `data/<name>.json`, e.g. ``load("cn-2026")``."""
        path = DATA_DIR / f"{name}.json"
        if not path.is_file():
            raise ValidationError(CALENDAR, N_("no holiday data named {name}"),
                                  name=name)
        return cls.from_data(json.loads(path.read_text(encoding="utf-8")))

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays

    def is_workday(self, day: date) -> bool:
        """A working day: a weekday that is not a holiday, or a make-up workday."""
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def merge(self, edits: dict) -> HolidayCalendar:
        """A new calendar with an administrator's edits applied.

        `edits` has the shape of the data (``holidays`` ranges, ``workdays`` dates) plus
        ``ordinary``: dates that go back to following their weekday. An edit overrides what the
        calendar said about that day, so a holiday can become a make-up workday and back.
        """
        holidays, workdays = set(self.holidays), set(self.workdays)
        for day in _dates(edits.get("ordinary", ())):
            holidays.discard(day)
            workdays.discard(day)
        new_holidays = set()
        for entry in edits.get("holidays", ()):
            new_holidays.update(_holiday_range(entry))
        new_workdays = set(_dates(edits.get("workdays", ())))
        both = sorted(new_holidays & new_workdays)
        if both:
            raise ValidationError(CALENDAR,
                                  N_("{day} is both a holiday and a make-up workday"),
                                  day=both[0].isoformat())
        weekdays = sorted(day for day in new_workdays if day.weekday() < SATURDAY)
        if weekdays:
            raise ValidationError(
                CALENDAR,
                N_("{day} falls on a weekday, which is already worked: a make-up workday "
                   "must be a Saturday or a Sunday"), day=weekdays[0].isoformat())
        holidays = (holidays - new_workdays) | new_holidays
        workdays = (workdays - new_holidays) | new_workdays
        return HolidayCalendar(frozenset(holidays), frozenset(workdays))


def _dates(values) -> list[date]:
    return [_date(value) for value in values]


def _date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(CALENDAR,
                              N_("{value} is not a date; write it as YYYY-MM-DD"),
                              value=str(value)) from None


def _holiday_range(entry) -> list[date]:
    """Every day of one holiday entry: a date, or ``{"from": …, "to": …}`` (both included)."""
    if not isinstance(entry, dict):
        return [_date(entry)]
    start = _date(entry.get("from"))
    end = _date(entry.get("to", entry.get("from")))
    if end < start:
        raise ValidationError(CALENDAR,
                              N_("the holiday {name} ends on {end}, before it starts on {start}"),
                              name=entry.get("name", ""), start=start.isoformat(),
                              end=end.isoformat())
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
