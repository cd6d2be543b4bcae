"""Missed-punch requests (补卡申请): an agent asks within the deadline and the monthly limit, its
team leader approves (the punch is added, marked with the approver, and the day settled) or
rejects with a reason, and the agent reads the answer.

The rules are checked at a given moment (`now`) on the company of conftest.py (March 2026,
long past); the pages ask the real clock, so their days are yesterday and the day before.
"""

import datetime as dt
import re

import orjson
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core import Conflict, PeriodClosed, ValidationError
from floorwalker.core.app import create_app
from floorwalker.core.users import hash_password
from floorwalker.plugins import attendance
from floorwalker.plugins.attendance import punch_requests, punches
from floorwalker.plugins.attendance.punch_requests import PunchRequestRules, check_request
from floorwalker.plugins.attendance.requests import Refused

pytestmark = pytest.mark.usefixtures("cheap_hashes")

RULES = PunchRequestRules(days=3, per_month=3)
NOW = dt.datetime(2026, 3, 12, 10, 0)
DAY = dt.date(2026, 3, 10)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def messages(errors, locale="en") -> list[str]:
    return [e.message(locale) for e in errors]


def audit(co, action: str, month: str = "2026-03") -> list[dict]:
    key = co.fw.store.period_key("alpha", "attendance", month)
    return [e for e in co.fw.store.audit_entries(key) if e["action"] == action]


# ---------------------------------------------------------------- the rules, pure


@pytest.mark.parametrize("day, allowed", [
    (dt.date(2026, 3, 12), True), (dt.date(2026, 3, 9), True),  # today; three days back
    (dt.date(2026, 3, 8), False),  # four days back: too late
])
def test_a_request_is_asked_within_the_deadline(day, allowed):
    found = check_request(day, dt.datetime.combine(day, dt.time(8, 0)), NOW, 0, RULES)
    assert (found == []) == allowed
    if not allowed:
        assert messages(found, "zh_CN") == ["你只能在 3 天内申请补卡，2026-03-08 已超过期限。"]


def test_a_punch_still_to_come_cannot_be_asked_for():
    [found] = check_request(NOW.date(), NOW + dt.timedelta(minutes=1), NOW, 0, RULES)
    assert isinstance(found, ValidationError) and "passed" in found.message("en")


@pytest.mark.parametrize("asked, allowed", [(0, True), (2, True), (3, False), (5, False)])
def test_at_most_the_monthly_limit_in_the_first_person(asked, allowed):
    found = check_request(DAY, at("2026-03-10 08:00"), NOW, asked, RULES)
    assert (found == []) == allowed
    if not allowed:
        assert messages(found, "zh_CN") == [f"你本月已申请 {asked} 次补卡，每月最多 3 次。"]
        assert "坐席" not in messages(found, "zh_CN")[0]


def test_the_limit_of_last_month_names_that_month_and_every_broken_rule_is_given():
    found = check_request(dt.date(2026, 2, 20), at("2026-02-20 08:00"), NOW, 3, RULES)
    assert messages(found, "zh_CN") == ["你只能在 3 天内申请补卡，2026-02-20 已超过期限。",
                                        "你在 2026-02 已申请 3 次补卡，每月最多 3 次。"]


@pytest.mark.parametrize("clock, expected", [
    (dt.time(8, 5), "2026-03-10T08:05"), (dt.time(6, 30), "2026-03-10T06:30"),  # window opens 06:00
])
def test_the_time_is_placed_in_the_shifts_punch_window(clock, expected):
    window = (at("2026-03-10 06:00"), at("2026-03-10 19:00"))
    assert punch_requests.placed(DAY, clock, window).isoformat(timespec="minutes") == expected


def test_a_night_shifts_check_out_lands_on_the_next_morning_and_outside_is_refused():
    window = (at("2026-03-10 20:00"), at("2026-03-11 08:00"))
    assert punch_requests.placed(DAY, dt.time(6, 2), window) == at("2026-03-11 06:02")
    with pytest.raises(ValidationError) as err:
        punch_requests.placed(DAY, dt.time(12, 0), window)
    assert err.value.message("zh_CN") == "打卡时间：12:00 不在你 2026-03-10 班次的打卡时段内（20:00–08:00）"


# ---------------------------------------------------------------- asking and deciding


