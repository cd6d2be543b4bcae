"""The QA plugin's name and its per-project settings, with the domain's defaults."""

from __future__ import annotations

from floorwalker.core import Setting

NAME = "qa"

SETTINGS = [
    Setting("score_cap", "int", 100, "Highest evaluation score (the bonus lifts up to it)",
            "质检得分上限（加分项最多加到此分）", min=100, max=200,
            help_en="100: the bonus only makes up for lost points; 110: it may lift an evaluation "
                    "to 110.",
            help_zh="100：加分项只能弥补失分；110：加分后最高可到 110 分。"),
]
