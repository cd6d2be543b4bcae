"""The client report's pages: the list of reports (``/reports``), a report (``/reports/{period}``)
as a page, a PDF and an xlsx workbook, publishing it again, and its improvement plan.

``{period}`` is a month ``YYYY-MM`` or an ISO week ``YYYY-Www``. The page, the PDF and the
workbook are made from the same document (`report.report`): the published one once there is
one, else the live preview. The staff and the client read the same document (it is written for
the client); an agent reads it only where the project shows it the reports.

**A client (and an agent) reads published reports only** (`document`): a period not yet
published answers 404 to them — page, PDF and workbook alike — and their list names the
published ones only; the live preview, with the plan the supervisors are still writing, is the
staff's.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from html.parser import HTMLParser

from starlette.responses import Response

from floorwalker.core import (N_, Cell, FloorwalkerError, NotFound, PermissionDenied, Route, Table,
                              ValidationError, to_pdf, to_xlsx, translate)

from . import charts, issues, kpis, report
from .actions import REPORT_PUBLISH, REPORT_VIEW
from .config import NAME
from .kpi_pages import shown
from .portal import client_like, report_periods, shown_to

def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def _render(fw):
    """render(template, locale, context) for the other plugins' sections (`Floorwalker.render`)."""
    return lambda template, locale, context: fw.render(template, locale, context)


def _span(p) -> report.Span:
    if not shown_to(p.fw, p.project, p.user):
        raise PermissionDenied(N_("the project does not show the reports to agents"))
    return report.span_of(p.params["period"])


def document(p, span: report.Span) -> tuple[dict, dict | None]:
    """(the document, its stored record) *p*'s reader may read: a client or an agent login only a
    published one (404 before), the staff the live preview too."""
    if client_like(p.user):
        record = report.stored(p.fw, p.project, span)
        if record is None:
            raise NotFound(N_("the report of {period} is not published yet"), period=span.label)
        return record["data"], record
    return report.report(p.fw, p.project, span, _render(p.fw))


def body(fw, data: dict, locale: str, *, pdf: bool = False) -> str:
    """The report's body, for the page and the PDF alike."""
    titles = {f["code"]: f["title_zh"] if locale.startswith("zh") else f["title_en"] for f in data["figures"]}
    units = {f["code"]: (f["unit"], f.get("target")) for f in data["figures"]}
    parts = {}
    for f in data["figures"]:
        parts[f["code"]] = parts.get(f["code"], 0) + 1

    def show(f: dict, value) -> str:
        return shown(value, f["unit"], f["code"], locale)

    def trend(code: str):
        unit, target = units[code]
        points = [(label[5:], value) for label, value in data["trends"].get(code, ())]
        return charts.line(points, target=target, unit="s" if code in kpis.SECONDS else unit,
                           title=titles[code], locale=locale)

    def formula(f: dict) -> str:
        """The service-level formula the figure's part was measured with (a span cut by a new
        contract version); a report stored before the formulas were kept has none."""
        return ((data.get("formulas") or {}).get(f.get("version") or "") or {}).get(locale, "")

    sections = data["sections"].get(locale) or data["sections"].get("en") or []
    if pdf:  # a narrow column on an A4 page would break 投诉人 or 已达成 one character a line
        sections = [{**s, "html": unbroken(s["html"])} for s in sections]
    return fw.render("reporting/_report_body.html", locale, {
        "data": data, "show": show, "trend": trend, "parts": parts, "pdf": pdf, "formula": formula,
        "status_titles": issues.STATUSES,
        "people": lambda login: (data.get("people", {}).get(login) or {}).get(locale) or "–",
        "sections": sections})


SHORT_CELL = re.compile(r"<(td|th)((?:\s[^>]*)?)>([^<]{1,%d})</\1>" % 6)


def unbroken(html: str) -> str:
    """*html* with its short table cells (a heading, a name, a state: up to six characters) kept
    on one line, so the PDF's column is as wide as they are."""
    def keep(m: re.Match) -> str:
        tag, attrs, text = m.groups()
        if "style=" in attrs:
            return m.group(0)
        return f'<{tag}{attrs} style="white-space:nowrap">{text}</{tag}>'
    return SHORT_CELL.sub(keep, html)


