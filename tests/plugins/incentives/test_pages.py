"""The incentives pages through the web shell: who sees what, and the forms' round trips."""

import re

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook
from starlette.testclient import TestClient

from floorwalker.core.app import create_app

MONTH = "2025-03"
PASSWORD = "correct-horse-7"
# (username, roles, linked agent)
USERS = [("dir", ["director"], None), ("sup", ["supervisor"], None), ("tl", ["team_leader"], None),
         ("tln", ["team_leader"], None), ("qa1", ["qa"], None), ("client1", ["client"], None),
         ("agent1", ["agent"], "1001")]


@pytest.fixture
def app(fw, score):
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    leads = {"tl": ["acme.day"], "tln": ["acme.night"]}
    fw.users.add_many([fw.users.prepare(name, hashed, roles, ["acme"], name, "en", agent=agent,
                                        teams=leads.get(name, ()))
                       for name, roles, agent in USERS], "setup")
    score("1001", 11)                                   # 91, A, +110
    score("1003", -12)                                  # 68, D, −120
    fw.ledger.record("acme", "1002", "extra_task", "2025-03-04", "tl", points=5, reason="helped")
    return create_app(fw)


def client_of(app, username, lang="en"):
    client = TestClient(app, follow_redirects=False)
    token = csrf(client, "/login")
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    if lang != "en":
        client.post("/language", data={"csrf_token": csrf(client, "/account"), "locale": lang, "next": "/"})
    return client


def csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


URL = "/p/acme/incentives"


def test_the_sheet_shows_grade_and_pay_and_links_every_number(app):
    page = client_of(app, "sup").get(f"{URL}/sheet?month={MONTH}")
    assert page.status_code == 200
    assert 'class="tag grade-A">A<' in page.text and "-¥120" in page.text  # money, one way
    assert page.text.count(f'/p/acme/agents/1001?month={MONTH}') >= 10  # number, every figure, total
    assert "month 1 of employment: floats from month 3" in page.text     # 1004, hired in March


def test_the_sheet_in_chinese(app):
    page = client_of(app, "sup", lang="zh_CN").get(f"{URL}/sheet?month={MONTH}")
    assert "等级与绩效" in page.text and "绩效浮动" in page.text


@pytest.mark.parametrize("user, path, status", [
    ("agent1", "/sheet", 403), ("client1", "/sheet", 403), ("qa1", "/sheet", 200),
    ("client1", "/boards", 403), ("tl", "/close", 403), ("sup", "/close", 200),
    ("tl", "/backtest", 403), ("sup", "/backtest", 200), ("tl", "/record", 200),
    ("client1", "/record", 403), ("tl", "/reversals", 200), ("tl", "/tiers", 200)])
def test_who_reaches_which_page(app, user, path, status):
    assert client_of(app, user).get(f"{URL}{path}?month={MONTH}").status_code == status


def test_the_landing_page_sends_each_reader_to_their_page(app):
    assert client_of(app, "sup").get(f"{URL}/").headers["location"] == f"{URL}/sheet"
    assert client_of(app, "tl").get(f"{URL}/").headers["location"] == f"{URL}/sheet"
    assert client_of(app, "client1").get(f"{URL}/").status_code == 403  # the boards are internal


def test_boards_show_names_to_the_team_only(app):
    own = client_of(app, "tl").get(f"{URL}/boards?month={MONTH}").text     # leads the day team
    assert "Li Lei" in own and "Han Meimei" in own
    assert "Wang Fang" not in own and "Agent #3" in own
    other = client_of(app, "tln").get(f"{URL}/boards?month={MONTH}").text  # leads the night team
    assert "Wang Fang" in other and "Li Lei" not in other
    assert "Li Lei" in client_of(app, "sup").get(f"{URL}/boards?month={MONTH}").text
    assert client_of(app, "client1").get(f"{URL}/boards?month={MONTH}").status_code == 403  # internal


def test_record_form_keeps_input_and_names_the_field(app, fw):
    client = client_of(app, "tl")
    token = csrf(client, f"{URL}/record")
    r = client.post(f"{URL}/record", data={"csrf_token": token, "agent": "1002", "rule": "late_or_early",
                                           "date": "2025-03-12", "points": "-9", "note": "bus"})
    assert r.status_code == 422
    assert "Late, or left early takes -5 to -2, got -9" in r.text and 'value="bus"' in r.text
    r = client.post(f"{URL}/record", data={"csrf_token": token, "agent": "1002", "rule": "late_or_early",
                                           "date": "2025-03-12", "points": "-3", "note": ""})
    assert r.status_code == 422 and "is required" in r.text
    r = client.post(f"{URL}/record", data={"csrf_token": token, "agent": "1002", "rule": "late_or_early",
                                           "date": "2025-03-12", "points": "-3", "note": "bus"})
    assert r.status_code == 303 and r.headers["location"] == f"/p/acme/agents/1002?month={MONTH}&done=recorded"
    (event,) = [e for e in fw.ledger.events("acme", MONTH) if e["rule"] == "late_or_early"]
    assert (event["points"], event["reason"], event["recorded_by"]) == (-3, "bus", "tl")


