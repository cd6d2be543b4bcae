"""The store: every data file Floorwalker reads or writes goes through here.

TinyDB is the document model (tables of documents, its Query language, its Table API for
writes), but stock TinyDB loses data when two processes write, when killed mid-write and on a
full disk, and re-parses its file on every query. This module keeps TinyDB's model and replaces
what goes around it (see "Storage" in shared/architecture.md):

* one file per shard: ``core`` for master data, ``projects/<slug>/<plugin>`` for a plugin's data
  of a project, ``projects/<slug>/<table>/<YYYY-MM>`` for high-volume data of one month;
* a ``filelock`` on ``<file>.lock`` held across read-change-write (`transaction`);
* each commit serialises once (orjson), writes a temp file in the same folder, fsyncs it,
  keeps the outgoing file as ``<file>.prev``, ``os.replace``s and fsyncs the folder — and only
  then returns;
* one commit is one operation, and carries its own audit entry in the same file (`_audit`),
  computed by the store from what changed, so nothing pay-relevant escapes the audit;
* a write that would change anything dated inside a closed month of a project is refused here,
  in one place, for the core and every plugin alike; ``periods.lock`` (shared by project
  commits, exclusive for the commit that closes a month) keeps a close from slipping in
  between that check and the write it allowed. A document is dated by its own ``dated`` field
  when it has one (``"YYYY-MM"``, or None for a record of no month — settings frozen *about* a
  closed month, a complaint before its verdict), so its plugin says which month it belongs to;
  without one its month is guessed from a top-level ``period`` or ``date`` (`doc_month`), which
  is how the older records work. A month's own file (``…/<YYYY-MM>``) is that month's
  whole, whatever its documents say;
* reads come from an in-memory cache of parsed files keyed by (inode, mtime_ns, size) and the
  generation number the file carries; files are re-stat'ed on every read, so a write by another
  process is seen at once; per-shard indexes are built lazily and die with their generation.
  The generation is read back from the file's first bytes (the store always writes ``_meta``
  first): an inode number is reused once ``.prev`` lets go of it, and on kernels with coarse
  timestamps two same-size commits inside one tick would otherwise look alike;
* the lock of a file is re-entrant within a thread (a migration on open inside a transaction
  must not wait for the lock its own thread holds), and exclusive between threads and processes
  (each acquisition is its own ``flock`` on its own descriptor);
* a damaged file is refused by name, never read as empty; schema versions upgrade on open;
* every file the store creates — data files, their ``.prev`` and temp copies, ``periods.lock``
  — is readable by its owner only (`FILE_MODE`, 0600): ``core.json`` holds password hashes and
  ``sessions.json`` the sessions, and one rule for every file leaves none to forget (the data
  folder belongs to the service account). ``.prev`` is a hard link, so it has its file's mode;
  a file made by an older version keeps its wider mode until its next write, and ``floorwalker
  check`` names each such file (`loose_files`). filelock's empty ``<file>.lock`` files hold
  nothing and keep filelock's own mode.

Document ids are made by the application (ULIDs, or natural keys like a project slug given by
the caller), never TinyDB's counters, so two processes cannot hand out the same id.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterator, Mapping

import orjson
from filelock import FileLock, Timeout

from .audit import summarise
from .errors import CorruptFile, DiskFull, PeriodClosed, StorageError, StoreBusy
from .i18n import N_
from .shards import Shard, StoreTable, Transaction, new_id, now_iso  # noqa: F401 (the store's API)

SCHEMA_VERSION = 2


def _leaders_lead_their_teams(tables: dict) -> None:
    """Schema 2: a team's ``leader`` (a username) becomes a team the user leads (``teams``),
    the link that limits a team leader's writes to their teams."""
    users = tables.get("users") or {}
    for team in (tables.get("teams") or {}).values():
        leader = team.pop("leader", None)
        if leader in users:
            users[leader]["teams"] = sorted({*(users[leader].get("teams") or ()), team["id"]})


# MIGRATIONS[i] upgrades the tables of a file from schema i + 1 to i + 2, in place.
MIGRATIONS: list[Callable[[dict], None]] = [_leaders_lead_their_teams]

AUDIT_TABLE = "_audit"
CORE = "core"
# files in the data folder that are plain exports, not shards (never read, checked or backed up)
EXPORTS = frozenset({"demo-accounts"})
PERIODS_TABLE = "periods"  # in core: {project, month, state}; "closed" locks the month
FILE_MODE = 0o600

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_\-]*)*$")
# ".<file>.json.<pid>.<hex>.tmp", and its ".prev" twin: the only temp files the store makes
_TEMP = re.compile(r"^\.(?P<live>[^/]+\.json)\.\d+\.[0-9a-f]+\.tmp(\.prev)?$")
_HEADER = re.compile(
    rb'^\s*\{\s*"_meta"\s*:\s*\{\s*"schema"\s*:\s*\d+\s*,\s*"generation"\s*:\s*(\d+)')
