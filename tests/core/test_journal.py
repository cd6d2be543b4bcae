"""The journal beside a data file, and closed months' sealed files.

A commit appends one checksummed record to ``<file>.journal``; reading is the file plus its
journal; a torn last record is ignored (and named by the check), a damaged record with records
after it is refused by name, a fold killed before it emptied the journal applies nothing twice,
the journal folds before it passes its limit and when a month closes. A closed month's files are
sealed (size and digest in core.json): opening the folder parses core.json only, and a closed
file whose bytes changed is refused by name before it is served.
"""

import os
import struct

import orjson
import pytest

from floorwalker.core import files, journal, sealing
from floorwalker.core import store as store_module
from floorwalker.core.errors import CorruptFile, StorageError
from floorwalker.core.floorwalker import Floorwalker, open_floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import CORE, Store

from .test_store import FailingOps

pytestmark = pytest.mark.files_only  # the journal and sealing of the data files

KEY = "projects/acme/roster"
NEVER = 1 << 40


def put(store: Store, doc: dict, key: str = KEY) -> dict:
    with store.transaction(key, "tl", "test.put") as tx:
        return tx.insert("docs", doc)


def bump(store: Store) -> None:
    with store.transaction(KEY, "tl", "count") as tx:
        counter = tx.get("docs", "n")
        tx.update("docs", "n", {"value": counter["value"] + 1})


def records(raw: bytes) -> list[tuple[int, int]]:
    """(start, end) of each record of a journal."""
    found, pos = [], 0
    while pos < len(raw):
        length, _ = struct.unpack_from(">II", raw, pos)
        found.append((pos, pos + 8 + length))
        pos += 8 + length
    return found


def refusal(path, reason: str) -> str:
    return (f"the data file {path} is damaged ({reason}); refusing to start. "
            f"Restore it from {path}.prev or a backup")


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(tmp_path, journal_limit=NEVER)
    with store.transaction(CORE, "admin", "seed") as tx:
        tx.insert("settings", {"id": "install"})
    put(store, {"id": "n", "value": 0})
    for _ in range(3):
        bump(store)
    return store


def test_each_commit_after_the_first_is_one_record_appended_and_read_back(store, tmp_path):
    path = store.path(KEY)
    raw = journal.path_of(path).read_bytes()
    assert len(records(raw)) == 3
    assert orjson.loads(path.read_bytes())["_meta"]["generation"] == 1  # the file: first commit
    other = Store(tmp_path)  # another process's view: the file and its journal replayed
    assert other.table(KEY, "docs")["n"]["value"] == 3
    assert other.read(KEY).generation == 4
    assert [e["generation"] for e in other.audit_entries(KEY)] == [1, 2, 3, 4]
    bump(store)
    assert other.table(KEY, "docs")["n"]["value"] == 4  # its cache sees the new record at once
    assert other.read(KEY).generation == 5


def test_a_torn_last_record_is_ignored_named_by_check_and_folded_away_by_the_next_commit(store, tmp_path):
    jpath = journal.path_of(store.path(KEY))
    whole = jpath.read_bytes()
    start, end = records(whole)[-1]
    jpath.write_bytes(whole[: start + (end - start) // 2])  # killed half-way through an append
    fresh = Store(tmp_path, journal_limit=NEVER)
    assert fresh.table(KEY, "docs")["n"]["value"] == 2
    row = next(r for r in fresh.check() if r["file"] == KEY)
    assert row["torn"] == (end - start) // 2
    cached = Store(tmp_path)
    assert cached.table(KEY, "docs")["n"]["value"] == 2  # a reader in another process
    bump(fresh)
    assert journal.path_of(store.path(KEY)).stat().st_size == 0  # the whole file written
    assert cached.table(KEY, "docs")["n"]["value"] == 3
    bump(fresh)  # and the journal used again
    assert journal.path_of(store.path(KEY)).stat().st_size > 0
    assert Store(tmp_path).table(KEY, "docs")["n"]["value"] == 4
    assert "torn" not in next(r for r in Store(tmp_path).check() if r["file"] == KEY)


def test_a_last_record_whose_checksum_fails_is_ignored(store, tmp_path):
    jpath = journal.path_of(store.path(KEY))
    raw = bytearray(jpath.read_bytes())
    raw[-3] ^= 0xFF
    jpath.write_bytes(bytes(raw))
    assert Store(tmp_path).table(KEY, "docs")["n"]["value"] == 2


def test_the_check_names_a_torn_journal_on_the_command_line(store, tmp_path, capsys):
    from floorwalker.cli import main
    jpath = journal.path_of(store.path(KEY))
    jpath.write_bytes(jpath.read_bytes()[:-5])
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(tmp_path), "--lang", "en", "check"])
    assert exit_.value.code in (0, None)
    err = capsys.readouterr().err
    assert f"{jpath}: the last" in err and "a write cut short" in err


