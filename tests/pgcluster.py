"""The store the tests run on: the data files (the default), or PostgreSQL in a throw-away cluster.

``pytest --store=postgresql`` (or ``FLOORWALKER_TEST_STORE=postgresql``) runs the suites on
PostgreSQL: `start_cluster` makes a cluster in a temporary folder with the distribution's
``initdb`` (as the ``postgres`` system user, or ``nobody``, when the tests run as root: initdb and
postgres refuse root), started on a unix socket in that folder and a free localhost port, fsync
on; ``FLOORWALKER_TEST_PG_URL`` points at a server of your own instead. Every store a test makes
goes through `store_for` (a test's `Store(folder)`) or the facade's `make_store` (patched in
tests/conftest.py): each data folder gets its own schema named from its path (`schema_for`), so
reopening a folder finds its data and no two folders share any. The schemas are dropped and the
cluster stopped and deleted at the end of the session.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from floorwalker.core.store import FileOps, Store

FILES, POSTGRESQL = "files", "postgresql"
BACKENDS = (FILES, POSTGRESQL)
# options only the file store understands (how it writes files); the PostgreSQL store is given the rest
FILE_OPTIONS = frozenset({"fs", "journal_limit", "cache_limit"})


class Backend:
    """The backend of this test session, set once by tests/conftest.py."""

    name = FILES
    url: str | None = None
    external = False  # a server of your own ($FLOORWALKER_TEST_PG_URL), not a throw-away cluster
    schemas: set[str] = set()  # made in this session, dropped at its end
    summary = ""  # the cluster's figures, for the end of the run
    open_stores: list = []  # closed at the end of the test that opened them


def on_postgresql() -> bool:
    return Backend.name == POSTGRESQL


def schema_for(folder: str | os.PathLike) -> str:
    """The schema of data folder *folder*: the same folder, the same schema."""
    path = os.path.realpath(os.fspath(folder))
    return "fw_" + hashlib.blake2b(path.encode(), digest_size=6).hexdigest()


def store_for(folder: str | os.PathLike, **options):
    """The store of data folder *folder* on this session's backend: ``Store(folder, **options)``
    on files, a `PgStore` in the folder's own schema on PostgreSQL. Every test that makes a store
    itself makes it here, so ``--store`` reaches it."""
    if not on_postgresql():
        return Store(folder, **options)
    from floorwalker.core.pgstore import PgStore
    schema = fresh_schema(folder)
    url = Backend.url
    fs = options.get("fs")
    if fs is not None and type(fs).fsync is not FileOps.fsync:  # a test's store that never syncs
        url = _with_options(url, "-c synchronous_commit=off")  # commits as durable as its files'
    store = PgStore(url, Path(folder), schema=schema,
                    **{k: v for k, v in options.items() if k not in FILE_OPTIONS})
    Backend.open_stores.append(store)
    return store


def worker_store(folder, **options):
    """`store_for` in a process a test started (tests/core/store_workers): the backend comes from
    the environment the session left it, and the folder's schema is the test's, never emptied."""
    Backend.name = os.environ.get("FLOORWALKER_TEST_STORE") or FILES
    Backend.url = os.environ.get("FLOORWALKER_TEST_PG_URL")  # not `external`: nothing is emptied
    return store_for(folder, **options)


def worker_setup() -> None:
    """In a process a test started: every `make_store` (``open_floorwalker``, the command line)
    makes the test session's store of its folder, as `worker_store` does."""
    Backend.name = os.environ.get("FLOORWALKER_TEST_STORE") or FILES
    Backend.url = os.environ.get("FLOORWALKER_TEST_PG_URL")  # not `external`: nothing is emptied
    if on_postgresql():
        for module in modules_making_stores():
            module.make_store = make_store_for_tests


def _with_options(url: str, options: str) -> str:
    """*url* with libpq's ``options`` (server settings for its connections) added."""
    from urllib.parse import quote
    return f"{url}{'&' if '?' in url else '?'}options={quote(options)}"


def make_store_for_tests(folder=None, url=None, **options):
    """Stands in for `floorwalker.core.floorwalker.make_store` on PostgreSQL: the folder's schema
    on the session's cluster, whatever the caller asked for."""
    from floorwalker.core.floorwalker import data_dir
    return store_for(data_dir(folder), **options)


def modules_making_stores() -> list:
    """The modules of the package that hold the facade's `make_store` (imported by name, so each
    one's copy is patched): the facade, the command line and its commands."""
    import importlib
    import sys
    from floorwalker.core import floorwalker
    for name in ("floorwalker.cli", "floorwalker.core.commands"):
        importlib.import_module(name)
    original = floorwalker.make_store
    return [module for name, module in sorted(sys.modules.items())
            if name.startswith("floorwalker") and getattr(module, "make_store", None) is original]


