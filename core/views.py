"""How a thread reads the store for a while: one state of each file (`snapshot`), and the files a
computation depended on (`watching`). Both belong to the store, which owns every read, so that
the summaries kept per generation of the files they read (`core.summaries`) and whatever else
needs it see every reader — the core, a plugin, a memo of its own — without wrapping the store.

Within `snapshot()` a thread reads each file once: a page asking ten projects for their figures
reads core.json once, not two hundred times, and sees one state of each file throughout. A
transaction or a lock inside reads the files as they are, and the snapshot starts over after it
(the page then reads what it wrote). Within `watching(seen)` every file read is noted in *seen*
with what identifies its state (stat and header generation); watches nest, an inner read counts
for every open one.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator


class ReadViews:
    """The part of `Store` that keeps each thread's snapshot and watches."""

    def __init__(self):
        self._views = threading.local()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if getattr(self._views, "files", None) is not None:
            yield
            return
        self._views.files = {}
        try:
            yield
        finally:
            self._views.files = None

    @contextmanager
    def watching(self, seen: dict) -> Iterator[dict]:
        stack = self._views.__dict__.setdefault("stack", [])
        stack.append(seen)
        try:
            yield seen
        finally:
            stack.pop()

    def noted(self, key: str, state: tuple) -> None:
        """Count file *key* in its *state* for every open watch (a kept figure found inside
        another's derivation depends on its files too)."""
        for seen in getattr(self._views, "stack", ()):
            seen[key] = state

    def _viewed(self, key: str, read: Callable):
        """*read(key)*, from this thread's snapshot when one is open, noted for its watches."""
        files = getattr(self._views, "files", None)
        if files is None:
            shard = read(key)
        elif (shard := files.get(key)) is None:
            shard = files[key] = read(key)
        self.noted(key, (shard.stat, shard.file_generation))
        return shard

    @contextmanager
    def _fresh(self, opened):
        """A transaction or a lock reads the files as they are, never the snapshot, and the
        snapshot starts over after it."""
        kept, self._views.files = getattr(self._views, "files", None), None
        try:
            with opened as value:
                yield value
        finally:
            self._views.files = None if kept is None else {}
