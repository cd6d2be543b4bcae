"""The staffing plan (人力排班测算): how many agents each interval of a day needs, by Erlang C,
against how many the attendance roster puts on the floor then.

For each interval of the day (`interval_minutes`, a setting: 15, 30 or 60):

* **the forecast** — the calls offered on the same weekday of the last N weeks (a setting,
  default 4), averaged over the weeks that have interval traffic that day (a week without any is
  no data, not a quiet day; an interval missing from a week that has the day counts as no
  calls), or the calls a supervisor entered by hand for that interval, which win;
* **the AHT** — entered by hand, else the history's (talk + hold + wrap) ÷ answered of that
  interval, else of the whole day, else the contract's AHT target, else a setting;
* **required on the phones** — the fewest agents reaching the service level of the contract
  version in force that day (its service-level target and threshold; 80 % in 20 s where the
  contract names none), from `erlang`;
* **required to roster** — that figure grossed up by the shrinkage (a setting, 30 %): breaks,
  meals, training, meetings and absence take that share of rostered time;
* **scheduled** — the agents the roster has on the floor in the interval, asked of the platform
  (`agent_shifts`: the rostered shifts less approved leave), an agent on for part of an interval
  counted for that part (08:15–17:00 is half of the 08:00 half hour);
* **gap** — scheduled − required to roster; short where below 0.

Traffic rows of another length are spread over the plan's intervals by their overlap (an hour
row's calls split between two half hours). Every shift counts, whatever its job type.

Hand-entered forecasts live in ``projects/<p>/reporting_forecast/<YYYY-MM>`` (table
``forecast``, one document per day); each save is audited by the store, and a closed month
refuses it. `day_plan` and `summary` are what the staffing page and the client report read.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, RosteredShift, Setting, ValidationError

from . import contracts, erlang, traffic
from .config import NAME

FORECAST_KIND, FORECAST = "reporting_forecast", "forecast"
DEFAULT_TARGET = 0.8
INTERVALS = (15, 30, 60)
AHT_LIMIT = 7200  # seconds: a longer handle time is a typing slip
CALLS_LIMIT = 1_000_000  # calls in one interval
GROUP = {"group_en": "Staffing", "group_zh": "人力测算"}


def _check_interval(value) -> None:
    if value not in INTERVALS:
        raise ValidationError(N_("Staffing interval (minutes)"), N_("use 15, 30 or 60"))


SETTINGS = [
    Setting("staffing_shrinkage", "float", 0.3, "Shrinkage (share of rostered time, 0.3 = 30%)",
            "人力损耗率（占排班时间的比例，0.3 即 30%）", min=0.0, max=0.9,
            help_en="Breaks, meals, training, meetings and absence: the agents to roster are those "
                    "required on the phones divided by (1 − shrinkage).",
            help_zh="休息、用餐、培训、会议与缺勤所占的时间：需排班人数 = 在线所需人数 ÷（1 − 损耗率）。",
            **GROUP),
    Setting("staffing_history_weeks", "int", 4, "Forecast: weeks of history", "预测参考周数",
            min=1, max=12, help_en="The forecast averages the same weekday of this many past weeks.",
            help_zh="话务预测取过去若干周同一星期几的平均值。", **GROUP),
    Setting("staffing_interval_minutes", "int", 30, "Staffing interval (minutes)", "测算时段（分钟）",
            min=15, max=60, check=_check_interval, **GROUP),
    Setting("staffing_default_aht", "int", 300, "AHT when there is no history (seconds)",
            "无历史数据时的平均处理时长（秒）", min=1, max=AHT_LIMIT, **GROUP),
]


# ------------------------------------------------------------------ reading the inputs


def settings(fw, project: dict) -> dict:
    return fw.projects.settings(project, NAME)


def service_goal(fw, project: dict, day: dt.date) -> tuple[float, int, float | None]:
    """(service-level target, threshold seconds, AHT target or None) of the contract in force."""
    version = contracts.version_on(fw, project, day) or contracts.seed(project)
    targets = version.get("targets") or {}
    target = (targets.get("service_level") or {}).get("target") or DEFAULT_TARGET
    aht = (targets.get("aht_seconds") or {}).get("target")
    return float(target), int(version.get("sl_threshold_seconds") or contracts.DEFAULT_THRESHOLD), aht


def _forecast_key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, FORECAST_KIND, month)


def hand_forecast(fw, project: dict, day: dt.date) -> dict[str, dict]:
    """The calls and AHT entered by hand for *day*, by interval start (``HH:MM``)."""
    doc = fw.store.table(_forecast_key(fw, project["slug"], day.isoformat()[:7]), FORECAST).get(day.isoformat())
    return dict(doc["intervals"]) if doc else {}


def _number(text, field: str, limit: float) -> float | None:
    text = str(text if text is not None else "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(field, N_("expected a number, got {value!r}"), value=text) from None
    if not 0 <= value <= limit:
        raise ValidationError(field, N_("must be between {low} and {high}"), low=0, high=f"{limit:,}")
    return int(value) if value.is_integer() else value


def save_forecast(fw, project: dict, day: dt.date, entries: dict[str, tuple], actor: str) -> dict:
    """Store the hand forecast of *day*: ``{start: (calls, aht)}``, texts or numbers; an empty
    calls figure leaves the interval to the history. All or nothing; audited."""
    config = settings(fw, project)
    minutes, usual = config["staffing_interval_minutes"], config["staffing_default_aht"]
    starts = {label for label, _ in slots(minutes)}
    kept = {}
    for start, (calls, aht) in sorted(entries.items()):
        if start not in starts:
            raise ValidationError(N_("interval"), N_("no interval starts at {value}"), value=start)
        calls = _number(calls, N_("calls"), CALLS_LIMIT)
        aht = _number(aht, N_("AHT (seconds)"), AHT_LIMIT)
        if aht is not None and aht <= 0:
            raise ValidationError(N_("AHT (seconds)"), N_("must be more than 0"))
        load = erlang.load(calls or 0, aht or usual, minutes * 60)
        if load > erlang.MAX_ERLANGS:
            raise ValidationError(N_("calls"), N_("{erlangs} Erlangs of traffic is more than {limit} can be"),
                                  erlangs=f"{load:,.0f}", limit=f"{erlang.MAX_ERLANGS:,}")
        if calls is not None:
            kept[start] = {"calls": calls, "aht": aht}
    doc = {"id": day.isoformat(), "day": day.isoformat(), "minutes": minutes, "intervals": kept}
    with fw.store.transaction(_forecast_key(fw, project["slug"], day.isoformat()[:7]), actor,
                              f"{NAME}.staffing.forecast") as tx:
        if tx.get(FORECAST, doc["id"]) is None:
            return tx.insert(FORECAST, doc)
        return tx.update(FORECAST, doc["id"], doc)


def rostered(fw, project: dict, first: dt.date, last: dt.date) -> list[RosteredShift]:
    """The platform's answer to who is rostered when (attendance answers, where enabled)."""
    answers = fw.project_hook(project, "agent_shifts")(floorwalker=fw, project=project,
                                                       first=first, last=last)
    return [s for answer in answers for s in (answer or ()) if isinstance(s, RosteredShift)]


