"""Reversal requests: a leader asks, a supervisor decides; an undecided one blocks the close."""

import pytest

from floorwalker.core import Conflict, ValidationError
from floorwalker.core.periods import PeriodBlocked
from floorwalker.plugins.incentives import reversals

MONTH = "2025-03"


def total(fw, number):
    return next(r["total"] for r in fw.ledger.sheet("acme", MONTH) if r["number"] == number)


def test_an_approved_request_reverses_the_event(fw, score):
    event = score("1001", -20)
    asked = reversals.request(fw, "acme", event["id"], "leave was approved late", "tl")
    assert total(fw, "1001") == 60  # asking changes nothing yet
    decided = reversals.decide(fw, "acme", asked["id"], True, "sup")
    assert decided["state"] == "approved" and decided["decided_by"] == "sup"
    assert total(fw, "1001") == 80
    reversal = next(e for e in fw.ledger.events("acme", MONTH) if e["reverses"] == event["id"])
    assert (reversal["id"], reversal["reason"], reversal["recorded_by"]) == \
        (decided["reversal"], "leave was approved late", "sup")


def test_a_rejected_request_needs_a_note_and_changes_nothing(fw, score):
    event = score("1001", -20)
    asked = reversals.request(fw, "acme", event["id"], "please", "tl")
    with pytest.raises(ValidationError):
        reversals.decide(fw, "acme", asked["id"], False, "sup", note=" ")
    decided = reversals.decide(fw, "acme", asked["id"], False, "sup", note="absence confirmed")
    assert decided["state"] == "rejected" and total(fw, "1001") == 60
    with pytest.raises(Conflict):
        reversals.decide(fw, "acme", asked["id"], True, "sup")


def test_a_request_needs_a_reason_and_one_at_a_time(fw, score):
    event = score("1001", -20)
    with pytest.raises(ValidationError):
        reversals.request(fw, "acme", event["id"], "", "tl")
    reversals.request(fw, "acme", event["id"], "wrong agent", "tl")
    with pytest.raises(Conflict):
        reversals.request(fw, "acme", event["id"], "again", "tl2")


def test_an_already_reversed_event_cannot_be_requested(fw, score):
    event = score("1001", -20)
    reversal = fw.ledger.reverse(event["id"], "done directly", "sup")
    with pytest.raises(Conflict):
        reversals.request(fw, "acme", event["id"], "again", "tl")
    with pytest.raises(Conflict):
        reversals.request(fw, "acme", reversal["id"], "undo the undo", "tl")


def test_every_step_is_audited(fw, score):
    event = score("1001", -20)
    asked = reversals.request(fw, "acme", event["id"], "wrong agent", "tl")
    reversals.decide(fw, "acme", asked["id"], False, "sup", note="no")
    audit = fw.store.audit_entries(fw.store.plugin_key("acme", "incentives"))
    assert [(a["actor"], a["action"]) for a in sorted(audit, key=lambda a: a["id"])][-2:] == \
        [("tl", "incentives.reversal_request"), ("sup", "incentives.reversal_decision")]


def test_an_undecided_request_blocks_the_month_from_closing(fw, score):
    event = score("1001", -20)
    asked = reversals.request(fw, "acme", event["id"], "wrong agent", "tl")
    blockers = fw.periods.blockers("acme", MONTH)
    assert [(b.plugin, b.count, b.url) for b in blockers] == \
        [("incentives", 1, "/p/acme/incentives/reversals")]
    assert fw.periods.blockers("acme", "2025-02") == []
    with pytest.raises(PeriodBlocked):
        fw.periods.close("acme", MONTH, "sup")
    reversals.decide(fw, "acme", asked["id"], True, "sup")
    fw.periods.close("acme", MONTH, "sup")
    assert fw.periods.state("acme", MONTH) == "closed"


def test_an_approved_request_about_a_closed_month_adjusts_the_first_open_month(fw, score):
    event = score("1001", -20)
    fw.periods.close("acme", MONTH, "sup")
    asked = reversals.request(fw, "acme", event["id"], "leave was approved late", "tl")
    assert fw.periods.blockers("acme", "2025-04") == []  # its month is closed already
    decided = reversals.decide(fw, "acme", asked["id"], True, "sup")
    assert total(fw, "1001") == 60  # the closed month is untouched
    (adjustment,) = fw.ledger.events("acme", "2025-04")
    assert (adjustment["id"], adjustment["points"], adjustment["adjusts"], adjustment["corrects"],
            adjustment["reason"], adjustment["recorded_by"]) == \
        (decided["reversal"], 20, MONTH, event["id"], "leave was approved late", "sup")
    with pytest.raises(Conflict):
        reversals.request(fw, "acme", event["id"], "again", "tl")
