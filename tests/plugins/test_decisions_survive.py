"""A decision a person made survives every later settle and every month close.

Attendance derives an absence and settles it into the ledger; a team leader asks (incentives)
for the deduction to be cancelled and a supervisor approves. Settling the month again, and
closing it (which settles it first), must not write the deduction back: pay would then carry a
deduction management cancelled. And once the month is closed, a supervisor can still approve a
cancellation: it lands as an adjustment in the first open month.
"""

import datetime as dt

import pytest

from floorwalker.core import Conflict
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import FileOps
from floorwalker.plugins.attendance import roster, sheet
from floorwalker.plugins.incentives import reversals

from ..pgcluster import store_for

SLUG, MONTH = "alpha", "2026-03"
ABSENT_DAY, LATE_DAY = "2026-03-02", "2026-03-03"
LATER = dt.datetime(2027, 6, 1)  # every shift of the tests has concluded
TL = {"username": "tl", "roles": ["team_leader"], "agent": None, "projects": [SLUG], "teams": []}
SUP = {"username": "sup", "roles": ["supervisor"], "agent": None, "projects": [SLUG], "teams": []}


class NoSync(FileOps):
    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, folder) -> None:
        pass


@pytest.fixture
def fw(tmp_path):
    fw = Floorwalker(store_for(tmp_path / "data", fs=NoSync()),
                     make_plugin_manager(builtins=["attendance", "incentives"]))
    fw.projects.create(SLUG, "Alpha Bank", "setup", plugins=["attendance", "incentives"])
    fw.teams.create(SLUG, "day", "Day", "setup")
    fw.agents.add(SLUG, "1001", "Li", "setup", team="day", hired="2026-01-01")
    roster.save_shift(fw, SLUG, roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.set_entries(fw, SLUG, [("1001", ABSENT_DAY, "D")], "setup")
    return fw


def project(fw) -> dict:
    return fw.projects.get(SLUG)


def settle(fw) -> dict:
    return sheet.settle(fw, project(fw), MONTH, "system", now=LATER)


def active(fw, month=MONTH) -> list[tuple[str, int, str]]:
    events = fw.ledger.agent_events(SLUG, month, "1001")
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    return sorted((e["rule"], e["points"], e["date"]) for e in events
                  if not e["reverses"] and e["id"] not in reversed_ids)


def total(fw, month=MONTH) -> int:
    return next(r["total"] for r in fw.ledger.sheet(SLUG, month) if r["number"] == "1001")


def approve_cancellation(fw, event_id: str) -> dict:
    asked = reversals.request(fw, SLUG, event_id, "the line manager sent him to a client site", "tl")
    return reversals.decide(fw, SLUG, asked["id"], True, "sup")


def the_absence(fw) -> dict:
    (absence,) = [e for e in fw.ledger.agent_events(SLUG, MONTH, "1001")
                  if e["rule"] == "absent" and e["date"] == ABSENT_DAY and not e["reverses"]]
    return absence


def test_an_approved_cancellation_of_an_absence_survives_settling_and_the_close(fw):
    settle(fw)
    assert active(fw) == [("absent", -20, ABSENT_DAY)]
    decided = approve_cancellation(fw, the_absence(fw)["id"])
    assert active(fw) == [] and total(fw) == 80

    assert settle(fw) == {"written": 0, "reversed": 0}
    assert active(fw) == []
    fw.periods.close(SLUG, MONTH, "sup", user=SUP)  # attendance settles the month as it closes
    assert active(fw) == [] and total(fw) == 80
    # the agent's month shows the decision: the absence, and its cancellation marked as one
    (reversal,) = [e for e in fw.ledger.agent_events(SLUG, MONTH, "1001") if e["reverses"]]
    assert (reversal["id"], reversal["decision"], reversal["recorded_by"]) == \
        (decided["reversal"], True, "sup")


def test_a_decided_day_stays_decided_when_its_evidence_changes(fw):
    """The simplest sound rule: settle leaves a decided day alone for good, even if a punch
    found later would make it a lateness."""
    settle(fw)
    approve_cancellation(fw, the_absence(fw)["id"])
    from floorwalker.plugins.attendance import punches
    punches.store_punches(fw, SLUG, [punches.punch_doc("1001", punches.parse_time(t), "import")
                                     for t in (f"{ABSENT_DAY} 08:30", f"{ABSENT_DAY} 17:00")], "setup")
    assert settle(fw) == {"written": 0, "reversed": 0}
    assert active(fw) == []


def test_other_days_still_follow_their_evidence(fw):
    roster.set_entries(fw, SLUG, [("1001", LATE_DAY, "D")], "setup")
    settle(fw)
    approve_cancellation(fw, the_absence(fw)["id"])
    from floorwalker.plugins.attendance import punches
    punches.store_punches(fw, SLUG, [punches.punch_doc("1001", punches.parse_time(t), "import")
                                     for t in (f"{LATE_DAY} 08:07", f"{LATE_DAY} 17:00")], "setup")
    assert settle(fw) == {"written": 1, "reversed": 1}  # the late day: absence → lateness
    assert active(fw) == [("late_or_early", -3, LATE_DAY)]


def test_a_cancellation_approved_after_the_close_lands_in_the_first_open_month(fw):
    settle(fw)
    absence = the_absence(fw)
    fw.periods.close(SLUG, MONTH, "sup", user=SUP)
    march = fw.store.read(fw.store.period_key(SLUG, "score_events", MONTH)).generation

    decided = approve_cancellation(fw, absence["id"])

    assert fw.store.read(fw.store.period_key(SLUG, "score_events", MONTH)).generation == march
    assert total(fw) == 60  # the closed month is untouched
    (adjustment,) = fw.ledger.agent_events(SLUG, "2026-04", "1001")
    assert (adjustment["id"], adjustment["rule"], adjustment["points"], adjustment["adjusts"],
            adjustment["corrects"], adjustment["date"]) == \
        (decided["reversal"], "adjustment", 20, MONTH, absence["id"], "2026-04-01")
    assert total(fw, "2026-04") == 100
    with pytest.raises(Conflict):  # corrected once is corrected
        reversals.request(fw, SLUG, absence["id"], "again", "tl")
