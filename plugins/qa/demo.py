"""QA demo data for ``floorwalker demo``: each project's QA standard, three months and a bit of
interactions and evaluations, the agents' answers and disputes, exams, a calibration, weekly
summaries, the casebook and auto-QA reviews — all made by the plugin's own functions.

What a visitor finds on every demo project:

* the standard of its kind (`data/demo-<kind>.csv`, the client's columns: an e-commerce chat
  card, a telecom hotline card, a bank card), version 1 archived and version 2 (one more
  forbidden phrase) published from the second month on;
* about six interactions per agent and month — on the e-commerce floor Chinese chats written by
  `demo_content.chat`, some with 三要/三不 faults, forbidden phrases, long waits and the
  customer's risk words (auto-QA checks them on import); calls with a recording elsewhere;
* each month's sampling plan (N = 4, new agents more, must-check chats always), every pick of
  the full months evaluated, the current month's partly; a few fatal errors (section and whole)
  in the full months, full marks here and there, monthly averages under the pass line;
* answers of every kind: acknowledged, accepted when the window closed (the job), a dispute
  returned by the team leader, one rejected, one partly accepted, one accepted, two waiting in
  the current month, and — `after_close` — one accepted after its month closed;
* the monthly exam of each full month (full marks, and one score under 60), a closed
  calibration session with its benchmark and one waiting, weekly summaries (an older week
  left late), good and bad cases, and auto-QA hits confirmed or rejected.

The past is replayed on the project's clock (`clock`): every "now" of the plugin's rules reads
`Projects.now`, so an answer given in March is judged against March's window. Only *rng* draws.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

from floorwalker.core import validate

from . import (autoqa_store, calibration, casebook, disputes, evaluations, exams, interactions,
               sampling, scorecards, weekly, workbook)
from . import demo_content as content
from .scoring import score

DATA = Path(__file__).parent / "data"
PER_MONTH = 6  # interactions per agent and month
PASS = 85  # the current month's evaluations stay at the pass line: its events would be dated at its end
STEPS = (0.5, 1, 1, 1.5, 2, 3)
RETURNS = ("经核听录音，扣分属实，维持原评定", "申诉理由不成立，已与坐席沟通")
DECISIONS = {"rejected": "复核录音，扣分依据充分，驳回申诉", "partial": "部分属实，酌情调整该项得分",
             "accepted": "复核属实，撤销该项扣分"}
LATE_DECISION = "复核录音后确认操作符合流程，撤销该项扣分及致命错误"


@contextmanager
def clock(fw, at: dt.datetime):
    """The project's clock stands at *at* (`Projects.now`, the one clock the rules read, as tests
    set it) while a past moment of the demo is replayed."""
    fw.projects.now = lambda project: at
    try:
        yield
    finally:
        del fw.projects.now


def build(fw, project: dict, months: list[str], rng, actor: str, today: dt.date) -> None:
    _Floor(fw, project, months, rng, actor, today).build()


def after_close(fw, project: dict, months: list[str], rng, actor: str, today: dt.date) -> None:
    _Floor(fw, project, months, rng, actor, today).late_dispute()


def _partial(item: dict, kind: str):
    """A new answer between an item's points and its full marks (None: a yes/no item, or no room)."""
    if kind == "yesno" or item["na"]:
        return None
    new = item["points"] + (0.5 if kind == "scale" else 1)
    return (int(new) if float(new).is_integer() else new) if new < item["maximum"] else None


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)
            if (first + dt.timedelta(days=n)).weekday() < 5]


