"""Every write is checked against the object it names: its project, and the team a team leader
leads (issue: trust boundaries).

The company of `conftest.make_company`: alpha has the day team (1001, 1002) and the night team
(1003); beta has 2001. ``team_leader1`` leads alpha's day team. For every action a plugin
declares as ``writes``, each case posts the same form about an agent (or team) of the leader's
own team, of another team, of another project and of nobody, and asserts: the own team's post
gets past authorisation, every other one is refused (403 or 404) and writes nothing. A new
write action without a case here fails `test_every_write_action_has_a_case`.
"""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from floorwalker.core.access import TEAM_ROLES

TODAY = dt.date.today()
DAY = (TODAY - dt.timedelta(days=1)).isoformat()
MONTH = DAY[:7]
# per target: (agent, team) — the leader's own team, another team, another project, nobody
TARGETS = {"own": ("1001", "day"), "other_team": ("1003", "night"),
           "other_project": ("2001", "main"), "nobody": ("9999", "nope")}


def _events(fw):
    """An event per target agent, for the forms that name an event."""
    found = {}
    for where, (agent, _) in TARGETS.items():
        project = "beta" if where == "other_project" else "alpha"
        if agent != "9999":
            found[agent] = fw.ledger.record(project, agent, "loud", DAY, "setup", reason="seen")["id"]
    found["9999"] = "no-such-event"
    found["swap"] = _accepted_swap(fw)
    found.update(_punch_requests(fw))
    found.update(_qa_disputes(fw))
    found["meeting"] = _meeting(fw)
    found.update(_questions(fw))
    return found


def _meeting(fw) -> str:
    """A department meeting of alpha yesterday, expecting both teams (its id: M0001)."""
    from floorwalker.plugins.meetings import records
    alpha = fw.projects.get("alpha")
    doc = records.new_doc(fw, alpha, kind="weekly", date=DAY, time="16:30", title="班务会",
                          expected=["1001", "1002", "1003"], chair="supervisor1", department=True)
    return records.add(fw, alpha, [doc], "setup")[0]["id"]


def _questions(fw) -> dict:
    """A question from the floor per target agent (``question:<agent>``), each in its project."""
    from floorwalker.plugins.meetings import questions
    found = {"question:9999": "no-such-question"}
    beta = fw.projects.get("beta")  # ids count per project: beta's is one alpha has not given
    for _ in range(3):
        questions.raise_question(fw, beta, {"username": "asker2001", "agent": "2001", "roles": ["agent"]}, "先问")
    for where, (agent, _) in TARGETS.items():
        if agent == "9999":
            continue
        project = fw.projects.get("beta" if where == "other_project" else "alpha")
        asker = {"username": f"asker{agent}", "agent": agent, "roles": ["agent"]}
        found[f"question:{agent}"] = questions.raise_question(fw, project, asker, "退款几天到账？")["id"]
    return found


def _qa_disputes(fw) -> dict:
    """An evaluation per target agent with its dispute raised (``dispute:<agent>``), each in its
    project, waiting for the agent's team leader to forward it."""
    from floorwalker.plugins.qa import disputes, evaluations
    found = {"dispute:9999": "no-such-dispute"}
    for where, (agent, _) in TARGETS.items():
        project = "beta" if where == "other_project" else "alpha"
        if agent != "9999":
            ev = {"id": f"ev-{agent}", "kind": "evaluation", "agent": agent, "date": DAY,
                  "evaluator": "qa1", "submitted_at": f"{DAY}T10:00:00.000"}
            doc = {"id": f"dispute-{agent}", "evaluation": ev["id"], "evaluation_date": DAY, "agent": agent,
                   "evaluator": "qa1", "kind": "disputed", "state": "raised", "at": f"{DAY}T11:00:00",
                   "date": DAY, "by": agent, "history": [], "items": [{"position": 0, "reason": "x"}]}
            with fw.store.transaction(fw.store.period_key(project, "qa_evaluations", MONTH), "setup", "test") as tx:
                tx.insert(evaluations.TABLE, ev)
            with fw.store.transaction(fw.store.period_key(project, disputes.FOLDER, MONTH), "setup", "test") as tx:
                tx.insert(disputes.TABLE, doc)
            found[f"dispute:{agent}"] = doc["id"]
    return found


def _punch_requests(fw) -> dict:
    """A missed-punch request waiting per target agent (``punch:<agent>``), each in its project."""
    from floorwalker.plugins.attendance import punch_requests, roster
    found = {"punch:9999": "no-such-request"}
    for where, (agent, _) in TARGETS.items():
        project = "beta" if where == "other_project" else "alpha"
        if agent != "9999":
            doc = {"id": f"punch-{agent}", "agent": agent, "date": DAY, "at": f"{DAY}T08:05:00",
                   "kind": "in", "reason": "forgot", "status": "pending", "asked_by": agent}
            with fw.store.transaction(roster.month_key(fw, project, MONTH), "setup", "test") as tx:
                tx.insert(punch_requests.PUNCH_REQUESTS, doc)
            found[f"punch:{agent}"] = doc["id"]
    return found


