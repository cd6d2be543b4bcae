"""Figures: a timed operation's median beside its target, printed as one table.

Each operation is timed run by run with `time.perf_counter` and summarised by its median, so
one slow run (a page-cache miss, another process's fsync) does not decide the figure; the
fastest and slowest runs are kept beside it to show the spread.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable


@dataclass
class Figure:
    """One line of the table: a median (or single value), its spread, and the target it is held to."""

    name: str
    value: float
    unit: str  # "ms", "MB" or "x" (a ratio)
    target: float | None = None
    runs: int = 1
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value < self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


def timed(name: str, fn: Callable[[int], object], runs: int, target: float | None = None,
          note: str = "") -> Figure:
    """Call ``fn(i)`` for i in range(runs), timing each call; the figure is the median in ms."""
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return Figure(name, statistics.median(times), "ms", target, runs, min(times), max(times), note)


def from_samples(name: str, samples: list[float], unit: str, target: float | None = None,
                 note: str = "") -> Figure:
    return Figure(name, statistics.median(samples), unit, target, len(samples), min(samples),
                  max(samples), note)


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    On Linux it is ``VmHWM`` of /proc/self/status, not ``getrusage().ru_maxrss``: a process
    started by subprocess (vfork + exec) inherits its parent's ru_maxrss, so a small child of
    the big benchmark process would report the parent's peak (measured here: 411 MB for a
    child whose own peak was 11 MB). Elsewhere ru_maxrss (KiB on Linux, bytes on macOS).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        status = ""
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    if found:
        return int(found.group(1)) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def profile_top(fn: Callable[[], object], limit: int = 15, warm: bool = True) -> str:
    """The functions a call of *fn* spends its own time in, most first (cProfile, tottime).

    With *warm*, *fn* runs once unprofiled first, so what is profiled is what `timed` measured
    after its first run: files parsed, indexes built."""
    if warm:
        fn()
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(limit)
    text = out.getvalue()
    return text[text.find("   ncalls"):].rstrip()


def table(figures: list[Figure]) -> str:
    """The figures as an aligned text table, one line each."""
    head = ("operation", "median", "min", "max", "runs", "target", "")
    rows = [head]
    for f in figures:
        verdict = "" if f.met is None else ("ok" if f.met else "MISSED")
        rows.append((f.name, _fmt(f.value, f.unit), _fmt(f.low, f.unit), _fmt(f.high, f.unit),
                     str(f.runs), "" if f.target is None else "< " + _fmt(f.target, f.unit), verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    notes = [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "ms" and value < 1:
        return f"{value:.3f} ms"
    if unit == "ms" and value < 100:
        return f"{value:.2f} ms"
    return f"{value:,.0f} {unit}"
