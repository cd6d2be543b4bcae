"""The one flow of a valid complaint against an agent (issue 14, item 5): the provisional
deduction with the complaint as evidence, dated in the month received (a correction naming it
after that month closed), reversed when the verdict changes (before and after the close); the
QA review through the plugin-declared hook (a must-check pick where QA is on, "skipped" on the
page where it is off); the coaching item listed on the complaint page."""

import re

import pytest

from floorwalker.core import hookimpl
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.complaints import handling, records, verdicts
from floorwalker.plugins.qa import interactions, sampling

KEY = "complaints:complaint:C0001"


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager(builtins=["complaints", "qa"])  # QA installed; enabled per project


@pytest.fixture
def no_clocks(fw):
    """No SLA policy: an undecided complaint holds no month (the figures' blocker) in these tests."""
    fw.projects.configure("acme", "complaints", {"sla_policies": []}, "setup")


def take(fw, received="2026-10-30 10:00", agent="1001", **fields):
    return records.intake(fw, fw.projects.get("acme"), {"channel": "phone", "subject": "坐席态度差",
                                                       "received": received, "agent": agent, **fields}, "desk")


def judge(fw, outcome="valid", rule="quarrel_with_customer", reason="录音证实与客户争吵", ident="C0001"):
    return handling.verdict(fw, fw.projects.get("acme"), ident, outcome, reason, "sup",
                            rule=rule if outcome == "valid" else None)


def mine(fw, month, key=KEY):
    """The events of evidence *key* in *month*, reversals included."""
    return [e for e in fw.ledger.events("acme", month) if e["evidence"] == key]


def total(fw, month, number="1001"):
    return next(r["total"] for r in fw.ledger.sheet("acme", month, columns=False) if r["number"] == number)


def test_a_valid_verdict_deducts_the_chosen_rule_in_the_month_received(fw, clock):
    take(fw)  # received in October, judged in November while October is open
    doc = judge(fw)
    [event] = mine(fw, "2026-10")
    assert (event["rule"], event["points"], event["date"], event["source"], event["recorded_by"]) == \
        ("quarrel_with_customer", -20, "2026-10-30", "complaints", "sup")
    assert mine(fw, "2026-11") == []
    assert doc["flow"]["deduction"] == {"state": "deducted", "rule": "quarrel_with_customer", "points": -20,
                                        "month": "2026-10"}
    assert total(fw, "2026-10") == 80 - 20
    audited = [a for a in fw.store.audit_entries("projects/acme/score_events") if a["action"] == "complaints.verdict"]
    assert audited and audited[-1]["actor"] == "sup"


def test_the_rule_chosen_with_the_verdict_decides_the_points(fw, clock):
    take(fw)
    judge(fw, rule="complaint_reply_poor", reason="答复不及时")
    assert [(e["rule"], e["points"]) for e in mine(fw, "2026-10")] == [("complaint_reply_poor", -5)]


def test_no_deduction_for_an_invalid_complaint_or_one_not_against_an_agent(fw, clock):
    take(fw)
    judge(fw, "invalid", reason="核实无过失")
    take(fw, agent="", against="product")
    judge(fw, ident="C0002", rule=None, reason="产品问题")
    assert [e for e in fw.ledger.events("acme", "2026-10") if e["source"] == "complaints"] == []


def test_a_changed_verdict_reverses_the_deduction_and_a_second_change_deducts_again(fw, clock):
    take(fw)
    judge(fw)
    doc = judge(fw, "invalid", reason="申诉成立：录音显示客户先辱骂")
    deducted, reversal = mine(fw, "2026-10")
    assert reversal["reverses"] == deducted["id"] and reversal["points"] == 20
    assert reversal["reason"] == "申诉成立：录音显示客户先辱骂" and not reversal.get("decision")
    assert doc["flow"]["deduction"]["state"] == "reversed"
    assert total(fw, "2026-10") == 80
    judge(fw, rule="complaint_reply_poor", reason="新证据：答复不及时")
    assert total(fw, "2026-10") == 80 - 5


def test_a_changed_rule_replaces_the_deduction(fw, clock):
    take(fw)
    judge(fw)
    judge(fw, rule="complaint_reply_poor", reason="复核：只是答复不及时")
    assert total(fw, "2026-10") == 80 - 5


