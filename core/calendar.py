"""The install's holiday calendar (节假日) and business time (工作时间), on the project's clock.

In China the State Council moves working days around each public holiday (调休): "is this a
working day?" cannot be answered from the weekday alone — a Saturday may be worked, a Monday off.
The official arrangement comes from the ``chinesecalendar`` package (every year from 2004; a new
release follows each year's notice, so upgrading the package is how next year arrives). An
administrator's edits go on top, for every project of the install: extra holidays (a local or a
company day), extra make-up workdays, and days put back to ordinary (they follow their weekday).

The edits live in ``core.json`` (table ``calendar``, document ``edits``), audited there as
``calendar.edit``. Before the core owned the calendar, a plugin kept the same document in its
install file ``plugins/<name>.json`` (attendance did): it is read from there for as long as
core.json has none, and the first edit moves it (written to core.json, then removed from the old
file). Nothing an administrator entered is lost, and no start-up step has to know a plugin's file.

Business time is a pure value, `BusinessHours`: the calendar, a daily window (09:00–18:00, a
night desk's 22:00–06:00, or round the clock) open on workdays only or every day. It adds
business hours or days to an instant and counts the business time between two, leaving out
paused spans (a complaint clock stopped while the customer is asked for details).

Times are the wall clock of the project's floor, naive, as the roster's shifts and the punches
are (`local_now`). An aware datetime is converted to the hours' zone first, and `add` answers
in the kind it was given. The arithmetic runs on the wall clock: exact in zones without daylight
saving (all of China's, and the usual offshore floors); across a DST change an hour is gained or
lost as the clock on the wall shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar
import orjson

from . import validate
from .errors import ValidationError
from .i18n import N_
from .store import CORE

DEFAULT_TIMEZONE = "Asia/Shanghai"
SATURDAY = 5
CALENDAR = N_("holiday calendar")  # the field a calendar's refusals name
HOURS = N_("business hours")
EDIT_KEYS = ("holidays", "workdays", "ordinary")
TABLE, DOC = "calendar", "edits"
LEGACY_FILES = "plugins"  # the plugins' install files: one kept the edits before the core did
LONGEST_HOLIDAY = 366  # days; a longer range is a typo (and millions of dates to hold)
# the package's holiday names, translated where the calendar page lists them
HOLIDAY_NAMES = (N_("New Year's Day"), N_("Spring Festival"), N_("Tomb-sweeping Day"),
                 N_("Labour Day"), N_("Dragon Boat Festival"), N_("Mid-autumn Festival"),
                 N_("National Day"), N_("Anti-Fascist 70th Day"))


def local_now(zone: str | None = None, at: datetime | None = None) -> datetime:
    """The wall-clock time in *zone* (default Asia/Shanghai) at instant *at* (default: now), to
    the second and naive. A zone the system's database lacks reads the server's own clock."""
    try:
        tz = ZoneInfo(zone or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        tz = None
    return (at or datetime.now(timezone.utc)).astimezone(tz).replace(tzinfo=None, microsecond=0)


# ---------------------------------------------------------------- the holiday calendar


@dataclass(frozen=True, repr=False)
class HolidayCalendar:
    """Days off and make-up workdays; every other day follows its weekday (Mon–Fri worked)."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __repr__(self) -> str:  # two decades of dates would drown a failing test's report
        return f"HolidayCalendar({len(self.holidays)} holidays, {len(self.workdays)} make-up workdays)"

    @classmethod
    def from_data(cls, data: dict) -> HolidayCalendar:
        """A calendar from the edits' form; refuses impossible data naming the day."""
        return cls().merge(data)

    def is_holiday(self, day: date) -> bool:
        """Whether *day* is a day off."""
        return day in self.holidays

    def is_workday(self, day: date) -> bool:
        """A working day: a weekday that is not a holiday, or a make-up workday."""
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_workdays(self, day: date, n: int) -> date:
        """The *n*-th workday after *day* (before it when *n* is negative; *day* itself for 0)."""
        step = timedelta(days=1 if n >= 0 else -1)
        for _ in range(abs(n)):
            day = next(d for d in _days(day + step, step) if self.is_workday(d))
        return day

    def merge(self, edits: dict) -> HolidayCalendar:
        """A new calendar with an administrator's edits applied.

        *edits* holds ``holidays`` (dates, or ranges ``{"name", "from", "to"}`` with both ends
        included), ``workdays`` (Saturdays or Sundays worked) and ``ordinary`` (dates that go back
        to following their weekday). An edit overrides what the calendar said about that day, so a
        holiday can become a make-up workday and back.
        """
        holidays, workdays = set(self.holidays), set(self.workdays)
        for day in map(_date, edits.get("ordinary") or ()):
            holidays.discard(day)
            workdays.discard(day)
        new_holidays = {day for entry in edits.get("holidays") or () for day in _holiday_range(entry)}
        new_workdays = set(map(_date, edits.get("workdays") or ()))
        both = sorted(new_holidays & new_workdays)
        if both:
            raise ValidationError(CALENDAR, N_("{day} is both a holiday and a make-up workday"),
                                  day=both[0].isoformat())
        weekdays = sorted(day for day in new_workdays if day.weekday() < SATURDAY)
        if weekdays:
            raise ValidationError(
                CALENDAR,
                N_("{day} falls on a weekday, which is already worked: a make-up workday "
                   "must be a Saturday or a Sunday"), day=weekdays[0].isoformat())
        return HolidayCalendar(frozenset((holidays - new_workdays) | new_holidays),
                               frozenset((workdays - new_holidays) | new_workdays))


