"""Listings as text: an aligned table for people, CSV for spreadsheets, JSON for programs.

One function, `render`, so every listing of the CLI (and any export that wants the same) offers
the same three formats. Headers are message ids translated into the reader's language; JSON keeps
the field keys and the whole rows, because a program wants the data, not the layout.

CSV is written by `exports.csv_text`, which quotes a text cell that a spreadsheet would run as a
formula; numbers reach it as numbers, so a negative one stays a number. It is plain text with
``\n`` line ends, as a terminal or a pipe expects. The table is read by a person in a terminal and
is not quoted.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import orjson

from .exports import Table, csv_text, display_width
from .i18n import gettext

FORMATS = ("table", "csv", "json")


def render(rows: Sequence[dict], columns: Iterable[tuple[str, str]], fmt: str, locale: str) -> str:
    """*rows* as *fmt* text; *columns* are (key, header message id) pairs for table and CSV."""
    if fmt == "json":
        return orjson.dumps(list(rows), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    columns = list(columns)
    header = [gettext(title, locale) for _, title in columns]
    if fmt == "csv":
        table = Table("", header, [[_csv_cell(row.get(key)) for key, _ in columns] for row in rows])
        return csv_text(table, newline="\n").rstrip("\n")
    if fmt == "table":
        return _table(header, [[cell_text(row.get(key)) for key, _ in columns] for row in rows])
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


def _csv_cell(value: Any):
    """A number as it is (so it is not quoted as a formula), anything else as its text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return cell_text(value)


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
