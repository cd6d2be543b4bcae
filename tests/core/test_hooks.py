"""Every hook, each tested by registering a tiny plugin (style habit 8; datasette's
``test_plugin_hooks_have_tests``), and the one way contributions come in: `collect()` checks
the type, stamps the plugin, refuses duplicates naming both plugins and sorts.

A test named ``test_hook_<name>`` covers each hook; `ELSEWHERE` names the few whose tiny-plugin
test lives with the feature they drive (the demo builds a whole company: too slow to repeat).
"""

import ast
import datetime as dt
import inspect
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from starlette.requests import Request

from floorwalker.core import (KPI, Absence, Action, AgendaItem, AgentSection, Blocker, Endpoint, Evidence,
                              Importer, Job, KPIDef, Migration, NavItem, ReportSection,
                              RosteredShift, Route, RuleChange, ScoreRule, Setting, SheetColumn, WaitingItem, Widget, hookimpl,
                              hookspec, hookspecs)
from floorwalker.core import jobs as timed
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import (DuplicateContribution, PluginLoadError, WrongContribution,
                                      collect, make_plugin_manager)
from floorwalker.core.store import FileOps

from ..pgcluster import store_for

HOOKS = sorted(name for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
               if hasattr(f, "floorwalker_spec"))
TESTS = Path(__file__).resolve().parents[1]
# hook -> (test file, test function) where a tiny plugin implementing it is registered
ELSEWHERE = {"demo_data": ("core/test_demo.py",
                           "test_each_project_gets_the_plugins_demo_data_before_any_month_closes"),
             "demo_data_after_close": ("core/test_demo.py",
                                       "test_each_project_gets_the_plugins_demo_data_before_any_month_closes"),
             "home_panels": ("web/test_home_roles.py", "test_hook_home_panels_draws_a_plugins_panel_per_role")}
MONTH = "2025-03"
ADMIN = {"username": "admin", "roles": ["admin"], "projects": ["*"], "agent": None}


class NoSync(FileOps):
    """Commits without fsync: these tests read what a commit wrote (tests/core/test_store*.py
    cover what survives a power cut)."""

    def fsync(self, fd):
        pass

    def fsync_dir(self, folder):
        pass


def install(tmp_path, *plugins, name: str = "tiny") -> Floorwalker:
    """An install with *plugins* registered (the first as *name*, others as name2, name3 …),
    project ``shop`` enabling them all, ``hotline`` none, and agent 1001 in shop."""
    pm = make_plugin_manager(builtins=())
    for i, plugin in enumerate(plugins, start=1):
        pm.register(plugin, name=name if i == 1 else f"{name}{i}")
    fw = Floorwalker(store_for(tmp_path / "data", fs=NoSync()), pm)
    fw.projects.create("shop", "Shop", "admin")
    fw.projects.create("hotline", "Hotline", "admin", plugins=[])
    fw.agents.add("shop", "1001", "Li Lei", "admin", hired="2025-01-01")
    return fw


def ask(fw, slug, hook, record_type, **kwargs):
    """What the core does at a call site: the project's enabled plugins, through collect()."""
    project = fw.projects.get(slug)
    return collect(fw.project_hook(project, hook), record_type, floorwalker=fw, project=project,
                   **kwargs)


class Calls:
    """A tiny plugin's notebook: ``self.calls`` of (hook, what it was told)."""

    def __init__(self):
        self.calls = []


# ------------------------------------------------------------------ the meta-test


