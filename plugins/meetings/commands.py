"""The ``floorwalker meetings`` commands: list a month's meetings (table, csv, or the JSON of
issue 15 item 9) and plan a month from the project's cadence."""

from __future__ import annotations

import click

from floorwalker.core import N_, Session, format_option, month_option, project_option, translate

from . import records
from .config import KINDS, NAME

LIST_COLUMNS = [("id", N_("meeting")), ("kind", N_("kind of meeting")), ("date", N_("date")),
                ("time", N_("meeting time")), ("chair", N_("chair")), ("expected", N_("expected")),
                ("present", N_("present")), ("excused", N_("excused")), ("absent", N_("absent")),
                ("minutes_signed", N_("minutes signed"))]  # one case, as the other commands' headers


@click.group(NAME)
def meetings():
    """Meetings (会议): plan a month from the cadence, list a month's meetings."""


@meetings.command("list")
@project_option
@month_option
@format_option
@click.pass_obj
def list_(s: Session, project, month, fmt):
    """The meetings of a month, with their attendance and whether the minutes are signed."""
    doc = s.fw.projects.get(project)
    found = [records.as_json(m) for m in records.of_month(s.fw, doc, month)]
    if fmt == "json":
        s.show(found, [], fmt)
        return
    yes, no = translate(N_("yes"), s.locale), translate(N_("no"), s.locale)
    users = s.fw.users  # a table or csv names the chair; the JSON keeps the login
    s.show([{**m, "kind": translate(KINDS[m["kind"]], s.locale),
             "chair": users.display_name(m["chair"], s.locale) if m["chair"] else "",
             **{k: " ".join(m[k]) for k in ("expected", "present", "excused", "absent")},
             "minutes_signed": yes if m["minutes_signed"] else no} for m in found], LIST_COLUMNS, fmt)


@meetings.command("plan")
@project_option
@month_option
@click.pass_obj
def plan(s: Session, project, month):
    """Create a month's meetings from the project's cadence (planning again adds only what is new)."""
    doc = s.fw.projects.get(project)
    if not records.calendar_knows(s.fw, month):
        s.warn(N_("The holiday calendar does not know {year} yet: the meetings are planned as if no day "
                  "were a holiday. Add {year}'s holidays to the calendar and plan again."), year=month[:4])
    made = records.plan_month(s.fw, doc, month, s.actor)
    s.say(N_("Planned {count} meetings in {month}."), count=len(made), month=month)
