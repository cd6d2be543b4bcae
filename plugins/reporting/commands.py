"""``floorwalker reporting …``: the client-reporting group, and its traffic commands.

``reporting traffic import FILE --project P [--mapping NAME] [--sheet S] [--dry-run]`` behaves
as ``floorwalker import reporting.traffic`` does (the saved mapping that fits, the preview of a
dry run, all rows or none); ``reporting traffic show --project P --day D`` lists a day's rows.
The other parts of the plugin add their subcommands to the `reporting` group from their own
modules (registered in the plugin's ``register_commands``).
"""

from __future__ import annotations

import datetime as dt
import json

import click

from floorwalker.core import (N_, Session, format_option, import_options, project_option,
                              run_import, validate)

from . import traffic
from .traffic_import import IMPORTER, IMPORTERS, import_file

SHOW_COLUMNS = [("start", N_("interval start")), ("minutes", N_("minutes")), ("queue", N_("queue")),
                ("agent", N_("agent number")), ("offered", N_("offered")), ("answered", N_("answered")),
                ("answered_in_threshold", N_("answered within threshold")),
                ("threshold_seconds", N_("threshold (seconds)")), ("abandoned", N_("abandoned")),
                ("abandoned_short", N_("short abandons")), ("talk_seconds", N_("talk seconds")),
                ("hold_seconds", N_("hold seconds")), ("wrap_seconds", N_("wrap seconds")),
                ("transfers", N_("transfers")), ("csat_responses", N_("satisfaction responses")),
                ("csat_satisfied", N_("satisfied")), ("chat_sessions", N_("chat sessions")),
                ("seats", N_("seats")), ("first_response_seconds", N_("first-response seconds")),
                ("inquiries", N_("inquiries")), ("orders", N_("orders")),
                ("order_value", N_("order value"))]


@click.group()
def reporting():
    """Client reporting (报表反馈): traffic, contract, KPIs, staffing, the client's issues."""


@reporting.group("traffic")
def traffic_group():
    """Traffic (话务数据): the platforms' exports, per interval or per agent-day."""


@traffic_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
@format_option
@import_options
@click.pass_obj
def traffic_import(s: Session, file, project, fmt, mapping_name, sheet, dry_run):
    """Import a traffic export (.csv/.xlsx); all rows or none, a day imported again replaced."""
    doc = s.fw.projects.get(project)
    importer = IMPORTERS[0]
    done = run_import(s, IMPORTER, project, file,
                      lambda **o: import_file(s.fw, doc, file, s.actor, **o),
                      mapping_name=mapping_name, sheet=sheet, dry_run=dry_run, fmt=fmt,
                      count_title=importer.count_title)
    if done is None:
        return
    if fmt == "json":
        click.echo(json.dumps({"written": True, **done}, ensure_ascii=False))
        return
    s.say(N_("Traffic of project {project}: {rows} rows over {days} days written, {replaced} rows "
             "replaced."), project=project, rows=done["rows"], days=done["days"], replaced=done["replaced"])


@traffic_group.command("show")
@project_option
@click.option("--day", required=True, help="The day, YYYY-MM-DD.")
@format_option
@click.pass_obj
def traffic_show(s: Session, project, day, fmt):
    """List a day's traffic rows (intervals, agent-days) and the day's total."""
    s.fw.projects.get(project)
    date = validate.date(day, N_("day"))
    found = traffic.rows(s.fw, project, dt.date.fromisoformat(date), dt.date.fromisoformat(date))
    if fmt == "json":
        keys = [k for k in traffic.FIELDS if k != "id"]
        click.echo(json.dumps({"project": project, "day": date,
                               "rows": [{k: r.get(k) for k in keys} for r in found],
                               "totals": traffic.totals(found)}, ensure_ascii=False, indent=2))
        return
    shown = [{**r, "start": r["start"] or "", "agent": r["agent"] or ""} for r in found]
    s.show(shown, SHOW_COLUMNS, fmt)
