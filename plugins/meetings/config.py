"""The meetings plugin's name, its words (kinds, states, the handover's headings) and its
per-project settings: the cadence of each kind of meeting (交接会, 晨会, 班务会, 月度全员大会,
质检分析会, 半年和年度总结), who chairs and who is expected, and which meetings are department
meetings (missing one without leave is the ``missed_meeting`` −10)."""

from __future__ import annotations

import re

from floorwalker.core import N_, Choice, Setting, SettingField, ValidationError

NAME = "meetings"

KINDS = {"handover": N_("Shift handover meeting"), "briefing": N_("Morning briefing"),
         "weekly": N_("Weekly team meeting"), "monthly": N_("Monthly all-agent meeting"),
         "qa_analysis": N_("QA analysis meeting"), "review": N_("Review meeting")}
# the cadence's default names, each shown as its kind in the reader's language (a title the
# leaders typed themselves is shown as typed)
DEFAULT_TITLES = {"交接会": KINDS["handover"], "晨会": KINDS["briefing"], "班务会": KINDS["weekly"],
                  "月度全员大会": KINDS["monthly"], "质检分析会": KINDS["qa_analysis"],
                  "半年总结会": N_("Half-year review meeting"), "年度总结会": N_("Annual review meeting"),
                  "总结会": KINDS["review"]}
STATES = {"planned": N_("To be held"), "held": N_("Held"), "missed": N_("Missed")}
PRESENCE = {"present": N_("Attended"), "excused": N_("Excused"), "absent": N_("Did not come")}
ITEM_STATES = {"open": N_("Not done"), "done": N_("Done"), "dropped": N_("Dropped")}
# the four headings of the shift handover minutes, each filled or marked 无 before sign-off
HANDOVER_HEADINGS = {"business": N_("Business changes"), "instructions": N_("Instructions from above"),
                     "customers": N_("Customer suggestions and complaints"),
                     "process": N_("Process and equipment changes")}
NOTHING = "无"

WHEN = (Choice("shift", "At each shift change", "每次交接班"),
        Choice("daily", "Every working day", "每个工作日"),
        Choice("weekly", "Once a week", "每周一次"),
        Choice("before_25", "The last Friday before the 25th", "每月25日前周五"),
        Choice("monthly", "Once a month, on a day", "每月固定日"),
        Choice("half_year", "End of June", "六月底（半年）"),
        Choice("annual", "End of December", "十二月底（年度）"))
CHAIRS = (Choice("team_leader", "Team leader", "班长"), Choice("supervisor", "Supervisor", "主管"),
          Choice("director", "Director", "中心主任"), Choice("qa", "QA", "质检员"),
          Choice("trainer", "Trainer", "培训专员"))
YES_NO = (Choice("yes", "Yes", "是"), Choice("no", "No", "否"))

# who is expected: every agent, the team leaders, a team, or agent numbers; the staff who attend
# besides (the director at the monthly meeting) are logins, by role
ATTENDEE_WORDS = {"agents": ("agents", "坐席"), "leaders": ("leaders", "班长")}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

DEFAULT_CADENCE = [
    {"kind": "handover", "name": "交接会", "when": "shift", "times": "08:00,16:00", "chair": "team_leader",
     "expected": "leaders", "department": "no"},
    {"kind": "briefing", "name": "晨会", "when": "daily", "times": "08:45", "chair": "team_leader",
     "expected": "agents", "department": "no"},
    {"kind": "weekly", "name": "班务会", "when": "weekly", "day": 1, "times": "16:30", "chair": "supervisor",
     "expected": "leaders", "department": "yes"},
    {"kind": "monthly", "name": "月度全员大会", "when": "before_25", "times": "14:00", "chair": "supervisor",
     "expected": "agents,leaders", "with_roles": "director", "department": "yes"},
    {"kind": "qa_analysis", "name": "质检分析会", "when": "monthly", "day": 10, "times": "15:00", "chair": "qa",
     "expected": "leaders", "department": "yes"},
    {"kind": "review", "name": "半年总结会", "when": "half_year", "times": "14:00", "chair": "director",
     "expected": "agents,leaders", "department": "yes"},
    {"kind": "review", "name": "年度总结会", "when": "annual", "times": "14:00", "chair": "director",
     "expected": "agents,leaders", "department": "yes"},
]


