"""The demo's traffic: the demo months up to yesterday, in 30-minute intervals over each floor's
opening hours, written through `traffic.replace` — the path an import takes.

The traffic follows the roster. For every interval the agents the attendance demo rosters
(the platform's `agent_shifts`, as the staffing page reads them; a floor without a roster a flat
share of its agents) less the shrinkage are the agents on the phones; the calls offered are a
share of what those agents can answer at the contract's service level (Erlang C, `erlang`), so
the staffing page finds most intervals covered. The share rises at the floor's peaks (calls
mid-morning and mid-afternoon, chats in the evening), so a few peaks are short, and two weeks go
wrong — a surge the roster did not meet. The service level of each interval is what Erlang C
gives those agents for that load (a short interval has a low one), and abandons, satisfaction and
the chat's first response follow it. Each week has its own handle time around the contract's
AHT target: most weeks under it, one or two over. The hotline (``telecom``) and the bank take
calls; ``shop`` is a chat floor that sells, so its rows carry sessions, seats, inquiries, orders
and order value.

Deterministic: one draw of the demo's generator (taken where the plugin's demo always took it, so
the other plugins' draws do not move) seeds this module's own. The demo runs this after the
attendance demo (``trylast``), so the roster is there to follow.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from . import erlang, staffing, traffic

# slug → (queue, first start, last start, AHT parts (talk, hold, wrap) as shares, chat?)
FLOORS = {
    "telecom": ("综合业务", "08:00", "21:30", (0.76, 0.07, 0.17), False),
    "bank": ("信用卡服务", "08:00", "21:30", (0.75, 0.08, 0.17), False),
    "shop": ("在线咨询", "09:00", "23:30", (0.89, 0.0, 0.11), True),
}
DEFAULT = ("", "09:00", "17:30", (0.76, 0.07, 0.17), False)
VOICE_PEAKS = ((10.5, 1.2), (15.0, 1.4))  # (hour, spread): where the calls outrun the roster
CHAT_PEAKS = ((11.0, 1.2), (21.0, 1.4))
DEFAULT_AHT = {False: 240.0, True: 420.0}
MINUTES = 30


def _peak(hour: float, chat: bool) -> float:
    """How near *hour* is to one of the floor's peaks: 1 at a peak, towards 0 away from them."""
    return max(math.exp(-((hour - at) / spread) ** 2) for at, spread in (CHAT_PEAKS if chat else VOICE_PEAKS))


def _starts(first: str, last: str) -> list[tuple[str, int]]:
    begin, end = staffing.clock_minutes(first), staffing.clock_minutes(last)
    return [(f"{m // 60:02d}:{m % 60:02d}", m) for m in range(begin, end + 1, MINUTES)]


