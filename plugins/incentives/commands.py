"""The ``floorwalker incentives`` commands: tier suggestions, reversal requests, the back-test
draft, and the pay-float export for payroll.

A command gets the CLI's `Session` as ``ctx.obj`` and takes the core's options
(`project_option`, `format_option`); an error raised here is reported by the root group as one
translated line.
"""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from floorwalker.core import N_, Session, format_option, project_option

from . import drafts, payroll, reversals, suggestions


SUGGESTION_COLUMNS = [("id", N_("tier suggestion")), ("agent", N_("employee number")),
                      ("name", N_("name")), ("from_tier", N_("tier now")),
                      ("to_tier", N_("suggested tier")), ("grades", N_("grades of the run")),
                      ("months", N_("closed months")), ("state", N_("state"))]
REQUEST_COLUMNS = [("id", N_("reversal request")), ("event", N_("score event")),
                   ("agent", N_("employee number")), ("rule", N_("rule")), ("points", N_("points")),
                   ("reason", N_("reason")),
                   ("requested_by", N_("requested by")), ("state", N_("state"))]
CHANGE_COLUMNS = [("number", N_("employee number")), ("name", N_("name")), ("total", N_("total")),
                  ("draft_total", N_("draft total")), ("grade", N_("grade")),
                  ("draft_grade", N_("draft grade")), ("pay_float", N_("pay float")),
                  ("draft_pay_float", N_("draft pay float")), ("pay_change", N_("pay float change"))]


def register(cli: click.Group) -> None:
    cli.add_command(incentives)


@click.group()
def incentives():
    """Grades and pay float: tier suggestions, reversal requests, back-tests, payroll export."""


# ---------------------------------------------------------------- tiers

@incentives.group("tiers", invoke_without_command=True)
@project_option
@click.option("--refresh", is_flag=True, help="Work out new suggestions from the closed months first.")
@click.option("--all", "everything", is_flag=True, help="Also list decided suggestions.")
@format_option
@click.pass_context
def tiers(ctx, project, refresh, everything, fmt):
    """Tier suggestions waiting for a decision (subcommands accept and dismiss)."""
    if ctx.invoked_subcommand is not None:
        return
    s: Session = ctx.obj
    if refresh:
        suggestions.refresh(s.fw, project, s.actor)
    s.show(suggestions.listed(s.fw, project, None if everything else suggestions.PENDING),
           SUGGESTION_COLUMNS, fmt)


@tiers.command("accept")
@click.argument("suggestion")
@click.pass_context
def tiers_accept(ctx, suggestion):
    """Change the agent's tier as suggested."""
    s, project = ctx.obj, ctx.parent.params["project"]
    done = suggestions.accept(s.fw, project, suggestion, s.actor)
    s.say(N_("Agent {number} is now {tier}."), number=done["agent"], tier=done["to_tier"])


@tiers.command("dismiss")
@click.argument("suggestion")
@click.option("--note", default="", help="Why not.")
@click.pass_context
def tiers_dismiss(ctx, suggestion, note):
    """Leave the agent's tier as it is."""
    s, project = ctx.obj, ctx.parent.params["project"]
    suggestions.dismiss(s.fw, project, suggestion, s.actor, note)
    s.say(N_("Suggestion {id} dismissed."), id=suggestion)


# ---------------------------------------------------------------- reversal requests

@incentives.group("reversals", invoke_without_command=True)
@project_option
@format_option
@click.pass_context
def reversal_requests(ctx, project, fmt):
    """Reversal requests waiting for a supervisor (subcommands request, approve, reject)."""
    if ctx.invoked_subcommand is None:
        ctx.obj.show(reversals.requests(ctx.obj.fw, project, reversals.PENDING), REQUEST_COLUMNS, fmt)


