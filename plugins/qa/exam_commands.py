"""``floorwalker qa exams``: the monthly knowledge exam's scores — import a month's sheet (which
replaces the month's scores and settles their events), list a month's scores."""

from __future__ import annotations

import click

from floorwalker.core import (N_, Session, format_option, import_options, month_option, project_option,
                              run_import, validate)

from . import exams
from .config import NAME

COLUMNS = [("agent", N_("employee number")), ("score", N_("exam score")), ("result", N_("result"))]


@click.group("exams")
def exams_group():
    """The monthly knowledge exam (客服考试): import and list its scores."""


@exams_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
@click.option("--month", required=True, help="The exam's month, YYYY-MM.")
@import_options
@click.pass_obj
def exams_import(s: Session, file, project, month, mapping_name, sheet, dry_run):
    """Import a month's exam scores (工号, 分数) from a .csv/.xlsx: all rows or none; the month's
    earlier scores are replaced, and full marks and scores under the pass mark are scored."""
    s.fw.projects.get(project)
    month = validate.month(month)
    done = run_import(s, f"{NAME}.exams", project, file,
                      lambda **o: exams.import_file(s.fw, project, file, s.actor, month=month, **o),
                      mapping_name=mapping_name, sheet=sheet, dry_run=dry_run)
    if done is not None:
        s.say(N_("Imported {rows} exam scores of {month}: {full} full marks, {below} under the pass "
                 "mark ({reversed} earlier events reversed)."), rows=done["rows"], month=month,
              full=done["full_marks"], below=done["below"], reversed=done["reversed"])


@exams_group.command("list")
@project_option
@month_option
@format_option
@click.pass_obj
def exams_list(s: Session, project, month, fmt):
    """A month's exam scores, with the rule each earned."""
    project_doc = s.fw.projects.get(project)
    settings = s.fw.projects.settings(project_doc, NAME)
    rows = []
    for d in exams.of_month(s.fw, project, month):
        rule = exams.verdict(d["score"], settings["exam_full_score"], settings["exam_pass_mark"])
        rows.append({"agent": d["agent"], "score": d["score"],
                     "result": (rule or "") if fmt == "json" else
                     (s.fw.rules[rule][1].title(s.locale) if rule else "")})
    s.show(rows, COLUMNS, fmt)


COMMANDS = [exams_group]
