"""The attendance pages of the floor (现场): today's floor, the roster grid, punches, punch
exceptions and leaders' marks, under ``/p/{project}/attendance/``.

Today's floor is `sheet.floor_rows`: each agent-day with its state at the project's now
(`days.day_at`), the same state the punches page, the agent's month, the dashboard and the report
show. A night shift that started yesterday and is still running is on today's floor too.

Every form posts back: an error re-renders the page in the reader's language with status 422,
keeping what was typed; a success redirects (303) to the page with what was done. A change to
punches settles the agent's days (`sheet.settle_days`) so the ledger follows at once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from floorwalker.core import N_, FloorwalkerError, NotFound, PermissionDenied, Route, ValidationError, translate

from . import punches as punch_records
from . import roster as rosters
from . import sheet
from .actions import (EXCEPTION_RESOLVE, MARK, PUNCH_CORRECT, PUNCH_IMPORT, ROSTER_EDIT, ROSTER_IMPORT,
                      VIEW)
from .context import (ALL_TEAMS, actor, arg, base, date_arg, day_kind, go, led_teams, month_arg, names_of,
                      shown_teams, team_agents, team_names)
from .days import STATES
from .importers import import_punches, import_roster
from .requests import leave_title

REST = "-"  # the roster grid's value for a rest day ("-" alone is never a shift code)
# Agents on one roster form: a form posts every cell (the web shell takes up to 20,000 fields);
# a team larger than this is shown in parts, which keeps the page light too.
GRID_AGENTS = 60


# ---------------------------------------------------------------- today's floor


def floor(p):
    now = p.fw.projects.now(p.project).replace(second=0, microsecond=0)
    rows = sheet.floor_rows(p.fw, p.project, now)
    names = names_of(p, (now.date() - dt.timedelta(days=1)).isoformat(), now.date().isoformat())
    teams = team_names(p)
    state = arg(p, "state") if arg(p, "state") in STATES else ""  # a count's link shows its agents
    groups: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: (STATES.index(r["state"]), r["agent"])):
        if not state or r["state"] == state:
            groups.setdefault(r["team"], []).append({**r, "name": names.get(r["agent"], r["agent"])})
    return p.render("attendance/floor.html", now=now, base=base(p), order=STATES, state=state,
                    counts=Counter(r["state"] for r in rows), leave_title=leave_title,
                    teams=[{"slug": t, "name": teams.get(t, t), "rows": group,
                            "counts": Counter(r["state"] for r in group)}
                           for t, group in sorted(groups.items())])


# ---------------------------------------------------------------- the roster grid


def grid(p, month: str, team: str, typed: dict | None = None) -> dict:
    """The roster grid's context: agents × days, each cell's value, swaps, holidays."""
    slug = p.project["slug"]
    days = rosters.month_dates(month)
    calendar = p.fw.calendar.current()
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
            "can_edit": bool(team) and p.can(ROSTER_EDIT, {"team": team}),
            "can_import": p.can(ROSTER_IMPORT), "REST": REST,
            # rostered days over the continuous-work limit, by roster entry id (agent:date)
            "warnings": {key: w.message(p.locale) for key, w in rosters.roster_warnings(
                p.fw, slug, days[0], days[-1], {a["number"] for a in agents}).items()}}


def int_arg(p, name: str) -> int:
    text = arg(p, name)
    return int(text) if text.isdigit() else 0


def chosen_team(p) -> str:
    teams = [t["slug"] for t in p.fw.teams.of(p.project["slug"])]
    team = arg(p, "team") or (teams[0] if teams else "")
    if team and team not in teams:
        raise NotFound(N_("no team {team!r} in project {project!r}"), team=team, project=p.project["slug"])
    return team


def roster_page(p):
    month, team = month_arg(p), chosen_team(p)
    if p.request.method == "GET":
        return p.render("attendance/roster.html", done=arg(p, "done"), count=arg(p, "n"),
                        over=arg(p, "w"), **grid(p, month, team))
    typed = {k: v for k, v in p.form.items() if k.startswith("cell|") and isinstance(v, str)}
    try:
        written = save_cells(p, typed, rosters.roster(p.fw, p.project["slug"], month))
    except (NotFound, PermissionDenied):
        raise
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
        p.authorize(ROSTER_EDIT, {"agent": agent, "date": day})
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
    p.authorize(ROSTER_EDIT, {"team": team})
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


# ---------------------------------------------------------------- punches


def punches_context(p, day: str, agent: str, team: str) -> dict:
    """The punches of *day* for an agent, a team or everyone: those in the punch window of the
    day's shift (a night shift's check-out the next morning included), and those dated that day
    that do not close the shift of the day before."""
    slug, date = p.project["slug"], dt.date.fromisoformat(day)
    names = names_of(p, day)
    shown = [] if agent else shown_teams(p, team)  # a team leader's own teams unless widened
    wanted = {agent} if agent else (
        {a["number"] for t in shown for a in team_agents(p, t, day, day)} if shown else set(names))
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
    rows = [r for r in both if r["date"] == day]
    # the correct, void and add forms only for the agents this user may write (a team leader:
    # their own teams' agents on that day)
    writable = sorted(a for a in {*wanted, *(x["agent"] for x in found)} if a in names
                      and p.can(PUNCH_CORRECT, {"agent": a, "date": day})) if p.can(PUNCH_CORRECT) else []
    return {"day": day, "agent": agent, "team": team, "teams": p.fw.teams.of(slug), "names": names,
            "led": led_teams(p), "all_teams": ALL_TEAMS, "writable": writable,
            "punches": found, "rows": rows, "suggested": suggested_punch(rows, agent, day),
            "base": base(p), "can_edit": bool(writable), "can_import": p.can(PUNCH_IMPORT),
            "typed": {}}


def suggested_punch(rows: list[dict], agent: str, day: str) -> dict:
    """The manual punch form's first values: the page's day, or for one agent's missing punch
    (the exceptions page's fix leads here) the side missing, at the shift's start or end."""
    missing = [r for r in rows if r["agent"] == agent and r.get("missing_punch")]
    if not missing:
        return {"punch_date": day, "time": ""}
    at = missing[0]["start" if missing[0]["missing_punch"] == "in" else "end"]
    return {"punch_date": at.date().isoformat(), "time": at.strftime("%H:%M"),
            "missing": missing[0]["missing_punch"]}


def picked_time(p, day: str) -> dt.datetime:
    """The moment the punch form's pickers give: ``punch_date`` (the page's day unless changed,
    e.g. to the morning after a night shift) and ``time``; an error names the field."""
    on, clock = arg(p, "punch_date") or day, arg(p, "time")
    if not clock:
        raise ValidationError(N_("time of the punch"), N_("is required"))
    try:
        moment = dt.time.fromisoformat(clock)
    except ValueError:
        raise ValidationError(N_("time of the punch"),
                              N_("pick a time of day, from 00:00 to 23:59")) from None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(on), moment)
    except ValueError:
        raise ValidationError(N_("day of the punch"), N_("pick a day on the calendar")) from None


def punches_page(p):
    day, agent = date_arg(p), arg(p, "agent")
    team = "" if agent else arg(p, "team")
    if p.request.method == "GET":
        return p.render("attendance/punches.html", done=arg(p, "done"),
                        counts={k: arg(p, k) for k in ("rows", "added", "already")},
                        **punches_context(p, day, agent, team))
    slug, do, note = p.project["slug"], arg(p, "do"), arg(p, "note")
    if do == "add":
        p.authorize(PUNCH_CORRECT, {"agent": arg(p, "punch_agent"), "date": arg(p, "punch_date") or day})
    elif do in ("correct", "void"):
        p.authorize(PUNCH_CORRECT, punch_records.find(p.fw, slug, arg(p, "punch"))[1])
    try:
        if do == "add":
            doc = punch_records.add_manual(p.fw, slug, arg(p, "punch_agent"), picked_time(p, day),
                                           note, actor(p))
        elif do == "correct":
            doc = punch_records.correct(p.fw, slug, arg(p, "punch"), picked_time(p, day), note, actor(p))
        elif do == "void":
            doc = punch_records.void(p.fw, slug, arg(p, "punch"), note, actor(p))
        else:
            raise ValidationError(N_("punch action"), N_("must be one of {choices}"),
                                  choices="add, correct, void")
        settle_around(p, doc["agent"], doc["date"])
    except FloorwalkerError as err:
        ctx = punches_context(p, day, agent, team)
        ctx["typed"] = {k: arg(p, k) for k in ("do", "punch", "punch_agent", "punch_date", "time", "note")}
        ctx["bad"] = getattr(err, "field", None)
        return p.render("attendance/punches.html", http_status=422, error=err.message(p.locale), **ctx)
    return go(p, "punches", date=day, agent=agent, team=team, done=do)


def settle_around(p, agent: str, day: str) -> None:
    """A punch after midnight may close yesterday's night shift: settle both days."""
    eve = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    sheet.settle_days(p.fw, p.project, agent, eve, day, actor(p))


