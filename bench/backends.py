"""Where the benchmark keeps its company: the data folder's files (the default), or PostgreSQL.

    run.py --store postgresql://user@host:port/db   (and load.py, compare.py)

With a PostgreSQL URL the benchmark makes a database of its own on that server (``fwbench_`` and
the data folder's hash: the same ``--keep DIR``, the same database), points
``$FLOORWALKER_STORE`` at it — so every store the benchmark opens, in this process, in
`child.py` and in the server `load.py` starts, is the PostgreSQL one (``make_store``), as the CLI
does with ``--store`` — and drops it at the end unless it is kept. The data folder still holds
what is not data (themes, uploads).

`describe` says what is measured: the connection (a unix socket or TCP), and the server's
``synchronous_commit`` and ``fsync``, which must be on for the writes to be durable.
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

FILES = "files"


def database_name(folder: Path) -> str:
    """The bench's database for data folder *folder*."""
    return "fwbench_" + hashlib.blake2b(str(Path(folder).resolve()).encode(), digest_size=5).hexdigest()


def with_database(url: str, name: str) -> str:
    """*url* naming database *name* instead of its own (host, port, user and options kept)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _execute(url: str, statement: str) -> list:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement)
        return cur.fetchall() if cur.description else []


def exists(url: str, name: str) -> bool:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


@contextmanager
def bench_store(store: str | None, folder: Path, keep: bool, reuse: bool = False) -> Iterator[str | None]:
    """The URL the benchmark's company lives at (None: the folder's files), for the block.

    On PostgreSQL: the bench's database on the server *store* names, made new (or, with
    *reuse*, kept from an earlier ``--keep`` run), ``$FLOORWALKER_STORE`` set to it in the block,
    and the database dropped after it unless *keep*."""
    if not store:
        yield None
        return
    name = database_name(folder)
    url = with_database(store, name)
    there = exists(store, name)
    if there and not reuse:
        raise SystemExit(f"the database {name} of {folder} exists already (a kept run): drop it "
                         f"or give another --keep folder")
    if not there:
        _execute(store, f'CREATE DATABASE "{name}"')
    before = os.environ.get("FLOORWALKER_STORE")
    os.environ["FLOORWALKER_STORE"] = url
    try:
        yield url
    finally:
        if before is None:
            os.environ.pop("FLOORWALKER_STORE", None)
        else:
            os.environ["FLOORWALKER_STORE"] = before
        if not keep:
            _execute(store, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connection_of(url: str) -> str:
    """How *url* reaches the server: "unix socket <dir>" or "TCP <host>:<port>"."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    host = query.get("host") or parts.hostname or ""
    port = query.get("port") or parts.port or 5432
    if not host or host.startswith("/"):
        return f"unix socket {host or '(default directory)'}, port {port}"
    return f"TCP {host}:{port}"


def describe(url: str | None) -> dict:
    """What the figures were measured on: the backend, its connection and durability settings."""
    if not url:
        return {"backend": FILES}
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        settings = dict(conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', "
            "'wal_sync_method', 'shared_buffers', 'full_page_writes')").fetchall())
        version = conn.execute("SHOW server_version").fetchone()[0]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    if settings.get("synchronous_commit") != "on" or settings.get("fsync") != "on":
        raise SystemExit(f"the server's synchronous_commit is {settings.get('synchronous_commit')} "
                         f"and fsync {settings.get('fsync')}: a commit would not be durable; turn "
                         "both on to measure")
    return {"backend": "postgresql", "connection": connection_of(url), "server": version,
            "settings": settings, "database_mb": size / 1e6,
            "url": urllib.parse.urlsplit(url)._replace(netloc=_no_password(url)).geturl()}


def _no_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    user = parts.username or ""
    host = parts.hostname or ""
    return f"{user}@{host}" + (f":{parts.port}" if parts.port else "") if user else parts.netloc


def label(info: dict) -> str:
    if info["backend"] == FILES:
        return "the data folder's files"
    s = info["settings"]
    return (f"PostgreSQL {info['server']} over {info['connection']}, synchronous_commit "
            f"{s['synchronous_commit']}, fsync {s['fsync']} ({s.get('wal_sync_method', '?')}), "
            f"shared_buffers {int(s.get('shared_buffers', 0)) * 8 // 1024} MB, database "
            f"{info['database_mb']:.0f} MB")


def commit_floor(url: str, runs: int, payload_bytes: int = 600) -> list[float]:
    """The least a durable commit costs on this server and connection: one row of
    *payload_bytes* inserted into a scratch table and committed, *runs* times (ms each)."""
    import time

    import psycopg
    body = "x" * payload_bytes
    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        # a logged table (a temporary one writes no WAL, so its commit flushes nothing)
        conn.execute("CREATE TABLE IF NOT EXISTS public.bench_floor (id serial PRIMARY KEY, body text)")
        try:
            for _ in range(runs):
                start = time.perf_counter()
                with conn.transaction():
                    conn.execute("INSERT INTO public.bench_floor (body) VALUES (%s)", (body,))
                times.append((time.perf_counter() - start) * 1000)
        finally:
            conn.execute("DROP TABLE public.bench_floor")
    return times


def round_trip(url: str, runs: int) -> list[float]:
    """One ``SELECT 1`` on an open connection (ms each): what every query pays before its work."""
    import time

    import psycopg
    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(runs):
            start = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            times.append((time.perf_counter() - start) * 1000)
    return times
