"""Month end: ``zero_valid_complaints`` (+5, 当月无有效投诉) for every agent of the project that
month with no valid complaint received in it.

The rule is this plugin's (it moved from the core's catalogue; its code is kept, so the events
written before the move still count and read the same). It is derived, never picked by a person:
`derive` settles it when the month closes (`on_period_closing`, only where the plugin is enabled
for the project) for each agent assigned to the project on some day of the month — an agent
who left before the month is not in it, one who left during it gets it dated its last day there
—, one evidence key per agent and month, ``complaints:month:<number>:<YYYY-MM>``. The month's
settle is the whole truth about those keys, so running it again (a verdict changed while the
derivation's events are in an open month) reverses the bonus of an agent who now has a valid
complaint. After the close a changed verdict is a correction (`deduction`), the bonus now
earned or lost included.

What withholds it: a complaint received in the month, judged valid, naming the agent; and, for
the months before this plugin judged complaints, a ``quarrel_with_customer`` recorded by hand
(its title says the complaint was valid). A team leader is on the leaders' sheet, not the
agents': the bonus is for agents.
"""

from __future__ import annotations

from floorwalker.core import validate

from . import deduction, records
from .config import NAME

KIND = "month"
REASON = ("No complaint received this month was judged valid", "当月收到的投诉均未判定成立")
BY_HAND = ("quarrel_with_customer",)


def evidence(number: str, month: str) -> str:
    return f"{NAME}:{KIND}:{number}:{month}"


def withheld(fw, project: dict, month: str, events: list[dict] | None = None) -> set[str]:
    """The agents with a valid complaint received in *month* (or a hand-recorded one)."""
    found = {c["agent"] for c in records.of_month(fw, project, month)
             if c.get("agent") and (c.get("verdict") or {}).get("outcome") == "valid"}
    events = deduction.live(fw, project["slug"], month) if events is None else events
    found |= {e["agent"] for e in events if e["period"] == month
              and (e["rule"] in BY_HAND or (e.get("evidence") or "").startswith(deduction.PREFIX))}
    return found


def wanted(fw, project: dict, month: str) -> dict[str, list[dict]]:
    """Evidence key → the bonus wanted, for every agent of the month (none for the withheld)."""
    slug = project["slug"]
    last = validate.month_bounds(month)[1]
    events = deduction.live(fw, slug, month)
    out = withheld(fw, project, month, events)
    # a bonus of the rule from before the move (another source) still counts: not given twice
    out |= {e["agent"] for e in events if e["period"] == month and e["rule"] == deduction.BONUS
            and e["source"] != NAME}
    found = {}
    for agent, assignment in fw.agents.in_month(slug, month):
        if (agent.get("position") or "agent") != "agent":
            continue
        day = min(last, assignment["end"] or last)
        found[evidence(agent["number"], month)] = [] if agent["number"] in out else [
            {"rule": deduction.BONUS, "points": None, "date": day, "agent": agent["number"], "reason": REASON[1]}]
    return found


def derive(fw, project: dict, month: str, actor: str):
    """Settle the month's bonuses (the month must be open); returns the ledger's `Settled`."""
    return fw.ledger.settle(project["slug"], NAME, wanted(fw, project, month), actor, month=month,
                            kind=KIND, action=f"{NAME}.month_end")


def ran(fw, project: dict, month: str) -> bool:
    """Whether the derivation's events are in *month* (it has run, the month may be open still)."""
    prefix = f"{NAME}:{KIND}:"
    return any((e.get("evidence") or "").startswith(prefix) for e in fw.ledger.events(project["slug"], month))
