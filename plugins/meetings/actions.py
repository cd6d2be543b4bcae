"""What people do with meetings, and who does it by default.

The centre's staff see the calendar and the meetings; the leaders (team leaders, supervisors,
the director) plan a month and run a meeting: the agenda, attendance, the minutes, decisions,
action items and the chair's sign-off. Taking attendance decides a −10, so it is a `writes`
action: a team leader takes it only for the agents of the teams they lead. An agent sees its
own meetings and action items on the phone.
"""

from __future__ import annotations

from floorwalker.core import LEADERS, STAFF, Action

from .config import NAME

VIEW = f"{NAME}.view"
PLAN = f"{NAME}.plan"
RUN = f"{NAME}.run"
ATTEND = f"{NAME}.attendance"
MINE = f"{NAME}.mine"
REPORT = f"{NAME}.report"
COACH = f"{NAME}.coach"
ANSWER = f"{NAME}.answer_question"

ACTIONS = [
    Action(VIEW, STAFF, "See the meetings, their calendar and coaching items", "查看会议、会议日历与辅导事项"),
    Action(PLAN, LEADERS, "Plan a month's meetings, or add a meeting", "生成当月会议计划或新增会议"),
    Action(RUN, LEADERS, "Run a meeting: agenda, minutes, decisions, action items, sign-off",
           "主持会议：议程、纪要、决议、待办事项、签发"),
    Action(ATTEND, LEADERS, "Take a meeting's attendance (missing a department meeting costs points)",
           "会议点名（无故缺席部门会议扣分）", writes=True),
    Action(MINE, ("admin", "agent"), "See my meetings and action items", "查看我的会议与待办"),
    Action(REPORT, LEADERS, "Hand in or read the monthly service-quality reports", "提交或查阅月度服务质量报告"),
    Action(COACH, LEADERS, "Coach an agent: open a coaching item, hold the session, record the follow-up",
           "辅导坐席：新建辅导事项、录入辅导记录与跟进", writes=True),
    Action(ANSWER, LEADERS, "Answer the floor's questions, turn an answer into a unified answer",
           "解答坐席提出的业务问题，或转为统一答复口径", writes=True),
]
