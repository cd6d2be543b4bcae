"""QA figures, honestly (质检统计): the QA average of every agent, team and project with its n
beside it, and no grade and no rank below a minimum sample ("n too small", 样本不足).

`summarise` and `rank` are pure; `month_report` reads a month's evaluations (and, through
`disputes_of` and `calibration_of`, what the disputes and calibration parts keep) into a
`Report` that the report page, its xlsx, the KPIs and an agent's own QA page share.

Choices where the issue is silent, and why:

* Only evaluations count for an agent; a calibration scoring never does (issue item 6): it
  appears only in the calibration figures and the evaluators' workload.
* The average is shown at every n (with the n beside it): hiding it would hide work done. What
  a small n cannot carry is a verdict — the grade and the rank — so those wait for the
  project's minimum (setting ``min_sample``, default 3).
* The grade is the domain's boundary rule applied to the QA average (A > 90, B ≥ 80, C ≥ 70,
  D ≥ 65, E ≥ 60, else F): one scale a floor already reads, not a second one to learn.
* Ranks are competition ranks (1, 2, 2, 4) among those with enough n, best average first.
* An agent's team is its latest assignment in the month (who was where in that month), so a
  past month is reported as it was.
* An evaluation counts as disputed when its agent disputed it, whatever came of it (returned by
  the team leader, decided, still open); the dispute rate is disputed ÷ evaluations of the
  month, the outcomes are counted over the disputed ones.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from floorwalker.core import KPI, N_, KPIDef, validate

from . import calibration, disputes, evaluations
from .config import NAME

MIN_SAMPLE = "min_sample"
# the domain's grade boundaries, highest first: (lowest average, strictly above it?, grade)
GRADES = ((90, True, "A"), (80, False, "B"), (70, False, "C"), (65, False, "D"), (60, False, "E"))
OUTCOMES = ("accepted", "partial", "rejected", "returned", "open")
# a decided dispute's outcome in the disputes part's own words; returned: the team leader sent it back
OUTCOME_TITLES = {**disputes.OUTCOMES, "returned": disputes.STATUS["returned"], "open": N_("not decided yet")}
TOO_SMALL = N_("n too small")


def grade(average: float) -> str:
    """The grade of a QA average (A > 90, B ≥ 80, C ≥ 70, D ≥ 65, E ≥ 60, else F)."""
    for bound, strict, letter in GRADES:
        if average > bound or (not strict and average >= bound):
            return letter
    return "F"


@dataclass
class Figure:
    """One agent's, team's or project's QA figures over a span: *n* evaluations, their average,
    how many had a fatal error and how many were disputed; *grade* and *rank* only where *n*
    reaches the minimum (None otherwise: the page says "n too small")."""

    key: str
    n: int = 0
    average: float | None = None
    fatal: int = 0
    disputed: int = 0
    enough: bool = False
    grade: str | None = None
    rank: int | None = None
    title: str = ""  # a name or a team's title, for pages and exports
    team: str = ""

    @property
    def fatal_rate(self) -> float | None:
        return 100 * self.fatal / self.n if self.n else None

    @property
    def dispute_rate(self) -> float | None:
        return 100 * self.disputed / self.n if self.n else None


def summarise(key: str, docs: list[dict], minimum: int, disputed: set[str] = frozenset()) -> Figure:
    """The figures of the evaluations *docs* (ids in *disputed* counted as disputed)."""
    n = len(docs)
    figure = Figure(key, n=n, fatal=sum(1 for d in docs if d.get("fatal")),
                    disputed=sum(1 for d in docs if d["id"] in disputed))
    if n:
        figure.average = round(sum(d["score"] for d in docs) / n, 2)
    figure.enough = n >= minimum and n > 0
    if figure.enough:
        figure.grade = grade(figure.average)
    return figure


def rank(figures: list[Figure]) -> None:
    """Give every figure with enough n its competition rank, best average first (ties share)."""
    ranked = sorted((f for f in figures if f.enough), key=lambda f: -f.average)
    for position, figure in enumerate(ranked, 1):
        previous = ranked[position - 2] if position > 1 else None
        figure.rank = previous.rank if previous and previous.average == figure.average else position


@dataclass
class Report:
    """A project's QA figures of a span: the agents, the teams, the project as a whole, the
    evaluators' workload, the disputes' outcomes and the calibration."""

    month: str
    minimum: int
    agents: list[Figure]
    teams: list[Figure]
    project: Figure
    evaluators: list[dict]  # {evaluator, evaluations, calibrations}, busiest first
    outcomes: dict = field(default_factory=dict)  # outcome -> count over the disputed evaluations
    calibration: dict = field(default_factory=dict)  # `calibration_of`


def minimum(fw, project: dict) -> int:
    return int(fw.projects.settings(project, NAME).get(MIN_SAMPLE, 3))


def in_span(docs: list[dict], first: dt.date | None, last: dt.date | None) -> list[dict]:
    if first is None or last is None:
        return docs
    return [d for d in docs if first.isoformat() <= d["date"][:10] <= last.isoformat()]


def month_report(fw, project: dict, month: str, first: dt.date | None = None,
                 last: dt.date | None = None) -> Report:
    """The QA figures of *project* in *month* (or from *first* to *last* inside it)."""
    slug = project["slug"]
    month = validate.month(month)
    docs = in_span(evaluations.of_month(fw, slug, month), first, last)
    listed = fw.agents.in_month(slug, month)
    leaders = {a["number"] for a, _asg in listed if (a.get("position") or "agent") != "agent"}
    # agents only: a team leader on the register is neither listed nor counted (nor sampled)
    counted = [d for d in docs if d["kind"] == "evaluation" and d["agent"] not in leaders]
    outcomes = disputes_of(fw, slug, month, counted)
    disputed = set(outcomes)
    least = minimum(fw, project)
    teams = {t["slug"]: t["name"] for t in fw.teams.of(slug)}
    by_agent: dict[str, list[dict]] = defaultdict(list)
    for doc in counted:
        by_agent[doc["agent"]].append(doc)
    members = {a["number"]: (a["name"], asg.get("team") or "") for a, asg in listed
               if a["number"] not in leaders}
    for number in by_agent:  # evaluated, but no longer listed in the project this month
        members.setdefault(number, ("", ""))
    agents = []
    for number, (name, team) in sorted(members.items()):
        figure = summarise(number, by_agent.get(number, []), least, disputed)
        figure.title, figure.team = name, team
        agents.append(figure)
    rank(agents)
    by_team: dict[str, list[dict]] = defaultdict(list)
    for figure in agents:
        by_team[figure.team].extend(by_agent.get(figure.key, []))
    team_figures = []
    for team in sorted(by_team, key=lambda t: (t == "", teams.get(t, t))):
        figure = summarise(team, by_team[team], least, disputed)
        figure.title = teams.get(team, "")
        team_figures.append(figure)
    rank(team_figures)
    whole = summarise(slug, counted, least, disputed)
    whole.title = project["name"]
    tally: dict[str, dict] = {}
    scorings = [j["evaluator"] for _day, j in calibration.scorings_of_month(fw, slug, month)]
    for evaluator, kind in [(d["evaluator"], "evaluations") for d in counted] + \
            [(name, "calibrations") for name in scorings]:
        tally.setdefault(evaluator, {"evaluator": evaluator, "evaluations": 0, "calibrations": 0})[kind] += 1
    workload = sorted(tally.values(), key=lambda r: (-r["evaluations"], r["evaluator"]))
    counts = {o: 0 for o in OUTCOMES}
    for outcome in outcomes.values():
        counts[outcome] += 1
    return Report(month, least, agents, team_figures, whole, workload, counts,
                  calibration_of(fw, project, month, first, last))


def agent_months(docs: list[dict], minimum: int) -> list[Figure]:
    """An agent's own figures per month, newest first, from its evaluations *docs* (what its QA
    page shows: the average with n, the grade only at n ≥ *minimum*)."""
    months: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        if doc["kind"] == "evaluation":
            months[doc["date"][:7]].append(doc)
    return [summarise(month, months[month], minimum, set()) for month in sorted(months, reverse=True)]


# ---------------------------------------------------------------- KPIs (the dashboard, the client report)

# the QA average and the fatal-error rate are service figures a client is shown; how QA staff
# work (disputes, workload, calibration, who is below the minimum) is the BPO's own business
KPIS = [
    KPIDef("qa_average", "QA average", "质检平均分", "", True, "mean", "client"),
    KPIDef("qa_fatal_rate", "Fatal-error rate", "致命错误率", "%", False, "ratio", "client"),
    KPIDef("qa_evaluations", "QA evaluations", "质检量", "", True, "sum", "internal"),
    KPIDef("qa_dispute_rate", "QA dispute rate", "质检申诉率", "%", False, "ratio", "internal"),
    KPIDef("qa_disputes_accepted", "QA disputes accepted", "质检申诉成立率", "%", False, "ratio",
           "internal"),
    KPIDef("qa_too_small", "Agents with n too small", "质检样本不足人数", "", False, "distinct", "internal"),
    KPIDef("qa_calibration_variance", "Calibration variance", "校准偏差", "%", False, "mean", "internal"),
]


def kpis(fw, project: dict, period: str, first: dt.date | None = None,
         last: dt.date | None = None) -> list[KPI]:
    """The QA figures of *project* from *first* to *last* (the month *period* without them),
    each with its n and, for a rate, what it counts."""
    report = month_report(fw, project, period, first, last)
    whole, titles = report.project, {k.code: k for k in KPIS}
    url = f"/p/{project['slug']}/{NAME}/report?month={period}"
    decided = sum(report.outcomes[o] for o in ("accepted", "partial", "rejected"))
    upheld = report.outcomes["accepted"] + report.outcomes["partial"]

    def figure(code, value, n=None, numerator=None, denominator=None):
        k = titles[code]
        return KPI(code=code, title_en=k.title_en, title_zh=k.title_zh, value=value, unit=k.unit,
                   higher_is_better=k.higher_is_better, n=n, numerator=numerator,
                   denominator=denominator, url=url)
    return [
        figure("qa_average", whole.average, whole.n),
        figure("qa_fatal_rate", whole.fatal_rate, whole.n, whole.fatal, whole.n),
        figure("qa_evaluations", whole.n, whole.n),
        figure("qa_dispute_rate", whole.dispute_rate, whole.n, whole.disputed, whole.n),
        figure("qa_disputes_accepted", 100 * upheld / decided if decided else None, decided, upheld,
               decided),
        figure("qa_too_small", sum(1 for a in report.agents if not a.enough), len(report.agents)),
        figure("qa_calibration_variance", report.calibration["variance"], report.calibration["compared"]),
    ]


# ---------------------------------------------------------------- what the disputes and calibration parts keep


def disputes_of(fw, slug: str, month: str, docs: list[dict]) -> dict[str, str]:
    """The disputed evaluations among *docs* (of *month*): evaluation id -> outcome (a key of
    `OUTCOMES`). A dispute is kept in the month it was raised (`disputes`), so the months from
    *month* on are read; an evaluation disputed again after an edit counts once, as its latest
    dispute stands."""
    ids = {d["id"] for d in docs}
    found = {}
    for given in disputes.months(fw, slug):
        if given >= month:
            for answer in disputes.of_month(fw, slug, given):
                if answer["kind"] == "disputed" and answer["evaluation"] in ids:
                    found[answer["evaluation"]] = outcome_of(answer)
    return found


def outcome_of(answer: dict) -> str:
    """A dispute's outcome as a whole: every item accepted, every item rejected, or partly."""
    if answer["state"] == "returned":
        return "returned"
    if answer["state"] != "decided":
        return "open"
    decided = {i["outcome"] for i in answer["items"]}
    return "accepted" if decided == {"accepted"} else "rejected" if decided == {"rejected"} else "partial"


