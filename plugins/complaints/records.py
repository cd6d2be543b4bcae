"""Complaints as records: intake (nothing filtered: anything a customer complains about is taken
in, and validity is an outcome decided later), reading them back, masking them for a client, and
the form the command line's JSON gives them.

All of a project's complaints live in the plugin's own file (``projects/<slug>/complaints``),
each with ``dated: None``: a complaint is handled across months, its verdict may come after
the month it was received has closed (the score event that verdict causes is the ledger's to
date, as a correction where it must be), so the record itself belongs to no month. Ids are the
install's running numbers, ``C0001`` …, one past the highest of any project (`next_ids`), easy
to say on the phone and to type at the command line without naming the project; an imported complaint keeps the handling point's own number
as ``external_id``, and importing it again adds nothing.

Every change is one store transaction (locked, atomic, audited as who did what) and one entry
of the complaint's ``history`` (who, when, the step, its note).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from floorwalker.core import N_, NotFound, ValidationError, now_iso, validate, values

from . import clocks
from .config import AGAINST, CHANNELS, NAME, SEVERITIES

TABLE = "complaints"
SUBJECT_LIMIT = 200
CONTACT_LIMIT = 100
FIRST_RECEIVED = "1900-01-01 00:00:00"
_ID = re.compile(r"^C(\d+)$")


def key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def _slug(project) -> str:
    return project["slug"] if isinstance(project, dict) else project


def all_of(fw, project) -> list[dict]:
    """The project's complaints, newest received first."""
    docs = fw.store.table(key(fw, _slug(project)), TABLE).values()
    return sorted(docs, key=lambda d: (d["received"], d["id"]), reverse=True)


def of_month(fw, project, month: str) -> list[dict]:
    """The complaints received in *month*, oldest first."""
    return sorted((d for d in all_of(fw, project) if d["received"][:7] == month),
                  key=lambda d: (d["received"], d["id"]))


def get(fw, project, complaint_id: str) -> dict:
    doc = fw.store.table(key(fw, _slug(project)), TABLE).get(str(complaint_id).strip().upper())
    if doc is None:
        raise NotFound(N_("no complaint {id!r}"), id=complaint_id)
    return doc


def find(fw, complaint_id: str, project: str | None = None) -> dict:
    """The project of complaint *complaint_id*: *project* if given, else the one project that
    has it (the command line's ``complaints verdict ID`` names no project where it is clear)."""
    if project:
        found = fw.projects.get(project)
        get(fw, found, complaint_id)
        return found
    ident = str(complaint_id).strip().upper()
    having = [p for p in fw.projects.all() if NAME in p.get("plugins", ())
              and ident in fw.store.table(key(fw, p["slug"]), TABLE)]
    if not having:
        raise NotFound(N_("no complaint {id!r}"), id=complaint_id)
    if len(having) > 1:
        raise ValidationError(N_("project"), N_("{id} is a complaint of {projects}: name the project"),
                              id=ident, projects=", ".join(p["slug"] for p in having))
    return having[0]


def choice(value, words: dict, field: str, default: str | None = None) -> str:
    """*value* if it is a key of *words*; a title in either language is taken too."""
    text = values.plain(value)
    if not text and default is not None:
        return default
    if text in words:
        return text
    raise ValidationError(field, N_("not one of the choices offered: {value!r}"), value=text)


def moment(value, field: str, default: datetime | None = None) -> str:
    """A date and time as stored (``YYYY-MM-DD HH:MM:SS``), from a form, a file or the CLI."""
    text = values.plain(value).replace("T", " ")
    if not text and default is not None:
        return default.isoformat(sep=" ", timespec="seconds")
    when = values.parse_datetime(text)
    if when is None:
        raise ValidationError(field, N_("expected a date and time as YYYY-MM-DD HH:MM, got {value!r}"),
                              value=text)
    return when.isoformat(sep=" ", timespec="seconds")


