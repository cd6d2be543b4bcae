"""The incentives plugin (激励): grade, pay float and flags on the month's score sheet, reversal
requests, tier suggestions, boards, and a back-test of rule changes before they are published.

The hook implementations below are thin: the rules are pure functions in `grades.py`, `tiers.py`,
`boards.py` and `backtest.py`; the records this plugin keeps (in ``projects/<slug>/incentives``)
are handled by `reversals.py`, `suggestions.py` and `drafts.py`; pages are in `pages.py` and
commands in `commands.py`. It imports only `floorwalker.core`.
"""

from __future__ import annotations

from floorwalker.core import KPI, AgentSection, Blocker, KPIDef, NavItem, WaitingItem, hookimpl

from . import boards, columns, commands, demo, home, pages, reversals, settings, suggestions
from .actions import MANAGE, PAY
from .grades import GRADES, employment_month, grade, pay_float

NAME = settings.NAME
TITLE = ("Incentives", "激励")  # what the admin pages call this plugin


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
def register_endpoints():
    from .api import ENDPOINTS
    return ENDPOINTS


@hookimpl
def nav_items(floorwalker, project, user):
    """For everybody but an agent's login, whom every incentives page refuses."""
    if set(user.get("roles") or ()) <= {"agent"}:
        return []
    return [NavItem(NAME, "Incentives", "激励", f"{NAME}/", order=40)]


@hookimpl
def agent_sections(floorwalker, project, agent, period, user):
    leader = agent.get("position") == "team_leader"  # on the leaders' sheet, not the agents'
    row = next((r for r in floorwalker.ledger.sheet(project["slug"], period, leaders=leader)
                if r["number"] == agent["number"]), None)
    staff = bool(user) and not set(user.get("roles") or ()) <= {"agent", "client"}
    open_month = period not in floorwalker.store.closed_months(project["slug"])
    reversible = boards.active_events(row) if row and open_month else []
    # an agent sees its own pay; others only with the pay action (a team leader sees the grade)
    pay = bool(user) and (user.get("agent") == agent["number"] or floorwalker.access.can(user, PAY, project))
    titles = ("Grade and pay float", "等级与绩效浮动") if pay else ("Grade", "等级")
    return [AgentSection(NAME, *titles, f"{NAME}/agent_section.html",
                         {"row": row, "staff": staff, "reversible": reversible, "pay": pay,
                          "pay_from": settings.in_effect(floorwalker, project, period)["pay_from_month"]},
                         order=20)]


@hookimpl
def sheet_columns(floorwalker, project, period, rows):
    return columns.sheet_columns(floorwalker, project, period, rows)


# grades and pay are the BPO's own business: never in a client's report; pay only for its holders
# the grade counts are the parts of one whole: pages draw them as one bar, not a tile each
KPIS = [KPIDef(f"grade_{letter}", f"Agents graded {letter}", f"{letter} 级人数", "", True, "sum",
               "internal", group_en="Grades", group_zh="等级", part=letter) for letter in GRADES]
KPIS.append(KPIDef("pay_float_total", "Pay float total", "绩效浮动合计", "¥", False, "sum", "internal",
                   action=PAY))


@hookimpl
def register_kpis():
    return KPIS


@hookimpl
def project_kpis(floorwalker, project, period):
    """Monthly figures (grades are given per month): a shorter span reports its month's."""
    # each grade and pay float as the sheet's columns work them out (`columns.values`), from the
    # core's rows only: the months before, which only the sheet's flags read, are left unbuilt
    # (the home asks every project of a director for these on each view)
    rows = floorwalker.ledger.sheet(project["slug"], period, columns=False)
    rules = settings.in_effect(floorwalker, project, period)
    grades = [grade(row["total"], rules["grade_bands"]) for row in rows]
    pay = [pay_float(row["total"], employment_month(row["hired"], period), rules) for row in rows]
    sheet = f"/p/{project['slug']}/{NAME}/sheet?month={period}"
    kpis = [KPI(code=k.code, title_en=k.title_en, title_zh=k.title_zh, value=grades.count(letter),
                n=len(rows), url=sheet) for k, letter in zip(KPIS, GRADES)]
    # the average score is the core's own figure (every dashboard shows it), not repeated here
    kpis.append(KPI(code="pay_float_total", title_en="Pay float total", title_zh="绩效浮动合计",
                    value=sum(pay), unit="¥",
                    higher_is_better=False, n=len(rows), url=sheet))
    return kpis


@hookimpl
def waiting_items(floorwalker, project, user):
    """Reversal requests waiting for a manager's decision."""
    if not floorwalker.access.can(user, MANAGE, project):
        return []
    count = len(reversals.requests(floorwalker, project["slug"], reversals.PENDING))
    return [WaitingItem("Reversal requests to decide", "待审批的冲销申请", count,
                        f"/p/{project['slug']}/{NAME}/reversals")] if count else []


@hookimpl
def agenda_items(floorwalker, project, meeting, day):
    """The month's score sheet in short for the monthly meeting — never pay (agenda.py)."""
    from . import agenda
    return agenda.items(floorwalker, project, meeting, day)


@hookimpl
def home_panels(floorwalker, project, user):
    return home.panels(floorwalker, project, user)


@hookimpl
def period_blockers(floorwalker, project, period):
    slug, found = project["slug"], []
    waiting = reversals.waiting(floorwalker, slug, period)
    if waiting:
        found.append(Blocker(NAME, "Reversal requests not yet decided", "冲销申请尚未审批",
                             count=len(waiting), url=f"/p/{slug}/{NAME}/reversals"))
    faulted = boards.faulted_awards(floorwalker.ledger.sheet(slug, period, columns=False))
    if faulted:
        # given before a violation was recorded: a person reverses the award or the violation
        found.append(Blocker(NAME, "Best of the month given to an agent with a violation since",
                             "“全体坐席之首”获得者当月又有违规记录", count=len(faulted),
                             url=f"/p/{slug}/agents/{faulted[0]}?month={period}"))
    return found


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
