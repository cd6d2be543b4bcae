"""The month's attendance sheet (考勤表): every rostered agent-day derived, the score events it
causes settled into the ledger, excuses, punch exceptions and the marks leaders record.

Derivation is pure (`days.derive_day`) and is done again whenever it is asked for: the roster,
the punches and the approved leave are the record, the day is what they amount to. Settling
(`settle`) makes the ledger agree with the days: each day's events point at it
(``attendance:day:<agent>:<date>``), and when a day changes — a punch corrected, leave approved
late, an excuse accepted — its old events are reversed and the new ones written, so the agent's
month page shows the reversal. The ledger itself is what settling compares against, so a settle
interrupted half-way is finished by the next one, never doubled.

People's annotations of a day live in ``days`` (id ``<agent>:<date>``): an excuse asked and its
decision, and a punch exception marked resolved. Leaders' marks — away from the seat, a covered
shift, a missing handover log — live in ``marks``, each with the event it caused.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from weakref import WeakKeyDictionary

from floorwalker.core import Conflict, N_, PermissionDenied, ValidationError, new_id, now_iso, validate

from . import evidence as evidence_words
from . import relief
from . import roster as rosters
from .config import NAME, day_settings
from .days import day_at, due_span, score_for, whole_minutes
from .leave import MANAGER_ROLES, approved_spans, days_of, requests_between
from .punches import agent_punches

DAYS, MARKS = "days", "marks"
DERIVATIONS_KEPT = 16
_KEPT: WeakKeyDictionary = WeakKeyDictionary()  # store -> the last derivations (see `derive`)
SOURCE = NAME
DERIVED_RULES = ("absent", "late_or_early")  # what a day's punches score (`days.score_for`)
# Leaving before relief is leaving the shift before it is handed over: recorded as leaving
# early (迟到早退), its points the late band of the minutes the seat stood empty.
MARK_RULES = {"away": "away_over_5min", "cover": "covered_shift", "handover": "handover_log_missing",
              "relief": "late_or_early"}
MARK_TITLES = {"away": N_("Away from the seat"), "cover": N_("Covered a shift"),
               "handover": N_("Handover log missing"), "relief": N_("Left before relief")}
EXCUSED = evidence_words.EXCUSED
# an accepted excuse is quoted in the reason of the events it reverses, which holds a note
EXCUSE_LIMIT = validate.NOTE_LIMIT - len(EXCUSED)


def evidence(agent: str, day: str) -> str:
    return f"{SOURCE}:day:{agent}:{day}"


def annotations(fw, project: str, month: str) -> dict[str, dict]:
    return fw.store.table(rosters.month_key(fw, project, month), DAYS)


# ------------------------------------------------------------------ deriving


def derive(fw, project: dict, first: dt.date, last: dt.date, now: dt.datetime | None = None,
           agents: set[str] | None = None) -> list[dict]:
    """Every rostered agent-day from *first* to *last* as a row for pages, figures and settling.

    Each row's ``state`` is the day at *now* (`days.day_at`), the one status every page shows:
    in, late, not in yet, absent, on leave, rest. A shift whose punch window has not closed yet
    has the status "scheduled" (nothing is concluded, settled or counted in the figures about
    it), and its state, check-in, lateness and ``overdue`` minutes as the punches so far say.

    The rows are a pure function of the files read and of *now* (to the minute: punch windows
    end on whole minutes), so the last few results are kept, keyed by those files' generations:
    a dashboard asks for the month twice (KPIs, widget), the home page once per project. Each
    caller gets its own copy of the rows."""
    now = now or fw.projects.now(project).replace(second=0)
    memo = _memo_key(fw, project["slug"], first, last, now, agents)
    kept = _KEPT.setdefault(fw.store, OrderedDict())
    if memo not in kept:
        kept[memo] = _derive(fw, project, first, last, now, agents)
        while len(kept) > DERIVATIONS_KEPT:
            kept.popitem(last=False)
    kept.move_to_end(memo)
    return [dict(row) for row in kept[memo]]


def _memo_key(fw, slug: str, first: dt.date, last: dt.date, now: dt.datetime,
              agents: set[str] | None) -> tuple:
    """What a derivation reads: the attendance files of the months around, the plugin's file
    (shift types) and core.json (the project's settings), each by generation and stat."""
    keys = [rosters.month_key(fw, slug, m) for m in rosters.months_of(
        first.replace(day=1) - dt.timedelta(days=1), last + dt.timedelta(days=1))]
    files = tuple((k, shard.generation, shard.stat) for k in (*keys, rosters.plugin_key(fw, slug), "core")
                  for shard in (fw.store.read(k),))
    return slug, first, last, now, frozenset(agents) if agents is not None else None, files


def _derive(fw, project: dict, first: dt.date, last: dt.date, now: dt.datetime,
            agents: set[str] | None) -> list[dict]:
    slug = project["slug"]
    settings = day_settings(fw.projects.settings(slug, NAME))  # as core.json says now (see the key)
    known = rosters.shifts(fw, slug)
    entries = rosters.roster_between(fw, slug, first, last, agents).values()
    asked = requests_between(fw, slug, first, last + dt.timedelta(days=1))
    leave = approved_spans(fw, slug, first, last, asked)
    kinds = {(r["agent"], r["start"]): r["kind"] for r in asked if r["status"] == "approved"}
    notes: dict[str, dict] = {}
    for month in rosters.months_of(first, last):
        notes.update(annotations(fw, slug, month))
    punches_of: dict[str, dict[str, list[dt.datetime]]] = {}  # agent -> punch date -> times
    rows = []
    for entry in sorted(entries, key=lambda e: (e["date"], e["agent"])):
        day = dt.date.fromisoformat(entry["date"])
        shift = known.get(entry["shift"]) if entry["shift"] else None
        row = {"agent": entry["agent"], "date": entry["date"], "team": entry["team"],
               "shift": entry["shift"], "swap": entry.get("swap"), "leave_kind": None,
               "note": notes.get(entry["id"], {}), "scheduled_minutes": 0}
        if shift is None:
            rows.append({**row, "status": "rest", "state": "rest"})
            continue
        start, end = shift.span(day)
        if entry["agent"] not in punches_of:
            punches_of[entry["agent"]] = by_day = {}
            for p in agent_punches(fw, slug, entry["agent"], first - dt.timedelta(days=1),
                                   last + dt.timedelta(days=1)):
                if not p["void"]:
                    by_day.setdefault(p["date"], []).append(dt.datetime.fromisoformat(p["at"]))
        window_first, window_last = shift.punch_window(day)
        near = [p for d in rosters.dates(window_first.date(), window_last.date())
                for p in punches_of[entry["agent"]].get(d.isoformat(), ())]
        spans = sorted((s for s in leave.get(entry["agent"], ()) if s.start < end and start < s.end),
                       key=lambda s: s.start)
        if spans:
            row["leave_kind"] = kinds.get((entry["agent"], spans[0].start.isoformat()))
        at = day_at(day, shift, near, spans, settings, now)
        agent_day = at.day
        if not at.concluded:  # the day so far, by the same rules; nothing is settled about it yet
            rows.append({**row, "status": "scheduled", "state": at.state, "start": start, "end": end,
                         "check_in": agent_day.check_in, "check_out": agent_day.check_out,
                         "late": agent_day.late_minutes, "overdue": at.overdue_minutes})
            continue
        due_start, due_end = due_span(start, end, spans)
        rows.append({**row, "status": agent_day.status, "state": at.state, "start": start, "end": end,
                     "check_in": agent_day.check_in, "check_out": agent_day.check_out,
                     "missing_punch": agent_day.missing_punch, "late": agent_day.late_minutes,
                     "early": agent_day.early_minutes, "worked": agent_day.worked_minutes,
                     "adhered": _on_schedule(agent_day, due_start, due_end),
                     "over_limit": agent_day.over_continuous_limit,
                     "missed_roll_call": agent_day.missed_roll_call,
                     "disciplinary": agent_day.disciplinary,
                     "scheduled_minutes": 0 if agent_day.status == "on_leave"
                     else max(0, whole_minutes(due_end - due_start)),
                     "day": agent_day})
    relief.mark(fw, slug, rows, leave)  # who left before being relieved (`left_before_relief`)
    return rows


def floor_rows(fw, project: dict, now: dt.datetime | None = None,
               agents: set[str] | None = None) -> list[dict]:
    """The floor at *now* (the project's clock): today's agent-days and yesterday's shifts still
    running (a night shift that started yesterday), of *agents* if given, as the floor page and
    the dashboard count them."""
    now = (now or fw.projects.now(project)).replace(second=0, microsecond=0)
    today = now.date()
    return [r for r in derive(fw, project, today - dt.timedelta(days=1), today, now, agents)
            if r["date"] == today.isoformat() or (r["status"] == "scheduled" and r["end"] > now)]


def month_rows(fw, project: dict, month: str, now: dt.datetime | None = None,
               agents: set[str] | None = None) -> list[dict]:
    dates = rosters.month_dates(month)
    return derive(fw, project, dates[0], dates[-1], now, agents)


def wanted_events(row: dict, settings: dict, rules: dict | None = None) -> list[tuple[str, int]]:
    """The (rule, points) a derived day should have in the ledger: none for an excused day.

    *rules* (code → the project's effective `ScoreRule`) bound the points: the core's
    ``rule_points`` is the one place a project changes what a rule costs (an absence of −15, late
    at most −4), so the day's points are held inside the range the ledger will accept."""
    if "day" not in row or row["note"].get("excuse", {}).get("status") == "accepted":
        return []
    found = score_for(row["day"], day_settings(settings))
    if rules is None:
        return found
    return [(code, min(max(points, rules[code].min_points), rules[code].max_points))
            for code, points in found]


# ------------------------------------------------------------------ settling into the ledger


def settle(fw, project: dict, month: str, actor: str, now: dt.datetime | None = None,
           agents: set[str] | None = None) -> dict:
    """Make the ledger agree with the month's derived days; returns what changed.

    The month's days are the whole truth about its ``attendance:day:`` evidence (of *agents*,
    if given): the ledger writes what a day lacks and reverses what it no longer wants,
    including the events of a day no longer rostered, in one commit. A day whose event a
    person cancelled (a reversal request approved) is left as they decided."""
    slug = project["slug"]
    if month in fw.store.closed_months(slug):
        return {"written": 0, "reversed": 0}
    settings = fw.projects.settings(project, NAME)
    rules = {code: fw.ledger.rule(code, project) for code in DERIVED_RULES}
    wanted, reasons = {}, {}
    for row in month_rows(fw, project, month, now, agents):
        if row["status"] == "scheduled":
            continue
        key = evidence(row["agent"], row["date"])
        reasons[key] = _why(row)
        wanted[key] = [(code, points, row["date"], row["agent"], reasons[key])
                       for code, points in wanted_events(row, settings, rules)]
    done = fw.ledger.settle(slug, SOURCE, wanted, actor, month=month, kind="day", agents=agents,
                            reasons=reasons, reason=evidence_words.STORED["unrostered"])
    return {"written": len(done.written), "reversed": len(done.reversed)}


def _why(row: dict) -> str:
    """The reason an attendance event carries: stored as plain English facts, which the pages
    read back into the reader's language (`evidence.reason`)."""
    return evidence_words.why(row)


def settle_months(fw, project: dict, months, actor: str) -> dict:
    """Settle the past days of *months* (an import of punches or of a roster touched them), as a
    manual punch settles its days; a month not yet begun has nothing to settle."""
    this_month = fw.projects.today(project).isoformat()[:7]
    total = {"written": 0, "reversed": 0}
    for month in sorted(set(months)):
        if month <= this_month:
            done = settle(fw, project, month, actor)
            total = {k: total[k] + done[k] for k in total}
    return total


def settle_days(fw, project: dict, agent: str, first: str, last: str, actor: str) -> dict:
    """Settle the months of one agent's days (after a correction, a decision or an excuse)."""
    total = {"written": 0, "reversed": 0}
    for month in rosters.months_of(dt.date.fromisoformat(first), dt.date.fromisoformat(last)):
        done = settle(fw, project, month, actor, agents={agent})
        total = {k: total[k] + done[k] for k in total}
    return total


# ------------------------------------------------------------------ excuses and exceptions


def _annotate(fw, project: str, agent: str, day: str, actor: str, action: str, change: dict) -> dict:
    key = rosters.month_key(fw, project, day[:7])
    doc_id = rosters.entry_id(agent, day)
    with fw.store.transaction(key, actor, action) as tx:
        current = tx.get(DAYS, doc_id)
        if current is None:
            return tx.insert(DAYS, {"id": doc_id, "agent": agent, "date": day, **change})
        return tx.update(DAYS, doc_id, change)


def ask_excuse(fw, project: dict, agent: str, day: str, reason: str, proof: str, user: dict) -> dict:
    """Ask that a late, early or absent day be excused (a late train, with proof)."""
    reason = validate.text(reason, N_("reason"), EXCUSE_LIMIT)
    proof = validate.text(proof, N_("proof"))
    if not reason:
        raise ValidationError(N_("reason"), N_("say what happened"))
    if user.get("agent") and user["agent"] != agent and "agent" in (user.get("roles") or ()):
        raise PermissionDenied(N_("an agent asks to excuse their own days only"))
    rows = derive(fw, project, dt.date.fromisoformat(day), dt.date.fromisoformat(day), agents={agent})
    if not rows or not wanted_events({**rows[0], "note": {}}, fw.projects.settings(project, NAME)):
        raise ValidationError(N_("date"), N_("{agent} has nothing to excuse on {day}"), agent=agent, day=day)
    return _annotate(fw, project["slug"], agent, day, user["username"], "attendance.excuse.ask",
                     {"excuse": {"status": "pending", "reason": reason, "proof": proof,
                                 "asked_by": user["username"], "asked_at": now_iso(),
                                 "decided_by": None, "decision": ""}})


def decide_excuse(fw, project: dict, agent: str, day: str, approve: bool, user: dict,
                  decision: str = "") -> dict:
    """A supervisor accepts the excuse (the day's events are reversed) or rejects it (reason)."""
    if not set(user.get("roles") or ()) & MANAGER_ROLES:
        raise PermissionDenied(N_("a supervisor decides excuses"))
    note = annotations(fw, project["slug"], day[:7]).get(rosters.entry_id(agent, day), {})
    excuse = note.get("excuse")
    if not excuse or excuse["status"] != "pending":
        raise Conflict(N_("there is no excuse waiting for {agent} on {day}"), agent=agent, day=day)
    decision = validate.text(decision, N_("reason"))
    if not approve and not decision:
        raise ValidationError(N_("reason"), N_("say why the excuse is rejected"))
    doc = _annotate(fw, project["slug"], agent, day, user["username"], "attendance.excuse.decide",
                    {"excuse": {**excuse, "status": "accepted" if approve else "rejected",
                                "decided_by": user["username"], "decision": decision}})
    settle_days(fw, project, agent, day, day, user["username"])
    return doc


def resolve_exception(fw, project: dict, agent: str, day: str, note: str, user: dict) -> dict:
    """Accept a day with a missing punch as it is (the leader checked: the agent was there)."""
    note = validate.text(note, N_("note"))
    if not note:
        raise ValidationError(N_("note"), N_("say how the exception was resolved"))
    return _annotate(fw, project["slug"], agent, day, user["username"], "attendance.exception",
                     {"resolved": {"by": user["username"], "note": note, "at": now_iso()}})


def exceptions(rows: list[dict]) -> list[dict]:
    """Days with one punch missing that nobody has resolved yet."""
    return [r for r in rows if r.get("missing_punch") and not r["note"].get("resolved")]


def pending_excuses(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["note"].get("excuse", {}).get("status") == "pending"]


# ------------------------------------------------------------------ leaders' marks


def record_mark(fw, project: dict, agent: str, day: str, kind: str, user: dict, note: str,
                minutes: int | None = None) -> dict:
    """Record what a leader saw: away from the seat (minutes, over 5), a shift covered when
    short-staffed, a handover log not filled, leaving before relief (a day flagged
    ``left_before_relief``, once; the minutes the seat stood empty are worked out). Each writes
    its score event, pointing back here."""
    if kind not in MARK_RULES:
        raise ValidationError(N_("kind"), N_("must be one of {choices}"), choices=", ".join(MARK_RULES))
    note = validate.text(note, N_("note"), required=True)
    settings = fw.projects.settings(project, NAME)
    if kind == "away":
        if isinstance(minutes, str):
            minutes = int(minutes) if minutes.strip().isdigit() else None
        if not isinstance(minutes, int) or minutes <= 5:
            raise ValidationError(N_("minutes"), N_("away counts from 6 minutes; got {value!r}"),
                                  value=minutes)
    points = None
    if kind == "relief":
        minutes, points = _unrelieved(fw, project, agent, day, settings)
    elif kind != "away":
        minutes = None  # only time away is counted in minutes
    mark_id = new_id()
    event = fw.ledger.prepare(project, agent, MARK_RULES[kind], day, user["username"], source=SOURCE,
                              evidence=f"{SOURCE}:mark:{mark_id}", reason=note, points=points)
    doc = {"id": mark_id, "agent": agent, "date": event["date"], "kind": kind, "minutes": minutes,
           "note": note, "by": user["username"], "event": event["id"], "created_at": now_iso(),
           "disciplinary": minutes is not None and kind in ("away", "relief")
           and minutes >= settings["away_disciplinary_minutes"]}
    with fw.store.transaction(rosters.month_key(fw, project["slug"], event["date"][:7]),
                              user["username"], "attendance.mark") as tx:
        tx.insert(MARKS, doc)
    fw.ledger.write([event], user["username"], "attendance.mark")
    return doc


def _unrelieved(fw, project: dict, agent: str, day: str, settings: dict) -> tuple[int | None, int | None]:
    """The minutes the seat stood empty after *agent* left on *day* before relief (None: the
    reliever never punched in) and the points (the late band of those minutes, within the
    rule's range; None: the rule's own); refused unless the day is flagged and not yet recorded."""
    date = validate.date(day)
    rows = derive(fw, project, dt.date.fromisoformat(date), dt.date.fromisoformat(date), agents={agent})
    if not rows or not rows[0].get("left_before_relief"):
        raise ValidationError(N_("date"), N_("{agent} did not leave before relief on {day}"),
                              agent=agent, day=date)
    if any(m["agent"] == agent and m["date"] == date and m["kind"] == "relief"
           for m in marks(fw, project["slug"], date[:7])):
        raise Conflict(N_("{agent}'s leaving before relief on {day} is already recorded"),
                       agent=agent, day=date)
    relieved = rows[0]["relief"]["check_in"]
    if relieved is None:
        return None, None
    minutes = whole_minutes(relieved - rows[0]["check_out"])
    rule = fw.ledger.rule(MARK_RULES["relief"], project)
    band = day_settings(settings).band_points(minutes) or rule.points
    return minutes, min(max(band, rule.min_points), rule.max_points)


def marks(fw, project: str, month: str) -> list[dict]:
    return sorted(fw.store.table(rosters.month_key(fw, project, month), MARKS).values(),
                  key=lambda m: (m["date"], m["id"]))


# ------------------------------------------------------------------ figures


def _on_schedule(day, due_start: dt.datetime, due_end: dt.datetime) -> int:
    """Minutes at work inside the time due: roll-call before it and staying on after it are
    work, but not adherence to the schedule."""
    if day.check_in is None or day.check_out is None:
        return 0
    return max(0, whole_minutes(min(day.check_out, due_end) - max(day.check_in, due_start)))


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def figures(rows: list[dict]) -> dict:
    """Attendance rate, punctuality, absences and schedule adherence of *rows* (concluded days).

    attendance rate = present ÷ days due (rostered, not on leave); punctuality = present days
    neither late nor early ÷ present days; adherence = minutes at work within the time due ÷
    minutes due (so it never passes 100 %)."""
    due = [r for r in rows if r["status"] in ("present", "absent")]
    present = [r for r in due if r["status"] == "present"]
    on_time = [r for r in present if not r["late"] and not r["early"]]
    worked = sum(r["worked"] for r in present)
    scheduled = sum(r["scheduled_minutes"] for r in due)
    adhered = sum(r.get("adhered", 0) for r in present)
    return {"due": len(due), "present": len(present), "absent": len(due) - len(present),
            "on_time": len(on_time), "adhered_minutes": adhered,
            "late": sum(1 for r in present if r["late"]), "early": sum(1 for r in present if r["early"]),
            "on_leave": sum(1 for r in rows if r["status"] == "on_leave"),
            "attendance_rate": _rate(len(present), len(due)), "punctuality": _rate(len(on_time), len(present)),
            "adherence": _rate(adhered, scheduled), "worked_minutes": worked, "scheduled_minutes": scheduled,
            "exceptions": len(exceptions(rows)), "disciplinary": sum(1 for r in present if r["disciplinary"])}


def figures_by(rows: list[dict], field: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[field], []).append(row)
    return {key: figures(group) for key, group in sorted(groups.items())}


def leave_days_by_kind(fw, project: str, month: str) -> dict[str, float]:
    """Approved leave in rostered days (each shift one day, whatever its length) by kind, counted
    in the month it starts."""
    totals: dict[str, float] = {}
    dates = rosters.month_dates(month)
    for r in requests_between(fw, project, dates[0], dates[-1]):
        if r["status"] == "approved" and r["date"][:7] == month:
            totals[r["kind"]] = round(totals.get(r["kind"], 0) + days_of(r), 2)
    return totals

