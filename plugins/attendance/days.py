"""The agent-day (考勤日): what one agent's shift and punches on one work date amount to, and the
score events that follow from it.

Pure rules only: shifts, settings and approved leave come in as values, an `AgentDay` and a list
of (rule code, points) go out. The store, the schedule (排班) and the hooks live elsewhere.

Counting, decided once for every figure here:

- Punches are read to the minute as a punch clock shows them: seconds are dropped, so a check-in
  at 08:00:59 for an 08:00 shift is on time, one at 08:05:59 is 5 minutes late and one at
  07:50:30 is 10 minutes early, in time for roll-call.
- Grace is the project's tolerance and applies everywhere: ``late_minutes`` is the minutes after
  the start less ``late_grace`` (never below 0), and both the late band and the disciplinary
  threshold read that one figure. A minute the project forgives is forgiven for the agent and the
  supervisor alike, so the day shows one lateness, not two. With the default grace of 0 this is
  exactly the domain's "late by 20 minutes or more without leave".
- Approved leave that covers the shift's start moves the start to the leave's end (lateness counts
  from there, and no roll-call is due); leave that covers the end moves the end to the leave's
  start. Leave covering the whole shift makes the day "on_leave" whatever was punched.
- Partial leave does not excuse the rest of the shift: scheduled, no punch and leave that covers
  only part of the shift is "absent".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from floorwalker.core import N_, ValidationError

MINUTE = timedelta(minutes=1)

# The points the rule `late_or_early` accepts (domain: a light violation, −2 to −5).
LATE_POINTS = range(-5, -1)


def on_the_minute(punch: datetime) -> datetime:
    """*punch* as a punch clock shows it: seconds dropped."""
    return punch.replace(second=0, microsecond=0)


def whole_minutes(span: timedelta) -> int:
    """Whole minutes in *span*, towards zero."""
    return int(span / MINUTE)


@dataclass(frozen=True)
class Shift:
    """One shift of the schedule (班次), e.g. a day shift 08:00–17:00 or a night shift 22:00–06:00.

    A shift whose end is not after its start crosses midnight and ends the next day (an equal
    start and end is a 24-hour shift). Punches from ``punch_before`` minutes before the start to
    ``punch_after`` minutes after the end belong to the shift; the window keeps last night's
    check-out from counting as this morning's check-in.
    """

    code: str
    name: str
    start: time
    end: time
    job_type: str = "voice"
    late_grace: int = 0
    early_grace: int = 0
    punch_before: int = 120
    punch_after: int = 120
    break_minutes: int = 0  # the meal break inside the shift, not counted as continuous work

    def __post_init__(self):
        for label, minutes in ((N_("late grace"), self.late_grace),
                               (N_("early grace"), self.early_grace),
                               (N_("punch window before the start"), self.punch_before),
                               (N_("punch window after the end"), self.punch_after),
                               (N_("break"), self.break_minutes)):
            if minutes < 0:
                raise ValidationError(label, N_("must be 0 minutes or more, got {value}"),
                                      value=minutes)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def span(self, work_date: date) -> tuple[datetime, datetime]:
        """The shift's start and end on *work_date*: a 22:00–06:00 shift on 2026-11-03 runs from
        2026-11-03 22:00 to 2026-11-04 06:00."""
        start = datetime.combine(work_date, self.start)
        end_date = work_date + timedelta(days=1) if self.crosses_midnight else work_date
        end = datetime.combine(end_date, self.end)
        return start, end

    def punch_window(self, work_date: date) -> tuple[datetime, datetime]:
        """The first and last moment (both included) a punch counts for the shift on *work_date*."""
        start, end = self.span(work_date)
        return start - self.punch_before * MINUTE, end + self.punch_after * MINUTE


@dataclass(frozen=True)
class LeaveSpan:
    """Approved leave (请假) from *start* to *end*; only approved leave reaches these rules."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.end <= self.start:
            raise ValidationError(N_("leave period"), N_("the leave must end after it starts"))

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment <= self.end


DEFAULT_LATE_BANDS = ((1, -2), (6, -3), (11, -4), (20, -5))


