"""Moving a company between the data files and PostgreSQL, and back, all or nothing and verified.

Both stores hold the same shards (`core/backend.py`); this module reads every shard of either
into one backend-neutral form, `Copied` — its key, generation, the plugin's version of its
shape, its tables in their order and its audit entries in commit order — and writes that form
into the other:

* **into PostgreSQL** (`pgmoving.copy_to_pg`): one database transaction into an empty schema
  (or one emptied with *replace*), with ``SET LOCAL floorwalker.migrating = 'on'`` so a closed month's
  rows go in as they are; core's periods fill the ``closed`` table through its trigger, and the
  copy checks it ends as core says. The copy is read back and verified *inside* the
  transaction: a mismatch rolls it back;
* **into files** (`copy_to_files`): the shards written as the file store writes them (``_meta``
  first; the audit of the long-lived files of past months in ``audit/<key>/<YYYY-MM>``, as
  `core/audit_files.py` lays it out) into a staging folder beside the destination, the closed
  months' files sealed in core.json (`core/sealing.py`: size, digest, generation, documents,
  audit months), the folder read back, verified and checked in full, and only then renamed
  into place;
* **a backup** of either is the same zip (`pgmoving.backup_members`: a database in the file layout);
  a restore into PostgreSQL reads the checked zip through a staging folder (`core/backup.py`).

Verified means: for every (project, month) — a month's shards ``projects/<p>/<t>/<YYYY-MM>``,
a project's long-lived shards (no month), and the install's own (no project) — the same
shards, documents, audit entries, and the same digest of them: each shard's generation,
version, documents (by table, in order, each in canonical form: orjson with sorted keys,
since JSONB does not keep a document's key order) and audit entries.

Not copied: the file store's own bookkeeping — the seals of core's ``_sealed`` table (made
again for the files written), the audit files' own ``audit.move`` entries — and what is not
data (themes, uploads stay in the data folder, which the PostgreSQL store keeps using).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

import orjson

from . import audit_files, files, journal
from .backend import AUDIT_TABLE, CORE, PERIODS_TABLE
from .errors import Conflict, CorruptFile, FloorwalkerError, StorageError
from .i18n import N_
from .sealing import SEALED, digest
from .shards import now_iso
from .store import EXPORTS, MIGRATIONS, SCHEMA_VERSION, Store, is_key, parse_file

# the tables of a shard that are the file store's own bookkeeping, not data
SKIPPED_TABLES = frozenset({AUDIT_TABLE, SEALED})


@dataclass
class Copied:
    """One shard, whichever store it came from."""

    key: str
    generation: int
    version: int = 1  # the plugin's version of its shape
    tables: dict[str, dict[str, dict]] = field(default_factory=dict)
    audit: list[dict] = field(default_factory=list)  # in commit order

    @property
    def documents(self) -> int:
        return sum(len(t) for t in self.tables.values())


class CopyMismatch(FloorwalkerError):
    """The copy read back differs from its source: nothing was copied. `rows` says where."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        bad = next(r for r in rows if not r["ok"])
        if bad["project"]:
            super().__init__(N_("the copy does not match its source in project {project} {month}; "
                                "nothing was copied"), project=bad["project"], month=bad["month"])
        else:
            super().__init__(N_("the copy does not match its source in the install's own data; "
                                "nothing was copied"))


@contextmanager
def nothing_changed() -> Iterator[None]:
    """A failure of the disk or the database inside the block as one error of the store's:
    the block changes nothing when it fails (a rolled-back transaction, a staging folder)."""
    try:
        yield
    except FloorwalkerError:
        raise
    except Exception as exc:
        if not isinstance(exc, OSError) and type(exc).__module__.split(".")[0] != "psycopg":
            raise
        raise StorageError(N_("the data could not be written ({reason}); nothing was changed"),
                           reason=str(exc).strip() or type(exc).__name__) from exc


# ------------------------------------------------------------------ digests and the table


