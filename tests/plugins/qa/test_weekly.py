"""The weekly QA summary (n, average, the items that lost most) with its training plan, late
ones waiting in "waiting for me", and the handbook that never shows a draft."""

import datetime as dt

import pytest

from floorwalker.core import ValidationError
from floorwalker.plugins.qa import evaluations, interactions, scorecards, weekly

FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0", "comment": "好"}
MONDAY = dt.date(2026, 3, 2)


def test_a_summary_is_due_on_the_setting_day_of_the_next_week():
    assert weekly.monday(dt.date(2026, 3, 8)) == MONDAY  # a Sunday belongs to its Monday's week
    assert weekly.due(MONDAY, 1) == dt.date(2026, 3, 9)
    assert weekly.due(MONDAY, 5) == dt.date(2026, 3, 13)


def test_the_figures_give_n_the_average_and_the_items_that_lost_most():
    def ev(score, lost):
        items = [{"section": "服务用语", "item": "语气亲切", "points": 5 - lost, "maximum": 5, "na": False},
                 {"section": "业务处理", "item": "记录完整", "points": 10, "maximum": 10, "na": False},
                 {"section": "加分项", "item": "主动营销成功", "points": 0, "maximum": 5, "na": False}]
        return {"score": score, "items": items, "sections": [{"title": "加分项", "weight": None}]}
    found = weekly.figures([ev(90, 2), ev(80, 1.5), ev(100, 0)])
    assert (found["n"], found["average"]) == (3, 90.0)
    assert found["lost"] == [{"section": "服务用语", "item": "语气亲切", "points": 3.5, "count": 2}]  # no bonus
    assert weekly.figures([]) == {"n": 0, "average": None, "lost": []}


@pytest.fixture
def evaluated(fw, published, tmp_path):
    """An evaluation made last week (the project's today moved on a week)."""
    today = fw.projects.today(fw.projects.get("acme"))
    path = tmp_path / "in.csv"
    path.write_text(f"id,agent,time,channel,transcript\nC1,1001,{today} 09:00:00,ticket,退款单\n", encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, {**FULL, "a-1-1": "no", "c-1-1": "漏记"}, "qa1")
    return today


def test_a_late_summary_waits_for_qa_until_it_is_submitted(fw, evaluated, monkeypatch, sign_in):
    project = fw.projects.get("acme")
    week = weekly.monday(evaluated)
    qa_user = {"username": "qa1", "roles": ["qa"], "projects": ["acme"]}
    sup_user = {"username": "sup1", "roles": ["supervisor"], "projects": ["acme"]}
    assert weekly.waiting(fw, project, qa_user) == []  # this week: not due yet
    later = week + dt.timedelta(days=7)  # the due Monday: still on time
    monkeypatch.setattr(type(fw.projects), "today", lambda self, p: later)
    assert weekly.waiting(fw, project, qa_user) == []
    monkeypatch.setattr(type(fw.projects), "today", lambda self, p: later + dt.timedelta(days=1))
    [late] = weekly.waiting(fw, project, qa_user)
    assert late.count == 1 and late.url.endswith("/qa/weekly") and late.title_zh == "逾期未交的每周质检小结"
    assert weekly.waiting(fw, project, sup_user) == []  # the supervisor receives it, writes none
    with pytest.raises(ValidationError) as refused:
        weekly.submit(fw, project, week, {"target-0": "team:day"}, "qa1")
    assert refused.value.problems == {"topic-0": "say what to train"}
    done = weekly.submit(fw, project, week, {"target-0": "team:day", "topic-0": "记录完整性",
                                             "target-1": "agent:1001", "topic-1": "开场白"}, "qa1")
    assert (done["n"], done["average"], done["late"]) == (1, 80.0, True)
    assert done["lost"][0]["item"] == "记录完整" and [p["target"] for p in done["plan"]] == ["team:day", "agent:1001"]
    assert weekly.waiting(fw, project, qa_user) == []
    client, _token = sign_in("qa8", "qa")
    listed = client.get("/p/acme/qa/weekly").text
    assert "已逾期" not in listed and "逾期" in listed  # submitted, and marked as late


def test_the_summary_is_written_and_read_through_the_pages(fw, evaluated, sign_in):
    week = weekly.monday(evaluated).isoformat()
    qa, token = sign_in("qa8", "qa")
    form = qa.get(f"/p/acme/qa/weekly/{week}")
    assert form.status_code == 200 and form.context["live"]["n"] == 1 and "team:day" in form.text
    bad = qa.post(f"/p/acme/qa/weekly/{week}", data={"csrf_token": token, "target-0": "agent:9999", "topic-0": "x"})
    assert bad.status_code == 422 and "target-0" in bad.context["problems"] and bad.context["values"]["topic-0"] == "x"
    ok = qa.post(f"/p/acme/qa/weekly/{week}", data={"csrf_token": token, "target-0": "team:day", "topic-0": "记录完整性",
                                                   "findings": "漏记较多"})
    assert ok.status_code == 303
    supervisor, token = sign_in("sup8", "supervisor")
    shown = supervisor.get(f"/p/acme/qa/weekly/{week}")
    assert "漏记较多" in shown.text and "记录完整性" in shown.text
    assert supervisor.post(f"/p/acme/qa/weekly/{week}", data={"csrf_token": token}).status_code == 403


def test_the_handbook_shows_the_published_standard_never_a_draft(fw, published, sign_in, make_card):
    agent, _token = sign_in("agent8", "agent", agent="1001")
    page = agent.get("/p/acme/qa/handbook")
    assert page.status_code == 200 and page.context["card"]["version"] == 1 and "辱骂客户" in page.text
    draft = scorecards.start_draft(fw, "acme", "qa1")
    rows = make_card()
    rows["sections"][0]["items"][0]["title"] = "草稿里的新项目"
    scorecards.save_draft(fw, "acme", rows, "qa1")
    page = agent.get("/p/acme/qa/handbook")
    assert page.context["card"]["version"] == 1 and "草稿里的新项目" not in page.text
    scorecards.publish(fw, "acme", draft["version"], "qa1")
    assert "草稿里的新项目" in agent.get("/p/acme/qa/handbook").text


def test_the_handbook_says_so_while_nothing_is_published(fw, sign_in, make_card):
    scorecards.save_draft(fw, "acme", make_card(), "qa1")
    agent, _token = sign_in("agent8", "agent", agent="1001")
    page = agent.get("/p/acme/qa/handbook")
    assert page.status_code == 200 and page.context["card"] is None and "辱骂客户" not in page.text
