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

import codecs
import csv
import datetime as dt
import secrets
import warnings
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Callable

from . import validate
from .errors import FileRefused, ValidationError
from .i18n import N_, Words
from .ledger import ONCE_A_MONTH, effective_rule, second_of_the_month
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

# The most rows (the header aside) a file may hold, unless the install sets `import_row_limit`:
# the rows are held in memory and checked one by one; a month's largest file is about 25,000.
ROW_LIMIT = 50_000
ROW_LIMIT_SETTING = "import_row_limit"
# Excel's own bound: a sheet with a row beyond it is not Excel's; blank rows up to it cost
# well under a second to pass over.
SHEET_ROWS = 1_048_576
# A year's roster grid is 370 columns; a wider row is refused before its cells become text.
COLUMN_LIMIT = 1_000
# An xlsx is a zip whose shared strings and styles openpyxl parses whole before the first row:
# what it unpacks to is bounded first. Generous: 50,000 rows of 35 columns written by Excel
# unpack to about 60 MB.
UNPACKED_PER_ROW = 4_000
UNPACKED_BASE = 16_000_000
# The dates an import accepts: wider than any working life, narrow enough that a month's
# arithmetic (the day before, the next month) stays within what Python's dates hold.
FIRST_DATE, LAST_DATE = "1900-01-01", "2999-12-31"

_DAMAGED_XLSX = N_("the file is damaged (not a valid xlsx workbook)")
_OS_REASONS = {FileNotFoundError: N_("there is no such file"),
               IsADirectoryError: N_("it is a folder, not a file"),
               PermissionError: N_("permission denied")}


class _Unreadable(Exception):
    """Why a file cannot be read, as a message id; `read_rows` names the file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def row_limit(fw) -> int:
    """The install's most rows for a file to import: the setting `import_row_limit`, else ROW_LIMIT."""
    return _row_limit(fw.install_settings().get(ROW_LIMIT_SETTING))


def _row_limit(value) -> int:
    return value if type(value) is int and value > 0 else ROW_LIMIT