HEADER_BYTES = 96
# filelock retries a held lock by polling; 50 ms (its default) lets one busy writer take the
# lock again and again while another waits, so poll more often: a retry is one flock call
LOCK_POLL = 0.01
_MONTH_KEY = re.compile(r"/(\d{4}-\d{2})$")
DATED = "dated"  # a document's own month, when its plugin says which (see `doc_month`)
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class FileOps:
    """The file operations of a commit, one method each, so tests can inject failures."""

    def open_temp(self, path: Path) -> int:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)

    def write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def link(self, src: Path, dst: Path) -> None:
        os.link(src, dst)

    def replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def fsync_dir(self, folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def free_bytes(self, folder: Path) -> int:
        return shutil.disk_usage(folder).free


class Store:
    """Safe, fast TinyDB shards under one data folder. The only code that opens a data file."""

    def __init__(self, root: str | Path, *, lock_timeout: float = 10.0,
                 cache_limit: int = 150 * 1024 * 1024, fs: FileOps | None = None):
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self.cache_limit = cache_limit
        self.fs = fs or FileOps()
        self._cache: OrderedDict[str, Shard] = OrderedDict()
        self._cache_bytes = 0
        self._mutex = threading.RLock()
        self._held = threading.local()

    # ---------------------------------------------------------------- keys and paths

    @staticmethod
    def plugin_key(project: str, plugin: str) -> str:
        return f"projects/{project}/{plugin}"

    @staticmethod
    def period_key(project: str, table: str, month: str) -> str:
        return f"projects/{project}/{table}/{month}"

    def path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not a shard key: {key!r}")
        return self.root / f"{key}.json"

    def keys(self, prefix: str = "") -> list[str]:
        """The keys of the files that exist under *prefix* (a folder-like key, or the key of
        one file, which is its own prefix), sorted."""
        base = self.root / prefix if prefix else self.root
        found = [prefix] if prefix and self.path(prefix).exists() else []
        if not base.is_dir():
            return found
        for path in base.rglob("*.json"):
            rel = path.relative_to(self.root).as_posix()[: -len(".json")]
            if _KEY.match(rel) and rel not in EXPORTS:
                found.append(rel)
        return sorted(found)

    # ---------------------------------------------------------------- reading

    def read(self, key: str) -> Shard:
        """The file *key* as it is on disk now (an empty shard if it does not exist)."""
        path = self.path(key)
        try:
            with open(path, "rb", buffering=0) as fh:
                st = os.fstat(fh.fileno())
                stat_key = (st.st_ino, st.st_mtime_ns, st.st_size)
                with self._mutex:
                    cached = self._cache.get(key)
                if cached is not None and cached.stat == stat_key and cached.generation \
                        == _header_generation(os.pread(fh.fileno(), HEADER_BYTES, 0)):
                    with self._mutex:
                        if self._cache.get(key) is cached:
                            self._cache.move_to_end(key)
                    return cached
                raw = fh.readall()
        except FileNotFoundError:
            self._refuse_if_lost(key, path)
            return Shard(key=key, tables={})
        except OSError as exc:
            raise StorageError(N_("cannot read {path}: {reason}"), path=str(path),
                               reason=exc.strerror or str(exc)) from exc
        shard = self._parse(key, path, raw, stat_key)
        self._remember(shard)
        return shard

    def table(self, key: str, name: str) -> dict[str, dict]:
        return self.read(key).table(name)

    def _refuse_if_lost(self, key: str, path: Path) -> None:
        prev = path.with_name(path.name + ".prev")
        if prev.exists():
            raise CorruptFile(str(path), N_("the file is missing but its .prev copy exists"))

    def _parse(self, key: str, path: Path, raw: bytes, stat_key: tuple) -> Shard:
        data = parse_file(path, raw)
        meta = data.pop("_meta")
        if meta["schema"] < SCHEMA_VERSION:
            return self._migrate(key, path)
        return Shard(key=key, tables=data, generation=meta["generation"], stat=stat_key,
                     size=len(raw))

    def _migrate(self, key: str, path: Path) -> Shard:
        """Upgrade an old file under its lock, keeping the old one as .prev."""
        with self._locked(key, path):
            raw = _read_bytes(path)
            data = parse_file(path, raw)
            meta = data.pop("_meta")
            if meta["schema"] < SCHEMA_VERSION:
                for step in MIGRATIONS[meta["schema"] - 1:SCHEMA_VERSION - 1]:
                    step(data)
                shard = Shard(key=key, tables={}, generation=meta["generation"])
                return self._write(shard, data, {
                    "id": new_id(), "at": now_iso(), "actor": "system", "action": "migrate",
                    "file": key, "changes": [{"from_schema": meta["schema"],
                                              "to_schema": SCHEMA_VERSION}]})
            return self.read(key)  # another process upgraded it while this one waited

    def _remember(self, shard: Shard) -> None:
        with self._mutex:
            old = self._cache.pop(shard.key, None)
            if old is not None:
                self._cache_bytes -= old.size
            self._cache[shard.key] = shard
            self._cache_bytes += shard.size
            # parsed JSON takes several times its file size; evict least recently used
            while self._cache_bytes * 6 > self.cache_limit and len(self._cache) > 1:
                _, evicted = self._cache.popitem(last=False)
                self._cache_bytes -= evicted.size

    def forget(self) -> None:
        """Drop the read cache (a restore replaced the files)."""
        with self._mutex:
            self._cache.clear()
            self._cache_bytes = 0

    # ---------------------------------------------------------------- writing

    @contextmanager
    def _locked(self, key: str, path: Path):
        """Hold ``<file>.lock``; re-entrant in this thread, exclusive everywhere else."""
        held = self._held.__dict__.setdefault("keys", set())
        if key in held:
            yield
            return
        lock = FileLock(str(path) + ".lock", timeout=self.lock_timeout)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire(poll_interval=LOCK_POLL)
        except Timeout:
            raise StoreBusy(str(path)) from None
        except OSError as exc:
            raise _write_error(path, exc) from exc
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            lock.release()

    @contextmanager
    def transaction(self, key: str, actor: str, action: str) -> Iterator[Transaction]:
        """Change file *key* as one audited, durable commit.

        Yields a `Transaction` on a working copy read under the file's lock; when the block
        ends without an error, the changes are checked against closed periods, audited as
        *actor* doing *action*, and written. An error in the block writes nothing.
        """
        if not actor:
            raise ValueError("every write needs an actor for the audit log")
        path = self.path(key)
        with self._locked(key, path):
            shard = self.read(key)
            tx = Transaction(shard)
            yield tx
            changes = self._changes(shard, tx)
            if not changes:
                return
            entry = {"id": new_id(), "at": now_iso(), "actor": actor, "action": action,
                     "file": key, "changes": [summarise(c) for c in changes]}
            if tx.note:
                entry["note"] = tx.note
            with self._periods_guard(key, changes):
                self._check_periods(key, changes)
                self._write(shard, tx.tables, entry)

    def _periods_guard(self, key: str, changes: list[dict]):
        """The periods lock a commit needs: shared for project data (so the closed months it
        was checked against cannot change before it lands), exclusive for a commit that changes
        the periods table, none for the rest."""
        if key.startswith("projects/"):
            return self._periods_lock(exclusive=False)
        if key == CORE and any(c["table"] == PERIODS_TABLE for c in changes):
            return self._periods_lock(exclusive=True)
        return nullcontext()

    @contextmanager
    def _periods_lock(self, exclusive: bool):
        """``<data>/periods.lock``: closing a month waits for project commits already checked
        against the open month, and project commits wait for a close being written.

        A shared lock is what this needs and filelock offers none short of its SQLite-backed
        read-write lock, so this is a plain ``flock``: the kernel drops it when the process dies.
        """
        path = self.root / "periods.lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise _write_error(path, exc) from exc
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreBusy(str(path)) from None
                    time.sleep(LOCK_POLL)
            yield
        finally:
            os.close(fd)  # and with it the flock

    def _changes(self, shard: Shard, tx: Transaction) -> list[dict]:
        changes = []
        for name, docs in tx.tables.items():
            before = shard.tables.get(name)
            if docs is before:
                continue
            appended = tx.appended_only(name)
            if appended is not None:
                changes.append({"table": name, "inserted": appended,
                                "inserted_ids": [doc["id"] for doc in appended],
                                "removed": [], "updated": []})
                continue
            before = before or {}
            inserted_ids = sorted(docs.keys() - before.keys())
            inserted = [docs[i] for i in inserted_ids]
            removed = [{"id": i, **before[i]} for i in before.keys() - docs.keys()]
            updated = []
            for doc_id, doc in docs.items():
                old = before.get(doc_id)
                if old is not None and old is not doc and old != doc:
                    updated.append((doc_id, old, doc))
            if inserted or removed or updated:
                changes.append({"table": name, "inserted": inserted, "inserted_ids": inserted_ids,
                                "removed": removed, "updated": updated})
        return changes

    def _check_periods(self, key: str, changes: list[dict]) -> None:
        """Refuse any change dated inside a closed month of the file's project, and a document
        whose own ``dated`` is not a month."""
        if not key.startswith("projects/"):
            return
        for change in changes:
            for doc in change["inserted"] + [new for _, _, new in change["updated"]]:
                _check_dated(doc)
        project = key.split("/")[1]
        closed = self.closed_months(project)
        if not closed:
            return
        file_month = _MONTH_KEY.search(key)
        if file_month and file_month.group(1) in closed:
            raise PeriodClosed(project, file_month.group(1))
        for change in changes:
            docs = change["inserted"] + change["removed"]
            for _, old, new in change["updated"]:
                docs += [old, new]
            for doc in docs:
                month = doc_month(doc)
                if month in closed:
                    raise PeriodClosed(project, month)

    def closed_months(self, project: str) -> set[str]:
        return {p["month"] for p in self.read(CORE).index(PERIODS_TABLE, "project").get(project, ())
                if p.get("state") == "closed"}

    def _write(self, shard: Shard, tables: dict, entry: dict) -> Shard:
        """Serialise, check the disk, write a temp file, fsync, keep .prev, replace, fsync dir.

        Called with the file's lock held. On any failure the file is left as it was (a failed
        folder sync puts the previous file back) and no temp file survives.
        """
        path = self.path(shard.key)
        generation = shard.generation + 1
        audit = dict(tables.get(AUDIT_TABLE, {}))
        audit[entry["id"]] = {**entry, "generation": generation}
        body = {"_meta": {"schema": SCHEMA_VERSION, "generation": generation, "file": shard.key}}
        body.update(tables)
        body[AUDIT_TABLE] = audit
        payload = orjson.dumps(body)
        folder = path.parent
        try:
            free = self.fs.free_bytes(folder)
        except OSError as exc:
            raise _write_error(path, exc) from exc
        if free < 2 * len(payload):
            raise DiskFull(str(path), free, 2 * len(payload))
        existed = path.exists()
        tmp = _temp_name(path)
        prev_tmp = tmp.with_name(tmp.name + ".prev")
        try:
            fd = self.fs.open_temp(tmp)
            try:
                self.fs.write(fd, payload)
                self.fs.fsync(fd)
            finally:
                self.fs.close(fd)
            if existed:
                self.fs.link(path, prev_tmp)
                self.fs.replace(prev_tmp, path.with_name(path.name + ".prev"))
            self.fs.replace(tmp, path)
        except OSError as exc:
            _unlink_quietly(tmp)
            _unlink_quietly(prev_tmp)
            raise _write_error(path, exc) from exc
        try:
            self.fs.fsync_dir(folder)
        except OSError as exc:
            self._roll_back(path, existed, exc)
            raise _write_error(path, exc) from exc
        st = os.stat(path)
        data = dict(tables)
        data[AUDIT_TABLE] = audit
        new = Shard(key=shard.key, tables=data, generation=generation,
                    stat=(st.st_ino, st.st_mtime_ns, st.st_size), size=len(payload))
        self._remember(new)
        return new

    def _roll_back(self, path: Path, existed: bool, cause: OSError) -> None:
        """The folder could not be synced after the replace, so the commit is not durable and
        must not be acknowledged: put the previous file (kept as .prev) back in its place."""
        back = _temp_name(path)
        try:
            if existed:
                os.link(path.with_name(path.name + ".prev"), back)
                os.replace(back, path)
            else:
                os.unlink(path)
        except OSError:
            _unlink_quietly(back)
            raise StorageError(N_("cannot write {path} ({reason}) and cannot put the previous "
                                  "version back; run the check before using it"),
                               path=str(path), reason=cause.strerror or str(cause)) from cause
        try:
            self.fs.fsync_dir(path.parent)
        except OSError:
            pass  # the caller reports the first failure; the old file is what readers see

    # ---------------------------------------------------------------- whole folder

    def audit_entries(self, prefix: str = "") -> Iterator[dict]:
        """Every audit entry of the files under *prefix*, oldest first within a file.

        A commit appends its entry to the file's audit table, so the stored order is the
        commit order (ids are not: two commits in one millisecond sort at random)."""
        for key in self.keys(prefix):
            yield from self.read(key).table(AUDIT_TABLE).values()

    def check(self, remove_temp: bool = True) -> list[dict]:
        """Validate every file (parse, shape, schema); delete left-over temp files.

        Returns one summary per file; raises `CorruptFile` naming the first bad one.
        """
        if not self.root.exists():
            return []
        if remove_temp:
            self._remove_temp_files()
        report = []
        keys = self.keys()
        if keys and CORE not in keys:
            raise CorruptFile(str(self.path(CORE)),
                              N_("the file is missing while other data files exist"))
        for prev in self.root.rglob("*.json.prev"):
            live = prev.with_name(prev.name[: -len(".prev")])
            if not live.exists():
                raise CorruptFile(str(live), N_("the file is missing but its .prev copy exists"))
        for key in keys:
            # parse and drop: validating every file must not fill the read cache with files
            # no query asked for (cold-start memory)
            path = self.path(key)
            raw = _read_bytes(path)
            data = parse_file(path, raw)
            meta = data.pop("_meta")
            report.append({"file": key, "generation": meta["generation"], "bytes": len(raw),
                           "documents": sum(len(t) for n, t in data.items() if n != AUDIT_TABLE)})
        return report

    def _remove_temp_files(self) -> None:
        """Delete temp files left by a killed writer, each under its file's lock, so the
        temp file of a commit under way in another process is never taken from under it."""
        for tmp in sorted(self.root.rglob(".*.tmp*")):
            found = _TEMP.match(tmp.name)
            if not found:
                continue
            live = tmp.with_name(found["live"])
            key = live.relative_to(self.root).as_posix()[: -len(".json")]
            if _KEY.match(key):
                with self._locked(key, live):
                    _unlink_quietly(tmp)


def open_private(path: str | Path):
    """Open *path* to write bytes, readable by its owner only (`FILE_MODE`): the files Floorwalker
    writes outside a commit — demo logins, a backup, a restored folder — hold secrets too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a file that was already there keeps its mode through O_CREAT
    return os.fdopen(fd, "wb")


def loose_files(root: str | Path) -> list[tuple[Path, int]]:
    """(path, mode) of each data file under *root* (``*.json`` and ``*.json.prev``) that others
    than its owner may read or write."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*.json*")):
        if path.name.endswith((".json", ".json.prev")) and path.is_file():
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:  # any group or other bit
                found.append((path, mode))
    return found


