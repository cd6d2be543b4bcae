"""What the acceptance walk of issue 11 found in attendance, fixed: work waits where its owner
sees it (a team leader's swaps, exceptions and handovers), the punch page is a leader's team
with forms only where they may write, stored reasons and job types read in the reader's language,
the dashboard's figures open their lists, and Chinese labels take a full-width colon."""

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
from floorwalker.plugins import attendance
from floorwalker.plugins.attendance import handover, punches, roster, sheet, waiting
from floorwalker.plugins.attendance.requests import leave_title
from floorwalker.plugins.attendance.swaps import SWAPS

from ...pgcluster import store_for

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "correct-horse-7"
NOW = dt.datetime(2026, 10, 12, 10, 30)
URL = "/p/alpha/attendance"
USERS = {"tl_day": (["team_leader"], "en", ["alpha.day"]), "tl_night": (["team_leader"], "zh_CN", ["alpha.night"]),
         "sup": (["supervisor"], "zh_CN", []), "sup_en": (["supervisor"], "en", []),
         "client": (["client"], "en", [])}


@pytest.fixture(autouse=True)
def floor_clock(monkeypatch):
    monkeypatch.setattr(Projects, "now", lambda self, project: NOW)


class NoSync(FileOps):
    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, folder) -> None:
        pass


@pytest.fixture
def fw(tmp_path):
    """Two teams: the day team's 1001 has no check-out on 10-09 (an exception), 1002 came in 14
    minutes late that day; the night team hands over from night to night."""
    fw = Floorwalker(store_for(tmp_path, fs=NoSync()), make_plugin_manager(builtins=["attendance"]))
    fw.projects.create("alpha", "Alpha Bank", "setup", plugins=["attendance"])
    fw.teams.create("alpha", "day", "Day team", "setup")
    fw.teams.create("alpha", "night", "Night team", "setup")
    for number, name, team in (("1001", "Li Lei", "day"), ("1002", "Han Meimei", "day"),
                               ("1003", "Wang Fang", "night")):
        fw.agents.add("alpha", number, name, "setup", team=team, hired="2026-01-05")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00", job_type="chat"), "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("N", "Night", "21:00", "06:00"), "setup")
    roster.set_pattern(fw, "alpha", "day", ["D", "D", "D", "D", "D", None, None], "setup")
    roster.set_pattern(fw, "alpha", "night", ["N"] * 7, "setup")
    for team in ("day", "night"):
        roster.apply_pattern(fw, "alpha", team, "2026-10-01", "2026-10-31", "setup")
    at = dt.datetime
    punches.store_punches(fw, "alpha", [
        punches.punch_doc("1001", at(2026, 10, 9, 7, 50), "import"),
        punches.punch_doc("1002", at(2026, 10, 9, 8, 14), "import"),
        punches.punch_doc("1002", at(2026, 10, 9, 17, 2), "import"),
        punches.punch_doc("1003", at(2026, 10, 9, 20, 45), "import"),
        punches.punch_doc("1003", at(2026, 10, 10, 6, 3), "import"),
    ], "setup")
    hashed = hash_password(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, roles, ["alpha"], name, locale, teams=teams)
                       for name, (roles, locale, teams) in USERS.items()], "setup")
    return fw


