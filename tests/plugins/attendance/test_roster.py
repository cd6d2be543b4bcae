"""Shift types, weekly patterns and the roster (排班) through the store."""

import datetime as dt

import pytest

from floorwalker.core import NotFound, PeriodClosed, ValidationError
from floorwalker.plugins.attendance import roster

WEEK = ["D", "D", "N", "N", "D", None, None]  # Monday first


def cells(co, agent, first="2026-03-01", last="2026-03-31"):
    found = roster.roster_between(co.fw, "alpha", dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    return {e["date"]: e["shift"] for e in found.values() if e["agent"] == agent}


@pytest.mark.parametrize("args, field", [
    (("", "Day", "08:00", "17:00"), "code"),
    (("D 1", "Day", "08:00", "17:00"), "code"),
    (("D", " ", "08:00", "17:00"), "name"),
    (("D", "Day", "8 o'clock", "17:00"), "start"),
    (("D", "Day", "08:00", "24:00"), "end")])
def test_a_shift_type_is_checked(args, field):
    with pytest.raises(ValidationError) as refused:
        roster.shift_doc(*args)
    assert refused.value.field == field


def test_grace_and_punch_window_are_whole_minutes_not_below_0():
    with pytest.raises(ValidationError) as refused:
        roster.shift_doc("D", "Day", "08:00", "17:00", late_grace=-1)
    assert refused.value.field == "late grace"
    with pytest.raises(ValidationError):
        roster.shift_doc("D", "Day", "08:00", "17:00", punch_before="an hour")
    assert roster.shift_doc("D", "Day", "08:00", "17:00", early_grace="3")["early_grace"] == 3


def test_shift_types_are_listed_by_start_and_changed_in_place(co):
    assert list(roster.shifts(co.fw, "alpha")) == ["D", "C", "N"]
    assert roster.shifts(co.fw, "alpha")["N"].crosses_midnight
    roster.save_shift(co.fw, "alpha", roster.shift_doc("D", "Early", "07:00", "16:00"), "setup")
    assert [(d["code"], d["name"]) for d in roster.shift_docs(co.fw, "alpha")] == [
        ("D", "Early"), ("C", "Chat"), ("N", "Night")]


def test_a_weekly_pattern_fills_the_teams_roster(co):
    roster.set_pattern(co.fw, "alpha", "day", WEEK, "tl")
    written = roster.apply_pattern(co.fw, "alpha", "day", "2026-03-02", "2026-03-08", "tl")
    assert written == 14  # two agents of team day, seven days; team eve untouched
    assert cells(co, "1001") == {"2026-03-02": "D", "2026-03-03": "D", "2026-03-04": "N",
                                 "2026-03-05": "N", "2026-03-06": "D", "2026-03-07": None,
                                 "2026-03-08": None}
    assert cells(co, "1003") == {}
    entry = roster.entry(co.fw, "alpha", "1001", "2026-03-02")
    assert (entry["team"], entry["source"], entry["swap"]) == ("day", "pattern", None)


def test_a_pattern_leaves_hand_set_days_unless_told_to_overwrite(co):
    roster.set_pattern(co.fw, "alpha", "day", WEEK, "tl")
    co.rota(("1001", "2026-03-02", "C"))
    roster.apply_pattern(co.fw, "alpha", "day", "2026-03-02", "2026-03-08", "tl")
    assert cells(co, "1001")["2026-03-02"] == "C"
    assert roster.apply_pattern(co.fw, "alpha", "day", "2026-03-02", "2026-03-08", "tl") == 0
    roster.apply_pattern(co.fw, "alpha", "day", "2026-03-02", "2026-03-08", "tl", overwrite=True)
    assert cells(co, "1001")["2026-03-02"] == "D"


@pytest.mark.parametrize("days", [WEEK[:6], ["D", "D", "X", "N", "D", None, None]])
def test_a_pattern_is_seven_known_shifts(co, days):
    with pytest.raises(ValidationError) as refused:
        roster.set_pattern(co.fw, "alpha", "day", days, "tl")
    assert refused.value.field == "pattern"
    assert roster.pattern(co.fw, "alpha", "day") is None


def test_applying_without_a_pattern_or_to_another_projects_team_is_refused(co):
    with pytest.raises(ValidationError):
        roster.apply_pattern(co.fw, "alpha", "day", "2026-03-02", "2026-03-08", "tl")
    with pytest.raises(NotFound):
        roster.set_pattern(co.fw, "alpha", "nobody", WEEK, "tl")


def test_roster_cells_are_written_all_or_none(co):
    with pytest.raises(ValidationError):
        co.rota(("1001", "2026-03-02", "D"), ("2001", "2026-03-02", "D"))
    with pytest.raises(ValidationError) as refused:
        co.rota(("1001", "2026-03-02", "D"), ("1002", "2026-03-02", "X"))
    assert refused.value.field == "shift"
    with pytest.raises(ValidationError):
        co.rota(("1001", "2025-12-31", "D"))  # before the hire date
    assert roster.roster(co.fw, "alpha", "2026-03") == {}


def test_rewriting_the_same_cells_writes_nothing(co):
    assert roster.set_entries(co.fw, "alpha", [("1001", "2026-03-02", "D")], "tl") == 1
    assert roster.set_entries(co.fw, "alpha", [("1001", "2026-03-02", "D")], "tl") == 0
    assert roster.set_entries(co.fw, "alpha", [("1001", "2026-03-02", None)], "tl") == 1


def test_a_closed_months_roster_is_refused(co):
    co.fw.periods.close("alpha", "2026-02", "sup")
    with pytest.raises(PeriodClosed):
        co.rota(("1001", "2026-02-27", "D"))
    with pytest.raises(PeriodClosed):
        co.rota(("1001", "2026-03-02", "D"), ("1001", "2026-02-27", "D"))
    assert roster.roster(co.fw, "alpha", "2026-03") == {}


def test_drop_from_removes_the_agents_days_from_a_date_on(co):
    co.rota(*[("1001", f"2026-03-{d:02}", "D") for d in (27, 30, 31)],
            ("1001", "2026-04-01", "D"), ("1002", "2026-03-31", "D"))
    assert roster.drop_from(co.fw, "alpha", "1001", "2026-03-30", "hr") == 3
    assert cells(co, "1001", last="2026-04-30") == {"2026-03-27": "D"}
    assert cells(co, "1002") == {"2026-03-31": "D"}
