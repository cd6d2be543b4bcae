"""Every hook a Floorwalker plugin may implement, grouped: agents, periods, scores, shell.

The docstrings are the plugin author's manual (`docs/plugin-hooks.md` is generated from them and
a test keeps it current). Hooks are called by keyword with the shared vocabulary below; an
implementation declares only the arguments it uses:

- ``floorwalker`` — the `Floorwalker` facade (projects, agents, ledger, periods, store);
- ``project`` — the project document (a dict with ``slug``, ``settings`` …);
- ``period`` — a month as ``"YYYY-MM"``;
- ``agent`` — the agent document (``number``, ``name`` …);
- ``user`` — the signed-in user document, or None for the CLI and the system;
- ``settings`` — the plugin's validated settings for the project.

Project-scoped hooks (marked so below) are called only for the plugins the project enables.
A plugin keeps its records through ``floorwalker.store`` (``store.plugin_key(project, name)`` for
one file, ``store.period_key(project, name, month)`` for a month's file); a record with a
top-level ``period`` (YYYY-MM) or ``date`` (YYYY-MM-DD) is dated in that month, and once the
month closes the store refuses to change it. A plugin's templates live in ``templates/`` beside
its module and its static files (a stylesheet) in ``static/``, served at
``/static/plugins/<name>/``.
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

    Called after the agent is stored, once per agent (also for each row of an import).
    Example: the attendance plugin gives the agent the team's default roster.
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
def project_kpis(floorwalker, project, period):
    """Return the figures this plugin computes for *project* in *period*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param period: the month.
    :returns: a list of `KPI`.

    Called for dashboards and client reports. Example: attendance rate 97.5 % against 95 %.
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
