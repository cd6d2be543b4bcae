"""Reading an import file as it comes: .csv or .xlsx, the header found, the columns matched.

Every importer, the plugins' too, reads through this module, which takes a file as the floor's
systems write it (a 钉钉 原始记录 export, a punch clock's GBK CSV, a team leader's sheet):

* the file: UTF-8 (with or without BOM), GB18030/GBK, or UTF-16 with tabs; an .xlsx read row by
  row from the sheet asked for, else the first sheet whose header the importer recognises;
* the header is found, not assumed: title and blank rows above it are skipped — the header is the
  first row naming the importer's required columns (`Fields`), by any of their names;
  empty trailing columns are dropped, and so is a totals row (合计, 总计, Total) at the end;
* a damaged workbook, an XML entity, a file of a million rows are refused with one error naming
  the file (`FileRefused`: exit code 2 in the CLI, 422 on the web), the rows being counted as
  they stream so that a file over the install's row limit stops at the row past it.

Cells are text, stripped: whole numbers lose Excel's ``.0`` and date cells read as YYYY-MM-DD
(`values` reads the other forms of dates and times). What the reader chose — the sheet, the header
row, which heading holds which column — is on the `Table` it returns, for the preview.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FileRefused
from .i18n import N_

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
# How many non-blank rows above the header a file may have (titles, an export's filter lines).
HEADER_SEARCH = 30
_TOTALS = re.compile(r"^(合计|总计|小计|汇总|total|totals|sum)\b", re.IGNORECASE)

_DAMAGED_XLSX = N_("the file is damaged (not a valid xlsx workbook)")
_OS_REASONS = {FileNotFoundError: N_("there is no such file"),
               IsADirectoryError: N_("it is a folder, not a file"),
               PermissionError: N_("permission denied")}


class _Unreadable(Exception):
    """Why a file cannot be read, as a message id; `read_table` names the file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _NoHeader(Exception):
    """This sheet has no row naming the importer's columns (the next sheet may)."""


@dataclass(frozen=True)
class Fields:
    """The columns an importer reads: *columns* maps each column's key to the names files give it,
    the preferred first (``{"agent": ("agent", "工号", "员工号", …)}``); *required* lists the
    alternatives of keys a header must name (``(("agent", "time"), ("agent", "date", "clock"))``:
    either set will do); *ignored* are headings never taken for any column (a 钉钉 export's
    scheduled 考勤时间 beside the punch's 打卡时间)."""

    columns: dict
    required: tuple = ()
    ignored: tuple = ()
    titles: dict = field(default_factory=dict)  # key → (English title, Chinese title)

    def title(self, key: str, locale: str) -> str:
        """The column's title for a reader of *locale* (工号 / employee number), never its key."""
        names = self.columns.get(key, (key,))
        en, zh = self.titles.get(key, (names[0], names[1] if len(names) > 1 else names[0]))
        return zh if locale.startswith("zh") else en

    def aliases(self, key: str, locale: str) -> str:
        """Other headings files give the column: Chinese ones, less the title (for the
        missing-column error); the first Chinese one for an English reader."""
        chinese = [n for n in self.columns.get(key, ()) if any("\u4e00" <= c <= "\u9fff" for c in n)]
        if not locale.startswith("zh"):
            return chinese[0] if chinese else self.title(key, locale)
        others = [n for n in chinese if n != self.title(key, locale)][:3]
        return "、".join(others) or self.title(key, locale)

    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        req = self.required
        return tuple(req) if req and isinstance(req[0], (tuple, list)) else (tuple(req),)

    def match(self, header: list[str], chosen: dict | None = None) -> dict[str, str]:
        """Which heading of *header* holds each column: *chosen* first (a saved mapping, key →
        heading), then each column's names in order of preference."""
        ignored = {n.strip().lower() for n in self.ignored}
        by_name = {}
        for h in header:
            name = h.strip().lower()
            if h and name not in ignored:
                by_name.setdefault(name, h)
        found, taken = {}, set()
        for key, heading in (chosen or {}).items():
            if key in self.columns and heading in header:
                found[key] = heading
                taken.add(heading)
        for key, names in self.columns.items():
            if key in found:
                continue
            for name in names:
                heading = by_name.get(name.lower())
                if heading is not None and heading not in taken:
                    found[key] = heading
                    taken.add(heading)
                    break
        return found

    def complete(self, found: dict) -> bool:
        return any(all(k in found for k in keys) for keys in self.alternatives())


