"""The traffic import (话务数据导入): telephony (ACD) and chat-platform exports, .csv/.xlsx, read
through the core's reader and remembered mappings, checked all or nothing, then `traffic.replace`.

A file holds one row per interval (a start time: ``08:00``, ``08:00-08:30``,
``2026-11-03 08:00``), per agent-day (an agent number and no start) or per queue-day. Headings are
recognised in Chinese and English as the platforms write them (呼入量/来电量, 接通量/应答量,
20秒内接通 — whose 20 is the threshold —, 放弃量/呼损量, 通话时长, 满意度评价数, 会话量/接待量,
询单人数, 下单人数, 销售额 … Offered, Answered, Answered within SL, Abandoned, Talk time, AHT);
a column not known is left alone, a title row above the header and a totals row (合计) skipped.

Durations come as the systems write them — seconds (``205``), ``00:03:25``, ``3:25``,
``3分25秒`` — as a total, or as an average (平均通话时长, AHT, 平均首次响应时长), which is
multiplied by the row's answered calls (chat: its sessions) to store the total. Satisfaction is
satisfied ÷ responses: a file with only a percentage (满意度 96%) and the responses gives
satisfied = round(share × responses), counted in the preview; an average rating (评分 4.8) is
no share and is refused.

All or nothing: the first bad row stops the import naming its row and column (a preview lists
every refused row); a day of a closed month or after today is refused. Importing a day again
replaces it, per queue.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from floorwalker.core import (N_, NUMBER_NAMES, Checks, Fields, Importer, ValidationError, mappings,
                              match_columns, validate, values)

from . import contracts, measures, traffic
from .actions import TRAFFIC_IMPORT
from .config import NAME

IMPORTER = f"{NAME}.traffic"
COLUMNS = {
    "day": ("day", "日期", "统计日期", "日期(天)", "date", "report date"),
    "start": ("start", "时段", "时间段", "开始时间", "时间", "统计时段", "时段开始", "interval",
              "interval start", "start time", "time", "half hour"),
    "minutes": ("minutes", "时段长度", "时段长度(分钟)", "间隔(分钟)", "interval minutes", "interval length"),
    "queue": ("queue", "队列", "技能组", "业务线", "队列名称", "技能组名称", "skill", "skill group", "split"),
    "agent": ("agent", "坐席工号", "坐席", "客服工号", "客服账号", *NUMBER_NAMES, "agent id", "agent number"),
    "offered": ("offered", "呼入量", "来电量", "进线量", "呼入数", "来电数", "人工呼入量", "calls offered",
                "incoming calls", "contacts offered"),
    "answered": ("answered", "接通量", "应答量", "接听量", "人工接通量", "接通数", "calls answered",
                 "contacts handled", "handled"),
    "answered_in_threshold": ("answered_in_threshold", "服务水平内接通", "服务水平内接通量", "阈值内接通",
                              "answered within sl", "answered within threshold", "answered in sl"),
    "threshold": ("threshold", "服务水平阈值", "阈值(秒)", "sl threshold", "threshold seconds"),
    "abandoned": ("abandoned", "放弃量", "呼损量", "放弃数", "呼损数", "calls abandoned", "abandons"),
    "abandoned_short": ("abandoned_short", "短时放弃", "短时放弃量", "短时呼损", "short abandons",
                        "abandoned short", "short abandoned"),
    "abandoned_in_threshold": ("abandoned_in_threshold", "服务水平内放弃", "阈值内放弃",
                               "abandoned within sl", "abandoned within threshold"),
    "talk": ("talk", "通话时长", "总通话时长", "通话总时长", "talk time", "total talk time", "talk seconds"),
    "hold": ("hold", "保持时长", "总保持时长", "hold time", "total hold time", "hold seconds"),
    "wrap": ("wrap", "话后处理时长", "话后时长", "事后处理时长", "整理时长", "wrap time", "acw",
             "after-call work", "wrap seconds"),
    "avg_talk": ("avg_talk", "平均通话时长", "average talk time", "avg talk time", "att"),
    "avg_hold": ("avg_hold", "平均保持时长", "average hold time", "avg hold time"),
    "avg_wrap": ("avg_wrap", "平均话后处理时长", "平均话后时长", "average acw", "avg acw", "avg wrap time"),
    "aht": ("aht", "平均处理时长", "AHT", "average handle time", "avg handle time"),
    "transfers": ("transfers", "转接量", "转接数", "转出量", "transferred"),
    "csat_responses": ("csat_responses", "满意度评价数", "参评量", "参评数", "评价数", "评价量",
                       "survey responses", "csat responses", "responses"),
    "csat_satisfied": ("csat_satisfied", "满意数", "满意量", "满意评价数", "satisfied", "csat satisfied"),
    "csat_share": ("csat_share", "满意度", "满意率", "客户满意度", "satisfaction", "csat", "csat %"),
    "rating": ("rating", "平均评分", "满意度评分", "评分", "平均分", "average rating", "avg rating"),
    "fcr_responses": ("fcr_responses", "一次解决评价数", "一次解决参评量", "fcr responses"),
    "fcr_resolved": ("fcr_resolved", "一次解决数", "首次解决数", "一次解决量", "fcr resolved"),
    "chat_sessions": ("chat_sessions", "会话量", "接待量", "接待会话数", "咨询量", "会话数", "sessions",
                      "chat sessions", "chats"),
    "seats": ("seats", "坐席数", "在线坐席数", "客服人数", "在线客服数", "seats", "agents online"),
    "first_response": ("first_response", "首次响应总时长", "首响总时长", "total first response time"),
    "avg_first_response": ("avg_first_response", "首次响应时长", "平均首次响应时长", "首响时长",
                           "平均首响时长", "first response time", "avg first response time"),
    "inquiries": ("inquiries", "询单人数", "咨询人数", "询单量", "inquiries", "inquiring buyers"),
    "orders": ("orders", "下单人数", "成交人数", "询单成交人数", "下单量", "orders", "buyers"),
    "order_value": ("order_value", "销售额", "成交金额", "询单成交金额", "销售金额", "order value",
                    "sales", "gmv"),
}
# "20秒内接通", "Answered within 20s": the heading carries the threshold
_WITHIN = re.compile(r"^(\d{1,3})\s*(?:秒|s|sec|seconds)\s*内\s*(接通|应答|接听|放弃)(?:量|数)?$|"
                     r"^(answered|abandoned)\s+(?:within|in)\s+(\d{1,3})\s*(?:s|sec|secs|seconds)$",
                     re.IGNORECASE)
_SHORT_LIMIT = 10  # "5秒内放弃": abandons within a few seconds are the short ones
MEASURES = ("offered", "answered", "chat_sessions", "inquiries", "answered_in_threshold")
FIELDS = Fields(COLUMNS, tuple((d, m) for d in ("day", "start") for m in MEASURES[:4]), titles={
    "day": ("date", "日期"), "start": ("interval start", "时段"), "minutes": ("interval length", "时段长度"),
    "queue": ("queue", "队列"), "agent": ("agent number", "坐席工号"), "offered": ("offered", "呼入量"),
    "answered": ("answered", "接通量"), "answered_in_threshold": ("answered within threshold", "服务水平内接通"),
    "threshold": ("threshold (seconds)", "服务水平阈值"), "abandoned": ("abandoned", "放弃量"),
    "abandoned_short": ("short abandons", "短时放弃"), "abandoned_in_threshold": ("abandoned within threshold",
                                                                                 "服务水平内放弃"),
    "talk": ("talk time", "通话时长"), "hold": ("hold time", "保持时长"), "wrap": ("after-call work", "话后处理时长"),
    "avg_talk": ("average talk time", "平均通话时长"), "avg_hold": ("average hold time", "平均保持时长"),
    "avg_wrap": ("average after-call work", "平均话后处理时长"), "aht": ("AHT", "平均处理时长"),
    "transfers": ("transfers", "转接量"), "csat_responses": ("satisfaction responses", "满意度评价数"),
    "csat_satisfied": ("satisfied", "满意数"), "csat_share": ("satisfaction", "满意度"),
    "rating": ("average rating", "平均评分"), "fcr_responses": ("FCR responses", "一次解决评价数"),
    "fcr_resolved": ("resolved at first contact", "一次解决数"), "chat_sessions": ("chat sessions", "会话量"),
    "seats": ("seats", "坐席数"), "first_response": ("total first-response time", "首次响应总时长"),
    "avg_first_response": ("first-response time", "首次响应时长"), "inquiries": ("inquiries", "询单人数"),
    "orders": ("orders", "下单人数"), "order_value": ("order value", "销售额")})
COUNT_KEYS = ("offered", "answered", "answered_in_threshold", "abandoned", "abandoned_short",
              "abandoned_in_threshold", "transfers", "csat_responses", "csat_satisfied", "fcr_responses",
              "fcr_resolved", "chat_sessions", "seats", "inquiries", "orders")
TOTAL_SECONDS = {"talk": "talk_seconds", "hold": "hold_seconds", "wrap": "wrap_seconds",
                 "first_response": "first_response_seconds"}
AVERAGE_SECONDS = {"avg_talk": "talk_seconds", "avg_hold": "hold_seconds", "avg_wrap": "wrap_seconds",
                   "avg_first_response": "first_response_seconds"}
_BLANK = frozenset(("", "-", "--", "—", "/", "n/a", "na", "null"))
_RANGE = re.compile(r"^(.*?\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)\s*(?:-|~|～|—|–|至|到)\s*"
                    r"(\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)$")
_DURATION_CN = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h))?\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|m|min))?"
                          r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒钟|秒|s|sec))?$", re.IGNORECASE)
_DAYS = re.compile(r"^(\d+)\s+days?,\s*(.+)$")


def _blank(text) -> bool:
    return values.plain(text).lower() in _BLANK


def parse_duration(text) -> int | None:
    """Seconds of a duration as exports write it: ``205``, ``205.4``, ``00:03:25``, ``3:25``
    (minutes and seconds), ``125:03:10``, ``3分25秒``, ``1小时2分``, ``3m25s``, ``1 day, 2:03:04``;
    None for a blank cell; ValueError for anything else."""
    value = values.plain(text).replace("：", ":")
    if value.lower() in _BLANK:
        return None
    days = 0
    more = _DAYS.match(value)
    if more:
        days, value = int(more.group(1)), more.group(2)
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return days * 86400 + round(float(value))
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2}(\.\d+)?)?", value):
        parts = [float(p) for p in value.split(":")]
        if any(p >= 60 for p in parts[1:]):
            raise ValueError(value)
        seconds = parts[0] * 3600 + parts[1] * 60 + parts[2] if len(parts) == 3 else parts[0] * 60 + parts[1]
        return days * 86400 + round(seconds)
    match = _DURATION_CN.match(value)
    if match and any(match.groups()):
        h, m, s = (float(g or 0) for g in match.groups())
        return days * 86400 + round(h * 3600 + m * 60 + s)
    raise ValueError(value)


def _number(text) -> float | None:
    value = values.plain(text).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    value = value.removesuffix("元").strip()
    if value.lower() in _BLANK:
        return None
    return float(value)  # ValueError for anything else


def _threshold_of(heading: str) -> tuple[str, int] | None:
    """(what, seconds) of a heading that carries its threshold: 20秒内接通 → (answered, 20)."""
    match = _WITHIN.match(values.plain(heading))
    if not match:
        return None
    if match.group(1):
        what = "abandoned" if match.group(2) == "放弃" else "answered"
        return what, int(match.group(1))
    return match.group(3).lower(), int(match.group(4))


def columns(header) -> tuple[dict, int | None]:
    """Which heading holds each column, and the threshold a heading carries (20秒内接通).
    A file that names none of the measures is refused naming the columns it needs."""
    found = FIELDS.match(list(header), getattr(header, "chosen", None))
    threshold = None
    taken = set(found.values())
    for h in header:
        if not h or h in taken:
            continue
        within = _threshold_of(h)
        if within is None:
            continue
        what, seconds = within
        if what == "answered" and "answered_in_threshold" not in found:
            found["answered_in_threshold"], threshold = h, seconds
        elif what == "abandoned" and seconds <= _SHORT_LIMIT and "abandoned_short" not in found:
            found["abandoned_short"] = h
        elif what == "abandoned" and "abandoned_in_threshold" not in found:
            found["abandoned_in_threshold"] = h
    within = _threshold_of(found["answered_in_threshold"]) if "answered_in_threshold" in found else None
    if within is not None and within[0] == "answered":  # a saved mapping chose 20秒内接通
        threshold = within[1]
    if not FIELDS.complete(found):
        match_columns(header, FIELDS, ("day" if "start" not in found else "start", "offered"))
    return found, threshold


class _Checker:
    """Turns a file's rows into traffic rows, naming the row and column of the first wrong one."""

    def __init__(self, fw, project: dict, col: dict, threshold: int | None):
        self.project, self.col = project, col
        targets = project.get("kpi_targets") or {}
        self.threshold = threshold or (int(targets["service_level_seconds"])
                                       if targets.get("service_level_seconds") else None)
        self.closed = fw.store.closed_months(project["slug"])
        self.today = fw.projects.today(project)
        self.derived = 0  # rows whose satisfied count came from a percentage
        self.skipped = 0  # subtotal rows in the middle of the file

    def text(self, cells: dict, key: str) -> str:
        return cells.get(self.col[key], "") if key in self.col else ""

    def row(self, row: int, cells: dict) -> dict | None:
        if any(re.match(r"^(合计|总计|小计|汇总|total|subtotal)\b", values.plain(self.text(cells, k)), re.I)
               for k in ("day", "start", "queue", "agent")):
            self.skipped += 1
            return None
        day, start, minutes = self._when(row, cells)
        out = {"day": day, "start": start, "minutes": minutes, "row": row,
               "queue": validate.text(values.plain(self.text(cells, "queue")), self.col.get("queue", "queue"),
                                      validate.NAME_LIMIT),
               "agent": values.employee_number(self.text(cells, "agent")) or None,
               "threshold_seconds": self.threshold}
        if "threshold" in self.col:
            given = self._count(row, cells, "threshold")
            out["threshold_seconds"] = given if given is not None else self.threshold
        for key in COUNT_KEYS:
            out[key] = self._count(row, cells, key)
        for key, field in TOTAL_SECONDS.items():
            out[field] = self._seconds(row, cells, key)
        base = out["answered"] if out["answered"] is not None else out["chat_sessions"]
        chat_base = out["chat_sessions"] if out["chat_sessions"] is not None else out["answered"]
        for key, field in AVERAGE_SECONDS.items():
            average = self._seconds(row, cells, key)
            if average is not None and out[field] is None:
                out[field] = self._times(row, key, average, chat_base if key == "avg_first_response" else base)
        aht = self._seconds(row, cells, "aht")
        if aht is not None and out["talk_seconds"] is None:  # talk is what the handle time leaves
            handle = self._times(row, "aht", aht, base)
            out["talk_seconds"] = max(0, handle - (out["hold_seconds"] or 0) - (out["wrap_seconds"] or 0))
        value = self.text(cells, "order_value")
        try:
            out["order_value"] = _number(value)
        except ValueError:
            raise ValidationError(self.col["order_value"], N_("expected an amount in yuan, got {value!r}"),
                                  row=row, value=value) from None
        self._satisfaction(row, cells, out)
        for field, message, params in traffic.problems(out):
            raise ValidationError(self._heading(field), message, row=row,
                                  **{**params, "whole": self._heading(params.get("whole", ""))})
        return out

    def _heading(self, field: str) -> str:
        key = {v: k for k, v in TOTAL_SECONDS.items()}.get(field, field)
        return self.col.get(key) or self.col.get({"talk": "avg_talk"}.get(key, key)) or field

    def _when(self, row: int, cells: dict) -> tuple[str, str | None, int | None]:
        start_text = self.text(cells, "start")
        day_text = self.text(cells, "day")
        start, end, at = None, None, None
        if not _blank(start_text):
            ranged = _RANGE.match(values.plain(start_text))
            first = ranged.group(1) if ranged else start_text
            at = values.parse_datetime(first)
            clock = at.time() if at else values.parse_clock(first)
            end = values.parse_clock(ranged.group(2)) if ranged else None
            if clock is None or (ranged and end is None):
                raise ValidationError(self.col["start"], N_("expected a time as HH:MM or HH:MM-HH:MM, "
                                                            "got {value!r}"), row=row, value=start_text)
            start = clock.strftime("%H:%M")
        day = values.parse_date(day_text) if not _blank(day_text) else (at.date() if at else None)
        moment = values.parse_datetime(day_text) if day is None and not _blank(day_text) else None
        if moment is not None:  # 日期 holding the interval's start too (2026-11-03 08:00)
            day = moment.date()
            if start is None and "start" not in self.col and moment.time() != dt.time():
                start = moment.strftime("%H:%M")
        if day is None:
            column = self.col.get("day") or self.col.get("start")
            raise ValidationError(column, N_("expected a date as YYYY-MM-DD, got {value!r}"), row=row,
                                  value=day_text or start_text)
        if day.isoformat()[:7] in self.closed:
            raise ValidationError(self.col.get("day") or self.col["start"],
                                  N_("{month} of project {project} is closed: nothing in it can change"),
                                  row=row, month=day.isoformat()[:7], project=self.project["slug"])
        if day > self.today:
            raise ValidationError(self.col.get("day") or self.col["start"],
                                  N_("{date} is after today on the floor"), row=row, date=day.isoformat())
        minutes = None
        if start is not None:
            minutes = self._count(row, cells, "minutes") if "minutes" in self.col else None
            if minutes is None and end is not None:
                minutes = ((end.hour * 60 + end.minute) - (int(start[:2]) * 60 + int(start[3:]))) % 1440
            if minutes is not None and minutes not in traffic.MINUTES:
                raise ValidationError(self.col.get("minutes") or self.col["start"],
                                      N_("an interval lasts 15, 30 or 60 minutes, got {value}"),
                                      row=row, value=minutes)
        return day.isoformat(), start, minutes

    def _count(self, row: int, cells: dict, key: str) -> int | None:
        value = self.text(cells, key)
        try:
            number = _number(value)
        except ValueError:
            number = -1.5
        if number is None:
            return None
        if number < 0 or not float(number).is_integer():
            raise ValidationError(self.col[key], N_("expected a whole number, got {value!r}"), row=row,
                                  value=value)
        return int(number)

    def _seconds(self, row: int, cells: dict, key: str) -> int | None:
        value = self.text(cells, key)
        try:
            return parse_duration(value)
        except ValueError:
            raise ValidationError(self.col[key], N_("expected a duration as seconds, MM:SS or HH:MM:SS, "
                                                    "got {value!r}"), row=row, value=value) from None

    def _times(self, row: int, key: str, average: int, base: int | None) -> int:
        if base is None:
            raise ValidationError(self.col[key], N_("an average needs the number of calls or sessions "
                                                    "in the row to make a total"), row=row)
        return average * base

    def _satisfaction(self, row: int, cells: dict, out: dict) -> None:
        share_text = self.text(cells, "csat_share")
        if out["csat_satisfied"] is not None or _blank(share_text):
            if out["csat_satisfied"] is None and not _blank(self.text(cells, "rating")):
                self._refuse_rating(row, "rating", self.text(cells, "rating"))
            return
        try:
            share = _number(share_text.replace("%", "").replace("％", ""))
        except ValueError:
            raise ValidationError(self.col["csat_share"], N_("expected a percentage, got {value!r}"),
                                  row=row, value=share_text) from None
        percent = "%" in share_text or "％" in share_text
        if not percent and 1 < share <= 5:
            self._refuse_rating(row, "csat_share", share_text)
        share = share / 100 if percent or share > 1 else share
        if share > 1:
            raise ValidationError(self.col["csat_share"], N_("expected a percentage, got {value!r}"),
                                  row=row, value=share_text)
        if out["csat_responses"] is None:
            raise ValidationError(self.col["csat_share"], N_("a satisfaction percentage needs the number "
                                                             "of responses beside it (参评量)"), row=row)
        out["csat_satisfied"] = round(share * out["csat_responses"])
        self.derived += 1

    def _refuse_rating(self, row: int, key: str, value: str) -> None:
        raise ValidationError(self.col[key], N_("{value!r} is an average rating, not a share: satisfaction "
                                                "is the satisfied responses over all responses; import "
                                                "the numbers of responses and of satisfied ones"),
                              row=row, value=value)


