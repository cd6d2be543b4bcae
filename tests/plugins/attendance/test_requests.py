"""Leave requests and shift swaps: the regulations' boundaries, refused or accepted."""

from datetime import date, datetime, timedelta

import pytest

from floorwalker.core import HolidayCalendar
from floorwalker.plugins.attendance.requests import (
    LEAVE_TITLES, LEAVE_TYPES, LeaveRequest, RequestRules, ScheduleEntry, ShiftSwap,
    approval_level, check_leave, check_swap, is_very_special_case, leave_on_swapped_shift)

RULES = RequestRules()
CALENDAR = HolidayCalendar.from_data({"holidays": [{"from": "2026-10-01", "to": "2026-10-07"}],
                                      "workdays": ["2026-10-10"]})
DAY_SHIFT = datetime(2026, 3, 10, 8, 0)       # an ordinary Tuesday
NIGHT_SHIFT = datetime(2026, 3, 10, 22, 0)
HOLIDAY_SHIFT = datetime(2026, 10, 2, 8, 0)


def leave(kind, before=None, asked_at=None, shift=DAY_SHIFT, asker="A001", minutes=240,
          night=False, days=0.5, **flags):
    asked_at = asked_at or shift - timedelta(minutes=before)
    return check_leave(LeaveRequest(kind, minutes, days=days, **flags), shift, asked_at, asker, "A001",
                       CALENDAR, RULES, night)


def problems(reasons):
    return [r.problem for r in reasons]


def details(reason):
    """The parameters of the refusal's problem (the ones its message fills in)."""
    return reason.params["problem"].params


def agents(reasons):
    return [details(r)["agent"] for r in reasons]


@pytest.mark.parametrize("kind, before, accepted", [
    ("urgent_personal", 59, False),
    ("urgent_personal", 60, True),
    ("personal", 1439, False),
    ("personal", 1440, True),
    ("sick", -1, False),      # after the shift started
    ("sick", 0, True),        # phoned in as the shift starts
    ("bereavement", 0, True),
    ("annual", 7 * 1440 - 1, False),
    ("annual", 7 * 1440, True),
])
def test_advance_notice(kind, before, accepted):
    reasons = leave(kind, before)
    assert (reasons == []) is accepted
    if not accepted:
        assert details(reasons[0])["minutes"] == RULES.notice_minutes[kind]
        assert details(reasons[0])["asked"] == before


def test_notice_counts_whole_minutes():
    asked = DAY_SHIFT - timedelta(minutes=59, seconds=59)
    assert leave("urgent_personal", asked_at=asked) != []


def test_the_refusal_says_why_in_both_languages():
    [reason] = leave("urgent_personal", 59)
    assert "must be asked at least 60 minutes before the shift starts; it was asked 59" \
        in reason.message("en")
    assert reason.message("zh_CN") == \
        "申请时间：特殊事假须在上班前至少 60 分钟提出；本次只提前了 59 分钟"


@pytest.mark.parametrize("kind, accepted", [("personal", False), ("annual", False),
                                            ("sick", True)])
def test_only_the_agent_asks_except_for_sick_leave(kind, accepted):
    assert (leave(kind, 30 * 1440, asker="L007") == []) is accepted


@pytest.mark.parametrize("asked_at, accepted", [
    (datetime(2026, 3, 10, 11, 59), True),
    (datetime(2026, 3, 10, 12, 0), False),
    (datetime(2026, 3, 9, 18, 0), True),   # the evening before
])
def test_night_shift_leave_is_asked_before_noon_that_day(asked_at, accepted):
    reasons = leave("urgent_personal", asked_at=asked_at, shift=NIGHT_SHIFT, night=True)
    assert (reasons == []) is accepted


def test_the_noon_cutoff_applies_only_to_night_shifts():
    assert leave("urgent_personal", asked_at=datetime(2026, 3, 10, 13, 0), shift=NIGHT_SHIFT) == []


@pytest.mark.parametrize("days, accepted", [(2, True), (1, False)])
def test_holiday_leave_is_asked_two_days_ahead(days, accepted):
    reasons = leave("personal", days * 1440, shift=HOLIDAY_SHIFT)
    assert (reasons == []) is accepted
    assert is_very_special_case(HOLIDAY_SHIFT, CALENDAR)
    assert not is_very_special_case(DAY_SHIFT, CALENDAR)


# A day is the rostered shift, whatever its length (leave.plan counts the days): the minutes
# no longer decide.
@pytest.mark.parametrize("days, minutes, flags, accepted", [
    (0.99, 594, {}, True),
    (1, 360, {}, False),            # a 6-hour shift taken whole is a day
    (1, 600, {"certificate": True}, True),
    (2, 960, {"emergency": True}, True),
])
def test_a_day_of_sick_leave_needs_a_certificate(days, minutes, flags, accepted):
    reasons = leave("sick", 0, minutes=minutes, days=days, **flags)
    assert (reasons == []) is accepted
    if not accepted:
        assert problems(reasons) == [
            "sick leave of {days} rostered days or more needs a medical certificate; "
            "this comes to {asked} days"]


