"""Leave requests (请假) and shift swaps (换班): the rules that accept or refuse them.

Pure functions over small frozen records. Each check returns every reason for refusal, not just
the first, so the agent fixes the request in one go; an empty list means the request may go on to
its approver. A refused request can still be granted by a manager (the rules say "otherwise only
with a manager's approval, or it counts as absence"); that decision is not made here.

The rules come from the centre's leave and swap regulations (客服部请假制度 / 换班制度);
the numbers a project may change live in `RequestRules`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType

from floorwalker.core import (TIER_TITLES, TIERS, FloorwalkerError, HolidayCalendar, N_,
                              ValidationError, translate)

LEAVE_TYPES = ("personal", "urgent_personal", "sick", "annual", "marriage", "bereavement",
               "compensatory")
LEAVE_TITLES = MappingProxyType({
    "personal": N_("personal leave"),
    "urgent_personal": N_("urgent personal leave"),
    "sick": N_("sick leave"),
    "annual": N_("annual leave"),
    "marriage": N_("marriage leave"),
    "bereavement": N_("bereavement leave"),
    "compensatory": N_("compensatory leave"),
})
WORKING_DAY_MINUTES = 480  # the rest between two shifts that are not "in a row"


# the same as a label standing alone (a column, an option, a list): "Personal leave"
LEAVE_LABELS = MappingProxyType({
    "personal": N_("Personal leave"),
    "urgent_personal": N_("Urgent personal leave"),
    "sick": N_("Sick leave"),
    "annual": N_("Annual leave"),
    "marriage": N_("Marriage leave"),
    "bereavement": N_("Bereavement leave"),
    "compensatory": N_("Compensatory leave"),
})


def leave_title(kind: str) -> str:
    """The title of a leave type standing alone (a msgid for the shipped types; a project's own
    type is shown by the name it was given in the settings). Inside a sentence, `LEAVE_TITLES`."""
    return LEAVE_LABELS.get(kind, kind)
SWAP = N_("shift swap")  # the field a swap's refusals name
# The states of requests, swaps and handover logs, as a refusal names them ("… is already
# approved"): message ids, so the word is in the reader's language.
STATE_WORDS = MappingProxyType({
    "pending": N_("pending"), "approved": N_("approved"), "rejected": N_("rejected"),
    "cancelled": N_("cancelled"), "asked": N_("asked"), "accepted": N_("agreed"),
    "submitted": N_("submitted"), "refused": N_("refused"),
})

# Minutes of notice before the shift starts. Personal, urgent personal and sick come from the
# regulations; the others are this module's choice: annual and marriage leave are planned, so
# a week's notice lets the team leader re-roster; compensatory leave (调休) is planned like
# personal leave; a bereavement cannot be foreseen, so it may be asked up to the shift's start.
DEFAULT_NOTICE_MINUTES = MappingProxyType({
    "personal": 1440,
    "urgent_personal": 60,
    "sick": 0,
    "annual": 7 * 1440,
    "marriage": 7 * 1440,
    "bereavement": 0,
    "compensatory": 1440,
})


@dataclass(frozen=True)
class RequestRules:
    """A project's numbers for leave and swaps; the defaults are the centre's regulations."""

    notice_minutes: Mapping[str, int] = field(default_factory=lambda: DEFAULT_NOTICE_MINUTES)
    night_shift_cutoff: time = time(12, 0)
    holiday_notice_days: int = 2
    # "A day" of leave is the agent's rostered shift that day, whatever its length (a 10-hour
    # night is one day, half of it half a day): approval and the certificate count such days.
    certificate_days: float = 1
    supervisor_max_days: float = 1
    max_swaps_per_month: int = 2
    # "Similar skill" (技术业务水平相当): the agents' tiers at most this many steps apart.
    swap_max_tier_gap: int = 1
    # Less rest than this between two of an agent's shifts makes them "two shifts in a row"
    # (连班): a night shift ending 06:00 and a day shift at 08:00 leave two hours.
    min_rest_minutes: int = WORKING_DAY_MINUTES


@dataclass(frozen=True)
class LeaveRequest:
    """What is asked: a kind of leave for a number of minutes of rostered shifts.

    `days`: the rostered days it is, each shift one day whatever its length, part of a shift
    its share (`rostered_days`); for sick leave, with the agent's other sick leave of the same
    shifts, so two halves of one shift asked apart are a day. `certificate`: a medical
    certificate (医疗单位证明) is attached. `emergency`: sick leave phoned in before the shift
    (急诊), which needs no certificate yet.
    """

    kind: str
    minutes: int
    certificate: bool = False
    emergency: bool = False
    days: float = 0


def rostered_days(spans: Iterable[tuple[datetime, datetime]], start: datetime,
                  end: datetime) -> float:
    """How many rostered days leave from *start* to *end* is: each shift (start, end) of *spans*
    it covers whole counts one, whatever its length; part of a shift, its share (4 hours of an
    8-hour shift: 0.5), to two decimals rounded down (a minute short of the shift is not a day)."""
    total = 0.0
    for shift_start, shift_end in spans:
        covered = min(shift_end, end) - max(shift_start, start)
        if covered.total_seconds() > 0:
            total += covered / (shift_end - shift_start)
    return math.floor(total * 100 + 1e-6) / 100


def days_text(days: float) -> str:
    """A number of days as people write it: 1, 0.5, 2.25."""
    return f"{days:g}"


@dataclass(frozen=True)
class ScheduleEntry:
    """One shift of the roster (排班). `swapped`: the agent got this shift through a swap."""

    agent: str
    date: date
    shift: str
    start: datetime
    end: datetime
    job_type: str
    swapped: bool = False


@dataclass(frozen=True)
class ShiftSwap:
    """Two agents exchange shifts: `first.agent` works `second`, `second.agent` works `first`."""

    first: ScheduleEntry
    second: ScheduleEntry


def check_leave(request: LeaveRequest, shift_start: datetime, asked_at: datetime, asker: str,
                agent: str, calendar: HolidayCalendar, rules: RequestRules,
                night_shift: bool, shift_day: date | None = None) -> list[ValidationError]:
    """Reasons to refuse `asker`'s request for `agent`'s leave from the shift at `shift_start`.

    `shift_day`: the date the shift starts, when the leave starts later than the shift (part of
    a night shift after midnight is still asked before noon of the night's first day)."""
    if request.kind not in rules.notice_minutes:
        return [ValidationError(N_("kind of leave"), N_("{kind} is not a kind of leave"),
                                kind=request.kind)]
    title = LEAVE_TITLES.get(request.kind, request.kind)
    reasons = []
    asked_before = _minutes(shift_start - asked_at)
    if asker != agent and request.kind != "sick":
        reasons.append(ValidationError(
            N_("asked by"), N_("only the agent may ask for {leave} ({asker} asked for {agent}); "
                               "only sick leave may be asked by someone else"),
            leave=title, asker=asker, agent=agent))
    notice = rules.notice_minutes[request.kind]
    if asked_before < notice:
        reasons.append(ValidationError(
            N_("asked at"), N_("{leave} must be asked at least {minutes} minutes before the shift "
                               "starts; it was asked {asked} minutes before"),
            leave=title, minutes=notice, asked=asked_before))
    cutoff = datetime.combine(shift_day or shift_start.date(), rules.night_shift_cutoff,
                              shift_start.tzinfo)
    if night_shift and asked_at >= cutoff:
        reasons.append(ValidationError(
            N_("asked at"), N_("leave from a night shift must be asked before {cutoff} of the "
                               "shift's day, so the night can be re-staffed; it was asked at "
                               "{asked}"),
            cutoff=rules.night_shift_cutoff.strftime("%H:%M"),
            asked=asked_at.strftime("%Y-%m-%d %H:%M")))
    if calendar.is_holiday(shift_start.date()):
        days = rules.holiday_notice_days
        if asked_before < days * 1440:
            reasons.append(ValidationError(
                N_("asked at"), N_("leave on a public holiday is a very special case and must be "
                                   "asked at least {days} days ahead; it was asked {asked} "
                                   "minutes before the shift"), days=days, asked=asked_before))
    if (request.kind == "sick" and request.days >= rules.certificate_days
            and not request.certificate and not request.emergency):
        reasons.append(ValidationError(
            N_("medical certificate"), N_("sick leave of {days} rostered days or more needs a "
                                          "medical certificate; this comes to {asked} days"),
            days=days_text(rules.certificate_days), asked=days_text(request.days)))
    return reasons


def is_very_special_case(shift_start: datetime, calendar: HolidayCalendar) -> bool:
    """Leave on a public holiday: the regulations allow it only as a very special case, which
    the approver must see marked."""
    return calendar.is_holiday(shift_start.date())


def approval_level(days: float, rules: RequestRules) -> str:
    """Who approves leave of *days* rostered days (`rostered_days`): the supervisor up to one day,
    the director beyond."""
    if days <= 0:
        raise ValidationError(N_("leave duration"), N_("leave must cover part of a rostered "
                                                       "shift; {days} days were asked"),
                              days=days_text(days))
    return "supervisor" if days <= rules.supervisor_max_days else "director"


def leave_on_swapped_shift(entry: ScheduleEntry) -> list[ValidationError]:
    """Reasons to refuse leave from this shift: none may be taken from a shift got by a swap,
    since the swap was asked precisely so that the shift is worked."""
    if not entry.swapped:
        return []
    return [ValidationError(N_("swapped shift"), N_("no leave may be taken from a swapped shift: "
                                            "{agent} took the {shift} shift of {day} by a swap"),
                            agent=entry.agent, shift=entry.shift, day=entry.date.isoformat())]


def check_swap(swap: ShiftSwap, schedule: Iterable[ScheduleEntry],
               month_swaps_by_agent: Mapping[str, int], calendar: HolidayCalendar,
               leave_days: Collection[tuple[str, date]],
               rules: RequestRules, tiers: Mapping[str, str] | None = None,
               in_swaps: Mapping[tuple[str, date], str] | None = None) -> list[ValidationError]:
    """Reasons to refuse the swap, for either party.

    `schedule`: the roster around both shifts; `month_swaps_by_agent`: swaps each agent already
    made this month; `leave_days`: (agent, date) pairs of leave already granted; `tiers`: each
    agent's tier (the core's `TIERS`); `in_swaps`: the shifts, as (agent, date), already in
    another swap that stands in this one's way, with that swap's state ("asked", "accepted",
    "approved"): two swaps of one shift cannot both stand.
    """
    first, second = swap.first, swap.second
    schedule = [e for e in schedule if e not in (first, second)]
    reasons = []
    for entry in (first, second):
        state = (in_swaps or {}).get((entry.agent, entry.date))
        if state is not None and not entry.swapped:
            reasons.append(ValidationError(
                SWAP, N_("{agent}'s {shift} shift of {day} is already in another swap ({state}): "
                         "two swaps of one shift cannot both stand"),
                agent=entry.agent, shift=entry.shift, day=entry.date.isoformat(),
                state=STATE_WORDS[state]))
        done = month_swaps_by_agent.get(entry.agent, 0)
        if done >= rules.max_swaps_per_month:
            reasons.append(ValidationError(
                N_("swaps this month"), N_("{agent} has already swapped {done} times this month; "
                                           "at most {most} swaps a month are allowed"),
                agent=entry.agent, done=done, most=rules.max_swaps_per_month))
        if entry.swapped:
            reasons.append(ValidationError(
                SWAP, N_("the {shift} shift of {day} was itself got by a swap and cannot be "
                         "swapped again"), shift=entry.shift, day=entry.date.isoformat()))
        if calendar.is_holiday(entry.date):
            reasons.append(ValidationError(
                SWAP, N_("{day} is a public holiday: shifts on holidays are not swapped"),
                day=entry.date.isoformat()))
    if first.job_type != second.job_type:
        reasons.append(ValidationError(
            SWAP, N_("only shifts of the same job type may be swapped ({first} and {second})"),
            first=first.job_type, second=second.job_type))
    if tiers is not None:
        gap = SkillGap.between(first.agent, tiers.get(first.agent), second.agent,
                               tiers.get(second.agent), rules.swap_max_tier_gap)
        if gap is not None:
            reasons.append(gap)
    for agent, taken in ((first.agent, second), (second.agent, first)):
        if (agent, taken.date) in leave_days:
            reasons.append(ValidationError(
                SWAP, N_("{agent} is on leave on {day} and cannot take a shift that day"),
                agent=agent, day=taken.date.isoformat()))
        clash = _shift_in_a_row(taken, [e for e in schedule if e.agent == agent], rules)
        if clash is not None:
            reasons.append(ValidationError(
                SWAP, N_("{agent} would work two shifts in a row: the {shift} shift of {day} "
                         "leaves less than {minutes} minutes of rest next to the {other} shift "
                         "of {other_day}"),
                agent=agent, shift=taken.shift, day=taken.date.isoformat(),
                minutes=rules.min_rest_minutes, other=clash.shift,
                other_day=clash.date.isoformat()))
    return reasons


class SkillGap(ValidationError):
    """Two agents too far apart on the career ladder to swap (换班须技术业务水平相当): the
    refusal names both tiers in the reader's language (the core's `TIER_TITLES`)."""

    MESSAGE = N_("{first} ({first_tier}) and {second} ({second_tier}) are {gap} tiers apart: "
                 "swaps are between agents of similar skill, at most {most} tiers apart")

    def __init__(self, first: str, first_tier: str, second: str, second_tier: str, most: int):
        self.agents, self.tiers, self.most = (first, second), (first_tier, second_tier), most
        self.gap = abs(TIERS.index(first_tier) - TIERS.index(second_tier))
        super().__init__(SWAP, self.MESSAGE, first=first, second=second, most=most, gap=self.gap,
                         first_tier=TIER_TITLES[first_tier][0],
                         second_tier=TIER_TITLES[second_tier][0])

    @classmethod
    def between(cls, first: str, first_tier: str | None, second: str, second_tier: str | None,
                most: int) -> SkillGap | None:
        """The refusal, or None when the tiers are close enough (or one is unknown)."""
        if first_tier not in TIERS or second_tier not in TIERS:
            return None
        if abs(TIERS.index(first_tier) - TIERS.index(second_tier)) <= most:
            return None
        return cls(first, first_tier, second, second_tier, most)

    def message(self, locale: str = "en") -> str:
        title = 1 if locale.startswith("zh") else 0
        first_tier, second_tier = (TIER_TITLES[t][title] for t in self.tiers)
        problem = translate(self.MESSAGE, locale, first=self.agents[0], second=self.agents[1],
                            first_tier=first_tier, second_tier=second_tier, most=self.most,
                            gap=self.gap)
        return translate(self.msgid, locale, field=self.params["field"], problem=problem)


def _shift_in_a_row(taken: ScheduleEntry, own: list[ScheduleEntry],
                    rules: RequestRules) -> ScheduleEntry | None:
    """The agent's own shift that `taken` would join without rest (same day, or too little rest
    between them), if any."""
    rest = timedelta(minutes=rules.min_rest_minutes)
    for entry in sorted(own, key=lambda e: e.start):
        if entry.date == taken.date:
            return entry
        if entry.start < taken.end + rest and taken.start < entry.end + rest:
            return entry
    return None


def _minutes(span: timedelta) -> int:
    """Whole minutes, rounded down: 59 minutes 59 seconds is still short of an hour."""
    return int(span.total_seconds() // 60)


class Refused(FloorwalkerError):
    """A request the rules refuse, with every reason (each names its field)."""

    http_status = 422

    def __init__(self, reasons: list[ValidationError]):
        self.reasons = reasons
        super().__init__(N_("the request is refused: {reasons}"), reasons="")

    def message(self, locale: str = "en") -> str:
        return translate(self.msgid, locale,
                         reasons="; ".join(r.message(locale) for r in self.reasons))
