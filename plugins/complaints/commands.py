"""The ``floorwalker complaints`` commands: import a handling point's list, list a month's
complaints (table, csv, or the JSON of issue 14 item 8), give a verdict, escalate (追加) and
put a project's SLA policies back to a preset."""

from __future__ import annotations

import click

from floorwalker.core import (N_, Session, format_option, import_options, month_option, project_option,
                              run_import, translate)

from . import clocks, handling, importer, records
from .config import CHANNELS, NAME, SEVERITIES, STATUSES, VERDICTS

LIST_COLUMNS = [("id", N_("complaint")), ("received", N_("received")), ("channel", N_("channel")),
                ("severity", N_("severity")), ("category", N_("category")), ("agent", N_("employee number")),
                ("verdict", N_("validity")), ("status", N_("state")), ("escalations", N_("escalations")),
                ("first_response", N_("First response")), ("solution", N_("Solution")),
                ("closure", N_("Closure"))]


VERDICT_SAID = {"valid": N_("Complaint {id} is valid."), "invalid": N_("Complaint {id} is invalid.")}


@click.group(NAME)
def complaints():
    """Complaints (投诉): import, list, verdict, escalate."""


@complaints.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
@import_options
@click.pass_obj
def import_(s: Session, file, project, mapping_name, sheet, dry_run):
    """Import complaints from a .csv/.xlsx list: all rows or none; numbers already there skipped."""
    s.fw.projects.get(project)
    done = run_import(s, f"{NAME}.complaints", project, file,
                      lambda **o: importer.import_file(s.fw, project, file, s.actor, **o),
                      mapping_name=mapping_name, sheet=sheet, dry_run=dry_run)
    if done is not None:
        s.say(N_("Imported {added} complaints ({already} already there)."), added=done["added"],
              already=done["already"])


def _clock_text(c, locale: str) -> str:
    due = c.due.isoformat(sep=" ", timespec="minutes") if c.due else "–"
    return f"{translate(clocks.STATES[c.state], locale)} {due}"


@complaints.command("list")
@project_option
@month_option
@format_option
@click.pass_obj
def list_(s: Session, project, month, fmt):
    """The complaints received in a month, with their clocks."""
    doc = s.fw.projects.get(project)
    now = s.fw.projects.now(doc)
    rows = [(c, records.targets(s.fw, doc, c, now)) for c in records.of_month(s.fw, doc, month)]
    if fmt == "json":
        s.show([records.as_json(c, found) for c, found in rows], [], fmt)
        return
    shown = []
    for c, found in rows:
        verdict = (c.get("verdict") or {}).get("outcome")
        shown.append({**records.as_json(c, found),
                      "channel": translate(CHANNELS[c["channel"]], s.locale),
                      "severity": translate(SEVERITIES[c["severity"]], s.locale),
                      "verdict": translate(VERDICTS[verdict], s.locale) if verdict else "",
                      "status": translate(STATUSES[c["status"]], s.locale),
                      **{f.target: _clock_text(f, s.locale) for f in found}})
    s.show(shown, LIST_COLUMNS, fmt)


@complaints.command("verdict")
@click.argument("ident")
@click.option("--project", help="The project's slug (needed only where two projects have the ID).")
@click.option("--valid", "outcome", flag_value="valid", help="The complaint is valid (成立).")
@click.option("--invalid", "outcome", flag_value="invalid", help="The complaint is invalid (不成立).")
@click.option("--rule", help="The score rule of a valid complaint against an agent.")
@click.option("--reason", required=True, help="Why: what the investigation found.")
@click.pass_obj
def verdict(s: Session, ident, project, outcome, rule, reason):
    """Decide whether complaint ID is valid, with the reason (and the rule, where valid)."""
    if not outcome:
        raise click.UsageError(translate(N_("give --valid or --invalid"), s.locale))
    doc = handling.verdict(s.fw, records.find(s.fw, ident, project), ident, outcome, reason, s.actor, rule=rule)
    s.say(VERDICT_SAID[outcome], id=doc["id"])


@complaints.command("escalate")
@click.argument("ident")
@click.option("--project", help="The project's slug (needed only where two projects have the ID).")
@click.option("--reason", required=True, help="Why the customer does not accept the answer.")
@click.pass_obj
def escalate(s: Session, ident, project, reason):
    """Escalate complaint ID (追加): at most twice per complaint."""
    doc = handling.escalate(s.fw, records.find(s.fw, ident, project), ident, reason, s.actor)
    s.say(N_("Complaint {id} escalated ({n} of 2)."), id=doc["id"], n=len(doc["escalations"]))


@complaints.command("preset")
@click.argument("name", type=click.Choice(sorted(clocks.PRESETS)))
@project_option
@click.pass_obj
def preset(s: Session, name, project):
    """Set the project's SLA policies to a preset: cn (the CN call-centre clocks) or plain24."""
    s.fw.projects.configure(project, NAME, {"sla_policies": clocks.PRESETS[name]}, s.actor)
    s.say(N_("The SLA policies of {project} are the {preset} preset now."), project=project, preset=name)
