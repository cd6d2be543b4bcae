"""Leave requests (请假) through the store: the regulations' boundaries when asked, who approves,
rejecting, cancelling, overlaps, a manager's exception and swapped shifts."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.attendance import leave, swaps
from floorwalker.plugins.attendance.requests import Refused

DAY = "2026-03-03"  # a Tuesday; the D shift starts at 08:00


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def ask(co, kind, first, asked, *, agent="1001", by=None, **options):
    return leave.request(co.fw, co.project, agent, kind, by or co.agent(agent), first,
                         asked_at=at(asked), **options)


def refusal_fields(refused) -> list[str]:
    return sorted(r.field for r in refused.value.reasons)


@pytest.fixture
def day_shift(co):
    co.rota(("1001", DAY, "D"))
    return co


@pytest.mark.parametrize("kind, asked, allowed", [
    ("urgent_personal", f"{DAY} 07:01", False),   # 59 minutes before
    ("urgent_personal", f"{DAY} 07:00:30", False),  # 59.5 minutes: still short of the hour
    ("urgent_personal", f"{DAY} 07:00", True),    # 60 minutes before
    ("personal", "2026-03-02 08:01", False),      # a minute short of a day
    ("personal", "2026-03-02 08:00", True)])
def test_notice_before_the_shift(day_shift, kind, asked, allowed):
    co = day_shift
    if allowed:
        assert ask(co, kind, DAY, asked)["status"] == "pending"
        return
    with pytest.raises(Refused) as refused:
        ask(co, kind, DAY, asked)
    assert refusal_fields(refused) == ["asked at"]
    assert leave.month_requests(co.fw, "alpha", "2026-03") == []


def test_only_the_agent_asks_except_for_sick_leave(day_shift):
    co = day_shift
    with pytest.raises(Refused) as refused:
        ask(co, "personal", DAY, "2026-02-20 09:00", by=co.tl_day)
    assert refusal_fields(refused) == ["asked by"]
    with pytest.raises(Refused):
        ask(co, "personal", DAY, "2026-02-20 09:00", by=co.agent("1002"))
    sick = ask(co, "sick", DAY, "2026-02-20 09:00", by=co.tl_day, certificate=True)
    assert (sick["asked_by"], sick["agent"]) == ("tl_day", "1001")


@pytest.mark.parametrize("until, options, allowed", [
    ("16:59", {}, True),                    # 539 of the shift's 540 minutes: not yet a day
    (None, {}, False),                      # the whole shift: a day, so a certificate
    (None, {"certificate": True}, True),
    (None, {"emergency": True}, True)])     # phoned in before the shift
def test_sick_leave_of_a_day_needs_a_certificate_unless_an_emergency(day_shift, until, options,
                                                                     allowed):
    co = day_shift
    if until:
        options = {**options, "end_time": until}
    if allowed:
        ask(co, "sick", DAY, f"{DAY} 06:00", **options)
        return
    with pytest.raises(Refused) as refused:
        ask(co, "sick", DAY, f"{DAY} 06:00", **options)
    assert refusal_fields(refused) == ["medical certificate"]


@pytest.mark.parametrize("asked, allowed", [(f"{DAY} 11:59", True), (f"{DAY} 12:00", False)])
def test_night_shift_leave_is_asked_before_noon_of_its_day(co, asked, allowed):
    co.rota(("1003", DAY, "N"))
    if allowed:
        assert ask(co, "urgent_personal", DAY, asked, agent="1003")["minutes"] == 480
        return
    with pytest.raises(Refused) as refused:
        ask(co, "urgent_personal", DAY, asked, agent="1003")
    assert refusal_fields(refused) == ["asked at"]


@pytest.mark.parametrize("asked, allowed", [("2026-10-03 08:01", False), ("2026-10-03 08:00", True)])
def test_leave_on_a_public_holiday_is_asked_two_days_ahead(co, asked, allowed):
    co.rota(("1001", "2026-10-05", "D"))  # National Day holidays
    if allowed:
        assert ask(co, "urgent_personal", "2026-10-05", asked)["holiday"] is True
        return
    with pytest.raises(Refused) as refused:
        ask(co, "urgent_personal", "2026-10-05", asked)
    assert refusal_fields(refused) == ["asked at"]


def test_every_reason_is_given_at_once(day_shift):
    co = day_shift
    with pytest.raises(Refused) as refused:
        ask(co, "personal", DAY, f"{DAY} 07:30", by=co.tl_day)
    assert refusal_fields(refused) == ["asked at", "asked by"]
    assert "only the agent may ask" in refused.value.message("en")
    assert refused.value.message("zh_CN") != refused.value.message("en")


def test_leave_after_the_shift_started_is_for_a_manager(day_shift):
    co = day_shift
    with pytest.raises(Refused) as refused:
        ask(co, "sick", DAY, f"{DAY} 08:30", emergency=True)
    assert refusal_fields(refused) == ["date"]  # not also "asked -30 minutes before"
    assert "already started" in refused.value.message("en")


def test_a_day_without_a_shift_cannot_be_asked_for(co):
    co.rota(("1001", DAY, None))
    with pytest.raises(ValidationError) as refused:
        ask(co, "personal", DAY, "2026-02-20 09:00")
    assert refused.value.field == "date"


# ------------------------------------------------------------------ approving


def test_a_day_is_approved_by_the_supervisor_longer_by_the_director(co):
    co.rota(("1001", DAY, "D"), ("1001", "2026-03-04", "D"), ("1002", DAY, "D"))
    one = ask(co, "annual", DAY, "2026-02-20 09:00", agent="1002")
    two = ask(co, "annual", DAY, "2026-02-20 09:00", last="2026-03-04")
    # D is 9 hours: its minutes are kept whole, and each shift is one rostered day
    assert (one["minutes"], one["days"], one["level"]) == (540, 1, "supervisor")
    assert (two["minutes"], two["days"], two["level"]) == (1080, 2, "director")
    with pytest.raises(PermissionDenied):
        leave.decide(co.fw, co.project, two["id"], True, co.sup)
    with pytest.raises(PermissionDenied):
        leave.decide(co.fw, co.project, one["id"], True, co.tl_day)
    assert leave.decide(co.fw, co.project, one["id"], True, co.sup)["status"] == "approved"
    assert leave.decide(co.fw, co.project, two["id"], True, co.director)["status"] == "approved"
    with pytest.raises(Conflict) as again:
        leave.decide(co.fw, co.project, two["id"], False, co.director, "changed my mind")
    assert "already approved" in again.value.message("en")
    assert "已批准" in again.value.message("zh_CN")  # the state word in the reader's language


def test_a_rejection_needs_a_reason(day_shift):
    co = day_shift
    asked = ask(co, "personal", DAY, "2026-02-20 09:00")
    with pytest.raises(ValidationError) as refused:
        leave.decide(co.fw, co.project, asked["id"], False, co.sup, " ")
    assert refused.value.field == "reason"
    done = leave.decide(co.fw, co.project, asked["id"], False, co.sup, "short-staffed that day")
    assert (done["status"], done["reason"], done["decided_by"]) == (
        "rejected", "short-staffed that day", "sup")
    assert co.row("1001", DAY)["status"] == "absent"


def test_approved_leave_covers_the_day_and_counts_by_kind(day_shift):
    co = day_shift
    asked = ask(co, "annual", DAY, "2026-02-20 09:00")
    leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    row = co.row("1001", DAY)
    assert (row["status"], row["leave_kind"]) == ("on_leave", "annual")
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == []


def test_part_of_a_shift_moves_the_start(day_shift):
    co = day_shift
    asked = ask(co, "urgent_personal", DAY, f"{DAY} 06:00", end_time="10:00")
    leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    co.punch("1001", f"{DAY} 10:05", f"{DAY} 17:00")
    row = co.row("1001", DAY)
    assert (row["status"], row["late"], asked["minutes"]) == ("present", 5, 120)


# ------------------------------------------------------------------ cancelling


def test_the_asker_cancels_while_it_waits_a_manager_once_approved(co):
    co.rota(("1001", DAY, "D"), ("1001", "2026-03-04", "D"))
    waiting = ask(co, "personal", DAY, "2026-02-20 09:00")
    with pytest.raises(PermissionDenied):
        leave.cancel(co.fw, co.project, waiting["id"], co.agent("1002"))
    assert leave.cancel(co.fw, co.project, waiting["id"], co.agent("1001"))["status"] == "cancelled"
    with pytest.raises(Conflict):
        leave.cancel(co.fw, co.project, waiting["id"], co.agent("1001"))

    approved = ask(co, "personal", "2026-03-04", "2026-02-20 09:00")
    leave.decide(co.fw, co.project, approved["id"], True, co.sup)
    co.settle("2026-03")
    with pytest.raises(PermissionDenied):
        leave.cancel(co.fw, co.project, approved["id"], co.agent("1001"))
    leave.cancel(co.fw, co.project, approved["id"], co.sup, "needed on the floor")
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == [
        ("absent", -20, d, f"attendance:day:1001:{d}") for d in (DAY, "2026-03-04")]


def test_a_cancelled_request_frees_the_time_for_a_new_one(day_shift):
    co = day_shift
    first = ask(co, "personal", DAY, "2026-02-20 09:00")
    with pytest.raises(Conflict):
        ask(co, "annual", DAY, "2026-02-20 09:05")
    leave.cancel(co.fw, co.project, first["id"], co.agent("1001"))
    assert ask(co, "annual", DAY, "2026-02-20 09:05")["kind"] == "annual"


def test_overlapping_part_of_a_shift_is_refused(day_shift):
    co = day_shift
    ask(co, "urgent_personal", DAY, f"{DAY} 06:00", end_time="10:00")
    with pytest.raises(Conflict):
        ask(co, "urgent_personal", DAY, f"{DAY} 06:00", start_time="09:59", end_time="11:00")
    assert ask(co, "urgent_personal", DAY, f"{DAY} 06:00", start_time="15:00")["minutes"] == 120


# ------------------------------------------------------------------ exceptions and swaps


def test_a_manager_records_a_refused_request_as_a_written_exception(day_shift):
    co = day_shift
    with pytest.raises(Refused):
        ask(co, "personal", DAY, f"{DAY} 09:00", by=co.sup)
    with pytest.raises(Refused):
        ask(co, "personal", DAY, f"{DAY} 09:00", exception="my mother is ill")
    doc = ask(co, "personal", DAY, f"{DAY} 09:00", by=co.sup, exception="hospital, phoned at 07:40")
    assert (doc["status"], doc["exception"]) == ("pending", "hospital, phoned at 07:40")
    assert len(doc["overruled"]) == 2  # after the start (so no notice to count), asked by another
    assert "已经开始" in doc["overruled"][0]["zh_CN"] and "already started" in doc["overruled"][0]["en"]
    leave.decide(co.fw, co.project, doc["id"], True, co.sup)
    assert co.row("1001", DAY)["status"] == "on_leave"


def test_no_leave_on_a_shift_got_by_a_swap(co):
    co.rota(("1001", DAY, "D"), ("1001", "2026-03-04", None),
            ("1002", DAY, None), ("1002", "2026-03-04", "D"))
    swap = swaps.ask(co.fw, co.project, co.agent("1001"), "1001", DAY, "1002", "2026-03-04")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1002"))
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    with pytest.raises(Refused) as refused:
        ask(co, "personal", "2026-03-04", "2026-02-20 09:00")
    assert refusal_fields(refused) == ["swapped shift"]


def test_overlap_is_found_across_a_month_end(co):
    co.rota(("1001", "2026-03-31", "D"), ("1001", "2026-04-01", "D"))
    ask(co, "annual", "2026-03-31", "2026-03-01 09:00", last="2026-04-01")
    with pytest.raises(Conflict):
        ask(co, "personal", "2026-04-01", "2026-03-01 09:00")
    assert leave.month_requests(co.fw, "alpha", "2026-04") == []


def test_a_morning_and_an_afternoon_off_both_count(day_shift):
    co = day_shift
    for hours in ({"end_time": "10:00"}, {"start_time": "15:00"}):
        asked = ask(co, "urgent_personal", DAY, f"{DAY} 06:00", **hours)
        leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    co.punch("1001", f"{DAY} 09:58", f"{DAY} 15:00")
    row = co.row("1001", DAY)
    assert (row["status"], row["late"], row["early"], row["scheduled_minutes"]) == (
        "present", 0, 0, 300)


def test_leave_asked_in_two_halves_covers_the_whole_shift(day_shift):
    co = day_shift
    for hours in ({"end_time": "12:00"}, {"start_time": "12:00"}):
        asked = ask(co, "annual", DAY, "2026-02-20 09:00", **hours)
        leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    assert co.row("1001", DAY)["status"] == "on_leave"
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == []


def test_part_of_a_night_after_midnight_is_still_asked_before_noon_of_the_nights_day(co):
    co.rota(("1003", DAY, "N"))
    with pytest.raises(Refused) as refused:
        ask(co, "urgent_personal", DAY, f"{DAY} 23:00", agent="1003", start_time="02:00")
    assert refusal_fields(refused) == ["asked at"]
    asked = ask(co, "urgent_personal", DAY, f"{DAY} 11:00", agent="1003", start_time="02:00")
    assert (asked["start"], asked["minutes"]) == ("2026-03-04T02:00:00", 240)