def test_every_hook_has_a_tiny_plugin_test():
    here = {name for name in globals() if name.startswith("test_hook_")}
    missing = [hook for hook in HOOKS if f"test_hook_{hook}" not in here and hook not in ELSEWHERE]
    assert not missing, f"hooks without a tiny-plugin test: {missing}"
    for hook, (path, test) in ELSEWHERE.items():
        tree = ast.parse((TESTS / path).read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert test in names and hook in names, f"{hook}: {path}::{test} is gone"


# ------------------------------------------------------------------ agents


def test_hook_on_agent_created(tmp_path):
    class Tiny(Calls):
        @hookimpl
        def on_agent_created(self, project, agent, user):
            self.calls.append((project["slug"], agent["number"], user))

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    fw.agents.add("hotline", "2001", "Han", "admin", hired="2025-01-01")  # not enabled there
    assert tiny.calls == [("shop", "1001", None)]


def test_hook_on_agents_created(tmp_path):
    """An import reaches a plugin once with every agent; a plugin with only the per-agent hook
    still hears of each; an agent added alone goes through on_agent_created where implemented."""
    class Batch(Calls):
        @hookimpl
        def on_agents_created(self, agents):
            self.calls.append(("batch", [a["number"] for a in agents]))

        @hookimpl
        def on_agent_created(self, agent):
            self.calls.append(("one", agent["number"]))

    class Single(Calls):
        @hookimpl
        def on_agent_created(self, agent):
            self.calls.append(("one", agent["number"]))

    batch, single = Batch(), Single()
    fw = install(tmp_path, batch, single)
    pairs = [fw.agents.new_agent_docs("shop", n, "Agent", hired="2025-01-01") for n in ("1002", "1003")]
    fw.agents.add_many("shop", pairs, "hr")
    assert batch.calls == [("one", "1001"), ("batch", ["1002", "1003"])]
    assert single.calls == [("one", "1001"), ("one", "1002"), ("one", "1003")]


def test_hook_on_agent_moved(tmp_path):
    class Tiny(Calls):
        @hookimpl
        def on_agent_moved(self, project, agent, assignment, previous):
            self.calls.append((project["slug"], previous["project"], assignment["start"]))

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    fw.agents.move("1001", "hotline", "admin", start="2025-03-01")  # heard: it leaves shop
    assert tiny.calls == [("hotline", "shop", "2025-03-01")]


def test_hook_on_agent_tier_changed(tmp_path):
    class Tiny(Calls):
        @hookimpl
        def on_agent_tier_changed(self, agent, old_tier, new_tier):
            self.calls.append((agent["number"], old_tier, new_tier))

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    fw.agents.set_tier("1001", "gold", "admin")
    assert tiny.calls == [("1001", "regular", "gold")]


def test_hook_on_agent_left(tmp_path):
    class Tiny(Calls):
        @hookimpl
        def on_agent_left(self, agent, date, reason):
            self.calls.append((agent["number"], date, reason))

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    fw.agents.leave("1001", "2025-03-31", "resigned", "admin")
    assert tiny.calls == [("1001", "2025-03-31", "resigned")]


def test_hook_agent_sections(tmp_path):
    class Tiny:
        @hookimpl
        def agent_sections(self, agent, period):
            return [AgentSection(title_en="Coaching", title_zh="辅导", template="tiny/section.html",
                                 context={"agent": agent["number"], "period": period}, order=5)]

    fw = install(tmp_path, Tiny())
    (section,) = ask(fw, "shop", "agent_sections", AgentSection, agent=fw.agents.get("1001"),
                     period=MONTH, user=ADMIN)
    assert (section.plugin, section.context) == ("tiny", {"agent": "1001", "period": MONTH})


def test_hook_agent_availability(tmp_path):
    class Tiny:
        @hookimpl
        def agent_availability(self, first, last, agents):
            return [Absence(agent, first, first, "training") for agent in agents]

    fw = install(tmp_path, Tiny())
    first, last = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    (absence,) = ask(fw, "shop", "agent_availability", Absence, first=first, last=last, agents=["1001"])
    assert absence == Absence("1001", first, first, "training", plugin="tiny")
    assert ask(fw, "hotline", "agent_availability", Absence, first=first, last=last, agents=["1001"]) == []


def test_hook_agent_shifts(tmp_path):
    class Tiny:
        @hookimpl
        def agent_shifts(self, first, last):
            return [RosteredShift("1001", first, dt.datetime.combine(first, dt.time(22)),
                                  dt.datetime.combine(first + dt.timedelta(days=1), dt.time(6)), "N")]

    fw = install(tmp_path, Tiny())
    first, last = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    (shift,) = ask(fw, "shop", "agent_shifts", RosteredShift, first=first, last=last)
    assert (shift.plugin, shift.end) == ("tiny", dt.datetime(2025, 3, 2, 6, 0))
    assert ask(fw, "hotline", "agent_shifts", RosteredShift, first=first, last=last) == []
    with pytest.raises(ValueError):
        RosteredShift("1001", "2025-03-01", "2025-03-01T08:00", "2025-03-01T08:00")


# ------------------------------------------------------------------ periods


def test_hook_period_blockers(tmp_path):
    class Tiny:
        @hookimpl
        def period_blockers(self, period):
            return [Blocker(title_en="Sessions without a result", title_zh="未出结果的培训", count=2)]

    fw = install(tmp_path, Tiny())
    assert [(b.plugin, b.count) for b in fw.periods.blockers("shop", MONTH)] == [("tiny", 2)]
    with pytest.raises(Exception, match="Sessions without a result"):
        fw.periods.close("shop", MONTH, "admin")


class Closer(Calls):
    @hookimpl
    def on_period_closing(self, floorwalker, project, period):
        self.calls.append(("closing", floorwalker.periods.state(project["slug"], period)))

    @hookimpl
    def on_period_closed(self, floorwalker, project, period):
        self.calls.append(("closed", floorwalker.periods.state(project["slug"], period)))


def test_hook_on_period_closing(tmp_path):
    closer = Closer()
    install(tmp_path, closer).periods.close("shop", MONTH, "admin")
    assert closer.calls[0] == ("closing", "open")  # writes dated in the month still succeed


def test_hook_on_period_closed(tmp_path):
    closer = Closer()
    fw = install(tmp_path, closer)
    fw.periods.close("hotline", MONTH, "admin")  # not enabled there
    fw.periods.close("shop", MONTH, "admin")
    assert closer.calls == [("closing", "open"), ("closed", "closed")]


# ------------------------------------------------------------------ scores


def test_hook_register_score_rules(tmp_path):
    class Tiny:
        @hookimpl
        def register_score_rules(self):
            return [ScoreRule("tiny_helped", "bonus", 2, "Helped a colleague", "帮助同事")]

    fw = install(tmp_path, Tiny())
    plugin, rule = fw.rules["tiny_helped"]
    assert (plugin, rule.plugin) == ("tiny", "tiny")
    assert fw.ledger.record("shop", "1001", "tiny_helped", "2025-03-03", "tl")["points"] == 2


def test_hook_sheet_columns(tmp_path):
    class Tiny:
        @hookimpl
        def sheet_columns(self, rows):
            return [SheetColumn(key="coached", title_en="Coached", title_zh="已辅导",
                                values={row["number"]: True for row in rows})]

    fw = install(tmp_path, Tiny())
    rows, (column,) = fw.ledger.sheet_and_columns("shop", MONTH)
    assert (rows[0]["coached"], column.plugin) == (True, "tiny")
    twice = install(tmp_path / "twice", Tiny(), Tiny())
    with pytest.raises(DuplicateContribution, match="coached.*tiny and tiny2"):
        twice.ledger.sheet("shop", MONTH)


def test_hook_evidence_links(tmp_path):
    class Tiny:
        @hookimpl
        def register_score_rules(self):
            return [ScoreRule("tiny_helped", "bonus", 2, "Helped a colleague", "帮助同事")]

        @hookimpl
        def evidence_links(self, project, events):
            return {e["id"]: f"/p/{project['slug']}/tiny/{e['evidence'].split(':')[-1]}"
                    for e in events if (e["evidence"] or "").startswith("tiny:")}

    fw = install(tmp_path, Tiny())
    event = fw.ledger.record("shop", "1001", "tiny_helped", "2025-03-03", "tl", source="tiny",
                             evidence="tiny:session:s1")
    (links,) = ask(fw, "shop", "evidence_links", dict, events=[event], user=ADMIN)
    assert links == {event["id"]: "/p/shop/tiny/s1"}


def test_hook_describe_evidence(tmp_path):
    class Tiny:
        @hookimpl
        def register_score_rules(self):
            return [ScoreRule("tiny_helped", "bonus", 2, "Helped a colleague", "帮助同事")]

        @hookimpl
        def describe_evidence(self, events):
            return {e["id"]: Evidence("Coaching " + e["evidence"].split(":")[-1],
                                      "辅导 " + e["evidence"].split(":")[-1], "", "教会了新人")
                    for e in events if (e["evidence"] or "").startswith("tiny:")}

    fw = install(tmp_path, Tiny())
    event = fw.ledger.record("shop", "1001", "tiny_helped", "2025-03-03", "tl", source="tiny",
                             evidence="tiny:session:s1", reason="taught a new hire")
    (described,) = ask(fw, "shop", "describe_evidence", dict, events=[event])
    evidence = described[event["id"]]
    assert (evidence.title("zh_CN"), evidence.reason("zh_CN")) == ("辅导 s1", "教会了新人")
    assert (evidence.title("en"), evidence.reason("en")) == ("Coaching s1", "")  # the stored one


def test_hook_derived_rules(tmp_path):
    from floorwalker.demo.scores import by_hand

    class Tiny:
        @hookimpl
        def derived_rules(self, project):
            return ["loud", "chatting"]

    fw = install(tmp_path, Tiny())
    assert ask(fw, "shop", "derived_rules", str) == ["loud", "chatting"]
    shop, hotline = (fw.projects.get(slug) for slug in ("shop", "hotline"))
    assert {"loud", "chatting"} & by_hand(fw, shop) == set()  # the demo leaves them to the plugin
    assert {"loud", "chatting", "entry_error"} <= by_hand(fw, hotline)  # where it is not enabled


# ------------------------------------------------------------------ shell


def test_hook_register_settings(tmp_path):
    class Tiny:
        @hookimpl
        def register_settings(self):
            return [Setting("pass_mark", "int", 80, "Pass mark", "及格线", min=0, max=100)]

    fw = install(tmp_path, Tiny())
    assert fw.settings_schemas["tiny"]["pass_mark"].plugin == "tiny"
    assert fw.projects.settings("shop", "tiny") == {"pass_mark": 80}


def test_hook_register_routes(tmp_path):
    from floorwalker.core.app import plugin_routes

    class Tiny:
        @hookimpl
        def register_actions(self):
            return [Action("tiny.view", ("admin",), "See", "查看")]

        @hookimpl
        def register_routes(self):
            return [Route("/hello", lambda page: None, action="tiny.view"),
                    Route("/hello", lambda page: None, action="tiny.view", methods=("POST",))]

    fw = install(tmp_path, Tiny())
    assert [(r.path, r.methods) for r in plugin_routes(fw)] == [
        ("/p/{project}/tiny/hello", {"GET", "HEAD"}), ("/p/{project}/tiny/hello", {"POST"})]

    class Twice(Tiny):
        @hookimpl
        def register_routes(self):
            return [Route("/hello", lambda page: None, action="tiny.view")] * 2

    with pytest.raises(DuplicateContribution, match="tiny.hello.GET"):
        plugin_routes(install(tmp_path / "twice", Twice()))


def test_hook_register_actions(tmp_path):
    class Tiny:
        @hookimpl
        def register_actions(self):
            return [Action("tiny.coach", ("supervisor",), "Coach", "辅导", writes=True)]

    fw = install(tmp_path, Tiny())
    assert fw.access.actions["tiny.coach"].plugin == "tiny"


def page_of(fw, project, user):
    from floorwalker.core.page import Page

    request = Request({"type": "http", "method": "GET", "path": f"/p/{project['slug']}/",
                       "headers": [], "query_string": b""})
    return Page(request=request, shell=SimpleNamespace(fw=fw), user=user, session=None,
                locale="en", params={}, form={}, project=project)


def test_hook_nav_items(tmp_path):
    class Tiny:
        @hookimpl
        def nav_items(self, project, user):
            return [NavItem(title_en="Coaching", title_zh="辅导", url="tiny/", order=5)]

    fw = install(tmp_path, Tiny())
    nav = page_of(fw, fw.projects.get("shop"), ADMIN).nav()
    assert {"title": "Coaching", "url": "/p/shop/tiny/", "on": False} in nav
    assert all(item["title"] != "Coaching" for item in page_of(fw, fw.projects.get("hotline"), ADMIN).nav())


def test_a_nav_item_of_the_wrong_type_names_the_plugin_instead_of_vanishing(tmp_path):
    class Sloppy:
        @hookimpl
        def nav_items(self):
            return [{"title": "Coaching", "url": "tiny/"}]

    fw = install(tmp_path, Sloppy(), name="sloppy")
    with pytest.raises(WrongContribution, match="sloppy.*nav_items.*not a NavItem"):
        page_of(fw, fw.projects.get("shop"), ADMIN).nav()


def test_hook_dashboard_widgets(tmp_path):
    class Tiny:
        @hookimpl
        def dashboard_widgets(self, period):
            return [Widget(title_en="Late", title_zh="迟", template="tiny/w.html", order=50),
                    Widget(title_en="Early", title_zh="早", template="tiny/w.html", order=10)]

    fw = install(tmp_path, Tiny())
    found = ask(fw, "shop", "dashboard_widgets", Widget, period=MONTH, user=ADMIN)
    assert [w.title_en for w in found] == ["Early", "Late"]  # by order


def test_hook_register_kpis(tmp_path):
    class Tiny:
        @hookimpl
        def register_kpis(self):
            return [KPIDef("smiles", "Smile rate", "微笑率", "%", True, "ratio", "client")]

    fw = install(tmp_path, Tiny())
    assert (fw.kpi_defs["smiles"].plugin, fw.kpi_defs["smiles"].aggregate) == ("tiny", "ratio")
    with pytest.raises(DuplicateContribution, match="smiles.*tiny and tiny2"):
        install(tmp_path / "twice", Tiny(), Tiny())
    with pytest.raises(ValueError, match="audience"):
        KPIDef("pay", "Pay", "薪酬", audience="everyone")


def test_hook_project_kpis(tmp_path):
    """A new implementation gets the span; an old one, naming only the period, still answers."""
    from floorwalker.core.pages import key_numbers

    class Spans:
        @hookimpl
        def project_kpis(self, period, first, last):
            return [KPI(code="span_days", title_en="Days", title_zh="天数",
                        value=(last - first).days + 1, n=3, numerator=1, denominator=3)]

    class Monthly:
        @hookimpl
        def project_kpis(self, period):
            return [KPI("monthly", "smiles", "Smile rate", "微笑率", 97.5, "%", target=95.0)]

    fw = install(tmp_path, Spans(), Monthly())
    kpis = key_numbers(SimpleNamespace(fw=fw), fw.projects.get("shop"), "2025-02")["kpis"]
    assert [(k.plugin, k.code, k.value) for k in kpis] == [("tiny", "span_days", 28),
                                                            ("tiny2", "smiles", 97.5)]
    assert (kpis[0].n, kpis[0].numerator, kpis[0].denominator, kpis[0].automated) == (3, 1, 3, True)


def test_hook_report_sections(tmp_path):
    class Tiny:
        @hookimpl
        def report_sections(self, period, user):
            return [ReportSection(title_en="QA", title_zh="质检", template="tiny/r.html")]

    fw = install(tmp_path, Tiny())
    (section,) = ask(fw, "shop", "report_sections", ReportSection, period=MONTH, user=ADMIN)
    assert section.plugin == "tiny"


def test_hook_rule_changes(tmp_path):
    class Tiny:
        @hookimpl
        def rule_changes(self, first, last):
            return [RuleChange(dt.date(2025, 3, 9), "QA standard version 3 published", "质检标准第 3 版发布")]

    fw = install(tmp_path, Tiny())
    (change,) = ask(fw, "shop", "rule_changes", RuleChange, first=dt.date(2025, 3, 1), last=dt.date(2025, 3, 31))
    assert change.plugin == "tiny" and change.title("zh_CN") == "质检标准第 3 版发布"
    assert ask(fw, "hotline", "rule_changes", RuleChange, first=dt.date(2025, 3, 1), last=dt.date(2025, 3, 31)) == []


def test_hook_register_endpoints(tmp_path):
    """A plugin's endpoint is routed under /api/v1, checked (token, action, the plugin enabled in
    the project) and documented in the OpenAPI document; a path outside its own prefix fails."""
    from starlette.testclient import TestClient

    from floorwalker.core.app import create_app
    from floorwalker.core.plugins import collect_endpoints
    from floorwalker.core.tokens import Tokens

    class Tiny:
        @hookimpl
        def register_endpoints(self):
            return [Endpoint("GET", "/projects/{project}/tiny/waves", lambda call: {"waves": 3},
                             "agents.list", "The waves")]

    fw = install(tmp_path, Tiny())
    fw.users.add("boss", "pass-word-123", ["admin"], "setup", projects=["*"])
    client = TestClient(create_app(fw), headers={
        "Authorization": f"Bearer {Tokens(fw).create('boss', 'test', 'setup')[1]}"})
    assert client.get("/api/v1/projects/shop/tiny/waves").json() == {"waves": 3}
    assert client.get("/api/v1/projects/hotline/tiny/waves").status_code == 404  # not enabled there
    assert "/api/v1/projects/{project}/tiny/waves" in client.get("/api/v1/openapi.json").json()["paths"]

    class Stray:
        @hookimpl
        def register_endpoints(self):
            return [Endpoint("GET", "/projects/{project}/agents2", lambda call: [], "agents.list", "x")]

    pm = make_plugin_manager(builtins=())
    pm.register(Stray(), name="stray")
    with pytest.raises(ValueError, match="must begin /projects/{project}/stray/"):
        collect_endpoints(pm)


def test_hook_register_commands(tmp_path):
    import click

    from floorwalker.cli import make_cli

    class Tiny:
        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            def wave():
                click.echo("hello from tiny")

    pm = make_plugin_manager(builtins=())
    pm.register(Tiny(), name="tiny")
    result = CliRunner().invoke(make_cli(pm), ["--data", str(tmp_path), "wave"])
    assert result.output == "hello from tiny\n"


def test_hook_register_importers(tmp_path):
    class Tiny:
        @hookimpl
        def register_importers(self):
            return [Importer(code="sessions", title_en="Sessions", title_zh="培训场次",
                             columns=("agent", "date"), run=lambda fw, project, rows, actor: {})]

    fw = install(tmp_path, Tiny())
    assert fw.importers["tiny.sessions"].plugin == "tiny"


def test_hook_register_jobs(tmp_path):
    """Jobs run where their plugin is enabled, when due; each run is recorded per project."""
    class Tiny(Calls):
        @hookimpl
        def register_jobs(self):
            return [Job("windows", 60, self.windows), Job("broken", dt.timedelta(hours=1), self.broken)]

        def windows(self, floorwalker, project, now):
            self.calls.append((project["slug"], now))
            return {"closed": 2}

        def broken(self, floorwalker, project, now):
            raise RuntimeError("no dispute table")

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    nine = dt.datetime(2025, 3, 3, 9, 0)
    made = timed.run_due(fw, at=nine)
    assert sorted((r["job"], r["project"], r["ok"]) for r in made) == [
        ("tiny.broken", "shop", False), ("tiny.windows", "shop", True)]  # not in hotline
    runs = timed.last_runs(fw)
    assert runs["tiny.windows:shop"]["result"] == {"closed": 2}
    assert runs["tiny.broken:shop"]["error"] == "RuntimeError: no dispute table"
    assert timed.run_due(fw, at=nine + dt.timedelta(minutes=30)) == []  # neither is due yet
    assert [r["job"] for r in timed.run_due(fw, at=nine + dt.timedelta(minutes=60))] == [
        "tiny.windows", "tiny.broken"]
    assert [r["job"] for r in timed.run_due(fw, job="tiny.windows", force=True, at=nine)] == ["tiny.windows"]
    assert len(tiny.calls) == 3


def test_a_job_two_runners_find_due_runs_once(tmp_path, monkeypatch):
    """Two runners (another server's pass, a cron line) that both read the runs before either
    ran: the first claims the job, the second sees the claim and leaves it; while it runs the
    listing says so."""
    class Tiny(Calls):
        @hookimpl
        def register_jobs(self):
            return [Job("windows", 60, self.windows)]

        def windows(self, floorwalker, project, now):
            self.calls.append(dict(floorwalker.store.table(timed.JOBS, timed.RUNS)["tiny.windows:shop"]))

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    stale = {}  # what both passes read before either ran
    monkeypatch.setattr(timed, "last_runs", lambda fw_: stale)
    nine = dt.datetime(2025, 3, 3, 9, 0)
    assert [r["job"] for r in timed.run_due(fw, at=nine)] == ["tiny.windows"]
    assert tiny.calls[0]["ok"] is None  # claimed: running
    assert timed.run_due(fw, at=nine + dt.timedelta(minutes=1)) == []
    assert len(tiny.calls) == 1
    assert fw.store.table(timed.JOBS, timed.RUNS)["tiny.windows:shop"]["ok"] is True


def test_jobs_are_listed_and_run_from_the_command_line(tmp_path):
    from floorwalker.cli import make_cli

    class Tiny:
        @hookimpl
        def register_jobs(self):
            return [Job("windows", 15, lambda floorwalker, project, now: None)]

    fw = install(tmp_path, Tiny())
    cli, data = make_cli(fw.pm), str(tmp_path / "data")
    listed = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "jobs", "--format", "csv"])
    assert listed.exit_code == 0 and "tiny.windows,15m,shop,," in listed.output
    ran = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "jobs", "run", "--project", "shop"])
    assert (ran.exit_code, ran.output) == (0, "tiny.windows ran in project shop.\n")
    again = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "jobs", "run"])
    assert again.output == "No job is due.\n"
    unknown = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "jobs", "run", "--job", "nope"])
    assert unknown.exit_code == 1 and "no job 'nope'" in unknown.output


