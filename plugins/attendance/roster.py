"""Shift types, weekly patterns and the roster (排班) of a project, as stored records.

Where things live (all through the store, so every change is audited and closed months refuse):

* ``projects/<p>/attendance`` — ``shifts`` (a shift type, id = its code) and ``patterns`` (a
  team's repeating week, id = the team);
* ``projects/<p>/attendance/<YYYY-MM>`` — ``roster``: one entry per agent and work date,
  id ``<agent>:<date>``, with the shift code or None for a rest day, the team, and the swap that
  gave the shift (if any). A night shift belongs to the date it starts.

A pattern does nothing by itself: `apply_pattern` writes it into the roster of a date range,
leaving entries people set by hand alone unless asked. The roster is what every rule reads.

Continuous work is at most 8 hours (`continuous_limit_minutes`, plus a project's tolerance, by
default none): `shift_warnings` names the shift types longer than that, `roster_warnings` the
rostered days that break it, alone or run straight on from the day before (a night shift ending
at 06:00 and a shift starting at 06:00). They warn; the roster is still saved.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from dataclasses import asdict

from floorwalker.core import N_, PeriodClosed, ValidationError, validate

from .config import NAME
from .days import Shift
from .requests import ScheduleEntry

SHIFTS, PATTERNS, ROSTER = "shifts", "patterns", "roster"
WEEKDAYS = 7
CONTINUOUS = N_("continuous work")  # the field the continuous-work warnings name


def plugin_key(fw, project: str) -> str:
    return fw.store.plugin_key(project, NAME)


def month_key(fw, project: str, month: str) -> str:
    return fw.store.period_key(project, NAME, month)


def stored_months(fw, project: str) -> list[str]:
    """The months that have an attendance file, oldest first."""
    prefix = plugin_key(fw, project) + "/"
    return sorted(k[len(prefix):] for k in fw.store.keys(plugin_key(fw, project))
                  if k.startswith(prefix))


def locate(fw, project: str, table: str, doc_id: str) -> tuple[str, dict] | None:
    """The month file and the document *doc_id* of *table* (leave, a swap, a punch …), newest
    month first, or None."""
    for month in reversed(stored_months(fw, project)):
        key = month_key(fw, project, month)
        doc = fw.store.table(key, table).get(doc_id)
        if doc is not None:
            return key, doc
    return None


def months_of(first: dt.date, last: dt.date) -> list[str]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day.isoformat()[:7])
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def month_dates(month: str) -> list[dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return dates(first, last)


# ------------------------------------------------------------------ shift types


def _clock(value, field: str) -> str:
    try:
        return dt.time.fromisoformat(str(value).strip()).strftime("%H:%M")
    except ValueError:
        raise ValidationError(field, N_("expected a time as HH:MM, got {value!r}"),
                              value=value) from None


def _minutes(value, field: str) -> int:
    try:
        number = int(str(value).strip() or 0)
    except ValueError:
        raise ValidationError(field, N_("expected a whole number of minutes, got {value!r}"),
                              value=value) from None
    if number < 0:
        raise ValidationError(field, N_("must be 0 minutes or more, got {value}"), value=number)
    return number


def shift_doc(code: str, name: str, start, end, *, job_type: str = "voice", late_grace=0,
              early_grace=0, punch_before=120, punch_after=120, break_minutes=0) -> dict:
    """A checked shift type document; start and end as HH:MM (end ≤ start crosses midnight)."""
    code = str(code or "").strip()
    if not code or len(code) > 12 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationError(N_("code"), N_("use 1–12 letters, digits, '-' or '_', got {value!r}"),
                              value=code)
    name = validate.text(name, N_("name"), validate.NAME_LIMIT, required=True)
    doc = {"id": code, "code": code, "name": name, "start": _clock(start, N_("start")),
           "end": _clock(end, N_("end")),
           "job_type": validate.text(job_type, N_("job type"), validate.NAME_LIMIT) or "voice",
           "late_grace": _minutes(late_grace, N_("late grace")),
           "early_grace": _minutes(early_grace, N_("early grace")),
           "punch_before": _minutes(punch_before, N_("punch window before the start")),
           "punch_after": _minutes(punch_after, N_("punch window after the end")),
           "break_minutes": _minutes(break_minutes, N_("break"))}
    shift_of(doc)  # the rules' own checks
    return doc


def shift_of(doc: dict) -> Shift:
    return Shift(doc["code"], doc["name"], dt.time.fromisoformat(doc["start"]),
                 dt.time.fromisoformat(doc["end"]), doc["job_type"], doc["late_grace"],
                 doc["early_grace"], doc["punch_before"], doc["punch_after"],
                 doc.get("break_minutes", 0))


def shifts(fw, project: str) -> dict[str, Shift]:
    """The project's shift types by code, ordered by start time."""
    found = fw.store.table(plugin_key(fw, project), SHIFTS).values()
    return {d["code"]: shift_of(d) for d in sorted(found, key=lambda d: (d["start"], d["code"]))}


