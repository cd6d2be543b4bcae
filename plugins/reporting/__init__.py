"""Client reporting (报表反馈): the traffic the telephony and chat platforms export, the client's
contract with versioned KPI targets and its service-level formula, KPIs by day, week and month,
Erlang C staffing against the roster, the issues the client raises and how each is closed, and
the weekly and monthly client report.

The modules, from the rules outwards:

* `traffic` — interval and agent-day traffic, imported all-or-nothing, a re-imported day replaced;
* `contracts` — the contract's versions (targets, penalties, owners, the service-level formula);
* `kpis` — the figures of any span from traffic and from every plugin's KPIs, against target;
* `staffing` — Erlang C, the forecast and the roster's agents per interval; `charts` — SVG;
* `issues` — the client's issues (闭环); `pages`, `commands` — the web and the command line.

It imports only `floorwalker.core`.
"""

from __future__ import annotations

from floorwalker.core import hookimpl

from .config import NAME

TITLE = ("Client reporting", "报表反馈")


@hookimpl
def register_settings():
    from .issues import SETTINGS as ISSUE_SETTINGS
    from .portal import SETTINGS as PORTAL_SETTINGS
    from .staffing import SETTINGS as STAFFING_SETTINGS
    return [*STAFFING_SETTINGS, *ISSUE_SETTINGS, *PORTAL_SETTINGS]


@hookimpl
def register_actions():
    from .actions import ACTIONS
    return ACTIONS


@hookimpl
def register_routes():
    from .issue_pages import routes as issue_routes
    from .portal import routes as portal_routes
    from .traffic_pages import routes as traffic_routes
    from .contract_pages import routes as contract_routes
    from .kpi_pages import routes as kpi_routes
    from .staffing_pages import routes as staffing_routes
    from .report_pages import routes as report_routes
    return [*portal_routes(), *traffic_routes(), *issue_routes(), *contract_routes(), *kpi_routes(),
            *staffing_routes(), *report_routes()]


@hookimpl
def register_kpis():
    from .kpis import TRAFFIC
    return TRAFFIC


@hookimpl
def project_kpis(floorwalker, project, period, first, last):
    """The traffic figures against the contract (`kpis.hook_kpis`); the other plugins give theirs."""
    from .kpis import hook_kpis
    return hook_kpis(floorwalker, project, period, first, last)


@hookimpl
def register_importers():
    from .traffic_import import IMPORTERS
    return IMPORTERS


@hookimpl
def register_endpoints():
    from .api import ENDPOINTS
    return ENDPOINTS


@hookimpl
def register_commands(cli):
    from .commands import reporting
    from .kpi_commands import kpis_command
    reporting.add_command(kpis_command)
    from .staffing_commands import staffing_command
    reporting.add_command(staffing_command)
    from .report_commands import report_command
    reporting.add_command(report_command)
    cli.add_command(reporting)


@hookimpl
def register_jobs():
    """Each week's report published on the Monday after it, each month's on the 1st."""
    from datetime import timedelta

    from floorwalker.core import Job

    from .report import publish_due
    return [Job("reports", timedelta(hours=1),
                lambda floorwalker, project, now: publish_due(floorwalker, project, now, floorwalker.render))]


@hookimpl
def on_period_closing(floorwalker, project, period, user):
    """The month's report and its weeks' built a last time and frozen, dated in the month."""
    from .report import closing
    closing(floorwalker, project, period, (user or {}).get("username") or "system", floorwalker.render)


_TRAFFIC_SEEDS: dict = {}  # (install, project) -> the draw the traffic demo is seeded with


@hookimpl
def demo_data(floorwalker, project, months, rng, actor, today):
    """The traffic's one draw of the demo's generator, taken here, where it always was (the other
    plugins' draws stay as they were); the traffic itself is built last (`traffic_demo`)."""
    _TRAFFIC_SEEDS[(id(floorwalker), project["slug"])] = rng.random()


@hookimpl(trylast=True, specname="demo_data")  # after attendance's demo data: the traffic follows its roster
def traffic_demo(floorwalker, project, months, rng, actor, today):
    import random

    from .demo import build
    seed = _TRAFFIC_SEEDS.pop((id(floorwalker), project["slug"]), None)
    build(floorwalker, project, months, random.Random(rng.random() if seed is None else seed), actor, today)


@hookimpl
def demo_data_after_close(floorwalker, project, months, rng, actor, today):
    """Every ended demo period gets its report, as the job would have published it (the closed
    month's are frozen by its closing)."""
    from datetime import datetime, time

    from .report import publish_due
    publish_due(floorwalker, project, datetime.combine(today, time(6)), floorwalker.render)


@hookimpl
def nav_items(floorwalker, project, user):
    """One entry for the plugin: the staff's menu of its pages (the client's portal)."""
    from floorwalker.core import NavItem

    from .portal import shown_to
    if shown_to(floorwalker, project, user):
        return [NavItem(NAME, "Client reporting", "报表反馈", f"{NAME}/", order=60)]
    return []


@hookimpl
def waiting_items(floorwalker, project, user):
    """Client issues unanswered past the answer time (their owner's; every one for a
    supervisor), without an owner (a supervisor's), answered and waiting for the client."""
    from floorwalker.core import WaitingItem

    from .actions import ISSUES
    if not floorwalker.access.can(user, ISSUES, project):
        return []
    from .issues import waiting
    counts = waiting(floorwalker, project, user)
    url = f"/p/{project['slug']}/{NAME}/issues"
    return [item for item in (
        WaitingItem("Client issues past the answer time", "超时未答复的甲方问题", counts["late"], url + "?status=overdue"),
        WaitingItem("Client issues without an owner", "未指定负责人的甲方问题", counts["unassigned"], url + "?status=open"),
        WaitingItem("Answered issues to confirm", "已答复待确认的问题", counts["confirm"], url + "?status=answered"))
        if item.count]


@hookimpl
def home_panels(floorwalker, project, user):
    from .portal import home_panel
    return home_panel(floorwalker, project, user)


@hookimpl(specname="demo_data")
def contract_versions_demo(floorwalker, project, months, actor):
    """The contract's versions (one change mid-month) and the project's own targets."""
    from .contract_demo import build
    build(floorwalker, project, months, actor)


@hookimpl(specname="demo_data")
def client_issues_demo(floorwalker, project, months, rng, actor, today):
    """Client issues in every state (after the traffic: the issues read no other data)."""
    from .issue_demo import build
    build(floorwalker, project, rng, actor, today)
