"""The sampling plan: N per agent (more for new agents), spread over the month, agents away all
month skipped, must-check interactions always picked first, re-runs that keep what was done or
decided, a reason for every replacement or removal, worklists with planned against done, the
month's blocker, the plan never shown to agents, and ``floorwalker qa sample``."""

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core import Absence, Conflict, PeriodClosed, ValidationError, hookimpl
from floorwalker.core.app import create_app
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.users import hash_password
from floorwalker.plugins.qa import evaluations, interactions, sampling, sampling_rules, scorecards

from .conftest import build_company, card_of

MONTH = "2026-04"  # 30 days, open in every fixture
AFTER = dt.date(2026, 5, 2)  # a day after the month: every slot is over
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}
PASSWORD = "correct-horse-7"


def _import(fw, tmp_path, rows, name="in.csv"):
    """*rows*: (id, agent, day of MONTH, channel, transcript, category)."""
    lines = ["id,agent,time,channel,duration,transcript,category"]
    for ident, agent, day, channel, text, category in rows:
        text = text.replace('"', '""')
        lines.append(f'{ident},{agent},{MONTH}-{day:02d} 10:00:00,{channel},60,"{text}",{category}')
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return interactions.import_file(fw, "acme", path, "sup")


def _daily(agents=("1001", "1002", "1003"), days=range(1, 31)):
    return [(f"I{a}-{d:02d}", a, d, "chat", "[10:00:00] 客服: 您好，请讲", "") for a in agents for d in days]


def _active(fw, agent=None):
    done = sampling.evaluated(fw, "acme", MONTH)
    return [p for p in sampling.picks_of(fw, "acme", MONTH)
            if sampling.state(p, done) in ("planned", "done") and agent in (None, p["agent"])]


def _add_qa_users(fw, *names):
    hashed = hash_password(PASSWORD)
    fw.users.add_many([fw.users.prepare(n, hashed, ["qa"], ["acme"], n.upper(), "zh_CN") for n in names], "setup")


# ------------------------------------------------------------------------------ the rules


@pytest.mark.parametrize("hired, expected", [("2025-01-01", 4), ("2026-04-20", 6), ("2026-02-01", 6),
                                             ("2026-01-31", 4)])
def test_an_agent_in_its_first_three_months_is_sampled_more(hired, expected):
    assert sampling_rules.quota({}, hired, MONTH) == expected


def test_the_quota_follows_the_settings():
    settings = {"sampling_per_agent": 2, "sampling_new_agent_extra": 1, "sampling_new_agent_months": 1}
    assert sampling_rules.quota(settings, "2026-04-02", MONTH) == 3
    assert sampling_rules.quota(settings, "2026-03-02", MONTH) == 2


def test_slots_cut_the_working_days_evenly_and_cover_the_month():
    days = sampling_rules.month_days(MONTH)
    working = [d for d in days if d.weekday() < 5]  # 22 weekdays in April 2026
    found = sampling_rules.slots(MONTH, working, 4)
    sizes = [sum(1 for d in working if s.holds(d)) for s in found]
    assert sizes == [5, 6, 5, 6]
    assert [sum(1 for s in found if s.holds(d)) for d in days] == [1] * 30  # every day in one slot
    assert found[0].first == days[0] and found[-1].last == days[-1]
    assert all(s.end.weekday() < 5 for s in found)  # due on a working day
    assert sampling_rules.slots(MONTH, [], 4) == []


# ------------------------------------------------------------------------------ the plan


def test_each_agent_gets_n_picks_spread_over_the_month(fw, tmp_path):
    _import(fw, tmp_path, _daily())
    done = sampling.build(fw, fw.projects.get("acme"), MONTH, "qa1", today=AFTER)
    assert done["added"] == 12 and done["agents"] == 3
    found = sampling_rules.slots(MONTH, sampling_rules.month_days(MONTH), 4)
    for agent in ("1001", "1002", "1003"):
        picks = _active(fw, agent)
        assert len(picks) == 4
        assert sorted(sampling_rules.slot_of(found, dt.date.fromisoformat(p["date"])).index for p in picks) == [0, 1, 2, 3]
    again = sampling.build(fw, fw.projects.get("acme"), MONTH, "qa1", today=AFTER)
    assert again["added"] == 0  # the same facts: nothing more


def test_a_new_agent_gets_more_and_n_is_a_setting(fw, tmp_path):
    fw.agents.add("acme", "1004", "Xu Ming", "setup", team="day", hired="2026-03-15")
    fw.projects.configure("acme", "qa", {"sampling_per_agent": 2}, "setup")
    _import(fw, tmp_path, _daily(("1001", "1004")))
    sampling.build(fw, fw.projects.get("acme"), MONTH, "qa1", today=AFTER)
    assert len(_active(fw, "1001")) == 2
    assert len(_active(fw, "1004")) == 4  # 2 + 2 in the first three months
    with pytest.raises(ValidationError):
        fw.projects.configure("acme", "qa", {"sampling_per_agent": 6}, "setup")  # the rulebook's 1–5


