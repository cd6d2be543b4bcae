"""The PostgreSQL store: the same calls as the file store (`core/store.py`, `core/backend.py`),
for a company that outgrows one machine — several app servers on one database.

Selected by ``--store postgresql://…`` (or ``$FLOORWALKER_STORE``); the data folder stays for
what is not data (themes, uploads). The layout, in one schema (``floorwalker`` by default):

* ``shards`` — one row per shard key (what a file is to the file store): its generation, the
  plugin's version of its shape;
* ``docs`` — one row per document (key, table, id) as JSONB, with the project and month it is
  dated in (`locks.doc_month`, or the month of a ``…/<YYYY-MM>`` key) and indexes by key, by
  project and month, and by agent;
* ``audit`` — one row per commit, written in the same database transaction as its documents;
* ``closed`` — the closed months, kept by a trigger from the ``periods`` table of ``core``.

A commit is one database transaction: the shard's advisory lock (`lock`), the documents, the
generation, the audit entry. A trigger refuses any row dated in a closed month of its project —
inside the database, whatever writes to it — and the period lock is an advisory lock, shared by
project commits and exclusive for the commit that changes the periods. Reads keep each shard
parsed in memory by generation, as the file store keeps a file: reading a kept shard costs one
query of its generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import orjson

from .backend import AUDIT_TABLE, CORE, PERIODS_TABLE, Backend, check_key
from .errors import PeriodClosed, StorageError, StoreBusy
from .i18n import N_
from .locks import check_periods
from .shards import Shard, Transaction, new_id, now_iso
from .audit import summarise
from . import pgschema as upkeep
from .pgschema import CLOSED_MESSAGE, dated, like

try:
    import psycopg
    from psycopg import sql
    from psycopg.types.json import set_json_dumps, set_json_loads
    from psycopg_pool import ConnectionPool
except ImportError:  # pragma: no cover - the optional extra is not installed
    psycopg = None

DEFAULT_SCHEMA = "floorwalker"
COPY_FROM = 50  # documents inserted at once from which a commit sends them by COPY

def _loads(data):
    return orjson.loads(data)


def _dumps(obj) -> str:
    return orjson.dumps(obj).decode()


class PgStore(Backend):
    """Shards in PostgreSQL behind the store's calls (`core/backend.py`)."""

    def __init__(self, url: str, root: str | Path | None = None, *, schema: str = DEFAULT_SCHEMA,
                 lock_timeout: float = 10.0, pool_size: int = 20, cache_limit: int = 100_000,
                 **_file_options):
        if psycopg is None:
            raise StorageError(N_("the PostgreSQL store needs psycopg: pip install floorwalker[postgresql]"))
        super().__init__()
        self.url = url
        self.root = Path(root or "data")  # what is not data: themes, uploads, exports
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema = schema
        self.lock_timeout = lock_timeout
        self.cache_limit = cache_limit  # documents kept parsed, all shards together
        self.plugin_steps: dict[str, tuple] = {}
        self._cache: OrderedDict[str, Shard] = OrderedDict()
        self._cached_docs = 0
        self._mutex = threading.RLock()
        self._held = threading.local()
        self._s = sql.Identifier(schema)
        self._queries: dict[str, str] = {}
        try:  # one connection first: its refusal says why (no such database, a password …)
            psycopg.connect(url, connect_timeout=max(1, int(lock_timeout))).close()
        except psycopg.Error as exc:
            raise StorageError(N_("cannot reach the database: {reason}"), reason=str(exc).strip()) from None
        self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True,
                                   configure=self._configure, kwargs={"autocommit": True},
                                   name=f"floorwalker-{schema}")
        self._install()

    def _configure(self, conn) -> None:
        set_json_loads(_loads, conn)
        set_json_dumps(_dumps, conn)
        conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{int(self.lock_timeout * 1000)}ms")))

    def _install(self) -> None:
        upkeep.install(self)

    def close(self) -> None:
        self.pool.close()

    def _q(self, text: str) -> str:
        """*text* with ``{s}`` the store's schema, composed once."""
        found = self._queries.get(text)
        if found is None:
            found = self._queries[text] = sql.SQL(text).format(s=self._s).as_string(None)
        return found

    # ---------------------------------------------------------------- connections and locks

    @contextmanager
    def _connection(self) -> Iterator:
        """This thread's connection holding a lock (`lock`), else one from the pool."""
        held = getattr(self._held, "conn", None)
        if held is not None and not held.info.transaction_status:
            yield held
            return
        with self.pool.connection() as conn:
            yield conn

    def _lock_id(self, name: str) -> sql.Composed:
        return sql.SQL("hashtextextended({}, 0)").format(sql.Literal(f"{self.schema}:{name}"))

    def lock(self, key: str):
        """Hold the lock of shard *key* (a session advisory lock) until the block ends; a
        transaction on it inside the block is this thread's to make."""
        return self._fresh(self._hold(check_key(key)))

    @contextmanager
    def _hold(self, key: str):
        keys = self._held.__dict__.setdefault("keys", set())
        if key in keys:
            yield
            return
        outer = getattr(self._held, "conn", None)
        with (self.pool.connection() if outer is None else _same(outer)) as conn:
            self._acquire(conn, sql.SQL("SELECT pg_advisory_lock({})").format(self._lock_id(key)), key)
            self._held.conn = conn
            keys.add(key)
            try:
                yield
            finally:
                keys.discard(key)
                self._held.conn = outer
                conn.execute(sql.SQL("SELECT pg_advisory_unlock({})").format(self._lock_id(key)))

    def _acquire(self, conn, statement, name: str) -> None:
        try:
            conn.execute(statement)
        except psycopg.errors.LockNotAvailable:
            raise StoreBusy(f"{self.schema}:{name}") from None

    # ---------------------------------------------------------------- reading

    def keys(self, prefix: str = "") -> list[str]:
        """The keys of the shards that exist under *prefix* (a folder-like key, or one shard's
        key), sorted; within a snapshot, asked once per prefix."""
        seen = self._seen()
        if seen is not None:
            with self._connection() as conn:
                generations = self._generations(conn, seen)
            found = sorted(k for k, g in generations.items() if g is not None and (
                not prefix or k == prefix or k.startswith(prefix + "/")))
            self.noted(("keys", prefix), tuple(found))
            return found
        with self._connection() as conn:
            if not prefix:
                rows = conn.execute(self._q("SELECT key FROM {s}.shards ORDER BY key")).fetchall()
            else:
                rows = conn.execute(self._q(
                    "SELECT key FROM {s}.shards WHERE key = %s OR key LIKE %s ORDER BY key"),
                    (prefix, like(prefix))).fetchall()
        self.noted(("keys", prefix), tuple(r[0] for r in rows))
        return [r[0] for r in rows]

    def _seen(self) -> dict | None:
        """What this thread's snapshot learnt of the database — every shard's generation, asked
        for in one query at its first read (what its reads, fingerprints and key listings then
        answer from) — or None outside a snapshot. A transaction starts the snapshot over
        (`views`)."""
        files = getattr(self._views, "files", None)
        if files is None:
            return None
        if getattr(self._views, "seen_of", None) is not files:
            self._views.seen_of, self._views.seen = files, None
        if self._views.seen is None:
            self._views.seen = {}
        return self._views.seen

    def _generation(self, conn, key: str) -> int | None:
        """The committed generation of shard *key* (None: no such shard); within a snapshot,
        as its first read found it."""
        seen = self._seen()
        if seen is not None:
            return self._generations(conn, seen).get(key)
        row = conn.execute(self._q("SELECT generation FROM {s}.shards WHERE key = %s"),
                           (key,)).fetchone()
        return row[0] if row else None

    def _generations(self, conn, seen: dict) -> dict[str, int]:
        if "generations" not in seen:
            seen["generations"] = dict(conn.execute(self._q(
                "SELECT key, generation FROM {s}.shards")).fetchall())
        return seen["generations"]

    def read(self, key: str) -> Shard:
        """Shard *key* as committed now (an empty shard if it does not exist) — or as this
        thread's snapshot first read it (`views`)."""
        return self._viewed(key, self._read)

    def _read(self, key: str) -> Shard:
        check_key(key)
        with self._connection() as conn:
            generation = self._generation(conn, key)
            if generation is None:
                return Shard(key=key, tables={})
            with self._mutex:
                cached = self._cache.get(key)
                if cached is not None and cached.generation == generation:
                    self._cache.move_to_end(key)
                    return cached
            shard = self._fetch(conn, key, cached)
        if shard.version <= len(self._steps(key)):  # the plugin's shape of it is older
            return self._migrate(key)
        self._remember(shard)
        return shard

    def _fetch(self, conn, key: str, kept: Shard | None = None) -> Shard:
        """Shard *key* read in one statement (one state of it), not kept: *kept* (an older
        generation of it) brought forward when it can be, else read whole."""
        if kept is not None and kept.version > len(self._steps(key)):
            found = self._forward(conn, kept)
            if found is not None:
                return found
        rows = conn.execute(self._q(
            "SELECT s.generation, s.version, d.tbl, d.id, d.doc FROM {s}.shards s "
            "LEFT JOIN {s}.docs d ON d.key = s.key WHERE s.key = %s ORDER BY d.seq"), (key,)).fetchall()
        if not rows:
            return Shard(key=key, tables={})
        tables: dict[str, dict] = {}
        for _, _, tbl, doc_id, doc in rows:
            if tbl is not None:
                tables.setdefault(tbl, {})[doc_id] = doc
        return Shard(key=key, tables=tables, generation=rows[0][0], size=len(rows),
                     file_generation=rows[0][0], version=rows[0][1])

    def _forward(self, conn, kept: Shard) -> Shard | None:
        """*kept* brought to the shard's committed generation by the rows written since (their
        ``gen``), in one statement with the shard's generation and its number of rows: when
        the rows kept plus those new to it are not that number, some were removed — None, read
        it whole. A row updated keeps its place in its table, a new one goes last (its ``seq``
        is the highest), as a whole read would order them."""
        rows = conn.execute(self._q(
            "SELECT s.generation, (SELECT count(*) FROM {s}.docs WHERE key = s.key), d.tbl, d.id, "
            "d.doc FROM {s}.shards s LEFT JOIN {s}.docs d ON d.key = s.key AND d.gen > %s "
            "WHERE s.key = %s ORDER BY d.seq"), (kept.generation, kept.key)).fetchall()
        if not rows:
            return None
        tables, copied, new = dict(kept.tables), set(), 0
        for _, _, tbl, doc_id, doc in rows:
            if tbl is None:
                continue
            if tbl not in copied:
                tables[tbl] = dict(tables.get(tbl, {}))
                copied.add(tbl)
            new += doc_id not in tables[tbl]
            tables[tbl][doc_id] = doc
        count = sum(len(t) for t in kept.tables.values()) + new
        if count != rows[0][1]:
            return None
        return Shard(key=kept.key, tables=tables, generation=rows[0][0], size=count,
                     file_generation=rows[0][0], version=kept.version)

    def fingerprint(self, key: str) -> tuple:
        """(None, generation) of shard *key*, what a read notes for the summaries; a listing
        (``("keys", prefix)``, noted by `keys`) is its keys."""
        if isinstance(key, tuple):
            return tuple(self.keys(key[1]))
        with self._connection() as conn:
            return None, self._generation(conn, check_key(key)) or 0

    def load(self, key: str) -> Shard:
        """Shard *key* read afresh, not kept (`check`)."""
        with self._connection() as conn:
            return self._fetch(conn, check_key(key))

    def fold(self, key: str) -> Shard:  # nothing to fold in a database
        return self.read(key)

    def _remember(self, shard: Shard) -> None:
        with self._mutex:
            old = self._cache.pop(shard.key, None)
            if old is not None:
                self._cached_docs -= old.size
            self._cache[shard.key] = shard
            self._cached_docs += shard.size
            while self._cached_docs > self.cache_limit and len(self._cache) > 1:
                _, evicted = self._cache.popitem(last=False)
                self._cached_docs -= evicted.size

    def forget(self) -> None:
        """Drop the shards kept parsed (a restore replaced the data)."""
        with self._mutex:
            self._cache.clear()
            self._cached_docs = 0

    def _steps(self, key: str) -> tuple:
        parts = key.split("/")
        return self.plugin_steps.get(parts[2], ()) if parts[0] == "projects" and len(parts) > 2 else ()

    # ---------------------------------------------------------------- writing

    @contextmanager
    def transaction(self, key: str, actor: str, action: str) -> Iterator[Transaction]:
        """Change shard *key* as one audited database transaction (see `Store.transaction`):
        the block's changes are checked against closed months, audited as *actor* doing
        *action* and committed with the entry; an error in the block writes nothing."""
        if not actor:
            raise ValueError("every write needs an actor for the audit log")
        check_key(key)
        committed = None
        with self._fresh(self._connection()) as conn:
            try:
                with conn.transaction():
                    shard, closed = self._current(conn, key)
                    tx = Transaction(shard)
                    yield tx
                    changes = self._changes(shard, tx)
                    if changes:
                        if key == CORE and any(c["table"] == PERIODS_TABLE for c in changes):
                            self._acquire(conn, sql.SQL("SELECT pg_advisory_xact_lock({})").format(
                                self._lock_id("periods")), "periods")
                        entry = {"id": new_id(), "at": now_iso(), "actor": actor, "action": action,
                                 "file": key, "changes": [summarise(c) for c in changes]}
                        if tx.note:
                            entry["note"] = tx.note
                        check_periods(key, changes, lambda project: closed)
                        committed = self._commit(conn, shard, tx.tables, changes, entry)
            except psycopg.errors.RaiseException as exc:
                raise _closed_error(exc) from None
        if committed is not None:
            self._remember(committed)

    def _current(self, conn, key: str) -> Shard:
        """Take the shard's lock (and, for a project's shard, the period lock shared) and read
        the shard as this transaction sees it, in one round trip: the kept one when its
        generation is the stored one."""
        project = key.split("/")[1] if key.startswith("projects/") else None
        periods = sql.SQL(", pg_advisory_xact_lock_shared({})").format(self._lock_id("periods")) \
            if project else sql.SQL("")
        locking = sql.SQL("SELECT pg_advisory_xact_lock({}){}").format(self._lock_id(key), periods)
        try:
            # sent together, run in turn: the read's snapshot is taken once the locks are held
            with conn.pipeline():
                conn.execute(locking)
                found = conn.execute(self._q(
                    "SELECT (SELECT array_agg(month) FROM {s}.closed WHERE project = %s), "
                    "(SELECT generation FROM {s}.shards WHERE key = %s)"), (project, key))
            row = found.fetchone()
        except psycopg.errors.LockNotAvailable:
            raise StoreBusy(f"{self.schema}:{key}") from None
        closed, generation = set(row[0] or ()), row[1]
        if generation is None:
            return Shard(key=key, tables={}), closed
        with self._mutex:
            cached = self._cache.get(key)
        if cached is not None and cached.generation == generation:
            return cached, closed
        return self._fetch(conn, key, cached), closed

    def _commit(self, conn, shard: Shard, tables: dict, changes: list[dict], entry: dict) -> Shard:
        """Write *changes* and the audit *entry* as the next generation of *shard*, inside the
        open transaction; the shard as it now is."""
        key, generation = shard.key, shard.generation + 1
        entry = {**entry, "generation": generation}
        with conn.cursor() as cur:
            bulk = [c for c in changes if len(c["inserted"]) > COPY_FROM]
            for change in bulk:  # an import: COPY, which a pipeline cannot carry
                self._insert(cur, key, change, generation)
            with conn.pipeline():  # the rest sent together: one round trip
                for change in changes:
                    self._write_change(cur, key, change, generation, insert=change not in bulk)
                self._write_end(cur, shard, tables, entry, generation)
        docs = sum(len(t) for t in tables.values())
        return Shard(key=key, tables={n: t for n, t in tables.items() if n != AUDIT_TABLE},
                     generation=generation, size=docs, file_generation=generation,
                     version=len(self._steps(key)) + 1)

    def _write_end(self, cur, shard: Shard, tables: dict, entry: dict, generation: int) -> None:
        """The tables dropped, the shard's new generation and the audit entry."""
        key = shard.key
        for name in shard.tables.keys() - tables.keys():  # a table dropped whole
            cur.execute(self._q("DELETE FROM {s}.docs WHERE key = %s AND tbl = %s"), (key, name))
        version = len(self._steps(key)) + 1
        cur.execute(self._q(
            "INSERT INTO {s}.shards (key, generation, version) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET generation = excluded.generation, "
            "version = excluded.version"), (key, generation, version))
        cur.execute(self._q(
            "INSERT INTO {s}.audit (id, key, at, actor, action, entry) "
            "VALUES (%s, %s, %s, %s, %s, %s)"),
            (entry["id"], key, entry["at"], entry["actor"], entry["action"], _dumps(entry)))

    def _write_change(self, cur, key: str, change: dict, generation: int, insert: bool) -> None:
        name = change["table"]
        if change["removed_ids"]:
            cur.execute(self._q("DELETE FROM {s}.docs WHERE key = %s AND tbl = %s AND id = ANY(%s)"),
                        (key, name, change["removed_ids"]))
        if change["updated"]:
            cur.executemany(self._q(
                "UPDATE {s}.docs SET doc = %s, project = %s, month = %s, gen = %s "
                "WHERE key = %s AND tbl = %s AND id = %s"),
                [(_dumps(new), *dated(key, new), generation, key, name, doc_id)
                 for doc_id, _, new in change["updated"]])
        if insert:
            self._insert(cur, key, change, generation)

    def _insert(self, cur, key: str, change: dict, generation: int) -> None:
        """The documents *change* inserts, in the order their table holds them: a few in one
        statement, many by COPY."""
        name, order = change["table"], change.get("in_order")
        inserted = change["inserted"] if order is None else None
        if inserted is None:
            by_id = dict(zip(change["inserted_ids"], change["inserted"]))
            inserted = [(i, by_id[i]) for i in order]
        else:
            inserted = [(d["id"], d) for d in inserted]
        if not inserted:
            return
        if len(inserted) <= COPY_FROM:
            cur.executemany(self._q("INSERT INTO {s}.docs (key, tbl, id, doc, project, month, gen) "
                                    "VALUES (%s, %s, %s, %s, %s, %s, %s)"),
                            [(key, name, doc_id, _dumps(doc), *dated(key, doc), generation)
                             for doc_id, doc in inserted])
            return
        with cur.copy(self._q("COPY {s}.docs (key, tbl, id, doc, project, month, gen) FROM STDIN")) as copy:
            for doc_id, doc in inserted:
                copy.write_row((key, name, doc_id, _dumps(doc), *dated(key, doc), generation))

    def _migrate(self, key: str) -> Shard:
        """Upgrade shard *key* to its plugin's latest shape (`register_migrations`) under its
        lock, audited; a closed month's shard is upgraded too (the data does not change, its
        shape does)."""
        with self.lock(key), self._connection() as conn:
            with conn.transaction():
                shard = self._fetch(conn, key)
                steps = self._steps(key)
                if shard.version > len(steps):
                    return shard
                data = {n: {i: dict(d) for i, d in t.items()} for n, t in shard.tables.items()}
                for step in steps[shard.version - 1:]:
                    step(data)
                conn.execute("SET LOCAL floorwalker.migrating = 'on'")
                conn.execute(self._q("DELETE FROM {s}.docs WHERE key = %s"), (key,))
                tx = Transaction(Shard(key=key, tables={}))
                for name, docs in data.items():
                    tx.insert_many(name, [{"id": i, **d} for i, d in docs.items()])
                changes = self._changes(Shard(key=key, tables={}), tx)
                entry = {"id": new_id(), "at": now_iso(), "actor": "system", "action": "migrate",
                         "file": key, "changes": [{"from_version": shard.version,
                                                   "to_version": len(steps) + 1}]}
                new = self._commit(conn, shard, tx.tables, changes, entry)
        self._remember(new)
        return new

    # ---------------------------------------------------------------- whole database

    def audit_entries(self, prefix: str = "", months: Iterable[str] | None = None) -> Iterator[dict]:
        """Every audit entry of the shards under *prefix*, in commit order within a shard,
        shards in key order; *months* (``YYYY-MM``) keeps the entries made in those months."""
        return upkeep.audit_entries(self, prefix, months)

    def check(self, remove_temp: bool = True, *, full: bool = False, quick: bool = False
              ) -> list[dict]:
        """Check the database (`pgschema.check`): one summary per shard."""
        return upkeep.check(self, full=full, quick=quick)

    def wipe(self) -> None:
        """Delete every shard, audit entry and closed month (``demo --force``)."""
        upkeep.wipe(self)
        self.forget()

    def remove_temp_files(self, temps) -> None:  # no temp files in a database
        pass


@contextmanager
def _same(conn):
    """*conn* as a context manager that leaves it open (a lock inside another on one thread)."""
    yield conn


def _closed_error(exc) -> Exception:
    """The trigger's refusal as the store's own error, naming the project and month."""
    detail = (getattr(exc.diag, "message_detail", None) or "").split(" ")
    if exc.diag.message_primary == CLOSED_MESSAGE and len(detail) == 2:
        return PeriodClosed(detail[0], detail[1])
    return exc
