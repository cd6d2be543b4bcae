"""The sampling plan (抽样计划) of a project's month and the evaluators' worklists.

`build` makes or refreshes the plan of a month by `sampling_rules`: every agent of the project in
the month at least its quota, spread over the days it can work (who is away is asked of the
platform's ``agent_availability`` hook — attendance answers it — never read from another
plugin's files), must-check interactions always; run again as interactions arrive, it adds
picks and keeps every pick it made (done, open, replaced or removed). New picks go round-robin to
the project's QA staff, or wait for an evaluator to `take` them (setting ``sampling_take``).

Replacing or removing a pick needs a reason; it is kept in the plan's history (and the store's
audit). A pick is done once its interaction has an evaluation. The plan is kept in the month's
file ``projects/<slug>/qa_sampling/<YYYY-MM>`` (tables ``picks``, ``history`` and ``plan``), so
a closed month's plan never changes. The plan is for QA staff only: an agent's role holds no
action that shows it.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import (N_, Blocker, Conflict, NotFound, PeriodClosed, ValidationError, WaitingItem,
                              new_id, now_iso, validate)

from . import autoqa, evaluations, interactions, sampling_rules
from .actions import EVALUATE
from .config import NAME

PICKS, HISTORY, PLAN = "picks", "history", "plan"
WHY = {"quota": N_("quota"), "must_check": N_("must check"), "replacement": N_("replacement")}
STATES = {"planned": N_("to evaluate"), "done": N_("done"), "replaced": N_("replaced"),
          "removed": N_("removed")}
ACTIONS = {"built": N_("plan built"), "replaced": N_("pick replaced"), "removed": N_("pick removed"),
           "taken": N_("pick taken")}
REASON_LIMIT = 500


def _key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, "qa_sampling", month)


def months(fw, slug: str) -> list[str]:
    """The months with a plan, newest first."""
    folder = _key(fw, slug, "0000-00")[:-len("/0000-00")]
    return sorted((k.rsplit("/", 1)[1] for k in fw.store.keys(folder) if k != folder), reverse=True)


def picks_of(fw, slug: str, month: str) -> list[dict]:
    """The month's picks, by agent and date."""
    return sorted(fw.store.table(_key(fw, slug, month), PICKS).values(),
                  key=lambda p: (p["agent"], p["date"], p["picked_at"], p["id"]))


def history(fw, slug: str, month: str) -> list[dict]:
    """What happened to the plan, newest first: the table keeps the order it was written in
    (two changes within one millisecond have the same ``at``)."""
    return list(reversed(fw.store.table(_key(fw, slug, month), HISTORY).values()))


def plan_doc(fw, slug: str, month: str) -> dict | None:
    return fw.store.table(_key(fw, slug, month), PLAN).get(PLAN)


def evaluated(fw, slug: str, month: str) -> dict[str, str]:
    """The evaluation of each interaction of *month* evaluated (in it or later; a calibration is
    none), by interaction id."""
    return {e["interaction"]: e["id"] for m in evaluations.months(fw, slug) if m >= month
            for e in evaluations.of_month(fw, slug, m) if e["kind"] == "evaluation"}


def state(pick: dict, done) -> str:
    """``done``, ``planned``, ``replaced`` or ``removed``."""
    if pick["status"] == "planned" and pick["interaction"] in done:
        return "done"
    return pick["status"]


# ------------------------------------------------------------------------------ the facts


def _away(fw, project: dict, month: str, numbers: list[str]) -> dict[str, set[dt.date]]:
    """The days each agent is away in *month*, as the enabled plugins answer."""
    first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
    found: dict[str, set[dt.date]] = {n: set() for n in numbers}
    answers = fw.project_hook(project, "agent_availability")(
        floorwalker=fw, project=project, first=first, last=last, agents=numbers)
    for absence in (a for answer in answers for a in (answer or ())):
        day = max(absence.first, first)
        while day <= min(absence.last, last):
            found.setdefault(absence.agent, set()).add(day)
            day += dt.timedelta(days=1)
    return found


def _working(fw, slug: str, number: str, month: str, away: set[dt.date]) -> list[dt.date]:
    spans = [a for a in fw.agents.assignments(number) if a["project"] == slug]
    return [d for d in sampling_rules.month_days(month) if d not in away and any(
        a["start"] <= d.isoformat() and (a["end"] is None or d.isoformat() <= a["end"]) for a in spans)]


