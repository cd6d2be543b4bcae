"""Punches (打卡) through the store: imports all-or-nothing naming the row, re-imports that add
nothing, closed months, and hand entries that are flagged manual and audited."""

import csv

import pytest

from floorwalker.core import NotFound, PeriodClosed, ValidationError
from floorwalker.plugins.attendance import importers, punches

DAY = "2026-03-03"
MONTH_KEY = "projects/alpha/attendance/2026-03"


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def stored(co, month="2026-03"):
    return [(p["agent"], p["at"]) for p in punches.punches(co.fw, "alpha", month)]


def audit(co, action):
    return [e for e in co.fw.store.audit_entries(MONTH_KEY) if e["action"] == action]


GOOD = [["工号", "打卡时间"], ["1001", f"{DAY} 07:51:10"], ["1001", f"{DAY} 17:02"],
        ["1003", "2026/03/03 21:58"], ["1003", "2026-03-04 06:01:00"]]


def test_an_export_is_imported_and_read_back_per_agent(co, tmp_path):
    done = importers.import_punches(co.fw, "alpha", write_csv(tmp_path / "clock.csv", GOOD), "tl")
    assert done == {"rows": 4, "added": 4, "already": 0, "months": ["2026-03"]}
    assert stored(co) == [("1001", f"{DAY}T07:51:10"), ("1001", f"{DAY}T17:02:00"),
                          ("1003", f"{DAY}T21:58:00"), ("1003", "2026-03-04T06:01:00")]
    assert all(p["source"] == "import" and not p["manual"] for p in punches.punches(co.fw, "alpha", "2026-03"))


def test_date_and_clock_in_two_columns(co, tmp_path):
    rows = [["number", "date", "clock"], ["1002", DAY, "08:03"]]
    importers.import_punches(co.fw, "alpha", write_csv(tmp_path / "clock.csv", rows), "tl")
    assert stored(co) == [("1002", f"{DAY}T08:03:00")]


@pytest.mark.parametrize("bad, field, problem", [
    (["1001", "2026-03-03 25:61"], "打卡时间", "cannot read a date and a time in '2026-03-03 25:61'"),
    (["1001", "yesterday"], "打卡时间", "cannot read a date and a time in 'yesterday'"),
    (["2001", f"{DAY} 08:00"], "工号", "agent 2001 is not in project alpha on 2026-03-03"),
    (["9999", f"{DAY} 08:00"], "工号", "not in project alpha"),
    (["", f"{DAY} 08:00"], "工号", "is required")])
def test_a_bad_row_stops_the_import_naming_the_row_and_nothing_is_written(co, tmp_path, bad,
                                                                         field, problem):
    rows = GOOD[:3] + [bad] + GOOD[3:]
    with pytest.raises(ValidationError) as refused:
        importers.import_punches(co.fw, "alpha", write_csv(tmp_path / "clock.csv", rows), "tl")
    assert (refused.value.row, refused.value.field) == (4, field)
    assert problem in refused.value.message("en")
    assert refused.value.message("en").startswith("row 4, ")
    assert stored(co) == []
    assert not co.fw.store.keys(MONTH_KEY)


def test_importing_the_same_export_again_adds_nothing(co, tmp_path):
    path = write_csv(tmp_path / "clock.csv", GOOD)
    importers.import_punches(co.fw, "alpha", path, "tl")
    again = importers.import_punches(co.fw, "alpha", path, "tl")
    assert (again["added"], again["already"]) == (0, 4)
    overlapping = write_csv(tmp_path / "next.csv", GOOD[:1] + GOOD[3:] + [["1002", f"{DAY} 08:00"]])
    assert importers.import_punches(co.fw, "alpha", overlapping, "tl")["added"] == 1
    assert len(stored(co)) == 5


def test_a_closed_month_refuses_the_import_and_nothing_is_written(co, tmp_path):
    co.fw.periods.close("alpha", "2026-02", "sup")
    rows = [["工号", "打卡时间"], ["1001", f"{DAY} 07:55"], ["1001", "2026-02-27 08:00"]]
    with pytest.raises(ValidationError) as refused:  # naming the row, in the preview too
        importers.import_punches(co.fw, "alpha", write_csv(tmp_path / "clock.csv", rows), "tl")
    assert (refused.value.row, refused.value.field) == (3, "打卡时间")
    assert "2026-02 of project alpha is closed" in refused.value.message("en")
    assert stored(co) == [] and stored(co, "2026-02") == []
    with pytest.raises(PeriodClosed):
        punches.add_manual(co.fw, "alpha", "1001", "2026-02-27 08:00", "clock broken", "tl")