def shift_docs(fw, project: str) -> list[dict]:
    return sorted(fw.store.table(plugin_key(fw, project), SHIFTS).values(),
                  key=lambda d: (d["start"], d["code"]))


def save_shift(fw, project: str, doc: dict, actor: str) -> dict:
    """Add a shift type or change one (the roster refers to it by code)."""
    with fw.store.transaction(plugin_key(fw, project), actor, "attendance.shift") as tx:
        if tx.get(SHIFTS, doc["id"]) is None:
            return tx.insert(SHIFTS, doc)
        return tx.update(SHIFTS, doc["id"], doc)


def require_shift(fw, project: str, code: str, field: str = N_("shift"), row: int | None = None) -> Shift:
    found = shifts(fw, project).get(str(code).strip())
    if found is None:
        raise ValidationError(field, N_("no shift type {code!r}"), row=row, code=code)
    return found


# ------------------------------------------------------------------ weekly patterns


def pattern(fw, project: str, team: str) -> list[str | None] | None:
    doc = fw.store.table(plugin_key(fw, project), PATTERNS).get(team)
    return doc["days"] if doc else None


def set_pattern(fw, project: str, team: str, days: list, actor: str) -> dict:
    """Set *team*'s repeating week: seven shift codes (Monday first), None or "" for rest."""
    fw.teams.get(project, team)
    if len(days) != WEEKDAYS:
        raise ValidationError(N_("pattern"), N_("a week has 7 days, got {count}"), count=len(days))
    known = shifts(fw, project)
    clean = []
    for code in days:
        code = (code or "").strip() or None
        if code is not None and code not in known:
            raise ValidationError(N_("pattern"), N_("no shift type {code!r}"), code=code)
        clean.append(code)
    doc = {"id": team, "team": team, "days": clean}
    with fw.store.transaction(plugin_key(fw, project), actor, "attendance.pattern") as tx:
        if tx.get(PATTERNS, team) is None:
            return tx.insert(PATTERNS, doc)
        return tx.update(PATTERNS, team, doc)


# ------------------------------------------------------------------ the roster


def entry_id(agent: str, day: str) -> str:
    return f"{agent}:{day}"


def roster(fw, project: str, month: str) -> dict[str, dict]:
    """The month's roster entries by id (``<agent>:<date>``)."""
    return fw.store.table(month_key(fw, project, month), ROSTER)


def roster_between(fw, project: str, first: dt.date, last: dt.date,
                   agents: set[str] | None = None) -> dict[str, dict]:
    """The roster entries from *first* to *last* by id, of *agents* only if given (read through
    the file's index by agent, so one agent's month does not scan the whole floor's)."""
    low, high = first.isoformat(), last.isoformat()
    found = {}
    for month in months_of(first, last):
        if agents is None:
            entries = roster(fw, project, month).values()
        else:
            by_agent = fw.store.read(month_key(fw, project, month)).index(ROSTER, "agent")
            entries = [e for agent in agents for e in by_agent.get(agent, ())]
        found.update({e["id"]: e for e in entries if low <= e["date"] <= high})
    return found


def entry(fw, project: str, agent: str, day: str) -> dict | None:
    return roster(fw, project, day[:7]).get(entry_id(agent, day))


