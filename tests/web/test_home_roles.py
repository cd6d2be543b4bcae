"""Each role's home shows what it needs first and nothing it must not see, and every figure of the
home and the dashboard opens the list behind it — only for a reader who may open that list.

The company (built once, read only): project alpha (attendance and incentives) with team day
(1001 Li Lei, 1002 Han Meimei, 1004 Zhao Min) on D 08:00–17:00 and team night (1003 Wang Fang) on
N 21:00–06:00, and project beta (2001 Qian Yu). The floor is read at NOW, Monday 12 October 2026
10:30: Li Lei punched 07:45 (in), Han Meimei 08:21 (late), Zhao Min not at all (not in yet), Wang
Fang's night shift has not started. October's scores: Li Lei 85, Han Meimei 78, Zhao Min 40 (two
absences: below 60), Wang Fang 80. Han Meimei asked for leave next Monday; it waits for a
supervisor.
"""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core import Widget, hookimpl
from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.core.store import FileOps, Store
from floorwalker.core.users import hash_password
from floorwalker.plugins.attendance import leave, punches, roster

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "correct-horse-7"
NOW = dt.datetime(2026, 10, 12, 10, 30)
MONTH = "2026-10"
# username: (roles, projects, linked agent, teams led, language)
USERS = {"director": (["director"], ["alpha", "beta"], None, (), "en"),
         "sup": (["supervisor"], ["alpha"], None, (), "en"),
         "sup_zh": (["supervisor"], ["alpha"], None, (), "zh_CN"),
         "tl": (["team_leader"], ["alpha"], None, ("alpha.day",), "en"),
         "qa": (["qa"], ["alpha"], None, (), "en"),
         "han": (["agent"], ["alpha"], "1002", (), "en"),
         "client": (["client"], ["alpha"], None, (), "en")}


class NoSync(FileOps):
    def fsync(self, fd):
        pass

    def fsync_dir(self, folder):
        pass


@pytest.fixture(scope="module")
def clock():
    """The project's clock stands at NOW on every page, whatever day the tests run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Projects, "now", lambda self, project: NOW)
        yield


@pytest.fixture(scope="module")
def fw(tmp_path_factory, clock, cheap_hashes):
    fw = Floorwalker(Store(tmp_path_factory.mktemp("home") / "data", fs=NoSync()), make_plugin_manager())
    fw.projects.create("alpha", "Alpha Bank", "setup")
    fw.projects.create("beta", "Beta Telecom", "setup")
    fw.teams.create("alpha", "day", "Day team", "setup")
    fw.teams.create("alpha", "night", "Night team", "setup")
    fw.teams.create("beta", "main", "Main", "setup")
    for number, name, team in (("1001", "Li Lei", "day"), ("1002", "Han Meimei", "day"),
                               ("1003", "Wang Fang", "night"), ("1004", "Zhao Min", "day")):
        fw.agents.add("alpha", number, name, "setup", team=team, hired="2026-01-05")
    fw.agents.add("beta", "2001", "Qian Yu", "setup", team="main", hired="2026-01-05")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.save_shift(fw, "alpha", roster.shift_doc("N", "Night", "21:00", "06:00"), "setup")
    roster.set_pattern(fw, "alpha", "day", ["D", "D", "D", "D", "D", None, None], "setup")
    roster.set_pattern(fw, "alpha", "night", ["N"] * 7, "setup")
    for team in ("day", "night"):
        roster.apply_pattern(fw, "alpha", team, "2026-10-01", "2026-10-31", "setup")
    punches.store_punches(fw, "alpha", [punches.punch_doc("1001", dt.datetime(2026, 10, 12, 7, 45), "import"),
                                        punches.punch_doc("1002", dt.datetime(2026, 10, 12, 8, 21), "import")],
                          "setup")
    fw.ledger.record("alpha", "1001", "best_of_month", "2026-10-01", "setup")
    fw.ledger.record("alpha", "1002", "loud", "2026-10-02", "setup")
    fw.ledger.record("alpha", "1004", "absent", "2026-10-02", "setup")
    fw.ledger.record("alpha", "1004", "absent", "2026-10-05", "setup")
    hashed = hash_password(PASSWORD)
    docs = [fw.users.prepare(name, hashed, roles, projects, name.title(), locale, agent=agent, teams=teams)
            for name, (roles, projects, agent, teams, locale) in USERS.items()]
    fw.users.add_many(docs, "setup")
    leave.request(fw, fw.projects.get("alpha"), "1002", "personal", fw.users.get("han"), "2026-10-19",
                  note="family", asked_at=NOW)
    return fw


@pytest.fixture(scope="module")
def app(fw):
    return create_app(fw)


@pytest.fixture(scope="module")
def client_of(app):
    made = {}

    def get(username):
        if username not in made:
            client = TestClient(app, follow_redirects=False)
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
            assert r.status_code == 303, r.text
            made[username] = client
        return made[username]
    return get


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def links(html: str) -> set[str]:
    """The addresses the page's content links to (the navigation aside)."""
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"#]+)', main_of(html))}


