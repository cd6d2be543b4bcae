"""Checks of single values shared by the core's services; each raises `ValidationError`."""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from functools import lru_cache

from .errors import ValidationError
from .i18n import N_

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
NUMBER = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
# the longest text a field keeps: a stored note is copied into every later write of its file
NOTE_LIMIT = 2000
NAME_LIMIT = 100


def date(value, field: str = N_("date")) -> str:
    """A calendar date as YYYY-MM-DD (a date object or text)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise ValidationError(field, N_("expected a date as YYYY-MM-DD, got {value!r}"), value=text)


def month(value, field: str = N_("month")) -> str:
    """A month as `YYYY-MM`, else `ValidationError` naming *field*."""
    text = str(value or "").strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ValidationError(field, N_("expected a month as YYYY-MM, got {value!r}"), value=text)
    return text


def slug(value, field: str = N_("slug")) -> str:
    text = str(value or "").strip()
    if not SLUG.match(text):
        raise ValidationError(field, N_("use 2–40 lowercase letters, digits or '-', got {value!r}"),
                              value=text)
    return text


def timezone(value, field: str = N_("time zone")) -> str:
    """An IANA time zone name such as Asia/Shanghai (checked only where the system has the
    time-zone database: without it every name would be refused)."""
    text = str(value or "").strip()
    known = _time_zones()
    if not text or (known and text not in known):
        raise ValidationError(field, N_("expected a time zone such as Asia/Shanghai, got {value!r}"),
                              value=text)
    return text


@lru_cache(maxsize=1)
def _time_zones() -> frozenset:
    return frozenset(zoneinfo.available_timezones())


def number(value, field: str) -> float:
    """A finite number (a KPI target, say), from a number or text."""
    try:
        result = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        result = math.nan
    if isinstance(value, bool) or not math.isfinite(result):
        raise ValidationError(field, N_("expected a number, got {value!r}"), value=value)
    return result


def text(value, field: str, limit: int = NOTE_LIMIT, required: bool = False) -> str:
    """Free text (a note, a reason, a name) without its outer spaces, at most *limit* characters."""
    result = str(value if value is not None else "").strip()
    if required and not result:
        raise ValidationError(field, N_("is required"))
    if len(result) > limit:
        raise ValidationError(field, N_("at most {limit} characters (got {length})"),
                              limit=limit, length=len(result))
    return result


def choice(value, choices, field: str) -> str:
    """*value* if it is one of *choices*, else `ValidationError` naming *field*."""
    if value not in choices:
        raise ValidationError(field, N_("must be one of {choices}, got {value!r}"),
                              choices=", ".join(choices), value=value)
    return value


def month_bounds(value: str) -> tuple[str, str]:
    """First and last day of a month."""
    year, mon = map(int, value.split("-"))
    first = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return first.isoformat(), (nxt - dt.timedelta(days=1)).isoformat()


def months_between(first: str, last: str) -> list[str]:
    """Months from *first* to *last* inclusive, as YYYY-MM."""
    year, mon = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{mon:02d}" <= last:
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = year + (mon == 12), mon % 12 + 1
    return out


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def period_bounds(value, field: str = N_("period")) -> tuple[dt.date, dt.date]:
    """First and last day of a reported period (the ``period`` of `report_sections`): a month
    ``YYYY-MM``, an ISO week ``YYYY-Www`` (Monday to Sunday), or a week given by its first day
    ``YYYY-MM-DD`` (that day and the six after it)."""
    text = str(value or "").strip()
    week = _WEEK.match(text)
    try:
        if week:
            first = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
            return first, first + dt.timedelta(days=6)
        if len(text) == 10:
            first = dt.date.fromisoformat(text)
            return first, first + dt.timedelta(days=6)
        first_day, last_day = month_bounds(month(text, field))
        return dt.date.fromisoformat(first_day), dt.date.fromisoformat(last_day)
    except ValueError:
        raise ValidationError(field, N_("expected a month YYYY-MM or a week YYYY-Www, got {value!r}"),
                              value=text) from None
