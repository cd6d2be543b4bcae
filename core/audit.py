"""What the audit log records of a commit: ids of inserted documents, before and after of
changed fields, whole removed documents — with secrets masked.

The store writes one entry per commit into the same file (`core/store.py`); this module only
says what goes in it.
"""

from __future__ import annotations

from typing import Any, Mapping

AUDIT_LISTED_IDS = 20  # an insert of more documents is audited by count and id range
SECRET_FIELDS = frozenset({"password_hash", "token_hash"})
REDACTED = "[redacted]"


def redacted(doc: Mapping) -> dict:
    """*doc* with secrets (password and session-token hashes) masked for the audit log."""
    return {k: (REDACTED if k in SECRET_FIELDS and v is not None else v) for k, v in doc.items()}


def summarise(change: dict) -> dict:
    """The audit record of one table's change.

    An insert is recorded by its ids: the document itself is in the same file, and every later
    change to it is audited with its before and after (a removal with the whole document), so
    any past state can be rebuilt backwards from the file — while repeating each new document
    in its audit entry would double every file and every write. Updates keep the changed
    fields before and after; secrets are masked (the audit says a password changed, never
    what it became)."""
    inserted = change["inserted_ids"]  # the table's keys: TinyDB's own inserts carry no "id"
    out: dict[str, Any] = {"table": change["table"]}
    if inserted:
        if len(inserted) <= AUDIT_LISTED_IDS:
            out["inserted"] = inserted
        else:
            out["inserted_count"] = len(inserted)
            out["inserted_ids"] = [inserted[0], inserted[-1]]
    if change["removed"]:
        out["removed"] = [redacted(doc) for doc in change["removed"]]
    if change["updated"]:
        out["updated"] = [
            {"id": doc_id,
             "before": redacted({k: old.get(k) for k in old.keys() | new.keys()
                                  if old.get(k) != new.get(k)}),
             "after": redacted({k: new.get(k) for k in old.keys() | new.keys()
                                 if old.get(k) != new.get(k)})}
            for doc_id, old, new in change["updated"]]
    return out
