"""Complaints demo data for ``floorwalker demo``: each project's taxonomy and its complaints of
the demo months, handled step by step through the plugin's own functions, each step dated when
it happened (the ``at=`` of `records.intake` and of every `handling` step).

What a visitor finds on every demo project (the cases per kind of project: `demo_cases`):

* in each full month six or seven complaints, every one with a final verdict by the end of the
  month's handling: a rude answer (valid, `complaint_reply_poor` −5), a customer the policy
  proves wrong (invalid, answered from the polite template), a product fault through the
  client's handling point (waiting on the client, the clocks paused), a complaint against a
  team (a callback that reached nobody, then one that did), and in turn a serious one (the
  severity raised, handed over by name to the agent's team leader, valid `quarrel_with_customer`
  −20), one through a regulator answered late on a Friday evening (the first-response target
  failed and escalated to the supervisor), one escalated twice with a promise to the customer,
  one reopened (the changed solution), and an appeal that turns a valid verdict invalid, which
  reverses its deduction;
* the closed month's complaints all decided and archived; later ones archived a few days after
  closing, so the newest stay closed;
* in the current month what a complaint desk has in hand: one just taken in, one waiting on the
  customer, one waiting on the client, one near its deadline, one past it without a decision
  (recorded as breached), one closed.

An agent complained about is one on the floor that day whose month can take the deduction
and stay at 65 or above (the demo keeps one or two agents below 60 a month on purpose, and
those are the floor's own). Staff steps fall between 08:30 and 21:00; verdicts, which put
score events on the agent's month, on weekdays. Deterministic: one draw of the demo's *rng*
seeds this module's own, so the rest of the company does not shift with it.
"""

from __future__ import annotations

import datetime as dt
import random

from . import demo_cases as cases
from . import handling, records
from .config import NAME

# The courses a complaint takes, as steps; see `_Complaint` for what each does.
FLOWS = {
    "minor": ("respond", "classify", "valid:complaint_reply_poor", "propose", "approve",
              "callback:accepted", "close:satisfied", "archive"),
    "serious": ("respond", "callback:not_accepted", "severity", "handover", "classify",
                "valid:quarrel_with_customer", "propose", "approve", "callback:accepted", "close:neutral",
                "archive"),
    "appeal": ("respond", "severity", "handover", "classify", "valid:quarrel_with_customer", "propose",
               "approve", "callback:accepted", "close:neutral", "appeal", "archive"),
    "unfounded": ("respond", "classify", "invalid", "propose", "approve", "callback:accepted", "close:neutral",
                  "archive"),
    "product": ("respond", "wait:client", "resume", "classify", "valid", "propose", "approve",
                "callback:accepted", "close:satisfied", "archive"),
    "regulator": ("respond_late", "wait:client", "resume", "classify", "valid", "propose", "approve",
                  "callback:accepted", "close:satisfied", "archive"),
    "escalated": ("respond", "classify", "valid", "propose", "approve", "callback:not_accepted", "escalate",
                  "propose", "approve", "callback:not_accepted", "escalate", "promise", "propose", "approve",
                  "callback:accepted", "close:satisfied", "archive"),
    "reopened": ("respond", "classify", "valid", "propose", "approve", "callback:accepted",
                 "close:unsatisfied", "reopen", "propose", "approve", "callback:accepted", "close:satisfied",
                 "archive"),
    "team": ("respond", "classify", "valid", "propose", "approve", "callback:unreachable", "callback:accepted",
             "close:satisfied", "archive"),
    # the current month, cut short by the floor's clock
    "fresh": ("respond",),
    "waiting": ("respond", "wait:customer"),
    "at_point": ("respond", "wait:client"),
    "open": ("respond",),
}
# Per full month, oldest first (the first closes): what its complaints are.
MONTHS = (("minor", "serious", "unfounded", "product", "regulator", "escalated", "team"),
          ("minor", "unfounded", "product", "reopened", "appeal", "team"),
          ("minor", "unfounded", "product", "regulator", "team", "unfounded"))
# The current month: (flow, the case's kind of flow, hours before now it came in).
CURRENT = (("minor", "minor", 74), ("open", "unfounded", 30), ("open", "escalated", 22.5),
           ("waiting", "reopened", 26), ("at_point", "product", 45), ("fresh", "minor", 0.8))
