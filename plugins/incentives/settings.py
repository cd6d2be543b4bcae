"""The incentives settings of a project, with the domain page's numbers as defaults, and the
settings in effect for a given month.

A month's grades and pay float must come out the same next year as on the day it closed, even
after the bands or the pay float changed. So the settings of a month are, first, the copy frozen
when the month closed (`freeze`, called from ``on_period_closing``); for a month without one,
the project's current settings with every published change that takes effect after that month
rolled back (`published.py` keeps each change with its before and after values).
"""

from __future__ import annotations

from floorwalker.core import (N_, Choice, Setting, SettingField, ValidationError, setting_forms,
                              validate)

from . import shard
from .grades import GRADES

NAME = "incentives"
DEFAULT_BANDS = {"A": 90, "B": 80, "C": 70, "D": 65, "E": 60}
METRICS = ("total", "average_score", "bonus_points")  # and "rule:<code>": count of that rule
# the settings a back-test draft may change (with the core's rule_points)
DRAFTABLE = ("grade_bands", "pay_pivot", "pay_per_point", "pay_cap", "pay_from_month")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_bands(value) -> None:
    """Grade floors A to E, each a number, none above the one before."""
    if not isinstance(value, dict) or sorted(value) != list(GRADES[:-1]) \
            or not all(map(_number, value.values())):
        raise ValidationError("grade_bands", N_("expected numbers for A, B, C, D and E, got {value!r}"),
                              value=value)
    floors = [value[g] for g in GRADES[:-1]]
    if any(high < low for high, low in zip(floors, floors[1:])):
        raise ValidationError("grade_bands", N_("each grade's floor must not be above the one before"))


def check_metric(metric, field: str) -> None:
    if not isinstance(metric, str) or not (metric in METRICS or (metric.startswith("rule:")
                                                                 and len(metric) > 5)):
        raise ValidationError(field, N_("unknown measure {value!r}: use {choices} or rule:<code>"),
                              value=metric, choices=", ".join(METRICS))


def check_goals(value) -> None:
    """A list of ``{"team", "title", "metric", "target"}``: a team's target for each month."""
    if not isinstance(value, list):
        raise ValidationError("stage_goals", N_("expected a list, got {value!r}"), value=value)
    for goal in value:
        if not isinstance(goal, dict) or not isinstance(goal.get("title"), str) \
                or not _number(goal.get("target")) or not isinstance(goal.get("team", ""), str):
            raise ValidationError("stage_goals",
                                  N_("each goal needs a title, a metric and a numeric target, got {value!r}"),
                                  value=goal)
        validate.text(goal["title"], "stage_goals", validate.NAME_LIMIT)
        check_metric(goal.get("metric"), "stage_goals")


def check_steps(value) -> None:
    """A list of ``{"title", "metric", "steps": [[threshold, amount], …]}``, thresholds rising."""
    if not isinstance(value, list):
        raise ValidationError("stepped_rewards", N_("expected a list, got {value!r}"), value=value)
    for reward in value:
        steps = reward.get("steps") if isinstance(reward, dict) else None
        if not isinstance(reward, dict) or not isinstance(reward.get("title"), str) \
                or not isinstance(steps, list) or not steps \
                or not all(isinstance(s, list) and len(s) == 2 and all(map(_number, s)) for s in steps):
            raise ValidationError("stepped_rewards",
                                  N_("each reward needs a title, a metric and steps as [threshold, amount], got {value!r}"),
                                  value=reward)
        validate.text(reward["title"], "stepped_rewards", validate.NAME_LIMIT)
        if any(b[0] <= a[0] for a, b in zip(steps, steps[1:])):
            raise ValidationError("stepped_rewards", N_("the thresholds of {title} must rise"),
                                  title=reward["title"])
        check_metric(reward.get("metric"), "stepped_rewards")


_GRADE_CHOICES = tuple(GRADES)
MEASURE_TITLES = {"total": ("Month total", "当月总分"), "average_score": ("Average score", "平均分"),
                  "bonus_points": ("Bonus points", "加分合计")}


def measures(fw, project: dict) -> list[Choice]:
    """The measures a goal or a reward may use: the scores, then how often a rule was recorded."""
    scores = [Choice(m, *MEASURE_TITLES[m], group_en="Scores", group_zh="考核分") for m in METRICS]
    return scores + [Choice(c.value, f"Times: {c.title_en}", f"次数：{c.title_zh}", c.group_en,
                            c.group_zh) for c in setting_forms.rule_choices(fw, project, "rule:")]


def teams(fw, project: dict) -> list[Choice]:
    return [Choice(t["slug"], t.get("name") or t["slug"]) for t in fw.teams.of(project["slug"])]


def reward_rows(value: list) -> list[dict]:
    """Each step of each reward as a row: its title, measure, threshold and amount."""
    return [{"title": r["title"], "metric": r["metric"], "threshold": threshold, "amount": amount}
            for r in value or [] for threshold, amount in r["steps"]]


def rewards_of_rows(rows: list[dict]) -> list[dict]:
    """Rows with the same title back as one reward, its steps by rising threshold."""
    rewards: dict[str, dict] = {}
    for n, row in enumerate(rows, 1):
        reward = rewards.setdefault(row["title"], {"title": row["title"], "metric": row["metric"],
                                                   "steps": []})
        if reward["metric"] != row["metric"]:
            raise ValidationError("stepped_rewards",
                                  N_("row {n}: the rows of one reward need the same measure"), n=n)
        reward["steps"].append([row["threshold"], row["amount"]])
    for reward in rewards.values():
        reward["steps"].sort()
    return list(rewards.values())


