"""Meetings as records: planned from the cadence (or one by hand), who is expected, the agenda,
the minutes and their sign-off, and the form the command line's JSON gives them.

A project's meetings live in the plugin's file (``projects/<slug>/meetings``, table
``meetings``), ids ``M0001`` … given under the file's lock. Each has ``dated: None``: an
absence excused after the meeting's month closed still changes the meeting (its deduction is
then a correction of the ledger's), so the record belongs to no month. Every change is one
audited store transaction.

A meeting is *planned* until its minutes are signed by the chair (*held*); a planned meeting
whose day has passed without signed minutes is *missed* on the calendar.
"""

from __future__ import annotations

import datetime as dt
import re

from floorwalker.core import N_, Conflict, NotFound, ValidationError, now_iso, translate, validate

from . import cadence
from .config import DEFAULT_TITLES, HANDOVER_HEADINGS, KINDS, NAME, NOTHING, attendee_tokens

TABLE = "meetings"
ITEMS = "items"  # the action items (`items`), carried here as meetings are signed and planned
_ID = re.compile(r"^M(\d+)$")
TEXT_LIMIT = 4000


def key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def _slug(project) -> str:
    return project["slug"] if isinstance(project, dict) else project


def all_of(fw, project) -> list[dict]:
    """The project's meetings by day and time."""
    docs = fw.store.table(key(fw, _slug(project)), TABLE).values()
    return sorted(docs, key=lambda d: (d["date"], d["time"], d["id"]))


def of_month(fw, project, month: str) -> list[dict]:
    return [d for d in all_of(fw, project) if d["date"][:7] == month]


def get(fw, project, meeting_id: str) -> dict:
    doc = fw.store.table(key(fw, _slug(project)), TABLE).get(str(meeting_id).strip().upper())
    if doc is None:
        raise NotFound(N_("no meeting {id!r}"), id=meeting_id)
    return doc


def state(doc: dict, today: dt.date) -> str:
    """planned, held (minutes signed) or missed (its day passed without signed minutes)."""
    if (doc.get("minutes") or {}).get("signed_by"):
        return "held"
    return "missed" if doc["date"] < today.isoformat() else "planned"


def title(doc: dict, locale: str) -> str:
    """The meeting's title in the reader's language: a default title (交接会, 晨会 …) is its
    kind's words, a title typed by hand is shown as typed."""
    words = DEFAULT_TITLES.get(doc.get("title") or "")
    return translate(words, locale) if words else doc.get("title") or translate(KINDS[doc["kind"]], locale)


def label(doc: dict, locale: str) -> str:
    """A meeting as people name it: its title and day (晨会 · 12月8日, Morning briefing · Dec 8)."""
    from babel.dates import format_skeleton
    day = dt.date.fromisoformat(doc["date"])
    return f"{title(doc, locale)} · {format_skeleton('MMMd', day, locale='zh_CN' if locale.startswith('zh') else 'en')}"


def shown(doc: dict, locale: str) -> dict:
    """The meeting as a page shows it: its title in the reader's language."""
    return {**doc, "title": title(doc, locale)}


def expected_numbers(fw, slug: str, tokens: list[str], day: str) -> list[str]:
    """The agent numbers *tokens* name on *day*: ``agents`` (every agent), ``leaders`` (the
    team leaders of the register), ``team:<slug>``, or numbers."""
    people = fw.agents.in_project(slug, day)
    found = []
    for token in tokens:
        low = token.lower()
        if low in ("agents", "坐席"):
            found += [a["number"] for a, _ in people if (a.get("position") or "agent") == "agent"]
        elif low in ("leaders", "班长"):
            found += [a["number"] for a, _ in people if a.get("position") == "team_leader"]
        elif low.startswith("team:"):
            found += [a["number"] for a, s in people if s.get("team") == token[5:]]
        elif any(a["number"] == token for a, _ in people):
            found.append(token)
        else:
            raise ValidationError(N_("Expected"), N_("{value} is neither a team, a group nor an agent of the "
                                                     "project on {date}"), value=token, date=day)
    return sorted(set(found))


