"""The weekly QA summary (质检周报) with its training plan, submitted to the supervisor.

A week runs Monday to Sunday. Its summary gives the evaluations of the week (human ones; a
calibration never counts for agents): n, the average, and the items that lost the most points
(a bonus not earned is no loss); the QA evaluator adds what they saw and a training plan — each
line the whole of a team or one agent, and what to train. It is due on a day of the next week
(setting ``weekly_due_weekday``, Monday by default); a week with evaluations whose summary is
not in by then is late, and waits in the writers' "waiting for me" until it is submitted
(weeks of the last `LOOK_BACK` weeks). A submitted summary is kept as it was submitted, its
figures frozen, in the plugin's project file (table ``weekly``, under the week's Monday); it
is no pay record, so it belongs to no month (``dated`` None) and a closed month does not stop
a late one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from starlette.responses import Response

from floorwalker.core import N_, Conflict, NotFound, Route, ValidationError, WaitingItem, now_iso, validate

from . import evaluations
from .actions import VIEW, WEEKLY
from .config import NAME
from .scorecard_pages import base

TABLE = "weekly"
LOOK_BACK = 8
TOP_ITEMS = 5
PLAN_ROWS = 3
TEXT_LIMIT = 2000


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def due(week: dt.date, weekday: int) -> dt.date:
    """The day the summary of the week starting *week* is due (*weekday* 1 Monday … 7 Sunday of
    the next week); it is late from the day after."""
    return week + dt.timedelta(days=6 + weekday)


def _week(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        raise NotFound(N_("no week {week!r}"), week=text) from None
    return monday(day)


def of_week(fw, slug: str, week: dt.date) -> list[dict]:
    """The evaluations (not calibrations) made in the week starting *week*."""
    last = week + dt.timedelta(days=6)
    months = {week.isoformat()[:7], last.isoformat()[:7]}
    return [e for m in sorted(months) for e in evaluations.of_month(fw, slug, m)
            if e["kind"] == "evaluation" and week.isoformat() <= e["date"] <= last.isoformat()]


def figures(docs: list[dict]) -> dict:
    """n, the average score (None for none) and the `TOP_ITEMS` items that lost the most points:
    (section, item, points lost, evaluations that lost points on it)."""
    lost: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    for doc in docs:
        bonus = {s["title"] for s in doc.get("sections", ()) if s.get("weight") is None}
        for item in doc["items"]:
            if item["na"] or item["points"] is None or item["section"] in bonus:
                continue
            gone = item["maximum"] - item["points"]
            if gone > 0:
                cell = lost[item["section"], item["item"]]
                cell[0] += gone
                cell[1] += 1
    top = sorted(lost.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:TOP_ITEMS]
    return {"n": len(docs),
            "average": round(sum(d["score"] for d in docs) / len(docs), 2) if docs else None,
            "lost": [{"section": s, "item": i, "points": round(p, 2), "count": c} for (s, i), (p, c) in top]}


def _key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def submitted(fw, slug: str) -> dict[str, dict]:
    """The submitted summaries by their week's Monday (ISO)."""
    return fw.store.table(_key(fw, slug), TABLE)


def targets(fw, slug: str, day: dt.date) -> dict[str, str]:
    """What a plan line may name: ``team:<slug>`` (the whole team) or ``agent:<number>``."""
    found = {f"team:{t['slug']}": t["name"] for t in fw.teams.of(slug)}
    found.update({f"agent:{a['number']}": f"{a['number']} {a['name']}"
                  for a, _ in fw.agents.in_project(slug, (day - dt.timedelta(days=6)).isoformat(), day.isoformat())})
    return found


