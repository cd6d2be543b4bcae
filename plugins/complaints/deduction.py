"""The score a complaint's verdict causes: a deduction of the rule chosen with a valid verdict
against an agent, source ``complaints``, evidence ``complaints:complaint:<id>``, dated the day
the complaint was received (so it counts in the month it was received, whenever the verdict
came).

**While that month is open** the ledger's `settle` keeps the ledger as the verdict says: a valid
verdict wants the rule's event, a changed rule wants the new one, an invalid verdict wants none
(the deduction is reversed). The reversal follows the evidence — it is not a person's decision
over the ledger — so a verdict changed back to valid deducts again; it survives every later
settle and the close because each settle reads the stored verdict. A deduction a person reversed
by hand (``floorwalker scores reverse``) is a decision: settle leaves it alone, and so do we.

**Once that month has closed** nothing may change in it (the store refuses), so every change is
a correction in the first open month that names the closed one: a deduction no longer wanted is
corrected with `Ledger.correct` (the difference it makes to the closed month, an escalation and
a ``zero_valid_complaints`` bonus now earned included); a deduction now wanted is an
``adjustment`` of the rule's points naming the month (``adjusts``) and the rule (``for_rule``),
less the month's ``zero_valid_complaints`` the agent now loses where it was the agent's only valid
complaint that month. Like the QA plugin's late full marks, that adjustment does not work out
the cap or the escalation of the closed month again.
"""

from __future__ import annotations

from floorwalker.core import validate

from .config import NAME

BONUS = "zero_valid_complaints"
KIND = "complaint"
PREFIX = f"{NAME}:{KIND}:"


def evidence(complaint_id: str) -> str:
    """The ledger's evidence key of a complaint's score events."""
    return f"{PREFIX}{complaint_id}"


def wanted(complaint: dict) -> dict | None:
    """The deduction *complaint*'s verdict wants (rule, date, agent, reason), or None."""
    verdict = complaint.get("verdict") or {}
    if verdict.get("outcome") != "valid" or not complaint.get("agent") or not verdict.get("rule"):
        return None
    return {"rule": verdict["rule"], "points": None, "date": complaint["received"][:10],
            "agent": complaint["agent"], "reason": verdict.get("reason") or ""}


def live(fw, slug: str, month: str) -> list[dict]:
    """The score events of *slug* from *month* to this month that still count: not reversed,
    and not an event a later adjustment corrected (the correcting adjustments are left out)."""
    today = fw.projects.today(fw.projects.get(slug)).isoformat()[:7]
    events = [e for m in validate.months_between(month, max(month, today)) for e in fw.ledger.events(slug, m)]
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    counting = [e for e in events if not e["reverses"] and e["id"] not in reversed_ids]
    corrected = {e["corrects"] for e in counting if e.get("corrects")}
    return [e for e in counting if e["id"] not in corrected and not e.get("corrects")]


def deductions(events: list[dict], key: str) -> list[dict]:
    """Of *events* (`live`), those a complaint's evidence *key* put there: its deduction in the
    month received, or its adjustment after that month closed."""
    return [e for e in events if e.get("evidence") == key]


def _first_open(month: str, closed) -> str:
    year, number = map(int, month.split("-"))
    while True:
        year, number = year + (number == 12), number % 12 + 1
        if f"{year:04d}-{number:02d}" not in closed:
            return f"{year:04d}-{number:02d}"


def settle(fw, project: dict, complaint: dict, actor: str) -> dict:
    """Bring the ledger to what *complaint*'s verdict wants; returns what the complaint page
    shows: ``state`` (``deducted``, ``reversed``, ``none`` or ``decided``), ``rule``,
    ``points``, ``month`` (where it counts) and ``adjusts`` (the closed month it corrects)."""
    slug, month = project["slug"], complaint["received"][:7]
    key, want = evidence(complaint["id"]), wanted(complaint)
    closed = fw.store.closed_months(slug)
    reason = (complaint.get("verdict") or {}).get("reason") or complaint["id"]
    if month not in closed:
        done = fw.ledger.settle(slug, NAME, {key: [want] if want else []}, actor, month=month,
                                reasons={key: reason}, action=f"{NAME}.verdict")
        if key in done.decided:
            return {"state": "decided", "month": month}
        if want is None:
            return {"state": "reversed" if done.reversed else "none", "month": month}
        rule = fw.ledger.rule(want["rule"], project)
        return {"state": "deducted", "rule": rule.code, "points": rule.points, "month": month}
    return _correct_closed(fw, project, complaint, month, closed, key, want, reason, actor)


def _correct_closed(fw, project, complaint, month, closed, key, want, reason, actor) -> dict:
    slug = project["slug"]
    events = live(fw, slug, month)
    have = deductions(events, key)
    keep = [e for e in have if want and e["agent"] == want["agent"]
            and want["rule"] in (e["rule"], e.get("for_rule"))][:1]
    corrected = [fw.ledger.correct(e["id"], reason, actor, slug) for e in have if e not in keep]
    if keep:
        return {"state": "deducted", "rule": want["rule"], "points": keep[0]["points"],
                "month": keep[0]["period"], "adjusts": keep[0].get("adjusts")}
    if want is None:
        return {"state": "reversed" if corrected else "none", "month": month,
                "points": sum(c["points"] for c in corrected), "adjusts": month if corrected else None}
    rule = fw.ledger.rule(want["rule"], project)
    points = rule.points - _bonus_lost(fw, project, month, want["agent"], key)
    into = _first_open(month, closed)
    adjustment = fw.ledger.prepare(project, want["agent"], "adjustment", f"{into}-01", actor, points=points,
                                   reason=reason, source=NAME, evidence=key, adjusts=month)
    adjustment.update(for_rule=rule.code)
    fw.ledger.write([adjustment], actor, f"{NAME}.verdict")
    return {"state": "deducted", "rule": rule.code, "points": points, "month": into, "adjusts": month}


def _bonus_lost(fw, project, month, agent, key) -> int:
    """The ``zero_valid_complaints`` points *agent* loses in closed *month* now that complaint
    *key* is valid: where the month-end derivation ran and the agent has the bonus as the month
    stands corrected — given it, or earned by a correction of every event that withheld it —
    and no adjustment of another valid complaint took it away already."""
    slug = project["slug"]
    events = fw.ledger.events(slug, month)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    counting = [e for e in events if not e["reverses"] and e["id"] not in reversed_ids]
    if not any(e["rule"] == BONUS for e in counting):
        return 0  # the derivation never ran for that month
    now = live(fw, slug, month)
    live_ids = {e["id"] for e in now}
    held = any(e["rule"] == BONUS and e["agent"] == agent and e["id"] in live_ids for e in counting)
    withheld = [e for e in counting if e["agent"] == agent and (e.get("evidence") or "").startswith(PREFIX)]
    earned = bool(withheld) and all(e["id"] not in live_ids for e in withheld)
    taken = any(e.get("for_rule") and e.get("adjusts") == month and e["agent"] == agent and e["evidence"] != key
                for e in now)
    return fw.ledger.rule(BONUS, project).points if (held or earned) and not taken else 0
