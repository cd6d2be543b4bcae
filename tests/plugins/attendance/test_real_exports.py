"""Files as the floor's systems export them, imported with no rebuilding in Excel.

Each shape is built here the way its system writes it: a 钉钉 原始记录 (two title rows above the
header, merged; 考勤时间 beside 打卡时间), a 企业微信-like export (a date with its weekday, a time of
day, the account as the employee number — read through a saved mapping), a ZKTeco-like punch
clock CSV in GBK (考勤号码, ``2026/11/10 8:07:12``, a totals line), a UTF-16 tab-separated text,
a long and a grid roster from Excel with merged title cells and a weekday line, and an agent
list with Excel's numbers, full-width digits and a totals row. Each goes through the CLI; the
page's path is `tests/web/test_import_page.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from floorwalker.cli import make_cli
from floorwalker.core import ValidationError, mappings
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.importing import import_agents
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.attendance import importers, punches, roster

MONTH = "2026-11"


@pytest.fixture
def pm():
    return make_plugin_manager(builtins=["attendance"])


@pytest.fixture
def fw(tmp_path, pm):
    fw = open_floorwalker(tmp_path / "data", pm=pm)
    fw.projects.create("shop", "Shop", "admin")
    fw.projects.enable("shop", "attendance", "admin")
    fw.teams.create("shop", "day", "Day", "admin")
    for number, name in (("1001", "李雷"), ("1002", "韩梅梅"), ("1003", "王芳")):
        fw.agents.add("shop", number, name, "admin", team="day", hired="2026-01-05")
    roster.save_shift(fw, "shop", roster.shift_doc("D", "早班", "08:00", "17:00"), "admin")
    return fw


@pytest.fixture
def run(tmp_path, pm, fw):
    cli = make_cli(pm)

    def invoke(*args, lang="en"):
        return CliRunner().invoke(cli, ["--data", str(tmp_path / "data"), "--lang", lang,
                                        "--as", "tester", *args])
    return invoke


def stored(fw, month=MONTH):
    return sorted((p["agent"], p["at"]) for p in punches.punches(fw, "shop", month))


def xlsx(path: Path, sheets: dict[str, list[list]], merge: dict[str, list[str]] | None = None) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merge or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def text_file(path: Path, rows: list[list], encoding: str, delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def dingtalk(path: Path) -> Path:
    """钉钉 考勤 → 原始记录: a merged title, a period line, then the header."""
    header = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间",
              "打卡结果", "打卡地址", "打卡备注"]
    rows = [["原始记录"] + [None] * 11, ["统计日期：2026-11-10 至 2026-11-11"] + [None] * 11, header,
            ["李雷", "早班组", "客服部", "1001", "坐席", "0123", "26-11-10 星期二", "2026-11-10 08:00",
             "2026-11-10 08:07", "迟到", "客服中心", ""],
            ["李雷", "早班组", "客服部", "1001", "坐席", "0123", "26-11-10 星期二", "2026-11-10 17:00",
             "2026-11-10 17:02", "正常", "客服中心", ""],
            ["韩梅梅", "早班组", "客服部", "1002", "坐席", "0456", "26-11-10 星期二", "2026-11-10 08:00",
             "2026-11-10 07:51", "正常", "客服中心", ""]]
    return xlsx(path, {"原始记录": rows}, {"原始记录": ["A1:L1", "A2:L2"]})


def zkteco(path: Path) -> Path:
    """A door clock's CSV in GBK: 考勤号码, 日期时间 with one-digit hours, a totals line."""
    rows = [["部门", "姓名", "考勤号码", "日期时间", "机器号", "比对方式"],
            ["客服部", "李雷", "1001", "2026/11/10 8:07:12", "1", "指纹"],
            ["客服部", "王芳", "1003", "2026/11/10 7:58:40", "1", "指纹"],
            ["合计", "", "", "", "", ""]]
    return text_file(path, rows, "gbk")


