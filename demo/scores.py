"""The score history of the demo: what each agent's months earn by their conduct profile,
written through the ledger as the floor's leaders and supervisor would record them, a few
reversals, and the correction of a closed month.

Only the core's own rules are recorded here, and of those only the ones a person records in the
project: a rule an enabled plugin derives from its own records there (its ``derived_rules``,
as attendance derives lateness and absence from the punches) is left to that plugin's
``demo_data``, so nothing is scored twice.
"""

from __future__ import annotations

import datetime as dt
import random

from ..core.ledger import build_sheet
from ..core.plugins import CORE_PLUGIN, collect
from ..core.rule_limits import is_violation
from .people import Floor
from .plans import (BEHAVIOURS, BEST_OF_MONTH, BONUS, CRITICISM, EXCUSED, FAILING_BELOW, LIGHT, MEDIUM,
                    PRAISE, REVERSAL_REASONS, SEVERE, leader_login, weekdays)


def by_hand(fw, project: dict) -> set[str]:
    """The rules recorded by hand in *project*: the core's, less those an enabled plugin derives."""
    derived = collect(fw.project_hook(project, "derived_rules"), str, floorwalker=fw, project=project)
    return {code for code, (owner, _) in fw.rules.items() if owner == CORE_PLUGIN} - set(derived)