def calibration_of(fw, project: dict, month: str, first: dt.date | None = None,
                   last: dt.date | None = None) -> dict:
    """The calibration sessions of *month* (`calibration`, the month a session was opened in;
    from *first* to *last* inside it, the sessions opened on those days),
    compared with their benchmarks: sessions, scorings, the mean item variance (% of an item's
    full marks, as the session page shows it), the items over the project's threshold and the
    evaluators' mean alignment (%). Calibration never counts for an agent: its scorings are not
    evaluations, so they reach only these figures and the evaluators' workload."""
    threshold = fw.projects.settings(project, NAME).get("calibration_threshold", 10)
    variances, alignments, found = [], [], {"sessions": 0, "scorings": 0, "flagged": 0}
    for doc in calibration.sessions(fw, project["slug"]):
        if doc.get("month") != month or (first is not None and last is not None and
                                         not first.isoformat() <= str(doc.get("created_at"))[:10] <= last.isoformat()):
            continue
        found["sessions"] += 1
        found["scorings"] += len(doc["scorings"])
        compared = calibration.compare(doc, threshold)
        variances += [row["variance"] for row in compared["items"] if row["variance"] is not None]
        found["flagged"] += sum(1 for row in compared["items"] if row["flagged"])
        alignments += [e["alignment"] for e in compared["evaluators"] if e["alignment"] is not None]
    return {**found, "compared": len(variances),
            "variance": round(statistics.fmean(variances), 2) if variances else None,
            "alignment": round(statistics.fmean(alignments), 2) if alignments else None}
