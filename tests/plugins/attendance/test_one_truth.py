"""One truth per day: an agent-day's state at a moment is `days.day_at`, and the floor, the punches
page, the agent's month (their own page and the section of the agent's score page), the dashboard
widget and the report all show it in the same words.

The company of conftest.py, project alpha: 1001 and 1002 on the day shift D (08:00–17:00, punches
count until 19:00) on Tuesday 10 March 2026. 1001 punched at 07:35; 1002 has not punched. The
project's clock is set as the floor tests set it (`Projects.now`): 10:30 while the shift runs,
19:05 once its punch window has closed.
"""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.projects import Projects
from floorwalker.core.users import hash_password
from floorwalker.plugins.attendance import report, sheet
from floorwalker.plugins.attendance.days import DaySettings, LeaveSpan, Shift, day_at

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "correct-horse-7"
DAY = "2026-03-10"
RUNNING = dt.datetime(2026, 3, 10, 10, 30)
CLOSED = dt.datetime(2026, 3, 10, 19, 5)
URL = "/p/alpha/attendance"
# (user, roles, language, agent)
USERS = [("sup_zh", ["supervisor"], "zh_CN", None), ("sup_en", ["supervisor"], "en", None),
         *((f"a{agent}_{locale[:2]}", ["agent"], locale, agent) for agent in ("1001", "1002")
           for locale in ("zh_CN", "en"))]
WORDS = {"zh_CN": {"in": "已到岗", "not_in": "未到岗", "absent": "旷工"},
         "en": {"in": "In", "not_in": "Not in yet", "absent": "Absent"}}


@pytest.fixture
def clock(monkeypatch):
    """The project's clock, as a test sets it: ``clock.now = …``."""

    class Clock:
        now = RUNNING

    monkeypatch.setattr(Projects, "now", lambda self, project: Clock.now)
    return Clock


@pytest.fixture
def site(co):
    """The company on 10 March with its app; the tests read it at the clock they set."""
    co.rota(("1001", DAY, "D"), ("1002", DAY, "D"))
    co.punch("1001", f"{DAY} 07:35:10")
    hashed = hash_password(PASSWORD)
    co.fw.users.add_many([co.fw.users.prepare(name, hashed, roles, ["alpha"], name, locale, agent=agent)
                          for name, roles, locale, agent in USERS], "setup")
    return co, create_app(co.fw)


_addresses = iter(range(1, 250))


def signed_in(app, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False, client=(f"10.7.0.{next(_addresses)}", 4000))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def page(client: TestClient, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.text[:500])
    return r.text


def day_state(html: str, row_marker: str) -> str:
    """The state word shown in the table row that holds *row_marker* (a link, an id, a date)."""
    row = next(m.group(0) for m in re.finditer(r"<tr\b.*?</tr>", html, re.S) if row_marker in m.group(0))
    return re.search(r'<span class="day-state[^"]*">(.*?)</span>', row, re.S).group(1).strip()


def counted(html: str) -> dict[str, int]:
    """Word → count of the states a widget or the report's line of running shifts shows."""
    shown = re.findall(r'<span class="live-\w+">([^<]+)</span> <b>(\d+)</b>', html)
    return {word: int(n) for word, n in shown}


def widget_of(html: str) -> str:
    return re.search(r'<section class="card widget widget-attendance">.*?</section>', html, re.S).group(0)


def xlsx_states(client: TestClient, locale: str) -> dict[str, str]:
    """Employee number → the status of 10 March on the report workbook's sheet of days."""
    r = client.get(f"{URL}/report.xlsx?month=2026-03")
    assert r.status_code == 200
    days = list(load_workbook(io.BytesIO(r.content)).worksheets[1].iter_rows(values_only=True))
    status = days[0].index({"en": "Status", "zh_CN": "状态"}[locale])
    return {row[1]: row[status] for row in days[1:] if row[0] == DAY}


