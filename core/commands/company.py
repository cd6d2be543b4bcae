"""``floorwalker project``, ``team``, ``agent`` and ``user``: the company's master data.

Projects with their plugins, settings and who may do what; the teams of a project; agents
(坐席) with their assignments over time; and the logins.
"""

from __future__ import annotations

from typing import Callable

import click

from ..errors import Conflict, ValidationError
from ..i18n import LOCALES, N_, translate
from ..importing import import_agents
from ..people import POSITION_TITLES, TIER_TITLES, TIERS
from . import Session, format_option, month_option, project_option
from .imports import import_options
from .scores import import_rows


@click.group()
def project():
    """Projects (client engagements)."""


PROJECT_COLUMNS = [("slug", N_("slug")), ("client", N_("client")), ("name", N_("name")),
                   ("channels", N_("channels")), ("status", N_("status")),
                   ("plugins", N_("plugins"))]


@project.command("list")
@format_option
@click.pass_obj
def project_list(s: Session, fmt):
    """List the projects."""
    s.show(s.fw.projects.all(), PROJECT_COLUMNS, fmt)


@project.command("create")
@click.argument("slug")
@click.option("--client", required=True, help="The client's name.")
@click.option("--name", help="Project name (default: the client's).")
@click.option("--channel", "channels", multiple=True, help="voice, chat, email, ticket, social.")
@click.option("--plugin", "plugins", multiple=True, help="Plugins to enable (default: all).")
@click.option("--timezone", default="Asia/Shanghai", show_default=True)
@click.pass_obj
def project_create(s: Session, slug, client, name, channels, plugins, timezone):
    """Create a project."""
    doc = s.fw.projects.create(slug, client, s.actor, name=name, channels=channels or ("voice",),
                               timezone=timezone, plugins=list(plugins) if plugins else None)
    s.say(N_("Created project {slug}."), slug=doc["slug"])


@project.command("show")
@click.argument("slug")
@format_option
@click.pass_obj
def project_show(s: Session, slug, fmt):
    """Show a project with its settings."""
    doc = s.fw.projects.get(slug)
    if fmt == "json":
        s.show([doc], [], fmt)
        return
    rows = [{"field": key, "value": value} for key, value in doc.items()]
    s.show(rows, [("field", N_("field")), ("value", N_("value"))], fmt)


@project.command("set")
@click.argument("slug")
@click.argument("key")
@click.argument("value")
@click.pass_obj
def project_set(s: Session, slug, key, value):
    """Set a field (client, name, status, timezone, channels, kpi.CODE) or PLUGIN.SETTING."""
    s.fw.projects.set(slug, key, value, s.actor)
    s.say(N_("Project {slug}: {key} set."), slug=slug, key=key)


@project.command("actions")
@click.argument("slug")
@format_option
@click.pass_obj
def project_actions(s: Session, slug, fmt):
    """List what people may do in a project and which roles hold each action."""
    project = s.fw.projects.get(slug)
    access = s.fw.access
    rows = [{"action": name, "title": action.title(s.locale),
             "roles": ", ".join(sorted(access.roles(name, project))),
             "chosen": name in (project.get("actions") or {}), "writes": action.writes}
            for name, action in sorted(access.actions.items()) if action.scoped
            and "*" not in action.roles]
    s.show(rows, [("action", N_("action")), ("title", N_("title")), ("roles", N_("roles")),
                  ("chosen", N_("chosen for the project")), ("writes", N_("team leaders: own teams only"))], fmt)


@project.command("allow")
@click.argument("slug")
@click.argument("action")
@click.option("--role", "roles", multiple=True, help="A role that holds the action (repeat).")
@click.option("--default", "back", is_flag=True, help="Back to the roles the plugin declares.")
@click.pass_obj
def project_allow(s: Session, slug, action, roles, back):
    """Give ACTION to exactly these roles in a project (admins always hold it)."""
    if not back and not roles:
        raise ValidationError(N_("role"), N_("name a role, or --default"))
    doc = s.fw.access.set_roles(slug, action, None if back else list(roles), s.actor)
    s.say(N_("Project {slug}: {action} is held by {roles}."), slug=slug, action=action,
          roles=", ".join(sorted(s.fw.access.roles(action, doc))))


