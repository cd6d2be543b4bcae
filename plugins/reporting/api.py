"""The reporting plugin's endpoints of the JSON API (``/api/v1/projects/{project}/reporting/…``):
traffic in from the telephony and chat platforms, and out the traffic of a day, the KPIs of a
span against the contract and the published client reports.

Traffic rows go through the traffic importer (`traffic_import.store`, then `traffic.replace`): every
row checked before any is written (a day after today on the floor, a closed month, a part above its
whole, the same interval twice), and each day (and queue, and kind of row) sent replacing what was
stored for it, so a day sent again replaces it. A refused row names its item: ``items[3].answered``.
The KPIs are the ``reporting kpis`` command's JSON as the reader may read them (`kpis.figures`: a
client reads the figures meant for it only); the reports are the documents as published
(`report.stored`), read by whoever reads them on the portal.
"""

from __future__ import annotations

import datetime as dt
import re

from floorwalker.core import N_, Call, Endpoint, NotFound, PermissionDenied, ValidationError, validate, values

from . import kpis, report, traffic, traffic_import
from .actions import KPIS_VIEW, REPORT_VIEW, TRAFFIC_IMPORT, TRAFFIC_VIEW
from .config import NAME
from .kpi_commands import as_json
from .portal import shown_to

BASE = f"/projects/{{project}}/{NAME}"
MOST_ITEMS = 20_000
MOST_DAYS = 366
FIRST_DAY, LAST_DAY = "1900-01-01", "2999-12-31"  # the span the records hold (as the importers')
TOTAL_LINE = re.compile(r"^(合计|总计|小计|汇总|total|subtotal)\b", re.I)  # what the importer skips
# an item's fields and the importer's columns they fill (where the names differ)
COLUMN_OF = {"threshold_seconds": "threshold", "talk_seconds": "talk", "hold_seconds": "hold",
             "wrap_seconds": "wrap", "first_response_seconds": "first_response"}
FIELD_OF = {**{v: k for k, v in COLUMN_OF.items()}, "interval": "minutes", "date": "day"}
COUNT = {"type": "integer", "minimum": 0, "maximum": 10**9, "nullable": True}
ITEM_FIELDS = {
    "day": {"type": "string", "minLength": 1, "maxLength": 10, "description": "YYYY-MM-DD"},
    "start": {"type": "string", "maxLength": 5, "nullable": True,
              "description": "An interval's start, HH:MM; left out for a day's total or an agent's day."},
    "minutes": {"type": "integer", "enum": list(traffic.MINUTES), "nullable": True,
                "description": "The interval's length (15, 30 or 60)."},
    "queue": {"type": "string", "maxLength": 80, "nullable": True},
    "agent": {"type": "string", "maxLength": 20, "nullable": True, "description": "An agent's day: the agent."},
    "threshold_seconds": {**COUNT, "description": "The service-level threshold (the contract's by default)."},
    **{name: COUNT for name in traffic.COUNTS},
    **{name: {**COUNT, "description": "Total seconds."} for name in traffic.SECONDS},
    "order_value": {"type": "number", "minimum": 0, "maximum": 10**12, "nullable": True, "description": "Yuan."},
}
TRAFFIC_BODY = {"type": "object", "required": ["items"], "additionalProperties": False, "properties": {
    "items": {"type": "array", "maxItems": MOST_ITEMS, "items": {
        "type": "object", "required": ["day"], "additionalProperties": False, "properties": ITEM_FIELDS}}}}


def _item_error(err: ValidationError) -> ValidationError:
    """The importer's error about row *n* (our item *n*) as the error of ``items[n].field``."""
    if err.row is None:
        return err
    problem = err.params["problem"]
    params = dict(problem.params)
    if "whole" in params:
        params["whole"] = FIELD_OF.get(params["whole"], params["whole"])
    field = FIELD_OF.get(str(err.field), str(err.field))
    return ValidationError(f"items[{err.row}].{field}", problem.message, **params)


def add_traffic(call: Call) -> dict:
    """Traffic rows, all or none, each day sent replacing the stored one (as an import does)."""
    items = call.body["items"]
    if not items:
        return {"rows": 0, "days": 0, "replaced": 0}
    columns = [COLUMN_OF.get(name, name) for name in ITEM_FIELDS]
    rows = [(n, {COLUMN_OF.get(name, name): "" if item.get(name) is None else str(item[name])
                 for name in ITEM_FIELDS}) for n, item in enumerate(items)]
    for n, item in enumerate(items):
        for name in ("queue", "agent"):  # a subtotal line of a file is skipped: never an item
            if TOTAL_LINE.match(values.plain(str(item.get(name) or ""))):
                raise ValidationError(f"items[{n}].{name}", N_("a total line is not a row: send the rows"))
    try:
        done = traffic_import.store(call.fw, call.project, _Rows(rows, columns), call.user["username"],
                                    source="api")
    except ValidationError as err:
        raise _item_error(err) from None
    return {key: done[key] for key in ("rows", "days", "replaced")}


class _Rows(list):
    """The items as the importer's rows, with their header (every column, in one order)."""

    def __init__(self, rows, header):
        super().__init__(rows)
        self.header = header


def traffic_of_day(call: Call) -> list[dict]:
    day = _day(call, "day", call.fw.projects.today(call.project))
    return [{key: row.get(key) for key in traffic.FIELDS} for row in traffic.rows(call.fw, call.project, day, day)]