def every_page(app, sup: str, agent: str, locale: str) -> dict[str, str]:
    """The state of *agent*'s 10 March on every page that shows it, read in *locale* by the
    supervisor *sup* and by the agent."""
    staff = signed_in(app, sup)
    own = signed_in(app, f"a{agent}_{locale[:2]}")
    link = f"agent={agent}&amp;date={DAY}"  # the floor's and the punches' link to the agent-day
    return {
        "floor": day_state(page(staff, f"{URL}/"), link),
        "punches": day_state(page(staff, f"{URL}/punches?agent={agent}&date={DAY}"), link),
        "own month": day_state(page(own, f"{URL}/mine?month=2026-03"), f'id="day-{DAY}"'),
        "agent's score page": day_state(page(staff, f"/p/alpha/agents/{agent}?month=2026-03"),
                                        f"<td>{DAY}</td>"),
        "report workbook": xlsx_states(staff, locale)[agent],
    }


@pytest.mark.parametrize("sup, locale", [("sup_zh", "zh_CN"), ("sup_en", "en")])
def test_a_0735_punch_for_an_0800_shift_is_in_on_every_page(site, clock, sup, locale):
    _, app = site
    words = WORDS[locale]
    assert set(every_page(app, sup, "1001", locale).values()) == {words["in"]}
    staff = signed_in(app, sup)
    assert counted(widget_of(page(staff, "/p/alpha/"))) == {words["in"]: 1, words["not_in"]: 1}
    assert counted(page(staff, f"{URL}/report?month=2026-03")) == {words["in"]: 1, words["not_in"]: 1}
    if locale == "zh_CN":  # the words these pages used to say beside the 07:35 punch
        for retired in ("待上班", "未到上班时间"):
            assert retired not in page(staff, f"{URL}/punches?agent=1001&date={DAY}")
            assert retired not in page(signed_in(app, "a1001_zh"), f"{URL}/mine?month=2026-03")


@pytest.mark.parametrize("sup, locale", [("sup_zh", "zh_CN"), ("sup_en", "en")])
def test_a_day_without_a_punch_is_not_in_yet_then_absent_once_the_window_closes(site, clock, sup, locale):
    _, app = site
    words = WORDS[locale]
    assert set(every_page(app, sup, "1002", locale).values()) == {words["not_in"]}
    clock.now = CLOSED
    assert set(every_page(app, sup, "1002", locale).values()) == {words["absent"]}
    staff = signed_in(app, sup)
    widget = counted(widget_of(page(staff, "/p/alpha/")))
    assert widget == {words["in"]: 1, words["absent"]: 1}  # 1001: in, with the check-out missing
    assert not counted(page(staff, f"{URL}/report?month=2026-03"))  # nothing is still running


def test_not_in_yet_says_how_long_ago_the_agent_was_due_on_every_page(site, clock):
    _, app = site
    staff = signed_in(app, "sup_en")
    for path in (f"{URL}/", f"{URL}/punches?agent=1002&date={DAY}", f"{URL}/agents/1002?month=2026-03"):
        assert "due 150 min ago" in page(staff, path), path


def test_the_sheet_gives_every_reader_the_same_rows(site, clock):
    """The floor's rows are the sheet's rows of the day, state for state."""
    co, _ = site
    floor = {r["agent"]: r for r in sheet.floor_rows(co.fw, co.project, RUNNING)}
    day = {r["agent"]: r for r in sheet.derive(co.fw, co.project, dt.date(2026, 3, 10), dt.date(2026, 3, 10))}
    assert {a: (r["state"], r["check_in"]) for a, r in floor.items()} == \
        {a: (r["state"], r["check_in"]) for a, r in day.items()} == \
        {"1001": ("in", dt.datetime(2026, 3, 10, 7, 35)), "1002": ("not_in", None)}
    # still running: nothing is concluded, so nothing is settled or counted in the figures yet
    assert {r["status"] for r in day.values()} == {"scheduled"}
    assert sheet.figures([r for r in day.values() if r["status"] != "scheduled"])["due"] == 0


# ---------------------------------------------------------------- the rule itself


