"""The request pages of attendance through the web shell: approvals, leave, swaps, handover, an
agent's month and the monthly report, as the people who use them (agents, leaders, a client).

The days are relative to today on the project's floor, because the pages ask the rules with the
real clock: past days (already punched or missed) and days a few days ahead (for leave and swaps).
"""

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.users import hash_password
from floorwalker.plugins.attendance import leave, punches, report, roster, sheet, swaps

from ...pgcluster import store_for

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "correct-horse-7"
BASE = "/p/alpha/attendance"


def plain_days(fw, first: dt.date, count: int) -> list[dt.date]:
    """*count* consecutive working days from *first* on with no holiday among them or next to them."""
    cal = fw.calendar.current()
    day = first
    while True:
        span = [day + dt.timedelta(days=n) for n in range(-1, count + 1)]
        if not any(cal.is_holiday(d) for d in span):
            return span[1:-1]
        day += dt.timedelta(days=1)


def build(root) -> tuple[Floorwalker, dict]:
    """Project alpha, team day: 1001 and 1002 on the day shift D, 1003 on the night shift N (which
    hands over to D at 01:00); a second team, night, with 1004. Past week punched (1001 missed two
    days, 1002 was 25 minutes late once); ahead, 1001 rests on day B and 1002 on day A."""
    fw = Floorwalker(store_for(root), make_plugin_manager(builtins=["attendance"]))
    fw.projects.create("alpha", "Alpha", "setup")
    fw.teams.create("alpha", "day", "Day team", "setup")
    fw.teams.create("alpha", "night", "Night team", "setup")
    for number, name, team in (("1001", "Li Lei", "day"), ("1002", "Han Meimei", "day"),
                               ("1003", "Wang Fang", "day"), ("1004", "Zhao Wei", "night")):
        fw.agents.add("alpha", number, name, "setup", team=team, hired="2024-01-02")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("N", "Night", "17:00", "01:00"), "setup")
    today = fw.projects.today("alpha")
    a, b = plain_days(fw, today + dt.timedelta(days=9), 2)
    days = {"today": today, "A": a, "B": b, "absent": today - dt.timedelta(days=2),
            "absent2": today - dt.timedelta(days=3), "late": today - dt.timedelta(days=4),
            "ahead": plain_days(fw, today + dt.timedelta(days=3), 1)[0]}
    cells = []
    for n in range(-6, 15):
        day = today + dt.timedelta(days=n)
        cells += [("1001", day.isoformat(), None if day == b else "D"),
                  ("1002", day.isoformat(), None if day == a else "D"),
                  ("1003", day.isoformat(), "N"), ("1004", day.isoformat(), "D")]
    roster.set_entries(fw, "alpha", cells, "setup")
    docs = []
    for n in range(-6, 0):
        day = today + dt.timedelta(days=n)
        at = lambda h, m, d=day: dt.datetime.combine(d, dt.time(h, m))  # noqa: E731
        if day not in (days["absent"], days["absent2"]):
            docs += [punches.punch_doc("1001", at(7, 45), "import"), punches.punch_doc("1001", at(17, 5), "import")]
        docs += [punches.punch_doc("1002", at(8, 25) if day == days["late"] else at(7, 45), "import"),
                 punches.punch_doc("1002", at(17, 5), "import"),
                 punches.punch_doc("1003", at(16, 45), "import"),
                 punches.punch_doc("1003", at(1, 5) + dt.timedelta(days=1), "import"),
                 punches.punch_doc("1004", at(7, 40), "import"), punches.punch_doc("1004", at(17, 0), "import")]
    punches.store_punches(fw, "alpha", docs, "setup")
    project = fw.projects.get("alpha")
    for month in roster.months_of(today - dt.timedelta(days=6), today):
        sheet.settle(fw, project, month, "setup")
    hashed = hash_password(PASSWORD)
    fw.users.add_many([
        fw.users.prepare("agent1", hashed, ["agent"], ["alpha"], "Li Lei", "en", agent="1001"),
        fw.users.prepare("agent2", hashed, ["agent"], ["alpha"], "Han Meimei", "zh_CN", agent="1002"),
        fw.users.prepare("agent3", hashed, ["agent"], ["alpha"], "Wang Fang", "en", agent="1003"),
        fw.users.prepare("tl1", hashed, ["team_leader"], ["alpha"], "TL", "en", teams=["alpha.day"]),
        fw.users.prepare("tl2", hashed, ["team_leader"], ["alpha"], "TL two", "en", teams=["alpha.night"]),
        fw.users.prepare("sup1", hashed, ["supervisor"], ["alpha"], "Sup", "en"),
        fw.users.prepare("supzh", hashed, ["supervisor"], ["alpha"], "主管", "zh_CN"),
        fw.users.prepare("dir1", hashed, ["director"], ["alpha"], "Director", "en"),
        fw.users.prepare("client1", hashed, ["client"], ["alpha"], "Client", "en"),
    ], "setup")
    return fw, days