def ask(co, day="2026-03-10", clock="08:12", kind="in", reason="the clock was down",
        agent="1001", now=NOW):
    return punch_requests.ask(co.fw, co.project, agent, day, clock, kind, reason, f"a{agent}", now=now)


@pytest.fixture
def rostered(co):
    """1001 (day team) and 1003 (evening team) on D from 2026-03-02 to 03-13; 1003 on N on
    the 10th. 1001 punched only out on the 10th: no check-in, and the day is settled."""
    cells = [(a, f"2026-03-{d:02d}", "N" if (a, d) == ("1003", 10) else "D")
             for a in ("1001", "1002", "1003") for d in range(2, 14)]
    co.rota(*cells)
    co.punch("1001", "2026-03-10 17:05")
    co.settle("2026-03")
    return co


def test_an_agent_asks_and_the_request_waits(rostered):
    doc = ask(rostered)
    assert (doc["status"], doc["agent"], doc["at"], doc["kind"], doc["asked_by"]) == \
        ("pending", "1001", "2026-03-10T08:12:00", "in", "a1001")
    assert punch_requests.waiting(rostered.fw, "alpha") == [doc]
    assert [e["actor"] for e in audit(rostered, "attendance.punch_request.ask")] == ["a1001"]


def test_a_night_shifts_check_out_is_asked_on_the_shifts_day(rostered):
    doc = ask(rostered, clock="06:01", kind="out", agent="1003")
    assert doc["date"] == "2026-03-10" and doc["at"] == "2026-03-11T06:01:00"


@pytest.mark.parametrize("changes, field", [
    ({"reason": "  "}, "reason"), ({"kind": "lunch"}, "punch"), ({"clock": "8 o'clock"}, "time"),
    ({"day": "2026-03-14"}, "date"),  # no shift rostered that day
    ({"clock": "23:00"}, "time"),  # outside the day shift's punch window
])
def test_a_bad_request_names_its_field(rostered, changes, field):
    with pytest.raises(ValidationError) as err:
        ask(rostered, **changes)
    assert err.value.field == field
    assert punch_requests.waiting(rostered.fw, "alpha") == []


def test_the_fourth_request_of_a_month_is_refused_and_a_rejected_one_does_not_count(rostered):
    first = ask(rostered, day="2026-03-09")
    ask(rostered, day="2026-03-10")
    ask(rostered, day="2026-03-11", clock="08:01")
    with pytest.raises(Refused) as err:
        ask(rostered, day="2026-03-12", clock="08:01")
    assert [r.message("zh_CN") for r in err.value.reasons] == ["你本月已申请 3 次补卡，每月最多 3 次。"]
    punch_requests.decide(rostered.fw, rostered.project, first["id"], False, "tl_day", "you were on leave")
    assert ask(rostered, day="2026-03-12", clock="08:01")["status"] == "pending"


def test_the_limit_and_deadline_are_the_projects_settings(rostered):
    rostered.configure(punch_requests_per_month=1, punch_request_days=1)
    with pytest.raises(Refused) as err:
        ask(rostered, day="2026-03-10")  # two days before NOW
    assert "within 1 days" in err.value.message("en")
    ask(rostered, day="2026-03-11")
    with pytest.raises(Refused):
        ask(rostered, day="2026-03-12", clock="08:00")


def test_the_same_punch_is_not_asked_for_twice(rostered):
    ask(rostered)
    with pytest.raises(Conflict):
        ask(rostered, clock="08:20")


