"""What QA offers a meeting's agenda besides the casebook (the platform's `agenda_items`, issue 15
item 5; the QA analysis meeting's casebook is `casebook.agenda`).

- Morning briefing (``briefing``): yesterday's evaluations under the pass line or with a fatal
  error, each with the items that lost points and their comments — what the floor learns from.
- Weekly team meeting (``weekly``): last week's (Monday to Sunday before the meeting's week)
  evaluations per team — n, average, fatal errors — and the items that lost the most points.
- Monthly all-agent meeting (``monthly``): the month's results (`figures.month_report`): the
  project and each team, and how many agents average under the pass line.

Agents are named by name; the monthly summary names none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from floorwalker.core import AgendaItem

from . import evaluations, figures, monthly, weekly
from .config import NAME

LOST_SHOWN = 3  # a briefing shows this many items that lost points per evaluation


def items(fw, project: dict, meeting: dict, day: dt.date) -> list[AgendaItem]:
    kind = (meeting or {}).get("kind")
    if kind == "briefing":
        return _yesterday(fw, project, day)
    if kind == "weekly":
        return _week(fw, project, day)
    if kind == "monthly":
        return _month(fw, project, day)
    return []


def _names(fw, slug: str) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in fw.agents.in_project(slug, "1900-01-01", "2999-12-31")}


def _yesterday(fw, project: dict, day: dt.date) -> list[AgendaItem]:
    slug, yesterday = project["slug"], (day - dt.timedelta(days=1)).isoformat()
    line = fw.projects.settings(project, NAME)["pass_line"]
    docs = [d for d in evaluations.of_month(fw, slug, yesterday[:7]) if d["kind"] == "evaluation"
            and d["date"] == yesterday and (d.get("fatal") or monthly.below(d["score"], line))]
    if not docs:
        return []
    names = _names(fw, slug)
    rows = [{"name": names.get(d["agent"], ""), "score": d["score"], "fatal": bool(d.get("fatal")),
             "lost": [{"item": i["item"], "comment": i.get("comment") or ""} for i in d["items"]
                      if not i["na"] and i["points"] is not None and i["points"] < i["maximum"]][:LOST_SHOWN]}
            for d in sorted(docs, key=lambda d: d["score"])]
    return [AgendaItem("Yesterday's evaluations under the pass line", "昨日低于及格线的质检",
                       "qa/agenda_yesterday.html", {"rows": rows, "line": line, "day": yesterday}, order=40)]


def _week(fw, project: dict, day: dt.date) -> list[AgendaItem]:
    slug = project["slug"]
    monday = weekly.monday(day) - dt.timedelta(days=7)
    docs = weekly.of_week(fw, slug, monday)
    if not docs:
        return []
    titles = {t["slug"]: t["name"] for t in fw.teams.of(slug)}
    team_of = {a["number"]: s.get("team") or "" for a, s in fw.agents.in_project(slug, monday.isoformat(),
                                                                                (monday + dt.timedelta(days=6)).isoformat())}
    by_team: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        by_team[team_of.get(doc["agent"], "")].append(doc)
    least = figures.minimum(fw, project)
    teams = [{"team": titles.get(team, ""), "figure": figures.summarise(team, found, least)}
             for team, found in sorted(by_team.items(), key=lambda kv: titles.get(kv[0], "~"))]
    return [AgendaItem("Last week's QA by team", "上周各班组质检", "qa/agenda_week.html",
                       {"teams": teams, "whole": figures.summarise(slug, docs, least),
                        "lost": weekly.figures(docs)["lost"], "first": monday.isoformat(),
                        "last": (monday + dt.timedelta(days=6)).isoformat()}, order=40)]


def _month(fw, project: dict, day: dt.date) -> list[AgendaItem]:
    report = figures.month_report(fw, project, day.isoformat()[:7])
    if not report.project.n:
        return []
    line = fw.projects.settings(project, NAME)["pass_line"]
    under = sum(1 for f in report.agents if f.n and monthly.below(f.average, line))
    return [AgendaItem("QA results of the month", "本月质检结果", "qa/agenda_month.html",
                       {"whole": report.project, "teams": [t for t in report.teams if t.n],
                        "under": under, "line": line, "month": report.month}, order=40)]