def _fill_minutes(docs: list[dict]) -> None:
    """The length of intervals the file does not give: the smallest step between the starts of
    a day's queue (or agent), else the file's most common length, else 30 minutes."""
    groups: dict[tuple, list[dict]] = {}
    for d in docs:
        if d["start"] and d["minutes"] is None:
            groups.setdefault((d["day"], d["queue"], d["agent"]), []).append(d)
    known = [d["minutes"] for d in docs if d["minutes"]]
    fallback = max(set(known), key=known.count) if known else 30
    for found in groups.values():
        starts = sorted({int(d["start"][:2]) * 60 + int(d["start"][3:]) for d in found})
        steps = [b - a for a, b in zip(starts, starts[1:]) if b > a]
        step = min(steps) if steps else fallback
        if step not in traffic.MINUTES:
            first = min(found, key=lambda d: d["row"])
            raise ValidationError(N_("interval"), N_("an interval lasts 15, 30 or 60 minutes, got {value}"),
                                  row=first["row"], value=step)
        for d in found:
            d["minutes"] = step


def _checked(fw, project: dict, header, rows, checks: Checks) -> tuple[list[dict], _Checker]:
    col, threshold = columns(header)
    checker = _Checker(fw, project, col, threshold)
    docs = [d for d in checks.run(rows, checker.row) if d is not None]
    with checks.row():
        _fill_minutes(docs)
    seen: dict[tuple, int] = {}
    for d in docs:
        ident = (d["day"], d["start"], d["queue"], d["agent"])
        with checks.row():
            if ident in seen:
                raise ValidationError(col.get("start") or col.get("agent") or col["day"],
                                      N_("the same interval is already in row {first}"), row=d["row"],
                                      first=seen[ident])
            seen[ident] = d["row"]
    return docs, checker