def test_approval_adds_the_punch_marked_with_the_approver_and_settles_a_late_arrival(rostered):
    fw = rostered.fw
    fw.users.add("tl_day", "a-long-password-1", ["team_leader"], "setup", name="Zhou Li",
                 projects=["alpha"], teams=["alpha.day"])
    def on_the_10th():
        return [e[:2] for e in rostered.active("1001", "2026-03") if e[2] == "2026-03-10"]

    assert on_the_10th() == []  # present (the check-out), nothing known to be late
    before = next(r for r in fw.ledger.sheet("alpha", "2026-03") if r["number"] == "1001")
    doc = punch_requests.decide(fw, rostered.project, ask(rostered)["id"], True, "tl_day")
    assert (doc["status"], doc["decided_by"], doc["decided_by_name"]) == ("approved", "tl_day", "Zhou Li")
    [punch] = [p for p in punches.punches(fw, "alpha", "2026-03") if p["id"] == doc["punch"]]
    assert (punch["at"], punch["manual"], punch["approved_by"], punch["approver"], punch["note"]) == \
        ("2026-03-10T08:12:00", True, "tl_day", "Zhou Li", "the clock was down")
    row = rostered.row("1001", "2026-03-10")
    assert (row["status"], row["late"], row["missing_punch"]) == ("present", 12, None)
    # settled at once, as a manual punch is: the lateness is on the score sheet
    assert on_the_10th() == [("late_or_early", -4)]  # 12 minutes: the 11–19 band
    after = next(r for r in fw.ledger.sheet("alpha", "2026-03") if r["number"] == "1001")
    assert after["total"] == before["total"] - 4
    assert punch_requests.approved_by_day(fw, "alpha", "2026-03")[("1001", "2026-03-10")] == [
        {"at": "2026-03-10T08:12:00", "kind": "in", "approved_by": "tl_day", "approver": "Zhou Li"}]


def test_a_rejection_needs_a_reason_adds_nothing_and_is_decided_once(rostered):
    doc = ask(rostered)
    with pytest.raises(ValidationError):
        punch_requests.decide(rostered.fw, rostered.project, doc["id"], False, "tl_day", "")
    done = punch_requests.decide(rostered.fw, rostered.project, doc["id"], False, "tl_day",
                                 "the camera shows you at 09:00")
    assert (done["status"], done["rejection"], done["decided_by_name"]) == \
        ("rejected", "the camera shows you at 09:00", "tl_day")
    assert len(punches.punches(rostered.fw, "alpha", "2026-03")) == 1
    with pytest.raises(Conflict):
        punch_requests.decide(rostered.fw, rostered.project, doc["id"], True, "tl_day")


def test_the_agent_withdraws_its_waiting_request(rostered):
    doc = ask(rostered)
    done = punch_requests.withdraw(rostered.fw, rostered.project, doc["id"], rostered.agent("1001"))
    assert done["status"] == "cancelled" and punch_requests.waiting(rostered.fw, "alpha") == []


def test_a_closed_month_takes_no_request(rostered):
    rostered.fw.periods.close("alpha", "2026-02", "sup")
    with pytest.raises(PeriodClosed):
        ask(rostered, day="2026-02-27", now=dt.datetime(2026, 3, 1, 9, 0))


def test_the_waiting_count_goes_to_the_agents_team_leader(rostered):
    ask(rostered)  # 1001, day team
    ask(rostered, agent="1003", clock="06:01", kind="out")  # evening team
    fw, project = rostered.fw, rostered.project

    def count(user):
        return sum(w.count for w in attendance.waiting_items(floorwalker=fw, project=project, user=user)
                   if w.title_en == "Missed-punch requests to approve")

    assert (count(rostered.tl_day), count(rostered.tl_eve), count(rostered.sup)) == (1, 1, 2)
    assert count(rostered.agent("1001")) == 0
    blockers = [b for b in attendance.period_blockers(floorwalker=fw, project=project, period="2026-03")
                if "Missed-punch" in b.title_en]
    assert [b.count for b in blockers] == [2]


# ---------------------------------------------------------------- the pages

PASSWORD = "correct-horse-7"
BASE = "/p/alpha/attendance"


