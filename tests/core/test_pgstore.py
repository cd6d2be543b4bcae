"""What the PostgreSQL store promises beyond the calls both stores answer alike: the database
itself refuses a closed month, whoever writes; a commit and its audit entry land together or not
at all; the shard lock and the period lock are the database's. Run with ``--store=postgresql``
(the suites' other tests run on it as well)."""

import threading
import time

import psycopg
import pytest

from floorwalker.core.errors import PeriodClosed, StoreBusy

from ..pgcluster import on_postgresql, store_for

pytestmark = pytest.mark.skipif(not on_postgresql(), reason="the PostgreSQL store (--store=postgresql)")

MONTH_FILE = "projects/acme/scores/2026-10"


def _closed_october(store):
    with store.transaction("core", "admin", "period.open") as tx:
        tx.insert("periods", {"id": "acme:2026-10", "project": "acme", "month": "2026-10",
                              "state": "open"})
    with store.transaction(MONTH_FILE, "lead", "scores.record") as tx:
        tx.insert("events", {"id": "e1", "agent": "1001", "points": -5})
    with store.transaction("projects/acme/complaints", "lead", "complaint.open") as tx:
        tx.insert("cases", {"id": "c1", "date": "2026-10-05", "state": "open"})
    with store.transaction("core", "admin", "period.close") as tx:
        tx.update("periods", "acme:2026-10", {"state": "closed"})


def _sql(store, text, params=()):
    with psycopg.connect(store.url, autocommit=True) as conn:
        return conn.execute(text.replace("{s}", f'"{store.schema}"'), params)


def test_the_database_itself_refuses_rows_of_a_closed_month(tmp_path):
    store = store_for(tmp_path)
    _closed_october(store)
    for statement in ("DELETE FROM {s}.docs WHERE key = 'projects/acme/scores/2026-10'",
                      "UPDATE {s}.docs SET doc = doc || '{\"points\": 0}' WHERE id = 'e1'",
                      "UPDATE {s}.docs SET doc = doc || '{\"state\": \"closed\"}' WHERE id = 'c1'",
                      "INSERT INTO {s}.docs (key, tbl, id, doc, project, month) VALUES "
                      "('projects/acme/scores/2026-10', 'events', 'e9', '{}', 'acme', '2026-10')",
                      "DELETE FROM {s}.closed"):
        with pytest.raises(psycopg.errors.RaiseException, match="period closed"):
            _sql(store, statement)
    assert store.table(MONTH_FILE, "events") == {"e1": {"id": "e1", "agent": "1001", "points": -5}}
    assert store.closed_months("acme") == {"2026-10"}


def test_reopening_a_closed_month_in_core_leaves_it_closed(tmp_path):
    store = store_for(tmp_path)
    _closed_october(store)
    with store.transaction("core", "admin", "period.reopen") as tx:  # the core never does this
        tx.update("periods", "acme:2026-10", {"state": "open"})
    with pytest.raises(PeriodClosed):
        with store.transaction(MONTH_FILE, "lead", "scores.record") as tx:
            tx.insert("events", {"id": "e2", "agent": "1001", "points": -5})
    assert set(store.table(MONTH_FILE, "events")) == {"e1"}


def test_a_store_writes_nothing_dated_in_a_closed_month_and_says_which(tmp_path):
    store = store_for(tmp_path)
    _closed_october(store)
    with pytest.raises(PeriodClosed) as refused:
        with store.transaction("projects/acme/complaints", "lead", "complaint.close") as tx:
            tx.update("cases", "c1", {"state": "closed"})
    assert refused.value.params == {"project": "acme", "month": "2026-10"}
    with store.transaction("projects/acme/complaints", "lead", "complaint.open") as tx:
        tx.insert("cases", {"id": "c2", "date": "2026-11-02", "state": "open"})
    assert set(store.table("projects/acme/complaints", "cases")) == {"c1", "c2"}


