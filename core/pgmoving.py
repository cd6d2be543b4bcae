"""Moving the data into and out of PostgreSQL (`core/moving.py` says how): the database's
shards read in one transaction, written in one, verified before it commits."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import orjson

from .backend import CORE, PERIODS_TABLE
from .errors import Conflict, FloorwalkerError, StorageError
from .i18n import N_
from .moving import Copied, closed_months, compare, copy_to_files, file_members, is_data_file, \
    is_url, locked, nothing_changed, read_files, summary
from .store import Store


def _sql(pg, text: str):
    from psycopg import sql
    return sql.SQL(text).format(s=sql.Identifier(pg.schema))


def read_pg(pg, conn) -> Iterator[Copied]:
    """Every shard of the PostgreSQL store *pg* as transaction *conn* sees it, key by key."""
    shards = {k: (g, v) for k, g, v in conn.execute(_sql(pg, "SELECT key, generation, version FROM {s}.shards"))}
    audit_keys = {k for (k,) in conn.execute(_sql(pg, "SELECT DISTINCT key FROM {s}.audit"))}
    docs = conn.cursor(name="floorwalker_copy_docs")
    docs.execute(_sql(pg, "SELECT key, tbl, id, doc FROM {s}.docs ORDER BY key COLLATE \"C\", seq"))
    entries = conn.cursor(name="floorwalker_copy_audit")
    entries.execute(_sql(pg, "SELECT key, entry FROM {s}.audit ORDER BY key COLLATE \"C\", seq"))
    doc_rows, audit_rows = _peeking(docs), _peeking(entries)
    for key in sorted(shards.keys() | audit_keys):
        generation, version = shards.get(key, (0, 1))
        tables: dict[str, dict] = {}
        for _, tbl, doc_id, doc in doc_rows.take(key):
            tables.setdefault(tbl, {})[doc_id] = doc
        audit = [entry for _, entry in audit_rows.take(key)]
        yield Copied(key=key, generation=generation, version=version, tables=tables, audit=audit)
    docs.close()
    entries.close()


class _peeking:
    """The rows of a cursor ordered by key, taken key by key (keys in the same order)."""

    def __init__(self, cursor):
        self.rows, self.head = iter(_batches(cursor)), None
        self.head = next(self.rows, None)

    def take(self, key: str) -> Iterator[tuple]:
        while self.head is not None and self.head[0] < key:  # a key the caller skips: none
            self.head = next(self.rows, None)
        while self.head is not None and self.head[0] == key:
            yield self.head
            self.head = next(self.rows, None)


def _batches(cursor, size: int = 2000) -> Iterator[tuple]:
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield from rows


@contextmanager
def pg_snapshot(pg) -> Iterator:
    """A connection of *pg* in one REPEATABLE READ, read-only transaction (a consistent dump)."""
    with pg.pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


def write_pg_shard(pg, conn, shard: Copied) -> None:
    """Insert *shard*'s row, documents (in order) and audit entries, in transaction *conn*."""
    from .pgschema import dated
    if shard.generation or shard.tables:
        conn.execute(_sql(pg, "INSERT INTO {s}.shards (key, generation, version) VALUES (%s, %s, %s)"),
                     (shard.key, shard.generation, shard.version))
    with conn.cursor() as cur:
        if shard.tables:
            with cur.copy(_sql(pg, "COPY {s}.docs (key, tbl, id, doc, project, month) FROM STDIN")) as copy:
                for name, docs in shard.tables.items():
                    for doc_id, doc in docs.items():
                        copy.write_row((shard.key, name, doc_id, orjson.dumps(doc).decode(),
                                        *dated(shard.key, doc)))
        if shard.audit:
            with cur.copy(_sql(pg, "COPY {s}.audit (id, key, at, actor, action, entry) FROM STDIN")) as copy:
                for e in shard.audit:
                    copy.write_row((e["id"], shard.key, str(e.get("at") or ""), str(e.get("actor") or ""),
                                    str(e.get("action") or ""), orjson.dumps(e).decode()))


def copy_to_pg(shards: Iterable[Copied], pg, *, replace: bool = False) -> list[dict]:
    """Copy *shards* into the PostgreSQL store *pg* in one transaction, verified before it
    commits (`compare`); refuses a schema that holds data unless *replace*. Returns the rows
    of the comparison."""
    from psycopg import sql
    with nothing_changed(), pg.pool.connection() as conn:
        with conn.transaction():
            conn.execute("SET LOCAL floorwalker.migrating = 'on'")
            conn.execute(sql.SQL("SELECT pg_advisory_xact_lock(hashtextextended({}, 0))").format(
                sql.Literal(f"{pg.schema}:periods")))
            held = conn.execute(_sql(pg, "SELECT (SELECT count(*) FROM {s}.shards) + "
                                         "(SELECT count(*) FROM {s}.audit)")).fetchone()[0]
            if held and not replace:
                raise Conflict(N_("the database schema {schema} already holds data; use --replace "
                                  "to replace it; nothing was copied"), schema=pg.schema)
            if held:
                conn.execute(_sql(pg, "TRUNCATE {s}.docs, {s}.shards, {s}.audit, {s}.closed"))
            expected, core = {}, None
            for shard in shards:
                expected[shard.key] = summary(shard)
                if shard.key == CORE:
                    core = Copied(CORE, 0, tables={PERIODS_TABLE: shard.tables.get(PERIODS_TABLE, {})})
                write_pg_shard(pg, conn, shard)
            rows = compare(expected, {s.key: summary(s) for s in read_pg(pg, conn)})
            closed = {tuple(r) for r in conn.execute(_sql(pg, "SELECT project, month FROM {s}.closed"))}
            if closed != closed_months(core):
                raise StorageError(N_("the closed months of the database schema {schema} do not match "
                                      "core's periods; nothing was copied"), schema=pg.schema)
    pg.forget()
    return rows


def copy_from_pg(pg, dest: str | Path) -> list[dict]:
    """Copy the PostgreSQL store *pg*, as one state of it, into the files of folder *dest*."""
    with pg_snapshot(pg) as conn:
        return copy_to_files(read_pg(pg, conn), dest)


def backup_members(pg) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of a backup of the PostgreSQL store *pg*: its shards as the file store's
    files, read in one REPEATABLE READ transaction, then the data folder's other files."""
    with pg_snapshot(pg) as conn:
        for key, raw in file_members(read_pg(pg, conn)):
            yield f"{key}.json", raw
    root = pg.root.resolve()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if not is_data_file(rel):
            yield rel, path.read_bytes()


def copy(source: str, destination: str, *, schema: str, replace: bool = False) -> list[dict]:
    """`floorwalker store copy`: from a folder to a database or back (one end each)."""
    from .pgstore import PgStore
    if is_url(source) == is_url(destination):
        raise FloorwalkerError(N_("copy from a data folder to a PostgreSQL database or back "
                                  "(one of --from and --to is postgresql://…)"))
    url, folder = (source, destination) if is_url(source) else (destination, source)
    folder = Path(folder).resolve()
    if not is_url(source) and not (folder / "core.json").exists():
        raise FloorwalkerError(N_("{folder} holds no data files (core.json); nothing was copied"),
                               folder=str(folder))
    pg = PgStore(url, folder, schema=schema)
    try:
        if is_url(source):
            if not pg.keys():
                raise FloorwalkerError(N_("the database schema {schema} holds no data; nothing was copied"),
                                       schema=schema)
            return copy_from_pg(pg, folder)
        store = Store(folder)
        with locked(store):
            return copy_to_pg(read_files(store), pg, replace=replace)
    finally:
        pg.close()
