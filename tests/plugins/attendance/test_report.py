"""The monthly attendance report: figures per agent, team and project, and the xlsx workbook,
from derived agent-days shaped like `sheet.month_rows` output."""

import datetime as dt
import io

from openpyxl import load_workbook

from floorwalker.plugins.attendance import report


def day(agent, date, status, team="day", late=0, early=0, worked=None, scheduled=540,
        leave_kind=None, excuse=None, **extra):
    """An agent-day as the sheet derives it (D shift 08:00–17:00); a "scheduled" one is yet to
    start, unless *extra* gives its state."""
    start = dt.datetime.fromisoformat(f"{date}T08:00")
    state = {"present": "late" if late else "in", "scheduled": "due"}.get(status, status)
    row = {"agent": agent, "date": date, "team": team, "shift": "D", "swap": None,
           "leave_kind": leave_kind, "note": {"excuse": {"status": excuse, "reason": "train"}} if excuse else {},
           "scheduled_minutes": 0 if status == "on_leave" else scheduled, "status": status,
           "state": state}
    if status in ("rest", "scheduled"):
        return {**row, "shift": None if status == "rest" else "D", "scheduled_minutes": 0, **extra}
    present = status == "present"
    return {**row, "start": start, "end": start + dt.timedelta(hours=9),
            "check_in": start + dt.timedelta(minutes=late) if present else None,
            "check_out": start + dt.timedelta(hours=9, minutes=-early) if present else None,
            "missing_punch": False, "late": late, "early": early,
            "worked": (540 - late - early if worked is None else worked) if present else 0,
            "adhered": 540 - late - early if present else 0,
            "over_limit": False, "missed_roll_call": False, "disciplinary": late >= 20, **extra}


ROWS = [
    day("1001", "2026-03-02", "present"),
    day("1001", "2026-03-03", "present", late=25),
    day("1001", "2026-03-04", "absent", excuse="pending"),
    day("1001", "2026-03-05", "on_leave", leave_kind="sick"),
    day("1001", "2026-03-06", "rest"),
    day("1002", "2026-03-02", "present", early=10),
    day("1002", "2026-03-03", "on_leave", leave_kind="annual"),
    day("1002", "2026-03-04", "on_leave", leave_kind="annual"),
    day("1002", "2026-03-31", "scheduled"),
    day("2001", "2026-03-02", "present", team="night"),
]
NAMES = {"1001": "Li Lei", "1002": "Han Meimei", "2001": '=HYPERLINK("http://x","y")'}
TEAMS = {"day": "Day team", "night": "Night team"}


def test_an_agents_line_counts_due_present_late_early_and_leave_by_kind():
    lines = {a["agent"]: a for a in report.monthly(ROWS, NAMES, TEAMS)["agents"]}
    li = lines["1001"]
    assert (li["due"], li["present"], li["absent"], li["on_leave"]) == (3, 2, 1, 1)
    assert (li["late"], li["late_minutes"], li["early"], li["early_minutes"]) == (1, 25, 0, 0)
    assert li["leave"] == {"sick": 1}
    assert li["attendance_rate"] == 66.7 and li["punctuality"] == 50.0
    assert (li["worked_minutes"], li["scheduled_minutes"]) == (540 + 515, 3 * 540)
    assert li["adherence"] == round(100 * 1055 / 1620, 1)
    han = lines["1002"]
    assert han["leave"] == {"annual": 2} and han["early_minutes"] == 10 and han["punctuality"] == 0.0
    assert han["due"] == 1  # the day still to come is not due yet


def test_rest_and_open_days_count_nowhere():
    only = report.summary([day("1", "2026-03-06", "rest"), day("1", "2026-03-07", "scheduled")])
    assert (only["due"], only["attendance_rate"], only["adherence"], only["leave"]) == (0, None, None, {})


def test_team_and_project_lines_add_up_their_agents():
    built = report.monthly(ROWS, NAMES, TEAMS)
    teams = {t["team"]: t for t in built["teams"]}
    assert teams["day"]["due"] == 4 and teams["night"]["due"] == 1
    assert teams["day"]["team_name"] == "Day team"
    assert built["project"]["due"] == sum(a["due"] for a in built["agents"])
    assert built["project"]["late_minutes"] == 25 and built["project"]["leave"] == {"sick": 1, "annual": 2}
    assert built["kinds"] == ["annual", "sick"]


def test_an_agent_belongs_to_the_team_of_their_latest_day():
    moved = [day("1", "2026-03-02", "present", team="day"), day("1", "2026-03-20", "present", team="night")]
    [line] = report.monthly(moved, {}, TEAMS)["agents"]
    assert line["team"] == "night" and line["name"] == "1"
    assert {t["team"]: t["due"] for t in report.monthly(moved, {}, TEAMS)["teams"]} == {"day": 1, "night": 1}


def open_book(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [list(ws.iter_rows(values_only=True)) for ws in book.worksheets], book


def test_the_workbook_holds_the_same_figures_as_the_report():
    built = report.monthly(ROWS, NAMES, TEAMS)
    (summary, days), book = open_book(report.workbook(built, ROWS, NAMES, TEAMS, "2026-03", "en"))
    assert book.sheetnames == ["2026-03", "Days"]
    header = summary[0]
    assert header[:4] == ("Employee no.", "Name", "Team", "Days due")
    assert "Leave: annual leave" in header and "Attendance rate %" in header
    lines = {r[0]: dict(zip(header, r)) for r in summary[1:] if r[0]}
    assert lines["1001"]["Minutes late"] == 25 and lines["1001"]["Absent"] == 1
    assert lines["1001"]["Leave: sick leave"] == 1 and lines["1002"]["Leave: annual leave"] == 2
    assert lines["1001"]["Attendance rate %"] == 66.7
    totals = [dict(zip(header, r)) for r in summary[1:] if not r[0]]
    assert [t["Name"] for t in totals] == ["Team total", "Team total", "Project total"]
    assert totals[-1]["Days due"] == 5
    assert len(days) == 1 + 8  # header and each concluded day (not rest, not still open)
    absent = next(d for d in days if d[1] == "1001" and d[0] == "2026-03-04")
    assert absent[5] == "Absent" and absent[-1] == "Waiting"
    late = next(d for d in days if d[1] == "1001" and d[0] == "2026-03-03")
    assert (late[6], late[8], late[14]) == ("08:25", 25, "yes")


def test_a_name_that_looks_like_a_formula_is_quoted_in_both_sheets():
    names = {**NAMES, "1001": "+1+cmd|' /C calc'!A0", "1002": "@SUM(1)"}
    built = report.monthly(ROWS, names, TEAMS)
    (summary, days), book = open_book(report.workbook(built, ROWS, names, TEAMS, "2026-03", "en"))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    for name in names.values():
        quoted = [c for c in cells if c.value == "'" + name]
        assert len(quoted) >= 2 and all(c.data_type == "s" for c in quoted)  # summary and days
        assert name not in [c.value for c in cells]


def test_the_workbook_speaks_chinese_and_can_hide_employee_numbers():
    built = report.monthly(ROWS, NAMES, TEAMS)
    (summary, days), book = open_book(report.workbook(built, ROWS, NAMES, TEAMS, "2026-03", "zh_CN",
                                                      numbers=False))
    assert summary[0][:2] == ("姓名", "班组") and "班组合计" in [r[0] for r in summary]
    assert book.sheetnames[1] == "每日明细"
    assert "工号" not in summary[0] and "工号" not in days[0]
    assert not {"1001", "1002", "2001"} & {c for row in summary + days for c in row}
    assert "旷工" in [d[4] for d in days]  # status, one column left of where numbers show
