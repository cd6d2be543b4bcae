"""Listings as text: an aligned table for people, CSV for spreadsheets, JSON for programs.

One function, `render`, so every listing of the CLI (and any export that wants the same) offers
the same three formats. Headers are message ids translated into the reader's language; JSON keeps
the field keys and the whole rows, because a program wants the data, not the layout.

CSV cells that begin with ``= + - @`` get a leading ``'``: a spreadsheet would otherwise run them
as a formula (CSV injection). Only text cells are quoted — a negative number stays a number — and
only in CSV, where a spreadsheet may open the file; the table is read by a person in a terminal.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any, Iterable, Sequence

import orjson

from .i18n import gettext

FORMATS = ("table", "csv", "json")
FORMULA_STARTS = ("=", "+", "-", "@")


def render(rows: Sequence[dict], columns: Iterable[tuple[str, str]], fmt: str, locale: str) -> str:
    """*rows* as *fmt* text; *columns* are (key, header message id) pairs for table and CSV."""
    if fmt == "json":
        return orjson.dumps(list(rows), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    columns = list(columns)
    header = [gettext(title, locale) for _, title in columns]
    cells = [[cell_text(row.get(key)) for key, _ in columns] for row in rows]
    if fmt == "csv":
        return _csv(header, cells)
    if fmt == "table":
        return _table(header, cells)
    raise ValueError(f"unknown format {fmt!r}")


def cell_text(value: Any) -> str:
    """How one value reads in a cell: lists joined by commas, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    return str(value)


def spreadsheet_safe(text: str) -> str:
    """*text* with a leading ``'`` if a spreadsheet would take it for a formula."""
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv(header: list[str], cells: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(c) for c in row] for row in cells)
    return out.getvalue().rstrip("\n")


def _table(header: list[str], cells: list[list[str]]) -> str:
    widths = [display_width(h) for h in header]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths))


def display_width(text: str) -> int:
    """Columns *text* takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
