"""The attendance rules the rulebooks state (issue 11, item 7), each a project setting:

- continuous work is at most 8 hours, with no tolerance by default; the roster warns where a shift
  type, or two shifts run straight on, break it (roster page, shift types page, roster import);
- a day of leave is the agent's rostered shift that day, whatever its length: approval (a
  supervisor up to a day, the director beyond) and the sick certificate go by rostered days;
- swaps only between agents of similar skill (the same tier or one apart);
- two swaps of one shift cannot both stand (refused when asked, re-checked at approval);
- the outgoing agent stays until relieved: leaving before the incoming agent of the team's next
  shift punched in is flagged for the leader (pages, ``attendance days --format json``), who may
  record it; nothing is deducted by itself.

The company is conftest's (project alpha: team day 1001 Li, 1002 Han; team eve 1003 Wang,
1004 Zhao; shifts D 08:00–17:00, N 22:00–06:00, C 09:00–18:00 chat), March 2026.
"""

import datetime as dt
import re

import orjson
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.core.app import create_app
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.core.users import hash_password
from floorwalker.plugins.attendance import leave, relief, roster, sheet, swaps
from floorwalker.plugins.attendance.config import project_request_rules
from floorwalker.plugins.attendance.days import DaySettings
from floorwalker.plugins.attendance.importers import import_roster
from floorwalker.plugins.attendance.requests import Refused, rostered_days

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "correct-horse-7"
URL = "/p/alpha/attendance"
AT = dt.datetime.fromisoformat


def shift(co, code, name, start, end, **options):
    roster.save_shift(co.fw, "alpha", roster.shift_doc(code, name, start, end, **options), "setup")


def messages(reasons, locale="en") -> list[str]:
    return [r.message(locale) for r in reasons]


# ------------------------------------------------------------------ 1. continuous work


def test_no_tolerance_by_default_and_a_project_may_give_one(co):
    assert DaySettings().overtime_tolerance_minutes == 0
    assert co.fw.projects.settings(co.project, "attendance")["overtime_tolerance_minutes"] == 0
    co.rota(("1003", "2026-03-03", "N"))
    co.punch("1003", "2026-03-03 21:45", "2026-03-04 06:10")
    assert co.row("1003", "2026-03-03")["over_limit"] is True  # 22:00 to 06:10: 490 > 480
    co.configure(overtime_tolerance_minutes=30)  # a project that keeps its tolerance
    assert co.row("1003", "2026-03-03")["over_limit"] is False


def test_a_shift_type_longer_than_the_limit_is_warned(co):
    warned = roster.shift_warnings(co.fw, "alpha")
    assert sorted(warned) == ["C", "D"]  # 9 hours each, no break; N is 8 hours exactly
    assert warned["D"].message("en") == ("continuous work: the D shift is 9 hours of continuous "
                                         "work, over the limit of 8 hours")
    assert "D 班连续工作 9 小时，超过 8 小时上限" in warned["D"].message("zh_CN")
    shift(co, "D", "Day", "08:00", "17:00", break_minutes=60)  # the meal break is not work
    shift(co, "L", "Long", "08:00", "17:30", break_minutes=60)  # 9.5 hours less 1
    assert sorted(roster.shift_warnings(co.fw, "alpha")) == ["C", "L"]
    assert "8.5 hours" in roster.shift_warnings(co.fw, "alpha")["L"].message("en")
    co.configure(continuous_limit_minutes=540)
    assert roster.shift_warnings(co.fw, "alpha") == {}


