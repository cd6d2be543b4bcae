"""File imports (.csv and .xlsx) of agents and score events: every row checked, then one write.

An import is all-or-nothing: every row is checked first, and the first bad row stops it with an
error naming the row (as the spreadsheet numbers it: the header is row 1) and the column (as the
file names it). Only then is anything written, in one commit (agents), or one commit per month
file (score events, after checking that no month of the file is closed).

Headers are matched without regard to case or surrounding space, in English or Chinese
(``工号, 姓名, 班组, 入职日期, 职级`` …), because the files come from Excel sheets kept by team
leaders in either language. CSV files may be UTF-8 (with or without BOM) or GB18030, which is what
Excel on a Chinese Windows writes.

Every importer, the plugins' too, reads through `read_rows`, which takes any file as it comes:
a damaged workbook, an XML entity, a file of a million rows are refused with one error naming
the file (`FileRefused`: exit code 2 in the CLI, 422 on the web), the rows being counted as they
stream so that a file over the install's row limit stops at the row past it. A date must lie
from FIRST_DATE to LAST_DATE.

Score events take the columns agent, rule, date, points, reason and, optionally, evidence and
adjusts (the closed month an adjustment corrects). They are checked here in one tight loop with
the lookups (rules, agents' assignments, closed months, dates) prepared once, because
`Ledger.prepare` re-reads the store for every row, which is too slow for a 25,000-row month. The
checks and the event documents are the same as `Ledger.prepare`'s (the import adds the date
span); a test holds the two together.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Callable

from . import validate
from .errors import FileRefused, ValidationError
from .i18n import N_, Words
from .ledger import ONCE_A_MONTH, effective_rule, second_of_the_month
from .people import TIER_TITLES, TIERS
from .reading import (ROW_LIMIT, Fields, Header, Rows, Table, read_rows, read_table,  # noqa: F401
                      row_limit)
from .mappings import Checks, Preview
from .values import employee_number, parse_date
from .store import CORE, new_id, now_iso

Progress = Callable[[int, int], None]

# The names Chinese systems give an employee number: an HR sheet's 工号, a punch clock's
# 考勤号码 or AC-No., an attendance app's 人员编号 or 用户编号.
NUMBER_NAMES = ("工号", "员工号", "员工编号", "考勤号码", "人员编号", "用户编号", "职员编号",
                "AC-No.", "AC-No", "AC No.", "employee number", "employee no.", "emp no")
DATE_NAMES = ("日期", "考勤日期", "打卡日期", "工作日期", "date")

AGENT_COLUMNS = {
    "number": ("number", *NUMBER_NAMES),
    "name": ("name", "姓名", "名称"),
    "team": ("team", "班组"),
    "hired": ("hired", "入职日期", "hire date"),
    "tier": ("tier", "职级", "级别"),
    "position": ("position", "岗位"),  # 坐席 or 班长 (people.POSITIONS); an agent when absent
}
AGENT_REQUIRED = ("number", "name", "team", "hired")

EVENT_COLUMNS = {
    "agent": ("agent", *NUMBER_NAMES, "number"),
    "rule": ("rule", "规则", "规则代码"),
    "date": ("date", "日期"),
    "points": ("points", "分值"),
    "reason": ("reason", "原因"),
    "evidence": ("evidence", "证据", "依据"),
    "adjusts": ("adjusts", "更正月份"),
}
EVENT_REQUIRED = ("agent", "rule", "date", "points", "reason")
AGENT_FIELDS = Fields(AGENT_COLUMNS, AGENT_REQUIRED)
EVENT_FIELDS = Fields(EVENT_COLUMNS, EVENT_REQUIRED)

# The dates an import accepts: wider than any working life, narrow enough that a month's
# arithmetic (the day before, the next month) stays within what Python's dates hold.
FIRST_DATE, LAST_DATE = "1900-01-01", "2999-12-31"

_TIER_NAMES = {name.lower(): code for code, titles in TIER_TITLES.items() for name in (code, *titles)}
_PROGRESS_STEP = 500


def match_columns(header: list[str], columns: dict[str, tuple[str, ...]],
                  required: tuple[str, ...], ignored: tuple[str, ...] = ()) -> dict[str, str]:
    """Which header of the file holds each known column (by any of its names, or as a saved
    mapping chose: ``header.chosen`` of a `Header`); a missing required column is refused naming
    it and the columns the file has."""
    fields = Fields(columns, required, ignored)
    found = fields.match(list(header), getattr(header, "chosen", None))
    for key in required:
        if key not in found:
            names = columns[key]
            raise FileRefused(N_("columns"), N_("the column {column} ({alias}) is missing; the file's "
                                                "columns are {found}"),
                              column=names[0], alias=names[1] if len(names) > 1 else names[0],
                              found=", ".join(h for h in header if h) or "—")
    return found


def _in_column(exc: ValidationError, column: str, row: int) -> ValidationError:
    """*exc* restated for the file: the row and the column header as the file names it."""
    problem = exc.params["problem"]
    return ValidationError(column, problem.message, row=row, **problem.params)


def require_date_in_span(date: str, column: str, row: int) -> str:
    """*date* (YYYY-MM-DD) if it lies from FIRST_DATE to LAST_DATE; else the row's error."""
    if not FIRST_DATE <= date <= LAST_DATE:
        raise ValidationError(column, N_("expected a date from {first} to {last}, got {value!r}"),
                              row=row, first=FIRST_DATE, last=LAST_DATE, value=date)
    return date


# ------------------------------------------------------------------------ agents

