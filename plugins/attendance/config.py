"""The attendance settings of a project.

The schema (`SETTINGS`) carries the domain's numbers as defaults; `day_settings` and
`request_rules` turn a project's resolved values into the frozen records the pure rules take.
The holiday calendar and the project's clock are the core's (``floorwalker.calendar``,
``floorwalker.projects.now``).
"""

from __future__ import annotations

from datetime import time

from floorwalker.core import N_, Setting, ValidationError

from .days import DEFAULT_LATE_BANDS, DaySettings
from .requests import DEFAULT_NOTICE_MINUTES, RequestRules

NAME = "attendance"


def _check_bands(value) -> None:
    if not isinstance(value, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, int) for v in pair)
            for pair in value):
        raise ValidationError(N_("late_bands"), N_(
            "expected a list of [from minutes, points] pairs, e.g. [[1, -2], [6, -3]]"))
    DaySettings(late_bands=tuple(map(tuple, value)))


def _check_notice(value) -> None:
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and k and isinstance(v, int) and v >= 0 for k, v in value.items()):
        raise ValidationError(N_("leave_notice_minutes"), N_(
            "expected a map of leave type to minutes of notice (0 or more), e.g. {example}"),
            example='{"personal": 1440}')


def _check_time(value) -> None:
    try:
        time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(N_("night_leave_cutoff"),
                              N_("expected a time as HH:MM, got {value!r}"), value=value) from None


SETTINGS = [
    Setting("late_bands", "json", [list(b) for b in DEFAULT_LATE_BANDS],
            "Late or early bands: [from minutes, points]", "迟到早退扣分档：[起始分钟, 分值]",
            check=_check_bands),
    Setting("disciplinary_minutes", "int", 20, "Minutes late that make a disciplinary violation",
            "迟到多少分钟算违纪", min=1),
    Setting("away_disciplinary_minutes", "int", 20, "Minutes away from the seat that make a "
            "disciplinary violation", "离岗多少分钟算违纪", min=1),
    Setting("continuous_limit_minutes", "int", 480, "Longest continuous work (minutes)",
            "连续工作时长上限（分钟）", min=60),
    Setting("overtime_tolerance_minutes", "int", 30, "Minutes beyond the continuous-work limit "
            "before a day is flagged", "超过连续工作上限多少分钟才提示", min=0),
    Setting("roll_call_minutes", "int", 10, "Arrive this many minutes before the shift for "
            "roll-call", "提前到岗点名（分钟）", min=0),
    Setting("leave_notice_minutes", "json", dict(DEFAULT_NOTICE_MINUTES),
            "Leave types and the notice each needs (minutes); add a key to add a type",
            "假别及提前申请时间（分钟）；增加一项即增加一种假别", check=_check_notice),
    Setting("night_leave_cutoff", "str", "12:00", "Night-shift leave must be asked before",
            "夜班请假须在当天几点前申请", check=_check_time),
    Setting("holiday_notice_days", "int", 2, "Days ahead for leave on a public holiday",
            "节假日请假须提前天数", min=0),
    Setting("certificate_minutes", "int", 480, "Sick leave this long needs a certificate (minutes)",
            "病假达到多少分钟须提供证明", min=1),
    Setting("supervisor_max_minutes", "int", 480, "Longest leave a supervisor approves (minutes)",
            "主管可批准的最长假期（分钟）", min=1),
    Setting("max_swaps_per_month", "int", 2, "Shift swaps per agent per month", "每人每月换班次数上限",
            min=0),
    Setting("min_rest_minutes", "int", 480, "Least rest between two shifts (minutes)",
            "两班之间最少休息（分钟）", min=0),
    Setting("attendance_target", "float", 95.0, "Attendance rate target (%)", "出勤率目标（%）",
            min=0, max=100),
    Setting("punctuality_target", "float", 95.0, "Punctuality rate target (%)", "准时率目标（%）",
            min=0, max=100),
]


def day_settings(settings: dict) -> DaySettings:
    return DaySettings(late_bands=tuple(map(tuple, settings["late_bands"])),
                       disciplinary_minutes=settings["disciplinary_minutes"],
                       continuous_limit_minutes=settings["continuous_limit_minutes"],
                       overtime_tolerance_minutes=settings["overtime_tolerance_minutes"],
                       roll_call_minutes=settings["roll_call_minutes"])


def request_rules(settings: dict) -> RequestRules:
    return RequestRules(notice_minutes=dict(settings["leave_notice_minutes"]),
                        night_shift_cutoff=time.fromisoformat(settings["night_leave_cutoff"]),
                        holiday_notice_days=settings["holiday_notice_days"],
                        certificate_minutes=settings["certificate_minutes"],
                        supervisor_max_minutes=settings["supervisor_max_minutes"],
                        max_swaps_per_month=settings["max_swaps_per_month"],
                        min_rest_minutes=settings["min_rest_minutes"])

