"""``floorwalker attendance …`` through click, as a team leader would type it."""

import csv
import datetime as dt

import orjson
import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.attendance import leave, roster

MONTH = "2026-03"


@pytest.fixture
def pm():
    return make_plugin_manager(builtins=["attendance"])


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def fw(data, pm):
    """Project alpha (team day: agents 1001, 1002), project beta (agent 2001)."""
    fw = open_floorwalker(data, pm=pm)
    fw.projects.create("alpha", "Alpha", "setup")
    fw.teams.create("alpha", "day", "Day", "setup")
    fw.agents.add("alpha", "1001", "Li", "setup", team="day", hired="2026-01-01")
    fw.agents.add("alpha", "1002", "Han", "setup", team="day", hired="2026-01-01")
    fw.projects.create("beta", "Beta", "setup")
    fw.agents.add("beta", "2001", "Zhao", "setup", hired="2026-01-01")
    return fw


@pytest.fixture
def run(data, pm, fw):
    cli = make_cli(pm)
    runner = CliRunner()

    def invoke(*args, lang="en"):
        result = runner.invoke(cli, ["--data", str(data), "--lang", lang, "--as", "tl", *args])
        assert "Traceback" not in result.output
        return result

    return invoke


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def error(result):
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(("error: ", "错误：")), result.stderr
    return lines[0]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return str(path)


@pytest.fixture
def shifts(run):
    ok(run("attendance", "shift-add", "--project", "alpha", "D", "--name", "Day", "--start", "08:00",
           "--end", "17:00", "--break", "60"))
    ok(run("attendance", "shift-add", "--project", "alpha", "N", "--name", "Night", "--start", "21:00",
           "--end", "06:00", "--late-grace", "3"))


def test_shift_types_are_added_and_listed(run, shifts):
    out = ok(run("attendance", "shifts", "--project", "alpha", "--format", "json"))
    assert [(s["code"], s["start"], s["end"], s["late_grace"], s["break_minutes"])
            for s in orjson.loads(out)] == [("D", "08:00", "17:00", 0, 60), ("N", "21:00", "06:00", 3, 0)]
    table = ok(run("attendance", "shifts", "--project", "alpha", lang="zh_CN"))
    assert "D" in table and "21:00" in table


def test_a_bad_shift_time_is_one_error_line(run):
    line = error(run("attendance", "shift-add", "--project", "alpha", "D", "--name", "Day",
                     "--start", "8 o'clock", "--end", "17:00"))
    assert "start" in line and "HH:MM" in line


def test_pattern_is_set_shown_and_applied(run, fw, shifts):
    ok(run("attendance", "pattern", "--project", "alpha", "day", "D", "D", "N", "N", "D", "-", "-"))
    assert ok(run("attendance", "pattern", "--project", "alpha", "day")).strip() == "D D N N D - -"
    out = ok(run("attendance", "pattern-apply", "--project", "alpha", "--team", "day",
                 "--from", "2026-03-02", "--to", "2026-03-08"))
    assert "14 roster days" in out
    week = [roster.entry(fw, "alpha", "1001", f"2026-03-0{d}")["shift"] for d in range(2, 9)]
    assert week == ["D", "D", "N", "N", "D", None, None]


def test_a_pattern_needs_seven_known_days(run, shifts):
    assert "7 days" in error(run("attendance", "pattern", "--project", "alpha", "day", "D", "D"))
    assert "'X'" in error(run("attendance", "pattern", "--project", "alpha", "day",
                              "D", "D", "D", "D", "D", "X", "-"))


