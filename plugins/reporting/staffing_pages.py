"""The staffing page (``/p/<p>/reporting/staffing?day=YYYY-MM-DD``): a day's intervals — the
forecast, AHT, agents required on the phones and to roster, agents scheduled, the gap — with a
chart of required against scheduled; and the form a supervisor types a day's forecast into
(``/staffing/forecast``).

The staff read it (`actions.STAFFING_VIEW`, team leaders included); supervisors enter the
forecast (`actions.STAFFING_FORECAST`). A client never opens it: the client report's staffing
section reads `staffing.summary`.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from floorwalker.core import N_, Route, ValidationError, validate

from . import charts, staffing
from .actions import STAFFING_FORECAST, STAFFING_VIEW
from .config import NAME


def _day(p, value=None) -> dt.date:
    text = value or p.request.query_params.get("day")
    if not text:
        return p.fw.projects.today(p.project)
    return dt.date.fromisoformat(validate.date(text, N_("day")))


def _context(p, day: dt.date) -> dict:
    config = staffing.settings(p.fw, p.project)
    target, threshold, _ = staffing.service_goal(p.fw, p.project, day)
    return {"base": f"/p/{p.project['slug']}/{NAME}", "day": day.isoformat(),
            "weekday": format_date(day, "EEEE", locale=p.locale),
            "previous": (day - dt.timedelta(days=1)).isoformat(),
            "following": (day + dt.timedelta(days=1)).isoformat(),
            "target": target, "threshold": threshold, "shrinkage": config["staffing_shrinkage"],
            "weeks": config["staffing_history_weeks"], "minutes": config["staffing_interval_minutes"],
            "can_forecast": p.can(STAFFING_FORECAST)}


def chart(rows: list[dict], locale: str, title: str, required: str, scheduled: str):
    """Required to roster beside scheduled, per interval from the plan's first to its last, an
    interval with no row in between drawn empty so that the time axis keeps its even steps (an
    interval without a forecast has no required bar: no data, not zero)."""
    minutes = rows[0]["minutes"]
    by_start = {r["start"]: r for r in rows}
    begin, end = (staffing.clock_minutes(r["start"]) for r in (rows[0], rows[-1]))
    starts = [label for label, at in staffing.slots(minutes) if begin <= at <= end]
    return charts.bars({required: [(s, (by_start.get(s) or {}).get("required")) for s in starts],
                        scheduled: [(s, (by_start.get(s) or {}).get("scheduled")) for s in starts]},
                       title=title, locale=locale)


def staffing_page(p):
    day = _day(p)
    rows = staffing.day_plan(p.fw, p.project, day)
    short = [r for r in rows if r["short"]]
    drawn = chart(rows, p.locale, p._(N_("Agents to roster and scheduled, per interval")),
                  p._(N_("To roster")), p._(N_("Scheduled"))) if rows else None
    return p.render("reporting/staffing.html", rows=rows, chart=drawn, short=len(short),
                    forecast_hours=sum(r["required"] or 0 for r in rows) * rows[0]["minutes"] / 60 if rows else 0,
                    **_context(p, day))


def forecast_page(p, day: dt.date | None = None, error: str | None = None, status: int = 200,
                  typed: dict | None = None):
    day = day or _day(p)
    config = staffing.settings(p.fw, p.project)
    minutes = config["staffing_interval_minutes"]
    by_start = {r["start"]: r for r in staffing.day_plan(p.fw, p.project, day)}
    hand = staffing.hand_forecast(p.fw, p.project, day)
    lines = []
    for label, _ in staffing.slots(minutes):
        kept, shown = hand.get(label) or {}, by_start.get(label) or {}
        lines.append({"start": label,
                      "history": shown.get("calls") if shown.get("source") == "history" else None,
                      "calls": (typed or {}).get(label, (kept.get("calls"), kept.get("aht")))[0],
                      "aht": (typed or {}).get(label, (kept.get("calls"), kept.get("aht")))[1]})
    return p.render("reporting/staffing_forecast.html", http_status=status, lines=lines, error=error,
                    **_context(p, day))


def save_forecast(p):
    day = dt.date.fromisoformat(validate.date(p.form.get("day"), N_("day")))
    minutes = staffing.settings(p.fw, p.project)["staffing_interval_minutes"]
    entries = {label: (p.form.get(f"calls_{label}", ""), p.form.get(f"aht_{label}", ""))
               for label, _ in staffing.slots(minutes)}
    try:
        staffing.save_forecast(p.fw, p.project, day, entries, p.user["username"])
    except ValidationError as err:
        return forecast_page(p, day, err.message(p.locale), err.http_status, entries)
    return p.redirect(f"/p/{p.project['slug']}/{NAME}/staffing?day={day.isoformat()}")


def routes() -> list[Route]:
    return [Route("/staffing", staffing_page, action=STAFFING_VIEW),
            Route("/staffing/forecast", forecast_page, action=STAFFING_FORECAST),
            Route("/staffing/forecast", save_forecast, action=STAFFING_FORECAST, methods=("POST",),
                  limits={"day": 10})]
