"""``floorwalker attendance punch-request|punch-requests|punch-approve|punch-reject``: the
missed-punch requests (补卡申请) from the command line, in the style of `commands`: the project
is ``--project``, listings take ``--format table|csv|json``, every write is audited as the
session's actor (who, for ``punch-approve``, is the approver the punch is marked with). The
rules are the pages': a request within the project's deadline and monthly limit, a rejection
with a reason."""

from __future__ import annotations

import click

from floorwalker.core import N_, Session, format_option, month_option, project_option, translate

from . import punch_requests as requests
from .commands import LEAVE_STATUS_TITLES

COLUMNS = [("id", N_("request")), ("date", N_("date")), ("time", N_("time")),
           ("agent", N_("employee number")), ("kind_title", N_("punch")), ("reason", N_("reason")),
           ("status_title", N_("status")), ("asked_by", N_("asked by")),
           ("decided_by_name", N_("decided by")), ("rejection", N_("reason for rejecting"))]


@click.command("punch-request")
@project_option
@click.option("--agent", required=True, help="Employee number.")
@click.option("--date", "day", required=True, help="YYYY-MM-DD: the day of the shift.")
@click.option("--time", "clock", required=True, help="HH:MM")
@click.option("--kind", type=click.Choice(sorted(requests.KINDS)), required=True,
              help="in: the check-in; out: the check-out.")
@click.option("--reason", required=True, help="Why the punch was missed.")
@click.pass_obj
def punch_request(s: Session, project, agent, day, clock, kind, reason):
    """Ask for a missed punch of an agent; it waits for the team leader."""
    doc = requests.ask(s.fw, s.fw.projects.get(project), agent, day, clock, kind, reason, s.actor)
    s.say(N_("Missed-punch request {id} of {agent} for {at} sent; it waits for the team leader."),
          id=doc["id"], agent=agent, at=doc["at"].replace("T", " ")[:16])


@click.command("punch-requests")
@project_option
@month_option
@click.option("--status", type=click.Choice(requests.STATUSES))
@click.option("--agent", help="Employee number: only this agent's requests.")
@format_option
@click.pass_obj
def punch_requests(s: Session, project, month, status, agent, fmt):
    """List the missed-punch requests of a month's days, with who decided."""
    s.fw.projects.get(project)
    rows = [{**r, "time": r["at"][11:16],
             "kind_title": translate(requests.KINDS[r["kind"]], s.locale),
             "status_title": translate(LEAVE_STATUS_TITLES[r["status"]], s.locale)}
            for r in requests.month_requests(s.fw, project, month)
            if (status is None or r["status"] == status) and (agent is None or r["agent"] == agent)]
    s.show(rows, COLUMNS, fmt)


@click.command("punch-approve")
@project_option
@click.argument("request_id")
@click.pass_obj
def punch_approve(s: Session, project, request_id):
    """Approve a missed-punch request: the punch is added and the day settled."""
    doc = requests.decide(s.fw, s.fw.projects.get(project), request_id, True, s.actor)
    s.say(N_("Request {id} approved: the punch of {agent} at {at} is added."), id=doc["id"],
          agent=doc["agent"], at=doc["at"].replace("T", " ")[:16])


@click.command("punch-reject")
@project_option
@click.argument("request_id")
@click.option("--reason", required=True, help="Why the request is rejected (the agent reads it).")
@click.pass_obj
def punch_reject(s: Session, project, request_id, reason):
    """Reject a missed-punch request, saying why."""
    doc = requests.decide(s.fw, s.fw.projects.get(project), request_id, False, s.actor, reason)
    s.say(N_("Request {id} rejected."), id=doc["id"])


COMMANDS = [punch_request, punch_requests, punch_approve, punch_reject]