def _guests(fw, slug: str, roles: list[str]) -> list[str]:
    return sorted(u["username"] for u in fw.users.all() if not u.get("disabled")
                  and set(u.get("roles") or ()) & set(roles) and {"*", slug} & set(u.get("projects") or ()))


def _chair(fw, slug: str, role: str) -> str:
    """The chair a cadence row's role names: the project's one login of that role, else none
    yet (the leader who runs the meeting takes the chair)."""
    found = _guests(fw, slug, [role])
    return found[0] if len(found) == 1 else ""


def _next_id(tx) -> str:
    numbers = [int(m.group(1)) for i in tx.docs(TABLE) if (m := _ID.match(i))]
    return f"M{max(numbers, default=0) + 1:04d}"


def new_doc(fw, project: dict, *, kind: str, date: str, time: str, title: str, expected: list[str],
            chair: str = "", chair_role: str = "", guests=(), department: bool = False) -> dict:
    if kind not in KINDS:
        raise ValidationError(N_("Kind of meeting"), N_("choose a kind of meeting"))
    date = validate.date(date, N_("date"))
    return {"kind": kind, "date": date, "time": time, "title": validate.text(title, N_("title"), 100, required=True),
            "chair": chair, "chair_role": chair_role, "guests": list(guests), "expected": expected,
            "department": department, "agenda": [], "attendance": {}, "minutes": {}, "dated": None,
            "created_at": now_iso()}


def add(fw, project: dict, docs: list[dict], actor: str, action: str = f"{NAME}.plan") -> list[dict]:
    """Store new meetings, numbered; then carry open action items into them."""
    if not docs:
        return []
    stored = []
    with fw.store.transaction(key(fw, project["slug"]), actor, action) as tx:
        for doc in docs:
            stored.append(tx.insert(TABLE, {**doc, "id": _next_id(tx)}))
    for kind in sorted({d["kind"] for d in stored}):
        carry(fw, project, kind, actor)
    return stored


def calendar_knows(fw, month: str) -> bool:
    """Whether the holiday calendar knows *month*'s year (the State Council's notice, or the
    administrator's edits): a year it does not know has no holidays, and planning it would put
    meetings on 元旦 or 春节 — the plan page and the command line say so."""
    year = int(month[:4])
    return any(day.year == year for day in fw.calendar.current().holidays)


SERVES_AHEAD = dt.timedelta(hours=2)  # a briefing serves the shifts on, or starting within this


def rostered(fw, project: dict, month: str) -> dict[str, list]:
    """Day → the shifts rostered on it (less approved leave), as the platform's `agent_shifts`
    answers; a day nobody is rostered on is not in it (no roster known)."""
    first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
    found: dict[str, list] = {}
    for answer in fw.project_hook(project, "agent_shifts")(floorwalker=fw, project=project, first=first, last=last):
        for shift in answer or ():
            found.setdefault(str(shift.date)[:10], []).append(shift)
    return found


def served(shifts: list, day: str, time: str) -> set[str]:
    """The agents whose shift of *day* a briefing at *time* serves: on the floor at that time,
    or starting within `SERVES_AHEAD` of it (never a night shift starting in the evening)."""
    moment = dt.datetime.fromisoformat(f"{day}T{time}")
    return {s.agent for s in shifts
            if s.start.replace(tzinfo=None) <= moment + SERVES_AHEAD and s.end.replace(tzinfo=None) > moment}


def expected_of(fw, project: dict, row: dict, kind: str, day: str, time: str, shifts: dict) -> list[str]:
    """Who a meeting of cadence *row* on *day* at *time* expects. A briefing expects, of them,
    only the agents rostered that day on a shift it serves, once the roster of the day is known
    (`shifts`: `rostered`); the team leaders stay expected."""
    found = expected_numbers(fw, project["slug"], attendee_tokens(row.get("expected")), day)
    if kind == "briefing" and shifts.get(day):
        on = served(shifts[day], day, time)
        leaders = {a["number"] for a, _ in fw.agents.in_project(project["slug"], day)
                   if a.get("position") == "team_leader"}
        found = [n for n in found if n in on or n in leaders]
    return found


