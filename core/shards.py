"""The in-memory side of the store: a parsed file (`Shard`) and the working copy a transaction
changes through TinyDB's Table API (`Transaction`), with the ids the application makes.

`core/store.py` owns the files; this module never touches the disk.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


_last_id = [0, 0]  # the millisecond and the random part of this process's last id
_id_lock = threading.Lock()


def new_id() -> str:
    """A ULID: 26 characters, sortable by creation time, unique across processes; monotonic in
    a process (two made in one millisecond sort in the order they were made: the second's
    random part is the first's plus one, as the ULID specification has it)."""
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_id[0]:
            ms, rand = _last_id[0], (_last_id[1] + 1) % (1 << 80)
        else:
            rand = int.from_bytes(secrets.token_bytes(10), "big")
        _last_id[:] = [ms, rand]
    value = ms << 80 | rand
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def now_iso() -> str:
    """Local time to the millisecond, from one reading of the clock (two could straddle a
    second and go backwards)."""
    ns = time.time_ns()
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(ns // 1_000_000_000))
    return f"{seconds}.{ns // 1_000_000 % 1000:03d}"


@dataclass
class Shard:
    """One parsed file as it is on disk: read-only for callers, replaced whole by a commit."""

    key: str
    tables: dict[str, dict[str, dict]]
    generation: int = 0
    stat: tuple | None = None
    size: int = 0  # bytes on disk: the file and its journal
    # the journal: the generation the file itself holds, the length of the journal's sound
    # records, the bytes of a torn last record after them, and the records the file already has
    file_generation: int = 0
    journal: int = 0
    torn: int = 0
    stale: int = 0
    version: int = 0  # the plugin's version of the shard's shape (PostgreSQL; a file has it in _meta)
    _indexes: dict = field(default_factory=dict, repr=False)

    def table(self, name: str) -> dict[str, dict]:
        """The documents of *name* by id. Do not modify: use a transaction."""
        return self.tables.get(name, {})

    def index(self, table: str, field_name: str) -> dict[Any, list[dict]]:
        """Documents of *table* grouped by the value of *field_name*, built once per generation."""
        cache_key = (table, field_name)
        found = self._indexes.get(cache_key)
        if found is None:
            found = {}
            for doc in self.table(table).values():
                found.setdefault(doc.get(field_name), []).append(doc)
            self._indexes[cache_key] = found
        return found


class _WorkingStorage(Storage):
    """The TinyDB storage of one transaction: the working copy of the file's tables in memory."""

    def __init__(self, tables: dict):
        self.tables = tables

    def read(self):
        return self.tables

    def write(self, data):
        self.tables = data

    def close(self):
        pass


def _copying(method):
    """Wrap a TinyDB method that changes documents in place so it works on copies."""
    def wrapper(self, *args, **kwargs):
        self._copy_docs = True
        try:
            return method(self, *args, **kwargs)
        finally:
            self._copy_docs = False

    wrapper.__name__, wrapper.__doc__ = method.__name__, method.__doc__
    return wrapper


class StoreTable(Table):
    """A TinyDB table with string ids made by the application and copy-on-write documents.

    TinyDB rebuilds the table's dict on every write, so the cached shard is never touched by
    inserts and removals; updates change documents in place, so those are copied first.
    """

    document_id_class = str
    _copy_docs = False

    def _get_next_id(self):
        return new_id()

    def _update_table(self, updater):
        if not self._copy_docs:
            return super()._update_table(updater)

        def copying(table):
            for doc_id in list(table):
                table[doc_id] = dict(table[doc_id])
            updater(table)

        return super()._update_table(copying)

    update = _copying(Table.update)
    update_multiple = _copying(Table.update_multiple)
    upsert = _copying(Table.upsert)


class _TxDB(TinyDB):
    table_class = StoreTable


class Transaction:
    """The working copy of one file during `Store.transaction`; use `table()` like TinyDB's."""

    def __init__(self, shard: Shard):
        self.shard = shard
        self._storage = _WorkingStorage(dict(shard.tables))
        self._db = _TxDB(storage=lambda: self._storage)
        self.note: dict | None = None
        # tables changed only by appends, with what was appended: their commit needs no diff
        self.appended: dict[str, list[dict]] = {}
        self._through_tinydb: set[str] = set()

    def table(self, name: str) -> StoreTable:
        """Table *name* of the working copy as a TinyDB table, for its queries (`search`,
        `update` with a condition …)."""
        if name.startswith("_"):  # _meta and _audit are the store's own
            raise ValueError(f"table {name!r} is written by the store only")
        self._through_tinydb.add(name)
        self.appended.pop(name, None)
        return self._db.table(name, cache_size=0)

    def appended_only(self, name: str) -> list[dict] | None:
        """What was appended to *name*, if appends were its only change; else None."""
        return None if name in self._through_tinydb else self.appended.get(name)

    def docs(self, name: str) -> dict[str, dict]:
        """The working documents of *name* by id, as they will be committed."""
        return self._storage.tables.get(name, {})

    def get(self, name: str, doc_id: str) -> dict | None:
        """The working document *doc_id* of table *name*, or None."""
        return self.docs(name).get(doc_id)

    @property
    def tables(self) -> dict:
        return self._storage.tables

    def insert(self, name: str, doc: Mapping) -> dict:
        """Insert *doc*; it keeps its own `id` or gets a new one. Returns the stored document."""
        return self.insert_many(name, [doc])[0]

    def insert_many(self, name: str, docs: Iterable[Mapping]) -> list[dict]:
        """Insert many documents in one write (never a loop of `insert`).

        Appends are the hot path (score events, imports), so they skip TinyDB's table rebuild
        (it converts every id twice per call) and are merged into the working copy directly, in
        TinyDB's own layout; the commit then audits the appended documents without diffing
        the whole table. Anything else goes through TinyDB's Table API (`table()`).
        """
        if name.startswith("_"):
            raise ValueError(f"table {name!r} is written by the store only")
        stored = [dict(doc) if doc.get("id") else {"id": new_id(), **doc} for doc in docs]
        existing = self.docs(name)
        for doc in stored:
            if doc["id"] in existing:
                raise ValueError(f"document {doc['id']!r} already exists in {name}")
        merged = dict(existing)
        merged.update((doc["id"], doc) for doc in stored)
        if len(merged) != len(existing) + len(stored):
            raise ValueError(f"the same id appears twice in one insert into {name}")
        self._storage.tables[name] = merged
        if name not in self._through_tinydb:
            self.appended.setdefault(name, []).extend(stored)
        return stored

    def update(self, name: str, doc_id: str, fields: Mapping) -> dict:
        """Change *fields* of one document; returns the new document."""
        if doc_id not in self.docs(name):
            raise KeyError(doc_id)
        self.table(name).update(dict(fields), doc_ids=[doc_id])
        return self.docs(name)[doc_id]

    def remove(self, name: str, doc_id: str) -> None:
        """Remove document *doc_id* from table *name*."""
        self.table(name).remove(doc_ids=[doc_id])
