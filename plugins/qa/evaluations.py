"""Evaluations (质检记录): an evaluator answers every item of the published standard for one
interaction, and the score goes into the agent's monthly score.

`answers_of` reads the answers as typed (yes / no / a number / N/A, and a comment per item),
naming each item that is not answered, or lost points without a comment; `submit` scores them
with `scoring` against the version the form showed — which must still be the published one, so
a new version changes only the evaluations made after it — stores the evaluation with its items
and that version's number, and settles its score events in the ledger: a fatal error and a
full-marks evaluation are events of the catalogue (``qa_fatal_error``, ``qa_full_marks``; a
project changes their points in its rule points), with source ``qa`` and evidence
``qa:evaluation:<id>``. An evaluation is dated the day it is submitted, on the project's clock,
and kept in that month's file (``projects/<slug>/qa_evaluations/<YYYY-MM>``): it counts in the
month it was made, which is always open.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (N_, Conflict, NotFound, PermissionDenied, ValidationError, new_id,
                              now_iso, translate, validate)

from . import coaching, interactions, monthly, scorecards, scoring
from .config import NAME

TABLE = "evaluations"
FATAL_RULE, FULL_MARKS_RULE = "qa_fatal_error", "qa_full_marks"
# what an event stores as its reason (English facts), read back in either language by `reason`
REASONS = {"section": "fatal error (section)", "all": "fatal error (whole evaluation)",
           "full": "full marks"}
SHOWN = {"section": N_("fatal error: a section zeroed"), "all": N_("fatal error: the whole evaluation zeroed"),
         "full": N_("full marks")}
COMMENT_LIMIT = 2000


def _key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, "qa_evaluations", month)


def evidence(evaluation_id: str) -> str:
    return f"{NAME}:evaluation:{evaluation_id}"


def months(fw, slug: str) -> list[str]:
    folder = _key(fw, slug, "0000-00")[:-len("/0000-00")]
    return sorted((k.rsplit("/", 1)[1] for k in fw.store.keys(folder) if k != folder), reverse=True)


def of_month(fw, slug: str, month: str) -> list[dict]:
    """The evaluations of *month*, newest first."""
    return sorted(fw.store.table(_key(fw, slug, month), TABLE).values(),
                  key=lambda d: d["submitted_at"], reverse=True)


def of_agent(fw, slug: str, number: str) -> list[dict]:
    """Agent *number*'s evaluations in *slug*, newest first."""
    return [e for month in months(fw, slug) for e in of_month(fw, slug, month) if e["agent"] == number]


def of_interaction(fw, slug: str, interaction_id: str) -> list[dict]:
    return [e for month in months(fw, slug) for e in of_month(fw, slug, month)
            if e["interaction"] == interaction_id]


def get(fw, slug: str, evaluation_id: str) -> dict:
    for month in months(fw, slug):
        doc = fw.store.table(_key(fw, slug, month), TABLE).get(evaluation_id)
        if doc is not None:
            return doc
    raise NotFound(N_("no evaluation {id!r}"), id=evaluation_id)


def field_names(si: int, ii: int) -> tuple[str, str, str]:
    """The form's inputs of item *ii* of section *si*: its answer, its comment and its N/A box
    (a yes/no item's answer may say ``na`` itself)."""
    return f"a-{si}-{ii}", f"c-{si}-{ii}", f"n-{si}-{ii}"


