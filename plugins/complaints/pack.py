"""The monthly complaint review pack (月度投诉分析): what the monthly meeting goes through — the
month's figures, its complaints, how each was handled, and prevention (the root causes that
recur and the measures agreed) — as tables for the page, an xlsx workbook and a PDF, all from
the same `tables`.

A client reader gets the pack masked the way the queue masks a complaint (`records.masked`):
the complainant and the contact cut short, no agent's or staff member's name, no verdict reason
(the investigation's notes are internal), and only the figures its audience may read (the
internal KPIs are left out, as on the dashboard).

The prevention measures are the meeting's own text, one per project and month, kept beside the
complaints (undated, like them: the meeting is held after the month has often closed), written
by a supervisor and audited by the store.
"""

from __future__ import annotations

from floorwalker.core import N_, Table, now_iso, to_pdf, to_xlsx, translate, validate

from . import clocks, handling, records
from .config import AGAINST, CHANNELS, NAME, SEVERITIES, SIDES, STATUSES, VERDICTS, names
from .figures import Month, as_kpis

NOTES = "packs"
NOTE_LIMIT = 4000


def note(fw, project: dict, month: str) -> dict | None:
    """The month's prevention measures ({prevention, by, at}), or None."""
    return fw.store.table(records.key(fw, project["slug"]), NOTES).get(month)


def save_note(fw, project: dict, month: str, text, actor: str) -> dict:
    month = validate.month(month)
    text = validate.text(text, N_("prevention measures"), NOTE_LIMIT)
    fields = {"prevention": text, "by": actor, "at": now_iso()}
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.pack") as tx:
        if tx.get(NOTES, month) is None:
            return tx.insert(NOTES, {"id": month, "dated": None, **fields})
        return tx.update(NOTES, month, fields)


def readable_kpis(fw, project: dict, figures: Month, user: dict) -> list:
    """The month's KPIs that *user* may read (a client: the ``client`` ones only), each with its
    declaration (whose title does not carry "no contact data": the value says it)."""
    found = []
    for kpi in as_kpis(figures.whole, project, figures.month):
        declared = fw.kpi_defs.get(kpi.code)
        if fw.access.reads(user, project, declared.audience if declared else "internal",
                           declared.action if declared else ""):
            found.append((kpi, declared or kpi))
    return found


def _cell(value):
    return round(value, 1) if isinstance(value, float) else value


def tables(fw, project: dict, figures: Month, user: dict, masked: bool, locale: str) -> list[Table]:
    """The pack's four tables: the figures, the complaints, their handling, prevention."""

    def _(msgid: str, **params) -> str:
        return translate(msgid, locale, **params)

    settings = fw.projects.settings(project, NAME)
    categories = names(settings["categories"], locale)
    causes = names(settings["root_causes"], locale)
    agents = {} if masked else {a["number"]: a["name"] for a, _asg in
                                fw.agents.in_project(project["slug"], "1900-01-01", "2999-12-31")}
    no_data = _(N_("no contact data"))
    summary = [[declared.title(locale), _cell(kpi.value) if kpi.value is not None
                else (no_data if kpi.code == "complaints_per_thousand" else None), kpi.unit, kpi.n]
               for kpi, declared in readable_kpis(fw, project, figures, user)]
    month_title = figures.month
    complaints, handled = [], []
    for doc, found in figures.items:
        shown = records.masked(doc) if masked else doc
        states = {c.target: _(clocks.STATES[c.state]) for c in found}
        verdict = doc.get("verdict") or {}
        against = _(AGAINST[doc["against"]]) if doc.get("against") in AGAINST else ""
        if doc.get("agent") and not masked:
            against = f"{doc['agent']} {agents.get(doc['agent'], '')}".strip()
        elif doc.get("team") and not masked:
            against = f"{against} {doc['team']}".strip()
        complaints.append([
            doc["id"], doc["received"][:16], _(CHANNELS[doc["channel"]]), shown.get("complainant") or "",
            shown.get("contact") or "", doc["subject"], against,
            categories.get(doc.get("category") or "", doc.get("category") or ""),
            causes.get(doc.get("root_cause") or "", doc.get("root_cause") or ""),
            _(SEVERITIES[doc["severity"]]),
            _(VERDICTS[verdict["outcome"]]) if verdict.get("outcome") else _(N_("not decided")),
            _(STATUSES[doc["status"]]),
            *[states.get(t, "") for t in clocks.TARGETS]])
        solution = doc.get("solution") or (doc.get("solutions") or [None])[-1] or {}
        last_call = (doc.get("callbacks") or [{}])[-1].get("outcome")
        promise = doc.get("promise") or {}
        line = [doc["id"]]
        if not masked:
            line += [fw.users.display_name(doc["owner"], locale) if doc.get("owner") else "",
                     verdict.get("reason") or ""]
        line += [_(SIDES[doc["side"]]) if doc.get("side") in SIDES else ""]
        if not masked:
            line += [doc.get("responsible") or ""]
        line += [solution.get("text") or "",
                 len(doc.get("callbacks") or ()), _(handling.OUTCOMES[last_call]) if last_call else "",
                 len(doc.get("escalations") or ()), len(doc.get("reopens") or ()),
                 f"{promise['text']} ({promise['by']})" if promise else "",
                 _(handling.SATISFACTION[doc["satisfaction"]]) if doc.get("satisfaction") else "",
                 (doc.get("closed_at") or "")[:16]]
        handled.append(line)
    handling_columns = [_(N_("Complaint"))]
    if not masked:
        handling_columns += [_(N_("Handled by")), _(N_("Reason for the verdict"))]
    handling_columns += [_(N_("Responsible side"))]
    if not masked:
        handling_columns += [_(N_("Responsible person"))]
    handling_columns += [_(N_("Solution")), _(N_("Callbacks")), _(N_("Last callback")),
                         _(N_("Escalations")), _(N_("Reopened")),
                         _(N_("Promise")), _(N_("Satisfaction")), _(N_("Closed"))]
    prevention = [[causes.get(s.key, s.key) or _(N_("Not classified yet")), s.received, s.valid,
                   _cell(s.valid_rate)] for s in figures.root_causes]
    agreed = note(fw, project, figures.month)
    measures = [[line] for line in ((agreed or {}).get("prevention") or "").splitlines() if line.strip()] \
        or [[_(N_("No prevention measures were written for this month."))]]
    return [
        Table(_(N_("Figures")) + " " + month_title,
              [_(N_("Figure")), _(N_("Value")), _(N_("Unit")), _(N_("Counted"))], summary, fixed_columns=1),
        Table(_(N_("Complaints")),
              [_(N_("Complaint")), _(N_("Received")), _(N_("Channel")), _(N_("Complainant")),
               _(N_("Contact")), _(N_("Subject")), _(N_("Against")), _(N_("Category")),
               _(N_("Root cause")), _(N_("Severity")), _(N_("Verdict")), _(N_("State")),
               *[_(clocks.TARGET_TITLES[t]) for t in clocks.TARGETS]], complaints, fixed_columns=1),
        Table(_(N_("Handling")), handling_columns, handled, fixed_columns=1),
        Table(_(N_("Prevention")), [_(N_("Root cause")), _(N_("Complaints")), _(N_("Valid")),
                                    _(N_("Valid %"))], prevention, fixed_columns=1),
        Table(_(N_("Prevention measures")), [_(N_("Measures agreed"))], measures),
    ]


def workbook(found: list[Table]) -> bytes:
    return to_xlsx(found)


def document(found: list[Table], title: str, locale: str) -> bytes:
    return to_pdf(found, title=title, locale=locale, landscape=True)