def test_the_servers_runner_runs_jobs_in_a_thread_and_stops(tmp_path):
    class Tiny(Calls):
        @hookimpl
        def register_jobs(self):
            return [Job("tick", 1, lambda floorwalker, project, now: self.calls.append(now))]

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    with timed.Runner(fw, tick=0.05) as runner:
        deadline = time.monotonic() + 5
        while not tiny.calls and time.monotonic() < deadline:
            time.sleep(0.01)
    assert runner._thread is not None and not runner._thread.is_alive()
    assert len(tiny.calls) == 1  # due once a minute: later passes find nothing due
    assert timed.last_runs(fw)["tiny.tick:shop"]["ok"] is True


def test_hook_agenda_items(tmp_path):
    class Tiny:
        @hookimpl
        def agenda_items(self, meeting, day):
            return [AgendaItem("Absences today", "今日缺勤", "tiny/absences.html",
                               {"kind": meeting["kind"], "day": day.isoformat()}, order=10)]

    fw = install(tmp_path, Tiny())
    (item,) = ask(fw, "shop", "agenda_items", AgendaItem, meeting={"kind": "briefing"},
                  day=dt.date(2025, 3, 3), user=ADMIN)
    assert (item.plugin, item.context) == ("tiny", {"kind": "briefing", "day": "2025-03-03"})


