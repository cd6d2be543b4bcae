"""The new process the benchmark starts: a cold start, or a read of the whole folder.

    python bench/child.py cold FOLDER PROJECT MONTH [--profile]
    python bench/child.py everything FOLDER

Prints one JSON object on stdout: its own timings (import, open with `Store.check`, the query),
and its own peak memory (`figures.peak_rss_mb`). The caller times the whole process from outside
as well. With --profile it prints where the time goes instead.
"""

from __future__ import annotations

import sys
import time

START = time.perf_counter()

from floorwalker.core.floorwalker import open_floorwalker  # noqa: E402  (timed above)
from floorwalker.core.store import Store  # noqa: E402

import orjson  # noqa: E402

from dataset import RECORDS, TRAFFIC  # noqa: E402
from figures import peak_rss_mb, profile_top  # noqa: E402


def cold(folder: str, project: str, month: str) -> dict:
    """Open the folder (every file validated) and answer one query: a month's score sheet."""
    imported = time.perf_counter()
    fw = open_floorwalker(folder)
    opened = time.perf_counter()
    rows = fw.ledger.sheet(project, month)
    done = time.perf_counter()
    return {"import_ms": (imported - START) * 1000, "open_ms": (opened - imported) * 1000,
            "query_ms": (done - opened) * 1000, "rows": len(rows),
            "files": len(fw.store.keys()), "peak_mb": peak_rss_mb()}


def everything(folder: str) -> dict:
    """Open the folder, then every project's every month: its score sheet, its attendance sheet
    (every agent-day derived from the roster and the punches) and its traffic index."""
    from floorwalker.plugins.attendance import sheet as attendance
    fw = open_floorwalker(folder)
    opened = time.perf_counter()
    sheets = records = 0
    for project in fw.projects.all():
        slug = project["slug"]
        months = sorted({key.rsplit("/", 1)[1] for key in fw.store.keys(f"projects/{slug}")
                         if key.count("/") == 3})
        for month in months:
            sheets += len(fw.ledger.sheet(slug, month))
            records += len(attendance.month_rows(fw, project, month))
            index = fw.store.read(Store.period_key(slug, TRAFFIC, month)).index(RECORDS, "agent")
            records += sum(map(len, index.values()))
    done = time.perf_counter()
    return {"total_ms": (done - START) * 1000, "read_ms": (done - opened) * 1000,
            "sheet_rows": sheets, "records": records, "peak_mb": peak_rss_mb()}


def main(argv: list[str]) -> None:
    mode, *args = [a for a in argv if a != "--profile"]
    run = {"cold": cold, "everything": everything}[mode]
    if "--profile" in argv:
        print(profile_top(lambda: run(*args), limit=20, warm=False), file=sys.stderr)
        return
    sys.stdout.write(orjson.dumps(run(*args)).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