class Header(list):
    """A file's header row (its headings in order), with what the reader chose for it:
    ``chosen`` (column key → heading, from a saved mapping), ``row`` (its number in the file)."""

    row: int = 1
    chosen: dict = {}


class Rows(list):
    """`read_rows`'s rows, (row number, {heading: text}), with the `Header` they came under."""

    header: Header | None = None


@dataclass
class Table:
    """A file as read: its header, its rows and what the reader chose."""

    name: str
    header: Header
    rows: Rows
    sheet: str | None = None
    sheets: list = field(default_factory=list)
    found: dict = field(default_factory=dict)  # column key → heading
    recognised: bool = False  # the header names the importer's required columns
    skipped_above: int = 0  # non-blank rows above the header
    totals_dropped: int = 0
    fields: Fields | None = None  # what it was read for (the columns' titles)
    mapping_name: str = ""  # the saved mapping it was read with, if any

    def first_rows(self, count: int = 5) -> list[list[str]]:
        return [[cells.get(h, "") for h in self.header] for _, cells in self.rows[:count]]


def row_limit(fw) -> int:
    """The install's most rows for a file to import: the setting `import_row_limit`, else ROW_LIMIT."""
    return _row_limit(fw.install_settings().get(ROW_LIMIT_SETTING))


def _row_limit(value) -> int:
    return value if type(value) is int and value > 0 else ROW_LIMIT


def read_rows(path: str | Path, limit: int | None = ROW_LIMIT, fields: Fields | None = None,
              mapping: dict | None = None, sheet: str | None = None
              ) -> tuple[Header, Rows]:
    """The header and the non-blank rows of a .csv or .xlsx file, as (row number, {header: text}).

    With *fields*, the header is the first row naming the required columns (else the first
    non-blank row, and the importer's column check says what is missing). Every row has every
    column of the header (a short row is filled with ""). Files are refused as `read_table` says.
    """
    table = read_table(path, fields, limit=limit, mapping=mapping, sheet=sheet)
    return table.header, table.rows


def read_table(path: str | Path, fields: Fields | None = None, *, limit: int | None = ROW_LIMIT,
               mapping: dict | None = None, sheet: str | None = None) -> Table:
    """Read *path* for an importer of *fields*. *mapping* is a saved choice
    (``{"header_row": 3, "columns": {key: heading}, "sheet": name}``); *sheet* picks a sheet.

    The file is read row by row and refused as soon as it holds more than *limit* rows:
    callers pass the install's limit, `row_limit(fw)` (None or anything but a positive whole
    number means ROW_LIMIT). Raises `FileRefused` (a `ValidationError`) when the file cannot be
    read, holds too much or repeats a heading."""
    path = Path(path)
    limit = _row_limit(limit)
    mapping = mapping or {}
    sheet = sheet or mapping.get("sheet") or None
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise FileRefused(N_("file"), N_("use a .csv or .xlsx file, got {name}"), name=path.name)
    try:
        with warnings.catch_warnings():  # openpyxl's remarks on a file (a date out of range …)
            warnings.simplefilter("ignore")
            if suffix != ".xlsx":
                with closing(_csv_records(path)) as records:
                    table = _collect(records, limit, path.name, fields, mapping)
            else:
                table = _read_workbook(path, limit, fields, mapping, sheet)
            table.fields = fields
            return table
    except _Unreadable as exc:
        reason = exc.reason
    except OSError as exc:
        reason = _OS_REASONS.get(type(exc)) or exc.strerror or type(exc).__name__
    raise FileRefused(N_("file"), N_("cannot read {name}: {reason}"), name=path.name, reason=reason)


