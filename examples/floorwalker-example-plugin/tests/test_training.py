"""The training plugin's tests: copy them with the plugin and change what your plugin does.

Each test builds a tiny company in a temporary folder with the plugin registered by hand
(`make_plugin_manager` + `pm.register`), as the install would load it from its entry point, and
drives it the ways people do: the page through Starlette's test client (signed in, with the
form's CSRF token; a page's template and context first, its HTML for what a person reads), the
command through click's runner, the job by calling it as the server does. The pure rules in
`rules.py` are tested without any data at all.

Run them from this folder with ``pytest`` (Floorwalker installed in the same environment).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

import floorwalker_training as training
from floorwalker.cli import make_cli
from floorwalker.core import translate
from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker_training.rules import FAILED, PASSED, overdue, result_rule, unscored

PASSWORD = "training-pass-7"
HIRED = "2024-01-02"


@pytest.fixture
def pm():
    """The core and this plugin alone: the built-in plugins stay out of the way."""
    pm = make_plugin_manager(builtins=())
    pm.register(training, name="training")
    return pm


@pytest.fixture
def fw(tmp_path, pm):
    """Project shop uses the plugin, hotline does not; a day and a night team in shop."""
    fw = open_floorwalker(tmp_path / "data", pm=pm)
    fw.projects.create("shop", "Acme Shop", "setup", plugins=["training"])
    fw.projects.create("hotline", "Hotline", "setup", plugins=[])
    fw.teams.create("shop", "day", "Day team", "setup")
    fw.teams.create("shop", "night", "Night team", "setup")
    fw.agents.add("shop", "1001", "Li Lei", "setup", team="day", hired=HIRED)
    fw.agents.add("shop", "1002", "Han Meimei", "setup", team="night", hired=HIRED)
    fw.agents.add("hotline", "2001", "Zhao Wei", "setup", hired=HIRED)
    return fw


# The logins of the page tests, made when a test signs in (a password hash takes a moment).
USERS = {"sup": dict(roles=["supervisor"], projects=["shop", "hotline"], locale="en"),
         "lead": dict(roles=["team_leader"], projects=["shop"], teams=["shop.day"], locale="zh_CN"),
         "lilei": dict(roles=["agent"], projects=["shop"], agent="1001", locale="en")}


def signed_in(fw, app, username: str) -> TestClient:
    """A browser signed in as *username*: the sign-in form is posted with its CSRF token."""
    options = dict(USERS[username])
    fw.users.add(username, PASSWORD, options.pop("roles"), "setup", **options)
    client = TestClient(app, follow_redirects=False)
    r = client.post("/login", data={"csrf_token": csrf(client, "/login"), "username": username,
                                    "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def csrf(client: TestClient, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)[1]


def today(fw) -> str:
    return fw.projects.today("shop").isoformat()


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize("score, rule", [(100, PASSED), (95, PASSED), (94, None), (80, None),
                                         (79, FAILED), (0, FAILED)])
def test_a_result_earns_the_bonus_at_the_top_mark_and_the_deduction_below_the_pass_mark(score, rule):
    assert result_rule(score, pass_mark=80, top_mark=95) == rule


def test_sessions_without_a_result_wait_and_are_due_once_their_day_has_passed():
    sessions = [{"date": "2025-03-10", "score": None}, {"date": "2025-03-11", "score": 88},
                {"date": "2025-03-12", "score": None}, {"date": "2025-03-09", "score": None,
                                                        "due": "2025-03-10"}]
    assert unscored(sessions, "2025-03") == [sessions[0], sessions[2], sessions[3]]
    assert overdue(sessions, "2025-03-12") == [sessions[0]]  # today's is not late; one is marked


# ---------------------------------------------------------------- records and the ledger


def test_a_result_scores_on_the_sheet_and_a_corrected_one_reverses_its_event(fw):
    session = training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    training.record_result(fw, "shop", session["id"], 97, "trainer")
    row = next(r for r in fw.ledger.sheet("shop", "2025-03") if r["number"] == "1001")
    assert row["events"][0]["evidence"] == f"training:session:{session['id']}"
    bonus = row["total"]
    training.record_result(fw, "shop", session["id"], 85, "trainer")  # between the marks: nothing
    row = next(r for r in fw.ledger.sheet("shop", "2025-03") if r["number"] == "1001")
    assert row["total"] == bonus - 3


def test_a_month_with_a_session_and_no_result_cannot_close(fw):
    training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    assert [b.plugin for b in fw.periods.blockers("shop", "2025-03")] == ["training"]
    assert fw.periods.blockers("hotline", "2025-03") == []  # the plugin is silent there


def test_a_leaver_keeps_the_sessions_held_and_loses_those_booked_after_the_last_day(fw):
    held = training.schedule(fw, "shop", "1001", "2025-03-10", "Refund policy", "trainer")
    training.schedule(fw, "shop", "1001", "2025-05-06", "Upselling", "trainer")
    fw.agents.leave("1001", "2025-04-30", "resigned", "setup")
    assert [s["id"] for s in training.sessions(fw, "shop")] == [held["id"]]


# ---------------------------------------------------------------- the page


def test_a_supervisor_schedules_a_session_on_the_page(fw):
    sup = signed_in(fw, create_app(fw), "sup")
    page = sup.get("/p/shop/training/")
    assert page.status_code == 200 and page.template.name == "training/sessions.html"
    assert page.context["sessions"] == [] and page.context["can_schedule"]
    assert page.context["agents"] == [("1001", "1001 Li Lei"), ("1002", "1002 Han Meimei")]
    assert "<h1>Training sessions</h1>" in page.text and "No training session yet." in page.text
    assert '<a href="/p/shop/training/"' in sup.get("/p/shop/").text  # in the project's menu
    r = sup.post("/p/shop/training/", data={"csrf_token": csrf(sup, "/p/shop/training/"),
                                            "agent": "1002", "date": today(fw), "topic": "Refunds"})
    assert r.status_code == 303 and r.headers["location"] == "/p/shop/training/"
    assert [(s["agent"], s["topic"]) for s in training.sessions(fw, "shop")] == [("1002", "Refunds")]
    assert "<td>Han Meimei</td>" in sup.get("/p/shop/training/").text


def test_a_refused_value_shows_beside_its_field_and_keeps_what_was_typed(fw):
    sup = signed_in(fw, create_app(fw), "sup")
    r = sup.post("/p/shop/training/", data={"csrf_token": csrf(sup, "/p/shop/training/"),
                                            "agent": "1001", "date": "12/03/2025", "topic": "Refunds"})
    assert r.status_code == 422
    assert r.context["typed"] == {"agent": "1001", "date": "12/03/2025", "topic": "Refunds"}
    assert list(r.context["errors"]) == ["date"]
    assert 'aria-describedby="e-date"' in r.text and "expected a date as YYYY-MM-DD" in r.text
    assert training.sessions(fw, "shop") == []


def test_a_team_leader_schedules_only_the_agents_of_their_team(fw):
    lead = signed_in(fw, create_app(fw), "lead")
    token = csrf(lead, "/p/shop/training/")
    mine = {"csrf_token": token, "agent": "1001", "date": today(fw), "topic": "Refunds"}
    assert lead.post("/p/shop/training/", data=mine).status_code == 303
    assert lead.post("/p/shop/training/", data={**mine, "agent": "1002"}).status_code == 403
    assert [s["agent"] for s in training.sessions(fw, "shop")] == ["1001"]


def test_the_page_answers_only_where_enabled_and_for_the_roles_that_hold_its_action(fw):
    app = create_app(fw)
    assert signed_in(fw, app, "sup").get("/p/hotline/training/").status_code == 404  # not enabled
    assert signed_in(fw, app, "lilei").get("/p/shop/training/").status_code == 403  # an agent's login


def test_the_page_speaks_the_readers_language_from_the_plugins_own_catalog(fw):
    assert translate("Training sessions", "zh_CN") == "培训场次"
    page = signed_in(fw, create_app(fw), "lead").get("/p/shop/training/").text
    assert "<h1>培训场次</h1>" in page and "安排培训" in page


# ---------------------------------------------------------------- the command


def run(fw, pm, *args):
    return CliRunner().invoke(make_cli(pm), ["--data", str(fw.store.root), "--lang", "en", *args])


def test_the_command_lists_a_projects_sessions_of_a_month(fw, pm):
    training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    training.schedule(fw, "shop", "1002", today(fw), "Upselling", "trainer")
    result = run(fw, pm, "training", "list", "--project", "shop", "--month", "2025-03", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(s["agent"], s["topic"]) for s in json.loads(result.output)] == [("1001", "Refund policy")]
    this_month = run(fw, pm, "training", "list", "--project", "shop")  # this month by default
    assert "Upselling" in this_month.output and "Refund policy" not in this_month.output
    assert "employee number" in this_month.output


def test_the_command_refuses_a_project_that_does_not_use_the_plugin(fw, pm):
    result = run(fw, pm, "training", "list", "--project", "hotline")
    assert result.exit_code == 1
    assert result.output == "error: project: hotline does not use the training plugin\n"


# ---------------------------------------------------------------- the job


def test_the_job_marks_sessions_past_their_day_once(fw):
    job = fw.jobs["training.due_results"]
    held = training.schedule(fw, "shop", "1001", "2025-03-10", "Refund policy", "trainer")
    coming = training.schedule(fw, "shop", "1001", "2025-03-20", "Upselling", "trainer")
    shop, now = fw.projects.get("shop"), dt.datetime(2025, 3, 12, 9, 0)
    assert job.run(fw, shop, now) == {"marked": 1}
    assert job.run(fw, shop, now) == {"marked": 0}  # run twice (server and cron): no change
    assert job.run(fw, shop, now + dt.timedelta(hours=1)) == {"marked": 0}
    assert {s["id"]: s.get("due") for s in training.sessions(fw, "shop")} == \
        {held["id"]: "2025-03-12", coming["id"]: None}
    assert "Result due" in signed_in(fw, create_app(fw), "sup").get("/p/shop/training/").text
