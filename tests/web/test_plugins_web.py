"""Plugins in the web shell: routes under /p/{project}/{plugin}/, nav entries, widgets."""

import datetime as dt
import re

from starlette.responses import PlainTextResponse

from floorwalker.core import KPI, Action, AgentSection, Blocker, NavItem, Route, SheetColumn, Widget, hookimpl
from floorwalker.core.app import create_app
from floorwalker.core.plugins import make_plugin_manager

MONTH = dt.date.today().isoformat()[:7]


class Hello:
    """A tiny plugin: a staff page, a page for an agent's own records, a nav entry, a widget."""

    @hookimpl
    def register_actions(self):
        staff = ("admin", "director", "supervisor", "team_leader", "qa")
        return [Action("hello.view", staff, "Greet", "问候"),
                Action("hello.own", staff + ("agent",), "Own greeting", "本人问候"),
                Action("hello.report", staff + ("client",), "Greeting report", "问候报告")]

    @hookimpl
    def register_routes(self):
        return [Route("/greeting", self.greeting, action="hello.view"),
                Route("/mine/{number}", self.mine, action="hello.own"),
                Route("/report", self.report, action="hello.report")]

    def report(self, page):
        agents = page.fw.agents.in_month(page.project["slug"], MONTH)
        return PlainTextResponse(", ".join(page.agent_name(a, i) for i, (a, _) in enumerate(agents, 1)))

    def greeting(self, page):
        return PlainTextResponse(f"hello {page.project['slug']} from {page.user['username']}")

    def mine(self, page):
        page.authorize("hello.own", {"agent": page.params["number"], "project": page.project["slug"]})
        return PlainTextResponse(f"records of {page.params['number']}")

    @hookimpl
    def nav_items(self, project, user):
        return [NavItem("hello", "Greetings", "问候", "hello/greeting")]

    @hookimpl
    def project_kpis(self, project, period):
        return [KPI("hello", "smiles", "Smile rate", "微笑率", 97.5, "%", target=95.0)]

    @hookimpl
    def agent_sections(self, agent, period):
        return [AgentSection("hello", "Greetings given", "问候记录", "hello/section.html",
                             {"number": agent["number"]})]

    @hookimpl
    def period_blockers(self, project, period):
        return [Blocker("hello", "Greetings waiting for approval", "待审批的问候", 3, "hello/greeting")]

    @hookimpl
    def dashboard_widgets(self, period):
        return [Widget("hello", "Greeting widget", "问候小组件", "hello/widget.html", {"count": 42})]


def make(tmp_path, make_company):
    pm = make_plugin_manager()
    pm.register(Hello(), name="hello")
    widget = tmp_path / "themes" / "default" / "templates" / "hello"
    widget.mkdir(parents=True)
    (widget / "widget.html").write_text("<p class=\"hello\">{{ widget.context.count }} greetings</p>")
    (widget / "section.html").write_text("<p class=\"hello\">greeted by {{ section.context.number }}</p>")
    fw = make_company(tmp_path, pm)
    fw.projects.disable("beta", "hello", "setup")
    return fw, create_app(fw)


def test_a_plugin_route_answers_where_the_project_enables_it(tmp_path, company_factory, sign_in):
    fw, app = make(tmp_path, company_factory)
    assert sign_in(app, "supervisor1").get("/p/alpha/hello/greeting").text == "hello alpha from supervisor1"
    assert sign_in(app, "betasup").get("/p/beta/hello/greeting").status_code == 404  # disabled there
    assert sign_in(app, "supervisor1").get("/p/beta/hello/greeting").status_code == 404  # not my project
    assert sign_in(app, "client1").get("/p/alpha/hello/greeting").status_code == 403  # not my role


def test_a_plugin_action_for_own_records_lets_an_agent_see_only_theirs(tmp_path, company_factory, sign_in):
    fw, app = make(tmp_path, company_factory)
    agent = sign_in(app, "agent1")
    assert agent.get("/p/alpha/hello/mine/1001").status_code == 200
    assert agent.get("/p/alpha/hello/mine/1002").status_code == 404


