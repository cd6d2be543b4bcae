"""What people do in incentives, and who does it by default. Recording an event, a judgement or
asking for a reversal changes pay: a team leader does it only for the agents of the teams they
lead; QA holds none of them."""

from __future__ import annotations

from floorwalker.core import LEADERS, STAFF, SUPERVISORS, Action

from .settings import NAME

VIEW = f"{NAME}.view"
REPORT = f"{NAME}.report"
RECORD = f"{NAME}.record"
GIVE_JUDGEMENT = f"{NAME}.judgement"
REVERSAL_ASK = f"{NAME}.reversal.ask"
MANAGE = f"{NAME}.manage"

ACTIONS = [
    Action(VIEW, STAFF, "See the score sheet, tiers and reversal requests", "查看考核分表、星级与撤销申请"),
    Action(REPORT, STAFF + ("client",), "See the boards", "查看排行榜"),
    Action(RECORD, LEADERS, "Record a score event", "记录考核事件", writes=True),
    Action(GIVE_JUDGEMENT, LEADERS, "Give the monthly judgement", "给出月度评议", writes=True),
    Action(REVERSAL_ASK, LEADERS, "Ask for an event to be reversed", "申请撤销考核事件", writes=True),
    Action(MANAGE, SUPERVISORS, "Close the month, decide reversals and tiers, try a draft",
           "月结、审批撤销与星级、试算草案"),
]
