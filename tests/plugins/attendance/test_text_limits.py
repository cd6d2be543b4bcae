"""The attendance services refuse a note or reason past its limit before the month file is written
(a long note is rewritten with the whole file at every later change of that month)."""

import pytest

from floorwalker.core import ValidationError
from floorwalker.plugins.attendance import punches, sheet

from ...pgcluster import on_postgresql, stored

DAY = "2026-03-03"
LONG = "x" * 2001


def month_file(co):
    if on_postgresql():  # no month file: every row stored
        return stored(co.fw.store.root)
    (path,) = co.fw.store.root.rglob("2026-03.json")
    return path.read_bytes()


@pytest.fixture
def rostered(co):
    co.rota(("1001", DAY, "D"))
    return co


@pytest.mark.parametrize("write", [
    lambda co: sheet.record_mark(co.fw, co.project, "1001", DAY, "cover", co.tl_day, LONG),
    lambda co: punches.add_manual(co.fw, "alpha", "1001", f"{DAY} 07:55", LONG, "tl_day"),
    lambda co: sheet.resolve_exception(co.fw, co.project, "1001", DAY, LONG, co.tl_day),
    lambda co: sheet.ask_excuse(co.fw, co.project, "1001", DAY, "late train", LONG, co.agent("1001")),
], ids=["mark note", "manual punch note", "exception note", "excuse proof"])
def test_a_note_of_2001_characters_is_refused_and_the_month_file_is_unchanged(rostered, write):
    before = month_file(rostered)
    with pytest.raises(ValidationError, match="at most 2000 characters \\(got 2001\\)"):
        write(rostered)
    assert month_file(rostered) == before


def test_a_note_of_2000_characters_is_kept(rostered):
    mark = sheet.record_mark(rostered.fw, rostered.project, "1001", DAY, "cover", rostered.tl_day, "x" * 2000)
    assert len(mark["note"]) == 2000


def test_the_longest_excuse_still_fits_the_reason_of_the_events_it_reverses(rostered):
    """An accepted excuse is quoted in the reversals' reason, which holds 2,000 characters."""
    rostered.settle("2026-03")
    reason = "y" * sheet.EXCUSE_LIMIT
    with pytest.raises(ValidationError, match="at most"):
        sheet.ask_excuse(rostered.fw, rostered.project, "1001", DAY, reason + "y", "", rostered.agent("1001"))
    sheet.ask_excuse(rostered.fw, rostered.project, "1001", DAY, reason, "", rostered.agent("1001"))
    sheet.decide_excuse(rostered.fw, rostered.project, "1001", DAY, True, rostered.sup)
    assert rostered.active("1001", "2026-03") == []
