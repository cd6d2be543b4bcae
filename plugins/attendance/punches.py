"""Punches (打卡): clock-in and clock-out times, imported from the punch clock or entered by hand.

A punch is stored in the month file of the day it was punched
(``projects/<p>/attendance/<YYYY-MM>``, table ``punches``): employee number, the time to the
second, where it came from (``import`` or ``manual``), and for a hand entry or a correction who
made it and why. A wrong punch is voided, not deleted, so the page still shows it; the store's
audit holds every before and after.

An import is all-or-nothing: every row is checked (agent in the project that day or the day
before — the end of a night shift — and a readable time), the first bad row stops it naming the
row and column, and a punch already stored (same agent, same second) is not stored twice, so an
overlapping export can be imported again. `importers.import_punches` reads the file, and settles
the days it touched.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack

from floorwalker.core import (DATE_NAMES, N_, NUMBER_NAMES, Checks, Fields, NotFound, PeriodClosed,
                              ValidationError, match_columns, new_id, now_iso, validate, values)

from .roster import locate, month_key, months_of

PUNCHES = "punches"
# A punch's columns as punch clocks and attendance apps name them: the punch time (打卡时间 —
# a date and a time, or a time beside a date column), or a date and a time of day.
COLUMNS = {"agent": ("agent", *NUMBER_NAMES, "number"),
           "time": ("time", "打卡时间", "实际打卡时间", "日期时间", "签到时间", "刷卡时间",
                    "timestamp", "punch time", "date/time", "datetime"),
           "date": ("date", *DATE_NAMES),
           "clock": ("clock", "时间", "打卡时刻")}
# The scheduled time a 钉钉 or 企业微信 export puts beside the punch: never read as the punch.
SCHEDULED = ("考勤时间", "应打卡时间", "标准时间", "应到时间")
FIELDS = Fields(COLUMNS, (("agent", "time"), ("agent", "date", "clock")), SCHEDULED, titles={
    "agent": ("employee number", "工号"), "time": ("punch time", "打卡时间"),
    "date": ("date", "日期"), "clock": ("time of day", "时间")})
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
            "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")
# The days a punch or a roster day may fall on, the span the core's imports accept: the day
# before (a night shift's start) and the month after stay within what Python's dates hold.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def parse_time(text: str, field: str = N_("time"), row: int | None = None) -> dt.datetime:
    """A punch time as the clocks export it: ``2026-11-03 08:01:22``, ``2026/11/03 08:01`` …"""
    text = " ".join(str(text or "").split())
    for fmt in _FORMATS:
        try:
            at = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        require_day_in_span(at.date(), text, field, row)
        return at
    raise ValidationError(field, N_("expected a time as YYYY-MM-DD HH:MM[:SS], got {value!r}"),
                          row=row, value=text)


def require_day_in_span(day: dt.date, text: str, field: str, row: int | None = None) -> dt.date:
    """*day* if it lies from FIRST_DAY to LAST_DAY; else the error on *field*, quoting *text*."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(field, N_("expected a date from {first} to {last}, got {value!r}"),
                              row=row, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat(),
                              value=text)
    return day


def punch_doc(agent: str, at: dt.datetime, source: str, by: str | None = None,
              note: str = "") -> dict:
    return {"id": new_id(), "agent": agent, "date": at.date().isoformat(),
            "at": at.isoformat(timespec="seconds"), "source": source, "manual": source == "manual",
            "by": by, "note": note, "void": False, "created_at": now_iso()}


def punches(fw, project: str, month: str) -> list[dict]:
    return sorted(fw.store.table(month_key(fw, project, month), PUNCHES).values(),
                  key=lambda p: (p["at"], p["id"]))


def agent_punches(fw, project: str, agent: str, first: dt.date, last: dt.date) -> list[dict]:
    """*agent*'s punches (void ones included) from *first* to *last*, in time order."""
    found = []
    for month in months_of(first, last):
        shard = fw.store.read(month_key(fw, project, month))
        found += [p for p in shard.index(PUNCHES, "agent").get(agent, ())
                  if first.isoformat() <= p["date"] <= last.isoformat()]
    return sorted(found, key=lambda p: (p["at"], p["id"]))


# ------------------------------------------------------------------ import


