"""Closed months' files, sealed: a cold start that does not grow with the months kept.

A closed month's files never change again (the store refuses every write dated inside it). So
when a month closes, the store folds each of its files' journals in and records, in core.json's
store-owned table ``_sealed``, the file's size, mtime and blake2b digest, its generation and how
many documents it holds and the months of its audit entries (`seal`). From then on:

* opening the folder (`check_folder` "quick") parses core.json only: a closed month's file is
  checked by its size (and, when its time changed — a restore, a copy — by its digest), every
  other file is parsed when first read, and a file that fails then is refused by name;
* the first read of a closed month's file checks its bytes against the digest before they are
  served (`verify`); a background thread can check them all ahead of that (`verify_sealed`);
* ``floorwalker check`` parses every other file and checks every closed file's digest; ``check
  --full`` parses those too. A check also records the months closed while their files could not
  be sealed (a kill between the close and the seal), and the new times of sealed files whose
  bytes are unchanged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from . import audit_files, files, journal
from .errors import CorruptFile, FloorwalkerError
from .i18n import N_
from .shards import Transaction, new_id, now_iso

SEALED = "_sealed"
log = logging.getLogger(__name__)
_NOT_SEALED = N_("the file is not the one recorded when its month closed")


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=32).hexdigest()


def seals(store) -> dict[str, dict]:
    """The records of the sealed files, by key."""
    return store.read("core").table(SEALED)


def verify(store, key: str, path: Path, raw: bytes, applied: int) -> None:
    """Refuse the bytes *raw* of a sealed file that differ from its record, or a sealed file
    whose journal holds commits (*applied*)."""
    if not key.startswith("projects/"):
        return
    seal = seals(store).get(key)
    if seal is None:
        return
    if len(raw) != seal["bytes"] or digest(raw) != seal["blake2b"]:
        raise CorruptFile(str(path), _NOT_SEALED)
    if applied:
        raise CorruptFile(str(journal.path_of(path)), N_("the file changed after its month closed"))


def newly_closed(changes: list[dict], periods: str) -> list[tuple[str, str]]:
    """(project, month) of each month a core commit's *changes* closed."""
    found = []
    for change in changes:
        if change["table"] == periods:
            docs = [*change["inserted"], *(new for _, _, new in change["updated"])]
            found += [(d["project"], d["month"]) for d in docs if d.get("state") == "closed"]
    return found


def month_keys(store, project: str, month: str) -> list[str]:
    """The keys of the files of *month* of *project* (``projects/<p>/<table>/<YYYY-MM>``)."""
    return [k for k in store.keys(f"projects/{project}")
            if k.count("/") == 3 and k.endswith("/" + month)]


def _record(store, key: str) -> dict:
    """Move the audit of *key* out, fold it and describe its file as it is now."""
    audit_files.move_all(store, key)
    shard = store.fold(key)
    path = store.path(key)
    raw = files.read_bytes(path)
    return {"id": key, "bytes": len(raw), "blake2b": digest(raw),
            "mtime_ns": os.stat(path).st_mtime_ns, "generation": shard.generation,
            "documents": sum(len(t) for n, t in shard.tables.items() if not n.startswith("_")),
            "audit_months": sorted({str(e.get("at"))[:7] for e in shard.table("_audit").values()})}


def _commit(store, records: dict[str, dict], action: str) -> None:
    with store.lock("core"):
        shard = store.read("core")
        tx = Transaction(shard)
        tx.tables[SEALED] = {**shard.table(SEALED), **records}
        changes = store._changes(shard, tx)
        if changes:
            store._commit(shard, tx.tables, changes, {
                "id": new_id(), "at": now_iso(), "actor": "system", "action": action,
                "file": "core", "changes": [{"table": SEALED, "sealed": sorted(records)}]})


def seal(store, months: list[tuple[str, str]]) -> None:
    """Fold and record the files of each closed (project, month)."""
    records = {key: _record(store, key) for project, month in months
               for key in month_keys(store, project, month)}
    if records:
        _commit(store, records, "period.seal")


def seal_quietly(store, months: list[tuple[str, str]]) -> None:
    """`seal`, after a close has landed: a failure leaves the months' files unsealed (read and
    checked as any other file) until the next `floorwalker check` seals them."""
    try:
        seal(store, months)
    except (FloorwalkerError, OSError) as exc:
        log.warning("the files of %s could not be sealed: %s", months, exc)