def submit(fw, project: dict, week: dt.date, form: dict, actor: str) -> dict:
    """Submit the summary of *week* with the plan lines of *form* (``target-<n>``, ``topic-<n>``)
    and ``findings``; raises `ValidationError` with ``problems`` by field name."""
    slug = project["slug"]
    today = fw.projects.today(project)
    if week > monday(today):
        raise ValidationError(N_("week"), N_("this week has not begun yet"))
    allowed = targets(fw, slug, week + dt.timedelta(days=6))
    problems, plan = {}, []
    for n in range(PLAN_ROWS):
        target = str(form.get(f"target-{n}") or "").strip()
        topic = str(form.get(f"topic-{n}") or "").strip()[:TEXT_LIMIT]
        if not target and not topic:
            continue
        if target not in allowed:
            problems[f"target-{n}"] = N_("choose the whole of a team or one agent")
        elif not topic:
            problems[f"topic-{n}"] = N_("say what to train")
        else:
            plan.append({"target": target, "title": allowed[target], "topic": topic})
    if not plan and not problems:
        problems["target-0"] = N_("a training plan needs at least one line")
    findings = validate.text(str(form.get("findings") or ""), N_("findings"), TEXT_LIMIT)
    if problems:
        error = ValidationError(N_("training plan"), N_("{count} answers need your attention"), count=len(problems))
        error.problems = problems
        raise error
    weekday = fw.projects.settings(project, NAME)["weekly_due_weekday"]
    with fw.store.transaction(_key(fw, slug), actor, "qa.weekly.submit") as tx:
        if tx.get(TABLE, week.isoformat()) is not None:
            raise Conflict(N_("the summary of this week is submitted already"))
        return tx.insert(TABLE, {"id": week.isoformat(), "week": week.isoformat(), "dated": None,
                                 **figures(of_week(fw, slug, week)), "findings": findings, "plan": plan,
                                 "due": due(week, weekday).isoformat(), "late": today > due(week, weekday),
                                 "submitted_by": actor, "submitted_at": now_iso()})


def weeks(fw, project: dict) -> list[dict]:
    """The last `LOOK_BACK` weeks, newest first: the week, its due day, its summary (or None),
    how many evaluations it has, and whether its summary is late (due passed, none submitted,
    evaluations to summarise)."""
    slug = project["slug"]
    today = fw.projects.today(project)
    weekday = fw.projects.settings(project, NAME)["weekly_due_weekday"]
    done = submitted(fw, slug)
    first = monday(today) - dt.timedelta(weeks=LOOK_BACK - 1)
    months = {m for m in evaluations.months(fw, slug) if m >= first.isoformat()[:7]}
    counts: dict[str, int] = defaultdict(int)
    for month in months:
        for e in evaluations.of_month(fw, slug, month):
            if e["kind"] == "evaluation":
                counts[monday(dt.date.fromisoformat(e["date"])).isoformat()] += 1
    found = []
    for back in range(LOOK_BACK):
        week = monday(today) - dt.timedelta(weeks=back)
        day = due(week, weekday)
        summary = done.get(week.isoformat())
        n = counts.get(week.isoformat(), 0)
        found.append({"week": week.isoformat(), "due": day.isoformat(), "summary": summary, "n": n,
                      "late": summary is None and n > 0 and today > day})
    return found


def waiting(fw, project: dict, user: dict) -> list[WaitingItem]:
    """The late summaries, for those who write them."""
    if not fw.access.can(user, WEEKLY, project):
        return []
    late = sum(1 for w in weeks(fw, project) if w["late"])
    return [WaitingItem("Weekly QA summaries overdue", "逾期未交的每周质检小结", late,
                        f"/p/{project['slug']}/{NAME}/weekly")] if late else []


# ---------------------------------------------------------------- pages


def index(p) -> Response:
    return p.render("qa/weekly.html", weeks=weeks(p.fw, p.project), base=base(p), can_write=p.can(WEEKLY))


def week_page(p, problems: dict | None = None, error: str | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    week = _week(p.params["id"])
    summary = submitted(p.fw, slug).get(week.isoformat())
    weekday = p.fw.projects.settings(p.project, NAME)["weekly_due_weekday"]
    return p.render("qa/weekly_week.html", http_status=status, week=week.isoformat(),
                    last=(week + dt.timedelta(days=6)).isoformat(), due=due(week, weekday).isoformat(),
                    summary=summary, live=None if summary else figures(of_week(p.fw, slug, week)),
                    targets=targets(p.fw, slug, week + dt.timedelta(days=6)), rows=range(PLAN_ROWS),
                    problems={k: p._(v) for k, v in (problems or {}).items()}, error=error,
                    values=p.form if problems or error else {}, base=base(p),
                    can_write=p.can(WEEKLY) and summary is None)


def week_submit(p) -> Response:
    week = _week(p.params["id"])
    try:
        submit(p.fw, p.project, week, p.form, p.user["username"])
    except ValidationError as err:
        return week_page(p, getattr(err, "problems", None) or {}, err.message(p.locale), err.http_status)
    except Conflict as err:
        return week_page(p, {}, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/weekly/{week.isoformat()}")


def routes() -> list[Route]:
    return [
        Route("/weekly", index, action=VIEW),
        Route("/weekly/{id}", week_page, action=VIEW),
        Route("/weekly/{id}", week_submit, action=WEEKLY, methods=("POST",)),
    ]