_PAY = {"group_en": "Grades and pay float", "group_zh": "等级与绩效浮动"}
_REVIEW = {"group_en": "Dismissal review", "group_zh": "辞退评审提示"}
_TIERS = {"group_en": "Promotion and demotion", "group_zh": "晋级与降级"}
_BOARDS = {"group_en": "Boards, goals and rewards", "group_zh": "榜单、目标与奖励"}
METRIC_FIELD = SettingField("metric", "choice", "Measure", "衡量指标", options=measures)

SETTINGS = [
    Setting("grade_bands", "mapping", DEFAULT_BANDS, "Grade floors (A is above its number; below E is F)",
            "等级分数线（A 为高于该分；低于 E 为 F）", check=check_bands, **_PAY,
            fields=tuple(SettingField(g, "number", g, g, min=0, max=300) for g in GRADES[:-1])),
    Setting("pay_pivot", "int", 80, "Score at which the pay float is zero", "绩效浮动为零的分数",
            min=0, max=300, **_PAY),
    Setting("pay_per_point", "int", 10, "Pay float per point (yuan)", "每分浮动金额（元）", min=0, max=1000,
            **_PAY),
    Setting("pay_cap", "int", 300, "Largest pay float either way (yuan)", "绩效浮动上下限（元）",
            min=0, max=100000, **_PAY),
    Setting("pay_from_month", "int", 3, "Month of employment the pay float starts",
            "入职第几个月起计算绩效浮动", min=1, max=24, **_PAY),
    Setting("dismissal_below", "int", 60, "A month below this flags dismissal review",
            "当月低于此分提示辞退评审", min=0, max=300, **_REVIEW),
    Setting("lowest_run_months", "int", 2, "Months running as the project's lowest that flag review",
            "连续几个月项目最低分提示辞退评审", min=1, max=12, **_REVIEW),
    Setting("lowest_run_below", "int", 70, "…while below this score", "且低于此分", min=0, max=300,
            **_REVIEW),
    # the rulebook's 注意事项 1–3: pay-sheet flags for payroll (the system flags, people decide)
    Setting("resign_after_start_months", "int", 1,
            "Resigned within this many months of starting work: flag no salary settlement",
            "上岗后几个月内辞职提示不结算工资", min=0, max=12, **_PAY),
    Setting("probation_months", "int", 3,
            "Months of probation (resigning in them: flag the training fee; grade A: early confirmation)",
            "试用期月数（期内辞职提示交培训费；期内A级提示可申请提前转正）", min=0, max=12, **_PAY),
    Setting("promote_grade", "choice", "A", "Grade (or better) that earns promotion", "晋级所需等级（及以上）",
            choices=_GRADE_CHOICES, **_TIERS),
    Setting("promote_months", "int", 3, "Closed months in a row at that grade to suggest promotion",
            "连续几个结账月达到该等级建议晋级", min=1, max=24, **_TIERS),
    Setting("demote_grade", "choice", "D", "Grade (or worse) that leads to demotion", "降级等级（及以下）",
            choices=_GRADE_CHOICES, **_TIERS),
    Setting("demote_months", "int", 2, "Closed months in a row at that grade to suggest demotion",
            "连续几个结账月处于该等级建议降级", min=1, max=24, **_TIERS),
    Setting("board_min_events", "int", 0, "Score events an agent needs in the month to be ranked",
            "参与排名所需的当月考核记录数", min=0, max=1000, **_BOARDS),
    Setting("stage_goals", "rows", [], "Stage goals of the teams", "班组阶段目标", check=check_goals,
            fields=(SettingField("team", "choice", "Team", "班组", required=False, options=teams,
                                 choices=(Choice("", "Whole project", "全项目"),)),
                    SettingField("title", "text", "Goal", "目标名称"), METRIC_FIELD,
                    SettingField("target", "number", "Target", "目标值")), **_BOARDS),
    Setting("stepped_rewards", "rows", [], "Stepped rewards", "阶梯奖励", check=check_steps,
            help_en="Rows with the same title are the steps of one reward: the highest step an agent "
                    "reaches is paid.",
            help_zh="名称相同的几行是同一项奖励的各档：按坐席达到的最高一档发放。",
            fields=(SettingField("title", "text", "Reward", "奖励名称"), METRIC_FIELD,
                    SettingField("threshold", "number", "From (measure reaches)", "达到"),
                    SettingField("amount", "number", "Amount (yuan)", "金额（元）")),
            to_rows=reward_rows, from_rows=rewards_of_rows, **_BOARDS),
]
SCHEMA = {s.key: s for s in SETTINGS}


def current(fw, project: dict) -> dict:
    return fw.projects.settings(project, NAME)


def in_effect(fw, project: dict, month: str) -> dict:
    """The settings that decide *month*'s grades and pay: frozen at its close, else the current
    ones without the published changes that take effect after it."""
    frozen = shard.table(fw, project["slug"], shard.FROZEN).get(month)
    if frozen is not None:
        return {**current(fw, project), **frozen["values"]}
    values = current(fw, project)
    later = [p for p in shard.table(fw, project["slug"], shard.PUBLISHED).values()
             if p["effective"] > month]
    for change in sorted(later, key=lambda p: (p["effective"], p["published_at"]), reverse=True):
        values.update(change["before"])
    return values


def freeze(fw, project: dict, month: str, actor: str) -> dict:
    """Keep the settings that decided *month* with it, before it locks."""
    values = in_effect(fw, project, month)
    with fw.store.transaction(shard.key(fw, project["slug"]), actor, "incentives.freeze") as tx:
        if tx.get(shard.FROZEN, month) is None:
            tx.insert(shard.FROZEN, {"id": month, "month": month, "values": values})
    return values