class Away:
    """Stands in for attendance: 1002 is on leave all month, 1003 from the 1st to the 15th."""

    @hookimpl
    def agent_availability(self, floorwalker, project, first, last, agents):
        return [Absence("1002", first, last, "leave"),
                Absence("1003", max(first, dt.date(2026, 4, 1)), min(last, dt.date(2026, 4, 15)), "leave")]


@pytest.fixture
def away_fw(tmp_path):
    pm = make_plugin_manager(builtins=["qa"])
    pm.register(Away(), name="away")
    fw = build_company(tmp_path / "data", pm)
    fw.projects.enable("acme", "away", "setup")
    return fw


def test_agents_on_leave_all_month_are_skipped_and_the_rest_sampled_while_in(away_fw, tmp_path):
    fw = away_fw
    _import(fw, tmp_path, _daily(("1001",)) + _daily(("1003",), range(16, 31))
            + [("L1", "1002", 3, "chat", "[10:00:00] 客服: 您好", "")])
    done = sampling.build(fw, fw.projects.get("acme"), MONTH, "qa1", today=AFTER)
    assert done["skipped"] == ["1002"]
    assert _active(fw, "1002") == []
    assert sampling.overview(fw, "acme", MONTH, AFTER)["skipped"] == ["1002"]
    later = sorted(p["date"] for p in _active(fw, "1003"))  # away the first half: spread over the rest
    assert len(later) == 4 and later[0] >= f"{MONTH}-16"
    working = [d for d in sampling_rules.month_days(MONTH) if d.day >= 16]
    found = sampling_rules.slots(MONTH, working, 4)
    assert sorted(sampling_rules.slot_of(found, dt.date.fromisoformat(d)).index for d in later) == [0, 1, 2, 3]


def test_must_check_interactions_are_always_picked_and_come_first(fw, tmp_path):
    _add_qa_users(fw, "qa1")
    must = [("R1", "1001", 2, "chat", "[10:00:00] 客户: 再不处理我就投诉\n[10:00:05] 客服: 您好，请稍等", ""),
            ("R2", "1001", 3, "chat", "[10:00:00] 客户: 我要赔偿\n[10:00:05] 客服: 您好，请讲", ""),
            ("T1", "1001", 4, "ticket", "退款单已处理", "退款"),
            ("T2", "1001", 5, "call", "客户要求更改身份证号", "敏感信息"),
            ("T3", "1001", 6, "ticket", "普通咨询", "咨询"),
            ("Q1", "1001", 7, "chat", "[10:00:00] 客户: 我不会投诉的\n[10:00:05] 客服: 您好，请讲", "")]
    _import(fw, tmp_path, _daily(("1001",)) + must)
    sampling.build(fw, fw.projects.get("acme"), MONTH, "qa1", today=AFTER)
    picks = {p["interaction"]: p for p in _active(fw, "1001")}
    assert {i for i, p in picks.items() if p["why"] == "must_check"} == {"R1", "R2", "T1", "T2", "Q1"}
    assert picks["T1"]["must"] == ["退款"] and picks["R1"]["must"] == ["投诉"]
    assert "T3" not in picks or picks["T3"]["why"] == "quota"
    assert len(picks) == 5 + 3  # must-checks beyond the quota, and the three later slots still filled
    work = sampling.worklist(fw, "acme", "qa1")
    assert [r["why"] for r in work[:5]] == ["must_check"] * 5


def test_a_rerun_keeps_done_and_replaced_picks_and_fills_slots_as_interactions_arrive(fw, tmp_path):
    project = fw.projects.get("acme")
    scorecards.save_draft(fw, "acme", card_of(), "qa1", "标准")
    scorecards.publish(fw, "acme", 1, "qa1")
    _import(fw, tmp_path, _daily(("1001",), range(1, 12)), "first.csv")
    early = sampling.build(fw, project, MONTH, "qa1", today=dt.date(2026, 4, 11))
    assert early["added"] == 2  # the first two slots; the rest wait for interactions
    first, second = sorted(_active(fw, "1001"), key=lambda p: p["date"])
    evaluations.submit(fw, project, first["interaction"], 1, FULL, "qa1")
    new = sampling.replace(fw, project, second["id"], "录音缺失", "qa1")
    _import(fw, tmp_path, _daily(("1001",), range(12, 31)), "second.csv")
    late = sampling.build(fw, project, MONTH, "qa1", today=AFTER)
    assert late["added"] == 2
    picks = {p["id"]: p for p in sampling.picks_of(fw, "acme", MONTH)}
    done = sampling.evaluated(fw, "acme", MONTH)
    assert sampling.state(picks[first["id"]], done) == "done"
    assert picks[second["id"]]["status"] == "replaced" and picks[new["id"]]["status"] == "planned"
    assert len(_active(fw, "1001")) == 4


