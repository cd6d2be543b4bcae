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

# the shell's hooks are declared in shell_hooks.py (one module would pass 500 lines)
from .shell_hooks import (agenda_items, dashboard_widgets, demo_data,  # noqa: F401
                          demo_data_after_close, home_panels, nav_items, on_settings_changed, project_kpis,
                          register_actions, register_commands, register_endpoints, register_importers,
                          register_jobs, register_kpis, register_migrations, register_routes,
                          register_settings, report_sections, rule_changes, waiting_items)

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


@hookspec
def agent_shifts(floorwalker, project, first, last):
    """Return the shifts agents are rostered on between *first* and *last*. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :param first: the first work date asked about.
    :param last: the last work date asked about.
    :returns: a list of `RosteredShift` (``agent``, ``date``, ``start``, ``end``, ``shift``,
        ``job_type``, ``break_minutes``), one per agent and work date, less approved leave: leave
        over part of a shift cuts it (or splits it in two), leave over all of it drops it.

    Called by plugins that count who is on the floor when, at a finer grain than
    `agent_availability`'s days (the staffing plan counts the agents rostered in each half
    hour against the agents the traffic needs). Ask through the core:
    ``floorwalker.project_hook(project, "agent_shifts")``.
    Example: attendance returns ``RosteredShift("1001", date(2026, 3, 2),
    datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 17, 0), "D", "voice", 60)``.
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
    :returns: a list of `SheetColumn`, each with a value per agent number; a column naming an
        ``action`` is shown on the sheet page and its exports only to holders of it.

    Called whenever a sheet is built (pages, exports, ``floorwalker scores``).
    Example: incentives adds ``grade`` and ``pay_float`` (behind ``incentives.pay``).
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
    Example: attendance links ``attendance:day:1001:2026-11-03`` to that day's punches.
    """


@hookspec
def describe_evidence(floorwalker, project, events):
    """Return how the evidence and the reason of score events read, in both languages.
    Project-scoped.

    :param floorwalker: the facade.
    :param project: the project of the page.
    :param events: the events shown (dicts with ``id``, ``source``, ``evidence``, ``reason`` …),
        read-only.
    :returns: a dict of event id → `Evidence`, for the events this plugin wrote (others left
        out): a short title of the evidence for a person (never its key), and the event's reason
        in both languages where the plugin wrote that reason from words of its own (a stored
        reason stays plain text, so the plugin reads its own wording back).

    Called wherever score events are listed, beside `evidence_links`, so a Chinese page shows
    考勤 · 12月4日 and 迟到 34 分钟 rather than ``attendance:day:1001:2026-12-04`` and
    ``late 34 min``. Example::

        return {e["id"]: Evidence("Attendance · Dec 4", "考勤 · 12月4日",
                                  "late 34 min", "迟到 34 分钟") for e in mine}
    """


@hookspec
def derived_rules(floorwalker, project):
    """Return the codes of the catalogue's rules this plugin derives from its own records in
    *project*, events no person picks. Project-scoped.

    :param floorwalker: the facade.
    :param project: the project.
    :returns: a list of rule codes (``str``), each a rule of the catalogue whose events this
        plugin writes with ``ledger.settle`` from its evidence in the project.

    Called by ``floorwalker demo``, which records by hand only the core's rules that no enabled
    plugin derives, so nothing is scored twice. Example: attendance returns
    ``["late_or_early", "absent"]``, which it derives from the roster and the punches.
    """
