"""File imports of the attendance plugin: the roster (排班表) and punch-clock exports (打卡记录).

A roster file comes in one of two shapes, told apart by its header:

* long — one row per agent-day: 工号/agent, 日期/date, 班次/shift;
* grid — what team leaders keep in Excel: 工号/agent, then one column per date, headed
  ``YYYY-MM-DD``, or headed by the day's number (``1`` … ``31``, or ``1日``) when the month is
  given (``--month``). Columns such as 姓名/name or 班组/team are there for people and are skipped.

A cell holds a shift code, or says rest: blank, ``休``, ``rest``, ``off`` or ``-``. Both shapes are
all-or-nothing: every cell is checked first (a valid date in an open month, the agent in the
project that day, a known shift code, no agent-day twice, no day set by an approved swap), the
first bad one stops the import naming its row and column as the spreadsheet shows them, and
only then is the roster written, by `roster.set_entries` (one commit per month file). Either
import then settles the past days of the months it touched (`sheet.settle_months`), whichever
way it came (the page, `attendance import-…`, `floorwalker import`).

Agents' assignments are read once per agent, not once per cell: a month's grid of 120 agents is
3,600 cells, and `Agents.require_in_project` re-reads the core file on every call.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from floorwalker.core import (DATE_NAMES, N_, NUMBER_NAMES, Checks, Fields, FloorwalkerError,
                              Importer, Preview,
                              ValidationError, mappings, match_columns, values)

from . import punches as punch_clock
from . import roster as rosters
from . import sheet
from .actions import PUNCH_IMPORT, ROSTER_IMPORT
from .config import NAME

ROSTER_COLUMNS = {"agent": ("agent", *NUMBER_NAMES, "number"),
                  "date": ("date", *DATE_NAMES),
                  "shift": ("shift", "班次", "班次代码", "shift code")}
ROSTER_FIELDS = Fields(ROSTER_COLUMNS, ("agent",), titles={
    "agent": ("employee number", "工号"), "date": ("date", "日期"), "shift": ("shift", "班次")})
# Columns of a grid that people read and the import leaves alone.
GRID_EXTRAS = frozenset(("name", "姓名", "team", "班组", "组别", "tier", "职级", "note", "备注", "序号",
                         "岗位", "职位", "部门", "工时", "合计", "出勤天数", "no.", "#"))
# A grid's second header line, the weekday under each date (一 二 … 日, 周一, Mon …).
_WEEKDAYS = frozenset(("一", "二", "三", "四", "五", "六", "日", "天")) | \
    {p + d for p in ("周", "星期", "礼拜") for d in "一二三四五六日天"} | \
    {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
REST = frozenset(("", "休", "休息", "rest", "off", "-", "—"))


def _slug(project) -> str:
    return project["slug"] if isinstance(project, dict) else project


# ------------------------------------------------------------------ roster


class _RosterChecker:
    """Turns file cells into roster cells, remembering per agent and per date what it looked up."""

    def __init__(self, fw, project: str):
        self.fw, self.project = fw, project
        fw.projects.get(project)
        self.known = rosters.shifts(fw, project)
        self.closed = fw.store.closed_months(project)
        self.assignments: dict[str, list[dict]] = {}
        self.swapped: dict[str, set[str]] = {}
        self.seen: dict[tuple[str, str], int] = {}

    def date(self, text: str, column: str, row: int) -> str:
        day = values.parse_date(text)
        if day is None:
            raise ValidationError(column, N_("expected a date as YYYY-MM-DD, got {value!r}"),
                                  row=row, value=text)
        day = punch_clock.require_day_in_span(day, text, column, row).isoformat()
        if day[:7] in self.closed:
            raise ValidationError(column, N_("{month} of project {project} is closed: nothing in it "
                                             "can change"), row=row, month=day[:7], project=self.project)
        return day

    def cell(self, number: str, day: str, code: str, row: int, agent_col: str,
             shift_col: str) -> tuple[str, str, str | None]:
        number = values.employee_number(number)
        if not number:
            raise ValidationError(agent_col, N_("is required"), row=row)
        if number not in self.assignments:
            self.assignments[number] = self.fw.agents.assignments(number)
        if not any(a["project"] == self.project and a["start"] <= day
                   and (a["end"] is None or day <= a["end"]) for a in self.assignments[number]):
            raise ValidationError(agent_col, N_("agent {number} is not in project {project} on {date}"),
                                  row=row, number=number, project=self.project, date=day)
        code = code.strip()
        shift = None if code.lower() in REST else code
        if shift is not None and shift not in self.known:
            raise ValidationError(shift_col, N_("no shift type {code!r}"), row=row, code=code)
        if (number, day) in self.seen:
            raise ValidationError(shift_col, N_("{agent} on {day} is already set in row {first}"),
                                  row=row, agent=number, day=day, first=self.seen[number, day])
        self.seen[number, day] = row
        if rosters.entry_id(number, day) in self._swapped(day[:7]):
            raise ValidationError(shift_col, N_("{agent}'s shift of {day} was set by an approved swap; "
                                                "cancel the swap instead"), row=row, agent=number, day=day)
        return number, day, shift

    def _swapped(self, month: str) -> set[str]:
        if month not in self.swapped:
            self.swapped[month] = {k for k, e in rosters.roster(self.fw, self.project, month).items()
                                   if e.get("swap")}
        return self.swapped[month]


def _grid_day(header: str, month: str | None, row: int) -> str | None:
    """The date a grid column stands for, or None for a column people read (name, team)."""
    text = header.strip()
    if text.lower() in GRID_EXTRAS:
        return None
    day = values.parse_date(text)
    if day is not None:
        return day.isoformat()
    short = re.fullmatch(r"(\d{1,2})\s*[/月.-]\s*(\d{1,2})\s*日?", text)  # 11/1, 11月1日
    if short and month is not None:
        try:
            return dt.date(int(month[:4]), int(short.group(1)), int(short.group(2))).isoformat()
        except ValueError:
            pass
    number = text.removesuffix("日").removesuffix("号")
    if number.isdigit() and month is not None:
        try:
            return dt.date.fromisoformat(f"{month}-01").replace(day=int(number)).isoformat()
        except ValueError:
            raise ValidationError(text, N_("{month} has no day {day}"), row=row, month=month,
                                  day=number) from None
    if number.isdigit():
        raise ValidationError(text, N_("a column headed by a day number needs the month "
                                       "(--month YYYY-MM)"), row=row)
    raise ValidationError(text, N_("expected a date as YYYY-MM-DD or a day number as the column "
                                   "heading"), row=row)


def _weekday_line(cells: dict, days: dict) -> bool:
    texts = [cells.get(h, "").strip().lower() for h in days]
    return any(texts) and all(t in _WEEKDAYS or not t for t in texts)


def roster_cells(fw, project: str, header: list[str], rows: list[tuple[int, dict]],
                 month: str | None = None, checks: Checks | None = None
                 ) -> list[tuple[str, str, str | None]]:
    """Every cell of a roster file, checked, as (agent, date, shift or None); nothing written.
    A preview's *checks* gather the refused rows (the first bad cell of each) instead of
    stopping at the first."""
    if month is not None:
        try:
            dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise ValidationError(N_("month"), N_("expected a month as YYYY-MM, got {value!r}"),
                                  value=month) from None
    checker = _RosterChecker(fw, project)
    col = match_columns(header, ROSTER_FIELDS, ("agent",))
    runner = checks or Checks(False)
    if ("date" in col) != ("shift" in col):  # half a long form: name the missing column
        col = match_columns(header, ROSTER_FIELDS, ("agent", "date", "shift"))
    if "date" in col:
        def long_row(row: int, line: dict) -> list:
            day = checker.date(line.get(col["date"], ""), col["date"], row)
            return [checker.cell(line.get(col["agent"], ""), day, line.get(col["shift"], ""),
                                 row, col["agent"], col["shift"])]
        return [c for found in runner.run(rows, long_row) for c in found]
    head_row = getattr(header, "row", 1)
    days = {h: _grid_day(h, month, head_row) for h in header if h and h != col["agent"]}
    days = {h: d for h, d in days.items() if d is not None}
    if not days:
        raise ValidationError(N_("columns"), N_("the file has neither date and shift columns nor "
                                                "one column per day"), row=1)
    for h, day in days.items():
        checker.date(day, h, head_row)

    def grid_row(row: int, line: dict) -> list:
        if not line.get(col["agent"], "").strip() and _weekday_line(line, days):
            return []
        return [checker.cell(line.get(col["agent"], ""), day, line.get(h, ""), row, col["agent"], h)
                for h, day in days.items()]
    return [c for found in runner.run(rows, grid_row) for c in found]


def import_roster(fw, project, path: str | Path, actor: str, month: str | None = None, *,
                  mapping: dict | None = None, sheet: str | None = None,
                  dry_run: bool = False) -> dict | Preview:
    """Set the roster from a .csv/.xlsx file (long or grid form): every cell or none (with
    *dry_run*, the `Preview` and nothing written)."""
    table = mappings.read_for(fw, _slug(project), f"{NAME}.roster", path, ROSTER_FIELDS,
                              mapping=mapping, sheet=sheet)
    if dry_run:
        return preview_roster(fw, _slug(project), table, month)
    return _write_roster(fw, _slug(project), table.header, table.rows, actor, month)


def import_punches(fw, project, path: str | Path, actor: str, *, mapping: dict | None = None,
                   sheet: str | None = None, dry_run: bool = False) -> dict | Preview:
    """Import a punch-clock export (.csv or .xlsx): all rows or none, repeats skipped. Returns
    the counts (with *dry_run*, the `Preview` and nothing written)."""
    table = mappings.read_for(fw, _slug(project), f"{NAME}.punches", path, punch_clock.FIELDS,
                              mapping=mapping, sheet=sheet)
    if dry_run:
        return preview_punches(fw, _slug(project), table)
    return _store_punches(fw, _slug(project), table.header, table.rows, actor)


def preview_punches(fw, project: str, table) -> Preview:
    checks = Checks(True)
    docs = punch_clock.check_rows(fw, project, table.rows, punch_clock.columns(table.header), checks)
    already = punch_clock.already_stored(fw, project, docs)
    counts = {"added": len(docs) - already, "already": already}
    if docs.skipped:
        counts["no_time"] = docs.skipped
    return checks.preview_of(table, **counts)


def preview_roster(fw, project: str, table, month: str | None = None) -> Preview:
    """The roster cells the file would set, counted as new, changed and unchanged, with every
    refused row and the days that would break the continuous-work limit (`Preview.warnings`)."""
    checks = Checks(True)
    cells = []
    with checks.row():
        cells = roster_cells(fw, project, table.header, table.rows, month, checks)
    current = {}
    for key in sorted({day[:7] for _, day, _ in cells}):
        current.update(rosters.roster(fw, project, key))
    added = changed = 0
    for agent, day, code in cells:
        old = current.get(rosters.entry_id(agent, day))
        if old is None:
            added += code is not None
        elif old["shift"] != code:
            changed += 1
    warnings = over_limit(fw, project, cells) if cells and not checks.refused else []
    return checks.preview_of(table, warnings, added=added, changed=changed,
                             already=len(cells) - added - changed, over_limit=len(warnings))


def over_limit(fw, project: str, cells: list[tuple[str, str, str | None]]) -> list[FloorwalkerError]:
    """The days *cells* would set that break the continuous-work limit, with the roster around
    them as stored: each says the agent's name, the day and the shift."""
    days = sorted(day for _, day, _ in cells)
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    agents = {a for a, _, _ in cells}
    entries = dict(rosters.roster_between(fw, project, first - dt.timedelta(days=1),
                                          last + dt.timedelta(days=1), agents))
    for agent, day, code in cells:
        key = rosters.entry_id(agent, day)
        entries[key] = {**entries.get(key, {}), "id": key, "agent": agent, "date": day, "shift": code}
    known = rosters.shifts(fw, project)
    found = rosters.continuous_warnings(entries.values(), known, rosters.continuous_limit(fw, project))
    set_here = {rosters.entry_id(agent, day) for agent, day, _ in cells}
    names = {}
    out = []
    for key in sorted(k for k in found if k in set_here):
        entry = entries[key]
        if entry["agent"] not in names:
            names[entry["agent"]] = fw.agents.get(entry["agent"])["name"]
        shift = known[entry["shift"]]
        out.append(FloorwalkerError(N_("{name} on {day} ({shift}): over the continuous-work limit"),
                                    name=names[entry["agent"]], day=entry["date"], shift=shift.name))
    return out


