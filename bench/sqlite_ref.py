"""The SQLite reference the store's durable single write is held to (issue 17: within 2x).

A database beside the benchmark's data with what the review of 2026-12 used (see
`../shared/reviews/perf-2026-12.md`, section 2): WAL, ``synchronous=FULL``, an ``events`` table
with a TEXT primary key (the event's ULID) and an index on (project, period, agent), and an
``audit`` table written in the same transaction as every write, as the product does. It is
loaded with the company's score events (read through the store), so its B-trees have the
product's size.

`insert_event` is the reference for `fw.ledger.record`: the same checked event (`fw.ledger.
prepare`, done by the caller for both sides), one INSERT, one audit row, COMMIT.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from floorwalker.core.shards import new_id, now_iso


class Reference:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, project TEXT, period TEXT,
                                               agent TEXT, body TEXT);
            CREATE INDEX IF NOT EXISTS events_by_agent ON events (project, period, agent);
            CREATE TABLE IF NOT EXISTS audit (id TEXT PRIMARY KEY, at TEXT, actor TEXT,
                                              action TEXT, file TEXT, changes TEXT);
        """)

    def load(self, fw) -> int:
        """Every score event of every project and month, in one transaction."""
        rows = []
        for project in fw.projects.all():
            slug = project["slug"]
            for key in fw.store.keys(f"projects/{slug}/score_events"):
                month = key.rsplit("/", 1)[1]
                rows += [(e["id"], slug, month, e.get("agent"), orjson.dumps(e).decode())
                         for e in fw.store.table(key, "events").values()]
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?)", rows)
        self.db.execute("COMMIT")
        self.db.execute("ANALYZE")
        return len(rows)

    def insert_event(self, project: str, event: dict, actor: str) -> None:
        """One durable insert of a checked event with its audit row."""
        month = event["date"][:7]
        self.db.execute("BEGIN")
        self.db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                        (event["id"], project, month, event["agent"], orjson.dumps(event).decode()))
        self.db.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?)",
                        (new_id(), now_iso(), actor, "score.record",
                         f"projects/{project}/score_events/{month}",
                         orjson.dumps([{"table": "events", "inserted": [event["id"]]}]).decode()))
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()