def test_a_damaged_record_in_the_middle_is_refused_by_name(store, tmp_path):
    jpath = journal.path_of(store.path(KEY))
    raw = bytearray(jpath.read_bytes())
    start, end = records(bytes(raw))[0]
    raw[end - 2] ^= 0xFF
    jpath.write_bytes(bytes(raw))
    before = jpath.read_bytes(), store.path(KEY).read_bytes()
    message = refusal(jpath, "a record in the middle of its journal is damaged")
    for attempt in (lambda s: s.read(KEY), lambda s: s.check(), lambda s: bump(s)):
        with pytest.raises(CorruptFile) as caught:
            attempt(Store(tmp_path, journal_limit=NEVER))
        assert str(caught.value) == message
    assert (jpath.read_bytes(), store.path(KEY).read_bytes()) == before


def test_a_journal_that_does_not_follow_on_from_its_file_is_refused(store, tmp_path):
    jpath = journal.path_of(store.path(KEY))
    raw = jpath.read_bytes()
    jpath.write_bytes(raw[records(raw)[0][1]:])  # its first record lost: generation 3 after 1
    with pytest.raises(CorruptFile) as caught:
        Store(tmp_path).read(KEY)
    assert str(caught.value) == refusal(jpath, "the journal does not follow on from its file")


def test_a_journal_without_its_file_is_refused(store, tmp_path):
    store.path(KEY).unlink()
    with pytest.raises(CorruptFile) as caught:
        Store(tmp_path).check()
    assert str(caught.value) == refusal(store.path(KEY), "the file is missing but its journal exists")


def test_a_fold_killed_before_it_emptied_the_journal_applies_nothing_twice(store, tmp_path):
    jpath = journal.path_of(store.path(KEY))
    kept = jpath.read_bytes()
    store.fold(KEY)
    assert jpath.stat().st_size == 0 and orjson.loads(store.path(KEY).read_bytes())["_meta"]["generation"] == 4
    jpath.write_bytes(kept)  # as if killed between writing the folded file and emptying this
    fresh = Store(tmp_path, journal_limit=NEVER)
    assert fresh.table(KEY, "docs")["n"]["value"] == 3  # not 6
    assert [e["generation"] for e in fresh.audit_entries(KEY)] == [1, 2, 3, 4]
    bump(fresh)  # appended after the old records, which stay skipped
    again = Store(tmp_path)
    assert again.table(KEY, "docs")["n"]["value"] == 4 and again.read(KEY).generation == 5
    assert again.check()


def test_a_fold_whose_journal_cannot_be_emptied_still_commits(tmp_path):
    fs = FailingOps()
    store = Store(tmp_path, journal_limit=600, fs=fs)
    put(store, {"id": "n", "value": 0})
    fs.fail = ("truncate", 1, 5)  # EIO when the fold empties the journal
    for _ in range(8):
        bump(store)
    assert "truncate" in fs.calls
    assert Store(tmp_path).table(KEY, "docs")["n"]["value"] == 8


def test_the_journal_folds_before_it_passes_its_limit_and_a_large_commit_writes_the_file(tmp_path):
    store = Store(tmp_path, journal_limit=2000)
    jpath = journal.path_of(store.path(KEY))
    put(store, {"id": "n", "value": 0})
    sizes = []
    for _ in range(40):
        bump(store)
        sizes.append(jpath.stat().st_size if jpath.exists() else 0)
    assert max(sizes) <= 2000 and sizes.count(0) >= 3  # folded several times
    assert Store(tmp_path).table(KEY, "docs")["n"]["value"] == 40
    assert Store(tmp_path).read(KEY).generation == 41
    with store.transaction(KEY, "tl", "bulk") as tx:
        tx.insert_many("docs", [{"id": f"b{i}", "pad": "p" * 50} for i in range(100)])
    assert not jpath.exists() or jpath.stat().st_size == 0
    assert len(Store(tmp_path).table(KEY, "docs")) == 101