def entry(actor: str, step: str, note: str = "", *, at: datetime | None = None, zone: str | None = None,
          **details) -> dict:
    """One step of a complaint's history: who, when (*at*, the step's own time on the project's
    clock, stored with the offset of *zone*, else the server's clock, to the millisecond)."""
    if at is not None and zone and at.tzinfo is None:
        try:
            at = at.replace(tzinfo=ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    when = at.isoformat(timespec="milliseconds") if at else now_iso()
    return {"at": when, "by": actor, "step": step, "note": note, **details}


def shown_at(text: str | None, zone: str | None) -> str:
    """A history time as the pages show every time: ``YYYY-MM-DD HH:MM`` on the project's clock
    (a time stored with an offset is moved into *zone*; one without is the server's, as
    `now_iso` writes it)."""
    if not text:
        return ""
    try:
        when = datetime.fromisoformat(text)
        when = when.astimezone(ZoneInfo(zone or "Asia/Shanghai"))
    except (ValueError, ZoneInfoNotFoundError):
        return str(text)[:16].replace("T", " ")
    return when.strftime("%Y-%m-%d %H:%M")


def check(fw, project: dict, fields: dict, now: datetime) -> dict:
    """The complaint *fields* describe, checked: channel and subject are required (a phone call
    leaves the rest for later); the received time defaults to *now*; an agent complained
    about must be in the project on the day it was received."""
    settings = fw.projects.settings(project, NAME)
    received = moment(fields.get("received"), N_("received"), now)
    if received > now.isoformat(sep=" ", timespec="seconds"):
        raise ValidationError(N_("received"), N_("{value} is later than now"), value=received)
    if received < FIRST_RECEIVED:  # the clocks count business days back from it: year 1 has none before
        raise ValidationError(N_("received"), N_("expected a date from {first} to {last}, got {value!r}"),
                              first=FIRST_RECEIVED[:10], last=now.date().isoformat(), value=received)
    against = choice(fields.get("against"), AGAINST, N_("against"), "") or None
    number = values.employee_number(fields.get("agent")) or None
    if number:
        try:
            fw.agents.require_in_project(project["slug"], number, received[:10])
        except NotFound:
            raise ValidationError(N_("agent"), N_("no agent {number} in this project"), number=number) from None
        against = against or "agent"
    team = values.plain(fields.get("team")) or None
    if team:
        try:
            fw.teams.get(project["slug"], team)
        except NotFound:
            raise ValidationError(N_("team"), N_("no team {team} in this project"), team=team) from None
    category = values.plain(fields.get("category")) or None
    if category and category not in {r["name"] for r in settings["categories"]}:
        raise ValidationError(N_("category"), N_("not one of the choices offered: {value!r}"), value=category)
    interaction = values.plain(fields.get("interaction")) or None
    return {"channel": choice(fields.get("channel"), CHANNELS, N_("channel")),
            "received": received,
            "subject": validate.text(fields.get("subject"), N_("subject"), SUBJECT_LIMIT, required=True),
            "complainant": validate.text(fields.get("complainant"), N_("complainant"), validate.NAME_LIMIT),
            "contact": validate.text(fields.get("contact"), N_("contact"), CONTACT_LIMIT),
            "against": against, "agent": number, "team": team,
            "wants": validate.text(fields.get("wants"), N_("what the customer wants")),
            "details": validate.text(fields.get("details"), N_("details")),
            "interaction": validate.text(interaction, N_("interaction"), 64) or None,
            "category": category,
            "severity": choice(fields.get("severity"), SEVERITIES, N_("severity"), "general"),
            "external_id": validate.text(fields.get("external_id"), N_("number at the handling point"), 64) or None}


def new_doc(clean: dict, ident: str, actor: str, step: str = "intake", at: datetime | None = None,
            zone: str | None = None) -> dict:
    """A complaint as first stored: owned by whoever took it in (首问负责制)."""
    return {**clean, "id": ident, "dated": None, "status": "open", "owner": actor, "taken_by": actor,
            "side": None, "responsible": None, "root_cause": None, "verdict": None,
            "solution": None, "solutions": [], "callbacks": [], "escalations": [], "promise": None,
            "pauses": [], "reopens": [], "first_response_at": None, "solved_at": None,
            "closed_at": None, "satisfaction": None, "reply": None, "breached": {},
            "history": [entry(actor, step, at=at, zone=zone)]}


def next_ids(fw, tx, slug: str, n: int) -> list[str]:
    """The next *n* running numbers of the install (issue 14 review, item 4): one past the
    highest of the file being changed (under its lock) and of every other project's complaints,
    so that a new id names one complaint across the install and ``complaints verdict ID`` needs
    no ``--project``. Ids given before this (every project from C0001) stay as they were."""
    numbers = [int(m.group(1)) for i in tx.docs(TABLE) if (m := _ID.match(i))]
    for other in fw.projects.all():
        if other["slug"] != slug:
            numbers += [int(m.group(1)) for i in fw.store.table(key(fw, other["slug"]), TABLE)
                        if (m := _ID.match(i))]
    first = max(numbers, default=0) + 1
    return [f"C{first + k:04d}" for k in range(n)]


def intake(fw, project: dict, fields: dict, actor: str, at: datetime | None = None) -> dict:
    """Take a complaint in; the taker owns it until handing it over by name. *at* is when it
    was taken in (default: the project's clock; the received time defaults to it)."""
    at = at or fw.projects.now(project)
    clean = check(fw, project, fields, at)
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.intake") as tx:
        doc = new_doc(clean, next_ids(fw, tx, project["slug"], 1)[0], actor, at=at, zone=project.get("timezone"))
        return tx.insert(TABLE, doc)


# ------------------------------------------------------------------ what a reader sees


def mask_name(text: str | None) -> str:
    """张三丰 → 张**, Li Lei → L*****: the first character only."""
    text = text or ""
    return text[:1] + "*" * (len(text) - 1) if text else ""


def mask_contact(text: str | None) -> str:
    """13812345678 → 138****5678, li.lei@example.com → l*****@example.com."""
    text = text or ""
    if "@" in text:
        name, _, domain = text.partition("@")
        return f"{name[:1]}{'*' * max(len(name) - 1, 1)}@{domain}"
    if len(text) >= 8:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * len(text)


def masked(doc: dict) -> dict:
    """*doc* as a client login (and an export to the client) may read it: the complainant and
    the contact cut short, no staff member's or agent's name, no internal notes."""
    out = {k: v for k, v in doc.items() if k not in ("history", "responsible", "details", "reply", "flow")}
    out.update(complainant=mask_name(doc.get("complainant")), contact=mask_contact(doc.get("contact")),
               owner=None, taken_by=None, masked=True,
               callbacks=[{k: c.get(k) for k in ("at", "outcome")} for c in doc.get("callbacks") or ()],
               escalations=[{"at": e["at"]} for e in doc.get("escalations") or ()],
               history=[{"at": h["at"], "step": h["step"]} for h in doc.get("history") or ()])
    return out


def as_json(doc: dict, found: list) -> dict:
    """A complaint as ``complaints list --format json`` gives it (issue 14, item 8)."""
    verdict = doc.get("verdict") or {}
    return {"id": doc["id"], "received": doc["received"], "channel": doc["channel"],
            "severity": doc["severity"], "category": doc.get("category"), "agent": doc.get("agent"),
            "verdict": verdict.get("outcome"), "status": doc["status"],
            "escalations": len(doc.get("escalations") or ()),
            "targets": {c.target: {"due": c.due.isoformat(sep=" ", timespec="minutes") if c.due else None,
                                   "state": c.state, "minutes": c.minutes} for c in found}}


def targets(fw, project: dict, doc: dict, now: datetime | None = None) -> list:
    """The complaint's clocks at *now* (default: the project's now)."""
    settings = fw.projects.settings(project, NAME)
    now = now or fw.projects.now(project)
    return clocks.clocks(doc, settings["sla_policies"],
                         lambda hours: fw.calendar.business_hours(project, hours), now,
                         settings["warn_hours"])
