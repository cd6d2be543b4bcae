"""The data files on disk: how one is parsed and checked, and how one is written durably.

A data file is one JSON object: ``_meta`` first (``schema``, ``generation``, ``file``), then its
tables of documents. A commit writes it as `write_durably` does: check the free space, write a
temp file in the same folder and fsync it, keep the outgoing file as ``<file>.prev`` (a hard
link), ``os.replace`` the temp file into place and fsync the folder. A failed folder sync puts
the previous file back (`roll_back`), so a commit that is not durable is never acknowledged;
any other failure leaves the file as it was and no temp file behind. `FileOps` holds the
system calls, one method each, so tests can make any of them fail.

Every file made here is readable by its owner only (`FILE_MODE`). The store (`core/store.py`)
decides what goes into a file and when; this module only moves bytes.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Iterator

import orjson

from .errors import CorruptFile, DiskFull, StorageError
from .i18n import N_

FILE_MODE = 0o600
# ".<file>.json.<pid>.<hex>.tmp", and its ".prev" twin: the only temp files the store makes
TEMP_FILE = re.compile(r"^\.(?P<live>[^/]+\.json)\.\d+\.[0-9a-f]+\.tmp(\.prev)?$")
_HEADER = re.compile(
    rb'^\s*\{\s*"_meta"\s*:\s*\{\s*"schema"\s*:\s*\d+\s*,\s*"generation"\s*:\s*(\d+)')
HEADER_BYTES = 96


class FileOps:
    """The file operations of a commit, one method each, so tests can inject failures."""

    def open_temp(self, path: Path) -> int:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)

    def write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def link(self, src: Path, dst: Path) -> None:
        os.link(src, dst)

    def replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def open_append(self, path: Path) -> int:
        """The journal of a data file, opened to append (made if missing)."""
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)

    def truncate(self, fd: int, length: int) -> None:
        os.ftruncate(fd, length)

    def fsync_dir(self, folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def free_bytes(self, folder: Path) -> int:
        return shutil.disk_usage(folder).free


def parse(path: Path, raw: bytes, newest: int) -> dict:
    """Parse and check the shape of a data file of schema *newest* or older, or raise
    `CorruptFile` naming it."""
    if not raw:
        raise CorruptFile(str(path), N_("the file is empty"))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptFile(str(path), N_("not valid JSON")) from exc
    if not isinstance(data, dict):
        raise CorruptFile(str(path), N_("not a table file"))
    meta = data.get("_meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int) \
            or not isinstance(meta.get("generation"), int) or meta["schema"] < 1:
        raise CorruptFile(str(path), N_("no schema version"))
    if meta["schema"] > newest:
        raise CorruptFile(str(path), N_("written by a newer version of Floorwalker"))
    for name, docs in data.items():
        if name == "_meta":
            continue
        if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
            raise CorruptFile(str(path), N_("a table is not a set of documents"))
    return data


def header_generation(head: bytes) -> int | None:
    """The generation in a file's first bytes, or None if they do not start with ``_meta``."""
    found = _HEADER.match(head)
    return int(found.group(1)) if found else None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorageError(N_("cannot read {path}: {reason}"), path=str(path),
                           reason=exc.strerror or str(exc)) from exc


def write_durably(fs: FileOps, path: Path, payload: bytes) -> None:
    """Write *payload* as *path*: free space, temp file, fsync, keep .prev, replace, fsync dir.

    Called with the file's lock held. On any failure the file is left as it was (a failed
    folder sync puts the previous file back) and no temp file survives.
    """
    folder = path.parent
    check_space(fs, path, len(payload))
    existed = path.exists()
    tmp = temp_name(path)
    prev_tmp = tmp.with_name(tmp.name + ".prev")
    try:
        fd = fs.open_temp(tmp)
        try:
            fs.write(fd, payload)
            fs.fsync(fd)
        finally:
            fs.close(fd)
        if existed:
            fs.link(path, prev_tmp)
            fs.replace(prev_tmp, path.with_name(path.name + ".prev"))
        fs.replace(tmp, path)
    except OSError as exc:
        unlink_quietly(tmp)
        unlink_quietly(prev_tmp)
        raise write_error(path, exc) from exc
    try:
        fs.fsync_dir(folder)
    except OSError as exc:
        roll_back(fs, path, existed, exc)
        raise write_error(path, exc) from exc


