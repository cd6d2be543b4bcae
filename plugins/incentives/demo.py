"""Demo records of the incentives plugin: boards settings, tier suggestions, reversal requests
and a back-test draft, drawn from the demo's own score history with its seeded ``rng``.

Called before the demo closes its oldest month, so nothing written here may block that close:
the undecided reversal requests are about the current month only.
"""

from __future__ import annotations

from . import drafts, reversals, shard
from .boards import active_events
from .settings import NAME, in_effect
from .tiers import TIERS, suggest

REWARDS = [{"title": "高分奖", "metric": "total", "steps": [[95, 100], [100, 200], [105, 300]]},
           {"title": "顶班奖", "metric": "rule:covered_shift", "steps": [[1, 50], [3, 150]]}]


def build(fw, project: dict, months: list[str], rng, actor: str) -> None:
    slug = project["slug"]
    teams = fw.teams.of(slug)
    goals = [{"team": t["slug"], "title": f"{t['name']}平均分 88", "metric": "average_score",
              "target": 88} for t in teams]
    goals.append({"team": "", "title": "合理化建议 3 条", "metric": "rule:suggestion_adopted", "target": 3})
    fw.projects.configure(slug, NAME, {"stage_goals": goals, "stepped_rewards": REWARDS,
                                       "board_min_events": 1}, actor)
    _suggestions(fw, project, months[:-1], actor)
    leaders = {t["slug"]: t.get("leader") or actor for t in teams}
    _requests(fw, slug, months, rng, leaders, actor)
    drafts.save(fw, slug, {"grade_bands": {"A": 92, "B": 80, "C": 70, "D": 65, "E": 60},
                           "pay_per_point": 12}, {"late_or_early": [-5, -3]}, actor)


def _suggestions(fw, project: dict, full_months: list[str], actor: str) -> None:
    """What the ladder rules say of the demo's full months, waiting for a supervisor."""
    settings = in_effect(fw, project, full_months[-1])
    sheets = [{r["number"]: r for r in fw.ledger.sheet(project["slug"], m)} for m in full_months]
    found = []
    for number, row in sheets[-1].items():
        agent = fw.agents.get(number)
        months = [m for m, sheet in zip(full_months, sheets) if number in sheet]
        grades = [sheets[full_months.index(m)][number]["grade"] for m in months]
        target = agent["status"] == "active" and suggest(agent["tier"], grades, settings)
        if target:
            found.append({"id": f"{number}:{full_months[-1]}", "agent": number, "name": row["name"],
                          "month": full_months[-1], "months": months, "grades": grades,
                          "from_tier": agent["tier"], "to_tier": target,
                          "direction": "up" if TIERS.index(target) > TIERS.index(agent["tier"]) else "down",
                          "state": "pending", "created_at": shard.now(), "decided_by": None,
                          "decided_at": None, "note": ""})
    if found:
        with fw.store.transaction(shard.key(fw, project["slug"]), actor, "incentives.tier_suggest") as tx:
            tx.insert_many(shard.SUGGESTIONS, found)


def _requests(fw, slug: str, months: list[str], rng, leaders: dict, actor: str) -> None:
    """Two leaders' requests waiting in the current month, one rejected in the month before."""
    for month, count, reject in ((months[-1], 2, False), (months[-2], 1, True)):
        rows = fw.ledger.sheet(slug, month)
        light = [(row, e) for row in rows for e in active_events(row) if e["kind"] == "light"]
        for row, event in rng.sample(light, min(count, len(light))):
            leader = leaders.get(row["team"], actor)
            asked = reversals.request(fw, slug, event["id"], "当班系统故障，非本人原因", leader)
            if reject:
                reversals.decide(fw, slug, asked["id"], False, actor, "查看录音后确认属实，维持原记录")
