"""The benchmark's company: projects, teams, agents, a year of attendance, traffic and scores.

Everything goes in through the public API (`open_floorwalker`, `fw.projects.create`,
`fw.teams.create`, `fw.agents.new_agent_docs` / `add_many`, `fw.ledger.prepare` / `write`,
`fw.periods.close`, the attendance plugin's `roster.set_entries` and `punches.store_punches`, and
`Store.transaction` on period shards for the traffic a future plugin would keep), so the files on
disk are the ones a real install would have: per agent and working day a rostered shift and its
two punches in ``projects/<p>/attendance/<YYYY-MM>`` and one traffic-like record in
``projects/<p>/traffic/<YYYY-MM>``,
score events in ``projects/<p>/score_events/<YYYY-MM>`` (written in bulk, as imports and
month-end derivations write them, but for one month recorded event by event), and every month but
the last two closed. The data covers the twelve full months before the current one, so the months stay
closable whatever day the benchmark runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.store import Store
from floorwalker.plugins.attendance import punches, roster

ACTOR = "bench"
RECORDS = "records"
TRAFFIC = "traffic"
SHIFT = roster.shift_doc("D", "Day", "09:00", "18:00", break_minutes=60)
SCORE_COLUMNS = ("agent", "rule", "date", "points", "reason")  # the score import's file
OPEN_MONTHS = 2  # the last months of data stay open; imports and single writes go there

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
# Score rules a floor records by hand, with how often each turns up (the rest are rare).
RULE_WEIGHTS = {
    "late_or_early": 30, "chatting": 12, "messy_desk": 8, "entry_error": 8, "loud": 6,
    "spot_check_error": 8, "handover_log_missing": 5, "away_over_5min": 5, "covered_shift": 6,
    "extra_task": 5, "suggestion_adopted": 1, "games_at_work": 1,  # exams: the QA plugin's import
    "absent": 1, "leader_judgement": 3,  # missed_meeting: the meetings plugin writes it from attendance
}


@dataclass(frozen=True)
class Size:
    """How big a company to build and how often to repeat each timing."""

    projects: int
    agents_per_project: int
    teams_per_project: int
    months: int
    score_events: int
    import_rows: int
    slow_runs: int  # imports and new processes
    write_runs: int  # single writes, score sheets
    read_runs: int  # agent months


SIZES = {
    "full": Size(projects=10, agents_per_project=50, teams_per_project=5, months=12,
                 score_events=100_000, import_rows=25_000, slow_runs=5, write_runs=21,
                 read_runs=201),
    "small": Size(projects=3, agents_per_project=6, teams_per_project=2, months=3,
                  score_events=600, import_rows=300, slow_runs=1, write_runs=3, read_runs=11),
}


@dataclass
class Company:
    """What the benchmark needs to know about the data it built."""

    folder: str
    size: Size
    projects: list[str]
    months: list[str]
    agents: dict[str, list[str]] = field(default_factory=dict)  # project -> employee numbers

    @property
    def open_months(self) -> list[str]:
        return self.months[-OPEN_MONTHS:]

    @property
    def hand_recorded(self) -> tuple[str, str]:
        """The one (project, month) whose score events were recorded one at a time."""
        return self.projects[-1], self.open_months[0]


def data_months(count: int, today: dt.date | None = None) -> list[str]:
    """The *count* full months before the current one, oldest first."""
    first_of_this = (today or dt.date.today()).replace(day=1)
    months = []
    day = first_of_this
    for _ in range(count):
        day = (day - dt.timedelta(days=1)).replace(day=1)
        months.append(day.strftime("%Y-%m"))
    return months[::-1]


def working_days(month: str) -> list[str]:
    """Monday to Friday of *month*, as YYYY-MM-DD."""
    year, mon = map(int, month.split("-"))
    day = dt.date(year, mon, 1)
    days = []
    while day.month == mon:
        if day.weekday() < 5:
            days.append(day.isoformat())
        day += dt.timedelta(days=1)
    return days


def build(folder: str, size: Size, seed: int = 2026, progress=print) -> Company:
    """Create the company in *folder* (which must be empty) and return what was built."""
    rng = random.Random(seed)
    fw = open_floorwalker(folder)
    months = data_months(size.months)
    hired = (dt.date.fromisoformat(months[0] + "-01") - dt.timedelta(days=30)).isoformat()
    company = Company(folder=str(folder), size=size, projects=[], months=months)
    for p in range(size.projects):
        slug = f"client-{p + 1:02d}"
        fw.projects.create(slug, f"Client {p + 1:02d}", ACTOR, channels=["voice", "chat"])
        teams = [f"team-{t + 1}" for t in range(size.teams_per_project)]
        for team in teams:
            fw.teams.create(slug, team, f"Team {team[-1]}", ACTOR)
        pairs = [fw.agents.new_agent_docs(slug, f"{p + 1:02d}{a + 1:04d}", _name(rng),
                                          team=teams[a % len(teams)], hired=hired)
                 for a in range(size.agents_per_project)]
        fw.agents.add_many(slug, pairs, ACTOR)
        company.projects.append(slug)
        company.agents[slug] = [agent["number"] for agent, _ in pairs]
    progress(f"  {size.projects} projects, {size.projects * size.agents_per_project} agents")
    for slug in company.projects:
        _attendance(fw, slug, company, rng)
        _traffic(fw.store, slug, company, rng)
        _score_events(fw, slug, company, rng)
        progress(f"  {slug}: {size.months} months of attendance, traffic and score events")
    for slug in company.projects:
        for month in months[:-OPEN_MONTHS]:
            fw.periods.close(slug, month, ACTOR)
    return company


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _attendance(fw, project: str, company: Company, rng: random.Random) -> None:
    """A day shift for every agent and working day, and its punches: most in for roll-call,
    6 % late (1–25 minutes), 1 % absent; one write per month file for each."""
    roster.save_shift(fw, project, SHIFT, ACTOR)
    days = [day for month in company.months for day in working_days(month)]
    roster.set_entries(fw, project, [(number, day, "D") for day in days
                                     for number in company.agents[project]], ACTOR, source="import")
    docs = []
    for day in days:
        for number in company.agents[project]:
            docs += punch_docs(number, day, rng)
    punches.store_punches(fw, project, docs, ACTOR)


def punch_docs(number: str, day: str, rng: random.Random) -> list[dict]:
    """The clock's two punches of one agent's day shift (none for an absence)."""
    roll = rng.random()
    if roll >= 0.99:
        return []
    start = dt.datetime.fromisoformat(f"{day}T09:00")
    came = start + dt.timedelta(minutes=rng.randint(1, 25) if roll >= 0.93 else -rng.randint(10, 20))
    left = start + dt.timedelta(hours=9, minutes=rng.randint(0, 20))
    return [punches.punch_doc(number, came, "import"), punches.punch_doc(number, left, "import")]


def _traffic(store: Store, project: str, company: Company, rng: random.Random) -> None:
    """One traffic record per agent per working day, one commit per file."""
    for month in company.months:
        docs = [traffic_record(number, day, rng) for day in working_days(month)
                for number in company.agents[project]]
        with store.transaction(Store.period_key(project, TRAFFIC, month), ACTOR, "traffic.import") as tx:
            tx.insert_many(RECORDS, docs)


def traffic_record(number: str, day: str, rng: random.Random) -> dict:
    """A day's telephony and chat figures of one agent, shaped like an ACD export row."""
    handled = rng.randint(40, 110)
    talk = handled * rng.randint(150, 320)
    return {"agent": number, "date": day, "channel": rng.choice(("voice", "chat")),
            "offered": handled + rng.randint(0, 6), "handled": handled,
            "transferred": rng.randint(0, 5), "talk_seconds": talk,
            "hold_seconds": rng.randint(0, 1800), "acw_seconds": handled * rng.randint(15, 45),
            "available_seconds": 27000 + rng.randint(-1800, 1800),
            "fcr": round(rng.uniform(0.6, 0.95), 3), "csat": round(rng.uniform(3.8, 5.0), 2)}


