"""``floorwalker qa sample --project P --month M``: build or refresh the month's sampling plan
and print it, one row per pick (JSON: a list, one object per pick)."""

from __future__ import annotations

import click

from floorwalker.core import N_, Session, format_option, month_option, project_option, translate

from . import sampling

COLUMNS = [("agent", N_("employee number")), ("interaction", N_("interaction")), ("date", N_("date")),
           ("why", N_("why")), ("evaluator", N_("evaluator")), ("due", N_("due")), ("state", N_("state"))]


def as_json(pick: dict) -> dict:
    """A pick as ``qa sample --format json`` prints it."""
    return {"id": pick["id"], "agent": pick["agent"], "interaction": pick["interaction"], "date": pick["date"],
            "channel": pick["channel"], "why": pick["why"], "must_check": list(pick["must"]),
            "evaluator": pick.get("evaluator"), "due": pick["due"], "state": pick["state"],
            "reason": pick.get("reason", "")}


@click.command("sample")
@project_option
@month_option
@format_option
@click.pass_obj
def sample(s: Session, project, month, fmt):
    """Build or refresh the month's sampling plan and print it."""
    doc = s.fw.projects.get(project)
    done = sampling.build(s.fw, doc, month, s.actor)
    plan = sampling.overview(s.fw, project, month, s.fw.projects.today(doc))
    if fmt == "json":
        s.show([as_json(p) for p in plan["picks"]], [], fmt)
        return
    if fmt == "table":
        s.say(N_("Sampling plan of {project} for {month}: {added} picks added ({must} must-check); "
                 "{agents} agents, {open} picks still to evaluate."), project=project, month=month,
              added=done["added"], must=done["must_check"], agents=done["agents"], open=plan["open"])
        if done["skipped"]:
            s.say(N_("Skipped (away all month): {agents}"), agents=", ".join(done["skipped"]))
    rows = [{**p, "why": translate(sampling.WHY[p["why"]], s.locale) + (f" ({'、'.join(p['must'])})" if p["must"] else ""),
             "state": translate(sampling.STATES[p["state"]], s.locale), "evaluator": p.get("evaluator") or ""}
            for p in plan["picks"]]
    s.show(rows, COLUMNS, fmt)