def wecom(path: Path) -> Path:
    """企业微信 打卡记录: a title, 日期 with its weekday, the scheduled and the actual time."""
    rows = [["打卡记录 2026.11.10-2026.11.10"] + [None] * 7,
            ["日期", "姓名", "账号", "部门", "打卡类型", "应打卡时间", "实际打卡时间", "打卡状态"],
            ["2026/11/10 星期二", "李雷", "1001", "客服部", "上班打卡", "08:00", "08:07", "迟到"],
            ["2026/11/10 星期二", "韩梅梅", "1002", "客服部", "上班打卡", "08:00", "07:49", "正常"]]
    return xlsx(path, {"打卡记录": rows}, {"打卡记录": ["A1:H1"]})


def test_a_dingtalk_raw_record_imports_with_no_mapping_the_punch_time_winning(fw, run, tmp_path):
    result = run("attendance", "import-punches", str(dingtalk(tmp_path / "原始记录.xlsx")),
                 "--project", "shop")
    assert result.exit_code == 0, result.output
    assert stored(fw) == [("1001", "2026-11-10T08:07:00"), ("1001", "2026-11-10T17:02:00"),
                          ("1002", "2026-11-10T07:51:00")]  # 打卡时间, never the scheduled 考勤时间


def test_a_gbk_clock_export_imports_with_no_mapping_and_its_totals_line_is_dropped(fw, run, tmp_path):
    result = run("attendance", "import-punches", str(zkteco(tmp_path / "clock.csv")),
                 "--project", "shop")
    assert result.exit_code == 0, result.output
    assert stored(fw) == [("1001", "2026-11-10T08:07:12"), ("1003", "2026-11-10T07:58:40")]


def test_a_utf16_tab_separated_export_imports(fw, run, tmp_path):
    path = text_file(tmp_path / "punches.csv", [["AC-No.", "Name", "Time"],
                                                ["1002", "Han", "2026-11-10 08:01"]], "utf-16", "\t")
    assert run("attendance", "import-punches", str(path), "--project", "shop").exit_code == 0
    assert stored(fw) == [("1002", "2026-11-10T08:01:00")]


def test_an_unrecognised_export_is_refused_naming_its_columns_then_a_saved_mapping_reads_it(
        fw, run, tmp_path):
    path = wecom(tmp_path / "wecom.xlsx")
    refused = run("attendance", "import-punches", str(path), "--project", "shop")
    assert refused.exit_code != 0 and stored(fw) == []
    assert "账号" in refused.output and "--mapping" in refused.output
    saved = run("mapping", "save", "attendance.punches", "企业微信", "--project", "shop",
                "--column", "agent=账号", "--column", "time=实际打卡时间")
    assert saved.exit_code == 0, saved.output
    listed = run("mapping", "list", "--project", "shop")
    assert "企业微信" in listed.output and "agent=账号" in listed.output
    done = run("attendance", "import-punches", str(path), "--project", "shop", "--mapping", "企业微信")
    assert done.exit_code == 0, done.output
    # the time of day falls on the 日期 column's date; the scheduled 应打卡时间 is never read
    assert stored(fw) == [("1001", "2026-11-10T08:07:00"), ("1002", "2026-11-10T07:49:00")]
    unknown = run("attendance", "import-punches", str(path), "--project", "shop", "--mapping", "钉钉")
    assert unknown.exit_code != 0 and "企业微信" in unknown.output


