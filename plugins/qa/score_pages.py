"""The pages of the QA plugin's month-level scores: the monthly exam (its scores by month, and
the upload that replaces a month's) and the supervisor's spot checks (the month's, and the form
that records one on an agent).

The exam's upload here is for whoever holds the exam action (the trainer too); the core's import
page offers the same import with its preview and saved column mappings to those who import.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from floorwalker.core import FloorwalkerError, Route, ValidationError, validate

from . import exams, monthly
from .actions import EXAMS, SPOT_CHECK, VIEW
from .config import NAME
from .scorecard_pages import base, uploaded


def _month(p, offered: list[str]) -> str:
    asked = p.request.query_params.get("month")
    if asked:
        return validate.month(asked)
    return offered[0] if offered else p.fw.projects.today(p.project).isoformat()[:7]


def _names(p, month: str) -> dict[str, str]:
    first, last = validate.month_bounds(month)
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], first, last)}


def exam_page(p, errors: dict | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    offered = exams.months(p.fw, slug)
    month = _month(p, offered)
    settings = p.fw.projects.settings(p.project, NAME)
    rows = [dict(d, verdict=exams.verdict(d["score"], settings["exam_full_score"], settings["exam_pass_mark"]))
            for d in exams.of_month(p.fw, slug, month)]
    done = {k[2:]: v for k, v in p.request.query_params.items() if k.startswith("n_")}
    return p.render("qa/exams.html", http_status=status, month=month, months=offered, rows=rows,
                    names=_names(p, month), base=base(p), settings=settings, can_import=p.can(EXAMS),
                    errors=errors or {}, done=done, counts=exams.COUNTS,
                    this_month=p.fw.projects.today(p.project).isoformat()[:7],
                    closed=month in p.fw.store.closed_months(slug))


def exam_upload(p) -> Response:
    month = str(p.form.get("month") or "").strip()
    try:
        with uploaded(p) as path:
            counts = exams.import_file(p.fw, p.project, path, p.user["username"], month=month)
    except ValidationError as err:
        field = "month" if err.field == "month" else "file"
        return exam_page(p, {field: err.message(p.locale), "month_value": month}, err.http_status)
    except FloorwalkerError as err:
        return exam_page(p, {"file": err.message(p.locale), "month_value": month}, err.http_status)
    query = {"month": month, **{f"n_{k}": v for k, v in counts.items()}}
    return p.redirect(f"{base(p)}/exams?{urlencode(query)}")


def spot_page(p, errors: dict | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    today = p.fw.projects.today(p.project).isoformat()
    month = validate.month(p.request.query_params.get("month") or today[:7])
    rule = p.fw.ledger.rule(monthly.SPOT_CHECK_RULE, p.project)
    return p.render("qa/spot_checks.html", http_status=status, month=month, rows=monthly.spot_checks(p.fw, slug, month),
                    names=_names(p, month), base=base(p), can_record=p.can(SPOT_CHECK), rule=rule,
                    agents=[(n, f"{n} {name}") for n, name in sorted(_names(p, today[:7]).items())], today=today, errors=errors or {},
                    values=p.form if errors else {}, max_errors=monthly.MAX_ERRORS)


# the field an error names → the input it is shown beside (a closed month: the date)
FIELDS = {"agent": "agent", "date": "date", "errors": "errors", "points per error": "points",
          "points": "points", "what was wrong": "note", "reason": "note"}


def spot_record(p) -> Response:
    form = p.form
    try:
        monthly.record_spot_check(p.fw, p.project, str(form.get("agent") or "").strip(), form.get("date"),
                                  form.get("errors"), form.get("points"), form.get("note"), p.user["username"])
    except FloorwalkerError as err:
        if err.http_status in (403, 404) and not isinstance(err, ValidationError):
            raise
        field = FIELDS.get(getattr(err, "field", "") or "", "date")
        return spot_page(p, {field: err.message(p.locale)}, err.http_status)
    month = validate.date(form.get("date"))[:7]
    return p.redirect(f"{base(p)}/spot-checks?month={month}&saved=1")


ROUTES = [
    Route("/exams", exam_page, action=VIEW),
    Route("/exams", exam_upload, action=EXAMS, methods=("POST",)),
    Route("/spot-checks", spot_page, action=VIEW),
    Route("/spot-checks", spot_record, action=SPOT_CHECK, methods=("POST",)),
]
