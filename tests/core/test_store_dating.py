"""A plugin dates its records explicitly (``dated``): a complaint received on 28 November and
judged in December is December's, whatever its ``date`` says; without ``dated`` the store
still dates a record by its ``period`` or ``date``."""

import pytest

from floorwalker.core import PeriodClosed
from floorwalker.core.store import CORE, Store, doc_month

from ..pgcluster import store_for

KEY = "projects/acme/complaints"


def close(store: Store, month: str) -> None:
    with store.transaction(CORE, "admin", "period.close") as tx:
        tx.insert("periods", {"id": f"acme:{month}", "project": "acme", "month": month,
                              "state": "closed"})


def change(store: Store, apply) -> None:
    with store.transaction(KEY, "desk", "complaints.change") as tx:
        apply(tx)


@pytest.fixture
def store(tmp_path):
    store = store_for(tmp_path)
    change(store, lambda tx: tx.insert_many("complaints", [
        {"id": "judged", "date": "2026-11-28", "dated": "2026-12", "verdict": "valid"},
        {"id": "open", "date": "2026-11-28", "dated": None, "verdict": None},
        {"id": "guessed", "date": "2026-11-28"}]))
    return store


@pytest.mark.parametrize("doc, month", [
    ({"dated": "2026-12", "date": "2026-11-28", "period": "2026-10"}, "2026-12"),
    ({"dated": None, "date": "2026-11-28"}, None),
    ({"period": "2026-10", "date": "2026-11-28"}, "2026-10"),
    ({"date": "2026-11-28"}, "2026-11"),
    ({"note": "no month"}, None),
])
def test_a_documents_month(doc, month):
    assert doc_month(doc) == month


def test_a_record_dated_by_its_plugin_follows_that_month_not_its_date(store):
    close(store, "2026-11")
    change(store, lambda tx: tx.update("complaints", "judged", {"callback": "done"}))
    change(store, lambda tx: tx.update("complaints", "open", {"verdict": "invalid",
                                                             "dated": "2026-12"}))
    with pytest.raises(PeriodClosed):
        change(store, lambda tx: tx.update("complaints", "guessed", {"verdict": "valid"}))
    close(store, "2026-12")
    for doc_id in ("judged", "open"):
        with pytest.raises(PeriodClosed):
            change(store, lambda tx: tx.update("complaints", doc_id, {"note": "late"}))


def test_an_undated_record_is_never_locked_and_cannot_be_dated_into_a_closed_month(store):
    close(store, "2026-11")
    close(store, "2026-12")
    change(store, lambda tx: tx.update("complaints", "open", {"note": "still open"}))
    with pytest.raises(PeriodClosed):
        change(store, lambda tx: tx.update("complaints", "open", {"dated": "2026-12"}))
    with pytest.raises(PeriodClosed):  # nor undated out of one
        change(store, lambda tx: tx.update("complaints", "judged", {"dated": None}))


@pytest.mark.parametrize("dated", ["2026-13", "2026-12-01", "December", 202612])
def test_dated_is_a_month_or_none(store, dated):
    generation = store.read(KEY).generation
    with pytest.raises(ValueError):
        change(store, lambda tx: tx.insert("complaints", {"id": "bad", "dated": dated}))
    assert store.read(KEY).generation == generation