@dataclass(frozen=True)
class DaySettings:
    """The attendance rules a project can tune, with the domain's defaults.

    ``late_bands`` maps minutes late (or left early) to points: each (from minutes, points) pair
    holds from its minutes up to the next pair's, the last one open-ended; the defaults are
    1–5 min → −2, 6–10 → −3, 11–19 → −4, 20 and more → −5.
    """

    late_bands: tuple[tuple[int, int], ...] = DEFAULT_LATE_BANDS
    disciplinary_minutes: int = 20
    continuous_limit_minutes: int = 480
    # "at most 8 hours" is the rulebook's word: past it, flagged; a project may forgive a few
    # minutes (staying on to finish a call) with a tolerance of its own
    overtime_tolerance_minutes: int = 0
    roll_call_minutes: int = 10

    def __post_init__(self):
        starts = [start for start, _ in self.late_bands]
        if not starts or starts[0] < 1 or starts != sorted(set(starts)):
            raise ValidationError(N_("late bands"), N_(
                "bands must start at 1 minute or later, in rising order, without repeats"))
        for _, points in self.late_bands:
            if points not in LATE_POINTS:
                raise ValidationError(N_("late bands"),
                                      N_("points must be from -5 to -2, got {points}"),
                                      points=points)

    def band_points(self, minutes: int) -> int:
        """The points for *minutes* late or early; 0 when *minutes* is below the first band."""
        points = 0
        for start, band in self.late_bands:
            if minutes >= start:
                points = band
        return points


@dataclass(frozen=True)
class AgentDay:
    """One agent's attendance on one work date, derived by `derive_day`.

    ``status`` is "rest" (no shift), "on_leave" (approved leave covers the whole shift), "absent"
    (scheduled, no punch in the window, no such leave) or "present". ``check_in`` and
    ``check_out`` are the first and last punch inside the shift's window (None when missing);
    ``missing_punch`` is "in" or "out" when only one side was punched, else None.
    """

    work_date: date
    status: str
    shift_code: str | None = None
    check_in: datetime | None = None
    check_out: datetime | None = None
    missing_punch: str | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    worked_minutes: int = 0
    over_continuous_limit: bool = False
    missed_roll_call: bool = False
    disciplinary: bool = False


def punches_in_window(shift: Shift, work_date: date, punches: list[datetime]) -> list[datetime]:
    """The punches that belong to *shift* on *work_date*, read to the minute, in time order."""
    first, last = shift.punch_window(work_date)
    return sorted(p for p in map(on_the_minute, punches) if first <= p <= last)


def due_span(start: datetime, end: datetime,
             leave: LeaveSpan | Iterable[LeaveSpan] | None) -> tuple[datetime, datetime]:
    """When the agent is due on the floor: the shift from *start* to *end*, shortened by approved
    *leave* that covers its start (the agent is due when the leave ends) or its end (free from
    when it starts). Leave in the middle of the shift changes neither end. Several spans (the
    morning off and the afternoon off, asked separately) apply in time order; when they leave
    nothing due, the returned end is not after the start."""
    spans = [leave] if isinstance(leave, LeaveSpan) else sorted(leave or (), key=lambda s: s.start)
    for span in spans:
        if span.covers(start):
            start = span.end
        if span.covers(end):
            end = span.start
    return start, end


def check_in_and_out(punches: list[datetime], start: datetime,
                     end: datetime) -> tuple[datetime | None, datetime | None]:
    """The first punch as check-in and the last as check-out; a lone punch is the check-in when
    it falls before the middle of the time due from *start* to *end*, the check-out otherwise."""
    if not punches:
        return None, None
    if len(punches) > 1:
        return punches[0], punches[-1]
    lone = punches[0]
    return (lone, None) if lone < start + (end - start) / 2 else (None, lone)


def continuous_work(check_in: datetime | None, check_out: datetime | None, start: datetime,
                    break_minutes: int) -> int:
    """Minutes worked without a handover: from the start due (roll-call before it is not work)
    or a later check-in, to the check-out, less the shift's break."""
    if check_in is None or check_out is None:
        return 0
    return max(0, whole_minutes(check_out - max(check_in, start)) - break_minutes)


