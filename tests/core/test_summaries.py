"""Kept summaries (`fw.summaries`): derived once per state of the files they read, derived again
as soon as one of them changes — written by this process or by another — and read-once
snapshots that still see what a transaction inside them wrote."""

import subprocess
import sys
from pathlib import Path

import pytest

from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from ..pgcluster import store_for

REPO = Path(__file__).resolve().parents[2]

MONTH = "2026-11"


@pytest.fixture
def fw(tmp_path):
    fw = Floorwalker(store_for(tmp_path), make_plugin_manager(builtins=()))
    fw.projects.create("alpha", "Alpha Bank", "setup")
    fw.teams.create("alpha", "day", "Day", "setup")
    fw.agents.add("alpha", "1001", "Li Lei", "setup", team="day", hired="2024-01-02")
    fw.agents.add("alpha", "1002", "Han Meimei", "setup", team="day", hired="2024-01-02")
    fw.ledger.record("alpha", "1001", "loud", f"{MONTH}-03", "tl")
    return fw


def counted(derive):
    """A derivation that counts its calls: (function, calls)."""
    calls = []

    def run():
        calls.append(1)
        return derive()
    return run, calls


def total(fw, number="1001"):
    return next(r["total"] for r in fw.ledger.sheet("alpha", MONTH, columns=False) if r["number"] == number)


def test_a_summary_is_derived_once_while_its_files_stay_the_same(fw):
    derive, calls = counted(lambda: total(fw))
    first = fw.summaries.get("test.total", ("alpha", MONTH), derive)
    assert fw.summaries.get("test.total", ("alpha", MONTH), derive) == first
    assert len(calls) == 1
    # another key is another summary
    fw.summaries.get("test.total", ("alpha", "2026-10"), derive)
    assert len(calls) == 2


def test_a_write_to_a_file_it_read_derives_it_again_at_once(fw):
    derive, calls = counted(lambda: total(fw))
    before = fw.summaries.get("test.total", ("alpha", MONTH), derive)
    fw.ledger.record("alpha", "1001", "loud", f"{MONTH}-04", "tl")
    after = fw.summaries.get("test.total", ("alpha", MONTH), derive)
    assert after < before and len(calls) == 2
    assert after == total(fw)


def test_a_write_to_a_file_it_did_not_read_leaves_it_kept(fw):
    derive, calls = counted(lambda: total(fw))
    fw.summaries.get("test.total", ("alpha", MONTH), derive)
    fw.ledger.record("alpha", "1001", "loud", "2026-10-04", "tl")  # another month's file
    fw.summaries.get("test.total", ("alpha", MONTH), derive)
    assert len(calls) == 1


def test_a_write_by_another_process_derives_it_again(fw, tmp_path):
    derive, calls = counted(lambda: total(fw))
    before = fw.summaries.get("test.total", ("alpha", MONTH), derive)
    script = ("import sys\nsys.path.insert(0, sys.argv[2])\n"
              "from floorwalker.core.floorwalker import Floorwalker\n"
              "from floorwalker.core.plugins import make_plugin_manager\n"
              "from tests.pgcluster import worker_store\n"  # the session's backend
              "fw = Floorwalker(worker_store(sys.argv[1]), make_plugin_manager(builtins=()))\n"
              "fw.ledger.record('alpha', '1001', 'loud', "
              f"'{MONTH}-05', 'other', reason='from another process')\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), str(REPO)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after = fw.summaries.get("test.total", ("alpha", MONTH), derive)
    assert after < before and len(calls) == 2


def test_an_outer_summary_depends_on_the_files_of_an_inner_one_it_found_kept(fw):
    inner, inner_calls = counted(lambda: total(fw))
    fw.summaries.get("test.inner", ("alpha",), inner)  # kept before the outer one asks for it
    outer, outer_calls = counted(lambda: fw.summaries.get("test.inner", ("alpha",), inner) + 1)
    assert fw.summaries.get("test.outer", ("alpha",), outer) == total(fw) + 1
    assert (len(inner_calls), len(outer_calls)) == (1, 1)
    fw.ledger.record("alpha", "1001", "loud", f"{MONTH}-06", "tl")
    assert fw.summaries.get("test.outer", ("alpha",), outer) == total(fw) + 1
    assert (len(inner_calls), len(outer_calls)) == (2, 2)


def test_a_snapshot_reads_each_file_once_but_sees_its_own_writes(fw, tmp_path, monkeypatch):
    reads = []
    store = store_for(tmp_path)
    read = type(store)._read  # the reading of a file itself, below the snapshot
    monkeypatch.setattr(type(store), "_read", lambda self, key: reads.append(key) or read(self, key))
    fw = Floorwalker(store, make_plugin_manager(builtins=()))  # reads through the counter
    with fw.summaries.snapshot():
        before = total(fw)
        once = len(reads)
        assert total(fw) == before and len(reads) == once  # the second sheet reads nothing again
        fw.ledger.record("alpha", "1001", "loud", f"{MONTH}-07", "tl")  # a transaction inside
        after = total(fw)
    assert after < before and total(fw) == after


def test_a_figure_derived_from_a_listing_is_derived_again_when_a_file_appears_under_it(fw):
    """A month's file not yet created is in no figure's files: the listing the figure read is."""
    months = lambda: [k.rsplit("/", 1)[1] for k in fw.store.keys("projects/alpha/score_events")]  # noqa: E731
    derive, calls = counted(months)
    assert fw.summaries.get("months", ("alpha",), derive) == [MONTH]
    assert fw.summaries.get("months", ("alpha",), derive) == [MONTH] and len(calls) == 1
    fw.ledger.record("alpha", "1002", "loud", "2026-12-01", "tl")  # a new month's file
    assert fw.summaries.get("months", ("alpha",), derive) == [MONTH, "2026-12"]
    assert len(calls) == 2