def test_hook_waiting_items(tmp_path):
    class Tiny:
        @hookimpl
        def waiting_items(self, project, user):
            return [WaitingItem("Disputes to arbitrate", "待仲裁的申诉", 4, f"/p/{project['slug']}/tiny/")]

    fw = install(tmp_path, Tiny())
    (item,) = ask(fw, "shop", "waiting_items", WaitingItem, user=ADMIN)
    assert (item.plugin, item.count, item.title("zh_CN")) == ("tiny", 4, "待仲裁的申诉")


def test_hook_on_settings_changed(tmp_path):
    class Tiny(Calls):
        @hookimpl
        def register_settings(self):
            return [Setting("pass_mark", "int", 80, "Pass mark", "及格线")]

        @hookimpl
        def on_settings_changed(self, plugin, before, after, user):
            self.calls.append((plugin, before, after, user))

    tiny = Tiny()
    fw = install(tmp_path, tiny)
    fw.projects.configure("shop", "tiny", {"pass_mark": 75}, "admin", user=ADMIN)
    fw.projects.configure("shop", "tiny", {"pass_mark": 75}, "admin")  # no change: no call
    fw.projects.set("shop", "core.base_score", 90, "admin")
    assert tiny.calls[0] == ("tiny", {"pass_mark": 80}, {"pass_mark": 75}, ADMIN)
    assert [(plugin, after["base_score"]) for plugin, _, after, _ in tiny.calls[1:]] == [("core", 90)]


