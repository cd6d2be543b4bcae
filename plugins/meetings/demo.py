"""Meetings demo data for ``floorwalker demo``: every demo month planned from the project's
cadence (`records.plan_month`, as ``floorwalker meetings plan`` does) and run up to the demo's
today, each step on the floor's clock of its moment.

What a visitor finds on every demo project:

* the handovers and morning briefings held and signed by a team leader (the handover's four
  headings filled or 无; the briefing's roll-call: present, or excused by the leave or rest day
  the platform knows) — one briefing of the second month missed, and yesterday's briefing with
  its minutes written but not signed yet (it waits on the dashboard and would block the close);
* the department meetings through the plugin's own functions: the weekly team meeting chaired
  by the supervisor with its action items, the QA analysis meeting, and each full month's
  all-agent meeting with its roll-call, minutes, decisions and the month's unified answer;
* at the all-agent meetings, one absence per full month without leave that scores
  ``missed_meeting`` −10 (source ``meetings``, evidence ``meetings:meeting:<id>``): the first
  month's is excused after the month closed (a +10 correction in the open month,
  `after_close`), the second's stands, the third's is excused after the minutes were signed
  (leave approved afterwards: the −10 reversed as a decision);
* action items done on time, one done late, one carried twice before it was done, and the last
  meeting's still open (overdue ones wait for their owner);
* unified answers every agent signed, the last full month's with three agents unsigned past its
  deadline, and yesterday's still being signed;
* the team leaders' monthly service-quality reports of each full month, one handed in late;
* the coaching sessions and the floor's questions, where the plugin's coaching part offers a
  demo (`coaching.demo`, `questions.demo`).

An absence that scores falls on an agent whose month stays at 65 or above and who is still on
the floor the month after, so the demo's one or two agents below 60 a month stay the floor's own.
Deterministic: one draw of the demo's *rng* seeds this module's own.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

from floorwalker.core import validate

from . import answers, attendance, items, records, reports
from . import demo_content as say
from .config import HANDOVER_HEADINGS, NAME

ROUTINE = ("handover", "briefing")
UNSIGNED = 3  # agents who have not signed the last full month's unified answer


@contextmanager
def clock(fw, at: dt.datetime):
    """The project's clock stands at *at* while a past moment of the demo is replayed."""
    before = vars(fw.projects).get("now")  # an outer moment, when one is replayed inside another
    fw.projects.now = lambda project: at
    try:
        yield
    finally:
        if before is None:
            del fw.projects.now
        else:
            fw.projects.now = before


def build(fw, project: dict, months: list[str], rng, actor: str, today: dt.date) -> None:
    _Demo(fw, project, months, random.Random(rng.random()), actor, today).build()


def after_close(fw, project: dict, months: list[str], rng, actor: str, today: dt.date) -> None:
    demo = _Demo(fw, project, months, random.Random(rng.random()), actor, today)
    demo.excuse_after_close()
    demo.leaders_join()


def _at(day: str, time: str, minutes: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}") + dt.timedelta(minutes=minutes)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


