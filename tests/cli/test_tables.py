"""Listings as table, CSV and JSON; CSV safe to open in a spreadsheet."""

import json

from floorwalker.core.tables import display_width, render

COLUMNS = [("number", "employee number"), ("name", "name"), ("points", "points")]
ROWS = [{"number": "1001", "name": "=HYPERLINK(\"x\")", "points": -5},
        {"number": "1002", "name": "李雷", "points": 3, "extra": [1, 2]}]


def test_csv_quotes_formula_cells_but_not_negative_numbers():
    lines = render(ROWS, COLUMNS, "csv", "en").splitlines()
    assert lines[0] == "employee number,name,points"
    assert lines[1] == "1001,\"'=HYPERLINK(\"\"x\"\")\",-5"
    for start in "+-@":
        assert render([{"name": start + "cmd|x"}], [("name", "name")], "csv", "en").splitlines()[1] \
            == "'" + start + "cmd|x"


def test_table_aligns_chinese_text_by_its_width_and_is_not_quoted():
    lines = render(ROWS, COLUMNS, "table", "en").splitlines()
    assert lines[2].startswith("1001             =HYPERLINK")
    columns = [display_width(line[:line.index(str(p))]) for line, p in zip(lines[2:], (-5, 3))]
    assert columns[0] == columns[1]


def test_json_keeps_whole_rows():
    assert json.loads(render(ROWS, COLUMNS, "json", "en")) == ROWS
