"""Action items (待办事项): raised at a meeting with an owner and a due date, done or dropped by
a leader; an item still open when its meeting is signed moves to the next meeting of the same
kind, with its history (raised at, carried from, carried to), so nothing is forgotten until it is
done (`records.carry`, run as a meeting is signed and as meetings are planned). An open item past its due date waits for its owner ("waiting for me").

Items live in the plugin's file beside the meetings (table ``items``, ids ``A0001`` …).
"""

from __future__ import annotations

import re

from floorwalker.core import N_, STAFF, Conflict, NotFound, ValidationError, now_iso, validate

from . import records
from .config import ITEM_STATES, NAME

TABLE = records.ITEMS
carry = records.carry  # an item moves on with the meetings: records does it as it signs and plans
_ID = re.compile(r"^A(\d+)$")


def all_of(fw, project) -> list[dict]:
    slug = project["slug"] if isinstance(project, dict) else project
    return sorted(fw.store.table(records.key(fw, slug), TABLE).values(), key=lambda d: (d["due"], d["id"]))


def on_meeting(fw, project, meeting_id: str) -> list[dict]:
    """The items of a meeting: those at it now, and those raised at it or carried through it
    and since moved on (``went``: the meeting each was carried to from this one), so signed
    minutes keep the items they raised."""
    found = []
    for item in all_of(fw, project):
        passed = [h for h in item["history"] if h.get("meeting") == meeting_id or h.get("from") == meeting_id]
        if item["meeting"] == meeting_id or passed:
            went = next((h["meeting"] for h in item["history"]
                         if h["what"] == "carried" and h.get("from") == meeting_id), None)
            found.append({**item, "went": went if item["meeting"] != meeting_id else None})
    return found


def owners(fw, project: dict, day: str) -> dict[str, str]:
    """Who may own an action item, value → name: the project's staff logins (a username) and
    its agents and team leaders of the register on *day* (an agent number), so the item
    reaches its owner's "waiting for me"."""
    slug = project["slug"]
    staff = {u["username"]: u.get("name") or u["username"] for u in fw.users.all()
             if not u.get("disabled") and set(u.get("roles") or ()) & set(STAFF) - {"admin"}
             and {"*", slug} & set(u.get("projects") or ()) and not u.get("agent")}
    people = {a["number"]: a["name"] for a, _ in sorted(fw.agents.in_project(slug, day), key=lambda p: p[0]["number"])}
    return {**dict(sorted(staff.items(), key=lambda kv: kv[1])), **people}


def raise_item(fw, project: dict, meeting_id: str, text, owner, due, actor: str) -> dict:
    meeting = records.get(fw, project, meeting_id)
    if (meeting.get("minutes") or {}).get("signed_by"):
        raise Conflict(N_("the minutes of {id} are signed: nothing may change"), id=meeting["id"])
    text = validate.text(text, N_("action item"), 300, required=True)
    owner = validate.text(owner, N_("responsible"), 50, required=True)
    if owner not in owners(fw, project, meeting["date"]):
        raise ValidationError(N_("responsible"), N_("choose one of the project's people"))
    due = validate.date(due, N_("due date"))
    doc = {"kind": meeting["kind"], "meeting": meeting["id"], "text": text, "owner": owner, "due": due,
           "status": "open", "dated": None, "created_at": now_iso(),
           "history": [{"what": "raised", "meeting": meeting["id"], "by": actor, "at": now_iso()}]}
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.item") as tx:
        numbers = [int(m.group(1)) for i in tx.docs(TABLE) if (m := _ID.match(i))]
        return tx.insert(TABLE, {**doc, "id": f"A{max(numbers, default=0) + 1:04d}"})


def set_status(fw, project: dict, item_id: str, status: str, actor: str) -> dict:
    if status not in ITEM_STATES:
        raise ValidationError(N_("status"), N_("choose open, done or dropped"))
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.item") as tx:
        doc = tx.get(TABLE, str(item_id).upper())
        if doc is None:
            raise NotFound(N_("no action item {id!r}"), id=item_id)
        # the floor's clock: whether an item was done by its due day is read from it (figures)
        history = [*doc["history"], {"what": status, "by": actor,
                                     "at": fw.projects.now(project).isoformat(timespec="seconds")}]
        return tx.update(TABLE, doc["id"], {"status": status, "history": history})


def overdue(fw, project: dict, owner: str | None = None) -> list[dict]:
    """Open items past their due date (of *owner*: a username or an agent number)."""
    today = fw.projects.today(project).isoformat()
    return [i for i in all_of(fw, project) if i["status"] == "open" and i["due"] < today
            and (owner is None or i["owner"] == owner)]
