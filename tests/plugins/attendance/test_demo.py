"""The attendance demo: a believable floor, the same for the same seed, and months that can close."""

import collections
import datetime as dt
import random
import time

import pytest

from floorwalker.core.calendar import local_now
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.demo import build_demo, demo_months
from floorwalker.plugins.attendance import demo, handover, leave, punches, roster, sheet, swaps

from ...pgcluster import store_for

MONTHS = demo_months(dt.date.today())
NOW = local_now("Asia/Shanghai")  # both builds of a seed see the same clock


def small_floor(root, seed=3, now=NOW):
    """One project, two day teams and a night team of four agents each, built by the demo."""
    fw = Floorwalker(store_for(root), make_plugin_manager(builtins=["attendance"]))
    fw.projects.create("alpha", "Alpha", "setup", channels=["voice"])
    hired = (dt.date.fromisoformat(MONTHS[0] + "-01") - dt.timedelta(days=200)).isoformat()
    for team in ("day-a", "day-b", "night"):
        fw.teams.create("alpha", team, team, "setup")
        for n in range(4):
            number = f"{team[0].upper()}{team[-1]}{n}"
            fw.agents.add("alpha", number, f"Agent {number}", "setup", team=team, hired=hired)
    demo.build(fw, fw.projects.get("alpha"), MONTHS, random.Random(seed), "demo", now=now)
    return fw


@pytest.fixture(scope="module")
def floor(tmp_path_factory):
    return small_floor(tmp_path_factory.mktemp("floor"))


def all_punches(fw):
    return sorted((p["agent"], p["at"]) for m in MONTHS for p in punches.punches(fw, "alpha", m))


def test_the_same_seed_gives_the_same_floor(floor, tmp_path):
    again = small_floor(tmp_path)
    assert all_punches(again) == all_punches(floor)
    shifts = lambda fw: sorted((k, e["shift"]) for m in MONTHS for k, e in roster.roster(fw, "alpha", m).items())
    assert shifts(again) == shifts(floor)
    statuses = lambda fw: [(r["agent"], r["date"], r["status"]) for m in MONTHS for r in leave.month_requests(fw, "alpha", m)]
    assert statuses(again) == statuses(floor)


def test_shift_types_patterns_and_a_roster_for_every_day(floor):
    assert {code: (s.start.isoformat("minutes"), s.end.isoformat("minutes"))
            for code, s in roster.shifts(floor, "alpha").items()} == {
        "D": ("08:00", "17:00"), "M": ("12:00", "21:00"), "N": ("21:00", "06:00")}
    assert roster.pattern(floor, "alpha", "night") == ["N"] * 5 + [None, None]
    for month in MONTHS:
        days = roster.month_dates(month)
        assert len(roster.roster(floor, "alpha", month)) == 12 * len(days)
    day_one = collections.Counter(e["shift"] for e in roster.roster(floor, "alpha", MONTHS[1]).values())
    assert day_one["D"] and day_one["M"] and day_one["N"] and day_one[None]


def test_punches_only_before_now_and_nights_end_the_next_day(floor):
    times = all_punches(floor)
    assert times and all(at <= NOW.isoformat() for _, at in times)
    nights = [r for r in sheet.month_rows(floor, floor.projects.get("alpha"), MONTHS[1])
              if r["shift"] == "N" and r["status"] == "present" and r["check_out"]]
    assert nights and all(r["check_out"].date() > r["check_in"].date() for r in nights)


def test_no_punch_lies_ahead_of_a_now_inside_the_nights_check_out(tmp_path):
    """At 06:05 the night shift that ended at 06:00 is still checking out: nobody's check-out
    (up to 20 minutes after the end) and no late check-in may be dated after the floor's now."""
    now = dt.datetime.combine(dt.date.fromisoformat(MONTHS[-1] + "-01") + dt.timedelta(days=5),
                              dt.time(6, 5))
    times = all_punches(small_floor(tmp_path / "data", now=now))
    assert times and max(at for _, at in times) <= now.isoformat()


def test_the_oldest_month_can_close_and_the_current_one_has_work_waiting(floor):
    assert floor.periods.blockers("alpha", MONTHS[0]) == []
    floor.periods.close("alpha", MONTHS[0], "demo")
    waiting = leave.waiting(floor, "alpha")
    assert waiting and {r["date"][:7] for r in waiting} == {MONTHS[-1]}
    assert [s["date"][:7] for s in swaps.waiting(floor, "alpha")] == [MONTHS[-1]]
    approved = [s for m in MONTHS[:-1] for s in swaps.month_swaps(floor, "alpha", m) if s["status"] == "approved"]
    assert approved and all(set(s["approvals"]) == set(s["teams"]) and len(s["teams"]) == 2 for s in approved)