def parse_file(path: Path, raw: bytes) -> dict:
    """Parse and check the shape of a data file, or raise `CorruptFile` naming it."""
    if not raw:
        raise CorruptFile(str(path), N_("the file is empty"))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptFile(str(path), N_("not valid JSON")) from exc
    if not isinstance(data, dict):
        raise CorruptFile(str(path), N_("not a table file"))
    meta = data.get("_meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int) \
            or not isinstance(meta.get("generation"), int) or meta["schema"] < 1:
        raise CorruptFile(str(path), N_("no schema version"))
    if meta["schema"] > SCHEMA_VERSION:
        raise CorruptFile(str(path), N_("written by a newer version of Floorwalker"))
    for name, docs in data.items():
        if name == "_meta":
            continue
        if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
            raise CorruptFile(str(path), N_("a table is not a set of documents"))
    return data


def doc_month(doc: Mapping) -> str | None:
    """The month a document is dated in: its ``dated`` if it has the field (None: no month),
    else guessed from its ``period`` (YYYY-MM) or its ``date`` (YYYY-MM-DD)."""
    if DATED in doc:
        return doc[DATED]
    period = doc.get("period")
    if isinstance(period, str) and len(period) == 7:
        return period
    date = doc.get("date")
    if isinstance(date, str) and len(date) >= 7:
        return date[:7]
    return None


def _check_dated(doc: Mapping) -> None:
    """A document's own ``dated`` is a month (YYYY-MM) or None: anything else would slip past
    the closed-month check."""
    if DATED in doc and doc[DATED] is not None and not (
            isinstance(doc[DATED], str) and _MONTH.fullmatch(doc[DATED])):
        raise ValueError(f"document {doc.get('id')!r}: dated must be YYYY-MM or None, "
                         f"got {doc[DATED]!r}")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorageError(N_("cannot read {path}: {reason}"), path=str(path),
                           reason=exc.strerror or str(exc)) from exc


def _header_generation(head: bytes) -> int | None:
    """The generation in a file's first bytes, or None if they do not start with ``_meta``."""
    found = _HEADER.match(head)
    return int(found.group(1)) if found else None


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_error(path: Path, exc: OSError) -> StorageError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(N_("the disk is full: {path} was not written and is unchanged"),
                            path=str(path))
    return StorageError(N_("cannot write {path} ({reason}); the file is unchanged"),
                        path=str(path), reason=exc.strerror or str(exc))

