"""The store's promises, one by one: failed commits leave the file as it was, damaged files are
refused by name, the lock spans read-change-write, the cache sees other processes at once,
files migrate on open, closed months are locked, every commit is audited, the cache is capped.

Every test runs twice (`journal_mode`): with the journal off, so each commit rewrites its whole
file ("fold"), and with a journal that never folds, so each commit after a file's first is one
record appended to ``<file>.journal`` ("journal"). The journal's own promises (a torn last
record, a damaged one, a fold killed half-way) are in test_journal.py; the two-process and
kill -9 runs in test_store_crash.py.
"""

import ast
import errno
import inspect
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from floorwalker.core import errors as errors_module
from floorwalker.core import files as files_module
from floorwalker.core import i18n, journal, sealing
from floorwalker.core import store as store_module
from floorwalker.core.errors import CorruptFile, DiskFull, PeriodClosed, StorageError, StoreBusy
from floorwalker.core.floorwalker import Floorwalker, open_floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import CORE, MIGRATIONS, SCHEMA_VERSION, FileOps, Store

from ..pgcluster import on_postgresql, store_for

WORKERS = Path(__file__).parent / "store_workers"
KEY = "projects/acme/roster"
MODES = {"fold": "0", "journal": str(1 << 40)}


@pytest.fixture(autouse=True, params=["fold"] if on_postgresql() else list(MODES))
def journal_mode(request, monkeypatch):
    """The journal limit of every store of the test, in this process and in its workers (on
    PostgreSQL, which has no journal file, one run)."""
    monkeypatch.setenv("FLOORWALKER_JOURNAL_LIMIT", MODES[request.param])
    return request.param


def on_disk(path: Path) -> tuple[bytes, bytes | None]:
    """A data file's bytes and its journal's (None when it has none)."""
    jpath = journal.path_of(path)
    return path.read_bytes(), jpath.read_bytes() if jpath.exists() else None


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if ".tmp" in p.name]


def put(store: Store, key: str, doc: dict, actor: str = "tl") -> dict:
    with store.transaction(key, actor, "test.put") as tx:
        return tx.insert("docs", doc)


def seeded(root: Path, fs: FileOps | None = None, **options) -> Store:
    store = store_for(root, fs=fs, **options)
    with store.transaction(CORE, "admin", "seed") as tx:
        tx.insert("settings", {"id": "install"})
    put(store, KEY, {"id": "a", "shift": "day"})
    return store


# ------------------------------------------------------------------ failed file operations