def _accepted_swap(fw) -> str:
    """A swap between the day team's 1001 and the night team's 1003, waiting for both leaders."""
    from floorwalker.plugins.attendance import roster, swaps
    doc = {"id": "swap-1", "date": DAY, "status": "accepted", "teams": ["day", "night"],
           "approvals": {}, "reason": "", "asked_by": "1001",
           "first": {"agent": "1001", "date": DAY, "shift": "D", "team": "day"},
           "second": {"agent": "1003", "date": DAY, "shift": "N", "team": "night"}}
    with fw.store.transaction(roster.month_key(fw, "alpha", MONTH), "setup", "test") as tx:
        tx.insert(swaps.SWAPS, doc)
    return doc["id"]


# action -> (url under /p/alpha/, form for (agent, team, events))
CASES = {
    "attendance.roster.edit": ("attendance/roster?team=day&month=" + MONTH,
                               lambda a, t, e: {f"cell|{a}|{DAY}": "-", "team": "day", "month": MONTH}),
    "attendance.roster.edit:pattern": ("attendance/roster/pattern",
                                       lambda a, t, e: {"team": t, "month": MONTH, "do": "set",
                                                        **{f"day{n}": "-" for n in range(7)}}),
    "attendance.punch.correct": ("attendance/punches",
                                 lambda a, t, e: {"do": "add", "punch_agent": a, "at": f"{DAY} 08:00",
                                                  "note": "clock broke"}),
    "attendance.exception.resolve": ("attendance/exceptions",
                                     lambda a, t, e: {"agent": a, "date": DAY, "note": "seen"}),
    "attendance.mark": ("attendance/marks",
                        lambda a, t, e: {"agent": a, "date": DAY, "kind": "away", "minutes": "30",
                                         "note": "away"}),
    "attendance.handover": ("attendance/handover",
                            lambda a, t, e: {"do": "write", "team": t, "date": DAY, "from_shift": "D",
                                             "to_shift": "N", "outgoing": "x", "incoming": "y"}),
    "attendance.handover:deduct": ("attendance/handover",
                                   lambda a, t, e: {"do": "deduct", "agent": a, "date": DAY,
                                                    "from_shift": "D", "to_shift": "N"}),
    "attendance.punch_request.decide": ("attendance/punch-requests/decide",
                                        lambda a, t, e: {"id": e[f"punch:{a}"], "decision": "reject",
                                                         "reason": "seen on camera"}),
    "attendance.swap.decide": ("attendance/approvals",
                               lambda a, t, e: {"what": "swap", "id": e["swap"], "team": t,
                                                "decision": "approve"}),
    "incentives.record": ("incentives/record",
                          lambda a, t, e: {"agent": a, "rule": "loud", "date": DAY, "points": "-2",
                                           "note": "loud"}),
    "incentives.judgement": ("incentives/judgement",
                             lambda a, t, e: {"agent": a, "month": MONTH, "points": "-5", "note": "poor"}),
    "incentives.reversal.ask": ("incentives/reversals",
                                lambda a, t, e: {"event": e[a], "reason": "wrong agent"}),
    "qa.dispute.forward": ("qa/disputes/forward", lambda a, t, e: {"id": e[f"dispute:{a}"], "do": "forward"}),
    "meetings.attendance": ("meetings/M0001/attendance", lambda a, t, e: {f"state-{a}": "present"}),
    "meetings.coach": ("meetings/coaching", lambda a, t, e: {"agent": a, "reason": "服务态度需改进"}),
    # the question's id is in the path: the url is made per target
    "meetings.answer_question": (lambda a, t, e: f"meetings/questions/{e[f'question:{a}']}/answer",
                                 lambda a, t, e: {"text": "3 个工作日内到账", "meeting": ""}),
}


def _url(url, agent, team, events) -> str:
    return url(agent, team, events) if callable(url) else url