def _project(fw, project) -> dict:
    return fw.projects.get(project) if isinstance(project, str) else project


def preview(fw, project, table):
    """What importing *table* would do, every refused row listed; nothing written."""
    project = _project(fw, project)
    checks = Checks(True)
    docs, checker = _checked(fw, project, table.header, table.rows, checks)
    table.found = dict(checker.col)  # the headings read by their threshold (20秒内接通) too
    counts = {"rows": len(docs), "days": len({d["day"] for d in docs}),
              "replaced": traffic.already(fw, project, docs) if docs else 0}
    if checker.derived:
        counts["csat_derived"] = checker.derived
    return checks.preview_of(table, formula_gaps(fw, project, docs, checker.col), **counts)


def formula_gaps(fw, project: dict, docs: list[dict], col: dict) -> list[ValidationError]:
    """A warning per field the contract's service-level formula reads that rows of the file
    lack (an export without 短时放弃 under "÷ (offered − short abandons)"): the import goes
    ahead, and the service level of those days is no data, never a figure that counts them as 0."""
    lacking: dict[str, set] = {}
    formulas: dict[str, str] = {}
    for d in docs:
        if d["day"] not in formulas:
            version = contracts.version_on(fw, project, dt.date.fromisoformat(d["day"]))
            formulas[d["day"]] = (version or {}).get("sl_formula") or contracts.DEFAULT_FORMULA
        days, fields = measures.lacking([d], formulas[d["day"]])
        for field in fields:
            lacking.setdefault(field, set()).update(days)
    return [ValidationError(col.get(field) or measures.FIELD_NAMES.get(field, field),
                            N_("the contract's service-level formula reads it: {days} days of the file have "
                               "none, so their service level will show no data"), days=len(days))
            for field, days in sorted(lacking.items())]