def _must(item: dict, words, auto: autoqa.AutoQASettings) -> list[str]:
    text = item.get("transcript") or ""
    if item["channel"] == "chat" and text:
        risk = list(autoqa.check(text, auto).risk)
    else:  # a call's notes or a ticket's text: the risk words anywhere in it
        risk = list(dict.fromkeys(p for p, _ in autoqa.find_phrases(text, auto.risk, negation=False)))
    return sampling_rules.must_check_reasons(item.get("category", ""), risk, words)


def evaluators(fw, project: dict) -> list[str]:
    """The project's QA staff (role 质检员) who may evaluate, by username: the round-robin's."""
    return [u["username"] for u in fw.users.all() if "qa" in (u.get("roles") or ()) and
            not u.get("disabled") and fw.access.can(u, EVALUATE, project)]


def _refuse_closed(fw, slug: str, month: str) -> None:
    if month in fw.store.closed_months(slug):
        raise PeriodClosed(slug, month)


# ------------------------------------------------------------------------------ the plan


def build(fw, project: dict, month: str, actor: str, today: dt.date | None = None) -> dict:
    """Make or refresh the plan of *month*; returns what this run added and who was skipped."""
    slug = project["slug"]
    month = validate.month(month)
    _refuse_closed(fw, slug, month)
    today = today or fw.projects.today(project)
    settings = fw.projects.settings(project, NAME)
    words = tuple(settings.get("sampling_must_check") or sampling_rules.DEFAULT_MUST_CHECK)
    auto = autoqa.AutoQASettings.from_settings(settings)
    agents = [a for a, _ in fw.agents.in_month(slug, month) if (a.get("position") or "agent") == "agent"]
    away = _away(fw, project, month, [a["number"] for a in agents])
    pool: dict[str, list[dict]] = {}
    for item in interactions.of_month(fw, slug, month):
        pool.setdefault(item["agent"], []).append(
            {"id": item["id"], "date": item["date"], "channel": item["channel"],
             "must": _must(item, words, auto)})
    existing = picks_of(fw, slug, month)
    mine: dict[str, list[dict]] = {}
    for p in existing:
        mine.setdefault(p["agent"], []).append(p)
    quotas, skipped, new = {}, [], []
    for agent in agents:
        number = agent["number"]
        count = sampling_rules.quota(settings, agent.get("hired"), month)
        working = _working(fw, slug, number, month, away.get(number, set()))
        if not working:
            skipped.append(number)
            continue
        quotas[number] = count
        channels = {i["id"]: i["channel"] for i in pool.get(number, ())}
        for pick in sampling_rules.plan_agent(f"{slug}/{month}/{number}", month, working, count,
                                              pool.get(number, []), mine.get(number, []), today):
            new.append({"id": new_id(), "agent": number, "interaction": pick.interaction, "date": pick.date,
                        "channel": channels[pick.interaction], "why": pick.why, "must": list(pick.must),
                        "due": pick.due, "evaluator": None, "status": "planned",
                        "picked_at": now_iso(), "picked_by": actor})
    new.sort(key=lambda p: (p["why"] != "must_check", p["due"], p["agent"], p["date"]))
    if not settings.get("sampling_take"):
        done = evaluated(fw, slug, month)
        open_counts: dict[str, int] = {}
        for p in existing:
            if p.get("evaluator") and state(p, done) == "planned":
                open_counts[p["evaluator"]] = open_counts.get(p["evaluator"], 0) + 1
        for pick, who in zip(new, sampling_rules.balanced(evaluators(fw, project), open_counts, len(new))):
            pick["evaluator"] = who
    summary = {"month": month, "added": len(new), "must_check": sum(p["why"] == "must_check" for p in new),
               "agents": len(quotas), "skipped": skipped}
    with fw.store.transaction(_key(fw, slug, month), actor, "qa.sampling.build") as tx:
        if new:
            tx.insert_many(PICKS, new)
        plan = {"quotas": quotas, "skipped": skipped, "built_at": now_iso(), "built_by": actor}
        if tx.get(PLAN, PLAN) is None:
            tx.insert(PLAN, {"id": PLAN, **plan})
        else:
            tx.update(PLAN, PLAN, plan)
        tx.insert(HISTORY, {"at": now_iso(), "by": actor, "action": "built", "added": len(new),
                            "must_check": summary["must_check"], "reason": ""})
    return summary


