"""Build a company's year of data through the public API, then time what people wait for.

    .venv/bin/python bench/run.py [--size full|small] [--keep DIR] [--json FILE] [--profile]
                                  [--store postgresql://…]

Prints a table of medians beside their targets (see bench/README.md for the figures of record).
`--keep DIR` builds into DIR (new or empty) and leaves it there; `--json` writes the figures for
programs (the smoke test); `--profile` prints where the time goes for every missed target.
`--store URL` builds the company into a database of its own on that PostgreSQL server instead of
the folder's files (`backends.py`; dropped after unless `--keep`); `compare.py` runs both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import orjson

from floorwalker.core.floorwalker import make_store, open_floorwalker
from floorwalker.core.importing import import_score_events
from floorwalker.core.store import Store
from floorwalker.plugins.attendance import punches
from floorwalker.plugins.attendance import sheet as attendance

import backends
import dataset
from figures import Figure, from_samples, profile_top, table, timed
from sqlite_ref import Reference

HERE = Path(__file__).resolve().parent
TARGETS = {"write": 3.0, "import": 1000.0, "agent_month": 1.0, "sheet": 10.0,
           "agent_days": 5.0, "attendance_month": 100.0, "cold_start": 2000.0, "memory": 200.0,
           "write_vs_sqlite": 2.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(dataset.SIZES), default="full")
    parser.add_argument("--keep", metavar="DIR", help="build the data here and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="profile every missed target")
    parser.add_argument("--store", metavar="URL", help="a PostgreSQL server (postgresql://…) to "
                        "build the company in, in a database of the bench's own")
    args = parser.parse_args(argv)
    if args.store and not args.store.startswith(("postgresql://", "postgres://")):
        parser.error("--store takes a postgresql:// URL")
    if args.keep:
        folder = Path(args.keep).resolve()
        if folder.exists() and any(folder.iterdir()):
            parser.error(f"{folder} is not empty")
        folder.mkdir(parents=True, exist_ok=True)
        with backends.bench_store(args.store, folder, keep=True) as url:
            return bench(folder, args, url)
    with tempfile.TemporaryDirectory(prefix="floorwalker-bench-") as tmp:
        folder = Path(tmp) / "data"
        with backends.bench_store(args.store, folder, keep=False) as url:
            return bench(folder, args, url)


def bench(folder: Path, args, url: str | None = None) -> int:
    size = dataset.SIZES[args.size]
    backends.describe(url)  # refuses a server whose commits are not durable, before building
    print(f"building the {args.size} dataset in {url or folder}")
    started = time.perf_counter()
    company = dataset.build(str(folder), size)
    build_s = time.perf_counter() - started
    fw = open_floorwalker(folder)
    store = backends.describe(url)
    if url:
        files, data_mb = len(fw.store.keys()), store["database_mb"]
        print(f"built in {build_s:.1f} s: {files} shards, database {data_mb:.1f} MB\n"
              f"store: {backends.label(store)}\n")
    else:
        found = list(folder.rglob("*.json"))
        files, data_mb = len(found), sum(f.stat().st_size for f in found) / 1e6
        print(f"built in {build_s:.1f} s: {files} files, {data_mb:.1f} MB\n")

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="floorwalker-bench-csv-") as scratch:
        figures, profiles = measure(fw, company, folder, Path(scratch), url)
        load = f"load average {load_before:.1f} before the timings, {os.getloadavg()[0]:.1f} after"
        print(table(figures))
        summary = {"size": args.size, "build_seconds": build_s, "files": files,
                   "data_mb": data_mb, "machine": f"{machine(folder)}; {load}",
                   "store": store, "load_before": load_before, "load_after": os.getloadavg()[0],
                   "command": " ".join([Path(sys.executable).name, *sys.argv]),
                   "figures": [f.as_dict() for f in figures]}
        print(f"\nmachine: {summary['machine']}\nstore: {backends.label(store)}")
        if args.profile:
            for f in figures:
                if f.met is False and f.name in profiles:
                    print(f"\n--- where the time goes: {f.name}\n{profiles[f.name]()}")
    fw.store.close()
    if args.json:
        Path(args.json).write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    return 0


def measure(fw, company: dataset.Company, folder: Path, scratch: Path, url: str | None = None
            ) -> tuple[list[Figure], dict]:
    """Every figure, and for each missed one a way to profile one more run of it."""
    pairs = (write_figures(fw, company, folder, url) + sqlite_figures(fw, company, scratch)
             + read_figures(fw, company) + process_figures(company, folder)
             + [import_figure(fw, company, scratch)])
    return [f for f, _ in pairs], {f.name: profile for f, profile in pairs if profile}


def write_figures(fw, company: dataset.Company, folder: Path, url: str | None = None
                  ) -> list[tuple[Figure, Callable]]:
    """One durable write through the ledger, one through a raw transaction, and the disk's floor
    (on PostgreSQL: the server's, one logged row committed)."""
    runs = company.size.write_runs
    project, month = company.hand_recorded
    agents = company.agents[project]

    def record(i=0):
        fw.ledger.record(project, agents[i % len(agents)], "loud", month + "-05", dataset.ACTOR,
                         reason="bench")

    attendance = Store.period_key(project, "attendance", company.months[-1])
    attendance_size = _size_of(fw.store, attendance, url)
    first_day = dt.datetime.fromisoformat(dataset.working_days(company.months[-1])[0] + "T12:00")

    def insert(i=0):
        punches.add_manual(fw, project, agents[i % len(agents)], first_day + dt.timedelta(seconds=i),
                           "the clock was down", dataset.ACTOR)

    events = Store.period_key(project, "score_events", month)
    ledger = timed("single write: fw.ledger.record", record, runs, TARGETS["write"],
                   note=f"one score event into the month recorded event by event (a "
                        f"{_size_of(fw.store, events, url)}; each event is also in its audit entry)")
    raw = timed("single write: a manual punch", insert, runs, TARGETS["write"],
                note=f"punches.add_manual into an attendance month (a {attendance_size})")
    pairs = [(ledger, lambda: profile_top(lambda: [record(i) for i in range(20)])),
             (raw, lambda: profile_top(lambda: [insert(i) for i in range(20)]))]
    if url:
        floor = from_samples("commit floor: one row INSERT + COMMIT", backends.commit_floor(url, runs),
                             "ms", note=f"a 600-byte row into a logged table and COMMIT (WAL "
                                        f"flushed) over {backends.connection_of(url)}: the least a "
                                        "durable write costs on this server")
        trip = from_samples("query round trip: SELECT 1", backends.round_trip(url, runs * 10), "ms",
                            note="what every query pays before its work (PgStore.read asks one "
                                 "per shard read)")
        return pairs + [(floor, None), (trip, None)]
    floors = []
    for key, write in ((events, "fw.ledger.record"), (attendance, "punches.add_manual")):
        payload = fw.store.path(key).read_bytes()
        floors.append(timed(f"disk floor under {write}",
                            lambda i: write_durably(folder / f".bench-disk-floor.{i}.tmp", payload),
                            runs, note=f"write + fsync + fsync dir of the file's "
                                       f"{len(payload) / 1024:.0f} KB with plain os calls and no "
                                       "store: what no code change can beat"))
    return pairs + [(f, None) for f in floors]


def _size_of(store, key: str, url: str | None) -> str:
    """How big shard *key* is, as its backend counts: a file's KB, or a shard's documents."""
    if url:
        return f"{sum(len(t) for t in store.read(key).tables.values()):,}-document shard"
    return f"{store.read(key).size / 1024:.0f} KB file"


def sqlite_figures(fw, company: dataset.Company, scratch: Path) -> list[tuple[Figure, None]]:
    """The durable single write beside SQLite's (`sqlite_ref`), in pairs in this process, the
    order flipped every round; the ratio of the medians is held to 2x (issue 17)."""
    runs = company.size.write_runs * 2 + 1
    project, month = company.hand_recorded
    project_doc = fw.projects.get(project)
    agents = company.agents[project]
    reference = Reference(scratch / "reference.db")
    loaded = reference.load(fw)
    ours, theirs = [], []

    def product(i):
        start = time.perf_counter()
        fw.ledger.record(project, agents[i % len(agents)], "loud", month + "-06", dataset.ACTOR,
                         reason="bench")
        ours.append((time.perf_counter() - start) * 1000)

    def sqlite(i):
        start = time.perf_counter()
        event = fw.ledger.prepare(project_doc, agents[i % len(agents)], "loud", month + "-06",
                                  dataset.ACTOR, reason="bench")
        reference.insert_event(project, event, dataset.ACTOR)
        theirs.append((time.perf_counter() - start) * 1000)

    for i in range(runs):
        for side in ((product, sqlite) if i % 2 else (sqlite, product)):
            side(i)
    reference.close()
    ratios = sorted(a / b for a, b in zip(ours, theirs))
    same = from_samples("SQLite reference: one durable score-event insert", theirs, "ms",
                        note=f"WAL, synchronous=FULL, {loaded:,} events indexed; prepare() + INSERT "
                             "+ audit row + COMMIT, paired with fw.ledger.record, order flipped "
                             "each round")
    ratio = Figure("single write vs SQLite (fw.ledger.record / SQLite)",
                   statistics.median(ours) / statistics.median(theirs), "x",
                   TARGETS["write_vs_sqlite"], runs, ratios[0], ratios[-1],
                   note=f"ratio of the medians of {runs} pairs ({statistics.median(ours):.2f} ms "
                        f"vs {statistics.median(theirs):.2f} ms); median of the per-pair ratios "
                        f"{statistics.median(ratios):.2f}x")
    return [(same, None), (ratio, None)]


def read_figures(fw, company: dataset.Company) -> list[tuple[Figure, Callable]]:
    """One agent's month, one project's score sheet and its attendance month, in a warm process."""
    project, month = company.projects[-1], company.months[-1]
    project_doc = fw.projects.get(project)
    agents = company.agents[project]

    def agent_month(i=0):
        return fw.ledger.agent_events(project, month, agents[i % len(agents)])

    def agent_days(i=0):
        return attendance.month_rows(fw, project_doc, month, agents={agents[i % len(agents)]})

    def sheet(i=0):
        return fw.ledger.sheet(project, month)

    def attendance_month(i=0):
        return attendance.month_rows(fw, project_doc, month)

    agent_month()  # warm: the shards parsed, the indexes built
    rows = sheet()
    days = attendance_month()
    return [
        (timed("agent month score events, warm", agent_month, company.size.read_runs,
               TARGETS["agent_month"]),
         lambda: profile_top(lambda: [agent_month(i) for i in range(100)])),
        (timed("agent attendance month, warm", agent_days, company.size.read_runs,
               TARGETS["agent_days"], note="one agent's rostered days derived from the punches"),
         lambda: profile_top(lambda: [agent_days(i) for i in range(100)])),
        (timed("project month score sheet, warm", sheet, company.size.write_runs, TARGETS["sheet"],
               note=f"{len(rows)} agents, {len(fw.ledger.events(project, month))} events"),
         lambda: profile_top(sheet)),
        (timed("project attendance month, warm", attendance_month, company.size.write_runs,
               TARGETS["attendance_month"],
               note=f"{len(days)} agent-days derived from the roster, punches and leave"),
         lambda: profile_top(attendance_month)),
    ]


def process_figures(company: dataset.Company, folder: Path) -> list[tuple[Figure, Callable]]:
    """`Store.check()`, a new process's start and first query, and peak memory."""
    runs = company.size.slow_runs
    project, month = company.projects[-1], company.months[-1]
    check = timed("Store.check() of every file (in process)", lambda i: _check(folder), runs,
                  note="a new store reading every file (every shard, on PostgreSQL) whole; warm "
                       "page cache")
    cold = [_child("cold", str(folder), project, month) for _ in range(runs)]
    start = from_samples("cold start: new process, open + sheet", [c["wall_ms"] for c in cold],
                         "ms", TARGETS["cold_start"],
                         note=f"timed from outside; median inside: import {_median(cold, 'import_ms'):.0f} "
                              f"ms, open_floorwalker {_median(cold, 'open_ms'):.0f} ms, sheet "
                              f"{_median(cold, 'query_ms'):.1f} ms")
    start_memory = from_samples("peak memory: cold-start process", [c["peak_mb"] for c in cold],
                                "MB", TARGETS["memory"])
    everything = _child("everything", str(folder))
    all_memory = Figure("peak memory: process reading everything", everything["peak_mb"], "MB",
                        TARGETS["memory"],
                        note=f"every sheet and record index of {len(company.projects)} projects x "
                             f"{len(company.months)} months, read in {everything['read_ms']:.0f} ms")
    return [(check, None),
            (start, lambda: _child("cold", str(folder), project, month, "--profile")),
            (start_memory, None),
            (all_memory, lambda: _child("everything", str(folder), "--profile"))]


def import_figure(fw, company: dataset.Company, scratch: Path) -> tuple[Figure, Callable | None]:
    """Import the CSV into an open month of a different project each run (same starting size);
    the profile imports into one more project, when there is one."""
    rng = random.Random(11)
    month = company.open_months[-1]
    runs = min(company.size.slow_runs, len(company.projects))
    paths = []
    for project in company.projects[:runs + 1]:
        path = scratch / f"scores-{project}.csv"
        dataset.write_score_csv(path, dataset.score_rows(company, project, month,
                                                         company.size.import_rows, rng,
                                                         judgements=False))
        paths.append((project, path))
    before = [len(fw.ledger.events(p, month)) for p, _ in paths]

    def run(i):
        import_score_events(fw, paths[i][0], paths[i][1], dataset.ACTOR)

    figure = timed(f"import {company.size.import_rows:,} CSV rows", run, runs, TARGETS["import"],
                   note="floorwalker.core.importing.import_score_events (parse, check every row, "
                        f"one commit) into {month}, one project per run")
    added = [len(fw.ledger.events(p, month)) - n for (p, _), n in zip(paths, before)]
    if added[:runs] != [company.size.import_rows] * runs:
        raise SystemExit(f"the import wrote {added} events, expected {company.size.import_rows} each")
    return figure, (lambda: profile_top(lambda: run(runs))) if len(paths) > runs else None


def _check(folder: Path) -> None:
    """A fresh store of the folder (or of $FLOORWALKER_STORE) checking all it holds."""
    store = make_store(folder)
    try:
        store.check()
    finally:
        store.close()


def write_durably(path: Path, payload: bytes) -> None:
    """The least a durable write of *payload* costs: write, fsync it, fsync its folder."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    path.unlink()


def _child(*args: str) -> dict | str:
    """Run bench/child.py in a new interpreter; its JSON plus the wall time seen from here."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / "child.py"), *args], capture_output=True,
                          text=True, cwd=HERE)
    wall_ms = (time.perf_counter() - start) * 1000
    if done.returncode:
        raise SystemExit(f"child.py {' '.join(args)} failed:\n{done.stderr}")
    if "--profile" in args:
        return done.stderr
    return {**orjson.loads(done.stdout), "wall_ms": wall_ms}


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def machine(folder: Path) -> str:
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    disk = shutil.disk_usage(folder)
    return (f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
            f"{mem_gb:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}, disk {disk.total / 1e9:.0f} GB ({_fs_type(folder)}), "
            f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")


def _fs_type(folder: Path) -> str:
    """The file system the data folder is on, from /proc/mounts (Linux), else unknown."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    best = max((m for m in mounts if str(folder).startswith(m[1])), key=lambda m: len(m[1]),
               default=None)
    return f"{best[2]} on {best[0]}" if best else "unknown"


if __name__ == "__main__":
    sys.exit(main())
