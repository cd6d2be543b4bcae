"""The people of the demo: each project's floor of agents (hired over two years, a few moved
between teams, a few gone), and a login for every role.

Agents get a conduct profile by quota rather than by independent draws (`plans.QUOTAS`), so every
seed yields stars and strugglers; the profiles decide who is let go and whose month is scored how
(`scores`).
"""

from __future__ import annotations

import datetime as dt
import random

from ..core.users import hash_password
from .plans import (GIVEN_NAMES, HISTORY_DAYS, NEW_HIRE_DAYS, PASSWORD_ALPHABET, PASSWORD_LENGTH,
                    PROBATION_CASES, QUOTAS, SURNAMES, DemoProject, leader_login, trainer_login,
                    weekdays)


class NamePool:
    """Realistic Chinese names, each used once in the company."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def draw(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)
            if name not in self.used:
                self.used.add(name)
                return name


class Floor:
    """One project's floor: its agents with their profiles, hires, transfers and leavers."""

    def __init__(self, fw, plan: DemoProject, rng: random.Random, names: NamePool,
                 today: dt.date, months: list[str], actor: str):
        self.fw, self.plan, self.rng, self.actor = fw, plan, rng, actor
        self.today, self.months = today, months
        self.project = fw.projects.get(plan.slug)
        self.supervisor = f"{plan.slug}.supervisor"
        self.agents = self._hire(names)
        self._move_and_let_go()

    def _hire(self, names: NamePool) -> list[dict]:
        """Agents in one commit: hire dates over two years, a few new hires, tiers by tenure."""
        rng, today = self.rng, self.today
        plans, pairs = [], []
        size = sum(count for _, _, count in self.plan.teams)
        profiles = [p for p, share in QUOTAS.items() for _ in range(max(1, round(size * share)))]
        profiles += ["good"] * (size - len(profiles))
        rng.shuffle(profiles)
        number = int(self.plan.prefix[1:]) * 1000
        cases = self._probation_cases()
        for team, _, count in self.plan.teams:
            for _ in range(count):
                number += 1
                new = rng.random() < 0.08
                days_ago = (rng.randint(10, NEW_HIRE_DAYS) if new
                            else rng.randint(NEW_HIRE_DAYS + 1, HISTORY_DAYS))
                case = cases.pop() if cases and number % 1000 > size - 3 else None
                if case:  # hired on a day the case needs (see `_probation_cases`)
                    days_ago, new = (today - case[1]).days, case[0] == "early"
                hired = today - dt.timedelta(days=days_ago)
                hired -= dt.timedelta(days=max(0, hired.weekday() - 4))  # on a weekday
                tier = "regular" if new or case else _tier(rng, days_ago)
                agent, assignment = self.fw.agents.new_agent_docs(
                    self.plan.slug, f"{self.plan.prefix[0]}{number}", names.draw(), team=team,
                    hired=hired.isoformat(), tier=tier)
                pairs.append((agent, assignment))
                plans.append({"number": agent["number"], "hired": agent["hired"], "new": new,
                              "profile": profiles.pop(), "case": case and case[0]})
        _fit_profiles(plans)
        self.fw.agents.add_many(self.plan.slug, pairs, self.actor)
        return plans

    def _probation_cases(self) -> list[tuple[str, dt.date]]:
        """The pay-sheet flags of the rulebook, one agent each, on one floor: ``quick`` starts
        in the oldest month and resigns within weeks (no salary settlement); ``fee`` starts some
        six weeks earlier and resigns in the same month, in probation (the training fee);
        ``early`` starts shortly before the last full month and earns an A in it (may apply
        for early confirmation). Hire days, latest case first."""
        if self.plan.slug != PROBATION_CASES:
            return []
        first = dt.date.fromisoformat(self.months[0] + "-01")
        last_full = dt.date.fromisoformat(self.months[-2] + "-01")
        return [("fee", first - dt.timedelta(days=40)), ("quick", first + dt.timedelta(days=2)),
                ("early", last_full - dt.timedelta(days=25))]

    def _move_and_let_go(self) -> None:
        """A transfer between teams in the second month; leavers during the months shown."""
        start = self.months[0] + "-01"
        veterans = [a for a in self.agents if a["hired"] < start and a["profile"] != "troubled"
                    and not a["case"]]
        for agent in self.rng.sample(veterans, self.plan.movers):
            current = self.fw.agents.assignment_on(agent["number"], start)["team"]
            team = self.rng.choice([t for t, _, _ in self.plan.teams if t != current])
            day = self.rng.choice(weekdays(self.months[1], self.today)[:10])
            self.fw.agents.move(agent["number"], self.plan.slug, self.actor, team=team, start=day)
            agent["moved"] = True
        window = [d for m in self.months for d in weekdays(m, self.today - dt.timedelta(days=7))]
        for reason in self.plan.leavers:
            # the dismissed one earned it; others are ordinary people moving on
            profiles = ("troubled", "struggling") if reason == "dismissed" else ("good", "average")
            found = [a for a in self.agents if a["hired"] < start and a["profile"] in profiles
                     and not a.get("moved") and not a.get("left") and not a["case"]]
            agent = self.rng.choice([a for a in found if a["profile"] == profiles[0]] or found)
            agent["left"] = self.rng.choice(window[8:])
            agent["reason"] = reason
            self.fw.agents.leave(agent["number"], agent["left"], reason, self.actor)
        for agent in self.agents:  # the probation cases resign in the oldest month
            if agent["case"] in ("quick", "fee"):
                hired = dt.date.fromisoformat(agent["hired"])
                day = max(hired + dt.timedelta(days=16), dt.date.fromisoformat(start) + dt.timedelta(days=19))
                day -= dt.timedelta(days=max(0, day.weekday() - 4))
                agent["left"], agent["reason"] = day.isoformat(), "resigned"
                self.fw.agents.leave(agent["number"], agent["left"], "resigned", self.actor)