class FailingOps(FileOps):
    """Real file operations that fail with *errno* at the *nth* call of *op*."""

    def __init__(self):
        self.calls: list[str] = []
        self.fail: tuple[str, int, int] | None = None

    def _failing(self, op: str) -> bool:
        self.calls.append(op)
        if self.fail and self.fail[:2] == (op, self.calls.count(op)):
            return True
        return False

    def _error(self) -> OSError:
        return OSError(self.fail[2], os.strerror(self.fail[2]))

    def open_temp(self, path):
        if self._failing("open_temp"):
            raise self._error()
        return super().open_temp(path)

    def write(self, fd, data):
        if self._failing("write"):
            super().write(fd, data[: len(data) // 2])  # a short write, then the disk gives up
            raise self._error()
        super().write(fd, data)

    def fsync(self, fd):
        if self._failing("fsync"):
            raise self._error()
        super().fsync(fd)

    def close(self, fd):
        super().close(fd)  # Linux releases the descriptor even when close reports an error
        if self._failing("close"):
            raise self._error()

    def link(self, src, dst):
        if self._failing("link"):
            raise self._error()
        super().link(src, dst)

    def replace(self, src, dst):
        if self._failing("replace"):
            raise self._error()
        super().replace(src, dst)

    def fsync_dir(self, folder):
        if self._failing("fsync_dir"):
            raise self._error()
        super().fsync_dir(folder)

    def open_append(self, path):
        if self._failing("open_append"):
            raise self._error()
        return super().open_append(path)

    def truncate(self, fd, length):
        if self._failing("truncate"):
            raise self._error()
        super().truncate(fd, length)


COMMIT_STEPS = [("open_temp", 1), ("write", 1), ("fsync", 1), ("close", 1), ("link", 1),
                ("replace", 1), ("replace", 2), ("fsync_dir", 1)]
# a commit appended to a journal: the first one makes the journal, so it syncs the folder too
JOURNAL_STEPS = [("open_append", 1), ("write", 1), ("fsync", 1), ("close", 1), ("fsync_dir", 1)]
STEPS = {"fold": COMMIT_STEPS, "journal": JOURNAL_STEPS}
NEW_FILE_STEPS = [("open_temp", 1), ("write", 1), ("fsync", 1), ("close", 1), ("replace", 1),
                  ("fsync_dir", 1)]


def expected_message(path: Path, err: int) -> str:
    if err == errno.ENOSPC:
        return f"the disk is full: {path} was not written and is unchanged"
    return f"cannot write {path} ({os.strerror(err)}); the file is unchanged"


@pytest.mark.files_only  # the file operations of a commit (FileOps)
def test_a_commit_runs_exactly_the_steps_the_failure_tests_cover(tmp_path, journal_mode):
    fs = FailingOps()
    store = seeded(tmp_path, fs)
    fs.calls.clear()
    put(store, KEY, {"id": "b"})
    assert [(op, fs.calls[:i + 1].count(op)) for i, op in enumerate(fs.calls)] == STEPS[journal_mode]
    fs.calls.clear()
    put(store, KEY, {"id": "c"})  # the journal is there now: no folder sync
    assert [(op, fs.calls[:i + 1].count(op)) for i, op in enumerate(fs.calls)] == (
        COMMIT_STEPS if journal_mode == "fold" else JOURNAL_STEPS[:-1])
    fs.calls.clear()
    put(store, "projects/acme/other", {"id": "b"})
    assert [(op, fs.calls[:i + 1].count(op)) for i, op in enumerate(fs.calls)] == NEW_FILE_STEPS


@pytest.mark.files_only  # fault injection into file operations (FileOps)
@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("journal_mode, op, nth", [(m, op, n) for m in STEPS for op, n in STEPS[m]],
                         ids=[f"{m}-{op}{n}" for m in STEPS for op, n in STEPS[m]],
                         indirect=["journal_mode"])
def test_a_failed_file_operation_leaves_the_file_as_it_was(tmp_path, journal_mode, op, nth, err):
    fs = FailingOps()
    store = seeded(tmp_path, fs)
    path = store.path(KEY)
    before = on_disk(path)
    fs.fail = (op, nth, err)
    fs.calls.clear()
    with pytest.raises(StorageError) as caught:
        put(store, KEY, {"id": "lost"})
    assert str(caught.value) == expected_message(path, err)
    assert on_disk(path) in (before, (before[0], b""))  # a journal it made is empty or gone
    assert temp_files(tmp_path) == []
    assert set(store.table(KEY, "docs")) == {"a"}
    fs.fail = None
    put(store, KEY, {"id": "b"})
    assert set(store_for(tmp_path).table(KEY, "docs")) == {"a", "b"}
    assert store_for(tmp_path).check()


@pytest.mark.files_only  # fault injection into file operations (FileOps)
@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("op, nth", NEW_FILE_STEPS, ids=[f"{op}{n}" for op, n in NEW_FILE_STEPS])
def test_a_failed_first_commit_leaves_no_file(tmp_path, op, nth, err):
    fs = FailingOps()
    store = seeded(tmp_path, fs)
    fs.fail = (op, nth, err)
    fs.calls.clear()
    path = store.path("projects/acme/new")
    with pytest.raises(StorageError) as caught:
        put(store, "projects/acme/new", {"id": "lost"})
    assert str(caught.value) == expected_message(path, err)
    assert not path.exists() and temp_files(tmp_path) == []
    store_for(tmp_path).check()
    fs.fail = None
    put(store, "projects/acme/new", {"id": "b"})
    assert set(store_for(tmp_path).table("projects/acme/new", "docs")) == {"b"}


@pytest.mark.files_only  # the free space beside a data file
def test_a_nearly_full_disk_refuses_the_write_and_keeps_the_file(tmp_path, monkeypatch):
    store = seeded(tmp_path)
    path = store.path(KEY)
    before = path.read_bytes()
    # the new file is a little larger than the old one, so this is under twice its size
    monkeypatch.setattr(FileOps, "free_bytes", lambda self, folder: 2 * len(before))
    with pytest.raises(DiskFull) as caught:
        put(store, KEY, {"id": "lost"})
    message = str(caught.value)
    assert message.startswith(f"not enough free disk space to write {path} ")
    assert message.endswith("needed); nothing was written")
    assert caught.value.params["needed"] > 2 * len(before)
    assert path.read_bytes() == before and temp_files(tmp_path) == []
    monkeypatch.setattr(FileOps, "free_bytes", lambda self, folder: 4 * len(before))
    put(store, KEY, {"id": "b"})
    assert set(store.table(KEY, "docs")) == {"a", "b"}


# ------------------------------------------------------------------ damaged files at start

def valid_folder(root: Path) -> Floorwalker:
    fw = Floorwalker(store_for(root), make_plugin_manager(builtins=()))
    fw.projects.create("acme", "Acme", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    fw.ledger.record("acme", "1001", "loud", "2025-03-10", "tl")
    fw.ledger.record("acme", "1001", "loud", "2025-03-11", "tl")
    return fw


EVENTS = "projects/acme/score_events/2025-03"
DAMAGE = {
    "empty": (lambda raw: b"", "the file is empty"),
    "truncated": (lambda raw: raw[: len(raw) // 2], "not valid JSON"),
    "garbage": (lambda raw: b"\x00\x13\xfe garbage \xff" * 50, "not valid JSON"),
    "a list": (lambda raw: b"[1, 2, 3]", "not a table file"),
    "stock tinydb": (lambda raw: b'{"_default": {"1": {"a": 1}}}', "no schema version"),
    "table not documents": (lambda raw: b'{"_meta": {"schema": 1, "generation": 4}, "events": [1]}',
                            "a table is not a set of documents"),
    "newer schema": (lambda raw: b'{"_meta": {"schema": 99, "generation": 4}}',
                     "written by a newer version of Floorwalker"),
}


def refusal(path: Path, reason: str) -> str:
    return (f"the data file {path} is damaged ({reason}); refusing to start. "
            f"Restore it from {path}.prev or a backup")


@pytest.mark.files_only  # damaged data files
@pytest.mark.parametrize("key", [CORE, EVENTS])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_refused_by_name_and_never_overwritten(tmp_path, key, damage):
    fw = valid_folder(tmp_path)
    path = fw.store.path(key)
    spoil, reason = DAMAGE[damage]
    path.write_bytes(spoil(path.read_bytes()))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.json*")}

    with pytest.raises(CorruptFile) as caught:
        store_for(tmp_path).check()
    assert str(caught.value) == refusal(path, reason)
    if key == CORE:
        with pytest.raises(CorruptFile) as caught:
            open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))
    else:  # opening parses core.json only: the month's file is refused when first read
        opened = open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))
        with pytest.raises(CorruptFile) as caught:
            opened.ledger.agent_events("acme", "2025-03", "1001")
    assert str(caught.value) == refusal(path, reason)
    with pytest.raises(CorruptFile):  # a write does not start over an empty file either
        with store_for(tmp_path).transaction(key, "tl", "test.put") as tx:
            tx.insert("events", {"id": "x"})
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.json*")} == before


@pytest.mark.files_only  # a data file's .prev and journal
def test_a_missing_file_whose_prev_exists_is_refused_and_not_recreated(tmp_path, journal_mode):
    fw = valid_folder(tmp_path)
    path = fw.store.path(EVENTS)
    # the second commit kept the first file as .prev, or appended to the journal
    prev = path.with_name(path.name + (".prev" if journal_mode == "fold" else ".journal"))
    assert prev.exists()
    path.unlink()
    before = prev.read_bytes()
    reason = f"the file is missing but its {'.prev copy' if journal_mode == 'fold' else 'journal'} exists"
    with pytest.raises(CorruptFile) as caught:
        store_for(tmp_path).check()
    assert str(caught.value) == refusal(path, reason)
    with pytest.raises(CorruptFile):
        open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))
    with pytest.raises(CorruptFile):
        fw.ledger.record("acme", "1001", "loud", "2025-03-12", "tl")
    assert not path.exists() and prev.read_bytes() == before


