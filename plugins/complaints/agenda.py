"""What complaints offers a meeting's agenda (the platform's `agenda_items`, issue 15 item 5).

- Morning briefing (``briefing``): the open complaints past a deadline or near one (the
  warning before a breach), each with its clock — the dashboard's watch (`figures.watch`).
- Shift handover (``handover``): every open complaint handed over to the next shift, with its
  owner and next deadline.
- Weekly team meeting (``weekly``): the complaints received last week (Monday to Sunday before
  the meeting's week) and what became of them.
- Monthly all-agent meeting (``monthly``): the month's review pack in short — the figures the
  reader may read (`pack.readable_kpis`), the categories that came up most, and the prevention
  measures written for the month.

Complaints are named by their number and subject; an agent complained about by name.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import AgendaItem

from . import clocks, figures, pack, records
from .config import NAME, SEVERITIES, STATUSES

TOP_CATEGORIES = 3


def items(fw, project: dict, meeting: dict, day: dt.date, user: dict | None) -> list[AgendaItem]:
    kind = (meeting or {}).get("kind")
    if kind == "briefing":
        return _deadlines(fw, project)
    if kind == "handover":
        return _open(fw, project)
    if kind == "weekly":
        return _week(fw, project, day)
    if kind == "monthly":
        return _month(fw, project, day, user)
    return []


def _agents(fw, project: dict) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in fw.agents.in_project(project["slug"], "1900-01-01", "2999-12-31")}


def _row(doc: dict, agents: dict, clock=None) -> dict:
    return {"id": doc["id"], "subject": doc["subject"], "status": STATUSES.get(doc["status"], doc["status"]),
            "severity": SEVERITIES.get(doc.get("severity") or "", ""), "owner": doc.get("owner") or "",
            "agent": agents.get(doc.get("agent") or "", ""), "received": doc["received"][:16],
            "target": clocks.TARGET_TITLES[clock.target] if clock else "",
            "due": clock.due.strftime("%Y-%m-%d %H:%M") if clock and clock.due else "",
            "valid": (doc.get("verdict") or {}).get("outcome") == "valid"}


def _deadlines(fw, project: dict) -> list[AgendaItem]:
    watch = figures.watch(fw, project)
    if not watch["late"] and not watch["near"]:
        return []
    agents = _agents(fw, project)
    return [AgendaItem("Complaints near or past their deadline", "即将超时或已超时的投诉",
                       "complaints/agenda_deadlines.html",
                       {"late": [_row(r["doc"], agents, r["clock"]) for r in watch["late"]],
                        "near": [_row(r["doc"], agents, r["clock"]) for r in watch["near"]]}, order=20)]


def _open(fw, project: dict) -> list[AgendaItem]:
    now = fw.projects.now(project)
    agents, rows = _agents(fw, project), []
    for doc in reversed(records.all_of(fw, project)):  # the oldest first
        if doc["status"] in figures.DONE:
            continue
        running = [c for c in records.targets(fw, project, doc, now)
                   if c.due and not doc.get(clocks.DONE_FIELD[c.target])]
        rows.append(_row(doc, agents, min(running, key=lambda c: c.due) if running else None))
    if not rows:
        return []
    return [AgendaItem("Open complaints handed over", "移交的未结投诉", "complaints/agenda_open.html",
                       {"rows": rows}, order=20)]


def _week(fw, project: dict, day: dt.date) -> list[AgendaItem]:
    first = day - dt.timedelta(days=day.weekday() + 7)
    last = first + dt.timedelta(days=6)
    docs = [d for d in records.all_of(fw, project) if first.isoformat() <= d["received"][:10] <= last.isoformat()]
    if not docs:
        return []
    agents = _agents(fw, project)
    rows = [_row(d, agents) for d in reversed(docs)]
    return [AgendaItem("Last week's complaints", "上周投诉", "complaints/agenda_week.html",
                       {"rows": rows, "first": first.isoformat(), "last": last.isoformat(),
                        "valid": sum(1 for r in rows if r["valid"])}, order=30)]


def _month(fw, project: dict, day: dt.date, user: dict | None) -> list[AgendaItem]:
    month = day.isoformat()[:7]
    found = figures.month_figures(fw, project, month)
    reader = user or {"roles": [], "projects": [project["slug"]]}
    kpis = [{"title_en": declared.title_en, "title_zh": declared.title_zh, "value": kpi.value, "unit": kpi.unit,
             "n": kpi.n} for kpi, declared in pack.readable_kpis(fw, project, found, reader)]
    settings = fw.projects.settings(project, NAME)
    english = {r["name"]: r.get("name_en") or r["name"] for r in settings["categories"]}
    top = sorted((s for s in found.categories if s.received and s.key), key=lambda s: (-s.received, s.key))[:TOP_CATEGORIES]
    note = pack.note(fw, project, month) or {}
    if not found.items and not note.get("prevention"):
        return []
    return [AgendaItem("The month's complaint review", "本月投诉分析", "complaints/agenda_month.html",
                       {"month": month, "kpis": kpis, "received": found.whole.received, "valid": found.whole.valid,
                        "top": [{"zh": s.key, "en": english.get(s.key, s.key), "received": s.received,
                                 "valid": s.valid} for s in top],
                        "prevention": note.get("prevention") or "",
                        "url": f"/p/{project['slug']}/{NAME}/pack?month={month}"}, order=30)]