def test_the_reversal_survives_the_close(fw, clock, no_clocks):
    take(fw)
    judge(fw)
    judge(fw, "invalid", reason="申诉成立")
    fw.periods.close("acme", "2026-10", "sup")
    assert total(fw, "2026-10") == 80 + 5  # and no valid complaint left: the month's +5
    assert [e["rule"] for e in mine(fw, "2026-10") if not e["reverses"]] == ["quarrel_with_customer"]


def test_a_deduction_reversed_by_a_person_is_left_alone(fw, clock):
    take(fw)
    judge(fw)
    [event] = mine(fw, "2026-10")
    fw.ledger.reverse(event["id"], "主管决定免予扣分", "sup", "acme", decision=True)
    doc = judge(fw, rule="complaint_reply_poor", reason="复核")
    assert doc["flow"]["deduction"]["state"] == "decided"
    assert total(fw, "2026-10") == 80


def test_a_verdict_after_the_month_closed_is_a_correction_naming_it(fw, clock, no_clocks):
    take(fw)
    fw.periods.close("acme", "2026-10", "sup")  # 1001 gets the month's +5: no valid complaint yet
    assert total(fw, "2026-10") == 85
    doc = judge(fw)
    assert mine(fw, "2026-10") == [e for e in mine(fw, "2026-10") if e["rule"] == "zero_valid_complaints"] == []
    [adjustment] = mine(fw, "2026-11")
    assert (adjustment["rule"], adjustment["adjusts"], adjustment["for_rule"], adjustment["date"]) == \
        ("adjustment", "2026-10", "quarrel_with_customer", "2026-11-01")
    assert adjustment["points"] == -20 - 5  # the deduction, and the +5 the complaint now withholds
    assert doc["flow"]["deduction"] == {"state": "deducted", "rule": "quarrel_with_customer", "points": -25,
                                        "month": "2026-11", "adjusts": "2026-10"}
    assert total(fw, "2026-10") == 85  # the closed month never changes


def test_a_verdict_changed_after_the_close_is_corrected_in_an_open_month(fw, clock, no_clocks):
    take(fw)
    take(fw, agent="1002", received="2026-10-29 11:00")
    judge(fw)  # before the close: the deduction is in October
    fw.periods.close("acme", "2026-10", "sup")
    assert (total(fw, "2026-10"), total(fw, "2026-10", "1002")) == (60, 85)
    doc = judge(fw, "invalid", reason="申诉成立")
    [adjustment] = mine(fw, "2026-11")
    assert adjustment["adjusts"] == "2026-10" and adjustment["points"] == 20 + 5  # the +5 now earned
    assert doc["flow"]["deduction"]["state"] == "reversed" and doc["flow"]["deduction"]["adjusts"] == "2026-10"
    judge(fw, rule="complaint_reply_poor", reason="再审：答复不及时")  # changed again: −5 and the +5 lost
    assert [e["points"] for e in mine(fw, "2026-11")] == [20 + 5, -5 - 5]
    assert total(fw, "2026-11") == 80 + 25 - 10  # October as it now stands: 80 - 5, without the +5


def test_an_adjustment_is_reversed_when_the_verdict_changes_back(fw, clock, no_clocks):
    take(fw)
    fw.periods.close("acme", "2026-10", "sup")
    judge(fw)
    judge(fw, "invalid", reason="申诉成立")
    adjustment, reversal = sorted(mine(fw, "2026-11"), key=lambda e: bool(e["reverses"]))
    assert reversal["reverses"] == adjustment["id"]
    assert total(fw, "2026-11") == 80


# ------------------------------------------------------------------ QA review and coaching


def _interaction(fw, tmp_path, ident="I9", agent="1001", when="2026-10-30 09:50:00"):
    path = tmp_path / "calls.csv"
    path.write_text(f"会话ID,工号,时间,渠道,时长,会话内容,录音\n{ident},{agent},{when},电话,300,,rec/9.wav\n",
                    encoding="utf-8")
    interactions.import_file(fw, "acme", path, "desk")


def _with_qa(fw):
    fw.projects.enable("acme", "qa", "setup")


