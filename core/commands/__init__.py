"""The kit of a command: the CLI's `Session`, and the options every listing and project command
shares (`format_option`, `project_option`, `month_option`).

A command — the core's or a plugin's — is a click command that a plugin adds in its
``register_commands(cli)`` hook. It takes the session as ``ctx.obj`` (``@click.pass_obj``):
the data folder opened on first use (``s.fw``), the language (``s.locale``), the name its
writes are audited as (``s.actor``), and ``s.say``/``s.show``/``s.warn``/``s.progress`` to
answer in that language. A user's mistake is a core error (`ValidationError`, `NotFound` …),
raised, never printed: the root group turns it into one translated line and an exit code.
Plugins import all of this from `floorwalker.core`::

    from floorwalker.core import N_, Session, month_option, project_option

    @qa.command("calibrate")             # qa: the plugin's click group
    @project_option                      # --project SLUG, required
    @month_option                        # --month, default this month on the project's clock
    @click.pass_obj
    def calibrate(s: Session, project, month):
        done = calibration.run(s.fw, project, month, s.actor)
        s.say(N_("{count} reviews of {month} calibrated."), count=len(done), month=month)

The core's own commands are the submodules of this package (`install`, `company`, `scores`,
`jobs`), added by the core plugin's ``register_commands`` (`core/catalogue.py`), the hook
every plugin adds its commands with.
"""

from __future__ import annotations

import functools
import sys
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

import click

from .. import validate
from ..floorwalker import make_store, open_floorwalker
from ..i18n import N_, translate
from ..tables import FORMATS, render


class Session:
    """What every command gets as ``ctx.obj``.

    :ivar data: the data folder (a `Path`), found before the command line is parsed.
    :ivar pm: the plugin manager the command line was built with.
    :ivar locale: the language of the output (``--lang``, else the environment's).
    :ivar actor: the name every write is audited as: ``--as USER``, else ``cli:<login name>``.
    :ivar fw: the `Floorwalker` of the data folder, opened (and every file checked) on first
        use, so a command that needs no data never touches it.
    """

    def __init__(self, data: Path, pm, locale: str, actor: str):
        self.data, self.pm, self.locale, self.actor = data, pm, locale, actor

    @cached_property
    def fw(self):
        return open_floorwalker(self.data, pm=self.pm)

    def store(self):
        """The store alone (files of the data folder, or the database of ``--store``)."""
        return make_store(self.data)

    def say(self, message: str, **params) -> None:
        """Print *message* (an ``N_`` text with ``{placeholders}``) in the session's language."""
        click.echo(translate(message, self.locale, **params))

    def warn(self, message: str, **params) -> None:
        """One line ``warning: <message>`` on stderr, in the session's language."""
        click.echo(translate(N_("warning: {text}"), self.locale,
                             text=translate(message, self.locale, **params)), err=True)

    def show(self, rows: list[dict], columns: list[tuple[str, str]], fmt: str) -> None:
        """Print *rows* as a table, csv or json (*fmt*, see `format_option`); *columns* are
        (key, ``N_`` title) pairs in order. An empty table says so."""
        if rows or fmt != "table":
            click.echo(render(rows, columns, fmt, self.locale))
        else:
            self.say(N_("(nothing to show)"))

    @contextmanager
    def progress(self, label: str) -> Iterator[Callable[[int, int], None]]:
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
    def steps(self, total: int) -> Iterator[Callable[[str], None]]:
        """A progress callback (step message) drawing a bar of *total* named steps on stderr."""
        with click.progressbar(length=total, file=sys.stderr) as bar:
            def step(message: str) -> None:
                if bar.label:
                    bar.update(1)
                bar.label = translate(message, self.locale)
                bar.render_progress()

            yield step

    def password(self, from_stdin: bool) -> str:
        """A new password: one line of standard input, else typed twice at the terminal."""
        if from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        return click.prompt(translate(N_("Password"), self.locale), hide_input=True,
                            confirmation_prompt=translate(N_("Repeat the password"), self.locale))


def format_option(f):
    """``--format table|csv|json`` (default table), passed as ``fmt``; give it to `Session.show`."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(f)


def project_option(f):
    """``--project SLUG``, required, passed as ``project`` (the slug)."""
    return click.option("--project", required=True, help="Project slug.")(f)


def when_alone(f):
    """For a group that lists when called without a subcommand (``floorwalker jobs``): run *f*
    with the session, then the group's options, only then. The core's own groups use it."""
    @functools.wraps(f)
    def group(*args, **kwargs):
        ctx = click.get_current_context()
        if ctx.invoked_subcommand is None:
            f(ctx.find_object(Session), *args, **kwargs)

    return group


def month_option(f):
    """``--month YYYY-MM``, passed as ``month``: checked, and this month on the project's clock
    (``fw.projects.today``) when left out. The command takes ``project`` too (`project_option`)."""
    @functools.wraps(f)
    def command(*args, month=None, **kwargs):
        s = click.get_current_context().find_object(Session)
        month = validate.month(month) if month else \
            s.fw.projects.today(kwargs["project"]).isoformat()[:7]
        return f(*args, month=month, **kwargs)

    return click.option("--month", help="YYYY-MM (default: this month).")(command)
