"""Auto-QA of chat transcripts: each rule's precision, recall and hit rate on the labelled sample,
and the time to check 10,000 chats.

    .venv/bin/python bench/autoqa.py [--chats N] [--runs N] [--json FILE]

The sample is `tests/plugins/qa/autoqa_sample/`: one chat a file, its labels written above it by
reading it as a QA evaluator would (``# harsh: yes``, ``# forbidden: 保本, 稳赚``,
``# long_waits: 23:58:20``), and `projects.json` with each kind of project's forbidden phrases.
A hit is a rule broken: a must not kept, a don't said, a forbidden phrase (each one), a risk
word from the customer (the chat), a long wait (each one). Precision is the share of the rule's
hits that the labels hold, recall the share of the labelled hits the rule finds, hit rate the
share of chats it hits. The timing checks the sample's chats over and over, each with its
project's forbidden phrases and the default settings, and reports the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from floorwalker.plugins.qa import autoqa

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "plugins" / "qa" / "autoqa_sample"
MUSTS = {"opening_qing", "uses_nin", "closing_zaijian"}  # labelled "yes" when kept
DONTS = {"harsh", "blame", "blaming_customer", "risk"}  # labelled "yes" when broken


@dataclass(frozen=True)
class Labelled:
    """One chat of the sample: its file's name, its kind of project, the transcript and the
    hits its labels hold, as `AutoQA.hit_keys` gives them."""

    name: str
    project: str
    text: str
    expected: frozenset


def load_sample(folder: Path = SAMPLE) -> tuple[list[Labelled], dict[str, list[str]]]:
    """The labelled chats of *folder*, by name, and the forbidden phrases of each project."""
    projects = json.loads((folder / "projects.json").read_text(encoding="utf-8"))
    chats = []
    for path in sorted(folder.glob("*.txt")):
        labels, lines = {}, []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# ") and not lines:
                key, _, value = line[2:].partition(":")
                labels[key.strip()] = value.strip()
            else:
                lines.append(line)
        expected = {(rule, "") for rule in MUSTS if labels[rule] == "no"}
        expected |= {(rule, "") for rule in DONTS if labels[rule] == "yes"}
        expected |= {("forbidden", p.strip()) for p in labels["forbidden"].split(",") if p.strip()}
        expected |= {("long_waits", t.strip()) for t in labels["long_waits"].split(",") if t.strip()}
        chats.append(Labelled(path.stem, labels["project"], "\n".join(lines), frozenset(expected)))
    return chats, projects


def measure(chats: list[Labelled], projects: dict[str, list[str]],
            settings: autoqa.AutoQASettings | None = None) -> list[dict]:
    """Per rule (in the order of `autoqa.RULES`): hits labelled and found, precision, recall,
    hit rate, and the chats it was wrong about (missed, or hit where the labels say not)."""
    found, expected = set(), set()
    for chat in chats:
        result = autoqa.check(chat.text, settings, projects[chat.project], interaction=chat.name)
        found |= {(chat.name, *key) for key in result.hit_keys()}
        expected |= {(chat.name, *key) for key in chat.expected}
    rows = []
    for rule in autoqa.RULES:
        mine = {k for k in found if k[1] == rule}
        labelled = {k for k in expected if k[1] == rule}
        precision, recall = autoqa.precision_recall(mine, labelled)
        rows.append({"rule": rule, "labelled": len(labelled), "found": len(mine),
                     "precision": precision, "recall": recall,
                     "hit_rate": len({k[0] for k in mine}) / len(chats),
                     "missed": sorted(labelled - mine), "wrong": sorted(mine - labelled)})
    return rows


def time_chats(chats: list[Labelled], projects: dict[str, list[str]], count: int, runs: int) -> list[float]:
    """Seconds to check *count* chats (the sample's, over and over), once per run."""
    texts = [(chats[i % len(chats)].text, projects[chats[i % len(chats)].project]) for i in range(count)]
    settings = autoqa.AutoQASettings()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text, forbidden in texts:
            autoqa.check(text, settings, forbidden)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=10_000, help="chats to check in the timing")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (the median is shown)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    chats, projects = load_sample()
    rows = measure(chats, projects)
    print(f"auto-QA rules on the labelled sample: {len(chats)} chats "
          f"({', '.join(f'{sum(c.project == p for c in chats)} {p}' for p in projects)})\n")
    head = ("rule", "labelled", "found", "precision", "recall", "hit rate")
    table = [head] + [(r["rule"], str(r["labelled"]), str(r["found"]), f"{r['precision']:.3f}",
                       f"{r['recall']:.3f}", f"{r['hit_rate']:.1%}") for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(head))]
    for n, line in enumerate(table):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))))
        if n == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for r in rows:
        for what, keys in (("missed", r["missed"]), ("wrong", r["wrong"])):
            if keys:
                print(f"  {r['rule']} {what}: {', '.join(':'.join(filter(None, k[:1] + k[2:])) for k in keys)}")
    times = time_chats(chats, projects, args.chats, args.runs)
    median = statistics.median(times)
    print(f"\nchecking {args.chats:,} chats: median {median * 1000:,.0f} ms "
          f"(min {min(times) * 1000:,.0f}, max {max(times) * 1000:,.0f}, {args.runs} runs), "
          f"{median / args.chats * 1e6:.0f} µs a chat")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"chats": len(chats), "rules": rows, "timing": {"chats": args.chats, "seconds": times}},
            ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(r["precision"] >= 0.95 and r["recall"] >= 0.95 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