def read_rows(path: str | Path, limit: int | None = ROW_LIMIT
              ) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the non-blank rows of a .csv or .xlsx file, as (row number, {header: text}).

    Cells are text, stripped: whole numbers lose Excel's ``.0`` and dates read as YYYY-MM-DD;
    every row has every column of the header (a short row is filled with ""). The file is read
    row by row and refused as soon as it holds more than *limit* rows: callers pass the
    install's limit, `row_limit(fw)` (a plugin: ``fw.install_settings().get("import_row_limit")``;
    None or anything but a positive whole number means ROW_LIMIT).
    Raises `FileRefused` (a `ValidationError`) when the file cannot be read, holds too much or
    repeats a heading.
    """
    path = Path(path)
    limit = _row_limit(limit)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise FileRefused(N_("file"), N_("use a .csv or .xlsx file, got {name}"), name=path.name)
    try:
        with closing(_csv_records(path) if suffix == ".csv" else _xlsx_records(path, limit)) as records, \
                warnings.catch_warnings():  # openpyxl's remarks on a file (a date out of range …)
            warnings.simplefilter("ignore")
            return _collect(records, limit, path.name)
    except _Unreadable as exc:
        reason = exc.reason
    except OSError as exc:
        reason = _OS_REASONS.get(type(exc)) or exc.strerror or type(exc).__name__
    raise FileRefused(N_("file"), N_("cannot read {name}: {reason}"), name=path.name, reason=reason)


def _collect(records, limit: int, name: str) -> tuple[list[str], list[tuple[int, dict]]]:
    header: list[str] | None = None
    rows = []
    for number, texts in records:
        if number > SHEET_ROWS:
            raise _Unreadable(N_("it has more rows than a spreadsheet holds"))
        if not any(texts):
            continue
        if header is None:
            header = _header(texts, number)
            continue
        if len(rows) == limit:
            raise FileRefused(N_("file"), N_("{name} has more than {limit} rows; split the file"),
                              name=name, limit=limit)
        if len(texts) < len(header):
            texts += [""] * (len(header) - len(texts))
        rows.append((number, dict(zip(header, texts))))
    if header is None:
        raise FileRefused(N_("file"), N_("{name} is empty"), name=name)
    return header, rows


def _header(texts: list[str], row: int) -> list[str]:
    seen = set()
    for text in texts:
        if text and text in seen:
            raise FileRefused(text, N_("the heading appears twice"), row=row)
        seen.add(text)
    return texts


def _csv_records(path: Path):
    """(row number, [stripped cell]) of a CSV file, read as it streams."""
    with path.open(encoding=_csv_encoding(path), newline="") as fh:
        try:
            for number, row in enumerate(csv.reader(fh), start=1):
                if len(row) > COLUMN_LIMIT and any(cell.strip() for cell in row[COLUMN_LIMIT:]):
                    raise FileRefused(N_("file"), N_("more than {limit} columns"), row=number,
                                      limit=COLUMN_LIMIT)
                yield number, [cell.strip() for cell in row[:COLUMN_LIMIT]]
        except csv.Error:
            raise _Unreadable(N_("the file is damaged (not a valid CSV file)")) from None


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030 (Excel on a
    Chinese Windows), checked in chunks so that a large file is never held whole."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise _Unreadable(N_("the file is not UTF-8 or GB18030 text"))


def _xlsx_records(path: Path, limit: int):
    """(row number, [cell as text]) of the first sheet of a workbook, read as it streams.

    openpyxl's parts are driven here rather than through `load_workbook`, whose read-only mode
    parses every sheet whole at opening to size it when the file omits its dimensions (20 s
    for a million rows). openpyxl meets a damaged workbook with whatever its parsing runs into
    (a `ParseError`, an `IndexError`, a `TypeError` from a style, a `zlib.error` …) and refuses
    XML entities (through defusedxml): any exception from it means the file is damaged.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
        with reader.archive as archive:
            most = UNPACKED_BASE + UNPACKED_PER_ROW * limit
            if sum(info.file_size for info in archive.infolist()) > most:
                raise FileRefused(N_("file"), N_("{name} unpacks to more than {size} MB; split the file"),
                                  name=path.name, size=most // 1_000_000)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(archive, reader.wb)  # tells which number formats are dates
            sheet = next((rel.target for _, rel in reader.parser.find_sheets()
                          if rel.target in reader.valid_files and "chartsheet" not in rel.Type), None)
            if sheet is None:
                raise _Unreadable(N_("the workbook has no sheet"))
            book = reader.wb
            with archive.open(sheet) as source:
                rows = WorkSheetParser(source, reader.shared_strings, data_only=True, epoch=book.epoch,
                                       date_formats=book._date_formats,
                                       timedelta_formats=book._timedelta_formats).parse()
                for number, cells in rows:
                    if number < 1:
                        raise _Unreadable(_DAMAGED_XLSX)
                    yield number, _sheet_row(cells, number)
    except (FileRefused, _Unreadable, *_OS_REASONS):
        raise
    except Exception:
        raise _Unreadable(_DAMAGED_XLSX) from None


def _sheet_row(cells: list[dict], number: int) -> list[str]:
    """A sheet row's values as text, each in its column ("" where the file has no cell)."""
    texts: list[str] = []
    for cell in cells:
        if cell["value"] is None:
            continue
        column = cell["column"]
        if column > COLUMN_LIMIT:
            raise FileRefused(N_("file"), N_("more than {limit} columns"), row=number, limit=COLUMN_LIMIT)
        if column > len(texts):
            texts += [""] * (column - len(texts))
        texts[column - 1] = _text(cell["value"])
    return texts


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
                raise FileRefused(N_("columns"), N_("the column {column} ({alias}) is missing"),
                                  column=names[0], alias=names[1])
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
                  progress: Progress | None = None) -> int:
    """Add every agent of the file to *project*, or none; returns how many were added."""
    fw.projects.get(project)
    header, rows = read_rows(path, limit=row_limit(fw))
    col = match_columns(header, AGENT_COLUMNS, AGENT_REQUIRED)
    field_column = {N_("employee number"): col["number"], N_("name"): col["name"],
                    N_("team"): col["team"], N_("hire date"): col["hired"],
                    N_("tier"): col.get("tier", "tier")}
    pairs, numbers = [], []
    for i, (row, cells) in enumerate(rows):
        tier = cells.get(col["tier"], "") if "tier" in col else ""
        tier = _TIER_NAMES.get(tier.lower(), tier) if tier else TIERS[0]
        try:
            agent, assignment = fw.agents.new_agent_docs(
                project, cells.get(col["number"], ""), cells.get(col["name"], ""),
                team=cells.get(col["team"]) or None, hired=cells.get(col["hired"]) or None,
                tier=tier, field_row=row)
        except ValidationError as exc:
            raise _in_column(exc, field_column.get(exc.field, exc.field), row) from None
        require_date_in_span(agent["hired"], col["hired"], row)
        pairs.append((agent, assignment))
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
                        progress: Progress | None = None) -> int:
    """Record every score event of the file for *project*, or none; returns how many."""
    project_doc = fw.projects.get(project)
    header, rows = read_rows(path, limit=row_limit(fw))
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
    _refuse_second_of_the_month(fw, project, events, [row for row, _ in rows], col["agent"])
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