# ------------------------------------------------------------------ the rules (pure)


def slots(minutes: int) -> list[tuple[str, int]]:
    """The intervals of a day: (``HH:MM``, minutes from midnight)."""
    return [(f"{m // 60:02d}:{m % 60:02d}", m) for m in range(0, 24 * 60, minutes)]


def clock_minutes(start: str) -> int:
    hours, mins = start.split(":")[:2]
    return int(hours) * 60 + int(mins)


def spread(day_rows: list[dict], minutes: int) -> dict[int, dict]:
    """The interval rows of one day over the plan's intervals, by overlap: per interval start
    (minutes from midnight) the calls, the answered calls and their handle seconds."""
    found: dict[int, dict] = {}
    for row in day_rows:
        calls = row["offered"] if row.get("offered") is not None else row.get("chat_sessions")
        if not row.get("start") or calls is None:
            continue
        begin, length = clock_minutes(row["start"]), row.get("minutes") or minutes
        handle = None
        if row.get("talk_seconds") is not None:
            handle = sum(row.get(name) or 0 for name in ("talk_seconds", "hold_seconds", "wrap_seconds"))
        for slot in range(begin - begin % minutes, begin + length, minutes):
            share = (min(slot + minutes, begin + length) - max(slot, begin)) / length
            if share <= 0 or slot >= 24 * 60:
                continue
            cell = found.setdefault(slot, {"calls": 0.0, "answered": 0.0, "handle": 0.0})
            cell["calls"] += calls * share
            if handle is not None and row.get("answered"):
                cell["answered"] += row["answered"] * share
                cell["handle"] += handle * share
    return found


