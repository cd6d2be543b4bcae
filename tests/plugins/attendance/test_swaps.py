"""Shift swaps (换班) through the store: asked → accepted by the other agent → approved by each
team's leader → the roster changes; every regulation refused with its reason."""

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.attendance import roster, swaps
from floorwalker.plugins.attendance.requests import Refused


def ask(co, agent, day, other, other_day, by=None):
    return swaps.ask(co.fw, co.project, by or co.agent(agent), agent, day, other, other_day)


def refusal_problems(refused) -> list[str]:
    return [r.message("en") for r in refused.value.reasons]


def shift_of(co, agent, day):
    found = roster.entry(co.fw, "alpha", agent, day)
    return found["shift"], found["swap"]


@pytest.fixture
def across_teams(co):
    """1001 (team day) works the 3rd, 1003 (team eve) the 4th; each rests the other day."""
    co.rota(("1001", "2026-03-03", "D"), ("1001", "2026-03-04", None),
            ("1003", "2026-03-03", None), ("1003", "2026-03-04", "D"))
    return co


def test_asked_accepted_then_approved_by_both_team_leaders(across_teams):
    co = across_teams
    swap = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    assert (swap["status"], swap["teams"]) == ("asked", ["day", "eve"])
    with pytest.raises(Conflict):
        swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    for stranger in (co.agent("1002"), co.tl_eve, co.agent("1001")):
        with pytest.raises(PermissionDenied):
            swaps.accept(co.fw, co.project, swap["id"], stranger)
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1003"))
    with pytest.raises(PermissionDenied):
        swaps.approve(co.fw, co.project, swap["id"], co.agent("1003"), "eve")

    half = swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    assert (half["status"], half["approvals"]) == ("accepted", {"day": "tl_day"})
    assert shift_of(co, "1001", "2026-03-03") == ("D", None)  # nothing moves on one approval
    with pytest.raises(PermissionDenied):  # one person cannot approve both sides
        swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "eve")
    with pytest.raises(ValidationError):
        swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "day")

    done = swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "eve")
    assert done["status"] == "approved"
    assert shift_of(co, "1001", "2026-03-03") == (None, swap["id"])
    assert shift_of(co, "1001", "2026-03-04") == ("D", swap["id"])
    assert shift_of(co, "1003", "2026-03-03") == ("D", swap["id"])
    assert shift_of(co, "1003", "2026-03-04") == (None, swap["id"])
    assert swaps.waiting(co.fw, "alpha") == []


def test_only_the_leader_of_a_side_or_a_manager_approves_that_side(across_teams):
    co = across_teams
    swap = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1003"))
    with pytest.raises(PermissionDenied) as refused:
        swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "day")
    assert "lead" in refused.value.message("en")
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    assert swaps.approve(co.fw, co.project, swap["id"], co.sup, "eve")["status"] == "approved"


def test_one_leader_approves_a_swap_inside_one_team(co):
    co.rota(("1001", "2026-03-03", "D"), ("1002", "2026-03-04", "D"))
    swap = ask(co, "1001", "2026-03-03", "1002", "2026-03-04")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1002"))
    assert swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")["status"] == "approved"
    assert shift_of(co, "1002", "2026-03-03") == ("D", swap["id"])


def test_the_gap_left_by_a_swap_is_absence_for_whoever_holds_the_shift(across_teams):
    co = across_teams
    swap = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1003"))
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "eve")
    co.punch("1001", "2026-03-04 07:50", "2026-03-04 17:00")
    co.settle("2026-03")
    assert co.row("1001", "2026-03-03")["status"] == "rest"
    assert co.active("1001", "2026-03") == []
    assert co.active("1003", "2026-03") == [
        ("absent", -20, "2026-03-03", "attendance:day:1003:2026-03-03")]


def test_a_swapped_shift_is_not_swapped_again_nor_edited_by_hand(across_teams):
    co = across_teams
    co.rota(("1004", "2026-03-05", "D"), ("1004", "2026-03-03", None))
    swap = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1003"))
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "eve")
    with pytest.raises(Refused) as refused:
        ask(co, "1003", "2026-03-03", "1004", "2026-03-05")
    assert refusal_problems(refused) == [
        "shift swap: the D shift of 2026-03-03 was itself got by a swap and cannot be swapped again"]
    with pytest.raises(ValidationError):
        co.rota(("1003", "2026-03-03", "N"))


def month_of_swaps(co):
    """1001 works the 2nd, 9th and 16th of March, 1002 the day after each."""
    cells = []
    for works, rests in (("02", "03"), ("09", "10"), ("16", "17")):
        cells += [("1001", f"2026-03-{works}", "D"), ("1001", f"2026-03-{rests}", None),
                  ("1002", f"2026-03-{works}", None), ("1002", f"2026-03-{rests}", "D")]
    co.rota(*cells)


def test_the_third_swap_of_a_month_is_refused(co):
    month_of_swaps(co)
    first = ask(co, "1001", "2026-03-02", "1002", "2026-03-03")
    ask(co, "1001", "2026-03-09", "1002", "2026-03-10")  # the second is allowed
    with pytest.raises(Refused) as refused:
        ask(co, "1001", "2026-03-16", "1002", "2026-03-17")
    assert refusal_problems(refused) == [
        f"swaps this month: {a} has already swapped 2 times this month; at most 2 swaps a month "
        "are allowed" for a in ("1001", "1002")]
    swaps.cancel(co.fw, co.project, first["id"], co.agent("1001"))  # a withdrawn one does not count
    assert ask(co, "1001", "2026-03-16", "1002", "2026-03-17")["status"] == "asked"


