"""Leaderboard, praise board, stage goals and stepped rewards, as pure functions of sheet rows."""

import datetime as dt

from floorwalker.plugins.incentives.boards import (days_left, leaderboard, praise_board,
                                                   stage_goals, stepped_rewards)


def ev(rule, kind, points, reversed_by=None, reverses=None):
    return {"rule": rule, "kind": kind, "points": points, "reversed_by": reversed_by,
            "reverses": reverses}


def row(number, total, team="day", events=(), bonus=0):
    return {"number": number, "total": total, "team": team, "bonus": bonus, "events": list(events)}


ROWS = [
    row("1", 95, events=[ev("extra_task", "bonus", 5), ev("covered_shift", "bonus", 5)], bonus=10),
    row("2", 95, events=[ev("extra_task", "bonus", 5)], bonus=5),
    row("3", 70, events=[ev("loud", "light", -2), ev("absent", "severe", -20, reversed_by="x"),
                         ev("absent", "severe", 20, reverses="y"), ev("games_at_work", "medium", -10)]),
    row("4", 80, team="night"),
    row("5", 60, team="night", events=[ev("absent", "severe", -20)]),
]


def test_leaderboard_ranks_ties_together_and_marks_the_bottom():
    board = leaderboard(ROWS, 0)
    assert [(e["rank"], e["row"]["number"], e["bottom"]) for e in board["ranked"]] == \
        [(1, "1", False), (1, "2", False), (3, "4", False), (4, "3", False), (5, "5", True)]


def test_leaderboard_needs_the_minimum_of_counting_events():
    board = leaderboard(ROWS, 2)
    assert [e["row"]["number"] for e in board["ranked"]] == ["1", "3"]  # 3 counts loud + games
    assert {e["row"]["number"]: e["events"] for e in board["unranked"]} == {"2": 1, "4": 0, "5": 1}


def test_leaderboard_of_one_team_and_no_bottom_when_all_tie():
    assert [e["row"]["number"] for e in leaderboard(ROWS, 0, team="night")["ranked"]] == ["4", "5"]
    tied = leaderboard([row("1", 80), row("2", 80)], 0)
    assert [e["bottom"] for e in tied["ranked"]] == [False, False]


def test_praise_board_counts_bonuses_and_violations_that_still_count():
    board = praise_board(ROWS)
    assert [(f["row"]["number"], f["points"]) for f in board["flowers"]] == [("1", 10), ("2", 5)]
    assert [(f["row"]["number"], f["points"]) for f in board["leaves"]] == [("5", -20), ("3", -12)]
    assert [f["row"]["number"] for f in praise_board(ROWS, team="night")["leaves"]] == ["5"]


def test_days_left_counts_today_in():
    assert days_left("2025-03", dt.date(2025, 3, 1)) == 31
    assert days_left("2025-03", dt.date(2025, 3, 31)) == 1
    assert days_left("2025-03", dt.date(2025, 4, 1)) == 0
    assert days_left("2025-03", dt.date(2025, 2, 10)) == 31


def test_stage_goals_show_distance_left_per_day():
    goals = [{"team": "day", "title": "Day average", "metric": "average_score", "target": 90},
             {"team": "", "title": "Extra tasks", "metric": "rule:extra_task", "target": 2},
             {"team": "night", "title": "Night bonus", "metric": "bonus_points", "target": 10}]
    day, tasks, night = stage_goals(goals, ROWS, "2025-03", dt.date(2025, 3, 22))
    assert (day["current"], day["left"], day["days_left"], day["per_day"]) == (260 / 3, 90 - 260 / 3, 10,
                                                                               (90 - 260 / 3) / 10)
    assert (tasks["current"], tasks["reached"], tasks["per_day"]) == (2, True, None)
    assert (night["current"], night["left"], night["per_day"]) == (0, 10, 1.0)
    over = stage_goals(goals[:1], ROWS, "2025-03", dt.date(2025, 4, 2))[0]
    assert over["per_day"] is None and not over["reached"]


def test_stepped_rewards_pay_the_highest_step_reached():
    rewards = [{"title": "High score", "metric": "total", "steps": [[90, 100], [95, 200]]},
               {"title": "Helper", "metric": "rule:covered_shift", "steps": [[1, 50]]}]
    earned = stepped_rewards(rewards, ROWS)
    assert earned["1"] == [{"title": "High score", "value": 95, "amount": 200},
                           {"title": "Helper", "value": 1, "amount": 50}]
    assert earned["2"] == [{"title": "High score", "value": 95, "amount": 200}]
    assert "4" not in earned
