"""What both stores share: the shape of their keys, the tables and closed months read through
`read`, the diff of a transaction's working copy against the shard it started from, and the
per-thread views (`core/views.py`).

The file store (`core/store.py`, the default) and the PostgreSQL store (`core/pgstore.py`) answer
the same calls — `read`, `table`, `transaction`, `keys`, `lock`, `closed_months`,
`audit_entries`, `check`, `load`, `fold`, `fingerprint`, `snapshot`, `watching`, `forget` — so
the core and every plugin never know which one is under them. The audit is read through
`audit_entries` on both: a file keeps a commit's entry in its own ``_audit`` table (and moves
old ones to monthly audit files), PostgreSQL in its ``audit`` table, so ``table(key, "_audit")``
is the file store's detail, not part of the interface.
"""

from __future__ import annotations

import re

from .shards import Shard, Transaction
from .views import ReadViews

AUDIT_TABLE = "_audit"
CORE = "core"
PERIODS_TABLE = "periods"  # in core: {project, month, state}; "closed" locks the month

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_\-]*)*$")


def check_key(key: str) -> str:
    """*key* if it is a shard key (``core``, ``projects/<slug>/<plugin>`` …); else ValueError."""
    if not _KEY.match(key):
        raise ValueError(f"not a shard key: {key!r}")
    return key


def is_key(key: str) -> bool:
    return bool(_KEY.match(key))


def changes_of(shard: Shard, tx: Transaction) -> list[dict]:
    """What a transaction changed, table by table: the documents inserted (in the order the
    table holds them), removed and updated (id, before, after)."""
    changes = []
    for name, docs in tx.tables.items():
        before = shard.tables.get(name)
        if docs is before:
            continue
        appended = tx.appended_only(name)
        if appended is not None:
            changes.append({"table": name, "inserted": appended,
                            "inserted_ids": [doc["id"] for doc in appended],
                            "removed": [], "removed_ids": [], "updated": []})
            continue
        before = before or {}
        in_order = [i for i in docs if i not in before]  # as the table holds them
        inserted_ids = sorted(in_order)
        inserted = [docs[i] for i in inserted_ids]
        removed_ids = sorted(before.keys() - docs.keys())
        removed = [{"id": i, **before[i]} for i in removed_ids]
        updated = []
        for doc_id, doc in docs.items():
            old = before.get(doc_id)
            if old is not None and old is not doc and old != doc:
                updated.append((doc_id, old, doc))
        if inserted or removed or updated:
            changes.append({"table": name, "inserted": inserted, "inserted_ids": inserted_ids,
                            "in_order": in_order, "removed": removed,
                            "removed_ids": removed_ids, "updated": updated})
    return changes


class Backend(ReadViews):
    """The calls both stores answer the same way, on top of their own `read`."""

    @staticmethod
    def plugin_key(project: str, plugin: str) -> str:
        """The key of *plugin*'s own file of *project* (`projects/<slug>/<plugin>`)."""
        return f"projects/{project}/{plugin}"

    @staticmethod
    def period_key(project: str, table: str, month: str) -> str:
        """The key of *table*'s file of one *month* of *project*
        (`projects/<slug>/<table>/<YYYY-MM>`)."""
        return f"projects/{project}/{table}/{month}"

    def table(self, key: str, name: str) -> dict[str, dict]:
        """The documents of table *name* in file *key* by id, as stored now. Read-only: change
        them in a `transaction`."""
        return self.read(key).table(name)

    def closed_months(self, project: str) -> set[str]:
        """The closed months of *project* (`YYYY-MM`)."""
        return {p["month"] for p in self.read(CORE).index(PERIODS_TABLE, "project").get(project, ())
                if p.get("state") == "closed"}

    def close(self) -> None:
        """Let go of what the store holds open (the PostgreSQL store's connections)."""

    def _changes(self, shard: Shard, tx: Transaction) -> list[dict]:
        return changes_of(shard, tx)
