"""The attendance pages that set a project up: its shift types (班次), and the install's holiday
calendar (节假日), which only an administrator edits."""

from __future__ import annotations

import calendar as weeks
import datetime as dt
import re

from babel.dates import format_skeleton

from floorwalker.core import N_, FloorwalkerError, Route, ValidationError

from . import roster as rosters
from .actions import SETUP, VIEW
from .context import actor, arg, base, day_kind, go

SHIFT_FIELDS = {"code": "code", "name": "name", "start": "start", "end": "end",
                "late grace": "late_grace", "early grace": "early_grace",
                "punch window before the start": "punch_before",
                "punch window after the end": "punch_after", "break": "break_minutes",
                "job_type": "job_type"}

# the job types a shift is of (the project's channels), by their titles; a job type typed in
# earlier that is none of these is shown as it was typed
JOB_TYPES = {"voice": N_("Voice"), "chat": N_("Chat"), "email": N_("Email"), "ticket": N_("Ticket"),
             "social": N_("Social media")}


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
    form = {**defaults, **current}
    job_types = [(k, p._(title)) for k, title in JOB_TYPES.items()]
    if form["job_type"] not in JOB_TYPES:
        job_types.append((form["job_type"], form["job_type"]))
    return {"shifts": listed, "form": form, "base": base(p), "job_types": job_types,
            "job_title": lambda kind: p._(JOB_TYPES[kind]) if kind in JOB_TYPES else kind,
            "can_manage": p.can(SETUP), "errors": errors or {},
            "warnings": {code: w.message(p.locale)  # longer than continuous work may be
                         for code, w in rosters.shift_warnings(p.fw, p.project["slug"]).items()}}


# ---------------------------------------------------------------- the holiday calendar


def calendar_page(p):
    year = arg(p, "year") or str(p.fw.projects.today(p.project).year)
    if not re.fullmatch(r"\d{4}", year):
        raise ValidationError(N_("year"), N_("expected a year as YYYY, got {value!r}"), value=year)
    if p.request.method == "GET":
        return p.render("attendance/calendar.html", done=arg(p, "done"),
                        **calendar_context(p, int(year), p.fw.calendar.edits()))
    p.authorize("admin.settings")
    typed = {k: arg(p, k) for k in ("holidays", "workdays", "ordinary")}
    try:
        p.fw.calendar.edit(parse_edits(typed), actor(p))
    except FloorwalkerError as err:
        return p.render("attendance/calendar.html", http_status=422, error=err.message(p.locale),
                        **calendar_context(p, int(year), typed, raw=True))
    return go(p, "calendar", year=year, done="saved")


def parse_edits(typed: dict) -> dict:
    """The edit form's text as ``floorwalker.calendar.edit`` takes it: a holiday line is
    ``from [to] name``, the other boxes one date a line (the calendar checks the dates)."""
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
    calendar = p.fw.calendar.current()
    months = [{"title": format_skeleton("yMMMM", dt.date(year, m, 1), locale=p.locale),
               "weeks": [[{"date": d, "kind": day_kind(calendar, d), "other": d.month != m} for d in week]
                         for week in weeks.Calendar().monthdatescalendar(year, m)]}
              for m in range(1, 13)]
    official = p.fw.calendar.official(year)
    return {"year": year, "months": months, "shipped": [official] if official else [], "base": base(p),
            "holidays": sorted(d for d in calendar.holidays if d.year == year),
            "workdays": sorted(d for d in calendar.workdays if d.year == year),
            "edits": edits if raw else edits_text(edits), "can_admin": p.can("admin.settings")}


ROUTES = [
    Route("shifts", shifts_page, VIEW),
    Route("shifts", shifts_page, SETUP, ("POST",)),
    Route("calendar", calendar_page, VIEW),
    Route("calendar", calendar_page, "admin.settings", ("POST",)),  # the install's calendar
]
