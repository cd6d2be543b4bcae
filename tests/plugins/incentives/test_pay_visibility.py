"""Pay is seen by those who should: an agent its own, a team leader its team's scores and grades
(not pay), supervisors, directors and admins everything, a client never — on every page that
shows a pay float, its total, a ¥ reward or a link to the pay export."""

import re

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from floorwalker.core import KPIDef
from floorwalker.core.app import create_app

MONTH = "2025-03"
PASSWORD = "correct-horse-7"
URL = "/p/acme/incentives"
# (username, roles, linked agent, teams led)
USERS = [("sup", ["supervisor"], None, ()), ("tl", ["team_leader"], None, ("acme.day",)),
         ("qa1", ["qa"], None, ()), ("client1", ["client"], None, ()),
         ("agent1", ["agent"], "1001", ())]
REWARDS = [{"title": "High score", "metric": "total", "steps": [[90, 100]]}]


@pytest.fixture
def app(fw, score):
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, roles, ["acme"], name, "en", agent=agent,
                                        teams=teams) for name, roles, agent, teams in USERS], "setup")
    fw.projects.configure("acme", "incentives", {"stepped_rewards": REWARDS}, "setup")
    score("1001", 11)    # 91, A, pay float +110, earns the ¥100 reward
    score("1003", -12)   # 68, D, pay float −120
    return create_app(fw)


@pytest.fixture
def sign_in(app):
    def signed_in(username):
        client = TestClient(app, follow_redirects=False)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
        assert r.status_code == 303, r.text
        return client
    return signed_in


PAY_WORDS = ("Pay float", "¥", "Stepped rewards", "High score")


def assert_no_pay(text):
    for word in PAY_WORDS:
        assert word not in text, word


# ---------------------------------------------------------------- the agent


def test_an_agent_sees_its_own_pay_float_on_its_own_month(sign_in):
    page = sign_in("agent1").get(f"/p/acme/agents/1001?month={MONTH}")
    assert page.status_code == 200
    assert "Pay float" in page.text and "110" in page.text


def test_an_agent_never_sees_others_pay(sign_in):
    agent = sign_in("agent1")
    assert agent.get(f"/p/acme/agents/1003?month={MONTH}").status_code == 404
    for path in (f"/p/acme/scores/{MONTH}", f"/p/acme/scores/{MONTH}/export.csv", f"{URL}/sheet",
                 f"{URL}/boards", f"{URL}/pay.xlsx?month={MONTH}", "/p/acme/"):
        assert agent.get(path).status_code == 403, path


def test_an_agents_home_shows_its_own_pay_float_and_no_project_pay_nor_grade_counts(sign_in):
    home = sign_in("agent1").get("/")
    assert home.status_code == 200 and "My month" in home.text
    assert "Pay float total" not in home.text and "Agents graded" not in home.text
    [own] = [w for card in home.context["cards"] for w in card["panels"] if w.plugin == "incentives"]
    assert own.context["pay_float"] == 0  # its own, of this month (its events are in MONTH)
    assert home.text.count("¥") == 1  # that one figure, no other


# ---------------------------------------------------------------- the client


