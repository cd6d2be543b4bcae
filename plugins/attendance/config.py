"""The attendance settings of a project.

The schema (`SETTINGS`) carries the domain's numbers as defaults; `day_settings` and
`request_rules` turn a project's resolved values into the frozen records the pure rules take.
The holiday calendar and the project's clock are the core's (``floorwalker.calendar``,
``floorwalker.projects.now``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from floorwalker.core import N_, Choice, Setting, SettingField, ValidationError, translate

from .days import DEFAULT_LATE_BANDS, DaySettings
from .requests import DEFAULT_NOTICE_MINUTES, LEAVE_TITLES, RequestRules

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



# The settings page shows these as tables of rows; the CLI still takes them as JSON.
BAND_FIELDS = (SettingField("from", "int", "From minute", "起始分钟", min=1),
               SettingField("points", "int", "Points", "扣分", min=-5, max=-2))
NOTICE_FIELDS = (
    SettingField("kind", "text", "Leave type", "假别", options=lambda floorwalker, project: [
        Choice(kind, title, translate(title, "zh_CN")) for kind, title in LEAVE_TITLES.items()]),
    SettingField("notice", "number", "Notice (hours before the shift)", "提前申请（班次开始前小时数）",
                 min=0, scale=60))


def _band_rows(value) -> list[dict]:
    return [{"from": start, "points": points} for start, points in value]


def _bands_of_rows(rows: list[dict]) -> list[list[int]]:
    return sorted([row["from"], row["points"]] for row in rows)


def _notice_rows(value) -> list[dict]:
    return [{"kind": kind, "notice": minutes} for kind, minutes in value.items()]


def _notice_of_rows(rows: list[dict]) -> dict:
    return {row["kind"]: row["notice"] for row in rows}


SETTINGS = [
    Setting("late_bands", "rows", [list(b) for b in DEFAULT_LATE_BANDS],
            "Late or early bands: from how many minutes, how many points", "迟到早退扣分档：起始分钟及扣分",
            check=_check_bands, fields=BAND_FIELDS, to_rows=_band_rows, from_rows=_bands_of_rows),
    Setting("disciplinary_minutes", "int", 20, "Minutes late that make a disciplinary violation",
            "迟到多少分钟算违纪", min=1),
    Setting("away_disciplinary_minutes", "int", 20, "Minutes away from the seat that make a "
            "disciplinary violation", "离岗多少分钟算违纪", min=1),
    Setting("continuous_limit_minutes", "int", 480, "Longest continuous work (hours)",
            "连续工作时长上限（小时）", min=60, scale=60),
    Setting("overtime_tolerance_minutes", "int", 0, "Minutes beyond the continuous-work limit "
            "before a day is flagged", "超过连续工作上限多少分钟才提示", min=0),
    Setting("roll_call_minutes", "int", 10, "Arrive this many minutes before the shift for "
            "roll-call", "提前到岗点名（分钟）", min=0),
    Setting("leave_notice_minutes", "rows", dict(DEFAULT_NOTICE_MINUTES),
            "Leave types and the notice each needs; a new row adds a type",
            "假别及提前申请时间；新增一行即增加一种假别", check=_check_notice, fields=NOTICE_FIELDS,
            to_rows=_notice_rows, from_rows=_notice_of_rows),
    Setting("night_leave_cutoff", "time", "12:00", "Night-shift leave must be asked before",
            "夜班请假须在当天几点前申请", check=_check_time),
    Setting("holiday_notice_days", "int", 2, "Days ahead for leave on a public holiday",
            "节假日请假须提前天数", min=0),
    Setting("certificate_days", "float", 1, "Sick leave of this many rostered days needs a "
            "certificate (a day is the agent's shift, whatever its length)",
            "病假达到几个排班日须提供证明（一个班次算一天，不论长短）", min=0.5),
    Setting("supervisor_max_days", "float", 1, "Longest leave a supervisor approves (rostered "
            "days); longer goes to the centre director",
            "主管可批准的最长假期（排班日），更长的由中心主任批准", min=0.5),
    Setting("max_swaps_per_month", "int", 2, "Shift swaps per agent per month", "每人每月换班次数上限",
            min=0),
    Setting("swap_max_tier_gap", "int", 1, "Swaps only between agents at most this many tiers "
            "apart (0: the same tier)", "换班双方职级最多相差几级（0 为须同级）", min=0),
    Setting("min_rest_minutes", "int", 480, "Least rest between two shifts (hours)",
            "两班之间最少休息（小时）", min=0, scale=60),
    Setting("attendance_target", "float", 95.0, "Attendance rate target (%)", "出勤率目标（%）",
            min=0, max=100),
    Setting("punctuality_target", "float", 95.0, "Punctuality rate target (%)", "准时率目标（%）",
            min=0, max=100),
    Setting("punch_request_days", "int", 3, "An agent asks for a missed punch within this many "
            "days of the day", "坐席须在几天内申请补卡", min=0),
    Setting("punch_requests_per_month", "int", 3, "Missed-punch requests per agent per month",
            "每人每月补卡申请次数上限", min=0),
]

# the headings of the settings page, in order: (English, Chinese) -> the settings under it
GROUPS = {
    ("Lateness and time at work", "迟到与工作时长"): (
        "late_bands", "disciplinary_minutes", "away_disciplinary_minutes", "roll_call_minutes",
        "continuous_limit_minutes", "overtime_tolerance_minutes", "min_rest_minutes"),
    ("Leave", "请假"): ("leave_notice_minutes", "night_leave_cutoff", "holiday_notice_days",
                        "certificate_days", "supervisor_max_days"),
    ("Swaps and missed punches", "换班与补卡"): ("max_swaps_per_month", "swap_max_tier_gap",
                                               "punch_request_days", "punch_requests_per_month"),
    ("Targets", "目标"): ("attendance_target", "punctuality_target"),
}
_GROUP_OF = {key: heading for heading, keys in GROUPS.items() for key in keys}
SETTINGS = [replace(s, group_en=_GROUP_OF[s.key][0], group_zh=_GROUP_OF[s.key][1])
            if s.key in _GROUP_OF else s for s in SETTINGS]


def day_settings(settings: dict) -> DaySettings:
    return DaySettings(late_bands=tuple(map(tuple, settings["late_bands"])),
                       disciplinary_minutes=settings["disciplinary_minutes"],
                       continuous_limit_minutes=settings["continuous_limit_minutes"],
                       overtime_tolerance_minutes=settings["overtime_tolerance_minutes"],
                       roll_call_minutes=settings["roll_call_minutes"])


# Until leave went by rostered days these two were minutes (480 a day). A project that stored
# one of them, and not yet the day count, keeps its choice: read as days of 480 minutes.
LEGACY_DAY_SETTINGS = {"certificate_days": "certificate_minutes",
                       "supervisor_max_days": "supervisor_max_minutes"}


def request_rules(settings: dict, stored: dict | None = None) -> RequestRules:
    """The leave and swap rules of *settings* (resolved); *stored*, the project's own stored
    values of this plugin, supplies the old minute settings a project has not replaced."""
    days = {key: settings[key] for key in LEGACY_DAY_SETTINGS}
    for key, old in LEGACY_DAY_SETTINGS.items():
        if stored and key not in stored and isinstance(stored.get(old), int):
            days[key] = round(stored[old] / 480, 2)
    return RequestRules(notice_minutes=dict(settings["leave_notice_minutes"]),
                        night_shift_cutoff=time.fromisoformat(settings["night_leave_cutoff"]),
                        holiday_notice_days=settings["holiday_notice_days"],
                        certificate_days=days["certificate_days"],
                        supervisor_max_days=days["supervisor_max_days"],
                        max_swaps_per_month=settings["max_swaps_per_month"],
                        swap_max_tier_gap=settings["swap_max_tier_gap"],
                        min_rest_minutes=settings["min_rest_minutes"])


def project_request_rules(fw, project: dict) -> RequestRules:
    """The leave and swap rules of *project* as it stands."""
    return request_rules(fw.projects.settings(project, NAME), project["settings"].get(NAME, {}))

