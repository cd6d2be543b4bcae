"""Attendance that scores: absent without leave from a department meeting is ``missed_meeting``
−10 with the meeting as evidence; excused afterwards, it is reversed as a decision that a later
settle and the month's close leave reversed (a correction once the month closed); leave comes
from the platform's `agent_availability`; a shift's handover never scores."""

import datetime as dt

import pytest

from floorwalker.core import Absence, ValidationError
from floorwalker.plugins.meetings import attendance, records


def _meeting(fw, acme, kind="weekly", date="2026-11-16", department=True, expected=("1001", "1002", "1009")):
    doc = records.new_doc(fw, acme, kind=kind, date=date, time="16:30", title="班务会", expected=list(expected),
                          chair="sup", department=department)
    return records.add(fw, acme, [doc], "sup")[0]


def _live(fw, meeting_id, agent="1001", month="2026-11"):
    events = fw.ledger.events("acme", month)
    undone = {e["reverses"] for e in events if e["reverses"]}
    return [e for e in events if e["evidence"] == f"meetings:meeting:{meeting_id}" and e["agent"] == agent
            and not e["reverses"] and e["id"] not in undone]


def test_absent_without_leave_scores_minus_10_with_the_meeting_as_evidence(fw, acme):
    m = _meeting(fw, acme)
    attendance.take(fw, acme, m["id"], {"1001": ("absent", ""), "1002": ("present", "")}, "sup")
    (event,) = _live(fw, m["id"])
    assert (event["rule"], event["points"], event["source"], event["date"]) == \
        ("missed_meeting", -10, "meetings", "2026-11-16")
    assert _live(fw, m["id"], "1002") == []
    # taking the attendance again changes nothing in the ledger
    attendance.take(fw, acme, m["id"], {"1001": ("absent", "")}, "sup")
    assert len(_live(fw, m["id"])) == 1


def test_an_absence_excused_after_the_deduction_is_reversed_for_good(fw, acme):
    m = _meeting(fw, acme)
    attendance.take(fw, acme, m["id"], {"1001": ("absent", "")}, "sup")
    (event,) = _live(fw, m["id"])
    attendance.take(fw, acme, m["id"], {"1001": ("excused", "事后补假，主管批准")}, "sup")
    assert _live(fw, m["id"]) == []
    reversal = next(e for e in fw.ledger.events("acme", "2026-11") if e["reverses"] == event["id"])
    assert reversal["decision"] is True and reversal["reason"] == "事后补假，主管批准"
    # a settle of the meeting's evidence (as a month close runs) leaves the decision alone
    done = fw.ledger.settle("acme", "meetings", {f"meetings:meeting:{m['id']}": [
        ("missed_meeting", None, "2026-11-16", "1001", "")]}, "system", month="2026-11")
    assert done.written == () and _live(fw, m["id"]) == []
    total = {r["number"]: r["total"] for r in fw.ledger.sheet("acme", "2026-11")}
    assert total["1001"] == 80


def test_an_absence_excused_after_the_month_closed_is_a_correction(fw, acme, clock):
    m = _meeting(fw, acme, date="2026-10-19")
    clock.now = dt.datetime(2026, 10, 19, 17, 0)
    attendance.take(fw, acme, m["id"], {"1001": ("absent", "")}, "sup")
    clock.now = dt.datetime(2026, 11, 16, 10, 0)
    fw.periods.close("acme", "2026-10", "sup")
    attendance.take(fw, acme, m["id"], {"1001": ("excused", "病假条后补")}, "sup")
    adjustment = [e for e in fw.ledger.events("acme", "2026-11") if e["agent"] == "1001"]
    assert [(e["rule"], e["points"], e.get("adjusts")) for e in adjustment] == [("adjustment", 10, "2026-10")]


def test_leave_from_the_platform_excuses_and_an_excuse_without_leave_needs_a_reason(fw, acme, leavebook):
    leavebook.away.append(Absence("1002", dt.date(2026, 11, 15), dt.date(2026, 11, 17), "leave"))
    m = _meeting(fw, acme)
    sheet = {r["number"]: r for r in attendance.sheet(fw, acme, m)}
    assert sheet["1002"]["state"] == "excused" and sheet["1002"]["leave"]["first"] == "2026-11-15"
    assert sheet["1001"]["state"] == "" and sheet["1001"]["leave"] is None
    done = attendance.take(fw, acme, m["id"], {"1002": ("excused", "")}, "sup")
    assert done["attendance"]["1002"]["leave"] == {"kind": "leave", "first": "2026-11-15", "last": "2026-11-17"}
    with pytest.raises(ValidationError) as refused:
        attendance.take(fw, acme, m["id"], {"1001": ("excused", "")}, "sup")
    assert refused.value.message("zh_CN") and "1001" in refused.value.message("en")


def test_a_handover_or_a_meeting_not_of_the_department_never_scores(fw, acme):
    m = _meeting(fw, acme, kind="handover", department=False)
    attendance.take(fw, acme, m["id"], {"1001": ("absent", "")}, "lead")
    assert _live(fw, m["id"]) == []
    assert records.as_json(records.get(fw, acme, m["id"]))["absent"] == ["1001"]


def test_attendance_is_not_taken_before_the_day_nor_for_someone_not_expected(fw, acme):
    later = _meeting(fw, acme, date="2026-11-20")
    with pytest.raises(ValidationError):
        attendance.take(fw, acme, later["id"], {"1001": ("absent", "")}, "sup")
    m = _meeting(fw, acme)
    with pytest.raises(ValidationError):
        attendance.take(fw, acme, m["id"], {"1003": ("absent", "")}, "sup")


def test_missed_meeting_is_the_meetings_plugins_and_not_recorded_by_hand(fw):
    owner, rule = fw.rules["missed_meeting"]
    assert (owner, rule.points, rule.derived) == ("meetings", -10, True)
    with pytest.raises(ValidationError):
        fw.ledger.record("acme", "1001", "missed_meeting", "2026-11-16", "sup")
