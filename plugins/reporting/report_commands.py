"""``floorwalker reporting report --project P --month YYYY-MM | --week YYYY-Www --format
html|pdf|xlsx -o FILE``: a client report written to a file, the same document as the page's
(the published one once there is one, else the live preview), in the command line's language."""

from __future__ import annotations

from pathlib import Path

import click

from floorwalker.core import N_, Session, ValidationError, project_option, to_pdf, to_xlsx

from . import report
from .report_pages import body, standalone, workbook


@click.command("report")
@project_option
@click.option("--month", help="The month reported, YYYY-MM.")
@click.option("--week", help="The ISO week reported, YYYY-Www.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "xlsx"]), default="pdf", show_default=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The file to write.")
@click.option("--publish", is_flag=True, help="Publish the report (as the job does) before writing it.")
@click.pass_obj
def report_command(s: Session, project, month, week, fmt, output, publish):
    """Write the weekly or monthly client report to a file (HTML, PDF or xlsx)."""
    if bool(month) == bool(week):
        raise ValidationError(N_("period"), N_("give either --month or --week"))
    doc = s.fw.projects.get(project)
    span = report.span_of(month or week)
    render = s.fw.render
    if publish:
        report.publish(s.fw, doc, span, s.actor, render)
    data, _ = report.report(s.fw, doc, span, render)
    title = f"{data['project']['name']} · {report.title(span, s.locale)}"
    if fmt == "xlsx":
        payload = to_xlsx(workbook(data, s.locale))
    elif fmt == "pdf":
        payload = to_pdf(html=body(s.fw, data, s.locale, pdf=True), title=title, locale=s.locale)
    else:
        payload = standalone(s.fw, data, title, s.locale).encode()
    Path(output).write_bytes(payload)
    s.say(N_("Wrote {path} ({size} bytes)."), path=output, size=len(payload))