def test_two_shifts_run_straight_on_are_warned_on_both_days(co):
    shift(co, "M", "Morning", "06:00", "10:00")
    shift(co, "P", "Part-time", "09:00", "13:00")
    co.rota(("1003", "2026-03-03", "N"), ("1003", "2026-03-04", "M"),  # 22:00 → 10:00: 12 hours
            ("1004", "2026-03-04", "M"),                                # alone: 4 hours
            ("1003", "2026-03-05", "N"), ("1003", "2026-03-06", "P"))   # 3 hours of rest between
    warned = roster.roster_warnings(co.fw, "alpha", dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert sorted(warned) == ["1003:2026-03-03", "1003:2026-03-04"]
    assert warned["1003:2026-03-04"].message("en").endswith(
        "1003's M shift of 2026-03-04 runs straight on with the N shift of 2026-03-03: 12 hours "
        "of continuous work, over the limit of 8 hours")
    # a day whose neighbour is outside the range asked is still judged with it
    assert list(roster.roster_warnings(co.fw, "alpha", dt.date(2026, 3, 4), dt.date(2026, 3, 4))) == [
        "1003:2026-03-04"]


def test_the_roster_import_reports_the_days_over_the_limit(co, tmp_path):
    shift(co, "M", "Morning", "06:00", "10:00")
    path = tmp_path / "roster.csv"
    path.write_text("工号,日期,班次\n1003,2026-03-03,N\n1003,2026-03-04,M\n1004,2026-03-04,M\n",
                    encoding="utf-8")
    done = import_roster(co.fw, "alpha", path, "setup")
    assert (done["changed"], done["over_limit"]) == (3, 2)  # saved all the same
    assert [w.message("en").split(": ", 1)[0] for w in done["warnings"]] == ["continuous work"] * 2


def test_the_cli_import_prints_the_warnings(co, tmp_path):
    shift(co, "M", "Morning", "06:00", "10:00")
    path = tmp_path / "roster.csv"
    path.write_text("agent,date,shift\n1003,2026-03-03,N\n1003,2026-03-04,M\n", encoding="utf-8")
    result = CliRunner().invoke(make_cli(make_plugin_manager(builtins=["attendance"])), [
        "--data", str(tmp_path / "data"), "--lang", "zh_CN", "--as", "tl",
        "attendance", "import-roster", "--project", "alpha", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 个排班日超过连续工作上限（已照常保存）" in result.output
    assert "首尾相连：连续工作 12 小时，超过 8 小时上限" in result.output


# ------------------------------------------------------------------ 2. leave by rostered days


def test_leave_days_count_shifts_whatever_their_length():
    ten_hours = (AT("2026-03-10 20:00"), AT("2026-03-11 06:00"))
    four = [(AT("2026-03-10 08:00"), AT("2026-03-10 12:00")),
            (AT("2026-03-11 08:00"), AT("2026-03-11 12:00"))]
    assert rostered_days([ten_hours], *ten_hours) == 1
    assert rostered_days(four, four[0][0], four[1][1]) == 2
    assert rostered_days(four[:1], AT("2026-03-10 08:00"), AT("2026-03-10 10:00")) == 0.5
    assert rostered_days(four[:1], AT("2026-03-10 08:00"), AT("2026-03-10 11:59")) == 0.99  # not a day


def test_a_ten_hour_night_of_leave_is_one_day_for_the_supervisor(co):
    shift(co, "L", "Long night", "20:00", "06:00")
    co.rota(("1003", "2026-03-10", "L"))
    asked = leave.request(co.fw, co.project, "1003", "annual", co.agent("1003"), "2026-03-10",
                          asked_at=AT("2026-03-01 09:00"))
    assert (asked["minutes"], asked["days"], asked["level"]) == (600, 1, "supervisor")
    assert leave.decide(co.fw, co.project, asked["id"], True, co.sup)["status"] == "approved"


def test_two_four_hour_shifts_are_two_days_for_the_director(co):
    shift(co, "H", "Half", "08:00", "12:00")
    co.rota(("1001", "2026-03-10", "H"), ("1001", "2026-03-11", "H"))
    asked = leave.request(co.fw, co.project, "1001", "annual", co.agent("1001"), "2026-03-10",
                          "2026-03-11", asked_at=AT("2026-03-01 09:00"))
    assert (asked["minutes"], asked["days"], asked["level"]) == (480, 2, "director")
    with pytest.raises(PermissionDenied) as refused:
        leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    assert refused.value.message("zh_CN") == "2 个排班日的请假由中心主任审批"
    leave.cancel(co.fw, co.project, asked["id"], co.agent("1001"))
    co.configure(supervisor_max_days=2)  # a project may move the line
    again = leave.request(co.fw, co.project, "1001", "annual", co.agent("1001"), "2026-03-10",
                          "2026-03-11", asked_at=AT("2026-03-01 09:00"))
    assert again["level"] == "supervisor"


def test_two_halves_of_a_sick_day_need_the_certificate_together(co):
    co.rota(("1001", "2026-03-10", "D"))  # 08:00–17:00: half is 4.5 hours

    def sick(start, end, **options):
        return leave.request(co.fw, co.project, "1001", "sick", co.agent("1001"), "2026-03-10",
                             start_time=start, end_time=end, asked_at=AT("2026-03-10 06:00"),
                             **options)

    morning = sick("08:00", "12:30")
    assert (morning["days"], morning["level"]) == (0.5, "supervisor")  # no certificate yet
    with pytest.raises(Refused) as refused:
        sick("12:30", "17:00")
    assert messages(refused.value.reasons) == [
        "medical certificate: sick leave of 1 rostered days or more needs a medical certificate; "
        "this comes to 1 days"]
    assert sick("12:30", "17:00", certificate=True)["days"] == 0.5


def test_a_project_that_stored_the_old_minute_settings_keeps_them(co):
    assert (project_request_rules(co.fw, co.project).supervisor_max_days,
            project_request_rules(co.fw, co.project).certificate_days) == (1, 1)
    with co.fw.store.transaction("core", "setup", "test.old-settings") as tx:  # as stored before
        project = tx.get("projects", "alpha")
        tx.update("projects", "alpha", {"settings": {**project["settings"], "attendance": {
            "supervisor_max_minutes": 960, "certificate_minutes": 240}}})
    rules = project_request_rules(co.fw, co.project)
    assert (rules.supervisor_max_days, rules.certificate_days) == (2, 0.5)
    co.configure(supervisor_max_days=1.5)  # the day setting, once stored, wins
    assert project_request_rules(co.fw, co.project).supervisor_max_days == 1.5


def test_the_leave_listing_gives_days_and_hours(co, tmp_path):
    shift(co, "L", "Long night", "20:00", "06:00")
    co.rota(("1003", "2026-03-10", "L"))
    leave.request(co.fw, co.project, "1003", "annual", co.agent("1003"), "2026-03-10",
                  asked_at=AT("2026-03-01 09:00"))
    result = CliRunner().invoke(make_cli(make_plugin_manager(builtins=["attendance"])), [
        "--data", str(tmp_path / "data"), "--lang", "en", "--as", "tl",
        "attendance", "leave", "--project", "alpha", "--month", "2026-03", "--format", "json"])
    (row,) = orjson.loads(result.output)
    assert (row["days"], row["hours"]) == (1, "10")


# ------------------------------------------------------------------ 3. and 4. swaps


@pytest.fixture
def swap_days(co):
    co.rota(("1001", "2026-03-10", "D"), ("1002", "2026-03-12", "D"), ("1001", "2026-03-16", "D"),
            ("1003", "2026-03-18", "D"))
    return co


def ask(co, agent, day, other, other_day):
    return swaps.ask(co.fw, co.project, co.agent(agent), agent, day, other, other_day)


def test_agents_more_than_a_tier_apart_do_not_swap(swap_days):
    co = swap_days
    co.fw.agents.set_tier("1002", "elite", "setup")  # regular and elite: two tiers apart
    with pytest.raises(Refused) as refused:
        ask(co, "1001", "2026-03-10", "1002", "2026-03-12")
    assert messages(refused.value.reasons) == [
        "shift swap: 1001 (Regular) and 1002 (Elite) are 2 tiers apart: swaps are between agents "
        "of similar skill, at most 1 tiers apart"]
    assert "1001（普通客服）与 1002（精英客服）职级相差 2 级" in refused.value.message("zh_CN")
    co.configure(swap_max_tier_gap=2)
    assert ask(co, "1001", "2026-03-10", "1002", "2026-03-12")["status"] == "asked"


@pytest.mark.parametrize("tier, gap, allowed", [("regular", 0, True), ("senior", 0, False),
                                                ("senior", 1, True)])
def test_the_same_tier_or_one_apart(swap_days, tier, gap, allowed):
    co = swap_days
    co.fw.agents.set_tier("1002", tier, "setup")
    co.configure(swap_max_tier_gap=gap)
    if allowed:
        assert ask(co, "1001", "2026-03-10", "1002", "2026-03-12")["status"] == "asked"
        return
    with pytest.raises(Refused):
        ask(co, "1001", "2026-03-10", "1002", "2026-03-12")


def test_a_shift_already_in_a_swap_cannot_be_asked_again(swap_days):
    co = swap_days
    first = ask(co, "1001", "2026-03-10", "1002", "2026-03-12")
    with pytest.raises(Refused) as refused:
        ask(co, "1003", "2026-03-18", "1001", "2026-03-10")
    assert messages(refused.value.reasons) == [
        "shift swap: 1001's D shift of 2026-03-10 is already in another swap (asked): two swaps "
        "of one shift cannot both stand"]
    assert "已在另一换班申请中" in refused.value.message("zh_CN")
    swaps.cancel(co.fw, co.project, first["id"], co.agent("1001"))  # withdrawn: free again
    assert ask(co, "1003", "2026-03-18", "1001", "2026-03-10")["status"] == "asked"


def test_of_two_pending_swaps_of_one_shift_only_the_first_asked_is_approved(swap_days, monkeypatch):
    co = swap_days
    first = ask(co, "1001", "2026-03-10", "1002", "2026-03-12")
    with monkeypatch.context() as race:  # the second slipped in beside the first
        race.setattr(swaps, "_in_other_swaps", lambda *args: {})
        second = ask(co, "1001", "2026-03-16", "1002", "2026-03-12")
    for doc in (first, second):
        swaps.accept(co.fw, co.project, doc["id"], co.agent("1002"))
    with pytest.raises(Refused) as refused:
        swaps.approve(co.fw, co.project, second["id"], co.tl_day, "day")
    assert "1002's D shift of 2026-03-12 is already in another swap (agreed)" in \
        refused.value.message("en")
    assert swaps.approve(co.fw, co.project, first["id"], co.tl_day, "day")["status"] == "approved"
    with pytest.raises((Refused, ValidationError)):  # the approved one stands in its way for good
        swaps.approve(co.fw, co.project, second["id"], co.tl_day, "day")
    assert swaps.find(co.fw, "alpha", second["id"])[1]["status"] == "accepted"


# ------------------------------------------------------------------ 5. relief


@pytest.fixture
def handover_day(co):
    """Team day on 10 March: 1001 on D until 17:00, relieved by 1002 on E from 17:00."""
    shift(co, "E", "Evening", "17:00", "01:00")
    co.rota(("1001", "2026-03-10", "D"), ("1002", "2026-03-10", "E"))
    co.punch("1001", "2026-03-10 07:45")
    return co


@pytest.mark.parametrize("out, came, flagged", [
    ("17:02", "17:05", True),    # left three minutes before the relief punched in
    ("17:05", "17:05", False),   # in the same minute: relieved
    ("17:10", "16:50", False),
    ("17:02", None, True)])      # the relief never came: the leader decides
def test_leaving_before_the_incoming_agent_is_in_is_flagged(handover_day, out, came, flagged):
    co = handover_day
    co.punch("1001", f"2026-03-10 {out}")
    if came:
        co.punch("1002", f"2026-03-10 {came}", "2026-03-11 01:00")
    row = co.row("1001", "2026-03-10")
    assert row["left_before_relief"] is flagged
    if flagged:
        assert row["relief"]["agent"] == "1002" and row["relief"]["shift"] == "E"
        assert row["relief"]["check_in"] == (AT(f"2026-03-10 {came}") if came else None)
    assert co.row("1002", "2026-03-10")["left_before_relief"] is False  # nobody relieves E


def test_no_relief_across_a_gap_or_from_another_team(co):
    shift(co, "E", "Evening", "17:00", "01:00")
    co.rota(("1001", "2026-03-10", "D"), ("1002", "2026-03-10", "N"),  # N begins at 22:00: a gap
            ("1003", "2026-03-10", "E"))                               # E, but team eve's
    co.punch("1001", "2026-03-10 07:50", "2026-03-10 17:00")
    co.punch("1003", "2026-03-10 17:30", "2026-03-11 01:00")
    assert co.row("1001", "2026-03-10")["left_before_relief"] is False
    co.punch("1002", "2026-03-10 21:50", "2026-03-11 06:00")
    co.rota(("1001", "2026-03-11", "D"))  # the next morning's D starts 2 hours after N ends
    assert co.row("1002", "2026-03-10")["left_before_relief"] is False
    shift(co, "M", "Morning", "06:00", "10:00")  # the night hands over to the next day's first
    co.rota(("1001", "2026-03-11", "M"))
    co.punch("1001", "2026-03-11 06:10")
    row = co.row("1002", "2026-03-10")
    assert row["left_before_relief"] is True
    assert row["relief"] == {"agent": "1001", "shift": "M", "date": "2026-03-11",
                             "check_in": AT("2026-03-11 06:10")}


def test_the_last_to_leave_wait_for_a_smaller_next_shift():
    leaving = [("1001", AT("2026-03-10 17:00")), ("1002", AT("2026-03-10 17:20"))]
    assert relief.unrelieved(leaving, [("1005", AT("2026-03-10 17:10"))]) == {}
    assert relief.unrelieved(leaving, [("1005", AT("2026-03-10 17:30"))]) == {
        "1002": ("1005", AT("2026-03-10 17:30"))}
    # as many come as leave: the first to leave waits for the first to come, and so on
    both = [("1006", AT("2026-03-10 17:25")), ("1005", AT("2026-03-10 17:05"))]
    assert relief.unrelieved(leaving, both) == {"1001": ("1005", AT("2026-03-10 17:05")),
                                                "1002": ("1006", AT("2026-03-10 17:25"))}
    assert relief.unrelieved(leaving, [("1005", AT("2026-03-10 16:55")),
                                       ("1006", AT("2026-03-10 17:15"))]) == {}


def test_an_incoming_agent_on_leave_relieves_nobody(handover_day):
    co = handover_day
    co.punch("1001", "2026-03-10 17:01")
    asked = leave.request(co.fw, co.project, "1002", "annual", co.agent("1002"), "2026-03-10",
                          asked_at=AT("2026-03-01 09:00"))
    assert co.row("1001", "2026-03-10")["left_before_relief"] is True  # asked, not yet approved
    leave.decide(co.fw, co.project, asked["id"], True, co.sup)
    assert co.row("1001", "2026-03-10")["left_before_relief"] is False


def test_the_leader_may_record_it_once_and_nothing_is_deducted_before(handover_day, tmp_path):
    co = handover_day
    co.punch("1001", "2026-03-10 17:02")
    co.punch("1002", "2026-03-10 17:14", "2026-03-11 01:00")
    co.settle("2026-03")
    assert co.active("1001", "2026-03") == []  # a flag, never a deduction by itself
    result = CliRunner().invoke(make_cli(make_plugin_manager(builtins=["attendance"])), [
        "--data", str(tmp_path / "data"), "--as", "tl", "attendance", "days", "--project", "alpha",
        "--month", "2026-03", "--agent", "1001", "--format", "json"])
    (day,) = orjson.loads(result.output)
    assert day["left_before_relief"] is True and day["relief"]["agent"] == "1002"
    with pytest.raises(ValidationError):
        sheet.record_mark(co.fw, co.project, "1002", "2026-03-10", "relief", co.tl_day, "no")
    mark = sheet.record_mark(co.fw, co.project, "1001", "2026-03-10", "relief", co.tl_day,
                             "left the seat empty until Han came")
    assert (mark["minutes"], mark["disciplinary"]) == (12, False)
    # recorded as leaving early, its points the band of the 12 minutes the seat stood empty
    assert [(e[0], e[1]) for e in co.active("1001", "2026-03")] == [("late_or_early", -4)]
    with pytest.raises(Conflict):
        sheet.record_mark(co.fw, co.project, "1001", "2026-03-10", "relief", co.tl_day, "again")


# ------------------------------------------------------------------ the pages


@pytest.fixture
def site(co, monkeypatch):
    monkeypatch.setattr(Projects, "now", lambda self, project: dt.datetime(2026, 3, 20, 10, 0))
    hashed = hash_password(PASSWORD)
    co.fw.users.add_many([co.fw.users.prepare(name, hashed, roles, ["alpha"], name, locale,
                                              teams=["alpha.day", "alpha.eve"])
                          for name, roles, locale in (("tl_zh", ["team_leader"], "zh_CN"),
                                                      ("tl_en", ["team_leader"], "en"))], "setup")
    return co, create_app(co.fw)


def signed_in(app, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def test_the_roster_and_shift_pages_warn_beside_the_shift(site):
    co, app = site
    shift(co, "M", "Morning", "06:00", "10:00")
    co.rota(("1003", "2026-03-03", "N"), ("1003", "2026-03-04", "M"))
    client = signed_in(app, "tl_zh")
    page = client.get(f"{URL}/roster?team=eve&month=2026-03").text
    cell = re.search(r'<td class="[^"]*\bover\b[^"]*" title="([^"]+)"><b class="over-mark"[^>]*>!</b>'
                     r'\s*<select name="cell\|1003\|2026-03-04"', page)
    assert cell and "连续工作 12 小时，超过 8 小时上限" in cell.group(1)
    assert "本页有 2 个排班日超过连续工作上限" in page
    assert 'name="cell|1004|2026-03-04"' in page and page.count('class="over-mark"') == 2
    shifts = client.get(f"{URL}/shifts").text
    assert "D 班连续工作 9 小时，超过 8 小时上限" in shifts
    assert "N 班连续工作" not in shifts


def test_the_flag_is_shown_to_the_leader_with_a_way_to_record_it(site):
    co, app = site
    shift(co, "E", "Evening", "17:00", "01:00")
    co.rota(("1001", "2026-03-10", "D"), ("1002", "2026-03-10", "E"))
    co.punch("1001", "2026-03-10 07:45", "2026-03-10 17:02")
    co.punch("1002", "2026-03-10 17:14", "2026-03-11 01:00")
    zh, en = signed_in(app, "tl_zh"), signed_in(app, "tl_en")
    flags = zh.get(f"{URL}/exceptions?month=2026-03").text
    record = f'{URL}/marks?agent=1001&amp;date=2026-03-10&amp;kind=relief&amp;month=2026-03'
    assert "未等接班离岗" in flags and record in flags
    form = zh.get(record.replace("&amp;", "&")).text
    assert re.search(r'<option value="relief" selected', form) and 'value="1001"' in form
    punches = en.get(f"{URL}/punches?date=2026-03-10").text
    assert "left before relief" in punches and "relieved by Han at 17:14" in punches
    sheet.record_mark(co.fw, co.project, "1001", "2026-03-10", "relief", co.tl_day, "seen")
    assert record not in zh.get(f"{URL}/exceptions?month=2026-03").text  # recorded: no link
