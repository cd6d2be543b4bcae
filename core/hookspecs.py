"""Every hook a Floorwalker plugin may implement, grouped: agents, periods, scores, shell.

The core's hooks are declared here; a plugin declares hooks of its own for other plugins in its
own ``hookspecs.py``, documented the same way, and implements another plugin's hook with
``@hookimpl(optionalhook=True)`` so that it still loads where that plugin is not installed.

The docstrings are the plugin author's manual (`docs/plugin-hooks.md` is generated from them and
a test keeps it current). Hooks are called by keyword with the shared vocabulary below; an
implementation declares only the arguments it uses:

- ``floorwalker`` — the `Floorwalker` facade (projects, agents, ledger, periods, store);
- ``project`` — the project document (a dict with ``slug``, ``settings`` …);
- ``period`` — a month as ``"YYYY-MM"``;
- ``agent`` — the agent document (``number``, ``name`` …);
- ``user`` — the signed-in user document, or None for the CLI and the system;
- ``first``, ``last`` — a span of days as ``datetime.date``, both included;
- ``settings`` — the plugin's validated settings for the project.

Project-scoped hooks (marked so below) are called only for the plugins the project enables.
A plugin keeps its records through ``floorwalker.store`` (``store.plugin_key(project, name)`` for
one file, ``store.period_key(project, name, month)`` for a month's file). Once a month closes
the store refuses to change anything dated in it. Date a record explicitly with a top-level
``dated``: ``"YYYY-MM"`` (a complaint received on 28 November and judged in December is
December's) or None (a record of no month, such as settings frozen about a closed month). A
record without ``dated`` is dated by its ``period`` (YYYY-MM) or else its ``date`` (YYYY-MM-DD),
and everything in a month's own file is that month's. Score events go through
``floorwalker.ledger``: ``settle`` writes what a plugin's evidence wants and reverses the
rest, and ``correct`` turns a change to a closed month into an adjustment in an open one.
A plugin's templates live in ``templates/`` beside its module and its static files (a
stylesheet) in ``static/``, served at
``/static/plugins/<name>/``. Its translations live in ``locale/`` beside its module too
(``locale/zh_CN/LC_MESSAGES/<name>.po``, read as they are, no .mo to compile) and are merged
into the catalogs when the plugin is loaded; it translates the messages its code and templates
use, except those the core already translates.
A complete third-party plugin to copy, with its packaging and tests, is in
``examples/floorwalker-example-plugin/``.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("floorwalker")
hookimpl = pluggy.HookimplMarker("floorwalker")

# ------------------------------------------------------------------ agents


@hookspec
def on_agent_created(floorwalker, project, agent, user):
    """React to a new agent joining *project*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project the agent was assigned to.
    :param agent: the new agent document.
    :param user: who added the agent (None from an import by the system).
    :returns: nothing.

    Called after the agent is stored: for an agent added alone, and for each agent of an
    import to a plugin that does not implement `on_agents_created`.
    Example: the attendance plugin gives the agent the team's default roster.
    """


@hookspec
def on_agents_created(floorwalker, project, agents, user):
    """React to several agents joining *project* at once (an import). Project-scoped.

    :param floorwalker: the facade.
    :param project: the project the agents were assigned to.
    :param agents: the new agent documents, in the order of the file.
    :param user: who imported them (None for the system).
    :returns: nothing.

    Called once per import, after all the agents are stored, instead of `on_agent_created` per
    agent for a plugin that implements this (an agent added alone still gets
    `on_agent_created` where the plugin implements it). Write the batch as one commit.
    Example: attendance gives 500 imported agents their teams' patterns in one roster commit.
    """


@hookspec
def on_agent_moved(floorwalker, project, agent, assignment, previous, user):
    """React to an agent moving to another team or project from a date. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project the agent moves to.
    :param agent: the agent document.
    :param assignment: the new assignment (``project``, ``team``, ``start``).
    :param previous: the assignment that ended (its ``project`` is the one left), or None.
    :param user: who moved the agent.
    :returns: nothing.

    Called once after the move is stored, for the plugins enabled in the project moved to or in
    the project left (compare ``previous["project"]`` with ``project["slug"]``).
    Example: attendance drops the agent's shifts from ``assignment["start"]`` in the project left,
    or moves them to the new team within the same project.
    """


@hookspec
def on_agent_tier_changed(floorwalker, project, agent, old_tier, new_tier, user):
    """React to an agent's tier (普通 … 金牌) changing. Project-scoped.

    :param floorwalker: the facade.
    :param project: the agent's current project.
    :param agent: the agent document after the change.
    :param old_tier: the tier before.
    :param new_tier: the tier after.
    :param user: who decided it.
    :returns: nothing.

    Called after the change is stored. Example: incentives records the promotion date.
    """


@hookspec
def on_agent_left(floorwalker, project, agent, date, reason, user):
    """React to an agent leaving the company. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project the agent was on.
    :param agent: the agent document (status ``left``).
    :param date: the last day, ``YYYY-MM-DD``.
    :param reason: the leave reason code.
    :param user: who recorded it.
    :returns: nothing.

    Called after the leave is stored. Example: attendance drops the leaver's future shifts.
    """


@hookspec
def agent_sections(floorwalker, project, agent, period, user):
    """Return the sections this plugin adds to an agent's month page. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project of the page.
    :param agent: the agent shown.
    :param period: the month shown.
    :param user: the viewer (already allowed to see this agent).
    :returns: a list of `AgentSection`.

    Called on every view of the page. Example::

        return [AgentSection("qa", "Evaluations", "质检", "qa/agent_section.html", {...})]
    """


@hookspec
def agent_availability(floorwalker, project, first, last, agents):
    """Return when *agents* are away between *first* and *last*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param first: the first day asked about.
    :param last: the last day asked about.
    :param agents: the agent numbers asked about.
    :returns: a list of `Absence` (``agent``, ``first``, ``last``, ``kind``), clipped to the span.

    Called by plugins that plan around people without owning their time (QA sampling leaves out
    agents on leave; a staffing forecast counts who is in). Ask through the core, never by
    importing the plugin that knows: ``floorwalker.project_hook(project, "agent_availability")``.
    Example: attendance returns ``Absence("1001", date(2026, 3, 2), date(2026, 3, 4), "leave")``
    for approved leave, and a ``"rest"`` absence for each run of rest days in the roster.
    """


# ------------------------------------------------------------------ periods


@hookspec
def period_blockers(floorwalker, project, period):
    """Return what must be settled before *period* of *project* may close. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project being closed.
    :param period: the month being closed.
    :returns: a list of `Blocker` (empty when nothing blocks).

    Called on the periods page and before closing; any blocker stops the close.
    Example: attendance returns a Blocker for 3 leave requests still waiting for approval.
    """


@hookspec
def on_period_closing(floorwalker, project, period, user):
    """Finalise *period* of *project* just before it locks. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project being closed.
    :param period: the month being closed (still open during this call).
    :param user: who closes it.
    :returns: nothing.

    Called after the blockers came back empty; writes dated in the month still succeed here.
    Example: complaints records ``zero_valid_complaints`` for agents with none this month.
    """


@hookspec
def on_period_closed(floorwalker, project, period, user):
    """React to *period* of *project* having closed (it is locked now). Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param period: the month now closed.
    :param user: who closed it.
    :returns: nothing.

    Called once after the lock. Example: reporting freezes the month's client report.
    """


# ------------------------------------------------------------------ scores


@hookspec
def register_score_rules():
    """Return the score rules this plugin contributes to the catalogue.

    :returns: a list of `ScoreRule`; codes must be unique across the install.

    Called once at start. Example::

        return [ScoreRule("qa_fatal_error", "severe", -20, "QA fatal error", "质检致命错误")]
    """


@hookspec
def sheet_columns(floorwalker, project, period, rows):
    """Return columns this plugin adds to the month's score sheet. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param period: the month.
    :param rows: the sheet's rows (dicts with ``number``, ``total`` …), read-only.
    :returns: a list of `SheetColumn`, each with a value per agent number.

    Called whenever a sheet is built (pages, exports, ``floorwalker scores``).
    Example: incentives adds ``grade`` and ``pay_float``.
    """


@hookspec
def evidence_links(floorwalker, project, events, user):
    """Return where the evidence of score events can be seen. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project of the page.
    :param events: the events shown (dicts with ``id``, ``source``, ``evidence`` …), read-only.
    :param user: the viewer.
    :returns: a dict of event id → URL, for the events this plugin wrote (others left out).

    Called wherever score events are listed, so each event opens the record that caused it.
    The contract for evidence: an event a plugin writes has ``source`` = the plugin's name and
    ``evidence`` = ``<plugin>:<kind>:<id>`` (``ledger.settle`` keeps to it), so a plugin links
    exactly the events whose evidence starts with its own name.
    Example: attendance links ``attendance:day:1001:2026-11-03`` to that agent's month.
    """


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
        ``higher_is_better``, ``aggregate`` "sum" | "mean" | "ratio", ``audience`` "internal" |
        "client"); codes are unique across the install.

    Called once at start (``floorwalker.kpi_defs``). Reports and the client's view read them:
    only ``audience="client"`` figures reach a client, so pay figures stay ``internal``.
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
    :param period: the month (or week start) reported.
    :param user: the viewer (a client login sees masked names).
    :returns: a list of `ReportSection`.

    Called when a report is viewed or exported. Example: QA results with the month's trend.
    """


@hookspec
def register_commands(cli):
    """Add this plugin's commands to the ``floorwalker`` command line.

    :param cli: the root click group; add a group or command to it.
    :returns: nothing.

    Called once when the CLI is built. Example::

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
    :param meeting: the meeting document (its ``kind``: ``briefing``, ``team``, ``monthly`` …).
    :param day: the meeting's date (``datetime.date``).
    :param user: who prepares or reads the agenda.
    :returns: a list of `AgendaItem` (``title_en``, ``title_zh``, ``template``, ``context``,
        ``order``).

    Called when an agenda is drafted or shown; each item renders its template with its
    context. Example: attendance offers today's absences and swaps for the morning briefing.
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
    each step be a function, else start-up stops naming the plugin. The store does not run
    plugins' steps yet (its files carry the core's schema version only); declare them now so
    the upgrade path exists when it does.
    Example: ``[Migration("qa", (split_reviewer_name,))]``
    """
