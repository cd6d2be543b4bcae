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