@cache
def official_calendar() -> HolidayCalendar:
    """The State Council's arrangement of every year the chinesecalendar package knows."""
    return HolidayCalendar(frozenset(chinese_calendar.holidays), frozenset(chinese_calendar.workdays))


@cache
def official_years() -> range:
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


class Calendar:
    """``floorwalker.calendar``: the official arrangement under the administrator's edits, read
    fresh on each call (an edit made by another process counts at once), and business hours."""

    def __init__(self, fw):
        self.fw = fw
        self._made: tuple[bytes, HolidayCalendar] | None = None

    def current(self) -> HolidayCalendar:
        """The install's calendar as it stands, for the pure rules that take one."""
        edits = self.edits()
        key = orjson.dumps(edits, option=orjson.OPT_SORT_KEYS)
        made = self._made
        if made is None or made[0] != key:
            made = self._made = (key, official_calendar().merge(edits))
        return made[1]

    def is_holiday(self, day: date) -> bool:
        """Whether *day* is a day off on the install's calendar."""
        return self.current().is_holiday(day)

    def is_workday(self, day: date) -> bool:
        """Whether *day* is worked on the install's calendar (a make-up Saturday is)."""
        return self.current().is_workday(day)

    def edits(self) -> dict:
        """The administrator's edits (see the module's docstring for where they are kept)."""
        doc = self.fw.store.table(CORE, TABLE).get(DOC)
        if doc is None:
            doc = next(filter(None, (self.fw.store.table(key, TABLE).get(DOC)
                                     for key in self.fw.store.keys(LEGACY_FILES))), None)
        return {k: doc[k] for k in EDIT_KEYS if k in doc} if doc else {}

    def edit(self, edits: dict, actor: str) -> HolidayCalendar:
        """Replace the administrator's edits with *edits*, refused whole if any is impossible."""
        clean = _clean(edits)
        calendar = official_calendar().merge(clean)
        with self.fw.store.transaction(CORE, actor, "calendar.edit") as tx:
            if tx.get(TABLE, DOC) is None:
                tx.insert(TABLE, {"id": DOC, **clean})
            else:
                tx.update(TABLE, DOC, clean)
        for key in self.fw.store.keys(LEGACY_FILES):
            if self.fw.store.table(key, TABLE).get(DOC) is not None:
                with self.fw.store.transaction(key, actor, "calendar.moved") as tx:
                    tx.remove(TABLE, DOC)
        return calendar

    @staticmethod
    def official(year: int) -> dict | None:
        """The notice of *year* as the calendar page lists it — ``{year, source, holidays: [{name,
        from, to}], workdays: [YYYY-MM-DD]}`` — or None for a year the package does not know yet."""
        if year not in official_years():
            return None
        holidays: list[dict] = []
        for day in sorted(d for d in chinese_calendar.holidays if d.year == year):
            name = chinese_calendar.holidays[day]
            if holidays and holidays[-1]["name"] == name \
                    and date.fromisoformat(holidays[-1]["to"]) + timedelta(days=1) == day:
                holidays[-1]["to"] = day.isoformat()
            else:
                holidays.append({"name": name, "from": day.isoformat(), "to": day.isoformat()})
        return {"year": year, "holidays": holidays,
                "source": f"国务院办公厅关于{year}年部分节假日安排的通知"
                          f" (chinesecalendar {chinese_calendar.__version__})",
                "workdays": sorted(d.isoformat() for d in chinese_calendar.workdays if d.year == year)}

    def business_hours(self, project: dict | str, hours: str = "09:00-18:00") -> BusinessHours:
        """*hours* (see `BusinessHours.parse`) on this calendar, in the project's time zone."""
        project = self.fw.projects.get(project) if isinstance(project, str) else project
        return BusinessHours.parse(hours, self.current(), project.get("timezone") or DEFAULT_TIMEZONE)