def times_of(row: dict) -> list[str]:
    """The clock times of a cadence row ("08:00,16:00": one meeting at each)."""
    return [t.strip() for t in str(row.get("times") or "").replace("，", ",").split(",") if t.strip()]


def attendee_tokens(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,，\s]+", str(text or "")) if t.strip()]


def check_cadence(rows) -> None:
    for n, row in enumerate(rows or (), start=1):
        if row.get("kind") not in KINDS:
            raise ValidationError(N_("Kind of meeting"), N_("row {n}: choose a kind of meeting"), n=n)
        times = times_of(row)
        if not times or not all(_TIME.match(t) for t in times):
            raise ValidationError(N_("Times"), N_("row {n}: give times as HH:MM, separated by commas"), n=n)
        if row.get("when") == "weekly" and not 1 <= int(row.get("day") or 0) <= 7:
            raise ValidationError(N_("Day"), N_("row {n}: a weekly meeting needs a weekday, 1 (Monday) to 7"), n=n)
        if row.get("when") == "monthly" and not 1 <= int(row.get("day") or 0) <= 28:
            raise ValidationError(N_("Day"), N_("row {n}: a monthly meeting needs a day from 1 to 28"), n=n)
        if not attendee_tokens(row.get("expected")):
            raise ValidationError(N_("Expected"), N_("row {n}: say who is expected"), n=n)


GROUP = {"group_en": "Meetings", "group_zh": "会议"}

SETTINGS = [
    Setting("cadence", "rows", DEFAULT_CADENCE, "Kinds of meeting and their cadence", "会议类型与频次",
            check=check_cadence,
            help_en="Expected: agents, leaders, team:<team>, or employee numbers, separated by commas. "
                    "Weekly: day 1 is Monday. Monthly: the day of the month (an off day moves to the "
                    "working day before). A department meeting scores −10 for missing it without leave.",
            help_zh="应到人员：agents（坐席）、leaders（班长）、team:班组代码，或工号，用逗号分隔。"
                    "每周：1 为周一。每月：几号（遇休息日提前到前一个工作日）。部门会议无故缺席扣10分。",
            fields=(SettingField("kind", "choice", "Kind of meeting", "会议类型",
                                 choices=tuple(Choice(k, t, z) for k, t, z in (
                                     ("handover", "Shift handover meeting", "交接会"),
                                     ("briefing", "Morning briefing", "晨会"),
                                     ("weekly", "Weekly team meeting", "班务会"),
                                     ("monthly", "Monthly all-agent meeting", "月度全员大会"),
                                     ("qa_analysis", "QA analysis meeting", "质检分析会"),
                                     ("review", "Review meeting", "总结会")))),
                    SettingField("name", "text", "Name", "名称"),
                    SettingField("when", "choice", "When", "频次", choices=WHEN),
                    SettingField("day", "int", "Day", "日", min=1, max=28, required=False),
                    SettingField("times", "text", "Times", "时间"),
                    SettingField("chair", "choice", "Chaired by", "主持人", choices=CHAIRS),
                    SettingField("expected", "text", "Expected", "应到人员"),
                    SettingField("with_roles", "text", "Also attending (roles)", "列席（角色）", required=False),
                    SettingField("department", "choice", "Department meeting", "部门会议", choices=YES_NO)),
            **GROUP),
    Setting("report_due_day", "int", 22, "Team leaders' service-quality report due by day",
            "班长月度服务质量报告截止日", min=1, max=28, **GROUP),
]
SCHEMA = {s.key: s for s in SETTINGS}