def test_replacing_or_removing_a_pick_needs_a_reason_kept_in_the_history(fw, tmp_path, published):
    project = fw.projects.get("acme")
    _import(fw, tmp_path, _daily(("1001",)))
    sampling.build(fw, project, MONTH, "qa1", today=AFTER)
    one, two, three, _ = sorted(_active(fw, "1001"), key=lambda p: p["date"])
    for change in (lambda: sampling.replace(fw, project, one["id"], "  ", "qa1"),
                   lambda: sampling.remove(fw, project, one["id"], "", "qa1")):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.field == "reason"
    with pytest.raises(ValidationError):  # another agent's interaction cannot stand in
        sampling.replace(fw, project, one["id"], "换一个", "qa1", interaction="I1002-01")
    new = sampling.replace(fw, project, one["id"], "客户挂断，无内容", "qa1", interaction="I1001-05")
    assert new["interaction"] == "I1001-05" and new["replaces"] == one["id"]
    sampling.remove(fw, project, two["id"], "坐席当天支援其他项目", "qa1")
    evaluations.submit(fw, project, three["interaction"], 1, FULL, "qa1")
    with pytest.raises(Conflict):  # done is done
        sampling.remove(fw, project, three["id"], "不需要", "qa1")
    kept = sampling.history(fw, "acme", MONTH)
    assert [(h["action"], h["reason"]) for h in kept if h["action"] != "built"] == \
        [("removed", "坐席当天支援其他项目"), ("replaced", "客户挂断，无内容")]
    assert sampling.build(fw, project, MONTH, "qa1", today=AFTER)["added"] == 0  # a removal stands


def test_picks_go_round_robin_and_the_worklist_counts_planned_against_done(fw, tmp_path, published):
    _add_qa_users(fw, "qa1", "qa2")
    project = fw.projects.get("acme")
    _import(fw, tmp_path, _daily())
    sampling.build(fw, project, MONTH, "sup1", today=AFTER)
    mine = sampling.worklist(fw, "acme", "qa1")
    assert len(mine) == 6 and len(sampling.worklist(fw, "acme", "qa2")) == 6
    evaluations.submit(fw, project, mine[0]["interaction"], 1, FULL, "qa1")
    plan = sampling.overview(fw, "acme", MONTH, AFTER)
    assert {w["evaluator"]: (w["planned"], w["done"]) for w in plan["evaluators"]} == {"qa1": (6, 1), "qa2": (6, 0)}
    assert [r["state"] for r in sampling.worklist(fw, "acme", "qa1")].count("done") == 1
    assert sampling.due_this_week(fw, "acme", "qa1", AFTER) == 5  # every open pick is due by now
    assert sampling.due_this_week(fw, "acme", "qa1", dt.date(2026, 4, 1)) == 0  # none due in week one
    user = fw.users.get("qa1")
    items = sampling.waiting(fw, project, user)
    assert items == [] or items[0].url.endswith("/qa/worklist")  # counted on the project's own today


def test_in_take_mode_evaluators_take_picks_one_each(fw, tmp_path):
    _add_qa_users(fw, "qa1", "qa2")
    fw.projects.configure("acme", "qa", {"sampling_take": True}, "setup")
    project = fw.projects.get("acme")
    _import(fw, tmp_path, _daily(("1001",)))
    sampling.build(fw, project, MONTH, "sup1", today=AFTER)
    free = sampling.unassigned(fw, "acme")
    assert len(free) == 4
    sampling.take(fw, project, free[0]["id"], "qa1")
    assert [r["id"] for r in sampling.worklist(fw, "acme", "qa1")] == [free[0]["id"]]
    with pytest.raises(Conflict):
        sampling.take(fw, project, free[0]["id"], "qa2")


def test_a_plan_behind_blocks_the_month_until_its_picks_are_done_or_removed(fw, tmp_path):
    project = fw.projects.get("acme")
    assert sampling.blockers(fw, project, MONTH) == []  # no plan, nothing behind
    _import(fw, tmp_path, _daily(("1001",)))
    sampling.build(fw, project, MONTH, "qa1", today=AFTER)
    found = fw.project_hook(project, "period_blockers")(floorwalker=fw, project=project, period=MONTH)
    blocker = [b for answer in found for b in answer if "plan" in b.url]
    assert blocker[0].count == 4 and blocker[0].url == f"/p/acme/qa/plan?month={MONTH}"
    for pick in _active(fw, "1001"):
        sampling.remove(fw, project, pick["id"], "本月停用该渠道", "qa1")
    assert sampling.blockers(fw, project, MONTH) == []


