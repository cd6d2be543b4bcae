"""Hostile files through every importer: one clean error naming the file (or the row and the
column), exit code 2 in the CLI, 422 on the web, and nothing written.

The importers are the core's two (agents, score events) and every one the plugins offer through
`register_importers`, run as ``floorwalker import`` runs them. The hostile files are built here:
a valid workbook whose parts are then damaged, an XML entity bomb, a CSV with dates out of range,
binary junk, an empty file, a .txt. The company: project acme with the attendance plugin, team
day (agents 1001 and 1002, hired 2025-01-01) and the shift type D.
"""

import datetime as dt
import itertools
import re
import time
import zipfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from openpyxl import Workbook
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core import importing, reading, users
from floorwalker.core.app import create_app
from floorwalker.core.errors import ValidationError
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.importing import import_agents, import_score_events, read_rows, row_limit
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.attendance import roster

from ..pgcluster import copy_folder, store_for, stored

PASSWORD = "correct-horse-7"
ADDRESSES = itertools.count(1)  # one client address per sign-in: the sign-in throttle counts them
SPAN = "expected a date from 1900-01-01 to 2999-12-31"


def open_company(folder: Path) -> Floorwalker:
    return Floorwalker(store_for(folder), make_plugin_manager(builtins=["attendance"]))


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Path:
    """The company's data folder, built once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("hostile") / "data"
    fw = open_company(folder)
    fw.projects.create("acme", "Acme", "setup", plugins=["attendance"])
    fw.teams.create("acme", "day", "Day", "setup")
    for number in ("1001", "1002"):
        fw.agents.add("acme", number, f"Agent {number}", "setup", team="day", hired="2025-01-01")
    roster.save_shift(fw, "acme", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    fw.users.add_many([fw.users.prepare("sup", hashed, ["supervisor"], ["acme"], "Sup", "en")], "setup")
    return folder


@pytest.fixture
def data(company, tmp_path) -> Path:
    folder = tmp_path / "data"
    copy_folder(company, folder)
    return folder


@pytest.fixture
def fw(data) -> Floorwalker:
    return open_company(data)


def snapshot(folder: Path) -> dict:
    """Every data file with its bytes (lock files aside), every row on PostgreSQL: equal means
    nothing was written."""
    return stored(folder)


def importers(fw) -> dict:
    """Every importer as (fw, path) -> result: the core's two, then the plugins' as
    ``floorwalker import`` runs them."""
    found = {"agents": lambda fw, path: import_agents(fw, "acme", path, "tester"),
             "scores": lambda fw, path: import_score_events(fw, "acme", path, "tester")}
    for group in fw.pm.hook.register_importers():
        for importer in group or ():
            found[f"{importer.plugin}.{importer.code}"] = (
                lambda fw, path, run=importer.run:
                run(fw, fw.projects.get("acme"), read_rows(path, limit=row_limit(fw))[1], "tester"))
    return found


def test_the_importers_are_the_cores_two_and_the_attendance_plugins(fw):
    assert set(importers(fw)) == {"agents", "scores", "attendance.roster", "attendance.punches"}


# ---------------------------------------------------------------- the hostile files


def write_xlsx(path: Path, rows) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def rewrite_member(path: Path, member: str, change) -> Path:
    """The workbook at *path* with one part changed (*change* returns the new bytes, or None to
    leave the part out)."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in parts:
            if info.filename == member:
                content = change(content)
            if content is not None:
                target.writestr(info, content)
    return path


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
        + b"]>")
SHEET = "xl/worksheets/sheet1.xml"


