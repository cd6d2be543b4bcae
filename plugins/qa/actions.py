"""What people do in QA (质检), and who does it by default.

QA evaluators (质检员) and supervisors evaluate, keep the project's standard (the scorecard) and
import the interactions; the other staff (a team leader, the trainer) read it all. An agent sees
only its own evaluations — never the interactions list, which is the sampling — and a client sees
nothing of QA for now.
"""

from __future__ import annotations

from floorwalker.core import STAFF, SUPERVISORS, Action

from .config import NAME

VIEW = f"{NAME}.view"
OWN = f"{NAME}.own"
EVALUATE = f"{NAME}.evaluate"
STANDARD = f"{NAME}.standard"
IMPORT = f"{NAME}.import"
EVALUATORS = SUPERVISORS + ("qa",)

ACTIONS = [
    Action(VIEW, STAFF, "See the QA standard, interactions and evaluations", "查看质检标准、会话与质检记录"),
    Action(OWN, STAFF + ("agent",), "See an evaluation (an agent: its own)", "查看质检记录（坐席仅本人）"),
    Action(EVALUATE, EVALUATORS, "Evaluate an interaction", "质检评分"),
    Action(STANDARD, EVALUATORS, "Edit, import and publish the QA standard", "编辑、导入与发布质检标准"),
    Action(IMPORT, EVALUATORS, "Import interactions", "导入会话记录"),
]