def test_import_roster_then_days_show_present_late_and_absent(run, fw, shifts, tmp_path):
    roster_file = write_csv(tmp_path / "r.csv", [["工号", "2026-03-02", "2026-03-03"],
                                                 ["1001", "D", "休"], ["1002", "D", "N"]])
    out = ok(run("attendance", "import-roster", "--project", "alpha", roster_file))
    assert "4 days read, 4 changed" in out
    punch_file = write_csv(tmp_path / "p.csv", [["工号", "打卡时间"], ["1001", "2026-03-02 07:45:00"],
                                                ["1001", "2026-03-02 17:02:00"],
                                                ["1002", "2026-03-02 08:25:00"],
                                                ["1002", "2026-03-02 17:00:00"]])
    assert "4 added, 0 already there" in ok(run("attendance", "import-punches", "--project", "alpha",
                                               punch_file))
    assert "0 added, 4 already there" in ok(run("attendance", "import-punches", "--project", "alpha",
                                               punch_file))
    rows = orjson.loads(ok(run("attendance", "days", "--project", "alpha", "--month", MONTH,
                               "--format", "json")))
    by_day = {(r["agent"], r["date"]): r for r in rows}
    assert by_day["1001", "2026-03-02"]["status"] == "present"
    assert by_day["1001", "2026-03-02"]["late"] == 0
    assert by_day["1002", "2026-03-02"]["late"] == 25
    assert by_day["1001", "2026-03-03"]["status"] == "rest"
    assert by_day["1002", "2026-03-03"]["status"] == "absent"
    only = ok(run("attendance", "days", "--project", "alpha", "--month", MONTH, "--agent", "1001",
                  "--format", "csv")).splitlines()
    assert len(only) == 3 and all(",1001," in line for line in only[1:])
    zh = ok(run("attendance", "days", "--project", "alpha", "--month", MONTH, lang="zh_CN"))
    assert "旷工" in zh


def test_a_roster_import_writes_the_absence_of_a_past_unpunched_shift(run, fw, shifts, tmp_path):
    ok(run("attendance", "import-roster", "--project", "alpha",
           write_csv(tmp_path / "r.csv", [["agent", "date", "shift"], ["1001", "2026-03-02", "D"]])))
    assert [e["rule"] for e in fw.ledger.events("alpha", MONTH)] == ["absent"]
    assert "0 score events written" in ok(run("attendance", "settle", "--project", "alpha",
                                              "--month", MONTH))


def test_a_punch_import_puts_its_lateness_on_the_score_sheet_at_once(run, fw, shifts, tmp_path):
    roster.set_entries(fw, "alpha", [("1001", "2026-03-02", "D")], "tl")
    punch_file = write_csv(tmp_path / "p.csv", [["工号", "打卡时间"], ["1001", "2026-03-02 08:07:00"],
                                                ["1001", "2026-03-02 17:00:00"]])
    ok(run("attendance", "import-punches", "--project", "alpha", punch_file))
    assert [(e["rule"], e["agent"], e["date"]) for e in fw.ledger.events("alpha", MONTH)] == [
        ("late_or_early", "1001", "2026-03-02")]
    sheet = orjson.loads(ok(run("scores", "--project", "alpha", "--month", MONTH, "--format", "json")))
    assert next(r for r in sheet if r["number"] == "1001")["total"] < 80


def test_floorwalker_import_of_punches_settles_the_days_it_touched(run, fw, shifts, tmp_path):
    roster.set_entries(fw, "alpha", [("1001", "2026-03-02", "D"), ("1002", "2026-03-02", "D")], "tl")
    punch_file = write_csv(tmp_path / "clock.csv", [["工号", "打卡时间"], ["1001", "2026-03-02 08:07"],
                                                   ["1001", "2026-03-02 17:00"]])
    ok(run("import", "attendance.punches", punch_file, "--project", "alpha"))
    assert sorted((e["agent"], e["rule"]) for e in fw.ledger.events("alpha", MONTH)) == [
        ("1001", "late_or_early"), ("1002", "absent")]


def test_a_roster_import_of_a_month_to_come_settles_nothing(run, fw, shifts, tmp_path):
    ok(run("attendance", "import-roster", "--project", "alpha",
           write_csv(tmp_path / "r.csv", [["agent", "date", "shift"], ["1001", "2099-03-02", "D"]])))
    assert fw.ledger.events("alpha", "2099-03") == []


