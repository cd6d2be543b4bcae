"""A supervisor's decision on a dispute, applied: the evaluation rescored with `scoring`
against the version it pinned, and its score events fixed (an evaluator's edit is `edits`).

**A decision** (裁定) that accepts items fixes the score events through the ledger: a fatal
error no longer there is corrected (`Ledger.correct`: a reversal marked as a person's decision,
which no later settle or close undoes; in a closed month, an adjustment in the first open month
naming it), and a full-marks evaluation now earned gets its event — in a closed month as an
adjustment of the rule's points in the first open month. While the evaluation's month is open the
evaluation itself takes the new answers and score; a closed month never changes, so there the
decision's ``revision`` (kept on the dispute) is what the evaluation's page shows beside it.
"""

from __future__ import annotations

from . import evaluations, monthly, scorecards, scoring
from .config import NAME


def answers(card: dict, items: list[dict]) -> list[list]:
    """The answers per section of an evaluation's *items* (None at N/A), in the card's order."""
    given, start = [], 0
    for section in card["sections"]:
        part = items[start:start + len(section["items"])]
        given.append([None if i["na"] else i["answer"] for i in part])
        start += len(section["items"])
    return given


def comments(card: dict, items: list[dict]) -> dict[str, str]:
    positions = [(si, ii) for si, s in enumerate(card["sections"]) for ii, _ in enumerate(s["items"])]
    return {evaluations.field_names(si, ii)[1]: i["comment"] for (si, ii), i in zip(positions, items)}


def _rules(fatal, full_marks) -> set[str]:
    return {evaluations.FATAL_RULE} if fatal else {evaluations.FULL_MARKS_RULE} if full_marks else set()


def _first_open(month: str, closed) -> str:
    year, number = map(int, month.split("-"))
    while True:
        year, number = year + (number == 12), number % 12 + 1
        if f"{year:04d}-{number:02d}" not in closed:
            return f"{year:04d}-{number:02d}"


def fix_ledger(fw, project: dict, ev: dict, result: scoring.Result, actor: str, reason: str) -> list[dict]:
    """Bring the score events of *ev* to the rescored *result* by decisions; returns what was
    written (``rule``, ``points``, ``kind``: reversal or adjustment, ``month``)."""
    slug, key, month = project["slug"], evaluations.evidence(ev["id"]), ev["date"][:7]
    old, new = _rules(ev["fatal"], ev["full_marks"]), _rules(result.fatal, result.full_marks)
    done = []
    events = fw.ledger.agent_events(slug, month, ev["agent"])
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    for event in events:
        if event["evidence"] == key and event["rule"] in old - new and not event["reverses"] \
                and event["id"] not in reversed_ids:
            fixed = fw.ledger.correct(event["id"], reason, actor, slug)
            done.append({"rule": event["rule"], "points": fixed["points"], "month": fixed["period"],
                         "kind": "reversal" if fixed["reverses"] else "adjustment"})
    closed = fw.store.closed_months(slug)
    for code in sorted(new - old):
        if month not in closed:
            event = fw.ledger.prepare(project, ev["agent"], code, ev["date"], actor, source=NAME,
                                      evidence=key, reason=evaluations.REASONS["full"], allow_derived=True)
        else:
            into = _first_open(month, closed)
            event = fw.ledger.prepare(project, ev["agent"], "adjustment", f"{into}-01", actor,
                                      points=fw.ledger.rule(code, project).points, reason=reason,
                                      source=NAME, evidence=key, adjusts=month)
        fw.ledger.write([event], actor, "qa.dispute.decide")
        done.append({"rule": code, "points": event["points"], "month": event["period"],
                     "kind": "event" if event["rule"] == code else "adjustment"})
    return done


def apply(fw, project: dict, ev: dict, changed: dict[int, object], actor: str, note: str,
          dispute_id: str) -> dict:
    """Rescore *ev* with the new answers *changed* (position → answer) of a decided dispute and
    fix its score events; returns the revision (score and fatal before and after, the ledger's
    entries, whether the evaluation's month was closed)."""
    slug = project["slug"]
    card = scorecards.get(fw, slug, ev["scorecard_version"])
    items = [{**i, "answer": changed[n], "na": False} if n in changed else i for n, i in enumerate(ev["items"])]
    result = scoring.score(card, answers(card, items), fw.projects.settings(project, NAME)["score_cap"])
    month = ev["date"][:7]
    closed = month in fw.store.closed_months(slug)
    if not closed:
        with fw.store.transaction(evaluations._key(fw, slug, month), actor, "qa.dispute.decide") as tx:
            tx.update(evaluations.TABLE, ev["id"], {**evaluations.scored(card, result, comments(card, ev["items"])),
                                                    "dispute": dispute_id})
    ledger = fix_ledger(fw, project, ev, result, actor, note)
    if not closed:  # the month's average moves with the score (`monthly`: nothing in a closed month)
        monthly.settle(fw, project, month, actor, evaluations.of_month(fw, slug, month))
    return {"score": [ev["score"], result.score], "fatal": [ev["fatal"], result.fatal],
            "full_marks": [ev["full_marks"], result.full_marks], "ledger": ledger, "month_closed": closed}
