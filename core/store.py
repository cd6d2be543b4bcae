"""The store: every data file Floorwalker reads or writes goes through here.

TinyDB is the document model (tables of documents, its Query language, its Table API for
writes), but stock TinyDB loses data when two processes write, when killed mid-write and on a
full disk, and re-parses its file on every query. This module keeps TinyDB's model and replaces
what goes around it (see "Storage" in shared/architecture.md):

* one file per shard: ``core`` for master data, ``projects/<slug>/<plugin>`` for a plugin's data
  of a project, ``projects/<slug>/<table>/<YYYY-MM>`` for high-volume data of one month;
* an exclusive ``flock`` on ``<file>.lock`` held across read-change-write (`transaction`; the
  locks are in `core/locks.py`);
* each commit is one checksummed record appended to the file's journal
  (``<file>.journal``) and fsynced — and only then returns (`core/journal.py`); reading a file
  is its JSON plus its journal replayed. A new file, a commit that would take the journal past
  `JOURNAL_LIMIT`, the first commit after a crash cut a record short, and the close of a month
  write the whole file instead, with the journal folded in: serialised once (orjson), a temp
  file in the same folder fsynced, the outgoing file kept as ``<file>.prev``, ``os.replace``d,
  the folder fsynced, the journal emptied (`core/files.py`);
* closing a month seals its files (size and digest in core.json, `core/sealing.py`): opening
  the folder checks them by size and parses nothing but core.json; every other file is parsed
  when first read;
* one commit is one operation, and carries its own audit entry in the same file (`_audit`),
  computed by the store from what changed, so nothing pay-relevant escapes the audit; a
  whole-file write of a file that lives for years first moves past months' entries out into
  ``audit/<key>/<YYYY-MM>``, a month's file all of its own at its close (`core/audit_files.py`);
* a write that would change anything dated inside a closed month of a project is refused here,
  in one place, for the core and every plugin alike; ``periods.lock`` (shared by project
  commits, exclusive for the commit that closes a month) keeps a close from slipping in
  between that check and the write it allowed. A document is dated by its own ``dated`` field
  when it has one (``"YYYY-MM"``, or None for a record of no month — settings frozen *about* a
  closed month, a complaint before its verdict), so its plugin says which month it belongs to;
  without one its month is guessed from a top-level ``period`` or ``date`` (`locks.doc_month`),
  which is how the older records work. A month's own file (``…/<YYYY-MM>``) is that month's
  whole, whatever its documents say;
* reads come from an in-memory cache of parsed files keyed by (inode, mtime_ns, size) of the
  file and of its journal, and the generation number the file carries; files are re-stat'ed on every read, so a write by another
  process is seen at once; per-shard indexes are built lazily and die with their generation.
  The generation is read back from the file's first bytes (the store always writes ``_meta``
  first): an inode number is reused once ``.prev`` lets go of it, and on kernels with coarse
  timestamps two same-size commits inside one tick would otherwise look alike. A file whose
  time was already `SETTLED_NS` old when it was read so is then known by its stat alone (two
  ``os.stat``s, no open: `_read` says why);
* a damaged file is refused by name, never read as empty; schema versions upgrade on open;
* every file the store creates — data files, their ``.prev`` and temp copies, the ``.lock``
  files — is readable by its owner only (`FILE_MODE`, 0600): ``core.json`` holds password hashes and
  ``sessions.json`` the sessions, and one rule for every file leaves none to forget (the data
  folder belongs to the service account). ``.prev`` is a hard link, so it has its file's mode;
  a file made by an older version keeps its wider mode until its next write, and ``floorwalker
  check`` names each such file (`loose_files`); an older version's empty ``<file>.lock`` files
  hold nothing and keep the mode they were made with.

Document ids are made by the application (ULIDs, or natural keys like a project slug given by
the caller), never TinyDB's counters, so two processes cannot hand out the same id.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterable, Iterator

import orjson

from . import audit_files, files, journal, sealing
from .audit import summarise
from .errors import CorruptFile, StorageError
from .files import FileOps, loose_files, open_private  # noqa: F401 (the store's API)
from .i18n import N_
from .locks import FileLocks, check_periods, doc_month, periods_lock  # noqa: F401 (the store's API)
from .shards import Shard, StoreTable, Transaction, new_id, now_iso  # noqa: F401 (the store's API)
from .backend import AUDIT_TABLE, CORE, PERIODS_TABLE, Backend, check_key, is_key  # noqa: F401 (the store's API)

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

# the journal of a file is folded into it when the next record would take it past this many
# bytes (0: every commit rewrites its whole file); FLOORWALKER_JOURNAL_LIMIT sets another
JOURNAL_LIMIT = 256 * 1024
# a file whose mtime was this far behind the clock when it was read is known by its stat alone
SETTLED_NS = 5 * 10**9
# files in the data folder that are plain exports, not shards (never read, checked or backed up)
EXPORTS = frozenset({"demo-accounts"})


def parse_file(path: Path, raw: bytes) -> dict:
    """Parse and check the shape of a data file this version can read, or raise `CorruptFile`
    naming it."""
    return files.parse(path, raw, SCHEMA_VERSION)


class Store(Backend):
    """Safe, fast TinyDB shards under one data folder. The only code that opens a data file.
    A thread may read it through a snapshot and watch what it reads (`views.ReadViews`)."""

    def __init__(self, root: str | Path, *, lock_timeout: float = 10.0,
                 cache_limit: int = 150 * 1024 * 1024, fs: FileOps | None = None,
                 journal_limit: int | None = None):
        super().__init__()
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        if journal_limit is None:
            journal_limit = int(os.environ.get("FLOORWALKER_JOURNAL_LIMIT") or JOURNAL_LIMIT)
        self.journal_limit = journal_limit
        # files found damaged by the background check of closed months (`verify_sealed`)
        self.damaged: dict[str, str] = {}
        self.cache_limit = cache_limit
        self.fs = fs or FileOps()
        self._cache: OrderedDict[str, Shard] = OrderedDict()
        self._cache_bytes = 0
        # key -> (path, its text, its journal's); key -> a cached shard known by stat (`_read`)
        self._paths: dict[str, tuple[Path, str, str]] = {}
        self._settled: dict[str, Shard] = {}
        self._mutex = threading.RLock()
        self._locks = FileLocks(lock_timeout)
        # a plugin's numbered steps by the kind of file they upgrade (`register_migrations`),
        # set by the facade once the plugins are loaded
        self.plugin_steps: dict[str, tuple] = {}

    # ---------------------------------------------------------------- keys and paths

    def path(self, key: str) -> Path:
        return (self._paths.get(key) or self._locate(key))[0]

    def _locate(self, key: str) -> tuple[Path, str, str]:
        path = self.root / f"{check_key(key)}.json"
        if len(self._paths) > 8192:
            self._paths.clear()
        found = self._paths[key] = (path, str(path), str(journal.path_of(path)))
        return found

    def keys(self, prefix: str = "") -> list[str]:
        """The keys of the files that exist under *prefix* (a folder-like key, or the key of
        one file, which is its own prefix), sorted; listed once within a thread's `snapshot`."""
        seen = getattr(self._views, "files", None)  # the snapshot (`views`)
        if seen is None or (found := seen.get(("keys", prefix))) is None:
            found = self._listed(prefix)
            if seen is not None:
                seen[("keys", prefix)] = found
        self.noted(("keys", prefix), tuple(found))  # a figure derived from a listing: kept while it holds
        return list(found)

    def _listed(self, prefix: str) -> list[str]:
        found = [prefix] if prefix and self.path(prefix).exists() else []
        listed = files.json_files(str(self.root / prefix), len(str(self.root)) + 1)
        return sorted(found + [key for key in listed if is_key(key) and key not in EXPORTS])

    def key_of(self, path: Path) -> str | None:
        """The key of data file *path* under the folder, or None for a file that is no shard."""
        rel = path.relative_to(self.root).as_posix()[: -len(".json")]
        return rel if is_key(rel) and rel not in EXPORTS else None

    # ---------------------------------------------------------------- reading

    def read(self, key: str) -> Shard:
        """The file *key* as it is on disk now, its journal replayed (an empty shard if it does
        not exist) — or as this thread's snapshot first read it (`views`)."""
        return self._viewed(key, self._read)

    def _read(self, key: str) -> Shard:
        """A cached file is unchanged when its stat and its journal's are and its header has
        the generation it was read at. That last check (an open and a read) matters only for a
        file written within a timestamp tick of the one it replaced, so a file whose mtime was
        `SETTLED_NS` old when read or checked (its inode alive then: open) is known by its stat
        alone afterwards (`_settled`): a file put in its place later is made later, with a later
        mtime unless the clock went back that far, and the store never writes a file's bytes in
        place (a commit grows the journal or writes a new file)."""
        found = self._paths.get(key) or self._locate(key)
        path, settled = found[0], self._settled.get(key)
        if key in self.damaged:
            raise CorruptFile(str(path), self.damaged[key])
        if settled is not None and self._stat_of(found) == settled.stat:
            with self._mutex:
                if self._cache.get(key) is settled:
                    self._cache.move_to_end(key)
                    return settled
        for _ in range(3):
            try:
                with open(path, "rb", buffering=0) as fh:
                    st = os.fstat(fh.fileno())
                    stat_key = (st.st_ino, st.st_mtime_ns, st.st_size, journal.stat(journal.path_of(path)))
                    old = st.st_mtime_ns < time.time_ns() - SETTLED_NS
                    with self._mutex:
                        cached = self._cache.get(key)
                    if cached is not None and cached.stat == stat_key and \
                            cached.file_generation == files.header_generation(
                                os.pread(fh.fileno(), files.HEADER_BYTES, 0)):
                        with self._mutex:
                            if self._cache.get(key) is cached:
                                self._cache.move_to_end(key)
                                if old:
                                    self._settled[key] = cached
                        return cached
                    raw = fh.readall()
            except FileNotFoundError:
                self._refuse_if_lost(key, path)
                return Shard(key=key, tables={})
            except OSError as exc:
                raise StorageError(N_("cannot read {path}: {reason}"), path=str(path),
                                   reason=exc.strerror or str(exc)) from exc
            try:
                shard = self._parse(key, path, raw, stat_key)
            except journal.Gap:
                continue  # a fold replaced the file between reading it and its journal
            self._remember(shard, old and shard.stat is stat_key)
            return shard
        raise CorruptFile(str(journal.path_of(path)), N_("the journal does not follow on from its file"))

    def fingerprint(self, key: str) -> tuple:
        """(stat, header generation) of file *key* as a `Shard` read now would carry them
        (``(None, 0)`` when there is no such file), without parsing it: `Store.read`'s own test
        of its cache, for the summaries kept per state of the files they read. A listing
        (``("keys", prefix)``, noted by `keys`) is its keys."""
        if isinstance(key, tuple):
            return tuple(self.keys(key[1]))
        found = self._paths.get(key) or self._locate(key)
        settled, path = self._settled.get(key), found[0]
        if settled is not None and self._stat_of(found) == settled.stat:
            return settled.stat, settled.file_generation
        try:
            with open(path, "rb", buffering=0) as fh:
                st = os.fstat(fh.fileno())
                head = os.pread(fh.fileno(), files.HEADER_BYTES, 0)
        except FileNotFoundError:
            return None, 0
        stat = (st.st_ino, st.st_mtime_ns, st.st_size, journal.stat(journal.path_of(path)))
        return stat, files.header_generation(head)

    def _refuse_if_lost(self, key: str, path: Path) -> None:
        prev = path.with_name(path.name + ".prev")
        if prev.exists():
            raise CorruptFile(str(path), N_("the file is missing but its .prev copy exists"))
        if (journal.stat(journal.path_of(path)) or (0, 0, 0))[2]:
            raise CorruptFile(str(path), N_("the file is missing but its journal exists"))

    def _steps(self, key: str) -> tuple:
        """The plugin's steps for the kind of file *key* is: the folder under its project
        (``projects/<slug>/<kind>`` or ``projects/<slug>/<kind>/<YYYY-MM>``)."""
        parts = key.split("/")
        return self.plugin_steps.get(parts[2], ()) if parts[0] == "projects" and len(parts) > 2 else ()

    def _outdated(self, key: str, meta: dict) -> bool:
        return meta["schema"] < SCHEMA_VERSION or meta.get("version", 1) <= len(self._steps(key))

    def _parse(self, key: str, path: Path, raw: bytes, stat_key: tuple) -> Shard:
        data = parse_file(path, raw)
        meta = data.pop("_meta")
        if self._outdated(key, meta):
            return self._migrate(key, path)
        return self._replayed(key, path, raw, data, meta["generation"], stat_key)

    def _replayed(self, key: str, path: Path, raw: bytes, data: dict, generation: int,
                  stat_key: tuple | None) -> Shard:
        """The parsed file *data* with its journal replayed, checked against the record made
        when its month closed."""
        jraw = journal.read(journal.path_of(path)) if stat_key is None or stat_key[3] else b""
        done = journal.replay(journal.path_of(path), jraw, data, generation)
        if key != CORE:
            sealing.verify(self, key, path, raw, done.applied)
        return Shard(key=key, tables=data, generation=done.generation, stat=stat_key,
                     size=len(raw) + len(jraw), file_generation=generation, journal=done.valid,
                     torn=done.torn, stale=done.stale)

    def load(self, key: str) -> Shard:
        """The file *key* read, replayed and checked, without keeping it in the cache or
        upgrading it (`check`: validating every file must not fill the cache)."""
        path = self.path(key)
        for _ in range(3):
            raw = files.read_bytes(path)
            data = parse_file(path, raw)
            meta = data.pop("_meta")
            try:
                return self._replayed(key, path, raw, data, meta["generation"], None)
            except journal.Gap:
                continue
        raise CorruptFile(str(journal.path_of(path)), N_("the journal does not follow on from its file"))

    def _migrate(self, key: str, path: Path) -> Shard:
        """Upgrade an old file under its lock, keeping the old one as .prev."""
        with self.lock(key):
            data = parse_file(path, files.read_bytes(path))
            meta = data.pop("_meta")
            if self._outdated(key, meta):
                done = journal.replay(journal.path_of(path), journal.read(journal.path_of(path)),
                                      data, meta["generation"])
                steps, version = self._steps(key), meta.get("version", 1)
                for step in (*MIGRATIONS[meta["schema"] - 1:SCHEMA_VERSION - 1], *steps[version - 1:]):
                    step(data)
                change = {"from_schema": meta["schema"], "to_schema": SCHEMA_VERSION}
                if steps:
                    change.update(from_version=version, to_version=len(steps) + 1)
                shard = self._write(Shard(key=key, tables={}, generation=done.generation), data, {
                    "id": new_id(), "at": now_iso(), "actor": "system", "action": "migrate",
                    "file": key, "changes": [change]})
                if key != CORE:
                    sealing.reseal(self, key)  # a closed month's file keeps its record true
                return shard
            return self.read(key)  # another process upgraded it while this one waited

    @staticmethod
    def _stat_of(found: tuple[Path, str, str]) -> tuple | None:
        """A file's stat as `_read` keys its cache (None if missing), from `_locate`'s paths."""
        try:
            st = os.stat(found[1])
            jst = os.stat(found[2]) if os.access(found[2], os.F_OK) else None
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size,
                None if jst is None else (jst.st_ino, jst.st_mtime_ns, jst.st_size))

    def _remember(self, shard: Shard, settled: bool = False) -> None:
        with self._mutex:
            if settled:
                self._settled[shard.key] = shard
            else:
                self._settled.pop(shard.key, None)
            old = self._cache.pop(shard.key, None)
            if old is not None:
                self._cache_bytes -= old.size
            self._cache[shard.key] = shard
            self._cache_bytes += shard.size
            # parsed JSON takes several times its file size; evict least recently used
            while self._cache_bytes * 6 > self.cache_limit and len(self._cache) > 1:
                _, evicted = self._cache.popitem(last=False)
                self._cache_bytes -= evicted.size
                self._settled.pop(evicted.key, None)

    def forget(self) -> None:
        """Drop the read cache (a restore replaced the files)."""
        with self._mutex:
            self._cache.clear()
            self._settled.clear()
            self._cache_bytes = 0

    # ---------------------------------------------------------------- writing

    def lock(self, key: str):
        """Hold the lock of file *key* (`locks.FileLocks`): a commit, a migration and a backup
        each hold it while they read and write."""
        return self._fresh(self._locks.hold(key, self.path(key)))

    @contextmanager
    def transaction(self, key: str, actor: str, action: str) -> Iterator[Transaction]:
        """Change file *key* as one audited, durable commit.

        Yields a `Transaction` on a working copy read under the file's lock; when the block
        ends without an error, the changes are checked against closed periods, audited as
        *actor* doing *action*, and written. An error in the block writes nothing.
        """
        if not actor:
            raise ValueError("every write needs an actor for the audit log")
        closed: list[tuple[str, str]] = []
        with self.lock(key):
            shard = self.read(key)
            tx = Transaction(shard)
            yield tx
            changes = self._changes(shard, tx)
            if changes:
                entry = {"id": new_id(), "at": now_iso(), "actor": actor, "action": action,
                         "file": key, "changes": [summarise(c) for c in changes]}
                if tx.note:
                    entry["note"] = tx.note
                with self._periods_guard(key, changes):
                    check_periods(key, changes, self.closed_months)
                    self._commit(shard, tx.tables, changes, entry)
                if key == CORE:
                    closed = sealing.newly_closed(changes, PERIODS_TABLE)
        if closed:  # no more writes can reach those months: fold and record their files
            sealing.seal_quietly(self, closed)

    def _periods_guard(self, key: str, changes: list[dict]):
        """The periods lock a commit needs: shared for project data (so the closed months it
        was checked against cannot change before it lands), exclusive for a commit that changes
        the periods table, none for the rest."""
        if key.startswith("projects/"):
            return periods_lock(self.root, False, self.lock_timeout)
        if key == CORE and any(c["table"] == PERIODS_TABLE for c in changes):
            return periods_lock(self.root, True, self.lock_timeout)
        return nullcontext()

    def _commit(self, shard: Shard, tables: dict, changes: list[dict], entry: dict) -> Shard:
        """Commit the next generation of *shard*, *tables* with the audit *entry*: one record
        appended to the file's journal, or — for a new file, a commit that would take the
        journal past its limit, a dropped table — the whole file written with the journal
        folded in. Called with the file's lock held."""
        generation = shard.generation + 1
        entry = {**entry, "generation": generation}
        # a torn last record (a crash) is cut off by a whole-file write: the new file tells
        # every process's cache, where a journal cut back and grown again might not
        changed = sum(len(c["inserted_ids"]) + len(c["removed_ids"]) + len(c["updated"])
                      for c in changes)  # a bulk commit (an import) skips encoding a record
        if shard.stat is not None and 0 < changed * 64 <= self.journal_limit and not shard.torn \
                and shard.tables.keys() <= tables.keys():
            record = journal.encode(generation, changes, entry)
            if shard.journal + len(record) <= self.journal_limit:
                path = self.path(shard.key)
                files.check_space(self.fs, path, shard.size + len(record))
                jstat = journal.append(self.fs, path, record, shard.journal)
                if os.stat(path).st_mode & 0o077:  # a file of an older version is owner-only
                    files.make_private(path)  # from its next write, as if rewritten
                data = dict(tables)
                data[AUDIT_TABLE] = {**tables.get(AUDIT_TABLE, {}), entry["id"]: entry}
                new = Shard(key=shard.key, tables=data, generation=generation,
                            stat=(*shard.stat[:3], jstat), size=shard.size + len(record),
                            file_generation=shard.file_generation,
                            journal=shard.journal + len(record), stale=shard.stale)
                self._remember(new)
                return new
        audit = dict(tables.get(AUDIT_TABLE, {}))
        audit[entry["id"]] = entry
        return self._write(shard, {**tables, AUDIT_TABLE: audit}, None, generation)

    def _write(self, shard: Shard, tables: dict, entry: dict | None, generation: int | None = None
               ) -> Shard:
        """Write *tables* as the whole file of *shard* durably (`files.write_durably`) and
        empty its journal; with an audit *entry*, as the next generation. Called with the
        file's lock held."""
        path = self.path(shard.key)
        if entry is not None:
            generation = shard.generation + 1
            tables = {**tables, AUDIT_TABLE: {**tables.get(AUDIT_TABLE, {}),
                                              entry["id"]: {**entry, "generation": generation}}}
        tables = audit_files.move_out(self, shard, tables, now_iso()[:7])  # the years' audit out
        body = {"_meta": {"schema": SCHEMA_VERSION, "generation": generation, "file": shard.key}}
        steps = self._steps(shard.key)
        if steps:  # the plugin's version of the file: every write leaves it in the latest shape
            body["_meta"]["version"] = len(steps) + 1
        body.update(tables)
        payload = orjson.dumps(body)
        files.write_durably(self.fs, path, payload)
        jpath = journal.path_of(path)
        if journal.stat(jpath):
            journal.clear(self.fs, path)
        st, jstat = os.stat(path), journal.stat(jpath)
        left = jstat[2] if jstat else 0  # a journal that could not be emptied: write whole again
        new = Shard(key=shard.key, tables=dict(tables), generation=generation,
                    stat=(st.st_ino, st.st_mtime_ns, st.st_size, jstat), size=len(payload) + left,
                    file_generation=generation, torn=left)
        self._remember(new)
        return new

    def fold(self, key: str) -> Shard:
        """Fold the journal of file *key* into it (a closed month's files are single files)."""
        with self.lock(key):
            shard = self.read(key)
            if shard.stat is not None and shard.stat[3] and shard.stat[3][2]:
                shard = self._write(shard, shard.tables, None, shard.generation)
            return shard

    # ---------------------------------------------------------------- whole folder

    def audit_entries(self, prefix: str = "", months: Iterable[str] | None = None) -> Iterator[dict]:
        """Every audit entry of the files under *prefix* (their audit files' and their own,
        each once), oldest first within a file; only those whose ``at`` falls in *months*
        (``YYYY-MM``) when given, reading no other month's audit file (`core/audit_files.py`).

        A commit appends its entry to the file's audit table, so the stored order is the
        commit order (ids are not: two commits in one millisecond sort at random)."""
        return audit_files.entries(self, prefix, months)

    def check(self, remove_temp: bool = True, *, full: bool = False, quick: bool = False
              ) -> list[dict]:
        """Validate the folder; delete left-over temp files (with *remove_temp*).

        Every file not yet read is parsed with its journal (shape, schema) except a closed
        month's, whose file is checked against the size and digest recorded when the month
        closed (*full*: parsed as well). *quick* (opening the folder) parses core.json only,
        checks closed months' files by size (the digest only when their time changed) and
        leaves the others to their first read. Returns one summary per file; raises
        `CorruptFile` naming the first bad one.
        """
        return sealing.check_folder(self, remove_temp, "full" if full else "quick" if quick else "check")

    def remove_temp_files(self, temps: list[Path]) -> None:
        """Delete temp files left by a killed writer, each under its file's lock, so the
        temp file of a commit under way in another process is never taken from under it."""
        for tmp in temps:
            live = tmp.with_name(files.TEMP_FILE.match(tmp.name)["live"])
            key = self.key_of(live)
            if key:
                with self.lock(key):
                    files.unlink_quietly(tmp)