def columns(header: list[str]) -> dict[str, str]:
    """Which header holds each column: the agent, and the time or else the date and the clock."""
    col = match_columns(header, FIELDS, ("agent",), SCHEDULED)
    if "time" not in col and not ("date" in col and "clock" in col):  # name the missing column
        col = match_columns(header, FIELDS, ("agent", "time"), SCHEDULED)
    return col


# Headings that hold a punch's date beside a time of day (企业微信 writes the date under 时间).
DAY_HEADINGS = ("时间", *DATE_NAMES)
FUTURE_MINUTES = 10  # how far past the floor's clock a punch may lie (clocks drift)


class Checked(list):
    """`check_rows`'s punch documents, with how many rows held no punch time (``skipped``)."""

    skipped = 0


def _punch_text(cells: dict, col: dict[str, str]) -> str:
    return cells.get(col["time"] if "time" in col else col["clock"], "").strip()


def read_moment(cells: dict, col: dict[str, str], row: int) -> dt.datetime:
    """The punch's moment of a row: its punch time (with the day of a date-holding column —
    the date column, 时间, 日期 — when the time holds only a time of day), else its date and
    clock columns. An unreadable time is refused naming the field and quoting the value."""
    if "time" in col:
        text, field = cells.get(col["time"], ""), col["time"]
        at = values.moment(text)
        if at is None and values.parse_clock(text) is not None:
            days = [col[k] for k in ("date", "clock") if k in col] + [h for h in DAY_HEADINGS if h in cells]
            day = next((cells[h] for h in days if values.parse_date(cells.get(h, ""))), None)
            at = values.moment(text, day)
    else:
        text, field = f"{cells.get(col['date'], '')} {cells.get(col['clock'], '')}", col["clock"]
        at = values.moment(cells.get(col["clock"], ""), cells.get(col["date"], ""))
    if at is None:
        raise ValidationError(field, N_("cannot read a date and a time in {value!r}"), row=row,
                              value=text.strip())
    require_day_in_span(at.date(), text, field, row)
    return at


def check_rows(fw, project: str, rows: list[tuple[int, dict]], col: dict[str, str],
               checks: Checks | None = None) -> Checked:
    """Every row as a punch document, or the first bad row's error (a preview's *checks* gather
    the refused rows instead); *col* as `columns` gives it. A row without a punch time (钉钉's
    未打卡) is no punch: it is skipped and counted. A punch in a closed month, or more than
    FUTURE_MINUTES after the floor's clock, is refused naming its row."""
    assignments: dict[str, list[dict]] = {}
    closed = fw.store.closed_months(project)
    now = fw.projects.now(project)
    latest = now + dt.timedelta(minutes=FUTURE_MINUTES)

    def check(row: int, cells: dict) -> dict | None:
        number = values.employee_number(cells.get(col["agent"], ""))
        if not _punch_text(cells, col):
            return None
        if not number:
            raise ValidationError(col["agent"], N_("is required"), row=row)
        at = read_moment(cells, col, row)
        field = col["time"] if "time" in col else col["clock"]
        if at.date().isoformat()[:7] in closed:
            raise ValidationError(field, N_("{month} of project {project} is closed: nothing in it "
                                            "can change"), row=row, month=at.date().isoformat()[:7],
                                  project=project)
        if at > latest:
            raise ValidationError(field, N_("{at} is later than the floor's clock ({now}): a punch "
                                            "cannot lie ahead"), row=row,
                                  at=at.isoformat(sep=" "),
                                  now=now.isoformat(sep=" ", timespec="minutes"))
        if number not in assignments:
            assignments[number] = fw.agents.assignments(number)
        day, eve = at.date().isoformat(), (at.date() - dt.timedelta(days=1)).isoformat()
        if not any(a["project"] == project and a["start"] <= d and (a["end"] is None or d <= a["end"])
                   for a in assignments[number] for d in (day, eve)):
            raise ValidationError(col["agent"], N_("agent {number} is not in project {project} on "
                                                   "{date}"), row=row, number=number,
                                  project=project, date=day)
        return punch_doc(number, at, "import")

    found = (checks or Checks(False)).run(rows, check)
    docs = Checked(d for d in found if d is not None)
    docs.skipped = len(found) - len(docs)
    return docs


