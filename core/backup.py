"""Backup and restore of a whole data folder, consistent and checked.

A backup is a zip: ``manifest.json`` (format, when, which version, and every file with its size
and SHA-256) and the folder's files under ``data/``. It is taken while holding the lock of every
data file — the same ``<file>.lock`` the store holds across a commit — so no commit can land
half-way through the copy and the files agree with each other (an agent and its score events).
Lock files, left-over temp files and the ``.prev`` copies are left out: they are not data.

A restore checks everything before it touches anything: every member against the manifest's
checksum, every data file with the store's own `parse_file`, member names that stay inside the
folder. Only then is the backup unpacked next to the data folder and swapped in with two renames;
the old folder is kept whole as ``<data>.before-restore-<timestamp>``, so a restore can be undone
by hand. Stop the web server before a restore: it holds no files open, but it would not notice
the folder it serves being renamed away while a request is running.

The zip and every restored file are readable by their owner only, like the data files (see
`files.FILE_MODE`): they hold the same password hashes.

On PostgreSQL (``--store``) a backup is the same zip — each shard written as the file store
writes it, all read in one REPEATABLE READ transaction (`core/pgmoving.py`) — so a backup of
either backend restores into either; a restore into PostgreSQL checks the zip the same way,
then replaces the schema's contents in one transaction, verified before it commits.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import zipfile
from contextlib import ExitStack
from pathlib import Path, PurePosixPath

import orjson

from .. import __version__
from . import moving, pgmoving
from .audit_files import is_audit
from .errors import CorruptFile, FloorwalkerError, ValidationError
from .i18n import N_
from .store import EXPORTS, Store, is_key, now_iso, open_private, parse_file

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "data/"


def _is_data_member(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return not (name.endswith((".lock", ".prev")) or (name.startswith(".") and ".tmp" in name))


def backup(store: Store, dest: str | Path) -> dict:
    """Write a zip of *store*'s whole folder to *dest*; returns the manifest. A PostgreSQL
    store is written in the same format, its shards as the file store's files, read in one
    transaction (`pgmoving.backup_members`), with the folder's other files."""
    root = store.root.resolve()
    dest = Path(dest).resolve()
    if dest.is_relative_to(root):
        raise ValidationError(N_("file"), N_("put the backup outside the data folder {folder}"),
                              folder=str(root))
    dest.parent.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "created_at": now_iso(), "floorwalker": __version__,
                "source": str(root) if isinstance(store, Store) else
                f"{moving.shown_url(store.url)} ({store.schema})", "files": []}
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with ExitStack() as locks, open_private(tmp) as fh, \
                zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel, raw in _members(store, root, locks):
                archive.writestr(PREFIX + rel, raw)
                manifest["files"].append({"path": rel, "bytes": len(raw),
                                          "sha256": hashlib.sha256(raw).hexdigest()})
            archive.writestr(MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
    return manifest


def _members(store, root: Path, locks: ExitStack):
    """(path in the folder, bytes) of every file a backup of *store* holds."""
    if not isinstance(store, Store):
        yield from pgmoving.backup_members(store)
        return
    # in one order, so two backups never wait on each other; audit files last, as a commit
    # moving entries out takes their lock while holding its file's
    for key in sorted(store.keys(), key=lambda k: (is_audit(k), k)):
        locks.enter_context(store.lock(key))
    for path in sorted(p for p in root.rglob("*") if p.is_file()
                       and _is_data_member(p.relative_to(root).as_posix())):
        yield path.relative_to(root).as_posix(), path.read_bytes()


def read_backup(src: str | Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and files of a backup, every one checked; raises before anything changes."""
    src = Path(src)
    try:
        with zipfile.ZipFile(src) as archive:
            names = archive.namelist()
            if MANIFEST not in names:
                raise _damaged(src, MANIFEST, N_("no manifest"))
            manifest = orjson.loads(archive.read(MANIFEST))
            contents = {name[len(PREFIX):]: archive.read(name) for name in names
                        if name.startswith(PREFIX) and not name.endswith("/")}
    except (OSError, zipfile.BadZipFile, orjson.JSONDecodeError) as exc:
        raise ValidationError(N_("file"), N_("{name} is not a Floorwalker backup ({reason})"),
                              name=src.name, reason=str(exc)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(src, MANIFEST, N_("unknown backup format"))
    listed = {f["path"]: f for f in manifest.get("files", [])}
    for rel in listed.keys() | contents.keys():
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or "\\" in rel:
            raise _damaged(src, rel, N_("a file name leads outside the data folder"))
        if rel not in contents or rel not in listed:
            raise _damaged(src, rel, N_("the file and the manifest disagree"))
        raw = contents[rel]
        if hashlib.sha256(raw).hexdigest() != listed[rel]["sha256"]:
            raise _damaged(src, rel, N_("the checksum does not match"))
        if rel.endswith(".json") and is_key(rel[:-5]) and rel[:-5] not in EXPORTS:
            try:
                parse_file(Path(rel), raw)
            except CorruptFile as exc:
                raise _damaged(src, rel, exc.params["reason"]) from None
    if contents and "core.json" not in contents:
        raise _damaged(src, "core.json", N_("the file is missing"))
    return manifest, contents


def restore(root: str | Path, src: str | Path) -> dict:
    """Replace the data folder *root* by the backup *src*, keeping the old folder beside it.

    Returns {"files": how many, "previous": where the old folder went, or None}.
    """
    root = Path(root).resolve()
    _, contents = read_backup(src)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    staging = root.with_name(f"{root.name}.restoring-{stamp}-{os.getpid()}")
    try:
        _unpack(contents, staging)
        Store(staging).check(remove_temp=False)
        previous = None
        if root.exists():
            previous = root.with_name(f"{root.name}.before-restore-{stamp}")
            current = Store(root)
            with ExitStack() as locks:  # let commits under way finish first
                for key in current.keys():
                    locks.enter_context(current.lock(key))
                os.rename(root, previous)
                os.rename(staging, root)
        else:
            os.rename(staging, root)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return {"files": len(contents), "previous": str(previous) if previous else None}


def restore_store(store, src: str | Path) -> dict:
    """`restore` into the store of an install: the files of its folder, or its PostgreSQL
    schema, whose contents the backup's shards replace in one transaction (checked as a
    restore into files checks them, verified before it commits: `pgmoving.copy_to_pg`); the
    backup's other files (themes) are put back into the data folder."""
    if isinstance(store, Store):
        return restore(store.root, src)
    _, contents = read_backup(src)
    root = store.root.resolve()
    staging = root.with_name(f"{root.name}.restoring-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    try:
        _unpack(contents, staging)
        staged = Store(staging)
        staged.check(remove_temp=False)
        pgmoving.copy_to_pg(moving.read_files(staged), store, replace=True)
        for rel, raw in contents.items():
            if not moving.is_data_file(rel):
                _unpack({rel: raw}, root)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return {"files": len(contents), "previous": None}


def _unpack(contents: dict[str, bytes], folder: Path) -> None:
    """Write the backup's *contents* under *folder*, owner-only and synced."""
    folder.mkdir(parents=True, exist_ok=True)
    for rel, raw in contents.items():
        moving.write_file(folder / rel, raw)


def _damaged(src: Path, member: str, reason: str) -> FloorwalkerError:
    return FloorwalkerError(N_("the backup {name} is damaged: {member}: {reason}; nothing was restored"),
                            name=src.name, member=member, reason=reason)