def _read_workbook(path: Path, limit: int, fields, mapping: dict, sheet: str | None) -> Table:
    names = _sheet_names(path, limit)
    if sheet is not None:
        if sheet not in names:
            raise FileRefused(N_("sheet"), N_("{name} has no sheet {sheet!r}; its sheets: {sheets}"),
                              name=path.name, sheet=sheet, sheets=", ".join(names))
        order = [sheet]
    else:
        order = names
    if not order:
        raise _Unreadable(N_("the workbook has no sheet"))
    # The first sheet naming the columns; else the first sheet, read as it is.
    for name in order if fields is not None and len(order) > 1 else ():
        try:
            with closing(_xlsx_records(path, limit, name)) as records:
                table = _collect(records, limit, path.name, fields, mapping, strict=True)
        except _NoHeader:
            continue
        table.sheet, table.sheets = name, names
        return table
    with closing(_xlsx_records(path, limit, order[0])) as records:
        table = _collect(records, limit, path.name, fields, mapping)
    table.sheet, table.sheets = order[0], names
    return table


def _collect(records, limit: int, name: str, fields: Fields | None, mapping: dict,
             strict: bool = False) -> Table:
    wanted_row = mapping.get("header_row")
    chosen = mapping.get("columns") or {}
    candidates: list[tuple[int, list[str]]] = []
    header: Header | None = None
    found: dict = {}
    rows = Rows()
    for number, texts in records:
        if number > SHEET_ROWS:
            raise _Unreadable(N_("it has more rows than a spreadsheet holds"))
        if not any(texts):
            continue
        if header is None:
            if wanted_row is not None:
                if number < wanted_row:
                    candidates.append((number, texts))
                    continue
                header = _header(texts, number, chosen)
            elif fields is None:
                header = _header(texts, number, chosen)
            else:
                candidates.append((number, texts))
                match = fields.match(_trimmed(texts), chosen)
                if fields.complete(match):
                    header = _header(texts, number, chosen)
                elif len(candidates) >= HEADER_SEARCH:
                    if strict:
                        raise _NoHeader
                    header, rows = _fallback(candidates, chosen, limit, name)
                continue
            continue
        _append(rows, header, number, texts, limit, name)
    if header is None:
        if not candidates:
            if strict:
                raise _NoHeader
            raise FileRefused(N_("file"), N_("{name} is empty"), name=name)
        if strict:
            raise _NoHeader
        header, rows = _fallback(candidates, chosen, limit, name)
    dropped = 0
    while rows and _is_totals(rows[-1][1], header):
        rows.pop()
        dropped += 1
    rows.header = header
    if fields is not None:
        found = fields.match(header, chosen)
    skipped = sum(1 for n, _ in candidates if n < header.row)
    return Table(name, header, rows, found=found,
                 recognised=fields is not None and fields.complete(found),
                 skipped_above=skipped, totals_dropped=dropped)


def _fallback(candidates, chosen, limit, name) -> tuple[Header, Rows]:
    """No row named the columns: the header is the first of the widest rows (a title above it
    fills one cell), and the importer's column check says which column is missing, listing the
    headings; the rows below it are its rows."""
    widest = max(sum(1 for t in texts if t) for _, texts in candidates)
    at = next(i for i, (_, texts) in enumerate(candidates) if sum(1 for t in texts if t) == widest)
    number, texts = candidates[at]
    header = _header(texts, number, chosen)
    rows = Rows()
    for n, t in candidates[at + 1:]:
        _append(rows, header, n, t, limit, name)
    return header, rows


def _append(rows: Rows, header: Header, number: int, texts: list[str], limit: int, name: str) -> None:
    if len(rows) == limit:
        raise FileRefused(N_("file"), N_("{name} has more than {limit} rows; split the file"),
                          name=name, limit=limit)
    if len(texts) < len(header):
        texts = texts + [""] * (len(header) - len(texts))
    rows.append((number, dict(zip(header, texts))))


def _trimmed(texts: list[str]) -> list[str]:
    end = len(texts)
    while end and not texts[end - 1]:
        end -= 1
    return texts[:end]