class _Demo:
    def __init__(self, fw, project: dict, months: list[str], rng: random.Random, actor: str, today: dt.date):
        self.fw, self.project, self.slug, self.rng, self.actor = fw, project, project["slug"], rng, actor
        self.months, self.full, self.today = months, months[:-1], today
        users = {u["username"]: u for u in fw.users.all()}
        self.names = {k: u.get("name") or k for k, u in users.items()}
        self.sup = f"{self.slug}.supervisor" if f"{self.slug}.supervisor" in users else actor
        self.leaders = reports.leaders(fw, project) or [self.sup]
        self.kind = self.slug if self.slug in say.ANSWERS else ("shop" if "chat" in project["channels"] else "telecom")
        self.late: set[str] = set()  # the months with an item done late
        self.twice = False  # the item carried twice is raised
        self.carried_twice: tuple[str, str, str] | None = None  # (item, owner, the meeting it is done at)
        self.absentees: set[str] = set()  # who missed an all-agent meeting: a different agent each month

    # ------------------------------------------------------------------ the months

    def build(self) -> None:
        for month in self.months:  # every month planned first: an item carries into the next one
            records.plan_month(self.fw, self.project, month, self.sup)
        for month in self.months:
            self.routine(month)
        held = [m for m in records.all_of(self.fw, self.project)
                if m["kind"] not in ROUTINE and m["date"] < self.today.isoformat()]
        self.prepare(held)
        for meeting in held:
            self.department(meeting)
        self.reports()
        self.current_answer()
        self.coaching()

    def _away(self, month: str, numbers: list[str]) -> dict[str, list]:
        """Agent → the absences (leave, rest days) the platform knows in *month*."""
        first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
        found: dict[str, list] = {}
        for answer in self.fw.project_hook(self.project, "agent_availability")(
                floorwalker=self.fw, project=self.project, first=first, last=last, agents=numbers):
            for a in answer or ():
                found.setdefault(a.agent, []).append(a)
        return found

    @staticmethod
    def _leave(away: dict, number: str, day: str) -> dict | None:
        when = dt.date.fromisoformat(day)
        hit = next((a for a in away.get(number, ()) if a.first <= when <= a.last), None)
        return {"kind": hit.kind, "first": hit.first.isoformat(), "last": hit.last.isoformat()} if hit else None

    def routine(self, month: str) -> None:
        """The month's handovers and briefings up to yesterday, held and signed by a team
        leader, in one commit: a floor's daily routine."""
        today = self.today.isoformat()
        docs = [m for m in records.of_month(self.fw, self.project, month)
                if m["kind"] in ROUTINE and m["date"] < today]
        if not docs:
            return
        rng = self.rng
        away = self._away(month, sorted({n for m in docs for n in m["expected"]}))
        briefings = [m for m in docs if m["kind"] == "briefing"]
        missed = rng.choice(briefings)["id"] if month == self.months[1 % len(self.months)] and briefings else None
        unsigned = briefings[-1]["id"] if month == self.months[-1] and briefings else None
        with self.fw.store.transaction(records.key(self.fw, self.slug), self.sup, f"{NAME}.demo") as tx:
            for doc in docs:
                if doc["id"] == missed:
                    continue
                chair = rng.choice(self.leaders)
                marks = {}
                for number in doc["expected"]:
                    leave = self._leave(away, number, doc["date"])
                    marks[number] = {"state": "excused", "by": chair, "at": _stamp(_at(doc["date"], doc["time"])),
                                     "leave": leave, "note": ""} if leave else \
                        {"state": "present", "by": chair, "at": _stamp(_at(doc["date"], doc["time"]))}
                minutes = {"taker": self.names.get(chair, chair), "decisions": [],
                           "information": [rng.choice(say.BRIEFING_INFO)] if doc["kind"] == "briefing" else []}
                if doc["kind"] == "handover":
                    minutes["notes"] = rng.choice(say.HANDOVER_NOTES)
                    minutes["headings"] = {h: (rng.choice(say.HANDOVER[h]) if rng.random() < 0.15 else say.NOTHING)
                                           for h in HANDOVER_HEADINGS}
                else:
                    minutes["notes"] = rng.choice(say.BRIEFING_NOTES)
                if doc["id"] != unsigned:
                    late = rng.random()
                    signed = _at(doc["date"], doc["time"], rng.randint(25, 90)) if late < 0.9 else \
                        _at(doc["date"], "09:30") + dt.timedelta(days=1 if late < 0.97 else 3)
                    minutes.update(signed_by=chair, signed_at=_stamp(min(signed, _at(today, "00:00", -1))))
                tx.update(records.TABLE, doc["id"], {"chair": chair, "attendance": marks, "minutes": minutes})

    # ------------------------------------------------------------------ department meetings

    def prepare(self, held: list[dict]) -> None:
        """The minutes of the department meetings held, and the weekly meetings' action items
        as they ended up (raised, done on time or a day late), in one commit; the items still
        open when a meeting is signed — the one carried twice, the last meeting's — move on
        with the sign-offs (`department`)."""
        rng, today = self.rng, self.today.isoformat()
        weekly = [m for m in held if m["kind"] == "weekly"]
        with self.fw.store.transaction(records.key(self.fw, self.slug), self.sup, f"{NAME}.demo") as tx:
            count = len(tx.docs(items.TABLE))
            for m in held:
                chair = m["chair"] or self.sup
                form = self._minutes(m, chair)
                minutes = {"taker": form["taker"], "notes": form["notes"],
                           **{k: [x for x in form.get(k, "").split("\n") if x] for k in ("decisions", "information")}}
                tx.update(records.TABLE, m["id"], {"chair": chair, "agenda": list(say.AGENDA.get(m["kind"], ())),
                                                   "minutes": minutes})
            for k, m in enumerate(weekly):
                start, month = _at(m["date"], m["time"]), m["date"][:7]
                following = _at(weekly[k + 1]["date"], weekly[k + 1]["time"]) if k + 1 < len(weekly) else None
                for n in range(rng.randint(1, 2)):
                    owner = rng.choice(self.leaders)
                    due = dt.date.fromisoformat(m["date"]) + dt.timedelta(days=rng.randint(2, 5))
                    late = n == 0 and month not in self.late and rng.random() < 0.5
                    if late:
                        self.late.add(month)
                    twice = not self.twice and month == self.full[min(1, len(self.full) - 1)] and k + 2 < len(weekly)
                    self.twice = self.twice or twice
                    raised = {"what": "raised", "meeting": m["id"], "by": self.sup,
                              "at": _stamp(start + dt.timedelta(minutes=40))}
                    done = dt.datetime.combine(due + dt.timedelta(days=1 if late else -rng.randint(0, 1)),
                                               dt.time(17, 20))
                    closed = following is not None and not twice and min(done, following) < _at(today, "00:00")
                    count += 1
                    doc = {"id": f"A{count:04d}", "kind": "weekly", "meeting": m["id"],
                           "text": rng.choice(say.WEEKLY["items"]), "owner": owner, "due": due.isoformat(),
                           "status": "done" if closed else "open", "dated": None, "created_at": raised["at"],
                           "history": [raised, *([{"what": "done", "by": owner,
                                                   "at": _stamp(min(done, following))}] if closed else [])]}
                    tx.insert(items.TABLE, doc)
                    if twice:  # done at the second meeting after it, once carried twice
                        self.carried_twice = (doc["id"], owner, weekly[k + 2]["id"])

    def department(self, m: dict) -> None:
        """A weekly, QA analysis, all-agent or review meeting: its roll-call, the sign-off (open
        action items carried to the next meeting of the kind), the month's unified answer."""
        fw, project, rng = self.fw, self.project, self.rng
        chair = m["chair"] or self.sup
        start = _at(m["date"], m["time"])
        story = self._story(m)
        absent = self._absentee(m) if story and m["expected"] else None
        if m["expected"]:
            with clock(fw, start + dt.timedelta(minutes=5)):
                away = self._away(m["date"][:7], m["expected"])
                marks = {n: ("excused", "") if self._leave(away, n, m["date"]) else ("present", "")
                         for n in m["expected"]}
                if absent:
                    marks[absent] = ("absent", "")
                attendance.take(fw, project, m["id"], marks, chair)
        if self.carried_twice and self.carried_twice[2] == m["id"]:
            with clock(fw, start + dt.timedelta(minutes=30)):
                items.set_status(fw, project, self.carried_twice[0], "done", self.carried_twice[1])
        signed_at = start + dt.timedelta(minutes=rng.randint(70, 150))
        if m["kind"] == "qa_analysis" and m["date"][:7] == self.full[-1]:
            signed_at += dt.timedelta(days=3)  # signed late once: the figures show it
        latest = dt.datetime.combine(self.today, dt.time(0, 0)) - dt.timedelta(minutes=1)
        with clock(fw, min(signed_at, latest)):
            records.sign_off(fw, project, m["id"], chair)
        if m["kind"] == "monthly" and m["date"][:7] in self.full:
            self._answer(m, signed_at + dt.timedelta(minutes=10), m["date"][:7] == self.full[-1])
        if absent and story == "excused":
            with clock(fw, min(signed_at + dt.timedelta(days=2), latest)):
                attendance.excuse(fw, project, m["id"], absent, say.EXCUSE, self.sup)

    def _story(self, m: dict) -> str | None:
        """Which absence the all-agent meeting of a full month tells: excused after the close,
        standing, or excused after sign-off (weekdays only: a score is dated on a working day)."""
        month = m["date"][:7]
        if m["kind"] != "monthly" or month not in self.full or dt.date.fromisoformat(m["date"]).weekday() > 4:
            return None
        return ("after_close", "stands", "excused")[self.full.index(month) % 3]

    def _absentee(self, m: dict) -> str | None:
        """An agent of the meeting, not away that day, whose month stays at 65 or above with the
        −10 and who is still assigned a month later."""
        away = self._away(m["date"][:7], m["expected"])
        totals = {r["number"]: r["total"] for r in self.fw.ledger.sheet(self.slug, m["date"][:7], columns=False)}
        later = (dt.date.fromisoformat(m["date"]) + dt.timedelta(days=40)).isoformat()
        fits = [n for n in m["expected"] if not self._leave(away, n, m["date"]) and totals.get(n, 0) >= 78
                and n not in self.absentees
                and (self.fw.agents.assignment_on(n, min(later, self.today.isoformat())) or {}).get("project")
                == self.slug]
        if not fits:
            return None
        pick = self.rng.choice(sorted(fits))
        self.absentees.add(pick)
        return pick

    def _minutes(self, m: dict, chair: str) -> dict:
        rng = self.rng
        taker = self.names.get(rng.choice(self.leaders), "")
        if m["kind"] == "weekly":
            return {"taker": taker, "notes": rng.choice(say.WEEKLY["notes"]),
                    "decisions": rng.choice(say.WEEKLY["decisions"]),
                    "information": rng.choice(say.WEEKLY["information"])}
        if m["kind"] == "qa_analysis":
            return {"taker": self.names.get(chair, taker), "notes": rng.choice(say.QA_ANALYSIS["notes"]),
                    "decisions": rng.choice(say.QA_ANALYSIS["decisions"])}
        n = self.months.index(m["date"][:7]) if m["date"][:7] in self.months else 0
        return {"taker": taker, "notes": rng.choice(say.MONTHLY["notes"]),
                "decisions": say.ANSWERS[self.kind][n % len(say.ANSWERS[self.kind])],
                "information": "\n".join(rng.sample(say.MONTHLY["information"], 2))}

    # ------------------------------------------------------------------ answers, reports, coaching

    def _answer(self, m: dict, at: dt.datetime, last: bool) -> None:
        """The all-agent meeting's decision published as the month's unified answer; signed by
        every agent within a day or two, but for three agents of the last full month's."""
        with clock(self.fw, at):
            doc = answers.publish(self.fw, self.project, m["id"], "1", "", [], self.sup)
        self._signatures(doc, at, UNSIGNED if last else 0, hours=40)

    def _signatures(self, doc: dict, at: dt.datetime, unsigned: int, hours: int) -> None:
        rng = self.rng
        missing = set(rng.sample(doc["expected"], min(unsigned, len(doc["expected"]))))
        latest = dt.datetime.combine(self.today, dt.time(0, 0)) - dt.timedelta(minutes=1)
        signed = {n: _stamp(min(at + dt.timedelta(minutes=rng.randint(15, hours * 60)), latest))[:16]
                  for n in doc["expected"] if n not in missing}
        with self.fw.store.transaction(records.key(self.fw, self.slug), self.sup, f"{NAME}.answer.sign") as tx:
            tx.update(answers.TABLE, doc["id"], {"signed": signed})

    def current_answer(self) -> None:
        """Yesterday's briefing (the last one signed) publishes a unified answer, still being signed."""
        held = [m for m in records.of_month(self.fw, self.project, self.months[-1])
                if m["kind"] == "briefing" and (m.get("minutes") or {}).get("signed_by")]
        if not held:
            return
        m = held[-1]
        decision = say.ANSWERS[self.kind][-1]
        with self.fw.store.transaction(records.key(self.fw, self.slug), self.sup, f"{NAME}.demo") as tx:
            tx.update(records.TABLE, m["id"], {"minutes": {**m["minutes"], "decisions": [decision]}})
        at = _at(m["date"], m["time"], 60)
        with clock(self.fw, at):
            doc = answers.publish(self.fw, self.project, m["id"], "1", "", [], m["chair"] or self.sup)
        self._signatures(doc, at, max(3, len(doc["expected"]) // 3), hours=6)

    def reports(self) -> None:
        """Each leader's service-quality report of each full month by the 22nd, one late."""
        docs = []
        for month in self.full:
            due = int(reports.due_day(self.fw, self.project, month)[-2:])
            for n, leader in enumerate(self.leaders):
                day = due + 2 if (month == self.full[-1] and n == 0) else due - self.rng.randint(0, 3)
                docs.append({"id": f"{month}:{leader}", "month": month, "leader": leader, "text": say.REPORT,
                             "submitted_at": f"{month}-{day:02d}T17:{self.rng.randint(10, 59):02d}:00",
                             "dated": None})
        with self.fw.store.transaction(records.key(self.fw, self.slug), self.sup, f"{NAME}.demo") as tx:
            for doc in docs:
                tx.insert(reports.TABLE, doc)

    def coaching(self) -> None:
        """The coaching part's own demo (sessions, acknowledgements) and the floor's questions."""
        from . import coaching, questions
        for part in (coaching, questions):
            write = getattr(part, "demo", None)
            if write is not None:
                write(self.fw, self.project, len(self.full), random.Random(self.rng.random()), self.today,
                      self.actor)

    # ------------------------------------------------------------------ after the close

    def excuse_after_close(self) -> None:
        """The closed month's scoring absence excused now: a +10 correction in the open month."""
        closed = self.months[0]
        for m in records.of_month(self.fw, self.project, closed):
            if m["kind"] != "monthly" or self._story(m) != "after_close":
                continue
            for number, mark in sorted((m.get("attendance") or {}).items()):
                if mark["state"] == "absent" and attendance.live_event(self.fw, self.slug, m, number):
                    attendance.excuse(self.fw, self.project, m["id"], number, say.EXCUSE_AFTER_CLOSE, self.sup)

    def leaders_join(self) -> None:
        """The team leaders of the register are appointed after the plugins' demo data: the
        meetings the cadence expects them at (handover, weekly, QA analysis, all-agent) expect
        them now — the meetings still to come through `records.refresh_expected`, those already
        run with the leaders marked present (or excused by the leave the platform knows), in one
        commit: they came to the meetings the floor held."""
        today = self.today.isoformat()
        rows = self.fw.projects.settings(self.project, NAME)["cadence"]
        changes = {}
        for month in self.months:
            records.refresh_expected(self.fw, self.project, month, self.sup)
            shifts = records.rostered(self.fw, self.project, month)
            docs = [m for m in records.of_month(self.fw, self.project, month)
                    if m.get("attendance") or (m.get("minutes") or {}).get("signed_by")]
            for m in docs:
                row = records.row_of(rows, m)
                now = records.expected_of(self.fw, self.project, row, m["kind"], m["date"], m["time"], shifts) \
                    if row else m["expected"]
                new = [n for n in now if n not in m["expected"]]
                if not new:
                    continue
                away = self._away(month, new)
                marks = dict(m.get("attendance") or {})
                if m["date"] < today:
                    by = next(iter(marks.values()))["by"] if marks else m["chair"] or self.sup
                    at = _stamp(_at(m["date"], m["time"]))
                    for n in new:
                        leave = self._leave(away, n, m["date"])
                        marks[n] = {"state": "excused", "by": by, "at": at, "leave": leave, "note": ""} if leave \
                            else {"state": "present", "by": by, "at": at}
                changes[m["id"]] = {"expected": sorted({*m["expected"], *new}), "attendance": marks}
        if changes:
            with self.fw.store.transaction(records.key(self.fw, self.slug), self.sup, f"{NAME}.demo") as tx:
                for ident, change in changes.items():
                    tx.update(records.TABLE, ident, change)