def test_a_bad_roster_file_names_the_row_in_chinese_and_writes_nothing(run, fw, shifts, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["工号", "日期", "班次"], ["1001", "2026-03-02", "D"],
                                          ["2001", "2026-03-02", "D"]])
    line = error(run("attendance", "import-roster", "--project", "alpha", path, lang="zh_CN"))
    assert "第 3 行" in line and "工号" in line
    assert roster.stored_months(fw, "alpha") == []


def test_leave_requests_are_listed_by_status(run, fw, shifts):
    roster.set_entries(fw, "alpha", [("1001", "2026-03-10", "D"), ("1002", "2026-03-11", "D")], "tl")
    project = fw.projects.get("alpha")
    asked = dt.datetime(2026, 3, 1, 9, 0)
    first = leave.request(fw, project, "1001", "personal", {"username": "li", "agent": "1001",
                                                           "roles": ["agent"]}, "2026-03-10",
                          asked_at=asked)
    leave.request(fw, project, "1002", "personal", {"username": "han", "agent": "1002",
                                                   "roles": ["agent"]}, "2026-03-11", asked_at=asked)
    leave.decide(fw, project, first["id"], True, {"username": "sup", "roles": ["supervisor"]})
    rows = orjson.loads(ok(run("attendance", "leave", "--project", "alpha", "--month", MONTH,
                               "--format", "json")))
    assert [(r["agent"], r["status"]) for r in rows] == [("1001", "approved"), ("1002", "pending")]
    pending = ok(run("attendance", "leave", "--project", "alpha", "--month", MONTH, "--status",
                     "pending", "--format", "csv")).splitlines()
    assert len(pending) == 2 and "1002" in pending[1]
    zh = ok(run("attendance", "leave", "--project", "alpha", "--month", MONTH, lang="zh_CN"))
    assert "事假" in zh and "已批准" in zh and "待审批" in zh


def test_calendar_lists_holidays_and_make_up_workdays(run):
    rows = orjson.loads(ok(run("attendance", "calendar", "--year", "2026", "--format", "json")))
    kinds = {r["date"]: r["kind"] for r in rows}
    assert kinds["2026-10-01"] == "public holiday"
    assert "make-up workday" in kinds.values()
    assert "法定节假日" in ok(run("attendance", "calendar", "--year", "2026", lang="zh_CN"))


def test_a_month_must_read_as_a_month(run):
    assert "YYYY-MM" in error(run("attendance", "days", "--project", "alpha", "--month", "March"))


def test_an_unknown_project_is_one_error_line(run):
    error(run("attendance", "shifts", "--project", "nope"))


def test_floorwalker_import_lists_and_runs_the_plugins_imports(run, fw, tmp_path):
    listed = orjson.loads(ok(run("import", "--format", "json")))
    assert {r["kind"] for r in listed} == {"attendance.roster", "attendance.punches"}
    punch_file = write_csv(tmp_path / "clock.csv", [["工号", "打卡时间"], ["1001", "2026-03-02 07:55"],
                                                   ["1001", "2026-03-02 17:02"]])
    assert "added 2" in ok(run("import", "attendance.punches", punch_file, "--project", "alpha"))
    assert "no import 'scores'" in error(run("import", "scores", punch_file, "--project", "alpha"))
    fw.projects.disable("beta", "attendance", "setup")
    line = error(run("import", "attendance.punches", punch_file, "--project", "beta"))
    assert "not enabled in project beta" in line
    bad = write_csv(tmp_path / "bad.csv", [["工号", "打卡时间"], ["1001", "2026-03-02 07:55"],
                                           ["1001", "soon"]])
    assert "row 3" in error(run("import", "attendance.punches", bad, "--project", "alpha"))
