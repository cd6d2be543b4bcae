"""The incentives plugin (激励): grade, pay float and flags on the month's score sheet, reversal
requests, tier suggestions, boards, and a back-test of rule changes before they are published.

The hook implementations below are thin: the rules are pure functions in `grades.py`, `tiers.py`,
`boards.py` and `backtest.py`; the records this plugin keeps (in ``projects/<slug>/incentives``)
are handled by `reversals.py`, `suggestions.py` and `drafts.py`; pages are in `pages.py` and
commands in `commands.py`. It imports only `floorwalker.core`.
"""

from __future__ import annotations

from floorwalker.core import KPI, AgentSection, Blocker, NavItem, hookimpl

from . import boards, columns, commands, demo, pages, reversals, settings, suggestions
from .grades import GRADES

NAME = settings.NAME


@hookimpl
def register_settings():
    return settings.SETTINGS


@hookimpl
def register_commands(cli):
    commands.register(cli)


@hookimpl
def register_actions():
    from .actions import ACTIONS
    return ACTIONS


@hookimpl
def register_routes():
    return pages.routes()


@hookimpl
def nav_items(floorwalker, project, user):
    """For everybody but an agent's login, whom every incentives page refuses."""
    if set(user.get("roles") or ()) <= {"agent"}:
        return []
    return [NavItem(NAME, "Incentives", "激励", f"{NAME}/", order=40)]


@hookimpl
def agent_sections(floorwalker, project, agent, period, user):
    row = next((r for r in floorwalker.ledger.sheet(project["slug"], period)
                if r["number"] == agent["number"]), None)
    staff = bool(user) and not set(user.get("roles") or ()) <= {"agent", "client"}
    open_month = period not in floorwalker.store.closed_months(project["slug"])
    reversible = boards.active_events(row) if row and open_month else []
    return [AgentSection(NAME, "Grade and pay float", "等级与绩效浮动", f"{NAME}/agent_section.html",
                         {"row": row, "staff": staff, "reversible": reversible,
                          "pay_from": settings.in_effect(floorwalker, project, period)["pay_from_month"]},
                         order=20)]


@hookimpl
def sheet_columns(floorwalker, project, period, rows):
    return columns.sheet_columns(floorwalker, project, period, rows)


@hookimpl
def project_kpis(floorwalker, project, period):
    rows = floorwalker.ledger.sheet(project["slug"], period)
    grades = [row.get("grade") for row in rows]
    kpis = [KPI(NAME, f"grade_{letter}", f"Agents graded {letter}", f"{letter} 级人数",
                grades.count(letter)) for letter in GRADES]
    # the average score is the core's own figure (every dashboard shows it), not repeated here
    kpis.append(KPI(NAME, "pay_float_total", "Pay float total", "绩效浮动合计",
                    sum(row.get("pay_float") or 0 for row in rows), unit="¥",
                    higher_is_better=False))
    return kpis


@hookimpl
def period_blockers(floorwalker, project, period):
    waiting = reversals.waiting(floorwalker, project["slug"], period)
    if not waiting:
        return []
    return [Blocker(NAME, "Reversal requests not yet decided", "冲销申请尚未审批", count=len(waiting),
                    url=f"/p/{project['slug']}/{NAME}/reversals")]


@hookimpl
def on_period_closing(floorwalker, project, period, user):
    settings.freeze(floorwalker, project, period, _actor(user))


@hookimpl
def on_period_closed(floorwalker, project, period, user):
    suggestions.refresh(floorwalker, project["slug"], _actor(user))


@hookimpl
def on_agent_tier_changed(floorwalker, project, agent, old_tier, new_tier, user):
    suggestions.record_change(floorwalker, project["slug"], agent, old_tier, new_tier,
                              _actor(user))


@hookimpl
def demo_data(floorwalker, project, months, rng, actor):
    demo.build(floorwalker, project, months, rng, actor)


def _actor(user) -> str:
    return user["username"] if user else "system"