def group_of(key: str) -> tuple[str, str]:
    """(project, month) a shard is counted under: ``("", "")`` for the install's own."""
    parts = key.split("/")
    if parts[0] != "projects" or len(parts) < 2:
        return "", ""
    month = parts[-1] if len(parts) == 4 else ""
    return parts[1], month


def summary(shard: Copied) -> tuple[int, int, str]:
    """(documents, audit entries, digest) of *shard*."""
    h = hashlib.blake2b(digest_size=32)
    h.update(orjson.dumps([shard.key, shard.generation, shard.version]))
    for name in sorted(shard.tables):
        h.update(orjson.dumps(name))
        for doc_id, doc in shard.tables[name].items():
            h.update(orjson.dumps([doc_id, doc], option=orjson.OPT_SORT_KEYS))
    h.update(b"\x00audit")
    for entry in shard.audit:
        h.update(orjson.dumps(entry, option=orjson.OPT_SORT_KEYS))
    return shard.documents, len(shard.audit), h.hexdigest()


def compare(source: dict[str, tuple], copy: dict[str, tuple]) -> list[dict]:
    """One row per (project, month): shards, documents and audit entries of the source, and
    whether the copy has the same shards with the same digests. Raises `CopyMismatch` when a
    row differs."""
    groups: dict[tuple[str, str], set[str]] = {}
    for key in source.keys() | copy.keys():
        groups.setdefault(group_of(key), set()).add(key)
    rows = []
    for (project, month), keys in sorted(groups.items()):
        theirs = [source.get(k) for k in sorted(keys)]
        ours = [copy.get(k) for k in sorted(keys)]
        rows.append({"project": project, "month": month,
                     "shards": sum(1 for s in theirs if s), "documents": sum(s[0] for s in theirs if s),
                     "audit": sum(s[1] for s in theirs if s), "ok": theirs == ours})
    if not all(r["ok"] for r in rows):
        raise CopyMismatch(rows)
    return rows


# ------------------------------------------------------------------ reading the files


def _load(store: Store, key: str) -> tuple[dict, dict]:
    """(tables, _meta) of file *key* with its journal replayed, checked as a read checks it."""
    path = store.path(key)
    for _ in range(3):
        raw = files.read_bytes(path)
        data = parse_file(path, raw)
        meta = data.pop("_meta")
        try:
            shard = store._replayed(key, path, raw, data, meta["generation"], None)
        except journal.Gap:  # a fold replaced the file between it and its journal
            continue
        return shard.tables, {**meta, "generation": shard.generation}
    raise CorruptFile(str(journal.path_of(path)), N_("the journal does not follow on from its file"))


def read_files(store: Store) -> Iterator[Copied]:
    """Every shard of the file store *store*, key by key; hold `locked` around it for one
    state of the whole folder."""
    keys = store.keys()
    moved: dict[str, list[str]] = {}
    for key in keys:
        found = audit_files.source_of(key) if audit_files.is_audit(key) else None
        if found:
            moved.setdefault(found[0], []).append(found[1])
    data_keys = [k for k in keys if not audit_files.is_audit(k)]
    for key in sorted({*data_keys, *moved}):
        audit, seen = [], set()
        for month in sorted(moved.get(key, ())):
            for entry in store.load(audit_files.audit_key(key, month)).table(audit_files.ENTRIES).values():
                if entry["id"] not in seen:
                    seen.add(entry["id"])
                    audit.append(entry)
        if key not in data_keys:  # an audit file whose data file is gone
            yield Copied(key=key, generation=0, audit=audit)
            continue
        tables, meta = _load(store, key)
        for step in MIGRATIONS[meta["schema"] - 1:SCHEMA_VERSION - 1]:  # an older file: as opened
            step(tables)
        audit += [e for e in tables.get(AUDIT_TABLE, {}).values() if e["id"] not in seen]
        yield Copied(key=key, generation=meta["generation"], version=meta.get("version", 1),
                     tables={n: t for n, t in tables.items() if n not in SKIPPED_TABLES}, audit=audit)