def assert_links_open(client, html: str) -> set[str]:
    found = links(html)
    for url in found:
        assert client.get(url).status_code == 200, url
    return found


def figure_links(html: str) -> dict[str, str]:
    """Each linked tile's title → its address."""
    return {title: href.replace("&amp;", "&") for href, title in
            re.findall(r'<a class="kpi link[^"]*" href="([^"]+)"><span class="kpi-title">([^<]+)</span>', html)}


# ---------------------------------------------------------------- managers


def test_a_director_of_several_projects_reads_them_side_by_side_in_one_table(client_of):
    director = client_of("director")
    home = director.get("/")
    assert home.status_code == 200
    rows = home.context["rows"]
    assert [r["project"]["slug"] for r in rows] == ["alpha", "beta"] and home.context["cards"] == []
    page = main_of(home.text)
    assert page.count("<table class=\"data home-table\">") == 1
    assert '<th class="num">Agents graded' not in page and "<th>Grades</th>" in page  # one column, a bar
    alpha = page[page.index("Alpha Bank"):page.index("Beta Telecom")]
    assert '<a href="/p/alpha/scores/2026-10?sort=total" class="bad">1</a>' in alpha  # Zhao Min, 40
    for state, count in (("In", 1), ("Late", 1), ("Not in yet", 1), ("Not started", 1)):
        assert re.search(rf">{state}</span> <b>{count}</b>", alpha), state
    assert "Leave requests to approve <b>1</b>" in alpha  # a director approves a day's leave too
    assert "¥-270" in alpha or "-¥270" in alpha  # the pay float total: 50 − 20 − 300 + 0
    assert "/p/alpha/attendance/approvals" in assert_links_open(director, home.text)


def test_a_supervisor_of_one_project_gets_a_compact_card_whose_figures_open_their_lists(client_of):
    sup = client_of("sup")
    home = sup.get("/")
    [card] = home.context["cards"]
    assert card["view"] == "manager" and home.context["rows"] == []
    tiles = figure_links(home.text)
    assert tiles["Agents"] == "/p/alpha/agents"
    assert tiles["Below 60"] == "/p/alpha/scores/2026-10?sort=total"
    assert tiles["Absences"] == "/p/alpha/attendance/report?month=2026-10"
    assert tiles["Pay float total"] == "/p/alpha/incentives/sheet?month=2026-10"
    [grades] = card["figures"]["bars"]  # six grade counts as one bar, not six tiles
    assert [(p["label"], p["value"]) for p in grades["parts"]] == [
        ("A", 0), ("B", 2), ("C", 1), ("D", 0), ("E", 0), ("F", 1)]
    assert "Agents graded" not in "".join(tiles)
    assert "Leave requests to approve (1)" in home.text
    assert_links_open(sup, home.text)
    below = sup.get(tiles["Below 60"])  # the list behind the figure: the lowest first
    assert below.context["rows"][0][:2] == ["1004", "Zhao Min"]


def test_the_home_speaks_chinese_to_a_chinese_reader(client_of):
    page = main_of(client_of("sup_zh").get("/").text)
    assert "首页" in client_of("sup_zh").get("/").text and "低于 60 分" in page and "今日现场" in page
    assert "本月" in page and "Below 60" not in page and "Today" not in page


# ---------------------------------------------------------------- a team leader


def test_a_team_leader_sees_its_team_today_its_scores_and_no_pay(client_of):
    tl = client_of("tl")
    home = tl.get("/")
    [card] = home.context["cards"]
    assert card["view"] == "leader"
    page = main_of(home.text)
    for name in ("Li Lei", "Han Meimei", "Zhao Min"):
        assert name in page
    assert "Wang Fang" not in page and "Qian Yu" not in page  # another team, another project
    today = page[page.index("My team today"):page.index("My team this month")]
    assert re.search(r"Han Meimei</td><td>Day</td><td><span class=\"day-state live-late", today)
    assert re.search(r"Zhao Min</td><td>Day</td><td><span class=\"day-state live-not_in", today)
    assert [(a["name"], a["total"]) for a in card["team"]["agents"]] == [
        ("Zhao Min", 40), ("Han Meimei", 78), ("Li Lei", 85)]
    for word in ("Pay float", "¥", "Agents graded"):
        assert word not in page, word
    assert_links_open(tl, home.text)


# ---------------------------------------------------------------- an agent


