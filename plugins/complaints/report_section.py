"""The complaints section of the client report (`report_sections`): the complaints received in
the period, counted by category (received, valid), how many are closed and how many of those
within their closure target, and the list of them with how each was handled.

The figures are the review pack's (`figures.summarise` over the complaints and their clocks at
the project's now). Client-safe as the pack is: a client login gets each complaint through
`records.masked` (the complainant and the contact cut short, no staff member's or agent's name,
no verdict reason or internal notes), and the "against" column says only what kind of thing the
complaint is about; the staff read the agent's number and name there.
"""

from __future__ import annotations

from floorwalker.core import ReportSection, validate

from . import clocks, figures, records
from .config import AGAINST, NAME, STATUSES, VERDICTS, names


def section(fw, project: dict, period: str, user: dict) -> list[ReportSection]:
    """The section of *period* (a month, or a week: `validate.period_bounds`) as *user* reads it."""
    first, last = validate.period_bounds(period)
    locale = (user or {}).get("locale") or "zh_CN"
    masked = set((user or {}).get("roles") or ()) == {"client"}
    now = fw.projects.now(project)
    items = []
    for month in validate.months_between(first.isoformat()[:7], last.isoformat()[:7]):
        items += figures.with_clocks(fw, project, figures.in_span(records.of_month(fw, project, month), first, last),
                                     now)
    settings = fw.projects.settings(project, NAME)
    categories = names(settings["categories"], locale)
    whole = figures.summarise(project["slug"], items)
    closed = [(doc, found) for doc, found in items if doc["status"] in figures.DONE]
    in_time = sum(1 for _doc, found in closed if any(c.target == "closure" and c.state == "met" for c in found))
    by_category: dict[str, list] = {}
    for doc, found in items:
        by_category.setdefault(doc.get("category") or "", []).append((doc, found))
    order = [r["name"] for r in settings["categories"]]
    agents = {} if masked else {a["number"]: a["name"] for a, _asg in
                                fw.agents.in_project(project["slug"], first.isoformat(), last.isoformat())}
    rows = []
    for doc, found in items:
        shown = records.masked(doc) if masked else doc
        solution = doc.get("solution") or (doc.get("solutions") or [None])[-1] or {}
        against = AGAINST.get(doc.get("against") or "", "")
        rows.append({"id": doc["id"], "received": doc["received"][:10], "subject": doc["subject"],
                     "complainant": shown.get("complainant") or "",
                     "category": categories.get(doc.get("category") or "", doc.get("category") or ""),
                     "against": against, "agent": "" if masked or not doc.get("agent")
                     else f"{doc['agent']} {agents.get(doc['agent'], '')}".strip(),
                     "verdict": (doc.get("verdict") or {}).get("outcome"), "status": doc["status"],
                     "solution": solution.get("text") or "",
                     "closure": next((c.state for c in found if c.target == "closure"), None),
                     "closed_at": (doc.get("closed_at") or "")[:10]})
    context = {"first": first.isoformat(), "last": last.isoformat(), "received": whole.received,
               "decided": whole.decided, "valid": whole.valid, "closed": len(closed), "closed_in_time": in_time,
               "categories": [{"name": categories.get(k, k) or "", "received": len(v),
                               "valid": sum(1 for d, _f in v if (d.get("verdict") or {}).get("outcome") == "valid")}
                              for k, v in sorted(by_category.items(),
                                                 key=lambda kv: (kv[0] == "", order.index(kv[0]) if kv[0] in order
                                                                 else len(order), kv[0]))],
               "rows": rows, "masked": masked, "statuses": STATUSES, "verdicts": VERDICTS,
               "states": clocks.STATES}
    return [ReportSection(title_en="Complaints and their handling", title_zh="投诉及处理",
                          template=f"{NAME}/report_section.html", context=context, order=40)]
