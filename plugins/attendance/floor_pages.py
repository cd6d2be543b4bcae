"""The attendance pages of the floor (现场): today's floor, the roster grid, shift types, punches,
punch exceptions, leaders' marks and the holiday calendar, under ``/p/{project}/attendance/``.

Today's floor is read live. `sheet.derive` leaves a shift whose punch window is still open as
"scheduled" (nothing is concluded about it yet), so for those rows this page works out from the
punches so far who is in and how late (`live_row`), with the rules of `days.derive_day`: the
first punch in the window is the check-in, lateness counts from the start (or the end of leave
that covers it) less the shift's grace, and leave covering the whole shift is leave. Rows the
sheet has concluded keep the sheet's word. A night shift that started yesterday and is still
running is on today's floor too.

Every form posts back: an error re-renders the page in the reader's language with status 422,
keeping what was typed; a success redirects (303) to the page with what was done. A change to
punches settles the agent's days (`sheet.settle_days`) so the ledger follows at once.
"""

from __future__ import annotations

import calendar as weeks
import datetime as dt
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_skeleton
from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, Route, ValidationError, translate

from . import punches as punch_records
from . import roster as rosters
from . import sheet
from .calendar import DATA_DIR
from .config import (NAME, SHIPPED_CALENDARS, calendar_edits, edit_calendar, holiday_calendar,
                     local_now)
from .days import due_span, on_the_minute, whole_minutes
from .leave import approved_spans

REST = "-"  # the roster grid's value for a rest day ("-" alone is never a shift code)
# Agents on one roster form: a form posts every cell, and the web shell's form parser takes at
# most 1,000 fields, so a large team is shown 30 agents (930 cells) at a time.
GRID_AGENTS = 30
LIVE_ORDER = ("late", "not_in", "in", "due", "absent", "on_leave", "rest")
SHIFT_FIELDS = {"code": "code", "name": "name", "start": "start", "end": "end",
                "late grace": "late_grace", "early grace": "early_grace",
                "punch window before the start": "punch_before",
                "punch window after the end": "punch_after", "break": "break_minutes",
                "job_type": "job_type"}


# ---------------------------------------------------------------- request helpers


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def actor(p) -> str:
    return p.user["username"]


def arg(p, name: str, default: str = "") -> str:
    """A field of the POST form, else of the query string; a repeated field gives its last value."""
    value = p.form.get(name, p.request.query_params.get(name, default))
    if isinstance(value, list):
        value = value[-1] if value else default
    return value.strip() if isinstance(value, str) else value


def month_arg(p) -> str:
    text = arg(p, "month") or local_now(p.project).date().isoformat()[:7]
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ValidationError(N_("month"), N_("expected a month as YYYY-MM, got {value!r}"), value=text)
    return text


def date_arg(p, name: str = "date") -> str:
    text = arg(p, name) or local_now(p.project).date().isoformat()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationError(name, N_("expected a date as YYYY-MM-DD, got {value!r}"),
                              value=text) from None


def go(p, page: str, **query) -> object:
    """Redirect to *page* of the plugin with *query* (empty values left out)."""
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return p.redirect(f"{base(p)}/{page}" + (f"?{urlencode(query)}" if query else ""))


def names_of(p, first: str, last: str | None = None) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], first, last)}


def team_names(p) -> dict[str, str]:
    return {t["slug"]: t["name"] for t in p.fw.teams.of(p.project["slug"])}


def team_agents(p, team: str, first: str, last: str) -> list[dict]:
    """The agents whose latest assignment from *first* to *last* is *team* of this project."""
    return [a for a, asg in p.fw.agents.in_project(p.project["slug"], first, last)
            if asg["project"] == p.project["slug"] and asg["team"] == team]


def day_kind(calendar, day: dt.date) -> str:
    """holiday, workday (a make-up workday), weekend or "" (an ordinary weekday)."""
    if calendar.is_holiday(day):
        return "holiday"
    if day in calendar.workdays:
        return "workday"
    return "weekend" if day.weekday() >= 5 else ""


# ---------------------------------------------------------------- today's floor


