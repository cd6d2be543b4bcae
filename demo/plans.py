"""What the demo company is made of: its projects, the names of its people, how each conduct
profile fares in a month, and the realistic reasons a floor records.

Pure data and the demo's calendar (`demo_months`, `weekdays`); the builders read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import validate

COMPANY = "远航客服外包有限公司（演示）"
PASSWORD_LENGTH = 10
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I
NEW_HIRE_DAYS = 60
HISTORY_DAYS = 730

SURNAMES = ("王王李李张张刘刘陈陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
GIVEN_NAMES = (
    "子涵 欣怡 梓萱 浩宇 雨欣 佳怡 思琪 嘉怡 子豪 俊杰 宇轩 诗涵 一鸣 晨曦 梦瑶 志强 海峰 丽娟 "
    "文静 婷婷 明辉 家豪 雅琴 晓燕 建华 春梅 振宇 凯文 思远 雨桐 佳琪 若曦 泽宇 鑫 婧 昊 颖 磊 "
    "洋 倩 静 敏 超 芳 娜 丹 亮 涛 慧 璐 悦 航 博文 天佑 紫怡 心怡 浩然 子轩 艺涵 欣妍 晓彤 "
    "佳慧 美玲 秀英 桂芳 玉兰 国强 建军 伟 芳芳 雪梅 彤 琳 瑞 杰 帆 萌 宁 薇 晓东 俊熙"
).split()


@dataclass(frozen=True)
class DemoProject:
    """One client engagement of the demo, with what makes its floor its own."""

    slug: str
    client: str
    name: str
    channels: tuple[str, ...]
    prefix: str
    kpi_targets: dict
    teams: tuple[tuple[str, str, int], ...]  # (slug, name, agents)
    leavers: tuple[str, ...]  # leave reasons, one per leaver
    movers: int
    spot_checks: tuple[str, ...]  # what the supervisor's spot check finds on this floor


PROJECTS = (
    DemoProject(
        "shop", "优品汇电子商务有限公司", "优品汇在线客服", ("chat",), "S1",
        {"first_response_seconds": 20.0, "aht_seconds": 420.0, "answer_rate": 0.98,
         "satisfaction": 0.96, "conversion_rate": 0.45, "average_order_value": 168.0},
        (("presale-a", "售前一组", 13), ("presale-b", "售前二组", 12), ("aftersale", "售后组", 11),
         ("night", "夜班组", 8)),
        ("resigned", "contract_end"), 1,
        ("催付话术使用不当", "回复中出现错别字", "未按要求备注订单", "未主动推荐关联商品", "退换货政策解释有误")),
    DemoProject(
        "telecom", "华联通信股份有限公司", "华联通信客服热线", ("voice",), "T2",
        {"service_level": 0.8, "service_level_seconds": 20.0, "answer_rate": 0.95,
         "aht_seconds": 240.0, "satisfaction": 0.96},
        (("day-a", "早班一组", 16), ("day-b", "早班二组", 16), ("night", "夜班组", 12)),
        ("resigned", "dismissed"), 1,
        ("套餐资费解释有误", "未按流程登记故障工单", "未核实机主身份即办理业务", "结束语不规范")),
    DemoProject(
        "bank", "东方汇通银行信用卡中心", "东方汇通信用卡客服热线", ("voice",), "B3",
        {"service_level": 0.85, "service_level_seconds": 20.0, "answer_rate": 0.97,
         "aht_seconds": 300.0, "satisfaction": 0.96},
        (("day-a", "白班一组", 12), ("day-b", "白班二组", 12), ("night", "夜班组", 8)),
        ("resigned",), 0,
        ("未完整核实持卡人身份", "分期手续费告知不完整", "挂失流程操作有误", "未提示交易风险")),
)

# Rules a floor records by hand: code -> (how often it turns up, realistic reasons).
LIGHT = {
    "late_or_early": (30, ()),  # reason and points follow from the minutes, see _points_and_reason
    "chatting": (12, ("与邻座闲聊购物话题", "接待间隙聊天影响他人", "在工位讨论与工作无关的话题")),
    "spot_check_error": (12, ()),  # the project's own spot-check findings
    "entry_error": (9, ("客户手机号录入错误", "工单地址录入有误", "服务记录分类选错")),
    "messy_desk": (6, ("交班后桌面堆放水杯和零食", "交班后耳麦、资料未归位")),
    "handover_log_missing": (6, ("交接班记录未填写", "交接班记录缺少未结事项")),
    "away_over_5min": (5, ("未报备离岗约8分钟", "未报备离岗12分钟")),
    "task_not_done": (5, ("未按要求完成当日回访任务", "知识库更新未按时学习确认")),
    "loud": (4, ("在工作区大声打电话", "工作区域大声说笑")),
    "eating_at_seat": (3, ("在座位上吃早餐", "在工位吃零食")),
    "cleaning_missed": (3, ("值日未打扫工位区域", "值日未倒垃圾")),
    "complaint_reply_poor": (3, ("投诉回复超时", "答复投诉客户语气生硬")),
    "incident_late_1_10": (2, ("工单处理超时约5分钟",)),
    "no_mandarin": (1, ("工作时间使用方言交流",)),
}
MEDIUM = {
    "exam_below_60": (3, ("月度业务考试52分", "月度业务考试成绩不及格")),
    "games_at_work": (2, ("工作时间用手机看视频",)),
    "skipped_items": (2, ("遗漏待回访客户3位",)),
    "incident_late_11_30": (2, ("工单处理超时约20分钟",)),
    "anomaly_unreported": (1, ("系统异常未及时上报班长",)),
    "unapproved_software": (1, ("私自安装聊天软件",)),
}
SEVERE = {
    "absent": (3, ("未请假未到岗（旷工一天）",)),
    "quarrel_with_customer": (2, ("与客户发生争执，投诉成立",)),
    "incident_late_over_30": (1, ("紧急工单超时40分钟未处理",)),
}
BONUS = {
    "covered_shift": (4, ("周末人手不足主动顶班", "同事病假时主动加班顶岗")),
    "extra_task": (4, ("协助整理知识库常见问题", "协助带教新员工", "完成活动期间临时外呼任务")),
    "exam_full_marks": (2, ("月度业务考试满分",)),
    "suggestion_adopted": (1, ("优化快捷回复话术的建议被采纳", "工单分类改进建议试行后采纳")),
}
BEST_OF_MONTH = "当月接待量与质检成绩全体坐席第一，且当月无违规"
# The team leaders' months, assessed by the trainer: what is recorded against a leader, and why.
LEADER_EVENTS = {
    "extra_task": ("组织本班组新业务培训", "协助主管完成月度质检分析", "带教两名新员工顺利上岗"),
    "suggestion_adopted": ("排班表模板优化建议被采纳",),
    "handover_log_missing": ("交接班记录缺少人员调班情况",),
    "task_not_done": ("班组服务质量分析报告晚于22日提交",),
}
LEADER_PRAISE = ("班组本月无有效投诉，晨会组织到位", "带班认真，高峰期调度合理", "班组质检成绩提升明显")
LEADER_CRITICISM = ("班组本月迟到较多，点名点评流于形式", "交接班管理不严，需加强")
EXCUSED = "已补交请假手续，撤销该记录"
PRAISE = ("主动帮助新人熟悉系统，带教认真", "本月工作积极主动，获客户表扬", "服务态度好，质检成绩稳定",
          "高峰期主动延长在线时间")
CRITICISM = ("本月工作状态不佳，多次需要提醒", "团队协作意识不足", "对班组安排有抵触情绪",
             "业务知识掌握不牢，需加强学习")
REVERSAL_REASONS = ("复核录音后确认非本人责任，撤销扣分", "考勤系统数据异常，已核实按时到岗",
                    "已补交请假手续，撤销该记录", "记录人员录入对象有误，撤销")


@dataclass(frozen=True)
class Behaviour:
    """How an agent of a conduct profile fares in a month."""

    lights: tuple[int, int]
    medium: float  # chance of a medium violation
    severe: float
    bonuses: tuple[int, int]
    judgement: tuple[int, int]  # the leader's points, drawn within
    judged: float  # chance the leader gives a judgement


BEHAVIOURS = {
    "star": Behaviour((0, 1), 0.0, 0.0, (1, 3), (2, 5), 0.8),
    "good": Behaviour((0, 1), 0.02, 0.0, (0, 1), (0, 3), 0.3),
    "average": Behaviour((0, 2), 0.05, 0.0, (0, 1), (-2, 2), 0.3),
    "struggling": Behaviour((1, 3), 0.15, 0.02, (0, 0), (-3, 0), 0.6),
    "troubled": Behaviour((4, 6), 0.5, 0.4, (0, 0), (-5, -2), 0.9),
}
# A real floor has one or two agents below 60 in a month: the troubled ones (two a floor, never a
# new hire); every other month is kept at 60 or above (`scores.ScoreHistory.calibrate`).
FAILING_BELOW = 60
PROBATION_CASES = "shop"  # the floor whose pay sheet shows the probation and leaving flags
# Share of each profile on a floor; "good" takes the rest.
QUOTAS = {"troubled": 0.05, "struggling": 0.10, "star": 0.12, "average": 0.25}


def demo_months(today: dt.date) -> list[str]:
    """The three full months before *today*'s month, then *today*'s month, oldest first."""
    first = today.replace(day=1)
    months = [first.isoformat()[:7]]
    for _ in range(3):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, first.isoformat()[:7])
    return months


def weekdays(month: str, until: dt.date) -> list[str]:
    """Monday to Friday of *month*, up to *until*."""
    first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
    days = (first + dt.timedelta(days=i) for i in range((min(last, until) - first).days + 1))
    return [d.isoformat() for d in days if d.weekday() < 5]


def leader_login(project: str, team: str) -> str:
    return f"{project}.lead.{team}"


def trainer_login(project: str) -> str:
    return f"{project}.trainer"
