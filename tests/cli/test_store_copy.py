"""``floorwalker store copy``: a company moved from its files to PostgreSQL and back, all or nothing,
verified per project and month. Needs a PostgreSQL server (`pgserver.pg_server`)."""

import orjson
import pytest

from floorwalker.core import moving, pgmoving
from floorwalker.core.errors import PeriodClosed
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.sealing import SEALED
from floorwalker.core.store import Store, loose_files

from .pgserver import (company, count_rows, file_digests, pg_digests, pgstores,  # noqa: F401
                       schema, sheets)

def copy(run, source, destination, name, *more):
    return run("store", "copy", "--from", str(source), "--to", str(destination), "--schema", name, *more)


def test_files_to_postgresql_and_back_keep_every_shard_and_the_same_sheets(
        company, run, pg_server, schema, pgstores, pm, tmp_path):  # noqa: F811
    folder, fw = company
    name, before = schema(), sheets(fw)
    result = copy(run, folder, pg_server, name)
    assert result.exit_code == 0, result.output
    assert "every count and digest matches" in result.output
    assert "acme" in result.output and "2025-03" in result.output and "DIFFERENT" not in result.output
    pg = pgstores(name)
    assert pg_digests(pg) == file_digests(folder)
    assert pg.read("projects/acme/notes").version == 3
    on_pg = Floorwalker(pg, pm)
    assert sheets(on_pg) == before
    assert pg.closed_months("acme") == {"2025-03"} and count_rows(pg_server, name)["closed"] == 1
    with pytest.raises(PeriodClosed):  # the closed month came over closed
        on_pg.ledger.record("acme", "1002", "loud", "2025-03-12", "tl")
    assert [e["id"] for e in pg.audit_entries("core")] == [e["id"] for e in fw.store.audit_entries("core")]

    back = tmp_path / "back"
    result = copy(run, pg_server, back, name)
    assert result.exit_code == 0, result.output
    assert file_digests(back) == file_digests(folder)
    returned = Store(back)
    opened = {row["file"]: row for row in returned.check(quick=True)}  # opens as closing left it
    assert opened["projects/acme/score_events/2025-03"].get("sealed")
    returned.check(remove_temp=False, full=True)
    assert loose_files(back) == []  # every file owner-only, as the store writes them
    sealed = returned.table("core", SEALED)
    assert set(sealed) == {"projects/acme/score_events/2025-03"}
    assert sorted(returned.audit_entries(), key=lambda e: e["id"]) == \
        sorted(fw.store.audit_entries(), key=lambda e: e["id"])
    assert "audit/core/2026-10" in returned.keys()  # past months' audit laid out as the store does
    assert orjson.loads((back / "projects/acme/notes.json").read_bytes())["_meta"]["version"] == 3
    assert sheets(Floorwalker(returned, pm)) == before
    assert not list(tmp_path.glob(".back.copying-*"))


def test_a_copy_into_a_schema_holding_data_is_refused_unless_replace(
        company, run, pg_server, schema, pgstores, error_line):  # noqa: F811
    folder, fw = company
    name = schema()
    assert copy(run, folder, pg_server, name).exit_code == 0
    fw.ledger.record("acme", "1002", "loud", "2025-04-20", "tl")
    line = error_line(copy(run, folder, pg_server, name))
    assert f"the database schema {name} already holds data" in line and "--replace" in line
    pg = pgstores(name)
    assert pg_digests(pg) != file_digests(folder)  # still the first copy
    result = copy(run, folder, pg_server, name, "--replace")
    assert result.exit_code == 0, result.output
    assert pg_digests(pg) == file_digests(folder)


def test_a_copy_into_a_folder_holding_data_is_refused(company, run, pg_server, schema, snapshot,
                                                      error_line, tmp_path):  # noqa: F811
    folder, _ = company
    name = schema()
    assert copy(run, folder, pg_server, name).exit_code == 0
    before = snapshot(folder)
    line = error_line(copy(run, pg_server, folder, name))
    assert f"the data folder {folder} already holds data files" in line
    assert snapshot(folder) == before
    themes = tmp_path / "themed"  # a folder with what is not data (a theme) takes the copy
    (themes / "themes" / "mine").mkdir(parents=True)
    (themes / "themes" / "mine" / "style.css").write_text("body {}")
    result = copy(run, pg_server, themes, name)
    assert result.exit_code == 0, result.output
    assert file_digests(themes) == file_digests(folder)
    assert (themes / "themes" / "mine" / "style.css").read_text() == "body {}"


