"""The audit of the files that live for years moves out into monthly audit files (issue 17,
item 6): entries move at a whole-file write, none lost or doubled across a crash between the
two writes, read back by month, checked, backed up; core.json, sessions.json and the throttle's
file stay small however long the company runs."""

import datetime as dt
import os

import orjson
import pytest

from floorwalker.core import audit_files, auth, store as store_module
from floorwalker.core.audit_files import ENTRIES, audit_key
from floorwalker.core.backup import backup, restore
from floorwalker.core.errors import CorruptFile
from floorwalker.core.store import AUDIT_TABLE, CORE, FileOps, Store
from floorwalker.core.throttle import FAILURES, THROTTLE, WINDOW, SharedThrottle

pytestmark = pytest.mark.files_only  # the audit files on disk, and the store's own clock
PLUGIN_FILE = "projects/acme/attendance"
MONTH_FILE = "projects/acme/score_events/2026-01"


class Clock:
    """What `now_iso` answers in the store: the time each audit entry carries."""

    def __init__(self):
        self.at = "2026-01-12T09:00:00.000"

    def month(self, month: str, day: int = 12) -> None:
        self.at = f"{month}-{day:02d}T09:00:00.000"


@pytest.fixture
def clock(monkeypatch):
    held = Clock()
    monkeypatch.setattr(store_module, "now_iso", lambda: held.at)
    return held


def put(store, key: str, n: int) -> None:
    with store.transaction(key, "admin", "test.put") as tx:
        tx.insert("docs", {"id": f"d{n}", "n": n})


def ids(entries) -> list[str]:
    return [e["id"] for e in entries]


def raw_audit(store: Store, key: str) -> dict:
    """The audit table of *key*'s JSON file itself, journal not replayed."""
    return orjson.loads(store.path(key).read_bytes()).get(AUDIT_TABLE, {})


# ------------------------------------------------------------------ moving out


def test_a_fold_moves_past_months_entries_out_first_and_keeps_this_months(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)  # every commit writes its whole file
    for month in ("2026-01", "2026-02"):
        clock.month(month)
        for n in range(3):
            put(store, CORE, n + 10 * int(month[-2:]))
    before = ids(store.audit_entries(CORE))
    clock.month("2026-03")
    put(store, CORE, 99)
    assert [e["at"][:7] for e in raw_audit(store, CORE).values()] == ["2026-03"]
    jan = store.table(audit_key(CORE, "2026-01"), ENTRIES)
    feb = store.table(audit_key(CORE, "2026-02"), ENTRIES)
    assert [e["at"][:7] for e in [*jan.values(), *feb.values()]] == ["2026-01"] * 3 + ["2026-02"] * 3
    after = list(store.audit_entries(CORE))
    assert ids(after) == before + ids(raw_audit(store, CORE).values())  # none lost, none twice
    assert [e["generation"] for e in after] == list(range(1, 8))  # still in commit order


def test_the_entry_of_the_commit_being_written_never_moves_before_it_lands(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)
    put(store, PLUGIN_FILE, 1)
    clock.month("2026-02")
    put(store, PLUGIN_FILE, 2)  # moves January's entry; its own stays with its documents
    (own,) = raw_audit(store, PLUGIN_FILE).values()
    assert own["at"].startswith("2026-02") and "d2" in own["changes"][0]["inserted"]
    assert len(store.table(audit_key(PLUGIN_FILE, "2026-01"), ENTRIES)) == 1


