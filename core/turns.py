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

That still left the write sharing the interpreter with the page being rendered beside it (3.5–5.4×
its time alone, for a goal of 2×). So while a form is being handled in this worker — from the
first byte of its request to the last of its answer (`WritersFirst`) — a page steps aside: before
it starts and between pieces of its template (`joined`, Jinja's ``concat``), for at most
`PAUSE_BUDGET` in all, so a stream of writes slows a page by that much at worst and cannot stop
it (and should a page ever render holding something a form needs, the wait ends with it).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from itertools import islice
from typing import Callable, Iterable

READERS_AT_ONCE = 1  # pages rendered at once in one worker; `serve --workers` adds workers
SWITCH_INTERVAL = 0.0005  # seconds a thread waits for the interpreter lock before asking for it
PAUSE_BUDGET = 0.05  # seconds a page may spend stepping aside for forms, in all
PIECES = 64  # template pieces rendered between two looks for a form under way



class Turns:
    """At most *n* at once, the others served in the order they came: a page leaving hands its
    turn to the longest waiting. (A semaphore lets a newcomer take a freed turn before the
    waiter it woke, which may then wait again at the back: twenty clients saw p95 at three
    times p50.)"""

    def __init__(self, n: int):
        self._free, self._queue, self._lock = n, deque(), threading.Lock()

    def __enter__(self):
        with self._lock:
            if self._free and not self._queue:
                self._free -= 1
                return self
            waiter = threading.Lock()
            waiter.acquire()
            self._queue.append(waiter)
        waiter.acquire()  # released by the page that hands its turn over
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._queue:
                self._queue.popleft().release()
            else:
                self._free += 1


_readers = Turns(READERS_AT_ONCE)
_no_writers = threading.Event()
_no_writers.set()
_writers = [0]
_writers_lock = threading.Lock()
_page = threading.local()  # the budget left to the page this thread renders


def reading(serve: Callable) -> Callable:
    """*serve* (run in the threadpool) taking its turn among the worker's readers, after any
    form under way."""
    def in_turn(*args, **kwargs):
        with _readers:
            _page.budget = PAUSE_BUDGET
            try:
                step_aside()
                return serve(*args, **kwargs)
            finally:
                _page.budget = 0.0
    return in_turn


@contextmanager
def writing():
    """A form (any request but GET and HEAD) under way: pages step aside until it is done."""
    with _writers_lock:
        _writers[0] += 1
        _no_writers.clear()
    try:
        yield
    finally:
        with _writers_lock:
            _writers[0] -= 1
            if not _writers[0]:
                _no_writers.set()


def step_aside() -> None:
    """Wait while a form is under way in this worker, within the page's budget (none outside
    a page's turn: a form's own rendering never waits)."""
    if _no_writers.is_set():
        return
    budget = getattr(_page, "budget", 0.0)
    if budget > 0:
        started = time.perf_counter()
        _no_writers.wait(budget)
        _page.budget = budget - (time.perf_counter() - started)


def joined(pieces: Iterable[str]) -> str:
    """A template's output pieces joined (Jinja's ``concat``), stepping aside between batches."""
    out, pieces = [], iter(pieces)
    while batch := list(islice(pieces, PIECES)):
        out.append("".join(batch))
        if not _no_writers.is_set():
            step_aside()
    return "".join(out)


class WritersFirst:
    """ASGI middleware: a request that may write (not GET or HEAD) is `writing` from its first
    byte to its last, so the worker's pages step aside for it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        with writing():
            await self.app(scope, receive, send)


def prefer_writers() -> None:
    """Hand the interpreter lock over sooner (the process's setting: `create_app` sets it)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
