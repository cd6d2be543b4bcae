"""What people do in attendance, and who does it by default. A ``writes`` action changes a day
that decides pay: a team leader does it only for the teams they lead. QA holds none of them."""

from __future__ import annotations

from floorwalker.core import LEADERS, STAFF, SUPERVISORS, Action

from .config import NAME

VIEW = f"{NAME}.view"
OWN = f"{NAME}.own"
REPORT = f"{NAME}.report"
ROSTER_EDIT = f"{NAME}.roster.edit"
ROSTER_IMPORT = f"{NAME}.roster.import"
PUNCH_CORRECT = f"{NAME}.punch.correct"
PUNCH_IMPORT = f"{NAME}.punch.import"
EXCEPTION_RESOLVE = f"{NAME}.exception.resolve"
MARK = f"{NAME}.mark"
LEAVE_DECIDE = f"{NAME}.leave.decide"
SWAP_DECIDE = f"{NAME}.swap.decide"
EXCUSE_DECIDE = f"{NAME}.excuse.decide"
PUNCH_REQUEST_DECIDE = f"{NAME}.punch_request.decide"
HANDOVER = f"{NAME}.handover"
SETUP = f"{NAME}.setup"

ACTIONS = [
    Action(VIEW, STAFF, "See the floor, roster and records", "查看现场、排班与记录"),
    Action(OWN, STAFF + ("agent",), "Ask for leave, swaps, excuses and missed punches; see one's month",
           "申请请假、换班、考勤说明与补卡；查看本人月度"),
    Action(REPORT, STAFF, "See the monthly attendance report", "查看考勤月报"),
    Action(ROSTER_EDIT, LEADERS, "Edit a team's roster and weekly pattern", "编辑班组排班与周模板",
           writes=True),
    Action(ROSTER_IMPORT, SUPERVISORS, "Import a roster file", "导入排班文件", writes=True),
    Action(PUNCH_CORRECT, LEADERS, "Add, correct or void a punch", "补录、更正或作废打卡", writes=True),
    Action(PUNCH_IMPORT, SUPERVISORS, "Import the punch clock's export", "导入打卡机数据", writes=True),
    Action(EXCEPTION_RESOLVE, LEADERS, "Resolve a punch exception", "处理打卡异常", writes=True),
    Action(MARK, LEADERS, "Record away, covered shift or a missing handover log",
           "记录离岗、顶班或未填交接班记录", writes=True),
    Action(LEAVE_DECIDE, SUPERVISORS, "Approve or reject leave", "审批请假", writes=True),
    Action(SWAP_DECIDE, LEADERS, "Approve or reject a team's side of a swap", "审批本班组的换班",
           writes=True),
    Action(EXCUSE_DECIDE, SUPERVISORS, "Accept or refuse an excuse", "审核考勤说明", writes=True),
    Action(PUNCH_REQUEST_DECIDE, LEADERS, "Approve or reject a team's missed-punch requests",
           "审批本班组的补卡申请", writes=True),
    Action(HANDOVER, LEADERS, "Write, accept or refuse a team's handover log", "填写、接收或退回交接班记录",
           writes=True),
    Action(SETUP, SUPERVISORS, "Set up shift types and the holiday calendar", "设置班次与节假日"),
]