@pytest.mark.files_only  # a deleted core.json
def test_a_missing_core_file_beside_project_files_is_refused(tmp_path):
    fw = valid_folder(tmp_path)
    core = fw.store.path(CORE)
    core.unlink()
    core.with_name("core.json.prev").unlink(missing_ok=True)
    with pytest.raises(CorruptFile) as caught:
        store_for(tmp_path).check()
    assert str(caught.value) == refusal(core, "the file is missing while other data files exist")


@pytest.mark.files_only  # a damaged data file's message
def test_the_refusal_reads_in_chinese_with_its_reason(tmp_path):
    fw = valid_folder(tmp_path)
    path = fw.store.path(CORE)
    path.write_bytes(b"")
    with pytest.raises(CorruptFile) as caught:
        store_for(tmp_path).check()
    assert caught.value.message("zh_CN") == (
        f"数据文件 {path} 已损坏（文件为空），拒绝启动。"
        f"请用 {path}.prev 或备份恢复该文件")


@pytest.mark.parametrize("module", [store_module, files_module, errors_module, journal, sealing])
def test_every_message_of_the_store_and_its_errors_has_a_chinese_translation(module):
    catalog = i18n.catalog("zh_CN")
    calls = [node for node in ast.walk(ast.parse(inspect.getsource(module)))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"]
    msgids = {ast.literal_eval(call.args[0]) for call in calls}
    assert msgids and all(catalog.get(m) and catalog.get(m).string for m in msgids), \
        [m for m in msgids if not (catalog.get(m) and catalog.get(m).string)]


# ------------------------------------------------------------------ the lock

def hold_lock(path: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, str(WORKERS / "lock_holder.py"), str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    return holder


@pytest.mark.files_only  # filelock's .lock files
def test_a_write_while_another_process_holds_the_lock_fails_busy_quickly(tmp_path):
    seeded(tmp_path)
    store = store_for(tmp_path, lock_timeout=0.2)
    path = store.path(KEY)
    before = path.read_bytes()
    holder = hold_lock(path)
    try:
        started = time.perf_counter()
        with pytest.raises(StoreBusy) as caught:
            put(store, KEY, {"id": "b"})
        waited = time.perf_counter() - started
        assert str(caught.value) == f"the data file {path} is busy; try again in a moment"
        assert caught.value.http_status == 503 and caught.value.exit_code != 0
        assert 0.2 <= waited < 1.5
        assert set(store.table(KEY, "docs")) == {"a"}  # readers do not wait for the lock
        assert path.read_bytes() == before
    finally:
        holder.communicate("")
    put(store, KEY, {"id": "b"})
    assert set(store.table(KEY, "docs")) == {"a", "b"}


def test_the_lock_spans_read_change_write_so_no_increment_is_lost(tmp_path):
    seeded(tmp_path)

    def bump(times):
        store = store_for(tmp_path)  # its own cache, like another worker
        for _ in range(times):
            with store.transaction(KEY, "tl", "count") as tx:
                counter = tx.get("counters", "n")
                if counter is None:
                    tx.insert("counters", {"id": "n", "value": 1})
                else:
                    tx.update("counters", "n", {"value": counter["value"] + 1})

    threads = [threading.Thread(target=bump, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store_for(tmp_path).table(KEY, "counters")["n"]["value"] == 100


@pytest.mark.files_only  # temp files of a file commit
def test_check_leaves_the_temp_file_of_a_commit_under_way_alone(tmp_path):
    store = seeded(tmp_path)
    path = store.path(KEY)
    in_flight = path.with_name(f".{path.name}.4242.0badc0de.tmp")
    in_flight.write_bytes(b"half a commit")
    holder = hold_lock(path)
    try:
        with pytest.raises(StoreBusy):
            store_for(tmp_path, lock_timeout=0.1).check()
        assert in_flight.exists()
    finally:
        holder.communicate("")
    store_for(tmp_path).check()  # the writer is gone: now it is a left-over
    assert not in_flight.exists()


# ------------------------------------------------------------------ the read cache

def test_a_write_by_another_process_is_seen_by_a_cached_reader_at_once(tmp_path):
    reader = seeded(tmp_path)
    assert set(reader.table(KEY, "docs")) == {"a"}
    cached = reader.read(KEY)
    if not on_postgresql():
        assert reader.read(KEY) is cached  # unchanged file: served from memory
    subprocess.run([sys.executable, str(WORKERS / "writer.py"), str(tmp_path), KEY, "other", "1"],
                   input="go\n", text=True, check=True, capture_output=True)
    assert set(reader.table(KEY, "docs")) == {"a", "other-0"}


@pytest.mark.files_only  # the file cache's stat key
def test_a_rewrite_that_keeps_inode_size_and_mtime_is_still_seen(tmp_path):
    """Inode numbers are reused and coarse clocks repeat mtimes: the generation decides."""
    reader = seeded(tmp_path)
    put(reader, KEY, {"id": "b", "shift": "day"})
    reader.fold(KEY)  # the journal's records into the file, which this test rewrites
    path = reader.path(KEY)
    assert reader.table(KEY, "docs")["b"]["shift"] == "day"
    st = path.stat()
    data = orjson.loads(path.read_bytes())
    data["_meta"]["generation"] += 1
    data["docs"]["b"]["shift"] = "eve"
    raw = orjson.dumps(data)
    assert len(raw) == st.st_size
    with open(path, "r+b") as fh:  # same inode
        fh.write(raw)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_mtime_ns, path.stat().st_size) == \
        (st.st_ino, st.st_mtime_ns, st.st_size)
    assert reader.table(KEY, "docs")["b"]["shift"] == "eve"


def test_an_index_is_rebuilt_after_a_change(tmp_path):
    store = seeded(tmp_path)
    assert [d["id"] for d in store.read(KEY).index("docs", "shift")["day"]] == ["a"]
    put(store, KEY, {"id": "b", "shift": "day"})
    assert sorted(d["id"] for d in store.read(KEY).index("docs", "shift")["day"]) == ["a", "b"]
    with store.transaction(KEY, "tl", "test.update") as tx:
        tx.update("docs", "a", {"shift": "night"})
    index = store.read(KEY).index("docs", "shift")
    assert [d["id"] for d in index["day"]] == ["b"] and [d["id"] for d in index["night"]] == ["a"]


@pytest.mark.files_only  # the parsed-file cache
def test_the_cache_stays_under_its_limit_and_evicts_the_least_recently_used(tmp_path):
    store = seeded(tmp_path)
    for n in range(30):
        with store.transaction(f"projects/acme/t{n}", "tl", "fill") as tx:
            tx.insert_many("docs", [{"id": str(i), "pad": "p" * 200} for i in range(20)])
    size = store.path("projects/acme/t0").stat().st_size
    small = store_for(tmp_path, cache_limit=size * 6 * 5)  # room for about five files
    peak = 0
    for n in range(30):
        assert len(small.table(f"projects/acme/t{n}", "docs")) == 20
        peak = max(peak, small._cache_bytes * 6)
    assert peak <= small.cache_limit
    assert 1 <= len(small._cache) <= 5
    assert list(small._cache)[-1] == "projects/acme/t29"
    assert "projects/acme/t0" not in small._cache
    assert len(small.table("projects/acme/t0", "docs")) == 20  # evicted files read again
    print(f"\ncache: 30 files of {size} bytes under a {small.cache_limit} byte cap: "
          f"{len(small._cache)} kept, peak estimate {peak} bytes")


# ------------------------------------------------------------------ migrations

def rename_shift_to_slot(tables: dict) -> None:
    for doc in tables.get("docs", {}).values():
        if "shift" in doc:
            doc["slot"] = doc.pop("shift")


@pytest.fixture
def schema_two(monkeypatch):
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, rename_shift_to_slot])


def test_the_migrations_list_reaches_the_current_schema():
    assert len(MIGRATIONS) == SCHEMA_VERSION - 1


@pytest.mark.files_only  # an old file's schema and .prev
@pytest.mark.parametrize("opened_by", ["read", "check", "transaction"])
def test_an_old_file_is_upgraded_on_open_kept_as_prev_and_audited(tmp_path, request, opened_by):
    seeded(tmp_path)
    path = store_for(tmp_path).path(KEY)
    old = path.read_bytes()
    request.getfixturevalue("schema_two")
    store = store_for(tmp_path, lock_timeout=2)
    if opened_by == "read":
        store.read(KEY)
    elif opened_by == "check":
        store.check()
    else:  # the migration takes the lock this transaction already holds
        put(store, KEY, {"id": "b", "slot": "eve"})
    docs = store_for(tmp_path).table(KEY, "docs")
    assert docs["a"] == {"id": "a", "slot": "day"}
    assert orjson.loads(path.read_bytes())["_meta"]["schema"] == SCHEMA_VERSION + 1
    entries = list(store.audit_entries(KEY))
    assert (entries[1]["actor"], entries[1]["action"], entries[1]["changes"]) == (
        "system", "migrate", [{"from_schema": SCHEMA_VERSION, "to_schema": SCHEMA_VERSION + 1}])
    if opened_by == "transaction":  # the upgrade is committed first, then the change
        assert docs["b"] == {"id": "b", "slot": "eve"}
        assert [e["action"] for e in entries] == ["test.put", "migrate", "test.put"]
    else:
        assert path.with_name(path.name + ".prev").read_bytes() == old
        assert [e["action"] for e in entries] == ["test.put", "migrate"]


# ------------------------------------------------------------------ closed months

def stored(store, key: str):
    """All that is stored of *key*: its file's bytes, or on PostgreSQL its documents and audit."""
    if on_postgresql():
        return store.read(key).generation, store.read(key).tables
    return on_disk(store.path(key))


@pytest.fixture
def closed_march(tmp_path):
    store = seeded(tmp_path)
    put(store, KEY, {"id": "m", "date": "2025-03-05"})
    put(store, KEY, {"id": "f", "date": "2025-02-05"})
    with store.transaction(CORE, "admin", "period.close") as tx:
        tx.insert("periods", {"id": "acme:2025-03", "project": "acme", "month": "2025-03",
                              "state": "closed"})
    return store


@pytest.mark.parametrize("change", [
    lambda tx: tx.insert("docs", {"id": "x", "date": "2025-03-20"}),
    lambda tx: tx.insert("docs", {"id": "x", "period": "2025-03"}),
    lambda tx: tx.update("docs", "m", {"note": "late"}),
    lambda tx: tx.update("docs", "f", {"date": "2025-03-01"}),  # moved into the closed month
    lambda tx: tx.update("docs", "m", {"date": "2025-04-01"}),  # moved out of it
    lambda tx: tx.remove("docs", "m"),
], ids=["insert-date", "insert-period", "update", "move-in", "move-out", "remove"])
def test_a_write_dated_in_a_closed_month_is_refused(tmp_path, closed_march, change):
    before = stored(closed_march, KEY)
    with pytest.raises(PeriodClosed) as caught:
        with closed_march.transaction(KEY, "tl", "test.change") as tx:
            change(tx)
    assert str(caught.value) == "2025-03 of project acme is closed: nothing in it can change"
    assert stored(store_for(tmp_path), KEY) == before


def test_any_write_to_a_closed_months_file_is_refused(tmp_path, closed_march):
    for key in ("projects/acme/attendance/2025-03", "projects/acme/score_events/2025-03"):
        with pytest.raises(PeriodClosed):
            put(closed_march, key, {"id": "x"})  # undated, but the file is the month's
        assert store_for(tmp_path).keys(key) == []  # not even an empty file of it


def test_the_same_writes_in_an_open_month_or_another_project_pass(tmp_path, closed_march):
    put(closed_march, KEY, {"id": "x", "date": "2025-04-20"})
    with closed_march.transaction(KEY, "tl", "test.change") as tx:
        tx.update("docs", "f", {"note": "fine"})
    put(closed_march, "projects/acme/attendance/2025-04", {"id": "x", "date": "2025-04-02"})
    put(closed_march, "projects/globex/roster", {"id": "x", "date": "2025-03-20"})
    put(closed_march, "projects/globex/attendance/2025-03", {"id": "x", "date": "2025-03-20"})
    assert set(closed_march.table(KEY, "docs")) == {"a", "m", "f", "x"}


class PausingOps(FileOps):
    """Stops a commit after its checks, just before it writes, until released."""

    def __init__(self):
        self.reached, self.release = threading.Event(), threading.Event()

    def open_temp(self, path):
        self.reached.set()
        assert self.release.wait(10)
        return super().open_temp(path)

    def open_append(self, path):
        self.reached.set()
        assert self.release.wait(10)
        return super().open_append(path)


def close_march(store: Store) -> None:
    with store.transaction(CORE, "admin", "period.close") as tx:
        tx.insert("periods", {"id": "acme:2025-03", "project": "acme", "month": "2025-03",
                              "state": "closed"})


def in_background(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args)
    thread.start()
    return thread


@pytest.mark.files_only  # pauses a file commit (FileOps) against periods.lock
def test_closing_a_month_waits_for_a_write_already_checked_against_it(tmp_path):
    seeded(tmp_path)
    paused = PausingOps()
    writer = store_for(tmp_path, fs=paused)
    thread = in_background(put, writer, KEY, {"id": "in-time", "date": "2025-03-31"})
    try:
        assert paused.reached.wait(10)  # checked while March was open, not written yet
        with pytest.raises(StoreBusy):
            close_march(store_for(tmp_path, lock_timeout=0.2))
    finally:
        paused.release.set()
        thread.join()
    close_march(store_for(tmp_path))
    with pytest.raises(PeriodClosed):
        put(writer, KEY, {"id": "too-late", "date": "2025-03-31"})
    assert set(store_for(tmp_path).table(KEY, "docs")) == {"a", "in-time"}


@pytest.mark.files_only  # pauses a file commit (FileOps) against periods.lock
def test_a_write_waits_for_a_close_being_written_and_is_then_refused(tmp_path):
    seeded(tmp_path)
    paused = PausingOps()
    thread = in_background(close_march, store_for(tmp_path, fs=paused))
    try:
        assert paused.reached.wait(10)
        with pytest.raises(StoreBusy):
            put(store_for(tmp_path, lock_timeout=0.2), KEY, {"id": "x", "date": "2025-03-31"})
    finally:
        paused.release.set()
        thread.join()
    with pytest.raises(PeriodClosed):
        put(store_for(tmp_path), KEY, {"id": "x", "date": "2025-03-31"})


# ------------------------------------------------------------------ the audit

def test_every_commit_carries_exactly_one_audit_entry_with_who_what_before_after(tmp_path):
    store = store_for(tmp_path)
    with store.transaction(KEY, "li", "roster.add") as tx:
        tx.insert("docs", {"id": "a", "shift": "day"})
        tx.insert("notes", {"id": "n", "text": "new"})
    with store.transaction(KEY, "wang", "roster.change") as tx:
        tx.update("docs", "a", {"shift": "night"})
    with store.transaction(KEY, "zhao", "roster.drop") as tx:
        tx.remove("notes", "n")
    with store.transaction(KEY, "nobody", "roster.nothing") as tx:
        tx.get("docs", "a")  # reads only: no commit, no entry
    with pytest.raises(RuntimeError):
        with store.transaction(KEY, "crash", "roster.crash") as tx:
            tx.insert("docs", {"id": "b"})
            raise RuntimeError("the caller failed half-way")
    with store.transaction(KEY, "sun", "roster.bulk") as tx:
        tx.insert_many("docs", [{"id": f"bulk{n:02d}"} for n in range(30)])

    entries = list(store.audit_entries(KEY))
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("li", "roster.add"), ("wang", "roster.change"), ("zhao", "roster.drop"),
        ("sun", "roster.bulk")]
    assert all(e["file"] == KEY and e["at"] for e in entries)
    # one entry per commit, in commit order: entry n was written by the file's generation n
    assert [e["generation"] for e in entries] == [1, 2, 3, 4]
    assert store.read(KEY).generation == 4
    added, changed, dropped, bulk = (e["changes"] for e in entries)
    assert added == [{"table": "docs", "inserted": ["a"]}, {"table": "notes", "inserted": ["n"]}]
    assert changed == [{"table": "docs", "updated": [
        {"id": "a", "before": {"shift": "day"}, "after": {"shift": "night"}}]}]
    assert dropped == [{"table": "notes", "removed": [{"id": "n", "text": "new"}]}]
    assert bulk == [{"table": "docs", "inserted_count": 30, "inserted_ids": ["bulk00", "bulk29"]}]
    assert "b" not in store.table(KEY, "docs")