def live_row(row: dict, shift, punches: list[dt.datetime], leave: list, now: dt.datetime) -> dict:
    """A still-open shift (status "scheduled") as it stands at *now*: in, late, not in yet, or on
    leave; concluded rows map their status onto the same words."""
    if row["status"] != "scheduled":
        live = {"present": "late" if row.get("late") else "in"}.get(row["status"], row["status"])
        return {**row, "live": live}
    start, end = row["start"], row["end"]
    span = next((s for s in leave if s.start < end and start < s.end), None)
    if span is not None and span.covers(start) and span.covers(end):
        return {**row, "live": "on_leave"}
    due, _ = due_span(start, end, span)
    opens = shift.punch_window(dt.date.fromisoformat(row["date"]))[0]
    seen = sorted(on_the_minute(t) for t in punches if opens <= on_the_minute(t) <= now)
    if not seen and now < due:  # the shift has not started: nobody is missing yet
        return {**row, "live": "due"}
    if not seen:
        return {**row, "live": "not_in", "overdue": max(0, whole_minutes(now - due))}
    late = max(0, whole_minutes(seen[0] - due) - shift.late_grace)
    return {**row, "live": "late" if late else "in", "late": late, "check_in": seen[0]}


def floor_rows(fw, project: dict, now: dt.datetime) -> list[dict]:
    """Today's agent-days, plus yesterday's shifts still running, each with its live state."""
    slug, today = project["slug"], now.date()
    yesterday = today - dt.timedelta(days=1)
    rows = [r for r in sheet.derive(fw, project, yesterday, today, now)
            if r["date"] == today.isoformat() or (r["status"] == "scheduled" and r["end"] > now)]
    known = rosters.shifts(fw, slug)
    leave = approved_spans(fw, slug, yesterday, today + dt.timedelta(days=1))
    punched: dict[str, list[dt.datetime]] = {}
    for r in rows:
        if r["status"] == "scheduled" and r["agent"] not in punched:
            punched[r["agent"]] = [dt.datetime.fromisoformat(x["at"]) for x in punch_records.agent_punches(
                fw, slug, r["agent"], yesterday, today) if not x["void"]]
    return [live_row(r, known.get(r["shift"]), punched.get(r["agent"], []),
                     leave.get(r["agent"], []), now) for r in rows]


def floor(p):
    now = local_now(p.project)
    rows = floor_rows(p.fw, p.project, now)
    names = names_of(p, (now.date() - dt.timedelta(days=1)).isoformat(), now.date().isoformat())
    teams = team_names(p)
    groups: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: (LIVE_ORDER.index(r["live"]), r["agent"])):
        groups.setdefault(r["team"], []).append({**r, "name": names.get(r["agent"], r["agent"])})
    return p.render("attendance/floor.html", now=now, base=base(p), order=LIVE_ORDER,
                    counts=Counter(r["live"] for r in rows),
                    teams=[{"slug": t, "name": teams.get(t, t), "rows": group,
                            "counts": Counter(r["live"] for r in group)}
                           for t, group in sorted(groups.items())],
                    can_edit=p.can(f"{NAME}.edit"), can_manage=p.can(f"{NAME}.manage"))


# ---------------------------------------------------------------- the roster grid


