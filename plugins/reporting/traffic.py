"""Traffic (话务数据): what the telephony (ACD) and chat platforms count, per interval or per
agent-day, stored per project and month, all or nothing.

A row is one interval (15, 30 or 60 minutes from ``start``) of one queue, or one agent's day
(``agent`` set, no ``start``), or a day's total of a queue (neither): the counts (offered,
answered, answered within the service-level threshold, abandoned …), the seconds (talk, hold,
wrap, the total first-response time of chat sessions), the satisfaction responses and how many
were satisfied (satisfaction is a share, never an average rating), chat sessions and seats, and
for e-commerce the inquiries, orders and order value in yuan. A field the export did not have
is None — "no data", which is not zero.

Rows live in ``projects/<p>/traffic/<YYYY-MM>`` (table ``traffic``), one file per month as
attendance keeps its punches: a month of 30-minute intervals is ~1,500 rows. `replace` writes a
file in one batched commit: every day (and queue, and kind of row) present in the new rows is
replaced whole, so importing a day again replaces it; a closed month is refused before
anything is written. The store audits each commit (who, when, the rows removed).

The agreed functions the other parts of the plugin call: `rows`, `totals`, `replace`.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, PeriodClosed, ValidationError, new_id, now_iso

from .config import NAME

KIND = "traffic"  # the folder of the month files
TABLE = "traffic"
MINUTES = (15, 30, 60)
# the measures of a row, in the order exports and pages show them
COUNTS = ("offered", "answered", "answered_in_threshold", "abandoned", "abandoned_short",
          "abandoned_in_threshold", "transfers", "csat_responses", "csat_satisfied",
          "fcr_responses", "fcr_resolved", "chat_sessions", "seats", "inquiries", "orders")
SECONDS = ("talk_seconds", "hold_seconds", "wrap_seconds", "first_response_seconds")
MONEY = ("order_value",)
MEASURES = COUNTS + SECONDS + MONEY
FIELDS = ("id", "day", "start", "minutes", "queue", "agent", *COUNTS[:6], "threshold_seconds",
          *COUNTS[6:], *SECONDS, *MONEY, "source")
# what may not exceed what: (part, whole)
PARTS = (("answered", "offered"), ("abandoned", "offered"), ("answered_in_threshold", "answered"),
         ("abandoned_short", "abandoned"), ("abandoned_in_threshold", "abandoned"),
         ("csat_satisfied", "csat_responses"), ("fcr_resolved", "fcr_responses"))
# the kinds of row, the one counted first where a day and queue have more than one (`totals`)
ROW_KINDS = ("interval", "day", "agent")


def key(fw, project: str, month: str) -> str:
    return fw.store.period_key(project, KIND, month)


def _slug(project) -> str:
    return project["slug"] if isinstance(project, dict) else project


def row_kind(row: dict) -> str:
    """``interval`` (a start time), ``agent`` (an agent's day) or ``day`` (a queue's day)."""
    if row.get("start"):
        return "interval"
    return "agent" if row.get("agent") else "day"


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, at = [], first.replace(day=1)
    while at <= last:
        months.append(at.isoformat()[:7])
        at = (at + dt.timedelta(days=32)).replace(day=1)
    return months


def stored_months(fw, project) -> list[str]:
    """The months of *project* that hold traffic (``YYYY-MM``), oldest first."""
    prefix = f"projects/{_slug(project)}/{KIND}/"
    return sorted(k[len(prefix):] for k in fw.store.keys(prefix.rstrip("/")) if k.startswith(prefix))


def rows(fw, project, first: dt.date, last: dt.date) -> list[dict]:
    """The stored traffic rows of *project* from *first* to *last* (both included), by day,
    start, queue and agent."""
    slug = _slug(project)
    low, high = first.isoformat(), last.isoformat()
    found = []
    for month in _months(first, last):
        found += [r for r in fw.store.table(key(fw, slug, month), TABLE).values()
                  if low <= r["day"] <= high]
    return sorted(found, key=lambda r: (r["day"], r.get("start") or "", r.get("queue") or "",
                                        r.get("agent") or ""))


def counted(found: list[dict]) -> list[dict]:
    """The rows a total counts: where a day and queue have rows of several kinds (intervals and
    agent-days of the same calls), only the first kind of `ROW_KINDS` — the same calls are not
    counted twice."""
    kinds: dict[tuple, set] = {}
    for r in found:
        kinds.setdefault((r["day"], r.get("queue") or ""), set()).add(row_kind(r))
    keep = {k: next(kind for kind in ROW_KINDS if kind in v) for k, v in kinds.items()}
    return [r for r in found if keep[r["day"], r.get("queue") or ""] == row_kind(r)]


def totals(found: list[dict]) -> dict:
    """The sum of each measure over *found* (None where no row had the field), rows of one
    day and queue counted once (`counted`); ``rows`` is how many rows were summed, and
    ``threshold_seconds`` the rows' threshold when they agree (else None)."""
    used = counted(found)
    out: dict = {}
    for name in MEASURES:
        present = [r[name] for r in used if r.get(name) is not None]
        out[name] = (round(sum(present), 2) if name in MONEY else sum(present)) if present else None
    thresholds = {r.get("threshold_seconds") for r in used if r.get("threshold_seconds") is not None}
    out["threshold_seconds"] = thresholds.pop() if len(thresholds) == 1 else None
    out["rows"] = len(used)
    return out