def import_agents(fw, project: str, path: str | Path, actor: str,
                  progress: Progress | None = None, *, mapping: dict | None = None,
                  sheet: str | None = None, dry_run: bool = False) -> int | Preview:
    """Add every agent of the file to *project*, or none; returns how many were added (with
    *dry_run*, the `Preview` and nothing written)."""
    fw.projects.get(project)
    table = read_table(path, AGENT_FIELDS, limit=row_limit(fw), mapping=mapping, sheet=sheet)
    return agents_from(fw, project, table, actor, progress, dry_run=dry_run)


def agents_from(fw, project: str, table: Table, actor: str, progress: Progress | None = None, *,
                dry_run: bool = False) -> int | Preview:
    """`import_agents` of a file already read."""
    col = match_columns(table.header, AGENT_COLUMNS, AGENT_REQUIRED)
    field_column = {N_("employee number"): col["number"], N_("name"): col["name"],
                    N_("team"): col["team"], N_("hire date"): col["hired"],
                    N_("tier"): col.get("tier", "tier"), N_("position"): col.get("position", "position")}

    def check(row: int, cells: dict):
        tier = cells.get(col["tier"], "") if "tier" in col else ""
        tier = _TIER_NAMES.get(tier.lower(), tier) if tier else TIERS[0]
        hired = cells.get(col["hired"]) or None
        day = parse_date(hired) if hired else None
        try:
            agent, assignment = fw.agents.new_agent_docs(
                project, employee_number(cells.get(col["number"], "")), cells.get(col["name"], ""),
                team=cells.get(col["team"]) or None, hired=day.isoformat() if day else hired,
                tier=tier, field_row=row,
                position=(cells.get(col["position"]) if "position" in col else None) or "agent")
        except ValidationError as exc:
            raise _in_column(exc, field_column.get(exc.field, exc.field), row) from None
        require_date_in_span(agent["hired"], col["hired"], row)
        return row, (agent, assignment)

    checks = Checks(dry_run)
    checked = checks.run(table.rows, check, progress, _PROGRESS_STEP)
    numbers, pairs = [r for r, _ in checked], [p for _, p in checked]
    if dry_run:
        taken = fw.store.table(CORE, "agents")
        already = sum(1 for agent, _ in pairs if agent["number"] in taken)
        return checks.preview_of(table, added=len(pairs) - already, already=already)
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
        number = employee_number(cells.get(col["agent"], ""))
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
            day = parse_date(text)
            if day is None:
                raise _in_column(exc, self.col["date"], row) from None
            date = day.isoformat()
        require_date_in_span(date, self.col["date"], row)
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
                        progress: Progress | None = None, *, mapping: dict | None = None,
                        sheet: str | None = None, dry_run: bool = False) -> int | Preview:
    """Record every score event of the file for *project*, or none; returns how many (with
    *dry_run*, the `Preview` and nothing written)."""
    fw.projects.get(project)
    table = read_table(path, EVENT_FIELDS, limit=row_limit(fw), mapping=mapping, sheet=sheet)
    return score_events_from(fw, project, table, actor, progress, dry_run=dry_run)


def score_events_from(fw, project: str, table: Table, actor: str, progress: Progress | None = None,
                      *, dry_run: bool = False) -> int | Preview:
    """`import_score_events` of a file already read."""
    project_doc = fw.projects.get(project)
    col = match_columns(table.header, EVENT_COLUMNS, EVENT_REQUIRED)
    checker = _EventChecker(fw, project_doc, actor, col)
    checks = Checks(dry_run)
    events = checks.run(table.rows, checker.event, progress, _PROGRESS_STEP)
    rows = [row for row, _ in table.rows]
    if dry_run:
        if not checks.refused:
            with checks.row():
                _refuse_second_of_the_month(fw, project, events, rows, col["agent"])
        return checks.preview_of(table, added=len(events))
    _refuse_second_of_the_month(fw, project, events, rows, col["agent"])
    for event, event_id in zip(events, new_ids(len(events))):
        event["id"] = event_id
    return fw.ledger.write(events, actor, "score.import") if events else 0


def _refuse_second_of_the_month(fw, project: str, events: list[dict], rows: list[int],
                                column: str) -> None:
    """Refuse, naming its row, the first event that would be an agent's second active event of
    a once-a-month rule in its month, counting the file's rows and the ledger's events.
    (`Ledger.write` checks again under the month's lock.)"""
    once = fw.ledger.once_a_month_rules()
    months = sorted({e["period"] for e in events if e["rule"] in once})
    if not months:
        return
    existing = [e for month in months for e in fw.ledger.events(project, month)]
    index = second_of_the_month(existing, events, once)
    if index is not None:
        event = events[index]
        rule = fw.rules[event["rule"]][1]
        raise ValidationError(column, ONCE_A_MONTH, row=rows[index], number=event["agent"],
                              rule=Words(rule.title_en, rule.title_zh), month=event["period"])


_CROCKFORD = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BYTE_TO_CROCKFORD = bytes(_CROCKFORD[b % 32] for b in range(256))  # 256 = 8 × 32: uniform


def new_ids(count: int) -> list[str]:
    """*count* ULIDs like `store.new_id()`'s (same time part, 80 random bits each), made in one
    go: building them one by one in Python costs more than checking the row."""
    prefix = new_id()[:10]  # 48 bits of milliseconds, as new_id() encodes them
    text = secrets.token_bytes(16 * count).translate(_BYTE_TO_CROCKFORD).decode("ascii")
    return [prefix + text[i:i + 16] for i in range(0, 16 * count, 16)]
