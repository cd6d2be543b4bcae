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
import json
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


# ---------------------------------------------------------------- what the acceptance walk found


def test_the_preview_refuses_what_the_import_would_refuse_each_naming_its_row(fw, run, tmp_path):
    fw.periods.close("shop", "2026-10", "admin")
    rows = [["工号", "姓名", "班组", "入职日期"], ["2001", "周一", "day", "2026-10-20"],
            ["1001", "李雷", "day", "2026-12-01"], ["2002", "周二", "day", "2026-12-01"],
            ["2002", "周三", "day", "2026-12-01"]]
    path = text_file(tmp_path / "agents.csv", rows, "utf-8")
    preview = run("agent", "import", str(path), "--project", "shop", "--dry-run", lang="zh_CN")
    assert preview.exit_code == 1
    out = preview.output.replace(" ", "")
    assert "第2行" in out and "2026-10" in out and "已结账" in out  # the hire date's month is closed
    assert "第3行" in out and "1001" in out  # taken in the company
    assert "第5行" in out and "第4行" in out  # twice in the file, naming the other row
    assert "新增1" in out  # only the row that would be written
    assert run("agent", "import", str(path), "--project", "shop").exit_code != 0
    assert "2001" not in [a["number"] for a, _ in fw.agents.in_project("shop", "2026-01-01", "2026-12-31")]


def test_an_agent_sheet_names_teams_and_tiers_as_chinese_sheets_do(fw, tmp_path):
    fw.teams.create("shop", "presale-a", "售前一组", "admin")
    rows = [["工号", "姓名", "班组", "入职日期", "职级"], ["2001", "周一", "售前一组", "2026-12-01", "高级客服"],
            ["2002", "周二", "presale-a", "2026-12-01", "普通客服"]]
    assert import_agents(fw, "shop", text_file(tmp_path / "a.csv", rows, "utf-8"), "admin") == 2
    assert fw.agents.assignment_on("2001", "2026-12-01")["team"] == "presale-a"
    assert fw.agents.get("2001")["tier"] == "senior" and fw.agents.get("2002")["tier"] == "regular"
    fw.teams.create("shop", "presale-b", "售前一组", "admin")
    bad = [["工号", "姓名", "班组", "入职日期", "职级"], ["2003", "周三", "售前一组", "2026-12-01", ""],
           ["2004", "周四", "day", "2026-12-01", "老大"]]
    preview = import_agents(fw, "shop", text_file(tmp_path / "b.csv", bad, "utf-8"), "admin", dry_run=True)
    messages = [exc.message("zh_CN") for exc in preview.refused]
    assert "售前一组" in messages[0] and "2" in messages[0]  # ambiguous: refused, not guessed
    assert "普通客服、高级客服" in messages[1] and "regular" not in messages[1]
    assert "Regular, Senior" in preview.refused[1].message("en")


def test_score_events_by_rule_title_and_a_json_preview_counting_only_rows_written(fw, run, tmp_path):
    rows = [["工号", "规则", "日期", "分值", "原因"], ["1001", "班长月度评议", "2026-11-20", "2", "好"],
            ["1001", "Team leader's judgement of the month", "2026-11-21", "1", "又一次"],
            ["1002", "没有这条规则", "2026-11-20", "1", "x"]]
    path = text_file(tmp_path / "s.csv", rows, "utf-8")
    result = run("scores", "import", str(path), "--project", "shop", "--dry-run", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output[result.output.index("{"):])
    assert data["counts"]["added"]["rows"] == 1 and data["header_row"] == 1
    assert [(r["row"], r["field"]) for r in data["refused"]] == [(3, "工号"), (4, "规则")]
    assert "没有这条规则" in data["refused"][1]["message"]
    assert {"key": "rule", "title": "rule", "heading": "规则"} in data["columns"]
    one = text_file(tmp_path / "one.csv", rows[:2], "utf-8")
    assert run("scores", "import", str(one), "--project", "shop").exit_code == 0
    assert [e["rule"] for e in fw.ledger.events("shop", "2026-11")] == ["leader_judgement"]
    again = run("scores", "import", str(one), "--project", "shop", "--dry-run", lang="zh_CN")
    assert "新增 0" in again.output and "被拒绝的行：1" in again.output.replace(" ", "")


