"""The traffic page (``/p/<p>/reporting/traffic``): a month's days with their totals, and a day's
intervals (``?day=YYYY-MM-DD``).

The staff read it (`actions.TRAFFIC_VIEW`); a client reads the KPIs and reports made from it,
never the raw rows. Files go up through the core's Import page (its preview, saved mappings and
all-or-nothing write), which the page links to for those who may import. A column shows only
where the month has data for it (a chat floor has no talk time); a figure without data is "–",
never 0. The share answered within the threshold is of the calls offered; the contract's own
service-level formula applies on the KPI page.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from floorwalker.core import N_, Route, validate

from . import traffic
from .actions import TRAFFIC_IMPORT, TRAFFIC_VIEW
from .config import NAME

# (key, title, kind): the columns of the page in order, each shown where the month has its data
COLUMNS = (("offered", N_("Offered"), "count"), ("answered", N_("Answered contacts"), "count"),
           ("answer_rate", N_("Answer rate"), "share"), ("within", N_("Within threshold"), "share"),
           ("abandoned", N_("Abandoned"), "count"), ("aht", N_("AHT"), "seconds"),
           ("csat", N_("Satisfaction"), "share"), ("chat_sessions", N_("Chat sessions"), "count"),
           ("seats", N_("Seats (peak)"), "count"), ("first_response", N_("First response"), "seconds"),
           ("inquiries", N_("Inquiries"), "count"), ("orders", N_("Orders"), "count"),
           ("conversion", N_("Conversion"), "share"), ("order_value", N_("Order value"), "money"),
           ("average_order", N_("Average order value"), "money"))


def _ratio(a, b):
    return a / b if a is not None and b else None


def figures(t: dict) -> dict:
    """What the page shows of one `traffic.totals`: the counts and the ratios made from them."""
    handle = [t[k] for k in ("talk_seconds", "hold_seconds", "wrap_seconds") if t[k] is not None]
    return {**t, "answer_rate": _ratio(t["answered"], t["offered"]),
            "within": _ratio(t["answered_in_threshold"], t["offered"]),
            "aht": _ratio(sum(handle), t["answered"]) if handle else None,
            "csat": _ratio(t["csat_satisfied"], t["csat_responses"]),
            "first_response": _ratio(t["first_response_seconds"], t["chat_sessions"]),
            "conversion": _ratio(t["orders"], t["inquiries"]),
            "average_order": _ratio(t["order_value"], t["orders"])}


def _end(row: dict) -> str | None:
    if not row.get("start"):
        return None
    at = dt.datetime.strptime(row["start"], "%H:%M") + dt.timedelta(minutes=row.get("minutes") or 0)
    return at.strftime("%H:%M")


def _peak(found: list[dict]) -> int | None:
    """The most seats of any row: seats are agents at a time, and add up over no span."""
    seats = [r["seats"] for r in found if r.get("seats") is not None]
    return max(seats) if seats else None


def _shown(lines: list[dict]) -> list[tuple]:
    return [c for c in COLUMNS if any(line.get(c[0]) is not None for line in lines)]


def _target(p) -> float | None:
    targets = p.project.get("kpi_targets") or {}
    return targets.get("service_level")


def _context(p) -> dict:
    return {"base": f"/p/{p.project['slug']}/{NAME}", "can_import": p.can(TRAFFIC_IMPORT),
            "target": _target(p)}


def _month_page(p, month: str):
    first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
    found = traffic.rows(p.fw, p.project, first, last)
    peaks: dict[str, list] = {}
    for r in found:
        peaks.setdefault(r["day"], []).append(r)
    days = [{"day": day, "weekday": format_date(dt.date.fromisoformat(day), "EEE", locale=p.locale),
             **figures(t), "seats": _peak(peaks[day])} for day, t in traffic.by_day(found).items()]
    whole = {**figures(traffic.totals(found)), "seats": _peak(found)}
    previous = (first - dt.timedelta(days=1)).isoformat()[:7]
    following = (last + dt.timedelta(days=1)).isoformat()[:7]
    return p.render("reporting/traffic.html", month=month, days=days, whole=whole,
                    columns=_shown(days), previous=previous, following=following,
                    stored=traffic.stored_months(p.fw, p.project), **_context(p))


def _day_page(p, day: str):
    date = dt.date.fromisoformat(day)
    found = traffic.rows(p.fw, p.project, date, date)
    lines = [{**r, **figures({**{k: r.get(k) for k in traffic.MEASURES}}), "end": _end(r)} for r in found]
    whole = {**figures(traffic.totals(found)), "seats": _peak(found)}
    return p.render("reporting/traffic_day.html", day=day, month=day[:7], lines=lines, whole=whole,
                    columns=_shown(lines), weekday=format_date(date, "EEEE", locale=p.locale),
                    previous=(date - dt.timedelta(days=1)).isoformat(),
                    following=(date + dt.timedelta(days=1)).isoformat(),
                    queues=len({r["queue"] for r in found}) > 1, **_context(p))


def traffic_page(p):
    query = p.request.query_params
    if query.get("day"):
        return _day_page(p, validate.date(query.get("day"), N_("day")))
    month = validate.month(query.get("month") or p.fw.projects.today(p.project).isoformat()[:7])
    return _month_page(p, month)


def routes() -> list[Route]:
    return [Route("/traffic", traffic_page, action=TRAFFIC_VIEW)]