class _Floor:
    def __init__(self, fw, project: dict, months: list[str], rng, actor: str, today: dt.date):
        self.fw, self.project, self.slug, self.rng, self.actor = fw, project, project["slug"], rng, actor
        self.months, self.today = months, today
        self.kind = content.KINDS.get(self.slug) or ("shop" if "chat" in project["channels"] else "telecom")
        users = {u["username"]: u for u in fw.users.all()}
        self.qa = f"{self.slug}.qa" if f"{self.slug}.qa" in users else actor
        self.supervisor = users.get(f"{self.slug}.supervisor") or {"username": actor}
        self.others = [u for u in (f"{self.slug}.supervisor", "director") if u in users]
        self.faults: dict[str, set] = {}
        self.skill: dict[str, float] = {}

    # ------------------------------------------------------------------ the months

    def build(self) -> None:
        fw, slug = self.fw, self.slug
        card = workbook.read(DATA / f"demo-{self.kind}.csv")
        first = content.FORBIDDEN[self.kind]
        scorecards.save_draft(fw, slug, {**card, "forbidden": first[:-1]}, self.qa, content.TITLES[self.kind])
        scorecards.publish(fw, slug, 1, self.qa)
        self.card = card
        for month in self.months:
            if month == self.months[1]:  # the client added a phrase: version 2
                scorecards.save_draft(fw, slug, {**card, "forbidden": first}, self.qa)
                scorecards.publish(fw, slug, 2, self.qa)
            full = month != self.months[-1]
            last = min(self.today, dt.date.fromisoformat(validate.month_bounds(month)[1]))
            self.interactions(month, last if full else self.today - dt.timedelta(days=1))
            planned = last + dt.timedelta(days=1) if full else self.today  # a full month: every slot is over
            with clock(fw, dt.datetime.combine(planned, dt.time(8, 30))):
                sampling.build(fw, self.project, month, self.qa, today=planned)
            made = self.evaluate(month, full)
            self.answers(month, made, full)
            if full:
                disputes.lapse(fw, self.project, dt.datetime.combine(last, dt.time(23, 30)))
                self.exam(month)
        disputes.lapse(fw, self.project, dt.datetime.combine(self.today, dt.time(8, 0)))
        self.calibrate()
        self.weekly()
        self.cases()
        self.review()
        self.closing_evaluation()

    def interactions(self, month: str, until: dt.date) -> None:
        rows, rng, count = [], self.rng, 0
        first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
        for agent, assignment in self.fw.agents.in_month(self.slug, month):
            if (agent.get("position") or "agent") != "agent":
                continue
            number = agent["number"]
            self.skill.setdefault(number, rng.random())
            spans = [a for a in self.fw.agents.assignments(number) if a["project"] == self.slug]
            days = [d for d in _weekdays(first, min(last, until)) if any(
                a["start"] <= d.isoformat() and (a["end"] is None or d.isoformat() <= a["end"]) for a in spans)]
            night = "night" in (assignment.get("team") or "")
            for day in sorted(rng.sample(days, min(PER_MONTH, len(days)))):
                count += 1
                start = dt.datetime.combine(day, dt.time(21 if night else 9)) + dt.timedelta(
                    seconds=rng.randint(0, 3 * 3600 - 60 if night else 8 * 3600))
                ident = f"{'IM' if self.kind == 'shop' else 'CL'}{day:%Y%m%d}{count:04d}"
                row = {"id": ident, "agent": number, "time": f"{start:%Y-%m-%d %H:%M:%S}"}
                if self.kind == "shop":
                    text, category, seconds, faults = content.chat(rng, start, f"YP{day:%m%d}{count:05d}")
                    row.update(channel="chat", duration=str(seconds), transcript=text, category=category)
                    self.faults[ident] = faults
                else:
                    row.update(channel="call", duration=str(rng.randint(80, 720)), transcript="",
                               recording=f"rec/{day:%Y%m}/{ident}.wav", category=content.category(rng, self.kind))
                rows.append((len(rows) + 2, row))
        interactions.store(self.fw, self.project, rows, self.actor)

    def evaluate(self, month: str, full: bool) -> list[dict]:
        fw, rng = self.fw, self.rng
        picks = [p for p in sampling.picks_of(fw, self.slug, month) if p["status"] == "planned"]
        strong = {r["number"] for r in fw.ledger.sheet(self.slug, month, columns=False) if r["total"] >= 85}
        fatal = {}
        if full:
            victims = [p for p in picks if p["agent"] in strong]
            for kind, pick in zip(("section", "all"), rng.sample(victims, min(2, len(victims)))):
                fatal[pick["id"]] = kind
        given = []
        for pick in picks:
            at = self._when(pick, full)
            if at is None:
                continue
            form = self.form(pick["interaction"], pick["agent"], fatal.get(pick["id"]), full)
            if form is not None:
                given.append((pick["interaction"], form, at))
        return evaluations.submit_many(fw, self.project, given, self.qa)

    def _when(self, pick: dict, full: bool) -> dt.datetime | None:
        """A weekday 0–3 days after the interaction, in its month, while the agent is here."""
        day = dt.date.fromisoformat(pick["date"])
        end = dt.date.fromisoformat(validate.month_bounds(pick["date"][:7])[1])
        assignment = self.fw.agents.assignment_on(pick["agent"], pick["date"])
        if assignment and assignment.get("end"):
            end = min(end, dt.date.fromisoformat(assignment["end"]))
        if not full:
            end = min(end, self.today - dt.timedelta(days=1))
        days = [d for d in _weekdays(day, min(end, day + dt.timedelta(days=3)))]
        if not days:
            return None
        return dt.datetime.combine(self.rng.choice(days), dt.time(9)) + dt.timedelta(
            minutes=self.rng.randint(0, 510))

    def form(self, interaction: str, agent: str, fatal: str | None, full: bool) -> dict | None:
        """The evaluation form's inputs for one interaction (None: it would fall under the pass
        line in the current month, so it waits on the worklist)."""
        rng, skill = self.rng, self.skill.get(agent, 0.5)
        draw = rng.random()
        tier = ("perfect" if draw < 0.06 + 0.14 * skill else "poor" if full and draw > 0.97 - 0.08 * (1 - skill)
                else "fair" if full and draw > 0.9 - 0.25 * (1 - skill) else "good")
        faults = self.faults.get(interaction, set())
        driven = {"qing": "qing" in faults, "nin": "ni" in faults, "zaijian": "zaijian" in faults,
                  "speed": "wait" in faults, "donts": bool(faults & {"harsh", "blame", "blaming_customer",
                                                                       "forbidden"})}
        driven["tone"] = driven["donts"]
        chat = interaction in self.faults
        places = [(si, ii, item) for si, s in enumerate(self.card["sections"]) for ii, item in enumerate(s["items"])]
        weighted = {s["title"] for s in self.card["sections"] if s["weight"] is not None}
        free = [(si, ii) for si, ii, item in places if item["fatal"] == "none" and item["max"]
                and self.card["sections"][si]["title"] in weighted
                and not (chat and content.TAGS.get(item["title"]) in driven)]
        losses = {"perfect": 0, "good": rng.choice((0, 1, 1, 2)), "fair": rng.randint(2, 3),
                  "poor": rng.randint(3, 5)}[tier]
        lose = set(rng.sample(free, min(losses, len(free))))
        fatal_at = rng.choice([(si, ii) for si, ii, item in places if item["fatal"] == fatal]) if fatal else None
        form, lost_any = {}, False
        for si, ii, item in places:
            answer, comment, na = evaluations.field_names(si, ii)
            tag = content.TAGS.get(item["title"])
            if self.card["sections"][si]["weight"] is None:  # the bonus: earned now and then
                form[answer] = ("yes" if rng.random() < 0.15 else "no") if item["type"] == "yesno" \
                    else str(rng.choice((0, 0, 0, 1, 2, int(item["max"]))))
                continue
            if tag == "optional" and rng.random() < 0.5:
                form[na] = "1"
                continue
            if item["fatal"] != "none":
                lost = (si, ii) == fatal_at  # one fatal item, of the kind drawn
            else:
                lost = (chat and driven.get(tag, False)) or (si, ii) in lose
            lost_any |= lost
            if item["type"] == "yesno":
                form[answer] = "no" if lost else "yes"
            else:
                step = 0.5 if item["type"] == "scale" else 1
                cut = min(item["max"] - step, max(step, rng.choice(STEPS) * item["max"] / 10))
                cut = round(cut / step) * step
                form[answer] = str(item["max"] - cut if lost else item["max"])
            if lost:
                form[comment] = rng.choice(content.COMMENTS.get("fatal" if item["max"] == 0 else tag, content.GENERIC)
                                           if tag in content.COMMENTS or item["max"] == 0 else content.GENERIC)
        mood = "fatal" if fatal else "poor" if tier == "poor" else "fair" if lost_any and tier != "good" \
            else "good"
        form["comment"] = rng.choice(content.OVERALL[mood])
        form["coaching"] = "1" if mood in ("fatal", "poor") else ""
        if not full:
            answers, _comments, _problems = evaluations.answers_of(self.card, form)
            if score(self.card, answers).score < PASS:
                return None
        return form

    # ------------------------------------------------------------------ the agents' answers

    def _user(self, number: str) -> dict:
        return {"username": number.lower(), "agent": number}

    def _leader(self, ev: dict) -> dict:
        assignment = self.fw.agents.assignment_on(ev["agent"], ev["date"])
        leaders = self.fw.users.leading(self.slug, assignment["team"]) if assignment else []
        return leaders[0] if leaders else self.supervisor

    def _at(self, ev: dict, hours: float) -> dt.datetime:
        return dt.datetime.fromisoformat(ev["submitted_at"][:19]) + dt.timedelta(hours=hours)

    def answers(self, month: str, made: list[dict], full: bool) -> None:
        fw, rng, project = self.fw, self.rng, self.project
        now = dt.datetime.combine(self.today, dt.time(8, 0))
        open_ = [e for e in made if self._at(e, 3) < now]
        lost = [e for e in made if disputes.lost_items(e) and not e["fatal"] and self._at(e, 30) < now]
        plans = (("returned", "rejected") if month == self.months[1] else ("partial", "accepted")
                 if month == self.months[2] else ("raised", "forwarded") if not full else ())
        disputed = set()
        for outcome in plans:
            fits = [e for e in lost if e["id"] not in disputed and self._fits(e, outcome)]
            if fits:
                ev = rng.choice(fits)
                disputed.add(ev["id"])
                self.dispute(ev, outcome)
        for ev in rng.sample(open_, min(len(open_), 4)):
            if ev["id"] not in disputed:
                with clock(fw, min(self._at(ev, rng.uniform(1, 30)), now - dt.timedelta(hours=1))):
                    disputes.acknowledge(fw, project, ev["id"], self._user(ev["agent"]))

    def _partial(self, ev: dict, n: int):
        return _partial(ev["items"][n], [i for s in self.card["sections"] for i in s["items"]][n]["type"])

    def _fits(self, ev: dict, outcome: str) -> bool:
        return outcome != "partial" or any(self._partial(ev, n) for n in disputes.lost_items(ev))

    def dispute(self, ev: dict, outcome: str, hours: float = 4) -> dict:
        """The agent disputes *ev*'s first lost item; the team leader and the supervisor take it
        as far as *outcome*."""
        fw, rng, project = self.fw, self.rng, self.project
        n = next(n for n in disputes.lost_items(ev) if outcome != "partial" or self._partial(ev, n))
        with clock(fw, self._at(ev, hours)):
            doc = disputes.dispute(fw, project, ev["id"], self._user(ev["agent"]),
                                   {f"r-{n}": content.dispute_reason(ev["items"][n]["item"], rng.randrange(5))})
        if outcome == "raised":
            return doc
        leader = self._leader(ev)
        with clock(fw, self._at(ev, hours + 5)):
            doc = disputes.forward(fw, project, doc["id"], leader, rng.choice(RETURNS) if outcome == "returned"
                                   else "", back=outcome == "returned")
        if outcome in ("returned", "forwarded"):
            return doc
        form = {f"o-{n}": outcome, "note": DECISIONS[outcome]}
        if outcome == "partial":
            form[f"v-{n}"] = str(self._partial(ev, n))
        with clock(fw, self._at(ev, hours + 24)):
            return disputes.decide(fw, project, doc["id"], self.supervisor, form)

    # ------------------------------------------------------------------ the rest of the floor

    def exam(self, month: str) -> None:
        rng = self.rng
        agents = [a["number"] for a, _ in self.fw.agents.in_month(self.slug, month)
                  if (a.get("position") or "agent") == "agent"]
        scores = {n: max(60, min(99, round(rng.gauss(84, 7)))) for n in agents}
        for number in rng.sample(agents, min(2, len(agents))):
            scores[number] = 100
        strong = [r["number"] for r in self.fw.ledger.sheet(self.slug, month, columns=False)
                  if r["total"] >= 85 and scores.get(r["number"], 100) < 100]
        if month != self.months[0] and strong:  # one fails, now and then
            scores[rng.choice(strong)] = rng.choice((48, 52, 55, 57))
        rows = [(n + 2, {"agent": number, "score": str(s)}) for n, (number, s) in enumerate(sorted(scores.items()))]
        exams.store(self.fw, self.project, rows, f"{self.slug}.trainer", month)

    def calibrate(self) -> None:
        """A closed session in the last full month (its owner's benchmark, two evaluators who
        differ a little), and one in the current month waiting for the others."""
        fw, rng = self.fw, self.rng
        if len(self.others) < 2:
            return
        for month, close in ((self.months[-2], True), (self.months[-1], False)):
            pool = interactions.of_month(fw, self.slug, month)
            if not pool:
                continue
            item = rng.choice(pool)
            day = dt.date.fromisoformat(item["date"])
            with clock(fw, dt.datetime.combine(day, dt.time(14))):
                doc = calibration.open_session(fw, self.project, item["id"], self.others, self.qa)
            people = [self.qa, *(self.others if close else ())]
            for n, who in enumerate(people):
                form = self.form(item["id"], item["agent"], None, True)
                with clock(fw, dt.datetime.combine(day, dt.time(15 + n))):
                    calibration.submit(fw, self.project, doc["id"], form, who)
            if close:
                with clock(fw, dt.datetime.combine(day, dt.time(18))):
                    calibration.close(fw, self.project, doc["id"], self.qa)

    def weekly(self) -> None:
        """The summaries of the two weeks before this one, on time; the week before them is late."""
        teams = self.fw.teams.of(self.slug)
        this = weekly.monday(self.today)
        for back in (2, 1):
            week = this - dt.timedelta(weeks=back)
            agents = [e["agent"] for e in weekly.of_week(self.fw, self.slug, week) if e["score"] < PASS]
            form = {"findings": "本周质检整体平稳，开场用语和结束语仍有遗漏，个别坐席响应偏慢。",
                    "target-0": f"team:{self.rng.choice(teams)['slug']}", "topic-0": "服务用语“三要三不”复训"}
            if agents:
                form.update({"target-1": f"agent:{agents[0]}", "topic-1": "一对一辅导：失分项复盘与录音回听"})
            with clock(self.fw, dt.datetime.combine(week + dt.timedelta(days=7), dt.time(10))):
                weekly.submit(self.fw, self.project, week, form, self.qa)

    def cases(self) -> None:
        made = [e for m in self.months[:-1] for e in evaluations.of_month(self.fw, self.slug, m)]
        good = [e for e in made if e["full_marks"]]
        bad = [e for e in made if e["fatal"]]
        for kind, pool, lesson in (("good", good, "开场、安抚、解决、结束语完整规范，可作为新人培训范例"),
                                   ("bad", bad, "触碰红线的典型案例：办理前必须核实身份，政策解释以知识库为准")):
            for ev in self.rng.sample(pool, min(2, len(pool))):
                casebook.mark(self.fw, self.project, ev["id"], kind, lesson, self.qa)

    def review(self) -> None:
        """QA staff go through part of the last full month's auto-QA hits: most confirmed."""
        month = self.months[-2]
        results = autoqa_store.of_month(self.fw, self.slug, month)
        queue = autoqa_store.queue(results)
        for result, n, hit in self.rng.sample(queue, min(24, len(queue))):
            verdict = "rejected" if hit["rule"] == "closing_zaijian" and self.rng.random() < 0.5 else "confirmed"
            autoqa_store.review(self.fw, self.project, month, result["id"], n, verdict, self.qa)

    # ------------------------------------------------------------------ after the close

    def closing_evaluation(self) -> None:
        """An evaluation on the oldest month's last working day with a fatal error of a section:
        its agent disputes it after the month closed (`late_dispute`)."""
        month = self.months[0]
        last = _weekdays(*(dt.date.fromisoformat(d) for d in validate.month_bounds(month)))[-1]
        strong = {r["number"] for r in self.fw.ledger.sheet(self.slug, month, columns=False) if r["total"] >= 80}
        strong &= {r["number"] for r in self.fw.ledger.sheet(self.slug, self.months[1], columns=False)
                   if r["total"] >= 60}
        done = set(sampling.evaluated(self.fw, self.slug, month))
        pool = [i for i in interactions.of_month(self.fw, self.slug, month) if i["agent"] in strong
                and i["id"] not in done and i["date"] < last.isoformat()
                and (self.fw.agents.assignment_on(i["agent"], last.isoformat()) or {}).get("project") == self.slug]
        if not pool:
            return
        item = self.rng.choice(pool)
        form = self.form(item["id"], item["agent"], "section", True)
        evaluations.submit_many(self.fw, self.project,
                                [(item["id"], form, dt.datetime.combine(last, dt.time(17, 50)))], self.qa)

    def late_dispute(self) -> None:
        evs = [e for e in evaluations.of_month(self.fw, self.slug, self.months[0]) if e["fatal"] == "section"
               and disputes.answer_of(self.fw, self.slug, e) is None]
        if not evs:
            return
        fw, project = self.fw, self.project
        ev = max(evs, key=lambda e: e["submitted_at"])
        n = next(n for n, i in enumerate(ev["items"]) if i["fatal"])  # the item that zeroed its section
        with clock(fw, self._at(ev, 40)):
            doc = disputes.dispute(fw, project, ev["id"], self._user(ev["agent"]),
                                   {f"r-{n}": content.dispute_reason(ev["items"][n]["item"])})
        with clock(fw, self._at(ev, 44)):
            doc = disputes.forward(fw, project, doc["id"], self._leader(ev))
        with clock(fw, self._at(ev, 66)):
            disputes.decide(fw, project, doc["id"], self.supervisor,
                            {f"o-{n}": "accepted", "note": LATE_DECISION})
