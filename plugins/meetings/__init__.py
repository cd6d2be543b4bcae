"""Meetings (会议): the cadence of a floor's meetings, attendance that scores, minutes signed by
the chair, action items carried until done, and coaching items from QA and complaints.

The modules, from the rules outwards:

* `cadence` — when each kind of meeting falls in a month (the holiday calendar, 调休), pure;
* `records` — meetings planned and run: expected, agenda, minutes, sign-off, the CLI's JSON;
* `attendance` — present / excused (the platform's leave) / absent, and ``missed_meeting``;
* `agenda` — the agenda drafted from the plugins' `agenda_items`, edited, frozen with the minutes;
* `items` — action items carried into the next meeting of the kind; `reports` — the team
  leaders' monthly service-quality reports; `coaching` — the items QA and complaints open, or
  a leader by hand, their session, the agent's acknowledgement and the follow-up; `questions` —
  the floor's questions, collected for the next briefing and answered for everyone;
* `pages` (with `answer_pages`, `coaching_pages`, `question_pages`), `commands` — the web and
  the command line.

It imports only `floorwalker.core`.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import Evidence, NavItem, ScoreRule, WaitingItem, hookimpl

from .actions import MINE, REPORT, VIEW
from .config import NAME, SETTINGS

TITLE = ("Meetings", "会议")

RULES = [ScoreRule("missed_meeting", "medium", -10, "Missed a department meeting without leave", "无故缺席部门会议",
                   derived=True)]  # moved from the core's catalogue: written from a meeting's attendance


@hookimpl
def register_settings():
    from .answers import SETTINGS as ANSWERS
    from .coaching import SETTINGS as COACHING
    from .figures import SETTINGS as FIGURES
    return SETTINGS + ANSWERS + FIGURES + COACHING


@hookimpl
def register_kpis():
    from .figures import KPIS
    return KPIS


@hookimpl
def project_kpis(floorwalker, project, period, first, last):
    from .figures import kpis
    return kpis(floorwalker, project, period, first, last)


@hookimpl
def dashboard_widgets(floorwalker, project, period, user):
    from .figures import widgets
    return widgets(floorwalker, project, period, user)


@hookimpl(trylast=True)  # after attendance's demo data: the leave that excuses is known by then
def demo_data(floorwalker, project, months, rng, actor, today):
    """Three months of meetings from the cadence, run and signed (demo.py)."""
    from .demo import build
    build(floorwalker, project, months, rng, actor, today)


@hookimpl
def demo_data_after_close(floorwalker, project, months, rng, actor, today):
    """An absence of the closed month excused afterwards: a correction in the open month (demo.py)."""
    from .demo import after_close
    after_close(floorwalker, project, months, rng, actor, today)


@hookimpl
def register_actions():
    from .actions import ACTIONS
    return ACTIONS


@hookimpl
def register_routes():
    from .answer_pages import routes as answer_routes  # before the meeting pages' /{id}
    from .coaching_pages import routes as coaching_routes
    from .pages import routes
    from .question_pages import routes as question_routes
    return answer_routes() + coaching_routes() + question_routes() + routes()


@hookimpl
def register_endpoints():
    """The JSON API: a month's meetings, a meeting (api.py)."""
    from .api import ENDPOINTS
    return ENDPOINTS


@hookimpl
def register_score_rules():
    return RULES


@hookimpl
def derived_rules():
    """``missed_meeting`` is written from a meeting's attendance, never recorded by hand."""
    return ["missed_meeting"]


@hookimpl
def register_commands(cli):
    from .commands import meetings
    cli.add_command(meetings)


@hookimpl
def nav_items(floorwalker, project, user):
    if floorwalker.access.can(user, VIEW, project):
        return [NavItem(NAME, "Meetings", "会议", f"{NAME}/", order=45)]
    if floorwalker.access.can(user, MINE, project):
        return [NavItem(NAME, "My meetings", "我的会议", f"{NAME}/mine", order=45)]
    return []


