"""Writers do not wait behind readers: within a worker, pages are rendered a few at a time while
a posted form goes straight in.

A worker process runs Python one thread at a time (the interpreter lock), so twenty pages being
rendered at once take as long as twenty in a row, and a form posted meanwhile shares the lock
with all of them: its 4 ms became 90 ms with twenty clients reading (issue 17). So a page waits
its turn here (`READERS_AT_ONCE` per worker, the others queued, nothing lost: the same work in
the same time) and a POST does not: it shares the lock with one page at most. And a thread that
gives the lock up for a system call (a write, an fsync) gets it back after `SWITCH_INTERVAL`
instead of Python's 5 ms, which a write that makes a dozen such calls would otherwise pay each
time.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable

READERS_AT_ONCE = 1  # pages rendered at once in one worker; `serve --workers` adds workers
SWITCH_INTERVAL = 0.0005  # seconds a thread waits for the interpreter lock before asking for it

_readers = threading.BoundedSemaphore(READERS_AT_ONCE)


def reading(serve: Callable) -> Callable:
    """*serve* (run in the threadpool) taking its turn among the worker's readers."""
    def in_turn(*args, **kwargs):
        with _readers:
            return serve(*args, **kwargs)
    return in_turn


def prefer_writers() -> None:
    """Hand the interpreter lock over sooner (the process's setting: `create_app` sets it)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
