"""A PostgreSQL server for the tests that move data between the files and a database: the session's
cluster when the suites run on PostgreSQL (``--store=postgresql``: `tests/pgcluster.py`), else a
throw-away cluster of this module's own (skipped where PostgreSQL is not installed). Each test
gets schemas of its own (`schema`), dropped when it ends, and a small `company` in files to move."""

from __future__ import annotations

import uuid

import orjson
import pytest

from floorwalker.core import moving, pgmoving
from floorwalker.core import store as store_module
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.sealing import SEALED
from floorwalker.core.store import Store

from ..pgcluster import Backend, Cluster

psycopg = pytest.importorskip("psycopg")
from floorwalker.core.pgstore import PgStore  # noqa: E402 (after psycopg is known to be there)


@pytest.fixture(scope="session")
def pg_server(pg_url):
    """The URL of a PostgreSQL server to copy into and out of."""
    if pg_url or Backend.url:
        yield pg_url or Backend.url
        return
    try:
        # room for two servers of three processes, each with a pool of up to 20 connections
        cluster = Cluster(max_connections=200).start()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"no PostgreSQL to start: {exc}")
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def schema(pg_server):
    """A maker of fresh schema names (``schema()``), each dropped at the end of the test."""
    made = []

    def make() -> str:
        made.append(f"pgmove_{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield make
    if made:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def count_rows(url: str, schema: str) -> dict[str, int]:
    """How many rows each table of *schema* holds."""
    with psycopg.connect(url, autocommit=True) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{schema}".{t}').fetchone()[0]
                for t in ("shards", "docs", "audit", "closed")}


MONTHS = ("2025-03", "2025-04")


@pytest.fixture
def pgstores(pg_server, tmp_path):
    """A maker of PostgreSQL stores in a schema, closed at the end of the test."""
    made = []

    def make(name: str) -> PgStore:
        made.append(PgStore(pg_server, tmp_path / f"root-{name}", schema=name))
        return made[-1]

    yield make
    for store in made:
        store.close()


@pytest.fixture
def company(tmp_path, pm, monkeypatch):
    """A company in files: two projects, score events in March and April 2025, March closed
    (its files sealed); October's audit of core moved out to its audit file."""
    folder = tmp_path / "files"
    store = Store(folder, journal_limit=0)  # every commit writes its whole file
    fw = Floorwalker(store, pm)
    with monkeypatch.context() as m:
        m.setattr(store_module, "now_iso", lambda: "2026-10-05T09:00:00.000")
        fw.projects.create("acme", "Acme Co", "admin")
        fw.teams.create("acme", "day", "Day team", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "admin", team="day", hired="2025-01-01")
    fw.projects.create("beta", "Beta Ltd", "admin")
    fw.agents.add("beta", "2001", "Wang Fang", "admin", hired="2025-01-01")
    fw.ledger.record("acme", "1001", "loud", "2025-03-10", "tl")
    fw.ledger.record("acme", "1002", "absent", "2025-03-11", "tl")
    fw.ledger.record("acme", "1001", "absent", "2025-04-02", "tl")
    fw.ledger.record("beta", "2001", "loud", "2025-04-03", "tl")
    fw.periods.close("acme", "2025-03", "admin")
    store.plugin_steps = {"notes": (dict.clear, dict.clear)}  # a plugin's file in its third shape
    with store.transaction("projects/acme/notes", "tl", "notes.add") as tx:
        tx.insert("notes", {"id": "n1", "text": "late twice", "agent": "1001"})
    assert orjson.loads(store.path("projects/acme/notes").read_bytes())["_meta"]["version"] == 3
    assert "audit/core/2026-10" in store.keys()
    assert store.table("core", SEALED)
    return folder, fw


def sheets(fw) -> dict:
    return {(p, m): fw.ledger.sheet(p, m) for p in ("acme", "beta") for m in MONTHS}


def file_digests(folder) -> dict:
    return {c.key: moving.summary(c) for c in moving.read_files(Store(folder))}


def pg_digests(pg) -> dict:
    with pgmoving.pg_snapshot(pg) as conn:
        return {c.key: moving.summary(c) for c in pgmoving.read_pg(pg, conn)}
