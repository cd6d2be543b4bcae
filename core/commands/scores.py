"""``floorwalker period``, ``scores`` and ``import``: the months of a project, its score ledger,
and the plugins' file imports.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ValidationError
from ..i18n import N_
from ..rule_limits import AWARD_FAULTED, is_violation
from .. import mappings
from ..importing import import_score_events
from . import Session, format_option, project_option, when_alone
from .imports import import_options, run_import


@click.group()
def period():
    """Months of a project: open or closed."""


@period.command("list")
@project_option
@format_option
@click.pass_obj
def period_list(s: Session, project, fmt):
    """List a project's months and whether each is closed."""
    s.show(s.fw.periods.list(project), [("month", N_("month")), ("state", N_("state")),
                                        ("closed_at", N_("closed at")),
                                        ("closed_by", N_("closed by"))], fmt)


@period.command("close")
@project_option
@click.argument("month")
@click.pass_obj
def period_close(s: Session, project, month):
    """Close a month: after this nothing dated in it can change."""
    s.fw.periods.close(project, month, s.actor)
    s.say(N_("{month} of project {project} is closed."), month=month, project=project)


SHEET_COLUMNS = [("number", N_("employee number")), ("name", N_("name")), ("team", N_("team")),
                 ("base", N_("base")), ("bonus", N_("bonus")), ("deducted", N_("deductions")),
                 ("judgement", N_("judgement")), ("result", N_("derived from results")),
                 ("adjustment", N_("adjustment")),
                 ("escalation", N_("escalation")), ("total", N_("total")), ("flags", N_("flags"))]
# the words of the core's own flags of a sheet row (`ledger.build_sheet`)
SHEET_FLAGS = {"dismissal_conduct": ("Dismissal-level conduct", "辞退级违纪"),
               AWARD_FAULTED: ("Best of the month beside a violation", "本月最佳与违规并存")}


@click.group(invoke_without_command=True)
@click.option("--project", help="Project slug (for the sheet).")
@click.option("--month", help="YYYY-MM (for the sheet).")
@format_option
@when_alone
def scores(s: Session, project, month, fmt):
    """The month's score sheet; subcommands record, reverse, import and list rules."""
    if not project or not month:
        raise click.UsageError("scores needs --project and --month (or a subcommand)",
                               click.get_current_context())
    rows, columns = s.fw.ledger.sheet_and_columns(project, month)
    if fmt != "json":  # names and words for a person; the JSON keeps the codes
        titles = {**SHEET_FLAGS, **{code: pair for c in columns for code, pair in c.titles.items()}}
        zh = s.locale.startswith("zh")
        rows = [{**r, "deducted": sum(r["deductions"].values()), "team": r["team_name"] or r["team"],
                 "flags": [titles[f][zh] if f in titles else f for f in r.get("flags") or ()]}
                for r in rows]
    s.show(rows, SHEET_COLUMNS, fmt)


@scores.command("record")
@project_option
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
    # a violation stays recordable beside the best of the month, but the month cannot close so
    if is_violation(event) and any(r["number"] == event["agent"] and AWARD_FAULTED in r["flags"]
                                   for r in s.fw.ledger.sheet(project, event["period"], columns=False)):
        s.warn(N_("{number} holds the best of the month for {month}: reverse the award or the "
                  "violation before the month closes"), number=event["agent"], month=event["period"])


def _event_change(f):
    """EVENT_ID, ``--reason`` and ``--project`` (where to look) of a change to one event."""
    for option in (click.pass_obj, click.option("--project", help="Look only in this project."),
                   click.option("--reason", required=True), click.argument("event_id")):
        f = option(f)
    return f


@scores.command("reverse")
@_event_change
def scores_reverse(s: Session, event_id, reason, project):
    """Cancel a score event of an open month with a reversal that points at it (a decision:
    no later settle of the event's evidence writes it again)."""
    reversal = s.fw.ledger.reverse(event_id, reason, s.actor, project, decision=True)
    s.say(N_("Event {id} reversed by {reversal}."), id=event_id, reversal=reversal["id"])


@scores.command("correct")
@_event_change
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
@format_option
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
@project_option
@format_option
@import_options
@click.pass_obj
def scores_import(s: Session, file, project, fmt, mapping_name, sheet, dry_run):
    """Import score events from .csv/.xlsx (agent, rule, date, points, reason[, evidence])."""
    import_rows(s, "core.scores", import_score_events, file, project,
                N_("Imported {count} score events into project {project}."),
                mapping_name=mapping_name, sheet=sheet, dry_run=dry_run, fmt=fmt)


def import_rows(s: Session, importer: str, load, file: str, project: str, done: str,
                **options) -> None:
    """Run the core's import *load* (`import_agents`, `import_score_events`) of *file* with a
    progress bar, then say *done* with the count (with ``dry_run``, print the preview)."""
    with s.progress(N_("Checking rows")) as progress:
        count = run_import(s, importer, project, file,
                           lambda **o: load(s.fw, project, file, s.actor, progress=progress, **o),
                           **options)
    if count is not None:
        s.say(done, count=count, project=project)


@click.command("import")
@click.argument("kind", required=False)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--project", help="Project slug.")
@format_option
@import_options
@click.pass_obj
def import_file(s: Session, kind, file, project, fmt, mapping_name, sheet, dry_run):
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

    def load(mapping=None, sheet=None, dry_run=False):
        table = mappings.read_for(s.fw, project, kind, file, importer.fields, mapping=mapping,
                                  sheet=sheet)
        if dry_run:
            if importer.preview is None:
                raise ValidationError(N_("dry run"), N_("the import {kind} offers no preview"), kind=kind)
            return importer.preview(s.fw, project_doc, table)
        return importer.run(s.fw, project_doc, table.rows, s.actor) or {}

    done = run_import(s, kind, project, file, load, mapping_name=mapping_name, sheet=sheet,
                      dry_run=dry_run, fmt=fmt, count_title=importer.count_title)
    if done is None:
        return
    counts = ", ".join(f"{importer.count_title(k, s.locale)} {v}" for k, v in done.items()
                       if isinstance(v, int))
    s.say(N_("Imported {file} into project {project}: {counts}."), file=Path(file).name,
          project=project, counts=counts)


COMMANDS = (period, scores, import_file)
