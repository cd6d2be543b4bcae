"""The client report (报表), weekly and monthly: what the client pays for and holds the floor to.

A report is one JSON-able document (`content`) built from the live data of its span:

* the KPIs against the contract in force (`kpis.figures`, cut where a version took effect), hit
  or miss and the penalty of each miss, and their trend by day (`kpis.series`);
* staffing — agents scheduled against required per interval (`staffing.summary`);
* the other plugins' sections (QA, complaints, attendance …) through ``report_sections``,
  rendered at build time in both languages, so the document does not depend on their data later;
* the issues the client raised and how each was closed (`issues.in_span`);
* the improvement plan (a text the supervisors write per report, `save_plan`);
* the rules that changed in the span: the contract's versions and what the other plugins name
  through ``rule_changes`` (a QA standard published, an SLA policy changed).

Choices where the issue is silent, and why:

* **A report is written for the client.** It is built as the client's login reads the project
  (client figures only, agent names masked unless the project shows them, no internal note, no
  pay), and the staff who open it see that same document: what they check is what is sent.
* **Published and frozen.** The job (`publish_due`) publishes each week's report on the Monday
  after it and each month's on the 1st after it — and every ended period of the months with
  traffic still unpublished, so a server that was down catches up: the document is stored as published, with its
  time, and the portal lists it. A supervisor may publish an open period's report again (late
  traffic, a corrected complaint); the page says when it was published. When the month closes (``on_period_closing``) its
  report and the reports of the weeks that end in it are built a last time and stored frozen,
  dated in the month, so the store itself refuses to change them afterwards: a closed report
  regenerated later is the stored one, byte for byte.
* **Not yet published** reports are shown live, marked as a preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from floorwalker.core import (N_, ReportSection, RuleChange, ValidationError, formats, now_iso, translate,
                              validate)

from . import contracts, issues, kpis, staffing, traffic
from .config import NAME

TABLE = "reports"
PLANS = "plans"
PLAN_LIMIT = 4000
LOCALES = ("en", "zh_CN")
SYSTEM = "system"
TRENDS = 6  # trend charts: the KPIs the contract sets a pass line for, at most this many


@dataclass(frozen=True)
class Span:
    """A reported period: an ISO week (``2026-W47``) or a month (``2026-11``)."""

    kind: str  # "week" | "month"
    label: str
    first: dt.date
    last: dt.date

    @property
    def month(self) -> str:
        """The month the report belongs to: a week's is the month of its Sunday."""
        return self.last.isoformat()[:7]


def span_of(text) -> Span:
    """The week ``YYYY-Www`` or month ``YYYY-MM`` *text* names."""
    text = str(text or "").strip().upper()
    if "-W" in text:
        first, last = kpis.span("week", text)
        year, week, _ = first.isocalendar()
        return Span("week", f"{year}-W{week:02d}", first, last)
    first, last = kpis.span("month", validate.month(text, N_("period")))
    return Span("month", text, first, last)


def week_of(day: dt.date) -> Span:
    year, week, _ = day.isocalendar()
    return span_of(f"{year}-W{week:02d}")


def reader(project: dict) -> dict:
    """The login a report is built for: the project's client."""
    return {"username": f"{NAME}:client", "name": "", "roles": ["client"], "projects": [project["slug"]],
            "locale": "zh_CN"}


# ---------------------------------------------------------------- building


def content(fw, project: dict, span: Span, render) -> dict:
    """The report of *span* from the live data, as a JSON-able document; *render(template,
    locale, context)* renders the other plugins' sections."""
    client = reader(project)
    found = kpis.figures(fw, project, span.first, span.last, client)
    codes = list(dict.fromkeys(f.code for f in found if f.value is not None and f.target is not None))[:TRENDS]
    trends = kpis.series(fw, project, span.first, span.last, "day", codes, client) if codes else {}
    raised = issues.in_span(fw, project, span.first, span.last)
    return {
        "span": {"kind": span.kind, "label": span.label, "first": span.first.isoformat(),
                 "last": span.last.isoformat()},
        "project": {"name": project.get("name") or project["client"], "client": project["client"]},
        "built_at": now_iso(),
        "figures": [asdict(f) for f in found],
        "penalty": round(sum(f.penalty or 0 for f in found if f.met is False), 2) if span.kind == "month" else None,
        "formulas": _formulas(fw, project, span),
        "trends": {code: [[label, value] for label, value in points] for code, points in trends.items()},
        "staffing": _staffing(fw, project, span),
        "issues": raised,
        "people": _people(fw, raised),
        "changes": changes(fw, project, span.first, span.last),
        "plan": (plan(fw, project, span) or {}).get("text", ""),
        "sections": {locale: _sections(fw, project, span, client, locale, render) for locale in LOCALES},
    }


def _formulas(fw, project: dict, span: Span) -> dict[str, dict[str, str]]:
    """The service-level formula of each contract version measured in *span*, by version id and
    locale: the KPI rows of a span cut by a new version say which formula each part used."""
    return {(version or {}).get("id", ""): {locale: formula_of(version, locale) for locale in LOCALES}
            for _, _, version in contracts.parts(fw, project, span.first, span.last)}