def bad_weeks(first: dt.date, last: dt.date, rng: random.Random) -> set[dt.date]:
    """Two Mondays of full weeks in the span, apart, whose weeks miss the targets."""
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    mondays = []
    while monday + dt.timedelta(days=6) <= last:
        mondays.append(monday)
        monday += dt.timedelta(days=7)
    if len(mondays) < 3:
        return set(mondays[-1:])
    one = rng.randrange(len(mondays) // 2)
    two = rng.randrange(len(mondays) // 2 + 1, len(mondays))
    return {mondays[one], mondays[two]}


_CAPACITY: dict[tuple, float] = {}


def capacity(agents: int, aht: float, target: float, threshold: float) -> float:
    """The most Erlangs *agents* carry at *target* within *threshold* seconds (0 for none)."""
    found = _CAPACITY.get((agents, aht, target, threshold))
    if found is not None:
        return found
    low, high = 0.0, float(agents)
    for _ in range(30) if agents > 0 else ():
        middle = (low + high) / 2
        if erlang.service_level(agents, middle, aht, threshold) >= target:
            low = middle
        else:
            high = middle
    _CAPACITY[(agents, aht, target, threshold)] = low
    return low


def reached(agents: float, calls: int, aht: float, threshold: float) -> float:
    """The share of *calls* answered within *threshold* by *agents* (Erlang C); an overloaded
    interval answers a small share in time."""
    erlangs = erlang.load(calls, aht, MINUTES * 60)
    whole = int(agents)
    if calls <= 0:
        return 1.0
    if whole <= erlangs:
        return max(0.05, 0.45 * whole / erlangs) if erlangs else 0.05
    return erlang.service_level(whole, erlangs, aht, threshold)


def week_plan(bad: bool, over: bool, aht_target: float, rng: random.Random) -> dict:
    """A week's own weather: its handle time against the AHT target (*over* it, else under),
    how busy it is (a *bad* week a third busier), how many callers give up anyway."""
    return {"bad": bad, "aht": aht_target * (rng.uniform(1.02, 1.06) if over else rng.uniform(0.9, 0.98)),
            "busy": rng.uniform(0.7, 0.82) * (1.3 if bad else 1.0), "quit": rng.uniform(0.25, 0.65)}


def day_rows(day: dt.date, floor: tuple, on_floor: dict[int, float], usual: dict[int, float], goal: tuple,
             week: dict, shrinkage: float, answer_target: float, rng: random.Random) -> list[dict]:
    """The interval rows of *day*: *on_floor* the agents rostered that day per interval start
    (minutes), *usual* those of the weekday on average (the calls follow it: a day rostered
    thinner than usual is short), *goal* (service-level target, threshold seconds), *week* from
    `week_plan`."""
    queue, first, last, (talk, hold, wrap), chat = floor
    target, threshold = goal
    out = []
    for start, slot in _starts(first, last):
        rostered = on_floor.get(slot, 0.0)
        planned = math.floor(usual.get(slot, 0.0) * (1 - shrinkage) + 1e-9)  # what the staffing page allows
        aht = round(week["aht"] * rng.uniform(0.97, 1.03))
        peak = _peak(slot / 60 + MINUTES / 120, chat)
        busy = week["busy"] * (1 + 0.18 * peak) * rng.uniform(0.93, 1.07)
        if week["bad"]:
            busy *= 1 + 0.15 * peak
        carried = capacity(planned, aht, target, threshold) * busy
        offered = max(round(rng.uniform(1, 4)), round(carried * MINUTES * 60 / aht))
        working = rostered * (1 - shrinkage) * rng.uniform(0.95, 1.05)  # on the phones this time
        level = min(1.0, max(0.0, reached(working, offered, aht, threshold) + rng.uniform(-0.025, 0.02)))
        gave_up = (1 - answer_target) * week["quit"] + (1 - level) * (0.05 if level > 0.6 else 0.12)
        abandoned = min(offered, round(offered * gave_up * rng.uniform(0.8, 1.2)))
        answered = offered - abandoned
        row = {"day": day.isoformat(), "start": start, "minutes": MINUTES, "queue": queue, "agent": None,
               "offered": offered, "answered": answered, "abandoned": abandoned,
               "talk_seconds": round(answered * aht * talk),
               "hold_seconds": round(answered * aht * hold) if hold else None,
               "wrap_seconds": round(answered * aht * wrap),
               "transfers": round(answered * rng.uniform(0.01, 0.04))}
        responses = round(answered * rng.uniform(0.25, 0.4))
        satisfied_share = min(0.995, rng.uniform(0.965, 0.99) - (1 - level) * 0.12)
        row.update(csat_responses=responses, csat_satisfied=min(responses, round(responses * satisfied_share)))
        seats = max(1, round(working)) if working >= 0.5 else 0
        if chat:
            first_response = rng.uniform(7, 12) + (1 - level) * 25
            inquiries = round(answered * rng.uniform(0.55, 0.65))
            orders = round(inquiries * (rng.uniform(0.45, 0.52) - (0.05 if level < 0.6 else 0)))
            row.update(chat_sessions=answered, seats=seats,
                       first_response_seconds=round(answered * first_response),
                       inquiries=inquiries, orders=orders,
                       order_value=round(orders * rng.uniform(158, 190), 2))
        else:
            in_time = min(answered, round(offered * level))
            row.update(answered_in_threshold=in_time, threshold_seconds=threshold,
                       abandoned_short=round(abandoned * rng.uniform(0.2, 0.45)),
                       abandoned_in_threshold=round(abandoned * rng.uniform(0.3, 0.5)), seats=seats)
        out.append(row)
    return out


def _headcount(fw, project: dict, day: dt.date, floor: tuple) -> dict[int, float]:
    """A floor without a roster: a third of its agents on each interval of its hours."""
    listed = fw.agents.in_month(project["slug"], day.isoformat()[:7])
    return {slot: max(2.0, len(listed) / 3) for _, slot in _starts(floor[1], floor[2])}


def _rostered(fw, project: dict, days: list[dt.date], floor: tuple) -> dict[dt.date, dict[int, float]]:
    """The agents rostered per interval of each of *days* (`staffing.scheduled`, as the staffing
    page counts them), or a flat `_headcount` where the project has no roster."""
    shifts = staffing.rostered(fw, project, days[0] - dt.timedelta(days=1), days[-1])
    by_day: dict[dt.date, list] = {}
    for shift in shifts:
        by_day.setdefault(shift.date, []).append(shift)
    if not shifts:
        return {day: _headcount(fw, project, day, floor) for day in days}
    return {day: staffing.scheduled(by_day.get(day, []) + by_day.get(day - dt.timedelta(days=1), []), day, MINUTES)
            for day in days}


def _usual(floors: dict[dt.date, dict[int, float]]) -> dict[int, dict[int, float]]:
    """Per weekday, the agents rostered per interval on average: the calls follow it."""
    found = {}
    for weekday in range(7):
        same = [f for day, f in floors.items() if day.weekday() == weekday]
        slots = sorted({slot for f in same for slot in f})
        found[weekday] = {slot: sum(f.get(slot, 0.0) for f in same) / len(same) for slot in slots}
    return found


def build(fw, project: dict, months: list[str], rng: random.Random, actor: str, today: dt.date) -> int:
    """Write the traffic of the demo *months* up to the day before *today*; returns the rows."""
    own = random.Random(rng.random())
    floor = FLOORS.get(project["slug"], DEFAULT)
    if "chat" in project.get("channels", ()) and project["slug"] not in FLOORS:
        floor = FLOORS["shop"]
    first = dt.date.fromisoformat(f"{months[0]}-01")
    days = [first + dt.timedelta(days=n) for n in range((today - first).days)]  # up to yesterday
    if not days:
        return 0
    bad = bad_weeks(first, days[-1], own)
    mondays = sorted({day - dt.timedelta(days=day.weekday()) for day in days} - bad)
    over = set(own.sample(mondays, min(2, len(mondays) // 5)))  # weeks whose handle time runs long
    shrinkage = staffing.settings(fw, project)["staffing_shrinkage"]
    answer_target = (project.get("kpi_targets") or {}).get("answer_rate") or 0.95
    floors = _rostered(fw, project, days, floor)
    usual = _usual(floors)
    rows, weeks = [], {}
    for day in days:
        monday = day - dt.timedelta(days=day.weekday())
        target, threshold, aht_target = staffing.service_goal(fw, project, day)
        if monday not in weeks:
            weeks[monday] = week_plan(monday in bad, monday in over, float(aht_target or DEFAULT_AHT[floor[4]]),
                                      own)
        rows += day_rows(day, floor, floors[day], usual[day.weekday()], (target, threshold), weeks[monday],
                         shrinkage, answer_target, own)
    return traffic.replace(fw, project, rows, actor, "demo") if rows else 0
