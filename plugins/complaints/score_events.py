"""How the complaints plugin's score events read on an agent's month: a complaint's deduction
(``complaints:complaint:<id>``) as 投诉 C0001 · 11月16日 with the verdict's reason, linked to the
complaint for whoever reads complaints; the month-end bonus (``complaints:month:…``) as
当月无有效投诉 · 2026年11月."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton

from floorwalker.core import Evidence

from . import deduction, month_end
from .actions import VIEW
from .config import NAME


def _ours(events):
    for event in events:
        parts = (event.get("evidence") or "").split(":", 2)
        if event.get("source") == NAME and len(parts) == 3 and parts[0] == NAME \
                and parts[1] in (deduction.KIND, month_end.KIND):
            yield event, parts[1], parts[2]


def links(fw, project: dict, events, user) -> dict[str, str]:
    roles = set(user.get("roles") or ())
    if not fw.access.can(user, VIEW, project) or "client" in roles or roles <= {"agent"}:  # not the staff
        return {}
    return {e["id"]: f"/p/{project['slug']}/{NAME}/{ident}" for e, kind, ident in _ours(events)
            if kind == deduction.KIND}


def describe(events) -> dict[str, Evidence]:
    found = {}
    for event, kind, ident in _ours(events):
        day = dt.date.fromisoformat(event["date"][:10])
        if kind == deduction.KIND:
            found[event["id"]] = Evidence(f"Complaint {ident} · {format_skeleton('MMMd', day, locale='en')}",
                                          f"投诉 {ident} · {format_skeleton('MMMd', day, locale='zh_CN')}")
        else:
            found[event["id"]] = Evidence(f"No valid complaint · {format_skeleton('yMMM', day, locale='en')}",
                                          f"当月无有效投诉 · {format_skeleton('yMMM', day, locale='zh_CN')}",
                                          *month_end.REASON)
    return found
