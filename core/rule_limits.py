"""The best of the floor: a rule marked `ScoreRule.floor_award` (the catalogue's
``best_of_month``, +5) goes to the best agent of the whole project in a month, not of a team,
and only to one with no violation in that month (the rulebook: 当月工作量、质量为全客服之首，
并且无违规事件).

The ledger checks it whenever events are written (`Ledger.write`: a form, the command line, an
import, a plugin, the demo), under the month file's lock, counting the month's events and the
batch together, so two recorders cannot both give the last award:

* at most ``floor_awards`` (the project's core setting, default 1) active events of the rule in
  the project's month, all teams together;
* none to an agent with an active violation in the month: an event of a violation kind (light,
  medium, severe, dismissal) or a plugin's result that deducts points, not reversed.

A violation recorded after the award does not take it back by itself (the award was right when
given): the month's sheet flags the agent's row (`AWARD_FAULTED`), the command line and the
form warn, and the incentives plugin keeps the month from closing until a person decides.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .i18n import N_, Words
from .records import ScoreRule

VIOLATION_KINDS = ("light", "medium", "severe", "dismissal")
# the sheet's flag of an agent holding a floor award beside a violation recorded after it
AWARD_FAULTED = "award_faulted"
TAKEN = N_("“{rule}” of {month} already went to {holders}: the whole floor gets {limit} a month; "
           "reverse it to give it to another agent")
FAULTED = N_("agent {number} has a violation in {month} (“{violation}” on {date}): “{rule}” goes "
             "only to an agent with no violation in the month")


def is_violation(event: dict) -> bool:
    """Whether *event* is a violation: a rule of a violation kind, or a result deducting points."""
    return event["kind"] in VIOLATION_KINDS or (event["kind"] == "result" and event["points"] < 0)


def active(events: Iterable[dict]) -> list[dict]:
    """The events that count: neither a reversal nor reversed."""
    events = list(events)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    return [e for e in events if not e["reverses"] and e["id"] not in reversed_ids]


def refusal(existing: Iterable[dict], batch: list[dict], rules: Mapping[str, ScoreRule],
            awards: int) -> tuple[int, str, dict] | None:
    """The first event of *batch* a floor award's limits refuse, as (index in *batch*, message,
    its parameters), given the month's *existing* events (reversals included), the rules by
    code and the project's number of *awards* a month; None when the batch may be written.

    Every event of *batch* is of one project; events of several months may be mixed."""
    awarded = [i for i, e in enumerate(batch) if not e["reverses"]
               and getattr(rules.get(e["rule"]), "floor_award", False)]
    if not awarded:
        return None
    counting = active([*existing, *batch])
    for index in awarded:
        event = batch[index]
        rule = rules[event["rule"]]
        month = [e for e in counting if e["period"] == event["period"]]
        faults = sorted((e for e in month if e["agent"] == event["agent"] and is_violation(e)),
                        key=lambda e: (e["date"], e["id"] or ""))
        if faults:
            fault = rules.get(faults[0]["rule"])
            return index, FAULTED, {
                "number": event["agent"], "month": event["period"], "date": faults[0]["date"],
                "rule": Words(rule.title_en, rule.title_zh),
                "violation": Words(fault.title_en, fault.title_zh) if fault else faults[0]["rule"]}
        holders = [e for e in month if e["rule"] == event["rule"]]
        if next(i for i, e in enumerate(holders) if e is event) >= awards:
            others = sorted({e["agent"] for e in holders[:awards]})
            return index, TAKEN, {"rule": Words(rule.title_en, rule.title_zh), "month": event["period"],
                                  "holders": ", ".join(others), "limit": awards}
    return None
