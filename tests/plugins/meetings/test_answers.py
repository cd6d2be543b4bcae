"""Unified answers (统一答复口径, issue 15 item 3): a meeting's decision published to the agents of
a team, signed on the phone, in force once all have signed or at the deadline; unsigned answers
wait for the agent; and the month-close blocker of minutes not signed (item 8)."""

import datetime as dt

import pytest

from floorwalker.core import ValidationError
from floorwalker.plugins.meetings import answers, attendance, records


def _meeting(fw, acme, decisions="客户询问退费时一律答复：七个工作日内原路退回"):
    doc = records.new_doc(fw, acme, kind="weekly", date="2026-11-16", time="16:30", title="班务会",
                          expected=["1009"], chair="sup", department=True)
    m = records.add(fw, acme, [doc], "sup")[0]
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏", "decisions": decisions}, "sup")
    return m


def _user(fw, name):
    return fw.users.get(name)


def test_signed_by_all_but_one_is_in_force_only_at_the_deadline(fw, acme, clock):
    m = _meeting(fw, acme)
    doc = answers.publish(fw, acme, m["id"], "1", "", ["day"], "sup")
    assert doc["text"].startswith("客户询问退费") and doc["deadline"] == "2026-11-18T10:00"
    assert doc["expected"] == ["1001", "1002"]  # the day team's agents; not 1003 (night), not the leader 1009
    assert answers.sign(fw, acme, doc["id"], _user(fw, "li"))["signed"].keys() == {"1001"}
    doc = answers.get(fw, acme, doc["id"])
    assert answers.unsigned(doc) == ["1002"]
    assert not answers.in_force(doc, dt.datetime(2026, 11, 18, 9, 59))
    assert answers.in_force(doc, dt.datetime(2026, 11, 18, 10, 0))


def test_an_answer_is_in_force_once_every_agent_has_signed(fw, acme, clock):
    fw.users.add_many([fw.users.prepare("han", "x", ["agent"], ["acme"], "Han", "zh_CN", agent="1002")], "setup")
    doc = answers.publish(fw, acme, _meeting(fw, acme)["id"], "1", "", ["day"], "sup")
    answers.sign(fw, acme, doc["id"], _user(fw, "li"))
    answers.sign(fw, acme, doc["id"], _user(fw, "han"))
    assert answers.in_force(answers.get(fw, acme, doc["id"]), dt.datetime(2026, 11, 16, 10, 5))


def test_an_agent_of_another_team_is_not_expected(fw, acme, clock):
    fw.users.add_many([fw.users.prepare("wang", "x", ["agent"], ["acme"], "Wang", "zh_CN", agent="1003")], "setup")
    doc = answers.publish(fw, acme, _meeting(fw, acme)["id"], "1", "", ["day"], "sup")
    with pytest.raises(ValidationError):
        answers.sign(fw, acme, doc["id"], _user(fw, "wang"))
    assert answers.to_sign(fw, acme, "1003") == []
    assert answers.waiting(fw, acme, _user(fw, "wang")) == []
    everyone = answers.publish(fw, acme, _meeting(fw, acme)["id"], "1", "", [], "sup")
    assert everyone["expected"] == ["1001", "1002", "1003"]


def test_the_deadline_follows_the_setting(fw, acme, clock):
    acme = fw.projects.configure("acme", "meetings", {"answer_hours": 24}, "setup")
    doc = answers.publish(fw, acme, _meeting(fw, acme)["id"], "1", "", [], "sup")
    assert doc["deadline"] == "2026-11-17T10:00"


def test_a_publication_names_the_refused_field(fw, acme, clock):
    empty = _meeting(fw, acme, decisions="")
    with pytest.raises(ValidationError) as refused:
        answers.publish(fw, acme, empty["id"], "1", "", [], "sup")
    assert refused.value.message("zh_CN").startswith("决议")
    with pytest.raises(ValidationError) as refused:
        answers.publish(fw, acme, _meeting(fw, acme)["id"], "1", "", ["nowhere"], "sup")
    assert "班组" in refused.value.message("zh_CN")


def test_the_unsigned_answer_waits_for_the_agent_until_signed(fw, acme, signed_in, clock):
    doc = answers.publish(fw, acme, _meeting(fw, acme)["id"], "1", "统一口径：七个工作日内退回", ["day"], "sup")
    li = signed_in("li")
    (waiting,) = [w for ws in fw.project_hook(acme, "waiting_items")(floorwalker=fw, project=acme,
                                                                      user=_user(fw, "li")) for w in ws
                  if w.title_zh == "待签收的统一答复口径"]
    assert waiting.count == 1 and waiting.url.endswith("/meetings/answers/mine")
    page = li.get("/p/acme/meetings/answers/mine")
    assert page.status_code == 200 and "统一口径：七个工作日内退回" in page.text and 'name="viewport"' in page.text
    assert li.post(f"/p/acme/meetings/answers/{doc['id']}/sign", data={"csrf_token": li.csrf}).status_code == 303
    assert answers.waiting(fw, acme, _user(fw, "li")) == []
    again = li.post(f"/p/acme/meetings/answers/{doc['id']}/sign", data={"csrf_token": li.csrf})
    assert again.status_code == 409


def test_the_leaders_page_names_who_has_not_signed(fw, acme, signed_in, clock):
    m = _meeting(fw, acme)
    sup = signed_in("sup")
    done = sup.post(f"/p/acme/meetings/{m['id']}/answers", data={"csrf_token": sup.csrf, "decision": "1",
                                                                  "teams": "day"})
    assert done.status_code == 303
    answers.sign(fw, acme, done.headers["location"].rsplit("/", 1)[1], _user(fw, "li"))
    page = sup.get(done.headers["location"])
    assert page.status_code == 200 and "Han Meimei" in page.text and "尚未生效" in page.text
    assert "1002" not in page.text and "Wang Fang" not in page.text
    refused = sup.post(f"/p/acme/meetings/{m['id']}/answers", data={"csrf_token": sup.csrf, "decision": "9"})
    assert refused.status_code == 422 and "决议" in refused.text


def test_minutes_not_signed_block_the_month_close(fw, acme, clock):
    records.plan_month(fw, acme, "2026-11", "sup")  # planned meetings never held block nothing
    held = records.of_month(fw, acme, "2026-11")[0]
    attendance.take(fw, acme, held["id"], {held["expected"][0]: ("present", "")}, "sup")  # nor attendance alone
    assert answers.blockers(fw, acme, "2026-11") == []
    m = _meeting(fw, acme)  # its minutes written, not signed
    (blocker,) = [b for b in fw.periods.blockers("acme", "2026-11") if b.plugin == "meetings"]
    assert blocker.count == 1 and blocker.title_zh == "会议纪要未签发"
    records.sign_off(fw, acme, m["id"], "sup")
    assert answers.blockers(fw, acme, "2026-11") == []
