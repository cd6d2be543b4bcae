"""Who may do what: the actions the core and every plugin declare, and `Access.authorize()`,
the one decision behind every page and form.

Deny by default. An action nobody declared is refused for everybody; a route naming one stops
the app from starting (`check_routes`). The decision, in order:

1. **Project scope** comes first and is never widened by a role: a project outside the user's
   ``projects`` answers 404 exactly like a project that does not exist, and so does an object
   of another project — an agent number from a form that was never assigned to the project.
2. **The role**: the project's own choice of roles for the action (an admin's, kept in the
   project document under ``actions``), else the roles the action was declared with. Admins
   always hold every action; an agent or client login never gains one its role was not given
   by the declaration, whatever an admin chooses, so pay cannot be opened to a client by a
   stray tick.
3. **The team**, for an action that ``writes``: a user who holds it only as a team leader acts
   only on the agents and teams they lead (``user["teams"]``: team ids ``<project>.<team>``).
   The object decides: its ``team``, else the team its ``agent`` was in on its ``date`` (else
   today). Without an object there is nothing to check the team against, so a team leader
   is refused: project-wide writes (an import of the whole punch clock) are a supervisor's.
   A team leader never writes on a team leader's own records (a person of the register whose
   ``position`` is ``team_leader``): leaders are assessed by the trainer or a supervisor.
4. **The agent**: an agent login reaches only its own records (404 for anyone else's).

A route is checked at step 2 only (`route=True`): the form's object is not known until the
handler reads it, and the handler passes it to ``page.authorize(action, obj)``.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import NotFound, PermissionDenied, ValidationError
from .i18n import N_
from .plugins import collect
from .records import Action
from .store import CORE
from .users import ROLES, in_scope

ROLE_TITLES = {"admin": N_("Admin"), "director": N_("Director"), "supervisor": N_("Supervisor"),
               "trainer": N_("Trainer"), "team_leader": N_("Team leader"), "qa": N_("QA"),
               "agent": N_("Agent"), "client": N_("Client")}
# the trainer (培训专员) gives the daily assessments and judges the team leaders' months
STAFF = ("admin", "director", "supervisor", "trainer", "team_leader", "qa")
MANAGERS = ("admin", "director")
SUPERVISORS = ("admin", "director", "supervisor")
LEADERS = SUPERVISORS + ("team_leader",)
# roles whose writes reach only the teams the user leads
TEAM_ROLES = frozenset({"team_leader"})
EVERYONE = "*"


def _core(name, roles, en, zh, scoped=True):
    return Action(name, roles, en, zh, scoped=scoped, plugin="core")


# The core's own actions; "public" needs no sign-in, "signed_in" any account.
CORE_ACTIONS = [
    _core("public", (EVERYONE,), "Open pages", "公开页面", scoped=False),
    _core("signed_in", (EVERYONE,), "Own account", "本人账户", scoped=False),
    _core("project.dashboard", STAFF + ("client",), "See the dashboard", "查看概览"),
    _core("agents.list", STAFF, "See the agents", "查看坐席名单"),
    _core("agent.view", STAFF + ("agent",), "See an agent's month", "查看坐席月度"),
    _core("scores.view", STAFF, "See the score sheet", "查看考核分表"),
    _core("scores.export", SUPERVISORS, "Export the score sheet", "导出考核分表"),
    _core("imports.use", SUPERVISORS, "Open the import page", "使用导入页面"),
    _core("agents.import", SUPERVISORS, "Import agents from a file", "从文件导入坐席"),
    _core("scores.import", SUPERVISORS, "Import score events from a file", "从文件导入考核记录"),
    _core("periods.view", LEADERS, "See the months", "查看月份"),
    _core("periods.close", MANAGERS, "Close a month", "月结"),
    _core("admin.users", ("admin",), "Manage users", "管理用户", scoped=False),
    _core("admin.projects", ("admin",), "Manage projects", "管理项目", scoped=False),
    _core("admin.project", ("admin",), "Set up a project", "设置项目"),
    _core("admin.audit", ("admin",), "Read the audit log", "查看审计日志", scoped=False),
    _core("admin.settings", ("admin",), "Install settings", "系统设置", scoped=False),
]


def collect_actions(pm) -> dict[str, Action]:
    """Every declared action by name, stamped with its plugin. A plugin's action is named
    ``<plugin>.…``; a duplicate name, an unknown role or a wrong type stops start-up, naming
    the plugin."""
    actions: dict[str, Action] = {}
    for action in collect(pm.hook.register_actions, Action, key="name"):
        plugin = action.plugin
        if plugin != "core" and not action.name.startswith(f"{plugin}."):
            raise ValueError(f"plugin {plugin} declares action {action.name!r}: "
                             f"name it {plugin}.<thing>")
        unknown = set(action.roles) - set(ROLES) - {EVERYONE}
        if unknown:
            raise ValueError(f"plugin {plugin} gives action {action.name!r} unknown roles {sorted(unknown)}")
        actions[action.name] = replace(action, roles=tuple(action.roles))
    return actions


class Access:
    """The declared actions of an install, the projects' choices of roles, and `authorize`."""

    def __init__(self, fw):
        self.fw = fw
        self.actions = collect_actions(fw.pm)

    # ------------------------------------------------------------ roles

    def grantable(self, name: str) -> tuple[str, ...]:
        """The roles an admin may give *name* in a project: staff roles, and an agent or client
        role only where the declaration gives it."""
        action = self._declared(name)
        return tuple(r for r in ROLES if r in STAFF or r in action.roles)

    def roles(self, name: str, project: dict | None = None) -> frozenset[str]:
        """The roles that hold *name* in *project*: the project's choice, else the default."""
        action = self._declared(name)
        chosen = (project or {}).get("actions", {}).get(name)
        if chosen is None or not action.scoped:
            return frozenset(action.roles)
        return frozenset(chosen) | {"admin"}

    def set_roles(self, slug: str, name: str, roles, actor: str) -> dict:
        """Give *name* to exactly *roles* in project *slug* (``None``: back to the default)."""
        return self.choose(slug, {name: roles}, actor)

    def choose(self, slug: str, choices: dict, actor: str) -> dict:
        """Set the roles of several actions of project *slug* in one commit: ``{name: roles}``,
        roles ``None`` (or the declared ones) meaning the default. All are checked first."""
        project = self.fw.projects.get(slug)
        chosen = dict(project.get("actions") or {})
        for name, roles in choices.items():
            action = self._declared(name)
            if not action.scoped or EVERYONE in action.roles:
                raise ValidationError(N_("action"), N_("{name} is the same in every project"), name=name)
            roles = None if roles is None else sorted(set(roles) | {"admin"})
            if roles is None or roles == sorted(set(action.roles) | {"admin"}):
                chosen.pop(name, None)
                continue
            allowed = self.grantable(name)
            for role in roles:
                if role not in allowed:
                    raise ValidationError(N_("roles"), N_("{role} cannot be given {name}"),
                                          role=role, name=name)
            chosen[name] = roles
        with self.fw.store.transaction(CORE, actor, "project.actions") as tx:
            return tx.update("projects", slug, {"actions": chosen})

    def _declared(self, name: str) -> Action:
        action = self.actions.get(name)
        if action is None:
            raise PermissionDenied(N_("your role does not allow this"))
        return action

    # ------------------------------------------------------------ the decision

    def authorize(self, user: dict | None, name: str, project: dict | None = None,
                  obj: dict | None = None, *, route: bool = False) -> None:
        """Allow *user* to do *name* in *project* on *obj*, or raise.

        Raises `NotFound` when the project or the object is outside what the user may know of
        (another project, an agent never in this project, another agent's record for an agent
        login) and `PermissionDenied` when the role does not hold the action, or holds it only
        for teams the object is not in. ``route=True`` checks scope and role only.
        """
        if name == "public":
            return
        if user is None or user.get("disabled"):
            raise PermissionDenied(N_("sign in first"))
        action = self._declared(name)
        slug = project["slug"] if project else None
        if action.scoped:
            if slug is None or not in_scope(user, slug):
                raise NotFound(N_("no project {slug!r}"), slug=slug or "")
            if obj is not None and obj.get("project", slug) != slug:
                raise NotFound(N_("not found"))
        user_roles = set(user.get("roles") or ())
        held = self.roles(name, project)
        granting = user_roles if EVERYONE in held else user_roles & held
        if not granting:
            raise PermissionDenied(N_("your role does not allow this"))
        if route:
            return
        agent = _agent_of(obj) if obj is not None else None
        teams = self._teams(slug, obj, agent) if obj is not None and action.scoped else set()
        if agent is not None and user_roles <= {"agent"} and agent != user.get("agent"):
            raise NotFound(N_("not found"))
        if action.writes and granting <= TEAM_ROLES:
            led = set(user.get("teams") or ())
            if obj is None:
                raise PermissionDenied(N_("a team leader does this only for an agent or team they lead"))
            if agent is not None and _is_leader(self.fw, agent):
                # leaders are assessed by the trainer or a supervisor, never by one another
                raise PermissionDenied(N_("a team leader's month is assessed by the trainer or a supervisor"))
            if not {f"{slug}.{t}" for t in teams} & led:
                raise PermissionDenied(N_("you do not lead this agent's team"))

    def can(self, user, name, project=None, obj=None, *, route: bool = False) -> bool:
        """Whether `authorize` allows it: True or False rather than an error."""
        try:
            self.authorize(user, name, project, obj, route=route)
        except (NotFound, PermissionDenied):
            return False
        return True

    def reads(self, user, project, audience: str = "internal", action: str = "") -> bool:
        """Whether *user* may read a figure of *project* meant for *audience* (``internal``: the
        BPO's staff, never a client or an agent login; ``client``: anyone who sees the project)
        and, when *action* is given, held behind it (pay: ``incentives.pay``)."""
        if audience != "client" and not set((user or {}).get("roles") or ()) & set(STAFF):
            return False
        return not action or self.can(user, action, project)

    def _teams(self, slug: str, obj: dict, agent: str | None) -> set[str]:
        """The teams the object is in: its ``team``, or its agent's team on its ``date`` (else
        today's, else the last one). An agent never assigned to the project is not found."""
        if obj.get("team"):
            team = str(obj["team"])
            if self.fw.store.table(CORE, "teams").get(f"{slug}.{team}") is None:
                raise NotFound(N_("no team {team!r} in project {project!r}"), team=team, project=slug)
            return {team}
        if agent is None:
            return set()
        mine = [a for a in self.fw.agents.assignments(str(agent)) if a["project"] == slug]
        if not mine:
            raise NotFound(N_("not found"))
        day = str(obj.get("date") or self.fw.projects.today(slug).isoformat())
        on = [a for a in mine if a["start"] <= day and (a["end"] is None or day <= a["end"])]
        return {a["team"] for a in (on or mine[-1:]) if a.get("team")}


def _is_leader(fw, number: str) -> bool:
    """Whether the person *number* of the register is a team leader (`people.POSITIONS`)."""
    person = fw.store.table(CORE, "agents").get(number)
    return bool(person) and person.get("position") == "team_leader"


def _agent_of(obj: dict) -> str | None:
    """The agent number an object belongs to: a record's ``agent``, or an agent's ``number``."""
    found = obj["agent"] if "agent" in obj else obj.get("number")
    return None if found in (None, "") else str(found)


def check_routes(routes, access: Access) -> None:
    """Every route names a declared action; else start-up stops naming the route."""
    for route in routes:
        name = getattr(route, "action", None)
        if name is not None and name not in access.actions:
            raise ValueError(f"route {route.path} names action {name!r}, which no plugin declares")
