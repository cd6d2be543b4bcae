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
    assert refused.value.message("zh_CN") and "Li Lei" in refused.value.message("en")  # the name, not the number


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


def _signed(fw, acme, m):
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏"}, "sup")
    return records.sign_off(fw, acme, m["id"], "sup")


def test_an_absence_is_excused_after_the_minutes_are_signed_and_only_that(fw, acme, leavebook):
    from floorwalker.core import Conflict
    m = _meeting(fw, acme)
    attendance.take(fw, acme, m["id"], {"1001": ("absent", ""), "1002": ("present", ""), "1009": ("absent", "")},
                    "sup")
    _signed(fw, acme, m)
    (event,) = _live(fw, m["id"])
    # present and absent no longer change once signed
    with pytest.raises(Conflict):
        attendance.take(fw, acme, m["id"], {"1002": ("absent", "")}, "sup")
    with pytest.raises(Conflict):
        attendance.take(fw, acme, m["id"], {"1001": ("present", "")}, "sup")
    # leave approved afterwards excuses the absence: the −10 is reversed as a decision
    leavebook.away.append(Absence("1001", dt.date(2026, 11, 16), dt.date(2026, 11, 16), "leave"))
    done = attendance.excuse(fw, acme, m["id"], "1001", "", "sup")
    mark = done["attendance"]["1001"]
    assert (mark["state"], mark["afterwards"], mark["was"]["state"], mark["leave"]["kind"]) == \
        ("excused", True, "absent", "leave")
    assert _live(fw, m["id"]) == []
    reversal = next(e for e in fw.ledger.events("acme", "2026-11") if e["reverses"] == event["id"])
    assert reversal["decision"] is True
    assert done["minutes"]["signed_by"] == "sup"  # the minutes stay signed
    # without leave, a reason; someone present or already excused is not "excused afterwards"
    with pytest.raises(ValidationError):
        attendance.excuse(fw, acme, m["id"], "1009", "", "sup")
    with pytest.raises(ValidationError):
        attendance.excuse(fw, acme, m["id"], "1002", "补假", "sup")
    with pytest.raises(ValidationError):
        attendance.excuse(fw, acme, m["id"], "1001", "补假", "sup")
    # the attendance form of a signed meeting takes an excuse of an absence too
    attendance.take(fw, acme, m["id"], {"1009": ("excused", "主管事后批准调休")}, "sup")
    assert records.as_json(records.get(fw, acme, m["id"]))["excused"] == ["1001", "1009"]
    audited = [a for a in fw.store.audit_entries(records.key(fw, "acme")) if a["action"] == "meetings.excuse"]
    assert [a["actor"] for a in audited] == ["sup", "sup"]


def test_an_absence_excused_after_the_sign_off_and_the_close_is_a_correction(fw, acme, clock):
    m = _meeting(fw, acme, date="2026-10-19")
    clock.now = dt.datetime(2026, 10, 19, 17, 0)
    attendance.take(fw, acme, m["id"], {"1001": ("absent", "")}, "sup")
    _signed(fw, acme, m)
    clock.now = dt.datetime(2026, 11, 16, 10, 0)
    fw.periods.close("acme", "2026-10", "sup")
    attendance.excuse(fw, acme, m["id"], "1001", "病假条后补", "sup")
    adjustment = [e for e in fw.ledger.events("acme", "2026-11") if e["agent"] == "1001"]
    assert [(e["rule"], e["points"], e.get("adjusts")) for e in adjustment] == [("adjustment", 10, "2026-10")]
    assert records.get(fw, acme, m["id"])["attendance"]["1001"]["state"] == "excused"


def test_a_team_leader_excuses_its_own_teams_absence_on_the_signed_meetings_page(fw, acme, signed_in):
    m = _meeting(fw, acme, expected=("1001", "1003"))
    attendance.take(fw, acme, m["id"], {"1001": ("absent", ""), "1003": ("absent", "")}, "sup")
    _signed(fw, acme, m)
    lead = signed_in("lead")
    url = f"/p/acme/meetings/{m['id']}"
    page = lead.get(url)
    assert "事后准假" in page.text and f'action="{url}/excuse"' in page.text
    refused = lead.post(url + "/excuse", data={"csrf_token": lead.csrf, "agent": "1003", "note": "补假"})
    assert refused.status_code in (403, 404) and len(_live(fw, m["id"], "1003")) == 1
    missing = lead.post(url + "/excuse", data={"csrf_token": lead.csrf, "agent": "1001"})
    assert missing.status_code == 422 and "原因" in missing.text and len(_live(fw, m["id"])) == 1
    assert lead.post(url + "/excuse", data={"csrf_token": lead.csrf, "agent": "1001", "note": "事后补交病假条"}
                     ).status_code == 303
    assert _live(fw, m["id"]) == [] and len(_live(fw, m["id"], "1003")) == 1
    assert "事后准假" in lead.get(url).text
