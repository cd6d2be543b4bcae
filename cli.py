"""The ``floorwalker`` command line: the core's commands, then every plugin's.

`make_cli(pm)` builds the click group (a factory: importing this module loads no plugin and
touches no data); `main()` is the console script. It finds the data folder before click parses
anything (``--data``, else $FLOORWALKER_DATA, else ./data), because the plugins to load are in
that folder's install settings, and plugins add commands through the ``register_commands`` hook.

The data folder is opened — and every file in it checked — only by a command that needs it, so
``restore`` and ``check`` still work on a damaged folder. A user's mistake is one line on stderr,
``error: <message>`` in the CLI's language, and a non-zero exit code; never a traceback. Every
write is audited as ``--as USER``, else ``cli:<login name>``.
"""

from __future__ import annotations

import getpass
import ipaddress
import sys
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import click
import orjson

from .core import validate
from .core.errors import Conflict, FloorwalkerError, ValidationError
from .core.floorwalker import data_dir, open_floorwalker, read_allowlist
from .core.i18n import LOCALES, N_, cli_locale, gettext, normalize_locale, translate
from .core.importing import read_rows, row_limit
from .core.jobs_cli import jobs
from .core.people import TIERS
from .core.plugins import available_entry_points, make_plugin_manager
from .core.store import Store, loose_files, open_private
from .core.tables import FORMATS, render

DEMO_ACCOUNTS = "demo-accounts"  # a plain export beside the data (core.store.EXPORTS)
DEMO_STEPS = 6  # the steps `build_demo` reports


class Session:
    """What every command gets as ``ctx.obj``: the data folder, language, actor and, on first
    use, the opened `Floorwalker`."""

    def __init__(self, data: Path, pm, locale: str, actor: str | None):
        self.data, self.pm, self.locale = data, pm, locale
        self.actor = actor or f"cli:{_login_name()}"

    @cached_property
    def fw(self):
        return open_floorwalker(self.data, pm=self.pm)

    def say(self, message: str, **params) -> None:
        click.echo(translate(message, self.locale, **params))

    def show(self, rows: list[dict], columns: list[tuple[str, str]], fmt: str) -> None:
        if rows or fmt != "table":
            click.echo(render(rows, columns, fmt, self.locale))
        else:
            self.say(N_("(nothing to show)"))

    @contextmanager
    def progress(self, label: str):
        """A progress callback (done, total) drawing a click progress bar on stderr."""
        bar = None

        def update(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label=translate(label, self.locale),
                                        file=sys.stderr)
                bar.__enter__()
            bar.update(done - bar.pos)

        try:
            yield update
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)

    @contextmanager
    def steps(self, total: int):
        """A progress callback (step message) drawing a bar of *total* named steps on stderr."""
        with click.progressbar(length=total, file=sys.stderr) as bar:
            def step(message: str) -> None:
                if bar.label:
                    bar.update(1)
                bar.label = translate(message, self.locale)
                bar.render_progress()

            yield step


class FloorwalkerGroup(click.Group):
    """The root group: turns a `FloorwalkerError` into one translated line and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FloorwalkerError as exc:
            _report(exc, ctx.obj.locale if isinstance(ctx.obj, Session) else cli_locale())
            ctx.exit(exc.exit_code)


def _report(exc: FloorwalkerError, locale: str) -> None:
    click.echo(translate(N_("error: {text}"), locale, text=exc.message(locale)), err=True)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _format_option(f):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(f)


def _read_password(s: Session, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(translate(N_("Password"), s.locale), hide_input=True,
                        confirmation_prompt=translate(N_("Repeat the password"), s.locale))


def make_cli(pm) -> click.Group:
    """The ``floorwalker`` group with the core's commands and those of the plugins in *pm*."""

    @click.group(cls=FloorwalkerGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--data", type=click.Path(file_okay=False),
                  help="Data folder (default: $FLOORWALKER_DATA, else ./data).")
    @click.option("--lang", type=click.Choice(LOCALES), help="Language of the output.")
    @click.option("--as", "actor", metavar="USER", help="Name written into the audit log.")
    @click.pass_context
    def cli(ctx, data, lang, actor):
        """Floorwalker: operations suite for customer-service outsourcing."""
        ctx.obj = Session(data_dir(data), pm, normalize_locale(lang) if lang else cli_locale(), actor)

    for command in _COMMANDS:
        cli.add_command(command)
    pm.hook.register_commands(cli=cli)
    return cli


