"""File imports of agents and score events: all or nothing, errors naming row and column."""

import csv
import datetime as dt
import json
import time

import pytest
from openpyxl import Workbook

from floorwalker.core import ValidationError
from floorwalker.core.importing import (import_agents, import_score_events, new_ids, read_rows)
from floorwalker.core.store import new_id

MONTH, DAY = "2025-03", "2025-03-10"


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path, rows):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def agent_numbers(fw, project="acme"):
    return sorted(a["number"] for a, _ in fw.agents.in_project(project, "2000-01-01", "2099-12-31"))


# ---------------------------------------------------------------- reading files

def test_read_rows_numbers_rows_as_the_spreadsheet_does(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["number", "name"], ["1", " Li "], ["", ""], ["2", "Wu"]])
    header, rows = read_rows(path)
    assert header == ["number", "name"]
    assert rows == [(2, {"number": "1", "name": "Li"}), (4, {"number": "2", "name": "Wu"})]


def test_read_rows_of_xlsx_turns_dates_and_whole_numbers_into_text(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["工号", "入职日期"], [1001, dt.datetime(2025, 1, 2)],
                                           [1002.0, "2025-01-03"]])
    assert read_rows(path)[1] == [(2, {"工号": "1001", "入职日期": "2025-01-02"}),
                                  (3, {"工号": "1002", "入职日期": "2025-01-03"})]