def check_space(fs: FileOps, path: Path, size: int) -> None:
    """Refuse a write of *path* while the disk has less than twice *size* free (`DiskFull`)."""
    try:
        free = fs.free_bytes(path.parent)
    except OSError as exc:
        raise write_error(path, exc) from exc
    if free < 2 * size:
        raise DiskFull(str(path), free, 2 * size)


def roll_back(fs: FileOps, path: Path, existed: bool, cause: OSError) -> None:
    """The folder could not be synced after the replace, so the commit is not durable and
    must not be acknowledged: put the previous file (kept as .prev) back in its place."""
    back = temp_name(path)
    try:
        if existed:
            os.link(path.with_name(path.name + ".prev"), back)
            os.replace(back, path)
        else:
            os.unlink(path)
    except OSError:
        unlink_quietly(back)
        raise StorageError(N_("cannot write {path} ({reason}) and cannot put the previous "
                              "version back; run the check before using it"),
                           path=str(path), reason=cause.strerror or str(cause)) from cause
    try:
        fs.fsync_dir(path.parent)
    except OSError:
        pass  # the caller reports the first failure; the old file is what readers see


def left_over_temps(root: Path) -> Iterator[tuple[Path, Path]]:
    """(temp file, the data file it was written for) of each temp file under *root*."""
    for tmp in sorted(root.rglob(".*.tmp*")):
        found = TEMP_FILE.match(tmp.name)
        if found:
            yield tmp, tmp.with_name(found["live"])


def scan(root: Path) -> dict[str, list[Path]]:
    """One walk of *root*: its data files (``json``), their ``prev`` copies and ``journal``s,
    and left-over ``temp`` files, each a sorted list of paths."""
    found: dict[str, list[Path]] = {"json": [], "prev": [], "journal": [], "temp": []}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".json"):
                kind = "json"
            elif name.endswith(".json.prev"):
                kind = "prev"
            elif name.endswith(".json.journal"):
                kind = "journal"
            elif name.startswith(".") and TEMP_FILE.match(name):
                kind = "temp"
            else:
                continue
            found[kind].append(Path(folder, name))
    for paths in found.values():
        paths.sort()
    return found


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_error(path: Path, exc: OSError) -> StorageError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(N_("the disk is full: {path} was not written and is unchanged"),
                            path=str(path))
    return StorageError(N_("cannot write {path} ({reason}); the file is unchanged"),
                        path=str(path), reason=exc.strerror or str(exc))


def open_private(path: str | Path):
    """Open *path* to write bytes, readable by its owner only (`FILE_MODE`): the files Floorwalker
    writes outside a commit — demo logins, a backup, a restored folder — hold secrets too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a file that was already there keeps its mode through O_CREAT
    return os.fdopen(fd, "wb")


def make_private(path: Path) -> None:
    """Make *path* readable by its owner only, quietly (a warning of `loose_files` otherwise)."""
    try:
        os.chmod(path, FILE_MODE)
    except OSError:
        pass


def loose_files(root: str | Path) -> list[tuple[Path, int]]:
    """(path, mode) of each data file under *root* (``*.json``, ``*.json.prev`` and
    ``*.json.journal``) that others than its owner may read or write."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*.json*")):
        if path.name.endswith((".json", ".json.prev", ".json.journal")) and path.is_file():
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:  # any group or other bit
                found.append((path, mode))
    return found


def json_files(folder: str, cut: int) -> list[str]:
    """What ``Path(folder).rglob("*.json")`` finds, each path without its first *cut*
    characters and its ``.json``, from ``os.scandir`` (a tenth of rglob's time: the home page
    lists ten projects' attendance folders); like rglob, not into linked folders."""
    found, folders = [], [folder]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.endswith(".json"):
                        found.append(entry.path[cut:-len(".json")])
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            pass
    return found
