"""Reversal requests: a team leader asks for a score event to be cancelled, with a reason; a
supervisor approves (the ledger then corrects the event) or rejects.

A leader's word alone should not take points off or put them back on a pay-relevant score, so the
request waits in this plugin's file — audited by the store like every write — and a month with a
request still undecided cannot close (`waiting`, used by ``period_blockers``).

An approval is a person's decision (`Ledger.correct`): in an open month a reversal marked as a
decision, which no later settle of the event's evidence and no month close undoes (an absence
cancelled stays cancelled); in a closed month an adjustment in the first open month that names
the closed month and the event. A request about a closed month's event blocks no close: its
month is closed already, and the adjustment lands in whichever month is open when it is approved.
"""

from __future__ import annotations

from floorwalker.core import N_, Conflict, NotFound, validate

from . import shard

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def requests(fw, project: str, state: str | None = None) -> list[dict]:
    found = shard.table(fw, project, shard.REQUESTS).values()
    return sorted((r for r in found if state is None or r["state"] == state),
                  key=lambda r: r["requested_at"], reverse=True)


def waiting(fw, project: str, month: str) -> list[dict]:
    """Undecided requests about events of *month*."""
    return [r for r in requests(fw, project, PENDING) if r["event_month"] == month]


def request(fw, project: str, event_id: str, reason: str, actor: str) -> dict:
    """Ask for *event_id* (an event of *project*) to be reversed because of *reason*."""
    reason = validate.text(reason, N_("reason"), required=True)
    _, event = fw.ledger.correctable(event_id, project)
    with fw.store.transaction(shard.key(fw, project), actor, "incentives.reversal_request") as tx:
        if any(r["event"] == event_id and r["state"] == PENDING for r in tx.docs(shard.REQUESTS).values()):
            raise Conflict(N_("a reversal of {id} is already waiting for a decision"), id=event_id)
        return tx.insert(shard.REQUESTS, {
            "project": project, "event": event_id, "event_month": event["period"],
            "agent": event["agent"], "rule": event["rule"], "points": event["points"],
            "reason": reason, "requested_by": actor, "requested_at": shard.now(), "state": PENDING,
            "decided_by": None, "decided_at": None, "note": "", "reversal": None})


def decide(fw, project: str, request_id: str, approve: bool, actor: str, note: str = "") -> dict:
    """Approve (the event is corrected with the request's reason: ``reversal`` is the reversal,
    or the adjustment for a closed month) or reject (a note is required)."""
    key = shard.key(fw, project)
    found = fw.store.table(key, shard.REQUESTS).get(request_id)
    if found is None:
        raise NotFound(N_("no reversal request {id!r}"), id=request_id)
    if found["state"] != PENDING:
        raise Conflict(N_("this request was already decided"))
    note = validate.text(note, N_("note"), required=not approve)
    reversal = None
    if approve:
        reversal = fw.ledger.correct(found["event"], found["reason"], actor, project)
    with fw.store.transaction(key, actor, "incentives.reversal_decision") as tx:
        return tx.update(shard.REQUESTS, request_id, {
            "state": APPROVED if approve else REJECTED, "decided_by": actor,
            "decided_at": shard.now(), "note": note, "reversal": reversal and reversal["id"]})

