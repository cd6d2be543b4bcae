"""The shell's hooks: settings, routes, actions, navigation, dashboards, KPIs, reports,
commands, imports, demo data, jobs, agenda, waiting items, home panels, settings changes and
migrations.

Declared here to keep each module short, and re-exported by `core/hookspecs.py`, which the
plugin manager reads and whose top docstring is the manual's introduction (the argument
vocabulary, dating records, where a plugin's files live).
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("floorwalker")

# ------------------------------------------------------------------ shell


@hookspec
def register_settings():
    """Return the per-project settings this plugin understands, with defaults.

    :returns: a list of `Setting`.

    Called once at start; project settings are validated against them on every change.
    Example: ``[Setting("late_grace_minutes", "int", 0, "Late grace", "迟到宽限", min=0)]``
    """


@hookspec
def register_routes():
    """Return this plugin's web routes, mounted under ``/p/{project}/{plugin}/``.

    :returns: a list of `Route`, each naming the `action` that `authorize()` checks.

    Called once when the app is built; routes answer only where the project enables the plugin
    and the user may see the project. An endpoint is a plain function ``endpoint(page) ->
    Response``; the `Page` carries ``fw``, ``project``, ``user``, ``locale``, ``form``,
    ``render(template, **context)``, ``redirect(url)``, ``authorize(action, obj)`` and
    ``agent_name(agent, n)``. The action is one the plugin declares with `register_actions`;
    the route checks the user's role for it, and the endpoint passes the record it acts on to
    ``page.authorize(action, obj)`` (``obj`` names its ``agent`` or ``team``, and ``date``
    where it has one), so a team leader writes only for the teams they lead and an agent
    reaches only its own records.
    Example: ``[Route("/floor", floor_view, action="attendance.view")]``
    """


@hookspec
def register_actions():
    """Return the actions this plugin's pages and forms perform, with the roles that hold them.

    :returns: a list of `Action`, each named ``<plugin>.<thing>``.

    Called once at start; a route naming an undeclared action stops start-up. ``authorize()``
    reads the roles from here, or from the project's own choice an admin made. A ``writes``
    action is held by a team leader only for the teams they lead: the endpoint passes the
    record (its ``agent`` or ``team``) to ``page.authorize``.
    Example: ``[Action("attendance.punch.correct", ("admin", "director", "supervisor",
    "team_leader"), "Correct punches", "更正打卡", writes=True)]``
    """


@hookspec
def nav_items(floorwalker, project, user):
    """Return navigation entries for *project* as seen by *user*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project shown.
    :param user: the viewer.
    :returns: a list of `NavItem`.

    Called on every page of the project. Example: ``[NavItem("qa", "QA", "质检", "qa/")]``
    """


@hookspec
def dashboard_widgets(floorwalker, project, period, user):
    """Return widgets for the project dashboard. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param period: the month shown.
    :param user: the viewer.
    :returns: a list of `Widget`.

    Called on every view of the dashboard. Example: today's attendance at a glance.
    """


@hookspec
def register_kpis():
    """Return the KPIs this plugin can compute, each declared once with how it adds up.

    :returns: a list of `KPIDef` (``code``, ``title_en``, ``title_zh``, ``unit``,
        ``higher_is_better``, ``aggregate`` "sum" | "mean" | "ratio" | "distinct", ``audience`` "internal" |
        "client", optional ``action`` a reader must hold); codes are unique across the install.

    Called once at start (``floorwalker.kpi_defs``). Reports, the home page and the dashboard
    read them: only ``audience="client"`` figures reach a client or an agent login, and a figure
    naming an ``action`` reaches only its holders, so pay stays ``internal`` behind
    ``incentives.pay``.
    Example: ``[KPIDef("attendance_rate", "Attendance rate", "出勤率", "%", True, "ratio",
    "client")]``
    """


@hookspec
def project_kpis(floorwalker, project, period, first=None, last=None):
    """Return the figures this plugin computes for *project* over a span. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param period: the month the span lies in (``YYYY-MM``).
    :param first: the span's first day (None from a caller that asks for the month only).
    :param last: the span's last day (None likewise; a week's Sunday for a week).
    :returns: a list of `KPI`, their codes declared with `register_kpis`; give ``n`` (and
        ``numerator`` / ``denominator`` for a ratio) where you can.

    Called for dashboards and client reports. An implementation that takes only ``period``
    keeps working for months. Example: attendance rate 97.5 % (1,170 of 1,200 agent-days,
    n=1,200) against 95 %.
    """


@hookspec
def report_sections(floorwalker, project, period, user):
    """Return sections for the client report of *period*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param period: the period reported: a month ``YYYY-MM``, or a week ``YYYY-Www`` (or its
        Monday ``YYYY-MM-DD``); ``validate.period_bounds(period)`` gives its first and last day.
    :param user: the viewer (a client login sees masked names).
    :returns: a list of `ReportSection`.

    Called when a report is viewed or exported. Example: QA results with the month's trend.
    """


@hookspec
def register_endpoints():
    """Return this plugin's endpoints of the JSON API (``/api/v1``).

    :returns: a list of `Endpoint` (``method``, ``path``, ``handler``, ``action``, ``summary``,
        optional ``params``, ``body``, ``response``, ``example``, ``body_example``, ``paged``,
        ``cursor``, ``status``, ``tag``); a plugin's paths begin ``/projects/{project}/<plugin>/``.

    Called once at start. Each endpoint is routed and documented (``/api/v1/openapi.json``) from
    this one declaration; a call reaches ``handler(call)`` only with a valid token whose user holds
    ``action`` in the project (the plugin enabled there), a write only with a token that writes,
    and a body that matches ``body``. The handler authorises its object with
    ``call.authorize(action, {"agent": …})`` as a page does, and returns JSON-able data.
    Example: ``Endpoint("POST", "/projects/{project}/attendance/punches", add_punches,
    "attendance.punch", "Punches from a clock", body=PUNCHES)``.
    """


@hookspec
def rule_changes(floorwalker, project, first, last):
    """Return the rules of *project* this plugin changed from *first* to *last*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param first: the span's first day.
    :param last: the span's last day.
    :returns: a list of `RuleChange` (``day``, ``title_en``, ``title_zh``, optional
        ``detail_en``, ``detail_zh``), each dated inside the span.

    Called by the client report, which lists "the rules that changed in the period" beside its
    own contract versions: a client holds the floor to figures measured against rules, and a
    rule changed mid-month explains a figure. Example: QA returns ``RuleChange(date(2026, 3,
    9), "QA standard version 3 published", "质检标准第 3 版发布")``.
    """


@hookspec
def register_commands(cli):
    """Add this plugin's commands to the ``floorwalker`` command line.

    :param cli: the root click group; add a group or command to it.
    :returns: nothing.

    Called once when the CLI is built, after the core's own commands are added the same way. A
    command takes the CLI's `Session` (``@click.pass_obj``: ``fw``, ``actor``, ``locale``,
    ``say``, ``show`` …) and the options the core's commands use (`project_option`,
    `month_option`, `format_option`), all from `floorwalker.core`. Example::

        @cli.group()
        def attendance(): ...
    """


@hookspec
def register_importers():
    """Return the file imports this plugin offers (csv / xlsx), all-or-nothing.

    :returns: a list of `Importer`.

    Called by ``floorwalker import``, which lists them and runs one on a file (the plugin's own
    pages offer their uploads). Example: punch-clock exports.
    """


@hookspec
def demo_data(floorwalker, project, months, rng, actor, today):
    """Add realistic demo records for *project* over *months*. Project-scoped.

    :param floorwalker: the facade.
    :param project: a demo project, its agents and teams already stored.
    :param months: the demo months, oldest first, as ``YYYY-MM``.
    :param rng: a seeded ``random.Random``: use only it, so a seed gives the same company.
    :param actor: the name to record as the writer.
    :param today: the demo's today (a ``datetime.date``): nothing is dated after it.
    :returns: nothing.

    Called by ``floorwalker demo`` once per project that enables the plugin, before any month
    of the demo is closed. Example: qa writes 1–5 evaluations per agent and month, each drawn
    with ``rng``, and records their results in one batch per month.
    """


@hookspec
def demo_data_after_close(floorwalker, project, months, rng, actor, today):
    """Add the demo records that need the demo's oldest month closed. Project-scoped.

    :param floorwalker: the facade.
    :param project: a demo project, its `demo_data` in and ``months[0]`` closed.
    :param months: the demo months, oldest first, as ``YYYY-MM``.
    :param rng: the demo's seeded ``random.Random``: use only it.
    :param actor: the name to record as the writer.
    :param today: the demo's today (a ``datetime.date``): nothing is dated after it.
    :returns: nothing.

    Called by ``floorwalker demo`` once per project that enables the plugin, right after the
    oldest month closed: what happens to a closed month's records later (a correction goes into
    an open month). Example: qa decides a dispute of an evaluation of the closed month, whose
    score moves through an adjustment in the next month.
    """


@hookspec
def register_jobs():
    """Return the work this plugin wants done on a timer.

    :returns: a list of `Job` (``name``, ``every`` as a timedelta or minutes, ``run``); ``run``
        is called as ``run(floorwalker, project, now)`` for each project that enables the
        plugin, *now* being the project's wall-clock time (``floorwalker.projects.now``).

    Called once at start (``floorwalker.jobs``). ``floorwalker serve`` runs the jobs that are
    due in a background thread, and ``floorwalker jobs run`` does the same from cron; each run
    is recorded per job and project (``floorwalker jobs`` lists them). A job is idempotent:
    the server and a cron line may both run it, and a failed run is run again.
    Example: ``[Job("dispute_windows", timedelta(hours=1), close_expired_disputes)]``
    """


@hookspec
def agenda_items(floorwalker, project, meeting, day, user):
    """Return material for the agenda of a meeting on *day*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param meeting: the meeting document (its ``kind``: ``handover``, ``briefing``, ``weekly``,
        ``monthly``, ``qa_analysis``, ``review``; its ``date`` and ``time``).
    :param day: the meeting's date (``datetime.date``).
    :param user: who drafts the agenda (the chair); whoever sees the meeting reads it, so
        offer nothing a team leader may not see (never pay).
    :returns: a list of `AgendaItem` (``title_en``, ``title_zh``, ``template``, ``context``,
        ``order``), none for a kind the plugin has nothing for.

    Called when the chair drafts an agenda: each item's template is rendered then, in every
    language, with its context, and the result kept in the meeting, so the minutes keep what
    was shown. Example: attendance offers today's absences and swaps for the morning briefing.
    """


@hookspec
def waiting_items(floorwalker, project, user):
    """Return what waits for *user*'s decision in *project*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param user: the signed-in user (only what this user may decide).
    :returns: a list of `WaitingItem` (``title_en``, ``title_zh``, ``count``, ``url``), none
        with a count of 0.

    Called on the project's dashboard, which shows the total as "waiting for me" and each
    item as a link. Example: attendance returns 3 leave requests waiting for a supervisor.
    """


@hookspec
def home_panels(floorwalker, project, user):
    """Return what this plugin puts on *user*'s home page for *project*. Project-scoped.

    :param floorwalker: the facade.
    :param project: a project the user may see.
    :param user: the signed-in user: answer for their role (a team leader's teams are in
        ``user["teams"]``, an agent login's own number in ``user["agent"]``).
    :returns: a list of `Widget` (the dashboard's record: titles, a template, its context,
        ``order``), or none where the role has nothing of yours to see today.

    Called on every view of the home page, once per project the user may see, so keep it
    cheap: read today, not the month. Show only what the role may read, and a link only where
    ``floorwalker.access.can(user, action, project)`` allows it. Each panel is drawn in the
    project's card; a director's table of several projects draws it in the project's row.
    Example: attendance shows a supervisor today's floor (in, late, not yet in, absent, on
    leave), a team leader who of their team is in, and an agent its shift and its requests.
    """


@hookspec
def on_settings_changed(floorwalker, project, plugin, before, after, user):
    """React to a plugin's settings of *project* having changed. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project document after the change.
    :param plugin: whose settings changed (``core`` for the core's: rule points, escalation …).
    :param before: that plugin's effective settings before the change.
    :param after: its effective settings after.
    :param user: who changed them (None from the CLI and the system).
    :returns: nothing.

    Called after the change is stored, for every enabled plugin: compare ``plugin`` with your
    own name and the values you depend on. Example: QA re-derives the month's events when its
    score bands change.
    """


@hookspec
def register_migrations():
    """Return the numbered schema steps of the files this plugin owns.

    :returns: a list of `Migration` (``kind``, ``steps``): ``kind`` is the plugin's name for its
        project file, or ``<plugin>_<table>`` for a month table; ``steps[i]`` upgrades the
        file's tables from version i + 1 to i + 2, in place.

    Called once at start (``floorwalker.migrations``): each kind must belong to the plugin and
    each step be a function, else start-up stops naming the plugin. A file of that kind records
    its version beside the core's schema; the store runs the steps it has not had, once, under
    the file's lock, when the file is first read (keeping the old file as ``.prev``, the upgrade
    audited), and every later write carries the latest version.
    Example: ``[Migration("qa", (split_reviewer_name,))]``
    """