def set_entries(fw, project: str, cells: list[tuple[str, str, str | None]], actor: str, *,
                source: str = "edit", action: str = "attendance.roster") -> int:
    """Write roster cells (agent, date, shift code or None for rest), all or none: every cell
    is checked first (agent in the project that day, shift known, not a swapped entry)."""
    known = shifts(fw, project)
    by_month: dict[str, list[dict]] = {}
    held: dict[str, list[dict]] = {}  # each agent's assignments, read once
    for agent, day, code in cells:
        day = dt.date.fromisoformat(day).isoformat()
        if agent not in held:
            fw.agents.get(agent)
            held[agent] = fw.agents.assignments(agent)
        assignment = next((a for a in held[agent] if a["start"] <= day
                           and (a["end"] is None or day <= a["end"])), None)
        if assignment is None or assignment["project"] != project:
            raise ValidationError(N_("agent"), N_("agent {number} is not in project {project} on {date}"),
                                  number=agent, project=project, date=day)
        if code is not None and code not in known:
            raise ValidationError(N_("shift"), N_("no shift type {code!r}"), code=code)
        by_month.setdefault(day[:7], []).append(
            {"id": entry_id(agent, day), "agent": agent, "date": day, "shift": code,
             "team": assignment["team"], "swap": None, "source": source})
    closed = fw.store.closed_months(project)
    for month in by_month:
        if month in closed:
            raise PeriodClosed(project, month)
    written = 0
    with ExitStack() as stack:  # every month file locked and checked before any commits
        for month, docs in sorted(by_month.items()):
            tx = stack.enter_context(fw.store.transaction(month_key(fw, project, month), actor, action))
            current = tx.docs(ROSTER)
            for doc in docs:
                old = current.get(doc["id"])
                if old is not None and old.get("swap"):
                    raise ValidationError(N_("shift"), N_(
                        "{agent}'s shift of {day} was set by an approved swap; cancel the swap "
                        "instead"), agent=doc["agent"], day=doc["date"])
                if old is None:
                    tx.insert(ROSTER, doc)
                    written += 1
                elif (old["shift"], old["team"]) != (doc["shift"], doc["team"]):
                    tx.update(ROSTER, doc["id"], doc)
                    written += 1
    return written


def apply_pattern(fw, project: str, team: str, first: str, last: str, actor: str, *,
                  overwrite: bool = False, only: str | None = None) -> int:
    """Fill the roster of *team*'s agents (or of the agent *only*) from *first* to *last* with the
    team's weekly pattern. Entries already set (by hand, an import or a swap) stay unless
    *overwrite*; swaps always stay."""
    cells = pattern_cells(fw, project, team, first, last, overwrite=overwrite,
                          only=None if only is None else {only})
    return set_entries(fw, project, cells, actor, source="pattern", action="attendance.pattern")


def pattern_cells(fw, project: str, team: str, first: str, last: str, *, overwrite: bool = False,
                  only: set[str] | None = None) -> list[tuple[str, str, str | None]]:
    """The roster cells `apply_pattern` writes, for the agents *only* if given: several teams'
    cells can then go into one `set_entries` (an import of new agents is one commit)."""
    week = pattern(fw, project, team)
    if week is None:
        raise ValidationError(N_("pattern"), N_("team {team} has no weekly pattern yet"), team=team)
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    existing = roster_between(fw, project, start, end)
    cells = []
    for agent, _ in fw.agents.in_project(project, first, last):
        if only is not None and agent["number"] not in only:
            continue
        for day in dates(start, end):
            key = entry_id(agent["number"], day.isoformat())
            current = existing.get(key)
            if current is not None and (current.get("swap") or not overwrite):
                continue
            assignment = fw.agents.assignment_on(agent["number"], day.isoformat())
            if assignment is None or assignment["project"] != project or assignment["team"] != team:
                continue
            cells.append((agent["number"], day.isoformat(), week[day.weekday()]))
    return cells


def drop_from(fw, project: str, agent: str, first: str, actor: str) -> int:
    """Remove *agent*'s roster entries from *first* on (a leaver, or a move out of the project)."""
    removed = 0
    for month in (m for m in stored_months(fw, project) if m >= first[:7]):
        if month in fw.store.closed_months(project):
            continue
        with fw.store.transaction(month_key(fw, project, month), actor, "attendance.drop") as tx:
            for doc in list(tx.docs(ROSTER).values()):
                if doc["agent"] == agent and doc["date"] >= first:
                    tx.remove(ROSTER, doc["id"])
                    removed += 1
    return removed


# ------------------------------------------------------------------ continuous work