def _day(call: Call, name: str, default: dt.date) -> dt.date:
    """A day of the query within the span the records hold (1900–2999), else the error naming it."""
    text = call.query.get(name)
    if not text:
        return default
    day = validate.date(text, name)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(name, N_("expected a date from {first} to {last}, got {value!r}"),
                              first=FIRST_DAY, last=LAST_DAY, value=text)
    return dt.date.fromisoformat(day)


def kpi_figures(call: Call) -> list[dict]:
    """Every KPI of the span against the contract (a part per contract version), as the reader
    may read them: a client the figures meant for it only."""
    today = call.fw.projects.today(call.project)
    first = _day(call, "first", today.replace(day=1))
    last = _day(call, "last", today)
    if last < first or (last - first).days >= MOST_DAYS:
        raise ValidationError("last", N_("choose at most {days} days, the last day after the first"),
                              days=MOST_DAYS)
    return [as_json(f) for f in kpis.figures(call.fw, call.project, first, last, call.user)]


def _readers_only(call: Call) -> None:
    if not shown_to(call.fw, call.project, call.user):
        raise PermissionDenied(N_("the project does not show the reports to agents"))


def reports(call: Call) -> list[dict]:
    _readers_only(call)
    return report.published(call.fw, call.project)


def published_report(call: Call) -> dict:
    _readers_only(call)
    text = call.params["period"]
    try:
        span = report.span_of(text)
        if not FIRST_DAY <= span.first.isoformat() <= span.last.isoformat() <= LAST_DAY:
            raise ValueError(text)
    except (ValueError, OverflowError):
        raise ValidationError(N_("period"), N_("expected a month YYYY-MM or a week YYYY-Www, got {value!r}"),
                              value=text) from None
    found = report.stored(call.fw, call.project, span)
    if found is None:
        raise NotFound(N_("no report of {period} is published"), period=span.label)
    return {**{k: v for k, v in found.items() if k != "data"}, "document": found["data"]}


TRAFFIC_EXAMPLE = {"day": "2026-12-07", "start": "09:00", "minutes": 30, "queue": "宽带报修", "offered": 212,
                   "answered": 198, "answered_in_threshold": 171, "abandoned": 14, "abandoned_short": 3,
                   "threshold_seconds": 20, "talk_seconds": 41580, "hold_seconds": 2310, "wrap_seconds": 5940,
                   "csat_responses": 64, "csat_satisfied": 58}
REPORT_RECORD = {"id": "2026-11", "kind": "month", "first": "2026-11-01", "last": "2026-11-30",
                 "published_at": "2026-12-01T06:00:02", "published_by": "system", "frozen": False, "dated": None}
KPI_EXAMPLE = {"code": "service_level", "value": 0.853, "target": 0.8, "met": True, "n": 18342, "automated": True,
               "unit": "%", "penalty": None, "first": "2026-11-01", "last": "2026-11-30"}
OBJECT = {"type": "object"}
DAY = {"type": "string", "description": "A day, YYYY-MM-DD."}

ENDPOINTS = [
    Endpoint("POST", f"{BASE}/traffic", add_traffic, TRAFFIC_IMPORT,
             "Traffic rows from the telephony or chat platform, all or none (a day sent again replaces it)", summary_zh="来自话务或在线平台的话务数据，全部成功或全部不写（重发某日即替换该日）",
             body=TRAFFIC_BODY, body_example={"items": [TRAFFIC_EXAMPLE]}, response=OBJECT,
             example={"rows": 1, "days": 1, "replaced": 0}, tag="reporting"),
    Endpoint("GET", f"{BASE}/traffic", traffic_of_day, TRAFFIC_VIEW, "The traffic rows of a day (a page at a time)", summary_zh="某日的话务数据（分页）",
             params={"day": {**DAY, "example": "2026-12-07"}}, response={"type": "array", "items": OBJECT},
             example={"items": [{"id": "t4e8a1b2c", **TRAFFIC_EXAMPLE, "source": "api"}], "next": None},
             paged=True, tag="reporting"),
    Endpoint("GET", f"{BASE}/kpis", kpi_figures, KPIS_VIEW,
             "The KPIs of a span against the contract (a client: the figures meant for it)", summary_zh="某期间各指标对照合同的达成情况（甲方：仅其可见指标）",
             params={"first": {**DAY, "description": "The first day (this month's first by default)."},
                     "last": {**DAY, "description": f"The last day (today by default; at most {MOST_DAYS} days)."}},
             response={"type": "array", "items": OBJECT}, example=[KPI_EXAMPLE], tag="reporting"),
    Endpoint("GET", f"{BASE}/reports", reports, REPORT_VIEW, "The published client reports (a page at a time)", summary_zh="已发布的报表（分页）",
             response={"type": "array", "items": OBJECT}, example={"items": [REPORT_RECORD], "next": None},
             paged=True, tag="reporting"),
    Endpoint("GET", f"{BASE}/reports/{{period}}", published_report, REPORT_VIEW,
             "A published client report: its record and its document", summary_zh="一份已发布的报表：发布记录与内容",
             response=OBJECT, example={**REPORT_RECORD, "document": {"project": {"name": "华联通信客服热线"},
                                                                     "figures": [KPI_EXAMPLE]}},
             tag="reporting"),
]