def _clean(edits: dict) -> dict:
    """The edits as stored: dates as YYYY-MM-DD, each range with its name and both ends."""
    holidays: list = []
    for entry in edits.get("holidays") or ():
        if isinstance(entry, dict):
            days = _holiday_range(entry)
            holidays.append({"name": validate.text(entry.get("name"), N_("name"), validate.NAME_LIMIT),
                             "from": days[0].isoformat(), "to": days[-1].isoformat()})
        else:
            holidays.append(_date(entry).isoformat())
    return {"holidays": holidays,
            **{k: [_date(v).isoformat() for v in edits.get(k) or ()] for k in ("workdays", "ordinary")}}


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(CALENDAR, N_("{value} is not a date; write it as YYYY-MM-DD"),
                              value=str(value)) from None


def _holiday_range(entry) -> list[date]:
    """Every day of one holiday entry: a date, or ``{"from": …, "to": …}`` (both included)."""
    if not isinstance(entry, dict):
        return [_date(entry)]
    start = _date(entry.get("from"))
    end = _date(entry.get("to") or entry.get("from"))
    if end < start:
        raise ValidationError(CALENDAR, N_("the holiday {name} ends on {end}, before it starts on {start}"),
                              name=entry.get("name", ""), start=start.isoformat(), end=end.isoformat())
    if (end - start).days >= LONGEST_HOLIDAY:
        raise ValidationError(CALENDAR, N_("the holiday {name} lasts longer than a year; check its dates"),
                              name=entry.get("name", ""))
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _days(day: date, step: timedelta) -> Iterator[date]:
    """*day* and the days after it (before it, for a negative *step*), refusing to look further
    than a year for an open one: a calendar edited into a year off is a mistake, not a loop."""
    for _ in range(LONGEST_HOLIDAY + 7):
        yield day
        day += step
    raise ValidationError(CALENDAR, N_("no working day within a year of {day}"), day=day.isoformat())


# ---------------------------------------------------------------- business time


_WINDOW = re.compile(r"(\d\d):(\d\d)\s*[-–]\s*(\d\d):(\d\d)(?:\s+(workdays|daily))?")
ROUND_THE_CLOCK = ("24x7", "24×7", "24/7")


