"""Meeting figures (会议统计, issue 15 item 8): attendance at department meetings, meetings held
against planned, minutes signed on time, action items overdue, unified answers fully signed and
coaching done against due — over a span, each with its n (and a ratio's numerator and
denominator, so weeks add up to a month); the KPIs the dashboard reads, the dashboard's widget
and the figures section of the calendar.

Choices where the issue is silent, and why:

* **Held** is what the calendar calls held: minutes signed by the chair. A meeting whose day has
  passed without signed minutes is *missed*; one still to come (today's included) is not yet
  due, so the figures of a month in progress count only what could have happened.
* **Attendance rate** = present ÷ expected, over the *department* meetings held in the span
  (those where missing without leave costs −10: the weekly, monthly, QA analysis and review
  meetings by default; a handover or a briefing is the shift's roll-call, counted by attendance).
  The excused (leave, a rest day) are left out of expected: the rate says how many of those
  who should have come did come; the excused are shown beside it on the calendar.
* **On time**: signed no later than ``minutes_sign_days`` working days after the meeting
  (default 1: a Friday's minutes by Monday), by the core's holiday calendar and the floor's
  clock.
* **Overdue action items**: the items due in the span before today that were not done by their
  due day (still open, or done later); n is the items due. An item dropped is not overdue.
* **Unified answers fully signed**: of the answers published in the span, those every expected
  agent has signed by now (one past its deadline but short of a signature is in force, yet not
  fully signed).
* **Coaching done vs due** is the coaching part's own count (`coaching.figures`): due when an
  item opens, done when its session is acknowledged.
* Every figure is ``internal``: how the floor runs its meetings is nothing a client is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from floorwalker.core import KPI, KPIDef, Setting, ValidationError, Widget, validate

from . import answers, items, records
from .config import DEFAULT_TITLES, GROUP, NAME

SIGN_DAYS = "minutes_sign_days"
WIDGET_ROWS = 5  # meetings and answers listed per kind on the dashboard
SETTINGS = [
    Setting(SIGN_DAYS, "int", 1, "Minutes signed on time: within this many working days of the meeting",
            "纪要按时签发：会后几个工作日内签发", min=0, max=10,
            help_en="0: signed on the meeting's day. 1: by the next working day (a Friday's minutes by Monday).",
            help_zh="0 表示会议当天签发；1 表示下一个工作日内签发（周五的会议纪要周一前签发）。", **GROUP),
]

KPIS = [
    KPIDef("meetings_attendance_rate", "Department meeting attendance", "部门会议出勤率", "%", True,
           "ratio", "internal"),
    KPIDef("meetings_held_rate", "Meetings held vs planned", "会议召开率", "%", True, "ratio", "internal"),
    KPIDef("meetings_minutes_on_time", "Minutes signed on time", "纪要按时签发率", "%", True, "ratio",
           "internal"),
    KPIDef("meetings_items_overdue", "Action items overdue", "逾期待办事项", "", False, "sum", "internal"),
    KPIDef("meetings_answers_signed", "Unified answers fully signed", "统一答复口径全员签收率", "%", True,
           "ratio", "internal"),
    KPIDef("meetings_coaching_done", "Coaching done vs due", "辅导完成率", "%", True, "ratio", "internal"),
]


@dataclass
class Figures:
    """The counts behind the figures of a span."""

    first: dt.date
    last: dt.date
    planned: int = 0  # meetings due in the span (their day passed, or held already)
    held: int = 0
    on_time: int = 0
    expected: int = 0  # agent-meetings expected at the department meetings held
    present: int = 0
    excused: int = 0
    items_due: int = 0
    items_overdue: int = 0
    published: int = 0
    fully_signed: int = 0
    coaching_due: int | None = None  # None: the coaching part does not count yet
    coaching_done: int | None = None

    @property
    def due(self) -> int:
        """Expected less excused: who should have been in the room (the attendance rate's whole)."""
        return self.expected - self.excused


def _pct(numerator, denominator) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def span(month: str, first: dt.date | None = None, last: dt.date | None = None) -> tuple[dt.date, dt.date]:
    if first is None or last is None:
        first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(validate.month(month)))
    return first, last


def on_time(doc: dict, days: int, holidays) -> bool:
    """Signed no later than *days* working days after the meeting's day."""
    signed = (doc.get("minutes") or {}).get("signed_at")
    if not signed:
        return False
    limit = dt.date.fromisoformat(doc["date"])
    for _ in range(days):
        limit += dt.timedelta(days=1)
        while not holidays.is_workday(limit):
            limit += dt.timedelta(days=1)
    return signed[:10] <= limit.isoformat()


def _done_on(item: dict) -> str | None:
    return next((h["at"][:10] for h in reversed(item.get("history") or ()) if h.get("what") == "done"), None)


