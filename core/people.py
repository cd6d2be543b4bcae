"""Teams, agents and their assignments to a project and team over time.

Membership carries effective dates, so "where was this agent on that day" is a query and a
report for a past month uses who was where in that month. An assignment runs from `start` to
`end` (inclusive; None while open); an agent has at most one assignment on any day.
"""

from __future__ import annotations

import datetime as dt

from . import validate
from .errors import Conflict, NotFound, PeriodClosed, ValidationError
from .i18n import N_
from .plugins import project_hook
from .store import CORE, new_id, now_iso
from .users import in_scope

TIERS = ("regular", "senior", "elite", "expert", "gold")
TIER_TITLES = {"regular": ("Regular", "普通客服"), "senior": ("Senior", "高级客服"),
               "elite": ("Elite", "精英客服"), "expert": ("Expert", "专家客服"),
               "gold": ("Gold", "金牌客服")}
LEAVE_REASONS = ("resigned", "dismissed", "contract_end", "transferred", "other")
# what a person of the register does on the floor: an agent (坐席), or a team leader (班长), who is
# scored on a sheet of the leaders (by the trainer), not on the agents' sheet, boards or rankings
POSITIONS = ("agent", "team_leader")
POSITION_TITLES = {"agent": ("Agent", "坐席"), "team_leader": ("Team leader", "班长")}
_POSITION_NAMES = {name.lower(): code for code, titles in POSITION_TITLES.items()
                   for name in (code, *titles)}


def position_of(person: dict) -> str:
    """The person's position; a record from before positions is an agent's."""
    return person.get("position") or "agent"


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


class Teams:
    def __init__(self, fw):
        self.fw = fw

    def of(self, project: str) -> list[dict]:
        """The teams of *project*, by slug."""
        return sorted(self.fw.store.read(CORE).index("teams", "project").get(project, []),
                      key=lambda t: t["slug"])

    def get(self, project: str, slug: str) -> dict:
        """The team *slug* of *project*, or `NotFound`."""
        team = self.fw.store.table(CORE, "teams").get(f"{project}.{slug}")
        if team is None:
            raise NotFound(N_("no team {team!r} in project {project!r}"), team=slug, project=project)
        return team

    def create(self, project: str, slug: str, name: str, actor: str, leader: str | None = None) -> dict:
        """A new team of *project*; *leader* (a username) is linked to it as its team leader."""
        self.fw.projects.get(project)
        slug = validate.slug(slug, N_("team"))
        doc = {"id": f"{project}.{slug}", "project": project, "slug": slug,
               "name": validate.text(name, N_("name"), validate.NAME_LIMIT, required=True)}
        user = self.fw.users.get(leader) if leader else None
        if user is not None and not in_scope(user, project):
            raise ValidationError(N_("leader"), N_("{username} does not see project {project}"),
                                  username=leader, project=project)
        with self.fw.store.transaction(CORE, actor, "team.create") as tx:
            if tx.get("teams", doc["id"]):
                raise Conflict(N_("team {team!r} already exists in project {project!r}"),
                               team=slug, project=project)
            tx.insert("teams", doc)
            if user is not None:
                tx.update("users", user["username"],
                          {"teams": sorted({*(user.get("teams") or ()), doc["id"]})})
        return doc


