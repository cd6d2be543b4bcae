"""File imports (.csv and .xlsx) of agents and score events: every row checked, then one write.

An import is all-or-nothing: every row is checked first, and the first bad row stops it with an
error naming the row (as the spreadsheet numbers it: the header is row 1) and the column (as the
file names it). Only then is anything written, in one commit (agents), or one commit per month
file (score events, after checking that no month of the file is closed).

Headers are matched without regard to case or surrounding space, in English or Chinese
(``工号, 姓名, 班组, 入职日期, 职级`` …), because the files come from Excel sheets kept by team
leaders in either language. CSV files may be UTF-8 (with or without BOM) or GB18030, which is what
Excel on a Chinese Windows writes.

Score events take the columns agent, rule, date, points, reason and, optionally, evidence and
adjusts (the closed month an adjustment corrects). They are checked here in one tight loop with
the lookups (rules, agents' assignments, closed months, dates) prepared once, because
`Ledger.prepare` re-reads the store for every row, which is too slow for a 25,000-row month. The
checks and the event documents are the same as `Ledger.prepare`'s; a test holds the two together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import zipfile
from pathlib import Path
from typing import Callable

from . import validate
from .errors import ValidationError
from .i18n import N_
from .ledger import effective_rule
from .people import TIER_TITLES, TIERS
from .store import CORE, new_id, now_iso

Progress = Callable[[int, int], None]

AGENT_COLUMNS = {
    "number": ("number", "工号", "employee number"),
    "name": ("name", "姓名", "名称"),
    "team": ("team", "班组"),
    "hired": ("hired", "入职日期", "hire date"),
    "tier": ("tier", "职级", "级别"),
}
AGENT_REQUIRED = ("number", "name", "team", "hired")

EVENT_COLUMNS = {
    "agent": ("agent", "工号", "number"),
    "rule": ("rule", "规则", "规则代码"),
    "date": ("date", "日期"),
    "points": ("points", "分值"),
    "reason": ("reason", "原因"),
    "evidence": ("evidence", "证据", "依据"),
    "adjusts": ("adjusts", "更正月份"),
}
EVENT_REQUIRED = ("agent", "rule", "date", "points", "reason")

_TIER_NAMES = {name.lower(): code for code, titles in TIER_TITLES.items() for name in (code, *titles)}
_PROGRESS_STEP = 500


# ------------------------------------------------------------------------ reading files

def read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the non-blank rows of a .csv or .xlsx file, as (row number, {header: text}).

    Cells are text, stripped: whole numbers lose Excel's ``.0`` and dates read as YYYY-MM-DD.
    Raises `ValidationError` on the field "file" when the file cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(N_("file"), N_("use a .csv or .xlsx file, got {name}"), name=path.name)
    try:
        records = _csv_records(path) if suffix == ".csv" else _xlsx_records(path)
    except (OSError, csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError(N_("file"), N_("cannot read {name}: {reason}"), name=path.name,
                              reason=getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                              ) from None
    header: list[str] | None = None
    rows = []
    for number, texts in records:
        if not any(texts):
            continue
        if header is None:
            header = texts
            continue
        rows.append((number, dict(zip(header, texts))))
    if header is None:
        raise ValidationError(N_("file"), N_("{name} is empty"), name=path.name)
    return header, rows


def _csv_records(path: Path):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("not UTF-8 or GB18030 text")
    strip = str.strip
    return [(number, list(map(strip, row)))
            for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]


def _xlsx_records(path: Path):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [(number, [_text(c) for c in row])
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def match_columns(header: list[str], columns: dict[str, tuple[str, ...]],
                  required: tuple[str, ...]) -> dict[str, str]:
    """Which header of the file holds each known column (by any of its names)."""
    by_name = {h.strip().lower(): h for h in header}
    found = {}
    for key, names in columns.items():
        for name in names:
            if name.lower() in by_name:
                found[key] = by_name[name.lower()]
                break
        else:
            if key in required:
                raise ValidationError(N_("columns"), N_("the column {column} ({alias}) is missing"),
                                      column=names[0], alias=names[1])
    return found


def _in_column(exc: ValidationError, column: str, row: int) -> ValidationError:
    """*exc* restated for the file: the row and the column header as the file names it."""
    problem = exc.params["problem"]
    return ValidationError(column, problem.message, row=row, **problem.params)


# ------------------------------------------------------------------------ agents

def import_agents(fw, project: str, path: str | Path, actor: str,
                  progress: Progress | None = None) -> int:
    """Add every agent of the file to *project*, or none; returns how many were added."""
    fw.projects.get(project)
    header, rows = read_rows(path)
    col = match_columns(header, AGENT_COLUMNS, AGENT_REQUIRED)
    field_column = {N_("employee number"): col["number"], N_("name"): col["name"],
                    N_("team"): col["team"], N_("hire date"): col["hired"],
                    N_("tier"): col.get("tier", "tier")}
    pairs, numbers = [], []
    for i, (row, cells) in enumerate(rows):
        tier = cells.get(col["tier"], "") if "tier" in col else ""
        tier = _TIER_NAMES.get(tier.lower(), tier) if tier else TIERS[0]
        try:
            pairs.append(fw.agents.new_agent_docs(
                project, cells.get(col["number"], ""), cells.get(col["name"], ""),
                team=cells.get(col["team"]) or None, hired=cells.get(col["hired"]) or None,
                tier=tier, field_row=row))
        except ValidationError as exc:
            raise _in_column(exc, field_column.get(exc.field, exc.field), row) from None
        numbers.append(row)
        if progress and i % _PROGRESS_STEP == 0:
            progress(i, len(rows))
    if progress:
        progress(len(rows), len(rows))
    if not pairs:
        return 0
    try:
        return fw.agents.add_many(project, pairs, actor, rows=numbers)
    except ValidationError as exc:
        raise _in_column(exc, field_column.get(exc.field, exc.field), exc.row) from None


# ------------------------------------------------------------------------ score events

class _EventChecker:
    """The checks of `Ledger.prepare` with every lookup done once for the whole file.

    Each check's verdict is remembered by what it depends on (a date's text, a rule and the
    points' text, an agent and a date), so a 25,000-row month costs a few dict look-ups a row.
    """

    def __init__(self, fw, project: dict, actor: str, col: dict[str, str]):
        self.slug, self.actor, self.col = project["slug"], actor, col
        settings = fw.projects.settings(project, "core")
        self.rules = {code: effective_rule(rule, settings) for code, (_, rule) in fw.rules.items()}
        core = fw.store.read(CORE)
        self.agents = core.table("agents")
        self.assignments = core.index("assignments", "agent")
        self.closed = fw.store.closed_months(self.slug)
        self.created_at = now_iso()
        self.dates: dict[str, str] = {}
        self.points: dict[tuple[str, str], int] = {}
        self.members: set[tuple[str, str]] = set()

    def event(self, row: int, cells: dict) -> dict:
        col = self.col
        text = cells.get(col["date"], "")
        date = self.dates.get(text) or self._date(row, text)
        code = cells.get(col["rule"], "")
        rule = self.rules.get(code)
        if rule is None or rule.derived:
            self._refuse_rule(row, code)
        text = cells.get(col["points"], "")
        points = self.points.get((code, text))
        if points is None:
            points = self.points[code, text] = self._points(row, text, rule)
        reason = cells.get(col["reason"], "")
        if not reason and rule.reason_required:
            raise ValidationError(col["reason"], N_("{code} needs a reason"), row=row, code=code)
        text = cells.get(col["adjusts"], "") if "adjusts" in col else ""
        adjusts = self._adjusts(row, text, rule) if text or rule.kind == "adjustment" else None
        number = cells.get(col["agent"], "")
        if (number, date) not in self.members:
            self._require_in_project(row, number, date)
        evidence = (cells.get(col["evidence"]) or None) if "evidence" in col else None
        return {"id": None, "project": self.slug, "agent": number, "period": date[:7],
                "date": date, "rule": code, "kind": rule.kind, "points": points,
                "source": "core", "evidence": evidence, "recorded_by": self.actor,
                "reason": reason, "created_at": self.created_at, "reverses": None, "adjusts": adjusts}

    def _date(self, row: int, text: str) -> str:
        try:
            date = validate.date(text)
        except ValidationError as exc:
            raise _in_column(exc, self.col["date"], row) from None
        if date[:7] in self.closed:
            raise ValidationError(self.col["date"],
                                  N_("{month} of project {project} is closed: nothing in it can change"),
                                  row=row, month=date[:7], project=self.slug)
        self.dates[text] = date
        return date

    def _refuse_rule(self, row: int, code: str) -> None:
        if code not in self.rules:
            raise ValidationError(self.col["rule"], N_("no rule with code {code!r}"), row=row, code=code)
        raise ValidationError(self.col["rule"], N_("{code} is worked out by the system, not recorded by hand"),
                              row=row, code=code)

    def _points(self, row: int, text: str, rule) -> int:
        if text == "":
            points = rule.points
        else:
            try:
                points = int(text.replace("−", "-").replace("+", ""))
            except ValueError:
                raise ValidationError(self.col["points"], N_("expected a whole number, got {value!r}"),
                                      row=row, value=text) from None
        if not rule.min_points <= points <= rule.max_points:
            raise ValidationError(self.col["points"], N_("{code} takes {low} to {high}, got {value}"),
                                  row=row, code=rule.code, low=rule.min_points,
                                  high=rule.max_points, value=points)
        return points

    def _adjusts(self, row: int, text: str, rule) -> str | None:
        column = self.col.get("adjusts", "adjusts")
        if not text:
            raise ValidationError(column, N_("an adjustment names the closed month it corrects"), row=row)
        try:
            month = validate.month(text)
        except ValidationError as exc:
            raise _in_column(exc, column, row) from None
        if month not in self.closed:
            raise ValidationError(column, N_("an adjustment names a closed month; {month} is open"),
                                  row=row, month=month)
        return month

    def _require_in_project(self, row: int, number: str, date: str) -> None:
        if number not in self.agents:
            raise ValidationError(self.col["agent"], N_("no agent with employee number {number!r}"),
                                  row=row, number=number)
        for a in self.assignments.get(number, ()):
            if a["start"] <= date and (a["end"] is None or date <= a["end"]):
                if a["project"] == self.slug:
                    self.members.add((number, date))
                    return
                break
        raise ValidationError(self.col["agent"], N_("agent {number} is not in project {project} on {date}"),
                              row=row, number=number, project=self.slug, date=date)


def import_score_events(fw, project: str, path: str | Path, actor: str,
                        progress: Progress | None = None) -> int:
    """Record every score event of the file for *project*, or none; returns how many."""
    project_doc = fw.projects.get(project)
    header, rows = read_rows(path)
    col = match_columns(header, EVENT_COLUMNS, EVENT_REQUIRED)
    checker = _EventChecker(fw, project_doc, actor, col)
    events = []
    append, check = events.append, checker.event
    for i, (row, cells) in enumerate(rows):
        append(check(row, cells))
        if progress and i % _PROGRESS_STEP == 0:
            progress(i, len(rows))
    if progress:
        progress(len(rows), len(rows))
    for event, event_id in zip(events, new_ids(len(events))):
        event["id"] = event_id
    return fw.ledger.write(events, actor, "score.import") if events else 0


_CROCKFORD = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BYTE_TO_CROCKFORD = bytes(_CROCKFORD[b % 32] for b in range(256))  # 256 = 8 × 32: uniform


def new_ids(count: int) -> list[str]:
    """*count* ULIDs like `store.new_id()`'s (same time part, 80 random bits each), made in one
    go: building them one by one in Python costs more than checking the row."""
    prefix = new_id()[:10]  # 48 bits of milliseconds, as new_id() encodes them
    text = secrets.token_bytes(16 * count).translate(_BYTE_TO_CROCKFORD).decode("ascii")
    return [prefix + text[i:i + 16] for i in range(0, 16 * count, 16)]
