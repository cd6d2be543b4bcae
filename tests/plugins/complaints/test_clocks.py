"""The SLA clocks at the boundaries the issue names: a weekend, a 调休 Saturday, a holiday, the
close of the business day (17:59 and 18:00), a pause and its resume, a failed target that stays
failed, a severity change that keeps the time spent, and a reopen that goes on from where the
clocks stood."""

from datetime import datetime

import pytest

from floorwalker.core import BusinessHours
from floorwalker.core.calendar import official_calendar
from floorwalker.plugins.complaints import clocks

CN = clocks.PRESETS["cn"]


def hours_of(text):
    return BusinessHours.parse(text, official_calendar(), "Asia/Shanghai")


def complaint(received, **fields):
    return {"id": "C0001", "received": received, "channel": "handling_point", "severity": "general",
            "category": None, "pauses": [], "reopens": [], "breached": {}, **fields}


def at(text):
    return datetime.fromisoformat(text)


def targets(doc, now, policies=CN):
    return {c.target: c for c in clocks.clocks(doc, policies, hours_of, at(now))}


@pytest.mark.parametrize("received, first_response, solution, why", [
    # Friday 17:00: one hour on Friday, the weekend does not count
    ("2026-11-13 17:00:00", "2026-11-16 10:00", "2026-11-18 17:00", "across a weekend"),
    # Friday 17:00 before the 调休 Saturday 2026-10-10, which is worked
    ("2026-10-09 17:00:00", "2026-10-10 10:00", "2026-10-13 17:00", "a make-up Saturday"),
    # Wednesday 17:00 before National Day (1–7 October off): the clock stands still until the 8th
    ("2026-09-30 17:00:00", "2026-10-08 10:00", "2026-10-10 17:00", "a holiday"),
])
def test_deadlines_run_on_the_holiday_calendar(received, first_response, solution, why):
    found = targets(complaint(received), received)
    assert found["first_response"].due == at(first_response), why
    assert found["solution"].due == at(solution), why


def test_two_complaints_at_1759_and_1800_against_a_9_to_18_day():
    """17:59 is one minute of Monday; 18:00 is after the close and counts from Tuesday 09:00."""
    early = targets(complaint("2026-11-16 17:59:00"), "2026-11-17 09:00")
    late = targets(complaint("2026-11-16 18:00:00"), "2026-11-17 09:00")
    assert early["first_response"].due == at("2026-11-17 10:59")
    assert late["first_response"].due == at("2026-11-17 11:00")
    assert (early["first_response"].minutes, late["first_response"].minutes) == (1, 0)


def test_a_pause_stops_the_clock_and_a_resume_starts_it_again():
    received = "2026-11-16 09:00:00"
    waiting = complaint(received, pauses=[{"start": "2026-11-16 10:00:00", "end": None, "on": "customer"}],
                        status="waiting")
    paused = targets(waiting, "2026-11-16 15:00")["first_response"]
    assert paused.state == "paused" and paused.minutes == 60  # the hour before the pause only
    resumed = complaint(received, pauses=[{"start": "2026-11-16 10:00:00", "end": "2026-11-16 15:00:00",
                                           "on": "customer"}])
    running = targets(resumed, "2026-11-16 15:30")["first_response"]
    assert running.state == "running" and running.minutes == 90
    assert running.due == at("2026-11-16 16:00")  # 2 hours of business time, five paused


def test_a_failed_target_stays_failed():
    doc = complaint("2026-11-16 09:00:00")
    late = targets(doc, "2026-11-16 11:30")["first_response"]
    assert late.state == "failed" and late.failed_at == at("2026-11-16 11:00")
    doc["breached"] = clocks.newly_failed(doc, list(targets(doc, "2026-11-16 11:30").values()))
    # a pause entered afterwards, back-dated, would move the due time: it stays failed
    doc["pauses"] = [{"start": "2026-11-16 09:00:00", "end": "2026-11-16 12:00:00", "on": "client"}]
    doc["first_response_at"] = "2026-11-16 12:30:00"
    assert targets(doc, "2026-11-16 12:30")["first_response"].state == "failed"


def test_a_step_done_in_time_is_met_and_a_late_one_failed():
    doc = complaint("2026-11-16 09:00:00", first_response_at="2026-11-16 10:59:00")
    assert targets(doc, "2026-11-17 09:00")["first_response"].state == "met"
    doc["first_response_at"] = "2026-11-16 11:01:00"
    assert targets(doc, "2026-11-17 09:00")["first_response"].state == "failed"


def test_the_warning_before_a_breach():
    doc = complaint("2026-11-16 09:00:00")
    found = clocks.clocks(doc, CN, hours_of, at("2026-11-16 09:30"), warn_hours=1)
    assert [c.warning for c in found] == [False, False, False]
    found = clocks.clocks(doc, CN, hours_of, at("2026-11-16 10:00"), warn_hours=1)
    assert found[0].warning and not found[1].warning


def test_first_matching_policy_wins_and_a_severity_change_keeps_the_time_spent():
    policies = [{"severity": "serious", "channel": "", "category": "", "hours": "09:00-18:00",
                 "first_response": 1, "first_response_unit": "hours", "solution": 1,
                 "solution_unit": "days", "closure": 3}, *CN]
    doc = complaint("2026-11-16 09:00:00", channel="phone")
    assert clocks.match(policies, "general", "phone", "") == clocks.PLAIN_24[0]
    general = targets(doc, "2026-11-16 09:40", policies)["first_response"]
    assert general.due == at("2026-11-17 09:00")  # the plain 24 hours, round the clock
    doc["severity"] = "serious"
    serious = targets(doc, "2026-11-16 09:40", policies)["first_response"]
    assert serious.due == at("2026-11-16 10:00") and serious.minutes == 40  # the 40 minutes kept


def test_a_reopened_complaint_goes_on_from_where_its_clocks_stood():
    doc = complaint("2026-11-16 09:00:00", first_response_at="2026-11-16 09:30:00",
                    reopens=[{"closed_at": "2026-11-16 12:00:00", "at": "2026-11-18 12:00:00"}])
    closure = targets(doc, "2026-11-18 13:00")["closure"]
    assert closure.minutes == 4 * 60  # 3 hours before the close, 1 after the reopen
    assert closure.state == "running"


def test_no_policy_means_no_clock_and_bad_policies_are_refused():
    assert clocks.clocks(complaint("2026-11-16 09:00:00"), [], hours_of, at("2026-11-16 10:00")) == []
    from floorwalker.core import ValidationError
    with pytest.raises(ValidationError):
        clocks.check_policies([{**CN[0], "solution": 0}])
    with pytest.raises(ValidationError):
        clocks.check_policies([{**CN[0], "hours": "nine to five"}])
