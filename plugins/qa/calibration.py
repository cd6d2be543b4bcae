"""Calibration (质检校准): several evaluators score the same interaction blind, and their answers
are compared with a benchmark.

A session's owner (a QA evaluator or a supervisor) picks an interaction and the evaluators; the
session pins the QA standard's version published at that moment, so everybody scores the same
items even if a new version comes out meanwhile. Each evaluator scores it on the ordinary
evaluation form (nothing on it says calibration: the evaluator need not know); the owner's own
scoring is the **benchmark**. Blind: a participant sees the others' answers only once its own is
in (the owner: once the benchmark is in), anybody else only once the owner closes the session.
A scoring, once submitted, does not change.

**The comparison** (`compare`), per item and evaluator, the difference against the benchmark as
a share of the item's full marks, ``|points − benchmark points| ÷ full marks``; answered against
N/A (either way) is a whole difference (1), N/A on both sides none; an item of 0 full marks (a
fatal yes/no) differs wholly when the answers differ. An item's **variance** is the mean of its
evaluators' differences, flagged when above the project's ``calibration_threshold`` (default
10 %; exactly at it is not flagged). An evaluator's **alignment** is
Σ weight × (100 % − difference) over the items not N/A on both sides, each item weighted by its
share of those items' full marks (so an item of 0 full marks weighs nothing there; its
disagreement shows in the variance table).

Calibration never counts for an agent: the scorings live in the session (the plugin's project
file, table ``calibrations``), never among the evaluations, so they write no score event and
enter no average, no sampling count and no agent's page.
"""

from __future__ import annotations

from floorwalker.core import (N_, Conflict, NotFound, PermissionDenied, ValidationError, new_id, now_iso,
                              validate)

from . import evaluations, interactions, scorecards
from .actions import CALIBRATE
from .config import NAME

TABLE = "calibrations"
STATES = {"open": N_("in progress"), "closed": N_("finished")}
MIN_EVALUATORS = 2


def _key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def sessions(fw, slug: str) -> list[dict]:
    """Every session of the project, newest first."""
    return sorted(fw.store.table(_key(fw, slug), TABLE).values(), key=lambda d: d["created_at"], reverse=True)


def get(fw, slug: str, session_id: str) -> dict:
    doc = fw.store.table(_key(fw, slug), TABLE).get(session_id)
    if doc is None:
        raise NotFound(N_("no calibration session {id!r}"), id=session_id)
    return doc


def evaluators(fw, project: dict) -> list[dict]:
    """The users who may take part in the project's calibrations, by username."""
    return sorted((u for u in fw.users.all() if not u.get("disabled")
                   and fw.access.can(u, CALIBRATE, project)), key=lambda u: u["username"])


def open_session(fw, project: dict, interaction_id: str, chosen, actor: str) -> dict:
    """Open a session on *interaction_id* with the evaluators *chosen* (usernames); *actor* owns
    it and gives the benchmark. Raises `ValidationError` naming the field."""
    slug = project["slug"]
    interaction_id = validate.text(interaction_id, N_("interaction"), 64, required=True)
    try:
        interaction = interactions.get(fw, slug, interaction_id)
    except NotFound:
        raise ValidationError(N_("interaction"), N_("no interaction {id!r}"), id=interaction_id) from None
    card = scorecards.in_state(fw, slug, "published")
    if card is None:
        raise Conflict(N_("no QA standard is published yet"))
    allowed = {u["username"]: u for u in evaluators(fw, project)}
    names = sorted({str(n).strip() for n in chosen or () if str(n).strip()})
    if actor in names:
        raise ValidationError(N_("evaluators"), N_("the session's owner gives the benchmark; choose others"))
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValidationError(N_("evaluators"), N_("{name} cannot take part in this project's calibrations"),
                              name=unknown[0])
    if len(names) < MIN_EVALUATORS:
        raise ValidationError(N_("evaluators"), N_("choose at least {count} evaluators"), count=MIN_EVALUATORS)
    own = [n for n in names if allowed[n].get("agent") == interaction["agent"]]
    if own:
        raise ValidationError(N_("evaluators"), N_("nobody evaluates their own interactions"))
    now = now_iso()
    doc = {"id": new_id(), "interaction": interaction["id"], "agent": interaction["agent"],
           "channel": interaction["channel"], "interaction_time": interaction["time"],
           "version": card["version"], "owner": actor, "evaluators": names, "status": "open",
           "created_at": now, "month": fw.projects.today(project).isoformat()[:7], "scorings": {}}
    with fw.store.transaction(_key(fw, slug), actor, "qa.calibration.open") as tx:
        return tx.insert(TABLE, doc)


def participants(doc: dict) -> list[str]:
    return [doc["owner"], *doc["evaluators"]]


def waiting_for(doc: dict, username: str) -> bool:
    """Whether the open session *doc* waits for *username*'s scoring (or benchmark)."""
    return doc["status"] == "open" and username in participants(doc) and username not in doc["scorings"]


def may_see(doc: dict, username: str, staff: bool) -> bool:
    """Blind until submitted: a participant once its own scoring is in, other staff once closed."""
    if username in participants(doc):
        return username in doc["scorings"] or doc["status"] == "closed"
    return staff and doc["status"] == "closed"