def answers_of(card: dict, form: dict) -> tuple[list[list], dict[str, str], dict[str, str]]:
    """(answers per section, comments by input name, problems by input name as (message id,
    parameters))
    of a posted form: every item answered (N/A is an answer), every item that lost points
    explained."""
    answers, comments, problems = [], {}, {}
    for si, section in enumerate(card["sections"]):
        given = []
        for ii, item in enumerate(section["items"]):
            name, comment_name, na_name = field_names(si, ii)
            raw = "na" if form.get(na_name) else str(form.get(name) or "").strip()
            comments[comment_name] = str(form.get(comment_name) or "").strip()[:COMMENT_LIMIT]
            answer = None if raw.lower() in ("na", "n/a") else raw
            if raw == "":
                problems[name] = (N_("answer this item (N/A where it does not apply)"), {})
            elif answer is not None:
                try:
                    points = scoring.earned(item, answer)
                except scoring.ScoringError as exc:
                    problems[name] = (exc.reason, exc.params)
                else:
                    answer = answer if item["type"] == "yesno" else _number(points)
                    bonus = section.get("weight") is None  # a bonus not earned is no point lost
                    if not bonus and scoring.lost_points(item, answer, points) and not comments[comment_name]:
                        problems[comment_name] = (N_("say why this item lost points"), {})
            given.append(answer)
        answers.append(given)
    return answers, comments, problems


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def submit(fw, project: dict, interaction_id: str, version, form: dict, actor: str,
           user: dict | None = None) -> dict:
    """Score the answers in *form* and store the evaluation; raises `ValidationError` (its
    ``problems`` by input name) when an answer or a comment is missing or wrong."""
    slug = project["slug"]
    interaction = interactions.get(fw, slug, interaction_id)
    if user and user.get("agent") and user["agent"] == interaction["agent"]:
        raise PermissionDenied(N_("nobody evaluates their own interactions"))
    if any(e["kind"] == "evaluation" for e in of_interaction(fw, slug, interaction_id)):
        raise Conflict(N_("interaction {id} is evaluated already"), id=interaction_id)
    card = scorecards.in_state(fw, slug, "published")
    if card is None:
        raise Conflict(N_("no QA standard is published yet"))
    if str(card["version"]) != str(version):
        raise Conflict(N_("the QA standard changed (version {version} is published now): open the "
                          "form again"), version=card["version"])
    doc, wanted = _evaluation(fw, project, interaction, card, form, actor, fw.projects.now(project), now_iso())
    date = doc["date"]
    with fw.store.transaction(_key(fw, slug, date[:7]), actor, "qa.evaluate") as tx:
        tx.insert(TABLE, doc)
    fw.ledger.settle(slug, NAME, {evidence(doc["id"]): wanted}, actor, month=date[:7])
    monthly.settle(fw, project, date[:7], actor, of_month(fw, slug, date[:7]))  # the month's average
    coaching.ask(fw, project, doc)
    return doc


def submit_many(fw, project: dict, given, actor: str) -> list[dict]:
    """Store the evaluations *actor* made, each ``(interaction id, form, at)`` — *at* the moment
    on the project's clock it was made — against the published standard, with one commit per
    month file and one settle of each month's score events: a history of evaluations made
    before (the demo's months). The checks are `submit`'s; nothing is written when one fails."""
    slug = project["slug"]
    card = scorecards.in_state(fw, slug, "published")
    if card is None:
        raise Conflict(N_("no QA standard is published yet"))
    done = {e["interaction"] for m in months(fw, slug) for e in of_month(fw, slug, m) if e["kind"] == "evaluation"}
    known = {i["id"]: i for m in interactions.months(fw, slug) for i in interactions.of_month(fw, slug, m)}
    by_month: dict[str, list[dict]] = {}
    wanted: dict[str, dict] = {}
    for interaction_id, form, at in given:
        if interaction_id in done:
            raise Conflict(N_("interaction {id} is evaluated already"), id=interaction_id)
        if interaction_id not in known:
            raise NotFound(N_("no interaction {id!r}"), id=interaction_id)
        done.add(interaction_id)
        doc, events = _evaluation(fw, project, known[interaction_id], card, form, actor,
                                  at, at.isoformat(timespec="milliseconds"))
        by_month.setdefault(doc["date"][:7], []).append(doc)
        wanted.setdefault(doc["date"][:7], {})[evidence(doc["id"])] = events
    for month, docs in sorted(by_month.items()):
        with fw.store.transaction(_key(fw, slug, month), actor, "qa.evaluate") as tx:
            tx.insert_many(TABLE, docs)
        fw.ledger.settle(slug, NAME, wanted[month], actor, month=month)
        monthly.settle(fw, project, month, actor, of_month(fw, slug, month))
    made = [doc for docs in by_month.values() for doc in docs]
    for doc in made:
        coaching.ask(fw, project, doc)
    return made


def score_form(fw, project: dict, card: dict, form: dict, more: dict | None = None
               ) -> tuple[scoring.Result, dict, str]:
    """The score of the answers *form* gives to *card*, their comments and the overall comment;
    raises `ValidationError` with ``problems`` by input name, *more* (a caller's own, such as an
    edit's missing reason) among them (an evaluation's, an edit's or a calibration's form: the
    same checks)."""
    answers, comments, problems = answers_of(card, form)
    problems.update(more or {})
    overall = validate.text(form.get("comment") or "", N_("overall comment"), COMMENT_LIMIT)
    if not overall:
        problems["comment"] = (N_("is required"), {})
    if problems:
        error = ValidationError(N_("answers"), N_("{count} answers need your attention"), count=len(problems))
        error.problems = problems
        raise error
    try:
        result = scoring.score(card, answers, fw.projects.settings(project, NAME)["score_cap"])
    except scoring.ScoringError as exc:
        raise ValidationError(N_("answers"), exc.reason, **exc.params) from None
    return result, comments, overall