def by_day(found: list[dict]) -> dict[str, dict]:
    """`totals` of each day of *found*, by ``YYYY-MM-DD``."""
    days: dict[str, list] = {}
    for r in found:
        days.setdefault(r["day"], []).append(r)
    return {day: totals(day_rows) for day, day_rows in sorted(days.items())}


# ------------------------------------------------------------------ checking and writing


def problems(row: dict) -> list[tuple[str, str, dict]]:
    """What is wrong with a row's numbers, as (field, message id, params): a part larger
    than its whole (answered above offered, satisfied above responses …), a negative number."""
    found = []
    for name in MEASURES + ("threshold_seconds",):
        value = row.get(name)
        if value is not None and value < 0:
            found.append((name, N_("must be at least {min}"), {"min": 0}))
    for part, whole in PARTS:
        a, b = row.get(part), row.get(whole)
        if a is not None and b is not None and a > b:
            found.append((part, N_("{value} is more than {whole} ({total})"),
                          {"value": a, "whole": whole, "total": b}))
    return found


def _clean(row: dict, index: int) -> dict:
    """A stored document of *row* (the API's fields, checked)."""
    try:
        day = dt.date.fromisoformat(str(row.get("day"))).isoformat()
    except ValueError:
        raise ValidationError(N_("date"), N_("expected a date as YYYY-MM-DD, got {value!r}"),
                              row=index, value=row.get("day")) from None
    minutes = row.get("minutes")
    if row.get("start") and minutes not in MINUTES:
        raise ValidationError(N_("interval"), N_("an interval lasts 15, 30 or 60 minutes, got {value}"),
                              row=index, value=minutes)
    doc = {name: row.get(name) for name in FIELDS}
    doc.update(day=day, queue=row.get("queue") or "", agent=row.get("agent") or None,
               start=row.get("start") or None, minutes=minutes if row.get("start") else None)
    for name in COUNTS + SECONDS + ("threshold_seconds",):
        if doc[name] is not None:
            doc[name] = int(doc[name])
    if doc["order_value"] is not None:
        doc["order_value"] = round(float(doc["order_value"]), 2)
    for name, message, params in problems(doc):
        raise ValidationError(name, message, row=index, **params)
    return doc


def _replaced(doc: dict) -> tuple:
    return doc["day"], doc["queue"], row_kind(doc)


def replace(fw, project, new_rows: list[dict], user: str, source: str) -> int:
    """Store *new_rows* all or nothing, each day (and queue, and kind of row) present replacing
    what was stored for it; returns how many rows were written. Audited as *user*; a closed
    month, or the same interval (day, start, queue, agent) twice, is refused before anything
    is written."""
    slug = _slug(project)
    fw.projects.get(slug)
    stamp = now_iso()
    docs, seen = [], {}
    for index, row in enumerate(new_rows, 1):
        doc = _clean(row, index)
        doc.update(id=new_id(), source=source or row.get("source") or "import",
                   imported_by=user, imported_at=stamp)
        ident = (doc["day"], doc["start"], doc["queue"], doc["agent"])
        if ident in seen:
            raise ValidationError(N_("date"), N_("the same interval is already in row {first}"),
                                  row=index, first=seen[ident])
        seen[ident] = index
        docs.append(doc)
    months: dict[str, list[dict]] = {}
    for doc in docs:
        months.setdefault(doc["day"][:7], []).append(doc)
    closed = fw.store.closed_months(slug)
    for month in sorted(months):
        if month in closed:
            raise PeriodClosed(slug, month)
    for month, month_docs in sorted(months.items()):
        replaced = {_replaced(d) for d in month_docs}
        with fw.store.transaction(key(fw, slug, month), user, f"{NAME}.traffic.import") as tx:
            old = [i for i, d in tx.docs(TABLE).items() if _replaced(d) in replaced]
            if old:
                tx.table(TABLE).remove(doc_ids=old)
            tx.insert_many(TABLE, month_docs)
    return len(docs)


def already(fw, project, new_rows: list[dict]) -> int:
    """How many stored rows importing *new_rows* would replace."""
    slug = _slug(project)
    months: dict[str, set] = {}
    for row in new_rows:
        months.setdefault(row["day"][:7], set()).add(
            (row["day"], row.get("queue") or "", row_kind(row)))
    return sum(1 for month, wanted in months.items()
               for d in fw.store.table(key(fw, slug, month), TABLE).values() if _replaced(d) in wanted)
