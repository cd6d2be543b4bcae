"""The client's issues (闭环): the answer time on business hours and the holiday calendar, the loop
from raising to closing, what the client reads, "waiting for me", the report's span, and the
pages' scope (another project's client, an agent)."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.reporting import issues


def _user(fw, name):
    return fw.users.get(name)


def _raise(fw, project, clock, at, subject="排队时间过长", by="hotline.client", **kw):
    clock.now = at
    return issues.raise_issue(fw, project, subject, "早高峰排队超过 3 分钟", by, **kw)


@pytest.mark.parametrize("raised, due", [
    # Friday 17:00: one business hour left that day, three more on Monday morning
    (dt.datetime(2026, 11, 13, 17, 0), dt.datetime(2026, 11, 16, 12, 0)),
    # the eve of National Day: the week off is skipped, the first working day's morning
    (dt.datetime(2026, 9, 30, 17, 0), dt.datetime(2026, 10, 8, 12, 0)),
    # a Friday before a make-up Saturday (调休): due that Saturday
    (dt.datetime(2026, 10, 9, 17, 0), dt.datetime(2026, 10, 10, 12, 0)),
    # raised in the evening: counted from the next opening
    (dt.datetime(2026, 11, 16, 20, 30), dt.datetime(2026, 11, 17, 13, 0)),
    # raised in the morning: answered the same day
    (dt.datetime(2026, 11, 17, 9, 30), dt.datetime(2026, 11, 17, 13, 30)),
])
def test_the_first_answer_is_due_within_half_a_business_day(fw, project, clock, raised, due):
    doc = _raise(fw, project, clock, raised)
    assert doc["due"] == due.isoformat(sep=" ")
    assert issues.clock(doc, due) == "running"
    assert issues.clock(doc, due + dt.timedelta(minutes=1)) == "overdue"


def test_the_answer_time_is_a_setting_in_business_hours(fw, project, clock):
    fw.projects.configure("hotline", "reporting", {"issue_answer_hours": 2}, "admin")
    project = fw.projects.get("hotline")
    doc = _raise(fw, project, clock, dt.datetime(2026, 11, 13, 17, 0))
    assert doc["due"] == "2026-11-16 10:00:00"


def test_the_loop_from_raised_to_confirmed_is_timestamped_and_audited(fw, project, clock):
    doc = _raise(fw, project, clock, dt.datetime(2026, 11, 16, 10, 0))
    clock.now = dt.datetime(2026, 11, 16, 10, 20)
    issues.assign(fw, project, doc["id"], "hotline.team_leader", "hotline.supervisor")
    clock.now = dt.datetime(2026, 11, 16, 11, 0)
    issues.respond(fw, project, doc["id"], "note", "早班两人病假", _user(fw, "hotline.team_leader"))
    assert issues.get(fw, project, doc["id"])["status"] == "open"  # a note is no answer
    clock.now = dt.datetime(2026, 11, 16, 11, 30)
    issues.respond(fw, project, doc["id"], "answer", "已调配两人支援早高峰", _user(fw, "hotline.team_leader"))
    clock.now = dt.datetime(2026, 11, 17, 9, 0)
    done = issues.confirm(fw, project, doc["id"], "确认", "hotline.client")
    assert (done["status"], done["closed_how"], done["answered_at"], done["closed_at"]) == \
        ("closed", "confirmed", "2026-11-16 11:30:00", "2026-11-17 09:00:00")
    assert [(s["step"], s["at"], s["by"]) for s in done["steps"]] == [
        ("raise", "2026-11-16 10:00:00", "hotline.client"),
        ("assign", "2026-11-16 10:20:00", "hotline.supervisor"),
        ("note", "2026-11-16 11:00:00", "hotline.team_leader"),
        ("answer", "2026-11-16 11:30:00", "hotline.team_leader"),
        ("confirm", "2026-11-17 09:00:00", "hotline.client")]
    assert issues.clock(done, clock.now) == "met"
    audit = [(e["actor"], e["action"]) for e in fw.store.audit_entries(issues.key(fw, "hotline"))]
    assert audit == [("hotline.client", "reporting.issue.raise"), ("hotline.supervisor", "reporting.issue.assign"),
                     ("hotline.team_leader", "reporting.issue.note"), ("hotline.team_leader", "reporting.issue.answer"),
                     ("hotline.client", "reporting.issue.confirm")]


def test_only_the_owner_or_a_supervisor_answers_and_a_closed_issue_waits_for_a_reopen(fw, project, clock):
    doc = _raise(fw, project, clock, dt.datetime(2026, 11, 16, 10, 0))
    issues.assign(fw, project, doc["id"], "hotline.team_leader", "hotline.supervisor")
    with pytest.raises(PermissionDenied):
        issues.respond(fw, project, doc["id"], "answer", "答复", _user(fw, "shop.team_leader"))
    with pytest.raises(Conflict):  # nothing to confirm before an answer
        issues.confirm(fw, project, doc["id"], "", "hotline.client")
    with pytest.raises(ValidationError):  # the supervisor says why it is closed
        issues.close(fw, project, doc["id"], "", "hotline.supervisor")
    issues.close(fw, project, doc["id"], "甲方电话确认已解决", "hotline.supervisor")
    with pytest.raises(Conflict):
        issues.respond(fw, project, doc["id"], "answer", "再答复", _user(fw, "hotline.supervisor"))
    back = issues.reopen(fw, project, doc["id"], "问题再次出现", "hotline.client")
    assert (back["status"], back["closed_at"]) == ("open", None)
    with pytest.raises(ValidationError):  # an owner is one of the project's staff
        issues.assign(fw, project, doc["id"], "hotline.client", "hotline.supervisor")


def test_a_late_answer_waits_for_the_owner_and_the_supervisor(fw, project, clock):
    doc = _raise(fw, project, clock, dt.datetime(2026, 11, 13, 17, 0))
    issues.assign(fw, project, doc["id"], "hotline.team_leader", "hotline.supervisor")
    _raise(fw, project, clock, dt.datetime(2026, 11, 13, 17, 5), subject="无人负责")
    owner, sup = _user(fw, "hotline.team_leader"), _user(fw, "hotline.supervisor")
    clock.now = dt.datetime(2026, 11, 16, 11, 59)  # not late yet
    assert issues.waiting(fw, project, owner)["late"] == 0
    clock.now = dt.datetime(2026, 11, 16, 12, 1)
    assert issues.waiting(fw, project, owner)["late"] == 1
    assert issues.waiting(fw, project, sup)["late"] == 1  # the other is due at 12:05
    clock.now = dt.datetime(2026, 11, 16, 12, 6)
    assert issues.waiting(fw, project, sup) == {"late": 2, "unassigned": 1, "confirm": 0}
    # the hook: the owner's "waiting for me" shows it, with a link to the overdue list
    from floorwalker.core import WaitingItem
    from floorwalker.core.plugins import collect
    items = collect(fw.project_hook(project, "waiting_items"), WaitingItem, floorwalker=fw, project=project,
                    user=owner)
    assert [(w.title_zh, w.count, w.url) for w in items] == [
        ("超时未答复的甲方问题", 1, "/p/hotline/reporting/issues?status=overdue")]
    issues.respond(fw, project, doc["id"], "answer", "已处理", owner)
    assert issues.waiting(fw, project, owner)["late"] == 0
    assert issues.clock(issues.get(fw, project, doc["id"]), clock.now) == "late"  # answered late, kept


def test_the_report_span_reads_each_issue_as_it_stood_at_the_end(fw, project, clock):
    old = _raise(fw, project, clock, dt.datetime(2026, 10, 20, 10, 0), subject="上月已结")
    issues.respond(fw, project, old["id"], "answer", "已处理", _user(fw, "hotline.supervisor"))
    clock.now = dt.datetime(2026, 10, 21, 10, 0)
    issues.confirm(fw, project, old["id"], "", "hotline.client")
    carried = _raise(fw, project, clock, dt.datetime(2026, 10, 30, 10, 0), subject="跨月未结")
    clock.now = dt.datetime(2026, 11, 2, 10, 0)
    issues.respond(fw, project, carried["id"], "note", "内部：待甲方回复", _user(fw, "hotline.supervisor"))
    clock.now = dt.datetime(2026, 11, 3, 10, 0)
    issues.respond(fw, project, carried["id"], "answer", "已答复", _user(fw, "hotline.supervisor"))
    clock.now = dt.datetime(2026, 12, 2, 10, 0)
    issues.confirm(fw, project, carried["id"], "", "hotline.client")  # after the span
    found = issues.in_span(fw, project, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [f["id"] for f in found] == [carried["id"]]  # the October one closed before it began
    (row,) = found
    assert (row["status"], row["closed_at"], row["answer"]) == ("answered", None, "late")
    assert [s["step"] for s in row["steps"]] == ["raise", "answer"]  # no internal note
    assert issues.in_span(fw, project, dt.date(2026, 12, 1), dt.date(2026, 12, 31))[0]["closed_how"] == "confirmed"


# ---------------------------------------------------------------- the pages


def test_the_client_raises_an_issue_and_reads_the_answer_but_not_the_notes(fw, project, clock, login, csrf):
    client = login("client")
    r = client.post("/p/hotline/reporting/issues", data={"csrf_token": csrf(client), "subject": "日报缺满意度",
                                                        "details": "日报满意度为空", "source": "visit",
                                                        "raised_at": "2020-01-01 09:00"})
    assert r.status_code == 303
    doc = issues.get(fw, project, r.headers["location"].rsplit("/", 1)[1])
    assert (doc["source"], doc["raised_at"], doc["raised_by"]) == ("portal", "2026-11-16 10:00:00", "hotline.client")
    issues.respond(fw, project, doc["id"], "note", "INTERNAL-内部备注", _user(fw, "hotline.supervisor"))
    issues.respond(fw, project, doc["id"], "answer", "已修正映射并补发日报", _user(fw, "hotline.supervisor"))
    page = client.get(f"/p/hotline/reporting/issues/{doc['id']}")
    assert page.status_code == 200
    assert "已修正映射并补发日报" in page.text and "INTERNAL" not in page.text
    assert [s["step"] for s in page.context["doc"]["steps"]] == ["raise", "answer"]
    staff = login("supervisor").get(f"/p/hotline/reporting/issues/{doc['id']}")
    assert "INTERNAL-内部备注" in staff.text
    r = client.post(f"/p/hotline/reporting/issues/{doc['id']}/client",
                    data={"csrf_token": csrf(client), "step": "confirm", "text": "好"})
    assert r.status_code == 303 and issues.get(fw, project, doc["id"])["status"] == "closed"
    # the client cannot take the staff's steps
    r = client.post(f"/p/hotline/reporting/issues/{doc['id']}/steps",
                    data={"csrf_token": csrf(client), "step": "note", "text": "x"})
    assert r.status_code == 403


def test_the_staff_enter_an_issue_on_the_clients_behalf(fw, project, clock, login, csrf):
    sup = login("supervisor")
    r = sup.post("/p/hotline/reporting/issues", data={
        "csrf_token": csrf(sup), "subject": "现场巡检：未用标准开场白", "source": "inspection",
        "contact": "甲方王经理", "raised_at": "2026-11-13 17:00", "owner": "hotline.team_leader"})
    assert r.status_code == 303
    doc = issues.get(fw, project, r.headers["location"].rsplit("/", 1)[1])
    assert (doc["source"], doc["contact"], doc["owner"], doc["due"]) == \
        ("inspection", "甲方王经理", "hotline.team_leader", "2026-11-16 12:00:00")
    bad = sup.post("/p/hotline/reporting/issues", data={"csrf_token": csrf(sup), "subject": "", "raised_at": "x"})
    assert bad.status_code == 422 and "subject" in bad.context["errors"]


def test_a_client_of_another_project_and_an_agent_are_kept_out(fw, project, clock, login):
    doc = _raise(fw, project, clock, dt.datetime(2026, 11, 16, 9, 0))
    other = login("client", "shop")
    assert other.get("/p/hotline/reporting/issues").status_code == 404
    assert other.get(f"/p/hotline/reporting/issues/{doc['id']}").status_code == 404
    assert other.get("/p/hotline/reporting/").status_code == 404
    assert other.get(f"/p/shop/reporting/issues/{doc['id']}").status_code == 404  # not shop's issue
    agent = login("agent")
    assert agent.get("/p/hotline/reporting/issues").status_code == 403
    assert agent.get(f"/p/hotline/reporting/issues/{doc['id']}").status_code == 403


@pytest.mark.parametrize("day", range(16, 23))  # whatever the weekday the demo is built on
def test_the_demo_has_an_issue_in_every_state(fw, project, clock, day):
    import random

    from floorwalker.plugins.reporting import issue_demo
    clock.now = dt.datetime(2026, 11, day, 10, 0)
    made = issue_demo.build(fw, project, random.Random(7), "demo", clock.now.date())
    states = {(d["status"], d["closed_how"], issues.clock(d, clock.now), any(s["step"] == "reopen" for s in d["steps"]))
              for d in made}
    assert {("closed", "confirmed", "met", False), ("closed", "supervisor", "met", False),
            ("answered", None, "met", True), ("answered", None, "late", False),
            ("open", None, "overdue", False), ("open", None, "running", False)} <= states
    assert any(not d["owner"] for d in made) and any(s["step"] == "note" for d in made for s in d["steps"])