def test_a_clients_dashboard_and_home_show_no_pay_kpi(sign_in):
    client = sign_in("client1")
    for path in (f"/p/acme/?month={MONTH}", "/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_no_pay(page.text)
        assert "Agents graded" not in page.text  # grades are the BPO's own too
        assert "Average score" not in page.text  # and so are the scores (issue 16's walk)


def test_a_client_gets_no_boards(sign_in):
    # the ranking and 红花绿叶榜 carry deductions and their reasons: the BPO's own
    client = sign_in("client1")
    assert client.get(f"{URL}/boards?month={MONTH}").status_code == 403
    assert client.get(f"{URL}/").status_code == 403


def test_a_client_gets_no_sheet_and_no_link_to_it(sign_in):
    client = sign_in("client1")
    for path in (f"/p/acme/scores/{MONTH}", f"/p/acme/scores/{MONTH}/export.xlsx",
                 f"{URL}/sheet", f"{URL}/pay.xlsx?month={MONTH}", "/p/acme/agents/1001"):
        assert client.get(path).status_code == 403, path


# ---------------------------------------------------------------- the team leader


def test_a_team_leaders_score_sheet_has_grades_but_no_pay_float(sign_in):
    page = sign_in("tl").get(f"/p/acme/scores/{MONTH}")
    assert page.status_code == 200
    keys = [c["key"] for c in page.context["columns"]]
    assert "grade" in keys and "total" in keys and "pay_float" not in keys
    assert "Pay float" not in page.text and "Grade" in page.text


def test_a_team_leaders_export_leaves_the_pay_float_out(fw, sign_in):
    fw.access.set_roles("acme", "scores.export", ["supervisor", "team_leader"], "setup")
    csv = sign_in("tl").get(f"/p/acme/scores/{MONTH}/export.csv")
    assert csv.status_code == 200
    header = csv.text.splitlines()[0]
    assert "Grade" in header and "Pay float" not in header


def test_a_team_leaders_incentives_pages_show_grades_not_pay(sign_in):
    tl = sign_in("tl")
    sheet = tl.get(f"{URL}/sheet?month={MONTH}")
    assert sheet.status_code == 200 and 'class="tag grade-A">A<' in sheet.text
    assert "Pay float" not in sheet.text and "¥" not in sheet.text
    boards = tl.get(f"{URL}/boards?month={MONTH}")
    assert boards.status_code == 200
    assert_no_pay(boards.text)
    agent = tl.get(f"/p/acme/agents/1001?month={MONTH}")
    assert agent.status_code == 200 and "grade-A" in agent.text and "Pay float" not in agent.text
    dashboard = tl.get(f"/p/acme/?month={MONTH}")
    assert "Agents graded A" in dashboard.text and "Pay float total" not in dashboard.text


def test_qa_sees_scores_but_not_pay(sign_in):
    qa = sign_in("qa1")
    assert "pay_float" not in [c["key"] for c in qa.get(f"/p/acme/scores/{MONTH}").context["columns"]]
    assert "Pay float total" not in qa.get(f"/p/acme/?month={MONTH}").text


def test_a_project_may_open_pay_to_its_team_leaders(fw, sign_in):
    fw.access.set_roles("acme", "incentives.pay", ["supervisor", "team_leader"], "setup")
    tl = sign_in("tl")
    assert "pay_float" in [c["key"] for c in tl.get(f"/p/acme/scores/{MONTH}").context["columns"]]
    assert "High score" in tl.get(f"{URL}/boards?month={MONTH}").text


def test_pay_cannot_be_given_to_an_agent_or_a_client(fw):
    assert set(fw.access.grantable("incentives.pay")) == {"admin", "director", "supervisor",
                                                          "trainer", "team_leader", "qa"}


# ---------------------------------------------------------------- the supervisor


def test_a_supervisor_sees_every_pay_figure(fw, sign_in):
    sup = sign_in("sup")
    scores = sup.get(f"/p/acme/scores/{MONTH}")
    assert "pay_float" in [c["key"] for c in scores.context["columns"]]
    assert "Pay float" in sup.get(f"/p/acme/scores/{MONTH}/export.csv").text.splitlines()[0]
    assert "Pay float total" in sup.get(f"/p/acme/?month={MONTH}").text
    assert "Pay float total" in sup.get("/").text
    boards = sup.get(f"{URL}/boards?month={MONTH}").text
    assert "Stepped rewards" in boards and "High score" in boards and "¥" in boards
    sheet = sup.get(f"{URL}/sheet?month={MONTH}").text
    assert "Pay float" in sheet and "-¥120" in sheet
    assert "Pay float" in sup.get(f"/p/acme/agents/1003?month={MONTH}").text
    fw.periods.close("acme", MONTH, "setup")
    close = sup.get(f"{URL}/close?month={MONTH}").text
    assert "pay.xlsx" in close
    assert sup.get(f"{URL}/pay.xlsx?month={MONTH}").status_code == 200


def test_the_pay_export_link_shows_only_with_the_pay_action(fw, sign_in):
    fw.access.set_roles("acme", "incentives.manage", ["supervisor", "qa"], "setup")
    fw.periods.close("acme", MONTH, "setup")
    qa = sign_in("qa1")
    close = qa.get(f"{URL}/close?month={MONTH}")
    assert close.status_code == 200 and "pay.xlsx" not in close.text
    assert "Pay float total" not in close.text
    assert qa.get(f"{URL}/pay.xlsx?month={MONTH}").status_code == 403


# ---------------------------------------------------------------- the rule itself


def test_reads_by_audience_and_action(fw):
    project = fw.projects.get("acme")
    client, agent = {"roles": ["client"], "projects": ["acme"]}, {"roles": ["agent"], "projects": ["acme"]}
    tl = {"roles": ["team_leader"], "projects": ["acme"]}
    sup = {"roles": ["supervisor"], "projects": ["acme"]}
    assert fw.access.reads(client, project, "client") and fw.access.reads(agent, project, "client")
    assert not fw.access.reads(client, project) and not fw.access.reads(agent, project)
    assert fw.access.reads(tl, project) and not fw.access.reads(tl, project, action="incentives.pay")
    assert fw.access.reads(sup, project, action="incentives.pay")
    assert not fw.access.reads(None, project, "client", "incentives.pay")


def test_the_pay_float_total_is_internal_behind_the_pay_action(fw):
    declared = fw.kpi_defs["pay_float_total"]
    assert (declared.audience, declared.action) == ("internal", "incentives.pay")
    assert KPIDef("x", "X", "叉").action == ""


def test_the_sheet_is_called_grades_for_a_reader_who_sees_no_pay(sign_in):
    leader = sign_in("tl").get(f"{URL}/sheet?month={MONTH}").text
    assert "<h1>Grades <small" in leader and "Grades and pay" not in leader
    sup = sign_in("sup").get(f"{URL}/sheet?month={MONTH}").text
    assert "<h1>Grades and pay <small" in sup
