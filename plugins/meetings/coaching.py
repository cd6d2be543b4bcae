"""Coaching items (辅导) opened for an agent by the other plugins' hooks: a QA evaluation flagged
for coaching (``qa_coaching_item``) and a valid complaint (``complaints_coaching_item``). For now
each is a line on the team leader's 辅导 page — the agent, where it came from, why, and the
leaders it is for; the coaching session itself (notes, what was agreed, the follow-up and the
agent's acknowledgement) is the next slice of issue 15 (item 6) and starts from these records.

Items live in the plugin's file (table ``coaching``), one per source record: a hook called twice
for the same evaluation or complaint opens nothing new.
"""

from __future__ import annotations

from floorwalker.core import N_, new_id, now_iso

from . import records
from .config import NAME

TABLE = "coaching"
SOURCES = {"qa": N_("QA evaluation"), "complaints": N_("Valid complaint")}
SYSTEM = "system"


def open_item(fw, project: dict, *, agent: str, source: str, ref: str, reason: str, leaders, link: str) -> bool:
    """Record a coaching item; False when the source record has one already."""
    with fw.store.transaction(records.key(fw, project["slug"]), SYSTEM, f"{NAME}.coaching") as tx:
        if any(d["source"] == source and d["ref"] == ref for d in tx.docs(TABLE).values()):
            return False
        tx.insert(TABLE, {"id": new_id(), "agent": str(agent), "source": source, "ref": str(ref),
                          "reason": str(reason or "")[:300], "leaders": sorted(leaders), "link": link,
                          "status": "open", "dated": None, "created_at": now_iso()})
    return True


def leaders_of(fw, project: dict, agent: str, day: str) -> list[str]:
    """The usernames leading *agent*'s team on *day*."""
    slot = fw.agents.assignment_on(agent, day)
    if not slot or slot["project"] != project["slug"] or not slot.get("team"):
        return []
    return [u["username"] for u in fw.users.leading(project["slug"], slot["team"])]


def from_evaluation(fw, project: dict, evaluation: dict) -> bool:
    agent = evaluation.get("agent")
    if not agent:
        return False
    day = str(evaluation.get("date") or evaluation.get("created_at") or fw.projects.today(project).isoformat())[:10]
    reason = evaluation.get("comment") or f"质检 {evaluation.get('score', '')} 分"
    return open_item(fw, project, agent=agent, source="qa", ref=evaluation["id"], reason=reason,
                     leaders=leaders_of(fw, project, agent, day),
                     link=f"/p/{project['slug']}/qa/evaluations/{evaluation['id']}")


def from_complaint(fw, project: dict, complaint: dict, leaders) -> bool:
    if not complaint.get("agent"):
        return False
    return open_item(fw, project, agent=complaint["agent"], source="complaints", ref=complaint["id"],
                     reason=complaint.get("subject") or complaint["id"], leaders=leaders or (),
                     link=f"/p/{project['slug']}/complaints/{complaint['id']}")


def for_user(fw, project: dict, user: dict, see_all: bool) -> list[dict]:
    """The coaching items *user* holds (all of them for a supervisor), newest first."""
    docs = fw.store.table(records.key(fw, project["slug"]), TABLE).values()
    return sorted((d for d in docs if see_all or user["username"] in d["leaders"]),
                  key=lambda d: d["created_at"], reverse=True)
