"""The journal beside a data file: each commit appended as one checksummed record.

A commit that changes a few documents of a large file does not rewrite the file: it appends one
record to ``<file>.journal`` — the documents it inserted or changed (whole), the ids it removed,
its audit entry and its generation — and fsyncs it (and the folder, when the journal is new).
The store (`core/store.py`) folds the journal into the file (the durable whole-file replace of
`core/files.py`) when the next record would take it past a size, and when a month closes.

A record is ``length`` (4 bytes, big-endian) ``crc32`` of the payload (4 bytes) and the payload
(orjson: ``{"g": generation, "t": {table: [{id: document}, [removed id]]}, "a": entry}``).
Reading a file is its JSON plus its journal replayed in order (`replay`):

* a record whose generation the file already has is skipped: a fold writes the file first and
  empties the journal after, so a kill in between must not apply the records twice;
* a short or corrupt LAST record is a write cut short (never acknowledged: a commit returns
  only after its fsync) and is ignored; `floorwalker check` names it, and the next commit
  writes the whole file and empties the journal;
* a corrupt record with records after it, or a record that does not follow on from the file's
  generation, is damage: the file is refused by name.

A failed append (a full disk, an I/O error) cuts the journal back to its length before the
append (`append`), so the file reads as it was.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import orjson

from .errors import CorruptFile, StorageError
from .files import FileOps, write_error
from .i18n import N_

_HEAD = struct.Struct(">II")
AUDIT_TABLE = "_audit"


class Gap(Exception):
    """The journal's first new record does not follow on from the file: read both again (a
    fold replaced the file between the two reads), else the pair is damaged."""


@dataclass
class Replayed:
    """What reading a journal found: its records applied and skipped, where its sound part
    ends, and the bytes of a torn last record after it."""

    generation: int
    applied: int = 0
    stale: int = 0
    valid: int = 0
    torn: int = 0


def path_of(path: Path) -> Path:
    """The journal of data file *path*: ``<file>.journal``."""
    return path.with_name(path.name + ".journal")


def encode(generation: int, changes: list[dict], entry: dict) -> bytes:
    """The record of one commit: its changed tables (`Store._changes`) and its audit entry."""
    tables = {}
    for change in changes:
        put = dict(zip(change["inserted_ids"], change["inserted"]))
        if "in_order" in change:  # replayed, the table's documents keep the writer's order
            put = {doc_id: put[doc_id] for doc_id in change["in_order"]}
        put.update((doc_id, new) for doc_id, _, new in change["updated"])
        tables[change["table"]] = [put, change["removed_ids"]]
    payload = orjson.dumps({"g": generation, "t": tables, "a": entry})
    return _HEAD.pack(len(payload), zlib.crc32(payload)) + payload


def replay(path: Path, raw: bytes, tables: dict, generation: int) -> Replayed:
    """Apply the records of journal *raw* (of the file at *path*) newer than *generation* to
    *tables* in place."""
    done = Replayed(generation)
    pos, end_of_journal = 0, len(raw)
    while pos < end_of_journal:
        if end_of_journal - pos < _HEAD.size:
            break
        length, crc = _HEAD.unpack_from(raw, pos)
        end = pos + _HEAD.size + length
        if end > end_of_journal:
            break
        payload = raw[pos + _HEAD.size:end]
        record = _decode(payload) if zlib.crc32(payload) == crc else None
        if record is None:
            if end == end_of_journal:
                break
            raise CorruptFile(str(path), N_("a record in the middle of its journal is damaged"))
        if record["g"] <= done.generation:
            done.stale += 1
        elif record["g"] == done.generation + 1:
            _apply(record, tables)
            done.generation += 1
            done.applied += 1
        else:
            raise Gap()
        pos = end
    done.valid = pos
    done.torn = end_of_journal - pos
    return done


def _decode(payload: bytes) -> dict | None:
    try:
        record = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    if not (isinstance(record, dict) and isinstance(record.get("g"), int)
            and isinstance(record.get("t"), dict) and isinstance(record.get("a"), dict)):
        return None
    return record


def _apply(record: dict, tables: dict) -> None:
    for name, (put, removed) in record["t"].items():
        docs = tables.get(name)
        if docs is None:
            docs = tables[name] = {}
        for doc_id in removed:
            docs.pop(doc_id, None)
        docs.update(put)
    entry = record["a"]
    tables.setdefault(AUDIT_TABLE, {})[entry["id"]] = entry


def stat(path: Path) -> tuple | None:
    """(inode, mtime_ns, size) of journal *path*, or None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def read(path: Path) -> bytes:
    try:
        with open(path, "rb", buffering=0) as fh:
            return fh.readall()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise StorageError(N_("cannot read {path}: {reason}"), path=str(path),
                           reason=exc.strerror or str(exc)) from exc


def append(fs: FileOps, data_path: Path, record: bytes, valid: int) -> tuple:
    """Append *record* to the journal of *data_path* after its first *valid* bytes (a torn
    last record is cut off first), fsync it, and the folder when the journal is new. Returns
    the journal's (inode, mtime_ns, size). On failure the journal is cut back to *valid*
    bytes (removed if this made it) and the error names the data file."""
    path = path_of(data_path)
    created = not path.exists()
    try:
        fd = fs.open_append(path)
    except OSError as exc:
        raise write_error(data_path, exc) from exc
    try:
        try:
            if os.fstat(fd).st_size != valid:
                fs.truncate(fd, valid)
            fs.write(fd, record)
            fs.fsync(fd)
            st = os.fstat(fd)
        finally:
            fs.close(fd)
        if created:
            fs.fsync_dir(path.parent)
    except OSError as exc:
        _cut_back(fs, data_path, path, valid, created, exc)
        raise write_error(data_path, exc) from exc
    return st.st_ino, st.st_mtime_ns, st.st_size


def _cut_back(fs: FileOps, data_path: Path, path: Path, valid: int, created: bool,
              cause: OSError) -> None:
    """The append failed: leave the journal as it was, so the commit is not seen."""
    try:
        if created:
            os.unlink(path)
        else:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.ftruncate(fd, valid)
                os.fsync(fd)
            finally:
                os.close(fd)
    except FileNotFoundError:
        pass
    except OSError:
        raise StorageError(N_("cannot write {path} ({reason}) and cannot put the previous "
                              "version back; run the check before using it"),
                           path=str(data_path), reason=cause.strerror or str(cause)) from cause


def clear(fs: FileOps, data_path: Path) -> None:
    """Empty the journal of *data_path* once a fold has put its records into the file. Best
    effort: records left behind are older than the file and skipped when read."""
    path = path_of(data_path)
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return
    try:
        fs.truncate(fd, 0)
        fs.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