def forecast(history: list[list[dict]], minutes: int) -> tuple[dict[int, dict], float | None]:
    """The calls and AHT per interval from the same weekday's rows of past weeks (a list per
    week; a week with no interval row is left out), and the AHT of all those days together."""
    weeks = [spread(rows, minutes) for rows in history]
    weeks = [w for w in weeks if w]
    out: dict[int, dict] = {}
    answered = handle = 0.0
    for slot in {s for w in weeks for s in w}:
        cells = [w.get(slot, {"calls": 0.0, "answered": 0.0, "handle": 0.0}) for w in weeks]
        slot_answered = sum(c["answered"] for c in cells)
        slot_handle = sum(c["handle"] for c in cells)
        answered, handle = answered + slot_answered, handle + slot_handle
        out[slot] = {"calls": sum(c["calls"] for c in cells) / len(weeks),
                     "aht": slot_handle / slot_answered if slot_answered else None}
    return out, (handle / answered if answered else None)


def scheduled(shifts: list[RosteredShift], day: dt.date, minutes: int) -> dict[int, float]:
    """The agents on the floor in each interval of *day*, a part of an interval counted as that
    part of an agent."""
    midnight = dt.datetime.combine(day, dt.time())
    found: dict[int, float] = {}
    for shift in shifts:
        begin = (shift.start - midnight).total_seconds() / 60
        end = (shift.end - midnight).total_seconds() / 60
        for slot in range(max(0, int(begin) - int(begin) % minutes), min(24 * 60, int(end) + 1), minutes):
            overlap = min(end, slot + minutes) - max(begin, slot)
            if overlap > 0:
                found[slot] = found.get(slot, 0.0) + overlap / minutes
    return found


def _whole(value: float) -> float | int:
    """A count of agents as an int where it is whole (2, not 2.0), else as it is (1.5)."""
    return int(value) if float(value).is_integer() else value


def plan_rows(day: dt.date, minutes: int, predicted: dict[int, dict], day_aht: float | None,
              hand: dict[str, dict], on_floor: dict[int, float], goal: tuple, shrinkage: float,
              default_aht: float) -> list[dict]:
    """The rows of the day's plan: every interval with a forecast or agents on the floor."""
    target, threshold, aht_target = goal
    rows = []
    for label, slot in slots(minutes):
        typed = hand.get(label)
        calls = typed["calls"] if typed else (predicted[slot]["calls"] if slot in predicted else None)
        floor = _whole(round(on_floor.get(slot, 0.0), 2))
        if calls is None and not floor:
            continue
        aht = (typed or {}).get("aht") or (predicted.get(slot) or {}).get("aht") or day_aht \
            or aht_target or default_aht
        need = erlang.staffing(calls or 0.0, aht, minutes, target, threshold, shrinkage) \
            if calls is not None else None
        end = slot + minutes
        rows.append({
            "start": label, "end": f"{end // 60 % 24:02d}:{end % 60:02d}", "minutes": minutes,
            "calls": None if calls is None else round(calls, 1),
            "source": "hand" if typed else ("history" if calls is not None else None),
            "aht": round(aht), "target": target, "threshold": threshold,
            "erlangs": None if need is None else round(need.erlangs, 2),
            "agents": None if need is None else need.agents,
            "service_level": None if need is None else need.service_level,
            "occupancy": None if need is None else need.occupancy,
            "required": None if need is None else need.agents_with_shrinkage,
            "scheduled": floor,
            "gap": None if need is None else _whole(round(floor - need.agents_with_shrinkage, 2)),
        })
        rows[-1]["short"] = rows[-1]["gap"] is not None and rows[-1]["gap"] < 0
    return rows