def test_one_judgement_a_month(app, fw):
    client = client_of(app, "tl")
    token = csrf(client, f"{URL}/record")
    form = {"csrf_token": token, "agent": "1002", "month": MONTH, "points": "4", "note": "steady"}
    assert client.post(f"{URL}/judgement", data=form).status_code == 303
    (event,) = [e for e in fw.ledger.events("acme", MONTH) if e["rule"] == "leader_judgement"]
    assert (event["date"], event["points"]) == ("2025-03-31", 4)
    again = client.post(f"{URL}/judgement", data=form)
    assert again.status_code == 409 and "judgement of the month” for 2025-03" in again.text
    bad = client.post(f"{URL}/judgement", data={**form, "agent": "1004", "points": "6"})
    assert bad.status_code == 422 and "Team leader&#39;s judgement of the month takes -5 to 5, got 6" in bad.text


def test_reversal_request_and_approval_through_the_pages(app, fw):
    event = next(e for e in fw.ledger.events("acme", MONTH) if e["agent"] == "1003")
    leader = client_of(app, "tln")  # 1003's team leader
    assert f"reversals?event={event['id']}" in leader.get(f"/p/acme/agents/1003?month={MONTH}").text
    r = leader.post(f"{URL}/reversals", data={"csrf_token": csrf(leader, f"{URL}/reversals"),
                                              "event": event["id"], "reason": "absence excused"})
    assert r.status_code == 303
    (request,) = fw.store.table(fw.store.plugin_key("acme", "incentives"), "reversal_requests").values()
    assert leader.post(f"{URL}/reversals/{request['id']}/approve",
                       data={"csrf_token": csrf(leader, f"{URL}/reversals")}).status_code == 403
    sup = client_of(app, "sup")
    assert "Reversal requests not yet decided" in sup.get(f"{URL}/close?month={MONTH}").text
    r = sup.post(f"{URL}/reversals/{request['id']}/approve", data={"csrf_token": csrf(sup, f"{URL}/reversals")})
    assert r.status_code == 303
    assert next(r for r in fw.ledger.sheet("acme", MONTH) if r["number"] == "1003")["total"] == 80


def test_closing_needs_the_core_right_and_then_exports_pay(app, fw):
    sup = client_of(app, "sup")
    r = sup.post(f"{URL}/close", data={"csrf_token": csrf(sup, f"{URL}/close?month={MONTH}"), "month": MONTH})
    assert r.status_code == 403 and fw.periods.state("acme", MONTH) == "open"
    assert sup.get(f"{URL}/pay.xlsx?month={MONTH}").status_code == 409
    director = client_of(app, "dir")
    r = director.post(f"{URL}/close", data={"csrf_token": csrf(director, f"{URL}/close?month={MONTH}"),
                                            "month": MONTH})
    assert r.status_code == 303 and fw.periods.state("acme", MONTH) == "closed"
    export = sup.get(f"{URL}/pay.xlsx?month={MONTH}")
    assert export.status_code == 200
    path = fw.store.root.parent / "pay.xlsx"
    path.write_bytes(export.content)
    rows = {r[0]: r for r in list(load_workbook(path).active.values)[1:]}
    assert rows["1001"][6] == 110 and rows["1003"][6] == -120


def test_backtest_page_saves_a_draft_shows_changes_and_publishes(app, fw):
    fw.periods.close("acme", MONTH, "dir")
    sup = client_of(app, "sup")
    token = csrf(sup, f"{URL}/backtest")
    form = {"csrf_token": token, "month": MONTH, "grade_bands.A": "90", "grade_bands.B": "80",
            "grade_bands.C": "70", "grade_bands.D": "65", "grade_bands.E": "60", "pay_pivot": "80",
            "pay_per_point": "20", "pay_cap": "300", "pay_from_month": "3"}
    bad = sup.post(f"{URL}/backtest", data={**form, "grade_bands.A": "50"})
    assert bad.status_code == 422 and "must not be above the one before" in bad.text and 'value="50"' in bad.text
    assert sup.post(f"{URL}/backtest", data=form).status_code == 303
    page = sup.get(f"{URL}/backtest?month={MONTH}").text
    assert "3 of 4 agents change" in page and "Publish from 2025-04" in page
    assert sup.post(f"{URL}/backtest/publish", data={"csrf_token": token}).status_code == 303
    assert fw.projects.settings(fw.projects.get("acme"), "incentives")["pay_per_point"] == 20
    assert "2025-04" in sup.get(f"{URL}/backtest").text


