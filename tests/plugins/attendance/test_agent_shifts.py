"""Attendance answers the platform's `agent_shifts` (issue 16): the roster's shifts with their
times, a night shift ending the next morning, approved leave cut out — whole, or part of a
shift — and rest days and pending leave leaving the roster as it is."""

import datetime as dt

from floorwalker.core import RosteredShift
from floorwalker.core.plugins import collect
from floorwalker.plugins.attendance import leave

FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def shifts(co):
    found = collect(co.fw.project_hook(co.project, "agent_shifts"), RosteredShift,
                    floorwalker=co.fw, project=co.project, first=FIRST, last=LAST)
    return [(s.agent, s.date.isoformat(), s.start.strftime("%d %H:%M"), s.end.strftime("%d %H:%M"),
             s.shift, s.job_type, s.plugin) for s in found]


def test_rostered_shifts_with_their_times_and_a_night_into_the_next_day(co):
    co.rota(("1001", "2026-03-02", "D"), ("1003", "2026-03-02", "N"), ("1004", "2026-03-02", "C"),
            ("1002", "2026-03-02", None))
    assert shifts(co) == [("1001", "2026-03-02", "02 08:00", "02 17:00", "D", "voice", "attendance"),
                          ("1003", "2026-03-02", "02 22:00", "03 06:00", "N", "voice", "attendance"),
                          ("1004", "2026-03-02", "02 09:00", "02 18:00", "C", "chat", "attendance")]


def test_approved_leave_drops_a_whole_shift_and_cuts_part_of_one(co):
    co.rota(("1001", "2026-03-02", "D"), ("1002", "2026-03-02", "D"), ("1003", "2026-03-02", "D"))
    asked = dt.datetime(2026, 2, 20, 9, 0)
    whole = leave.request(co.fw, co.project, "1001", "annual", co.agent("1001"), "2026-03-02",
                          asked_at=asked)
    part = leave.request(co.fw, co.project, "1002", "personal", co.agent("1002"), "2026-03-02",
                         start_time="10:00", end_time="12:00", asked_at=asked)
    leave.request(co.fw, co.project, "1003", "annual", co.agent("1003"), "2026-03-02", asked_at=asked)
    for request in (whole, part):
        leave.decide(co.fw, co.project, request["id"], True, co.sup)
    assert [(a, start, end) for a, _, start, end, *_ in shifts(co)] == [
        ("1002", "02 08:00", "02 10:00"), ("1002", "02 12:00", "02 17:00"),
        ("1003", "02 08:00", "02 17:00")]  # 1003's leave is still waiting: the shift stands
