"""The read path of a kept file (issue 17): a file that was already old when it was read is known
by its stat alone afterwards, and every change still shows at the next read."""

import os
import time

import pytest

from floorwalker.core import store as store_module
from floorwalker.core.store import SETTLED_NS, Store

KEY = "projects/acme/roster"


def _put(store: Store, doc: dict) -> None:
    with store.transaction(KEY, "tl", "test.put") as tx:
        tx.insert_many("docs", [doc])


def _age(store: Store, seconds: float) -> None:
    """Make the file look written *seconds* ago (as a month's file is, most of its life)."""
    path = store.path(KEY)
    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


@pytest.fixture
def no_open(monkeypatch):
    """Opening a data file fails: what the store still answers, it answered from its stat."""
    def refuse(*args, **kwargs):
        raise AssertionError("the file was opened")

    return lambda: monkeypatch.setattr(store_module, "open", refuse, raising=False)


def test_an_old_kept_file_is_read_without_opening_it(tmp_path, no_open):
    store = Store(tmp_path)
    _put(store, {"id": "a"})
    store.fold(KEY)
    _age(store, 2 * SETTLED_NS / 1e9)
    first = store.read(KEY)  # checked once, the whole way: the file's time is old now
    no_open()
    assert store.read(KEY) is first
    assert store.fingerprint(KEY) == (first.stat, first.file_generation)


def test_a_recent_file_is_checked_the_whole_way_at_every_read(tmp_path, no_open):
    store = Store(tmp_path)
    _put(store, {"id": "a"})
    store.fold(KEY)
    store.read(KEY)
    no_open()
    with pytest.raises(AssertionError, match="opened"):
        store.read(KEY)  # within SETTLED_NS of its writing: stat, then the header too


def test_every_change_to_an_old_file_shows_at_the_next_read(tmp_path):
    store, other = Store(tmp_path), Store(tmp_path)  # other: a second process
    _put(store, {"id": "a"})
    store.fold(KEY)
    _age(store, 2 * SETTLED_NS / 1e9)
    assert set(store.table(KEY, "docs")) == {"a"}
    assert set(store.table(KEY, "docs")) == {"a"}  # from its stat
    _put(other, {"id": "b"})  # appended to the journal
    assert set(store.table(KEY, "docs")) == {"a", "b"}
    _age(store, 2 * SETTLED_NS / 1e9)
    assert set(store.table(KEY, "docs")) == {"a", "b"}
    other.fold(KEY)  # a new file in its place
    assert set(store.table(KEY, "docs")) == {"a", "b"}
    with other.transaction(KEY, "tl", "test.remove") as tx:
        tx.remove("docs", "a")
    assert set(store.table(KEY, "docs")) == {"b"}
