"""Backup and restore on PostgreSQL: the same zip as the files', so a backup of either backend
restores into either. Needs a PostgreSQL server (`pgserver.pg_server`)."""

import zipfile

from floorwalker.core import floorwalker as facade
from floorwalker.core import moving, pgmoving
from floorwalker.core.backup import backup, restore, restore_store
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.sealing import SEALED
from floorwalker.core.store import Store

from .pgserver import company, file_digests, pg_digests, pgstores, schema, sheets  # noqa: F401
from .test_backup import rewrite_zip


def filled(pgstores, schema, folder):  # noqa: F811
    """A PostgreSQL store holding the company of *folder*."""
    pg = pgstores(schema())
    pgmoving.copy_to_pg(moving.read_files(Store(folder)), pg)
    return pg


def test_a_backup_of_postgresql_restores_into_files_and_back(company, pgstores, schema, pm, tmp_path):  # noqa: F811
    folder, fw = company
    pg = filled(pgstores, schema, folder)
    (pg.root / "themes").mkdir()
    (pg.root / "themes" / "logo.txt").write_text("ours")
    manifest = backup(pg, tmp_path / "pg.zip")
    assert "pgmove_" in manifest["source"]
    with zipfile.ZipFile(tmp_path / "pg.zip") as archive:
        names = set(archive.namelist())
    assert {"data/core.json", "data/projects/acme/score_events/2025-03.json",
            "data/audit/core/2026-10.json", "data/themes/logo.txt"} <= names

    restore(tmp_path / "restored", tmp_path / "pg.zip")  # into files
    restored = Store(tmp_path / "restored")
    restored.check(remove_temp=False, full=True)
    assert set(restored.table("core", SEALED)) == {"projects/acme/score_events/2025-03"}
    assert file_digests(tmp_path / "restored") == pg_digests(pg) == file_digests(folder)
    assert sheets(Floorwalker(restored, pm)) == sheets(fw)

    backup(restored, tmp_path / "files.zip")  # and back into a database holding other data
    other = filled(pgstores, schema, folder)
    fw.ledger.record("acme", "1002", "loud", "2025-04-21", "tl")
    pgmoving.copy_to_pg(moving.read_files(Store(folder)), other, replace=True)
    assert pg_digests(other) != pg_digests(pg)
    restore_store(other, tmp_path / "files.zip")
    assert pg_digests(other) == pg_digests(pg)
    assert other.closed_months("acme") == {"2025-03"}


def test_a_damaged_backup_changes_nothing_in_the_database(company, pgstores, schema, tmp_path, run,
                                                          error_line, monkeypatch, pg_server):  # noqa: F811
    folder, _ = company
    monkeypatch.setenv("FLOORWALKER_STORE", pg_server)  # what --store sets for the command
    data = tmp_path / "data"
    pg = facade.make_store(data)  # the store the command opens (the folder's schema in the suites on PostgreSQL)
    try:
        pgmoving.copy_to_pg(moving.read_files(Store(folder)), pg, replace=True)
        result = run("--store", pg_server, "backup", str(tmp_path / "good.zip"))
        assert result.exit_code == 0, result.output
        assert f"({pg.schema})" in result.output
        before = pg_digests(pg)
        bad = rewrite_zip(tmp_path / "good.zip", tmp_path / "bad.zip",
                          "data/projects/acme/score_events/2025-03.json", b"", True)
        line = error_line(run("--store", pg_server, "restore", str(bad)))
        assert "bad.zip is damaged" in line and "nothing was restored" in line
        assert pg_digests(pg) == before

        real, calls = pgmoving.write_pg_shard, []

        def failing(store, conn, shard):
            calls.append(shard.key)
            if len(calls) == 3:
                raise OSError("the network went away")
            real(store, conn, shard)

        monkeypatch.setattr(pgmoving, "write_pg_shard", failing)
        line = error_line(run("--store", pg_server, "restore", str(tmp_path / "good.zip")))
        assert "the network went away" in line and "nothing was changed" in line
        assert len(calls) == 3 and pg_digests(pg) == before
        monkeypatch.setattr(pgmoving, "write_pg_shard", real)
        result = run("--store", pg_server, "restore", str(tmp_path / "good.zip"))
        assert result.exit_code == 0, result.output
        assert pg_digests(pg) == before == file_digests(folder)
        assert not list(tmp_path.glob("data.restoring-*"))
    finally:
        pg.close()