def row_of(rows: list[dict], doc: dict) -> dict | None:
    """The cadence row a planned meeting comes from: same kind and name, else same kind."""
    same = [r for r in rows if r.get("kind") == doc["kind"]]
    return next((r for r in same if (r.get("name") or r["kind"]) == doc["title"]), same[0] if same else None)


def refresh_expected(fw, project: dict, month: str, actor: str) -> list[dict]:
    """Who *month*'s meetings expect, again from the cadence — for the meetings not signed and
    whose attendance is not taken yet (people appointed or rostered since they were planned)."""
    rows = fw.projects.settings(project, NAME)["cadence"]
    shifts = rostered(fw, project, month)
    changes = {}
    for doc in of_month(fw, project, month):
        row = row_of(rows, doc)
        if row is None or doc.get("attendance") or (doc.get("minutes") or {}).get("signed_by"):
            continue
        now = expected_of(fw, project, row, doc["kind"], doc["date"], doc["time"], shifts)
        if now != doc["expected"]:
            changes[doc["id"]] = now
    if not changes:
        return []
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.plan") as tx:
        return [tx.update(TABLE, ident, {"expected": now}) for ident, now in changes.items()]


def plan_month(fw, project: dict, month: str, actor: str) -> list[dict]:
    """Create *month*'s meetings from the project's cadence; a meeting of the same kind, day and
    time already there is not made twice (planning again adds only what is new)."""
    month = validate.month(month)
    rows = fw.projects.settings(project, NAME)["cadence"]
    have = {(d["kind"], d["date"], d["time"]) for d in of_month(fw, project, month)}
    slug, docs = project["slug"], []
    shifts = rostered(fw, project, month)
    for slot in cadence.plan(rows, month, fw.calendar.current()):
        day = slot.date.isoformat()
        if (slot.kind, day, slot.time) in have:
            continue
        row = rows[slot.row]
        docs.append(new_doc(fw, project, kind=slot.kind, date=day, time=slot.time,
                            title=row.get("name") or slot.kind, chair_role=row.get("chair") or "",
                            chair=_chair(fw, slug, row.get("chair") or ""),
                            expected=expected_of(fw, project, row, slot.kind, day, slot.time, shifts),
                            guests=_guests(fw, slug, attendee_tokens(row.get("with_roles"))),
                            department=row.get("department") == "yes"))
    made = add(fw, project, docs, actor)
    refresh_expected(fw, project, month, actor)  # the meetings planned before: leaders appointed since
    return made


def update(fw, project, meeting_id: str, actor: str, action: str, change) -> dict:
    """Apply *change(doc) -> dict of fields* to the meeting under its file's lock."""
    with fw.store.transaction(key(fw, _slug(project)), actor, action) as tx:
        doc = tx.get(TABLE, str(meeting_id).upper())
        if doc is None:
            raise NotFound(N_("no meeting {id!r}"), id=meeting_id)
        return tx.update(TABLE, doc["id"], change(doc))


class EmptyHeadings(ValidationError):
    """A handover's minutes with headings neither filled nor marked 无: the refusal names every
    one of them (its ``field`` is the first)."""

    def __init__(self, titles: list[str]):
        self.titles = titles
        super().__init__(titles[0], N_("fill it in, or write {nothing}"), nothing=NOTHING)

    def message(self, locale: str = "en") -> str:
        if len(self.titles) == 1:
            return super().message(locale)
        joined = ("、" if locale.startswith("zh") else ", ").join(translate(t, locale) for t in self.titles)
        return translate(N_("fill in each of {headings}, or write {nothing}"), locale, headings=joined, nothing=NOTHING)


def _signed(doc: dict) -> None:
    if (doc.get("minutes") or {}).get("signed_by"):
        raise Conflict(N_("the minutes of {id} are signed: nothing may change"), id=doc["id"])