def _evaluation(fw, project: dict, interaction: dict, card: dict, form: dict, actor: str,
                at: dt.datetime, stamp: str) -> tuple[dict, list[tuple]]:
    """The evaluation of *interaction* that *actor* submits at *at* (the project's clock; *stamp*
    its time stamp) from *form*, scored against *card*, and the score events it wants, checked
    by the ledger; nothing is written. Raises `ValidationError` with ``problems`` by input name."""
    result, comments, overall = score_form(fw, project, card, form)
    date = at.date().isoformat()
    ident = new_id()
    wanted = _wanted(result, date, interaction["agent"])
    for rule, _points, day, agent, _reason in wanted:  # the ledger's checks, before anything is written
        fw.ledger.prepare(project, agent, rule, day, actor, source=NAME, evidence=evidence(ident),
                          allow_derived=True)
    doc = {"id": ident, "kind": "evaluation", "interaction": interaction["id"],
           "agent": interaction["agent"], "channel": interaction["channel"],
           "interaction_time": interaction["time"], "evaluator": actor,
           "scorecard_version": card["version"], "date": date, "submitted_at": stamp,
           # when, on the project's clock, as every later step of its history is written
           "submitted_local": at.isoformat(timespec="seconds"),
           "status": "submitted", "comment": overall, **scored(card, result, comments),
           # the agent acknowledges or disputes until then, on the project's clock (disputes.py)
           "respond_by": respond_by(fw, project, at), "coaching": bool(form.get("coaching"))}
    return doc, wanted


def scored(card: dict, result: scoring.Result, comments: dict[str, str]) -> dict:
    """The fields of an evaluation that its answers decide: the score, the fatal verdict, and
    its items (with their comments, by input name) and sections."""
    return {"score": result.score, "base": result.base, "bonus": result.bonus,
            "fatal": result.fatal, "full_marks": result.full_marks,
            "items": [{"section": r.section, "item": r.item, "answer": r.answer,
                       "points": None if r.points is None else _number(r.points),
                       "maximum": r.maximum, "na": r.na, "fatal": r.fatal,
                       "comment": comments.get(field_names(si, ii)[1], "")}
                      for (si, ii), r in zip(_positions(card), result.items)],
            "sections": [{"title": s.title, "weight": s.weight, "score": s.score, "na": s.na,
                          "fatal": s.fatal} for s in result.sections]}


def respond_by(fw, project: dict, at: dt.datetime | None = None) -> str:
    """When an evaluation given *at* (default now) stops waiting for its agent: ``respond_hours`` on."""
    hours = fw.projects.settings(project, NAME)["respond_hours"]
    return ((at or fw.projects.now(project)) + dt.timedelta(hours=hours)).isoformat(timespec="seconds")


def _positions(card: dict):
    return [(si, ii) for si, s in enumerate(card["sections"]) for ii, _ in enumerate(s["items"])]


def _wanted(result: scoring.Result, date: str, agent: str) -> list[tuple]:
    if result.fatal:
        return [(FATAL_RULE, None, date, agent, REASONS[result.fatal])]
    if result.full_marks:
        return [(FULL_MARKS_RULE, None, date, agent, REASONS["full"])]
    return []


def reason(stored: str, locale: str) -> str | None:
    """An event's stored reason in the reader's language (None: not one of ours)."""
    kind = next((k for k, text in REASONS.items() if text == stored), None)
    return translate(SHOWN[kind], locale) if kind else None


def as_json(doc: dict) -> dict:
    """An evaluation as `floorwalker qa evaluations --format json` gives it."""
    return {"id": doc["id"], "kind": doc["kind"], "agent": doc["agent"],
            "interaction": doc["interaction"], "evaluator": doc["evaluator"],
            "scorecard_version": doc["scorecard_version"], "score": doc["score"],
            "fatal": doc["fatal"], "status": doc["status"],
            "items": [{k: i[k] for k in ("section", "item", "answer", "points", "maximum", "na")}
                      for i in doc["items"]]}