# minutes a step takes after the one before it (drawn within)
DELAYS = {"respond": (5, 40), "respond_late": (60, 200), "classify": (10, 60), "valid": (30, 150),
          "invalid": (30, 150), "propose": (10, 60), "repropose": (60, 180),
          "approval": (1440, 2880), "approve": (10, 60), "callback": (20, 90),
          "close": (5, 30), "archive": (3 * 1440, 6 * 1440), "wait": (10, 40), "resume": (1440, 2880),
          "escalate": (5, 20), "promise": (10, 30), "severity": (5, 20), "handover": (5, 15),
          "reopen": (1440, 2880), "appeal": (1440, 4320)}
RULE_POINTS = {"complaint_reply_poor": 5, "quarrel_with_customer": 20}
LOWEST_AFTER = 65  # a deduction never takes an agent's month below this
OFFICE = (dt.time(8, 30), dt.time(21, 0))
DATED = ("valid", "invalid", "appeal")  # steps that may put events on a month: weekdays only


class _Stop(Exception):
    """The floor's clock is reached: the complaint stays where it stands."""


def build(fw, project: dict, months: list[str], rng, actor: str, now: dt.datetime) -> list[dict]:
    """Add *project*'s complaints of *months* (oldest first, the last the current one) as the
    desk stands at *now*; return them."""
    return _Desk(fw, project, months, random.Random(rng.getrandbits(64)), actor, now).build()


def _office(at: dt.datetime, weekday: bool = False) -> dt.datetime:
    """*at*, or the next moment the complaint desk works (the same minutes past 09:00)."""
    opens, closes = OFFICE
    if at.time() < opens:
        at = at.replace(hour=9, minute=at.minute % 30)
    elif at.time() > closes:
        at = (at + dt.timedelta(days=1)).replace(hour=9, minute=at.minute % 30)
    while weekday and at.weekday() >= 5:
        at = (at + dt.timedelta(days=1)).replace(hour=9, minute=at.minute % 30)
    return at


class _Desk:
    def __init__(self, fw, project: dict, months: list[str], rng: random.Random, actor: str, now: dt.datetime):
        self.fw, self.slug, self.months, self.rng = fw, project["slug"], months, rng
        self.actor, self.now = actor, now
        self.kind = cases.KINDS.get(self.slug) or (cases.SHOP if "chat" in (project.get("channels") or ())
                                                   else cases.TELECOM)
        staff = [u for u in fw.users.all() if self.slug in (u.get("projects") or ()) and not u.get("disabled")]
        self.supervisor = next(u["username"] for u in staff if "supervisor" in u["roles"])
        self.desk = next((u["username"] for u in staff if "qa" in u["roles"]), self.supervisor)
        self.leaders = {t.split(".", 1)[1]: u for u in staff if "team_leader" in u["roles"]
                        for t in u.get("teams") or () if t.startswith(f"{self.slug}.")}
        self.totals: dict[str, dict[str, int]] = {}
        self.used: set[tuple[str, str]] = set()
        fw.projects.configure(self.slug, NAME, {"categories": self.kind["categories"],
                                                "root_causes": self.kind["root_causes"]}, actor)
        self.project = fw.projects.get(self.slug)

    def build(self) -> list[dict]:
        planned = []
        for month, flows in zip(self.months[:-1], MONTHS):
            planned += self._plan_month(month, flows)
        for flow, kind, hours in CURRENT:
            received = self.now - dt.timedelta(hours=hours, minutes=self.rng.randint(0, 20))
            if flow == "minor":  # closed by now: decided on a weekday
                received = _office(received.replace(hour=10), weekday=True)
            planned.append((received, flow, kind))
        planned.sort(key=lambda p: p[0])
        made = [_Complaint(self, received, flow, kind).run() for received, flow, kind in planned
                if received.isoformat()[:7] >= self.months[0]]
        handling.record_breaches(self.fw, self.project, "system", at=self.now)
        return [records.get(self.fw, self.project, doc["id"]) for doc in made if doc]

    def _plan_month(self, month: str, flows: tuple[str, ...]) -> list[tuple]:
        first = dt.date.fromisoformat(f"{month}-01")
        days = [first + dt.timedelta(days=i) for i in range(31)]
        days = [d for d in days if d.isoformat()[:7] == month and d.weekday() < 5 and d < self.now.date()]
        chosen = sorted(self.rng.sample(days, min(len(flows), len(days))))
        planned = []
        for day, flow in zip(chosen, self.rng.sample(flows, len(flows))):
            if flow == "regulator":  # a Friday evening: answered on Monday, too late
                day = next((d for d in days if d.weekday() == 4 and d >= day), day)
                received = dt.datetime.combine(day, dt.time(16, self.rng.randint(20, 55)))
            else:
                received = dt.datetime.combine(day, dt.time(self.rng.randint(9, 12), self.rng.randint(0, 59)))
            planned.append((received, flow, flow))
        return planned

    # ------------------------------------------------------------ people

    def agent(self, day: dt.date, points: int) -> tuple[dict, str] | None:
        """An agent on the floor on *day*, not a team leader, whose month stays at
        `LOWEST_AFTER` or above after *points* off; and the agent's team."""
        month = day.isoformat()[:7]
        if month not in self.totals:
            self.totals[month] = {r["number"]: r["total"]
                                  for r in self.fw.ledger.sheet(self.slug, month, columns=False)}
        totals = self.totals[month]
        fit = [(a, s["team"]) for a, s in self.fw.agents.in_project(self.slug, day.isoformat())
               if (a.get("position") or "agent") == "agent" and s["team"] in self.leaders
               and (month, a["number"]) not in self.used and totals.get(a["number"], 80) - points >= LOWEST_AFTER]
        if not fit:
            return None
        agent, team = self.rng.choice(fit)
        self.used.add((month, agent["number"]))
        totals[agent["number"]] = totals.get(agent["number"], 80) - points
        return agent, team

    def customer(self, channel: str) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(cases.SURNAMES) + rng.choice(("女士", "先生"))
        if channel == "email":
            return name, f"{rng.choice(('li', 'wang', 'zhang', 'chen', 'liu'))}{rng.randint(1000, 99999)}@163.com"
        return name, f"1{rng.choice(('39', '38', '86', '58', '37', '52', '88'))}{rng.randint(0, 99999999):08d}"


