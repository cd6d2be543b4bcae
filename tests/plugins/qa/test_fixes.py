"""What the acceptance walk of issue 13 found, fixed: the bonus lifts a score above 100 (to the
cap, 110 by default), a score prints one way, n beside the QA average on the dashboard, team
leaders are not agents in the QA figures, QA results are not corrections on the month, the
below-the-line reason follows the average, the agent sees the transcript, the history labels a
decision's note as such, the team leader's disputes are its teams' and newest first, the
demo's dispute reasons fit their items, and the CLI's scorecard speaks the CLI's language."""

import datetime as dt
import json
import random
import re

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core.ledger import build_sheet
from floorwalker.plugins.qa import demo_content, evaluations, figures, interactions, monthly, scoring
from floorwalker.plugins.qa import score_events

TODAY = dt.date.today().isoformat()
MONTH = TODAY[:7]
# the conftest's card: 服务用语 60, 业务处理 40, 加分项 0–5 (points); all full marks and the bonus at 5
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}
LOST = {"a-1-1": "no", "c-1-1": "漏记"}  # 业务处理 loses half: 80
SETTINGS = {"base_score": 80, "cap": 110, "escalation_medium": 3, "escalation_light": 5, "escalation_points": -10}


@pytest.fixture
def chats(fw, tmp_path, published):
    path = tmp_path / "in.csv"
    path.write_text("id,agent,time,channel,transcript\n" + "".join(
        f"C{i},1001,{TODAY} 09:0{i}:00,chat,[09:00:00] 客服: 您好，请问有什么可以帮您？\n" for i in range(1, 6)),
        encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    return fw


# ---------------------------------------------------------------- the cap and one way to print a score


def test_the_bonus_lifts_a_score_above_100_up_to_the_default_cap_of_110(chats, make_card):
    project = chats.projects.get("acme")
    assert chats.projects.settings(project, "qa")["score_cap"] == 110
    ev = evaluations.submit(chats, project, "C1", 1, {**FULL, "a-2-0": "5"}, "qa1")
    assert ev["score"] == 105
    card = make_card()
    bonus = [[["yes", 5, "yes"], [10, "yes"], [5]]]
    assert scoring.score({"sections": card["sections"] + [{"title": "加分二", "weight": None, "items": [
        {"title": "表扬", "type": "points", "max": 10, "fatal": "none"}]}]}, bonus[0] + [[10]]).score == 110
    chats.projects.configure("acme", "qa", {"score_cap": 100}, "setup")  # a project may keep 100
    project = chats.projects.get("acme")
    assert evaluations.submit(chats, project, "C2", 1, {**FULL, "a-2-0": "5"}, "qa1")["score"] == 100


def test_the_standard_states_the_cap_of_the_setting(chats, sign_in):
    client, _token = sign_in("qa9", "qa")
    assert "总分最高为 110 分" in client.get("/p/acme/qa/scorecards/1").text
    chats.projects.configure("acme", "qa", {"score_cap": 100}, "setup")
    assert "总分最高为 100 分" in client.get("/p/acme/qa/scorecards/1").text


@pytest.mark.parametrize("value, text", [(100, "100"), (100.0, "100"), (95.5, "95.5"), (95.50, "95.5"),
                                         (84.666, "84.67"), (0.0, "0"), (None, "")])
def test_a_score_prints_one_way(value, text):
    assert scoring.shown(value) == text


def test_the_pages_print_a_score_without_trailing_zeros(chats, sign_in):
    project = chats.projects.get("acme")
    ev = evaluations.submit(chats, project, "C1", 1, {**FULL, **LOST}, "qa1")  # 80.0
    evaluations.submit(chats, project, "C2", 1, {**FULL, "a-2-0": "3"}, "qa1")  # 103.0
    client, _token = sign_in("qa9", "qa")
    page = client.get(f"/p/acme/qa/evaluations/{ev['id']}").text
    assert "· 80</h1>" in page and "80.00" not in page
    listing = client.get(f"/p/acme/qa/evaluations?month={MONTH}").text
    assert ">103<" in listing and ">80<" in listing and ".00<" not in listing


# ---------------------------------------------------------------- n beside the averages, agents only


def test_the_dashboard_shows_n_beside_the_qa_average_and_the_fatal_rate(chats, sign_in):
    project = chats.projects.get("acme")
    for ident in ("C1", "C2", "C3"):
        evaluations.submit(chats, project, ident, 1, FULL, "qa1")
    client, _token = sign_in("sup9", "supervisor")
    page = client.get(f"/p/acme/?month={MONTH}")
    tiles = {t["code"]: t for t in page.context["figures"]["tiles"]}
    assert (tiles["qa_average"]["n"], tiles["qa_fatal_rate"]["n"]) == (3, 3)
    assert tiles["qa_evaluations"]["n"] is None  # a count is its own n
    tile = re.search(r'<span class="kpi-title">质检平均分</span>.*?</(a|div)>', page.text, re.S).group(0)
    assert "样本数 3" in tile


def test_team_leaders_are_not_agents_in_the_qa_figures(chats):
    chats.agents.add("acme", "1009", "Zhang Banzhang", "setup", team="day", hired="2025-01-01",
                     position="team_leader")
    project = chats.projects.get("acme")
    evaluations.submit(chats, project, "C1", 1, FULL, "qa1")
    report = figures.month_report(chats, project, MONTH)
    assert [a.key for a in report.agents] == ["1001", "1002", "1003"]
    too_small = {k.code: k for k in figures.kpis(chats, project, MONTH)}["qa_too_small"]
    assert (too_small.value, too_small.n) == (3, 3)


# ---------------------------------------------------------------- results on the month, not corrections


def _event(ident, kind, points, rule="r", source="qa", reverses=None):
    return {"id": ident, "kind": kind, "points": points, "rule": rule, "source": source, "reverses": reverses}


def test_a_plugins_results_have_their_own_line_not_the_corrections():
    row = build_sheet([_event("a", "result", -10), _event("b", "result", 2), _event("c", "adjustment", 3),
                       _event("d", "result", -5), _event("e", "result", 5, reverses="d")], SETTINGS, {})
    assert (row["result"], row["adjustment"]) == (-8, 3)
    assert row["total"] == 80 - 8 + 3


def test_the_agents_month_page_files_qa_events_under_results(chats, sign_in):
    project = chats.projects.get("acme")
    evaluations.submit(chats, project, "C1", 1, {**FULL, "a-0-2": "no", "c-0-2": "辱骂客户"}, "qa1")  # fatal −10, 0 < 85 −5
    client, _token = sign_in("sup9", "supervisor")
    page = client.get(f"/p/acme/agents/1001?month={MONTH}").text
    assert re.search(r"<dt>考核结果</dt><dd>-15</dd>", page)  # the fatal error and the month below the line
    assert re.search(r"<dt>更正</dt><dd>0</dd>", page)


# ---------------------------------------------------------------- the below-the-line reason follows the average


SCORE_80 = {**FULL, **LOST}
SCORE_85 = {**SCORE_80, "a-2-0": "5"}


def test_the_below_the_line_reason_reads_the_average_as_it_is_now(chats):
    project = chats.projects.get("acme")
    evaluations.submit(chats, project, "C1", 1, SCORE_85, "qa1")
    evaluations.submit(chats, project, "C2", 1, SCORE_80, "qa1")  # 82.5 of 2
    evaluations.submit(chats, project, "C3", 1, SCORE_80, "qa1")  # 81.67 of 3: the same event stands
    events = [e for e in chats.ledger.events("acme", MONTH) if e["rule"] == monthly.BELOW_PASS_RULE]
    [event] = events
    assert "82.5 of 2" in event["reason"]  # as stored the day it was written
    shown = score_events.describe(events, chats, project)[event["id"]]
    assert shown.reason_zh == "月度质检平均分 81.67（3 次质检），低于及格线 85"
    assert "81.67 of 3 evaluations" in shown.reason_en


# ---------------------------------------------------------------- the agent's page, the history, the disputes


def test_the_agent_sees_the_conversation_of_its_own_evaluation(chats, sign_in):
    ev = evaluations.submit(chats, chats.projects.get("acme"), "C1", 1, {**FULL, **LOST}, "qa1")
    client, _token = sign_in("agent1", "agent", agent="1001")
    page = client.get(f"/p/acme/qa/evaluations/{ev['id']}").text
    assert "请问有什么可以帮您" in page and "会话记录" in page


def test_a_decisions_note_is_labelled_as_the_decision_in_the_history(fw, published, tmp_path, cheap_argon2):
    from .test_dispute_pages import Site, USERS, LOST as LOST_ITEMS  # noqa: F401
    from floorwalker.core.users import hash_password
    path = tmp_path / "in.csv"
    path.write_text("id,agent,time,channel,duration,transcript\n"
                    f"C1,1001,{TODAY} 09:00:00,chat,60,[09:00:00] 客服: 您好\n"
                    f"C2,1001,{TODAY} 09:30:00,chat,60,[09:30:00] 客服: 您好\n", encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    ev = evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, LOST_ITEMS, "sup2")
    later = evaluations.submit(fw, fw.projects.get("acme"), "C2", 1, LOST_ITEMS, "sup2")
    with cheap_argon2():
        hashed = hash_password("correct-horse-7")
        fw.users.add_many([fw.users.prepare(u, hashed, [r], ["acme"], n, "zh_CN", agent=a, teams=t)
                           for u, r, a, t, n in USERS], "setup")
        site = Site(fw, ev)
        site.post("agent1", f"evaluations/{ev['id']}/dispute", **{"r-1": "我很有礼貌"})
        doc = site.dispute()
        site.post("tl1", "disputes/forward", id=doc["id"], do="forward")
        assert site.post("sup1", "disputes/decide", id=doc["id"], **{"o-1": "accepted", "note": "工单显示已一次解决，采纳。"}
                         ).status_code == 303
        history = site.get("agent1", f"evaluations/{ev['id']}").text
        assert "裁定说明: 工单显示已一次解决，采纳。" in history and "抽样原因" not in history
        # the team leader of another team sees no dispute of day's agents unless asking for all teams
        assert doc["id"] not in site.get("tl2", "disputes").text
        assert doc["id"] in site.get("tl2", "disputes?teams=all").text
        assert doc["id"] in site.get("tl1", "disputes").text
        site.post("agent1", f"evaluations/{later['id']}/dispute", **{"r-1": "请复核"})
        newer = site.dispute()
        listing = site.get("tl1", "disputes").text
        assert newer["id"] != doc["id"] and listing.index(newer["id"]) < listing.index(doc["id"])  # newest first


def test_the_demos_dispute_reason_speaks_of_its_item():
    assert {demo_content.dispute_reason("订单备注与工单操作规范", n) for n in range(5)} == {"已在工单备注中记录，请查看工单"}
    assert "延迟" in demo_content.dispute_reason("回复及时", random.Random(7).randrange(5))
    assert demo_content.dispute_reason("某个新项目", 3) == "该项“某个新项目”已按流程操作，请复核"
    assert all("不属于未解决" not in r for rs in demo_content.DISPUTE_REASONS.values() for r in rs)


# ---------------------------------------------------------------- the CLI's scorecard


def test_the_scorecard_in_the_cli_speaks_the_clis_language(fw, pm, published):
    cli = make_cli(pm)

    def run(lang, *args):
        done = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", lang, *args], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        return done.output
    en = run("en", "qa", "scorecard", "show", "--project", "acme")
    assert "description" in en and "yes/no" in en and "whole evaluation" in en
    assert not re.search(r"是否|分值|整体|备注|说明|无 ", en)
    zh = run("zh_CN", "qa", "scorecard", "show", "--project", "acme")
    header = zh.splitlines()[1]
    assert "说明" in header and "备注" not in header
    assert "是否" in zh and "整体" in zh
    rows = json.loads(run("en", "qa", "scorecard", "show", "--project", "acme", "--format", "json"))
    assert (rows[0]["type"], rows[2]["fatal"]) == ("是否", "整体")  # JSON: the spreadsheet's words, as import reads them
