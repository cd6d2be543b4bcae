"""The attendance floor pages: today's floor, the roster grid, shift types, punches, exceptions,
leaders' marks and the holiday calendar — each rendered for staff with real data in English and
Chinese, each POST changing what it should (and nothing on error), agents and clients refused.

The company: project alpha with the attendance plugin; team day (1001 Li Lei, 1002 Han Meimei,
1004 Zhao Min) on D 08:00–17:00 Monday to Friday, team night (1003 Wang Fang) on N 21:00–06:00
every day, rostered for October 2026. The floor is read at NOW, Monday 12 October 10:30.
"""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.core.store import FileOps
from floorwalker.core.users import hash_password
from floorwalker.plugins.attendance import floor_pages, punches, roster, sheet

from ...pgcluster import store_for

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "correct-horse-7"
NOW = dt.datetime(2026, 10, 12, 10, 30)
URL = "/p/alpha/attendance"
USERS = {"tl": (["team_leader"], "en"), "sup": (["supervisor"], "zh_CN"), "sup_en": (["supervisor"], "en"),
         "admin": (["admin"], "en"), "agent": (["agent"], "en"), "client": (["client"], "en")}


@pytest.fixture(autouse=True)
def floor_clock(monkeypatch):
    """Every page reads the project's clock at NOW, whatever day the tests run: the core's one
    clock, which the attendance pages and rules read too."""
    monkeypatch.setattr(Projects, "now", lambda self, project: NOW)


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager(builtins=["attendance"])


class NoSync(FileOps):
    """Commits without fsync: durability is the store's tests' business, and fsync is most of
    what these page tests would otherwise spend."""

    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, folder) -> None:
        pass


def build(root, pm) -> Floorwalker:
    fw = Floorwalker(store_for(root, fs=NoSync()), pm)
    fw.projects.create("alpha", "Alpha Bank", "setup", plugins=["attendance"])
    fw.teams.create("alpha", "day", "Day team", "setup")
    fw.teams.create("alpha", "night", "Night team", "setup")
    for number, name, team in (("1001", "Li Lei", "day"), ("1002", "Han Meimei", "day"),
                               ("1003", "Wang Fang", "night"), ("1004", "Zhao Min", "day")):
        fw.agents.add("alpha", number, name, "setup", team=team, hired="2026-01-05")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("N", "Night", "21:00", "06:00"), "setup")
    roster.set_pattern(fw, "alpha", "day", ["D", "D", "D", "D", "D", None, None], "setup")
    roster.set_pattern(fw, "alpha", "night", ["N"] * 7, "setup")
    for team in ("day", "night"):
        roster.apply_pattern(fw, "alpha", team, "2026-10-01", "2026-10-31", "setup")
    at = dt.datetime
    punches.store_punches(fw, "alpha", [
        punches.punch_doc("1001", at(2026, 10, 12, 7, 45), "import"),
        punches.punch_doc("1002", at(2026, 10, 12, 8, 21), "import"),
        punches.punch_doc("1001", at(2026, 10, 9, 7, 50), "import"),  # no check-out: an exception
        punches.punch_doc("1002", at(2026, 10, 9, 8, 14), "import"),
        punches.punch_doc("1002", at(2026, 10, 9, 17, 2), "import"),
        punches.punch_doc("1003", at(2026, 10, 9, 20, 45), "import"),
        punches.punch_doc("1003", at(2026, 10, 10, 6, 3), "import"),  # the night shift's check-out
    ], "setup")
    hashed = hash_password(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, roles, ["alpha"], name, locale,
                                        teams=["alpha.day", "alpha.night"] if name == "tl" else (),
                                        agent="1001" if roles == ["agent"] else None)
                       for name, (roles, locale) in USERS.items()], "setup")
    return fw


@pytest.fixture(scope="module")
def shared(tmp_path_factory, pm):
    """Read-only company and app for the pages that only show."""
    fw = build(tmp_path_factory.mktemp("floor"), pm)
    return fw, create_app(fw)