class _Complaint:
    """One complaint: taken in at *received*, then its flow's steps, each after a drawn delay,
    until the flow ends or the floor's clock is reached."""

    def __init__(self, desk: _Desk, received: dt.datetime, flow: str, kind: str):
        self.desk, self.fw, self.project, self.rng = desk, desk.fw, desk.project, desk.rng
        self.received, self.flow = received, flow
        self.case: cases.Case = self.rng.choice(desk.kind[kind])
        self.rule_points = 0
        self.solution = 0
        self.escalations = 0

    def run(self) -> dict | None:
        case, desk = self.case, self.desk
        fields = {"channel": case.channel, "subject": case.subject, "wants": case.wants, "details": case.details,
                  "received": self.received.isoformat(sep=" ", timespec="minutes"), "against": case.against}
        fields["complainant"], fields["contact"] = desk.customer(case.channel)
        taker = desk.desk
        self.agent = self.team = None
        if case.against == "agent":
            rules = [s.split(":")[1] for s in FLOWS[self.flow] if s.startswith("valid:")]
            found = desk.agent(self.received.date(), RULE_POINTS[rules[0]] if rules else 0)
            if found is None:
                return None
            self.agent, self.team = found
            fields["agent"] = self.agent["number"]
            if self.flow == "minor":  # the customer asked for the team leader
                taker = desk.leaders[self.team]["username"]
        elif case.against == "team":
            self.team = self.rng.choice(sorted(t for t in desk.leaders if "night" in t) or sorted(desk.leaders))
            fields["team"] = self.team
        if case.channel in ("handling_point", "regulator"):
            fields["category"] = case.category
            fields["external_id"] = f"{self.received:%Y%m%d}{self.rng.randint(100, 999)}"
        self.at = self.received
        if case.channel in ("email", "handling_point", "regulator"):  # read at the desk a little later
            self.at = min(_office(self.received + dt.timedelta(minutes=self.rng.randint(5, 25))), desk.now)
        self.owner = taker
        self.doc = records.intake(self.fw, self.project, fields, taker, at=self.at)
        try:
            for step in FLOWS[self.flow]:
                self.step(*step.split(":"))
        except _Stop:
            pass
        return self.doc

    def later(self, step: str, after: dt.datetime | None = None) -> dt.datetime:
        low, high = DELAYS[step]
        at = _office((after or self.at) + dt.timedelta(minutes=self.rng.randint(low, high)), step in DATED)
        if at > self.desk.now:
            raise _Stop
        self.at = at
        return at

    def step(self, name: str, arg: str = "") -> None:
        fw, project, ident, case, rng = self.fw, self.project, self.doc["id"], self.case, self.rng
        supervisor, owner = self.desk.supervisor, self.owner
        if name == "respond":
            self.doc = handling.respond(fw, project, ident, owner, rng.choice(cases.RESPONSES),
                                        at=self.later(name))
        elif name == "respond_late":  # the first-response target has passed: the job escalates it
            due = next(c.due for c in records.targets(fw, project, self.doc, self.at)
                       if c.target == "first_response")
            handling.record_breaches(fw, project, "system", at=min(due + dt.timedelta(minutes=15), self.desk.now))
            self.doc = handling.respond(fw, project, ident, owner, rng.choice(cases.RESPONSES),
                                        at=self.later(name, after=max(due, self.at)))
        elif name == "classify":
            fields = {"category": case.category, "root_cause": case.root_cause, "side": case.side}
            if self.agent:
                fields["responsible"] = self.agent["name"]
            elif self.team:
                fields["responsible"] = self.desk.leaders[self.team].get("name") or ""
            self.doc = handling.classify(fw, project, ident, fields, owner, at=self.later(name))
        elif name in ("valid", "invalid"):
            rule = arg or None
            self.doc = handling.verdict(fw, project, ident, name, case.found, supervisor, rule=rule,
                                        at=self.later(name))
        elif name == "appeal":
            self.doc = handling.verdict(fw, project, ident, "invalid", cases.APPEAL, supervisor,
                                        at=self.later(name))
        elif name == "severity":
            self.doc = handling.set_severity(fw, project, ident, "serious", supervisor, cases.SERIOUS,
                                             at=self.later(name))
        elif name == "handover":
            leader = self.desk.leaders[self.team]["username"]
            self.doc = handling.handover(fw, project, ident, leader, owner, note=cases.TAKEOVER,
                                         at=self.later(name))
            self.owner = leader
        elif name == "propose":
            text = case.solutions[min(self.solution, len(case.solutions) - 1)] if case.solutions \
                else cases.EXPLAIN + case.found
            self.doc = handling.propose(fw, project, ident, text, owner,
                                        at=self.later(("propose", "repropose", "approval")[min(self.solution, 2)]))
            self.solution += 1
        elif name == "approve":
            self.doc = handling.approve(fw, project, ident, supervisor, at=self.later(name))
        elif name == "callback":
            note = {"accepted": rng.choice(cases.ACCEPTED), "not_accepted": rng.choice(cases.NOT_ACCEPTED),
                    "unreachable": cases.UNREACHED}[arg]
            self.doc = handling.callback(fw, project, ident, arg, owner, note, at=self.later(name))
        elif name == "wait":
            self.doc = handling.wait(fw, project, ident, arg, owner, rng.choice(cases.WAITS[arg]),
                                     at=self.later(name))
        elif name == "resume":
            self.doc = handling.resume(fw, project, ident, owner, rng.choice(cases.ANSWERS), at=self.later(name))
        elif name == "escalate":
            self.doc = handling.escalate(fw, project, ident, cases.ESCALATIONS[self.escalations], owner,
                                         at=self.later(name))
            self.escalations += 1
        elif name == "promise":
            at = self.later(name)
            by = (at + dt.timedelta(days=5)).date().isoformat()
            self.doc = handling.promise(fw, project, ident, case.promise or cases.RESPONSES[0], by, owner, at=at)
        elif name == "close":
            self.doc = handling.close(fw, project, ident, arg, owner, cases.CLOSE_NOTES[arg], at=self.later(name))
        elif name == "reopen":
            self.doc = handling.reopen(fw, project, ident, cases.REOPEN, owner, at=self.later(name))
        elif name == "archive":
            self.doc = handling.archive(fw, project, ident, owner, at=self.later(name))
        else:
            raise ValueError(f"no demo step {name!r}")
