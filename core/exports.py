"""Exports: a `Table` as CSV, xlsx or PDF, and the response that hands a file to the browser.

Every export goes through here — the score sheet, the pay float, the attendance report, the CLI's
CSV — so that the one rule of spreadsheet safety lives in one place: `guard` gives a text cell that
starts with ``= + - @``, a tab or a carriage return a leading apostrophe, which a spreadsheet would
otherwise run as a formula (``=HYPERLINK(…)``, ``+1+cmd|calc``). Only ``str`` values are guarded:
a negative number is a number and stays one. A PDF is not guarded: nothing in it runs, and an
apostrophe would only spoil the name a reader sees.

CSV is UTF-8 with a byte-order mark and CRLF line ends (RFC 4180): without the mark Excel reads
the file as the system's code page and Chinese turns into mojibake. xlsx is written by openpyxl
in write-only mode (a month of agent-days is a few hundred thousand cells), with a bold header,
the header row frozen and columns as wide as their text; a `Cell` is a number stored with its
number format (a percent, seconds, yuan), so the reader can sum and chart it. A PDF is rendered by WeasyPrint in
Noto Sans CJK (Debian's ``fonts-noto-cjk``, installed by ``scripts/setup``): the font is named in
``@page`` too, because the footer's margin boxes do not inherit from the document. It loads
nothing from outside — no file, no URL — so HTML a caller rendered cannot reach the server's disk
or network.

openpyxl, WeasyPrint and Starlette's responses are imported when a file is made: the CLI and every
plugin import the core, and most commands make no file (WeasyPrint alone takes half a second).
"""

from __future__ import annotations

import csv
import datetime as dt
import html as html_lib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Sequence
from urllib.parse import quote

from .i18n import N_, translate

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}
FONTS = '"Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Micro Hei", sans-serif'
WIDEST_COLUMN = 50  # characters: a long comment wraps in Excel rather than pushing the rest away
WIDE_TABLE = 8  # columns: more than this and the PDF page turns to landscape


@dataclass(frozen=True)
class Table:
    """A titled grid: *columns* are headings, or (key, heading) pairs; *rows* are sequences of
    cells (str, int, float, date, None) in the columns' order. *fixed_columns* stay in view when
    a spreadsheet scrolls sideways (the header row always does)."""

    title: str
    columns: Sequence[str | tuple[str, str]]
    rows: Sequence[Sequence[Any]]
    fixed_columns: int = 0

    @property
    def headings(self) -> list[str]:
        return [c[1] if isinstance(c, tuple) else c for c in self.columns]


@dataclass(frozen=True)
class Cell:
    """A number a spreadsheet keeps as a number, shown in *number_format* (Excel's: ``0.0%`` for
    a rate held as a fraction, ``#,##0.0" s"`` for seconds, ``"¥"#,##0.00`` for money), so the
    reader can add it up and chart it; CSV and PDF write *text* (the figure as the page shows
    it), or the bare number without one."""

    value: int | float | None
    number_format: str = "General"
    text: str = ""

    def __str__(self) -> str:
        if self.text:
            return self.text
        return "" if self.value is None else str(self.value)


def plain(value):
    """*value* as CSV and PDF write it: a `Cell` as its text, anything else as it is."""
    return str(value) if isinstance(value, Cell) else value


def guard(value):
    """*value* as a spreadsheet may hold it: text that would start a formula gets a leading ``'``;
    anything that is not text (a negative number too) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def display_width(text: str) -> int:
    """Columns *text* takes in a terminal or a spreadsheet: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---------------------------------------------------------------- CSV