@pytest.fixture
def fresh(tmp_path, pm):
    """A company of its own for a test that changes data."""
    fw = build(tmp_path, pm)
    return fw, create_app(fw)


_addresses = iter(range(1, 250))


def client_for(app, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False, client=(f"10.1.0.{next(_addresses)}", 4000))
    token = csrf(client, "/login")
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def csrf(client: TestClient, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def post(client, path: str, data: dict, **kw):
    return client.post(f"{URL}/{path}", data={"csrf_token": csrf(client, "/account"), **data}, **kw)


def events(fw, agent: str, month: str = "2026-10") -> list[tuple[str, int, bool]]:
    """(rule, points, reversed) of the agent's attendance events that still count."""
    found = fw.ledger.agent_events("alpha", month, agent)
    reversed_ids = {e["reverses"] for e in found if e["reverses"]}
    return sorted((e["rule"], e["points"]) for e in found
                  if e["source"] == "attendance" and not e["reverses"] and e["id"] not in reversed_ids)


# ---------------------------------------------------------------- today's floor


def test_the_floor_reads_a_running_shift_live_from_the_punches(shared):
    fw, _ = shared
    rows = {r["agent"]: r for r in sheet.floor_rows(fw, fw.projects.get("alpha"), NOW)
            if r["date"] == "2026-10-12"}
    assert {a: r["state"] for a, r in rows.items()} == {
        "1001": "in", "1002": "late", "1003": "due", "1004": "not_in"}
    assert rows["1002"]["late"] == 21
    assert rows["1004"]["overdue"] == 150  # due at 08:00, not in at 10:30
    # 1003's night shift starts at 21:00: nobody is missing yet


def test_last_nights_shift_still_running_is_on_the_floor(shared):
    fw, _ = shared
    early = dt.datetime(2026, 10, 13, 3, 0)
    rows = sheet.floor_rows(fw, fw.projects.get("alpha"), early)
    night = [r for r in rows if r["agent"] == "1003"]
    assert [r["date"] for r in night] == ["2026-10-12", "2026-10-13"]
    assert night[0]["state"] == "not_in" and night[0]["overdue"] == 360


@pytest.mark.parametrize("username, words", [
    ("tl", ["Today's floor", "Late", "Not in yet", "Day team", "due 150 min ago"]),
    ("sup", ["今日现场", "迟到", "未到岗", "Day team", "已过上班时间 150 分钟"]),
])
def test_the_floor_page_in_both_languages(shared, username, words):
    _, app = shared
    r = client_for(app, username).get(f"{URL}/")
    assert r.status_code == 200
    for word in words:
        assert word in r.text
    counts = dict(re.findall(r'att-count (\w+)[^"]*".*?<b>(\d+)</b>', r.text))
    assert counts == {"late": "1", "not_in": "1", "in": "1", "due": "1", "absent": "0", "on_leave": "0",
                      "rest": "0"}


# ---------------------------------------------------------------- the roster


def test_the_roster_grid_marks_holidays_workdays_and_shows_cells(shared):
    _, app = shared
    r = client_for(app, "sup").get(f"{URL}/roster?team=day&month=2026-10")
    assert r.status_code == 200
    assert "排班" in r.text
    headers = re.findall(r'<th class="(\w*)" title="[^"]*">(\d+)<br>', r.text)
    kinds = {int(day): kind for kind, day in headers}
    assert kinds[1] == "holiday" and kinds[10] == "workday" and kinds[11] == "weekend" and kinds[12] == ""
    selected = re.search(r'name="cell\|1001\|2026-10-12".*?</select>', r.text, re.S).group(0)
    assert re.search(r'value="D" selected', selected)
    assert r.text.count('name="cell|') == 3 * 31


def test_a_large_team_is_shown_in_parts_each_small_enough_to_post(shared, monkeypatch):
    _, app = shared
    monkeypatch.setattr(floor_pages, "GRID_AGENTS", 2)  # the form parser takes 1,000 fields
    client = client_for(app, "tl")
    first = client.get(f"{URL}/roster?team=day&month=2026-10").text
    second = client.get(f"{URL}/roster?team=day&month=2026-10&part=1").text
    assert first.count('name="cell|') == 2 * 31 and "1001–1002" in first and "1004–1004" in first
    assert second.count('name="cell|') == 31 and 'name="cell|1004|2026-10-01"' in second
    assert "part=1" in re.search(r'<form method="post" action="[^"]*roster\?[^"]*"', second).group(0)


def test_saving_the_roster_writes_only_changed_cells(fresh):
    fw, app = fresh
    client = client_for(app, "tl")
    r = post(client, "roster?team=day&month=2026-10",
             {"cell|1001|2026-10-13": "-", "cell|1002|2026-10-13": "D", "cell|1002|2026-10-14": "N"})
    assert r.status_code == 303 and "n=2" in r.headers["location"]
    assert roster.entry(fw, "alpha", "1001", "2026-10-13")["shift"] is None
    assert roster.entry(fw, "alpha", "1002", "2026-10-14")["shift"] == "N"
    assert "2 roster cells saved" in client.get(r.headers["location"]).text


def test_a_refused_roster_cell_is_named_and_nothing_is_saved(fresh):
    fw, app = fresh
    r = post(client_for(app, "tl"), "roster?team=day&month=2026-10",
             {"cell|1001|2026-10-13": "-", "cell|1002|2026-10-14": "ZZ"})
    assert r.status_code == 422
    assert "1002 on 2026-10-14" in r.text and "ZZ" in r.text
    assert roster.entry(fw, "alpha", "1001", "2026-10-13")["shift"] == "D"
    assert 'class=" bad"' in r.text or " bad" in r.text  # the cell is marked
    assert re.search(r'name="cell\|1001\|2026-10-13".*?value="-" selected', r.text, re.S)  # kept


def test_a_swapped_cell_is_marked_and_cannot_be_changed_here(fresh):
    fw, app = fresh
    key = roster.month_key(fw, "alpha", "2026-10")
    with fw.store.transaction(key, "setup", "test.swap") as tx:  # as an approved swap leaves it
        tx.update("roster", roster.entry_id("1001", "2026-10-15"), {"shift": "N", "swap": "s1"})
    client = client_for(app, "tl")
    page = client.get(f"{URL}/roster?team=day&month=2026-10")
    assert 'name="cell|1001|2026-10-15"' not in page.text
    # (the 9-hour night shift is also marked over the continuous-work limit)
    assert re.search(r'<td class="[^"]*swap[^"]*"[^>]*>(<b[^>]*>!</b>)?\s*<span[^>]*>N</span>', page.text)
    r = post(client, "roster?team=day&month=2026-10", {"cell|1001|2026-10-15": "D"})
    assert r.status_code == 422 and "1001 on 2026-10-15" in r.text and "swap" in r.text
    assert roster.entry(fw, "alpha", "1001", "2026-10-15")["shift"] == "N"


def test_the_roster_error_is_in_the_readers_language(fresh):
    _, app = fresh
    r = post(client_for(app, "sup"), "roster?team=day&month=2026-10", {"cell|1002|2026-10-14": "ZZ"})
    assert r.status_code == 422
    assert "1002 在 2026-10-14：班次：没有班次类型 &#39;ZZ&#39;" in r.text


def test_the_weekly_pattern_is_set_and_applied(fresh):
    fw, app = fresh
    client = client_for(app, "tl")
    days = {f"day{n}": code for n, code in enumerate(["N", "N", "-", "-", "D", "D", "-"])}
    r = post(client, "roster/pattern", {"team": "night", "month": "2026-11", "do": "set", **days})
    assert r.status_code == 303
    assert roster.pattern(fw, "alpha", "night") == ["N", "N", None, None, "D", "D", None]
    r = post(client, "roster/pattern", {"team": "night", "month": "2026-11", "do": "apply"})
    assert r.status_code == 303 and "n=30" in r.headers["location"]
    assert roster.entry(fw, "alpha", "1003", "2026-11-02")["shift"] == "N"  # a Monday
    assert roster.entry(fw, "alpha", "1003", "2026-11-04")["shift"] is None  # a Wednesday


def test_a_bad_pattern_is_refused(fresh):
    fw, app = fresh
    days = {f"day{n}": "X" for n in range(7)}
    r = post(client_for(app, "tl"), "roster/pattern", {"team": "night", "month": "2026-11", "do": "set", **days})
    assert r.status_code == 422 and "X" in r.text
    assert roster.pattern(fw, "alpha", "night") == ["N"] * 7


# ---------------------------------------------------------------- shift types


def test_shift_types_are_listed_and_added(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")
    page = client.get(f"{URL}/shifts")
    assert page.status_code == 200 and "ends the next day" in page.text  # N crosses midnight
    r = post(client, "shifts", {"code": "E", "name": "Evening", "start": "12:00", "end": "21:00",
                                "late_grace": "3", "early_grace": "0", "punch_before": "60",
                                "punch_after": "60", "job_type": "chat"})
    assert r.status_code == 303
    assert roster.shifts(fw, "alpha")["E"].late_grace == 3


def test_a_bad_shift_type_keeps_the_form_and_saves_nothing(fresh):
    fw, app = fresh
    r = post(client_for(app, "sup"), "shifts", {"code": "E", "name": "Evening", "start": "25:00",
                                                "end": "21:00", "punch_before": "60"})
    assert r.status_code == 422
    assert "25:00" in r.text and 'aria-invalid="true"' in r.text
    assert "E" not in roster.shifts(fw, "alpha")


# ---------------------------------------------------------------- punches


def test_a_corrected_punch_moves_the_ledger(fresh):
    fw, app = fresh
    project = fw.projects.get("alpha")
    sheet.settle(fw, project, "2026-10", "setup")
    assert ("late_or_early", -4) in events(fw, "1002")  # 14 minutes late on 9 October
    late = next(p for p in punches.punches(fw, "alpha", "2026-10") if p["at"] == "2026-10-09T08:14:00")
    client = client_for(app, "tl")
    page = client.get(f"{URL}/punches?agent=1002&date=2026-10-09")
    assert page.status_code == 200 and "08:14" in page.text
    r = post(client, "punches?agent=1002&date=2026-10-09", {"do": "correct", "punch": late["id"],
                                                             "punch_date": "2026-10-09", "time": "07:55",
                                                             "note": "clock was fast"})
    assert r.status_code == 303
    assert ("late_or_early", -4) not in events(fw, "1002")
    shown = client.get(r.headers["location"]).text
    assert "manual" in shown and "clock was fast" in shown


def test_a_night_shifts_check_out_the_next_morning_is_on_its_day(shared):
    _, app = shared
    page = client_for(app, "tl").get(f"{URL}/punches?agent=1003&date=2026-10-09")
    assert page.status_code == 200
    assert "2026-10-09 20:45:00" in page.text and "2026-10-10 06:03:00" in page.text
    assert "2026-10-10 06:03:00" not in client_for(app, "tl").get(f"{URL}/punches?agent=1003&date=2026-10-10").text


def test_a_manual_punch_needs_a_note_and_then_is_flagged(fresh):
    fw, app = fresh
    client = client_for(app, "tl")
    before = len(punches.punches(fw, "alpha", "2026-10"))
    r = post(client, "punches?agent=1001&date=2026-10-09",
             {"do": "add", "punch_agent": "1001", "punch_date": "2026-10-09", "time": "17:05", "note": ""})
    assert r.status_code == 422 and "note" in r.text
    assert len(punches.punches(fw, "alpha", "2026-10")) == before
    r = post(client, "punches?agent=1001&date=2026-10-09",
             {"do": "add", "punch_agent": "1001", "punch_date": "2026-10-09", "time": "17:05",
              "note": "card forgotten"})
    assert r.status_code == 303
    added = [p for p in punches.punches(fw, "alpha", "2026-10") if p["at"] == "2026-10-09T17:05:00"]
    assert added and added[0]["manual"] and added[0]["by"] == "tl"


def test_the_exceptions_fix_leads_to_the_agents_day_with_the_missing_time_to_pick(fresh):
    fw, app = fresh
    client = client_for(app, "tl")
    page = client.get(f"{URL}/exceptions?month=2026-10").text
    row = re.search(r'<tr><td><a href="[^"]*date=2026-10-09">2026-10-09</a></td><td>1001</td>.*?</tr>', page, re.S).group(0)
    fix = re.search(r'<a class="button primary" href="([^"]+)">Fix the punch</a>', row).group(1)
    assert fix == f"{URL}/punches?agent=1001&amp;date=2026-10-09#add-punch"
    assert "<summary>Close without fixing</summary>" in row  # the secondary choice, folded away
    day = client.get(fix.replace("&amp;", "&").split("#")[0]).text
    form = re.search(r'<section class="card" id="add-punch">.*?</section>', day, re.S).group(0)
    assert "Li Lei has no check-out on this day" in form
    assert re.search(r'<input id="f-time" type="time" name="time" value="17:00"', form)  # the shift's end
    assert 'type="date" name="punch_date" value="2026-10-09"' in form and "YYYY" not in form
    r = post(client, "punches?agent=1001&date=2026-10-09", {"do": "add", "punch_agent": "1001",
                                                             "punch_date": "2026-10-09", "time": "17:04",
                                                             "note": "card forgotten"})
    assert r.status_code == 303
    rows = sheet.month_rows(fw, fw.projects.get("alpha"), "2026-10")
    assert not [x for x in sheet.exceptions(rows) if (x["agent"], x["date"]) == ("1001", "2026-10-09")]


@pytest.mark.parametrize("username, time, said", [
    ("sup", "", "打卡时间：为必填项"),
    ("sup", "9点", "打卡时间：请选择 00:00 至 23:59 之间的时间"),
    ("sup_en", "25:00", "time of the punch: pick a time of day, from 00:00 to 23:59"),
])
def test_a_punch_time_that_is_not_picked_is_refused_naming_the_field(fresh, username, time, said):
    fw, app = fresh
    before = len(punches.punches(fw, "alpha", "2026-10"))
    r = post(client_for(app, username), "punches?agent=1001&date=2026-10-09",
             {"do": "add", "punch_agent": "1001", "punch_date": "2026-10-09", "time": time, "note": "card"})
    assert r.status_code == 422 and said in r.text
    assert "YYYY" not in r.text and 'id="f-time" type="time" name="time" value="' + time + '" required aria-invalid="true"' in r.text
    assert len(punches.punches(fw, "alpha", "2026-10")) == before


def test_a_voided_punch_stays_on_the_page_struck(fresh):
    fw, app = fresh
    first = next(p for p in punches.punches(fw, "alpha", "2026-10") if p["agent"] == "1001")
    client = client_for(app, "tl")
    r = post(client, "punches?agent=1001&date=2026-10-09", {"do": "", "punch": first["id"], "note": "x"})
    assert r.status_code == 422 and not punches.find(fw, "alpha", first["id"])[1]["void"]
    r = post(client, "punches?agent=1001&date=2026-10-09", {"do": "void", "punch": first["id"],
                                                             "note": "double punch"})
    assert r.status_code == 303
    assert punches.find(fw, "alpha", first["id"])[1]["void"]
    assert '<tr class="void">' in client.get(r.headers["location"]).text


def test_a_punch_file_is_imported_all_or_nothing(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")  # a whole file is a supervisor's import
    before = len(punches.punches(fw, "alpha", "2026-10"))
    bad = "工号,打卡时间\n1001,2026-10-11 07:58\n1002,later\n".encode()  # the floor's clock: 10-12
    r = post(client, "punches/import?date=2026-10-13", {}, files={"file": ("clock.csv", bad, "text/csv")})
    assert r.status_code == 422 and "row 3" in r.text
    assert len(punches.punches(fw, "alpha", "2026-10")) == before
    good = "工号,打卡时间\n1001,2026-10-11 07:58\n1001,2026-10-11 17:01\n".encode()
    r = post(client, "punches/import?date=2026-10-13", {}, files={"file": ("clock.csv", good, "text/csv")})
    assert r.status_code == 303 and "added=2" in r.headers["location"]
    assert len(punches.punches(fw, "alpha", "2026-10")) == before + 2


def test_a_roster_file_sets_every_cell_or_none(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")  # a whole file is a supervisor's import
    before = dict(roster.roster(fw, "alpha", "2026-12"))
    bad = "工号,日期,班次\n1001,2026-12-01,D\n1002,2026-12-01,ZZ\n".encode()
    r = post(client, "roster/import?team=day&month=2026-12", {}, files={"file": ("roster.csv", bad, "text/csv")})
    assert r.status_code == 422 and "row 3" in r.text and "ZZ" in r.text
    assert roster.roster(fw, "alpha", "2026-12") == before
    good = "工号,日期,班次\n1001,2026-12-01,D\n1002,2026-12-01,休\n".encode()
    r = post(client, "roster/import?team=day&month=2026-12", {}, files={"file": ("roster.csv", good, "text/csv")})
    assert r.status_code == 303 and "done=imported" in r.headers["location"]
    assert roster.entry(fw, "alpha", "1001", "2026-12-01")["shift"] == "D"
    assert roster.entry(fw, "alpha", "1002", "2026-12-01")["shift"] is None


def test_an_upload_that_is_not_a_punch_file_is_refused(fresh):
    _, app = fresh
    r = post(client_for(app, "sup"), "punches/import", {}, files={"file": ("x.pdf", b"%PDF", "application/pdf")})
    assert r.status_code == 422 and "x.pdf" in r.text


# ---------------------------------------------------------------- exceptions and marks


def test_an_exception_is_listed_and_resolved_with_a_note(fresh):
    fw, app = fresh
    client = client_for(app, "tl")
    page = client.get(f"{URL}/exceptions?month=2026-10")
    assert page.status_code == 200 and "missing check-out" in page.text and "2026-10-09" in page.text
    flags = re.search(r'>1002</a></td><td>Han Meimei</td>.*?</tr>', page.text, re.S).group(0)
    assert '>1</td>' in flags  # 08:14 on 9 October: late for the 07:50 roll-call
    r = post(client, "exceptions?month=2026-10", {"agent": "1001", "date": "2026-10-09", "note": ""})
    assert r.status_code == 422
    r = post(client, "exceptions?month=2026-10", {"agent": "1001", "date": "2026-10-09",
                                                  "note": "seen on the floor all day"})
    assert r.status_code == 303
    rows = sheet.month_rows(fw, fw.projects.get("alpha"), "2026-10")
    assert not [x for x in sheet.exceptions(rows) if (x["agent"], x["date"]) == ("1001", "2026-10-09")]


def test_a_mark_writes_its_event_and_a_bad_one_writes_nothing(fresh):
    fw, app = fresh
    client = client_for(app, "tl")
    r = post(client, "marks?month=2026-10", {"agent": "1002", "date": "2026-10-12", "kind": "away",
                                              "minutes": "3", "note": "smoking"})
    assert r.status_code == 422 and not sheet.marks(fw, "alpha", "2026-10")
    r = post(client, "marks?month=2026-10", {"agent": "1002", "date": "2026-10-12", "kind": "away",
                                              "minutes": "12", "note": "smoking"})
    assert r.status_code == 303
    assert [m["minutes"] for m in sheet.marks(fw, "alpha", "2026-10")] == [12]
    assert any(rule == "away_over_5min" for rule, _ in events(fw, "1002"))
    assert "smoking" in client.get(f"{URL}/marks?month=2026-10").text


# ---------------------------------------------------------------- the holiday calendar


def test_the_calendar_shows_the_year_and_its_source(shared):
    _, app = shared
    r = client_for(app, "sup").get(f"{URL}/calendar?year=2026")
    assert r.status_code == 200
    assert "国务院办公厅关于2026年部分节假日安排的通知" in r.text
    assert "国庆节" in r.text  # chinesecalendar's name of the holiday, translated
    assert 'class="holiday" title="2026-10-01"' in r.text
    assert 'class="workday" title="2026-10-10"' in r.text


def test_a_year_nobody_has_published_says_so(shared):
    _, app = shared
    r = client_for(app, "sup_en").get(f"{URL}/calendar?year=2099")
    assert r.status_code == 200 and "No official arrangement for 2099 yet" in r.text
    assert "0 holidays and 0 make-up workdays in 2099." in r.text


def test_only_an_admin_edits_the_calendar(fresh):
    fw, app = fresh
    r = post(client_for(app, "sup_en"), "calendar?year=2026", {"holidays": "2026-11-20 Company day",
                                                                "workdays": "", "ordinary": ""})
    assert r.status_code == 403
    admin = client_for(app, "admin")
    r = post(admin, "calendar?year=2026", {"holidays": "2026-11-20", "workdays": "2026-11-18", "ordinary": ""})
    assert r.status_code == 422 and "2026-11-18" in r.text
    assert not fw.calendar.is_holiday(dt.date(2026, 11, 20))
    r = post(admin, "calendar?year=2026", {"holidays": "2026-11-20 2026-11-21 Company day",
                                           "workdays": "2026-11-29", "ordinary": ""})
    assert r.status_code == 303
    calendar = fw.calendar.current()
    assert calendar.is_holiday(dt.date(2026, 11, 21)) and calendar.is_workday(dt.date(2026, 11, 29))
    assert "Company day" in admin.get(f"{URL}/calendar?year=2026").text


# ---------------------------------------------------------------- who may


GETS = ["", "roster", "shifts", "punches", "exceptions", "marks", "calendar"]
POSTS = ["roster", "roster/pattern", "roster/import", "shifts", "punches", "punches/import", "exceptions", "marks",
         "calendar"]


@pytest.mark.parametrize("username", ["agent", "client"])
def test_agents_and_clients_are_refused_every_floor_page(shared, username):
    fw, app = shared
    client = client_for(app, username)
    token = csrf(client, "/account")
    for path in GETS:
        assert client.get(f"{URL}/{path}").status_code == 403, path
    for path in POSTS:
        r = client.post(f"{URL}/{path}", data={"csrf_token": token, "do": "set", "team": "day"})
        assert r.status_code == 403, path


def test_a_team_leader_may_not_manage_shift_types(shared):
    fw, app = shared
    r = post(client_for(app, "tl"), "shifts", {"code": "E", "name": "E", "start": "12:00", "end": "21:00"})
    assert r.status_code == 403
    assert "E" not in roster.shifts(fw, "alpha")


# ---------------------------------------------------------------- widget and agent section


def test_the_attendance_stylesheet_is_the_plugins_static_file(shared):
    _, app = shared
    page = client_for(app, "tl").get(f"{URL}/").text
    assert '<link rel="stylesheet" href="/static/plugins/attendance/attendance.css">' in page
    r = client_for(app, "tl").get("/static/plugins/attendance/attendance.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert ".att-counts" in r.text and ".req-decide" in r.text


def test_the_widget_and_the_agent_section_render(shared):
    fw, app = shared
    client = client_for(app, "sup_en")
    dashboard = client.get("/p/alpha/")
    assert dashboard.status_code == 200
    widget = re.search(r'<section class="card widget widget-attendance">.*?</section>', dashboard.text, re.S).group(0)
    assert "Attendance rate" in widget and f'href="{URL}/"' in widget
    agent = client.get("/p/alpha/agents/1002?month=2026-10")
    assert agent.status_code == 200
    section = re.search(r'<section class="card section-attendance">.*?</section>', agent.text, re.S).group(0)
    assert "Punctuality" in section and "08:14" in section
    assert "08:21" in section and "Late 21 min" in section  # the 12th, still running, as the floor says