@pytest.mark.parametrize("name, content, needle", [
    ("agents.txt", b"number,name\n", "use a .csv or .xlsx file"),
    ("agents.xlsx", b"this is not a zip", "cannot read agents.xlsx"),
    ("agents.csv", b"", "agents.csv is empty"),
    ("agents.csv", b"\xff\xfe\x00\xd8A\x00" * 3, "cannot read agents.csv"),
])
def test_unreadable_files_are_refused_on_the_field_file(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as caught:
        read_rows(path)
    assert caught.value.field == "file"
    assert needle in caught.value.message("en")


def test_a_missing_file_is_refused_on_the_field_file(tmp_path):
    with pytest.raises(ValidationError) as caught:
        read_rows(tmp_path / "none.csv")
    assert caught.value.field == "file"


# ---------------------------------------------------------------- agents

def test_agent_import_from_a_chinese_excel_csv(fw, tmp_path):
    path = write_csv(tmp_path / "agents.csv", [["工号", "姓名", "班组", "入职日期", "职级"],
                                              ["1101", "张伟", "day", "2025-02-03", "高级客服"],
                                              ["1102", "王芳", "", "2025-02-04", ""]],
                     encoding="gb18030")
    assert import_agents(fw, "acme", path, "admin") == 2
    assert (fw.agents.get("1101")["name"], fw.agents.get("1101")["tier"]) == ("张伟", "senior")
    assert fw.agents.assignment_on("1102", "2025-02-04")["team"] is None


def test_agent_import_from_xlsx(fw, tmp_path):
    path = write_xlsx(tmp_path / "agents.xlsx", [["Number", "Name", "Team", "Hired", "Tier"],
                                                 [1101, "Zhang Wei", "day", dt.date(2025, 2, 3), "gold"]])
    assert import_agents(fw, "acme", path, "admin") == 1
    assert fw.agents.get("1101")["hired"] == "2025-02-03"


@pytest.mark.parametrize("row, needle", [
    (["1101", "Zhang", "day", "2025-02-30"], "row 3, hired: expected a date"),
    (["1101", "", "day", "2025-02-03"], "row 3, name: is required"),
    (["11 01", "Zhang", "day", "2025-02-03"], "row 3, number:"),
    (["1101", "Zhang", "night", "2025-02-03"], "row 3, team: no team 'night'"),
    (["1101", "Zhang", "day", "2025-02-03", "boss"], "row 3, tier:"),
    (["1001", "Zhang", "day", "2025-02-03"], "row 3, number: 1001 is already taken"),
    (["1100", "Zhang", "day", "2025-02-03"], "row 3, number: 1100 appears twice (also row 2)"),
])
def test_agent_import_errors_name_row_and_column_and_write_nothing(fw, tmp_path, snapshot, row, needle):
    path = write_csv(tmp_path / "agents.csv", [["number", "name", "team", "hired", "tier"],
                                              ["1100", "Li", "day", "2025-02-03"], row])
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        import_agents(fw, "acme", path, "admin")
    assert needle in caught.value.message("en")
    assert snapshot() == before


def test_agent_import_names_a_missing_column(fw, tmp_path):
    path = write_csv(tmp_path / "agents.csv", [["工号", "姓名", "入职日期"], ["1101", "张伟", "2025-02-03"]])
    with pytest.raises(ValidationError) as caught:
        import_agents(fw, "acme", path, "admin")
    assert caught.value.message("en") == \
        "columns: the column team (班组) is missing; the file's columns are 工号, 姓名, 入职日期"


@pytest.mark.parametrize("kind", ["csv", pytest.param("xlsx", marks=pytest.mark.slow)])
def test_ten_thousand_agents_with_one_bad_row_write_nothing(fw, tmp_path, run, snapshot, error_line, kind):
    rows = [["number", "name", "team", "hired"]]
    rows += [[f"A{i:05d}", f"Agent {i}", "day", "2025-02-01"] for i in range(10_000)]
    rows[7_500][3] = "2025-02-31"
    path = (write_csv if kind == "csv" else write_xlsx)(tmp_path / f"agents.{kind}", rows)
    before = snapshot()
    line = error_line(run("agent", "import", str(path), "--project", "acme"))
    assert line == "error: row 7501, hired: expected a date as YYYY-MM-DD, got '2025-02-31'"
    assert snapshot() == before
    rows[7_500][3] = "2025-02-28"
    (write_csv if kind == "csv" else write_xlsx)(path, rows)
    result = run("agent", "import", str(path), "--project", "acme")
    assert result.exit_code == 0, result.output
    assert "Imported 10000 agents" in result.stdout
    assert len(agent_numbers(fw)) == 10_002
    commits = [e for e in fw.store.audit_entries() if e["action"] == "agent.add"]
    assert commits[-1]["changes"][0]["inserted_count"] == 10_000


# ---------------------------------------------------------------- score events

HEADER = ["agent", "rule", "date", "points", "reason", "evidence"]


def test_score_import_in_chinese_headers_records_every_row(fw, tmp_path, run):
    path = write_csv(tmp_path / "scores.csv", [["工号", "规则", "日期", "分值", "原因"],
                                              ["1001", "late_or_early", DAY, "-4", "迟到12分钟"],
                                              ["1002", "loud", "2025-04-01", "", "喧哗"]])
    result = run("scores", "import", str(path), "--project", "acme")
    assert result.exit_code == 0, result.output
    assert [(e["agent"], e["points"], e["reason"]) for e in fw.ledger.events("acme", MONTH)] == [
        ("1001", -4, "迟到12分钟")]
    assert [e["points"] for e in fw.ledger.events("acme", "2025-04")] == [-2]
    assert {e["recorded_by"] for e in fw.ledger.events("acme", MONTH)} == {"tester"}


@pytest.mark.parametrize("row, needle", [
    (["1001", "no_such_rule", DAY, "", "x"], "row 3, rule: no rule with the code or title 'no_such_rule'"),
    (["1001", "duties_failed", DAY, "", "x"], "row 3, rule: duties_failed is worked out"),
    (["1001", "late_or_early", DAY, "-9", "x"], "row 3, points: late_or_early takes -5 to -2, got -9"),
    (["1001", "late_or_early", DAY, "-2.5", "x"], "row 3, points: expected a whole number"),
    (["2001", "loud", DAY, "", "x"], "row 3, agent: agent 2001 is not in project acme on 2025-03-10"),
    (["9999", "loud", DAY, "", "x"], "row 3, agent: no agent with employee number '9999'"),
    (["1001", "loud", "2025-03-32", "", "x"], "row 3, date: expected a date"),
    (["1001", "loud", "2024-12-31", "", "x"], "row 3, agent: agent 1001 is not in project acme"),
    (["1001", "leader_judgement", DAY, "3", ""], "row 3, reason: leader_judgement needs a reason"),
    (["1001", "loud", "2025-02-10", "", "x"], "row 3, date: 2025-02 of project acme is closed"),
])
def test_score_import_errors_name_row_and_column_and_write_nothing(fw, tmp_path, snapshot, row, needle):
    fw.periods.close("acme", "2025-02", "admin")
    path = write_csv(tmp_path / "scores.csv", [HEADER, ["1001", "loud", DAY, "", "ok"], row])
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        import_score_events(fw, "acme", path, "admin")
    assert needle in caught.value.message("en")
    assert snapshot() == before


def test_score_import_refuses_two_judgements_for_one_agent_month(fw, tmp_path, snapshot):
    path = write_csv(tmp_path / "scores.csv", [HEADER, ["1001", "leader_judgement", DAY, "3", "steady"],
                                               ["1002", "leader_judgement", DAY, "2", "fine"],
                                               ["1001", "leader_judgement", "2025-03-31", "-1", "again"]])
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        import_score_events(fw, "acme", path, "admin")
    assert caught.value.message("en") == ("row 4, agent: agent 1001 already has “Team leader's judgement of the month” "
                                          "for 2025-03; reverse it to change it")
    assert snapshot() == before


def test_score_import_refuses_a_judgement_the_ledger_already_has(fw, tmp_path, snapshot, run, error_line):
    first = fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=3, reason="steady")
    path = write_csv(tmp_path / "scores.csv", [HEADER, ["1002", "leader_judgement", DAY, "2", "fine"],
                                               ["1001", "leader_judgement", "2025-03-31", "-1", "again"]])
    before = snapshot()
    line = error_line(run("scores", "import", str(path), "--project", "acme"))
    assert "row 3, agent: agent 1001 already has “Team leader's judgement of the month” for 2025-03" in line
    assert snapshot() == before
    fw.ledger.reverse(first["id"], "reconsidered", "tl")
    assert import_score_events(fw, "acme", path, "admin") == 2