def _is_totals(cells: dict, header: Header) -> bool:
    first = next((cells.get(h, "") for h in header if cells.get(h, "")), "")
    return bool(_TOTALS.match(first))


def _header(texts: list[str], row: int, chosen: dict) -> Header:
    texts = _trimmed(texts)
    seen = set()
    for text in texts:
        if text and text in seen:
            raise FileRefused(text, N_("the heading appears twice"), row=row)
        seen.add(text)
    header = Header(texts)
    header.row, header.chosen = row, dict(chosen)
    return header


def _csv_records(path: Path):
    """(row number, [stripped cell]) of a CSV file, read as it streams: comma- or tab-separated."""
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(8192)
        fh.seek(0)
        if encoding.startswith("utf-16") or encoding == "utf-8-sig":
            sample = sample.lstrip("\ufeff")
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        try:
            for number, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
                if number == 1 and row:
                    row[0] = row[0].lstrip("\ufeff")
                if len(row) > COLUMN_LIMIT and any(cell.strip() for cell in row[COLUMN_LIMIT:]):
                    raise FileRefused(N_("file"), N_("more than {limit} columns"), row=number,
                                      limit=COLUMN_LIMIT)
                yield number, [cell.strip() for cell in row[:COLUMN_LIMIT]]
        except csv.Error:
            raise _Unreadable(N_("the file is damaged (not a valid CSV file)")) from None


def _csv_encoding(path: Path) -> str:
    """UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text", tab-separated);
    else UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030 (Excel on a
    Chinese Windows, and GBK's superset), checked in chunks so that a large file is never held whole."""
    with path.open("rb") as fh:
        start = fh.read(2)
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise _Unreadable(N_("the file is not UTF-8, UTF-16 or GB18030 text"))


def _open_workbook(path: Path, limit: int):
    """openpyxl's reader of *path* with its parts read, the unpacked size bounded first."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
    archive = reader.archive
    most = UNPACKED_BASE + UNPACKED_PER_ROW * limit
    if sum(info.file_size for info in archive.infolist()) > most:
        archive.close()
        raise FileRefused(N_("file"), N_("{name} unpacks to more than {size} MB; split the file"),
                          name=path.name, size=most // 1_000_000)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(archive, reader.wb)  # tells which number formats are dates
    return reader


def _sheets(reader) -> list[tuple[str, str]]:
    return [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type]


def _sheet_names(path: Path, limit: int) -> list[str]:
    try:
        reader = _open_workbook(path, limit)
        with reader.archive:
            return [name for name, _ in _sheets(reader)]
    except (FileRefused, _Unreadable, *_OS_REASONS):
        raise
    except Exception:
        raise _Unreadable(_DAMAGED_XLSX) from None


def _xlsx_records(path: Path, limit: int, sheet_name: str | None = None):
    """(row number, [cell as text]) of a sheet of a workbook (the first, or *sheet_name*), read
    as it streams.

    openpyxl's parts are driven here rather than through `load_workbook`, whose read-only mode
    parses every sheet whole at opening to size it when the file omits its dimensions (20 s
    for a million rows). openpyxl meets a damaged workbook with whatever its parsing runs into
    (a `ParseError`, an `IndexError`, a `TypeError` from a style, a `zlib.error` …) and refuses
    XML entities (through defusedxml): any exception from it means the file is damaged.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        reader = _open_workbook(path, limit)
        with reader.archive as archive:
            sheets = _sheets(reader)
            target = next((t for name, t in sheets if sheet_name in (None, name)), None)
            if target is None:
                raise _Unreadable(N_("the workbook has no sheet"))
            book = reader.wb
            with archive.open(target) as source:
                rows = WorkSheetParser(source, reader.shared_strings, data_only=True, epoch=book.epoch,
                                       date_formats=book._date_formats,
                                       timedelta_formats=book._timedelta_formats).parse()
                for number, cells in rows:
                    if number < 1:
                        raise _Unreadable(_DAMAGED_XLSX)
                    yield number, _sheet_row(cells, number)
    except (FileRefused, _Unreadable, _NoHeader, GeneratorExit, *_OS_REASONS):
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
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