def test_a_commit_and_its_audit_entry_land_together_or_not_at_all(tmp_path):
    store = store_for(tmp_path)
    with store.transaction("projects/acme/scores/2026-11", "lead", "scores.record") as tx:
        tx.insert("events", {"id": "e1", "agent": "1001", "points": -5})
    with pytest.raises(RuntimeError):
        with store.transaction("projects/acme/scores/2026-11", "lead", "scores.record") as tx:
            tx.insert("events", {"id": "e2", "agent": "1001", "points": -5})
            raise RuntimeError("the caller changed its mind")
    entries = list(store.audit_entries("projects/acme"))
    assert [(e["actor"], e["action"], e["generation"]) for e in entries] == [("lead", "scores.record", 1)]
    assert entries[0]["changes"][0]["table"] == "events"
    assert set(store.table("projects/acme/scores/2026-11", "events")) == {"e1"}
    assert store.read("projects/acme/scores/2026-11").generation == 1


def test_writers_of_one_shard_in_two_processes_lose_nothing(tmp_path):
    """Two stores (as two servers would hold) and four threads bumping one counter: every
    read-change-write happens under the shard's lock, in the database."""
    stores = [store_for(tmp_path), store_for(tmp_path)]
    with stores[0].transaction("core", "admin", "seed") as tx:
        tx.insert("counters", {"id": "n", "value": 0})

    def bump(store):
        for _ in range(50):
            with store.transaction("core", "admin", "bump") as tx:
                tx.update("counters", "n", {"value": tx.get("counters", "n")["value"] + 1})

    threads = [threading.Thread(target=bump, args=(stores[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stores[1].table("core", "counters")["n"]["value"] == 200
    assert stores[0].read("core").generation == 201
    assert len(list(stores[1].audit_entries("core"))) == 201


def test_a_month_close_waits_for_a_project_commit_under_way(tmp_path):
    store, other = store_for(tmp_path), store_for(tmp_path)
    with store.transaction("core", "admin", "period.open") as tx:
        tx.insert("periods", {"id": "acme:2026-10", "project": "acme", "month": "2026-10",
                              "state": "open"})
    inside, order = threading.Event(), []

    def record():
        with store.transaction(MONTH_FILE, "lead", "scores.record") as tx:
            tx.insert("events", {"id": "late", "agent": "1001", "points": -5})
            inside.set()
            time.sleep(0.5)
        order.append("recorded")

    writer = threading.Thread(target=record)
    writer.start()
    inside.wait(5)
    with other.transaction("core", "admin", "period.close") as tx:
        tx.update("periods", "acme:2026-10", {"state": "closed"})
    order.append("closed")
    writer.join()
    assert order == ["recorded", "closed"]
    assert "late" in other.table(MONTH_FILE, "events")


def test_a_held_shard_lock_keeps_another_server_waiting_then_busy(tmp_path):
    store, other = store_for(tmp_path, lock_timeout=0.3), store_for(tmp_path, lock_timeout=0.3)
    with store.lock("api"):
        with store.transaction("api", "admin", "inside its own lock") as tx:
            tx.insert("keys", {"id": "k1"})
        with pytest.raises(StoreBusy):
            with other.transaction("api", "admin", "elsewhere") as tx:
                tx.insert("keys", {"id": "k2"})
    with other.transaction("api", "admin", "after") as tx:
        tx.insert("keys", {"id": "k2"})
    assert set(store.table("api", "keys")) == {"k1", "k2"}


def test_a_write_on_one_server_is_read_on_the_other_at_once(tmp_path):
    one, two = store_for(tmp_path), store_for(tmp_path)
    assert two.table("core", "users") == {}
    for n in range(20):
        with one.transaction("core", "admin", "user.add") as tx:
            tx.insert("users", {"id": f"u{n}", "username": f"u{n}"})
        assert f"u{n}" in two.table("core", "users")
    assert two.keys() == ["core"]