class Site:
    """The company with logins, a day shift yesterday and the day before (1001 punched only
    out), and the app; `post` sends a form with the user's CSRF token."""

    def __init__(self, co):
        self.co, self.fw = co, co.fw
        today = self.fw.projects.today("alpha")
        self.day = (today - dt.timedelta(days=1)).isoformat()
        self.day_before = (today - dt.timedelta(days=2)).isoformat()
        co.rota(*[(a, d, "D") for a in ("1001", "1002", "1003") for d in (self.day, self.day_before)])
        co.punch("1001", f"{self.day} 17:05")
        hashed = hash_password(PASSWORD)
        self.fw.users.add_many([
            self.fw.users.prepare("agent1", hashed, ["agent"], ["alpha"], "Li", "en", agent="1001"),
            self.fw.users.prepare("agent3", hashed, ["agent"], ["alpha"], "Wang", "zh_CN", agent="1003"),
            self.fw.users.prepare("tl_day", hashed, ["team_leader"], ["alpha"], "Zhou Li", "en",
                                  teams=["alpha.day"]),
            self.fw.users.prepare("tl_eve", hashed, ["team_leader"], ["alpha"], "Evening TL", "en",
                                  teams=["alpha.eve"]),
        ], "setup")
        self.app = create_app(self.fw)
        self.clients, self.tokens = {}, {}

    def as_(self, username: str) -> TestClient:
        if username not in self.clients:
            c = TestClient(self.app, follow_redirects=False, client=(f"10.9.0.{len(self.clients) + 1}", 4000))
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
            assert c.post("/login", data={"csrf_token": token, "username": username,
                                          "password": PASSWORD}).status_code == 303
            self.tokens[username] = re.search(r'name="csrf_token" value="([^"]+)"',
                                              c.get("/account").text).group(1)
            self.clients[username] = c
        return self.clients[username]

    def post(self, username: str, path: str, **data):
        c = self.as_(username)
        return c.post(f"{BASE}/{path}", data={"csrf_token": self.tokens[username], **data})

    def ask(self, username="agent1", **fields):
        form = {"do": "ask", "date": self.day, "time": "08:12", "kind": "in", "reason": "card left at home"}
        return self.post(username, "punch-requests", **{**form, **fields})


@pytest.fixture
def site(co):
    return Site(co)


def test_an_agent_asks_on_its_page_and_the_leader_approves_in_the_queue(site):
    page = site.as_("agent1").get(f"{BASE}/punch-requests")
    assert page.status_code == 200 and 'type="time"' in page.text and "Ask for a missed punch" in page.text
    assert site.ask().status_code == 303
    [doc] = punch_requests.waiting(site.fw, "alpha")
    assert doc["agent"] == "1001" and doc["asked_by"] == "agent1"
    # the leader's navigation counts it, the approvals page lists it with the decision
    queue = site.as_("tl_day").get(f"{BASE}/approvals").text
    assert "Waiting for me" in queue and f'name="id" value="{doc["id"]}"' in queue
    r = site.post("tl_day", "punch-requests/decide", id=doc["id"], decision="approve", back="approvals")
    assert r.status_code == 303 and r.headers["location"].startswith(f"{BASE}/approvals?done=punch-approved")
    # the punch page shows who approved, the day is late and on the ledger
    punches_page = site.as_("tl_day").get(f"{BASE}/punches?date={site.day}&agent=1001").text
    assert "approved by Zhou Li" in punches_page
    assert site.co.row("1001", site.day, now=dt.datetime.now() + dt.timedelta(days=1))["late"] == 12
    events = [e for e in site.fw.ledger.agent_events("alpha", site.day[:7], "1001")
              if e["date"] == site.day and not e["reverses"]]
    assert [e["rule"] for e in events] == ["late_or_early"]
    # the agent reads the answer
    mine = site.as_("agent1").get(f"{BASE}/punch-requests?month={site.day[:7]}").text
    assert "Approved" in mine and "Approved by Zhou Li" in mine


def test_another_teams_leader_is_refused_and_a_rejection_reaches_the_agent(site):
    site.ask()
    [doc] = punch_requests.waiting(site.fw, "alpha")
    r = site.post("tl_eve", "punch-requests/decide", id=doc["id"], decision="approve")
    assert r.status_code == 403
    assert "/decide" not in site.as_("tl_eve").get(f"{BASE}/approvals").text
    r = site.post("tl_day", "punch-requests/decide", id=doc["id"], decision="reject", back="approvals")
    assert r.status_code == 422 and "say why the request is rejected" in r.text
    r = site.post("tl_day", "punch-requests/decide", id=doc["id"], decision="reject",
                  reason="you came in at 09:00")
    assert r.status_code == 303
    mine = site.as_("agent1").get(f"{BASE}/punch-requests?month={site.day[:7]}").text
    assert "Rejected by Zhou Li" in mine and "you came in at 09:00" in mine
    assert len(punches.punches(site.fw, "alpha", site.day[:7])) == 1


def test_an_agent_sees_only_its_own_requests_and_withdraws_only_its_own(site):
    site.ask()
    other = punch_requests.ask(site.fw, site.co.project, "1003", site.day, "08:00", "in", "forgot",
                               "agent3")
    page = site.as_("agent1").get(f"{BASE}/punch-requests?month={site.day[:7]}").text
    assert "card left at home" in page and "forgot" not in page
    assert site.post("agent1", "punch-requests", do="withdraw", id=other["id"]).status_code == 404
    assert punch_requests.find(site.fw, "alpha", other["id"])[1]["status"] == "pending"


