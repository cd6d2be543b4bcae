"""Complaint figures (投诉统计): complaints per 1,000 contacts, the valid rate, the business time to
first response and to close, the SLA breach rate per target, the reopen rate, escalations and
callbacks — for the whole project, by category and root cause, and month by month; the KPIs the
dashboard and the client report read; the month-close blockers and the deadline watch of the
dashboard.

Choices where the issue is silent, and why:

* **A month's complaints are those received in it** (a cohort), whatever month their handling
  ends in: a complaint counts once, in the month its customer complained, which is also the month
  its deduction is dated in. The clocks are read at the project's now.
* **Contacts come from another plugin's KPI**, never from here: the first enabled plugin that
  declares one of `CONTACT_KPIS` (a count of handled contacts: calls answered, chats handled)
  answers for the span, asked alone (so the other plugins' figures are not computed twice, and
  this plugin's own `project_kpis` is never asked back). Where none is declared, enabled or
  non-zero, the rate is None and every page says "no contact data" — never 0.
* **Rates count what is decided**: the valid rate over complaints with a verdict, a target's
  breach rate over the targets met or failed (a running one may still go either way), the
  reopen rate over the complaints closed at least once. Each figure keeps its n.
* **Times are business time** as the complaint's SLA policy counts it (its hours, the holiday
  calendar, pauses and the span between a close and a reopen left out), in hours; only
  complaints whose step is done count towards the mean.
* **Client or internal**: what the client's handling point holds us to — volume, per 1,000,
  valid rate, times, breaches — is ``client``; how we work (reopens, escalations, callbacks) is
  ``internal``.
* **A blocker** is a complaint received in the month or before, open, with no verdict, past a
  deadline whose step is still not done: the month's score cannot be final while a deduction it
  may carry is neither given nor refused, and the deadline says it should have been.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from floorwalker.core import KPI, Blocker, KPIDef, validate

from . import clocks, records
from .config import NAME

# KPI codes another plugin may declare for the contacts handled in a span, in order of preference
CONTACT_KPIS = ("contacts", "contacts_handled", "calls_answered", "answered")
DONE = ("closed", "archived")


@dataclass
class Summary:
    """The figures of a group of complaints (the project's month, a category, a root cause)."""

    key: str
    received: int = 0
    decided: int = 0
    valid: int = 0
    first_response: list = field(default_factory=list)  # business minutes, per complaint answered
    close: list = field(default_factory=list)  # business minutes, per complaint closed
    breach: dict = field(default_factory=lambda: {t: [0, 0] for t in clocks.TARGETS})  # failed, decided
    closed_once: int = 0
    reopened: int = 0
    escalations: int = 0
    callbacks: int = 0
    contacts: float | None = None

    @property
    def valid_rate(self) -> float | None:
        return 100 * self.valid / self.decided if self.decided else None

    @property
    def per_thousand(self) -> float | None:
        """Complaints per 1,000 contacts; None without contact data (never 0 for "unknown")."""
        return 1000 * self.received / self.contacts if self.contacts else None

    @property
    def first_response_hours(self) -> float | None:
        return _mean_hours(self.first_response)

    @property
    def close_hours(self) -> float | None:
        return _mean_hours(self.close)

    def breach_rate(self, target: str) -> float | None:
        failed, decided = self.breach[target]
        return 100 * failed / decided if decided else None

    @property
    def reopen_rate(self) -> float | None:
        return 100 * self.reopened / self.closed_once if self.closed_once else None


def _mean_hours(minutes: list) -> float | None:
    return round(sum(minutes) / len(minutes) / 60, 1) if minutes else None


def summarise(key: str, items: list[tuple[dict, list]]) -> Summary:
    """The figures of *items*: (complaint, its clocks) pairs."""
    s = Summary(key, received=len(items))
    for doc, found in items:
        outcome = (doc.get("verdict") or {}).get("outcome")
        s.decided += outcome is not None
        s.valid += outcome == "valid"
        for c in found:
            if c.state in ("met", "failed"):
                s.breach[c.target][0] += c.state == "failed"
                s.breach[c.target][1] += 1
            if doc.get(clocks.DONE_FIELD[c.target]):
                if c.target == "first_response":
                    s.first_response.append(c.minutes)
                elif c.target == "closure":
                    s.close.append(c.minutes)
        reopens = len(doc.get("reopens") or ())
        s.closed_once += doc["status"] in DONE or reopens > 0
        s.reopened += reopens > 0
        s.escalations += len(doc.get("escalations") or ())
        s.callbacks += len(doc.get("callbacks") or ())
    return s


def with_clocks(fw, project: dict, docs: list[dict], now: dt.datetime) -> list[tuple[dict, list]]:
    return [(doc, records.targets(fw, project, doc, now)) for doc in docs]


def in_span(docs: list[dict], first: dt.date | None, last: dt.date | None) -> list[dict]:
    if first is None or last is None:
        return docs
    return [d for d in docs if first.isoformat() <= d["received"][:10] <= last.isoformat()]


# ---------------------------------------------------------------- contacts, from another plugin


def contact_source(fw, project: dict) -> tuple[str, str] | None:
    """(plugin, KPI code) of the contacts this project's figures divide by, or None."""
    for code in CONTACT_KPIS:
        declared = fw.kpi_defs.get(code)
        if declared is not None and declared.plugin != NAME and declared.plugin in project["plugins"]:
            return declared.plugin, code
    return None


def contacts(fw, project: dict, month: str, first: dt.date | None = None,
             last: dt.date | None = None) -> float | None:
    """The contacts handled in the span, as the declaring plugin counts them; None where no
    enabled plugin declares them or it has none to give (0 contacts is no data either)."""
    source = contact_source(fw, project)
    if source is None:
        return None
    plugin, code = source
    if first is None or last is None:
        first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
    alone = {**project, "plugins": [plugin]}
    for answer in fw.project_hook(alone, "project_kpis")(floorwalker=fw, project=project, period=month,
                                                         first=first, last=last):
        for kpi in answer or ():
            if isinstance(kpi, KPI) and kpi.code == code and kpi.value:
                return float(kpi.value)
    return None


# ---------------------------------------------------------------- the month, by group, by month


@dataclass
class Month:
    """A project's complaint figures of a month: the whole, by category, by root cause."""

    month: str
    whole: Summary
    categories: list[Summary]
    root_causes: list[Summary]
    items: list  # (complaint, clocks), oldest first


def month_figures(fw, project: dict, month: str, first: dt.date | None = None,
                  last: dt.date | None = None, now: dt.datetime | None = None) -> Month:
    """The figures of the complaints received in *month* (or from *first* to *last* in it)."""
    month = validate.month(month)
    now = now or fw.projects.now(project)
    items = with_clocks(fw, project, in_span(records.of_month(fw, project, month), first, last), now)
    whole = summarise(project["slug"], items)
    whole.contacts = contacts(fw, project, month, first, last)
    settings = fw.projects.settings(project, NAME)
    return Month(month, whole, _grouped(items, "category", settings["categories"]),
                 _grouped(items, "root_cause", settings["root_causes"]), items)


def _grouped(items: list, key: str, taxonomy: list[dict]) -> list[Summary]:
    """A summary per value of *key*, in the taxonomy's order; "" (not classified yet) last."""
    groups: dict[str, list] = defaultdict(list)
    for doc, found in items:
        groups[doc.get(key) or ""].append((doc, found))
    order = [r["name"] for r in taxonomy]
    ranked = sorted(groups, key=lambda k: (k == "", order.index(k) if k in order else len(order), k))
    return [summarise(k, groups[k]) for k in ranked]


def trend(fw, project: dict, month: str, count: int = 6) -> list[Summary]:
    """The project's summary for each of the *count* months up to *month*, oldest first."""
    year, mon = map(int, validate.month(month).split("-"))
    start = (year * 12 + mon - 1) - (count - 1)
    months = validate.months_between(f"{start // 12:04d}-{start % 12 + 1:02d}", month)
    now = fw.projects.now(project)
    found = []
    for m in months:
        s = summarise(m, with_clocks(fw, project, records.of_month(fw, project, m), now))
        s.contacts = contacts(fw, project, m)
        found.append(s)
    return found


# ---------------------------------------------------------------- KPIs (the dashboard, the client report)

HOURS_EN, HOURS_ZH = " (business hours)", "（工作小时）"
KPIS = [
    KPIDef("complaints_received", "Complaints received", "投诉量", "", False, "sum", "client"),
    KPIDef("complaints_per_thousand", "Complaints per 1,000 contacts", "千次接触投诉量", "‰", False,
           "ratio", "client"),
    KPIDef("complaints_valid_rate", "Valid-complaint rate", "投诉成立率", "%", False, "ratio", "client"),
    KPIDef("complaints_first_response", "Time to first response" + HOURS_EN, "平均首次响应用时" + HOURS_ZH,
           "", False, "mean", "client"),
    KPIDef("complaints_time_to_close", "Time to close" + HOURS_EN, "平均结案用时" + HOURS_ZH, "", False,
           "mean", "client"),
    KPIDef("complaints_breach_first_response", "First responses late", "首次响应超时率", "%", False,
           "ratio", "client"),
    KPIDef("complaints_breach_solution", "Solutions late", "解决方案超时率", "%", False, "ratio", "client"),
    KPIDef("complaints_breach_closure", "Closures late", "结案超时率", "%", False, "ratio", "client"),
    KPIDef("complaints_reopen_rate", "Reopen rate", "投诉重开率", "%", False, "ratio", "internal"),
    KPIDef("complaints_escalations", "Escalations", "追加次数", "", False, "sum", "internal"),
    KPIDef("complaints_callbacks", "Callbacks done", "回访次数", "", True, "sum", "internal"),
]
NO_CONTACTS_EN, NO_CONTACTS_ZH = ": no contact data", "：无接触量数据"


def kpis(fw, project: dict, period: str, first: dt.date | None = None,
         last: dt.date | None = None) -> list[KPI]:
    """The complaint figures of *project* from *first* to *last* (the month *period* without
    them), each with its n and, for a rate, what it counts."""
    return as_kpis(month_figures(fw, project, period, first, last).whole, project, period)


def as_kpis(s: Summary, project: dict, period: str) -> list[KPI]:
    """*s* as the KPIs of `KPIS`, in their order (the pack's summary reads them too)."""
    declared = {k.code: k for k in KPIS}
    url = f"/p/{project['slug']}/{NAME}/figures?month={period}"

    def figure(code, value, n=None, numerator=None, denominator=None, title=("", "")):
        k = declared[code]
        return KPI(code=code, title_en=k.title_en + title[0], title_zh=k.title_zh + title[1], value=value,
                   unit=k.unit, higher_is_better=k.higher_is_better, n=n, numerator=numerator,
                   denominator=denominator, url=url)
    breaches = [figure(f"complaints_breach_{t}", s.breach_rate(t), s.breach[t][1], *s.breach[t])
                for t in clocks.TARGETS]
    return [
        figure("complaints_received", s.received, s.received),
        figure("complaints_per_thousand", s.per_thousand, s.received, s.received, s.contacts,
               title=("", "") if s.contacts else (NO_CONTACTS_EN, NO_CONTACTS_ZH)),
        figure("complaints_valid_rate", s.valid_rate, s.decided, s.valid, s.decided),
        figure("complaints_first_response", s.first_response_hours, len(s.first_response)),
        figure("complaints_time_to_close", s.close_hours, len(s.close)),
        *breaches,
        figure("complaints_reopen_rate", s.reopen_rate, s.closed_once, s.reopened, s.closed_once),
        figure("complaints_escalations", s.escalations, s.received),
        figure("complaints_callbacks", s.callbacks, s.received),
    ]


# ---------------------------------------------------------------- deadlines: the blockers, the dashboard


def overdue_clocks(doc: dict, found: list) -> list:
    """The targets of *doc* past their deadline whose step is still not done."""
    return [c for c in found if c.state == "failed" and not doc.get(clocks.DONE_FIELD[c.target])]


def blocking(fw, project: dict, period: str, now: dt.datetime | None = None) -> list[tuple[dict, list]]:
    """The complaints that keep *period* from closing, with their overdue targets: received in
    it or before, open, without a verdict, past a deadline."""
    now = now or fw.projects.now(project)
    found = []
    for doc in reversed(records.all_of(fw, project)):
        if doc["received"][:7] > period or doc["status"] in DONE or doc.get("verdict"):
            continue
        late = overdue_clocks(doc, records.targets(fw, project, doc, now))
        if late:
            found.append((doc, late))
    return found


def blockers(fw, project: dict, period: str) -> list[Blocker]:
    late = blocking(fw, project, period)
    return [Blocker(NAME, "Complaints past a deadline without a verdict", "已超时且未判定的投诉", len(late),
                    f"/p/{project['slug']}/{NAME}/figures?month={period}#blocking")] if late else []


def watch(fw, project: dict, now: dt.datetime | None = None) -> dict:
    """The open complaints near a deadline (the warning before a breach) and past one, each with
    the clock that puts it there, the soonest due first: the dashboard's widget."""
    now = now or fw.projects.now(project)
    near, late = [], []
    for doc in records.all_of(fw, project):
        if doc["status"] in DONE:
            continue
        found = records.targets(fw, project, doc, now)
        overdue = overdue_clocks(doc, found)
        if overdue:
            late.append({"doc": doc, "clock": min(overdue, key=lambda c: c.due)})
        elif any(c.warning for c in found):
            near.append({"doc": doc, "clock": min((c for c in found if c.warning), key=lambda c: c.due)})
    for rows in (near, late):
        rows.sort(key=lambda r: r["clock"].due)
    return {"near": near, "late": late}
