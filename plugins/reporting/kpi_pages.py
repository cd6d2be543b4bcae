"""The KPI page under ``/p/{project}/reporting/kpis``: a day, an ISO week or a month
(``?grain=day|week|month&at=…``), each figure against the target of the contract version in
force — hit or miss, the penalty of a miss, n, automated or entered by hand (手工录入), its owner
for the staff — and a part per contract version where one takes effect inside the span. A
figure with no data says so (无数据), never 0. The supervisors enter a value by hand for a KPI
that has none for exactly the span shown."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, NotFound, PermissionDenied, Route

from . import kpis
from .kpis import shown
from .actions import CONTRACT_VIEW, KPIS_ENTER, KPIS_VIEW
from .config import NAME

GRAINS = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}


def unit_label(p, declared) -> str:
    """The unit a form or a column names for a KPI: %, seconds, yuan, ‰ or nothing."""
    if declared.code in kpis.SECONDS:
        return p._(N_("seconds"))
    if declared.unit == "¥":
        return p._(N_("yuan"))
    return declared.unit


def _span(p) -> tuple[str, str, dt.date, dt.date]:
    """The span asked for; a wrong one falls back to this month."""
    grain = p.request.query_params.get("grain") or "month"
    today = p.fw.projects.today(p.project)
    at = p.request.query_params.get("at") or kpis.label(grain if grain in GRAINS else "month", today)
    try:
        first, last = kpis.span(grain, at)
    except (FloorwalkerError, ValueError):
        grain, at = "month", today.isoformat()[:7]
        first, last = kpis.span(grain, at)
    return grain, kpis.label(grain, first), first, last


def _step(grain: str, first: dt.date, last: dt.date, forward: bool) -> str:
    day = last + dt.timedelta(days=1) if forward else first - dt.timedelta(days=1)
    return kpis.label(grain, day)


def page(p, error: str | None = None, status: int = 200, typed: dict | None = None) -> Response:
    grain, at, first, last = _span(p)
    found = kpis.figures(p.fw, p.project, first, last, p.user)
    parts: list[dict] = []
    for f in found:
        if not parts or (parts[-1]["first"], parts[-1]["last"]) != (f.first, f.last):
            parts.append({"first": f.first, "last": f.last, "version": f.version, "figures": []})
        parts[-1]["figures"].append(f)
    staff = p.fw.access.reads(p.user, p.project)
    can_enter = p.can(KPIS_ENTER)
    missing = []
    if can_enter and len(parts) <= 1:
        have = {f.code for f in found if f.value is not None}
        missing = [(d.code, d.title(p.locale)) for d in p.fw.kpi_defs.values()
                   if d.plugin in p.project["plugins"] and not d.group_en and not d.action and d.code not in have]
    penalties = sum(f.penalty for f in found if f.penalty)
    return p.render("reporting/kpis.html", http_status=status, grain=grain, at=at, first=first.isoformat(),
                    last=last.isoformat(), parts=parts, split=len(parts) > 1, staff=staff,
                    grains=GRAINS, previous=_step(grain, first, last, False), following=_step(grain, first, last, True),
                    show=lambda f, value: shown(value, f.unit, f.code, p.locale), penalties=penalties,
                    gap=lambda f: kpis.gap(f, p.locale),
                    monthly=grain == "month",  # penalties are the contract's per month: a day or week shows none
                    missed=sum(1 for f in found if f.met is False), can_enter=can_enter, missing=missing,
                    can_contract=p.can(CONTRACT_VIEW), error=error, typed=typed or {}, base=f"/p/{p.project['slug']}/{NAME}")


def enter(p) -> Response:
    grain, at, first, last = _span(p)
    try:
        kpis.enter(p.fw, p.project, str(p.form.get("code") or ""), first, last, p.form.get("value"),
                   p.form.get("n"), p.form.get("note"), p.user["username"])
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return page(p, err.message(p.locale), err.http_status, typed={k: p.form.get(k) for k in p.form.keys()})
    return p.redirect(f"/p/{p.project['slug']}/{NAME}/kpis?grain={grain}&at={at}")


def routes() -> list[Route]:
    return [
        Route("/kpis", page, action=KPIS_VIEW),
        Route("/kpis", enter, action=KPIS_ENTER, methods=("POST",)),
    ]