# ------------------------------------------------------------------ the plan


def _history_days(day: dt.date, weeks: int) -> list[dt.date]:
    return [day - dt.timedelta(weeks=n) for n in range(1, weeks + 1)]


def _plan(fw, project, day, config, by_day: dict[str, list], shifts: list[RosteredShift]) -> list[dict]:
    minutes = config["staffing_interval_minutes"]
    history = [[r for r in by_day.get(d.isoformat(), ()) if traffic.row_kind(r) == "interval"]
               for d in _history_days(day, config["staffing_history_weeks"])]
    predicted, day_aht = forecast(history, minutes)
    near = [s for s in shifts if s.date in (day, day - dt.timedelta(days=1))]
    return plan_rows(day, minutes, predicted, day_aht, hand_forecast(fw, project, day),
                     scheduled(near, day, minutes), service_goal(fw, project, day),
                     config["staffing_shrinkage"], config["staffing_default_aht"])


def _group(rows: list[dict]) -> dict[str, list]:
    found: dict[str, list] = {}
    for r in rows:
        found.setdefault(r["day"], []).append(r)
    return found


def day_plan(fw, project: dict, day: dt.date) -> list[dict]:
    """The staffing plan of *day*: a row per interval with a forecast or agents rostered
    (``start``, ``end``, ``calls``, ``source`` hand | history, ``aht``, ``erlangs``,
    ``agents`` on the phones, ``service_level`` and ``occupancy`` they reach, ``required`` to
    roster, ``scheduled``, ``gap``, ``short``)."""
    config = settings(fw, project)
    days = _history_days(day, config["staffing_history_weeks"])
    by_day = _group(traffic.rows(fw, project, days[-1], days[0]))
    return _plan(fw, project, day, config, by_day, rostered(fw, project, day - dt.timedelta(days=1), day))


def summary(fw, project: dict, first: dt.date, last: dt.date) -> dict:
    """Scheduled against required from *first* to *last*, for the client report, on the staffing
    page's terms: ``required`` is the agents to roster (on the phones grossed up by the
    ``shrinkage``, `day_plan`'s ``required``) against the agents ``scheduled``, so a day's
    summary has the page's numbers. Per day (agent-hours required and scheduled, intervals
    short of the need) and per interval of the day (the average over the days that have a plan,
    with the agents on the phones, ``agents``, beside it)."""
    config = settings(fw, project)
    weeks = config["staffing_history_weeks"]
    by_day = _group(traffic.rows(fw, project, first - dt.timedelta(weeks=weeks), last))
    shifts = rostered(fw, project, first - dt.timedelta(days=1), last)
    hours = config["staffing_interval_minutes"] / 60
    days, slots_seen = [], {}
    day = first
    while day <= last:
        rows = [r for r in _plan(fw, project, day, config, by_day, shifts) if r["required"] is not None]
        if rows:
            days.append({"day": day.isoformat(), "intervals": len(rows),
                         "short": sum(r["short"] for r in rows),
                         "required_hours": round(sum(r["required"] for r in rows) * hours, 1),
                         "scheduled_hours": round(sum(r["scheduled"] for r in rows) * hours, 1)})
        for r in rows:
            slots_seen.setdefault(r["start"], []).append(r)
        day += dt.timedelta(days=1)
    def mean(rows, key):
        return _whole(round(sum(r[key] for r in rows) / len(rows), 2))
    by_slot = [{"start": start, "days": len(rows), "agents": mean(rows, "agents"), "required": mean(rows, "required"),
                "scheduled": mean(rows, "scheduled")}
               for start, rows in sorted(slots_seen.items())]
    for r in by_slot:
        r["gap"] = _whole(round(r["scheduled"] - r["required"], 2))
    return {"first": first.isoformat(), "last": last.isoformat(), "shrinkage": config["staffing_shrinkage"],
            "interval_minutes": config["staffing_interval_minutes"], "days": days, "slots": by_slot,
            "intervals": sum(d["intervals"] for d in days), "short": sum(d["short"] for d in days),
            "required_hours": round(sum(d["required_hours"] for d in days), 1),
            "scheduled_hours": round(sum(d["scheduled_hours"] for d in days), 1)}