def store(fw, project, rows, actor: str, source: str = "import") -> dict:
    """`Importer.run`: check every row, then replace the days of the file (`traffic.replace`)."""
    project = _project(fw, project)
    header = getattr(rows, "header", None) or (list(rows[0][1]) if rows else [])
    docs, checker = _checked(fw, project, header, rows, Checks(False))
    replaced = traffic.already(fw, project, docs) if docs else 0
    written = traffic.replace(fw, project, docs, actor, source) if docs else 0
    counts = {"rows": written, "days": len({d["day"] for d in docs}), "replaced": replaced}
    if checker.derived:
        counts["csat_derived"] = checker.derived
    return counts


def import_file(fw, project, path, actor: str, *, mapping=None, sheet=None, dry_run=False):
    """Import the traffic export at *path* (all rows or none); with *dry_run*, the `Preview`."""
    project = _project(fw, project)
    table = mappings.read_for(fw, project["slug"], IMPORTER, path, FIELDS, mapping=mapping, sheet=sheet)
    if dry_run:
        return preview(fw, project, table)
    return store(fw, project, table.rows, actor, source=f"import:{Path(path).name}")


COUNTS = {"rows": ("rows", "行"), "days": ("days", "天"), "replaced": ("rows replaced", "替换的已有行"),
          "csat_derived": ("rows whose satisfied count was worked out from the satisfaction percentage "
                           "× responses", "按满意度百分比×参评量推算满意数的行")}

IMPORTERS = [
    Importer(NAME, "traffic", "Traffic (calls and chats)", "话务数据",
             ("日期/day", "时段/start", "队列/queue", "坐席工号/agent", "呼入量/offered", "接通量/answered",
              "20秒内接通/answered_in_threshold", "放弃量/abandoned", "短时放弃/abandoned_short",
              "通话时长/talk", "保持时长/hold", "话后处理时长/wrap", "转接量/transfers",
              "满意度评价数/csat_responses", "满意数/csat_satisfied", "会话量/chat_sessions",
              "首次响应时长/avg_first_response", "询单人数/inquiries", "下单人数/orders",
              "销售额/order_value"),
             store, fields=FIELDS, preview=preview, action=TRAFFIC_IMPORT, counts=COUNTS),
]
