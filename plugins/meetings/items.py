"""Action items (待办事项): raised at a meeting with an owner and a due date, done or dropped by
a leader; an item still open when its meeting is signed moves to the next meeting of the same
kind, with its history (raised at, carried from, carried to), so nothing is forgotten until it is
done (`records.carry`, run as a meeting is signed and as meetings are planned). An open item past its due date waits for its owner ("waiting for me").

Items live in the plugin's file beside the meetings (table ``items``, ids ``A0001`` …).
"""

from __future__ import annotations

import re

from floorwalker.core import N_, Conflict, NotFound, ValidationError, now_iso, validate

from . import records
from .config import ITEM_STATES, NAME

TABLE = records.ITEMS
carry = records.carry  # an item moves on with the meetings: records does it as it signs and plans
_ID = re.compile(r"^A(\d+)$")


def all_of(fw, project) -> list[dict]:
    slug = project["slug"] if isinstance(project, dict) else project
    return sorted(fw.store.table(records.key(fw, slug), TABLE).values(), key=lambda d: (d["due"], d["id"]))


def on_meeting(fw, project, meeting_id: str) -> list[dict]:
    return [i for i in all_of(fw, project) if i["meeting"] == meeting_id]


def raise_item(fw, project: dict, meeting_id: str, text, owner, due, actor: str) -> dict:
    meeting = records.get(fw, project, meeting_id)
    if (meeting.get("minutes") or {}).get("signed_by"):
        raise Conflict(N_("the minutes of {id} are signed: nothing may change"), id=meeting["id"])
    text = validate.text(text, N_("action item"), 300, required=True)
    owner = validate.text(owner, N_("responsible"), 50, required=True)
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
        history = [*doc["history"], {"what": status, "by": actor, "at": now_iso()}]
        return tx.update(TABLE, doc["id"], {"status": status, "history": history})


def overdue(fw, project: dict, owner: str | None = None) -> list[dict]:
    """Open items past their due date (of *owner*: a username or an agent number)."""
    today = fw.projects.today(project).isoformat()
    return [i for i in all_of(fw, project) if i["status"] == "open" and i["due"] < today
            and (owner is None or i["owner"] == owner)]
