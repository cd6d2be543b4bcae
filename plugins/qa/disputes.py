"""After the evaluation (质检结果确认与申诉): the agent acknowledges it or disputes it within a
window, the agent's team leader forwards the dispute (or returns it), and a supervisor decides.

**The window.** An evaluation waits for its agent until ``respond_by`` (set at submission and
at every edit, ``respond_hours`` after it, default 72, on the project's clock): before that
moment the agent may acknowledge or dispute; from that moment on — 72:00 after, not 72:01 — an
evaluation with no answer counts as accepted. Nothing has to run for that (`status_of` reads
the clock); the job `lapse` writes the acceptance down so the history shows it.

**A dispute** names items that lost points (never an N/A item, never the bonus section: a bonus
not earned is no point lost), each with its reason. The team leader of the agent's team on the
evaluation's date forwards it to the supervisors, or returns it with a note (the evaluation then
stands). A supervisor decides each item — accepted (full marks), partially accepted (a new
answer, better than the evaluator's and short of full marks) or rejected — with a note; never
the evaluator of the evaluation, never the team leader who forwarded it, and a team leader holds
no right to decide at all. The new score comes from `revisions.apply`.

**Storage.** An answer (acknowledged, accepted, disputed) is a document of
``projects/<slug>/qa_disputes/<YYYY-MM>``, the month it was given in, so a dispute raised after
the evaluation's month closed is kept in an open month; a dispute not decided blocks the close of
its own month and of its evaluation's (`blockers`), so the file it lives in stays writable until
it is decided. An answer given before an evaluation was last edited no longer counts: an edit
gives the agent a new window (`revisions.edit`).
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (N_, Blocker, Conflict, NotFound, PermissionDenied, ValidationError,
                              WaitingItem, new_id, validate)

from . import evaluations, revisions, scorecards, scoring
from .actions import ARBITRATE, FORWARD
from .config import NAME

FOLDER, TABLE = "qa_disputes", "responses"
REASON_LIMIT = 1000
OUTCOMES = {"accepted": N_("accepted"), "partial": N_("partly accepted"), "rejected": N_("rejected")}
STATUS = {"open": N_("waiting for the agent"), "acknowledged": N_("acknowledged"),
          "accepted": N_("accepted when the window closed"),
          "raised": N_("disputed: with the team leader"), "forwarded": N_("disputed: with the supervisor"),
          "returned": N_("dispute returned"), "decided": N_("dispute decided")}
OPEN = ("raised", "forwarded")  # a dispute in either state still waits for somebody


def _key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, FOLDER, month)


def months(fw, slug: str) -> list[str]:
    folder = _key(fw, slug, "0000-00")[:-len("/0000-00")]
    return sorted(k.rsplit("/", 1)[1] for k in fw.store.keys(folder) if k != folder)


def of_month(fw, slug: str, month: str) -> list[dict]:
    """The answers given in *month*, oldest first."""
    return sorted(fw.store.table(_key(fw, slug, month), TABLE).values(), key=lambda d: d["at"])


def now(fw, project: dict) -> str:
    return fw.projects.now(project).isoformat(timespec="seconds")


# ---------------------------------------------------------------- reading


def respond_by(fw, project: dict, ev: dict) -> str:
    """When *ev* stops waiting for its agent (an evaluation of before the window was kept:
    ``respond_hours`` after its submission)."""
    if ev.get("respond_by"):
        return ev["respond_by"]
    hours = fw.projects.settings(project, NAME)["respond_hours"]
    return (dt.datetime.fromisoformat(ev["submitted_at"][:19]) + dt.timedelta(hours=hours)).isoformat()


def window_open(deadline: str, at: str) -> bool:
    """Whether an answer at *at* is inside a window ending at *deadline* (it ends on the dot)."""
    return at < deadline


def answers_to(fw, slug: str, ev: dict) -> list[dict]:
    """Every answer the agent gave to *ev* (and the window's acceptance), oldest first."""
    return sorted((d for m in months(fw, slug) if m >= ev["date"][:7]
                   for d in fw.store.read(_key(fw, slug, m)).index(TABLE, "evaluation").get(ev["id"], [])),
                  key=lambda d: d["at"])


def answer_of(fw, slug: str, ev: dict) -> dict | None:
    """The agent's answer to *ev* that counts: the latest given since its last edit."""
    found = [d for d in answers_to(fw, slug, ev) if d["at"] >= ev.get("edited_at", "")]
    return found[-1] if found else None


def answers_by_evaluation(fw, slug: str, first_month: str = "0000-00") -> dict[str, dict]:
    """Each evaluation's counting answer, of the months from *first_month* (a list's one read).
    An answer older than its evaluation's last edit is left to the caller (`status_of`)."""
    found: dict[str, dict] = {}
    for month in months(fw, slug):
        if month >= first_month:
            for d in of_month(fw, slug, month):
                found[d["evaluation"]] = d
    return found


def status_of(ev: dict, answer: dict | None, deadline: str, at: str) -> str:
    """Where *ev* stands at *at*: a key of `STATUS`."""
    if answer is not None and answer["at"] < ev.get("edited_at", ""):
        answer = None
    if answer is None:
        return "open" if window_open(deadline, at) else "accepted"
    return answer["state"] if answer["kind"] == "disputed" else answer["kind"]


def status(fw, project: dict, ev: dict) -> tuple[str, dict | None]:
    """(`status_of` now, the answer) of *ev*."""
    answer = answer_of(fw, project["slug"], ev)
    return status_of(ev, answer, respond_by(fw, project, ev), now(fw, project)), answer


def statuses(fw, project: dict, docs: list[dict]) -> dict[str, str]:
    """Each evaluation of *docs*: its `status_of` now, by id (one read of the answers; a list's
    column, ``qa evaluations``' ``status``)."""
    if not docs:
        return {}
    at = now(fw, project)
    answers = answers_by_evaluation(fw, project["slug"], min(d["date"][:7] for d in docs))
    return {d["id"]: status_of(d, answers.get(d["id"]), respond_by(fw, project, d), at) for d in docs}


def get(fw, slug: str, dispute_id: str) -> tuple[str, dict]:
    """The answer *dispute_id* and its month."""
    for month in reversed(months(fw, slug)):
        doc = fw.store.table(_key(fw, slug, month), TABLE).get(dispute_id)
        if doc is not None:
            return month, doc
    raise NotFound(N_("no dispute {id!r}"), id=dispute_id)


def lost_items(ev: dict) -> list[int]:
    """The positions of *ev*'s items that lost points: what a dispute may name."""
    bonus = {s["title"] for s in ev["sections"] if s["weight"] is None}
    return [n for n, i in enumerate(ev["items"]) if not i["na"] and i["section"] not in bonus
            and (i["answer"] == "no" or i["answer"] != "yes" and i["points"] < i["maximum"])]


# ---------------------------------------------------------------- the agent


def _answerable(fw, project: dict, ev: dict, user: dict) -> str:
    """The time of an answer the agent *user* may give to *ev* now; else refused."""
    if not user.get("agent") or user["agent"] != ev["agent"]:
        raise PermissionDenied(N_("only the agent evaluated acknowledges or disputes an evaluation"))
    if ev["kind"] != "evaluation":
        raise NotFound(N_("no evaluation {id!r}"), id=ev["id"])
    at, deadline = now(fw, project), respond_by(fw, project, ev)
    state = status_of(ev, answer_of(fw, project["slug"], ev), deadline, at)
    if state == "accepted":
        raise Conflict(N_("the time to answer ended at {time}: the evaluation stands"),
                       time=deadline.replace("T", " ")[:16])
    if state != "open":
        raise Conflict(N_("this evaluation is answered already"))
    return at


def _insert(fw, slug: str, doc: dict, actor: str, action: str) -> dict:
    with fw.store.transaction(_key(fw, slug, doc["date"][:7]), actor, action) as tx:
        tx.insert(TABLE, doc)
    return doc


def _answer(ev: dict, kind: str, at: str, by: str) -> dict:
    return {"id": new_id(), "evaluation": ev["id"], "evaluation_date": ev["date"], "agent": ev["agent"],
            "evaluator": ev["evaluator"], "kind": kind, "state": kind, "at": at, "date": at[:10], "by": by}


def acknowledge(fw, project: dict, evaluation_id: str, user: dict) -> dict:
    """The agent *user* acknowledges its evaluation (认可) inside the window."""
    ev = evaluations.get(fw, project["slug"], evaluation_id)
    at = _answerable(fw, project, ev, user)
    return _insert(fw, project["slug"], _answer(ev, "acknowledged", at, user["username"]),
                   user["username"], "qa.acknowledge")


def reason_field(position: int) -> str:
    return f"r-{position}"


def dispute(fw, project: dict, evaluation_id: str, user: dict, form: dict) -> dict:
    """The agent *user* disputes items of its evaluation: each item's reason in the form's
    ``r-<position>``; only items that lost points, at least one. `ValidationError` carries its
    ``problems`` by input name."""
    ev = evaluations.get(fw, project["slug"], evaluation_id)
    at = _answerable(fw, project, ev, user)
    lost = lost_items(ev)
    named = sorted(int(k[2:]) for k, v in form.items()
                   if k.startswith("r-") and k[2:].isdigit() and str(v or "").strip())
    if any(n not in lost for n in named):
        raise ValidationError(N_("items"), N_("only an item that lost points can be disputed"))
    if not named:
        error = ValidationError(N_("items"), N_("give the reason beside each item you dispute"))
        error.problems = {reason_field(n): (N_("give the reason beside each item you dispute"), {})
                          for n in lost}
        raise error
    doc = _answer(ev, "disputed", at, user["username"])
    doc.update(state="raised", history=[{"at": at, "by": user["username"], "step": "raised", "note": ""}],
               items=[{"position": n, "section": ev["items"][n]["section"], "item": ev["items"][n]["item"],
                       "answer": ev["items"][n]["answer"], "points": ev["items"][n]["points"],
                       "maximum": ev["items"][n]["maximum"],
                       "reason": validate.text(form[reason_field(n)], N_("reason"), REASON_LIMIT),
                       "outcome": None, "new_answer": None}
                      for n in named])
    return _insert(fw, project["slug"], doc, user["username"], "qa.dispute")


# ---------------------------------------------------------------- the team leader


def _step(fw, slug: str, month: str, dispute_id: str, actor: str, action: str, changes: dict,
          entry: dict) -> dict:
    with fw.store.transaction(_key(fw, slug, month), actor, action) as tx:
        doc = tx.get(TABLE, dispute_id)
        return tx.update(TABLE, dispute_id, {**changes, "history": doc["history"] + [entry]})


def forward(fw, project: dict, dispute_id: str, user: dict, note: str = "", back: bool = False) -> dict:
    """The team leader forwards the dispute to the supervisors, or returns it (*back*, a note
    required: the evaluation then stands). The caller checked that *user* leads the agent's team."""
    slug = project["slug"]
    month, doc = get(fw, slug, dispute_id)
    if doc["state"] != "raised":
        raise Conflict(N_("this dispute has left the team leader already"))
    note = validate.text(note, N_("note"), required=back)
    state = "returned" if back else "forwarded"
    entry = {"at": now(fw, project), "by": user["username"], "step": state, "note": note}
    changes = {"state": state, "forwarded_by": user["username"]} if not back else {"state": state}
    return _step(fw, slug, month, dispute_id, user["username"], f"qa.dispute.{state}", changes, entry)


# ---------------------------------------------------------------- the supervisor


def may_decide(ev: dict, doc: dict, user: dict) -> None:
    """Refuse *user* who may not decide *doc*: its evaluator, or the leader who forwarded it."""
    if user["username"] == ev["evaluator"]:
        raise PermissionDenied(N_("nobody decides a dispute of their own evaluation"))
    if user["username"] == doc.get("forwarded_by"):
        raise PermissionDenied(N_("the team leader who forwarded a dispute does not decide it"))


def outcome_fields(position: int) -> tuple[str, str]:
    return f"o-{position}", f"v-{position}"


def read_outcomes(card_items: list[dict], doc: dict, form: dict
                  ) -> tuple[dict[int, tuple[str, object]], dict]:
    """Each disputed item's outcome and new answer from the form (*card_items*: the pinned
    version's items in order), and the problems by input name."""
    outcomes, problems = {}, {}
    for item in doc["items"]:
        n = item["position"]
        name, value_name = outcome_fields(n)
        outcome = str(form.get(name) or "")
        if outcome not in OUTCOMES:
            problems[name] = (N_("accept, partly accept or reject this item"), {})
            continue
        new, card_item = None, card_items[n]
        if outcome == "accepted":
            new = "yes" if card_item["type"] == "yesno" else item["maximum"]
        elif outcome == "partial":
            raw = str(form.get(value_name) or "").strip()
            if card_item["type"] == "yesno":
                problems[name] = (N_("a yes/no item is accepted or rejected"), {})
                continue
            try:
                points = scoring.earned(card_item, raw)
            except scoring.ScoringError as exc:
                problems[value_name] = (exc.reason, exc.params)
                continue
            if not item["points"] < points < item["maximum"]:
                problems[value_name] = (N_("give more than {points} and less than {max}"),
                                        {"points": item["points"], "max": item["maximum"]})
                continue
            new = int(points) if points.is_integer() else points
        outcomes[n] = (outcome, new)
    return outcomes, problems


def decide(fw, project: dict, dispute_id: str, user: dict, form: dict) -> dict:
    """A supervisor decides a forwarded dispute: per item ``o-<position>`` (accepted, partial,
    rejected) and for a partial one the new answer ``v-<position>``; a note for all. Accepted
    and partial items rescore the evaluation (`revisions.apply`)."""
    slug = project["slug"]
    month, doc = get(fw, slug, dispute_id)
    ev = evaluations.get(fw, slug, doc["evaluation"])
    may_decide(ev, doc, user)
    if doc["state"] != "forwarded":
        raise Conflict(N_("only a dispute the team leader forwarded is decided"))
    card = scorecards.get(fw, slug, ev["scorecard_version"])
    outcomes, problems = read_outcomes([i for s in card["sections"] for i in s["items"]], doc, form)
    note = str(form.get("note") or "").strip()
    if not note:
        problems["note"] = (N_("is required"), {})
    if problems:
        error = ValidationError(N_("decision"), N_("{count} answers need your attention"), count=len(problems))
        error.problems = problems
        raise error
    note = validate.text(note, N_("note"), required=True)
    changed = {n: new for n, (outcome, new) in outcomes.items() if outcome != "rejected"}
    revision = revisions.apply(fw, project, ev, changed, user["username"], note, dispute_id) if changed else None
    items = [{**i, "outcome": outcomes[i["position"]][0], "new_answer": outcomes[i["position"]][1]}
             for i in doc["items"]]
    entry = {"at": now(fw, project), "by": user["username"], "step": "decided", "note": note}
    return _step(fw, slug, month, dispute_id, user["username"], "qa.dispute.decide",
                 {"state": "decided", "decided_by": user["username"], "items": items, "note": note,
                  "revision": revision}, entry)


# ---------------------------------------------------------------- the job, waiting, blockers


def lapse(fw, project: dict, at=None) -> dict:
    """Write down the acceptance of every evaluation whose window closed unanswered (the job;
    idempotent: an evaluation with an answer is left alone). Returns the count."""
    slug = project["slug"]
    stamp = (at or fw.projects.now(project)).isoformat(timespec="seconds")
    closed = fw.store.closed_months(slug)
    recent = [m for m in evaluations.months(fw, slug) if m not in closed][:3]
    answers = answers_by_evaluation(fw, slug, recent[-1]) if recent else {}  # one read, not one per evaluation
    lapsed = []
    for month in recent:
        for ev in evaluations.of_month(fw, slug, month):
            deadline = respond_by(fw, project, ev)
            answer = answers.get(ev["id"])
            if ev["kind"] == "evaluation" and not window_open(deadline, stamp) \
                    and (answer is None or answer["at"] < ev.get("edited_at", "")):
                lapsed.append({**_answer(ev, "accepted", deadline, "system"), "date": stamp[:10]})
    if lapsed:
        with fw.store.transaction(_key(fw, slug, stamp[:7]), "system", "qa.accept") as tx:
            tx.insert_many(TABLE, lapsed)
    return {"accepted": len(lapsed)}


def open_disputes(fw, slug: str) -> list[dict]:
    """Disputes not yet decided or returned, of the open months (where they can be)."""
    closed = fw.store.closed_months(slug)
    return [d for m in months(fw, slug) if m not in closed for d in of_month(fw, slug, m)
            if d["kind"] == "disputed" and d["state"] in OPEN]


def waiting_items(floorwalker, project, user) -> list[WaitingItem]:
    """Disputes to forward (the agent's team leader), to decide (a supervisor other than the
    evaluator), evaluations to acknowledge (the agent)."""
    fw, slug, can = floorwalker, project["slug"], floorwalker.access.can
    url = f"/p/{slug}/{NAME}/disputes"
    found = []
    disputes = open_disputes(fw, slug)
    if can(user, FORWARD, project, route=True):
        count = sum(1 for d in disputes if d["state"] == "raised"
                    and can(user, FORWARD, project, {"agent": d["agent"], "date": d["evaluation_date"]}))
        found.append(WaitingItem("QA disputes to forward", "待转交的质检申诉", count, url))
    if can(user, ARBITRATE, project, route=True):
        count = sum(1 for d in disputes if d["state"] == "forwarded"
                    and user["username"] not in (d["evaluator"], d.get("forwarded_by")))
        found.append(WaitingItem("QA disputes to decide", "待裁定的质检申诉", count, url))
    if user.get("agent"):
        at = now(fw, project)
        answers = answers_by_evaluation(fw, slug)
        closed = fw.store.closed_months(slug)
        count = sum(1 for m in evaluations.months(fw, slug) if m not in closed
                    for ev in evaluations.of_month(fw, slug, m)
                    if ev["agent"] == user["agent"] and ev["kind"] == "evaluation"
                    and status_of(ev, answers.get(ev["id"]), respond_by(fw, project, ev), at) == "open")
        found.append(WaitingItem("Evaluations to acknowledge", "待确认的质检结果", count,
                                 f"/p/{slug}/{NAME}/mine"))
    return found


def blockers(floorwalker, project, period) -> list[Blocker]:
    """Evaluations in dispute block the close of the dispute's month and of the evaluation's."""
    slug = project["slug"]
    waiting = [d for d in open_disputes(floorwalker, slug)
               if period in (d["date"][:7], d["evaluation_date"][:7])]
    if not waiting:
        return []
    return [Blocker(NAME, "Evaluations in dispute", "申诉中的质检记录", len(waiting),
                    f"/p/{slug}/{NAME}/disputes")]