def test_a_failed_commit_after_a_torn_record_leaves_the_file_as_it_read(store, tmp_path):
    jpath = journal.path_of(store.path(KEY))
    jpath.write_bytes(jpath.read_bytes() + b"\x00\x00\x01")  # a torn header
    fs = FailingOps()
    fs.fail = ("fsync", 1, 28)  # ENOSPC
    failing = Store(tmp_path, journal_limit=NEVER, fs=fs)
    with pytest.raises(StorageError):
        bump(failing)
    assert Store(tmp_path).table(KEY, "docs")["n"]["value"] == 3
    bump(Store(tmp_path, journal_limit=NEVER))
    assert Store(tmp_path).table(KEY, "docs")["n"]["value"] == 4


# ------------------------------------------------------------------ closed months, sealed

MARCH = "projects/acme/score_events/2025-03"


@pytest.fixture
def closed(tmp_path):
    """A project with March (recorded event by event, so it has a journal) closed, April open."""
    fw = Floorwalker(Store(tmp_path, journal_limit=NEVER), make_plugin_manager(builtins=()))
    fw.projects.create("acme", "Acme", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    for day in ("2025-03-10", "2025-03-11", "2025-03-12", "2025-04-01", "2025-04-02"):
        fw.ledger.record("acme", "1001", "loud", day, "tl")
    assert journal.path_of(fw.store.path(MARCH)).stat().st_size
    fw.periods.close("acme", "2025-03", "admin")
    return fw


def parsed_files(monkeypatch) -> list[str]:
    seen = []
    real = files.parse

    def spy(path, raw, newest):
        seen.append("/".join(path.parts[-2:]) if path.name != "core.json" else "core.json")
        return real(path, raw, newest)

    monkeypatch.setattr(files, "parse", spy)
    return seen


def test_closing_a_month_folds_and_seals_its_files(closed, tmp_path):
    path = closed.store.path(MARCH)
    assert journal.path_of(path).stat().st_size == 0  # a single folded file
    seal = closed.store.read(CORE).table(sealing.SEALED)[MARCH]
    raw = path.read_bytes()
    assert (seal["bytes"], seal["blake2b"], seal["generation"]) == (len(raw), sealing.digest(raw), 3)
    assert "projects/acme/score_events/2025-04" not in closed.store.read(CORE).table(sealing.SEALED)
    assert len(closed.ledger.events("acme", "2025-03")) == 3


def test_opening_the_folder_parses_core_json_only(closed, tmp_path, monkeypatch):
    seen = parsed_files(monkeypatch)
    fw = open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))
    assert seen == ["core.json"]
    assert len(fw.ledger.events("acme", "2025-04")) == 2  # parsed when first read
    assert seen == ["core.json", "score_events/2025-04.json"]


def test_the_check_verifies_sealed_files_by_digest_and_the_full_check_parses_them(closed, tmp_path,
                                                                                 monkeypatch):
    seen = parsed_files(monkeypatch)
    report = {r["file"]: r for r in Store(tmp_path).check()}
    assert "score_events/2025-03.json" not in seen and "score_events/2025-04.json" in seen
    assert report[MARCH]["sealed"] and report[MARCH]["documents"] == 3
    Store(tmp_path).check(full=True)
    assert "score_events/2025-03.json" in seen


def spoil_same_size(path) -> None:
    """Change one byte of a document, keeping the size and the time of the file."""
    st = path.stat()
    raw = path.read_bytes().replace(b'"loud"', b'"LOUD"', 1)
    path.write_bytes(raw)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_damaged_closed_file_is_refused_by_name_before_it_is_served(closed, tmp_path):
    path = closed.store.path(MARCH)
    spoil_same_size(path)
    fw = open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))  # size and time agree
    fw.store.damaged.clear()  # whatever the background check found: the read itself refuses
    reason = "the file is not the one recorded when its month closed"
    with pytest.raises(CorruptFile) as caught:
        fw.ledger.events("acme", "2025-03")
    assert str(caught.value) == refusal(path, reason)
    with pytest.raises(CorruptFile):
        Store(tmp_path).check()


