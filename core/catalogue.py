"""The core's own contributions: the default score-rule catalogue, the score settings, the
core's actions and its commands.

Registered as the always-on plugin ``core``, by name like every built-in plugin
(`plugins.CORE_MODULE`). The numbers are the domain page's defaults; a project changes them in
its ``core`` settings (`rule_points` overrides a rule's points/range). The monthly exam's rules
(``exam_full_marks``, ``exam_below_60``) are the QA plugin's, which derives them from the exam's
imported scores. ``zero_valid_complaints`` is the complaints plugin's, derived at month close;
``missed_meeting`` the meetings plugin's, written from a meeting's attendance.
"""

from __future__ import annotations

from .errors import ValidationError
from .hookspecs import hookimpl
from .i18n import N_
from .access import CORE_ACTIONS
from .records import ScoreRule, Setting
from .setting_forms import RULE_POINT_FIELDS, points_of_rows, points_rows

_R = ScoreRule

RULES = [
    _R("best_of_month", "bonus", 5, "Best workload and quality of the whole floor this month, no violation", "当月工作量与质量为全体坐席之首且无违规", floor_award=True),
    _R("covered_shift", "bonus", 5, "Covered a shift when short-staffed", "人手不足时主动顶班"),
    _R("extra_task", "bonus", 5, "Completed extra work asked by a superior", "完成上级交办的额外任务"),
    _R("suggestion_adopted", "bonus", 5, "Suggestion adopted after a trial", "合理化建议经试行被采纳"),
    _R("no_mandarin", "light", -2, "Not speaking Mandarin at work", "工作中不讲普通话"),
    _R("messy_desk", "light", -2, "Desk left messy after handover", "交班后桌面凌乱"),
    _R("cleaning_missed", "light", -2, "Duty cleaning not done", "值日卫生未做"),
    _R("loud", "light", -2, "Loud in the work area", "工作区域大声喧哗"),
    _R("entry_error", "light", -2, "Data entry error", "数据录入错误"),
    _R("late_or_early", "light", -2, "Late, or left early", "迟到或早退", min_points=-5, max_points=-2),
    _R("handover_log_missing", "light", -5, "Handover log not filled in", "未填写交接班记录"),
    _R("complaint_reply_poor", "light", -5, "Slow or unfriendly answer to a complaint", "投诉答复不及时或态度不佳"),
    _R("away_over_5min", "light", -5, "Away from the seat over 5 minutes without telling", "未报备离岗超过5分钟"),
    _R("eating_at_seat", "light", -5, "Eating or smoking at the seat", "在座位上吃东西或吸烟"),
    _R("chatting", "light", -2, "Chatting about things unrelated to work", "闲聊与工作无关的话题", min_points=-2, max_points=-1),
    _R("task_not_done", "light", -2, "Task not carried out properly", "任务未按要求完成", min_points=-5, max_points=-2),
    _R("spot_check_error", "light", -2, "Supervisor's spot check, per error", "主管抽查差错（每处）", min_points=-5, max_points=-2),
    _R("incident_late_1_10", "light", -5, "Incident handled 1–10 minutes past its time limit", "事件处理超时1–10分钟"),
    _R("games_at_work", "medium", -10, "Films or games at work", "工作时间看视频或玩游戏"),
    _R("workload_falsified", "medium", -10, "Workload records falsified", "虚报工作量"),
    _R("anomaly_unreported", "medium", -10, "An anomaly not reported", "发现异常未上报"),
    _R("unapproved_software", "medium", -10, "Software installed without approval", "私自安装软件"),
    _R("skipped_items", "medium", -10, "Open items skipped", "遗漏待办事项"),
    _R("incident_late_11_30", "medium", -10, "Incident 11–30 minutes past its time limit", "事件处理超时11–30分钟"),
    _R("absent", "severe", -20, "Absent without leave", "旷工"),
    _R("quarrel_with_customer", "severe", -20, "Quarrel with a customer (valid complaint)", "与客户争吵（投诉成立）"),
    _R("outsider_brought_in", "severe", -20, "An outsider brought into the work area", "带外人进入工作区域"),
    _R("equipment_taken", "severe", -20, "Equipment taken out without permission", "私自带出设备"),
    _R("incident_late_over_30", "severe", -20, "Incident over 30 minutes past its time limit", "事件处理超时30分钟以上"),
    _R("asleep_on_duty", "dismissal", 0, "Asleep on duty", "上班睡觉", flags_dismissal=True),
    _R("line_off_hook", "dismissal", 0, "Line left off-hook so customers cannot get through", "故意摘机致客户无法接通", flags_dismissal=True),
    _R("forming_cliques", "dismissal", 0, "Forming cliques that harm the team", "拉帮结派破坏团队", flags_dismissal=True),
    _R("abuse_of_position", "dismissal", 0, "Abuse of position for personal gain", "利用职务谋取私利", flags_dismissal=True),
    _R("leader_judgement", "judgement", 0, "Team leader's judgement of the month", "班长月度评议", min_points=-5, max_points=5, reason_required=True, once_a_month=True),
    _R("duties_failed", "escalation", -20, "2+ medium or 4+ light violations in the month", "当月2次及以上中度或4次及以上轻度违纪", derived=True),
    _R("adjustment", "adjustment", 0, "Adjustment for a closed month", "已结账月份的更正", min_points=-110, max_points=110, reason_required=True),
]



