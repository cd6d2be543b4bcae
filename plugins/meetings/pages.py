"""The meeting pages under ``/p/{project}/meetings/``: the month and week calendar (planned, held,
missed; holidays and make-up workdays from the core calendar), the month's plan, a meeting run
from one page (agenda, attendance, minutes, decisions, action items, the chair's sign-off after a
confirmation), the open action items, the team leaders' monthly
service-quality reports, and an agent's own meetings on a phone."""

from __future__ import annotations

import calendar as months
import datetime as dt

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, NotFound, PermissionDenied, Route, ValidationError, validate

from . import agenda, attendance, items, records, reports
from .actions import ATTEND, MINE, PLAN, REPORT, RUN, VIEW
from .config import HANDOVER_HEADINGS, ITEM_STATES, KINDS, NAME, PRESENCE, STATES

WORDS = {"kinds": KINDS, "states": STATES, "presence": PRESENCE, "item_states": ITEM_STATES,
         "headings": HANDOVER_HEADINGS}
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def _month(p) -> str:
    raw = p.request.query_params.get("month") or p.fw.projects.today(p.project).isoformat()[:7]
    try:
        return validate.month(raw)
    except ValidationError:
        return p.fw.projects.today(p.project).isoformat()[:7]


def _shift(month: str, step: int) -> str:
    year, number = map(int, month.split("-"))
    number += step
    year, number = year + (number - 1) // 12, (number - 1) % 12 + 1
    return f"{year:04d}-{number:02d}"


def _day_kind(p, day: dt.date) -> str:
    holidays = p.fw.calendar.current()
    if holidays.is_holiday(day):
        return "holiday"
    if day.weekday() >= 5 and holidays.is_workday(day):
        return "makeup"
    return "workday" if holidays.is_workday(day) else "weekend"


def calendar(p) -> Response:
    """The month (``?month=``) or a week (``?week=<a day>``) with each day's meetings."""
    today = p.fw.projects.today(p.project)
    week = p.request.query_params.get("week")
    if week:
        try:
            start = dt.date.fromisoformat(validate.date(week))
        except (ValidationError, ValueError):
            start = today
        start -= dt.timedelta(days=start.weekday())
        days = [[start + dt.timedelta(days=n) for n in range(7)]]
        month = start.isoformat()[:7]
    else:
        month = _month(p)
        year, number = map(int, month.split("-"))
        days = months.Calendar().monthdatescalendar(year, number)
        start = None
    first, last = days[0][0].isoformat(), days[-1][-1].isoformat()
    by_day: dict[str, list] = {}
    for doc in records.all_of(p.fw, p.project):
        if first <= doc["date"] <= last:
            by_day.setdefault(doc["date"], []).append({"doc": records.shown(doc, p.locale),
                                                       "state": records.state(doc, today)})
    weeks = [[{"day": d, "iso": d.isoformat(), "kind": _day_kind(p, d), "meetings": by_day.get(d.isoformat(), []),
               "other": d.isoformat()[:7] != month and not start} for d in row] for row in days]
    counts = {s: sum(1 for ms in by_day.values() for m in ms if m["state"] == s and m["doc"]["date"][:7] == month)
              for s in STATES}
    return p.render("meetings/calendar.html", weeks=weeks, month=month, week=start, counts=counts,
                    previous=_shift(month, -1), following=_shift(month, 1), today=today.isoformat(),
                    weekdays=WEEKDAYS_ZH if p.locale.startswith("zh") else WEEKDAYS_EN,
                    can_plan=p.can(PLAN), base=base(p), **_figures(p, month),
                    unknown_year=None if records.calendar_knows(p.fw, month) else month[:4], **WORDS)


def _figures(p, month: str) -> dict:
    """The calendar's figures section: the month's meeting figures with what each counts."""
    from . import figures
    first, last = figures.span(month)
    return {"figures": figures.rows(figures.compute(p.fw, p.project, first, last)), "figure_titles": figures.TITLES}


def plan(p) -> Response:
    try:
        month = validate.month(p.form.get("month"))
        made = records.plan_month(p.fw, p.project, month, p.user["username"])
    except ValidationError as err:
        return p.render("meetings/error.html", http_status=err.http_status, error=err.message(p.locale), base=base(p))
    return p.redirect(f"{base(p)}/?month={month}&planned={len(made)}")


def _sheet(p, doc: dict, typed: dict | None) -> list[dict]:
    """The roll-call rows, each saying whether this user marks it (a team leader: its own
    teams' agents), with what was typed when a refused form comes back."""
    rows = attendance.sheet(p.fw, p.project, doc)
    can_attend = p.can(ATTEND)
    for row in rows:
        row["mine"] = can_attend and p.can(ATTEND, {"agent": row["number"], "date": doc["date"]})
        if typed and row["number"] in typed:
            row["state"], row["note"] = typed[row["number"]]
    return rows


