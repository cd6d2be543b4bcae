"""The month's QA rules: an average under the pass line costs points (settled as evaluations
come in and at month close), and a supervisor's spot check records one event per error."""

import datetime as dt

import pytest

from floorwalker.core import PeriodClosed, ValidationError
from floorwalker.plugins.qa import evaluations, interactions, monthly

TODAY = dt.date.today().isoformat()
MONTH = TODAY[:7]
# the conftest's card: 服务用语 60 (开场 10, 语气 0–5, 辱骂 fatal), 业务处理 40 (信息准确 fatal section,
# 记录完整 10), 加分项 0–5. All yes and 记录完整 "no": 60 + 20 = 80, plus the bonus.
SCORE_80 = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "no",
            "c-1-1": "漏记", "a-2-0": "0", "comment": "记录不完整"}
SCORE_85 = {**SCORE_80, "a-2-0": "5"}
SCORE_100 = {**SCORE_80, "a-1-1": "yes"}


def ev(agent, score, kind="evaluation"):
    return {"agent": agent, "score": score, "kind": kind}


@pytest.mark.parametrize("scores, line, below", [
    ([85], 85, False),  # exactly at the pass line passes
    ([84.99], 85, True),
    ([80, 90], 85, False),  # the average, not each evaluation
    ([80, 89.98], 85, True),
    ([100], 100, False),
    ([0], 0, False),
])
def test_the_pass_line_boundary(scores, line, below):
    average, n = monthly.averages([ev("1001", s) for s in scores])["1001"]
    assert n == len(scores)
    assert monthly.below(average, line) is below


def test_calibrations_never_enter_the_average():
    found = monthly.averages([ev("1001", 90), ev("1001", 10, "calibration"), ev("1002", 50, "calibration")])
    assert found == {"1001": (90, 1)}


def test_the_monthly_event_is_dated_at_the_month_end_or_the_agents_last_day(fw):
    assert monthly.month_day(fw, "acme", "2026-02", "1001") == "2026-02-28"
    assert monthly.month_day(fw, "acme", "2024-12", "1001") is None  # hired 2025-01-01
    assert monthly.month_day(fw, "beta", "2026-02", "1001") is None


@pytest.fixture
def chats(fw, tmp_path, published):
    path = tmp_path / "in.csv"
    path.write_text("id,agent,time,channel,transcript\n" + "".join(
        f"C{i},1001,{TODAY} 09:0{i}:00,chat,[09:00:00] 客服: 您好\n" for i in range(1, 4)), encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    return fw


def _month_events(fw):
    return [e for e in fw.ledger.events("acme", MONTH) if e["rule"] == monthly.BELOW_PASS_RULE]


def test_the_average_is_settled_as_evaluations_come_in(chats):
    fw, project = chats, chats.projects.get("acme")
    evaluations.submit(fw, project, "C1", 1, SCORE_85, "qa1")
    assert _month_events(fw) == []  # 85 is the pass line
    evaluations.submit(fw, project, "C2", 1, SCORE_80, "qa1")  # 82.5
    [event] = _month_events(fw)
    assert (event["points"], event["source"], event["evidence"]) == (-5, "qa", f"qa:month:{MONTH}:1001")
    assert event["date"] == monthly.month_day(fw, "acme", MONTH, "1001")
    assert "82.5 of 2 evaluations" in event["reason"]
    assert monthly.reason(event["reason"], "zh_CN") == "月度质检平均分 82.5（2 次质检），低于及格线 85"
    evaluations.submit(fw, project, "C3", 1, SCORE_100, "qa1")  # 88.33: back above the line
    events = _month_events(fw)
    assert [e["points"] for e in events] == [-5, 5] and events[1]["reverses"] == event["id"]
    row = next(r for r in fw.ledger.sheet("acme", MONTH) if r["number"] == "1001")
    assert (row["result"], row["adjustment"]) == (2, 0)  # the full-marks +2 only, a result not a correction


def test_the_points_and_the_line_come_from_the_settings(chats):
    fw = chats
    fw.projects.configure("acme", "core", {"rule_points": {monthly.BELOW_PASS_RULE: -3}}, "admin")
    fw.projects.configure("acme", "qa", {"pass_line": 90}, "admin")
    evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, SCORE_85, "qa1")
    assert [e["points"] for e in _month_events(fw)] == [-3]


def test_month_close_settles_the_average_and_a_closed_month_stays_as_it_was(fw, published):
    last = (dt.date.fromisoformat(f"{MONTH}-01") - dt.timedelta(days=1)).isoformat()
    month = last[:7]
    with fw.store.transaction(fw.store.period_key("acme", "qa_evaluations", month), "qa1", "test") as tx:
        tx.insert_many(evaluations.TABLE, [{"id": "E1", "kind": "evaluation", "agent": "1002", "score": 70,
                                            "date": last, "submitted_at": f"{last}T10:00:00"}])
    fw.periods.close("acme", month, "director")
    [event] = [e for e in fw.ledger.events("acme", month) if e["rule"] == monthly.BELOW_PASS_RULE]
    assert (event["agent"], event["date"]) == ("1002", last)
    assert monthly.settle(fw, fw.projects.get("acme"), month, "qa1", []) is None  # closed: untouched
    assert len(fw.ledger.events("acme", month)) == 1


def test_a_spot_check_records_one_event_per_error(fw):
    project = fw.projects.get("acme")
    events = monthly.record_spot_check(fw, project, "1001", TODAY, "2", "-3", "话术错误两处", "sup1")
    assert [(e["rule"], e["points"], e["source"]) for e in events] == [("spot_check_error", -3, "qa")] * 2
    assert events[0]["evidence"] == events[1]["evidence"] and events[0]["evidence"].startswith("qa:spotcheck:")
    [check] = monthly.spot_checks(fw, "acme", MONTH)
    assert (check["agent"], check["errors"], check["points"]) == ("1001", 2, -6)
    fw.ledger.reverse(events[0]["id"], "复核后撤销一处", "sup1")
    [check] = monthly.spot_checks(fw, "acme", MONTH)
    assert (check["errors"], check["counting"], check["points"]) == (2, 1, -3)


@pytest.mark.parametrize("change, field", [
    ({"points": "-6"}, "points"), ({"points": "-1"}, "points"), ({"points": "abc"}, "points per error"),
    ({"errors": "0"}, "errors"), ({"errors": "21"}, "errors"), ({"note": " "}, "what was wrong"),
    ({"agent": "2001"}, "agent"), ({"date": "2026-02-30"}, "date"),
])
def test_a_spot_check_is_refused_naming_the_field(fw, change, field):
    args = {"agent": "1001", "date": TODAY, "errors": "1", "points": "-2", "note": "错误"} | change
    with pytest.raises(ValidationError) as caught:
        monthly.record_spot_check(fw, fw.projects.get("acme"), args["agent"], args["date"], args["errors"],
                                  args["points"], args["note"], "sup1")
    assert caught.value.field == field
    assert fw.ledger.events("acme", MONTH) == []


def test_a_spot_check_in_a_closed_month_is_refused(fw):
    last = (dt.date.fromisoformat(f"{MONTH}-01") - dt.timedelta(days=1)).isoformat()
    fw.periods.close("acme", last[:7], "director")
    with pytest.raises(PeriodClosed):
        monthly.record_spot_check(fw, fw.projects.get("acme"), "1001", last, 1, -2, "错误", "sup1")
