"""The ``floorwalker qa`` commands: the QA standard (import, export, show, publish), the
interactions import, and the evaluations of a month.

A command gets the CLI's `Session` as ``ctx.obj`` and the core's options; an error raised here
is printed by the root group as one translated line.
"""

from __future__ import annotations

from pathlib import Path

import click

from floorwalker.core import (N_, Session, ValidationError, format_option, import_options,
                              month_option, project_option, run_import, translate)

from . import autoqa_commands, dispute_commands, disputes
from . import sampling_commands
from . import calibration, exam_commands
from . import evaluations, interactions, scorecards, scoring, workbook
from .config import NAME

EVALUATION_COLUMNS = [("id", N_("evaluation")), ("date", N_("date")), ("agent", N_("employee number")),
                      ("interaction", N_("interaction")), ("evaluator", N_("evaluator")),
                      ("scorecard_version", N_("version")), ("score", N_("QA score")),
                      ("fatal", N_("fatal error")), ("status", N_("state"))]
CALIBRATION_STATUS = {"submitted": N_("submitted"), "benchmark": N_("benchmark")}
ITEM_COLUMNS = [("section", N_("section")), ("weight", N_("weight")), ("item", N_("item")),
                ("type", N_("type")), ("max", N_("full marks")), ("fatal", N_("fatal")),
                ("note", N_("description"))]  # 说明, as the spreadsheet heads it
# a type and a fatal rule in the CLI's language (JSON keeps the spreadsheet's words, as import reads them)
TYPE_TITLES = {"yesno": N_("yes/no"), "scale": N_("scale"), "points": N_("points")}
FATAL_TITLES = {"none": N_("none"), "section": N_("section"), "all": N_("whole evaluation")}


@click.group(NAME)
def qa():
    """Quality assurance (质检): the QA standard, interactions and evaluations."""


@qa.group("scorecard")
def scorecard():
    """The project's QA standard (质检标准): import, export, show, publish."""


def _version(s: Session, project: str, version: int | None) -> dict:
    if version is not None:
        return scorecards.get(s.fw, project, version)
    doc = scorecards.in_state(s.fw, project, "published") or scorecards.in_state(s.fw, project, "draft")
    if doc is None:
        raise ValidationError(N_("version"), N_("the project has no QA standard yet"))
    return doc


@scorecard.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
@click.pass_obj
def scorecard_import(s: Session, file, project):
    """Read the standard from an xlsx (the items sheet, and 禁忌用语) into the draft."""
    s.fw.projects.get(project)
    card = workbook.read(file, s.fw.install_settings().get("import_row_limit"))
    doc = scorecards.save_draft(s.fw, project, card, s.actor)
    s.say(N_("Version {version} (draft) of the QA standard of {project}: {sections} sections, "
             "{items} items, {phrases} forbidden phrases."), version=doc["version"], project=project,
          sections=len(card["sections"]), items=sum(len(x["items"]) for x in card["sections"]),
          phrases=len(card["forbidden"]))


@scorecard.command("export")
@project_option
@click.option("--version", type=int, help="The version (default: the published one, else the draft).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The xlsx to write.")
@click.pass_obj
def scorecard_export(s: Session, project, version, output):
    """Write a version of the standard as an xlsx."""
    doc = _version(s, project, version)
    Path(output).write_bytes(workbook.export(doc))
    s.say(N_("Wrote version {version} of the QA standard to {file}."), version=doc["version"], file=output)


@scorecard.command("show")
@project_option
@click.option("--version", type=int, help="The version (default: the published one, else the draft).")
@format_option
@click.pass_obj
def scorecard_show(s: Session, project, version, fmt):
    """Print a version of the standard, one row per item."""
    doc = _version(s, project, version)
    if fmt == "table":
        s.say(N_("{title}, version {version} ({state})"), title=doc["title"], version=doc["version"],
              state=scorecards.STATES[doc["status"]])
    rows = scorecards.card_rows(doc)
    if fmt != "json":
        kinds = [(i["type"], i["fatal"]) for section in doc["sections"] for i in section["items"]]
        rows = [{**row, "type": translate(TYPE_TITLES[kind], s.locale),
                 "fatal": translate(FATAL_TITLES[fatal], s.locale)} for row, (kind, fatal) in zip(rows, kinds)]
    s.show(rows, ITEM_COLUMNS, fmt)
    if fmt == "table" and doc["forbidden"]:
        s.say(N_("Forbidden phrases: {phrases}"), phrases=", ".join(doc["forbidden"]))


