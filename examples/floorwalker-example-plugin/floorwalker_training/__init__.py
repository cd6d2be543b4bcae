"""floorwalker-training: trainers' assessments (培训考核) as a Floorwalker plugin.

An example of a third-party plugin, complete but small. It shows each part a real plugin has:

* score rules it adds to the catalogue (`register_score_rules`) — a bonus for a top result, a
  deduction for a failed one;
* per-project settings with defaults and bounds (`register_settings`);
* its own records, kept through the store's API in ``projects/<slug>/training`` (a plugin never
  opens a data file itself), each ledger event pointing at the session that caused it
  (`records.py`);
* a page listing the project's sessions with a form to schedule one (`register_routes`), under
  actions of its own (`register_actions`), and an entry in the project's navigation
  (`nav_items`) — `pages.py`, `actions.py`, ``templates/training/``;
* a command, ``floorwalker training list --project P`` (`register_commands`, `commands.py`);
* a job that marks sessions past their day without a result as due for one (`register_jobs`);
* a blocker that stops a month closing while a session has no result (`period_blockers`);
* a section on the agent's month page (`agent_sections`) rendered from its own template;
* a reaction to an agent leaving (`on_agent_left`): future sessions are dropped;
* its words in Chinese, in ``locale/zh_CN/LC_MESSAGES/training.po``.

It imports only `floorwalker.core`, the API the core promises to plugins (docs/plugin-api.md).
Every hook below is project-scoped unless said otherwise: the core calls it only for projects
that enable `training`.
"""

from __future__ import annotations

from datetime import timedelta

from floorwalker.core import AgentSection, Blocker, Job, NavItem, ScoreRule, Setting, hookimpl

from . import commands, pages, records
from .actions import ACTIONS, VIEW
from .records import NAME, mark_due, record_result, schedule, sessions
from .rules import FAILED, PASSED, unscored

__all__ = ["record_result", "schedule", "sessions"]


@hookimpl
def register_score_rules():
    """Called once at start (not project-scoped): the codes must be unique in the install."""
    return [
        ScoreRule(PASSED, "bonus", 3, "Top result in a training assessment", "培训考核成绩优秀"),
        ScoreRule(FAILED, "light", -2, "Failed a training assessment", "培训考核不及格",
                  min_points=-5, max_points=-2),
    ]


@hookimpl
def register_settings():
    return [
        Setting("pass_mark", "int", 80, "Pass mark of an assessment", "考核及格分", min=0, max=100),
        Setting("top_mark", "int", 95, "Mark that earns the bonus", "获得加分的成绩", min=0, max=100),
    ]


@hookimpl
def register_actions():
    return ACTIONS


@hookimpl
def register_routes():
    return pages.routes()


@hookimpl
def nav_items(floorwalker, project, user):
    if not floorwalker.access.can(user, VIEW, project):
        return []
    return [NavItem(NAME, "Training", "培训", f"{NAME}/", order=60)]


@hookimpl
def register_commands(cli):
    """Called once when the command line is built (not project-scoped)."""
    cli.add_command(commands.training)


@hookimpl
def register_jobs():
    """Called once at start; the job runs hourly in each project that enables the plugin."""
    return [Job("due_results", timedelta(hours=1), mark_due)]


@hookimpl
def period_blockers(floorwalker, project, period):
    waiting = unscored(sessions(floorwalker, project["slug"]), period)
    if not waiting:
        return []
    return [Blocker(NAME, "Training sessions without a result", "培训考核尚未录入成绩",
                    count=len(waiting), url=f"/p/{project['slug']}/{NAME}/")]


@hookimpl
def agent_sections(floorwalker, project, agent, period):
    mine = [s for s in sessions(floorwalker, project["slug"], agent["number"])
            if s["date"].startswith(period)]
    return [AgentSection(NAME, "Training", "培训", f"{NAME}/agent_section.html",
                         {"sessions": mine}, order=60)]


@hookimpl
def on_agent_left(floorwalker, project, agent, date):
    """A leaver keeps the sessions already held; those booked after the last day are dropped."""
    records.drop_after(floorwalker, project["slug"], agent["number"], date)
