"""Money, lengths of time and leave written one way on every page, in the reader's language.

`templating` binds these to a language as filters (``{{ pay|money }}``, ``{{ r.minutes|duration }}``,
``{{ r|leave_length }}``, ``{{ k.value|measure(k.unit) }}``); exports and plugins may call them
directly. Choices where the pages used to differ:

- **Money** is always yuan with the ¥ sign where the language puts its currency sign (before
  the number in both), the minus before the sign (``-¥590``), grouped the reader's way and
  without decimals when whole (``¥1,234.50``, ``¥590``). English readers see ``¥`` too, not
  Babel's ``CN¥``: every amount here is in yuan, and one sign reads the same on both languages'
  pages and in a screenshot passed between them.
- **A duration** is days, hours and minutes, largest first, leaving out the zero parts:
  ``8 小时``, ``1 天 2 小时``, ``45 分钟`` (``8 h``, ``1 d 2 h``, ``45 min``). A day is 24 hours
  unless the caller says otherwise (``day=0`` leaves days out: a month's 176 working hours).
- **Leave** is counted in days of rostered shifts when the leave record knows them (``days``:
  a rostered shift of any length is a day), with its hours beside them; else in hours. It is
  never shown in minutes.
"""

from __future__ import annotations

from functools import lru_cache
from numbers import Number

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from .i18n import N_, translate

EMPTY = "–"
YUAN = "¥"
DAY_MINUTES = 24 * 60
UNITS = ((N_("{n} d"), None), (N_("{n} h"), 60), (N_("{n} min"), 1))


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=128)
def _pattern(locale: str, pattern: str | None) -> NumberPattern:
    return parse_pattern(pattern) if pattern else _locale(locale).decimal_formats[None]


def format_decimal(value, format: str | None = None, locale: str = "en") -> str:
    """Babel's ``format_decimal`` (and ``format_percent`` for a pattern with ``%``) with the
    locale and the pattern parsed once per process, not once per number: a score sheet writes
    some 700 numbers, and re-parsing them was half of its time (perf review, 2026-12). An int or
    float is written once per process and pattern (`_written`): Babel's ``apply`` still took
    a third of a sheet's time, and a sheet's figures repeat (-0.0 is not 0.0 to Babel, so a
    float zero is written each time)."""
    if type(value) in (int, float) and not (value == 0 and type(value) is float):
        return _written(value, format, locale)
    return _pattern(locale, format).apply(value, _locale(locale))


@lru_cache(maxsize=16384, typed=True)
def _written(value: int | float, format: str | None, locale: str) -> str:
    return _pattern(locale, format).apply(value, _locale(locale))


format_percent = format_decimal


@lru_cache(maxsize=8)
def _money_patterns(locale: str) -> tuple[str, str]:
    """The language's currency pattern with the yuan sign: (with decimals, whole)."""
    pattern = _locale(locale).currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("¤", YUAN)
    return pattern, pattern.replace(".00", "")


def money(value, locale: str) -> str:
    """An amount of yuan: ``-¥590``, ``¥1,234.50``; ``–`` for none."""
    if value is None or value == "" or isinstance(value, bool):
        return EMPTY
    decimals, whole = _money_patterns(locale)
    return format_decimal(value, format=whole if float(value).is_integer() else decimals,
                          locale=locale)


def duration(minutes, locale: str, day: int = DAY_MINUTES) -> str:
    """*minutes* as days, hours and minutes (``1 天 2 小时``); *day* is the minutes of a day
    (0: no days, hours only). Rounded to the minute; ``–`` for none."""
    if minutes is None or minutes == "" or isinstance(minutes, bool):
        return EMPTY
    left = round(abs(float(minutes)))
    sizes = (day or None, 60, 1)
    parts = []
    for (unit, _), size in zip(UNITS, sizes):
        if size and left >= size:
            count, left = divmod(left, size)
            parts.append(translate(unit, locale, n=format_decimal(count, locale=locale)))
    text = " ".join(parts) or translate(UNITS[-1][0], locale, n="0")
    return f"-{text}" if float(minutes) < 0 and parts else text


def leave_length(leave, locale: str, days=None) -> str:
    """The length of leave: a leave record (its ``minutes``, and ``days`` of rostered shifts
    when it knows them) or its minutes with *days*. ``2 天（16 小时）`` / ``2 d (16 h)`` when the
    days are known, else hours (``4 小时 30 分钟``)."""
    minutes = leave
    if isinstance(leave, dict):
        minutes, days = leave.get("minutes"), leave.get("days", days)
    hours = duration(minutes, locale, day=0)
    if not isinstance(days, Number) or isinstance(days, bool) or days <= 0:
        return hours
    in_days = translate(UNITS[0][0], locale, n=format_decimal(days, format="#,##0.#", locale=locale))
    if hours == EMPTY:
        return in_days
    return translate(N_("{days} ({hours})"), locale, days=in_days, hours=hours)


def measure(value, unit: str, locale: str) -> str:
    """A figure with its unit (a KPI's, a sheet column's): ``¥`` as money, ``min`` as a
    duration, anything else after the number (``95.2%``)."""
    if value is None or value == "":
        return EMPTY
    if unit == YUAN:
        return money(value, locale)
    if unit == "min":
        return duration(value, locale)
    if isinstance(value, bool) or not isinstance(value, Number):
        return f"{value}{unit}"
    pattern = "#,##0.0" if isinstance(value, float) else "#,##0"
    return f"{format_decimal(value, format=pattern, locale=locale)}{unit}"
