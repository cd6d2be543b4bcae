"""The ``floorwalker`` command line: a root group, and every plugin's commands — the core's too.

`make_cli(pm)` builds the click group (a factory: importing this module loads no plugin and
touches no data); `main()` is the console script. It finds the data folder before click parses
anything (``--data``, else $FLOORWALKER_DATA, else ./data), because the plugins to load are in
that folder's install settings. Every command comes in through the ``register_commands`` hook:
the core plugin's (`core/commands/`: install, company, scores, jobs) first, then the plugins'.

The data folder is opened — and every file in it checked — only by a command that needs it, so
``restore`` and ``check`` still work on a damaged folder. A user's mistake is one line on stderr,
``error: <message>`` in the CLI's language, and a non-zero exit code; never a traceback. Every
write is audited as ``--as USER``, else ``cli:<login name>``.
"""

from __future__ import annotations

import getpass
import os
import sys

import click

from .core.commands import Session
from .core.errors import FloorwalkerError
from .core.floorwalker import data_dir, make_store, read_allowlist
from .core.i18n import LOCALES, N_, cli_locale, normalize_locale, translate
from .core.plugins import make_plugin_manager

# Commands that must run when an allowlisted plugin cannot load: the way out the error names.
RECOVERY_COMMANDS = (("plugins", "deny"), ("check",), ("backup",), ("restore",))


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


def make_cli(pm) -> click.Group:
    """The ``floorwalker`` group with the commands of the plugins in *pm*, the core's included."""

    @click.group(cls=FloorwalkerGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--data", type=click.Path(file_okay=False),
                  help="Data folder (default: $FLOORWALKER_DATA, else ./data).")
    @click.option("--store", "store", metavar="URL",
                  help="Keep the data in this PostgreSQL database, postgresql://… "
                       "(default: $FLOORWALKER_STORE, else the data folder's files).")
    @click.option("--lang", type=click.Choice(LOCALES), help="Language of the output.")
    @click.option("--as", "actor", metavar="USER", help="Name written into the audit log.")
    @click.pass_context
    def cli(ctx, data, lang, actor, store):
        """Floorwalker: operations suite for customer-service outsourcing."""
        if store:  # every store this command opens, a server's workers' included
            os.environ["FLOORWALKER_STORE"] = store
        ctx.obj = Session(data_dir(data), pm, normalize_locale(lang) if lang else cli_locale(),
                          actor or f"cli:{_login_name()}")

    pm.hook.register_commands(cli=cli)
    return cli


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
        elif arg in ("--data", "--lang", "--as", "--store"):
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    return tuple(words[:2])


def main(argv: list[str] | None = None):
    """The console script: load the plugins the data folder allows, then run the command."""
    args = list(sys.argv[1:] if argv is None else argv)
    folder = data_dir(_prescan(args, "--data"))
    try:
        store = make_store(folder, _prescan(args, "--store"))
        try:
            allowlist = read_allowlist(store)
        finally:
            store.close()
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
