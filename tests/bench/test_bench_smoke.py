"""The benchmark still runs: at its small size it builds its company and prints every figure.

Timings are not asserted (they belong to the machine); what is asserted is that the script
produces each figure the README records, with its target beside it, and that the data it
builds has the shape it claims (every project, month and table in its own file).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .. import pgcluster

RUN = Path(__file__).resolve().parents[2] / "bench" / "run.py"

FIGURES = {
    # name prefix: has a target
    "single write: fw.ledger.record": True,
    "single write: a manual punch": True,
    "disk floor under fw.ledger.record": False,
    "disk floor under punches.add_manual": False,
    "SQLite reference: one durable score-event insert": False,
    "single write vs SQLite": True,
    "agent month score events": True,
    "agent attendance month": True,
    "project month score sheet": True,
    "project attendance month": True,
    "Store.check()": False,
    "cold start": True,
    "peak memory: cold-start process": True,
    "peak memory: process reading everything": True,
    "import ": True,
}


def test_small_run_prints_every_figure_beside_its_target(tmp_path):
    data, out = tmp_path / "data", tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(RUN), "--size", "small", "--keep", str(data),
                           "--json", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    summary = json.loads(out.read_text())
    figures = summary["figures"]
    for prefix, has_target in FIGURES.items():
        found = [f for f in figures if f["name"].startswith(prefix)]
        assert len(found) == 1, f"figure {prefix!r} missing or doubled"
        figure = found[0]
        assert figure["value"] > 0
        assert (figure["target"] is not None) == has_target
        assert figure["name"] in done.stdout  # printed in the table too
    assert len(figures) == len(FIGURES)
    assert "import_score_events" in next(f["note"] for f in figures if f["name"].startswith("import "))
    assert summary["machine"] and summary["command"]

    projects = sorted(p.name for p in (data / "projects").iterdir())
    assert projects == ["client-01", "client-02", "client-03"]
    for table in ("attendance", "traffic", "score_events"):
        months = sorted(p.stem for p in (data / "projects" / "client-01" / table).glob("*.json"))
        assert len(months) == 3, table


LOAD = RUN.with_name("load.py")


def test_the_load_run_measures_every_main_page_at_1_5_and_20_clients(tmp_path):
    """`bench/load.py --size small`: the real server (two workers) answers every page at each
    number of clients with its Server-Timing, and the write-under-readers figure is produced."""
    out = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(LOAD), "--size", "small", "--seconds", "0.2",
                           "--json", str(out)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr

    summary = json.loads(out.read_text())
    cells = summary["cells"]
    pages = {c["page"] for c in cells}
    assert {"home (every project)", "project dashboard", "score sheet", "attendance report",
            "incentives sheet", "QA report", "complaints queue", "meetings calendar",
            "reporting KPIs"} <= pages
    assert sorted(c["clients"] for c in cells) == sorted([1, 5, 20] * len(pages))
    for cell in cells:
        assert cell["requests"] > 0 and not cell["errors"], cell
        assert 0 < cell["p50"] <= cell["p95"] and cell["rps"] > 0
        assert cell["budget"] == {1: 50.0, 5: None, 20: 200.0}[cell["clients"]]
        assert cell["page"] in done.stdout  # in the printed table
    write = summary["write"]
    assert write["alone"]["requests"] > 0 and write["with_readers"]["requests"] > 0
    assert not write["alone"]["errors"] and write["ratio_p50"] > 0 and write["target"] == 2.0
    assert "form write" in done.stdout and summary["machine"]


# ---------------------------------------------------------------- the same on PostgreSQL

# on PostgreSQL the disk's floor is the server's: one logged row committed, and a query's round trip
PG_FIGURES = {**{k: v for k, v in FIGURES.items() if not k.startswith("disk floor")},
              "commit floor: one row INSERT + COMMIT": False, "query round trip: SELECT 1": False}


@pytest.fixture(scope="module")
def pg_server(pg_url):
    """A PostgreSQL server the bench may make its database in: the session's (``--store
    postgresql``), else a throw-away cluster of this module; skipped when none can be started."""
    if pg_url:
        yield pg_url
        return
    try:
        pgcluster.server_bin("initdb")
        import psycopg  # noqa: F401
    except (RuntimeError, ImportError) as exc:
        pytest.skip(f"no PostgreSQL to run the bench on: {exc}")
    cluster = pgcluster.Cluster(max_connections=100)
    try:
        cluster.start()
    except RuntimeError as exc:
        cluster.stop()
        pytest.skip(f"no PostgreSQL cluster could be started: {exc}")
    try:
        yield cluster.url
    finally:
        cluster.stop()


def _databases(url: str) -> set[str]:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


def test_small_run_on_postgresql_prints_every_figure_and_drops_its_database(tmp_path, pg_server):
    """`run.py --store URL`: the company is built in a database of the bench's own on that
    server, every figure is produced (the server's commit floor in place of the disk's), the
    commits measured are durable (synchronous_commit and fsync on), and the database is gone after."""
    before = _databases(pg_server)
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(RUN), "--size", "small", "--store", pg_server,
                           "--json", str(out)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    summary = json.loads(out.read_text())
    names = [f["name"] for f in summary["figures"]]
    for prefix, has_target in PG_FIGURES.items():
        found = [f for f in summary["figures"] if f["name"].startswith(prefix)]
        assert len(found) == 1, f"figure {prefix!r} missing or doubled in {names}"
        assert found[0]["value"] > 0 and (found[0]["target"] is not None) == has_target
        assert found[0]["name"] in done.stdout
    assert len(names) == len(PG_FIGURES)
    store = summary["store"]
    assert store["backend"] == "postgresql"
    assert store["settings"]["synchronous_commit"] == "on" and store["settings"]["fsync"] == "on"
    assert store["connection"].startswith("unix socket")  # the harness's URL names its socket folder
    assert summary["files"] == 37  # 3 projects: core, each project's files, 3 months of 3 tables
    assert "synchronous_commit on" in done.stdout
    assert _databases(pg_server) == before  # the bench's database dropped


def test_compare_prints_both_backends_side_by_side(tmp_path, pg_server):
    """`compare.py` runs the small bench on the files and on PostgreSQL and prints one table:
    each figure with its value on both, the SQLite reference beside the writes and the ratio."""
    out = tmp_path / "both.json"
    done = subprocess.run([sys.executable, str(RUN.with_name("compare.py")), "--size", "small",
                           "--store", pg_server, "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    header, rule, *lines = done.stdout.splitlines()
    assert header.split() == ["figure", "files", "PostgreSQL", "SQLite", "PostgreSQL", "/", "files"]
    record = next(line for line in lines if line.startswith("single write: fw.ledger.record"))
    assert record.count(" ms") == 3 and record.rstrip().endswith("x")  # files, PostgreSQL, SQLite; ratio
    assert any(line.startswith("cold start") for line in lines)
    assert any(line.startswith("commit floor") for line in lines)
    runs = json.loads(out.read_text())["runs"]
    assert [r["store"]["backend"] for r in runs] == ["files", "postgresql"]


def test_the_load_run_serves_from_postgresql(tmp_path, pg_server):
    """`load.py --store URL`: the server (two workers) reads the company from the bench's database
    and the form write under readers is produced; one page keeps it short."""
    out = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(LOAD), "--size", "small", "--seconds", "0.2",
                           "--only", "score sheet", "--store", pg_server, "--json", str(out)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    summary = json.loads(out.read_text())
    assert {c["page"] for c in summary["cells"]} == {"score sheet"}
    for cell in summary["cells"]:
        assert cell["requests"] > 0 and not cell["errors"], cell
    write = summary["write"]
    assert write["alone"]["requests"] > 0 and not write["alone"]["errors"]
    assert write["with_readers"]["requests"] > 0
    assert summary["store"]["backend"] == "postgresql"
    assert summary["store"]["settings"]["synchronous_commit"] == "on"
