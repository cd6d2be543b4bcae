"""The sampling plan's rules, pure (no store): how many interactions of an agent a month's plan
picks, which days they are spread over, which interactions must be checked, and which new
picks a run of the plan makes. `sampling` keeps the plan and asks the platform for the facts.

**How many.** Each agent is monitored at least ``sampling_per_agent`` times a month (the
rulebook's 每月每人监听不少于1-5次: 1 to 5, default 4); an agent in its first
``sampling_new_agent_months`` months of employment (the month of hire is the first) gets
``sampling_new_agent_extra`` more. More evaluations are always allowed.

**Spread.** The days the agent can work in the month — in the project, and not away (leave,
training, a rest day: the platform's ``agent_availability``) — are cut into as many consecutive
*slots* as the agent's quota, as even as the days allow; each slot wants one pick dated inside
it. An agent away every day of the month is skipped. A slot is filled by any pick dated in it
(whatever became of it: done, replaced or removed — a person's decision stands). A slot with
no interaction yet waits for the next run (interactions arrive after the fact); once it is
over, and the agent still has fewer picks than its quota, it borrows an interaction from
elsewhere in the month.

**Must-check.** An interaction whose category names one of ``sampling_must_check`` (退款,
投诉, 敏感信息 …), or where auto-QA finds the customer's risk words (投诉, 赔偿, 起诉, 监管 …),
is always picked, before the quota's picks, and fills the slot it is dated in.

Which interaction of a slot is picked is random, seeded by the plan, the agent and the slot,
so the same facts give the same plan.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from floorwalker.core import N_, Setting, SettingField, ValidationError

DEFAULT_PER_AGENT = 4
DEFAULT_NEW_EXTRA = 2
DEFAULT_NEW_MONTHS = 3
DEFAULT_MUST_CHECK = ("退款", "投诉", "敏感信息", "refund", "complaint", "sensitive")


def month_days(month: str) -> list[dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    days = [first]
    while (days[-1] + dt.timedelta(days=1)).month == first.month:
        days.append(days[-1] + dt.timedelta(days=1))
    return days


def employment_month(hired: str, month: str) -> int:
    """Which month of employment *month* is: the month of hire is 1."""
    year, mon = map(int, month.split("-"))
    hired_year, hired_mon = map(int, hired[:7].split("-"))
    return (year - hired_year) * 12 + mon - hired_mon + 1


def quota(settings: dict, hired: str | None, month: str) -> int:
    """How many picks the plan of *month* wants of an agent hired on *hired*."""
    per_agent = int(settings.get("sampling_per_agent") or DEFAULT_PER_AGENT)
    new_months = int(settings.get("sampling_new_agent_months", DEFAULT_NEW_MONTHS))
    extra = int(settings.get("sampling_new_agent_extra", DEFAULT_NEW_EXTRA))
    is_new = bool(hired) and 1 <= employment_month(hired, month) <= new_months
    return per_agent + (extra if is_new else 0)


@dataclass(frozen=True)
class Slot:
    """A stretch of the month that wants one pick: from *first* to *last* (both included), and
    *end*, the last working day in it (the pick is due then)."""

    index: int
    first: dt.date
    last: dt.date
    end: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def slots(month: str, working: list[dt.date], count: int) -> list[Slot]:
    """*working* days (sorted) cut into *count* consecutive slots as even as they allow; the
    slots cover the whole month (a slot runs to the day before the next one's first working
    day), so every day of the month is in exactly one. No working day: no slot."""
    if not working or count < 1:
        return []
    days = month_days(month)
    size = len(working)
    starts = [working[min(size - 1, k * size // count)] for k in range(count)]
    ends = [working[max(0, min(size - 1, (k + 1) * size // count - 1))] for k in range(count)]
    found = []
    for k in range(count):
        first = days[0] if k == 0 else found[-1].last + dt.timedelta(days=1)
        last = days[-1] if k == count - 1 else max(first, starts[k + 1] - dt.timedelta(days=1))
        found.append(Slot(k, first, min(last, days[-1]), max(ends[k], first)))
    return found


def slot_of(found: list[Slot], day: dt.date) -> Slot | None:
    return next((s for s in found if s.holds(day)), None)


def must_check_reasons(category: str, risk_words, words) -> list[str]:
    """Why an interaction must be checked: the must-check *words* its category names, then the
    customer's *risk_words* auto-QA found (empty: it need not be)."""
    category = (category or "").lower()
    found = [w for w in words if w and w.lower() in category]
    return found + [w for w in risk_words if w not in found]


@dataclass(frozen=True)
class NewPick:
    """A pick one run of the plan adds: the interaction, why (``must_check`` or ``quota``), the
    must-check reasons, and the day it is due."""

    interaction: str
    date: str
    why: str
    must: tuple
    due: str


