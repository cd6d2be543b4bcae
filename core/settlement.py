"""What the ledger's shared services work out before they write: the plan of a settle and the
closed month as a correction would leave it. Pure functions over event documents;
`core/ledger.py` reads, locks and writes.

**Settling** (`plan_settle`). A plugin states, per evidence key ``<plugin>:<kind>:<id>``, the
events it wants (`Wanted`). An active event of the key counts as wanted when its rule, points,
agent and date match a wanted one (the reason is not compared); the surplus is reversed and the
missing written, so a settle repeated changes nothing.

**Decisions survive.** A reversal a person decided carries ``decision: true`` (a reversal
request approved, ``floorwalker scores reverse``, every `Ledger.correct`), and settle leaves
that evidence key alone for good: it neither writes the key's events again nor reverses the
rest of them, whatever the evidence says later — a punch found afterwards, a month close that
settles once more. The rule is deliberately blunt. "Write it again when the wanted event
differs" would let a re-import or a late punch undo what management decided, and pay must not
move behind a supervisor's back; whoever wants a decided day scored again records the event by
hand, where the agent's month shows it. A plugin's own reversals (its evidence changed: leave
approved late, an excuse accepted) are not decisions, and those days keep following their
evidence. A key with an event or a wanted event in a closed month is left alone too; changing
it is a correction.

**Corrections after a close** (`corrected_view`). The adjustment is the closed month's total
with the correction less the total without it, both worked out by `build_sheet`, so an
escalation that no longer holds is in it, and so is a derived bonus now earned: a bonus of
a rule's `ScoreRule.withheld_by` that the month-end derivation gave that month (to anybody: proof it ran), which
the agent lacked only because of events that are now all corrected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Collection, Iterable, Mapping, NamedTuple

from .records import ScoreRule
from .shards import new_id, now_iso

class Wanted(NamedTuple):
    """An event a plugin wants in the ledger for a piece of evidence (see `Ledger.settle`).

    A plain tuple ``(rule, points, date, agent, reason)`` or a dict with those keys does as
    well. *points* None is the rule's points, with the project's override applied.
    """

    rule: str
    points: int | None
    date: str
    agent: str
    reason: str = ""


@dataclass(frozen=True)
class Settled:
    """What `Ledger.settle` did: the events written and the reversals written, and the
    evidence it left alone although the plugin wants something else — decided by a person, or
    in a closed month (change those with `Ledger.correct`)."""

    written: tuple[dict, ...] = ()
    reversed: tuple[dict, ...] = ()
    decided: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()


class SettlePlan(NamedTuple):
    """The events to write (with their evidence key), the events to reverse, and the keys
    left alone."""

    write: list[tuple[str, Wanted]]
    reverse: list[dict]
    decided: tuple[str, ...]
    closed: tuple[str, ...]


def plan_settle(events: Iterable[dict], wanted: Mapping[str, list[Wanted]], source: str,
                scope: tuple[str, set | None] | None, closed: Collection[str]) -> SettlePlan:
    """What `Ledger.settle` writes and reverses, given the events of the months it read.

    Pure. *scope* (evidence prefix, agents or None) widens the keys settled from those in
    *wanted* to every active event of *source* under the prefix (of those agents).
    """
    events = list(events)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    decided = {e["evidence"] for e in events
               if e["reverses"] and e.get("decision") and e["source"] == source and e["evidence"]}
    active: dict[str, list[dict]] = {}
    for e in events:
        key = e["evidence"]
        if e["source"] != source or not key or e["reverses"] or e["id"] in reversed_ids:
            continue
        if key in wanted or (scope and key.startswith(scope[0])
                             and (scope[1] is None or e["agent"] in scope[1])):
            active.setdefault(key, []).append(e)
    write, reverse, decided_keys, closed_keys = [], [], [], []
    for key in sorted(set(wanted) | set(active)):
        want, have = wanted.get(key, []), active.get(key, [])
        needed = Counter((w.rule, w.points, w.agent, w.date) for w in want)
        there = Counter((e["rule"], e["points"], e["agent"], e["date"]) for e in have)
        if needed == there:
            continue
        if key in decided:
            decided_keys.append(key)
        elif any(e["period"] in closed for e in have) or any(w.date[:7] in closed for w in want):
            closed_keys.append(key)
        else:
            surplus, missing = there - needed, needed - there
            for e in have:
                signature = (e["rule"], e["points"], e["agent"], e["date"])
                if surplus[signature]:
                    surplus[signature] -= 1
                    reverse.append(e)
            for w in want:
                signature = (w.rule, w.points, w.agent, w.date)
                if missing[signature]:
                    missing[signature] -= 1
                    write.append((key, w))
    return SettlePlan(write, reverse, tuple(decided_keys), tuple(closed_keys))


def corrected_view(events: list[dict], agent: str, corrected: set[str],
                   rules: Mapping[str, ScoreRule]) -> list[dict]:
    """*agent*'s events of a closed month as they would be had the *corrected* events never
    counted: each gets a reversal, and a derived bonus with `ScoreRule.withheld_by` (its effective rule in
    *rules*) is added where the month-end derivation gave it (to anybody that month) and the
    agent's last event that withheld it is among the corrected."""
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    counting = [e for e in events if not e["reverses"] and e["id"] not in reversed_ids]
    mine = [e for e in events if e["agent"] == agent]
    view = mine + [{"id": f"correction:{e['id']}", "reverses": e["id"], "rule": e["rule"],
                    "kind": e["kind"], "points": -e["points"], "agent": agent}
                   for e in mine if e["id"] in corrected]
    for code, rule in rules.items():
        withheld = [e for e in counting if e["agent"] == agent
                    and (e.get("evidence") or "").startswith(rule.withheld_by)]
        derived = any(e["rule"] == code for e in counting)
        held = any(e["rule"] == code for e in counting if e["agent"] == agent)
        if derived and not held and withheld and all(e["id"] in corrected for e in withheld):
            view.append({"id": f"earned:{code}", "reverses": None, "rule": code, "kind": rule.kind,
                         "points": rule.points, "agent": agent})
    return view


def first_open_month(after: str, closed: Collection[str]) -> str:
    """The first month after *after* that is not closed."""
    year, month = map(int, after.split("-"))
    while True:
        year, month = year + (month == 12), month % 12 + 1
        found = f"{year:04d}-{month:02d}"
        if found not in closed:
            return found


def reversal_of(event: dict, reason: str, actor: str, decision: bool) -> dict:
    """The reversal of *event*: in its month, with its evidence, of the opposite points."""
    return {**event, "id": new_id(), "points": -event["points"], "reverses": event["id"],
            "recorded_by": actor, "reason": reason, "created_at": now_iso(), "decision": decision}
