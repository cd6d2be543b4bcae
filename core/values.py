"""Values as the floor's systems write them: dates, times and employee numbers read from files.

A punch clock, 钉钉, 企业微信 and a team leader's Excel sheet each write a date their own way:
``2026/11/10 8:07:12``, ``2026-11-10 08:07``, ``2026年11月10日``, ``2026/11/10 星期二``, an Excel
serial number (``46336`` is 2026-11-10, ``0.3383`` is 08:07:12), full-width digits typed on a
Chinese keyboard. These functions read all of them and nothing else: a text they cannot read
is refused by the caller with the field and the value, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Excel's day 0 (with its 1900 leap-year bug folded in: serials from 61 on are right).
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Serials that are days in the years an import accepts (1900-03-01 … 2999-12-31).
_SERIAL_DAYS = (61, 401768)

_WEEKDAY = re.compile(r"\s*[(（]?\s*(星期|周|礼拜)[一二三四五六日天]\s*[)）]?\s*|"
                      r"\s*[(（]?\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?[)）]?\s*", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4}|\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME = re.compile(r"^(上午|下午|am|pm)?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})"
                   r"(?:\.\d+)?\s*秒?)?\s*分?\s*(am|pm)?$", re.IGNORECASE)
_SPLIT = re.compile(r"^(.*?[\d日号])\s*(?:T|\s)\s*((?:上午|下午)?\s*\d{1,2}\s*[:：时].*)$")


def plain(text) -> str:
    """*text* with full-width digits, letters and spaces made plain (NFKC) and stripped."""
    return " ".join(unicodedata.normalize("NFKC", str(text if text is not None else "")).split())


def employee_number(text) -> str:
    """An employee number as typed or as Excel kept it: ``1001.0`` → ``1001``, ``１００１`` → ``1001``."""
    value = plain(text)
    if re.fullmatch(r"\d+\.0+", value):
        value = value.split(".")[0]
    return value


def _serial(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e7 else None


def parse_date(text) -> dt.date | None:
    """The date of *text* in any of the forms above, or None."""
    value = _WEEKDAY.sub(" ", plain(text)).strip()
    match = _DATE.match(value)
    if match:
        year, month, day = match.groups()
        year = int(year) + (2000 if len(year) == 2 else 0)
        try:
            return dt.date(year, int(month), int(day))
        except ValueError:
            return None
    if re.fullmatch(r"\d{8}", value):
        try:
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            return None
    serial = _serial(value)
    if serial is not None and _SERIAL_DAYS[0] <= serial <= _SERIAL_DAYS[1] and serial.is_integer():
        return (_EXCEL_EPOCH + dt.timedelta(days=serial)).date()
    return None


def parse_clock(text) -> dt.time | None:
    """The time of day of *text* (``8:07``, ``08:07:12``, ``8时07分``, ``下午 2:05``, an Excel
    fraction of a day such as ``0.3383``), or None."""
    value = plain(text)
    match = _TIME.match(value)
    if match:
        before, hour, minute, second, after = match.groups()
        hour, minute, second = int(hour), int(minute), int(second or 0)
        half = (before or after or "").lower()
        if half in ("下午", "pm") and hour < 12:
            hour += 12
        elif half in ("上午", "am") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
        return None
    serial = _serial(value)
    if serial is not None and 0 <= serial < 1 and "." in value:
        seconds = round(serial * 86400)
        return (dt.datetime.min + dt.timedelta(seconds=min(seconds, 86399))).time()
    return None


def parse_datetime(text) -> dt.datetime | None:
    """A moment in any of the forms above (a date and a time in one text, an Excel serial with
    a fraction), or None. A date alone is not a moment."""
    value = _WEEKDAY.sub(" ", plain(text)).strip()
    match = _SPLIT.match(value)
    if match:
        day, clock = parse_date(match.group(1)), parse_clock(match.group(2))
        return dt.datetime.combine(day, clock) if day and clock else None
    serial = _serial(value)
    if serial is not None and _SERIAL_DAYS[0] <= serial <= _SERIAL_DAYS[1] and not serial.is_integer():
        return (_EXCEL_EPOCH + dt.timedelta(seconds=round(serial * 86400))).replace(microsecond=0)
    return None


def moment(text, day_text=None) -> dt.datetime | None:
    """A punch's moment: *text* holds a date and a time, or only a time of day, which then
    falls on the date of *day_text* (a 考勤日期 column beside a 打卡时间 of ``08:07``)."""
    at = parse_datetime(text)
    if at is not None:
        return at
    clock = parse_clock(text)
    day = parse_date(day_text) if day_text is not None else None
    return dt.datetime.combine(day, clock) if clock and day else None