def test_the_project_navigation_offers_incentives_to_all_but_agents(app):
    assert 'href="/p/acme/incentives/"' in client_of(app, "client1").get(f"{URL}/boards").text
    assert 'href="/p/acme/incentives/"' not in client_of(app, "agent1").get("/p/acme/agents/1001").text


def test_an_agent_sees_its_own_grade_and_pay_but_no_reversal_links(app):
    page = client_of(app, "agent1").get(f"/p/acme/agents/1001?month={MONTH}").text
    assert "Grade and pay float" in page and 'class="tag grade-A">A<' in page and "¥110" in page
    assert "incentives/reversals?event=" not in page


def test_a_violation_after_the_best_of_the_month_is_recorded_and_flagged_until_decided(app, fw):
    """The violation happened, so it is recorded; the agent's page says what to do, both sheets
    flag the row, and the month cannot close until the award or the violation is reversed."""
    fw.ledger.record("acme", "1002", "best_of_month", "2025-03-05", "sup", reason="top of the floor")
    tl = client_of(app, "tl", "zh_CN")
    r = tl.post(f"{URL}/record", data={"csrf_token": csrf(tl, f"{URL}/record"), "agent": "1002",
                                       "rule": "late_or_early", "date": "2025-03-12", "points": "-2",
                                       "note": "bus"})
    assert r.status_code == 303
    page = tl.get(r.headers["location"]).text
    assert "1002 已获 2025-03 本月最佳，其后又有违规记录：请在结账前冲销该奖励或该违规。" in page
    assert "holds the best" not in page
    flagged = re.compile(r'<tr class="flagged">\s*<td><a href="/p/acme/agents/(\d+)')
    assert flagged.findall(tl.get(f"/p/acme/scores/{MONTH}").text) == ["1002"]
    sheet = tl.get(f"{URL}/sheet?month={MONTH}").text
    assert sheet.count("本月最佳与违规并存") == 1
    director = client_of(app, "dir")
    close = director.get(f"{URL}/close?month={MONTH}").text
    assert "Best of the month given to an agent with a violation since" in close
    r = director.post(f"{URL}/close", data={"csrf_token": csrf(director, f"{URL}/close?month={MONTH}"),
                                            "month": MONTH})
    assert r.status_code == 409 and fw.periods.state("acme", MONTH) == "open"
    (violation,) = [e for e in fw.ledger.events("acme", MONTH) if e["rule"] == "late_or_early"]
    fw.ledger.reverse(violation["id"], "the bus broke down", "sup", decision=True)
    assert "本月最佳" not in tl.get(f"/p/acme/agents/1002?month={MONTH}").text
    r = director.post(f"{URL}/close", data={"csrf_token": csrf(director, f"{URL}/close?month={MONTH}"),
                                            "month": MONTH})
    assert r.status_code == 303 and r.headers["location"].endswith("&done=closed")
    assert f"{MONTH} is closed." in director.get(r.headers["location"]).text


def test_a_month_waits_for_the_earlier_month_with_data(app, fw, score):
    """Months close in order: February, which has events, holds March until it is closed."""
    score("1001", 3, day="2025-02-10")
    director = client_of(app, "dir")
    close = director.get(f"{URL}/close?month={MONTH}").text
    assert '<a href="/p/acme/periods">2025-02 is still open</a>' in close
    r = director.post(f"{URL}/close", data={"csrf_token": csrf(director, f"{URL}/close?month={MONTH}"),
                                            "month": MONTH})
    assert r.status_code == 409 and fw.periods.state("acme", MONTH) == "open"
    fw.periods.close("acme", "2025-02", "dir")
    assert fw.periods.blockers("acme", MONTH) == []


def test_the_backtest_names_a_dismissal_rule_by_what_it_does(app):
    page = client_of(app, "dir", "zh_CN").get(f"{URL}/backtest").text
    assert "上班睡觉（直接辞退评审）" in page and "上班睡觉（0）" not in page
