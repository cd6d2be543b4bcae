"""Relief (接班): the outgoing agent stays until the incoming one is at the seat (交接班制度: 接班人
未到机台，交班人不得离台). A day whose agent checked out before being relieved carries the flag
``left_before_relief``, for the team leader, who may record it (`sheet.record_mark`, kind
"relief"); the flag itself never costs points.

Who relieves whom, decided here:

- The incoming agents of a shift are those rostered on the team's next shift: the team's shifts
  of the day in order of start, the day's last handing over to the next day's first when it runs
  past midnight — the changes the handover log follows (`handover.expected`). A next shift that
  starts after the outgoing one ends relieves nobody (the seats close in between).
- The floor never thins below the next shift: as many outgoing agents as come in must each wait
  for one, the last to leave first — the k-th of them to leave for the k-th incoming agent to
  punch in. When the next shift is smaller, the first to leave go freely.
- An incoming agent on leave for the whole shift relieves nobody; one absent leaves whoever
  waits for them unrelieved (the leader decides). An outgoing agent whose approved leave covers
  the end of the shift is not waiting for anyone.
- Leaving in the minute the reliever punches in is relieved; before it is not.
"""

from __future__ import annotations

import datetime as dt

from . import handover
from . import roster as rosters
from .days import check_in_and_out, due_span, punches_in_window
from .punches import agent_punches


def unrelieved(outgoing: list[tuple[str, dt.datetime]],
               incoming: list[tuple[str, dt.datetime | None]]) -> dict[str, tuple]:
    """The outgoing agents who left before relief: *outgoing* are (agent, check-out), *incoming*
    (agent, check-in or None if not punched in). Returns agent → (reliever, their check-in or
    None)."""
    leaving = sorted(outgoing, key=lambda o: (o[1], o[0]))
    arriving = sorted(incoming, key=lambda i: (i[1] is None, i[1] or dt.datetime.min, i[0]))
    free = max(0, len(leaving) - len(arriving))
    return {agent: (reliever, check_in)
            for (agent, check_out), (reliever, check_in) in zip(leaving[free:], arriving)
            if check_in is None or check_out < check_in}


def mark(fw, project: str, rows: list[dict], leave: dict) -> None:
    """Set ``left_before_relief`` on every derived row (`sheet.derive`), and on a flagged one
    ``relief``: the reliever's agent number, shift and check-in (None if not yet in). *leave*
    is the approved leave by agent (`leave.approved_spans`) of the rows' days and the next."""
    for row in rows:
        row["left_before_relief"], row["relief"] = False, None
    left = [r for r in rows if r.get("check_out") and r.get("shift")
            and r["status"] not in ("absent", "on_leave", "rest")]
    if not left:
        return
    first = min(dt.date.fromisoformat(r["date"]) for r in left)
    last = max(dt.date.fromisoformat(r["date"]) for r in left)
    known = rosters.shifts(fw, project)
    nxt = {(c["team"], c["date"], c["from_shift"]): (c["to_date"], c["to_shift"])
           for c in handover.changes(fw, project, first, last)}
    entries = rosters.roster_between(fw, project, first, last + dt.timedelta(days=1)).values()
    on_shift: dict[tuple[str, str, str], list[dict]] = {}
    for entry in entries:
        on_shift.setdefault((entry["team"], entry["date"], entry["shift"]), []).append(entry)
    by_change: dict[tuple, list[dict]] = {}
    for row in left:
        if (row["team"], row["date"], row["shift"]) in nxt and not _excused(row, known, leave):
            by_change.setdefault((row["team"], row["date"], row["shift"]), []).append(row)
    for (team, day, out_code), outgoing in by_change.items():
        into_day, into = nxt[team, day, out_code]
        out_end = known[out_code].span(dt.date.fromisoformat(day))[1]
        if known[into].span(dt.date.fromisoformat(into_day))[0] > out_end:
            continue  # a gap: nobody takes over
        incoming = [(e["agent"], _check_in(fw, project, e["agent"], into_day, known[into], leave))
                    for e in on_shift.get((team, into_day, into), ())]
        incoming = [(agent, at) for agent, at in incoming if at is not False]
        found = unrelieved([(r["agent"], r["check_out"]) for r in outgoing], incoming)
        for row in outgoing:
            if row["agent"] in found:
                reliever, at = found[row["agent"]]
                row["left_before_relief"] = True
                row["relief"] = {"agent": reliever, "shift": into, "date": into_day, "check_in": at}


def _excused(row: dict, known: dict, leave: dict) -> bool:
    """Approved leave covers the end of the outgoing agent's shift."""
    start, end = known[row["shift"]].span(dt.date.fromisoformat(row["date"]))
    return due_span(start, end, leave.get(row["agent"], ()))[1] != end


def _check_in(fw, project: str, agent: str, day: str, shift, leave: dict):
    """The incoming agent's check-in on their shift of *day*: a time, None (not punched in), or
    False (on leave for the whole shift: relieves nobody)."""
    work_date = dt.date.fromisoformat(day)
    start, end = due_span(*shift.span(work_date), leave.get(agent, ()))
    if end <= start:
        return False
    opens, closes = shift.punch_window(work_date)
    punched = [dt.datetime.fromisoformat(p["at"]) for p in agent_punches(
        fw, project, agent, opens.date(), closes.date()) if not p["void"]]
    return check_in_and_out(punches_in_window(shift, work_date, punched), start, end)[0]