def login(fw, username: str) -> TestClient:
    client = TestClient(create_app(fw), follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def waiting_for(fw, username: str) -> dict[str, tuple[int, str]]:
    user = fw.users.get(username)
    return {w.title_en: (w.count, w.url) for w in waiting.items(fw, fw.projects.get("alpha"), user)}


def accepted_swap(fw, teams: list[str]) -> None:
    """A swap both agents accepted, waiting for the team leaders of *teams*."""
    with fw.store.transaction(roster.month_key(fw, "alpha", "2026-10"), "setup", "test") as tx:
        tx.insert(SWAPS, {"id": "s1", "date": "2026-10-20", "status": "accepted", "teams": teams,
                          "approvals": {}, "first": {"agent": "1001", "date": "2026-10-20", "shift": "D"},
                          "second": {"agent": "1003", "date": "2026-10-20", "shift": "N"}})


# ---------------------------------------------------------------- work waits where its owner sees it


def test_a_team_leader_is_told_of_the_swap_side_and_the_exceptions_of_their_team(fw):
    accepted_swap(fw, ["day", "night"])
    day = waiting_for(fw, "tl_day")
    assert day["Swaps to approve"] == (1, f"{URL}/approvals")
    assert day["Punch exceptions to resolve"] == (1, f"{URL}/exceptions?month=2026-10")
    night = waiting_for(fw, "tl_night")
    assert night["Swaps to approve"][0] == 1 and "Punch exceptions to resolve" not in night
    # the supervisor sees every team's exceptions, and both sides of the swap
    sup = waiting_for(fw, "sup")
    assert sup["Punch exceptions to resolve"][0] == 1 and sup["Swaps to approve"][0] == 2
    # once the day team's side is approved it no longer waits for its leader
    with fw.store.transaction(roster.month_key(fw, "alpha", "2026-10"), "setup", "test") as tx:
        tx.update(SWAPS, "s1", {"approvals": {"day": "tl_day"}})
    assert "Swaps to approve" not in waiting_for(fw, "tl_day")
    # a resolved exception stops waiting
    sheet.resolve_exception(fw, fw.projects.get("alpha"), "1001", "2026-10-09", "was here until 17:00",
                            fw.users.get("tl_day"))
    assert "Punch exceptions to resolve" not in waiting_for(fw, "tl_day")


def test_nothing_waits_for_the_supervisor_once_the_exception_is_resolved(fw):
    project = fw.projects.get("alpha")
    sheet.resolve_exception(fw, project, "1001", "2026-10-09", "checked", fw.users.get("sup"))
    assert waiting_for(fw, "sup") == {}


def test_handover_logs_missing_and_to_accept_wait_for_the_team_leader(fw):
    night = waiting_for(fw, "tl_night")
    # the night of the 11th handed over at 06:00 today without a log; tonight's is still ahead
    assert night["Handover logs missing"] == (1, f"{URL}/handover")
    assert "Handover logs missing" not in waiting_for(fw, "tl_day")  # one shift: no change
    assert "Handover logs missing" not in waiting_for(fw, "sup")  # the leaders' work
    handover.write_log(fw, "alpha", fw.users.get("sup"), "night", "2026-10-11", "N", "N",
                       "Wang Fang", "Wang Fang", "headsets fine")
    night = waiting_for(fw, "tl_night")
    assert "Handover logs missing" not in night and night["Handover logs to accept"][0] == 1


def test_the_team_leaders_home_and_navigation_count_what_waits(fw):
    accepted_swap(fw, ["day"])
    client = login(fw, "tl_day")
    home = client.get("/").text
    assert "Punch exceptions to resolve" in home and f'href="{URL}/exceptions?month=2026-10"' in home
    assert "Swaps to approve" in home
    nav = client.get(f"{URL}/roster").text
    assert re.search(r'Waiting for me <span class="tag warn">2</span>', nav)


# ---------------------------------------------------------------- the punch page of a team leader


def test_the_punch_page_opens_on_the_leaders_team_with_forms_only_for_their_agents(fw):
    client = login(fw, "tl_day")
    own = client.get(f"{URL}/punches?date=2026-10-09")
    assert own.status_code == 200
    rows = own.context["rows"]
    assert {r["agent"] for r in rows} == {"1001", "1002"} and own.context["writable"] == ["1001", "1002"]
    assert 'value="correct"' in own.text
    wide = client.get(f"{URL}/punches?date=2026-10-09&team=all")
    assert {r["agent"] for r in wide.context["rows"]} == {"1001", "1002", "1003"}
    assert wide.context["writable"] == ["1001", "1002"]
    # the add form offers only the leader's agents; 1003's punches have no correct/void form
    add_form = wide.text.split('id="add-punch"', 1)[1]
    assert 'value="1001"' in add_form and 'value="1003"' not in add_form
    assert wide.text.count('name="do" value="correct"') == 3  # 1001's one punch, 1002's two
    other = client.get(f"{URL}/punches?date=2026-10-09&agent=1003")
    assert other.context["writable"] == [] and 'id="add-punch"' not in other.text
    # the supervisor writes for every agent
    sup = login(fw, "sup_en").get(f"{URL}/punches?date=2026-10-09")
    assert sup.context["writable"] == ["1001", "1002", "1003"]


def test_the_exceptions_page_opens_on_the_leaders_team(fw):
    client = login(fw, "tl_night")
    assert login(fw, "tl_day").get(f"{URL}/exceptions?month=2026-10").context["open"][0]["agent"] == "1001"
    assert client.get(f"{URL}/exceptions?month=2026-10").context["open"] == []
    assert len(client.get(f"{URL}/exceptions?month=2026-10&team=all").context["open"]) == 1


# ---------------------------------------------------------------- the reader's language


def test_the_agents_month_reads_its_attendance_reasons_in_chinese(fw):
    sheet.settle(fw, fw.projects.get("alpha"), "2026-10", "setup", now=NOW)
    page = login(fw, "sup").get(f"{URL}/agents/1002?month=2026-10").text
    events = page.split('id="events"', 1)[1].split("</section>", 1)[0]
    assert "迟到 14 分钟" in events and "late 14 min" not in events


def test_the_shift_types_show_job_types_by_title_in_both_languages(fw):
    zh = login(fw, "sup").get(f"{URL}/shifts").text
    assert "<td>在线</td>" in zh and "<td>语音</td>" in zh and "<td>chat</td>" not in zh
    en = login(fw, "sup_en").get(f"{URL}/shifts").text
    assert "<td>Chat</td>" in en and '<option value="chat" selected>Chat</option>' not in en


def test_chinese_labels_take_a_full_width_colon_and_leave_kinds_are_titles(fw):
    handover.write_log(fw, "alpha", fw.users.get("tl_night"), "night", "2026-10-11", "N", "N",
                       "王芳", "王芳", "耳麦正常")
    page = login(fw, "sup").get(f"{URL}/handover?from=2026-10-11&to=2026-10-12").text
    assert "：耳麦正常" in page
    assert ": 耳麦正常" not in page
    assert leave_title("personal") == "Personal leave"


def test_the_continuous_work_flag_is_titled_as_what_it_measures(fw):
    page = login(fw, "sup_en").get(f"{URL}/exceptions?month=2026-10").text
    assert "worked over 8 hours" in page and "without a break" not in page


# ---------------------------------------------------------------- the dashboard's figures


def test_the_dashboards_attendance_figures_open_their_lists_for_who_may_follow(fw):
    project = fw.projects.get("alpha")

    def links(username):
        (widget,) = attendance.dashboard_widgets(floorwalker=fw, project=project, period="2026-10",
                                                 user=fw.users.get(username))
        return {k: widget.context[k] for k in ("url", "report", "exceptions")}

    assert links("sup") == {"url": f"{URL}/", "report": f"{URL}/report?month=2026-10",
                            "exceptions": f"{URL}/exceptions?month=2026-10"}
    # the attendance report names agents' lates and hours: not the client's (issue 16's walk)
    assert links("client") == {"url": None, "report": None, "exceptions": None}
    page = login(fw, "sup_en").get("/p/alpha/").text
    assert f'href="{URL}/?state=' in page and f'href="{URL}/exceptions?month=' in page
    # the floor filtered by a state lists only those agents
    floor = login(fw, "sup_en").get(f"{URL}/?state=not_in")
    assert {r["agent"] for t in floor.context["teams"] for r in t["rows"]} == {"1001", "1002"}