@reversal_requests.command("request")
@click.argument("event")
@click.option("--reason", required=True)
@click.pass_context
def reversal_request(ctx, event, reason):
    """Ask for a score event to be reversed."""
    s, project = ctx.obj, ctx.parent.params["project"]
    asked = reversals.request(s.fw, project, event, reason, s.actor)
    s.say(N_("Reversal of {event} requested: request {id}."), event=event, id=asked["id"])


@reversal_requests.command("approve")
@click.argument("request")
@click.pass_context
def reversal_approve(ctx, request):
    """Approve a request: the event is reversed."""
    s, project = ctx.obj, ctx.parent.params["project"]
    done = reversals.decide(s.fw, project, request, True, s.actor)
    s.say(N_("Event {id} reversed by {reversal}."), id=done["event"], reversal=done["reversal"])


@reversal_requests.command("reject")
@click.argument("request")
@click.option("--note", required=True, help="Why the event stands.")
@click.pass_context
def reversal_reject(ctx, request, note):
    """Reject a request: the event stands."""
    s, project = ctx.obj, ctx.parent.params["project"]
    reversals.decide(s.fw, project, request, False, s.actor, note)
    s.say(N_("Request {id} rejected."), id=request)


# ---------------------------------------------------------------- the back-test

def _pairs(items: tuple[str, ...]) -> dict:
    """``key=value`` options, each value read as JSON when it parses (numbers, objects)."""
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        try:
            out[key.strip()] = orjson.loads(value)
        except orjson.JSONDecodeError:
            out[key.strip()] = value
    return out


@incentives.command("draft")
@project_option
@click.option("--set", "values", multiple=True, metavar="KEY=VALUE",
              help='A setting, e.g. pay_per_point=12 or grade_bands=\'{"A": 92, ...}\'.')
@click.option("--rule", "rules", multiple=True, metavar="CODE=POINTS", help="e.g. loud=-3 or chatting=[-3,-1].")
@click.option("--discard", is_flag=True, help="Drop the draft.")
@click.pass_obj
def draft(s: Session, project, values, rules, discard):
    """Save the back-test draft (or drop it)."""
    if discard:
        drafts.discard(s.fw, project, s.actor)
        s.say(N_("The draft of project {project} is discarded."), project=project)
        return
    drafts.save(s.fw, project, _pairs(values), _pairs(rules), s.actor)
    s.say(N_("Draft saved; try it with: floorwalker incentives backtest --project {project} --month YYYY-MM"),
          project=project)


@incentives.command("backtest")
@project_option
@click.option("--month", required=True, help="YYYY-MM, a closed month.")
@format_option
@click.pass_obj
def backtest(s: Session, project, month, fmt):
    """Who would change grade or pay float under the draft, and by how much."""
    result = drafts.run(s.fw, project, month)
    s.show(result["changed"], CHANGE_COLUMNS, fmt)
    if fmt == "table":
        s.say(N_("{changed} of {agents} agents change; pay float total {before} → {after}."),
              changed=len(result["changed"]), agents=result["agents"],
              before=result["pay_float_total"], after=result["draft_pay_float_total"])


@incentives.command("publish")
@project_option
@click.pass_obj
def publish(s: Session, project):
    """Make the draft the project's settings from the next open month."""
    record = drafts.publish(s.fw, project, s.actor)
    s.say(N_("Published; the change takes effect from {month}."), month=record["effective"])


# ---------------------------------------------------------------- payroll

@incentives.command("export-pay")
@project_option
@click.option("--month", required=True, help="YYYY-MM, a closed month.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="The .xlsx file to write.")
@click.pass_obj
def export_pay(s: Session, project, month, output):
    """Write the month's pay-float sheet as xlsx for payroll."""
    rows = payroll.pay_rows(s.fw, project, month)
    path = Path(output or f"{project}-pay-{month}.xlsx")
    path.write_bytes(payroll.workbook(rows, month, s.locale))
    s.say(N_("Wrote the pay float of {count} agents to {file}."), count=len(rows), file=str(path))
