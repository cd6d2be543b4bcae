"""Auto-QA wired in: every chat checked when it is imported, the review queue where QA staff
confirm or reject each hit, the report's rates per agent and team, and ``qa autoqa``'s JSON."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.plugins.qa import autoqa_store, evaluations, interactions

TODAY = dt.date.today()
MONTH = TODAY.isoformat()[:7]
GOOD = "[09:00:00] 客户: 在吗\\n[09:00:10] 客服: 您好，请问有什么可以帮您？\\n[09:00:30] 客户: 好的\\n[09:00:40] 客服: 感谢您，再见"
RUDE = "[23:59:00] 客户: 我要投诉\\n[00:01:30] 客服: 不知道，你自己看\\n[00:02:00] 客户: 这不归你们管吗\\n[00:02:05] 客服: 这不归我管"
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0", "comment": "好"}


def _import(fw, tmp_path, rows):
    path = tmp_path / "chats.csv"
    path.write_text("id,agent,time,channel,transcript\n" + "".join(
        f'{ident},{agent},{TODAY} 09:00:00,{channel},"{text}"\n'.replace("\\n", "\n")
        for ident, agent, channel, text in rows), encoding="utf-8")
    return interactions.import_file(fw, "acme", path, "sup1")


@pytest.fixture
def chats(fw, published, tmp_path):
    _import(fw, tmp_path, [("G1", "1001", "chat", GOOD), ("R1", "1002", "chat", RUDE),
                           ("R2", "1003", "chat", RUDE), ("T1", "1001", "ticket", "退款单已处理")])
    return fw


def _result(fw, ident):
    return next(r for r in autoqa_store.of_month(fw, "acme", MONTH) if r["id"] == ident)


def test_every_chat_is_checked_when_imported_and_nothing_else(chats):
    results = {r["id"]: r for r in autoqa_store.of_month(chats, "acme", MONTH)}
    assert set(results) == {"G1", "R1", "R2"}  # the ticket has no chat to read
    assert results["G1"]["hits"] == [] and not results["G1"]["must_check"]
    rude = results["R1"]
    assert {(h["rule"], h["what"]) for h in rude["hits"]} == {
        ("opening_qing", ""), ("uses_nin", ""), ("closing_zaijian", ""), ("harsh", ""), ("blame", ""),
        ("forbidden", "不知道"), ("forbidden", "这不归我管"), ("long_waits", "23:59:00")}  # 不知道 inside the harsh 不知道，
    assert rude["must_check"] and rude["risk"] == ["投诉"]  # the customer's 投诉: must check
    assert rude["json"]["first_response_s"] == 150  # across midnight, to the second


def test_a_confirmed_or_rejected_hit_leaves_the_queue_and_survives_a_rerun(chats):
    project = chats.projects.get("acme")
    waiting = autoqa_store.queue(autoqa_store.of_month(chats, "acme", MONTH), agent="1002")
    assert len(waiting) == 8
    harsh = next(n for _r, n, h in waiting if h["rule"] == "harsh")
    blame = next(n for _r, n, h in waiting if h["rule"] == "blame")
    autoqa_store.review(chats, project, MONTH, "R1", harsh, "confirmed", "qa1")
    autoqa_store.review(chats, project, MONTH, "R1", blame, "rejected", "qa1")
    left = autoqa_store.queue(autoqa_store.of_month(chats, "acme", MONTH), agent="1002")
    assert len(left) == 6 and {h["rule"] for _r, _n, h in left}.isdisjoint({"harsh", "blame"})
    autoqa_store.run(chats, project, interactions.of_month(chats, "acme", MONTH), "qa1")  # checked again
    verdicts = {h["rule"]: (h["verdict"], h["by"]) for h in _result(chats, "R1")["hits"]}
    assert verdicts["harsh"] == ("confirmed", "qa1") and verdicts["blame"][0] == "rejected"
    with pytest.raises(Exception):
        autoqa_store.review(chats, project, MONTH, "R1", harsh, "maybe", "qa1")


def test_the_report_gives_each_rule_its_hit_rate_and_the_share_confirmed(chats):
    project = chats.projects.get("acme")
    for ident, verdict in (("R1", "confirmed"), ("R2", "rejected")):
        n = next(i for i, h in enumerate(_result(chats, ident)["hits"]) if h["rule"] == "harsh")
        autoqa_store.review(chats, project, MONTH, ident, n, verdict, "qa1")
    results = autoqa_store.of_month(chats, "acme", MONTH)
    whole = autoqa_store.report(results, lambda r: "")[0]
    assert whole["chats"] == 3 and whole["must_check"] == 2
    harsh = whole["rules"]["harsh"]
    assert (harsh["chats"], harsh["rate"], harsh["reviewed"], harsh["confirmed_share"]) == (2, 2 / 3, 2, 0.5)
    assert whole["rules"]["blame"]["confirmed_share"] is None  # none reviewed: no share yet
    teams = {r["group"]: r for r in autoqa_store.report(results, lambda r: {"1001": "day", "1002": "day"}.get(
        r["agent"], "night"))}
    assert teams["day"]["rules"]["harsh"]["rate"] == 0.5 and teams["night"]["rules"]["harsh"]["rate"] == 1.0


def test_qa_autoqa_prints_exactly_the_issues_json(chats, pm):
    done = CliRunner().invoke(make_cli(pm), ["--data", str(chats.store.root), "--lang", "en", "qa", "autoqa",
                                             "--project", "acme", "--month", MONTH, "--format", "json"],
                              catch_exceptions=False)
    assert done.exit_code == 0, done.output
    found = {r["interaction"]: r for r in json.loads(done.output)}
    assert set(found) == {"G1", "R1", "R2"}
    rude = found["R1"]
    assert set(rude) == {"interaction", "agent", "checks", "first_response_s", "average_response_s", "longest_wait_s"}
    assert rude["checks"] == {"opening_qing": False, "uses_nin": False, "closing_zaijian": False, "harsh": True,
                              "blame": True, "blaming_customer": False, "forbidden": ["不知道", "这不归我管"]}
    assert (rude["agent"], rude["first_response_s"], rude["longest_wait_s"]) == ("1002", 150, 150)
    table = CliRunner().invoke(make_cli(pm), ["--data", str(chats.store.root), "--lang", "zh_CN", "qa", "autoqa",
                                              "--project", "acme", "--month", MONTH])
    assert table.exit_code == 0 and "R1" in table.output and "这不归我管" in table.output


def test_qa_staff_confirm_in_the_queue_and_see_the_hits_beside_the_evaluation(chats, sign_in):
    qa, token = sign_in("qa9", "qa")
    page = qa.get(f"/p/acme/qa/autoqa?month={MONTH}&agent=1002")
    assert page.status_code == 200 and "使用生硬语言" in page.text and "你自己看" in page.text
    row, n, hit = page.context["rows"][0]
    r = qa.post(f"/p/acme/qa/autoqa/{row['id']}/review", data={"csrf_token": token, "month": MONTH, "hit": n,
                                                              "verdict": "confirmed", "agent": "1002"})
    assert r.status_code == 303 and "agent=1002" in r.headers["location"]
    assert _result(chats, row["id"])["hits"][n]["verdict"] == "confirmed"
    bad = qa.post(f"/p/acme/qa/autoqa/{row['id']}/review", data={"csrf_token": token, "month": MONTH, "hit": "x",
                                                                "verdict": "confirmed"})
    assert bad.status_code == 422 and bad.context["error"]
    report = qa.get(f"/p/acme/qa/autoqa/report?month={MONTH}")
    assert report.status_code == 200 and "Day team" in report.text
    assert report.context["whole"][0]["rules"][hit["rule"]]["confirmed"] == 1
    ev = evaluations.submit(chats, chats.projects.get("acme"), "R1", 1, FULL, "qa1")
    shown = qa.get(f"/p/acme/qa/evaluations/{ev['id']}")
    assert shown.context["autoqa"]["result"]["id"] == "R1" and "自动质检" in shown.text
    leader, token = sign_in("tl9", "team_leader")
    assert leader.post(f"/p/acme/qa/autoqa/R1/review", data={"csrf_token": token, "month": MONTH, "hit": 0,
                                                             "verdict": "rejected"}).status_code == 403