def continuous_minutes(shift: Shift) -> int:
    """The minutes a shift is continuous work: its length less its meal break."""
    start, end = shift.span(dt.date(2000, 1, 3))
    return int((end - start).total_seconds() // 60) - shift.break_minutes


def hours_text(minutes: int) -> str:
    """Minutes as hours the way people say them: 9, 8.5, 10.25."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def continuous_limit(fw, project) -> tuple[int, int]:
    """The project's (limit, tolerance) of continuous work, in minutes."""
    settings = fw.projects.settings(project, NAME)
    return settings["continuous_limit_minutes"], settings["overtime_tolerance_minutes"]


def _too_long(minutes: int, limit: tuple[int, int]) -> bool:
    return minutes > limit[0] + limit[1]


def shift_warning(shift: Shift, limit: tuple[int, int]) -> ValidationError | None:
    """Why the shift type itself breaks the continuous-work limit, or None."""
    minutes = continuous_minutes(shift)
    if not _too_long(minutes, limit):
        return None
    return ValidationError(CONTINUOUS, N_("the {shift} shift is {hours} hours of continuous work, "
                                          "over the limit of {limit} hours"),
                           shift=shift.code, hours=hours_text(minutes), limit=hours_text(limit[0]))


def shift_warnings(fw, project: str) -> dict[str, ValidationError]:
    """The project's shift types that break the continuous-work limit, by code."""
    limit = continuous_limit(fw, project)
    found = {code: shift_warning(shift, limit) for code, shift in shifts(fw, project).items()}
    return {code: warning for code, warning in found.items() if warning is not None}


def continuous_warnings(entries, known: dict[str, Shift],
                        limit: tuple[int, int]) -> dict[str, ValidationError]:
    """The roster *entries* (by id) that break the continuous-work limit: a shift longer than
    it, or shifts of one agent each starting no later than the one before ends (run straight
    on) that together, less their breaks, are longer than it."""
    runs: dict[str, list[list]] = {}
    for doc in sorted(entries, key=lambda e: (e["agent"], e["date"])):
        shift = known.get(doc["shift"]) if doc["shift"] else None
        if shift is None:
            continue
        start, end = shift.span(dt.date.fromisoformat(doc["date"]))
        agent_runs = runs.setdefault(doc["agent"], [])
        if agent_runs and start <= agent_runs[-1][-1][2]:
            agent_runs[-1].append((doc, start, max(end, agent_runs[-1][-1][2]), shift))
        else:
            agent_runs.append([(doc, start, end, shift)])
    found = {}
    for run in (r for agent_runs in runs.values() for r in agent_runs):
        minutes = int((run[-1][2] - run[0][1]).total_seconds() // 60) - sum(
            shift.break_minutes for *_, shift in run)
        if len(run) == 1:
            warning = shift_warning(run[0][3], limit)
            if warning is not None:
                found[run[0][0]["id"]] = warning
            continue
        if not _too_long(minutes, limit):
            continue
        for n, (doc, *_) in enumerate(run):
            other = run[n - 1 if n else 1][0]
            found[doc["id"]] = ValidationError(CONTINUOUS, N_(
                "{agent}'s {shift} shift of {day} runs straight on with the {other} shift of "
                "{other_day}: {hours} hours of continuous work, over the limit of {limit} hours"),
                agent=doc["agent"], shift=doc["shift"], day=doc["date"], other=other["shift"],
                other_day=other["date"], hours=hours_text(minutes), limit=hours_text(limit[0]))
    return found


def roster_warnings(fw, project: str, first: dt.date, last: dt.date,
                    agents: set[str] | None = None) -> dict[str, ValidationError]:
    """The rostered days from *first* to *last* that break the continuous-work limit, by entry
    id (a day's neighbours outside the range are read too)."""
    entries = roster_between(fw, project, first - dt.timedelta(days=1), last + dt.timedelta(days=1),
                             agents).values()
    found = continuous_warnings(entries, shifts(fw, project), continuous_limit(fw, project))
    low, high = first.isoformat(), last.isoformat()
    return {key: w for key, w in found.items() if low <= key.rsplit(":", 1)[1] <= high}


def schedule_entry(entry_doc: dict, known: dict[str, Shift]) -> ScheduleEntry | None:
    """The roster entry as the swap rules see it (None for a rest day)."""
    code = entry_doc["shift"]
    if code is None or code not in known:
        return None
    shift = known[code]
    day = dt.date.fromisoformat(entry_doc["date"])
    start, end = shift.span(day)
    return ScheduleEntry(entry_doc["agent"], day, code, start, end, shift.job_type,
                         swapped=bool(entry_doc.get("swap")))


def shift_as_dict(shift: Shift) -> dict:
    doc = asdict(shift)
    doc["start"], doc["end"] = shift.start.strftime("%H:%M"), shift.end.strftime("%H:%M")
    return doc
