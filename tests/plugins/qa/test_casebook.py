"""The casebook: an evaluation marked as a good or a bad case with its lesson, listed for QA
staff, and offered to the QA analysis meeting through the platform's `agenda_items` hook."""

import datetime as dt

import pytest

from floorwalker.core import AgendaItem, Conflict, ValidationError
from floorwalker.core.plugins import collect
from floorwalker.plugins.qa import casebook, evaluations, interactions

FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0", "comment": "好"}


@pytest.fixture
def ev(fw, published, tmp_path):
    today = fw.projects.today(fw.projects.get("acme"))
    path = tmp_path / "in.csv"
    path.write_text(f"id,agent,time,channel,transcript\nC1,1001,{today} 09:00:00,ticket,退款单\n", encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    return evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, {**FULL, "a-1-1": "no", "c-1-1": "漏记"}, "qa1")


def test_an_evaluation_becomes_a_case_once_with_its_lesson(fw, ev):
    project = fw.projects.get("acme")
    with pytest.raises(ValidationError) as no_lesson:
        casebook.mark(fw, project, ev["id"], "bad", "  ", "qa1")
    assert no_lesson.value.field == "lesson"
    with pytest.raises(ValidationError):
        casebook.mark(fw, project, ev["id"], "so-so", "x", "qa1")
    case = casebook.mark(fw, project, ev["id"], "bad", "退款必须记录单号", "qa1")
    assert case["lost"] == [{"section": "业务处理", "item": "记录完整", "points": 0, "maximum": 10, "comment": "漏记"}]
    with pytest.raises(Conflict):
        casebook.mark(fw, project, ev["id"], "good", "again", "qa1")
    assert [c["id"] for c in casebook.cases(fw, "acme", "bad")] == [case["id"]] and casebook.cases(fw, "acme", "good") == []


def test_the_qa_analysis_meeting_gets_the_cases_through_agenda_items(fw, ev):
    project = fw.projects.get("acme")
    casebook.mark(fw, project, ev["id"], "bad", "退款必须记录单号", "qa1")
    today = fw.projects.today(project)

    def agenda(kind, day=today):
        return collect(fw.project_hook(project, "agenda_items"), AgendaItem, floorwalker=fw, project=project,
                       meeting={"kind": kind}, day=day, user={"username": "sup1", "roles": ["supervisor"]})
    [item] = agenda("qa_analysis")
    assert item.title_zh == "质检案例：优秀与问题案例" and item.template == "qa/casebook_agenda.html"
    [case] = item.context["cases"]
    assert case["lesson"] == "退款必须记录单号" and "agent" not in case  # the lesson, not the colleague's name
    assert agenda("briefing") == []  # the morning briefing is not the QA meeting
    assert agenda("qa_analysis", today + dt.timedelta(days=40)) == []  # last month's cases only
    html = fw_render(fw, item)
    assert "退款必须记录单号" in html and "漏记" in html


def fw_render(fw, item):
    from floorwalker.core.app import create_app
    return create_app(fw).state.shell.templates.get(item.template, "zh_CN").render(**item.context)


def test_qa_staff_mark_list_and_remove_cases_through_the_pages(fw, ev, sign_in):
    qa, token = sign_in("qa7", "qa")
    assert "/casebook/new?evaluation=" in qa.get(f"/p/acme/qa/evaluations/{ev['id']}").text
    assert qa.get(f"/p/acme/qa/casebook/new?evaluation={ev['id']}").status_code == 200
    bad = qa.post("/p/acme/qa/casebook/new", data={"csrf_token": token, "evaluation": ev["id"], "kind": "bad"})
    assert bad.status_code == 422 and "lesson" in bad.context["problems"] and bad.context["values"]["kind"] == "bad"
    ok = qa.post("/p/acme/qa/casebook/new", data={"csrf_token": token, "evaluation": ev["id"], "kind": "good",
                                                 "lesson": "开场规范"})
    assert ok.status_code == 303
    listed = qa.get("/p/acme/qa/casebook")
    assert "开场规范" in listed.text and "Li Lei" in listed.text
    [case] = listed.context["cases"]
    leader, ltoken = sign_in("tl7", "team_leader")
    assert leader.get("/p/acme/qa/casebook").status_code == 200
    assert leader.post(f"/p/acme/qa/casebook/{case['id']}/remove", data={"csrf_token": ltoken}).status_code == 403
    assert qa.post(f"/p/acme/qa/casebook/{case['id']}/remove", data={"csrf_token": token}).status_code == 303
    assert casebook.cases(fw, "acme") == []
