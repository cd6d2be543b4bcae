"""The audit of the files that live for years, moved out into one file per file and month.

Every commit carries its audit entry in the file it changes (`core/store.py`: one file, one
atomic commit). A month's file (``projects/<p>/<table>/<YYYY-MM>``) closes and is sealed with
its month, so its audit ends with it; but ``core``, ``sessions``, ``throttle``, ``jobs``,
``tokens``, ``api`` and a project's plugin files (``projects/<p>/attendance``) are written for
years, and their audit would grow with every commit ever made — ``core.json`` is parsed at
every cold start, ``sessions.json`` on every sign-in.

So when the store writes such a file whole (a new file, the fold of its journal past
`JOURNAL_LIMIT`, the repair of a torn record — `Store._write`), the committed entries it holds
of months before the current one move to ``audit/<file-key>/<YYYY-MM>`` (the folder mirrors the
data folder, so a project's audit is under ``audit/projects/<p>/``), and so do the current
month's when more than `KEEP` of them would stay. The file is then small whatever its age: its
JSON keeps the current month's entries (at most `KEEP`), its journal the commits since its last
fold. The order of the two writes is what makes it safe:

1. the entries are merged by id into their month's audit file, durably (a commit of the store,
   under that file's lock, with its own audit entry ``audit.move``; an audit file's lock is
   only ever taken last — a backup takes them after every other file's);
2. only then is the data file written without them.

A crash between the two leaves an entry in both places, never in neither; reads drop the copy
(`entries`), and the next move finds it already there. Only entries already on disk move —
never the entry of the commit being written, which must land with its documents or not at all.
A move that cannot be written (a busy lock, a full disk) is skipped and logged: the entries
stay in the file and move at its next fold, and the commit goes on.

Audit files are ordinary shards: read through the store, checked by ``floorwalker check``
(each entry of its month and of its file, `validate`), carried by backup and restore. A month's
audit file only ever receives entries of that month, so once the month is past it is
rewritten only if a late fold brings more of them.

A month's data file keeps its audit while its month is open (the month bounds it); when the
month closes, every entry moves out before the file is sealed (`move_all`), and the seal
records the months of any entry left (``audit_months``, none unless the move failed). Reading
the audit skips a closed month's file that holds none of the months asked for, so the audit
page of a month reads that month's audit files and the open files, not a year of data (and
the next time, only what changed since: `_own`).
"""

from __future__ import annotations

import logging
import os
import re
import weakref
from typing import Iterable, Iterator

from . import files, journal
from .errors import CorruptFile, FloorwalkerError
from .i18n import N_

AUDIT_TABLE = "_audit"
FOLDER = "audit"
ENTRIES = "entries"
KEEP = 500  # entries of the current month a file keeps before they move out too
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
log = logging.getLogger(__name__)
_OWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> {key: (state, audit)}


def audit_key(key: str, month: str) -> str:
    """The key of the audit file of data file *key* for *month*: ``audit/<key>/<YYYY-MM>``."""
    return f"{FOLDER}/{key}/{month}"


def is_audit(key: str) -> bool:
    return key == FOLDER or key.startswith(FOLDER + "/")


def source_of(key: str) -> tuple[str, str] | None:
    """(data file key, month) of audit file *key*, or None when *key* is none."""
    if not key.startswith(FOLDER + "/"):
        return None
    source, _, month = key[len(FOLDER) + 1:].rpartition("/")
    return (source, month) if source and _MONTH.match(month) else None


def moves(key: str) -> bool:
    """Whether the audit of file *key* moves out: not an audit file, not a month's file."""
    return not is_audit(key) and not _MONTH.match(key.rpartition("/")[2])


def month_of(entry: dict) -> str:
    return str(entry.get("at") or "")[:7]


# ---------------------------------------------------------------- moving out


def move_out(store, shard, tables: dict, current: str | None) -> dict:
    """*tables* (the next whole content of *shard*'s file) without the entries that moved to
    the audit files; call before writing the file, with its lock held. *current* is the
    month of now (``YYYY-MM``); None moves every entry (a month's file at its close)."""
    if current is not None and not moves(shard.key):
        return tables
    on_disk = shard.table(AUDIT_TABLE)  # committed: the entry of the commit under way is not
    if not on_disk:
        return tables
    dated = [e for e in on_disk.values() if _MONTH.match(month_of(e))]
    early = [e for e in dated if current is not None and month_of(e) < current]
    leaving = dated if current is None or len(on_disk) - len(early) > KEEP else early
    if not leaving:
        return tables
    by_month: dict[str, list[dict]] = {}
    for entry in leaving:
        by_month.setdefault(month_of(entry), []).append(entry)
    try:
        for month in sorted(by_month):
            merge(store, audit_key(shard.key, month), by_month[month])
    except (FloorwalkerError, OSError) as exc:
        log.warning("the audit of %s stays in it until its next fold: %s", shard.key, exc)
        return tables
    gone = {e["id"] for e in leaving}
    kept = {i: e for i, e in tables.get(AUDIT_TABLE, {}).items() if i not in gone}
    return {**tables, AUDIT_TABLE: kept}


