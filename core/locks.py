"""The store's locks and its guard of closed months.

* `FileLocks`: an exclusive ``flock`` on ``<file>.lock`` held across read-change-write,
  re-entrant within a thread (a migration on open inside a transaction must not wait for the lock
  its own thread holds) and exclusive between threads and processes (each acquisition is its own
  ``flock`` on its own descriptor, which the kernel drops when the process dies; the same lock
  as the ``filelock`` package takes on Unix, at a tenth of its cost: ~15 µs, where filelock's
  object, registry and fork checks took ~140 µs of a 640 µs commit);
* `periods_lock`: ``<data>/periods.lock``, shared by project commits and exclusive for the
  commit that closes a month, so a close cannot slip in between the check below and the write
  it allowed;
* `check_periods`: a change dated inside a closed month of the file's project is refused. A
  document is dated by its own ``dated`` field when it has one (``"YYYY-MM"``, or None for a
  record of no month), else by a top-level ``period`` or ``date`` (`doc_month`); a month's own
  file (``…/<YYYY-MM>``) is that month's whole, whatever its documents say.
"""

from __future__ import annotations

import fcntl
import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Mapping

from .errors import PeriodClosed, StoreBusy
from .files import FILE_MODE, write_error

# a held lock is retried by polling, often: a busy writer lets go of it for a fraction of a
# millisecond between two commits, which a slow poll would miss again and again while it waits
# (two writers then take turns; a retry is one flock call)
LOCK_POLL = 0.001
DATED = "dated"  # a document's own month, when its plugin says which (see `doc_month`)
_MONTH_KEY = re.compile(r"/(\d{4}-\d{2})$")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class FileLocks:
    """The ``<file>.lock`` of each data file; re-entrant in a thread, exclusive everywhere else."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._held = threading.local()

    @contextmanager
    def hold(self, key: str, path: Path):
        held = self._held.__dict__.setdefault("keys", set())
        if key in held:
            yield
            return
        with flocked(path.with_name(path.name + ".lock"), True, self.timeout, busy=path):
            held.add(key)
            try:
                yield
            finally:
                held.discard(key)


@contextmanager
def periods_lock(root: Path, exclusive: bool, timeout: float):
    """``<data>/periods.lock``: closing a month waits for project commits already checked
    against the open month, and project commits wait for a close being written.

    """
    with flocked(root / "periods.lock", exclusive, timeout):
        yield


@contextmanager
def flocked(path: Path, exclusive: bool, timeout: float, busy: Path | None = None):
    """``flock`` on *path* (made, with its folder, if missing), exclusive or shared, on a
    descriptor of its own: retried every `LOCK_POLL` for *timeout* seconds, then `StoreBusy`
    naming *busy* (the data file the lock guards) or the lock file."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except FileNotFoundError:  # a new project's first file: its folder too
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise write_error(busy or path, exc) from exc
    except OSError as exc:
        raise write_error(busy or path, exc) from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(str(busy or path)) from None
                time.sleep(LOCK_POLL)
        yield
    finally:
        os.close(fd)  # and with it the flock


def check_periods(key: str, changes: list[dict], closed_months: Callable[[str], set[str]]) -> None:
    """Refuse any change dated inside a closed month of the file's project (*closed_months*
    of a project's slug), and a document whose own ``dated`` is not a month."""
    if not key.startswith("projects/"):
        return
    for change in changes:
        for doc in change["inserted"] + [new for _, _, new in change["updated"]]:
            check_dated(doc)
    project = key.split("/")[1]
    closed = closed_months(project)
    if not closed:
        return
    file_month = _MONTH_KEY.search(key)
    if file_month and file_month.group(1) in closed:
        raise PeriodClosed(project, file_month.group(1))
    for change in changes:
        docs = change["inserted"] + change["removed"]
        for _, old, new in change["updated"]:
            docs += [old, new]
        for doc in docs:
            month = doc_month(doc)
            if month in closed:
                raise PeriodClosed(project, month)


def doc_month(doc: Mapping) -> str | None:
    """The month a document is dated in: its ``dated`` if it has the field (None: no month),
    else guessed from its ``period`` (YYYY-MM) or its ``date`` (YYYY-MM-DD)."""
    if DATED in doc:
        return doc[DATED]
    period = doc.get("period")
    if isinstance(period, str) and len(period) == 7:
        return period
    date = doc.get("date")
    if isinstance(date, str) and len(date) >= 7:
        return date[:7]
    return None


def check_dated(doc: Mapping) -> None:
    """A document's own ``dated`` is a month (YYYY-MM) or None: anything else would slip past
    the closed-month check."""
    if DATED in doc and doc[DATED] is not None and not (
            isinstance(doc[DATED], str) and _MONTH.fullmatch(doc[DATED])):
        raise ValueError(f"document {doc.get('id')!r}: dated must be YYYY-MM or None, "
                         f"got {doc[DATED]!r}")