def _store_punches(fw, project: str, header, rows, actor: str) -> dict:
    """Check and store the punches, then settle the past days of the months they touch."""
    docs = punch_clock.check_rows(fw, project, rows, punch_clock.columns(header))
    done = punch_clock.store_punches(fw, project, docs, actor)
    if docs.skipped:
        done["no_time"] = docs.skipped
    sheet.settle_months(fw, fw.projects.get(project), done["months"], actor)
    return done


def _write_roster(fw, project: str, header, rows, actor: str, month: str | None = None) -> dict:
    """Write the roster's cells, then settle the past days of the months they touch. The result
    carries the warnings of the days it set that break the continuous-work limit (``warnings``,
    each with a ``message(locale)``; ``over_limit``, how many)."""
    cells = roster_cells(fw, project, header, rows, month)
    written = rosters.set_entries(fw, project, cells, actor, source="import",
                                  action="attendance.roster.import")
    months = sorted({day[:7] for _, day, _ in cells})
    sheet.settle_months(fw, fw.projects.get(project), months, actor)
    warnings = []
    if cells:
        days = sorted(day for _, day, _ in cells)
        found = rosters.roster_warnings(fw, project, dt.date.fromisoformat(days[0]),
                                        dt.date.fromisoformat(days[-1]), {a for a, _, _ in cells})
        set_here = {rosters.entry_id(agent, day) for agent, day, _ in cells}
        warnings = [found[key] for key in sorted(found) if key in set_here]
    return {"rows": len(rows), "cells": len(cells), "changed": written, "months": months,
            "over_limit": len(warnings), "warnings": warnings}