def test_a_dry_run_prints_the_preview_and_writes_nothing(fw, run, tmp_path):
    path = dingtalk(tmp_path / "原始记录.xlsx")
    result = run("attendance", "import-punches", str(path), "--project", "shop", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "header on row 3" in result.output and "2 rows above it skipped" in result.output
    assert "added 3, already there 0" in result.output and "time ← 打卡时间" in result.output
    assert "refused rows: 0" in result.output and stored(fw) == []
    run("attendance", "import-punches", str(path), "--project", "shop")
    again = run("attendance", "import-punches", str(path), "--project", "shop", "--dry-run")
    assert "added 0, already there 3" in again.output


def test_a_dry_run_lists_every_refused_row_and_the_import_writes_nothing(fw, run, tmp_path):
    rows = [["工号", "打卡时间"], ["1001", "2026-11-10 08:00"], ["9999", "2026-11-10 08:00"],
            ["1002", "十点"], ["1003", "2026-11-10 08:03"]]
    path = text_file(tmp_path / "p.csv", rows, "utf-8-sig")
    preview = run("attendance", "import-punches", str(path), "--project", "shop", "--dry-run")
    assert preview.exit_code == 1
    assert "row 3" in preview.output and "row 4" in preview.output and "9999" in preview.output
    assert run("attendance", "import-punches", str(path), "--project", "shop").exit_code != 0
    assert stored(fw) == []


def test_the_first_sheet_that_fits_is_read_unless_one_is_named(fw, run, tmp_path):
    path = xlsx(tmp_path / "book.xlsx", {
        "说明": [["本表由门禁系统导出"], ["请勿修改"]],
        "打卡": [["考勤号码", "刷卡时间"], ["1001", "2026-11-11 08:02"]],
        "旧数据": [["考勤号码", "刷卡时间"], ["1002", "2026-11-01 08:09"]]})
    assert run("attendance", "import-punches", str(path), "--project", "shop").exit_code == 0
    assert stored(fw) == [("1001", "2026-11-11T08:02:00")]
    assert run("attendance", "import-punches", str(path), "--project", "shop",
               "--sheet", "旧数据").exit_code == 0
    assert ("1002", "2026-11-01T08:09:00") in stored(fw)
    missing = run("attendance", "import-punches", str(path), "--project", "shop", "--sheet", "十二月")
    assert missing.exit_code != 0 and "旧数据" in missing.output


def test_a_long_roster_with_a_merged_title_and_excel_dates(fw, tmp_path):
    path = xlsx(tmp_path / "roster.xlsx", {"排班": [
        ["2026年11月排班表", None, None], ["员工号", "日期", "班次"],
        [1001.0, dt.datetime(2026, 11, 12), "D"], ["１００２", "2026年11月12日", "休"]]},
        {"排班": ["A1:C1"]})
    done = importers.import_roster(fw, "shop", path, "admin")
    assert done["cells"] == 2
    assert roster.entry(fw, "shop", "1001", "2026-11-12")["shift"] == "D"
    assert roster.entry(fw, "shop", "1002", "2026-11-12")["shift"] is None


def test_a_grid_roster_with_a_title_a_weekday_line_and_day_headings(fw, run, tmp_path):
    path = xlsx(tmp_path / "grid.xlsx", {"11月": [
        ["客服部 2026年11月排班表"] + [None] * 4,
        ["工号", "姓名", "1日", "2日", "3日"],
        [None, None, "日", "一", "二"],
        ["1001", "李雷", "D", "休", "D"],
        ["1003", "王芳", "休", "D", "D"]]}, {"11月": ["A1:E1"]})
    preview = run("attendance", "import-roster", str(path), "--project", "shop", "--month", MONTH,
                  "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "added 4" in preview.output and roster.entry(fw, "shop", "1001", "2026-11-01") is None
    done = run("attendance", "import-roster", str(path), "--project", "shop", "--month", MONTH)
    assert done.exit_code == 0, done.output
    assert roster.entry(fw, "shop", "1003", "2026-11-02")["shift"] == "D"


def test_agents_as_an_hr_sheet_keeps_them(fw, tmp_path):
    path = xlsx(tmp_path / "agents.xlsx", {"花名册": [
        ["客服部花名册", None, None, None], [None, None, None, None],
        ["员工编号", "姓名", "班组", "入职日期", None],
        [2001.0, "赵敏", "day", dt.datetime(2026, 3, 2)],
        ["２００２", "钱进", "day", "2026/3/9"],
        ["合计", "2 人", None, None]]})
    assert import_agents(fw, "shop", path, "admin") == 2
    assert fw.agents.get("2001")["hired"] == "2026-03-02"
    assert fw.agents.get("2002")["hired"] == "2026-03-09"


def test_a_saved_mapping_can_name_the_header_row(fw, tmp_path):
    rows = [["导出人：张三"], ["员工", "刷卡"], ["ID", "When"], ["1001", "2026-11-13 08:00"]]
    path = text_file(tmp_path / "odd.csv", rows, "utf-8")
    with pytest.raises(ValidationError, match="is missing"):
        importers.import_punches(fw, "shop", path, "admin")
    mappings.save(fw, "shop", "attendance.punches", "旧门禁", {"agent": "ID", "time": "When"},
                  "admin", header_row=3)
    mapping = mappings.get(fw, "shop", "attendance.punches", "旧门禁")
    assert importers.import_punches(fw, "shop", path, "admin", mapping=mapping)["added"] == 1