def already_stored(fw, project: str, docs: list[dict]) -> int:
    """How many of *docs* are stored already (same agent, same second): what a preview skips."""
    stored: set = set()
    for month in sorted({d["date"][:7] for d in docs}):
        stored |= {(p["agent"], p["at"]) for p in punches(fw, project, month)}
    seen, count = set(), 0
    for doc in docs:
        key = (doc["agent"], doc["at"])
        count += key in stored or key in seen
        seen.add(key)
    return count


def store_punches(fw, project: str, docs: list[dict], actor: str,
                  action: str = "attendance.punches.import") -> dict:
    """Write checked punch documents, one commit per month file, refusing a closed month first."""
    by_month: dict[str, list[dict]] = {}
    for doc in docs:
        by_month.setdefault(doc["date"][:7], []).append(doc)
    closed = fw.store.closed_months(project)
    for month in by_month:
        if month in closed:
            raise PeriodClosed(project, month)
    added = 0
    with ExitStack() as stack:
        for month, batch in sorted(by_month.items()):
            tx = stack.enter_context(fw.store.transaction(month_key(fw, project, month), actor, action))
            seen = {(p["agent"], p["at"]) for p in tx.docs(PUNCHES).values()}
            fresh = []
            for doc in batch:
                if (doc["agent"], doc["at"]) not in seen:
                    seen.add((doc["agent"], doc["at"]))
                    fresh.append(doc)
            if fresh:
                tx.insert_many(PUNCHES, fresh)
            added += len(fresh)
    return {"rows": len(docs), "added": added, "already": len(docs) - added,
            "months": sorted(by_month)}


# ------------------------------------------------------------------ by hand


def _note(note: str) -> str:
    note = validate.text(note, N_("note"))
    if not note:
        raise ValidationError(N_("note"), N_("say why the punch is entered or corrected by hand"))
    return note


def add_manual(fw, project: str, agent: str, at, note: str, actor: str) -> dict:
    """A punch entered by a team leader (the clock failed, a forgotten card), flagged manual."""
    at = at if isinstance(at, dt.datetime) else parse_time(at)
    note = _note(note)
    day = at.date().isoformat()
    try:
        fw.agents.require_in_project(project, agent, day)
    except ValidationError:
        fw.agents.require_in_project(project, agent, (at.date() - dt.timedelta(days=1)).isoformat())
    doc = punch_doc(agent, at, "manual", actor, note)
    with fw.store.transaction(month_key(fw, project, day[:7]), actor, "attendance.punch.manual") as tx:
        return tx.insert(PUNCHES, doc)


def find(fw, project: str, punch_id: str) -> tuple[str, dict]:
    found = locate(fw, project, PUNCHES, punch_id)
    if found is not None:
        return found
    raise NotFound(N_("no punch {id!r}"), id=punch_id)


def correct(fw, project: str, punch_id: str, at, note: str, actor: str) -> dict:
    """Move a punch to the right time (same month file: a punch in another month is voided and
    entered again). The old time stays in the audit; the punch is flagged manual from now on."""
    at = at if isinstance(at, dt.datetime) else parse_time(at)
    note = _note(note)
    key, doc = find(fw, project, punch_id)
    if at.date().isoformat()[:7] in fw.store.closed_months(project):
        raise PeriodClosed(project, at.date().isoformat()[:7])  # before voiding anything
    if doc["date"][:7] != at.date().isoformat()[:7]:
        void(fw, project, punch_id, note, actor)
        return add_manual(fw, project, doc["agent"], at, note, actor)
    with fw.store.transaction(key, actor, "attendance.punch.correct") as tx:
        return tx.update(PUNCHES, punch_id, {"at": at.isoformat(timespec="seconds"),
                                              "date": at.date().isoformat(), "manual": True,
                                              "by": actor, "note": note})


def void(fw, project: str, punch_id: str, note: str, actor: str) -> dict:
    """Set a wrong punch aside: it no longer counts, and stays on the page struck through."""
    note = _note(note)
    key, _ = find(fw, project, punch_id)
    with fw.store.transaction(key, actor, "attendance.punch.void") as tx:
        return tx.update(PUNCHES, punch_id, {"void": True, "manual": True, "by": actor, "note": note})