def test_an_agent_sees_its_own_month_its_day_and_its_requests_and_nobody_elses(client_of):
    han = client_of("han")
    home = han.get("/")
    [card] = home.context["cards"]
    assert card["view"] == "agent" and card["own"]["total"] == 78
    page = main_of(home.text)
    assert '<span class="big">78</span>' in page
    assert "Late 21 min" in page  # 08:21 for an 08:00 shift, as the floor says
    assert "2026-10-19" in page and "Waiting" in page  # its leave request and where it stands
    [own] = [w for w in card["panels"] if w.plugin == "incentives"]
    assert (own.context["grade"], own.context["pay_float"]) == ("C", -20)  # its own pay float
    assert page.count("¥") == 1  # that one: no total, no other agent's pay
    for word in ("Li Lei", "Zhao Min", "Pay float total", "Agents graded", "Below 60"):
        assert word not in page, word
    found = assert_links_open(han, home.text)
    assert "/p/alpha/agents/1002?month=2026-10" in found and not any("scores" in u for u in found)


# ---------------------------------------------------------------- a client


def test_a_client_sees_service_figures_and_only_links_it_can_follow(client_of):
    client = client_of("client")
    home = client.get("/")
    [card] = home.context["cards"]
    assert card["view"] == "client" and [w.plugin for w in card["panels"]] == ["reporting"]  # its portal
    page = main_of(home.text)
    for word in ("Pay float", "¥", "Agents graded", "Below 60", "Waiting for me", "Li Lei", "Average score"):
        assert word not in page, word  # the scores are the BPO's own: service figures only
    assert "Attendance rate" in page and "Agents" in page  # the headcount stays
    found = assert_links_open(client, home.text)
    assert found and not any("/scores/" in u or u.endswith("/agents") for u in found)


# ---------------------------------------------------------------- the dashboard


def test_a_clients_dashboard_shows_no_scores(client_of):
    dash = client_of("client").get(f"/p/alpha/?month={MONTH}")
    assert dash.status_code == 200
    page = main_of(dash.text)
    for word in ("Average score", "Score events", "Score distribution", "Below 60"):
        assert word not in page, word
    assert "Attendance rate" in page
    staff = main_of(client_of("sup").get(f"/p/alpha/?month={MONTH}").text)
    assert "Average score" in staff and "Score distribution" in staff


def test_the_dashboards_figures_open_their_lists_and_grades_are_one_bar(client_of):
    sup = client_of("sup")
    dash = sup.get(f"/p/alpha/?month={MONTH}")
    tiles = figure_links(dash.text)
    assert tiles["Below 60"] == "/p/alpha/scores/2026-10?sort=total"
    assert tiles["Attendance rate"] == "/p/alpha/attendance/report?month=2026-10"
    assert tiles["Score events"] == "/p/alpha/scores/2026-10"
    assert "Agents graded" not in "".join(tiles) and dash.text.count('class="stackbar"') == 1
    assert_links_open(sup, dash.text)
    qa = client_of("qa")  # QA sees the figures but holds no pay: no pay tile, nothing it cannot open
    qa_dash = qa.get(f"/p/alpha/?month={MONTH}").text
    assert "Pay float total" not in qa_dash
    assert_links_open(qa, qa_dash)
    client = client_of("client")
    seen = client.get(f"/p/alpha/?month={MONTH}").text
    assert "Below 60" not in seen and "Agents graded" not in seen
    assert "/scores/" not in main_of(seen) and 'href="/p/alpha/agents"' not in seen
    assert_links_open(client, seen)


# ---------------------------------------------------------------- the hook


class Notes:
    """A tiny plugin: a note for supervisors, nothing for anyone else."""

    @hookimpl
    def home_panels(self, project, user):
        if "supervisor" not in user["roles"]:
            return []
        return [Widget(title_en="Notes", title_zh="便笺", template="notes/panel.html",
                       context={"text": f"3 notes in {project['slug']}"})]


def test_hook_home_panels_draws_a_plugins_panel_per_role(tmp_path, company_factory, sign_in):
    pm = make_plugin_manager()
    pm.register(Notes(), name="notes")
    fw = company_factory(tmp_path / "data", pm)
    templates = tmp_path / "data" / "themes" / "default" / "templates" / "notes"
    templates.mkdir(parents=True)
    (templates / "panel.html").write_text('<p class="notes">{{ widget.context.text }}</p>')
    app = create_app(fw)
    home = sign_in(app, "supervisor1").get("/").text
    assert "<h3>Notes</h3>" in home and '<p class="notes">3 notes in alpha</p>' in home
    assert "Notes" not in sign_in(app, "team_leader1").get("/").text
    fw.projects.disable("alpha", "notes", "setup")  # a project that turns the plugin off
    assert "3 notes" not in sign_in(app, "supervisor1").get("/").text