def test_the_audit_and_meta_tables_are_the_stores_own(tmp_path):
    store = store_for(tmp_path)
    for table in ("_audit", "_meta"):
        with pytest.raises(ValueError):
            with store.transaction(KEY, "tl", "forge") as tx:
                tx.insert(table, {"id": "x"})
    with pytest.raises(ValueError):
        with store.transaction(KEY, "", "anonymous") as tx:
            tx.insert("docs", {"id": "x"})
    assert store.keys(KEY) == []


def test_documents_written_through_tinydbs_own_table_api_are_audited_by_their_keys(tmp_path):
    from tinydb import Query

    store = store_for(tmp_path)
    with store.transaction("core", "li", "seed") as tx:
        tx.insert("docs", {"id": "a", "shift": "day"})
    with store.transaction("core", "wang", "tinydb") as tx:
        tx.table("docs").upsert({"shift": "night"}, Query().id == "a")
        tx.table("docs").insert({"shift": "late"})  # no "id": TinyDB's table gives it a key
        tx.table("docs").remove(Query().shift == "night")
    docs = store.table("core", "docs")
    (new_key,) = docs
    change = list(store.audit_entries("core"))[-1]["changes"][0]
    assert change["inserted"] == [new_key]
    assert change["removed"] == [{"id": "a", "shift": "day"}]  # the whole document, as it was
