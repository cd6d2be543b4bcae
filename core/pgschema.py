"""The PostgreSQL store's tables, indexes and triggers (`core/pgstore.py`), in one schema
whose name replaces ``{s}`` — the closed months are refused inside the database, whoever
writes — and the store's work on the whole database: installing the layout, checking it, the
audit entries, emptying it.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .errors import StorageError
from .i18n import N_
from .locks import doc_month

try:
    from psycopg import sql
except ImportError:  # pragma: no cover - the optional extra is not installed
    sql = None

SCHEMA_VERSION = 2  # of this layout, kept in the schema's ``meta`` table
CLOSED_MESSAGE = "floorwalker: period closed"  # the triggers' refusal; its detail: "<project> <month>"

DDL = """
CREATE TABLE IF NOT EXISTS {s}.shards (
    key text PRIMARY KEY,
    generation bigint NOT NULL,
    version integer NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS {s}.docs (
    key text NOT NULL,
    tbl text NOT NULL,
    id text NOT NULL,
    doc jsonb NOT NULL,
    project text,
    month text,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (key, tbl, id)
);
-- the shard's generation that last wrote the row: a kept shard is brought forward by these
ALTER TABLE {s}.docs ADD COLUMN IF NOT EXISTS gen bigint NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS docs_key_seq ON {s}.docs (key, seq);
CREATE INDEX IF NOT EXISTS docs_key_gen ON {s}.docs (key, gen);
CREATE INDEX IF NOT EXISTS docs_project_month ON {s}.docs (project, month);
CREATE INDEX IF NOT EXISTS docs_agent ON {s}.docs (project, (doc->>'agent')) WHERE doc ? 'agent';
CREATE TABLE IF NOT EXISTS {s}.audit (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    key text NOT NULL,
    at text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    entry jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_key_seq ON {s}.audit (key, seq);
CREATE INDEX IF NOT EXISTS audit_at ON {s}.audit (at);
CREATE TABLE IF NOT EXISTS {s}.closed (
    project text NOT NULL,
    month text NOT NULL,
    PRIMARY KEY (project, month)
);
CREATE TABLE IF NOT EXISTS {s}.meta (name text PRIMARY KEY, value jsonb NOT NULL);

-- the closed months, kept from core's periods table in the transaction that closes one
CREATE OR REPLACE FUNCTION {s}.keep_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.key = 'core' AND NEW.tbl = 'periods' AND NEW.doc->>'state' = 'closed' THEN
        INSERT INTO {s}.closed VALUES (NEW.doc->>'project', NEW.doc->>'month')
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS keep_closed ON {s}.docs;
CREATE TRIGGER keep_closed AFTER INSERT OR UPDATE ON {s}.docs
    FOR EACH ROW WHEN (NEW.key = 'core') EXECUTE FUNCTION {s}.keep_closed();

-- nothing dated in a closed month of its project is written, whoever writes: checked once per
-- statement against the rows it wrote (an import's 25,000 rows: one join, not 25,000 lookups)
DROP TRIGGER IF EXISTS refuse_closed ON {s}.docs;
CREATE OR REPLACE FUNCTION {s}.refuse_closed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hit record;
BEGIN
    IF current_setting('floorwalker.migrating', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT r.project, r.month INTO hit FROM new_rows r
            JOIN {s}.closed c ON c.project = r.project AND c.month = r.month LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '{closed}' USING DETAIL = hit.project || ' ' || hit.month;
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT r.project, r.month INTO hit FROM old_rows r
            JOIN {s}.closed c ON c.project = r.project AND c.month = r.month LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '{closed}' USING DETAIL = hit.project || ' ' || hit.month;
        END IF;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS refuse_closed_insert ON {s}.docs;
CREATE TRIGGER refuse_closed_insert AFTER INSERT ON {s}.docs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_closed();
DROP TRIGGER IF EXISTS refuse_closed_update ON {s}.docs;
CREATE TRIGGER refuse_closed_update AFTER UPDATE ON {s}.docs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_closed();
DROP TRIGGER IF EXISTS refuse_closed_delete ON {s}.docs;
CREATE TRIGGER refuse_closed_delete AFTER DELETE ON {s}.docs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_closed();

-- and a closed month is never opened again
CREATE OR REPLACE FUNCTION {s}.keep_closed_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('floorwalker.migrating', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION '{closed}' USING DETAIL = OLD.project || ' ' || OLD.month;
END $$;
DROP TRIGGER IF EXISTS keep_closed_closed ON {s}.closed;
CREATE TRIGGER keep_closed_closed BEFORE UPDATE OR DELETE ON {s}.closed
    FOR EACH ROW EXECUTE FUNCTION {s}.keep_closed_closed();
"""




_MONTH_KEY = re.compile(r"/(\d{4}-\d{2})$")


def dated(key: str, doc: dict) -> tuple[str | None, str | None]:
    """(project, month) of a document of shard *key* — the ``project`` and ``month`` columns
    the triggers check: a month's own shard is that month's whole (`locks.check_periods`), a
    document elsewhere in a project is dated by `locks.doc_month`, outside ``projects/`` none."""
    if not key.startswith("projects/"):
        return None, None
    found = _MONTH_KEY.search(key)
    return key.split("/")[1], found.group(1) if found else doc_month(doc)


TRIGGERS = frozenset({"refuse_closed_insert", "refuse_closed_update", "refuse_closed_delete",
                      "keep_closed", "keep_closed_closed"})


def like(prefix: str) -> str:
    """The LIKE pattern of the keys under folder-like key *prefix*."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "/%"


def install(store) -> None:
    """Create the schema, its tables, indexes and triggers — once per layout version, under an
    advisory lock (two servers starting together)."""
    ident = sql.Identifier(store.schema)
    with store.pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('floorwalker:install', 0))")
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
        found = conn.execute("SELECT to_regclass(%s)", (f'"{store.schema}".meta',)).fetchone()[0]
        if found is not None:
            row = conn.execute(sql.SQL("SELECT value FROM {}.meta WHERE name = 'schema'")
                               .format(ident)).fetchone()
            if row and row[0] == SCHEMA_VERSION:
                return
        conn.execute(sql.SQL(DDL.replace("{closed}", CLOSED_MESSAGE)).format(s=ident))
        conn.execute(sql.SQL("INSERT INTO {}.meta VALUES ('schema', %s) ON CONFLICT (name) "
                             "DO UPDATE SET value = excluded.value").format(ident),
                     (str(SCHEMA_VERSION),))


def check(store, *, full: bool, quick: bool) -> list[dict]:
    """The layout's triggers in place; then (not *quick*) every shard counted in the database
    — its documents, their bytes, its generation the last audit entry's — and (*full*) every
    document an object. Raises `StorageError` naming what is wrong."""
    with store._connection() as conn:
        triggers = {r[0] for r in conn.execute(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s", (store.schema,))}
        if TRIGGERS - triggers:
            raise StorageError(N_("the database schema {schema} lacks its triggers: {names}"),
                               schema=store.schema, names=", ".join(sorted(TRIGGERS - triggers)))
        if quick:
            return []
        rows = conn.execute(store._q(
            "SELECT s.key, s.generation, count(d.id), coalesce(sum(pg_column_size(d.doc)), 0), "
            "(SELECT max((a.entry->>'generation')::bigint) FROM {s}.audit a WHERE a.key = s.key) "
            "FROM {s}.shards s LEFT JOIN {s}.docs d ON d.key = s.key "
            "GROUP BY s.key, s.generation ORDER BY s.key")).fetchall()
        if full:
            bad = conn.execute(store._q(
                "SELECT key FROM {s}.docs WHERE jsonb_typeof(doc) <> 'object' LIMIT 1")).fetchone()
            if bad:
                raise StorageError(N_("{key} in the database schema {schema} holds a document "
                                      "that is not an object"), key=bad[0], schema=store.schema)
    report = []
    for key, generation, documents, size, last in rows:
        if last is not None and last != generation:
            raise StorageError(N_("{key} in the database schema {schema} is not at its last "
                                  "audited generation"), key=key, schema=store.schema)
        report.append({"file": key, "generation": generation, "bytes": size, "documents": documents})
    return report


def audit_entries(store, prefix: str, months: Iterable[str] | None) -> Iterator[dict]:
    where, params = [], []
    if prefix:
        where.append("(key = %s OR key LIKE %s)")
        params += [prefix, like(prefix)]
    if months is not None:
        where.append("substr(at, 1, 7) = ANY(%s)")
        params.append(sorted(months))
    text = "SELECT entry FROM {s}.audit" + (" WHERE " + " AND ".join(where) if where else "") \
        + " ORDER BY key, seq"
    with store._connection() as conn:
        rows = conn.execute(store._q(text), params).fetchall()
    for row in rows:
        yield row[0]


def wipe(store) -> None:
    with store._connection() as conn:
        conn.execute(store._q("TRUNCATE {s}.docs, {s}.shards, {s}.audit, {s}.closed"))