def standalone(fw, data: dict, title: str, locale: str) -> str:
    """The report as one HTML file (the command line's ``--format html``): its body and the
    style it needs, nothing loaded from elsewhere."""
    lang = "zh-CN" if locale.startswith("zh") else "en"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<style>body{font-family:"Noto Sans CJK SC",sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}'
            'table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.2rem .4rem;text-align:left}'
            'td.num,th.num{text-align:right}</style></head>'
            f"<body><h1>{escape(title)}</h1>{body(fw, data, locale, pdf=True)}</body></html>")


def page(p, error: str | None = None, status: int = 200) -> Response:
    span = _span(p)
    data, record = document(p, span)
    return p.render("reporting/report.html", http_status=status, span=span, record=record,
                    title=report.title(span, p.locale), body=body(p.fw, data, p.locale),
                    base=base(p), error=error, plan=report.plan(p.fw, p.project, span),
                    can_publish=p.can(REPORT_PUBLISH), spans=_neighbours(span))


def _neighbours(span: report.Span) -> dict:
    if span.kind == "week":
        before, after = span.first - dt.timedelta(days=7), span.first + dt.timedelta(days=7)
        return {"before": report.week_of(before).label, "after": report.week_of(after).label}
    before = (span.first - dt.timedelta(days=1)).isoformat()[:7]
    after = (span.last + dt.timedelta(days=1)).isoformat()[:7]
    return {"before": before, "after": after}


def pdf(p) -> Response:
    span = _span(p)
    data, _ = document(p, span)
    title = f"{data['project']['name']} · {report.title(span, p.locale)}"
    made = to_pdf(html=body(p.fw, data, p.locale, pdf=True), title=title, locale=p.locale)
    return p.download(made, f"{p.project['slug']}-{span.label}.pdf")


def xlsx(p) -> Response:
    span = _span(p)
    data, _ = document(p, span)
    return p.download(to_xlsx(workbook(data, p.locale)), f"{p.project['slug']}-{span.label}.xlsx")