# ------------------------------------------------------------------ the importer records


def _header_of(rows: list[tuple[int, dict]]) -> list[str]:
    """The header *rows* came under (`read_rows` keeps it, with the row it was found on)."""
    header = getattr(rows, "header", None)
    return header if header is not None else (list(rows[0][1]) if rows else [])


def run_roster(floorwalker, project, rows, actor, month: str | None = None) -> dict:
    """`Importer.run` for a roster: *rows* as `read_rows` gives them (row number, {header: text});
    *month* for a grid headed by day numbers."""
    return _write_roster(floorwalker, _slug(project), _header_of(rows), rows, actor, month or None)


def run_punches(floorwalker, project, rows, actor) -> dict:
    """`Importer.run` for a punch-clock export (see `import_punches`)."""
    return _store_punches(floorwalker, _slug(project), _header_of(rows), rows, actor)


ROWS = {"rows": ("rows", "行")}
IMPORTERS = [
    Importer(NAME, "roster", "Roster", "排班表",
             ("工号/agent", "日期/date", "班次/shift", "or one column per date"), run_roster,
             fields=ROSTER_FIELDS, action=ROSTER_IMPORT, options=("month",),
             preview=lambda fw, project, table, month=None: preview_roster(fw, _slug(project), table,
                                                                           month or None),
             counts={**ROWS, "cells": ("cells", "格"), "changed": ("changed", "有变更"),
                     "added": ("added", "新增"), "already": ("unchanged", "不变"),
                     "over_limit": ("over the continuous-work limit", "超过连续工作上限")}),
    Importer(NAME, "punches", "Punch-clock export", "打卡记录",
             ("工号/agent", "打卡时间/time", "or 日期/date + 时间/clock"), run_punches,
             fields=punch_clock.FIELDS, action=PUNCH_IMPORT,
             preview=lambda fw, project, table: preview_punches(fw, _slug(project), table),
             counts={**ROWS, "added": ("added", "新增"), "already": ("already there", "已存在"),
                     "no_time": ("skipped: no punch time", "跳过：没有打卡时间")}),
]
