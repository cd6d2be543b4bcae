"""What people do with complaints (投诉), and who does it by default.

The centre's staff read the queue, take complaints in (whoever takes one owns it: 首问负责制)
and handle them — hand over, call back, wait on the customer or the client, propose a solution,
promise, close, reopen, escalate (追加). The supervisors decide: the verdict (成立/不成立) and the
severity, and they approve a proposed solution; they also import the handling point's lists.

A client login reads its own project's queue and complaint pages, masked: the complainant and
the contact cut short (张*, 138****5678), no agent's or staff member's name, no internal notes.
A floor agent takes complaints too (首问负责制: whoever answers the call takes it and owns it):
an agent login opens the intake form and sees and handles only the complaints it owns now —
it responds, calls back and hands over by name (`handling.AGENT_STEPS`) — until it hands them
over; it never sees anyone else's complaint, the verdict or severity controls, or the figures
and the review pack. A complaint *against* an agent reaches it through its score and its team
leader, not through the queue.
"""

from __future__ import annotations

from floorwalker.core import STAFF, SUPERVISORS, Action

from .config import NAME

VIEW = f"{NAME}.view"
FIGURES = f"{NAME}.figures"
INTAKE = f"{NAME}.intake"
HANDLE = f"{NAME}.handle"
DECIDE = f"{NAME}.decide"
IMPORT = f"{NAME}.import"

ACTIONS = [
    Action(VIEW, STAFF + ("client", "agent"), "See the complaints (a client: masked; an agent: the ones it owns)",
           "查看投诉（甲方：隐去个人信息；坐席：仅本人负责的）"),
    Action(FIGURES, STAFF + ("client",), "See the complaint figures and the monthly review pack (a client: masked)",
           "查看投诉统计与月度投诉分析（甲方：隐去个人信息）"),
    Action(INTAKE, STAFF + ("agent",), "Take a complaint in", "受理投诉"),
    Action(HANDLE, STAFF + ("agent",), "Handle a complaint: hand over, call back, wait, propose, close, reopen, "
           "escalate", "处理投诉：转交、回访、等待、提出方案、结案、重开、追加"),
    Action(DECIDE, SUPERVISORS, "Decide a complaint's verdict and severity; approve its solution",
           "判定投诉是否成立与严重程度；审批解决方案"),
    Action(IMPORT, SUPERVISORS, "Import complaints", "导入投诉"),
]