@dataclass(frozen=True)
class BusinessHours:
    """A daily window, open on the calendar's workdays or every day, in time zone *zone*.

    The window opens at *opens*, and closes at *closes* the same day, or the next day when
    *closes* is not after *opens* (22:00–06:00; 00:00–00:00 is the whole day). A window belongs
    to the day it opens on: a night desk's Friday window runs into Saturday morning.
    """

    calendar: HolidayCalendar = HolidayCalendar()
    opens: time = time(9)
    closes: time = time(18)
    every_day: bool = False
    zone: str | None = None

    @classmethod
    def parse(cls, text: str, calendar: HolidayCalendar, zone: str | None = None) -> BusinessHours:
        """Hours as an administrator writes them: ``09:00-18:00`` (workdays), ``09:00-18:00
        daily``, ``22:00-06:00`` (overnight), ``00:00-24:00`` (whole workdays) or ``24x7``.
        A plugin's setting checks its value with ``BusinessHours.parse(value, HolidayCalendar())``."""
        typed = str(text or "").strip().lower()
        if typed in ROUND_THE_CLOCK:
            return cls(calendar, time(0), time(0), True, zone)
        found = _WINDOW.fullmatch(typed)
        try:
            if not found:
                raise ValueError(typed)
            h1, m1, h2, m2 = map(int, found.groups()[:4])
            opens, closes = time(h1, m1), time(0) if (h2, m2) == (24, 0) else time(h2, m2)
        except ValueError:
            raise ValidationError(HOURS, N_("expected hours such as 09:00-18:00, 09:00-18:00 "
                                            "daily or 24x7, got {value!r}"), value=str(text)) from None
        return cls(calendar, opens, closes, found[5] == "daily", zone)

    @property
    def length(self) -> timedelta:
        """The time one window is open; a business day."""
        span = datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)
        return span if span > timedelta(0) else span + timedelta(days=1)

    def is_workday(self, day: date) -> bool:
        """Whether a window opens on *day*."""
        return self.every_day or self.calendar.is_workday(day)

    def between(self, a: datetime, b: datetime, paused: Iterable[tuple[datetime, datetime]] = ()
                ) -> timedelta:
        """The business time from *a* to *b*, less the *paused* spans (which may overlap each
        other and reach outside); negative when *b* comes before *a*."""
        a, b = self._local(a), self._local(b)
        if b < a:
            return -self.between(b, a, paused)
        pauses = self._pauses(paused)
        total = timedelta(0)
        for start, end in self._windows(a.date() - timedelta(days=1)):
            if start >= b:
                return total
            total += sum((e - s for s, e in _free(max(start, a), min(end, b), pauses)), timedelta(0))

    def add(self, start: datetime, *, hours: float | None = None, days: float | None = None,
            paused: Iterable[tuple[datetime, datetime]] = ()) -> datetime:
        """The earliest instant by which *hours* of business time (or *days* business days, a
        day being one window's length) have passed since *start*, not counting *paused* spans.

        On 09:00–18:00, Friday 17:00 + 2 hours is Monday 10:00, and Friday 16:00 + 2 hours is
        Friday 18:00 (not Monday 09:00). A day keeps the time of day: Tuesday 10:00 + 1 day is
        Wednesday 10:00. An instant outside business hours counts from the next opening:
        Saturday 10:00 + 1 day is Monday 18:00, the close of the next business day.
        """
        if (hours is None) == (days is None):
            raise TypeError("add() takes hours or days")
        left = timedelta(hours=hours) if hours is not None else days * self.length
        if left < timedelta(0):
            raise ValueError("add() counts forward: give a positive amount")
        local = self._local(start)
        pauses = self._pauses(paused)
        reached = local if not left else None
        windows = self._windows(local.date() - timedelta(days=1))
        while reached is None:
            opens, closes = next(windows)
            for s, e in _free(max(opens, local), closes, pauses):
                if e - s >= left:
                    reached = s + left
                    break
                left -= e - s
        if start.tzinfo is None:
            return reached
        return reached.replace(tzinfo=ZoneInfo(self.zone)) if self.zone else reached.astimezone()

    def _windows(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The open windows of *day* and the days after it, in order."""
        while True:
            day = next(d for d in _days(day, timedelta(days=1)) if self.is_workday(d))
            opens = datetime.combine(day, self.opens)
            yield opens, opens + self.length
            day += timedelta(days=1)

    def _local(self, at: datetime) -> datetime:
        if at.tzinfo is None:
            return at
        return at.astimezone(ZoneInfo(self.zone) if self.zone else None).replace(tzinfo=None)

    def _pauses(self, paused) -> list[tuple[datetime, datetime]]:
        """The paused spans on the local clock, sorted and merged where they overlap or touch."""
        merged: list[list[datetime]] = []
        for s, e in sorted((self._local(s), self._local(e)) for s, e in paused):
            if e <= s:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return [(s, e) for s, e in merged]


def _free(start: datetime, end: datetime, pauses: list[tuple[datetime, datetime]]
          ) -> list[tuple[datetime, datetime]]:
    """The parts of [*start*, *end*) outside the merged, sorted *pauses*."""
    spans = []
    for s, e in pauses:
        if e <= start or s >= end:
            continue
        if s > start:
            spans.append((start, s))
        start = max(start, e)
    if start < end:
        spans.append((start, end))
    return spans
