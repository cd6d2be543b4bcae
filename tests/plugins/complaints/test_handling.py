"""Intake and the handling steps through the store: who owns a complaint, the verdict, the third
escalation refused, waiting on the client, a reopen needing a changed solution, the breach job,
and every step in the history and the audit."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.complaints import handling, records


def take(fw, acme, **fields):
    return records.intake(fw, acme, {"channel": "phone", "subject": "态度差", **fields}, "desk")


def test_intake_needs_only_channel_and_subject_and_its_taker_owns_it(fw, acme, clock):
    doc = take(fw, acme)
    assert (doc["id"], doc["owner"], doc["received"], doc["status"]) == \
        ("C0001", "desk", "2026-11-16 10:00:00", "open")
    assert take(fw, acme)["id"] == "C0002"
    with pytest.raises(ValidationError) as refused:
        records.intake(fw, acme, {"channel": "phone", "subject": " "}, "desk")
    assert refused.value.message("zh_CN").startswith("主题")


def test_an_agent_complained_about_must_be_in_the_project(fw, acme):
    assert take(fw, acme, agent="1001")["against"] == "agent"
    with pytest.raises(ValidationError) as refused:
        take(fw, acme, agent="2001")
    assert "2001" in refused.value.message("en")


def test_the_third_escalation_is_refused(fw, acme):
    ident = take(fw, acme)["id"]
    handling.escalate(fw, acme, ident, "客户不接受答复", "desk")
    doc = handling.escalate(fw, acme, ident, "仍不接受", "desk")
    assert len(doc["escalations"]) == 2
    with pytest.raises(Conflict) as refused:
        handling.escalate(fw, acme, ident, "第三次", "desk")
    assert "追加" in refused.value.message("zh_CN") or "两次" in refused.value.message("zh_CN")
    assert len(records.get(fw, acme, ident)["escalations"]) == 2


def test_only_the_owner_or_a_supervisor_hands_over_and_only_by_name(fw, acme):
    ident = take(fw, acme)["id"]
    with pytest.raises(PermissionDenied):
        handling.handover(fw, acme, ident, "sup", "lead", fw.users.get("lead"))
    with pytest.raises(ValidationError):
        handling.handover(fw, acme, ident, "client", "desk", fw.users.get("desk"))
    doc = handling.handover(fw, acme, ident, "lead", "desk", fw.users.get("desk"), "夜班跟进")
    assert doc["owner"] == "lead" and doc["taken_by"] == "desk"
    assert doc["history"][-1]["to"] == "lead" and doc["history"][-1]["by"] == "desk"


def test_a_verdict_needs_a_reason_and_a_valid_one_against_an_agent_its_rule(fw, acme):
    ident = take(fw, acme, agent="1001", complainant="王芳")["id"]
    with pytest.raises(ValidationError):
        handling.verdict(fw, acme, ident, "valid", "", "sup")
    with pytest.raises(ValidationError):
        handling.verdict(fw, acme, ident, "valid", "录音证实争吵", "sup")
    doc = handling.verdict(fw, acme, ident, "valid", "录音证实争吵", "sup", rule="quarrel_with_customer")
    assert doc["verdict"]["rule"] == "quarrel_with_customer" and doc["verdict"]["by"] == "sup"
    doc = handling.verdict(fw, acme, ident, "invalid", "复核后不成立", "sup")
    assert doc["verdict"]["rule"] is None and doc["reply"].startswith("尊敬的王芳")


def test_callback_waits_for_the_handling_points_answer_and_the_clocks_pause(fw, acme, clock):
    ident = take(fw, acme, channel="handling_point")["id"]
    handling.wait(fw, acme, ident, "client", "desk", "转起点核实")
    clock.now = dt.datetime(2026, 11, 17, 10, 0)
    with pytest.raises(Conflict):
        handling.callback(fw, acme, ident, "accepted", "desk")
    doc = records.get(fw, acme, ident)
    assert {c.target: c.state for c in records.targets(fw, acme, doc)}["first_response"] == "paused"
    handling.resume(fw, acme, ident, "desk", "起点已答复")
    doc = handling.callback(fw, acme, ident, "accepted", "desk", "客户接受")
    assert doc["first_response_at"] == "2026-11-17 10:00:00"
    first = records.targets(fw, acme, doc)[0]
    assert first.state == "met" and first.minutes == 0  # the whole wait was paused


def test_close_reopen_and_a_changed_solution(fw, acme, clock):
    ident = take(fw, acme)["id"]
    handling.propose(fw, acme, ident, "补发赠品", "desk")
    with pytest.raises(Conflict):
        handling.close(fw, acme, ident, "satisfied", "desk")  # no verdict yet
    handling.approve(fw, acme, ident, "sup")
    handling.verdict(fw, acme, ident, "invalid", "产品问题，非服务过失", "sup")
    doc = handling.close(fw, acme, ident, "unsatisfied", "desk")
    assert doc["status"] == "closed" and doc["solved_at"]
    clock.now = dt.datetime(2026, 11, 17, 10, 0)
    doc = handling.reopen(fw, acme, ident, "客户仍不满意", "desk")
    assert doc["status"] == "open" and doc["solved_at"] is None and doc["closed_at"] is None
    with pytest.raises(ValidationError):
        handling.propose(fw, acme, ident, "补发赠品", "desk")
    handling.propose(fw, acme, ident, "退款并致歉", "desk")
    handling.approve(fw, acme, ident, "sup")
    handling.close(fw, acme, ident, "satisfied", "desk")
    doc = handling.archive(fw, acme, ident, "sup")
    assert doc["status"] == "archived"
    assert [h["step"] for h in doc["history"]] == [
        "intake", "propose", "approve", "verdict", "close", "reopen", "propose", "approve", "close", "archive"]
    assert all(h["by"] and h["at"] for h in doc["history"])


def test_every_step_is_audited(fw, acme):
    ident = take(fw, acme)["id"]
    handling.escalate(fw, acme, ident, "客户不接受", "desk")
    audit = fw.store.audit_entries(records.key(fw, "acme"))
    assert {"complaints.intake", "complaints.escalate"} <= {e["action"] for e in audit}


def test_a_breach_is_kept_and_escalated_to_the_supervisor(fw, acme, clock):
    from floorwalker.plugins.complaints import waiting_items
    ident = take(fw, acme)["id"]
    clock.now = dt.datetime(2026, 11, 17, 10, 30)  # the plain 24 hours have passed
    assert handling.record_breaches(fw, acme, "system") == 1
    doc = records.get(fw, acme, ident)
    assert set(doc["breached"]) == {"first_response", "solution", "closure"}
    assert doc["history"][-1]["step"] == "breach"
    assert handling.record_breaches(fw, acme, "system") == 0  # once
    items = waiting_items(fw, acme, fw.users.get("sup"))
    assert [(i.title_zh, i.count) for i in items] == [("已超时的投诉", 1)]
    assert waiting_items(fw, acme, fw.users.get("lead")) == []  # not the lead's complaint


def test_the_owner_is_warned_before_the_deadline(fw, acme, clock):
    from floorwalker.plugins.complaints import waiting_items
    take(fw, acme)
    clock.now = dt.datetime(2026, 11, 17, 8, 30)
    items = waiting_items(fw, acme, fw.users.get("desk"))
    assert [(i.title_zh, i.count) for i in items] == [("即将超时的投诉", 1)]