def _staffing(fw, project: dict, span: Span) -> dict | None:
    found = staffing.summary(fw, project, span.first, span.last)
    return found if found["intervals"] else None


def _people(fw, raised: list[dict]) -> dict[str, dict[str, str]]:
    """The name of each person the issues mention, in each language: the report names people,
    never logins, and a frozen report keeps the names it was written with."""
    logins = {doc.get("owner") for doc in raised} | {s.get("by") for doc in raised for s in doc["steps"]}
    return {login: {locale: fw.users.display_name(login, locale) for locale in LOCALES}
            for login in logins if login}


def _sections(fw, project: dict, span: Span, client: dict, locale: str, render) -> list[dict]:
    answers = fw.project_hook(project, "report_sections")(floorwalker=fw, project=project, period=span.label,
                                                            user={**client, "locale": locale})
    found = sorted((s for answer in answers for s in answer or () if isinstance(s, ReportSection)),
                   key=lambda s: s.order)
    return [{"title": s.title(locale),
             "html": render(s.template, locale, {"section": s, "project": project, "locale": locale})}
            for s in found]


def formula_of(version: dict | None, locale: str) -> str:
    """The service-level formula of *version* as the contract page names it, with its T."""
    version = version or contracts.seed({})
    text = contracts.SL_FORMULAS.get(version["sl_formula"], ("", ""))[1 if locale.startswith("zh") else 0]
    return translate(N_("{formula}, T = {seconds} s"), locale, formula=text,
                     seconds=version["sl_threshold_seconds"])


def version_changes(fw, before: dict | None, after: dict, locale: str) -> list[str]:
    """What *after* changed against *before* (the version it follows), in *locale*: the
    service-level formula and its threshold, each client target and penalty set, changed or
    dropped (old → new). A KPI's owner is the BPO's own business and not named."""
    def _(text, **params):
        return translate(text, locale, **params)

    old = before or {"sl_formula": after["sl_formula"], "sl_threshold_seconds": after["sl_threshold_seconds"],
                     "targets": {}}
    lines = []
    if old["sl_formula"] != after["sl_formula"]:
        lines.append(_(N_("service-level formula: {old} → {new}"), old=formula_of(old, locale),
                       new=formula_of(after, locale)))
    elif old["sl_threshold_seconds"] != after["sl_threshold_seconds"]:
        lines.append(_(N_("service-level threshold: {old} s → {new} s"), old=old["sl_threshold_seconds"],
                       new=after["sl_threshold_seconds"]))
    was, now = old.get("targets") or {}, after.get("targets") or {}
    for code in list(dict.fromkeys([*was, *now])):
        declared = fw.kpi_defs.get(code)
        if declared is None or declared.audience != "client":
            continue
        a, b = was.get(code) or {}, now.get(code) or {}

        def shown(value, money=False):
            if value is None:
                return _(N_("none"))
            return formats.money(value, locale) if money else kpis.shown(value, declared.unit, code, locale)

        if a.get("target") != b.get("target"):
            lines.append(_(N_("{kpi} pass line: {old} → {new}"), kpi=declared.title(locale),
                           old=shown(a.get("target")), new=shown(b.get("target"))))
        if a.get("penalty") != b.get("penalty"):
            lines.append(_(N_("{kpi} penalty: {old} → {new}"), kpi=declared.title(locale),
                           old=shown(a.get("penalty"), True), new=shown(b.get("penalty"), True)))
    return lines


def changes(fw, project: dict, first: dt.date, last: dt.date) -> list[dict]:
    """The rules that changed from *first* to *last*: the contract's versions that took effect
    then — what each changed against the one before it (`version_changes`) and its note — and
    what the other plugins name (`rule_changes`), by day."""
    found = []
    versions = contracts.versions(fw, project)
    for n, version in enumerate(versions):
        day = dt.date.fromisoformat(version["effective"])
        if first <= day <= last:
            before = versions[n - 1] if n else None
            detail = {}
            for locale, suffix in (("en", "en"), ("zh_CN", "zh")):
                lines = version_changes(fw, before, version, locale)
                if version.get("note"):
                    lines.append(translate(N_("note: {note}"), locale, note=version["note"]))
                detail[suffix] = ("；" if suffix == "zh" else "; ").join(lines)
            found.append({"day": version["effective"], "title_en": "Contract version from this day",
                          "title_zh": "合同新版本自当日生效", "detail_en": detail["en"],
                          "detail_zh": detail["zh"], "plugin": NAME})
    for answer in fw.project_hook(project, "rule_changes")(floorwalker=fw, project=project, first=first, last=last):
        for change in answer or ():
            if isinstance(change, RuleChange) and first <= change.day <= last:
                found.append({**asdict(change), "day": change.day.isoformat()})
    return sorted(found, key=lambda c: c["day"])


# ---------------------------------------------------------------- stored reports