def reseal(store, key: str) -> None:
    """Record the new bytes of a sealed file that an upgrade rewrote."""
    if key in seals(store):
        _commit(store, {key: _record(store, key)}, "period.seal")


def _matches(path: Path, seal: dict) -> bool:
    return digest(files.read_bytes(path)) == seal["blake2b"]


def verify_sealed(store, delay: float = 0.0) -> threading.Thread:
    """Check every sealed file's digest in a background thread, after *delay* seconds (a short
    command is done by then and pays nothing); a file that does not match is refused from then
    on (`Store.damaged`) and logged."""
    def run():
        time.sleep(delay)
        try:
            for key, seal in list(seals(store).items()):
                path = store.path(key)
                if path.exists() and not _matches(path, seal):
                    store.damaged[key] = _NOT_SEALED
                    log.error("the data file %s is damaged: %s", path, _NOT_SEALED)
        except Exception as exc:  # noqa: BLE001 (the folder went away: a test, a restore)
            log.debug("background check stopped: %s", exc)

    thread = threading.Thread(target=run, name="floorwalker-verify-sealed", daemon=True)
    thread.start()
    return thread


def check_folder(store, remove_temp: bool, mode: str) -> list[dict]:
    """`Store.check` in *mode* "quick" (opening), "check" or "full" (see the module's doc)."""
    root = store.root
    if not root.exists():
        return []
    found = files.scan(root)
    if remove_temp and found["temp"]:
        store.remove_temp_files(found["temp"])
    keys = sorted(k for k in map(store.key_of, found["json"]) if k)
    if keys and "core" not in keys:
        raise CorruptFile(str(store.path("core")),
                          N_("the file is missing while other data files exist"))
    live = set(found["json"])
    for prev in found["prev"]:
        if prev.with_name(prev.name[: -len(".prev")]) not in live:
            raise CorruptFile(str(prev.with_name(prev.name[: -len(".prev")])),
                              N_("the file is missing but its .prev copy exists"))
    for jpath in found["journal"]:
        data_path = jpath.with_name(jpath.name[: -len(".journal")])
        if data_path not in live and jpath.stat().st_size:
            raise CorruptFile(str(data_path), N_("the file is missing but its journal exists"))
    if not keys:
        return []
    sealed = store.read("core").table(SEALED) if mode == "quick" else store.load("core").table(SEALED)
    report, moved = [], {}
    for key in keys:
        path, seal = store.path(key), sealed.get(key)
        if seal is not None and mode != "full":
            st = os.stat(path)
            if st.st_size != seal["bytes"]:
                raise CorruptFile(str(path), _NOT_SEALED)
            if (journal.stat(journal.path_of(path)) or (0, 0, 0))[2]:
                store.load(key)  # a journal beside a sealed file: replayed, it must hold nothing new
            elif mode == "check" or st.st_mtime_ns != seal["mtime_ns"]:
                if not _matches(path, seal):
                    raise CorruptFile(str(path), _NOT_SEALED)
                if st.st_mtime_ns != seal["mtime_ns"]:
                    moved[key] = {**seal, "mtime_ns": st.st_mtime_ns}
            report.append({"file": key, "generation": seal["generation"], "bytes": seal["bytes"],
                           "documents": seal["documents"], "sealed": True})
        elif mode == "quick":
            report.append({"file": key})  # parsed when first read
        else:
            shard = store.load(key)
            audit_files.validate(store, key, shard)
            row = {"file": key, "generation": shard.generation, "bytes": shard.size,
                   "documents": sum(len(t) for n, t in shard.tables.items() if not n.startswith("_")),
                   "sealed": seal is not None}
            if shard.torn:
                row["torn"] = shard.torn
            report.append(row)
    if mode != "quick" and remove_temp:
        _repair(store, sealed, moved)
    return report


def _repair(store, sealed: dict, moved: dict) -> None:
    """Seal the files of months closed without their seal, and record sealed files' new times."""
    unsealed = []
    for period in store.read("core").table("periods").values():
        if period.get("state") == "closed":
            keys = month_keys(store, period["project"], period["month"])
            if any(k not in sealed for k in keys):
                unsealed.append((period["project"], period["month"]))
    if moved:
        _commit(store, moved, "store.reseal")
    if unsealed:
        seal(store, unsealed)
