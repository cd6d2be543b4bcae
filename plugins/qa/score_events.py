"""How the QA plugin's month-level score events read on an agent's month: the monthly average
under the pass line (``qa:month:``), the exam (``qa:exam:``) and the supervisor's spot check
(``qa:spotcheck:``) — a title for a person instead of the evidence key, the stored reason in
the reader's language, and a link to the page that shows the evidence to whoever may open it.
(An evaluation's own events are described in the package's ``__init__``.)
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton

from floorwalker.core import Evidence

from . import evaluations, exams, monthly
from .actions import OWN, VIEW
from .config import NAME

TITLES = {monthly.MONTH_KIND: ("QA monthly average", "月度质检"), exams.KIND: ("Monthly exam", "月度考试"),
          monthly.SPOT_KIND: ("Spot check", "主管抽查")}
PAGES = {monthly.MONTH_KIND: "evaluations", exams.KIND: "exams", monthly.SPOT_KIND: "spot-checks"}


def _ours(events):
    for event in events:
        parts = (event.get("evidence") or "").split(":", 2)
        if event.get("source") == NAME and len(parts) == 3 and parts[0] == NAME and parts[1] in TITLES:
            yield event, parts[1]


def links(fw, project: dict, events, user) -> dict[str, str]:
    """Event id → the page of its evidence: staff the month's evaluations, exams or spot checks;
    an agent its own QA page for its monthly average."""
    staff = fw.access.can(user, VIEW, project)
    own = fw.access.can(user, OWN, project)
    found = {}
    for event, kind in _ours(events):
        if staff:
            found[event["id"]] = f"/p/{project['slug']}/{NAME}/{PAGES[kind]}?month={event['period']}"
        elif own and kind == monthly.MONTH_KIND:
            found[event["id"]] = f"/p/{project['slug']}/{NAME}/mine"
    return found


def _live(fw, project: dict | None, events) -> dict[str, str]:
    """Event id → the reason of a monthly event that still counts, with the month's average as it
    is now (a won dispute after the event moves it; the stored reason keeps the figures of the
    day it was written). An event whose month no longer averages below the line keeps its own."""
    if fw is None or project is None:
        return {}
    reversed_ids = {e.get("reverses") for e in events if e.get("reverses")}
    counting = [(e, k) for e, k in _ours(events) if k == monthly.MONTH_KIND and not e.get("reverses")
                and e["id"] not in reversed_ids]
    if not counting:
        return {}
    line = fw.projects.settings(project, NAME)["pass_line"]
    found, months = {}, {}
    for event, _kind in counting:
        month = event["period"]
        if month not in months:
            months[month] = monthly.averages(evaluations.of_month(fw, project["slug"], month))
        average, n = months[month].get(event["agent"], (None, 0))
        if average is not None and monthly.below(average, line):
            found[event["id"]] = monthly.stored_reason(average, n, line)
    return found


def describe(events, fw=None, project: dict | None = None) -> dict[str, Evidence]:
    """Event id → `Evidence`: 月度质检 · 2026年11月 (a spot check: its day), the reason in both
    languages; with *fw* and *project*, a monthly average that still counts reads as it is now."""
    found, live = {}, _live(fw, project, events)
    for event, kind in _ours(events):
        day = dt.date.fromisoformat(event["date"][:10])
        skeleton = "MMMd" if kind == monthly.SPOT_KIND else "yMMM"
        en, zh = TITLES[kind]
        stored = live.get(event["id"]) or event.get("reason") or ""
        if kind == monthly.SPOT_KIND:  # the supervisor's own words
            reasons = (stored, stored)
        else:
            read = monthly.reason if kind == monthly.MONTH_KIND else exams.reason
            reasons = (read(stored, "en") or "", read(stored, "zh_CN") or "")
        found[event["id"]] = Evidence(f"{en} · {format_skeleton(skeleton, day, locale='en')}",
                                      f"{zh} · {format_skeleton(skeleton, day, locale='zh_CN')}", *reasons)
    return found