def find(fw, slug: str, pick_id: str) -> tuple[str, dict]:
    """(month, pick) of the pick *pick_id*."""
    for month in months(fw, slug):
        pick = fw.store.table(_key(fw, slug, month), PICKS).get(pick_id)
        if pick is not None:
            return month, pick
    raise NotFound(N_("no pick {id!r}"), id=pick_id)


def _open_pick(fw, slug: str, pick_id: str) -> tuple[str, dict]:
    month, pick = find(fw, slug, pick_id)
    _refuse_closed(fw, slug, month)
    now = state(pick, evaluated(fw, slug, month))
    if now != "planned":
        raise Conflict(N_("this pick is {state} already: it cannot change"), state=STATES[now])
    return month, pick


def _reason(reason: str) -> str:
    return validate.text(reason, N_("reason"), REASON_LIMIT, required=True)


def replace(fw, project: dict, pick_id: str, reason: str, actor: str, interaction: str = "") -> dict:
    """Put another interaction of the same agent and month in the pick's place (the one typed,
    else the one nearest in time not picked yet); returns the new pick."""
    slug = project["slug"]
    reason = _reason(reason)
    month, pick = _open_pick(fw, slug, pick_id)
    taken = {p["interaction"] for p in picks_of(fw, slug, month)}
    theirs = [i for i in interactions.of_month(fw, slug, month) if i["agent"] == pick["agent"]]
    interaction = (interaction or "").strip()
    if interaction:
        chosen = next((i for i in theirs if i["id"] == interaction), None)
        if chosen is None:
            raise ValidationError(N_("interaction"), N_("{id} is no interaction of agent {agent} in {month}"),
                                  id=interaction, agent=pick["agent"], month=month)
        if chosen["id"] in taken:
            raise ValidationError(N_("interaction"), N_("{id} is in the plan already"), id=interaction)
    else:
        day = dt.date.fromisoformat(pick["date"])
        free = sorted((i for i in theirs if i["id"] not in taken),
                      key=lambda i: (abs((dt.date.fromisoformat(i["date"]) - day).days), i["time"], i["id"]))
        if not free:
            raise ValidationError(N_("interaction"), N_("agent {agent} has no other interaction in {month} to "
                                                        "pick"), agent=pick["agent"], month=month)
        chosen = free[0]
    settings = fw.projects.settings(project, NAME)
    words = tuple(settings.get("sampling_must_check") or sampling_rules.DEFAULT_MUST_CHECK)
    at = now_iso()
    doc = {"id": new_id(), "agent": pick["agent"], "interaction": chosen["id"], "date": chosen["date"],
           "channel": chosen["channel"], "why": "replacement",
           "must": _must(chosen, words, autoqa.AutoQASettings.from_settings(settings)),
           "due": max(pick["due"], chosen["date"]), "evaluator": pick.get("evaluator"), "status": "planned",
           "picked_at": at, "picked_by": actor, "replaces": pick["id"]}
    with fw.store.transaction(_key(fw, slug, month), actor, "qa.sampling.replace") as tx:
        tx.insert(PICKS, doc)
        tx.update(PICKS, pick["id"], {"status": "replaced", "replaced_by": doc["id"], "reason": reason,
                                      "changed_by": actor, "changed_at": at})
        tx.insert(HISTORY, {"at": at, "by": actor, "action": "replaced", "pick": pick["id"],
                            "agent": pick["agent"], "interaction": pick["interaction"],
                            "replacement": chosen["id"], "reason": reason})
    return doc


def remove(fw, project: dict, pick_id: str, reason: str, actor: str) -> dict:
    """Take a pick out of the plan; its slot stays filled (the agent's plan is one less)."""
    slug = project["slug"]
    reason = _reason(reason)
    month, pick = _open_pick(fw, slug, pick_id)
    at = now_iso()
    with fw.store.transaction(_key(fw, slug, month), actor, "qa.sampling.remove") as tx:
        doc = tx.update(PICKS, pick["id"], {"status": "removed", "reason": reason, "changed_by": actor,
                                            "changed_at": at})
        tx.insert(HISTORY, {"at": at, "by": actor, "action": "removed", "pick": pick["id"],
                            "agent": pick["agent"], "interaction": pick["interaction"], "reason": reason})
    return doc


