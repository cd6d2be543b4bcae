"""Complaints (投诉): intake without filtering, the verdict and severity, SLA clocks on business
hours with the holiday calendar, and the handling of each complaint step by step.

The modules, from the rules outwards:

* `clocks` — the SLA policies and where a complaint's targets stand, pure (the most tests);
* `records` — intake, reading, masking for a client, the JSON of the command line;
* `handling` — every step after intake (handover, verdict, callbacks, escalation …);
  `verdicts` — the seam where a verdict reaches the score, QA and coaching (next slice);
* `importer` — the handling point's lists; `pages`, `commands` — the web and the command line.

It imports only `floorwalker.core`.
"""

from __future__ import annotations

from datetime import timedelta

from floorwalker.core import Job, NavItem, WaitingItem, hookimpl

from . import clocks, handling, records
from .actions import DECIDE, HANDLE, VIEW
from .config import NAME, SETTINGS

TITLE = ("Complaints", "投诉")  # what the admin pages call this plugin
SYSTEM = "system"


@hookimpl
def register_settings():
    return SETTINGS


@hookimpl
def register_actions():
    from .actions import ACTIONS
    return ACTIONS


@hookimpl
def register_routes():
    from .pages import routes
    return routes()


@hookimpl
def register_commands(cli):
    from .commands import complaints
    cli.add_command(complaints)


@hookimpl
def register_importers():
    from .importer import IMPORTERS
    return IMPORTERS


@hookimpl
def register_jobs():
    return [Job("clocks", timedelta(minutes=15),
                lambda floorwalker, project, now: handling.record_breaches(floorwalker, project, SYSTEM))]


@hookimpl
def nav_items(floorwalker, project, user):
    if floorwalker.access.can(user, VIEW, project):
        return [NavItem(NAME, "Complaints", "投诉", f"{NAME}/", order=40)]
    return []


@hookimpl
def waiting_items(floorwalker, project, user):
    """The open complaints a handler owns that are near a deadline (the warning) or past one,
    and, for a supervisor, every complaint past a deadline (the escalation of a breach)."""
    if not floorwalker.access.can(user, HANDLE, project):
        return []
    now = floorwalker.projects.now(project)
    manager = floorwalker.access.can(user, DECIDE, project)
    near = late = 0
    for doc in records.all_of(floorwalker, project):
        if doc["status"] in ("closed", "archived"):
            continue
        mine = doc["owner"] == user["username"]
        if not (mine or manager):
            continue
        found = records.targets(floorwalker, project, doc, now)
        if any(c.state == "failed" and not doc.get(clocks.DONE_FIELD[c.target]) for c in found):
            late += 1  # a deadline passed and its step is still not done
        elif mine and any(c.warning for c in found):
            near += 1
    url = f"/p/{project['slug']}/{NAME}/"
    return [item for item in (WaitingItem("Complaints near a deadline", "即将超时的投诉", near, url + "?clock=warning"),
                              WaitingItem("Complaints past a deadline", "已超时的投诉", late, url + "?clock=failed"))
            if item.count]
