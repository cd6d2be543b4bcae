"""Roster and punch-clock files: long and grid rosters, all-or-nothing, the bad row named."""

import csv
import datetime as dt
import time

import pytest
from openpyxl import Workbook

from floorwalker.core import ValidationError
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.attendance import importers, punches, roster

from ...pgcluster import store_for

MONTH = "2026-03"


@pytest.fixture
def fw(tmp_path):
    """Project alpha: shifts D and N, team day with agents 1001, 1002 (1002 leaves on 03-15);
    project beta with agent 2001."""
    fw = Floorwalker(store_for(tmp_path / "data"), make_plugin_manager(builtins=["attendance"]))
    fw.projects.create("alpha", "Alpha", "setup")
    fw.projects.create("beta", "Beta", "setup")
    fw.teams.create("alpha", "day", "Day", "setup")
    fw.agents.add("alpha", "1001", "Li", "setup", team="day", hired="2026-01-01")
    fw.agents.add("alpha", "1002", "Han", "setup", team="day", hired="2026-01-01")
    fw.agents.add("beta", "2001", "Zhao", "setup", hired="2026-01-01")
    fw.agents.leave("1002", "2026-03-15", "resigned", "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("N", "Night", "21:00", "06:00"), "setup")
    return fw


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def entries(fw, month=MONTH):
    return {k: e["shift"] for k, e in roster.roster(fw, "alpha", month).items()}


def test_long_roster_sets_shifts_and_rest_days(fw, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["工号", "日期", "班次"], ["1001", "2026-03-02", "D"],
                                          ["1001", "2026-03-03", "休"], ["1002", "2026-03-02", "N"],
                                          ["1002", "2026-03-03", ""]])
    result = importers.import_roster(fw, "alpha", path, "tl")
    assert result["cells"] == 4 and result["months"] == [MONTH]
    assert entries(fw) == {"1001:2026-03-02": "D", "1001:2026-03-03": None,
                           "1002:2026-03-02": "N", "1002:2026-03-03": None}
    assert roster.entry(fw, "alpha", "1001", "2026-03-02")["source"] == "import"


def test_grid_roster_with_dates_as_headings_skips_the_name_column(fw, tmp_path):
    path = write_csv(tmp_path / "g.csv", [["工号", "姓名", "2026-03-02", "2026-03-03"],
                                          ["1001", "Li", "D", "-"], ["1002", "Han", "rest", "N"]])
    importers.import_roster(fw, "alpha", path, "tl")
    assert entries(fw) == {"1001:2026-03-02": "D", "1001:2026-03-03": None,
                           "1002:2026-03-02": None, "1002:2026-03-03": "N"}


def test_grid_roster_in_xlsx_with_day_numbers_needs_the_month(fw, tmp_path):
    book = Workbook()
    book.active.append(["工号", "1日", "2"])
    book.active.append([1001, "N", "D"])
    path = tmp_path / "g.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as err:
        importers.import_roster(fw, "alpha", path, "tl")
    assert "month" in err.value.message("en")
    importers.import_roster(fw, "alpha", path, "tl", month=MONTH)
    assert entries(fw) == {"1001:2026-03-01": "N", "1001:2026-03-02": "D"}


@pytest.mark.parametrize("bad_row, column, text", [
    (["1001", "2026-03-05", "X"], "班次", "no shift type 'X'"),
    (["1001", "2026-02-30", "D"], "日期", "expected a date"),
    (["2001", "2026-03-05", "D"], "工号", "not in project alpha"),
    (["1002", "2026-03-20", "D"], "工号", "not in project alpha on 2026-03-20"),  # left on the 15th
    (["1001", "2026-03-02", "N"], "班次", "already set in row 2"),
])
def test_a_bad_roster_row_writes_nothing_and_is_named(fw, tmp_path, bad_row, column, text):
    path = write_csv(tmp_path / "r.csv", [["工号", "日期", "班次"], ["1001", "2026-03-02", "D"],
                                          ["1002", "2026-03-02", "D"], bad_row])
    with pytest.raises(ValidationError) as err:
        importers.import_roster(fw, "alpha", path, "tl")
    assert (err.value.row, err.value.field) == (4, column)
    assert text in err.value.message("en")
    assert entries(fw) == {}


