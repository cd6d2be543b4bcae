"""The benchmark on both backends, side by side: the data folder's files and PostgreSQL.

    .venv/bin/python bench/compare.py --store postgresql://… [--size full|small] [--load]
                                      [--seconds S] [--json FILE]
    .venv/bin/python bench/compare.py --from RUN_FILES.json RUN_PG.json
                                      [--load-from LOAD_FILES.json LOAD_PG.json]

Runs `run.py` on the files, then `run.py --store URL` (a database of the bench's own on that
server, dropped after), each in its own process one after the other, and — with `--load` — the
same for `load.py`; then prints one table: each figure, its value on the files, on PostgreSQL,
the SQLite reference where there is one (the durable single write, measured in pairs in the
PostgreSQL run) and the ratio PostgreSQL / files. `--from` (and `--load-from`) print the table
of runs made before, from their `--json` files. The host's load average during each run is
printed under the table: compare runs made in the same minutes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
from figures import _fmt  # the same number formats as run.py's table

HERE = Path(__file__).resolve().parent
SQLITE = "SQLite reference: one durable score-event insert"
WITH_SQLITE = ("single write: fw.ledger.record", "single write: a manual punch")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", metavar="URL", help="the PostgreSQL server (postgresql://…)")
    parser.add_argument("--size", choices=("full", "small"), default="full")
    parser.add_argument("--load", action="store_true", help="also the load run on both")
    parser.add_argument("--seconds", type=float, help="load.py's seconds per cell")
    parser.add_argument("--from", dest="runs", nargs=2, metavar=("FILES", "PG"),
                        help="the --json files of two run.py runs made before")
    parser.add_argument("--load-from", nargs=2, metavar=("FILES", "PG"),
                        help="the --json files of two load.py runs made before")
    parser.add_argument("--json", metavar="FILE", help="also write both runs' figures as JSON")
    args = parser.parse_args(argv)
    if not args.runs and not args.store:
        parser.error("give --store URL (to run both) or --from FILES.json PG.json")
    with tempfile.TemporaryDirectory(prefix="floorwalker-compare-") as tmp:
        if args.runs:
            runs = [orjson.loads(Path(p).read_bytes()) for p in args.runs]
        else:
            runs = [_run("run.py", Path(tmp) / f"run-{n}.json", args.size, store)
                    for n, store in enumerate((None, args.store))]
        loads = None
        if args.load_from:
            loads = [orjson.loads(Path(p).read_bytes()) for p in args.load_from]
        elif args.load and args.store:
            extra = ["--seconds", str(args.seconds)] if args.seconds else []
            loads = [_run("load.py", Path(tmp) / f"load-{n}.json", args.size, store, extra)
                     for n, store in enumerate((None, args.store))]
    print(render(runs, loads))
    if args.json:
        Path(args.json).write_bytes(orjson.dumps({"runs": runs, "loads": loads},
                                                 option=orjson.OPT_INDENT_2))
    return 0


def _run(script: str, out: Path, size: str, store: str | None, extra: list[str] = ()) -> dict:
    """One run of *script* in its own process (its table streamed to stderr); its JSON."""
    cmd = [sys.executable, str(HERE / script), "--size", size, "--json", str(out), *extra]
    if store:
        cmd += ["--store", store]
    print(f"running {script} on {'PostgreSQL' if store else 'the files'} …", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, cwd=HERE, stdout=sys.stderr)
    if done.returncode:
        raise SystemExit(f"{script} on {store or 'the files'} failed ({done.returncode})")
    return orjson.loads(out.read_bytes())


def rows(runs: list[dict], loads: list[dict] | None = None) -> list[tuple[str, str, str, str, str]]:
    """(figure, files, PostgreSQL, SQLite, ratio) of every figure either run has, in run order."""
    files, pg = ({f["name"]: f for f in run["figures"]} for run in runs)
    sqlite = pg.get(SQLITE)
    found = []
    names = list(files)
    floors = [i for i, n in enumerate(names) if n.startswith("disk floor")]
    at = floors[-1] + 1 if floors else len(names)  # the server's floor beside the disk's
    names[at:at] = [n for n in pg if n not in files]
    for name in names:
        a, b = files.get(name), pg.get(name)
        if name == SQLITE:
            continue  # in the SQLite column of the writes it is paired with
        ref = _fmt(sqlite["value"], "ms") if sqlite and name in WITH_SQLITE else ""
        found.append((_name(name), _value(a), _value(b), ref, _ratio(a, b)))
    a, b = runs
    found.append(("the company's data", f"{a['files']:,} files, {a['data_mb']:.0f} MB",
                  f"{b['files']:,} shards, {b['data_mb']:.0f} MB", "", ""))
    if loads:
        found += load_rows(loads)
    return found


def load_rows(loads: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """The load run's cells, p50 / p95 ms, server-side; the ratio of the p95s."""
    files, pg = ({(c["page"], c["clients"]): c for c in load["cells"]} for load in loads)
    found = []
    for key, a in files.items():
        b = pg.get(key)
        label = f"load: {key[0]}, {key[1]} client{'s' if key[1] > 1 else ''} (p50 / p95)"
        ratio = f"{b['p95'] / a['p95']:.2f}x" if b and a["p95"] else ""
        found.append((label, _cell(a), _cell(b), "", ratio))
    for side in ("alone", "with_readers"):
        a, b = (load["write"][side] for load in loads)
        found.append((f"load: form write {side.replace('_', ' ')} (p50 / p95)", _cell(a), _cell(b), "",
                      f"{b['p50'] / a['p50']:.2f}x" if a["p50"] else ""))
    a, b = (load["write"]["ratio_p50"] for load in loads)
    found.append(("load: form write, with 20 readers / alone", f"{a:.2f}x", f"{b:.2f}x", "", ""))
    return found


def render(runs: list[dict], loads: list[dict] | None = None) -> str:
    head = ("figure", "files", "PostgreSQL", "SQLite", "PostgreSQL / files")
    table = [head, *rows(runs, loads)]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in table]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    for run, side in zip(runs, ("files", "PostgreSQL")):
        lines.append(f"{side}: {run['machine']}")
        store = run.get("store") or {}
        if store.get("backend") == "postgresql":
            s = store["settings"]
            lines.append(f"  PostgreSQL {store['server']} over {store['connection']}, synchronous_commit "
                         f"{s['synchronous_commit']}, fsync {s['fsync']}")
    for load, side in zip(loads or (), ("files", "PostgreSQL")):
        lines.append(f"load run on {side}: {load['machine']}")
    return "\n".join(lines)


def _name(name: str) -> str:
    return name.split(" (")[0] if name.startswith("single write vs SQLite") else name


def _value(figure: dict | None) -> str:
    return "" if figure is None else _fmt(figure["value"], figure["unit"])


def _ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or not a["value"] or a["unit"] == "x":
        return ""
    return f"{b['value'] / a['value']:.2f}x"


def _cell(cell: dict | None) -> str:
    return "" if cell is None else f"{cell['p50']:.1f} / {cell['p95']:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