def test_hook_register_migrations(tmp_path):
    def split_names(tables):
        pass

    class Tiny:
        @hookimpl
        def register_migrations(self):
            return [Migration("tiny", [split_names]), Migration("tiny_sessions", (split_names,))]

    fw = install(tmp_path, Tiny())
    assert fw.migrations["tiny"].steps == (split_names,)

    class Trespasser:
        @hookimpl
        def register_migrations(self):
            return [Migration("attendance", (split_names,))]

    with pytest.raises(WrongContribution, match="trespasser.*attendance"):
        install(tmp_path / "other", Trespasser(), name="trespasser")


# ------------------------------------------------------------------ collect()


def test_collect_refuses_a_wrong_type_or_a_bare_record_naming_the_plugin(tmp_path):
    class Bare:
        @hookimpl
        def period_blockers(self):
            return Blocker(title_en="x", title_zh="x")  # not in a list

    fw = install(tmp_path, Bare(), name="bare")
    with pytest.raises(WrongContribution) as err:
        fw.periods.blockers("shop", MONTH)
    assert "bare" in err.value.message("en") and "not a list of Blocker" in str(err.value)
    assert isinstance(err.value, PluginLoadError) and isinstance(err.value, TypeError)


def test_a_record_takes_its_plugin_first_or_not_at_all():
    assert NavItem("qa", "QA", "质检", "qa/") == NavItem(title_en="QA", title_zh="质检", url="qa/",
                                                           plugin="qa")
    with pytest.raises(TypeError, match="NavItem.*url"):
        NavItem(title_en="QA", title_zh="质检")