def fresh_schema(folder) -> str:
    """The schema of *folder*, emptied the first time this session meets it (a reused temporary
    folder of an earlier run on a server of your own starts empty)."""
    schema = schema_for(folder)
    if schema not in Backend.schemas:
        Backend.schemas.add(schema)
        if Backend.external:  # a throw-away cluster starts empty
            _execute(Backend.url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return schema


def copy_folder(src, dst) -> None:
    """Copy the data folder *src* to *dst* — on PostgreSQL its schema too — so a test works on
    its own copy of a company built once (`shutil.copytree` on the files)."""
    shutil.copytree(src, dst)
    if on_postgresql():
        copy_schema(schema_for(src), fresh_schema(dst), dst)


def copy_schema(src: str, dst: str, folder) -> None:
    """Every row of every table of schema *src* into *dst*, made by the store's own DDL (a
    `PgStore` opened on it), triggers off while copying and identities carried on."""
    import psycopg
    from psycopg import sql
    from floorwalker.core.pgstore import PgStore
    PgStore(Backend.url, Path(folder), schema=dst).close()
    with psycopg.connect(Backend.url) as conn:
        conn.execute("SET session_replication_role = replica")  # no trigger refuses a closed month
        tables = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "AND table_type = 'BASE TABLE' ORDER BY table_name", (src,))]
        for table in tables:
            columns = conn.execute(
                "SELECT column_name, is_generated, is_identity FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                (src, table)).fetchall()
            names = sql.SQL(", ").join(sql.Identifier(c[0]) for c in columns if c[1] != "ALWAYS")
            source, target = sql.Identifier(src, table), sql.Identifier(dst, table)
            conn.execute(sql.SQL("TRUNCATE {}").format(target))
            conn.execute(sql.SQL("INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE SELECT {} FROM {}")
                         .format(target, names, names, source))
            for column in (c[0] for c in columns if c[2] == "YES"):
                conn.execute(sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({}, {}), "
                    "coalesce((SELECT max({}) FROM {}), 0) + 1, false)").format(
                    sql.Literal(f'"{dst}"."{table}"'), sql.Literal(column),
                    sql.Identifier(column), target))


def stored(folder) -> dict:
    """All that is stored for data folder *folder*: its files' bytes (lock files aside) and, on
    PostgreSQL, every row of its schema — equal before and after means nothing was written."""
    folder = Path(folder)
    found = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and not p.name.endswith(".lock")}
    if on_postgresql():
        import psycopg
        from psycopg import sql
        schema = schema_for(folder)
        with psycopg.connect(Backend.url, autocommit=True) as conn:
            for (table,) in conn.execute("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_schema = %s ORDER BY 1", (schema,)).fetchall():
                found[f"{schema}.{table}"] = conn.execute(sql.SQL(
                    "SELECT t::text FROM {} t ORDER BY 1").format(sql.Identifier(schema, table))).fetchall()
    return found


def close_open_stores(mark: int = 0) -> None:
    """Close the stores opened since the first *mark* (each holds a pool of connections)."""
    while len(Backend.open_stores) > mark:
        store = Backend.open_stores.pop()
        close = getattr(store, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001 - a store a test broke on purpose still lets go
                pass


def drop_schemas() -> None:
    if Backend.url and Backend.schemas:
        _execute(Backend.url, "; ".join(f'DROP SCHEMA IF EXISTS "{s}" CASCADE'
                                         for s in sorted(Backend.schemas)))
    Backend.schemas.clear()


def _execute(url: str, sql: str) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


# ------------------------------------------------------------------ the throw-away cluster

def server_bin(name: str) -> str:
    """The path of PostgreSQL's *name* (initdb, pg_ctl): $FLOORWALKER_PG_BIN, else Debian's newest
    /usr/lib/postgresql/<version>/bin, else the PATH."""
    folder = os.environ.get("FLOORWALKER_PG_BIN")
    if folder:
        return str(Path(folder) / name)
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (scripts/setup --test installs it)")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> str | None:
    """The system user the server runs as when the tests run as root (None: as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL")


class Cluster:
    """A PostgreSQL cluster in a temporary folder, for one test session."""

    USER = "floorwalker"

    def __init__(self, max_connections: int = 300):
        self.max_connections = max_connections
        self.folder = Path(tempfile.mkdtemp(prefix="fwpg-"))  # short: a socket path has ≤ 107 bytes
        self.data = self.folder / "data"
        self.port = _free_port()
        self.runas = _server_user()
        self.url = f"postgresql://{self.USER}@/postgres?host={self.folder}&port={self.port}"

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", self.runas, "--"] if self.runas else []
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, cwd=self.folder)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def start(self) -> "Cluster":
        if self.runas:
            entry = pwd.getpwnam(self.runas)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        self._run(server_bin("initdb"), "-D", str(self.data), "-U", self.USER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.folder} -c fsync=on "
                   f"-c max_connections={self.max_connections} -c logging_collector=off "
                   + os.environ.get("FLOORWALKER_TEST_PG_OPTIONS", ""))  # more server settings
        try:
            self._run(server_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
                      "-o", options, "-w", "-t", "60", "start")
            self._wait()
        except Exception as exc:
            log = self.log()
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start in {self.folder}:\n{log[-4000:]}") from exc
        return self

    def _wait(self) -> None:
        import psycopg
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def log(self) -> str:
        try:
            return (self.folder / "server.log").read_text(errors="replace")
        except OSError:
            return ""

    def cpu_seconds(self) -> float | None:
        """The CPU time the server and its ended backends used so far (Linux /proc)."""
        def stat(path):
            return Path(path).read_text().rsplit(")", 1)[1].split()  # from the 3rd field on

        try:
            pid = (self.data / "postmaster.pid").read_text().split()[0]
            ticks = sum(int(f) for f in stat(f"/proc/{pid}/stat")[11:15])  # its own, ended children's
            for path in glob.glob("/proc/[0-9]*/stat"):  # the backends still running
                try:
                    fields = stat(path)
                except OSError:
                    continue
                if fields[1] == pid:
                    ticks += int(fields[11]) + int(fields[12])
            return ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(server_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