def publish(p) -> Response:
    span = _span(p)
    try:
        if p.form.get("confirm") != "yes":
            raise ValidationError(N_("confirm"), N_("confirm first: the client sees what is published"))
        report.publish(p.fw, p.project, span, p.user["username"], _render(p.fw))
    except FloorwalkerError as err:
        return page(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/reports/{span.label}?done=published")


def save_plan(p) -> Response:
    span = _span(p)
    try:
        if "plan" not in p.form:
            raise ValidationError(N_("improvement plan"), N_("required"))
        report.save_plan(p.fw, p.project, span, p.form.get("plan"), p.user["username"])
    except FloorwalkerError as err:
        return page(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/reports/{span.label}?done=plan")


def listing(p) -> Response:
    """The reports: those published (newest first), then — for the staff — the months and weeks
    with traffic (`portal.report_periods`) that have none yet, as previews. A client or an agent
    is listed the published ones only."""
    if not shown_to(p.fw, p.project, p.user):
        raise PermissionDenied(N_("the project does not show the reports to agents"))
    published = report.published(p.fw, p.project)
    done = {r["id"] for r in published}
    previews = []
    if not client_like(p.user):
        for period in report_periods(p.fw, p.project, p.fw.projects.today(p.project)):
            previews += [label for label in [period["month"], *period["weeks"]] if label not in done]
    return p.render("reporting/reports.html", published=published, base=base(p), previews=previews,
                    staff=not client_like(p.user),
                    title_of=lambda label: report.title(report.span_of(label), p.locale))


# ---------------------------------------------------------------- the workbook


class _Tables(HTMLParser):
    """The tables of a section's HTML as rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def workbook(data: dict, locale: str) -> list[Table]:
    """The report as sheets: the KPIs, their days, staffing, the other plugins' sections (their
    tables), the client's issues, the rules that changed and the improvement plan."""
    def _(text, **params):
        return translate(text, locale, **params)

    def title(f):
        return f["title_zh"] if locale.startswith("zh") else f["title_en"]

    verdict = {True: _(N_("met")), False: _(N_("missed")), None: "–"}
    monthly = data["span"]["kind"] == "month"  # penalties are the contract's per month

    def number(value, unit: str, code: str):
        return figure_cell(value, unit, code, locale)

    columns = [_(N_("KPI")), _(N_("From")), _(N_("To")), _(N_("Value")), _(N_("Pass line")),
               _(N_("Hit or miss")), _(N_("n"))] + ([_(N_("Penalty"))] if monthly else [])
    sheets = [Table(_(N_("KPIs")), columns,
                    [[title(f), f["first"], f["last"], number(f["value"], f["unit"], f["code"]),
                      number(f["target"], f["unit"], f["code"]) if f["target"] is not None else "–",
                      verdict[f["met"]], f["n"]]
                     + ([number(f["penalty"], "¥", "") if f["met"] is False else None] if monthly else [])
                     for f in data["figures"]], fixed_columns=1)]
    codes = list(data["trends"])
    if codes:
        units = {f["code"]: f for f in data["figures"]}
        days = [label for label, _ in data["trends"][codes[0]]]
        sheets.append(Table(_(N_("By day")), [_(N_("Day"))] + [title(units[c]) for c in codes],
                            [[day] + [number(data["trends"][c][i][1], units[c]["unit"], c) for c in codes]
                             for i, day in enumerate(days)], fixed_columns=1))
    staffing = data.get("staffing")
    if staffing:
        sheets.append(Table(_(N_("Staffing")), [_(N_("Interval")), _(N_("Required")), _(N_("Scheduled")),
                                                _(N_("Gap"))],
                            [[s["start"], s["required"], s["scheduled"], s["gap"]] for s in staffing["slots"]]))
    for section in data["sections"].get(locale) or data["sections"].get("en") or []:
        parser = _Tables()
        parser.feed(section["html"])
        for n, rows in enumerate(t for t in parser.tables if t):
            name = section["title"] if n == 0 else f"{section['title']} {n + 1}"
            sheets.append(Table(name, rows[0], rows[1:]))
    people = data.get("people", {})
    sheets.append(Table(_(N_("Client issues")),
                        [_(N_("Raised")), _(N_("Subject")), _(N_("Person in charge")), _(N_("Status")), _(N_("Closed on"))],
                        [[i["raised_at"][:16], i["subject"], (people.get(i.get("owner")) or {}).get(locale, "–"),
                          _(report_status(i)), (i.get("closed_at") or "")[:16]] for i in data["issues"]]))
    sheets.append(Table(_(N_("Rules that changed")), [_(N_("Day")), _(N_("What changed")), _(N_("Detail"))],
                        [[c["day"], c["title_zh"] if locale.startswith("zh") else c["title_en"],
                          c["detail_zh"] if locale.startswith("zh") else c["detail_en"]] for c in data["changes"]]))
    sheets.append(Table(_(N_("Improvement plan")), [_(N_("Improvement plan"))],
                        [[line] for line in (data.get("plan") or "").splitlines() if line.strip()]))
    return sheets


def figure_cell(value, unit: str, code: str, locale: str) -> Cell:
    """A figure as a workbook cell: the number (a rate the fraction, seconds, yuan) with the
    format that shows it as the page does, so the client can add it up and chart it."""
    if unit == "%":
        fmt = "0.0%"
    elif unit == "¥":
        fmt = '"¥"#,##0.00'
    elif code in kpis.SECONDS:
        fmt = '#,##0.0" 秒"' if locale.startswith("zh") else '#,##0.0" s"'
    else:
        fmt = "General"
    return Cell(value, fmt, shown(value, unit, code, locale) if value is not None else "")


def report_status(issue: dict) -> str:
    return issues.STATUSES.get(issue["status"], issue["status"])


def routes() -> list[Route]:
    post = ("POST",)
    return [
        Route("/reports", listing, action=REPORT_VIEW),
        Route("/reports/{period}.pdf", pdf, action=REPORT_VIEW),
        Route("/reports/{period}.xlsx", xlsx, action=REPORT_VIEW),
        Route("/reports/{period}", page, action=REPORT_VIEW),
        Route("/reports/{period}/publish", publish, action=REPORT_PUBLISH, methods=post),
        Route("/reports/{period}/plan", save_plan, action=REPORT_PUBLISH, methods=post),
    ]
