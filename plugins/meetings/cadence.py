"""When the meetings of a month fall, from a project's cadence and the holiday calendar. Pure.

The monthly all-agent meeting is held "每月25日前周五": the last Friday before the 25th (the
18th when the 25th is itself a Friday). When that Friday is a day off, it moves to the working
day before it — a make-up Saturday (调休) included, since the calendar says it is worked. A
meeting on a fixed day of the month, and the half-year and annual reviews, move back the same
way. The briefing is held on working days, the handover at each shift change of every day (the
floor runs every day), the weekly meeting on its weekday or, when that is off, the next working
day of the same week.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
from typing import NamedTuple

from .config import times_of

FRIDAY = 4


class Slot(NamedTuple):
    """A meeting the cadence plans: its kind, day, time and the cadence row it comes from."""

    kind: str
    date: dt.date
    time: str
    row: int


def working_day_on_or_before(day: dt.date, holidays) -> dt.date:
    """*day* if it is worked, else the nearest working day before it."""
    while not holidays.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def monthly_meeting_day(year: int, month: int, holidays) -> dt.date:
    """The day of the monthly all-agent meeting: the last Friday before the 25th, or the working
    day before it when that Friday is off."""
    day = dt.date(year, month, 24)
    day -= dt.timedelta(days=(day.weekday() - FRIDAY) % 7)
    return working_day_on_or_before(day, holidays)


def _days(year: int, month: int):
    for n in range(1, months.monthrange(year, month)[1] + 1):
        yield dt.date(year, month, n)


def days_of(row: dict, year: int, month: int, holidays) -> list[dt.date]:
    """The days of *month* a cadence *row* plans a meeting on."""
    when = row.get("when")
    if when == "shift":
        return list(_days(year, month))
    if when == "daily":
        return [d for d in _days(year, month) if holidays.is_workday(d)]
    if when == "weekly":
        weekday = int(row.get("day") or 1) - 1
        found = []
        for d in _days(year, month):
            if d.weekday() != weekday:
                continue
            while not holidays.is_workday(d) and d.weekday() < 6:
                d += dt.timedelta(days=1)
            if holidays.is_workday(d) and d.month == month and d not in found:
                found.append(d)
        return found
    if when == "before_25":
        return [monthly_meeting_day(year, month, holidays)]
    if when == "monthly":
        return [working_day_on_or_before(dt.date(year, month, int(row.get("day") or 1)), holidays)]
    if when in ("half_year", "annual") and month == (6 if when == "half_year" else 12):
        return [working_day_on_or_before(dt.date(year, month, months.monthrange(year, month)[1]), holidays)]
    return []


def plan(cadence: list[dict], month: str, holidays) -> list[Slot]:
    """Every meeting the *cadence* plans in *month* (``YYYY-MM``), by day and time. A day pulled
    back into the month before (a fixed day of the 1st that is off) is left out."""
    year, number = map(int, month.split("-"))
    slots = [Slot(row["kind"], day, time, n)
             for n, row in enumerate(cadence) for day in days_of(row, year, number, holidays)
             if day.month == number for time in times_of(row)]
    return sorted(slots, key=lambda s: (s.date, s.time, s.row))