def compute(fw, project: dict, first: dt.date, last: dt.date) -> Figures:
    """The counts of *project*'s meetings, items and answers from *first* to *last*."""
    day = fw.projects.today(project)
    today = day.isoformat()
    lo, hi = first.isoformat(), last.isoformat()
    f = Figures(first, last)
    days = int(fw.projects.settings(project, NAME).get(SIGN_DAYS, 1))
    holidays = fw.calendar.current()
    for doc in records.all_of(fw, project):
        if not lo <= doc["date"] <= hi:
            continue
        held = records.state(doc, day) == "held"
        if not held and doc["date"] >= today:
            continue  # still to come: not due yet
        f.planned += 1
        if not held:
            continue
        f.held += 1
        f.on_time += on_time(doc, days, holidays)
        if doc.get("department"):
            marks = doc.get("attendance") or {}
            f.expected += len(doc["expected"])
            f.present += sum(1 for n in doc["expected"] if (marks.get(n) or {}).get("state") == "present")
            f.excused += sum(1 for n in doc["expected"] if (marks.get(n) or {}).get("state") == "excused")
    for item in items.all_of(fw, project):
        if not lo <= item["due"] <= hi or item["due"] >= today or item["status"] == "dropped":
            continue
        f.items_due += 1
        done = _done_on(item) if item["status"] == "done" else None
        f.items_overdue += done is None or done > item["due"]
    for doc in answers.all_of(fw, project):
        if lo <= doc["published_at"][:10] <= hi:
            f.published += 1
            f.fully_signed += not answers.unsigned(doc)
    counted = _coaching(fw, project, first, last)
    if counted is not None:
        f.coaching_due, f.coaching_done = counted
    return f


def _coaching(fw, project: dict, first: dt.date, last: dt.date) -> tuple[int, int] | None:
    """(due, done) as the coaching part counts them; None where it does not count yet."""
    from . import coaching
    count = getattr(coaching, "figures", None)
    if count is None:
        return None
    found = count(fw, project, first.isoformat(), last.isoformat()) or {}
    return int(found.get("due") or 0), int(found.get("done") or 0)


def kpis(fw, project: dict, period: str, first: dt.date | None = None, last: dt.date | None = None) -> list[KPI]:
    """The meeting figures of *project* from *first* to *last* (the month *period* without them)."""
    first, last = span(period, first, last)
    return as_kpis(compute(fw, project, first, last), project, period)


def as_kpis(f: Figures, project: dict, period: str) -> list[KPI]:
    declared = {k.code: k for k in KPIS}
    url = f"/p/{project['slug']}/{NAME}/?month={period}#figures"

    def figure(code, value, n, numerator=None, denominator=None):
        k = declared[code]
        return KPI(code=code, title_en=k.title_en, title_zh=k.title_zh, value=value, unit=k.unit,
                   higher_is_better=k.higher_is_better, n=n, numerator=numerator, denominator=denominator, url=url)
    found = [
        figure("meetings_attendance_rate", _pct(f.present, f.due), f.due, f.present, f.due),
        figure("meetings_held_rate", _pct(f.held, f.planned), f.planned, f.held, f.planned),
        figure("meetings_minutes_on_time", _pct(f.on_time, f.held), f.held, f.on_time, f.held),
        figure("meetings_items_overdue", f.items_overdue, f.items_due),
        figure("meetings_answers_signed", _pct(f.fully_signed, f.published), f.published, f.fully_signed,
               f.published),
    ]
    if f.coaching_due is not None:
        found.append(figure("meetings_coaching_done", _pct(f.coaching_done, f.coaching_due), f.coaching_due,
                            f.coaching_done, f.coaching_due))
    return found


def rows(f: Figures) -> list[dict]:
    """The figures as the calendar's section lists them: title, value, what it counts."""
    return [
        {"code": "meetings_attendance_rate", "value": _pct(f.present, f.due), "part": f.present,
         "whole": f.due, "excused": f.excused},
        {"code": "meetings_held_rate", "value": _pct(f.held, f.planned), "part": f.held, "whole": f.planned},
        {"code": "meetings_minutes_on_time", "value": _pct(f.on_time, f.held), "part": f.on_time, "whole": f.held},
        {"code": "meetings_items_overdue", "value": f.items_overdue, "part": f.items_overdue, "whole": f.items_due,
         "count": True},
        {"code": "meetings_answers_signed", "value": _pct(f.fully_signed, f.published), "part": f.fully_signed,
         "whole": f.published},
        *([{"code": "meetings_coaching_done", "value": _pct(f.coaching_done, f.coaching_due),
            "part": f.coaching_done, "whole": f.coaching_due}] if f.coaching_due is not None else []),
    ]


TITLES = {k.code: (k.title_en, k.title_zh) for k in KPIS}


def widgets(fw, project: dict, period: str, user: dict) -> list[Widget]:
    """The dashboard's meetings that need someone, for those who see the meetings: minutes
    waiting for the chair's signature (they block the month's close), meetings missed, action
    items overdue, unified answers some agents have not signed, and the next meetings (the
    month's figures are the dashboard's tiles, from `kpis`)."""
    from .actions import VIEW
    if not fw.access.can(user, VIEW, project):
        return []
    try:
        month = validate.month(period)
    except ValidationError:  # a week's period or none: the project's month
        month = fw.projects.today(project).isoformat()[:7]
    day = fw.projects.today(project)
    today = day.isoformat()
    docs = records.of_month(fw, project, month)
    upcoming = [d for d in records.all_of(fw, project) if d["date"] >= today
                and d["kind"] not in ("handover", "briefing")][:WIDGET_ROWS]
    return [Widget(NAME, "Meetings", "会议", f"{NAME}/widget.html",
                   {"month": month, "unsigned": answers.unsigned_minutes(fw, project, month)[:WIDGET_ROWS],
                    "missed": sum(1 for d in docs if records.state(d, day) == "missed"),
                    "overdue": len(items.overdue(fw, project)),
                    "answers": [a for a in answers.all_of(fw, project) if answers.unsigned(a)][:WIDGET_ROWS],
                    "upcoming": upcoming, "titles": DEFAULT_TITLES, "base": f"/p/{project['slug']}/{NAME}"}, order=45)]