class Agents:
    def __init__(self, fw):
        self.fw = fw

    def _refuse_closed(self, project: str, day: str) -> None:
        """Membership from *day* on decides the rows of every later month's sheet, so a change
        from a day in (or before) a closed month of *project* would rewrite a locked month."""
        closed = sorted(m for m in self.fw.store.closed_months(project) if m >= day[:7])
        if closed:
            raise PeriodClosed(project, closed[0])

    # ------------------------------------------------------------ reading

    def get(self, number: str) -> dict:
        """The agent with employee number *number*, or `NotFound`."""
        agent = self.fw.store.table(CORE, "agents").get(str(number))
        if agent is None:
            raise NotFound(N_("no agent with employee number {number!r}"), number=number)
        return agent

    def assignments(self, number: str) -> list[dict]:
        """The agent's assignments (`project`, `team`, `start`, `end` or None), oldest first."""
        return sorted(self.fw.store.read(CORE).index("assignments", "agent").get(number, []),
                      key=lambda a: a["start"])

    def assignment_on(self, number: str, day: str) -> dict | None:
        """The agent's assignment on *day*, or None where the agent was in no project that day."""
        for a in self.assignments(number):
            if a["start"] <= day and (a["end"] is None or day <= a["end"]):
                return a
        return None

    def in_project(self, project: str, first: str, last: str | None = None) -> list[tuple[dict, dict]]:
        """(agent, assignment) for each agent assigned to *project* at any day from *first* to
        *last* (default: that day only); the assignment is the latest one in the range."""
        last = last or first
        core = self.fw.store.read(CORE)
        agents = core.table("agents")
        found: dict[str, dict] = {}
        for a in core.index("assignments", "project").get(project, []):
            if a["start"] <= last and (a["end"] is None or first <= a["end"]):
                current = found.get(a["agent"])
                if current is None or a["start"] > current["start"]:
                    found[a["agent"]] = a
        return sorted(((agents[n], a) for n, a in found.items()), key=lambda pair: pair[0]["number"])

    def in_month(self, project: str, month: str) -> list[tuple[dict, dict]]:
        """(agent, assignment) for each agent assigned to *project* on any day of *month* (see
        `in_project`)."""
        return self.in_project(project, *validate.month_bounds(month))

    def require_in_project(self, project: str, number: str, day: str) -> dict:
        """The agent, if assigned to *project* on *day*; else a clear error."""
        agent = self.get(number)
        a = self.assignment_on(agent["number"], day)
        if a is None or a["project"] != project:
            raise ValidationError(N_("agent"), N_("agent {number} is not in project {project} on {date}"),
                                  number=number, project=project, date=day)
        return agent

    # ------------------------------------------------------------ writing

    def new_agent_docs(self, project: str, number: str, name: str, *, team: str | None = None,
                       hired: str | None = None, tier: str = "regular", field_row: int | None = None,
                       position: str = "agent") -> tuple[dict, dict]:
        """Checked documents of a new agent and its first assignment (nothing written);
        *position* is a code of `POSITIONS` or its title in either language (岗位: 坐席, 班长)."""
        def err(field, problem, **params):
            return ValidationError(field, problem, row=field_row, **params)

        number = str(number or "").strip()
        if not validate.NUMBER.match(number):
            raise err(N_("employee number"), N_("use 1–20 letters, digits, '_' or '-', got {value!r}"),
                      value=number)
        try:
            name = validate.text(name, N_("name"), validate.NAME_LIMIT, required=True)
            hired = validate.date(hired or self.fw.projects.today(project), N_("hire date"))
        except ValidationError as exc:
            raise err(exc.field, exc.problem, **exc.params["problem"].params) from None
        if tier not in TIERS:
            raise err(N_("tier"), N_("must be one of {choices}, got {value!r}"),
                      choices=", ".join(TIERS), value=tier)
        typed, position = position, _POSITION_NAMES.get(str(position or "agent").strip().lower())
        if position is None:
            raise err(N_("position"), N_("must be one of {choices}, got {value!r}"),
                      choices=", ".join(POSITIONS), value=typed)
        team_id = None
        if team:
            team_id = f"{project}.{team}"
            if team_id not in self.fw.store.table(CORE, "teams"):
                raise err(N_("team"), N_("no team {team!r} in project {project!r}"), team=team,
                          project=project)
        agent = {"id": number, "number": number, "name": name, "tier": tier, "hired": hired,
                 "position": position, "status": "active", "left_on": None, "leave_reason": None, "created_at": now_iso()}
        assignment = {"id": new_id(), "agent": number, "project": project, "team": team,
                      "start": hired, "end": None}
        return agent, assignment

    def add(self, project: str, number: str, name: str, actor: str, *, team: str | None = None,
            hired: str | None = None, tier: str = "regular", user: dict | None = None,
            position: str = "agent") -> dict:
        self.fw.projects.get(project)
        agent, assignment = self.new_agent_docs(project, number, name, team=team, hired=hired,
                                                tier=tier, position=position)
        self.add_many(project, [(agent, assignment)], actor, user=user)
        return agent

    def add_many(self, project: str, pairs: list[tuple[dict, dict]], actor: str,
                 user: dict | None = None, rows: list[int] | None = None) -> int:
        """Store checked agents with their assignments in one commit; a duplicate number anywhere
        (in the file or the company) writes nothing and names the row."""
        project_doc = self.fw.projects.get(project)
        if pairs:
            self._refuse_closed(project, min(a["start"] for _, a in pairs))
        seen: dict[str, int] = {}
        with self.fw.store.transaction(CORE, actor, "agent.add") as tx:
            existing = tx.docs("agents")
            for i, (agent, _) in enumerate(pairs):
                row = rows[i] if rows else None
                number = agent["number"]
                if number in existing:
                    raise ValidationError(N_("employee number"), N_("{number} is already taken"),
                                          row=row, number=number)
                if number in seen:
                    raise ValidationError(N_("employee number"),
                                          N_("{number} appears twice (also row {other})"),
                                          row=row, number=number, other=seen[number])
                seen[number] = row
            tx.insert_many("agents", [agent for agent, _ in pairs])
            tx.insert_many("assignments", [a for _, a in pairs])
        if pairs:
            self._announce(project_doc, [agent for agent, _ in pairs], user)
        return len(pairs)

    def _announce(self, project_doc: dict, agents: list[dict], user: dict | None) -> None:
        """Tell the enabled plugins of new agents: an import once (`on_agents_created`) to a
        plugin that implements it, else once per agent (`on_agent_created`); an agent added
        alone through `on_agent_created` where the plugin implements it."""
        def implementers(name: str) -> set[str]:
            return {impl.plugin_name for impl in self.fw.project_hook(project_doc, name).get_hookimpls()}

        batch, single = implementers("on_agents_created"), implementers("on_agent_created")
        alone = len(agents) == 1
        at_once, per_agent = (batch - single, single) if alone else (batch, single - batch)
        if at_once:
            project_hook(self.fw.pm, "on_agents_created", at_once)(
                floorwalker=self.fw, project=project_doc, agents=agents, user=user)
        if per_agent:
            hook = project_hook(self.fw.pm, "on_agent_created", per_agent)
            for agent in agents:
                hook(floorwalker=self.fw, project=project_doc, agent=agent, user=user)

    def move(self, number: str, project: str, actor: str, *, team: str | None = None,
             start: str | None = None, user: dict | None = None) -> dict:
        """Assign the agent to *project* / *team* from *start*; the open assignment ends the day before."""
        agent = self.get(number)
        project_doc = self.fw.projects.get(project)
        if agent["status"] != "active":
            raise Conflict(N_("agent {number} has left"), number=number)
        start = validate.date(start or self.fw.projects.today(project_doc), N_("start date"))
        if team:
            self.fw.teams.get(project, team)
        self._refuse_closed(project, start)
        left_behind = self.assignment_on(agent["number"], start)
        if left_behind and left_behind["project"] != project:
            self._refuse_closed(left_behind["project"], start)
        with self.fw.store.transaction(CORE, actor, "agent.move") as tx:
            current = [a for a in tx.docs("assignments").values()
                       if a["agent"] == agent["number"] and (a["end"] is None or a["end"] >= start)]
            previous = None
            for a in current:
                if a["start"] >= start:
                    raise Conflict(N_("agent {number} already has an assignment from {date}"),
                                   number=number, date=a["start"])
                previous = tx.update("assignments", a["id"], {"end": _day_before(start)})
            assignment = tx.insert("assignments", {"id": new_id(), "agent": agent["number"],
                                                   "project": project, "team": team,
                                                   "start": start, "end": None})
        # the project left behind hears of it too (its rosters hold the agent's future shifts)
        enabled = set(project_doc["plugins"])
        if previous and previous["project"] != project:
            enabled |= set(self.fw.projects.get(previous["project"])["plugins"])
        project_hook(self.fw.pm, "on_agent_moved", enabled)(
            floorwalker=self.fw, project=project_doc, agent=agent, assignment=assignment,
            previous=previous, user=user)
        return assignment

    def leave(self, number: str, date: str, reason: str, actor: str, user: dict | None = None) -> dict:
        agent = self.get(number)
        date = validate.date(date, N_("leave date"))
        validate.choice(reason, LEAVE_REASONS, N_("reason"))
        if agent["status"] == "left":
            raise Conflict(N_("agent {number} has already left"), number=number)
        if date < agent["hired"]:
            raise ValidationError(N_("leave date"), N_("is before the hire date {hired}"),
                                  hired=agent["hired"])
        last = self.assignment_on(agent["number"], date)
        for project in {a["project"] for a in self.assignments(agent["number"])
                        if a["end"] is None or a["end"] > date}:
            self._refuse_closed(project, date)
        with self.fw.store.transaction(CORE, actor, "agent.leave") as tx:
            for a in tx.docs("assignments").values():
                if a["agent"] == agent["number"] and (a["end"] is None or a["end"] > date):
                    if a["start"] > date:
                        tx.remove("assignments", a["id"])
                    else:
                        tx.update("assignments", a["id"], {"end": date})
            agent = tx.update("agents", agent["number"],
                              {"status": "left", "left_on": date, "leave_reason": reason})
        if last:
            project_doc = self.fw.projects.get(last["project"])
            self.fw.project_hook(project_doc, "on_agent_left")(
                floorwalker=self.fw, project=project_doc, agent=agent, date=date, reason=reason,
                user=user)
        return agent

    def set_tier(self, number: str, tier: str, actor: str, user: dict | None = None) -> dict:
        """Give the agent *tier* and, where it changed, tell the enabled plugins of the agent's
        project (`on_agent_tier_changed`); returns the agent."""
        agent = self.get(number)
        validate.choice(tier, TIERS, N_("tier"))
        old = agent["tier"]
        with self.fw.store.transaction(CORE, actor, "agent.tier") as tx:
            agent = tx.update("agents", agent["number"], {"tier": tier})
        current = self.assignment_on(agent["number"], dt.date.today().isoformat())
        if current and old != tier:
            project_doc = self.fw.projects.get(current["project"])
            self.fw.project_hook(project_doc, "on_agent_tier_changed")(
                floorwalker=self.fw, project=project_doc, agent=agent, old_tier=old,
                new_tier=tier, user=user)
        return agent