@scorecard.command("publish")
@project_option
@click.option("--version", type=int, help="The draft's version (default: the draft).")
@click.pass_obj
def scorecard_publish(s: Session, project, version):
    """Publish the draft: evaluations use it from now on; the version it replaces is archived."""
    if version is None:
        draft = scorecards.in_state(s.fw, project, "draft")
        if draft is None:
            raise ValidationError(N_("version"), N_("the project has no draft of the QA standard"))
        version = draft["version"]
    doc = scorecards.publish(s.fw, project, version, s.actor)
    s.say(N_("Version {version} of the QA standard of {project} is published."),
          version=doc["version"], project=project)


@qa.group("interactions")
def interactions_group():
    """Interactions to evaluate: calls, chats and tickets."""


@interactions_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
@import_options
@click.pass_obj
def interactions_import(s: Session, file, project, mapping_name, sheet, dry_run):
    """Import interactions from a .csv/.xlsx export: all rows or none; ids already there skipped."""
    s.fw.projects.get(project)
    done = run_import(s, f"{NAME}.interactions", project, file,
                      lambda **o: interactions.import_file(s.fw, project, file, s.actor, **o),
                      mapping_name=mapping_name, sheet=sheet, dry_run=dry_run)
    if done is not None:
        s.say(N_("Imported {added} interactions ({already} already there)."), added=done["added"],
              already=done["already"])


@qa.command("evaluations")
@project_option
@month_option
@format_option
@click.pass_obj
def evaluations_list(s: Session, project, month, fmt):
    """The evaluations made in a month (JSON: with their items).

    \b
    status of an evaluation, now: where the agent's answer and the dispute stand
      open          waiting for the agent (inside the window to answer)
      acknowledged  the agent acknowledged it
      accepted      the window closed unanswered: it stands
      raised        disputed, with the agent's team leader
      forwarded     disputed, with the supervisor
      returned      the team leader returned the dispute: it stands
      decided       the supervisor decided the dispute (score as decided)
    status of a calibration scoring: submitted, or benchmark.
    """
    fw_project = s.fw.projects.get(project)
    docs = sorted(evaluations.of_month(s.fw, project, month), key=lambda d: d["submitted_at"])
    states = disputes.statuses(s.fw, fw_project, docs)  # the answer and the dispute (disputes.py)
    scorings = calibration.scorings_of_month(s.fw, project, month)  # (date, JSON) of kind "calibration"
    if fmt == "json":
        s.show([{**evaluations.as_json(d), "status": states[d["id"]]} for d in docs]
               + [j for _, j in scorings], [], fmt)
        return
    fatal = {"section": N_("section"), "all": N_("whole evaluation")}
    s.show([{**evaluations.as_json(d), "date": d["date"], "score": scoring.shown(d["score"]),
             "status": translate(disputes.STATUS[states[d["id"]]], s.locale),
             "fatal": translate(fatal[d["fatal"]], s.locale) if d["fatal"] else ""} for d in docs]
           + [{**j, "date": day, "score": scoring.shown(j["score"]),
               "status": translate(CALIBRATION_STATUS[j["status"]], s.locale),
               "fatal": translate(fatal[j["fatal"]], s.locale) if j["fatal"] else ""}
              for day, j in scorings], EVALUATION_COLUMNS, fmt)


qa.add_command(autoqa_commands.autoqa_command)  # qa autoqa (autoqa_commands.py)
qa.add_command(sampling_commands.sample)  # qa sample (sampling_commands.py)
qa.add_command(dispute_commands.disputes_command)  # qa disputes (dispute_commands.py)
qa.add_command(exam_commands.exams_group)  # qa exams import / list (exam_commands.py)
