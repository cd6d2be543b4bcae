"""The complaint clocks (SLA), pure: which policy a complaint falls under, and where each of its
three targets stands at an instant.

A project keeps its SLA policies as ordered rows (the setting ``sla_policies``); the first row
whose severity, channel and category match the complaint (an empty cell matches anything) gives
its targets: first response and solution in business hours or days, closure in business days,
counted on the row's own business hours (``09:00-18:00`` on the holiday calendar with its 调休
days, or ``24x7``) in the project's time zone. A complaint no row matches has no clock.

Time spent is always counted from the moment the complaint was received, less the spans it was
paused (waiting on the customer or the client) and the spans it stood closed before a reopen, so
changing the severity, which may pick another row, keeps the time already spent: only the target
moves. A target is **met** when its step was done within it, **failed** when it was done late or
its due time passed — and a failed target stays failed (`Clock.failed_at` records it; nothing
later un-fails it) — **paused** while the complaint waits, else **running**. A running target
within the warning (default 2 business hours) of its due time is flagged for the queue's colour
and the "waiting for me" count; the states the command line prints are only the four.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from floorwalker.core import N_, BusinessHours, HolidayCalendar, ValidationError

TARGETS = ("first_response", "solution", "closure")
TARGET_TITLES = {"first_response": N_("First response"), "solution": N_("Solution"),
                 "closure": N_("Closure")}
# the step that meets each target: the complaint's field holding when it was done
DONE_FIELD = {"first_response": "first_response_at", "solution": "solved_at", "closure": "closed_at"}
STATES = {"met": N_("met"), "failed": N_("failed"), "running": N_("running"), "paused": N_("paused")}

# Presets. The CN call-centre clocks apply to complaints through official channels (the client's
# handling point 起点 and a regulator); everything else falls to the plain 24-hour row.
CN_OFFICIAL = [
    {"severity": "", "channel": channel, "category": "", "hours": "09:00-18:00",
     "first_response": 2, "first_response_unit": "hours", "solution": 3, "solution_unit": "days",
     "closure": 7}
    for channel in ("handling_point", "regulator")]
PLAIN_24 = [{"severity": "", "channel": "", "category": "", "hours": "24x7",
             "first_response": 24, "first_response_unit": "hours", "solution": 24,
             "solution_unit": "hours", "closure": 1}]
PRESETS = {"cn": CN_OFFICIAL + PLAIN_24, "plain24": PLAIN_24}


def check_policies(rows) -> None:
    """`Setting.check` of ``sla_policies``: every row's hours readable and targets positive."""
    if not isinstance(rows, list):
        raise ValidationError(N_("SLA policies"), N_("expected a list of rows"))
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise ValidationError(N_("SLA policies"), N_("expected a list of rows"))
        BusinessHours.parse(row.get("hours") or "09:00-18:00", HolidayCalendar())
        for target in TARGETS:
            try:
                value = float(row.get(target))
            except (TypeError, ValueError):
                value = 0
            if value <= 0:
                raise ValidationError(N_("SLA policies"), N_("row {n}: {target} must be more than 0"),
                                      n=n, target=TARGET_TITLES[target])


def match(policies: list[dict], severity: str, channel: str, category: str) -> dict | None:
    """The first policy row that fits (an empty cell fits anything), or None."""
    for row in policies:
        if all(not row.get(key) or row.get(key) == value
               for key, value in (("severity", severity), ("channel", channel), ("category", category))):
            return row
    return None


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Clock:
    """Where one target stands: its due time (None while paused with nothing left to count, or
    without a policy), its state, the business minutes used so far and whether it is close to
    breaching."""

    target: str
    due: datetime | None
    state: str
    minutes: int
    warning: bool = False
    failed_at: datetime | None = None


def paused_spans(complaint: dict, now: datetime) -> list[tuple[datetime, datetime]]:
    """The spans the clocks stood still: waiting on the customer or the client (an open one runs
    to *now*), and the time between a close and the reopen that followed it."""
    spans = [(_at(p["start"]), _at(p.get("end")) or now) for p in complaint.get("pauses") or ()]
    spans += [(_at(r["closed_at"]), _at(r["at"])) for r in complaint.get("reopens") or ()]
    return spans


def clocks(complaint: dict, policies: list[dict], hours_of, now: datetime,
           warn_hours: float = 2) -> list[Clock]:
    """The three targets of *complaint* at *now*. *hours_of(text)* gives the `BusinessHours` of
    a policy's hours (the project's calendar and zone); an empty list without a policy."""
    policy = match(policies, complaint.get("severity") or "general", complaint.get("channel") or "",
                   complaint.get("category") or "")
    if policy is None:
        return []
    hours: BusinessHours = hours_of(policy.get("hours") or "09:00-18:00")
    received = _at(complaint["received"])
    pauses = paused_spans(complaint, now)
    waiting = any(not p.get("end") for p in complaint.get("pauses") or ())
    breached = complaint.get("breached") or {}
    found = []
    ended = _at(complaint.get("closed_at")) if complaint.get("status") in ("closed", "archived") else None
    for target in TARGETS:
        amount = float(policy[target])
        unit = "days" if target == "closure" else policy.get(f"{target}_unit") or "hours"
        # a closed complaint's targets are all done (at the latest when it closed): none runs on
        done = _at(complaint.get(DONE_FIELD[target])) or ended
        failed_at = _at(breached.get(target))
        # a target done (or failed) keeps its due time: a pause after that moves nothing
        settled = done or failed_at
        spans = [(a, min(b, settled)) for a, b in pauses if a < settled] if settled else pauses
        due = hours.add(received, **{unit: amount}, paused=spans)
        until = done or now
        used = hours.between(received, until, spans)
        minutes = int(max(used, timedelta(0)).total_seconds() // 60)
        if failed_at is None and (done or now) > due:
            failed_at = due
        if failed_at is not None:
            state = "failed"
        elif done is not None:
            state = "met"
        elif waiting:
            state = "paused"
        else:
            state = "running"
        left = hours.between(now, due) if state == "running" else None
        found.append(Clock(target, due, state, minutes,
                           warning=left is not None and left <= timedelta(hours=warn_hours),
                           failed_at=failed_at))
    return found


def newly_failed(complaint: dict, found: list[Clock]) -> dict[str, str]:
    """The targets *found* failed that the complaint has not recorded as failed yet (target →
    when it failed), for the complaint to keep: a failed target stays failed."""
    known = complaint.get("breached") or {}
    return {c.target: c.failed_at.isoformat(sep=" ", timespec="seconds")
            for c in found if c.state == "failed" and c.target not in known}
