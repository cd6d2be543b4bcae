"""The benchmark's company: projects, teams, agents, a year of attendance, traffic and scores.

Everything goes in through the public API (`open_floorwalker`, `fw.projects.create`,
`fw.teams.create`, `fw.agents.new_agent_docs` / `add_many`, `fw.ledger.prepare` / `write`,
`fw.periods.close`, and `Store.transaction` on period shards for the high-volume tables a plugin
would keep), so the files on disk are the ones a real install would have: one attendance-like
and one traffic-like record per agent per working day in ``projects/<p>/<table>/<YYYY-MM>``,
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

ACTOR = "bench"
RECORDS = "records"
PERIOD_TABLES = ("attendance", "traffic")
SCORE_COLUMNS = ("agent", "rule", "date", "points", "reason")  # the score import's file
OPEN_MONTHS = 2  # the last months of data stay open; imports and single writes go there

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
# Score rules a floor records by hand, with how often each turns up (the rest are rare).
RULE_WEIGHTS = {
    "late_or_early": 30, "chatting": 12, "messy_desk": 8, "entry_error": 8, "loud": 6,
    "spot_check_error": 8, "handover_log_missing": 5, "away_over_5min": 5, "covered_shift": 6,
    "extra_task": 5, "exam_full_marks": 2, "suggestion_adopted": 1, "games_at_work": 1,
    "missed_meeting": 1, "absent": 1, "leader_judgement": 3,
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
        _period_records(fw.store, slug, company, rng)
        _score_events(fw, slug, company, rng)
        progress(f"  {slug}: {size.months} months of attendance, traffic and score events")
    for slug in company.projects:
        for month in months[:-OPEN_MONTHS]:
            fw.periods.close(slug, month, ACTOR)
    return company


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _period_records(store: Store, project: str, company: Company, rng: random.Random) -> None:
    """One attendance and one traffic record per agent per working day, one commit per file."""
    teams = {n: f"team-{i % company.size.teams_per_project + 1}"
             for i, n in enumerate(company.agents[project])}
    for month in company.months:
        days = working_days(month)
        attendance = [attendance_record(number, teams[number], day, rng)
                      for day in days for number in company.agents[project]]
        traffic = [traffic_record(number, day, rng) for day in days for number in company.agents[project]]
        for table, docs in zip(PERIOD_TABLES, (attendance, traffic)):
            with store.transaction(Store.period_key(project, table, month), ACTOR, f"{table}.import") as tx:
                tx.insert_many(RECORDS, docs)


def attendance_record(number: str, team: str, day: str, rng: random.Random) -> dict:
    """A clock-in/clock-out record shaped like the attendance plugin's."""
    roll = rng.random()
    status = "present" if roll < 0.9 else "late" if roll < 0.96 else "leave" if roll < 0.99 else "absent"
    late = rng.randint(1, 25) if status == "late" else 0
    on_floor = status in ("present", "late")
    return {"agent": number, "date": day, "team": team, "shift": "day",
            "scheduled_start": "09:00", "scheduled_end": "18:00",
            "clock_in": f"{9 if late else 8}:{late if late else rng.randint(40, 59):02d}" if on_floor else None,
            "clock_out": f"18:{rng.randint(0, 20):02d}" if on_floor else None,
            "status": status, "late_minutes": late,
            "leave_type": "annual" if status == "leave" else None,
            "approved_by": "tl-" + team if status == "leave" else None, "note": ""}


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


def score_rows(company: Company, project: str, month: str, count: int, rng: random.Random
               ) -> list[dict]:
    """*count* hand-recorded score events of *project* in *month* as import rows."""
    codes = list(RULE_WEIGHTS)
    weights = list(RULE_WEIGHTS.values())
    days = working_days(month)
    rows = []
    for code in rng.choices(codes, weights, k=count):
        points = None
        if code == "late_or_early":
            points = rng.choice((-2, -2, -3, -5))
        elif code == "leader_judgement":
            points = rng.randint(-5, 5)
        reason = f"{code} noted on the floor" if code == "leader_judgement" or rng.random() < 0.3 else ""
        rows.append({"agent": rng.choice(company.agents[project]), "rule": code,
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