def _switch(group: click.Group, name: str, arguments: tuple[str, ...], help_text: str,
            act: Callable[..., object], done: str) -> click.Command:
    """``<group> NAME ARGUMENT…``: *act* (the session, then the arguments by name), then say
    *done* with the arguments. The on/off pairs (``project enable``/``disable``, ``user
    enable``/``disable``) are one command each but for the verb."""
    def command(s: Session, **values):
        act(s, **values)
        s.say(done, **values)

    for argument in reversed(arguments):
        command = click.argument(argument)(command)
    return group.command(name, help=help_text)(click.pass_obj(command))


project_enable = _switch(project, "enable", ("slug", "plugin"), "Enable a plugin for a project.",
                         lambda s, slug, plugin: s.fw.projects.enable(slug, plugin, s.actor),
                         N_("Project {slug}: plugin {plugin} enabled."))
project_disable = _switch(project, "disable", ("slug", "plugin"), "Disable a plugin for a project.",
                          lambda s, slug, plugin: s.fw.projects.disable(slug, plugin, s.actor),
                          N_("Project {slug}: plugin {plugin} disabled."))


@click.group()
def team():
    """Teams of a project."""


@team.command("list")
@project_option
@format_option
@click.pass_obj
def team_list(s: Session, project, fmt):
    """List a project's teams."""
    s.fw.projects.get(project)
    rows = [{**t, "leaders": ", ".join(u["username"] for u in s.fw.users.leading(project, t["slug"]))}
            for t in s.fw.teams.of(project)]
    s.show(rows, [("slug", N_("slug")), ("name", N_("name")), ("leaders", N_("team leader"))], fmt)


@team.command("create")
@project_option
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--leader", metavar="USER", help="The team leader's username.")
@click.pass_obj
def team_create(s: Session, project, slug, name, leader):
    """Create a team in a project."""
    if leader:
        s.fw.users.get(leader)
    s.fw.teams.create(project, slug, name, s.actor, leader=leader)
    s.say(N_("Created team {team} in project {project}."), team=slug, project=project)


# ---------------------------------------------------------------- agents

@click.group()
def agent():
    """Agents (坐席) and their assignments."""


AGENT_STATUS_WORDS = {"active": N_("Active"), "left": N_("Left")}  # the roster page's words
AGENT_COLUMNS = [("number", N_("employee number")), ("name", N_("name")), ("team", N_("team")),
                 ("hired", N_("hire date")), ("tier", N_("tier")), ("position", N_("position")),
                 ("status", N_("status")),
                 ("left_on", N_("leave date"))]


@agent.command("list")
@project_option
@month_option
@click.option("--team")
@format_option
@click.pass_obj
def agent_list(s: Session, project, month, team, fmt):
    """List the agents assigned to a project during a month."""
    rows = [{**a, "team": asg["team"], "assigned_from": asg["start"], "assigned_until": asg["end"]}
            for a, asg in s.fw.agents.in_month(project, month) if team is None or asg["team"] == team]
    if fmt != "json":  # names and titles for a person; the JSON keeps the codes
        rows = [agent_words(row, names, s.locale)
                for names in [{t["slug"]: t["name"] for t in s.fw.teams.of(project)}] for row in rows]
    s.show(rows, AGENT_COLUMNS, fmt)


def agent_words(row: dict, team_names: dict, locale: str) -> dict:
    """*row* of the agent list with its team's name and its tier, position and status titled."""
    zh = locale.startswith("zh")
    position = row.get("position") or "agent"
    return {**row, "team": team_names.get(row["team"]) or row["team"],
            "tier": TIER_TITLES.get(row["tier"], (row["tier"],) * 2)[zh],
            "position": POSITION_TITLES.get(position, (position,) * 2)[zh],
            "status": translate(AGENT_STATUS_WORDS.get(row["status"], row["status"]), locale)}


@agent.command("add")
@project_option
@click.option("--number", required=True, help="Employee number (工号).")
@click.option("--name", required=True)
@click.option("--team")
@click.option("--hired", help="Hire date, YYYY-MM-DD (default: today).")
@click.option("--tier", default="regular", show_default=True, help=", ".join(TIERS))
@click.option("--position", default="agent", show_default=True,
              help="agent, or team_leader: a leader is scored on the leaders' sheet (班长考核).")
@click.pass_obj
def agent_add(s: Session, project, number, name, team, hired, tier, position):
    """Add an agent (or a team leader) to a project's people register."""
    doc = s.fw.agents.add(project, number, name, s.actor, team=team, hired=hired, tier=tier,
                          position=position)
    s.say(N_("Added agent {number} {name} to project {project}."), number=doc["number"],
          name=doc["name"], project=project)