def test_the_end_of_a_night_shift_imports_on_the_day_after_the_agent_left(co, tmp_path):
    co.rota(("1003", "2026-03-10", "N"))
    co.fw.agents.leave("1003", "2026-03-10", "resigned", "hr")
    rows = [["工号", "打卡时间"], ["1003", "2026-03-10 21:55"], ["1003", "2026-03-11 06:00"]]
    importers.import_punches(co.fw, "alpha", write_csv(tmp_path / "clock.csv", rows), "tl")
    assert co.row("1003", "2026-03-10")["status"] == "present"
    late = [["工号", "打卡时间"], ["1003", "2026-03-12 08:00"]]
    with pytest.raises(ValidationError):
        importers.import_punches(co.fw, "alpha", write_csv(tmp_path / "late.csv", late), "tl")


# ------------------------------------------------------------------ by hand


def test_a_hand_entry_needs_a_note_is_flagged_manual_and_audited(co):
    co.rota(("1001", DAY, "D"))
    with pytest.raises(ValidationError) as refused:
        punches.add_manual(co.fw, "alpha", "1001", f"{DAY} 07:55", "  ", "tl_day")
    assert refused.value.field == "note"
    doc = punches.add_manual(co.fw, "alpha", "1001", f"{DAY} 07:55", "card left at home", "tl_day")
    assert (doc["manual"], doc["source"], doc["by"], doc["note"]) == (
        True, "manual", "tl_day", "card left at home")
    (entry,) = audit(co, "attendance.punch.manual")
    assert entry["actor"] == "tl_day"
    assert entry["changes"] == [{"table": "punches", "inserted": [doc["id"]]}]
    assert co.row("1001", DAY)["check_in"].isoformat() == f"{DAY}T07:55:00"


def test_a_hand_entry_is_for_an_agent_of_the_project(co):
    with pytest.raises(ValidationError):
        punches.add_manual(co.fw, "alpha", "2001", f"{DAY} 07:55", "wrong project", "tl_day")


def test_a_correction_keeps_the_old_time_in_the_audit(co):
    co.rota(("1001", DAY, "D"))
    co.punch("1001", f"{DAY} 08:31", f"{DAY} 17:00")
    assert co.row("1001", DAY)["late"] == 31
    wrong = punches.punches(co.fw, "alpha", "2026-03")[0]
    with pytest.raises(ValidationError):
        punches.correct(co.fw, "alpha", wrong["id"], f"{DAY} 07:58", "", "tl_day")
    fixed = punches.correct(co.fw, "alpha", wrong["id"], f"{DAY} 07:58", "clock was 33 min fast",
                            "tl_day")
    assert (fixed["at"], fixed["manual"], fixed["source"]) == (f"{DAY}T07:58:00", True, "import")
    (entry,) = audit(co, "attendance.punch.correct")
    (change,) = entry["changes"][0]["updated"]
    assert change["id"] == wrong["id"]
    assert change["before"] == {"at": f"{DAY}T08:31:00", "manual": False, "by": None, "note": ""}
    assert change["after"] == {"at": f"{DAY}T07:58:00", "manual": True, "by": "tl_day",
                               "note": "clock was 33 min fast"}
    assert co.row("1001", DAY)["late"] == 0


def test_a_correction_into_another_month_voids_and_enters_again(co):
    co.punch("1001", "2026-03-31 23:59")
    wrong = punches.punches(co.fw, "alpha", "2026-03")[0]
    moved = punches.correct(co.fw, "alpha", wrong["id"], "2026-04-01 00:01", "typed the wrong day",
                            "tl_day")
    assert punches.punches(co.fw, "alpha", "2026-03")[0]["void"] is True
    assert punches.punches(co.fw, "alpha", "2026-04") == [moved]


def test_a_correction_into_a_closed_month_is_refused_and_voids_nothing(co):
    co.punch("1001", "2026-03-02 08:00")
    co.fw.periods.close("alpha", "2026-02", "sup")
    wrong = punches.punches(co.fw, "alpha", "2026-03")[0]
    with pytest.raises(PeriodClosed):
        punches.correct(co.fw, "alpha", wrong["id"], "2026-02-27 08:00", "wrong month", "tl_day")
    assert punches.punches(co.fw, "alpha", "2026-03")[0]["void"] is False


def test_a_voided_punch_no_longer_counts_and_stays_visible(co):
    co.rota(("1001", DAY, "D"))
    co.punch("1001", f"{DAY} 07:50", f"{DAY} 17:00")
    co.settle("2026-03")
    ghost = punches.punches(co.fw, "alpha", "2026-03")
    for doc in ghost:
        punches.void(co.fw, "alpha", doc["id"], "buddy punching: 1001 was not in", "tl_day")
    assert [p["void"] for p in punches.punches(co.fw, "alpha", "2026-03")] == [True, True]
    (entry, _) = audit(co, "attendance.punch.void")
    assert entry["changes"][0]["updated"][0]["after"]["void"] is True
    assert co.row("1001", DAY)["status"] == "absent"
    co.settle("2026-03")
    assert [e[:2] for e in co.active("1001", "2026-03")] == [("absent", -20)]
    with pytest.raises(NotFound):
        punches.void(co.fw, "alpha", "no-such-punch", "typo", "tl_day")
