"""``floorwalker attendance …``: shift types, weekly patterns, roster and punch imports, the
month's derived days and settling them into the ledger, leave requests and the holiday calendar.

The commands follow the core's and use its kit (`floorwalker.core.Session`, `project_option`,
`month_option`, `format_option`): the project is ``--project``, a month ``--month YYYY-MM``
(default: this month on the project's floor), listings take ``--format table|csv|json``, and
every write is audited as the session's actor. A mistake raises a core error, which the root
group prints as one translated line.
"""

from __future__ import annotations

import datetime as dt

import click

from floorwalker.core import (N_, Session, ValidationError, format_option, import_options,
                              month_option, project_option, run_import, translate)

from . import leave as leaves
from . import punch_requests
from . import roster as rosters
from . import sheet
from .importers import import_punches, import_roster
from .report import state_title
from .requests import leave_title

LEAVE_STATUS_TITLES = {"pending": N_("Waiting"), "approved": N_("Approved"),
                       "rejected": N_("Rejected"), "cancelled": N_("Cancelled")}
LEVEL_TITLES = {"supervisor": N_("Supervisor"), "director": N_("Director")}
SHIFT_COLUMNS = [("code", N_("code")), ("name", N_("name")), ("start", N_("start")),
                 ("end", N_("end")), ("job_type", N_("job type")), ("late_grace", N_("late grace")),
                 ("early_grace", N_("early grace")), ("break_minutes", N_("break"))]
DAY_COLUMNS = [("date", N_("date")), ("agent", N_("employee number")), ("team", N_("team")),
               ("shift", N_("shift")), ("status_title", N_("status")), ("check_in", N_("check-in")),
               ("check_out", N_("check-out")), ("late", N_("minutes late")),
               ("early", N_("minutes early")), ("worked", N_("minutes worked")),
               ("missing_punch", N_("missing punch")), ("leave_title", N_("kind of leave")),
               ("relief_title", N_("left before relief"))]
LEAVE_COLUMNS = [("date", N_("date")), ("last", N_("until")), ("agent", N_("employee number")),
                 ("kind_title", N_("kind of leave")), ("days", N_("rostered days of leave")),
                 ("hours", N_("hours of leave")),
                 ("status_title", N_("status")), ("level_title", N_("approved by")),
                 ("asked_by", N_("asked by")),
                 ("decided_by", N_("decided by")), ("reason", N_("reason"))]


def _title(titles: dict, code: str, locale: str) -> str:
    return translate(titles.get(code, code), locale)


@click.group()
def attendance():
    """Attendance (考勤): shifts, roster, punches, leave and the month's days."""


# ------------------------------------------------------------------ shift types and patterns


@attendance.command("shifts")
@project_option
@format_option
@click.pass_obj
def shifts(s: Session, project, fmt):
    """List a project's shift types."""
    s.fw.projects.get(project)
    s.show(rosters.shift_docs(s.fw, project), SHIFT_COLUMNS, fmt)


@attendance.command("shift-add")
@project_option
@click.argument("code")
@click.option("--name", required=True)
@click.option("--start", required=True, help="HH:MM")
@click.option("--end", required=True, help="HH:MM (at or before the start: ends the next day).")
@click.option("--job-type", default="voice", show_default=True)
@click.option("--late-grace", default=0, show_default=True, type=int, help="Minutes.")
@click.option("--early-grace", default=0, show_default=True, type=int, help="Minutes.")
@click.option("--break", "break_minutes", default=0, show_default=True, type=int,
              help="Minutes of meal break inside the shift (not continuous work).")
@click.pass_obj
def shift_add(s: Session, project, code, name, start, end, job_type, late_grace, early_grace, break_minutes):
    """Add a shift type, or change the one with this code."""
    s.fw.projects.get(project)
    doc = rosters.shift_doc(code, name, start, end, job_type=job_type, late_grace=late_grace,
                            early_grace=early_grace, break_minutes=break_minutes)
    rosters.save_shift(s.fw, project, doc, s.actor)
    s.say(N_("Shift {code} ({start}–{end}) saved in project {project}."), code=doc["code"],
          start=doc["start"], end=doc["end"], project=project)


@attendance.command("pattern")
@project_option
@click.argument("team")
@click.argument("days", nargs=-1)
@click.pass_obj
def pattern(s: Session, project, team, days):
    """Set a team's weekly pattern: seven shift codes from Monday, '-' for rest (none: show it)."""
    s.fw.projects.get(project)
    if not days:
        s.fw.teams.get(project, team)
        week = rosters.pattern(s.fw, project, team)
        if week is None:
            s.say(N_("Team {team} has no weekly pattern yet."), team=team)
        else:
            click.echo(" ".join(code or "-" for code in week))
        return
    rosters.set_pattern(s.fw, project, team, [None if d in ("-", "休") else d for d in days], s.actor)
    s.say(N_("Weekly pattern of team {team} saved."), team=team)