def take(fw, project: dict, pick_id: str, username: str) -> dict:
    """Put an open pick on *username*'s worklist (a pick already on another's is refused)."""
    slug = project["slug"]
    month, pick = _open_pick(fw, slug, pick_id)
    if pick.get("evaluator") and pick["evaluator"] != username:
        raise Conflict(N_("this pick is on another evaluator's worklist"))
    with fw.store.transaction(_key(fw, slug, month), username, "qa.sampling.take") as tx:
        doc = tx.update(PICKS, pick["id"], {"evaluator": username})
        tx.insert(HISTORY, {"at": now_iso(), "by": username, "action": "taken", "pick": pick["id"],
                            "agent": pick["agent"], "interaction": pick["interaction"], "reason": ""})
    return doc


def must_check(fw, project: dict, interaction_id: str, why: str, actor: str) -> str | None:
    """Put interaction *interaction_id* in the plan as a must-check pick for *why* (a valid
    complaint about it names itself: C0001), due today, on the worklist of the evaluator with
    the fewest open picks (unless evaluators take picks): in the plan of the interaction's month,
    or of this month where that one has closed. Nothing new where it is picked already. Returns
    the plan's address; None where QA has no such interaction."""
    slug = project["slug"]
    try:
        item = interactions.get(fw, slug, interaction_id)
    except NotFound:
        return None
    today = fw.projects.today(project)
    month = item["date"][:7]
    if month in fw.store.closed_months(slug):
        month = today.isoformat()[:7]
    url = f"/p/{slug}/{NAME}/plan?month={month}"
    done = evaluated(fw, slug, month)
    existing = picks_of(fw, slug, month)
    if any(p["interaction"] == item["id"] and state(p, done) in ("planned", "done") for p in existing):
        return url
    evaluator = None
    if not fw.projects.settings(project, NAME).get("sampling_take"):
        counts: dict[str, int] = {}
        for p in existing:
            if p.get("evaluator") and state(p, done) == "planned":
                counts[p["evaluator"]] = counts.get(p["evaluator"], 0) + 1
        evaluator = next(iter(sampling_rules.balanced(evaluators(fw, project), counts, 1)), None)
    at = now_iso()
    with fw.store.transaction(_key(fw, slug, month), actor, "qa.sampling.must_check") as tx:
        tx.insert(PICKS, {"id": new_id(), "agent": item["agent"], "interaction": item["id"], "date": item["date"],
                          "channel": item["channel"], "why": "must_check", "must": [why],
                          "due": max(today.isoformat(), item["date"]), "evaluator": evaluator,
                          "status": "planned", "picked_at": at, "picked_by": actor,
                          "dated": month})  # the plan's month, though the interaction's has closed
        tx.insert(HISTORY, {"at": at, "by": actor, "action": "built", "added": 1, "must_check": 1,
                            "reason": why})
    return url


# ------------------------------------------------------------------------------ reading it