@contextmanager
def uploaded(p):
    """The form's .csv or .xlsx upload as a file on disk (the importers read a path)."""
    upload = p.form.get("file")
    filename = getattr(upload, "filename", "") or ""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(N_("file"), N_("use a .csv or .xlsx file, got {name}"), name=filename or "-")
    with tempfile.TemporaryDirectory() as folder:
        # named as the user's file, so an error names the file they chose
        path = Path(folder) / (Path(filename).name or f"upload{suffix}")
        path.write_bytes(upload.file.read())
        yield path


def roster_import_post(p):
    """Set the roster from a file (long or grid form): every cell or none."""
    month, team = month_arg(p), chosen_team(p)
    try:
        with uploaded(p) as path:
            done = import_roster(p.fw, p.project, path, actor(p), month=month)
    except FloorwalkerError as err:
        return p.render("attendance/roster.html", http_status=422, error=err.message(p.locale),
                        **grid(p, month, team))
    return go(p, "roster", team=team, month=month, done="imported", n=done["changed"],
              w=done["over_limit"])


def import_post(p):
    """Import a punch-clock export: all rows or none; the import settles the months it touched."""
    day, agent, team = date_arg(p), arg(p, "agent"), arg(p, "team")
    try:
        with uploaded(p) as path:
            done = import_punches(p.fw, p.project["slug"], path, actor(p))
    except FloorwalkerError as err:
        return p.render("attendance/punches.html", http_status=422, error=err.message(p.locale),
                        **punches_context(p, day, agent, team))
    return go(p, "punches", date=day, agent=agent, team=team, done="import", rows=done["rows"],
              added=done["added"], already=done["already"])