def derive_day(work_date: date, shift: Shift | None, punches: list[datetime],
               leave: LeaveSpan | Iterable[LeaveSpan] | None, settings: DaySettings) -> AgentDay:
    """Derive the agent-day from the scheduled *shift* (None: a rest day), the agent's *punches*
    (any days; only those inside the shift's punch window count) and approved *leave* (one span,
    or every span that touches the shift)."""
    if shift is None:
        return AgentDay(work_date, "rest")
    shift_start, shift_end = shift.span(work_date)
    start, end = due_span(shift_start, shift_end, leave)
    if end <= start:  # the leave covers the whole shift
        return AgentDay(work_date, "on_leave", shift.code)
    check_in, check_out = check_in_and_out(punches_in_window(shift, work_date, punches), start, end)
    if check_in is None and check_out is None:
        return AgentDay(work_date, "absent", shift.code)
    late = max(0, whole_minutes(check_in - start) - shift.late_grace) if check_in else 0
    early = max(0, whole_minutes(end - check_out) - shift.early_grace) if check_out else 0
    worked = whole_minutes(check_out - check_in) if check_in and check_out else 0
    # Roll-call (点名) is before the shift; an agent excused from the start has none to attend.
    missed_roll_call = start == shift_start and (
        check_in is None or start - check_in < settings.roll_call_minutes * MINUTE)
    return AgentDay(
        work_date, "present", shift.code, check_in, check_out,
        missing_punch="in" if check_in is None else "out" if check_out is None else None,
        late_minutes=late, early_minutes=early, worked_minutes=worked,
        over_continuous_limit=continuous_work(check_in, check_out, start, shift.break_minutes)
        > settings.continuous_limit_minutes + settings.overtime_tolerance_minutes,
        missed_roll_call=missed_roll_call,
        disciplinary=late >= settings.disciplinary_minutes)


def score_for(day: AgentDay, settings: DaySettings) -> list[tuple[str, int]]:
    """The score events *day* causes, as (rule code, points): ("absent", -20) for an absence; one
    ("late_or_early", band points) for lateness and another for early leave; nothing otherwise.
    A missed roll-call and a missing punch are flags for the team leader, not points."""
    if day.status == "absent":
        return [("absent", -20)]
    if day.status != "present":
        return []
    return [("late_or_early", points)
            for points in (settings.band_points(day.late_minutes),
                           settings.band_points(day.early_minutes)) if points]


# ------------------------------------------------------------------ the day at a moment

# The one word for an agent-day at a moment, on every page; in the floor's order (who needs a
# look first).
STATES = ("late", "not_in", "in", "due", "absent", "on_leave", "rest")


@dataclass(frozen=True)
class DayState:
    """An agent-day as it stands at a moment (`day_at`).

    ``day`` is what the punches so far amount to; ``concluded`` says the shift's punch window has
    closed (only a correction changes the day now, and it is settled into the ledger). ``state``
    is one of `STATES`: "in", or "late" by ``day.late_minutes`` (punched); "due" (the shift has
    not started: nobody is missing yet); "not_in" (due ``overdue_minutes`` ago, no punch, the
    window still open); "absent" (the window closed with no punch and no leave); "on_leave";
    "rest".
    """

    day: AgentDay
    state: str
    concluded: bool
    overdue_minutes: int = 0


def day_at(work_date: date, shift: Shift | None, punches: list[datetime],
           leave: LeaveSpan | Iterable[LeaveSpan] | None, settings: DaySettings,
           now: datetime) -> DayState:
    """The agent-day at *now*: the one reading of a day's status that every page shows.

    Once the shift's punch window has closed the day is `derive_day`'s, as it is settled. Before,
    it is the same rules over the punches made by *now*: the first is the check-in, late as it
    will be when the day concludes; without a punch it is "due" until the time due (the start,
    or the end of leave covering it) and "not_in" from then on."""
    if shift is None:
        return DayState(AgentDay(work_date, "rest"), "rest", True)
    concluded = now >= shift.punch_window(work_date)[1]
    so_far = punches if concluded else [p for p in punches if on_the_minute(p) <= now]
    day = derive_day(work_date, shift, so_far, leave, settings)
    if day.status == "present":
        return DayState(day, "late" if day.late_minutes else "in", concluded)
    if day.status != "absent" or concluded:
        return DayState(day, day.status, concluded)
    due = due_span(*shift.span(work_date), leave)[0]
    if now < due:
        return DayState(day, "due", False)
    return DayState(day, "not_in", False, whole_minutes(now - due))
