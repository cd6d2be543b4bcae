"""``floorwalker qa disputes --project P --month M``: the disputes raised in a month, one row per
disputed item, with where each stands and, once decided, its outcome and the new score."""

from __future__ import annotations

import click

from floorwalker.core import N_, Session, format_option, month_option, project_option, translate

from . import disputes, scoring

COLUMNS = [("dispute", N_("dispute")), ("date", N_("date")), ("agent", N_("employee number")),
           ("evaluation", N_("evaluation")), ("evaluator", N_("evaluator")), ("state", N_("state")),
           ("item", N_("item")), ("reason", N_("reason")), ("outcome", N_("outcome")),
           ("score", N_("QA score"))]


def rows(fw, slug: str, month: str, locale: str) -> list[dict]:
    """One row per disputed item of the disputes raised in *month*."""
    found = []
    for doc in disputes.of_month(fw, slug, month):
        if doc["kind"] != "disputed":
            continue
        revision = doc.get("revision") or {}
        for item in doc["items"]:
            found.append({"dispute": doc["id"], "date": doc["date"], "agent": doc["agent"],
                          "evaluation": doc["evaluation"], "evaluator": doc["evaluator"],
                          "state": translate(disputes.STATUS[doc["state"]], locale),
                          "item": f"{item['section']} · {item['item']}", "reason": item["reason"],
                          "outcome": translate(disputes.OUTCOMES[item["outcome"]], locale) if item["outcome"] else "",
                          "score": " → ".join(scoring.shown(s) for s in revision.get("score", []))})
    return found


@click.command("disputes")
@project_option
@month_option
@format_option
@click.pass_obj
def disputes_command(s: Session, project, month, fmt):
    """The disputes of evaluations raised in a month, one row per disputed item."""
    s.fw.projects.get(project)
    s.show(rows(s.fw, project, month, s.locale), COLUMNS, fmt)