def _lines(value) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def write_minutes(fw, project, meeting_id: str, form, actor: str) -> dict:
    """The minutes as the minute-taker writes them: the minute-taker (named), the notes,
    decisions and information items (a line each), and for a handover its four headings."""
    def change(doc):
        _signed(doc)
        taker = validate.text(form.get("taker"), N_("Minute-taker"), 50, required=True)
        minutes = {"taker": taker, "notes": validate.text(form.get("notes"), N_("Notes"), TEXT_LIMIT),
                   "decisions": _lines(form.get("decisions")), "information": _lines(form.get("information"))}
        if doc["kind"] == "handover":
            minutes["headings"] = {h: validate.text(form.get(h), HANDOVER_HEADINGS[h], TEXT_LIMIT)
                                   for h in HANDOVER_HEADINGS}
        if doc["chair"] == "":
            return {"minutes": minutes, "chair": actor}
        return {"minutes": minutes}
    return update(fw, project, meeting_id, actor, f"{NAME}.minutes", change)


def sign_off(fw, project, meeting_id: str, actor: str) -> dict:
    """The chair signs the minutes: they need a minute-taker, and a handover's four headings
    each filled or marked 无. Signed, the meeting is held; its open action items move on."""
    signed_at = fw.projects.now(project).isoformat(timespec="seconds")  # the floor's clock: "on time" reads it

    def change(doc):
        _signed(doc)
        if doc["chair"] and doc["chair"] != actor:
            raise ValidationError(N_("chair"), N_("only the chair, {chair}, signs the minutes"), chair=doc["chair"])
        minutes = doc.get("minutes") or {}
        if not minutes.get("taker"):
            raise ValidationError(N_("Minute-taker"), N_("write the minutes, with their minute-taker, first"))
        if doc["kind"] == "handover":
            empty = [title for heading, title in HANDOVER_HEADINGS.items()
                     if not (minutes.get("headings") or {}).get(heading, "").strip()]
            if empty:
                raise EmptyHeadings(empty)
        # the minutes keep the action items as they stood when signed (the open ones move on)
        raised = [{k: i[k] for k in ("id", "text", "owner", "due", "status")}
                  for i in sorted(fw.store.table(key(fw, _slug(project)), ITEMS).values(), key=lambda d: d["id"])
                  if i["meeting"] == doc["id"]]
        return {"chair": doc["chair"] or actor,
                "minutes": {**minutes, "items": raised, "signed_by": actor, "signed_at": signed_at}}
    doc = update(fw, project, meeting_id, actor, f"{NAME}.sign", change)
    carry(fw, project if isinstance(project, dict) else fw.projects.get(project), doc["kind"], actor)
    return doc


def carry(fw, project: dict, kind: str, actor: str) -> int:
    """Move every open item of *kind* whose meeting is signed into the earliest later meeting
    of that kind not yet signed; returns how many moved. Called when a meeting is signed and
    when meetings are planned (the next one may not have existed at the sign-off)."""
    meetings = [m for m in all_of(fw, project) if m["kind"] == kind]
    signed = {m["id"]: m for m in meetings if (m.get("minutes") or {}).get("signed_by")}
    waiting = [m for m in meetings if m["id"] not in signed]
    moves = {}
    for item in sorted(fw.store.table(key(fw, project["slug"]), ITEMS).values(), key=lambda d: d["id"]):
        held = signed.get(item["meeting"])
        if item["kind"] != kind or item["status"] != "open" or held is None:
            continue
        later = next((m for m in waiting if (m["date"], m["time"]) > (held["date"], held["time"])), None)
        if later is not None:
            moves[item["id"]] = (held["id"], later["id"])
    if moves:
        with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.carry") as tx:
            for ident, (old, new) in moves.items():
                doc = tx.get(ITEMS, ident)
                tx.update(ITEMS, ident, {"meeting": new, "history": [
                    *doc["history"], {"what": "carried", "from": old, "meeting": new, "by": actor, "at": now_iso()}]})
    return len(moves)


def as_json(doc: dict) -> dict:
    """The command line's JSON of a meeting (issue 15, item 9)."""
    by = {s: sorted(n for n, a in (doc.get("attendance") or {}).items() if a["state"] == s)
          for s in ("present", "excused", "absent")}
    return {"id": doc["id"], "kind": doc["kind"], "date": doc["date"], "time": doc["time"],
            "title": doc["title"], "chair": doc["chair"], "expected": list(doc["expected"]), **by,
            "minutes_signed": bool((doc.get("minutes") or {}).get("signed_by"))}