DAY_SHIFT = Shift("D", "Day", dt.time(8), dt.time(17), late_grace=5)
MONDAY = dt.date(2026, 10, 12)
AT_1030 = dt.datetime(2026, 10, 12, 10, 30)


@pytest.mark.parametrize("punched, leave, state, minutes", [
    ([dt.datetime(2026, 10, 12, 7, 35)], None, "in", 0),
    ([dt.datetime(2026, 10, 12, 8, 4, 59)], None, "in", 0),  # within the grace, seconds dropped
    ([dt.datetime(2026, 10, 12, 8, 9)], None, "late", 4),  # 9 minutes less 5 of grace
    ([dt.datetime(2026, 10, 12, 11, 0)], None, "not_in", 150),  # a punch after now does not count yet
    ([dt.datetime(2026, 10, 11, 17, 0)], None, "not_in", 150),  # yesterday's check-out is not today's
    ([], (dt.datetime(2026, 10, 12, 8), dt.datetime(2026, 10, 12, 17)), "on_leave", None),
    ([], (dt.datetime(2026, 10, 12, 8), dt.datetime(2026, 10, 12, 10)), "not_in", 30),  # due at 10:00
    ([], (dt.datetime(2026, 10, 12, 8), dt.datetime(2026, 10, 12, 11)), "due", None),  # due at 11:00
    ([dt.datetime(2026, 10, 12, 10, 20)], (dt.datetime(2026, 10, 12, 8), dt.datetime(2026, 10, 12, 10)),
     "late", 15),
])
def test_a_running_shift_is_read_by_the_day_rules(punched, leave, state, minutes):
    at = day_at(MONDAY, DAY_SHIFT, punched, [LeaveSpan(*leave)] if leave else [], DaySettings(), AT_1030)
    assert (at.state, at.concluded) == (state, False)
    if state == "late":
        assert at.day.late_minutes == minutes
    elif state == "not_in":
        assert at.overdue_minutes == minutes


@pytest.mark.parametrize("now, state, concluded", [
    (dt.datetime(2026, 10, 12, 5, 59), "due", False),  # before the punch window opens
    (dt.datetime(2026, 10, 12, 8, 0), "not_in", False),  # due now, no punch
    (dt.datetime(2026, 10, 12, 18, 59), "not_in", False),  # the shift is over, the window is not
    (dt.datetime(2026, 10, 12, 19, 0), "absent", True),  # the window closed with no punch
])
def test_a_day_without_a_punch_turns_absent_only_when_its_window_closes(now, state, concluded):
    at = day_at(MONDAY, DAY_SHIFT, [], [], DaySettings(), now)
    assert (at.state, at.concluded) == (state, concluded)


def test_a_concluded_day_keeps_the_state_it_had_while_running():
    """Lateness counted live is the lateness the day concludes with (no jump at 19:00)."""
    punched = [dt.datetime(2026, 10, 12, 8, 21), dt.datetime(2026, 10, 12, 17, 2)]
    running = day_at(MONDAY, DAY_SHIFT, punched, [], DaySettings(), AT_1030)
    closed = day_at(MONDAY, DAY_SHIFT, punched, [], DaySettings(), dt.datetime(2026, 10, 13))
    assert (running.state, running.day.late_minutes) == ("late", 16)  # 21 minutes less 5 of grace
    assert (closed.state, closed.day.late_minutes) == ("late", 16)
    assert closed.concluded and closed.day.status == "present"
    assert day_at(MONDAY, None, [], [], DaySettings(), AT_1030).state == "rest"


@pytest.mark.parametrize("locale, words", [("en", ["In", "Late 21 min", "Not in yet", "Absent"]),
                                           ("zh_CN", ["已到岗", "迟到 21 分钟", "未到岗", "旷工"])])
def test_the_report_names_each_state_as_the_pages_do(locale, words):
    rows = [{"state": "in"}, {"state": "late", "late": 21}, {"state": "not_in"}, {"state": "absent"}]
    assert [report.state_title(r, locale) for r in rows] == words
