"""What people do in QA (质检), and who does it by default.

QA evaluators (质检员) and supervisors evaluate, keep the project's standard (the scorecard) and
import the interactions; the other staff (a team leader, the trainer) read it all. An agent sees
only its own evaluations — never the interactions list, which is the sampling — and a client sees
nothing of QA for now.
"""

from __future__ import annotations

from floorwalker.core import LEADERS, STAFF, SUPERVISORS, Action

from .config import NAME

VIEW = f"{NAME}.view"
OWN = f"{NAME}.own"
EVALUATE = f"{NAME}.evaluate"
STANDARD = f"{NAME}.standard"
IMPORT = f"{NAME}.import"
WEEKLY = f"{NAME}.weekly"  # write the weekly QA summary (to the supervisor, who reads it: VIEW)
CASEBOOK = f"{NAME}.casebook"
CALIBRATE = f"{NAME}.calibrate"  # open a calibration session, score one you are in (calibration.py)
SPOT_CHECK = f"{NAME}.spotcheck"  # record the supervisor's spot-check errors (monthly.py)
EXAMS = f"{NAME}.exams"  # import the monthly knowledge exam's scores (exams.py)
SAMPLE = f"{NAME}.sample"  # build the sampling plan, replace or remove its picks (sampling.py)
EVALUATORS = SUPERVISORS + ("qa",)
RESPOND = f"{NAME}.respond"  # the agent acknowledges or disputes its own evaluation (disputes.py)
FORWARD = f"{NAME}.dispute.forward"  # the agent's team leader forwards a dispute or returns it
ARBITRATE = f"{NAME}.dispute.decide"  # a supervisor decides it: never the evaluator, never a team leader

ACTIONS = [
    Action(VIEW, STAFF, "See the QA standard, interactions and evaluations", "查看质检标准、会话与质检记录"),
    Action(OWN, STAFF + ("agent",), "See an evaluation (an agent: its own)", "查看质检记录（坐席仅本人）"),
    Action(EVALUATE, EVALUATORS, "Evaluate an interaction", "质检评分"),
    Action(STANDARD, EVALUATORS, "Edit, import and publish the QA standard", "编辑、导入与发布质检标准"),
    Action(IMPORT, EVALUATORS, "Import interactions", "导入会话记录"),
    Action(RESPOND, ("agent",), "Acknowledge or dispute one's own evaluation", "确认或申诉本人的质检结果"),
    Action(FORWARD, LEADERS, "Forward an agent's dispute to the supervisor, or return it",
           "将坐席申诉转交主管或退回", writes=True),
    Action(ARBITRATE, SUPERVISORS, "Decide a dispute of an evaluation", "裁定质检申诉", writes=True),
    Action(SAMPLE, EVALUATORS, "Build the sampling plan, replace or remove its picks", "生成抽样计划、替换或移除抽样"),
    Action(WEEKLY, ("admin", "qa"), "Write the weekly QA summary and training plan", "提交每周质检小结与培训计划"),
    Action(CASEBOOK, EVALUATORS, "Add evaluations to the casebook", "将质检记录收入案例库"),
    Action(CALIBRATE, EVALUATORS, "Open and score calibration sessions", "发起与参与质检校准"),
    Action(SPOT_CHECK, SUPERVISORS, "Record spot-check errors", "记录主管抽查差错"),
    Action(EXAMS, SUPERVISORS + ("trainer",), "Import the monthly exam's scores", "导入月度业务考试成绩"),
]