# ------------------------------------------------------------------ hooks declared by plugins


class Complaints:
    """Declares ``ask_for_review`` and calls it without knowing who answers."""

    class hookspecs:  # a plugin package's hookspecs.py, in a class for the test
        @staticmethod
        @hookspec
        def ask_for_review(floorwalker, project, complaint):
            """Start a QA review of the interaction behind *complaint*. Project-scoped."""

    @staticmethod
    def escalate(fw, slug, complaint):
        project = fw.projects.get(slug)
        return fw.project_hook(project, "ask_for_review")(floorwalker=fw, project=project,
                                                          complaint=complaint)


class QA:
    @hookimpl
    def ask_for_review(self, complaint):
        return f"review of {complaint}"


def test_a_plugin_declares_a_hook_that_another_implements(tmp_path):
    fw = install(tmp_path, Complaints(), QA(), name="complaints")  # qa registers as complaints2
    assert Complaints.escalate(fw, "shop", "c-17") == ["review of c-17"]
    fw.projects.disable("shop", "complaints2", "admin")
    assert Complaints.escalate(fw, "shop", "c-17") == []


def test_a_hook_whose_declaring_plugin_is_not_installed_answers_nothing(tmp_path):
    class Optional:  # implements complaints' hook, and loads without complaints
        @hookimpl(optionalhook=True)
        def ask_for_review(self, complaint):
            return complaint

    fw = install(tmp_path, Optional())
    project = fw.projects.get("shop")
    assert fw.project_hook(project, "qa_review_requested")(floorwalker=fw, project=project) == []
    assert collect(fw.project_hook(project, "qa_review_requested"), dict) == []