def move_all(store, key: str) -> None:
    """Move every audit entry of the month's file *key* out, as its month closes: it is never
    written again, and sealed without an audit it is not even read for the audit page. The
    ``.prev`` this write leaves is removed: it differs from the file only by entries now in the
    audit files, and no earlier version of a sealed file could be put back (its seal refuses
    it), so it would only double the closed months' space on disk."""
    with store.lock(key):
        shard = store.read(key)
        tables = move_out(store, shard, shard.tables, None)
        if tables is not shard.tables:
            store._write(shard, tables, None, shard.generation)
            path = store.path(key)
            files.unlink_quietly(path.with_name(path.name + ".prev"))


def merge(store, key: str, entries: list[dict]) -> int:
    """Add to audit file *key* the *entries* it does not hold yet (by id), in their order, as
    one durable commit; returns how many were added."""
    with store.transaction(key, "system", "audit.move") as tx:
        have = tx.docs(ENTRIES)
        new = [e for e in entries if e["id"] not in have]
        if new:
            tx.insert_many(ENTRIES, new)
    return len(new)


# ---------------------------------------------------------------- reading


def entries(store, prefix: str = "", months: Iterable[str] | None = None) -> Iterator[dict]:
    """`Store.audit_entries`: the entries of the files under *prefix* — from their audit files
    (oldest month first) and then from the files themselves, each entry once — restricted to
    *months* (``YYYY-MM``, by the entry's time) when given.

    Each file is read before its audit files are listed: an entry a concurrent fold moves out
    is then in the copy read, or in an audit file listed after (audit files only grow), or in
    both (read once) — never missed."""
    wanted = None if months is None else set(months)
    if is_audit(prefix):
        return
    found = store.keys(prefix)
    listed = found if not prefix else store.keys(f"{FOLDER}/{prefix}")
    sources = [k for k in found if not is_audit(k)]
    gone = {s[0] for s in map(source_of, listed) if s} - set(sources)  # audit of a removed file
    sealed = _sealed(store)
    for key in sorted({*sources, *gone}):
        own = {} if key in gone or _none_of(sealed.get(key), wanted) else _own(store, key)
        seen: set[str] = set()
        for month in _months_of(store, key):
            if wanted is None or month in wanted:
                for entry in store.read(audit_key(key, month)).table(ENTRIES).values():
                    seen.add(entry["id"])
                    yield entry
        for entry in own.values():
            if entry["id"] not in seen and (wanted is None or month_of(entry) in wanted):
                yield entry


def _own(store, key: str) -> dict:
    """The audit table of file *key* as on disk now, kept with the file's state (as the store's
    cache identifies it), so showing the audit again does not parse a month's data again while
    the file is unchanged — the store's cache of whole files lets big ones go."""
    path = store.path(key)
    try:
        with open(path, "rb", buffering=0) as fh:
            st = os.fstat(fh.fileno())
            state = (st.st_ino, st.st_mtime_ns, st.st_size, journal.stat(journal.path_of(path)),
                     files.header_generation(os.pread(fh.fileno(), files.HEADER_BYTES, 0)))
    except FileNotFoundError:
        state = None
    kept = _OWN.setdefault(store, {})
    found = kept.get(key)
    if found is not None and state is not None and found[0] == state and key not in store.damaged:
        return found[1]
    audit = store.read(key).table(AUDIT_TABLE)  # read after the state: a change in between
    kept[key] = (state, audit)  # only makes the next look read the file again
    return audit


def _months_of(store, key: str) -> list[str]:
    """The months of the audit files of *key* on disk now, in order."""
    try:
        names = os.listdir(store.root / FOLDER / key)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(n[:-5] for n in names if n.endswith(".json") and _MONTH.match(n[:-5]))


def _sealed(store) -> dict:
    return store.read("core").table("_sealed") if store.path("core").exists() else {}


def _none_of(seal: dict | None, wanted: set | None) -> bool:
    """Whether a closed month's file holds no entry (of the *wanted* months), by its seal."""
    if seal is None or "audit_months" not in seal:
        return False
    return not (set(seal["audit_months"]) if wanted is None else wanted.intersection(seal["audit_months"]))


# ---------------------------------------------------------------- checking


def validate(store, key: str, shard) -> None:
    """Refuse an audit file holding an entry of another file or month (`floorwalker check`)."""
    found = source_of(key)
    if found is None:
        return
    source, month = found
    for doc_id, entry in shard.table(ENTRIES).items():
        if entry.get("id") != doc_id or entry.get("file") != source or month_of(entry) != month:
            raise CorruptFile(str(store.path(key)),
                              N_("an audit entry in it belongs to another file or month"))