def grid(p, month: str, team: str, typed: dict | None = None) -> dict:
    """The roster grid's context: agents × days, each cell's value, swaps, holidays."""
    slug = p.project["slug"]
    days = rosters.month_dates(month)
    calendar = holiday_calendar(p.fw)
    entries = rosters.roster(p.fw, slug, month)
    typed = typed or {}
    agents = team_agents(p, team, days[0].isoformat(), days[-1].isoformat()) if team else []
    part = min(max(int_arg(p, "part"), 0), max(len(agents) - 1, 0) // GRID_AGENTS)
    rows = []
    for agent in agents[part * GRID_AGENTS:(part + 1) * GRID_AGENTS]:
        cells = []
        for day in days:
            key = rosters.entry_id(agent["number"], day.isoformat())
            entry = entries.get(key)
            stored = "" if entry is None else entry["shift"] or REST
            here = p.fw.agents.assignment_on(agent["number"], day.isoformat())
            cells.append({"name": f"cell|{agent['number']}|{day.isoformat()}",
                          "value": typed.get(f"cell|{agent['number']}|{day.isoformat()}", stored),
                          "stored": stored, "swap": bool(entry and entry.get("swap")),
                          "here": here is not None and here["project"] == slug})
        rows.append({"agent": agent, "cells": cells})
    week = rosters.pattern(p.fw, slug, team) if team else None
    return {"month": month, "team": team, "teams": p.fw.teams.of(slug), "rows": rows, "part": part,
            "parts": [(n // GRID_AGENTS, agents[n]["number"],
                       agents[min(len(agents), n + GRID_AGENTS) - 1]["number"])
                      for n in range(0, len(agents), GRID_AGENTS)],
            "days": [{"date": d, "kind": day_kind(calendar, d)} for d in days],
            "shifts": rosters.shift_docs(p.fw, slug), "pattern": week, "base": base(p),
            "can_edit": p.can(f"{NAME}.edit"), "REST": REST}


def int_arg(p, name: str) -> int:
    text = arg(p, name)
    return int(text) if text.isdigit() else 0


def chosen_team(p) -> str:
    teams = [t["slug"] for t in p.fw.teams.of(p.project["slug"])]
    team = arg(p, "team") or (teams[0] if teams else "")
    if team and team not in teams:
        raise ValidationError(N_("team"), N_("no team {team!r} in project {project!r}"),
                              team=team, project=p.project["slug"])
    return team


def roster_page(p):
    month, team = month_arg(p), chosen_team(p)
    if p.request.method == "GET":
        return p.render("attendance/roster.html", done=arg(p, "done"), count=arg(p, "n"),
                        **grid(p, month, team))
    typed = {k: v for k, v in p.form.items() if k.startswith("cell|") and isinstance(v, str)}
    try:
        written = save_cells(p, typed, rosters.roster(p.fw, p.project["slug"], month))
    except FloorwalkerError as err:
        return p.render("attendance/roster.html", http_status=422, error=err.message(p.locale),
                        bad=getattr(err, "cell", None), **grid(p, month, team, typed))
    return go(p, "roster", team=team, month=month, part=arg(p, "part"), done="saved", n=written)


def save_cells(p, typed: dict, entries: dict) -> int:
    """Save the cells whose value differs from the roster, all or none. A refused cell is named:
    the error carries ``cell`` (its field name) and a message saying whose day it is."""
    slug, known = p.project["slug"], rosters.shifts(p.fw, p.project["slug"])
    cells = []
    for name, value in sorted(typed.items()):
        _, agent, day = name.split("|", 2)
        entry = entries.get(rosters.entry_id(agent, day))
        stored = "" if entry is None else entry["shift"] or REST
        if value in ("", stored):
            continue
        try:
            p.fw.agents.require_in_project(slug, agent, day)
            if value != REST and value not in known:
                raise ValidationError(N_("shift"), N_("no shift type {code!r}"), code=value)
            if entry is not None and entry.get("swap"):
                raise ValidationError(N_("shift"), N_(
                    "{agent}'s shift of {day} was set by an approved swap; cancel the swap "
                    "instead"), agent=agent, day=day)
        except FloorwalkerError as err:
            raise CellRefused(name, agent, day, err) from None
        cells.append((agent, day, None if value == REST else value))
    return rosters.set_entries(p.fw, slug, cells, actor(p)) if cells else 0


class CellRefused(FloorwalkerError):
    """A roster cell that cannot be saved: says whose day it is, and why, in the reader's language."""

    http_status = 422

    def __init__(self, cell: str, agent: str, day: str, reason: FloorwalkerError):
        self.cell, self.agent, self.day, self.reason = cell, agent, day, reason
        super().__init__(N_("{agent} on {day}: {problem}"), agent=agent, day=day, problem=reason)

    def message(self, locale: str = "en") -> str:
        return translate(self.msgid, locale, agent=self.agent, day=self.day,
                         problem=self.reason.message(locale))


def pattern_post(p):
    """Set the team's weekly pattern (``do=set``) or write it into the month (``do=apply``)."""
    month, team = month_arg(p), chosen_team(p)
    try:
        if arg(p, "do") == "set":
            days = [arg(p, f"day{n}") for n in range(rosters.WEEKDAYS)]
            rosters.set_pattern(p.fw, p.project["slug"], team,
                                [None if d in ("", REST) else d for d in days], actor(p))
            return go(p, "roster", team=team, month=month, done="pattern")
        dates = rosters.month_dates(month)
        written = rosters.apply_pattern(p.fw, p.project["slug"], team, dates[0].isoformat(),
                                        dates[-1].isoformat(), actor(p),
                                        overwrite=arg(p, "overwrite") == "1")
    except FloorwalkerError as err:
        return p.render("attendance/roster.html", http_status=422, error=err.message(p.locale),
                        **grid(p, month, team))
    return go(p, "roster", team=team, month=month, done="applied", n=written)


# ---------------------------------------------------------------- shift types


def shifts_page(p):
    slug = p.project["slug"]
    docs = rosters.shift_docs(p.fw, slug)
    if p.request.method == "GET":
        code = arg(p, "code")
        current = next((d for d in docs if d["code"] == code), {})
        return p.render("attendance/shifts.html", **shifts_context(p, docs, current), done=arg(p, "done"))
    typed = {f: arg(p, f) for f in set(SHIFT_FIELDS.values())}
    try:
        doc = rosters.shift_doc(typed["code"], typed["name"], typed["start"], typed["end"],
                                job_type=typed["job_type"], late_grace=typed["late_grace"],
                                early_grace=typed["early_grace"], punch_before=typed["punch_before"],
                                punch_after=typed["punch_after"], break_minutes=typed["break_minutes"])
        rosters.save_shift(p.fw, slug, doc, actor(p))
    except FloorwalkerError as err:
        field = SHIFT_FIELDS.get(str(getattr(err, "field", "")), "")
        return p.render("attendance/shifts.html", http_status=422, error=err.message(p.locale),
                        **shifts_context(p, docs, typed, {field: err.message(p.locale)} if field else {}))
    return go(p, "shifts", done=doc["code"])


def shifts_context(p, docs: list[dict], current: dict, errors: dict | None = None) -> dict:
    listed = [{**d, "crosses": rosters.shift_of(d).crosses_midnight} for d in docs]
    defaults = {"job_type": "voice", "late_grace": 0, "early_grace": 0, "punch_before": 120,
                "punch_after": 120, "break_minutes": 0}
    return {"shifts": listed, "form": {**defaults, **current}, "base": base(p),
            "can_manage": p.can(f"{NAME}.manage"), "errors": errors or {}}


# ---------------------------------------------------------------- punches


def punches_context(p, day: str, agent: str, team: str) -> dict:
    """The punches of *day* for an agent, a team or everyone: those in the punch window of the
    day's shift (a night shift's check-out the next morning included), and those dated that day
    that do not close the shift of the day before."""
    slug, date = p.project["slug"], dt.date.fromisoformat(day)
    names = names_of(p, day)
    wanted = {agent} if agent else (
        {a["number"] for a in team_agents(p, team, day, day)} if team else set(names))
    eve = date - dt.timedelta(days=1)
    known = rosters.shifts(p.fw, slug)
    both = sheet.derive(p.fw, p.project, eve, date, agents=wanted)
    windows = {(r["agent"], r["date"]): known[r["shift"]].punch_window(dt.date.fromisoformat(r["date"]))
               for r in both if r["shift"] in known}

    def within(x, on: dt.date) -> bool:
        window = windows.get((x["agent"], on.isoformat()))
        return bool(window) and window[0] <= dt.datetime.fromisoformat(x["at"]) <= window[1]

    found = [x for month in rosters.months_of(date, date + dt.timedelta(days=1))
             for x in punch_records.punches(p.fw, slug, month) if x["agent"] in wanted and (
                 within(x, date) or (x["date"] == day and not within(x, eve)))]
    return {"day": day, "agent": agent, "team": team, "teams": p.fw.teams.of(slug), "names": names,
            "punches": found, "rows": [r for r in both if r["date"] == day],
            "base": base(p), "can_edit": p.can(f"{NAME}.edit"), "typed": {}}


def punches_page(p):
    day, agent = date_arg(p), arg(p, "agent")
    team = "" if agent else arg(p, "team")
    if p.request.method == "GET":
        return p.render("attendance/punches.html", done=arg(p, "done"),
                        counts={k: arg(p, k) for k in ("rows", "added", "already")},
                        **punches_context(p, day, agent, team))
    slug, do, note = p.project["slug"], arg(p, "do"), arg(p, "note")
    try:
        if do == "add":
            doc = punch_records.add_manual(p.fw, slug, arg(p, "punch_agent"), arg(p, "at"), note, actor(p))
        elif do == "correct":
            doc = punch_records.correct(p.fw, slug, arg(p, "punch"), arg(p, "at"), note, actor(p))
        elif do == "void":
            doc = punch_records.void(p.fw, slug, arg(p, "punch"), note, actor(p))
        else:
            raise ValidationError(N_("punch action"), N_("must be one of {choices}"),
                                  choices="add, correct, void")
        settle_around(p, doc["agent"], doc["date"])
    except FloorwalkerError as err:
        ctx = punches_context(p, day, agent, team)
        ctx["typed"] = {k: arg(p, k) for k in ("do", "punch", "punch_agent", "at", "note")}
        return p.render("attendance/punches.html", http_status=422, error=err.message(p.locale), **ctx)
    return go(p, "punches", date=day, agent=agent, team=team, done=do)


def settle_around(p, agent: str, day: str) -> None:
    """A punch after midnight may close yesterday's night shift: settle both days."""
    eve = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    sheet.settle_days(p.fw, p.project, agent, eve, day, actor(p))


def import_post(p):
    """Import a punch-clock export: all rows or none; the months it touched are settled."""
    day, agent, team = date_arg(p), arg(p, "agent"), arg(p, "team")
    upload = p.form.get("file")
    try:
        filename = getattr(upload, "filename", "") or ""
        suffix = Path(filename).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ValidationError(N_("file"), N_("use a .csv or .xlsx file, got {name}"),
                                  name=filename or "-")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"punches{suffix}"
            path.write_bytes(upload.file.read())
            done = punch_records.import_punches(p.fw, p.project["slug"], path, actor(p))
        for month in done["months"]:
            sheet.settle(p.fw, p.project, month, actor(p))
    except FloorwalkerError as err:
        return p.render("attendance/punches.html", http_status=422, error=err.message(p.locale),
                        **punches_context(p, day, agent, team))
    return go(p, "punches", date=day, agent=agent, team=team, done="import", rows=done["rows"],
              added=done["added"], already=done["already"])


# ---------------------------------------------------------------- exceptions and marks


def exceptions_page(p):
    month = month_arg(p)
    if p.request.method == "POST":
        try:
            sheet.resolve_exception(p.fw, p.project, arg(p, "agent"), date_arg(p), arg(p, "note"), p.user)
        except FloorwalkerError as err:
            return p.render("attendance/exceptions.html", http_status=422, error=err.message(p.locale),
                            typed={k: arg(p, k) for k in ("agent", "date", "note")},
                            **exceptions_context(p, month))
        return go(p, "exceptions", month=month, done="resolved")
    return p.render("attendance/exceptions.html", done=arg(p, "done"), typed={},
                    **exceptions_context(p, month))


def exceptions_context(p, month: str) -> dict:
    dates = rosters.month_dates(month)
    rows = sheet.month_rows(p.fw, p.project, month)
    flagged: dict[str, dict] = {}  # per agent: a month of missed roll-calls is one line, not 20
    for r in rows:
        for flag, key in (("over_limit", "over_limit"), ("missed_roll_call", "roll_call")):
            if r.get(flag):
                flagged.setdefault(r["agent"], {"agent": r["agent"], "over_limit": [], "roll_call": []})[
                    key].append(r["date"])
    return {"month": month, "open": sheet.exceptions(rows), "base": base(p),
            "flagged": sorted(flagged.values(), key=lambda a: a["agent"]),
            "names": names_of(p, dates[0].isoformat(), dates[-1].isoformat()),
            "can_edit": p.can(f"{NAME}.edit")}


def marks_page(p):
    month = month_arg(p)
    if p.request.method == "POST":
        typed = {k: arg(p, k) for k in ("agent", "date", "kind", "minutes", "note")}
        try:
            doc = sheet.record_mark(p.fw, p.project, typed["agent"], date_arg(p), typed["kind"],
                                    p.user, typed["note"],
                                    (typed["minutes"] or None) if typed["kind"] == "away" else None)
        except FloorwalkerError as err:
            return p.render("attendance/marks.html", http_status=422, error=err.message(p.locale),
                            typed=typed, **marks_context(p, month))
        return go(p, "marks", month=doc["date"][:7], done=doc["kind"])
    return p.render("attendance/marks.html", done=arg(p, "done"), typed={}, **marks_context(p, month))


def marks_context(p, month: str) -> dict:
    dates = rosters.month_dates(month)
    return {"month": month, "marks": sheet.marks(p.fw, p.project["slug"], month), "base": base(p),
            "titles": sheet.MARK_TITLES,
            "names": names_of(p, dates[0].isoformat(), dates[-1].isoformat()),
            "can_edit": p.can(f"{NAME}.edit")}


# ---------------------------------------------------------------- the holiday calendar


def calendar_page(p):
    year = arg(p, "year") or str(local_now(p.project).year)
    if not re.fullmatch(r"\d{4}", year):
        raise ValidationError(N_("year"), N_("expected a year as YYYY, got {value!r}"), value=year)
    if p.request.method == "GET":
        return p.render("attendance/calendar.html", done=arg(p, "done"),
                        **calendar_context(p, int(year), calendar_edits(p.fw)))
    p.authorize("admin.settings")
    typed = {k: arg(p, k) for k in ("holidays", "workdays", "ordinary")}
    try:
        edit_calendar(p.fw, parse_edits(typed), actor(p))
    except FloorwalkerError as err:
        return p.render("attendance/calendar.html", http_status=422, error=err.message(p.locale),
                        **calendar_context(p, int(year), typed, raw=True))
    return go(p, "calendar", year=year, done="saved")


def parse_edits(typed: dict) -> dict:
    """The edit form's text as `edit_calendar` takes it: a holiday line is ``from [to] name``,
    the other boxes one date a line (the calendar checks the dates)."""
    holidays = []
    for line in typed["holidays"].splitlines():
        words = line.split()
        if not words:
            continue
        ranged = len(words) > 1 and re.fullmatch(r"\d{4}-\d\d-\d\d", words[1]) is not None
        holidays.append({"name": " ".join(words[2 if ranged else 1:]), "from": words[0],
                         "to": words[1] if ranged else words[0]})
    return {"holidays": holidays, **{k: typed[k].split() for k in ("workdays", "ordinary")}}


def edits_text(edits: dict) -> dict:
    """The stored edits as the form's text."""
    holidays = [" ".join(filter(None, [h["from"], h["to"] if h.get("to") != h["from"] else "",
                                        h.get("name", "")])) if isinstance(h, dict) else str(h)
                for h in edits.get("holidays", ())]
    return {"holidays": "\n".join(holidays),
            **{k: "\n".join(map(str, edits.get(k, ()))) for k in ("workdays", "ordinary")}}


def calendar_context(p, year: int, edits: dict, raw: bool = False) -> dict:
    calendar = holiday_calendar(p.fw)
    months = [{"title": format_skeleton("yMMMM", dt.date(year, m, 1), locale=p.locale),
               "weeks": [[{"date": d, "kind": day_kind(calendar, d), "other": d.month != m} for d in week]
                         for week in weeks.Calendar().monthdatescalendar(year, m)]}
              for m in range(1, 13)]
    shipped = []
    for name in SHIPPED_CALENDARS:
        data = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        shipped.append({"name": name, "source": data.get("source", ""), "year": data.get("year"),
                        "holidays": data.get("holidays", []), "workdays": data.get("workdays", [])})
    return {"year": year, "months": months, "shipped": shipped, "base": base(p),
            "holidays": sorted(d for d in calendar.holidays if d.year == year),
            "workdays": sorted(d for d in calendar.workdays if d.year == year),
            "edits": edits if raw else edits_text(edits), "can_admin": p.can("admin.settings")}



ROUTES = [
    Route("", floor, f"{NAME}.view"),
    Route("roster", roster_page, f"{NAME}.view"),
    Route("roster", roster_page, f"{NAME}.edit", ("POST",)),
    Route("roster/pattern", pattern_post, f"{NAME}.edit", ("POST",)),
    Route("shifts", shifts_page, f"{NAME}.view"),
    Route("shifts", shifts_page, f"{NAME}.manage", ("POST",)),
    Route("punches", punches_page, f"{NAME}.view"),
    Route("punches", punches_page, f"{NAME}.edit", ("POST",)),
    Route("punches/import", import_post, f"{NAME}.edit", ("POST",)),
    Route("exceptions", exceptions_page, f"{NAME}.view"),
    Route("exceptions", exceptions_page, f"{NAME}.edit", ("POST",)),
    Route("marks", marks_page, f"{NAME}.view"),
    Route("marks", marks_page, f"{NAME}.edit", ("POST",)),
    Route("calendar", calendar_page, f"{NAME}.view"),
    Route("calendar", calendar_page, f"{NAME}.manage", ("POST",)),
]