def test_plugin_nav_entries_and_widgets_appear_on_the_project_pages(tmp_path, company_factory, sign_in):
    fw, app = make(tmp_path, company_factory)
    html = sign_in(app, "director1").get("/p/alpha/").text
    assert '<a href="/p/alpha/hello/greeting">Greetings</a>' in html
    assert "Greeting widget" in html and '<p class="hello">42 greetings</p>' in html
    beta = sign_in(app, "betasup").get("/p/beta/").text
    assert "Greetings" not in beta and "greetings" not in beta


def test_a_client_sees_agents_masked_unless_the_project_shows_names(tmp_path, company_factory, sign_in):
    fw, app = make(tmp_path, company_factory)
    client = sign_in(app, "client1")
    assert client.get("/p/alpha/hello/report").text == "Agent #1, Agent #2, Agent #3"
    assert sign_in(app, "qa1").get("/p/alpha/hello/report").text.startswith("李雷, 韩梅梅")
    fw.users.update("client1", "setup", locale="zh_CN")
    assert client.get("/p/alpha/hello/report").text.startswith("坐席 #1")
    fw.projects.configure("alpha", "core", {"show_agent_names_to_client": True}, "setup")
    assert client.get("/p/alpha/hello/report").text.startswith("李雷, 韩梅梅")


def test_plugin_kpis_sections_and_blockers_show_on_the_core_pages(tmp_path, company_factory, sign_in, csrf):
    fw, app = make(tmp_path, company_factory)
    director = sign_in(app, "director1")
    home = director.get("/").text
    assert "Smile rate" in home and "97.5" in home and "target 95.0%" in home
    agent = director.get("/p/alpha/agents/1001").text
    assert "Greetings given" in agent and '<p class="hello">greeted by 1001</p>' in agent
    periods = director.get("/p/alpha/periods").text
    assert "Greetings waiting for approval" in periods and "disabled" in periods
    last = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]
    r = director.post(f"/p/alpha/periods/{last}/close", data={"csrf_token": csrf(director)})
    assert r.status_code == 409 and "cannot close" in r.text
    assert fw.periods.state("alpha", last) == "open"


def test_an_admin_turns_a_plugin_off_for_a_project_and_its_pages_go(tmp_path, company_factory, sign_in, csrf):
    fw, app = make(tmp_path, company_factory)
    admin = sign_in(app, "admin1")
    form = admin.get("/admin/projects/alpha").text
    assert 'name="plugins" value="hello" checked' in form
    r = admin.post("/admin/projects/alpha", data={"client": "Alpha Bank", "name": "Alpha 信用卡",
                                                 "status": "active", "timezone": "Asia/Shanghai",
                                                 "channels": ["voice"], "confirm": "off",
                                                 "csrf_token": csrf(admin)})
    assert r.status_code == 303 and "hello" not in fw.projects.get("alpha")["plugins"]
    assert admin.get("/p/alpha/hello/greeting").status_code == 404
    assert "Greetings" not in admin.get("/p/alpha/").text


class Grades:
    """A tiny plugin adding a column to the score sheet."""

    @hookimpl
    def sheet_columns(self, rows):
        return [SheetColumn("grades", "grade", "Grade", "等级",
                            {r["number"]: "A" if r["total"] > 80 else "B" for r in rows})]


def test_a_plugin_sheet_column_is_headed_by_its_title_in_the_readers_language(tmp_path, company_factory,
                                                                              sign_in):
    pm = make_plugin_manager(builtins=())  # the built-in incentives plugin has a grade column too
    pm.register(Grades(), name="grades")
    fw = company_factory(tmp_path, pm)
    fw.projects.enable("alpha", "grades", "setup")
    app = create_app(fw)
    heading = r'<th class="num"><a [^>]*>{}'
    zh = sign_in(app, "root").get(f"/p/alpha/scores/{MONTH}").text
    en = sign_in(app, "supervisor1").get(f"/p/alpha/scores/{MONTH}").text
    assert re.search(heading.format("等级"), zh) and re.search(heading.format("Grade"), en)
    assert ">grade<" not in zh and ">grade<" not in en
    csv = sign_in(app, "supervisor1").get(f"/p/alpha/scores/{MONTH}/export.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].endswith(",Grade")
    rows, columns = fw.ledger.sheet_and_columns("alpha", MONTH)
    assert [c.key for c in columns] == ["grade"] and {r["grade"] for r in rows} <= {"A", "B"}
    assert fw.ledger.sheet("alpha", MONTH) == rows  # the CLI's list of row dicts, unchanged
