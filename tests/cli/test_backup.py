"""Backup and restore of the whole data folder: consistent, checked before anything changes."""

import hashlib
import threading
import time
import zipfile

import orjson
import pytest
from filelock import FileLock

from floorwalker.core import FloorwalkerError, ValidationError
from floorwalker.core.backup import backup, restore
from floorwalker.core.floorwalker import open_floorwalker

DAY = "2025-03-10"


def rewrite_zip(src, dest, member, content, fix_manifest=True):
    """A copy of the backup *src* with *member* replaced (and the manifest made to agree)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dest, "w") as new:
        manifest = orjson.loads(old.read("manifest.json"))
        for info in old.infolist():
            if info.filename not in (member, "manifest.json"):
                new.writestr(info, old.read(info.filename))
        new.writestr(member, content)
        rel = member[len("data/"):]
        if fix_manifest:
            entries = [f for f in manifest["files"] if f["path"] != rel]
            entries.append({"path": rel, "bytes": len(content),
                            "sha256": hashlib.sha256(content).hexdigest()})
            manifest["files"] = entries
        new.writestr("manifest.json", orjson.dumps(manifest))
    return dest


@pytest.mark.files_only  # the folder's own files (PostgreSQL: test_backup_pg.py)
def test_backup_then_restore_brings_back_the_data(fw, data, run, tmp_path, snapshot, pm):
    fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    original = {k: v for k, v in snapshot().items() if not k.endswith(".prev")}
    result = run("backup", str(tmp_path / "b.zip"))
    assert result.exit_code == 0, result.output
    fw.agents.add("acme", "1003", "Later", "admin", hired="2025-03-01")
    fw.ledger.record("acme", "1002", "absent", DAY, "tl")
    result = run("restore", str(tmp_path / "b.zip"))
    assert result.exit_code == 0, result.output
    assert snapshot() == original
    restored = open_floorwalker(data, pm=pm)
    assert [e["rule"] for e in restored.ledger.events("acme", "2025-03")] == ["loud"]
    kept = list(tmp_path.glob("data.before-restore-*"))
    assert len(kept) == 1 and (kept[0] / "core.json").exists()
    assert str(kept[0]) in result.output
    assert "1003" in open_floorwalker(kept[0], pm=pm).store.table("core", "agents")


def test_the_manifest_lists_every_file_with_its_checksum(fw, tmp_path):
    manifest = backup(fw.store, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        names = set(archive.namelist())
        for entry in manifest["files"]:
            raw = archive.read("data/" + entry["path"])
            assert hashlib.sha256(raw).hexdigest() == entry["sha256"]
    assert {"manifest.json", "data/core.json"} <= names
    assert not [n for n in names if n.endswith((".lock", ".prev"))]


@pytest.mark.files_only  # the folder's own files (PostgreSQL: test_backup_pg.py)
def test_backup_waits_for_a_commit_under_way(fw, data, tmp_path):
    lock = FileLock(str(data / "core.json") + ".lock")
    lock.acquire()
    done = threading.Event()
    worker = threading.Thread(target=lambda: (backup(fw.store, tmp_path / "b.zip"), done.set()))
    worker.start()
    time.sleep(0.3)
    assert not done.is_set()
    lock.release()
    worker.join(5)
    assert done.is_set()


def test_backup_refuses_a_target_inside_the_data_folder(fw, data):
    with pytest.raises(ValidationError) as caught:
        backup(fw.store, data / "inside.zip")
    assert caught.value.field == "file"


@pytest.mark.parametrize("member, content, fix_manifest, needle", [
    ("data/core.json", b'{"_meta": {"schema": 1, "gen', True, "data/core.json"[5:] + ": not valid JSON"),
    ("data/projects/acme/score_events/2025-03.json", b"", True, "the file is empty"),
    ("data/core.json", b'{"_meta": {"schema": 1, "generation": 1}}', False, "checksum"),
    ("data/../evil.json", b"{}", True, "outside the data folder"),
])
def test_restore_of_a_damaged_backup_changes_nothing(fw, data, run, tmp_path, snapshot, error_line,
                                                    member, content, fix_manifest, needle):
    fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    backup(fw.store, tmp_path / "good.zip")
    bad = rewrite_zip(tmp_path / "good.zip", tmp_path / "bad.zip", member, content, fix_manifest)
    fw.agents.add("acme", "1003", "Later", "admin", hired="2025-03-01")
    before = snapshot()
    line = error_line(run("restore", str(bad)))
    assert "bad.zip is damaged" in line and needle in line and "nothing was restored" in line
    assert snapshot() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "data", "good.zip"]


def test_restore_refuses_a_file_that_is_not_a_backup(fw, run, tmp_path, snapshot, error_line):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    before = snapshot()
    assert "x.zip is not a Floorwalker backup" in error_line(run("restore", str(tmp_path / "x.zip")))
    assert snapshot() == before


def test_restore_works_on_a_damaged_data_folder(fw, data, run, tmp_path, pm):
    backup(fw.store, tmp_path / "b.zip")
    (data / "core.json").write_bytes(b"")
    result = run("restore", str(tmp_path / "b.zip"))
    assert result.exit_code == 0, result.output
    assert open_floorwalker(data, pm=pm).agents.get("1001")["name"] == "Li Lei"


@pytest.mark.files_only  # the folder's own files (PostgreSQL: test_backup_pg.py)
def test_restore_into_a_missing_folder(fw, tmp_path, pm):
    backup(fw.store, tmp_path / "b.zip")
    result = restore(tmp_path / "fresh", tmp_path / "b.zip")
    assert result["previous"] is None
    assert open_floorwalker(tmp_path / "fresh", pm=pm).projects.get("acme")["client"] == "Acme Co"


def test_restore_refuses_a_backup_without_its_core_file(fw, tmp_path):
    shard = orjson.dumps({"_meta": {"schema": 1, "generation": 1}})
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as archive:
        archive.writestr("manifest.json", orjson.dumps({"format": 1, "files": [
            {"path": "projects/acme/x.json", "bytes": len(shard),
             "sha256": hashlib.sha256(shard).hexdigest()}]}))
        archive.writestr("data/projects/acme/x.json", shard)
    with pytest.raises(FloorwalkerError) as caught:
        restore(fw.store.root, tmp_path / "b.zip")
    assert "core.json: the file is missing" in caught.value.message("en")
    assert fw.agents.get("1001")