def test_a_bad_grid_cell_names_its_date_column(fw, tmp_path):
    path = write_csv(tmp_path / "g.csv", [["工号", "2026-03-02", "2026-03-03"],
                                          ["1001", "D", "D"], ["1002", "D", "Z"]])
    with pytest.raises(ValidationError) as err:
        importers.import_roster(fw, "alpha", path, "tl")
    assert (err.value.row, err.value.field) == (3, "2026-03-03")
    assert "第 3 行" in err.value.message("zh_CN")
    assert entries(fw) == {}


def test_a_long_roster_without_its_shift_column_names_it(fw, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["工号", "日期"], ["1001", "2026-03-02"]])
    with pytest.raises(ValidationError) as err:
        importers.import_roster(fw, "alpha", path, "tl")
    assert "shift (班次)" in err.value.message("en")


def test_a_roster_for_a_closed_month_is_refused(fw, tmp_path):
    fw.periods.close("alpha", "2026-02", "setup")
    path = write_csv(tmp_path / "r.csv", [["agent", "date", "shift"], ["1001", "2026-03-02", "D"],
                                          ["1001", "2026-02-27", "D"]])
    with pytest.raises(ValidationError) as err:
        importers.import_roster(fw, "alpha", path, "tl")
    assert err.value.row == 3 and "closed" in err.value.message("en")
    assert entries(fw) == {}


def test_the_importer_records_take_rows_as_read(fw, tmp_path):
    by_code = {i.code: i for i in importers.IMPORTERS}
    assert set(by_code) == {"roster", "punches"}
    rows = [(2, {"agent": "1001", "date": "2026-03-02", "shift": "D"})]
    by_code["roster"].run(fw, fw.projects.get("alpha"), rows, "tl")
    punch_rows = [(2, {"工号": "1001", "打卡时间": "2026-03-02 07:52:10"})]
    assert by_code["punches"].run(fw, "alpha", punch_rows, "tl")["added"] == 1
    assert entries(fw) == {"1001:2026-03-02": "D"}


def punch_file(path, count, bad_row=None):
    """*count* punches 7 minutes apart from 03-01 (1002 only while in the project), one bad time."""
    rows = [["工号", "打卡时间"]]
    for i in range(count):
        at = dt.datetime(2026, 3, 1, 7, 50) + dt.timedelta(minutes=7 * i)
        agent = "1002" if i % 2 and at.date() <= dt.date(2026, 3, 15) else "1001"
        rows.append([agent, at.strftime("%Y-%m-%d %H:%M:%S")])
    if bad_row is not None:
        rows[bad_row - 1][1] = "2026-03-32 08:00"  # the header is the spreadsheet's row 1
    return write_csv(path, rows)


def test_ten_thousand_punches_with_one_bad_row_write_nothing_and_name_it(fw, tmp_path):
    path = punch_file(tmp_path / "p.csv", 10_000, bad_row=7_777)
    before = time.perf_counter()
    with pytest.raises(ValidationError) as err:
        importers.import_punches(fw, "alpha", path, "clock")
    refused_ms = (time.perf_counter() - before) * 1000
    assert (err.value.row, err.value.field) == (7_777, "打卡时间")
    assert roster.stored_months(fw, "alpha") == []
    path = punch_file(tmp_path / "p.csv", 10_000)
    before = time.perf_counter()
    result = importers.import_punches(fw, "alpha", path, "clock")
    print(f"10k punches: refused in {refused_ms:.0f} ms, "
          f"imported in {(time.perf_counter() - before) * 1000:.0f} ms")
    assert (result["added"], result["months"]) == (10_000, ["2026-03", "2026-04"])
    assert len(punches.punches(fw, "alpha", MONTH)) + len(punches.punches(fw, "alpha", "2026-04")) == 10_000
    assert importers.import_punches(fw, "alpha", path, "clock")["already"] == 10_000