def _labels(p, found: list[dict]) -> dict:
    """Meeting id → its kind and day in the reader's language, for the items' history."""
    ids = {h.get(k) for i in found for h in i["history"] for k in ("meeting", "from")} - {None}
    docs = {d["id"]: d for d in records.all_of(p.fw, p.project) if d["id"] in ids}
    return {i: records.label(d, p.locale) for i, d in docs.items()}


def meeting(p, error: str | None = None, status: int = 200, confirm: bool = False,
            typed: dict | None = None) -> Response:
    doc = records.get(p.fw, p.project, p.params["id"])
    found = items.on_meeting(p.fw, p.project, doc["id"])
    today = p.fw.projects.today(p.project)
    return p.render("meetings/meeting.html", http_status=status, m=records.shown(doc, p.locale),
                    state=records.state(doc, today),
                    agenda=agenda.view(doc, p.locale),
                    sheet=_sheet(p, doc, typed), items=found, labels=_labels(p, found),
                    owners=items.owners(p.fw, p.project, doc["date"]),
                    error=error, confirm=confirm, can_run=p.can(RUN), can_attend=p.can(ATTEND),
                    signed=bool((doc.get("minutes") or {}).get("signed_by")),
                    on_the_day=doc["date"] <= today.isoformat(), base=base(p), **WORDS)


