"""The boards of a month: the leaderboard, the praise and criticism board (红花绿叶榜), stage
goals with the distance left each day, and stepped rewards. Pure functions of the sheet's rows
(each with its ``events``) and the settings; who may read the names is the page's business.
"""

from __future__ import annotations

import calendar
import datetime as dt

VIOLATION_KINDS = ("light", "medium", "severe", "dismissal")
AWARD_FAULTED = "award_faulted"  # the core sheet's flag (`rule_limits.AWARD_FAULTED`)


def active_events(row: dict) -> list[dict]:
    """The events of a row that count: neither reversed nor a reversal."""
    return [e for e in row["events"] if not e.get("reverses") and not e.get("reversed_by")]


def faulted_awards(rows: list[dict]) -> list[str]:
    """The agents (numbers) of *rows* holding a floor award that counts (``best_of_month``,
    `ScoreRule.floor_award`) beside a violation that counts, recorded after the award was given:
    the rows the core's sheet flags ``award_faulted``."""
    return [row["number"] for row in rows if AWARD_FAULTED in (row.get("flags") or ())]


def _team(rows: list[dict], team: str | None) -> list[dict]:
    return [r for r in rows if not team or r.get("team") == team]


def leaderboard(rows: list[dict], min_events: int, team: str | None = None) -> dict:
    """Agents with at least *min_events* counting events, ranked by total (ties share a rank,
    the next rank skips: 1, 1, 3); the last rank is marked ``bottom`` (末位) when more than one
    rank exists. The others are listed as not ranked, with their event count."""
    mine = _team(rows, team)
    counted = {r["number"]: len(active_events(r)) for r in mine}
    eligible = sorted((r for r in mine if counted[r["number"]] >= min_events),
                      key=lambda r: (-r["total"], r["number"]))
    ranked, rank = [], 0
    for i, row in enumerate(eligible):
        if i == 0 or row["total"] != eligible[i - 1]["total"]:
            rank = i + 1
        ranked.append({"rank": rank, "row": row, "events": counted[row["number"]], "bottom": False})
    if ranked and ranked[-1]["rank"] > 1:
        for entry in ranked:
            entry["bottom"] = entry["rank"] == ranked[-1]["rank"]
    unranked = [{"row": r, "events": counted[r["number"]]} for r in mine
                if counted[r["number"]] < min_events]
    return {"ranked": ranked, "unranked": unranked}


def praise_board(rows: list[dict], team: str | None = None) -> dict:
    """Red flowers for the month's bonuses, green leaves for its violations: per agent, the
    counting events of each side, most points first."""
    def side(kinds, sign):
        found = []
        for row in _team(rows, team):
            events = [e for e in active_events(row) if e["kind"] in kinds]
            if events:
                found.append({"row": row, "events": events, "points": sum(e["points"] for e in events)})
        return sorted(found, key=lambda f: (-sign * f["points"], -len(f["events"]), f["row"]["number"]))

    return {"flowers": side(("bonus",), 1), "leaves": side(VIOLATION_KINDS, -1)}


def agent_measure(metric: str, row: dict) -> float:
    """One agent's value of a measure: its total, its bonus points, or the count of a rule."""
    if metric.startswith("rule:"):
        code = metric[5:]
        return sum(e["rule"] == code for e in active_events(row))
    if metric == "bonus_points":
        return row["bonus"]
    return row["total"]  # "total", and "average_score" for one agent


def team_measure(metric: str, rows: list[dict]) -> float:
    """A team's value of a measure: the average total for ``average_score``, else the sum."""
    if not rows:
        return 0
    values = [agent_measure(metric, row) for row in rows]
    return sum(values) / len(values) if metric == "average_score" else sum(values)


def days_left(month: str, today: dt.date) -> int:
    """Days of *month* from *today* on (today included): all of a future month, none of a past one."""
    year, mon = map(int, month.split("-"))
    length = calendar.monthrange(year, mon)[1]
    if (today.year, today.month) < (year, mon):
        return length
    if (today.year, today.month) > (year, mon):
        return 0
    return length - today.day + 1


def stage_goals(goals: list[dict], rows: list[dict], month: str, today: dt.date) -> list[dict]:
    """Each goal with where its team stands: current value, distance left, and that distance
    spread over the days left (None when reached or when the month is over)."""
    remaining = days_left(month, today)
    out = []
    for goal in goals:
        current = team_measure(goal["metric"], _team(rows, goal.get("team")))
        left = max(0, goal["target"] - current)
        out.append({"goal": goal, "current": current, "left": left, "days_left": remaining,
                    "reached": left == 0,
                    "per_day": left / remaining if left and remaining else None})
    return out


def stepped_rewards(rewards: list[dict], rows: list[dict]) -> dict[str, list[dict]]:
    """By agent number, each reward earned: the highest step whose threshold the agent reached."""
    earned: dict[str, list[dict]] = {}
    for reward in rewards:
        for row in rows:
            value = agent_measure(reward["metric"], row)
            reached = [amount for threshold, amount in reward["steps"] if value >= threshold]
            if reached:
                earned.setdefault(row["number"], []).append(
                    {"title": reward["title"], "value": value, "amount": reached[-1]})
    return earned