def test_a_closed_months_plan_never_changes(fw, tmp_path):
    project = fw.projects.get("acme")
    _import(fw, tmp_path, _daily(("1001",)))
    sampling.build(fw, project, MONTH, "qa1", today=AFTER)
    picks = _active(fw, "1001")
    for pick in picks:
        sampling.remove(fw, project, pick["id"], "渠道停用", "qa1")
    fw.periods.close("acme", MONTH, "director")
    with pytest.raises(PeriodClosed):
        sampling.build(fw, project, MONTH, "qa1", today=AFTER)
    with pytest.raises(PeriodClosed):
        sampling.replace(fw, project, picks[0]["id"], "晚了", "qa1")


# ------------------------------------------------------------------------------ pages and CLI


def _client(app, username):
    client = TestClient(app, follow_redirects=False, client=(f"10.9.0.{abs(hash(username)) % 200 + 1}", 4000))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    assert client.post("/login", data={"csrf_token": token, "username": username,
                                       "password": PASSWORD}).status_code == 303
    client.token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    return client


@pytest.fixture
def site(fw, tmp_path, cheap_argon2):
    hashed = hash_password(PASSWORD)
    with cheap_argon2():
        fw.users.add_many([fw.users.prepare(n, hashed, [role], ["acme"], name, "zh_CN", agent=agent)
                           for n, role, name, agent in (("qa1", "qa", "质检小王", None),
                                                        ("agent1", "agent", "李雷", "1001"))], "setup")
        _import(fw, tmp_path, _daily(("1001", "1002")))
        sampling.build(fw, fw.projects.get("acme"), MONTH, "qa1", today=AFTER)
        app = create_app(fw)
        yield app, {u: _client(app, u) for u in ("qa1", "agent1")}


def test_an_agent_never_sees_the_plan_or_a_worklist(site):
    _app, clients = site
    agent = clients["agent1"]
    assert agent.get(f"/p/acme/qa/plan?month={MONTH}").status_code == 403
    assert agent.get("/p/acme/qa/worklist").status_code == 403
    pick = "no-such-pick"
    assert agent.post(f"/p/acme/qa/plan/picks/{pick}/remove",
                      data={"csrf_token": agent.token, "reason": "x"}).status_code == 403
    assert "抽样" not in agent.get("/p/acme/qa/mine").text


def test_qa_reads_the_plan_in_chinese_and_a_reason_is_asked_beside_the_pick(site, fw):
    _app, clients = site
    qa = clients["qa1"]
    page = qa.get(f"/p/acme/qa/plan?month={MONTH}")
    assert page.status_code == 200 and "抽样计划" in page.text and "Li Lei" in page.text
    assert "quota" not in page.text and "must_check" not in page.text
    pick = _active(fw, "1001")[0]
    refused = qa.post(f"/p/acme/qa/plan/picks/{pick['id']}/replace", data={"csrf_token": qa.token, "reason": ""})
    assert refused.status_code == 422
    assert re.search(rf'id="e-{pick["id"]}">[^<]*原因', refused.text)
    done = qa.post(f"/p/acme/qa/plan/picks/{pick['id']}/remove", data={"csrf_token": qa.token, "reason": "无录音"})
    assert done.status_code == 303
    assert sampling.find(fw, "acme", pick["id"])[1]["status"] == "removed"
    assert "无录音" in qa.get(f"/p/acme/qa/plan?month={MONTH}").text
    work = qa.get("/p/acme/qa/worklist")
    assert work.status_code == 200 and "我的质检任务" in work.text


def test_qa_sample_builds_and_prints_the_plan(fw, pm, tmp_path):
    _import(fw, tmp_path, _daily(("1001", "1002")) + [("T1", "1002", 9, "ticket", "退款", "退款")])
    cli = make_cli(pm)

    def run(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", *args], catch_exceptions=False)

    shown = run("qa", "sample", "--project", "acme", "--month", MONTH, "--format", "json")
    assert shown.exit_code == 0, shown.output
    picks = json.loads(shown.output)
    assert len(picks) == 8  # T1 is must-check and fills its own slot of 1002's four
    must = [p for p in picks if p["interaction"] == "T1"][0]
    assert must["why"] == "must_check" and must["must_check"] == ["退款"]
    assert set(picks[0]) == {"id", "agent", "interaction", "date", "channel", "why", "must_check", "evaluator",
                             "due", "state", "reason"}
    table = run("qa", "sample", "--project", "acme", "--month", MONTH)
    assert table.exit_code == 0 and "0 picks added" in table.output and "must check" in table.output
