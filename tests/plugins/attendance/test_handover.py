"""The handover log (交接班记录): the changes a team's roster calls for, a missing log shown once
the outgoing shift has ended, and the incoming side's answer."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.attendance import handover

DAY = dt.date(2026, 3, 3)


@pytest.fixture
def day_team(co):
    """Team day works D then N on the 3rd and D on the 4th; team eve works D on the 3rd only."""
    co.rota(("1001", "2026-03-03", "D"), ("1002", "2026-03-03", "N"), ("1001", "2026-03-04", "D"),
            ("1002", "2026-03-04", None), ("1003", "2026-03-03", "D"))
    return co


def write(co, user, from_shift="D", to_shift="N", **fields):
    values = {"outgoing": "1001", "incoming": "1002", "equipment": "headset 7 crackles",
              "cases": "ticket 4411 waits for a callback", "staffing": "1004 off sick", **fields}
    return handover.write_log(co.fw, "alpha", user, "day", "2026-03-03", from_shift, to_shift,
                              **values)


def test_the_changes_follow_from_the_roster_night_into_next_morning(day_team):
    assert handover.expected(day_team.fw, "alpha", DAY, DAY) == [
        {"team": "day", "date": "2026-03-03", "from_shift": "D", "to_shift": "N"},
        {"team": "day", "date": "2026-03-03", "from_shift": "N", "to_shift": "D"}]


@pytest.mark.parametrize("now, missing", [("2026-03-03 16:59", False), ("2026-03-03 17:00", True)])
def test_a_log_is_missing_once_the_outgoing_shift_has_ended(day_team, now, missing):
    rows = handover.board(day_team.fw, "alpha", DAY, DAY, dt.datetime.fromisoformat(now))
    day_to_night = rows[0]
    assert (day_to_night["from_shift"], day_to_night["log"], day_to_night["missing"]) == (
        "D", None, missing)
    assert rows[1]["missing"] is False  # the night shift ends at 06:00 the next day


def test_a_written_log_is_on_the_board_and_the_incoming_side_accepts_it(day_team):
    co = day_team
    log = write(co, co.agent("1001"))
    assert (log["status"], log["by"]) == ("submitted", "a1001")
    (row, _) = handover.board(co.fw, "alpha", DAY, DAY, dt.datetime(2026, 3, 4))
    assert (row["log"]["id"], row["missing"]) == (log["id"], False)
    with pytest.raises(PermissionDenied):
        handover.answer(co.fw, "alpha", log["id"], True, co.agent("1001"))
    done = handover.answer(co.fw, "alpha", log["id"], True, co.agent("1002"))
    assert (done["status"], done["answered_by"]) == ("accepted", "a1002")
    with pytest.raises(Conflict):
        handover.answer(co.fw, "alpha", log["id"], False, co.agent("1002"), "too late")


def test_a_refusal_needs_a_reason_and_the_outgoing_side_logs_again(day_team):
    co = day_team
    log = write(co, co.agent("1001"))
    with pytest.raises(ValidationError) as refused:
        handover.answer(co.fw, "alpha", log["id"], False, co.agent("1002"), " ")
    assert refused.value.field == "reason"
    done = handover.answer(co.fw, "alpha", log["id"], False, co.agent("1002"),
                           "headset 7 is missing, not crackling")
    assert (done["status"], done["refusal"]) == ("refused", "headset 7 is missing, not crackling")
    again = write(co, co.agent("1001"), equipment="headset 7 missing")
    with pytest.raises(Conflict):
        write(co, co.agent("1001"))
    assert again["status"] == "submitted"


@pytest.mark.parametrize("field", ["outgoing", "incoming", "equipment"])
def test_who_hands_over_to_whom_and_the_equipment_are_required(day_team, field):
    with pytest.raises(ValidationError) as refused:
        write(day_team, day_team.agent("1001"), **{field: "  "})
    assert refused.value.field == field


def test_a_change_the_roster_does_not_have_is_refused(day_team):
    with pytest.raises(ValidationError) as refused:
        write(day_team, day_team.agent("1001"), from_shift="N", to_shift="C")
    assert refused.value.field == "shift"
    assert handover.logs(day_team.fw, "alpha", "2026-03") == []