def score_rows(company: Company, project: str, month: str, count: int, rng: random.Random,
               judgements: bool = True) -> list[dict]:
    """*count* hand-recorded score events of *project* in *month* as import rows (without the
    monthly judgement, which the ledger takes once per agent and month, when *judgements* is
    false: a file imported into a month that has its events already)."""
    codes = [c for c in RULE_WEIGHTS if judgements or c != "leader_judgement"]
    weights = [RULE_WEIGHTS[c] for c in codes]
    days = working_days(month)
    rows, judged = [], set()
    for code in rng.choices(codes, weights, k=count):
        agent = rng.choice(company.agents[project])
        if code == "leader_judgement" and agent in judged:
            code = "chatting"  # one judgement per agent and month, as the ledger allows
        if code == "leader_judgement":
            judged.add(agent)
        points = None
        if code == "late_or_early":
            points = rng.choice((-2, -2, -3, -5))
        elif code == "leader_judgement":
            points = rng.randint(-5, 5)
        reason = f"{code} noted on the floor" if code == "leader_judgement" or rng.random() < 0.3 else ""
        rows.append({"agent": agent, "rule": code,
                     "date": rng.choice(days), "points": points, "reason": reason})
    return rows


def write_score_csv(path: Path, rows: list[dict]) -> None:
    """*rows* of `score_rows` as the CSV file a team leader would import (blank = default points)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, SCORE_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "points": "" if row["points"] is None else row["points"]})


def _score_events(fw, project: str, company: Company, rng: random.Random) -> None:
    """The project's share of the ledger, checked by `prepare`, written one commit per month —
    but for `Company.hand_recorded`, recorded one event at a time as a team leader would, so
    its file carries an audit entry per event, as a real month's file does."""
    project_doc = fw.projects.get(project)
    per_month = company.size.score_events // (company.size.projects * company.size.months)
    events = []
    for month in company.months:
        rows = score_rows(company, project, month, per_month, rng)
        if (project, month) == company.hand_recorded:
            for row in rows:
                fw.ledger.record(project, row["agent"], row["rule"], row["date"], ACTOR,
                                 points=row["points"], reason=row["reason"])
            continue
        events.extend(fw.ledger.prepare(project_doc, row["agent"], row["rule"], row["date"], ACTOR,
                                        points=row["points"], reason=row["reason"])
                      for row in rows)
    fw.ledger.write(events, ACTOR, "score.import")