@hookimpl
def waiting_items(floorwalker, project, user):
    """Action items past their due date that the user owns; a team leader's monthly
    service-quality report until handed in; for a supervisor, the reports late past the day."""
    from . import answers, coaching, items, questions, reports
    base = f"/p/{project['slug']}/{NAME}"
    owners = {user["username"], *([user["agent"]] if user.get("agent") else [])}
    late = [i for i in items.overdue(floorwalker, project) if i["owner"] in owners]
    found = [WaitingItem("Overdue action items", "逾期待办事项", len(late),
                         f"{base}/mine" if "agent" in (user.get("roles") or ()) else f"{base}/items")]
    if floorwalker.access.can(user, REPORT, project):
        month = floorwalker.projects.today(project).isoformat()[:7]
        missing = reports.missing(floorwalker, project, month)
        if user["username"] in missing:
            found.append(WaitingItem("Monthly service-quality report to hand in", "待提交月度服务质量报告", 1,
                                     f"{base}/reports"))
        elif {"supervisor", "director"} & set(user.get("roles") or ()) and \
                floorwalker.projects.today(project).isoformat() > reports.due_day(floorwalker, project, month):
            found.append(WaitingItem("Service-quality reports past their day", "逾期未交的服务质量报告",
                                     len(missing), f"{base}/reports"))
    found += answers.waiting(floorwalker, project, user)  # unified answers the agent has not signed
    found += coaching.waiting(floorwalker, project, user) + questions.waiting(floorwalker, project, user)
    return [w for w in found if w.count]


@hookimpl
def period_blockers(floorwalker, project, period):
    """Meetings of the month that took place but whose minutes the chair has not signed."""
    from .answers import blockers
    return blockers(floorwalker, project, period)


@hookimpl(specname="agenda_items")
def own_agenda_items(floorwalker, project, meeting, day):
    """Meetings' own material: questions from the floor and unified answers not signed by all
    (briefing), open action items (weekly), next month's goals (monthly) — agenda.py."""
    from . import agenda
    return agenda.own_items(floorwalker, project, meeting, day)


@hookimpl(specname="describe_evidence")
def meeting_evidence(floorwalker, project, events):
    """无故缺席 班务会 · 11月16日, for the ``missed_meeting`` events a meeting's attendance wrote."""
    from babel.dates import format_skeleton

    from . import records
    found = {}
    meetings = None
    for event in events:
        if event.get("source") == NAME and (event.get("evidence") or "").startswith(f"{NAME}:meeting:"):
            if meetings is None:
                meetings = {d["id"]: d for d in records.all_of(floorwalker, project)}
            ident = event["evidence"].rsplit(":", 1)[1]
            doc = meetings.get(ident)
            if doc is not None:  # the meeting's kind and day, as people name it
                found[event["id"]] = Evidence(records.label(doc, "en"), records.label(doc, "zh_CN"))
                continue
            day = dt.date.fromisoformat(event["date"][:10])
            found[event["id"]] = Evidence(f"Meeting · {format_skeleton('MMMd', day, locale='en')}",
                                          f"会议 · {format_skeleton('MMMd', day, locale='zh_CN')}")
    return found


@hookimpl(specname="evidence_links")
def meeting_evidence_links(floorwalker, project, events, user):
    """A ``missed_meeting`` event opens its meeting (for whoever sees the meetings)."""
    if not floorwalker.access.can(user, VIEW, project):
        return {}
    return {e["id"]: f"/p/{project['slug']}/{NAME}/{e['evidence'].rsplit(':', 1)[1]}" for e in events
            if e.get("source") == NAME and (e.get("evidence") or "").startswith(f"{NAME}:meeting:")}


# ------------------------------------------------------------------ the hooks QA and complaints declared


@hookimpl(optionalhook=True)
def qa_coaching_item(floorwalker, project, evaluation):
    """An evaluation flagged for coaching opens a coaching item for the agent's team leaders."""
    from . import coaching
    return coaching.from_evaluation(floorwalker, project, evaluation) or None


@hookimpl(optionalhook=True)
def complaints_coaching_item(floorwalker, project, complaint, leaders):
    """A valid complaint against an agent opens a coaching item for its team leaders."""
    from . import coaching
    return coaching.from_complaint(floorwalker, project, complaint, leaders) or None