@pytest.mark.parametrize("damage", ["longer", "touched"])
def test_a_closed_file_whose_size_or_time_changed_is_refused_at_open(closed, tmp_path, damage):
    path = closed.store.path(MARCH)
    if damage == "longer":
        path.write_bytes(path.read_bytes() + b" ")
    else:
        path.write_bytes(path.read_bytes().replace(b'"loud"', b'"LOUD"', 1))
    with pytest.raises(CorruptFile) as caught:
        open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))
    assert str(caught.value) == refusal(path, "the file is not the one recorded when its month closed")


def test_the_background_check_marks_a_damaged_closed_file(closed, tmp_path):
    path = closed.store.path(MARCH)
    spoil_same_size(path)
    store = Store(tmp_path)
    sealing.verify_sealed(store).join(10)
    assert MARCH in store.damaged
    with pytest.raises(CorruptFile):
        store.read(MARCH)


def test_a_closed_file_copied_with_a_new_time_is_checked_by_digest_and_resealed(closed, tmp_path):
    path = closed.store.path(MARCH)
    os.utime(path, ns=(1, 1_000_000_000))
    open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))  # digest matches: opens
    Store(tmp_path).check()
    assert Store(tmp_path).read(CORE).table(sealing.SEALED)[MARCH]["mtime_ns"] == 1_000_000_000


def test_a_month_closed_without_its_seal_is_sealed_by_the_check(tmp_path, monkeypatch):
    monkeypatch.setattr(sealing, "seal_quietly", lambda store, months: None)  # killed after the close
    fw = Floorwalker(Store(tmp_path), make_plugin_manager(builtins=()))
    fw.projects.create("acme", "Acme", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    fw.ledger.record("acme", "1001", "loud", "2025-03-10", "tl")
    fw.periods.close("acme", "2025-03", "admin")
    assert MARCH not in fw.store.read(CORE).table(sealing.SEALED)
    Store(tmp_path).check()
    assert MARCH in Store(tmp_path).read(CORE).table(sealing.SEALED)


def test_a_sealed_file_upgraded_by_a_migration_is_sealed_again(closed, tmp_path, monkeypatch):
    def add_flag(tables):
        for doc in tables.get("events", {}).values():
            doc["flag"] = True

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", store_module.SCHEMA_VERSION + 1)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, add_flag])
    store = Store(tmp_path)
    store.read(CORE)  # core upgraded first
    assert all(e["flag"] for e in store.table(MARCH, "events").values())
    Store(tmp_path).check()  # the new bytes match the new record
    raw = store.path(MARCH).read_bytes()
    assert Store(tmp_path).read(CORE).table(sealing.SEALED)[MARCH]["blake2b"] == sealing.digest(raw)


def test_a_replayed_file_keeps_its_documents_in_the_order_the_writer_held_them(tmp_path):
    store = Store(tmp_path, journal_limit=NEVER)
    put(store, {"id": "m"})
    with store.transaction(KEY, "tl", "mixed") as tx:  # through TinyDB's table: the diffed path
        tx.insert_many("docs", [{"id": "z"}, {"id": "b"}])
        tx.update("docs", "m", {"seen": True})
        tx.insert("docs", {"id": "a"})
    with store.transaction(KEY, "tl", "appends") as tx:  # the appended-only path
        tx.insert_many("docs", [{"id": "y"}, {"id": "c"}])
    assert list(Store(tmp_path).table(KEY, "docs")) == list(store.table(KEY, "docs")) == [
        "m", "z", "b", "a", "y", "c"]


def test_a_backup_carries_the_journals_and_a_restore_reads_the_same(closed, tmp_path):
    from floorwalker.core.backup import backup, restore
    closed.ledger.record("acme", "1001", "loud", "2025-04-03", "tl")  # April's journal grows
    april = "projects/acme/score_events/2025-04"
    assert journal.path_of(closed.store.path(april)).stat().st_size
    before = {key: closed.store.read(key).tables for key in closed.store.keys()}
    manifest = backup(closed.store, tmp_path.parent / f"{tmp_path.name}.zip")
    assert f"{april}.json.journal" in {f["path"] for f in manifest["files"]}
    restore(tmp_path, tmp_path.parent / f"{tmp_path.name}.zip")
    fw = open_floorwalker(tmp_path, pm=make_plugin_manager(builtins=()))  # new times: by digest
    assert {key: fw.store.read(key).tables for key in fw.store.keys()} == before
    assert Store(tmp_path).check(full=True)