# write actions a team leader does not hold by default: the supervisor of alpha posts another
# project's or nobody's record and is refused (the matrix shows the leader's 403)
SUPERVISOR_CASES = {
    "attendance.leave.decide": ("attendance/approvals",
                                lambda a, t, e: {"what": "leave", "id": "no-such-request",
                                                 "decision": "approve"}),
    "attendance.excuse.decide": ("attendance/approvals",
                                 lambda a, t, e: {"what": "excuse", "agent": a, "date": DAY,
                                                  "decision": "reject", "reason": "no"}),
    # the team leaders' own months: the trainer's and supervisors', never a team leader's (matrix)
    "incentives.leaders": ("incentives/leaders/judgement",
                           lambda a, t, e: {"agent": a, "month": MONTH, "points": "2", "note": "good"}),
    # a dispute is decided by a supervisor, never a team leader (matrix): another project's is not found
    "qa.dispute.decide": ("qa/disputes/decide",
                          lambda a, t, e: {"id": e[f"dispute:{a}"], "o-0": "rejected", "note": "x"}),
    "attendance.roster.import": None,   # a whole file: refused to team leaders (matrix)
    "attendance.punch.import": None,
}


def test_every_write_action_has_a_case(app):
    writes = {name for name, action in app.state.shell.fw.access.actions.items() if action.writes}
    covered = {name.split(":")[0] for name in CASES} | set(SUPERVISOR_CASES)
    assert sorted(writes - covered) == [], "write actions without a team-scope case"


def test_team_roles_are_the_team_leaders():
    assert TEAM_ROLES == {"team_leader"}


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.json")) if "sessions" not in p.name}


@pytest.fixture
def scoped(fresh, sign_in, csrf):
    fw, app = fresh
    events = _events(fw)
    clients = {}

    def post(username, url, form):
        if username not in clients:
            clients[username] = sign_in(app, username)
        client = clients[username]
        return client.post(f"/p/alpha/{url}", data={"csrf_token": csrf(client), **form})
    return fw, events, post


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_team_leader_writes_only_for_the_team_they_lead(scoped, case):
    fw, events, post = scoped
    url, form = CASES[case]
    for where in ("other_team", "other_project", "nobody"):
        agent, team = TARGETS[where]
        before = snapshot(fw.store.root)
        r = post("team_leader1", _url(url, agent, team, events), form(agent, team, events))
        assert r.status_code in (403, 404), (where, r.status_code, re.findall(r"class=\"(?:error|errors)[^>]*>(.*?)<", r.text, re.S))
        assert snapshot(fw.store.root) == before, f"{case}: a refused {where} post wrote something"
    agent, team = TARGETS["own"]
    r = post("team_leader1", _url(url, agent, team, events), form(agent, team, events))
    assert r.status_code not in (403, 404), re.findall(r"class=\"(?:error|errors)[^>]*>(.*?)<", r.text, re.S)  # past authorisation: saved or a form error


@pytest.mark.parametrize("case", sorted(set(CASES) | {k for k, v in SUPERVISOR_CASES.items() if v}))
def test_a_supervisor_cannot_reach_another_projects_records(scoped, case):
    fw, events, post = scoped
    url, form = CASES.get(case) or SUPERVISOR_CASES[case]
    for where in ("other_project", "nobody"):
        agent, team = TARGETS[where]
        before = snapshot(fw.store.root)
        r = post("supervisor1", _url(url, agent, team, events), form(agent, team, events))
        assert r.status_code in (403, 404, 422), (where, r.status_code)
        assert snapshot(fw.store.root) == before, f"{case}: a refused {where} post wrote something"


def test_qa_changes_no_attendance_or_pay(scoped):
    fw, events, post = scoped
    for case, (url, form) in sorted(CASES.items()):
        before = snapshot(fw.store.root)
        r = post("qa1", _url(url, *TARGETS["own"], events), form(*TARGETS["own"], events))
        assert r.status_code == 403, (case, r.status_code)
        assert snapshot(fw.store.root) == before


def test_an_admin_gives_qa_an_action_for_one_project_only(scoped):
    fw, events, post = scoped
    fw.access.set_roles("alpha", "incentives.record", ["supervisor", "qa"], "root")
    r = post("qa1", "incentives/record", CASES["incentives.record"][1]("1003", "night", events))
    assert r.status_code == 303
    assert "team_leader" not in fw.access.roles("incentives.record", fw.projects.get("alpha"))
    assert "qa" not in fw.access.roles("incentives.record", fw.projects.get("beta"))
    r = post("team_leader1", "incentives/record", CASES["incentives.record"][1]("1001", "day", events))
    assert r.status_code == 403
    fw.access.set_roles("alpha", "incentives.record", None, "root")
    assert fw.access.roles("incentives.record", fw.projects.get("alpha")) >= {"team_leader"}


def test_a_client_or_agent_cannot_be_given_what_their_role_was_not(fresh):
    from floorwalker.core import ValidationError
    fw, _ = fresh
    for role in ("client", "agent"):
        with pytest.raises(ValidationError):
            fw.access.set_roles("alpha", "incentives.manage", ["supervisor", role], "root")
    assert fw.access.set_roles("alpha", "attendance.report", ["supervisor"], "root")
    assert fw.access.roles("attendance.report", fw.projects.get("alpha")) == {"admin", "supervisor"}