def locked(store: Store) -> ExitStack:
    """Every file lock of *store* held (audit files last, as a backup takes them): no commit
    lands while the folder is read."""
    stack = ExitStack()
    try:
        for key in sorted(store.keys(), key=lambda k: (audit_files.is_audit(k), k)):
            stack.enter_context(store.lock(key))
    except BaseException:
        stack.close()
        raise
    return stack


# ------------------------------------------------------------------ the file layout


def _audit_layout(key: str, entries: list[dict], current: str) -> tuple[list[dict], dict[str, list[dict]]]:
    """(entries kept in the file, {month: entries moved to its audit file}) as the file store
    leaves a long-lived file after a whole write (`audit_files.move_out`)."""
    if not audit_files.moves(key) or not entries:
        return entries, {}
    dated = [e for e in entries if audit_files._MONTH.match(audit_files.month_of(e))]
    early = [e for e in dated if audit_files.month_of(e) < current]
    leaving = dated if len(entries) - len(early) > audit_files.KEEP else early
    gone = {e["id"] for e in leaving}
    by_month: dict[str, list[dict]] = {}
    for entry in leaving:
        by_month.setdefault(audit_files.month_of(entry), []).append(entry)
    return [e for e in entries if e["id"] not in gone], by_month


def _file(key: str, generation: int, version: int, tables: dict) -> bytes:
    meta = {"schema": SCHEMA_VERSION, "generation": generation, "file": key}
    if version > 1:
        meta["version"] = version
    return orjson.dumps({"_meta": meta, **tables})


def shard_files(shard: Copied, current: str) -> list[tuple[str, bytes]]:
    """(key, bytes) of the files *shard* is in the file store: its own and its audit files."""
    kept, moved = _audit_layout(shard.key, shard.audit, current)
    if not (shard.generation or shard.tables):  # only its audit files exist: all of it goes there
        kept, moved = [], {}
        for entry in shard.audit:
            moved.setdefault(audit_files.month_of(entry), []).append(entry)
    out = [(audit_files.audit_key(shard.key, month), _file(
        audit_files.audit_key(shard.key, month), 1, 1,
        {audit_files.ENTRIES: {e["id"]: e for e in entries}, AUDIT_TABLE: {}}))
        for month, entries in sorted(moved.items())]
    if shard.generation or shard.tables:
        out.append((shard.key, _file(shard.key, shard.generation, shard.version,
                                     {**shard.tables, AUDIT_TABLE: {e["id"]: e for e in kept}})))
    return out


def seal_record(key: str, raw: bytes, shard: Copied, mtime_ns: int) -> dict:
    """The record `sealing.seal` makes of a closed month's file of bytes *raw* (a month's file
    keeps its audit: `audit_files.moves`)."""
    return {"id": key, "bytes": len(raw), "blake2b": digest(raw), "mtime_ns": mtime_ns,
            "generation": shard.generation,
            "documents": sum(len(t) for n, t in shard.tables.items() if not n.startswith("_")),
            "audit_months": sorted({str(e.get("at"))[:7] for e in shard.audit})}


def closed_months(core: Copied | None) -> set[tuple[str, str]]:
    periods = core.tables.get(PERIODS_TABLE, {}) if core else {}
    return {(p["project"], p["month"]) for p in periods.values() if p.get("state") == "closed"}


def _is_month_of(key: str, closed: set[tuple[str, str]]) -> bool:
    parts = key.split("/")
    return len(parts) == 4 and parts[0] == "projects" and (parts[1], parts[3]) in closed