def damaged(tmp_path: Path, name: str) -> Path:
    path = write_xlsx(tmp_path / f"{name}.xlsx", [["工号", "打卡时间"], ["1001", "2026-03-02 07:55"]])
    if name == "sheet_xml":
        return rewrite_member(path, SHEET, lambda xml: xml[:len(xml) // 2])
    if name == "workbook_xml":
        return rewrite_member(path, "xl/workbook.xml", lambda xml: b"<workbook><sheets><sheet name=")
    if name == "styles_xml":
        return rewrite_member(path, "xl/styles.xml", lambda xml: b"<<styleSheet>")
    if name == "no_sheet":
        return rewrite_member(path, SHEET, lambda xml: None)
    if name == "entity_bomb":
        return rewrite_member(path, SHEET, lambda xml: BOMB + xml.replace(b"1001", b"&lol9;", 1))
    assert name == "not_a_zip"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    return path


FILE_CASES = {
    # name: (how to make it, what the error says besides the file's name)
    "sheet_xml.xlsx": (lambda t: damaged(t, "sheet_xml"), "the file is damaged (not a valid xlsx workbook)"),
    "workbook_xml.xlsx": (lambda t: damaged(t, "workbook_xml"), "the file is damaged"),
    "styles_xml.xlsx": (lambda t: damaged(t, "styles_xml"), "the file is damaged"),
    "no_sheet.xlsx": (lambda t: damaged(t, "no_sheet"), "the workbook has no sheet"),
    "entity_bomb.xlsx": (lambda t: damaged(t, "entity_bomb"), "the file is damaged"),
    "not_a_zip.xlsx": (lambda t: damaged(t, "not_a_zip"), "the file is damaged"),
    "junk.csv": (lambda t: write_bytes(t / "junk.csv", bytes(range(128, 256)) * 20),
                 "the file is not UTF-8, UTF-16 or GB18030 text"),
    "empty.csv": (lambda t: write_bytes(t / "empty.csv", b""), "is empty"),
    "roster.txt": (lambda t: write_bytes(t / "roster.txt", b"agent,date,shift\n"),
                   "use a .csv or .xlsx file, got"),
}

# a file each importer would take, but for one date out of range in row 2
OUT_OF_RANGE = {
    "agents": ("number,name,team,hired\n1101,Zhang,day,{date}\n", "hired", "{date}"),
    "scores": ("agent,rule,date,points,reason\n1001,loud,{date},,x\n", "date", "{date}"),
    "attendance.roster": ("工号,日期,班次\n1001,{date},D\n", "日期", "{date}"),
    "attendance.punches": ("agent,time\n1001,{date} 00:10\n", "time", "{date} 00:10"),
}


def write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name", FILE_CASES)
def test_a_hostile_file_is_refused_by_every_importer_naming_it(fw, data, tmp_path, name):
    make, reason = FILE_CASES[name]
    path = make(tmp_path)
    for kind, run in importers(fw).items():
        before = snapshot(data)
        started = time.perf_counter()
        with pytest.raises(ValidationError) as refused:
            run(fw, path)
        assert time.perf_counter() - started < 2, kind
        message = refused.value.message("en")
        assert path.name in message and reason in message, (kind, message)
        assert refused.value.exit_code == 2 and refused.value.http_status == 422
        assert "\n" not in message
        assert snapshot(data) == before, kind


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_a_date_out_of_range_is_refused_naming_row_and_column(fw, data, tmp_path, date):
    for kind, run in importers(fw).items():
        content, column, value = OUT_OF_RANGE[kind]
        path = write_bytes(tmp_path / f"{kind}.csv", content.format(date=date).encode())
        before = snapshot(data)
        with pytest.raises(ValidationError) as refused:
            run(fw, path)
        assert refused.value.message("en") == \
            f"row 2, {column}: {SPAN}, got '{value.format(date=date)}'", kind
        assert snapshot(data) == before, kind


def test_the_edges_of_the_date_range_are_taken(fw, tmp_path):
    content, _, _ = OUT_OF_RANGE["agents"]
    path = write_bytes(tmp_path / "agents.csv", content.format(date="1900-01-01").encode())
    assert import_agents(fw, "acme", path, "tester") == 1
    path = write_bytes(tmp_path / "punches.csv", b"agent,time\n1001,2999-12-31 23:59\n")
    with pytest.raises(ValidationError) as refused:  # a punch cannot lie past the floor's clock
        importers(fw)["attendance.punches"](fw, path)
    assert refused.value.row == 2 and "later than the floor's clock" in refused.value.message("en")


def test_a_repeated_heading_is_refused_naming_it(tmp_path):
    path = write_bytes(tmp_path / "agents.csv", b"number,name,name\n1101,Li,Wu\n")
    with pytest.raises(ValidationError) as refused:
        read_rows(path)
    assert refused.value.message("en") == "row 1, name: the heading appears twice"


def test_a_row_too_wide_is_refused_before_its_cells_are_read(tmp_path):
    wide = reading.COLUMN_LIMIT + 1
    path = write_bytes(tmp_path / "wide.csv", ("a," * wide + "\n" + "x," * wide + "\n").encode())
    with pytest.raises(ValidationError) as refused:
        read_rows(path)
    assert refused.value.message("en") == f"row 1, file: more than {reading.COLUMN_LIMIT} columns"
    padded = write_bytes(tmp_path / "padded.csv", ("a,b" + "," * wide + "\n1,2\n").encode())
    assert read_rows(padded) == (["a", "b"], [
        (2, {"a": "1", "b": "2"})])


def test_a_sheet_claiming_rows_beyond_excels_last_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "far.xlsx", [["a"]])
    rewrite_member(path, SHEET, lambda xml: (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"))
    with pytest.raises(ValidationError) as refused:
        read_rows(path)
    assert refused.value.message("en") == \
        "file: cannot read far.xlsx: it has more rows than a spreadsheet holds"


def test_a_workbook_that_unpacks_too_far_is_refused_before_it_is_parsed(tmp_path):
    path = write_xlsx(tmp_path / "zipbomb.xlsx", [["agent", "time"]])
    rewrite_member(path, "xl/theme/theme1.xml", lambda xml: b" " * 17_000_000)
    with pytest.raises(ValidationError) as refused:
        read_rows(path, limit=100)
    assert refused.value.message("en") == "file: zipbomb.xlsx unpacks to more than 16 MB; split the file"


def test_a_date_serial_out_of_range_reads_as_an_error_value_without_a_warning(tmp_path, recwarn):
    path = write_xlsx(tmp_path / "serial.xlsx", [["agent", "date"], ["1001", dt.date(2026, 3, 5)]])
    rewrite_member(path, SHEET, lambda xml: re.sub(rb"<v>[0-9.]+</v>", b"<v>1e20</v>", xml))
    assert read_rows(path)[1] == [(2, {"agent": "1001", "date": "#VALUE!"})]
    assert not recwarn.list


# ---------------------------------------------------------------- the row limit


def rows_csv(path: Path, count: int) -> Path:
    lines = ["agent,time"] + [f"1001,2026-03-{i % 28 + 1:02d} 08:{i % 60:02d}" for i in range(count)]
    return write_bytes(path, ("\n".join(lines) + "\n").encode())


def rows_xlsx(path: Path, count: int) -> Path:
    """An xlsx of *count* rows, its sheet written as text (as fast as the file can be made) and,
    like openpyxl's write-only files, without the dimensions that would tell its size."""
    cells = "".join(f'<row r="{i + 2}"><c t="inlineStr"><is><t>1001</t></is></c>'
                    f'<c t="inlineStr"><is><t>2026-03-02 08:00</t></is></c></row>' for i in range(count))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c t="inlineStr"><is><t>agent</t></is></c><c t="inlineStr"><is><t>time</t></is>'
             f"</c></row>{cells}</sheetData></worksheet>")
    write_xlsx(path, [["agent", "time"]])
    return rewrite_member(path, SHEET, lambda xml: sheet.encode())


@pytest.mark.parametrize("write", [rows_csv, rows_xlsx])
def test_a_file_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path, write):
    suffix = "csv" if write is rows_csv else "xlsx"
    at_limit = write(tmp_path / f"hundred.{suffix}", 100)
    assert len(read_rows(at_limit, limit=100)[1]) == 100
    over = write(tmp_path / f"more.{suffix}", 101)
    with pytest.raises(ValidationError) as refused:
        read_rows(over, limit=100)
    assert refused.value.message("en") == f"file: more.{suffix} has more than 100 rows; split the file"
    assert refused.value.exit_code == 2


@pytest.mark.parametrize("write, count", [(rows_csv, 200_000), (rows_xlsx, 100_000)])
def test_reading_stops_at_the_limit_not_at_the_end_of_the_file(tmp_path, monkeypatch, write, count):
    suffix = "csv" if write is rows_csv else "xlsx"
    path = write(tmp_path / f"big.{suffix}", count)
    pulled = []
    records = reading._csv_records if suffix == "csv" else reading._xlsx_records

    def counted(*args):
        for record in records(*args):
            pulled.append(record[0])
            yield record

    monkeypatch.setattr(reading, f"_{suffix}_records", counted)
    started = time.process_time()
    with pytest.raises(ValidationError, match="more than 100 rows"):
        read_rows(path, limit=100)
    assert time.process_time() - started < 0.5
    assert len(pulled) == 102  # the header, 100 rows, and the one too many


def test_the_install_sets_the_limit_of_every_import(fw, data, tmp_path):
    fw.set_install("admin", import_row_limit=100)
    assert row_limit(fw) == 100
    path = rows_csv(tmp_path / "punches.csv", 101)
    for kind, run in importers(fw).items():
        before = snapshot(data)
        with pytest.raises(ValidationError, match="has more than 100 rows"):
            run(fw, path)
        assert snapshot(data) == before, kind
    from floorwalker.plugins.attendance import importers as attendance_files
    for run in (attendance_files.import_punches, attendance_files.import_roster):
        with pytest.raises(ValidationError, match="has more than 100 rows"):
            run(fw, "acme", path, "tester")


def test_without_the_setting_the_limit_is_fifty_thousand(fw):
    assert row_limit(fw) == importing.ROW_LIMIT == 50_000


# ---------------------------------------------------------------- the CLI and the web

COMMANDS = {
    "agents": ["agent", "import", "{file}", "--project", "acme"],
    "scores": ["scores", "import", "{file}", "--project", "acme"],
    "attendance.roster": ["attendance", "import-roster", "--project", "acme", "{file}"],
    "attendance.punches": ["attendance", "import-punches", "--project", "acme", "{file}"],
    "import attendance.roster": ["import", "attendance.roster", "{file}", "--project", "acme"],
    "import attendance.punches": ["import", "attendance.punches", "{file}", "--project", "acme"],
}


@pytest.mark.parametrize("name", ["sheet_xml.xlsx", "no_sheet.xlsx", "entity_bomb.xlsx", "junk.csv",
                                  "0001.csv"])
def test_the_cli_says_one_line_and_exits_2(fw, data, tmp_path, name):
    cli = make_cli(fw.pm)
    for command, args in COMMANDS.items():
        if name == "0001.csv":
            content, column, _ = OUT_OF_RANGE[command.removeprefix("import ")]
            path = write_bytes(tmp_path / name, content.format(date="0001-01-01").encode())
            needle = f"row 2, {column}: {SPAN}"
        else:
            make, reason = FILE_CASES[name]
            path = make(tmp_path)
            needle = f"cannot read {name}: {reason}"
        before = snapshot(data)
        result = CliRunner().invoke(cli, ["--data", str(data), "--lang", "en", "--as", "tester",
                                          *(a.format(file=path) for a in args)])
        assert result.exit_code == 2, (command, result.output)
        assert isinstance(result.exception, SystemExit)
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and needle in line, (command, result.stderr)
        assert "Traceback" not in result.output
        assert snapshot(data) == before, command


def test_the_cli_says_it_in_chinese(fw, tmp_path):
    path = damaged(tmp_path, "no_sheet")
    result = CliRunner().invoke(make_cli(fw.pm), ["--data", str(fw.store.root), "--lang", "zh_CN",
                                                  "agent", "import", str(path), "--project", "acme"])
    assert result.exit_code == 2
    assert result.stderr == "错误：文件：无法读取 no_sheet.xlsx：工作簿中没有工作表\n"


@pytest.fixture
def client(fw, monkeypatch):
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    users._dummy_hash.cache_clear()
    client = TestClient(create_app(fw), follow_redirects=False, client=(f"10.4.0.{next(ADDRESSES)}", 4000))
    r = client.post("/login", data={"csrf_token": form_token(client, "/login"), "username": "sup",
                                    "password": PASSWORD})
    assert r.status_code == 303, r.text
    yield client
    users._dummy_hash.cache_clear()


def form_token(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


WEB_IMPORTS = {"attendance.punches": "punches/import?date=2026-03-02",
               "attendance.roster": "roster/import?team=day&month=2026-03"}


@pytest.mark.parametrize("name", ["sheet_xml.xlsx", "workbook_xml.xlsx", "no_sheet.xlsx",
                                  "entity_bomb.xlsx", "junk.csv", "empty.csv", "0001.csv"])
def test_the_web_imports_answer_422_with_the_error(client, data, tmp_path, name):
    for kind, url in WEB_IMPORTS.items():
        if name == "0001.csv":
            content, column, value = OUT_OF_RANGE[kind]
            path = write_bytes(tmp_path / name, content.format(date="0001-01-01").encode())
            needle = f"row 2, {column}: {SPAN}"
        else:
            make, reason = FILE_CASES[name]
            path = make(tmp_path)
            needle = reason
        before = snapshot(data)
        r = client.post(f"/p/acme/attendance/{url}", data={"csrf_token": form_token(client, "/account")},
                        files={"file": (name, path.read_bytes(), "application/octet-stream")})
        assert r.status_code == 422, (kind, r.status_code)
        assert needle in r.text.replace("&#39;", "'"), (kind, needle)
        if name != "0001.csv":  # a file-level error names the file the user chose
            assert name in r.text, (kind, name)
        assert snapshot(data) == before, kind