@agent.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
@format_option
@import_options
@click.pass_obj
def agent_import(s: Session, file, project, fmt, mapping_name, sheet, dry_run):
    """Import agents from .csv/.xlsx (number, name, team, hired[, tier]); all or nothing."""
    import_rows(s, "core.agents", import_agents, file, project,
                N_("Imported {count} agents into project {project}."),
                mapping_name=mapping_name, sheet=sheet, dry_run=dry_run, fmt=fmt)


@agent.command("move")
@click.argument("number")
@project_option
@click.option("--team")
@click.option("--from", "start", required=True, help="First day in the new place, YYYY-MM-DD.")
@click.pass_obj
def agent_move(s: Session, number, project, team, start):
    """Assign an agent to a project / team from a date."""
    s.fw.agents.move(number, project, s.actor, team=team, start=start)
    s.say(N_("Agent {number} is in project {project} from {date}."), number=number,
          project=project, date=start)


@agent.command("leave")
@click.argument("number")
@click.option("--date", required=True, help="Last day, YYYY-MM-DD.")
@click.option("--reason", required=True, help="resigned, dismissed, contract_end, transferred, other.")
@click.pass_obj
def agent_leave(s: Session, number, date, reason):
    """Record that an agent left."""
    s.fw.agents.leave(number, date, reason, s.actor)
    s.say(N_("Agent {number} left on {date}."), number=number, date=date)


# ---------------------------------------------------------------- users

@click.group()
def user():
    """Logins."""


@user.command("list")
@format_option
@click.pass_obj
def user_list(s: Session, fmt):
    """List the logins."""
    rows = [{k: v for k, v in u.items() if k != "password_hash"} for u in s.fw.users.all()]
    s.show(rows, [("username", N_("username")), ("name", N_("name")), ("roles", N_("roles")),
                  ("projects", N_("projects")), ("teams", N_("teams led")), ("locale", N_("language")),
                  ("agent", N_("agent")), ("disabled", N_("disabled"))], fmt)


@user.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True,
              help="admin, director, supervisor, team_leader, qa, agent, client.")
@click.option("--project", "projects", multiple=True, help="A project it may see ('*': all).")
@click.option("--agent", help="Employee number of the agent this login belongs to.")
@click.option("--team", "teams", multiple=True, metavar="PROJECT.TEAM", help="A team this login leads.")
@click.option("--name", default="", help="Display name.")
@click.option("--locale", type=click.Choice(LOCALES))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def user_add(s: Session, username, roles, projects, agent, teams, name, locale, password_stdin):
    """Add a login."""
    fw = s.fw
    if fw.users.find(username.strip().lower()):  # ask for a password only when it can be used
        raise Conflict(N_("user {username!r} already exists"), username=username)
    password = s.password(password_stdin)
    doc = fw.users.add(username, password, list(roles), s.actor, name=name, projects=list(projects),
                       locale=locale, agent=agent, teams=list(teams))
    s.say(N_("Added user {username}."), username=doc["username"])


@user.command("teams")
@click.argument("username")
@click.option("--team", "teams", multiple=True, metavar="PROJECT.TEAM",
              help="A team the login leads (repeat; none: leads no team).")
@click.pass_obj
def user_teams(s: Session, username, teams):
    """Set the teams a team leader leads: their writes reach only these teams' agents."""
    doc = s.fw.users.update(username, s.actor, teams=list(teams))
    s.say(N_("{username} leads: {teams}."), username=doc["username"], teams=", ".join(doc["teams"]) or "-")


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def user_passwd(s: Session, username, password_stdin):
    """Set a login's password."""
    s.fw.users.get(username)
    s.fw.users.set_password(username, s.password(password_stdin), s.actor)
    s.say(N_("Password of {username} changed."), username=username)


user_disable = _switch(user, "disable", ("username",), "Disable a login (its sessions end).",
                       lambda s, username: s.fw.users.set_disabled(username, True, s.actor),
                       N_("User {username} disabled."))
user_enable = _switch(user, "enable", ("username",), "Enable a disabled login.",
                      lambda s, username: s.fw.users.set_disabled(username, False, s.actor),
                      N_("User {username} enabled."))


COMMANDS = (project, team, agent, user)
