"""What people do in incentives, and who does it by default. Recording an event, a judgement or
asking for a reversal changes pay: a team leader does it only for the agents of the teams they
lead; QA holds none of them. Pay (the pay float, its totals, ¥ rewards, the pay export) is
seen by supervisors, directors and admins; an agent sees its own on its own month page, a team
leader its team's scores and grades but not pay, a client never (`PAY` cannot be given to
an agent or client role).

The trainer (培训专员) records the daily assessment events on agents, and assesses the team
leaders (`LEADERS_SHEET`: their sheet, the events recorded against them and the trainer's
monthly judgement of each), as a supervisor may; a team leader assesses no team leader."""

from __future__ import annotations

from floorwalker.core import LEADERS, STAFF, SUPERVISORS, Action

from .settings import NAME

VIEW = f"{NAME}.view"
REPORT = f"{NAME}.report"
RECORD = f"{NAME}.record"
GIVE_JUDGEMENT = f"{NAME}.judgement"
REVERSAL_ASK = f"{NAME}.reversal.ask"
MANAGE = f"{NAME}.manage"
PAY = f"{NAME}.pay"
LEADERS_SHEET = f"{NAME}.leaders"
TRAINERS = SUPERVISORS + ("trainer",)

ACTIONS = [
    Action(VIEW, STAFF, "See the score sheet, tiers and reversal requests", "查看考核分表、职级与冲销申请"),
    Action(REPORT, STAFF, "See the boards", "查看排行榜"),
    Action(RECORD, LEADERS + ("trainer",), "Record a score event", "记录考核事件", writes=True),
    Action(GIVE_JUDGEMENT, LEADERS, "Give the monthly judgement", "给出月度评议", writes=True),
    Action(REVERSAL_ASK, LEADERS, "Ask for an event to be reversed", "申请冲销考核事件", writes=True),
    Action(MANAGE, SUPERVISORS, "Close the month, decide reversals and tiers, try a draft",
           "月结、审批冲销与职级、试算草案"),
    Action(PAY, SUPERVISORS, "See pay: pay float, its totals and rewards", "查看薪酬：绩效浮动、合计与奖励"),
    Action(LEADERS_SHEET, TRAINERS, "Assess the team leaders: their sheet, events and judgement",
           "班长考核：班长考核表、考核事件与月度评议", writes=True),
]