class ScoreHistory:
    """The months a floor's agents earn, one commit per month file."""

    def __init__(self, floor: Floor):
        self.fw, self.plan, self.rng, self.actor = floor.fw, floor.plan, floor.rng, floor.actor
        self.today, self.months, self.project = floor.today, floor.months, floor.project
        self.supervisor, self.agents = floor.supervisor, floor.agents
        self.by_hand = by_hand(floor.fw, floor.project)

    def record(self) -> None:
        """Each agent's months, written one commit per month file; then a few reversals."""
        events = []
        for agent in self.agents:
            agent["worked"] = self._worked(agent)
            for month in self.months:
                events += self._month_of(agent, month)
        self.fw.ledger.write(events, self.actor, "score.demo")
        wrong = [e for e in events if e["kind"] in ("light", "medium")]
        for event in self.rng.sample(wrong, 2):
            self.fw.ledger.reverse(event["id"], self.rng.choice(REVERSAL_REASONS), self.supervisor,
                                   project=self.plan.slug)

    def _worked(self, agent: dict) -> dict[str, str]:
        """Team by day for each weekday of the demo the agent was assigned to this project."""
        worked = {}
        for a in self.fw.agents.assignments(agent["number"]):
            if a["project"] == self.plan.slug:
                last = min(self.today, dt.date.fromisoformat(a["end"] or dt.date.max.isoformat()))
                worked.update((day, a["team"]) for m in self.months for day in weekdays(m, last)
                              if day >= a["start"])
        return worked

    def _month_of(self, agent: dict, month: str) -> list[dict]:
        days = [(day, team) for day, team in agent["worked"].items() if day.startswith(month)]
        if not days:
            return []
        rng, way = self.rng, BEHAVIOURS[agent["profile"]]
        share = len(days) / len(weekdays(month, dt.date.max))  # a part month earns a part
        codes = [_pick(rng, LIGHT) for _ in range(rng.randint(*way.lights))]
        if agent["new"]:  # a new hire still learns the systems
            codes += [rng.choice(("entry_error", "spot_check_error"))
                      for _ in range(rng.randint(0, 2))]
        codes += [_pick(rng, MEDIUM)] if rng.random() < way.medium else []
        codes += [_pick(rng, SEVERE)] if rng.random() < way.severe else []
        codes += [_pick(rng, BONUS) for _ in range(rng.randint(*way.bonuses))]
        codes = [code for code in codes if code in self.by_hand]
        events = [self._event(agent, code, rng.choice(days)) for code in codes if rng.random() < share]
        if agent.get("reason") == "dismissed" and month == agent["left"][:7]:
            caught = days[max(0, len(days) - 4)]  # a few days before the dismissal
            events.append(self._event(agent, "asleep_on_duty", caught, reason="夜班期间在座位上睡觉，被主管发现"))
        month_over = month < self.months[-1]
        if month_over and rng.random() < way.judged:
            points = rng.randint(*way.judgement)
            if points:
                reason = rng.choice(PRAISE if points > 0 else CRITICISM)
                events.append(self._event(agent, "leader_judgement", days[-1], points=points,
                                          reason=reason))
        return events

    def _event(self, agent: dict, code: str, when: tuple[str, str], *, points: int | None = None,
               reason: str | None = None, by: str | None = None) -> dict:
        day, team = when
        if reason is None:
            points, reason = self._points_and_reason(code)
        by = by or (self.supervisor if code == "spot_check_error" else leader_login(self.plan.slug, team))
        return self.fw.ledger.prepare(self.project, agent["number"], code, day, by, points=points,
                                      reason=reason)

    def _points_and_reason(self, code: str) -> tuple[int | None, str]:
        rng = self.rng
        if code == "late_or_early":
            minutes = rng.randint(3, 18)
            points = -2 if minutes < 10 else -3 if minutes < 15 else -5
            return points, f"{rng.choice(('迟到', '早退'))}{minutes}分钟"
        if code == "spot_check_error":
            return rng.choice((-2, -2, -3, -5)), "主管抽查：" + rng.choice(self.plan.spot_checks)
        if code == "chatting":
            return rng.choice((-1, -2)), rng.choice(LIGHT[code][1])
        if code == "task_not_done":
            return rng.choice((-2, -3, -5)), rng.choice(LIGHT[code][1])
        table = next(t for t in (LIGHT, MEDIUM, SEVERE, BONUS) if code in t)
        return None, rng.choice(table[code][1])

    def calibrate(self) -> None:
        """Once the plugins' records are in (attendance's lateness and absences): in each full
        month, a troubled agent who worked most of it ends below 60 (another violation noted
        if need be), every other agent at 60 or above (a violation found wrong is reversed, as
        a supervisor does after checking), and the ``early`` probation case earns an A. So a
        floor has one or two agents below 60 a month, as a real one does."""
        settings = self.fw.projects.settings(self.project, "core")

        def total(events):
            return build_sheet(events, settings, self.fw.rules)["total"]

        added = []
        for month in self.months[:-1]:
            rows = {r["number"]: r for r in self.fw.ledger.sheet(self.plan.slug, month, columns=False)}
            for agent in self.agents:
                days = [(d, t) for d, t in agent["worked"].items() if d.startswith(month)]
                row = rows.get(agent["number"])
                if not days or row is None:
                    continue
                events = [e for e in row["events"] if not e["reverses"] and not e["reversed_by"]]
                if agent["profile"] == "troubled":
                    full = len(days) >= len(weekdays(month, dt.date.max)) / 2
                    while full and total(events) >= FAILING_BELOW - 2 and len(events) < 30:
                        code = _pick(self.rng, {c: w for c, w in MEDIUM.items() if c in self.by_hand})
                        events.append(self._event(agent, code, self.rng.choice(days)))
                        added.append(events[-1])
                    continue
                faults = sorted((e for e in events if is_violation(e)), key=lambda e: (e["points"], e["date"]))
                while total(events) < FAILING_BELOW and faults:
                    wrong = faults.pop(0)
                    events.remove(wrong)
                    reason = EXCUSED if wrong["rule"] == "absent" else self.rng.choice(REVERSAL_REASONS)
                    self.fw.ledger.reverse(wrong["id"], reason, self.supervisor, project=self.plan.slug,
                                           decision=True)
                if agent["case"] == "early":
                    while total(events) <= 90 and len(events) < 30:
                        events.append(self._event(agent, self.rng.choice(("extra_task", "covered_shift")),
                                                  self.rng.choice(days)))
                        added.append(events[-1])
        if added:
            self.fw.ledger.write(added, self.actor, "score.demo")

    def award_best_of_month(self) -> None:
        """+5 for the best agent of the whole floor in each finished month, recorded by the
        supervisor: the highest total among those with no violation in the month who were on
        the floor at its end (ties drawn)."""
        awards = []
        for month in self.months[:-1]:
            last = weekdays(month, self.today)[-1]
            rows = self.fw.ledger.sheet(self.plan.slug, month, columns=False)
            clean = [r for r in rows if not any(is_violation(e) for e in r["events"]
                                                if not e["reverses"] and not e["reversed_by"])]
            on_floor = {a["number"]: a for a in self.agents if a["worked"].get(last)}
            clean = [r for r in clean if r["number"] in on_floor]
            if clean:
                best = max(r["total"] for r in clean)
                winner = on_floor[self.rng.choice([r["number"] for r in clean if r["total"] == best])]
                awards.append(self._event(winner, "best_of_month", (last, winner["worked"][last]),
                                          reason=BEST_OF_MONTH, by=self.supervisor))
        self.fw.ledger.write(awards, self.actor, "score.demo")

    def correct_closed_month(self) -> None:
        """An adjustment in an open month for a lateness of the closed month found to be wrong:
        how a correction reaches a locked month."""
        closed = self.months[0]
        events = self.fw.ledger.events(self.plan.slug, closed)
        reversed_ids = {e["reverses"] for e in events if e["reverses"]}
        late = sorted((e for e in events if e["rule"] == "late_or_early" and not e["reverses"]
                       and e["id"] not in reversed_ids),
                      key=lambda e: (e["date"], e["agent"], e["points"]))  # not by id: random
        worked = {a["number"]: a["worked"] for a in self.agents if a["profile"] != "troubled"}
        for event in late:
            if event["agent"] not in worked:
                continue
            later = [day for day in worked[event["agent"]] if day[:7] > closed]
            if later:
                self.fw.ledger.record(
                    self.plan.slug, event["agent"], "adjustment", later[-1], self.supervisor,
                    points=-event["points"], adjusts=closed,
                    reason=f"复核门禁记录，{event['date']}实为按时到岗，更正{closed}扣分")
                return


def _pick(rng: random.Random, table: dict) -> str:
    codes = list(table)
    return rng.choices(codes, weights=[table[c][0] for c in codes])[0]
