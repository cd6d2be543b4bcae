"""An evaluator's edit of a submitted evaluation (修改), and the evaluation's history.

An edit needs a reason and an open month, and is refused once the agent disputed the evaluation
(from then on only the supervisor's decision changes it, `disputes.decide`). It rescores against
the version the evaluation pinned, is kept on the evaluation (``history``: who, when, why, the
items changed, the score before and after), gives the agent a new window to answer (an answer
given before it no longer counts), and settles the evaluation's score events again.

The history (`history`) is the submission, the edits kept on the evaluation, and every answer of
the agent with the dispute's steps (forwarded, returned, decided with its revision).
"""

from __future__ import annotations

from floorwalker.core import N_, Conflict, PermissionDenied, ValidationError, validate

from . import coaching, disputes, evaluations, monthly, scorecards
from .config import NAME

STEPS = {"submitted": N_("submitted"), "edited": N_("edited"), "acknowledged": N_("acknowledged by the agent"),
         "accepted": N_("accepted when the window closed"), "raised": N_("disputed by the agent"),
         "forwarded": N_("forwarded to the supervisor"), "returned": N_("returned by the team leader"),
         "decided": N_("dispute decided")}


def values_of(ev: dict) -> dict[str, str]:
    """The evaluation form's inputs filled with *ev*'s answers, comments and flag (the edit form)."""
    values = {"comment": ev["comment"], "coaching": "1" if ev.get("coaching") else ""}
    si, ii, previous = -1, 0, None
    for item in ev["items"]:  # the items run section by section, in the card's order
        if si < 0 or item["section"] != previous:
            si, ii, previous = si + 1, 0, item["section"]
        answer, comment, na = evaluations.field_names(si, ii)
        values[answer] = "na" if item["na"] else str(item["answer"])
        values[na] = "1" if item["na"] else ""
        values[comment] = item["comment"]
        ii += 1
    return values


def _shown(item: dict) -> str:
    return "N/A" if item["na"] else str(item["answer"])


def edit(fw, project: dict, evaluation_id: str, form: dict, user: dict) -> dict:
    """Change a submitted evaluation: the answers, comments and coaching flag of *form* (the
    evaluation form's inputs) and its ``reason``; `ValidationError` carries ``problems``."""
    slug, actor = project["slug"], user["username"]
    ev = evaluations.get(fw, slug, evaluation_id)
    if user.get("agent") and user["agent"] == ev["agent"]:
        raise PermissionDenied(N_("nobody evaluates their own interactions"))
    month = ev["date"][:7]
    if month in fw.store.closed_months(slug):
        raise Conflict(N_("{month} is closed: its evaluations no longer change (a dispute of the "
                          "agent corrects one in an open month)"), month=month)
    answer = disputes.answer_of(fw, slug, ev)
    if answer is not None and answer["kind"] == "disputed":
        raise Conflict(N_("the agent disputed this evaluation: the supervisor's decision changes it, not an edit"))
    card = scorecards.get(fw, slug, ev["scorecard_version"])
    reason = validate.text(form.get("reason") or "", N_("reason for the change"))
    missing = {} if reason else {"reason": (N_("say why the evaluation is changed"), {})}
    result, comments, overall = evaluations.score_form(fw, project, card, form, missing)
    fields = evaluations.scored(card, result, comments)
    flag = bool(form.get("coaching"))
    changes = [{"item": f"{new['section']} · {new['item']}", "before": _shown(old), "after": _shown(new)}
               for old, new in zip(ev["items"], fields["items"])
               if (old["na"], old["answer"], old["comment"]) != (new["na"], new["answer"], new["comment"])]
    if not changes and overall == ev["comment"] and flag == bool(ev.get("coaching")):
        raise ValidationError(N_("answers"), N_("nothing was changed"))
    at = disputes.now(fw, project)
    entry = {"at": at, "by": actor, "step": "edited", "note": reason, "score": [ev["score"], result.score],
             "changes": changes}
    with fw.store.transaction(evaluations._key(fw, slug, month), actor, "qa.evaluation.edit") as tx:
        doc = tx.update(evaluations.TABLE, ev["id"], {
            **fields, "comment": overall, "coaching": flag, "edited_at": at,
            "respond_by": evaluations.respond_by(fw, project), "history": ev.get("history", []) + [entry]})
    fw.ledger.settle(slug, NAME, {evaluations.evidence(ev["id"]): evaluations._wanted(result, ev["date"], ev["agent"])},
                     actor, month=month)
    monthly.settle(fw, project, month, actor, evaluations.of_month(fw, slug, month))  # the average too
    if flag and not ev.get("coaching"):
        coaching.ask(fw, project, doc)
    return doc


def history(fw, slug: str, ev: dict) -> list[dict]:
    """Every change of *ev*, oldest first: ``at``, ``by``, ``step`` (a key of `STEPS`), ``note``
    (why), and for an edit its ``changes`` and ``score``, for a dispute its ``items`` and, once
    decided, its ``revision``."""
    entries = list(ev.get("history", []))
    for answer in disputes.answers_to(fw, slug, ev):
        if answer["kind"] != "disputed":
            entries.append({"at": answer["at"], "by": answer["by"], "step": answer["kind"], "note": ""})
            continue
        for step in answer["history"]:
            extra = {"items": answer["items"]} if step["step"] in ("raised", "decided") else {}
            if step["step"] == "decided":
                extra["revision"] = answer.get("revision")
            entries.append({**step, **extra, "dispute": answer["id"]})
    when = ev.get("submitted_local") or ev["submitted_at"][:19]  # older ones: the server's clock
    submitted = {"at": when, "by": ev["evaluator"], "step": "submitted", "note": ""}
    return [submitted, *sorted(entries, key=lambda e: e["at"])]  # first, whatever the clocks say
