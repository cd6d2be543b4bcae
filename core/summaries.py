"""Small figures derived from the data files, kept while every file they read is unchanged.

The home page asks each project it shows for a handful of numbers (the month's agents, average,
failing count, events and the plugins' KPIs: `home.key_numbers`) and what waits (attendance's
punch exceptions of the open months); the dashboard asks for the same of one project. Built
from scratch, those are a month sheet and several attendance derivations per project: dozens per
home view, more than the sheet memo and the derivation memo keep, so each view rebuilt them all.

`Summaries.get(name, key, derive)` keeps what *derive* returned together with the stat and
header generation of every file it read (the store's `watching`: whoever reads, the core, a
plugin, a memo of its own), and gives it back while each of those files is the same on
disk. Checking that is an open, a stat and a 96-byte read per file (`fingerprint`) — never a
parse, even of a file the store's read cache has let go (the home's files outgrew that cache, so
checking through `Store.read` re-parsed a dozen 650 KB files per view) — so a write by this
process or by another (a second worker, the command line) shows at the next ask. Summaries
nest: one found inside another's derivation counts its files for the outer one too.

`snapshot()` is the other half, the store's own (`views`): within it a thread reads each file
once (the home of ten projects asked for core.json 223 times a view).

What the files do not say goes into the *key*: the month, and the clock where a figure depends
on it (attendance counts the shifts concluded by now, a complaint's deadline passes with time),
to the minute — as attendance keeps its own derivations. A summary is a few numbers per project
and month, so many are kept (`KEPT`), where the sheets and derivations that hold every row are
kept by the dozen. A value handed out is shared: callers do not change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
KEPT = 1024  # (name, key) pairs: a few numbers each


class Summaries:
    """The kept summaries of one store (the facade's ``fw.summaries``)."""

    def __init__(self, store, kept: int = KEPT):
        self.store, self.kept = store, kept
        self._found: OrderedDict[tuple, tuple[dict, object]] = OrderedDict()
        self._mutex = threading.Lock()

    def snapshot(self):
        """Within it, this thread reads each file once (`Store.snapshot`)."""
        return self.store.snapshot()

    def get(self, name: str, key: tuple[Hashable, ...], derive: Callable[[], T]) -> T:
        """What *derive()* returns, kept under (*name*, *key*) while the files it read are
        unchanged (and derived again, and kept, when one of them is not)."""
        memo = (name, *key)
        with self._mutex:
            found = self._found.get(memo)
        if found is not None and self._current(found[0]):
            with self._mutex:
                if memo in self._found:
                    self._found.move_to_end(memo)
            return found[1]  # type: ignore[return-value]
        with self.store.watching({}) as seen:
            value = derive()
        with self._mutex:
            self._found[memo] = (seen, value)
            self._found.move_to_end(memo)
            while len(self._found) > self.kept:
                self._found.popitem(last=False)
        return value

    def _current(self, files: dict[str, tuple]) -> bool:
        """Whether every file is as it was: its stat (its journal's with it) and the generation
        in its header, the test `Store.read` makes of a parsed file it keeps — without parsing
        a file the read cache let go. A summary being derived around this one depends on these
        files as well."""
        for key, seen in files.items():
            if fingerprint(self.store, key) != seen:
                return False
            self.store.noted(key, seen)
        return True

    def clear(self) -> None:
        with self._mutex:
            self._found.clear()


def fingerprint(store, key: str) -> tuple:
    """What identifies the state of file *key* without reading it (`Store.fingerprint`): were
    it ever to differ from what a read notes, a summary would only be derived again, never kept
    wrongly."""
    return store.fingerprint(key)