def test_qa_review_is_a_must_check_pick_in_the_plan_when_qa_is_on(fw, clock, tmp_path):
    _with_qa(fw)
    _interaction(fw, tmp_path)
    take(fw, interaction="I9")
    doc = judge(fw)
    [pick] = sampling.picks_of(fw, "acme", "2026-10")
    assert (pick["interaction"], pick["why"], pick["must"], pick["agent"], pick["evaluator"]) == \
        ("I9", "must_check", ["C0001"], "1001", "desk")
    assert [r["interaction"] for r in sampling.worklist(fw, "acme", "desk")] == ["I9"]
    assert doc["flow"]["review"] == {"state": "requested", "url": "/p/acme/qa/plan?month=2026-10"}
    judge(fw, rule="complaint_reply_poor", reason="复核")  # asked once per complaint
    assert len(sampling.picks_of(fw, "acme", "2026-10")) == 1


def test_qa_review_of_an_interaction_of_a_closed_month_goes_in_this_months_plan(fw, clock, tmp_path, no_clocks):
    _with_qa(fw)
    _interaction(fw, tmp_path)
    take(fw, interaction="I9")
    fw.periods.close("acme", "2026-10", "sup")
    judge(fw)
    assert [p["interaction"] for p in sampling.picks_of(fw, "acme", "2026-11")] == ["I9"]


def test_qa_review_skipped_when_qa_is_off_or_nothing_to_review(fw, clock, tmp_path):
    take(fw, interaction="I9")
    assert judge(fw)["flow"]["review"] == {"state": "skipped"}  # QA installed but not enabled for acme
    _with_qa(fw)
    take(fw)
    assert judge(fw, ident="C0002")["flow"]["review"] == {"state": "no_interaction"}
    take(fw, interaction="NOPE")
    assert judge(fw, ident="C0003")["flow"]["review"] == {"state": "unknown_interaction"}


def test_coaching_item_for_the_agents_team_leader(fw, clock):
    take(fw)
    coaching = judge(fw)["flow"]["coaching"]
    assert coaching == {"state": "listed", "leaders": ["lead"], "agent": "1001"}
    take(fw, agent="1003")  # team night has no team leader
    assert judge(fw, ident="C0002")["flow"]["coaching"]["leaders"] == []


class Meetings:
    """A tiny plugin that opens coaching items."""

    def __init__(self):
        self.asked = []

    @hookimpl
    def complaints_coaching_item(self, complaint, leaders):
        self.asked.append((complaint["id"], leaders))
        return True


def test_a_plugin_implementing_the_coaching_hook_opens_the_item(fw, clock):
    meetings = Meetings()
    fw.pm.register(meetings, name="meetings_test")
    try:
        take(fw)
        project = fw.projects.get("acme")
        enabled = {**project, "plugins": [*project["plugins"], "meetings_test"]}
        doc = handling.verdict(fw, enabled, "C0001", "valid", "录音证实", "sup", rule="quarrel_with_customer")
        assert doc["flow"]["coaching"]["state"] == "opened"
        assert meetings.asked == [("C0001", ["lead"])]
        take(fw)
        assert judge(fw, ident="C0002")["flow"]["coaching"]["state"] == "listed"  # not enabled for acme
    finally:
        fw.pm.unregister(meetings)


# ------------------------------------------------------------------ the page


def test_the_complaint_page_shows_the_flow(fw, clock, tmp_path):
    take(fw, interaction="I9")
    judge(fw)
    project = fw.projects.get("acme")
    shown = verdicts.view(fw, project, records.get(fw, project, "C0001"), "zh_CN")
    assert shown["deduction"]["month_shown"] == "2026年10月"
    assert shown["review"]["state"] == "skipped"


@pytest.fixture
def web(signed_in):
    """Sign-ins of `build_company`'s users (`signed_in` in conftest)."""
    return signed_in


def test_the_page_says_the_review_was_skipped_and_lists_the_coaching(fw, clock, web):
    take(fw, interaction="I9")
    judge(fw)
    page = web("sup").get("/p/acme/complaints/C0001")
    assert page.status_code == 200
    text = re.search(r'class="card complaint-flow">(.*?)</section>', page.text, re.S).group(1)
    assert "未启用质检" in text and "与客户争吵（投诉成立）" in text and "-20" in text
    assert "待辅导" in text and "Lead" in text
    assert "quarrel_with_customer" not in text and "complaints:complaint" not in text
    client = web("client").get("/p/acme/complaints/C0001").text
    assert "未启用质检" not in client and "-20" not in client
