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

from floorwalker.core import N_, Conflict, NotFound, ValidationError, now_iso, validate

from . import cadence
from .config import HANDOVER_HEADINGS, KINDS, NAME, NOTHING, attendee_tokens

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


def plan_month(fw, project: dict, month: str, actor: str) -> list[dict]:
    """Create *month*'s meetings from the project's cadence; a meeting of the same kind, day and
    time already there is not made twice (planning again adds only what is new)."""
    month = validate.month(month)
    rows = fw.projects.settings(project, NAME)["cadence"]
    have = {(d["kind"], d["date"], d["time"]) for d in of_month(fw, project, month)}
    slug, docs = project["slug"], []
    for slot in cadence.plan(rows, month, fw.calendar.current()):
        day = slot.date.isoformat()
        if (slot.kind, day, slot.time) in have:
            continue
        row = rows[slot.row]
        docs.append(new_doc(fw, project, kind=slot.kind, date=day, time=slot.time,
                            title=row.get("name") or slot.kind, chair_role=row.get("chair") or "",
                            chair=_chair(fw, slug, row.get("chair") or ""),
                            expected=expected_numbers(fw, slug, attendee_tokens(row.get("expected")), day),
                            guests=_guests(fw, slug, attendee_tokens(row.get("with_roles"))),
                            department=row.get("department") == "yes"))
    return add(fw, project, docs, actor)


def update(fw, project, meeting_id: str, actor: str, action: str, change) -> dict:
    """Apply *change(doc) -> dict of fields* to the meeting under its file's lock."""
    with fw.store.transaction(key(fw, _slug(project)), actor, action) as tx:
        doc = tx.get(TABLE, str(meeting_id).upper())
        if doc is None:
            raise NotFound(N_("no meeting {id!r}"), id=meeting_id)
        return tx.update(TABLE, doc["id"], change(doc))


def _signed(doc: dict) -> None:
    if (doc.get("minutes") or {}).get("signed_by"):
        raise Conflict(N_("the minutes of {id} are signed: nothing may change"), id=doc["id"])


def set_agenda(fw, project, meeting_id: str, lines: str, actor: str) -> dict:
    def change(doc):
        _signed(doc)
        return {"agenda": [line.strip() for line in str(lines or "").splitlines() if line.strip()]}
    return update(fw, project, meeting_id, actor, f"{NAME}.agenda", change)


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
    def change(doc):
        _signed(doc)
        if doc["chair"] and doc["chair"] != actor:
            raise ValidationError(N_("chair"), N_("only the chair, {chair}, signs the minutes"), chair=doc["chair"])
        minutes = doc.get("minutes") or {}
        if not minutes.get("taker"):
            raise ValidationError(N_("Minute-taker"), N_("write the minutes, with their minute-taker, first"))
        if doc["kind"] == "handover":
            for heading, title in HANDOVER_HEADINGS.items():
                if not (minutes.get("headings") or {}).get(heading, "").strip():
                    raise ValidationError(title, N_("fill it in, or write {nothing}"), nothing=NOTHING)
        return {"chair": doc["chair"] or actor,
                "minutes": {**minutes, "signed_by": actor, "signed_at": now_iso()}}
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
