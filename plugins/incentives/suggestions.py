"""Tier suggestions waiting for a supervisor: worked out from closed months, accepted (the
agent's tier changes through the core) or dismissed, each step audited by the store.

Only closed months count — an open month's grade can still move — and only months since the
agent's last tier change (kept from ``on_agent_tier_changed``) or after the last decided
suggestion, so neither a promotion nor a dismissed suggestion comes back on the strength of the
very months that were already judged. One pending suggestion per
agent at a time; a suggestion is made once per agent and month, whatever became of it.
"""

from __future__ import annotations

from floorwalker.core import N_, Conflict, NotFound, validate

from . import shard
from .grades import shift_month
from .settings import in_effect
from .tiers import TIERS, suggest

PENDING, ACCEPTED, DISMISSED = "pending", "accepted", "dismissed"



def pending(fw, project: str) -> list[dict]:
    return listed(fw, project, PENDING)


def listed(fw, project: str, state: str | None = None) -> list[dict]:
    found = shard.table(fw, project, shard.SUGGESTIONS).values()
    return sorted((s for s in found if state is None or s["state"] == state),
                  key=lambda s: (s["month"], s["agent"]), reverse=True)


def _counts_from(fw, project: str) -> dict[str, str]:
    """The first month that counts for each agent's next suggestion: the month of the latest
    tier change, or the month after the latest decided suggestion, whichever is later."""
    start: dict[str, str] = {}

    def later(number, month):
        start[number] = max(start.get(number, ""), month)

    for change in shard.table(fw, project, shard.TIER_CHANGES).values():
        later(change["agent"], change["month"])
    for decided in shard.table(fw, project, shard.SUGGESTIONS).values():
        if decided["state"] != PENDING:
            later(decided["agent"], shift_month(decided["month"], 1))
    return start


def refresh(fw, project: str, actor: str) -> list[dict]:
    """Add the suggestions the closed months now support; returns the new ones."""
    project_doc = fw.projects.get(project)
    closed = sorted(fw.store.closed_months(project))
    if not closed:
        return []
    latest = closed[-1]
    settings = in_effect(fw, project_doc, latest)
    span = max(settings["promote_months"], settings["demote_months"])
    run = [latest]  # the consecutive closed months ending at the latest, newest first
    for month in reversed(closed[:-1]):
        if len(run) == span or month != shift_month(run[-1], -1):
            break
        run.append(month)
    grades = {month: {r["number"]: r.get("grade") for r in fw.ledger.sheet(project, month)}
              for month in run}
    counts_from = _counts_from(fw, project)
    existing = shard.table(fw, project, shard.SUGGESTIONS)
    waiting = {s["agent"] for s in existing.values() if s["state"] == PENDING}
    new = []
    for number, _ in grades[latest].items():
        if number in waiting or f"{number}:{latest}" in existing:
            continue
        agent = fw.agents.get(number)
        if agent["status"] != "active":
            continue
        months = [m for m in run if grades[m].get(number) and m >= counts_from.get(number, "")]
        months = list(reversed(_consecutive(months)))
        history = [grades[m][number] for m in months]
        target = suggest(agent["tier"], history, settings)
        if target:
            new.append({"id": f"{number}:{latest}", "agent": number, "name": agent["name"],
                        "month": latest, "months": months, "grades": history,
                        "from_tier": agent["tier"], "to_tier": target,
                        "direction": "up" if TIERS.index(target) > TIERS.index(agent["tier"]) else "down",
                        "state": PENDING, "created_at": shard.now(), "decided_by": None,
                        "decided_at": None, "note": ""})
    if new:
        with fw.store.transaction(shard.key(fw, project), actor, "incentives.tier_suggest") as tx:
            tx.insert_many(shard.SUGGESTIONS, new)
    return new


def _consecutive(months: list[str]) -> list[str]:
    """The leading run of *months* (newest first) with no month missing."""
    run = months[:1]
    for month in months[1:]:
        if month != shift_month(run[-1], -1):
            break
        run.append(month)
    return run


def _pending(fw, project: str, suggestion_id: str) -> dict:
    found = shard.table(fw, project, shard.SUGGESTIONS).get(suggestion_id)
    if found is None:
        raise NotFound(N_("no tier suggestion {id!r}"), id=suggestion_id)
    if found["state"] != PENDING:
        raise Conflict(N_("this suggestion was already decided"))
    return found


def accept(fw, project: str, suggestion_id: str, actor: str, user: dict | None = None) -> dict:
    """Change the agent's tier as suggested (through the core, which tells every plugin)."""
    found = _pending(fw, project, suggestion_id)
    agent = fw.agents.get(found["agent"])
    if agent["tier"] != found["from_tier"]:
        raise Conflict(N_("agent {number}'s tier changed since this suggestion; dismiss it"),
                       number=agent["number"])
    fw.agents.set_tier(agent["number"], found["to_tier"], actor, user=user)
    return _decide(fw, project, suggestion_id, ACCEPTED, actor, "")


def dismiss(fw, project: str, suggestion_id: str, actor: str, note: str = "") -> dict:
    note = validate.text(note, N_("note"))
    _pending(fw, project, suggestion_id)
    return _decide(fw, project, suggestion_id, DISMISSED, actor, note)


def _decide(fw, project, suggestion_id, state, actor, note) -> dict:
    with fw.store.transaction(shard.key(fw, project), actor, f"incentives.tier_{state}") as tx:
        return tx.update(shard.SUGGESTIONS, suggestion_id, {"state": state, "decided_by": actor,
                                                            "decided_at": shard.now(), "note": note})


def record_change(fw, project: str, agent: dict, old_tier: str, new_tier: str, actor: str) -> dict:
    """Remember when an agent's tier changed: later suggestions count only months from then."""
    with fw.store.transaction(shard.key(fw, project), actor, "incentives.tier_change") as tx:
        return tx.insert(shard.TIER_CHANGES, {"agent": agent["number"], "old": old_tier,
                                              "new": new_tier, "month": fw.projects.today(project).isoformat()[:7],
                                              "changed_at": shard.now()})