def csv_text(table: Table, newline: str = "\r\n") -> str:
    """The table's header and rows as CSV text, every cell guarded (the CLI prints this)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow([guard(h) for h in table.headings])
    writer.writerows([guard(plain(v)) for v in row] for row in table.rows)
    return out.getvalue()


def to_csv(table: Table) -> bytes:
    """The table as a CSV file that Excel opens with its Chinese intact (UTF-8 with a BOM)."""
    return ("\ufeff" + csv_text(table)).encode("utf-8")


# ---------------------------------------------------------------- xlsx


def to_xlsx(tables: Table | Sequence[Table]) -> bytes:
    """One table, or several as sheets in their order, as an xlsx workbook; each sheet is named
    after its table's title (cut to what Excel allows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def cell(value):
        if isinstance(value, Cell):  # a number with its format: stored as the number
            if value.value is None:
                return None
            made = WriteOnlyCell(sheet, value=value.value)
            made.number_format = value.number_format
            return made
        value = guard(value)
        # control characters make openpyxl refuse the whole file; a name cannot mean them
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for table in [tables] if isinstance(tables, Table) else tables:
        sheet = book.create_sheet(sheet_title(table.title, used))
        rows = [[cell(v) for v in row] for row in table.rows]
        header = [cell(h) for h in table.headings]
        shown = [[plain(v) for v in row] for row in table.rows]
        for i, width in enumerate(column_widths(header, shown), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = f"{get_column_letter(table.fixed_columns + 1)}2"
        heading_cells = []
        for text in header:
            heading_cells.append(WriteOnlyCell(sheet, value=text))
            heading_cells[-1].font = bold
        sheet.append(heading_cells)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_title(title: str, used: set[str]) -> str:
    """*title* as an Excel sheet name: no ``[ ] : * ? / \\``, no apostrophe at either end, at most
    31 characters, not empty, and unlike the names in *used* (which it joins)."""
    name = re.sub(r"[\[\]:*?/\\]", "-", title).strip().strip("'")[:31] or "Sheet"
    candidate, n = name, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{name[:31 - len(str(n)) - 1]}-{n}"
    used.add(candidate.lower())
    return candidate


def column_widths(header: list, rows: list[list]) -> list[int]:
    """The width of each column in characters: its longest text, with a little room."""
    widths = [display_width(str(h)) for h in header]
    for row in rows:
        for i, value in enumerate(row[:len(widths)]):
            if value is not None:
                widths[i] = max(widths[i], display_width(str(value)))
    return [min(w + 2, WIDEST_COLUMN) for w in widths]


# ---------------------------------------------------------------- PDF


def to_pdf(table: Table | Sequence[Table] | None = None, *, html: str | None = None, title: str,
           locale: str, landscape: bool | None = None) -> bytes:
    """A PDF headed *title*, of *table* (one or several, each under its own title when there are
    several) or of *html* (the body of a template the caller rendered, already escaped); the
    footer carries the title and "page n of m" in *locale*. Pages turn to landscape for a table
    of many columns unless *landscape* says otherwise."""
    import weasyprint

    from .templating import filters

    tables = [] if table is None else [table] if isinstance(table, Table) else list(table)
    if landscape is None:
        landscape = any(len(t.columns) > WIDE_TABLE for t in tables)
    number = filters(locale)["number"]
    body = html or ""
    for t in tables:
        if len(tables) > 1:
            body += f"<h2>{html_lib.escape(t.title)}</h2>"
        body += html_table(t, number)
    lang = "zh-CN" if locale.startswith("zh") else "en"
    document = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
                f"<title>{html_lib.escape(title)}</title><style>{_stylesheet(locale, landscape)}</style>"
                f"</head><body><h1>{html_lib.escape(title)}</h1>{body}</body></html>")
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=document, url_fetcher=fetcher).write_pdf()


def html_table(table: Table, number) -> str:
    """*table* as an HTML table: numbers through *number* (the locale's filter) and set right;
    the fixed columns (who a line is about) do not wrap."""
    head = "".join(f"<th>{html_lib.escape(h)}</th>" for h in table.headings)
    lines = []
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            classes = ["fixed"] if i < table.fixed_columns else []
            if isinstance(value, Cell):
                classes.append("num")
                text = str(value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                classes.append("num")
                text = number(value)
            elif isinstance(value, (dt.date, dt.time)):
                text = value.isoformat()
            else:
                text = "" if value is None else str(value)
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{html_lib.escape(text)}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _stylesheet(locale: str, landscape: bool) -> str:
    footer = f"font-family: {FONTS}; font-size: 8pt; color: #555;"
    return f"""
@page {{ size: A4 {"landscape" if landscape else "portrait"}; margin: 14mm 12mm 16mm;
  font-family: {FONTS};
  @bottom-left {{ content: string(doc-title); {footer} }}
  @bottom-right {{ content: {_page_counter(locale)}; {footer} }} }}
html {{ font-family: {FONTS}; font-size: 9pt; color: #111; }}
h1 {{ font-size: 14pt; margin: 0 0 8pt; string-set: doc-title content(); }}
h2 {{ font-size: 11pt; margin: 14pt 0 6pt; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
th {{ background: #eee; font-weight: bold; }}
td.num {{ text-align: right; }}
td.fixed {{ white-space: nowrap; }}
tr {{ break-inside: avoid; }}
"""


def _page_counter(locale: str) -> str:
    """CSS ``content`` for "Page n of m" in *locale*: the translation's text as CSS strings
    around the page counters."""
    text = translate(N_("Page {page} of {pages}"), locale, page="\0page\0", pages="\0pages\0")
    parts = []
    for i, piece in enumerate(text.split("\0")):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            escaped = piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
            parts.append(f'"{escaped}"')
    return " ".join(parts)


# ---------------------------------------------------------------- the response


def download(body: bytes, filename: str, media_type: str | None = None):
    """A response that makes the browser save *body* as *filename* (Chinese is fine: RFC 5987's
    ``filename*`` carries it, plain ``filename`` an ASCII stand-in for old clients); the media
    type follows the file's suffix unless given."""
    from starlette.responses import Response

    suffix = PurePath(filename).suffix.lower()
    media_type = media_type or MEDIA_TYPES.get(suffix, "application/octet-stream")
    return Response(body, media_type=media_type,
                    headers={"content-disposition": content_disposition(filename),
                             "cache-control": "private, no-store"})


def content_disposition(filename: str) -> str:
    """The ``Content-Disposition`` of an attachment called *filename*."""
    ascii_name = re.sub(r"[^\x20-\x7e]+|[\"\\/;%]", "_", filename).strip()
    if not re.search(r"[A-Za-z0-9]", PurePath(ascii_name).stem):
        ascii_name = "download" + PurePath(filename).suffix
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