def file_members(shards: Iterable[Copied], mtime: Callable[[str], int] | None = None
                 ) -> Iterator[tuple[str, bytes]]:
    """(key, bytes) of every file of the file layout of *shards*, core last, with the seals of
    its closed months' files (*mtime*: the time a file yielded got once written; 0 when
    unknown, so a first open checks their digests)."""
    current, core, months = now_iso()[:7], None, {}
    for shard in shards:
        if shard.key == CORE:
            core = shard
            continue
        for key, raw in shard_files(shard, current):
            yield key, raw
            if key == shard.key and key.count("/") == 3 and key.startswith("projects/"):
                months[key] = seal_record(key, raw, shard, mtime(key) if mtime else 0)
    if core is not None:
        closed = closed_months(core)
        seals = {k: r for k, r in months.items() if _is_month_of(k, closed)}
        if seals:
            core = Copied(core.key, core.generation, core.version,
                          {**core.tables, SEALED: seals}, core.audit)
        yield from shard_files(core, current)


def is_data_file(rel: str) -> bool:
    """Whether *rel* (a path in a data folder) is the store's — a shard, its journal, its .prev
    copy, a lock or temp file — rather than a theme, an upload or an export."""
    name = rel.rsplit("/", 1)[-1]
    if name.endswith((".lock", ".prev", ".journal")) or files.TEMP_FILE.match(name):
        return True
    return rel.endswith(".json") and is_key(rel[:-5]) and rel[:-5] not in EXPORTS


# ------------------------------------------------------------------ into a folder


def has_data(folder: Path) -> bool:
    """Whether *folder* holds data files (a shard, a journal, a .prev copy)."""
    if not folder.is_dir():
        return False
    found = files.scan(folder)
    store = Store(folder)
    return any(store.key_of(p) for p in found["json"]) or bool(found["prev"]) \
        or any(p.stat().st_size for p in found["journal"])


def write_file(path: Path, payload: bytes) -> None:
    """Write one file of the copy, owner-only and synced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with files.open_private(path) as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())


def copy_to_files(shards: Iterable[Copied], dest: str | Path) -> list[dict]:
    """Write *shards* as the data files of folder *dest* (which must hold none): into a staging
    folder beside it, read back, verified and checked in full, then renamed into place."""
    dest = Path(dest).resolve()
    if has_data(dest):
        raise Conflict(N_("the data folder {folder} already holds data files; nothing was copied"),
                       folder=str(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.with_name(f".{dest.name}.copying-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    expected: dict[str, tuple] = {}

    def sources() -> Iterator[Copied]:
        for shard in shards:
            expected[shard.key] = summary(shard)
            yield shard

    def written(key: str) -> int:
        return (staging / f"{key}.json").stat().st_mtime_ns

    try:
        with nothing_changed():
            staging.mkdir(mode=0o700)
            for key, raw in file_members(sources(), written):
                write_file(staging / f"{key}.json", raw)
            for folder in sorted({p.parent for p in staging.rglob("*.json")}, reverse=True):
                files.FileOps().fsync_dir(folder)
            copy = Store(staging)
            rows = compare(expected, {s.key: summary(s) for s in read_files(copy)})
            copy.check(remove_temp=False, full=True)
            _move_into(staging, dest)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return rows


def _move_into(staging: Path, dest: Path) -> None:
    """Put the staged files in place: the folder renamed as a whole when *dest* is missing or
    empty, else each of its entries (core.json last, so no half is ever opened as a folder;
    undone if one fails)."""
    if not dest.exists() or not any(dest.iterdir()):
        os.rename(staging, dest)
        files.FileOps().fsync_dir(dest.parent)
        return
    names = sorted((p.name for p in staging.iterdir()), key=lambda n: (n == "core.json", n))
    taken = [n for n in names if (dest / n).exists()]
    if taken:
        raise Conflict(N_("the data folder {folder} already holds {name}; nothing was copied"),
                       folder=str(dest), name=taken[0])
    moved = []
    try:
        for name in names:
            os.rename(staging / name, dest / name)
            moved.append(name)
    except OSError:
        for name in reversed(moved):
            os.rename(dest / name, staging / name)
        raise
    files.FileOps().fsync_dir(dest)


# ------------------------------------------------------------------ where the data is


def is_url(place: str) -> bool:
    return place.startswith(("postgresql://", "postgres://"))


def shown_url(url: str) -> str:
    """*url* without its password, to print or keep in a manifest."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc[-1]}"))