def _act(p, do) -> Response:
    records.get(p.fw, p.project, p.params["id"])  # 404 before anything else
    try:
        do()
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return meeting(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/{p.params['id']}")


def agenda_edit(p) -> Response:
    """The chair's edits of the agenda: add a point, remove, move up or down, a note (agenda.py)."""
    ident, entry, who = p.params["id"], p.form.get("entry"), p.user["username"]
    edits = {"add": lambda: agenda.add_point(p.fw, p.project, ident, p.form.get("text"), p.form.get("note"), who),
             "remove": lambda: agenda.remove(p.fw, p.project, ident, entry, who),
             "up": lambda: agenda.move(p.fw, p.project, ident, entry, -1, who),
             "down": lambda: agenda.move(p.fw, p.project, ident, entry, 1, who),
             "note": lambda: agenda.set_note(p.fw, p.project, ident, entry, p.form.get("note"), who)}
    do = edits.get(str(p.form.get("do") or ""))
    if do is None:
        records.get(p.fw, p.project, ident)
        return meeting(p, p._("choose what to do with the agenda"), 422)
    return _act(p, do)


def agenda_draft(p) -> Response:
    """Draft from the floor's data; drafting again (which replaces the drafted items) is confirmed."""
    doc = records.get(p.fw, p.project, p.params["id"])
    if p.form.get("confirm") != "yes" and any(e["source"] == "drafted" for e in agenda.entries(doc)):
        return meeting(p, p._("confirm drafting the agenda again"), 422)
    return _act(p, lambda: agenda.draft(p.fw, p.project, p.params["id"], p.user))


def goals(p) -> Response:
    return _act(p, lambda: agenda.save_goals(p.fw, p.project, p.params["id"], p.form.get("goals"),
                                             p.user["username"]))


def take_attendance(p) -> Response:
    """The roll-call form posts every expected person; a team leader marks only the agents of
    the teams they lead: another team's row left as it was is ignored, a change to it refused.
    A refused form comes back with what was typed."""
    doc = records.get(p.fw, p.project, p.params["id"])
    typed, marks = {}, {}
    for field in p.form:
        number, mark = str(field)[len("state-"):], str(p.form.get(field) or "")
        if str(field).startswith("state-"):
            typed[number] = (mark, str(p.form.get(f"note-{number}") or ""))
    shown = {r["number"]: (r["state"], r["note"]) for r in attendance.sheet(p.fw, p.project, doc)}
    for number, (mark, note) in typed.items():
        if not mark:
            continue
        if not p.can(ATTEND, {"agent": number, "date": doc["date"]}):
            if (mark, note.strip()) == shown.get(number, ("", "")):
                continue  # another team's row, as the form showed it
            p.authorize(ATTEND, {"agent": number, "date": doc["date"]})  # a change to it: refused (403)
        marks[number] = (mark, note)
    if not marks:
        return meeting(p, p._("mark at least one person"), 422, typed=typed)
    try:
        attendance.take(p.fw, p.project, doc["id"], marks, p.user["username"])
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return meeting(p, err.message(p.locale), err.http_status, typed=typed)
    return p.redirect(f"{base(p)}/{doc['id']}")


def excuse(p) -> Response:
    """An absence excused afterwards (leave approved later), also once the minutes are signed."""
    doc = records.get(p.fw, p.project, p.params["id"])
    number = str(p.form.get("agent") or "").strip()
    if number:  # a team leader excuses only the agents of the teams they lead
        p.authorize(ATTEND, {"agent": number, "date": doc["date"]})
    return _act(p, lambda: attendance.excuse(p.fw, p.project, doc["id"], number, p.form.get("note"),
                                             p.user["username"]))


def minutes(p) -> Response:
    return _act(p, lambda: records.write_minutes(p.fw, p.project, p.params["id"], p.form, p.user["username"]))


def raise_item(p) -> Response:
    return _act(p, lambda: items.raise_item(p.fw, p.project, p.params["id"], p.form.get("text"),
                                            p.form.get("owner"), p.form.get("due"), p.user["username"]))


def sign(p) -> Response:
    if p.form.get("confirm") != "yes":
        records.get(p.fw, p.project, p.params["id"])
        return meeting(p, p._("confirm the sign-off"), 422)
    return _act(p, lambda: records.sign_off(p.fw, p.project, p.params["id"], p.user["username"]))


def item_list(p) -> Response:
    today = p.fw.projects.today(p.project).isoformat()
    found = [i for i in items.all_of(p.fw, p.project) if i["status"] == "open"]
    return p.render("meetings/items.html", rows=found, today=today, can_run=p.can(RUN), base=base(p),
                    owners=items.owners(p.fw, p.project, today), **WORDS)


def item_status(p) -> Response:
    try:
        items.set_status(p.fw, p.project, p.params["id"], str(p.form.get("status") or ""), p.user["username"])
    except ValidationError as err:
        return p.render("meetings/error.html", http_status=err.http_status, error=err.message(p.locale), base=base(p))
    return p.redirect(f"{base(p)}/items")


def reports_page(p, error: str | None = None, status: int = 200) -> Response:
    month = _month(p) if p.request.method == "GET" else str(p.form.get("month") or "")[:7]
    handed = reports.of_month(p.fw, p.project, month) if month else {}
    return p.render("meetings/reports.html", http_status=status, month=month, handed=handed, error=error,
                    leaders=reports.leaders(p.fw, p.project), due=reports.due_day(p.fw, p.project, month or "2000-01"),
                    late=reports.late(p.fw, p.project, month) if month else [],
                    mine=handed.get(p.user["username"]), base=base(p), **WORDS)


def hand_in(p) -> Response:
    try:
        reports.hand_in(p.fw, p.project, p.form.get("month"), p.form.get("text"), p.user)
    except ValidationError as err:
        return reports_page(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/reports?month={p.form.get('month')}")


def mine(p) -> Response:
    """An agent's meetings of this month and the next, and its open action items (a phone page)."""
    number = p.user.get("agent") or ""
    today = p.fw.projects.today(p.project)
    month = today.isoformat()[:7]
    found = [{"doc": records.shown(d, p.locale), "state": records.state(d, today),
              # a meeting missed (its minutes never signed) shows no attendance
              "mark": {} if records.state(d, today) == "missed" else (d.get("attendance") or {}).get(number, {})}
             for d in records.all_of(p.fw, p.project) if number in d["expected"]
             and d["date"][:7] in (month, _shift(month, 1)) and d["kind"] != "handover"]
    mine_items = [i for i in items.all_of(p.fw, p.project) if i["owner"] in (number, p.user["username"])
                  and i["status"] == "open"]
    return p.render("meetings/mine.html", rows=found, items=mine_items, today=today.isoformat(), base=base(p), **WORDS)


def mine_meeting(p) -> Response:
    """An agent reads a meeting it was expected at: its signed minutes and its own mark, no
    editing; another meeting is not found."""
    number = p.user.get("agent") or ""
    doc = records.get(p.fw, p.project, p.params["id"])
    if not number or number not in doc["expected"]:
        raise NotFound(N_("no meeting {id!r}"), id=doc["id"])
    today = p.fw.projects.today(p.project)
    state = records.state(doc, today)
    mark = {} if state == "missed" else (doc.get("attendance") or {}).get(number, {})
    return p.render("meetings/meeting_mine.html", m=records.shown(doc, p.locale), state=state, mark=mark,
                    signed=bool((doc.get("minutes") or {}).get("signed_by")), base=base(p), **WORDS)


def routes() -> list[Route]:
    post = ("POST",)
    return [
        Route("/", calendar, action=VIEW),
        Route("/plan", plan, action=PLAN, methods=post),
        Route("/items", item_list, action=VIEW),
        Route("/items/{id}", item_status, action=RUN, methods=post),
        Route("/reports", reports_page, action=REPORT),
        Route("/reports", hand_in, action=REPORT, methods=post),
        Route("/mine", mine, action=MINE),
        Route("/mine/{id}", mine_meeting, action=MINE),
        Route("/{id}", meeting, action=VIEW),
        Route("/{id}/agenda", agenda_edit, action=RUN, methods=post),
        Route("/{id}/agenda/draft", agenda_draft, action=RUN, methods=post),
        Route("/{id}/goals", goals, action=RUN, methods=post),
        Route("/{id}/attendance", take_attendance, action=ATTEND, methods=post),
        Route("/{id}/excuse", excuse, action=ATTEND, methods=post),
        Route("/{id}/minutes", minutes, action=RUN, methods=post),
        Route("/{id}/items", raise_item, action=RUN, methods=post),
        Route("/{id}/sign", sign, action=RUN, methods=post),
    ]
