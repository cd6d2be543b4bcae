"""Questions from the floor (issue 15 item 7): raised by an agent, collected for the next
briefing (everything since the last one held — a Saturday's reaches Monday's, one raised after
today's briefing goes to the next), answered for everyone, turned into a unified answer; who
sees what, and the waiting counts."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, ValidationError
from floorwalker.plugins.meetings import answers, questions, records


def _briefing(fw, acme, day, held=True, time="08:45"):
    doc = records.new_doc(fw, acme, kind="briefing", date=day, time=time, title="晨会", expected=["1001", "1002"],
                          chair="lead")
    m = records.add(fw, acme, [doc], "lead")[0]
    if held:
        records.write_minutes(fw, acme, m["id"], {"taker": "王敏"}, "lead")
    return m


def _ask(fw, acme, clock, at, text, user="li"):
    clock.now = at
    return questions.raise_question(fw, acme, fw.users.get(user), text)


@pytest.fixture
def wang(fw):
    fw.users.add_many([fw.users.prepare("wang", "x", ["agent"], ["acme"], "Wang", "zh_CN", agent="1003")], "setup")
    return fw.users.get("wang")


def test_a_saturdays_question_reaches_mondays_briefing(fw, acme, clock):
    _briefing(fw, acme, "2026-11-13")  # Friday's, held at 08:45
    _briefing(fw, acme, "2026-11-16", held=False)  # Monday's, to come
    before = _ask(fw, acme, clock, dt.datetime(2026, 11, 13, 8, 0), "周五晨会前的问题")
    friday = _ask(fw, acme, clock, dt.datetime(2026, 11, 13, 10, 0), "退费多久到账？")
    saturday = _ask(fw, acme, clock, dt.datetime(2026, 11, 14, 15, 30), "周末客户要求加急配送怎么答？")
    monday = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 8, 10), "积分缺货怎么答复？")
    collected = questions.since_last_briefing(fw, acme, "2026-11-16")
    assert [q["id"] for q in collected] == [friday["id"], saturday["id"], monday["id"]]
    assert before["id"] in [q["id"] for q in questions.since_last_briefing(fw, acme, "2026-11-13")]
    assert collected[1]["agent"] == "1001" and collected[1]["team"] == "day" and collected[1]["status"] == "raised"


def test_a_question_raised_after_todays_briefing_goes_to_the_next(fw, acme, clock):
    _briefing(fw, acme, "2026-11-13")
    _briefing(fw, acme, "2026-11-16")  # Monday's, held
    _briefing(fw, acme, "2026-11-17", held=False)
    early = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 8, 30), "早上的问题")
    at_the_briefing = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 8, 45), "开会时提的问题")
    later = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 11, 0), "上午十一点的问题")
    assert [q["id"] for q in questions.since_last_briefing(fw, acme, "2026-11-16")] == [early["id"]]
    assert [q["id"] for q in questions.since_last_briefing(fw, acme, "2026-11-17")] == [at_the_briefing["id"],
                                                                                         later["id"]]


def test_a_briefing_not_held_leaves_its_questions_for_the_next(fw, acme, clock):
    _briefing(fw, acme, "2026-11-12")
    _briefing(fw, acme, "2026-11-13", held=False)  # missed: nothing of it was presented
    thursday = _ask(fw, acme, clock, dt.datetime(2026, 11, 12, 17, 0), "周四的问题")
    assert [q["id"] for q in questions.since_last_briefing(fw, acme, "2026-11-16")] == [thursday["id"]]


def test_without_any_briefing_held_the_previous_working_day_counts(fw, acme, clock):
    thursday = _ask(fw, acme, clock, dt.datetime(2026, 11, 12, 17, 0), "周四的问题")
    friday = _ask(fw, acme, clock, dt.datetime(2026, 11, 13, 7, 0), "周五一早的问题")
    saturday = _ask(fw, acme, clock, dt.datetime(2026, 11, 14, 9, 0), "周六的问题")
    monday = [q["id"] for q in questions.since_last_briefing(fw, acme, "2026-11-16")]
    assert monday == [friday["id"], saturday["id"]] and thursday["id"] not in monday


def test_an_answer_reaches_every_agent_of_its_teams(fw, acme, clock, wang):
    q = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 9, 0), "退费多久到账？")
    night = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 9, 5), "夜班加急怎么答？", user="wang")
    done = questions.answer(fw, acme, q["id"], "七个工作日内原路退回", ["day"], "lead")
    assert done["status"] == "answered" and done["answer"]["teams"] == ["day"] and done["answer"]["by"] == "lead"
    own, answered = questions.for_agent(fw, acme, "1002")  # Han, of the day team, asked nothing
    assert own == [] and [d["id"] for d in answered] == [q["id"]]
    own, answered = questions.for_agent(fw, acme, "1003")  # Wang, night: its own question, not day's answer
    assert [d["id"] for d in own] == [night["id"]] and answered == []
    everyone = questions.answer(fw, acme, night["id"], "登记加急申请，次日回电", [], "sup")
    assert everyone["answer"]["teams"] == [] and [d["id"] for d in questions.for_agent(fw, acme, "1001")[1]] == [
        night["id"]]
    with pytest.raises(ValidationError) as refused:
        questions.answer(fw, acme, q["id"], "", ["day"], "lead")
    assert refused.value.message("zh_CN").startswith("解答")


def test_an_answer_turned_into_a_unified_answer_needs_the_signatures(fw, acme, clock):
    briefing = _briefing(fw, acme, "2026-11-16", held=False)
    q = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 8, 0), "退费多久到账？")
    with pytest.raises(ValidationError):  # answer it first
        questions.unify(fw, acme, q["id"], briefing["id"], "lead")
    questions.answer(fw, acme, q["id"], "七个工作日内原路退回", ["day"], "lead", briefing["id"])
    published = questions.unify(fw, acme, q["id"], "", "lead")
    assert published["text"] == "七个工作日内原路退回" and published["expected"] == ["1001", "1002"]
    assert published["meeting"] == briefing["id"]
    assert records.get(fw, acme, briefing["id"])["minutes"]["decisions"] == ["七个工作日内原路退回"]
    doc = questions.get(fw, acme, q["id"])
    assert doc["status"] == "unified" and doc["unified"]["answer"] == published["id"]
    assert [d["id"] for d in answers.to_sign(fw, acme, "1001")] == [published["id"]]
    with pytest.raises(Conflict):
        questions.unify(fw, acme, q["id"], "", "lead")
    with pytest.raises(Conflict):
        questions.answer(fw, acme, q["id"], "改口", [], "lead")


def test_a_signed_briefing_takes_no_new_decision(fw, acme, clock):
    briefing = _briefing(fw, acme, "2026-11-16")
    records.sign_off(fw, acme, briefing["id"], "lead")
    q = _ask(fw, acme, clock, dt.datetime(2026, 11, 16, 9, 0), "退费多久到账？")
    questions.answer(fw, acme, q["id"], "七个工作日内原路退回", [], "lead")
    with pytest.raises(Conflict):
        questions.unify(fw, acme, q["id"], briefing["id"], "lead")
    assert questions.get(fw, acme, q["id"])["status"] == "answered" and answers.all_of(fw, acme) == []


def test_agents_raise_and_leaders_answer_on_the_web(fw, acme, signed_in, clock, wang):
    li = signed_in("li")
    page = li.get("/p/acme/meetings/questions/mine")
    assert page.status_code == 200 and 'name="viewport"' in page.text and "提问" in page.text
    empty = li.post("/p/acme/meetings/questions", data={"csrf_token": li.csrf, "text": " "})
    assert empty.status_code == 422 and "问题" in empty.text and questions.all_of(fw, acme) == []
    assert li.post("/p/acme/meetings/questions", data={"csrf_token": li.csrf, "text": "退费多久到账？",
                                                       "context": "上午三通同类来电"}).status_code == 303
    clock.now = dt.datetime(2026, 11, 16, 10, 5)
    questions.raise_question(fw, acme, wang, "夜班加急怎么答？")
    lead = signed_in("lead")
    listed = lead.get("/p/acme/meetings/questions")
    assert [q["text"] for q in listed.context["rows"]] == ["退费多久到账？"]  # the lead's team only
    assert listed.context["day"] == dt.date(2026, 11, 17)  # today's briefing time has passed
    waiting = {w.title_zh: w.count for ws in fw.project_hook(acme, "waiting_items")(
        floorwalker=fw, project=acme, user=fw.users.get("lead")) for w in ws}
    assert waiting.get("待解答的业务问题") == 1
    (day_q,) = [q for q in questions.all_of(fw, acme) if q["agent"] == "1001"]
    (night_q,) = [q for q in questions.all_of(fw, acme) if q["agent"] == "1003"]
    refused = lead.post(f"/p/acme/meetings/questions/{night_q['id']}/answer",
                        data={"csrf_token": lead.csrf, "text": "答复"})
    assert refused.status_code == 403 and questions.get(fw, acme, night_q["id"])["status"] == "raised"
    assert lead.post(f"/p/acme/meetings/questions/{day_q['id']}/answer",
                     data={"csrf_token": lead.csrf, "text": "七个工作日内原路退回", "teams": "day"}).status_code == 303
    assert questions.get(fw, acme, day_q["id"])["answer"]["teams"] == ["day"]
    unconfirmed = lead.post(f"/p/acme/meetings/questions/{day_q['id']}/unify", data={"csrf_token": lead.csrf})
    assert unconfirmed.status_code == 422 and answers.all_of(fw, acme) == []
    han = li.get("/p/acme/meetings/questions/mine")
    assert "七个工作日内原路退回" in han.text and "夜班加急" not in han.text


def test_the_demo_raises_and_answers_questions(fw, acme, clock):
    import random
    _briefing(fw, acme, "2026-11-16", held=False)
    written = questions.demo(fw, acme, 3, random.Random(7), dt.date(2026, 11, 16), "setup")
    docs = questions.all_of(fw, acme)
    assert written == len(docs) >= 8
    assert {d["status"] for d in docs} == {"raised", "answered", "unified"}
    assert any(dt.date.fromisoformat(d["raised_at"][:10]).weekday() == 5 for d in docs)
    assert all(d["raised_at"] <= "2026-11-16T24:00" for d in docs)