@attendance.command("pattern-apply")
@project_option
@click.option("--team", required=True)
@click.option("--from", "first", required=True, help="YYYY-MM-DD")
@click.option("--to", "last", required=True, help="YYYY-MM-DD")
@click.option("--overwrite", is_flag=True, help="Replace days already set by hand or an import.")
@click.pass_obj
def pattern_apply(s: Session, project, team, first, last, overwrite):
    """Write a team's weekly pattern into the roster of a date range."""
    s.fw.projects.get(project)
    for field, value in ((N_("from"), first), (N_("to"), last)):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, N_("expected a date as YYYY-MM-DD, got {value!r}"),
                                  value=value) from None
    if last < first:
        raise ValidationError(N_("to"), N_("the last day comes before the first"))
    count = rosters.apply_pattern(s.fw, project, team, first, last, s.actor, overwrite=overwrite)
    s.say(N_("{count} roster days of team {team} set from {first} to {last}."), count=count,
          team=team, first=first, last=last)


# ------------------------------------------------------------------ imports


@attendance.command("import-roster")
@project_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--month", help="YYYY-MM, for a grid whose columns are day numbers.")
@import_options
@click.pass_obj
def import_roster_command(s: Session, project, file, month, mapping_name, sheet, dry_run):
    """Import a roster (.csv/.xlsx; long: agent, date, shift; or one column per day); all or nothing."""
    s.fw.projects.get(project)
    result = run_import(s, "attendance.roster", project, file,
                        lambda **o: import_roster(s.fw, project, file, s.actor, month=month, **o),
                        mapping_name=mapping_name, sheet=sheet, dry_run=dry_run)
    if result is None:
        return
    s.say(N_("Roster of project {project}: {cells} days read, {changed} changed ({months})."),
          project=project, cells=result["cells"], changed=result["changed"],
          months=", ".join(result["months"]))
    if result["warnings"]:
        s.say(N_("{count} rostered days break the continuous-work limit (saved all the same):"),
              count=len(result["warnings"]))
        for warning in result["warnings"]:
            click.echo(f"  {warning.message(s.locale)}")


@attendance.command("import-punches")
@project_option
@click.argument("file", type=click.Path(dir_okay=False))
@import_options
@click.pass_obj
def import_punches_command(s: Session, project, file, mapping_name, sheet, dry_run):
    """Import a punch-clock export (.csv/.xlsx: agent, time); all or nothing, repeats skipped."""
    s.fw.projects.get(project)
    result = run_import(s, "attendance.punches", project, file,
                        lambda **o: import_punches(s.fw, project, file, s.actor, **o),
                        mapping_name=mapping_name, sheet=sheet, dry_run=dry_run)
    if result is None:
        return
    s.say(N_("Punches of project {project}: {added} added, {already} already there."),
          project=project, added=result["added"], already=result["already"])


# ------------------------------------------------------------------ the month's days


@attendance.command("settle")
@project_option
@month_option
@click.pass_obj
def settle(s: Session, project, month):
    """Bring the ledger in line with the month's days (lateness, absence)."""
    doc = s.fw.projects.get(project)
    result = sheet.settle(s.fw, doc, month, s.actor)
    s.say(N_("{month} of project {project} settled: {written} score events written, "
             "{reversed} reversed."), month=month, project=project, written=result["written"],
          reversed=result["reversed"])


@attendance.command("days")
@project_option
@month_option
@click.option("--agent", help="Employee number: only this agent's days.")
@format_option
@click.pass_obj
def days(s: Session, project, month, agent, fmt):
    """List the month's agent-days as derived from the roster, punches and leave."""
    doc = s.fw.projects.get(project)
    if agent:
        s.fw.agents.get(agent)
    rows = sheet.month_rows(s.fw, doc, month, agents={agent} if agent else None)
    approved = punch_requests.approved_by_day(s.fw, project, month)  # 补卡: who approved
    rows = [{**{k: v for k, v in r.items() if k != "day"},
             "status_title": state_title(r, s.locale),
             "approved_punches": approved.get((r["agent"], r["date"]), []),
             "leave_title": translate(leave_title(r["leave_kind"]), s.locale) if r["leave_kind"] else None,
             "relief_title": translate(N_("left before relief"), s.locale)
             if r.get("left_before_relief") else None}
            for r in rows]
    s.show(rows, DAY_COLUMNS, fmt)


@attendance.command("leave")
@project_option
@month_option
@click.option("--status", type=click.Choice(leaves.STATUSES))
@format_option
@click.pass_obj
def leave(s: Session, project, month, status, fmt):
    """List the leave requests starting in a month."""
    s.fw.projects.get(project)
    rows = [{**r, "days": leaves.days_of(r), "hours": rosters.hours_text(r["minutes"]),
             "kind_title": translate(leave_title(r["kind"]), s.locale),
             "status_title": _title(LEAVE_STATUS_TITLES, r["status"], s.locale),
             "level_title": _title(LEVEL_TITLES, r["level"], s.locale)}
            for r in leaves.month_requests(s.fw, project, month)
            if status is None or r["status"] == status]
    s.show(rows, LEAVE_COLUMNS, fmt)


@attendance.command("calendar")
@click.option("--year", type=int, help="Default: this year.")
@format_option
@click.pass_obj
def calendar(s: Session, year, fmt):
    """List the public holidays and make-up workdays of a year."""
    year = year or dt.date.today().year
    found = s.fw.calendar.current()
    rows = [{"date": d.isoformat(), "kind": translate(title, s.locale)}
            for days_of, title in ((found.holidays, N_("public holiday")),
                                   (found.workdays, N_("make-up workday")))
            for d in days_of if d.year == year]
    s.show(sorted(rows, key=lambda r: r["date"]), [("date", N_("date")), ("kind", N_("kind"))], fmt)