# ---------------------------------------------------------------- install and serve

@click.command()
@click.option("--admin", required=True, metavar="NAME", help="Username of the first admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def init(s: Session, admin, password_stdin):
    """Start a data folder with its first admin."""
    if s.fw.users.all():
        raise Conflict(N_("the data folder {folder} already has users; nothing was changed"),
                       folder=str(s.data))
    password = _read_password(s, password_stdin)
    doc = s.fw.users.add(admin, password, ["admin"], s.actor, projects=["*"], locale=s.locale)
    s.say(N_("Data folder {folder} is ready; admin {username} can sign in."),
          folder=str(s.data), username=doc["username"])


@click.command()
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, same company.")
@click.option("--no-serve", is_flag=True, help="Build the demo, then stop.")
@click.option("--force", is_flag=True, help="Delete the folder's data files first.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_obj
def demo(s: Session, seed, no_serve, force, host, port):
    """Build a demo company with generated logins, then serve it."""
    try:
        from .core.demo import build_demo
    except ImportError as exc:
        if exc.name != "floorwalker.core.demo":
            raise
        raise FloorwalkerError(N_("the demo is not available in this version "
                                  "(floorwalker.core.demo is missing)")) from None
    if Store(s.data).keys() and not force:
        raise Conflict(N_("the data folder {folder} is not empty; use --force to replace its data"),
                       folder=str(s.data))
    if force:
        _wipe_data_files(s.data)
    s.say(N_("Building the demo company (seed {seed}) in {folder} …"), seed=seed, folder=str(s.data))
    with s.steps(DEMO_STEPS) as step:
        accounts = build_demo(s.fw, seed=seed, actor="demo", progress=step)
    accounts_file = s.data / f"{DEMO_ACCOUNTS}.json"
    with open_private(accounts_file) as fh:  # passwords: readable by the owner only
        fh.write(orjson.dumps(accounts, option=orjson.OPT_INDENT_2))
    s.say(N_("Demo logins (also in {path}):"), path=str(accounts_file))
    s.show(accounts, [("username", N_("username")), ("password", N_("password")),
                      ("role", N_("role")), ("project", N_("project"))], "table")
    if not no_serve:
        _serve(s, host, port)


def _wipe_data_files(folder: Path) -> None:
    """Delete the data files (and their .prev and .lock) inside *folder*, nothing else."""
    root = folder.resolve()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(root) \
                and (path.name.endswith(".json") or ".json." in path.name):
            path.unlink()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--behind-https", is_flag=True,
              help="TLS ends at a proxy in front: mark cookies Secure and send HSTS.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDR",
              help="A proxy whose X-Forwarded-For is believed (repeatable; none by default).")
@click.pass_obj
def serve(s: Session, host, port, behind_https, trusted_proxies):
    """Serve the web interface (one worker)."""
    _serve(s, host, port, behind_https, trusted_proxies)


def _serve(s: Session, host: str, port: int, behind_https: bool = False,
           trusted_proxies: tuple[str, ...] = ()) -> None:
    """Run the app in uvicorn. The server speaks plain HTTP and never redirects: with
    *behind_https* a proxy in front ends TLS, so cookies are marked Secure and HSTS is sent."""
    try:
        from .core.web import create_app
    except ImportError as exc:
        if exc.name != "floorwalker.core.web":
            raise
        raise FloorwalkerError(N_("the web interface is not available in this version "
                                  "(floorwalker.core.web is missing)")) from None
    import uvicorn

    from .core.jobs import Runner

    app = create_app(s.fw, config={"secure_cookie": behind_https, "hsts": behind_https,
                                   "trusted_proxies": list(trusted_proxies)})
    if not behind_https and not _loopback(host):
        _warn(s, N_("{host} can be reached from the network: put Floorwalker behind an HTTPS "
                    "proxy and start it with --behind-https"), host=host)
    s.say(N_("Serving {folder} on http://{host}:{port}/ (Ctrl+C stops)"),
          folder=str(s.data), host=host, port=port)
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; off, so that the app alone
    # decides whom to believe (--trusted-proxy); the plugins' jobs run beside it in a thread
    with Runner(s.fw):
        uvicorn.run(app, host=host, port=port, workers=1, proxy_headers=False)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a network address


def _warn(s: Session, message: str, **params) -> None:
    """One line ``warning: <message>`` on stderr, in the CLI's language."""
    click.echo(translate(N_("warning: {text}"), s.locale, text=translate(message, s.locale, **params)),
               err=True)


# ---------------------------------------------------------------- projects and teams

@click.group()
def project():
    """Projects (client engagements)."""


PROJECT_COLUMNS = [("slug", N_("slug")), ("client", N_("client")), ("name", N_("name")),
                   ("channels", N_("channels")), ("status", N_("status")),
                   ("plugins", N_("plugins"))]


@project.command("list")
@_format_option
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
@_format_option
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
@_format_option
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


def _plugin_toggle(name: str, help_text: str, done: str):
    """`project enable` and `project disable`: the same command but for the verb."""
    @project.command(name, help=help_text)
    @click.argument("slug")
    @click.argument("plugin")
    @click.pass_obj
    def toggle(s: Session, slug, plugin):
        getattr(s.fw.projects, name)(slug, plugin, s.actor)
        s.say(done, slug=slug, plugin=plugin)

    return toggle


project_enable = _plugin_toggle("enable", "Enable a plugin for a project.",
                                N_("Project {slug}: plugin {plugin} enabled."))
project_disable = _plugin_toggle("disable", "Disable a plugin for a project.",
                                 N_("Project {slug}: plugin {plugin} disabled."))


@click.group()
def team():
    """Teams of a project."""


@team.command("list")
@click.option("--project", required=True)
@_format_option
@click.pass_obj
def team_list(s: Session, project, fmt):
    """List a project's teams."""
    s.fw.projects.get(project)
    rows = [{**t, "leaders": ", ".join(u["username"] for u in s.fw.users.leading(project, t["slug"]))}
            for t in s.fw.teams.of(project)]
    s.show(rows, [("slug", N_("slug")), ("name", N_("name")), ("leaders", N_("team leader"))], fmt)


@team.command("create")
@click.option("--project", required=True)
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


AGENT_COLUMNS = [("number", N_("employee number")), ("name", N_("name")), ("team", N_("team")),
                 ("hired", N_("hire date")), ("tier", N_("tier")), ("status", N_("status")),
                 ("left_on", N_("leave date"))]


@agent.command("list")
@click.option("--project", required=True)
@click.option("--month", help="YYYY-MM (default: this month).")
@click.option("--team")
@_format_option
@click.pass_obj
def agent_list(s: Session, project, month, team, fmt):
    """List the agents assigned to a project during a month."""
    month = validate.month(month or s.fw.projects.today(project).isoformat()[:7])
    rows = [{**a, "team": asg["team"], "assigned_from": asg["start"], "assigned_until": asg["end"]}
            for a, asg in s.fw.agents.in_month(project, month) if team is None or asg["team"] == team]
    s.show(rows, AGENT_COLUMNS, fmt)


@agent.command("add")
@click.option("--project", required=True)
@click.option("--number", required=True, help="Employee number (工号).")
@click.option("--name", required=True)
@click.option("--team")
@click.option("--hired", help="Hire date, YYYY-MM-DD (default: today).")
@click.option("--tier", default="regular", show_default=True, help=", ".join(TIERS))
@click.pass_obj
def agent_add(s: Session, project, number, name, team, hired, tier):
    """Add an agent to a project."""
    doc = s.fw.agents.add(project, number, name, s.actor, team=team, hired=hired, tier=tier)
    s.say(N_("Added agent {number} {name} to project {project}."), number=doc["number"],
          name=doc["name"], project=project)


@agent.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--project", required=True)
@click.pass_obj
def agent_import(s: Session, file, project):
    """Import agents from .csv/.xlsx (number, name, team, hired[, tier]); all or nothing."""
    from .core.importing import import_agents

    with s.progress(N_("Checking rows")) as progress:
        count = import_agents(s.fw, project, file, s.actor, progress=progress)
    s.say(N_("Imported {count} agents into project {project}."), count=count, project=project)


@agent.command("move")
@click.argument("number")
@click.option("--project", required=True)
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
@_format_option
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
    password = _read_password(s, password_stdin)
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
    s.fw.users.set_password(username, _read_password(s, password_stdin), s.actor)
    s.say(N_("Password of {username} changed."), username=username)


@user.command("disable")
@click.argument("username")
@click.pass_obj
def user_disable(s: Session, username):
    """Disable a login (its sessions end)."""
    s.fw.users.set_disabled(username, True, s.actor)
    s.say(N_("User {username} disabled."), username=username)


@user.command("enable")
@click.argument("username")
@click.pass_obj
def user_enable(s: Session, username):
    """Enable a disabled login."""
    s.fw.users.set_disabled(username, False, s.actor)
    s.say(N_("User {username} enabled."), username=username)


# ---------------------------------------------------------------- plugins

@click.group(invoke_without_command=True)
@_format_option
@click.pass_context
def plugins(ctx, fmt):
    """List installed plugins; allow or deny third-party ones."""
    if ctx.invoked_subcommand is not None:
        return
    s: Session = ctx.obj
    fw = s.fw
    loaded = fw.plugin_names()
    allowed = read_allowlist(fw.store)
    projects = fw.projects.all()
    rows = []
    for name in sorted(set(loaded) | set(available_entry_points()) | set(allowed)):
        builtin = name in loaded and name not in allowed
        rows.append({"name": name,
                     "source": gettext(N_("built-in") if builtin else N_("entry point"), s.locale),
                     "loaded": name in loaded, "allowed": builtin or name in allowed,
                     "projects": [p["slug"] for p in projects if name in p["plugins"]]})
    s.show(rows, [("name", N_("plugin")), ("source", N_("source")), ("loaded", N_("loaded")),
                  ("allowed", N_("allowed")), ("projects", N_("enabled in"))], fmt)


@plugins.command("allow")
@click.argument("name")
@click.pass_obj
def plugins_allow(s: Session, name):
    """Allow an installed third-party plugin (entry point) to load."""
    if name not in available_entry_points():
        raise ValidationError(N_("plugin"), N_("no installed package offers a plugin {name!r}"),
                              name=name)
    allowed = read_allowlist(s.fw.store)
    if name not in allowed:
        s.fw.set_install(s.actor, plugins_allowlist=allowed + [name])
    s.say(N_("Plugin {name} is allowed; it loads from the next start."), name=name)


@plugins.command("deny")
@click.argument("name")
@click.pass_obj
def plugins_deny(s: Session, name):
    """Stop a third-party plugin from loading."""
    allowed = read_allowlist(s.fw.store)
    if name not in allowed:
        raise ValidationError(N_("plugin"), N_("{name} is not on the allowlist"), name=name)
    s.fw.set_install(s.actor, plugins_allowlist=[n for n in allowed if n != name])
    s.say(N_("Plugin {name} is denied; it no longer loads from the next start."), name=name)


# ---------------------------------------------------------------- periods and scores

@click.group()
def period():
    """Months of a project: open or closed."""


@period.command("list")
@click.option("--project", required=True)
@_format_option
@click.pass_obj
def period_list(s: Session, project, fmt):
    """List a project's months and whether each is closed."""
    s.show(s.fw.periods.list(project), [("month", N_("month")), ("state", N_("state")),
                                        ("closed_at", N_("closed at")),
                                        ("closed_by", N_("closed by"))], fmt)


@period.command("close")
@click.option("--project", required=True)
@click.argument("month")
@click.pass_obj
def period_close(s: Session, project, month):
    """Close a month: after this nothing dated in it can change."""
    s.fw.periods.close(project, month, s.actor)
    s.say(N_("{month} of project {project} is closed."), month=month, project=project)


SHEET_COLUMNS = [("number", N_("employee number")), ("name", N_("name")), ("team", N_("team")),
                 ("base", N_("base")), ("bonus", N_("bonus")), ("deducted", N_("deductions")),
                 ("judgement", N_("judgement")), ("adjustment", N_("adjustment")),
                 ("escalation", N_("escalation")), ("total", N_("total")), ("flags", N_("flags"))]


@click.group(invoke_without_command=True)
@click.option("--project", help="Project slug (for the sheet).")
@click.option("--month", help="YYYY-MM (for the sheet).")
@_format_option
@click.pass_context
def scores(ctx, project, month, fmt):
    """The month's score sheet; subcommands record, reverse, import and list rules."""
    if ctx.invoked_subcommand is not None:
        return
    if not project or not month:
        raise click.UsageError("scores needs --project and --month (or a subcommand)", ctx)
    s: Session = ctx.obj
    rows = s.fw.ledger.sheet(project, month)
    if fmt != "json":
        rows = [{**r, "deducted": sum(r["deductions"].values())} for r in rows]
    s.show(rows, SHEET_COLUMNS, fmt)


@scores.command("record")
@click.option("--project", required=True)
@click.option("--agent", "number", required=True, help="Employee number.")
@click.option("--rule", required=True, help="Rule code (see `scores rules`).")
@click.option("--points", type=int, help="Points, for a rule with a range.")
@click.option("--date", required=True, help="YYYY-MM-DD.")
@click.option("--reason", required=True)
@click.option("--evidence", help="Reference to the evidence.")
@click.option("--adjusts", metavar="YYYY-MM", help="The closed month an adjustment corrects.")
@click.pass_obj
def scores_record(s: Session, project, number, rule, points, date, reason, evidence, adjusts):
    """Record one score event."""
    event = s.fw.ledger.record(project, number, rule, date, s.actor, points=points,
                               reason=reason, evidence=evidence, adjusts=adjusts)
    s.say(N_("Recorded {points:+d} ({rule}) for agent {number} on {date}: event {id}."),
          points=event["points"], rule=event["rule"], number=event["agent"], date=event["date"],
          id=event["id"])


@scores.command("reverse")
@click.argument("event_id")
@click.option("--reason", required=True)
@click.option("--project", help="Look only in this project.")
@click.pass_obj
def scores_reverse(s: Session, event_id, reason, project):
    """Cancel a score event of an open month with a reversal that points at it (a decision:
    no later settle of the event's evidence writes it again)."""
    reversal = s.fw.ledger.reverse(event_id, reason, s.actor, project, decision=True)
    s.say(N_("Event {id} reversed by {reversal}."), id=event_id, reversal=reversal["id"])


@scores.command("correct")
@click.argument("event_id")
@click.option("--reason", required=True)
@click.option("--project", help="Look only in this project.")
@click.pass_obj
def scores_correct(s: Session, event_id, reason, project):
    """Correct a score event: a reversal in an open month, an adjustment in the first open
    month for an event of a closed one."""
    done = s.fw.ledger.correct(event_id, reason, s.actor, project)
    if done["reverses"]:
        s.say(N_("Event {id} reversed by {reversal}."), id=event_id, reversal=done["id"])
    else:
        s.say(N_("Event {id} of closed {month} corrected by adjustment {adjustment} "
                 "({points:+d} in {into})."), id=event_id, month=done["adjusts"],
              adjustment=done["id"], points=done["points"], into=done["period"])


@scores.command("rules")
@click.option("--project", help="Show the project's point overrides.")
@_format_option
@click.pass_obj
def scores_rules(s: Session, project, fmt):
    """List the score rules (the catalogue)."""
    fw = s.fw
    rules = fw.ledger.rules(fw.projects.get(project)) if project else [r for _, r in fw.rules.values()]
    source = {code: plugin for code, (plugin, _) in fw.rules.items()}
    rows = [{"code": r.code, "kind": r.kind, "points": r.points, "min_points": r.min_points,
             "max_points": r.max_points, "range": _points_range(r), "title": r.title(s.locale),
             "derived": r.derived, "reason_required": r.reason_required,
             "plugin": source[r.code]} for r in rules]
    s.show(rows, [("code", N_("code")), ("kind", N_("kind")), ("range", N_("points")),
                  ("title", N_("title")), ("plugin", N_("plugin"))], fmt)


def _points_range(rule) -> str:
    if rule.min_points == rule.max_points:
        return f"{rule.points:+d}" if rule.points else "0"
    return f"{rule.min_points:+d}…{rule.max_points:+d}"


@scores.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--project", required=True)
@click.pass_obj
def scores_import(s: Session, file, project):
    """Import score events from .csv/.xlsx (agent, rule, date, points, reason[, evidence])."""
    from .core.importing import import_score_events

    with s.progress(N_("Checking rows")) as progress:
        count = import_score_events(s.fw, project, file, s.actor, progress=progress)
    s.say(N_("Imported {count} score events into project {project}."), count=count, project=project)


# the counts an importer reports, as `floorwalker import` words them
COUNT_WORDS = {"rows": N_("rows"), "added": N_("added"), "already": N_("already there"),
               "cells": N_("cells"), "changed": N_("changed")}


@click.command("import")
@click.argument("kind", required=False)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--project", help="Project slug.")
@_format_option
@click.pass_obj
def import_file(s: Session, kind, file, project, fmt):
    """Import a plugin's .csv/.xlsx file (all rows or none); without KIND, list the imports."""
    offered = s.fw.importers
    if not kind:
        s.show([{"kind": k, "title": i.title(s.locale), "columns": ", ".join(i.columns)}
                for k, i in sorted(offered.items())],
               [("kind", N_("import")), ("title", N_("title")), ("columns", N_("columns"))], fmt)
        return
    importer = offered.get(kind)
    if importer is None:
        raise ValidationError(N_("import"), N_("no import {kind!r}; `floorwalker import` lists them"),
                              kind=kind)
    if not file or not project:
        raise ValidationError(N_("file") if not file else N_("project"), N_("is required"))
    project_doc = s.fw.projects.get(project)
    if importer.plugin not in project_doc["plugins"]:
        raise ValidationError(N_("import"), N_("plugin {plugin} is not enabled in project {project}"),
                              plugin=importer.plugin, project=project)
    _, rows = read_rows(file, limit=row_limit(s.fw))
    done = importer.run(s.fw, project_doc, rows, s.actor) or {}
    counts = ", ".join(f"{translate(COUNT_WORDS.get(k, k), s.locale)} {v}" for k, v in done.items()
                       if isinstance(v, int))
    s.say(N_("Imported {file} into project {project}: {counts}."), file=Path(file).name,
          project=project, counts=counts)


# ---------------------------------------------------------------- the data folder

@click.command()
@_format_option
@click.pass_obj
def check(s: Session, fmt):
    """Check every data file (and delete left-over temp files); warn of files others can read."""
    report = Store(s.data).check()
    s.show(report, [("file", N_("file")), ("generation", N_("generation")),
                    ("bytes", N_("bytes")), ("documents", N_("documents"))], fmt)
    if fmt == "table":
        s.say(N_("{count} data files checked: all sound."), count=len(report))
    for path, mode in loose_files(s.data):  # a warning: the data itself is sound
        _warn(s, N_("{path} has mode {mode}; only its owner should read it: chmod 600 {path}"),
              path=str(path), mode=f"{mode:04o}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def backup(s: Session, file):
    """Write a consistent zip of the whole data folder."""
    from .core.backup import backup as take_backup

    manifest = take_backup(s.fw.store, file)
    s.say(N_("Backed up {count} files of {folder} to {file}."), count=len(manifest["files"]),
          folder=str(s.data), file=file)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def restore(s: Session, file):
    """Replace the data folder by a backup (the old folder is kept beside it)."""
    from .core.backup import restore as restore_backup

    result = restore_backup(s.data, file)
    s.say(N_("Restored {count} files into {folder}."), count=result["files"], folder=str(s.data))
    if result["previous"]:
        s.say(N_("The previous data folder was kept as {path}."), path=result["previous"])


_COMMANDS = (init, demo, serve, project, team, agent, user, plugins, period, scores, import_file,
             check, backup, restore, jobs)


# Commands that must run when an allowlisted plugin cannot load: the way out the error names.
RECOVERY_COMMANDS = (("plugins", "deny"), ("check",), ("backup",), ("restore",))


def _prescan(args: list[str], option: str) -> str | None:
    """The value of a root *option* in *args*, before click parses them (plugins depend on it)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == option and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(option + "="):
            return arg[len(option) + 1:]
    return None


def _command_words(args: list[str]) -> tuple[str, ...]:
    """The command and subcommand named in *args*, the root options and their values aside."""
    words, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("--data", "--lang", "--as"):
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    return tuple(words[:2])


def main(argv: list[str] | None = None):
    """The console script: load the plugins the data folder allows, then run the command."""
    args = list(sys.argv[1:] if argv is None else argv)
    folder = data_dir(_prescan(args, "--data"))
    try:
        allowlist = read_allowlist(Store(folder))
    except FloorwalkerError:
        allowlist = []  # a damaged folder: the command that opens it names the file
    try:
        pm = make_plugin_manager(allowlist)
    except FloorwalkerError as exc:
        words = _command_words(args)
        if not any(words[:len(c)] == c for c in RECOVERY_COMMANDS):
            lang = _prescan(args, "--lang")
            _report(exc, normalize_locale(lang) if lang else cli_locale())
            sys.exit(exc.exit_code)
        pm = make_plugin_manager()
    return make_cli(pm).main(args=args, prog_name="floorwalker")
