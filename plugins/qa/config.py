"""The QA plugin's name and its per-project settings, with the domain's defaults."""

from __future__ import annotations

from floorwalker.core import Setting

from . import autoqa, sampling_rules

NAME = "qa"

SETTINGS = [
    # 110, as the monthly score's full marks: the bonus may lift an evaluation above 100 (issue 13)
    Setting("score_cap", "int", 110, "Highest evaluation score (the bonus lifts up to it)",
            "质检得分上限（加分项最多加到此分）", min=100, max=200,
            help_en="100: the bonus only makes up for lost points; 110: it may lift an evaluation "
                    "to 110.",
            help_zh="100：加分项只能弥补失分；110：加分后最高可到 110 分。"),
]
SETTINGS += autoqa.SETTINGS  # the auto-QA phrase lists and the long wait (autoqa.py)
SETTINGS.append(Setting(
    "weekly_due_weekday", "int", 1, "The weekly QA summary is due on this day of the next week "
    "(1 Monday … 7 Sunday)", "每周质检小结在下一周的星期几前提交（1 周一 … 7 周日）", min=1, max=7))
SETTINGS.append(Setting(  # figures.py: below it an average shows its n, but no grade and no rank
    "min_sample", "int", 3, "Fewest evaluations for a QA grade or rank", "质检评级与排名所需的最少质检次数",
    min=1, max=50, help_en="Below it the QA report shows the average with its n and “n too small” "
    "instead of a grade or rank.", help_zh="不足此数时，质检报表只显示平均分及样本数，等级与排名处显示“样本不足”。"))
SETTINGS += [  # monthly.py, exams.py, calibration.py: the QA rules of the month and calibration
    Setting("pass_line", "int", 85, "QA pass line: a monthly QA average below it costs points",
            "质检及格线（月度质检平均分低于此线扣分）", min=0, max=100),
    Setting("exam_full_score", "int", 100, "Full marks of the monthly exam", "月度业务考试满分分值",
            min=1, max=1000),
    Setting("exam_pass_mark", "int", 60, "Monthly exam: a score below this costs points",
            "月度业务考试：低于此分扣分", min=0, max=1000),
    Setting("calibration_threshold", "int", 10, "Calibration: an item's variance above this share "
            "of its full marks (%) is flagged", "质检校准：单项偏差超过满分的此百分比时标出", min=1, max=100),
]
SETTINGS.append(Setting(  # disputes.py: the window closes by itself; then the evaluation stands
    "respond_hours", "int", 72, "Hours an agent has to acknowledge or dispute an evaluation",
    "坐席确认或申诉质检结果的时限（小时）", min=1, max=720,
    help_en="Counted from the evaluation's submission; an evaluation neither acknowledged nor "
            "disputed by then counts as accepted.",
    help_zh="自质检提交时起算；到期未确认也未申诉的质检结果视为认可。"))
SETTINGS += sampling_rules.SETTINGS  # the sampling plan: per agent, new agents, must-check (sampling_rules.py)