def test_every_refusal_is_listed_at_once():
    reasons = leave("personal", asked_at=datetime(2026, 10, 2, 12, 30),
                    shift=datetime(2026, 10, 2, 22), asker="L007", night=True)
    assert len(reasons) == 4  # someone else, short notice, after noon, holiday


def test_an_unknown_kind_of_leave_is_refused():
    assert problems(leave("holiday", 5000)) == ["{kind} is not a kind of leave"]


def test_every_kind_has_a_title_and_a_notice():
    assert set(LEAVE_TITLES) == set(LEAVE_TYPES) == set(RULES.notice_minutes)


@pytest.mark.parametrize("days, level", [(0.01, "supervisor"), (1, "supervisor"),
                                         (1.01, "director")])
def test_approval_level(days, level):
    assert approval_level(days, RULES) == level


def test_a_project_may_move_the_approval_line():
    assert approval_level(2, RequestRules(supervisor_max_days=2)) == "supervisor"


def test_leave_of_no_time_is_refused():
    from floorwalker.core import ValidationError
    with pytest.raises(ValidationError):
        approval_level(0, RULES)


def shift(agent, day, code="D", job="hotline", swapped=False):
    start = {"D": 8, "N": 22}[code]
    begins = datetime(2026, 3, day, start)
    return ScheduleEntry(agent, begins.date(), code, begins, begins + timedelta(hours=8), job,
                         swapped)


A_MON, B_TUE = shift("A", 9), shift("B", 10)
ROSTER = [A_MON, B_TUE, shift("A", 12), shift("B", 13)]


def swap(first=A_MON, second=B_TUE, roster=ROSTER, counts=None, leave_days=(), calendar=CALENDAR):
    return check_swap(ShiftSwap(first, second), roster, counts or {}, calendar, set(leave_days),
                      RULES)


def test_an_ordinary_swap_is_accepted():
    assert swap() == []


@pytest.mark.parametrize("counts, refused", [
    ({"A": 1, "B": 1}, []),
    ({"A": 2, "B": 0}, ["A"]),
    ({"A": 0, "B": 2}, ["B"]),
    ({"A": 2, "B": 2}, ["A", "B"]),
])
def test_the_third_swap_of_a_month_is_refused_for_either_party(counts, refused):
    assert agents(swap(counts=counts)) == refused


@pytest.mark.parametrize("first, second", [
    (shift("A", 9, swapped=True), B_TUE),
    (A_MON, shift("B", 10, swapped=True)),
])
def test_a_shift_got_by_a_swap_is_not_swapped_again(first, second):
    assert problems(swap(first, second)) == [
        "the {shift} shift of {day} was itself got by a swap and cannot be swapped again"]


def test_no_swap_leaves_two_shifts_in_a_row():
    # B's night shift on the 9th ends at 06:00 on the 10th; A's day shift of the 10th would be
    # B's two hours later
    night = shift("B", 9, "N")
    a_day = shift("A", 10)
    roster = [night, a_day, shift("B", 11, "N"), shift("A", 13)]
    reasons = swap(a_day, shift("B", 11, "N"), roster=roster)
    assert agents(reasons) == ["B"]
    assert details(reasons[0])["other"] == "N"


def test_no_swap_leaves_two_shifts_on_one_day():
    roster = [A_MON, shift("A", 10, "N"), B_TUE]
    reasons = swap(roster=roster)
    assert agents(reasons) == ["A"]


def test_a_full_rest_between_shifts_is_fine():
    # A keeps the night of the 10th (22:00 to 06:00): a day shift on the 11th at 08:00 leaves
    # two hours of rest, refused; the 12th at 08:00 leaves 26 hours, accepted
    roster = [A_MON, shift("A", 10, "N"), shift("B", 11), shift("B", 12)]
    assert agents(swap(A_MON, shift("B", 11), roster=roster)) == ["A"]
    assert swap(A_MON, shift("B", 12), roster=roster) == []


def test_different_job_types_are_not_swapped():
    assert problems(swap(A_MON, shift("B", 10, job="chat"))) == [
        "only shifts of the same job type may be swapped ({first} and {second})"]


def test_no_swap_on_a_holiday():
    holiday = CALENDAR.merge({"holidays": ["2026-03-10"]})
    assert [details(r)["day"] for r in swap(calendar=holiday)] == ["2026-03-10"]


def test_no_swap_onto_a_day_of_leave():
    reasons = swap(leave_days=[("A", date(2026, 3, 10))])
    assert agents(reasons) == ["A"]


def test_no_leave_on_a_swapped_shift():
    assert leave_on_swapped_shift(A_MON) == []
    [reason] = leave_on_swapped_shift(shift("B", 9, swapped=True))
    assert "换班和还班均不得请假" in reason.message("zh_CN")