def test_more_than_keep_entries_of_this_month_move_out_too(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(audit_files, "KEEP", 5)
    store = Store(tmp_path, journal_limit=0)
    for n in range(8):
        put(store, "sessions", n)
    assert len(raw_audit(store, "sessions")) <= 6  # the kept ones and the commit's own
    assert len(list(store.audit_entries("sessions"))) == 8


def test_a_months_file_and_an_audit_file_keep_their_own_audit(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)
    put(store, MONTH_FILE, 1)
    clock.month("2026-03")
    put(store, MONTH_FILE, 2)  # a correction of January, in March: the file closes with its month
    assert len(raw_audit(store, MONTH_FILE)) == 2
    assert not (tmp_path / "audit").exists()


def test_a_failed_move_leaves_the_entries_in_the_file_and_the_commit_goes_on(tmp_path, clock):
    class NoAuditWrites(FileOps):
        def open_temp(self, path):
            if "/audit/" in str(path):
                raise OSError(28, os.strerror(28))
            return super().open_temp(path)

    store = Store(tmp_path, journal_limit=0, fs=NoAuditWrites())
    put(store, CORE, 1)
    clock.month("2026-02")
    put(store, CORE, 2)
    assert set(store.table(CORE, "docs")) == {"d1", "d2"}
    assert len(raw_audit(store, CORE)) == 2
    store.fs = FileOps()
    put(store, CORE, 3)  # the next fold moves it
    assert [e["at"][:7] for e in raw_audit(store, CORE).values()] == ["2026-02", "2026-02"]
    assert len(list(store.audit_entries(CORE))) == 3


# ------------------------------------------------------------------ a crash between the writes


class Killed(BaseException):
    """A kill -9 at a chosen step: nothing after it runs, nothing catches it."""


class KillingOps(FileOps):
    """Real file operations, killed when replacing the file named *target*."""

    def __init__(self, target: str):
        self.target = target

    def replace(self, src, dst):
        if dst.name == self.target:
            raise Killed()
        super().replace(src, dst)


def test_a_crash_after_the_audit_file_leaves_each_entry_in_both_never_in_neither(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)
    for n in range(4):
        put(store, CORE, n)
    january = ids(store.audit_entries(CORE))
    clock.month("2026-02")
    store.fs = KillingOps("core.json")  # the audit file is written, core.json is not
    with pytest.raises(Killed):
        put(store, CORE, 10)
    reopened = Store(tmp_path, journal_limit=0)
    reopened.check()  # removes the killed writer's temp file
    assert ids(raw_audit(reopened, CORE).values()) == january  # still in core.json …
    assert ids(reopened.table(audit_key(CORE, "2026-01"), ENTRIES).values()) == january  # … and moved
    assert ids(reopened.audit_entries(CORE)) == january  # read once each
    assert "d10" not in reopened.table(CORE, "docs")  # the killed commit never happened
    put(reopened, CORE, 11)  # the next fold finishes the move without doubling anything
    assert ids(reopened.table(audit_key(CORE, "2026-01"), ENTRIES).values()) == january
    assert [e["at"][:7] for e in raw_audit(reopened, CORE).values()] == ["2026-02"]
    assert len(ids(reopened.audit_entries(CORE))) == 5


def test_a_crash_writing_the_audit_file_leaves_the_entries_where_they_were(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)
    for n in range(3):
        put(store, CORE, n)
    january = ids(store.audit_entries(CORE))
    clock.month("2026-02")
    store.fs = KillingOps("2026-01.json")
    with pytest.raises(Killed):
        put(store, CORE, 10)
    reopened = Store(tmp_path, journal_limit=0)
    reopened.check()
    assert ids(reopened.audit_entries(CORE)) == january
    assert reopened.table(audit_key(CORE, "2026-01"), ENTRIES) == {}


# ------------------------------------------------------------------ reading by month


def test_a_fold_in_another_process_while_the_audit_is_read_loses_no_entry(tmp_path, clock, monkeypatch):
    store = Store(tmp_path, journal_limit=0)
    for n in range(3):
        put(store, CORE, n)
    january = ids(store.audit_entries(CORE))
    clock.month("2026-02")
    other = Store(tmp_path, journal_limit=0)
    listing = audit_files._months_of

    def folded_meanwhile(st, key):  # core.json read, its audit files not listed yet
        put(other, CORE, 10)  # the other process's fold moves January out
        return listing(st, key)

    monkeypatch.setattr(audit_files, "_months_of", folded_meanwhile)
    assert ids(store.audit_entries(CORE)) == january
    monkeypatch.setattr(audit_files, "_months_of", listing)
    assert len(ids(store.audit_entries(CORE))) == 4


def test_audit_entries_by_month_read_only_those_months_files(tmp_path, clock, monkeypatch):
    store = Store(tmp_path, journal_limit=0)
    for month in ("2026-01", "2026-02", "2026-03"):
        clock.month(month)
        put(store, CORE, int(month[-2:]))
        put(store, PLUGIN_FILE, int(month[-2:]))
    read = []
    real_read = Store.read
    monkeypatch.setattr(Store, "read", lambda self, key: read.append(key) or real_read(self, key))
    feb = list(store.audit_entries("", ["2026-02"]))
    assert sorted((e["file"], e["at"][:7]) for e in feb) == [(CORE, "2026-02"), (PLUGIN_FILE, "2026-02")]
    assert not [k for k in read if k.startswith("audit/") and not k.endswith("2026-02")]
    project = list(store.audit_entries("projects/acme", ["2026-01", "2026-03"]))
    assert [(e["file"], e["at"][:7]) for e in project] == [(PLUGIN_FILE, "2026-01"), (PLUGIN_FILE, "2026-03")]
    assert len(list(store.audit_entries())) == 6 and list(store.audit_entries("", [])) == []


def test_a_closing_months_files_give_their_audit_out_and_are_not_read_for_it(tmp_path, clock, monkeypatch):
    store = Store(tmp_path)
    put(store, MONTH_FILE, 1)
    clock.month("2026-02", 3)
    put(store, MONTH_FILE, 2)  # a correction before the close
    with store.transaction(CORE, "admin", "period.close") as tx:
        tx.insert("periods", {"id": "acme:2026-01", "project": "acme", "month": "2026-01",
                              "state": "closed"})
    assert raw_audit(store, MONTH_FILE) == {}
    assert not store.path(MONTH_FILE).with_name("2026-01.json.prev").exists()  # no second copy kept
    assert store.table(CORE, "_sealed")[MONTH_FILE]["audit_months"] == []
    assert [len(store.table(audit_key(MONTH_FILE, m), ENTRIES)) for m in ("2026-01", "2026-02")] == [1, 1]
    fresh = Store(tmp_path)
    assert fresh.check()  # still as sealed
    read = []
    real_read = Store.read
    monkeypatch.setattr(Store, "read", lambda self, key: read.append(key) or real_read(self, key))
    assert [e["at"][:7] for e in fresh.audit_entries("projects/acme")] == ["2026-01", "2026-02"]
    assert [e["at"][:7] for e in fresh.audit_entries("projects/acme", ["2026-02"])] == ["2026-02"]
    assert MONTH_FILE not in read


# ------------------------------------------------------------------ what grows stops growing


def test_core_json_stays_small_over_thousands_of_commits_and_months(tmp_path, clock):
    store = Store(tmp_path, journal_limit=64 * 1024)
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    for month in months:
        for n in range(750):
            clock.month(month, 1 + n // 30)
            with store.transaction(CORE, "admin", "user.update") as tx:
                if tx.get("users", "u1") is None:
                    tx.insert("users", {"id": "u1", "name": "x", "n": 0})
                else:
                    tx.update("users", "u1", {"name": f"name {month} {n}", "n": n})
    size = store.path(CORE).stat().st_size + (tmp_path / "core.json.journal").stat().st_size
    entries = list(store.audit_entries(CORE))
    assert len(entries) == 3000 and len(set(ids(entries))) == 3000
    assert [e["generation"] for e in entries] == list(range(1, 3001))
    per_entry = len(orjson.dumps(entries)) / len(entries)
    assert size < 300 * per_entry + 64 * 1024  # at most KEEP-ish entries and one journal
    assert size < len(orjson.dumps(entries)) / 3  # instead of every entry ever made
    for month in months[:-1]:
        moved = store.table(audit_key(CORE, month), ENTRIES)
        assert moved and {e["at"][:7] for e in moved.values()} == {month}
    assert store.check()  # the audit files are shards: checked like the rest


def test_check_refuses_an_audit_file_holding_another_months_entry(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)
    put(store, CORE, 1)
    clock.month("2026-02")
    put(store, CORE, 2)
    key = audit_key(CORE, "2026-01")
    with store.transaction(key, "intruder", "edit") as tx:
        tx.insert(ENTRIES, {"id": "X", "at": "2026-02-01T00:00:00.000", "file": CORE,
                            "actor": "x", "action": "forged", "changes": []})
    with pytest.raises(CorruptFile) as caught:
        Store(tmp_path).check()
    assert "2026-01.json" in str(caught.value)


def test_backup_and_restore_carry_the_audit_files(tmp_path, clock):
    store = Store(tmp_path / "data", journal_limit=0)
    put(store, CORE, 1)
    clock.month("2026-02")
    put(store, CORE, 2)
    before = ids(store.audit_entries())
    backup(store, tmp_path / "b.zip")
    restore(tmp_path / "data", tmp_path / "b.zip")
    again = Store(tmp_path / "data")
    assert again.path(audit_key(CORE, "2026-01")).exists()
    assert ids(again.audit_entries()) == before


def test_expired_sessions_are_dropped_and_the_sign_ins_audit_moves_out(tmp_path, clock, monkeypatch):
    store = Store(tmp_path, journal_limit=4096)
    fw = type("Facade", (), {"store": store})()
    now = [dt.datetime(2026, 1, 12, 9, tzinfo=dt.timezone.utc)]
    monkeypatch.setattr(auth, "_utc_now", lambda: now[0])
    sessions = auth.Sessions(fw, "s" * 48)
    for day in range(40):  # two sign-ins a day across two months
        now[0] = dt.datetime(2026, 1, 12, 9, tzinfo=dt.timezone.utc) + dt.timedelta(days=day)
        clock.at = now[0].strftime("%Y-%m-%dT%H:%M:%S.000")
        for user in ("li", "wang"):
            sessions.start({"username": user})
    assert len(store.table("sessions", "sessions")) == 2  # yesterday's are gone
    now[0] += dt.timedelta(hours=13)
    live = next(iter(store.table("sessions", "sessions").values()))
    sessions.end(live)  # a sign-out drops the other, expired one as well
    assert store.table("sessions", "sessions") == {}
    audited = [e for e in store.audit_entries("sessions") if e["action"] == "session.start"]
    assert len(audited) == 80
    assert all(e["at"][:7] == "2026-02" for e in raw_audit(store, "sessions").values())
    assert len(store.table(audit_key("sessions", "2026-01"), ENTRIES)) >= 40


def test_the_throttle_drops_expired_buckets_and_its_failures_stay_findable(tmp_path, clock):
    store = Store(tmp_path, journal_limit=0)
    throttle = SharedThrottle(store)
    t = [1_800_000_000.0]
    throttle.clock = lambda: t[0]
    throttle.failed("li", "10.0.0.1")
    throttle.failed("wang", "10.0.0.2")
    assert len(store.table(THROTTLE, FAILURES)) == 4  # a pair and an address each
    t[0] += WINDOW + 1
    clock.month("2026-02")
    throttle.failed("zhao", "10.0.0.3")
    assert {doc["id"] for doc in store.table(THROTTLE, FAILURES).values()} == \
        {'["pair","zhao","10.0.0.3"]', '["address","10.0.0.3"]'}
    t[0] += WINDOW + 1
    throttle.succeeded("zhao", "10.0.0.3")
    assert store.table(THROTTLE, FAILURES) == {}
    failed = [e for e in store.audit_entries(THROTTLE, ["2026-01"]) if e["action"] == "signin.failed"]
    assert len(failed) == 2 and '["pair","li","10.0.0.1"]' in failed[0]["changes"][0]["inserted"]
    assert store.path(audit_key(THROTTLE, "2026-01")).exists()
