"""Complaints (投诉): intake without filtering, the verdict and severity, SLA clocks on business
hours with the holiday calendar, and the handling of each complaint step by step.

The modules, from the rules outwards:

* `clocks` — the SLA policies and where a complaint's targets stand, pure (the most tests);
* `records` — intake, reading, masking for a client, the JSON of the command line;
* `handling` — every step after intake (handover, verdict, callbacks, escalation …);
  `verdicts` — the one flow of a valid complaint (the score through `deduction`, a QA
  review and a coaching item through the hooks of `hookspecs`); `month_end` — the +5 at close;
* `importer` — the handling point's lists; `pages`, `commands` — the web and the command line;
* `figures` — the figures, KPIs, month-close blockers and the deadline watch; `pack` and
  `figure_pages` — the monthly review pack (page, xlsx, PDF), the figures page, the dashboard widget.

It imports only `floorwalker.core`.
"""

from __future__ import annotations

from datetime import timedelta

from floorwalker.core import Job, NavItem, ScoreRule, WaitingItem, hookimpl

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
    from .figure_pages import routes as figure_routes  # before the complaint page's /{id}
    from .pages import routes
    return figure_routes() + routes()


@hookimpl
def register_endpoints():
    """The JSON API: the queue, a complaint, intake (api.py)."""
    from .api import ENDPOINTS
    return ENDPOINTS


@hookimpl
def register_kpis():
    from .figures import KPIS
    return KPIS


@hookimpl
def project_kpis(floorwalker, project, period, first, last):
    from .figures import kpis
    return kpis(floorwalker, project, period, first, last)


@hookimpl
def period_blockers(floorwalker, project, period):
    from .figures import blockers
    return blockers(floorwalker, project, period)


@hookimpl
def dashboard_widgets(floorwalker, project, period, user):
    from .figure_pages import widgets
    return widgets(floorwalker, project, user)


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


@hookimpl(trylast=True)  # after the other plugins' demo data: the agents' months are known by then
def demo_data(floorwalker, project, months, rng, actor, today):
    """The complaint desk stands at the project's clock when the demo is built for today, else
    (a demo of another day, as tests build) at 18:00 of that day; never after *today*."""
    import datetime as dt

    from .demo import build
    now = floorwalker.projects.now(project)
    if abs((now.date() - today).days) > 1:
        now = dt.datetime.combine(today, dt.time(18, 0))
    build(floorwalker, project, months, rng, actor, min(now, dt.datetime.combine(today, dt.time(23, 59))))


@hookimpl
def nav_items(floorwalker, project, user):
    if floorwalker.access.can(user, VIEW, project):
        return [NavItem(NAME, "Complaints", "投诉", f"{NAME}/", order=40)]
    return []


@hookimpl
def agenda_items(floorwalker, project, meeting, day, user):
    """Complaints near or past a deadline (briefing), open ones handed over (handover), last
    week's (weekly) and the month's review in short (monthly): agenda.py."""
    from . import agenda
    return agenda.items(floorwalker, project, meeting, day, user)


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


# ------------------------------------------------------------------ the score (issue 14, items 5 and 6)

RULES = [ScoreRule("zero_valid_complaints", "bonus", 5, "No valid complaint this month", "当月无有效投诉",
                   derived=True, withheld_by="complaints:complaint:")]  # moved from the core's catalogue


@hookimpl
def register_score_rules():
    return RULES


@hookimpl(specname="on_period_closing")
def derive_zero_valid_complaints(floorwalker, project, period, user):
    """+5 for every agent of the month with no valid complaint received in it (month_end.py)."""
    from . import month_end
    month_end.derive(floorwalker, project, period, user["username"] if user else SYSTEM)


@hookimpl(specname="evidence_links")
def complaint_evidence_links(floorwalker, project, events, user):
    """A complaint's deduction opens the complaint (for whoever may read complaints)."""
    from . import score_events
    return score_events.links(floorwalker, project, events, user)


@hookimpl(specname="describe_evidence")
def complaint_evidence(floorwalker, project, events):
    """投诉 C0001 · 11月16日 and the verdict's reason; 当月无有效投诉 · 2026年11月."""
    from . import score_events
    return score_events.describe(events)


@hookimpl
def derived_rules():
    """A quarrel (与客户争吵，投诉成立) is scored from a valid complaint's verdict here, so the demo
    records none by hand where the plugin is on."""
    return ["quarrel_with_customer"]


@hookimpl
def report_sections(floorwalker, project, period, user):
    """The complaints of the client report's period and how each was handled (report_section.py)."""
    from . import report_section
    return report_section.section(floorwalker, project, period, user)
