"""What people do with client reporting, and who does it by default.

Each part of the plugin declares its actions here (traffic, the contract, KPIs, staffing, the
client's issues, the report)."""

from __future__ import annotations

from floorwalker.core import STAFF, SUPERVISORS, Action

from .config import NAME

ACTIONS: list[Action] = []

# traffic (r1): the interval and agent-day figures the platforms export are the floor's own
# working data — the staff read them (team leaders see the operations reports); a client reads
# the KPIs and reports made from them, never the raw rows; the supervisors import them
TRAFFIC_VIEW = f"{NAME}.traffic"
TRAFFIC_IMPORT = f"{NAME}.traffic.import"
ACTIONS += [
    Action(TRAFFIC_VIEW, STAFF, "See the traffic (calls and chats per day and interval)",
           "查看话务数据（按日、按时段的来电与会话）"),
    Action(TRAFFIC_IMPORT, SUPERVISORS, "Import the traffic exports of the telephony and chat platforms",
           "导入话务与在线平台的话务数据"),
]

# the portal and the client's issues (r4). The landing page is every role's; an agent reads it
# only where the project allows (setting ``agents_see_reports``: the page refuses otherwise)
PORTAL = f"{NAME}.portal"
ISSUES = f"{NAME}.issues"
ISSUES_RAISE = f"{NAME}.issues.raise"
ISSUES_HANDLE = f"{NAME}.issues.handle"
ISSUES_MANAGE = f"{NAME}.issues.manage"
ISSUES_CONFIRM = f"{NAME}.issues.confirm"
ACTIONS += [
    Action(PORTAL, STAFF + ("client", "agent"), "Open the client portal and the reporting menu (an agent: where "
           "the project allows)", "打开甲方门户与报表菜单（坐席：项目允许时）"),
    Action(ISSUES, STAFF + ("client",), "See the client's issues (a client: its own, without internal notes)",
           "查看甲方问题（甲方：仅本项目，不含内部备注）"),
    Action(ISSUES_RAISE, STAFF + ("client",), "Raise a client issue (the staff: on the client's behalf)",
           "提交甲方问题（员工：代甲方登记）"),
    Action(ISSUES_HANDLE, STAFF, "Answer a client issue, record an action or an internal note",
           "答复甲方问题、登记处理措施或内部备注"),
    Action(ISSUES_MANAGE, SUPERVISORS, "Assign a client issue's owner; close it with a note",
           "指定甲方问题负责人；填写说明后关闭"),
    Action(ISSUES_CONFIRM, ("client",), "Confirm a client issue resolved, or reopen it",
           "确认甲方问题已解决，或重新打开"),
]

# staffing (r3): the Erlang C plan against the roster is the centre's own planning — the staff
# read it (team leaders included); the supervisors enter a forecast by hand. A client sees the
# report's staffing section (scheduled against required), never this page
STAFFING_VIEW = f"{NAME}.staffing"
STAFFING_FORECAST = f"{NAME}.staffing.forecast"
ACTIONS += [
    Action(STAFFING_VIEW, STAFF, "See the staffing plan (agents required by Erlang C against the roster)",
           "查看人力测算（按 Erlang C 计算的所需人数与排班对比）"),
    Action(STAFFING_FORECAST, SUPERVISORS, "Enter the traffic forecast of a day by hand",
           "手工录入某日的话务预测"),
]

# the contract and the KPIs (r2): the staff read the contract and every figure; the supervisors,
# the director and the admins change the contract and enter a figure by hand where nothing
# computes it; a client reads the targets and figures meant for it (its own contract's), never
# a KPI's owner or the project's own goals
CONTRACT_VIEW = f"{NAME}.contract"
CONTRACT_EDIT = f"{NAME}.contract.edit"
KPIS_VIEW = f"{NAME}.kpis"
KPIS_ENTER = f"{NAME}.kpis.enter"
ACTIONS += [
    Action(CONTRACT_VIEW, STAFF + ("client",), "See the contract's KPI targets, penalties and service-level formula "
           "(a client: its targets, without owners)", "查看合同的考核指标、罚则与服务水平公式（甲方：仅其指标，不含负责人）"),
    Action(CONTRACT_EDIT, SUPERVISORS, "Change the contract (a new version from a day) and the project's own targets",
           "修改合同（自某日起的新版本）与项目自身目标"),
    Action(KPIS_VIEW, STAFF + ("client",), "See the KPIs of a day, week or month against target (a client: its own "
           "figures)", "查看日、周、月的指标达成情况（甲方：仅其指标）"),
    Action(KPIS_ENTER, SUPERVISORS, "Enter a KPI by hand where nothing computes it", "在无数据来源时手工录入指标"),
]

# the client report (weekly and monthly): read by whoever opens the portal (an agent only where
# the project shows it the reports: the pages check `portal.shown_to`); published again, and
# its improvement plan written, by the supervisors
REPORT_VIEW = f"{NAME}.report"
REPORT_PUBLISH = f"{NAME}.report.publish"
ACTIONS += [
    Action(REPORT_VIEW, STAFF + ("client", "agent"), "Read the weekly and monthly client reports (an agent: where "
           "the project allows)", "查看周报与月报（坐席：项目允许时）"),
    Action(REPORT_PUBLISH, SUPERVISORS, "Publish a client report again; write its improvement plan",
           "重新发布报表；填写改进计划"),
]