def submit(fw, project: dict, session_id: str, form: dict, actor: str) -> dict:
    """Score the session's interaction from *form* (the evaluation form's inputs) as *actor*;
    raises `ValidationError` with ``problems`` by input name, as `evaluations.submit` does."""
    slug = project["slug"]
    doc = get(fw, slug, session_id)
    if actor not in participants(doc):
        raise PermissionDenied(N_("you are not in this calibration session"))
    if doc["status"] != "open":
        raise Conflict(N_("the session is closed"))
    if actor in doc["scorings"]:
        raise Conflict(N_("you have scored this already"))
    card = scorecards.get(fw, slug, doc["version"])
    result, comments, overall = evaluations.score_form(fw, project, card, form)
    scored = {"evaluator": actor, "submitted_at": now_iso(), "comment": overall,
              "benchmark": actor == doc["owner"], **evaluations.scored(card, result, comments)}
    with fw.store.transaction(_key(fw, slug), actor, "qa.calibration.score") as tx:
        current = tx.get(TABLE, session_id)
        if actor in current["scorings"]:  # read again under the lock
            raise Conflict(N_("you have scored this already"))
        return tx.update(TABLE, session_id, {"scorings": {**current["scorings"], actor: scored}})


def close(fw, project: dict, session_id: str, actor: str) -> dict:
    """Close the session (its owner, once the benchmark is in): no more scorings; every staff
    member may read the comparison from now on."""
    doc = get(fw, project["slug"], session_id)
    if actor != doc["owner"]:
        raise PermissionDenied(N_("only the session's owner closes it"))
    if doc["status"] != "open":
        raise Conflict(N_("the session is closed"))
    if doc["owner"] not in doc["scorings"]:
        raise Conflict(N_("give the benchmark before closing the session"))
    with fw.store.transaction(_key(fw, project["slug"]), actor, "qa.calibration.close") as tx:
        return tx.update(TABLE, session_id, {"status": "closed", "closed_at": now_iso(), "closed_by": actor})


# ---------------------------------------------------------------- the comparison (pure)


def difference(item: dict, benchmark: dict) -> float | None:
    """An evaluator's difference on one item against the benchmark, 0 to 1 (None: N/A on both
    sides, the item left out)."""
    if item["na"] and benchmark["na"]:
        return None
    if item["na"] != benchmark["na"]:
        return 1.0
    if not benchmark["maximum"]:
        return 0.0 if item["answer"] == benchmark["answer"] else 1.0
    return min(1.0, abs(float(item["points"]) - float(benchmark["points"])) / float(benchmark["maximum"]))


def alignment(items: list[dict], benchmark: list[dict]) -> float | None:
    """An evaluator's alignment with the benchmark, 0–100: Σ share of points × (1 − difference)
    over the items not N/A on both sides (None: nothing to compare)."""
    pairs = [(b["maximum"], difference(i, b)) for i, b in zip(items, benchmark)]
    pairs = [(weight, d) for weight, d in pairs if d is not None and weight]
    total = sum(weight for weight, _ in pairs)
    if not total:
        return None
    return round(sum(weight / total * (1 - d) for weight, d in pairs) * 100, 2)


def compare(doc: dict, threshold: float) -> dict:
    """The session's comparison: per item the benchmark, each evaluator's answer and difference,
    the item's variance (mean difference, %) and whether it is over *threshold* (%); per
    evaluator its score and alignment. Empty without a benchmark."""
    benchmark = doc["scorings"].get(doc["owner"])
    done = [n for n in doc["evaluators"] if n in doc["scorings"]]
    if benchmark is None:
        return {"items": [], "evaluators": [], "benchmark": None}
    rows = []
    for index, b in enumerate(benchmark["items"]):
        cells = []
        for name in done:
            item = doc["scorings"][name]["items"][index]
            cells.append({"evaluator": name, "item": item, "difference": difference(item, b)})
        diffs = [c["difference"] for c in cells if c["difference"] is not None]
        variance = round(sum(diffs) / len(diffs) * 100, 2) if diffs else None
        rows.append({"benchmark": b, "cells": cells, "variance": variance,
                     "flagged": variance is not None and variance > threshold})
    people = [{"evaluator": name, "score": doc["scorings"][name]["score"],
               "fatal": doc["scorings"][name]["fatal"],
               "alignment": alignment(doc["scorings"][name]["items"], benchmark["items"])} for name in done]
    return {"items": rows, "evaluators": people, "benchmark": benchmark}


def as_json(doc: dict) -> list[dict]:
    """The session's scorings as `floorwalker qa evaluations --format json` lists them (kind
    "calibration"; status "benchmark" for the owner's)."""
    return [{"id": f"{doc['id']}:{name}", "kind": "calibration", "agent": doc["agent"],
             "interaction": doc["interaction"], "evaluator": name, "scorecard_version": doc["version"],
             "score": s["score"], "fatal": s["fatal"], "status": "benchmark" if s["benchmark"] else "submitted",
             "items": [{k: i[k] for k in ("section", "item", "answer", "points", "maximum", "na")}
                       for i in s["items"]]}
            for name, s in sorted(doc["scorings"].items(), key=lambda kv: kv[1]["submitted_at"])]


def scorings_of_month(fw, slug: str, month: str) -> list[tuple[str, dict]]:
    """The scorings submitted in *month* (by the time stamp's date) as (that date, `as_json`'s
    object), oldest first."""
    found = []
    for doc in sessions(fw, slug):
        stamps = {name: s["submitted_at"] for name, s in doc["scorings"].items()}
        found += [(stamps[j["evaluator"]], j) for j in as_json(doc) if stamps[j["evaluator"]][:7] == month]
    return [(stamp[:10], j) for stamp, j in sorted(found, key=lambda pair: (pair[0], pair[1]["id"]))]