_addresses = iter(range(1, 250))


def client_for(app, username: str) -> TestClient:
    c = TestClient(app, follow_redirects=False, client=(f"10.1.0.{next(_addresses)}", 4000))
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return c


_templates = []


class Site:
    """A company and its app, with a signed-in client per user made on first use. Every app
    shares the first one's compiled templates (same plugins, no theme files in the data folder):
    compiling them again for each test would be most of the test's time."""

    def __init__(self, root):
        self.fw, self.days = build(root)
        self.app = create_app(self.fw)
        if _templates:
            self.app.state.shell.templates = _templates[0]
        else:
            _templates.append(self.app.state.shell.templates)
        self.clients, self.tokens = {}, {}
        self.project = self.fw.projects.get("alpha")

    def as_(self, username: str) -> TestClient:
        if username not in self.clients:
            self.clients[username] = client = client_for(self.app, username)
            self.tokens[username] = re.search(r'name="csrf_token" value="([^"]+)"',
                                              client.get("/account").text).group(1)
        return self.clients[username]

    def post(self, username: str, path: str, **data):
        """Post a form as *username*'s browser does, with the session's CSRF token."""
        c = self.as_(username)
        return c.post(f"{BASE}/{path}", data={"csrf_token": self.tokens[username], **data})

    def day(self, key: str) -> str:
        return self.days[key].isoformat()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Read-only by convention: a test that changes data uses `fresh`."""
    return Site(tmp_path_factory.mktemp("att-pages"))


@pytest.fixture
def fresh(tmp_path):
    return Site(tmp_path)


def leave_docs(fw) -> list[dict]:
    return [r for m in roster.stored_months(fw, "alpha") for r in leave.month_requests(fw, "alpha", m)]


def attendance_events(fw, agent: str, day: str) -> list[dict]:
    return [e for e in fw.ledger.agent_events("alpha", day[:7], agent)
            if e["source"] == "attendance" and e["date"] == day]


# ---------------------------------------------------------------- pages render


@pytest.mark.parametrize("path", ["approvals", "leave", "swaps", "handover", "mine", "agents/1001",
                                  "report"])
def test_each_page_renders_for_a_supervisor(site, path):
    r = site.as_("sup1").get(f"{BASE}/{path}")
    assert r.status_code == 200, r.text
    assert 'name="csrf_token"' in r.text or path == "report"


def test_the_agents_month_shows_its_days_figures_and_the_absence_event(site):
    r = site.as_("agent1").get(f"{BASE}/mine?month={site.day('absent')[:7]}")
    assert r.status_code == 200
    assert "Li Lei" in r.text and f'id="day-{site.day("absent")}"' in r.text
    row = r.text.split(f'id="day-{site.day("absent")}"')[1].split("</tr>")[0]
    assert "Absent" in row and "Ask to excuse" in row
    assert "-20" in r.text  # the absence's score event


def test_pages_speak_chinese_to_a_chinese_reader(site):
    page = site.as_("supzh").get(f"{BASE}/approvals").text
    assert "待审批" in page or "审批" in page
    mine = site.as_("agent2").get(f"{BASE}/mine?month={site.day('late')[:7]}").text
    assert "迟到" in mine and "Minutes late" not in mine


# ---------------------------------------------------------------- scoping


def test_an_agent_cannot_see_another_agents_month(site):
    assert site.as_("agent1").get(f"{BASE}/agents/1002").status_code == 404
    assert site.as_("agent1").get(f"{BASE}/agents/1001").status_code == 200
    assert site.as_("agent1").get(f"{BASE}/agents/9999").status_code == 404


def test_an_agent_and_a_client_cannot_reach_the_approvals(site):
    assert site.as_("client1").get(f"{BASE}/approvals").status_code == 403
    assert site.as_("agent1").get(f"{BASE}/approvals").status_code == 403
    assert site.as_("client1").get(f"{BASE}/leave").status_code == 403
    assert site.as_("agent1").get(f"{BASE}/report").status_code == 403
    assert site.as_("agent1").get(f"{BASE}/report.xlsx").status_code == 403
    assert site.as_("agent1").get(f"{BASE}/report.pdf").status_code == 403
    assert site.as_("agent1").get(f"{BASE}/handover").status_code == 403


def test_an_agent_asks_leave_only_for_itself(fresh):
    r = fresh.post("agent1", "leave", agent="1002", kind="personal", **{"from": fresh.day("ahead")})
    assert r.status_code == 404
    assert leave_docs(fresh.fw) == []


def test_an_agent_sees_only_its_own_requests(fresh):
    leave.request(fresh.fw, fresh.project, "1002", "personal", {"username": "agent2", "agent": "1002",
                  "roles": ["agent"]}, fresh.day("ahead"))
    own = leave.request(fresh.fw, fresh.project, "1001", "personal", {"username": "agent1", "agent": "1001",
                        "roles": ["agent"]}, fresh.day("ahead"))
    page = fresh.as_("agent1").get(f"{BASE}/leave?month={fresh.day('ahead')[:7]}").text
    assert f"/leave/{own['id']}/cancel" in page and "Han Meimei" not in page
    other = [r for r in leave_docs(fresh.fw) if r["agent"] == "1002"][0]
    assert fresh.post("agent1", f"leave/{other['id']}/cancel").status_code == 404
    assert leave.find(fresh.fw, "alpha", other["id"])[1]["status"] == "pending"


# ---------------------------------------------------------------- leave


def test_leave_asked_then_approved_by_a_supervisor(fresh):
    r = fresh.post("agent1", "leave", kind="personal", note="family", **{"from": fresh.day("ahead")})
    assert r.status_code == 303, r.text
    [doc] = leave_docs(fresh.fw)
    assert (doc["agent"], doc["status"], doc["asked_by"], doc["note"]) == ("1001", "pending", "agent1", "family")
    queue = fresh.as_("sup1").get(f"{BASE}/approvals").text
    assert doc["id"] in queue and "Li Lei" in queue
    r = fresh.post("sup1", "approvals", what="leave", id=doc["id"], decision="approve")
    assert r.status_code == 303
    assert leave.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "approved"


def test_a_refusal_lists_every_reason_in_the_readers_language(fresh):
    typed = {"agent": "1001", "kind": "annual", "from": fresh.day("ahead")}
    r = fresh.post("sup1", "leave", **typed)  # not the person, and a week's notice for annual leave
    assert r.status_code == 422
    reasons = re.search(r'<ul class="req-reasons">(.*?)</ul>', r.text, re.S).group(1)
    assert reasons.count("<li>") >= 2
    assert f'value="{fresh.day("ahead")}"' in r.text  # what was typed is kept
    zh = fresh.post("supzh", "leave", **typed)
    assert zh.status_code == 422
    assert re.search(r'<ul class="req-reasons">(.*?)</ul>', zh.text, re.S).group(1).count("<li>") >= 2
    assert "请" in zh.text or "假" in zh.text
    assert leave_docs(fresh.fw) == []


def test_a_manager_records_an_exception_the_rules_refuse(fresh):
    r = fresh.post("sup1", "leave", agent="1001", kind="annual", exception="hospital, phoned",
                   **{"from": fresh.day("ahead")})
    assert r.status_code == 303, r.text
    [doc] = leave_docs(fresh.fw)
    assert doc["exception"] == "hospital, phoned" and doc["overruled"]
    assert "hospital, phoned" in fresh.as_("sup1").get(f"{BASE}/approvals").text


def test_an_agent_cannot_slip_in_an_exception(fresh):
    r = fresh.post("agent1", "leave", kind="annual", exception="me", **{"from": fresh.day("ahead")})
    assert r.status_code == 422
    assert leave_docs(fresh.fw) == []


def test_leave_approved_after_an_absence_reverses_it(fresh):
    day = fresh.day("absent")
    [absent] = attendance_events(fresh.fw, "1001", day)
    assert absent["rule"] == "absent"
    r = fresh.post("sup1", "leave", agent="1001", kind="sick", exception="in hospital", **{"from": day})
    assert r.status_code == 303, r.text
    [doc] = leave_docs(fresh.fw)
    r = fresh.post("sup1", "approvals", what="leave", id=doc["id"], decision="approve")
    assert r.status_code == 303
    events = attendance_events(fresh.fw, "1001", day)
    assert sum(e["points"] for e in events) == 0
    assert any(e["reverses"] == absent["id"] for e in events)
    page = fresh.as_("agent1").get(f"{BASE}/mine?month={day[:7]}").text
    assert "Reversal" in page and 'class="reversed"' in page


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(fresh):
    fresh.post("agent1", "leave", kind="personal", **{"from": fresh.day("ahead")})
    [doc] = leave_docs(fresh.fw)
    r = fresh.post("sup1", "approvals", what="leave", id=doc["id"], decision="reject", reason="")
    assert r.status_code == 422 and "reason" in r.text
    assert leave.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "pending"
    r = fresh.post("sup1", "approvals", what="leave", id=doc["id"], decision="reject", reason="short-staffed")
    assert r.status_code == 303
    assert leave.find(fresh.fw, "alpha", doc["id"])[1]["reason"] == "short-staffed"


def test_a_team_leader_may_not_approve_leave_and_is_told_who_may(fresh):
    fresh.post("agent1", "leave", kind="personal", **{"from": fresh.day("ahead")})
    [doc] = leave_docs(fresh.fw)
    queue = fresh.as_("tl1").get(f"{BASE}/approvals").text
    assert "Only these may approve it" in queue and "Supervisor" in queue
    r = fresh.post("tl1", "approvals", what="leave", id=doc["id"], decision="approve")
    assert r.status_code == 403  # leave is decided by supervisors (attendance.leave.decide)
    assert leave.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "pending"


def test_an_agent_cancels_its_own_waiting_request(fresh):
    fresh.post("agent1", "leave", kind="personal", **{"from": fresh.day("ahead")})
    [doc] = leave_docs(fresh.fw)
    assert fresh.post("agent1", f"leave/{doc['id']}/cancel").status_code == 303
    assert leave.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "cancelled"
    again = fresh.post("agent1", f"leave/{doc['id']}/cancel")
    assert again.status_code == 422


# ---------------------------------------------------------------- swaps


def test_a_swap_asked_accepted_and_approved_changes_the_roster(fresh):
    a, b = fresh.day("A"), fresh.day("B")
    r = fresh.post("agent1", "swaps", do="ask", date=a, other="1002", other_date=b)
    assert r.status_code == 303, r.text
    [doc] = swaps.waiting(fresh.fw, "alpha")
    assert fresh.post("agent3", "swaps", do="accept", id=doc["id"]).status_code == 404
    assert fresh.post("agent1", "swaps", do="accept", id=doc["id"]).status_code == 422
    assert fresh.post("agent2", "swaps", do="accept", id=doc["id"]).status_code == 303
    assert doc["id"] in fresh.as_("tl1").get(f"{BASE}/approvals").text
    r = fresh.post("tl1", "approvals", what="swap", id=doc["id"], decision="approve", team="day")
    assert r.status_code == 303, r.text
    assert swaps.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "approved"
    assert roster.entry(fresh.fw, "alpha", "1001", b)["shift"] == "D"
    assert roster.entry(fresh.fw, "alpha", "1001", a)["shift"] is None


def test_a_refused_swap_names_every_reason_and_stores_nothing(fresh):
    a = fresh.day("A")
    r = fresh.post("agent1", "swaps", do="ask", date=a, other="1003", other_date=a)
    assert r.status_code == 422
    assert re.search(r'<ul class="req-reasons">(.*?)</ul>', r.text, re.S).group(1).count("<li>") >= 1
    assert swaps.waiting(fresh.fw, "alpha") == []


def test_the_other_agent_declines_and_the_asker_withdraws(fresh):
    a, b = fresh.day("A"), fresh.day("B")
    fresh.post("agent1", "swaps", do="ask", date=a, other="1002", other_date=b)
    [doc] = swaps.waiting(fresh.fw, "alpha")
    assert fresh.post("agent2", "swaps", do="decline", id=doc["id"], reason="busy").status_code == 303
    assert swaps.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "rejected"
    fresh.post("agent1", "swaps", do="ask", date=a, other="1002", other_date=b)
    [doc] = swaps.waiting(fresh.fw, "alpha")
    assert fresh.post("agent1", "swaps", do="withdraw", id=doc["id"]).status_code == 303
    assert swaps.find(fresh.fw, "alpha", doc["id"])[1]["status"] == "cancelled"


# ---------------------------------------------------------------- excuses


def test_an_excuse_asked_by_the_agent_and_accepted_reverses_the_absence(fresh):
    day = fresh.day("absent2")
    r = fresh.post("agent1", "agents/1001/excuse", date=day, reason="train stopped", proof="12306")
    assert r.status_code == 303, r.text
    assert fresh.post("agent1", "agents/1002/excuse", date=fresh.day("late"), reason="x").status_code == 404
    queue = fresh.as_("sup1").get(f"{BASE}/approvals").text
    assert "train stopped" in queue and "12306" in queue
    r = fresh.post("sup1", "approvals", what="excuse", agent="1001", date=day, decision="approve")
    assert r.status_code == 303
    assert sum(e["points"] for e in attendance_events(fresh.fw, "1001", day)) == 0


def test_an_excuse_without_a_reason_is_refused_on_the_page(fresh):
    day = fresh.day("absent2")
    r = fresh.post("agent1", "agents/1001/excuse", date=day, reason="")
    assert r.status_code == 422 and "reason" in r.text
    assert sheet.pending_excuses(sheet.month_rows(fresh.fw, fresh.project, day[:7], agents={"1001"})) == []


# ---------------------------------------------------------------- handover


def test_the_handover_board_shows_missing_logs_and_takes_one(fresh):
    day = fresh.day("late")
    board = fresh.as_("tl1").get(f"{BASE}/handover?from={day}&to={day}")
    assert board.status_code == 200 and "MISSING" in board.text
    assert 'value="1001, 1002"' in board.text and 'value="1003"' in board.text  # from the roster
    r = fresh.post("tl1", "handover", do="write", team="day", date=day, from_shift="D", to_shift="N",
                   outgoing="1001", incoming="1003", equipment="headset 7 broken", cases="", staffing="")
    assert r.status_code == 303, r.text
    [log] = [h for h in fresh.fw.store.table(roster.month_key(fresh.fw, "alpha", day[:7]), "handovers").values()]
    assert log["equipment"] == "headset 7 broken"
    r = fresh.post("sup1", "handover", do="refuse", id=log["id"], reason="")
    assert r.status_code == 422
    assert fresh.post("sup1", "handover", do="accept", id=log["id"]).status_code == 303
    board = fresh.as_("tl1").get(f"{BASE}/handover?from={day}&to={day}").text
    assert "headset 7 broken" in board and "Accepted" in board


def test_a_log_without_equipment_is_refused(fresh):
    day = fresh.day("late")
    r = fresh.post("tl1", "handover", do="write", team="day", date=day, from_shift="D", to_shift="N",
                   outgoing="1001", incoming="1003", equipment="")
    assert r.status_code == 422
    assert fresh.fw.store.table(roster.month_key(fresh.fw, "alpha", day[:7]), "handovers") == {}


def test_a_leader_records_the_deduction_for_a_missing_log(fresh):
    day = fresh.day("late")
    r = fresh.post("tl1", "handover", do="deduct", date=day, agent="1003", from_shift="N", to_shift="D",
                   reason="no log at 01:00")
    assert r.status_code == 303, r.text
    [mark] = [m for m in sheet.marks(fresh.fw, "alpha", day[:7]) if m["kind"] == "handover"]
    assert mark["agent"] == "1003"
    assert any(e["rule"] == "handover_log_missing" for e in fresh.fw.ledger.agent_events("alpha", day[:7], "1003"))
    assert "Deduction recorded for 1003" in fresh.as_("tl1").get(f"{BASE}/handover?from={day}&to={day}").text


# ---------------------------------------------------------------- the monthly report


def test_the_report_shows_agents_teams_and_the_project(site):
    month = site.day("absent")[:7]
    page = site.as_("sup1").get(f"{BASE}/report?month={month}").text
    assert "Li Lei" in page and "Team total" in page and "Project total" in page
    assert f"report.xlsx?month={month}" in page and f"report.pdf?month={month}" in page


def test_a_client_gets_no_attendance_report(fresh):
    """Per-agent lates and hours are the centre's own business: a client reads the report's
    attendance section (teams and rates, no one named) in its client report, not this page."""
    month = fresh.day("absent")[:7]
    for path in ("report", "report.xlsx", "report.pdf"):
        assert fresh.as_("client1").get(f"{BASE}/{path}?month={month}").status_code == 403, path


def test_the_xlsx_opens_and_its_figures_match_the_report(site):
    month = site.day("absent")[:7]
    r = site.as_("sup1").get(f"{BASE}/report.xlsx?month={month}")
    assert r.status_code == 200
    assert r.headers["content-disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(r.content))
    header, *lines = list(book.worksheets[0].iter_rows(values_only=True))
    expected = report.monthly(sheet.month_rows(site.fw, site.project, month),
                              {}, {})["agents"]
    by_number = {line[0]: dict(zip(header, line)) for line in lines if line[0]}
    for agent in expected:
        got = by_number[agent["agent"]]
        assert got["Absent"] == agent["absent"] and got["Days due"] == agent["due"]
        assert got["Minutes late"] == agent["late_minutes"]
    assert by_number["1001"]["Absent"] >= 1
    days = list(book.worksheets[1].iter_rows(values_only=True))
    assert any(d[1] == "1001" and d[0] == site.day("absent") and d[5] == "Absent" for d in days[1:])


def test_the_xlsx_quotes_agent_names_that_look_like_formulas(fresh):
    day = fresh.day("absent")
    for number, name in (("1005", "=1+1"), ("1006", "+1+cmd|calc")):
        fresh.fw.agents.add("alpha", number, name, "setup", team="day", hired="2024-01-02")
        roster.set_entries(fresh.fw, "alpha", [(number, day, "D")], "setup")
    sheet.settle(fresh.fw, fresh.fw.projects.get("alpha"), day[:7], "setup")
    r = fresh.as_("sup1").get(f"{BASE}/report.xlsx?month={day[:7]}")
    book = load_workbook(io.BytesIO(r.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    values = [c.value for c in cells]
    assert values.count("'=1+1") == 2 and values.count("'+1+cmd|calc") == 2  # summary and days
    assert "=1+1" not in values and "+1+cmd|calc" not in values
    assert not [c for c in cells if c.data_type == "f"]


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is installed by scripts/setup --test")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_the_pdf_report_has_the_pages_lines_for_a_supervisor(site):
    month = site.day("absent")[:7]
    r = site.as_("supzh").get(f"{BASE}/report.pdf?month={month}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert f"alpha-attendance-{month}.pdf" in r.headers["content-disposition"]
    text = pdf_text(r.content)
    assert f"考勤月报 {month}" in text and "Li Lei" in text and "1001" in text.split()
    assert "班组合计" in text and "项目合计" in text and "第 1 页" in text


def test_cancelling_approved_leave_of_a_past_day_brings_the_absence_back(fresh):
    day = fresh.day("absent")
    fresh.post("sup1", "leave", agent="1001", kind="sick", exception="in hospital", **{"from": day})
    [doc] = leave_docs(fresh.fw)
    fresh.post("sup1", "approvals", what="leave", id=doc["id"], decision="approve")
    assert sum(e["points"] for e in attendance_events(fresh.fw, "1001", day)) == 0
    assert fresh.post("agent1", f"leave/{doc['id']}/cancel").status_code == 422  # approved: a manager's
    assert fresh.post("sup1", f"leave/{doc['id']}/cancel").status_code == 303
    assert sum(e["points"] for e in attendance_events(fresh.fw, "1001", day)) == -20
