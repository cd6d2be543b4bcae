"""Month end (issue 14, item 6): ``zero_valid_complaints`` +5 at close for every agent of the
project that month with no valid complaint received in it — not for one who left before the
month, not for a team leader, only where the plugin is on; the rule moved from the core's
catalogue into the plugin, and an event of it written before the move still counts."""

import pytest

from floorwalker.core.catalogue import RULES as CORE_RULES
from floorwalker.plugins.complaints import handling, month_end, records

OCTOBER = "2026-10"


@pytest.fixture(autouse=True)
def no_clocks(fw, clock):
    """No SLA policy: an undecided complaint holds no month (the figures' blocker) here."""
    fw.projects.configure("acme", "complaints", {"sla_policies": []}, "setup")


def take(fw, agent="1001", received="2026-10-12 10:00", **fields):
    return records.intake(fw, fw.projects.get("acme"), {"channel": "phone", "subject": "态度差",
                                                       "received": received, "agent": agent, **fields}, "desk")


def judge(fw, ident, outcome="valid", rule="complaint_reply_poor"):
    return handling.verdict(fw, fw.projects.get("acme"), ident, outcome, "核实", "sup",
                            rule=rule if outcome == "valid" else None)


def bonuses(fw, month=OCTOBER, project="acme"):
    """Agent → the date of its active bonus in *month*."""
    events = fw.ledger.events(project, month)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    return {e["agent"]: e["date"] for e in events if e["rule"] == "zero_valid_complaints"
            and not e["reverses"] and e["id"] not in reversed_ids}


def test_clean_agents_get_five_at_close_and_an_agent_with_a_valid_complaint_does_not(fw):
    judge(fw, take(fw)["id"])  # 1001: valid
    judge(fw, take(fw, agent="1002")["id"], "invalid")  # 1002: judged invalid, still clean
    take(fw, agent="", against="product")  # valid against the product: nobody's
    judge(fw, "C0003", rule=None)
    take(fw, agent="1003", received="2026-11-02 10:00")  # November's, not October's
    judge(fw, "C0004")
    assert bonuses(fw) == {}  # nothing before the close
    fw.periods.close("acme", OCTOBER, "sup", user=fw.users.get("sup"))
    assert bonuses(fw) == {"1002": "2026-10-31", "1003": "2026-10-31"}
    [event] = [e for e in fw.ledger.events("acme", OCTOBER) if e["agent"] == "1002"
               and e["rule"] == "zero_valid_complaints"]
    assert (event["points"], event["source"], event["evidence"], event["recorded_by"]) == \
        (5, "complaints", "complaints:month:1002:2026-10", "sup")
    row = {r["number"]: r for r in fw.ledger.sheet("acme", OCTOBER, columns=False)}
    assert (row["1001"]["total"], row["1002"]["total"], row["1003"]["bonus"]) == (80 - 5, 85, 5)


def test_not_for_an_agent_who_left_before_the_month_nor_a_team_leader(fw):
    fw.agents.add("acme", "1004", "Zhao Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.leave("1004", "2026-09-20", "resigned", "setup")
    fw.agents.add("acme", "1005", "Sun Li", "setup", team="day", hired="2025-01-01")
    fw.agents.leave("1005", "2026-10-15", "resigned", "setup")  # left during October
    fw.agents.add("acme", "1009", "Qian Ban", "setup", team="day", hired="2025-01-01", position="team_leader")
    fw.periods.close("acme", OCTOBER, "sup")
    found = bonuses(fw)
    assert "1004" not in found and "1009" not in found
    assert found["1005"] == "2026-10-15"  # dated its last day in the project


def test_only_where_the_plugin_is_enabled(fw):
    fw.projects.create("gamma", "Gamma", "setup", plugins=[])
    fw.agents.add("gamma", "3001", "Ma Li", "setup", hired="2025-01-01")
    fw.periods.close("gamma", OCTOBER, "sup")
    assert bonuses(fw, project="gamma") == {}


def test_closing_again_after_a_derivation_gives_nobody_two(fw):
    project = fw.projects.get("acme")
    month_end.derive(fw, project, OCTOBER, "sup")  # a close that ran its finalising, then failed
    month_end.derive(fw, project, OCTOBER, "sup")
    assert len([e for e in fw.ledger.events("acme", OCTOBER) if e["rule"] == "zero_valid_complaints"]) == 3


def test_a_verdict_after_the_derivation_in_an_open_month_settles_the_bonus(fw):
    take(fw)
    month_end.derive(fw, fw.projects.get("acme"), OCTOBER, "sup")
    assert set(bonuses(fw)) == {"1001", "1002", "1003"}
    judge(fw, "C0001")
    assert set(bonuses(fw)) == {"1002", "1003"}
    judge(fw, "C0001", "invalid")
    assert set(bonuses(fw)) == {"1001", "1002", "1003"}


def test_the_rule_moved_from_the_core_into_the_plugin(fw):
    assert "zero_valid_complaints" not in {r.code for r in CORE_RULES}
    owner, rule = fw.rules["zero_valid_complaints"]
    assert (owner, rule.points, rule.kind, rule.derived, rule.title_zh) == ("complaints", 5, "bonus", True, "当月无有效投诉")
    with pytest.raises(Exception) as err:  # still worked out, never picked by a person
        fw.ledger.record("acme", "1001", "zero_valid_complaints", "2026-10-31", "lead")
    assert "zero_valid_complaints" in str(err.value)


def test_an_event_written_before_the_move_still_counts_and_is_not_given_twice(fw):
    before = fw.ledger.prepare(fw.projects.get("acme"), "1001", "zero_valid_complaints", "2026-10-31", "system",
                               allow_derived=True)  # source "core", as the core's catalogue had it
    fw.ledger.write([before], "system", "score.record")
    fw.periods.close("acme", OCTOBER, "sup")
    row = next(r for r in fw.ledger.sheet("acme", OCTOBER, columns=False) if r["number"] == "1001")
    assert (row["bonus"], row["total"]) == (5, 85)
    assert [e["source"] for e in fw.ledger.events("acme", OCTOBER) if e["agent"] == "1001"] == ["core"]


def test_a_hand_recorded_quarrel_from_before_the_plugin_withholds_the_bonus(fw):
    fw.ledger.record("acme", "1002", "quarrel_with_customer", "2026-10-08", "lead")
    fw.periods.close("acme", OCTOBER, "sup")
    assert set(bonuses(fw)) == {"1001", "1003"}
