"""The one flow of a valid complaint against an agent (issue 14, item 5): where a verdict
reaches the score, QA and coaching.

`on_verdict` is called after every verdict is stored (the first one, and a changed one after an
appeal or new evidence):

* **the score** — always brought to what the verdict says (`deduction`): a provisional deduction
  of the rule chosen with the verdict, dated in the month the complaint was received (after that
  month closed: a correction naming it), reversed when the verdict changes; and, where the
  month-end bonus has been derived already, that too (`month_end`);
* **a QA review** of the linked interaction — asked once, when the complaint is first valid
  against an agent, through the plugin-declared hook ``complaints_review`` (QA adds a
  must-check pick to its sampling plan). Where no enabled plugin implements it (QA is off for
  the project) the review is skipped, and so it is when no interaction is linked; the complaint
  page says which;
* **a coaching item** for the agent's team leaders — asked once too, through
  ``complaints_coaching_item``, which the meetings plugin will implement; until an enabled
  plugin opens it, the complaint page lists it.

A verdict changed to invalid reverses the deduction but leaves a review already in QA's plan and
a coaching item already opened: those are in the hands of the people who hold them now (QA may
remove a pick, with a reason). What the flow did is kept on the complaint as ``flow``, in the
complaint's file (an audited commit, like every step).
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton

from . import deduction, month_end, records
from .config import NAME

REVIEW_HOOK = "complaints_review"
COACHING_HOOK = "complaints_coaching_item"
evidence = deduction.evidence  # the ledger's evidence key of a complaint's score events


def against_agent(complaint: dict | None) -> bool:
    return bool(complaint and complaint.get("agent")
                and (complaint.get("verdict") or {}).get("outcome") == "valid")


def leaders_of(fw, project: dict, complaint: dict) -> list[str]:
    """The usernames of the team leaders of the agent's team on the day it was received."""
    assignment = fw.agents.assignment_on(complaint["agent"], complaint["received"][:10])
    if assignment is None or assignment["project"] != project["slug"] or not assignment.get("team"):
        return []
    team = f"{project['slug']}.{assignment['team']}"
    return sorted(u["username"] for u in fw.users.all() if not u.get("disabled")
                  and "team_leader" in (u.get("roles") or ()) and team in (u.get("teams") or ()))


def _review(fw, project: dict, complaint: dict) -> dict:
    if not complaint.get("interaction"):
        return {"state": "no_interaction"}
    caller = fw.project_hook(project, REVIEW_HOOK)
    if not caller.get_hookimpls():
        return {"state": "skipped"}
    url = next((u for u in caller(floorwalker=fw, project=project, complaint=complaint) if u), None)
    return {"state": "requested", "url": url} if url else {"state": "unknown_interaction"}


def _coaching(fw, project: dict, complaint: dict) -> dict:
    leaders = leaders_of(fw, project, complaint)
    caller = fw.project_hook(project, COACHING_HOOK)
    opened = caller.get_hookimpls() and any(caller(floorwalker=fw, project=project, complaint=complaint,
                                                   leaders=leaders))
    return {"state": "opened" if opened else "listed", "leaders": leaders, "agent": complaint["agent"]}


def on_verdict(fw, project: dict, complaint: dict, previous: dict | None, actor: str,
               user: dict | None = None) -> dict:
    """React to *complaint*'s verdict (``complaint["verdict"]``: ``outcome``, ``reason``,
    ``rule``), which replaced *previous* (None for the first); returns the complaint as stored
    with its ``flow``."""
    flow = dict(complaint.get("flow") or {})
    if complaint.get("agent") or flow.get("deduction"):
        flow["deduction"] = deduction.settle(fw, project, complaint, actor)
    month = complaint["received"][:7]
    if month not in fw.store.closed_months(project["slug"]) and month_end.ran(fw, project, month):
        month_end.derive(fw, project, month, actor)
    if against_agent(complaint):
        flow.setdefault("review", _review(fw, project, complaint))
        flow.setdefault("coaching", _coaching(fw, project, complaint))
    if flow == (complaint.get("flow") or {}):
        return complaint
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.flow") as tx:
        return tx.update(records.TABLE, complaint["id"], {"flow": flow})


def view(fw, project: dict, complaint: dict, locale: str) -> dict | None:
    """What the complaint page shows of the flow: the deduction (its rule, points and the
    months, in the reader's way), the review's state and link, the coaching item (listed here
    until an enabled plugin opens it), and the agent's and leaders' names."""
    flow = complaint.get("flow")
    if not flow:
        return None

    def month(value):
        return format_skeleton("yMMM", dt.date.fromisoformat(f"{value}-01"), locale=locale) if value else ""
    shown = dict(flow)
    if flow.get("deduction"):
        d = flow["deduction"]
        shown["deduction"] = {**d, "month_shown": month(d.get("month")), "adjusts_shown": month(d.get("adjusts"))}
    return shown