def _fit_profiles(plans: list[dict]) -> None:
    """Swap profiles so that no troubled agent is a new hire or a probation case (a floor's one
    or two below 60 are seasoned strugglers), the ``early`` case is a star and the resigning
    cases ordinary people; the floor's quotas stay as drawn."""
    def swap(plan, wanted):
        other = next((o for o in plans if o["profile"] == wanted and not o["new"] and not o["case"]), None)
        if other is not None:
            plan["profile"], other["profile"] = other["profile"], plan["profile"]

    for plan in plans:
        if plan["case"] == "early" and plan["profile"] != "star":
            swap(plan, "star")
        elif plan["profile"] in ("troubled", "star") and plan["case"] in ("quick", "fee"):
            swap(plan, "good")
        elif plan["profile"] == "troubled" and plan["new"]:
            swap(plan, "good")


def _tier(rng: random.Random, days_ago: int) -> str:
    """Tiers follow tenure: nobody reaches gold in their first year."""
    if days_ago < 365:
        return rng.choices(("regular", "senior"), weights=(80, 20))[0]
    return rng.choices(("regular", "senior", "elite", "expert", "gold"),
                       weights=(50, 25, 12, 8, 5))[0]


def _password(rng: random.Random) -> str:
    return "".join(rng.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def logins(fw, rng: random.Random, names: NamePool, floors: list[Floor], actor: str) -> list[dict]:
    """A login for every role, stored in one commit; returns them with their passwords."""
    wanted = [("admin", "admin", None, None, ()), ("director", "director", None, None, ())]
    for floor in floors:
        slug = floor.plan.slug
        wanted.append((floor.supervisor, "supervisor", slug, None, ()))
        wanted += [(leader_login(slug, team), "team_leader", slug, None, (f"{slug}.{team}",))
                   for team, _, _ in floor.plan.teams]
        wanted.append((f"{slug}.qa", "qa", slug, None, ()))
        wanted.append((trainer_login(slug), "trainer", slug, None, ()))
        staying = [a for a in floor.agents if a["profile"] == "good" and not a["new"]
                   and not a.get("left") and not a.get("moved")]
        agent = rng.choice(staying)
        wanted.append((agent["number"].lower(), "agent", slug, agent["number"], ()))
        wanted.append((f"{slug}.client", "client", slug, None, ()))
    accounts, docs = [], []
    for username, role, project, agent, teams in wanted:
        password = _password(rng)
        if role == "client":
            name = fw.projects.get(project)["client"]
        else:
            name = fw.agents.get(agent)["name"] if agent else names.draw()
        docs.append(fw.users.prepare(username, hash_password(password), [role],
                                     [project] if project else ["*"], name, "zh_CN", agent=agent,
                                     teams=teams))
        accounts.append({"username": username, "password": password, "role": role,
                         "project": project})
    fw.users.add_many(docs, actor)
    return accounts