@pytest.mark.parametrize("number, code, date, points, reason, adjusts", [
    ("1001", "late_or_early", DAY, -3, "late", None),
    ("1001", "loud", DAY, None, "", None),
    ("1002", "leader_judgement", "2025-04-30", 5, "great month", None),
    ("1001", "no_such_rule", DAY, None, "x", None),
    ("1001", "duties_failed", DAY, None, "x", None),
    ("1001", "late_or_early", DAY, -1, "x", None),
    ("2001", "loud", DAY, None, "x", None),
    ("1001", "loud", "2024-12-31", None, "x", None),
    ("1001", "leader_judgement", DAY, 1, "", None),
    ("1001", "adjustment", DAY, 4, "QA recount", "2025-02"),
    ("1001", "adjustment", DAY, 4, "QA recount", None),
    ("1001", "adjustment", DAY, 4, "QA recount", "2025-03"),
    ("1001", "adjustment", DAY, 4, "QA recount", "2025-3"),
    ("1001", "loud", DAY, None, "x", "2025-02"),
])
def test_the_import_checks_exactly_as_the_ledger_does(fw, tmp_path, number, code, date, points,
                                                      reason, adjusts):
    """The hoisted checks of the import and `Ledger.prepare` accept and refuse the same rows
    and build the same event."""
    fw.periods.close("acme", "2025-02", "admin")
    project = fw.projects.get("acme")
    try:
        expected = fw.ledger.prepare(project, number, code, date, "admin", points=points,
                                     reason=reason, adjusts=adjusts)
    except ValidationError:
        expected = None
    path = write_csv(tmp_path / "one.csv", [HEADER + ["adjusts"], [
        number, code, date, "" if points is None else points, reason, "", adjusts or ""]])
    if expected is None:
        with pytest.raises(ValidationError):
            import_score_events(fw, "acme", path, "admin")
        return
    assert import_score_events(fw, "acme", path, "admin") == 1
    (written,) = fw.ledger.events("acme", date[:7])
    ignore = {"id", "created_at"}
    assert {k: v for k, v in written.items() if k not in ignore} == \
           {k: v for k, v in expected.items() if k not in ignore}


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid_ms(ulid: str) -> int:
    """The milliseconds in a ULID's first 10 characters."""
    value = 0
    for char in ulid[:10]:
        value = value * 32 + CROCKFORD.index(char)
    return value


def test_new_ids_look_like_the_stores_ids():
    ids = new_ids(1000)
    reference = new_id()
    assert len(set(ids)) == 1000
    assert all(len(i) == 26 and set(i) <= set(CROCKFORD) for i in ids)
    assert abs(ulid_ms(ids[0]) - ulid_ms(reference)) < 5_000
    assert abs(ulid_ms(reference) - time.time() * 1000) < 5_000


@pytest.mark.slow
def test_25000_score_events_import_in_well_under_a_second(fw, tmp_path):
    rows = [HEADER]
    for i in range(25_000):
        rows.append([("1001", "1002")[i % 2], ("loud", "late_or_early", "covered_shift")[i % 3],
                     f"2025-03-{i % 31 + 1:02d}", "", f"row {i}", f"ev:{i}"])
    path = write_csv(tmp_path / "scores.csv", rows)
    started = time.process_time()  # CPU time: the other tests of a busy machine do not count
    assert import_score_events(fw, "acme", path, "admin") == 25_000
    elapsed = time.process_time() - started
    assert len(fw.ledger.events("acme", MONTH)) == 25_000
    assert elapsed < 1.0, f"{elapsed:.2f} s of CPU"


def test_score_import_refuses_a_missing_column_in_both_languages(fw, tmp_path, run, error_line):
    path = write_csv(tmp_path / "scores.csv", [["工号", "规则", "日期", "原因"], ["1001", "loud", DAY, "x"]])
    assert error_line(run("scores", "import", str(path), "--project", "acme")) == \
        "error: columns: the column points (分值) is missing; the file's columns are 工号, 规则, 日期, 原因"
    line = error_line(run("scores", "import", str(path), "--project", "acme", lang="zh_CN"))
    assert "缺少“分值”（分数）列" in line and "points" not in line


def test_score_import_json_sheet_afterwards(fw, tmp_path, run):
    path = write_csv(tmp_path / "scores.csv", [HEADER, ["1001", "best_of_month", DAY, "", "top", "kpi:3"]])
    run("scores", "import", str(path), "--project", "acme")
    sheet = json.loads(run("scores", "--project", "acme", "--month", MONTH, "--format", "json").output)
    assert sheet[0]["total"] == 85 and sheet[0]["events"][0]["evidence"] == "kpi:3"
