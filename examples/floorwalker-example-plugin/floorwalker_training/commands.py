"""``floorwalker training list``: a project's sessions of a month at the command line.

A command takes the CLI's `Session` (``@click.pass_obj``): ``s.fw`` the install, ``s.show``
prints rows as a table, csv or json, ``s.actor`` names who writes. The options every command
shares come with it from `floorwalker.core` (``--project``, ``--month`` checked and this month
by default, ``--format``). An error raised here (a project that does not exist, or does not use
the plugin) is printed as one translated line, exit code 1.
"""

from __future__ import annotations

import click

from floorwalker.core import N_, Session, ValidationError, format_option, month_option, project_option

from . import records
from .records import NAME

COLUMNS = [("date", N_("date")), ("agent", N_("employee number")), ("topic", N_("topic")),
           ("score", N_("score")), ("due", N_("result due since"))]


@click.group()
def training():
    """Training sessions and their results."""


@training.command("list")
@project_option
@month_option
@format_option
@click.pass_obj
def list_sessions(s: Session, project, month, fmt):
    """List a project's training sessions of a month, oldest first."""
    if NAME not in s.fw.projects.get(project)["plugins"]:
        raise ValidationError(N_("project"), N_("{project} does not use the training plugin"),
                              project=project)
    found = [session for session in records.sessions(s.fw, project) if session["date"].startswith(month)]
    s.show([{**session, "due": session.get("due") or ""} for session in found], COLUMNS, fmt)
