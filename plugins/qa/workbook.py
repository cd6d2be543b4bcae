"""The QA standard as the client hands it over: an xlsx workbook, in and out.

The items sheet comes first, its header in row 1: 部分, 权重, 项目, 类型 (是否 / 评分 / 分值), 满分,
致命 (无 / 部分 / 整体), 说明 — one row per item, 权重 as a number on every item row of a weighted
section and empty on the bonus section's rows, and 部分 the very text that evaluations give as
their items' ``section``. A sheet 禁忌用语 holds one forbidden phrase per row (under a heading
禁忌用语, or none). The import reads through the core's reader (`read_table`: the header found
wherever it is, xlsx or csv, English headings too) and is all or nothing: the first wrong row is
named with its column, and nothing is stored. The headings and words are the spreadsheet's own,
in Chinese whatever the reader's language: the file is the client's standard.
"""

from __future__ import annotations

from pathlib import Path

from floorwalker.core import Fields, Table, ValidationError, match_columns, read_table, to_xlsx

from . import scorecards

ITEMS_SHEET = "质检标准"
PHRASES_SHEET = "禁忌用语"
HEADINGS = {"section": "部分", "weight": "权重", "item": "项目", "type": "类型", "max": "满分",
            "fatal": "致命", "note": "说明"}
FIELDS = Fields({"section": ("部分", "section"), "weight": ("权重", "weight"),
                 "item": ("项目", "item"), "type": ("类型", "type"),
                 "max": ("满分", "max", "full marks"), "fatal": ("致命", "fatal"),
                 "note": ("说明", "note")},
                ("section", "weight", "item", "type", "max"))
PHRASE_HEADINGS = {PHRASES_SHEET, "forbidden phrases", "forbidden phrase", "phrase"}


def export(card: dict) -> bytes:
    """*card* as the workbook: the items sheet, then the forbidden phrases."""
    rows = [[r[k] for k in HEADINGS] for r in scorecards.card_rows(card)]
    return to_xlsx([Table(ITEMS_SHEET, list(HEADINGS.values()), rows),
                    Table(PHRASES_SHEET, [PHRASES_SHEET], [[p] for p in card["forbidden"]])])


def read(path: str | Path, limit=None) -> dict:
    """The scorecard in the file at *path*, checked (see `scorecards.card_from_rows`)."""
    table = read_table(path, FIELDS, limit=limit)
    found = match_columns(table.header, FIELDS.columns, FIELDS.required)
    rows = [(row, {key: cells.get(heading, "") for key, heading in found.items()})
            for row, cells in table.rows]
    labels = {key: found.get(key, heading) for key, heading in HEADINGS.items()}
    labels["forbidden"] = PHRASES_SHEET
    phrases = []
    if PHRASES_SHEET in (table.sheets or ()) and table.sheet != PHRASES_SHEET:
        phrases = _phrases(path, limit)
    return scorecards.card_from_rows(rows, phrases, labels)


def _phrases(path, limit) -> list[str]:
    try:
        sheet = read_table(path, None, limit=limit, sheet=PHRASES_SHEET)
    except ValidationError:
        return []  # an empty sheet: no phrases
    found = [] if sheet.header[0].strip().lower() in PHRASE_HEADINGS else [sheet.header[0]]
    return found + [next((v for v in cells.values() if v), "") for _, cells in sheet.rows]