def test_a_plugin_packages_hookspecs_module_is_added_before_its_implementations(tmp_path, monkeypatch):
    package = tmp_path / "site" / "floorwalker_complaints"
    package.mkdir(parents=True)
    (package / "hookspecs.py").write_text(textwrap.dedent('''
        from floorwalker.core import hookspec

        @hookspec
        def qa_review_requested(floorwalker, project, complaint):
            """Start a QA review. Project-scoped."""
    '''), encoding="utf-8")
    (package / "__init__.py").write_text(textwrap.dedent('''
        from floorwalker.core import hookimpl

        @hookimpl
        def qa_review_requested(complaint):  # its own hook, checked against its own spec
            return complaint
    '''), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    import floorwalker_complaints

    try:
        pm = make_plugin_manager(builtins=())
        pm.register(floorwalker_complaints, name="complaints")
        assert pm.hook.qa_review_requested.spec is not None
        assert pm.hook.qa_review_requested(floorwalker=None, project=None, complaint="c-1") == ["c-1"]
    finally:
        for name in [m for m in sys.modules if m.startswith("floorwalker_complaints")]:
            del sys.modules[name]


def test_two_plugins_cannot_declare_the_same_hook(tmp_path):
    pm = make_plugin_manager(builtins=())
    pm.register(Complaints(), name="complaints")
    with pytest.raises(PluginLoadError, match="rival"):
        pm.register(Complaints(), name="rival")