def test_a_saved_mapping_is_applied_by_itself_and_a_wecom_time_of_day_takes_the_date(fw, run, tmp_path):
    rows = [["时间", "姓名", "账号", "打卡时间"], ["2026/11/10 星期二", "李雷", "1001", "08:06"],
            ["2026/11/10 星期二", "李雷", "1001", "17:31"]]
    path = text_file(tmp_path / "wecom.csv", rows, "utf-8-sig")
    assert run("import", "attendance.punches", str(path), "--project", "shop").exit_code != 0
    mappings.save(fw, "shop", "attendance.punches", "企业微信", {"agent": "账号"}, "admin")
    result = run("import", "attendance.punches", str(path), "--project", "shop", lang="zh_CN")
    assert result.exit_code == 0, result.output
    assert "企业微信" in result.output
    assert stored(fw) == [("1001", "2026-11-10T08:06:00"), ("1001", "2026-11-10T17:31:00")]
    mappings.save(fw, "shop", "attendance.punches", "另一个", {"agent": "账号", "clock": "时间"}, "admin")
    several = run("import", "attendance.punches", str(path), "--project", "shop")
    assert several.exit_code != 0 and "企业微信" in several.output and "另一个" in several.output


def test_a_dingtalk_row_without_a_punch_is_skipped_and_counted_and_a_future_punch_refused(
        fw, run, tmp_path):
    header = ["姓名", "工号", "考勤日期", "考勤时间", "打卡时间", "打卡结果"]
    rows = [["原始记录"], header, ["李雷", "1001", "2026-11-10", "2026-11-10 08:00", "2026-11-10 07:58", "正常"],
            ["李雷", "1001", "2026-11-10", "2026-11-10 17:00", "", "未打卡"]]
    path = text_file(tmp_path / "ding.csv", rows, "utf-8")
    preview = run("import", "attendance.punches", str(path), "--project", "shop", "--dry-run", lang="zh_CN")
    assert preview.exit_code == 0, preview.output
    assert "跳过：没有打卡时间 1" in preview.output
    done = run("import", "attendance.punches", str(path), "--project", "shop")
    assert done.exit_code == 0 and "skipped: no punch time 1" in done.output
    assert stored(fw) == [("1001", "2026-11-10T07:58:00")]
    later = fw.projects.now("shop") + dt.timedelta(hours=2)
    bad = [["工号", "打卡时间"], ["1002", "2026-11-10 08:00"], ["1002", "2026-11-10 8点"],
           ["1003", later.strftime("%Y-%m-%d %H:%M")]]
    refused = run("import", "attendance.punches", str(text_file(tmp_path / "bad.csv", bad, "utf-8")),
                  "--project", "shop", "--dry-run", lang="zh_CN")
    assert refused.exit_code == 1
    out = refused.output.replace(" ", "")
    assert "第3行，打卡时间：读不出日期和时间：'2026-11-10 8点'".replace(" ", "") in out
    assert "YYYY" not in out and "第4行" in out and "将来" in out and "第2行" not in out


def test_a_roster_preview_lists_the_days_over_the_continuous_work_limit(fw, run, tmp_path):
    roster.save_shift(fw, "shop", roster.shift_doc("L", "长班", "08:00", "20:00"), "admin")
    rows = [["工号", "日期", "班次"], ["1001", "2026-12-20", "L"], ["1002", "2026-12-20", "休"]]
    path = text_file(tmp_path / "r.csv", rows, "utf-8")
    preview = run("import", "attendance.roster", str(path), "--project", "shop", "--dry-run", lang="zh_CN")
    assert preview.exit_code == 0, preview.output
    assert "李雷 2026-12-20（长班）：超过连续工作上限" in preview.output and "韩梅梅" not in preview.output
    assert "超过连续工作上限 1" in preview.output and "over_limit" not in preview.output
    assert roster.roster(fw, "shop", "2026-12") == {}


def test_the_chinese_dry_run_names_columns_by_their_titles_not_keys(fw, run, tmp_path):
    path = dingtalk(tmp_path / "原始记录.xlsx")
    preview = run("import", "attendance.punches", str(path), "--project", "shop", "--dry-run", lang="zh_CN")
    assert "列 工号 ← 工号" in preview.output.replace("  ", " ") or "工号 ← 工号" in preview.output
    assert "agent" not in preview.output and "打卡时间 ← 打卡时间" in preview.output
    missing = text_file(tmp_path / "m.csv", [["姓名", "打卡时间"], ["李雷", "2026-11-10 08:00"]], "utf-8")
    refused = run("import", "attendance.punches", str(missing), "--project", "shop", lang="zh_CN")
    assert "缺少“工号”" in refused.output and "agent" not in refused.output