def key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def stored(fw, project: dict, span: Span) -> dict | None:
    """The published (or frozen) report of *span*: ``{id, kind, first, last, published_at, published_by, frozen,
    data}``, or None."""
    return fw.store.table(key(fw, project["slug"]), TABLE).get(span.label)


def published(fw, project: dict) -> list[dict]:
    """Every published report of *project*, newest period first (without their documents)."""
    docs = fw.store.table(key(fw, project["slug"]), TABLE).values()
    return sorted(({k: v for k, v in d.items() if k != "data"} for d in docs),
                  key=lambda d: (d["last"], d["kind"] == "month"), reverse=True)


def report(fw, project: dict, span: Span, render) -> tuple[dict, dict | None]:
    """(the document, its stored record or None): the stored one once published, else live."""
    found = stored(fw, project, span)
    return (found["data"], found) if found else (content(fw, project, span, render), None)


def publish(fw, project: dict, span: Span, actor: str, render, *, freeze: bool = False) -> dict:
    """Build *span*'s report and store it as published (frozen with *freeze*); a frozen report is
    never built again."""
    today = fw.projects.today(project)
    if span.first > today:
        raise ValidationError(N_("period"), N_("the period has not begun"))
    current = stored(fw, project, span)
    if current and current["frozen"]:
        raise ValidationError(N_("period"), N_("the report of {period} is frozen: its month is closed"),
                              period=span.label)
    data = content(fw, project, span, render)
    record = {"kind": span.kind, "first": span.first.isoformat(), "last": span.last.isoformat(),
              "published_at": now_iso(), "published_by": actor, "frozen": freeze, "data": data,
              "dated": span.month if freeze else None}
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.report") as tx:
        if tx.get(TABLE, span.label) is None:
            return tx.insert(TABLE, {"id": span.label, **record})
        return tx.update(TABLE, span.label, record)


def closing(fw, project: dict, month: str, actor: str, render) -> list[str]:
    """Freeze the month's report and those of the weeks that end in it (the month still open)."""
    first, last = kpis.span("month", month)
    spans = [span_of(month)]
    day = first + dt.timedelta(days=(6 - first.weekday()))  # the first Sunday of the month
    while day <= last:
        spans.append(week_of(day))
        day += dt.timedelta(days=7)
    for each in spans:
        found = stored(fw, project, each)
        if not (found and found["frozen"]):
            publish(fw, project, each, actor, render, freeze=True)
    return [s.label for s in spans]


def due(fw, project: dict, today: dt.date) -> list[Span]:
    """The reports due by *today*: every week (Monday to Sunday) and month that has ended, from
    the first month the project keeps traffic in (`traffic.stored_months`) — the periods with
    data; a server that was down catches up on all of them, not only the last."""
    months = [m for m in traffic.stored_months(fw, project) if m <= today.isoformat()[:7]]
    if not months:
        return []
    found = []
    for month in months:
        if kpis.span("month", month)[1] < today:
            found.append(span_of(month))
    first = dt.date.fromisoformat(f"{months[0]}-01")
    end = min(today - dt.timedelta(days=1), kpis.span("month", months[-1])[1] + dt.timedelta(days=6))
    sunday = first + dt.timedelta(days=6 - first.weekday())
    while sunday <= end:
        found.append(week_of(sunday))
        sunday += dt.timedelta(days=7)
    return sorted(found, key=lambda s: (s.last, s.kind == "month"))


def publish_due(fw, project: dict, now: dt.datetime, render) -> dict:
    """The job: publish every report due (`due`) that is not published yet and whose month is
    not closed (each once; publishing again is a person's decision)."""
    made = 0
    closed = fw.store.closed_months(project["slug"])
    for span in due(fw, project, now.date()):
        if span.month in closed or stored(fw, project, span) is not None:
            continue
        if span.kind == "week" and not traffic.rows(fw, project, span.first, span.last):
            continue  # a week at the edge of the months with traffic, with none of its own
        publish(fw, project, span, SYSTEM, render)
        made += 1
    return {"published": made}


# ---------------------------------------------------------------- the improvement plan


def plan(fw, project: dict, span: Span) -> dict | None:
    return fw.store.table(key(fw, project["slug"]), PLANS).get(span.label)


def save_plan(fw, project: dict, span: Span, text, actor: str) -> dict:
    """The improvement plan of *span*'s report; refused once the report is frozen."""
    text = validate.text(text, N_("improvement plan"), PLAN_LIMIT)
    current = stored(fw, project, span)
    if current and current["frozen"]:
        raise ValidationError(N_("improvement plan"), N_("the report of {period} is frozen: its month is closed"),
                              period=span.label)
    fields = {"text": text, "by": actor, "at": now_iso(), "dated": None}
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.plan") as tx:
        if tx.get(PLANS, span.label) is None:
            return tx.insert(PLANS, {"id": span.label, **fields})
        return tx.update(PLANS, span.label, fields)


def title(span: Span, locale: str) -> str:
    if span.kind == "week":
        return translate(N_("Weekly client report {period}"), locale, period=span.label)
    return translate(N_("Monthly client report {period}"), locale, period=span.label)