def check_rule_points(value) -> None:
    """`rule_points` maps a rule code to whole points or a [low, high] pair of them."""
    def whole(v):
        return isinstance(v, int) and not isinstance(v, bool)

    if not isinstance(value, dict):
        raise ValidationError("rule_points", N_("expected an object of rule codes, got {value!r}"),
                              value=value)
    for code, points in value.items():
        if not (whole(points) or (isinstance(points, (list, tuple)) and len(points) == 2
                                  and all(map(whole, points)))):
            raise ValidationError("rule_points",
                                  N_("{code}: expected whole points or [low, high], got {value!r}"),
                                  code=code, value=points)


SETTINGS = [
    Setting("base_score", "int", 80, "Base score of the month", "月初基础分", min=0, max=200),
    Setting("cap", "int", 110, "Full marks (a higher total counts as this)", "满分（超出按满分计）", min=1, max=300),
    Setting("escalation_medium", "int", 2, "Medium violations that trigger the escalation", "触发加扣的中度违纪次数", min=1, max=50),
    Setting("escalation_light", "int", 4, "Light violations that trigger the escalation", "触发加扣的轻度违纪次数", min=1, max=50),
    Setting("escalation_points", "int", -20, "Points of the escalation", "加扣分值", min=-100, max=0),
    Setting("floor_awards", "int", 1, "Best-of-the-floor awards a month (the whole project)",
            "每月“全体坐席之首”名额（全项目）", min=1, max=10),
    Setting("rule_points", "rows", {}, "Points of rules, overriding the catalogue",
            "考核项分值调整（覆盖默认分值）", check=check_rule_points, fields=RULE_POINT_FIELDS,
            to_rows=points_rows, from_rows=points_of_rows),
    Setting("show_agent_names_to_client", "bool", False, "Show agent names to the client", "向甲方显示坐席姓名"),
    Setting("show_contacts_to_client", "bool", False, "Show customer contact data to the client", "向甲方显示客户联系方式"),
]


@hookimpl
def register_score_rules():
    return RULES


@hookimpl
def register_settings():
    return SETTINGS


@hookimpl
def register_actions():
    return CORE_ACTIONS


@hookimpl(tryfirst=True)  # the core's commands first, so a plugin's cannot take their names
def register_commands(cli):
    from .commands import company, imports, install, jobs, scores, store, tokens

    for module in (install, company, scores, imports, jobs, tokens, store):
        for command in module.COMMANDS:
            cli.add_command(command)