def overview(fw, slug: str, month: str, today: dt.date) -> dict:
    """The plan of *month* as its page and the CLI show it: the picks with their state, per
    agent its quota against picks and evaluations, per evaluator planned against done."""
    done = evaluated(fw, slug, month)
    plan = plan_doc(fw, slug, month) or {"quotas": {}, "skipped": []}
    rows = [dict(p, state=state(p, done)) for p in picks_of(fw, slug, month)]
    week_end = (today + dt.timedelta(days=6 - today.weekday())).isoformat()
    agents: dict[str, dict] = {n: {"agent": n, "quota": q, "picked": 0, "done": 0}
                               for n, q in plan["quotas"].items()}
    workers: dict[str, dict] = {}
    for r in rows:
        if r["state"] in ("replaced", "removed"):
            continue
        a = agents.setdefault(r["agent"], {"agent": r["agent"], "quota": 0, "picked": 0, "done": 0})
        a["picked"] += 1
        a["done"] += r["state"] == "done"
        w = workers.setdefault(r.get("evaluator") or "", {"evaluator": r.get("evaluator") or "",
                                                          "planned": 0, "done": 0, "due": 0})
        w["planned"] += 1
        w["done"] += r["state"] == "done"
        w["due"] += r["state"] == "planned" and r["due"] <= week_end
    evaluated_by_agent: dict[str, int] = {}
    for e in (e for m in evaluations.months(fw, slug) if m >= month for e in evaluations.of_month(fw, slug, m)):
        if e["kind"] == "evaluation" and e.get("interaction_time", "")[:7] == month:
            evaluated_by_agent[e["agent"]] = evaluated_by_agent.get(e["agent"], 0) + 1
    for a in agents.values():
        a["evaluated"] = evaluated_by_agent.get(a["agent"], 0)
        a["short"] = max(0, a["quota"] - a["picked"])
    return {"month": month, "exists": PLAN in fw.store.table(_key(fw, slug, month), PLAN), "picks": rows,
            "agents": sorted(agents.values(), key=lambda a: a["agent"]),
            "evaluators": sorted(workers.values(), key=lambda w: (w["evaluator"] == "", w["evaluator"])),
            "skipped": plan["skipped"], "open": sum(r["state"] == "planned" for r in rows),
            "built_at": plan.get("built_at"), "built_by": plan.get("built_by")}


def _open_months(fw, slug: str) -> list[str]:
    closed = fw.store.closed_months(slug)
    return [m for m in months(fw, slug) if m not in closed]


def worklist(fw, slug: str, username: str) -> list[dict]:
    """*username*'s picks in the open months: open ones first (must-check first, then by due
    day), then those done."""
    rows = []
    for month in _open_months(fw, slug):
        done = evaluated(fw, slug, month)
        rows += [dict(p, state=state(p, done), month=month) for p in picks_of(fw, slug, month)
                 if p.get("evaluator") == username and state(p, done) in ("planned", "done")]
    return sorted(rows, key=lambda r: (r["state"] != "planned", r["why"] != "must_check", r["due"], r["date"],
                                       r["agent"], r["id"]))


def unassigned(fw, slug: str) -> list[dict]:
    """Open picks on nobody's worklist yet, in the open months (for an evaluator to take)."""
    rows = []
    for month in _open_months(fw, slug):
        done = evaluated(fw, slug, month)
        rows += [dict(p, state="planned", month=month) for p in picks_of(fw, slug, month)
                 if not p.get("evaluator") and state(p, done) == "planned"]
    return sorted(rows, key=lambda r: (r["why"] != "must_check", r["due"], r["date"], r["agent"], r["id"]))


def due_this_week(fw, slug: str, username: str, today: dt.date) -> int:
    """*username*'s open picks due by the end of this week (Sunday), overdue ones included."""
    week_end = (today + dt.timedelta(days=6 - today.weekday())).isoformat()
    return sum(1 for r in worklist(fw, slug, username) if r["state"] == "planned" and r["due"] <= week_end)


def behind(fw, slug: str, month: str) -> int:
    """The picks of *month* not evaluated yet (what keeps the month from closing)."""
    if not months(fw, slug) or month not in months(fw, slug):
        return 0
    done = evaluated(fw, slug, month)
    return sum(1 for p in picks_of(fw, slug, month) if state(p, done) == "planned")


# ------------------------------------------------------------------------------ the platform's hooks


def waiting(fw, project: dict, user: dict) -> list[WaitingItem]:
    """An evaluator's picks due by the end of this week (overdue ones included)."""
    if not fw.access.can(user, EVALUATE, project):
        return []
    count = due_this_week(fw, project["slug"], user["username"], fw.projects.today(project))
    return [WaitingItem("Sampled interactions to evaluate this week", "本周待评的抽样会话", count,
                        f"/p/{project['slug']}/{NAME}/worklist")] if count else []


def blockers(fw, project: dict, period: str) -> list[Blocker]:
    """A plan behind at month end: its picks not evaluated yet (evaluate, replace or remove them)."""
    count = behind(fw, project["slug"], period)
    return [Blocker(NAME, "Sampling plan behind: picks not yet evaluated", "抽样计划未完成：尚未质检的抽样",
                    count, f"/p/{project['slug']}/{NAME}/plan?month={period}")] if count else []