def test_handover_logs_for_most_changes_a_few_missing_one_refused(floor):
    first, last = roster.month_dates(MONTHS[1])[0], roster.month_dates(MONTHS[1])[-1]
    board = handover.board(floor, "alpha", first, last, dt.datetime.combine(last, dt.time(23, 59)))
    missing = sum(b["missing"] for b in board)
    assert len(board) > 40 and 0 < missing < len(board) * 0.2
    refused = [h for m in MONTHS for h in handover.logs(floor, "alpha", m) if h["status"] == "refused"]
    assert len(refused) == 1 and refused[0]["refusal"]


@pytest.mark.slow
def test_the_whole_demo_with_attendance(tmp_path):
    """The company of `floorwalker demo`: every project's floor settled, lateness across the
    bands, absences rare, the oldest month closed; prints the seconds attendance adds."""
    spent = []
    build = demo.build

    def timed(*args, **kwargs):
        started = time.perf_counter()
        build(*args, **kwargs)
        spent.append(time.perf_counter() - started)

    fw = Floorwalker(store_for(tmp_path), make_plugin_manager(builtins=["attendance"]))
    started = time.perf_counter()
    demo.build, saved = timed, demo.build
    try:
        build_demo(fw, seed=7)
    finally:
        demo.build = saved
    print(f"demo: {time.perf_counter() - started:.1f} s, attendance {sum(spent):.1f} s")
    assert len(spent) == 3
    for project in fw.projects.all():
        slug = project["slug"]
        assert fw.periods.state(slug, MONTHS[0]) == "closed"
        rows = [r for m in MONTHS[1:3] for r in sheet.month_rows(fw, project, m)]
        present = [r for r in rows if r["status"] == "present"]
        late = [r["late"] for r in present if r["late"]]
        absent = [r for r in rows if r["status"] == "absent"]
        assert 0.01 < len(late) / len(present) < 0.08
        assert min(late) <= 5 and max(late) >= 20
        assert 0 < len(absent) / len(rows) < 0.03
        rules = collections.Counter(e["rule"] for e in fw.ledger.events(slug, MONTHS[1])
                                    if e["source"] == "attendance")
        assert rules["late_or_early"] and rules["absent"] and rules["away_over_5min"]
        excused = [n for m in MONTHS for n in sheet.annotations(fw, slug, m).values()
                   if n.get("excuse", {}).get("status") == "accepted"]
        assert len(excused) == 1


def test_leaders_marks_and_an_excused_late_day_reach_the_ledger(floor):
    kinds = collections.Counter(m["kind"] for month in MONTHS for m in sheet.marks(floor, "alpha", month))
    assert kinds["away"] >= len(MONTHS) - 1 and kinds["cover"] >= len(MONTHS) - 1
    excused = [n for m in MONTHS for n in sheet.annotations(floor, "alpha", m).values()
               if n.get("excuse", {}).get("status") == "accepted"]
    assert len(excused) == 1
    agent, day = excused[0]["agent"], excused[0]["date"]
    events = [e for e in floor.ledger.events("alpha", day[:7])
              if e["evidence"] == sheet.evidence(agent, day)]
    assert [e["rule"] for e in events if not e["reverses"]] == ["late_or_early"]
    assert any(e["reverses"] for e in events)  # the lateness was reversed when excused


def test_an_ordinary_day_is_under_the_continuous_work_limit(floor):
    """Nine hours less a 90-minute meal break: roll-call before the start and leaving a few
    minutes late stay under 8 hours; only a stay of over half an hour past the shift is flagged,
    on a few days, not most."""
    assert {s.code: s.break_minutes for s in roster.shifts(floor, "alpha").values()} == {
        "D": 90, "M": 90, "N": 90}
    project = floor.projects.get("alpha")
    present = [r for m in MONTHS for r in sheet.month_rows(floor, project, m) if r["status"] == "present"]
    flagged = [r for r in present if r["over_limit"]]
    assert len(flagged) < 0.02 * len(present)
    assert all(r["check_out"] - r["end"] > dt.timedelta(minutes=30) for r in flagged)
