"""The team leaders of the demo: each team's leader in the project's people register, with the
position team leader (so on the leaders' sheet, 班长考核, never on the agents' sheet, boards or
rankings) and the name of their login, and their months as the trainer assesses them: a few
events a month and, once a month is over, the trainer's judgement with its reason.

Appointed after the plugins' demo data, so the attendance floor (rosters, punches) is the
agents' alone; the leaders' months are what the trainer records.
"""

from __future__ import annotations

import datetime as dt

from .people import Floor
from .plans import LEADER_CRITICISM, LEADER_EVENTS, LEADER_PRAISE, trainer_login, weekdays


class Leaders:
    """One floor's team leaders and the trainer's record of their months."""

    def __init__(self, floor: Floor):
        self.fw, self.plan, self.rng, self.actor = floor.fw, floor.plan, floor.rng, floor.actor
        self.today, self.months, self.project = floor.today, floor.months, floor.project
        self.trainer = trainer_login(floor.plan.slug)
        self.leaders: list[dict] = []

    def appoint(self) -> None:
        """A person of the register per team, named as the team's leader login, in one commit."""
        pairs = []
        for index, (team, _, _) in enumerate(self.plan.teams, 1):
            login = self.fw.users.leading(self.plan.slug, team)[0]
            hired = self.today - dt.timedelta(days=self.rng.randint(400, 700))
            hired -= dt.timedelta(days=max(0, hired.weekday() - 4))  # on a weekday
            pairs.append(self.fw.agents.new_agent_docs(
                self.plan.slug, f"{self.plan.prefix}L{index:02d}", login["name"], team=team,
                hired=hired.isoformat(), tier=self.rng.choice(("senior", "elite", "expert")),
                position="team_leader"))
        self.fw.agents.add_many(self.plan.slug, pairs, self.actor)
        self.leaders = [{"number": agent["number"], "team": assignment["team"]} for agent, assignment in pairs]

    def record(self) -> None:
        """Each leader's months: up to two events, and the judgement of each finished month."""
        events = []
        codes = list(LEADER_EVENTS)
        for leader in self.leaders:
            for month in self.months:
                days = weekdays(month, self.today)
                for _ in range(self.rng.randint(0, 2)):
                    code = self.rng.choices(codes, weights=(5, 1, 2, 2))[0]
                    events.append(self._event(leader, code, self.rng.choice(days),
                                              self.rng.choice(LEADER_EVENTS[code])))
                if month < self.months[-1]:
                    points = self.rng.choice((-2, 1, 2, 3, 3, 4, 5))
                    reason = self.rng.choice(LEADER_PRAISE if points > 0 else LEADER_CRITICISM)
                    events.append(self._event(leader, "leader_judgement", days[-1], reason, points))
        self.fw.ledger.write(events, self.actor, "score.demo")

    def _event(self, leader: dict, code: str, day: str, reason: str, points: int | None = None) -> dict:
        return self.fw.ledger.prepare(self.project, leader["number"], code, day, self.trainer,
                                      points=points, reason=reason)
