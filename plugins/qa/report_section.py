"""The QA section of the client report (`report_sections`): the evaluations of the period, their
average with its n, the pass rate, fatal errors, the most frequent defects, and the average per
team and per agent.

Client-safe: a client login reads each agent as the core labels it for the client
(`Projects.agent_label`: "坐席 #n" unless the project shows names, core setting
``show_agent_names_to_client``), without employee numbers, evaluators or comments; internal
figures (disputes, calibration, workload) are not in this section at all.

Choices: an evaluation **passes** at the project's ``pass_line`` or above without a fatal error
(the line the monthly QA average is held to); a **defect** is a scored item that lost points or
triggered a fatal rule (the bonus section's items never are), counted once per evaluation and
ranked by how many evaluations had it. Team leaders on the register are left out, as in the QA
report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from floorwalker.core import ReportSection, validate

from . import evaluations
from .config import NAME
from .figures import summarise

TOP_DEFECTS = 5


def _evaluations(fw, slug: str, first: dt.date, last: dt.date) -> list[dict]:
    """The agents' evaluations dated from *first* to *last* (no team leader's)."""
    docs = []
    for month in validate.months_between(first.isoformat()[:7], last.isoformat()[:7]):
        leaders = {a["number"] for a, _asg in fw.agents.in_month(slug, month)
                   if (a.get("position") or "agent") != "agent"}
        docs += [d for d in evaluations.of_month(fw, slug, month)
                 if d["kind"] == "evaluation" and d["agent"] not in leaders
                 and first.isoformat() <= d["date"][:10] <= last.isoformat()]
    return docs


def defects(docs: list[dict]) -> list[tuple[str, str, int]]:
    """(section, item, evaluations with it) of the most frequent defects, most first."""
    counts: Counter = Counter()
    for doc in docs:
        bonus = {s["title"] for s in doc.get("sections") or () if s.get("weight") is None}
        lost = {(i["section"], i["item"]) for i in doc.get("items") or ()
                if i["section"] not in bonus and not i.get("na")
                and (i.get("fatal") or (i.get("points") is not None and i["points"] < i["maximum"]))}
        counts.update(lost)
    return [(section, item, n) for (section, item), n in
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DEFECTS]]


def section(fw, project: dict, period: str, user: dict) -> list[ReportSection]:
    """The section of *period* (a month, or a week: `validate.period_bounds`) as *user* reads it."""
    first, last = validate.period_bounds(period)
    locale = (user or {}).get("locale") or "zh_CN"
    slug = project["slug"]
    docs = _evaluations(fw, slug, first, last)
    line = fw.projects.settings(project, NAME)["pass_line"]
    whole = summarise(slug, docs, 1)
    passed = sum(1 for d in docs if d["score"] >= line and not d.get("fatal"))
    client = set((user or {}).get("roles") or ()) == {"client"}
    show_names = fw.projects.settings(project, "core")["show_agent_names_to_client"]
    teams = {t["slug"]: t["name"] for t in fw.teams.of(slug)}
    listed = {a["number"]: (a, asg.get("team") or "")
              for month in validate.months_between(first.isoformat()[:7], last.isoformat()[:7])
              for a, asg in fw.agents.in_month(slug, month)}
    by_agent: dict[str, list[dict]] = defaultdict(list)
    by_team: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        by_agent[doc["agent"]].append(doc)
        by_team[listed.get(doc["agent"], ({}, ""))[1]].append(doc)
    agents = []
    for index, number in enumerate(sorted(by_agent), 1):
        person = listed.get(number, ({"name": ""}, ""))[0] or {"name": ""}
        figure = summarise(number, by_agent[number], 1)
        agents.append({"label": fw.projects.agent_label(project, user, {"name": person.get("name") or number},
                                                        index, locale),
                       "number": None if client and not show_names else number,
                       "n": figure.n, "average": figure.average, "fatal": figure.fatal})
    context = {"first": first.isoformat(), "last": last.isoformat(), "n": whole.n, "average": whole.average,
               "pass_line": line, "passed": passed, "pass_rate": passed / whole.n if whole.n else None,
               "fatal": whole.fatal, "defects": defects(docs),
               "teams": [{"name": teams.get(t, t) or "–", "n": len(d), "average": summarise(t, d, 1).average}
                         for t, d in sorted(by_team.items(), key=lambda kv: teams.get(kv[0], kv[0]))],
               "agents": agents, "numbers": not (client and not show_names)}
    return [ReportSection(title_en="Quality assurance", title_zh="质检", template=f"{NAME}/report_section.html",
                          context=context, order=30)]