def test_the_limit_is_refused_in_the_agents_language_and_what_was_typed_is_kept(site):
    site.co.configure(punch_requests_per_month=1)
    assert site.ask("agent3").status_code == 303
    r = site.ask("agent3", date=site.day_before, reason="打卡机坏了")
    assert r.status_code == 422
    assert re.search(r"你(本月|在 \d{4}-\d\d )已申请 1 次补卡，每月最多 1 次", r.text)
    assert "坐席" not in re.search(r'<ul class="req-reasons">(.*?)</ul>', r.text, re.S).group(1)
    assert 'value="打卡机坏了"' in r.text


def test_a_leader_without_an_agent_record_cannot_ask(site):
    r = site.post("tl_day", "punch-requests", do="ask", date=site.day, time="08:00", kind="in",
                  reason="x")
    assert r.status_code == 422 and "only an agent asks for its own missed punch" in r.text
    assert punch_requests.waiting(site.fw, "alpha") == []


def test_the_agents_page_speaks_chinese_with_the_tab_next_to_leave_and_swaps(site):
    page = site.as_("agent3").get(f"{BASE}/punch-requests").text
    tabs = re.search(r'<nav class="att-tabs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r">([^<>]+)</a>", tabs)[-3:] == ["请假", "换班", "补卡"]
    assert "申请补卡" in page and "上班打卡" in page and "Missed" not in page


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli(site):
    """``cli(*args, as_=…, lang=…)``: the command line on the site's data folder."""
    runner = CliRunner()
    command = make_cli(site.fw.pm)

    def run(*args, as_="tl_day", lang="en"):
        result = runner.invoke(command, ["--data", str(site.fw.store.root), "--lang", lang,
                                         "--as", as_, "attendance", *args])
        assert "Traceback" not in result.output
        return result
    return run


def test_the_command_line_asks_lists_approves_and_the_days_show_the_approver(site, cli):
    asked = cli("punch-request", "--project", "alpha", "--agent", "1001", "--date", site.day,
                "--time", "08:12", "--kind", "in", "--reason", "card at home", as_="agent1")
    assert asked.exit_code == 0, asked.output
    [doc] = punch_requests.waiting(site.fw, "alpha")
    assert doc["id"] in asked.output and doc["asked_by"] == "agent1"
    listed = orjson.loads(cli("punch-requests", "--project", "alpha", "--month", site.day[:7],
                              "--format", "json").output)
    assert [(r["id"], r["status"], r["kind"]) for r in listed] == [(doc["id"], "pending", "in")]
    approved = cli("punch-approve", "--project", "alpha", doc["id"])
    assert approved.exit_code == 0 and "approved" in approved.output
    days = orjson.loads(cli("days", "--project", "alpha", "--month", site.day[:7], "--agent", "1001",
                            "--format", "json").output)
    [day] = [d for d in days if d["date"] == site.day]
    assert day["late"] == 12
    assert day["approved_punches"] == [{"at": f"{site.day}T08:12:00", "kind": "in",
                                        "approved_by": "tl_day", "approver": "Zhou Li"}]


def test_the_command_line_rejects_with_a_reason_and_refuses_in_chinese(site, cli):
    doc = punch_requests.ask(site.fw, site.co.project, "1001", site.day, "08:12", "in", "forgot",
                             "agent1")
    assert cli("punch-reject", "--project", "alpha", doc["id"]).exit_code != 0  # --reason missing
    assert cli("punch-reject", "--project", "alpha", doc["id"], "--reason", "seen at 09:00").exit_code == 0
    table = cli("punch-requests", "--project", "alpha", "--month", site.day[:7], lang="zh_CN").output
    assert "已驳回" in table and "seen at 09:00" in table and "Zhou Li" in table
    old = (dt.date.fromisoformat(site.day) - dt.timedelta(days=5)).isoformat()
    site.co.rota(("1001", old, "D"))
    refused = cli("punch-request", "--project", "alpha", "--agent", "1001", "--date", old, "--time",
                  "08:00", "--kind", "in", "--reason", "forgot", lang="zh_CN")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"错误：申请未通过：你只能在 3 天内申请补卡，{old} 已超过期限。"