def plan_agent(seed: str, month: str, working: list[dt.date], count: int, pool: list[dict],
               existing: list[dict], today: dt.date) -> list[NewPick]:
    """The picks to add for one agent.

    *pool* are the agent's interactions of the month (``id``, ``date``, ``must``: the reasons it
    must be checked); *existing* the agent's picks in the plan already (``interaction``,
    ``date``, ``status``: planned, replaced or removed). An interaction ever picked is never
    picked again."""
    found = slots(month, working, count)
    if not found:
        return []
    taken = {p["interaction"] for p in existing}
    counted = sum(1 for p in existing if p["status"] != "replaced")  # a replacement counts instead
    filled = {s.index for p in existing for s in [slot_of(found, dt.date.fromisoformat(p["date"]))] if s}
    last_day = dt.date.fromisoformat(month_days(month)[-1].isoformat())

    def due(day: str) -> str:
        slot = slot_of(found, dt.date.fromisoformat(day))
        return max(slot.end if slot else last_day, min(today, last_day)).isoformat()

    added: list[NewPick] = []
    free = sorted((i for i in pool if i["id"] not in taken), key=lambda i: (i["date"], i["id"]))
    for item in free:  # must-check first: always picked, each fills its own slot
        if item["must"]:
            added.append(NewPick(item["id"], item["date"], "must_check", tuple(item["must"]), due(item["date"])))
            slot = slot_of(found, dt.date.fromisoformat(item["date"]))
            if slot:
                filled.add(slot.index)
    chosen = {p.interaction for p in added}
    free = [i for i in free if i["id"] not in chosen]
    borrowing = []
    for slot in found:
        if slot.index in filled:
            continue
        inside = [i for i in free if slot.holds(dt.date.fromisoformat(i["date"]))]
        if not inside:
            if slot.last < today:
                borrowing.append(slot)
            continue
        item = random.Random(f"{seed}/{slot.index}").choice(inside)
        added.append(NewPick(item["id"], item["date"], "quota", (), due(item["date"])))
        free.remove(item)
    for slot in borrowing:  # an empty slot that is over: any interaction, while short of the quota
        if counted + len(added) >= count or not free:
            break
        item = random.Random(f"{seed}/{slot.index}/borrow").choice(free)
        added.append(NewPick(item["id"], item["date"], "quota", (), due(item["date"])))
        free.remove(item)
    return added


def balanced(evaluators: list[str], open_counts: dict[str, int], picks: int) -> list[str]:
    """Who gets each of *picks* new picks, round-robin from the one with the fewest open picks
    (ties: in the order of *evaluators*)."""
    counts = {e: open_counts.get(e, 0) for e in evaluators}
    given = []
    for _ in range(picks if evaluators else 0):
        who = min(evaluators, key=lambda e: (counts[e], evaluators.index(e)))
        counts[who] += 1
        given.append(who)
    return given


# --- the settings -----------------------------------------------------------------------------

_GROUP = {"group_en": "Sampling plan", "group_zh": "抽样计划"}


def _check_words(value) -> None:
    if not isinstance(value, (list, tuple)) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValidationError(N_("must-check categories"), N_("expected a list of words, one a row"))


SETTINGS = [
    Setting("sampling_per_agent", "int", DEFAULT_PER_AGENT, "Interactions sampled per agent each month "
            "(at least)", "每月每人至少抽检次数", min=1, max=5,
            help_en="The rulebook's 1–5; more evaluations are always allowed.",
            help_zh="即规范中的“每月每人监听不少于1-5次”；多评不限。", **_GROUP),
    Setting("sampling_new_agent_extra", "int", DEFAULT_NEW_EXTRA, "More for an agent in its first months",
            "新坐席每月加抽次数", min=0, max=10, **_GROUP),
    Setting("sampling_new_agent_months", "int", DEFAULT_NEW_MONTHS, "Months an agent counts as new (the "
            "month of hire is the first)", "入职后几个月内算新坐席（入职当月为第一个月）", min=0, max=12, **_GROUP),
    Setting("sampling_must_check", "rows", list(DEFAULT_MUST_CHECK), "Must-check categories",
            "必检类别", check=_check_words, fields=(SettingField("word", "text", "Word", "词"),),
            to_rows=lambda value: [{"word": w} for w in value],
            from_rows=lambda rows: [str(r["word"]).strip() for r in rows if r.get("word")],
            help_en="An interaction whose category contains one of these is always sampled; so is a "
                    "chat with the customer's risk words (auto-QA).",
            help_zh="类别中含其中之一的会话一律抽检；客户说出风险词的聊天（自动质检）也一律抽检。", **_GROUP),
    Setting("sampling_take", "bool", False, "Evaluators take picks from the plan themselves",
            "质检员自行从计划中领取抽样", help_en="Off: the plan shares new picks out in turn among the "
            "project's QA staff.", help_zh="关闭时，新抽样在本项目质检员之间轮流分派。", **_GROUP),
]