# ---------------------------------------------------------------- exceptions and marks


def exceptions_page(p):
    month = month_arg(p)
    if p.request.method == "POST":
        p.authorize(EXCEPTION_RESOLVE, {"agent": arg(p, "agent"), "date": arg(p, "date")})
        try:
            sheet.resolve_exception(p.fw, p.project, arg(p, "agent"), date_arg(p), arg(p, "note"), p.user)
        except FloorwalkerError as err:
            return p.render("attendance/exceptions.html", http_status=422, error=err.message(p.locale),
                            typed={k: arg(p, k) for k in ("agent", "date", "note")},
                            **exceptions_context(p, month))
        return go(p, "exceptions", month=month, team=arg(p, "team"), done="resolved")
    return p.render("attendance/exceptions.html", done=arg(p, "done"), typed={},
                    **exceptions_context(p, month))


def exceptions_context(p, month: str) -> dict:
    dates = rosters.month_dates(month)
    team = arg(p, "team")
    shown = shown_teams(p, team)  # a team leader's own teams unless widened, as `waiting` counts
    rows = [r for r in sheet.month_rows(p.fw, p.project, month) if not shown or r["team"] in shown]
    flagged: dict[str, dict] = {}  # per agent: a month of missed roll-calls is one line, not 20
    for r in rows:
        for flag, key in (("over_limit", "over_limit"), ("missed_roll_call", "roll_call"),
                          ("left_before_relief", "relief")):
            if r.get(flag):
                flagged.setdefault(r["agent"], {"agent": r["agent"], "over_limit": [], "roll_call": [],
                                                "relief": []})[key].append(r["date"])
    return {"month": month, "open": sheet.exceptions(rows), "base": base(p), "team": team,
            "teams": p.fw.teams.of(p.project["slug"]), "led": led_teams(p), "all_teams": ALL_TEAMS,
            "limit_hours": rosters.hours_text(rosters.continuous_limit(p.fw, p.project)[0]),
            "flagged": sorted(flagged.values(), key=lambda a: a["agent"]),
            "names": names_of(p, dates[0].isoformat(), dates[-1].isoformat()),
            "can_edit": p.can(EXCEPTION_RESOLVE), "can_fix": p.can(PUNCH_CORRECT),
            "can_mark": p.can(MARK), "relief_recorded": {
                (m["agent"], m["date"]) for m in sheet.marks(p.fw, p.project["slug"], month)
                if m["kind"] == "relief"}}


def marks_page(p):
    month = month_arg(p)
    if p.request.method == "POST":
        typed = {k: arg(p, k) for k in ("agent", "date", "kind", "minutes", "note")}
        p.authorize(MARK, {"agent": typed["agent"], "date": typed["date"]})
        try:
            doc = sheet.record_mark(p.fw, p.project, typed["agent"], date_arg(p), typed["kind"],
                                    p.user, typed["note"],
                                    (typed["minutes"] or None) if typed["kind"] == "away" else None)
        except FloorwalkerError as err:
            return p.render("attendance/marks.html", http_status=422, error=err.message(p.locale),
                            typed=typed, **marks_context(p, month))
        return go(p, "marks", month=doc["date"][:7], done=doc["kind"])
    # a flag's "record" link (the exceptions page) comes with the agent, day and kind filled in
    typed = {k: arg(p, k) for k in ("agent", "date", "kind") if arg(p, k)}
    return p.render("attendance/marks.html", done=arg(p, "done"), typed=typed, **marks_context(p, month))


def marks_context(p, month: str) -> dict:
    dates = rosters.month_dates(month)
    return {"month": month, "marks": sheet.marks(p.fw, p.project["slug"], month), "base": base(p),
            "titles": sheet.MARK_TITLES,
            "names": names_of(p, dates[0].isoformat(), dates[-1].isoformat()),
            "can_edit": p.can(MARK)}


ROUTES = [
    Route("", floor, VIEW),
    Route("roster", roster_page, VIEW),
    Route("roster", roster_page, ROSTER_EDIT, ("POST",)),
    Route("roster/pattern", pattern_post, ROSTER_EDIT, ("POST",)),
    Route("roster/import", roster_import_post, ROSTER_IMPORT, ("POST",)),
    Route("punches", punches_page, VIEW),
    Route("punches", punches_page, PUNCH_CORRECT, ("POST",)),
    Route("punches/import", import_post, PUNCH_IMPORT, ("POST",)),
    Route("exceptions", exceptions_page, VIEW),
    Route("exceptions", exceptions_page, EXCEPTION_RESOLVE, ("POST",)),
    Route("marks", marks_page, VIEW),
    Route("marks", marks_page, MARK, ("POST",)),
]