def test_a_copy_into_postgresql_failing_half_way_leaves_the_schema_empty(
        company, run, pg_server, schema, pgstores, monkeypatch, error_line):  # noqa: F811
    folder, _ = company
    name = schema()
    pgstores(name)  # the schema exists, empty
    real, calls = pgmoving.write_pg_shard, []

    def failing(pg, conn, shard):
        calls.append(shard.key)
        if len(calls) == 4:
            raise OSError("the network went away")
        real(pg, conn, shard)

    monkeypatch.setattr(pgmoving, "write_pg_shard", failing)
    line = error_line(copy(run, folder, pg_server, name))
    assert "could not be written (the network went away); nothing was changed" in line
    assert len(calls) == 4
    assert count_rows(pg_server, name) == {"shards": 0, "docs": 0, "audit": 0, "closed": 0}


def test_a_copy_into_files_failing_half_way_leaves_no_folder(company, run, pg_server, schema,
                                                             monkeypatch, tmp_path, error_line):  # noqa: F811
    folder, _ = company
    name = schema()
    assert copy(run, folder, pg_server, name).exit_code == 0
    real, calls = moving.write_file, []

    def failing(path, payload):
        calls.append(path)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        real(path, payload)

    monkeypatch.setattr(moving, "write_file", failing)
    line = error_line(copy(run, pg_server, tmp_path / "out", name))
    assert "No space left on device" in line and "nothing was changed" in line and len(calls) == 5
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not list(tmp_path.glob(".out.copying-*"))


@pytest.mark.parametrize("direction", ["to postgresql", "to files"])
def test_a_copy_that_reads_back_different_fails_and_changes_nothing(
        company, run, pg_server, schema, pgstores, monkeypatch, error_line, tmp_path, direction):  # noqa: F811
    folder, _ = company
    name = schema()
    if direction == "to files":
        assert copy(run, folder, pg_server, name).exit_code == 0
    march = "projects/acme/score_events/2025-03"

    def short(shard):  # a write that lost March's first document
        if shard.key != march:
            return shard
        return moving.Copied(shard.key, shard.generation, shard.version,
                             {n: dict(list(t.items())[1:]) for n, t in shard.tables.items()}, shard.audit)

    if direction == "to postgresql":
        real_pg = pgmoving.write_pg_shard
        monkeypatch.setattr(pgmoving, "write_pg_shard", lambda pg, conn, shard: real_pg(pg, conn, short(shard)))
    else:
        real_files = moving.shard_files
        monkeypatch.setattr(moving, "shard_files", lambda shard, current: real_files(short(shard), current))
    if direction == "to postgresql":
        result = copy(run, folder, pg_server, name)
        line = error_line(result)
        assert count_rows(pg_server, name)["shards"] == 0
    else:
        result = copy(run, pg_server, tmp_path / "out", name)
        line = error_line(result)
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert "the copy does not match its source in project acme 2025-03; nothing was copied" in line
    assert "DIFFERENT" in result.output


def test_copy_needs_one_folder_and_one_database(run, tmp_path, error_line, pg_server, schema):  # noqa: F811
    line = error_line(run("store", "copy", "--from", str(tmp_path / "a"), "--to", str(tmp_path / "b")))
    assert "one of --from and --to is postgresql://" in line
    line = error_line(run("store", "copy", "--from", str(tmp_path / "a"), "--to", pg_server))
    assert "holds no data files" in line
    name = schema()
    line = error_line(run("store", "copy", "--from", pg_server, "--to", str(tmp_path / "a"), "--schema", name))
    assert f"the database schema {name} holds no data; nothing was copied" in line
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_the_table_and_its_json_count_each_project_and_month(company, run, pg_server, schema):  # noqa: F811
    folder, _ = company
    result = copy(run, folder, pg_server, schema(), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {(r["project"], r["month"]): r for r in orjson.loads(result.output)}
    assert rows[("acme", "2025-03")]["documents"] == 2 and rows[("acme", "2025-03")]["shards"] == 1
    assert rows[("beta", "2025-04")]["documents"] == 1
    assert rows[("", "")]["shards"] >= 1 and all(r["ok"] for r in rows.values())