def test_the_monthly_limit_is_a_setting(co):
    month_of_swaps(co)
    co.configure(max_swaps_per_month=1)
    ask(co, "1001", "2026-03-02", "1002", "2026-03-03")
    with pytest.raises(Refused):
        ask(co, "1001", "2026-03-09", "1002", "2026-03-10")


@pytest.mark.parametrize("start, allowed", [("13:59", False), ("14:00", True)])
def test_no_one_ends_up_with_two_shifts_in_a_row(co, start, allowed):
    """1001's night shift ends at 06:00; taking a shift that starts less than 8 hours later is
    two shifts in a row."""
    roster.save_shift(co.fw, "alpha", roster.shift_doc("L", "Late", start, "22:00"), "setup")
    co.rota(("1001", "2026-03-02", "N"), ("1001", "2026-03-03", None), ("1001", "2026-03-05", "D"),
            ("1002", "2026-03-03", "L"), ("1002", "2026-03-05", None))
    found = swaps.reasons(co.fw, co.project, roster.entry(co.fw, "alpha", "1001", "2026-03-05"),
                          roster.entry(co.fw, "alpha", "1002", "2026-03-03"))
    if allowed:
        assert found == []
        return
    assert [r.message("en") for r in found] == [
        "shift swap: 1001 would work two shifts in a row: the L shift of 2026-03-03 leaves less "
        "than 480 minutes of rest next to the N shift of 2026-03-02"]


def test_two_shifts_on_one_day_are_refused(co):
    co.rota(("1001", "2026-03-03", "D"), ("1001", "2026-03-04", "N"), ("1002", "2026-03-04", "D"))
    with pytest.raises(Refused) as refused:
        ask(co, "1001", "2026-03-03", "1002", "2026-03-04")
    assert "1001 would work two shifts in a row" in refusal_problems(refused)[0]


def test_only_shifts_of_the_same_job_type_are_swapped(co):
    co.rota(("1001", "2026-03-03", "D"), ("1002", "2026-03-04", "C"))
    with pytest.raises(Refused) as refused:
        ask(co, "1001", "2026-03-03", "1002", "2026-03-04")
    assert refusal_problems(refused) == [
        "shift swap: only shifts of the same job type may be swapped (voice and chat)"]


def test_no_swaps_on_public_holidays(co):
    co.rota(("1001", "2026-10-05", "D"), ("1002", "2026-10-09", "D"))
    with pytest.raises(Refused) as refused:
        ask(co, "1001", "2026-10-05", "1002", "2026-10-09")
    assert refusal_problems(refused) == [
        "shift swap: 2026-10-05 is a public holiday: shifts on holidays are not swapped"]


def test_a_swap_needs_a_shift_on_each_side_and_another_agent(co):
    co.rota(("1001", "2026-03-03", "D"), ("1002", "2026-03-04", None))
    with pytest.raises(ValidationError):
        ask(co, "1001", "2026-03-03", "1002", "2026-03-04")
    with pytest.raises(ValidationError):
        ask(co, "1001", "2026-03-03", "1001", "2026-03-03")
    with pytest.raises(PermissionDenied):
        ask(co, "1001", "2026-03-03", "1002", "2026-03-04", by=co.agent("1002"))


def test_a_leader_rejects_with_a_reason_the_other_agent_may_just_decline(across_teams):
    co = across_teams
    first = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    with pytest.raises(ValidationError) as refused:
        swaps.reject(co.fw, co.project, first["id"], co.tl_day, "")
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDenied):
        swaps.reject(co.fw, co.project, first["id"], co.agent("1002"), "")
    assert swaps.reject(co.fw, co.project, first["id"], co.agent("1003"), "")["status"] == "rejected"
    second = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    swaps.accept(co.fw, co.project, second["id"], co.agent("1003"))
    done = swaps.reject(co.fw, co.project, second["id"], co.tl_eve, "nobody else speaks Korean")
    assert (done["status"], done["reason"]) == ("rejected", "nobody else speaks Korean")
    assert shift_of(co, "1001", "2026-03-03") == ("D", None)


def test_only_the_asker_or_a_manager_withdraws_and_not_once_approved(across_teams):
    co = across_teams
    swap = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    with pytest.raises(PermissionDenied):
        swaps.cancel(co.fw, co.project, swap["id"], co.agent("1003"))
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1003"))
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "eve")
    with pytest.raises(Conflict):
        swaps.cancel(co.fw, co.project, swap["id"], co.agent("1001"))


def test_the_last_approval_checks_the_roster_again(across_teams):
    co = across_teams
    swap = ask(co, "1001", "2026-03-03", "1003", "2026-03-04")
    swaps.accept(co.fw, co.project, swap["id"], co.agent("1003"))
    swaps.approve(co.fw, co.project, swap["id"], co.tl_day, "day")
    co.rota(("1003", "2026-03-04", "C"))
    with pytest.raises(Conflict):
        swaps.approve(co.fw, co.project, swap["id"], co.tl_eve, "eve")
    assert shift_of(co, "1001", "2026-03-03") == ("D", None)


def test_the_installs_calendar_edits_decide_what_a_holiday_is(co):
    co.rota(("1001", "2026-03-03", "D"), ("1002", "2026-03-04", "D"))
    co.fw.calendar.edit({"holidays": [{"name": "Company day", "from": "2026-03-03"}]}, "admin")
    with pytest.raises(Refused) as refused:
        ask(co, "1001", "2026-03-03", "1002", "2026-03-04")
    assert "2026-03-03 is a public holiday" in refusal_problems(refused)[0]
    (entry,) = [e for e in co.fw.store.audit_entries("core") if e["action"] == "calendar.edit"]
    assert entry["actor"] == "admin"
    co.fw.calendar.edit({}, "admin")
    assert ask(co, "1001", "2026-03-03", "1002", "2026-03-04")["status"] == "asked"
