"""How attendance's score events read: the reason a day's event carries, and its evidence.

A day's event stores its reason as plain English facts (``late 34 min``, ``left 5 min early``,
``absent from shift D``; the ledger, the audit and the CLI show stored text as it is), written
from `STORED` and read back by `reason` into either language (迟到 34 分钟), so events written
before the pages spoke Chinese read in Chinese too. `STORED` is the contract between the two:
change a wording and old events would no longer be read (add a new one instead).

The evidence ``attendance:day:<agent>:<date>`` reads 考勤 · 12月4日 (Attendance · Dec 4), a
leader's mark ``attendance:mark:<id>`` 考勤 · 离岗 (Attendance · Away from the seat).
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_skeleton

from floorwalker.core import N_, Evidence, formats, translate

from .config import NAME

EXCUSED = "excused: "
# what a day's event stores as its reason (English facts), by kind
STORED = {"late": "late {minutes} min", "early": "left {minutes} min early",
          "absent": "absent from shift {shift}", "status": "{status} on shift {shift}",
          "unrostered": "no longer rostered", "excused": EXCUSED + "{note}"}
# how each reads on a page
SHOWN = {"late": N_("late {time}"), "early": N_("left {time} early"),
         "absent": N_("absent from shift {shift}"), "present": N_("on time on shift {shift}"),
         "on_leave": N_("on leave on shift {shift}"), "rest": N_("rest day"),
         "unrostered": N_("no longer rostered"), "excused": N_("excuse accepted: {note}")}
LOCALES = ("en", "zh_CN")


def _pattern(stored: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", stored)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+)"
                              for i, p in enumerate(parts)) + "$", re.S)


_READ = [(kind, _pattern(text)) for kind, text in STORED.items()]


def why(row: dict) -> str:
    """The reason the events of a derived day carry (see `STORED`)."""
    if row["note"].get("excuse", {}).get("status") == "accepted":
        return STORED["excused"].format(note=row["note"]["excuse"]["reason"])
    if row["status"] == "absent":
        return STORED["absent"].format(shift=row["shift"])
    parts = []
    if row.get("late"):
        parts.append(STORED["late"].format(minutes=row["late"]))
    if row.get("early"):
        parts.append(STORED["early"].format(minutes=row["early"]))
    return ", ".join(parts) or STORED["status"].format(status=row["status"], shift=row["shift"])


def reason(stored: str, locale: str) -> str | None:
    """*stored* (a reason `why` wrote, now or in an earlier version) in *locale*; None for a
    text it did not write (a reason a person typed)."""
    shown = []
    for part in (stored or "").split(", ") if not stored.startswith(EXCUSED) else [stored]:
        found = next(((kind, m.groupdict()) for kind, m in
                      ((kind, pattern.match(part)) for kind, pattern in _READ) if m), None)
        if found is None:
            return None
        kind, params = found
        if kind in ("late", "early"):
            if not params["minutes"].isdigit():
                return None
            params = {"time": formats.duration(int(params["minutes"]), locale)}
        elif kind == "status":
            kind = params.pop("status")
            if kind not in SHOWN:
                return None
        shown.append(translate(SHOWN[kind], locale, **params))
    return translate(N_("{first}, {second}"), locale, first=shown[0], second=shown[1]) \
        if len(shown) == 2 else (shown[0] if shown else None)


def day_title(day: str, locale: str) -> str:
    return translate(N_("Attendance · {day}"), locale,
                     day=format_skeleton("MMMd", dt.date.fromisoformat(day), locale=locale))


def describe(events, mark_titles: dict) -> dict:
    """The `Evidence` of attendance's events: *mark_titles* gives each leader's mark's title
    (a message) by mark id."""
    found = {}
    for event in events:
        parts = (event.get("evidence") or "").split(":")
        if event.get("source") != NAME or len(parts) < 3 or parts[0] != NAME:
            continue
        if parts[1] == "day" and len(parts) == 4:
            try:
                titles = [day_title(parts[3], locale) for locale in LOCALES]
            except ValueError:
                continue
            reasons = [reason(event.get("reason") or "", locale) or "" for locale in LOCALES]
            found[event["id"]] = Evidence(*titles, *reasons)
        elif parts[1] == "mark":
            mark = mark_titles.get(parts[2], N_("Leader's mark"))
            found[event["id"]] = Evidence(*(translate(N_("Attendance · {mark}"), locale, mark=mark)
                                            for locale in LOCALES))
    return found
