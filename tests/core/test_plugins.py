"""The plugin system: third-party plugins through entry points, allowlisted by name, enabled per
project, silent where not enabled; contributions typed and unique."""

import sys
import textwrap
import types
from pathlib import Path

import pytest

from floorwalker.core import ScoreRule, Setting, ValidationError, hookimpl
from floorwalker.core.floorwalker import Floorwalker, open_floorwalker
from floorwalker.core import plugins as plugins_module
from floorwalker.core.plugins import (CORE_PLUGIN, PluginLoadError, available_entry_points,
                                      collect_rules, make_plugin_manager, plugin_names, project_hook)

from ..pgcluster import store_for

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "floorwalker-example-plugin"
MONTH = "2025-03"


def install_distribution(site: Path, dist: str, entry_points: dict[str, str],
                         modules: dict[str, str] | None = None) -> None:
    """Make *site* look like site-packages holding distribution *dist*: its modules and a
    dist-info whose entry_points.txt offers *entry_points* in the `floorwalker` group."""
    for module, source in (modules or {}).items():
        package = site / module
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n",
                                   encoding="utf-8")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[floorwalker]\n{lines}", encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A throw-away site folder on sys.path; modules imported from it are forgotten after."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        del sys.modules[name]


@pytest.fixture
def example(site, monkeypatch):
    """The example plugin of examples/, installed as the distribution floorwalker-training."""
    monkeypatch.syspath_prepend(str(EXAMPLE))
    install_distribution(site, "floorwalker-training", {"training": "floorwalker_training"})
    return "training"


def open_install(tmp_path, allowlist) -> Floorwalker:
    store = store_for(tmp_path / "data")
    return Floorwalker(store, make_plugin_manager(allowlist, builtins=()))


@pytest.fixture
def fw(tmp_path, example):
    fw = open_install(tmp_path, [example])
    fw.projects.create("shop", "Shop", "admin", plugins=[])
    fw.projects.create("hotline", "Hotline", "admin", plugins=[])
    fw.projects.enable("shop", "training", "admin")
    fw.agents.add("shop", "1001", "Li Lei", "admin", hired="2025-01-01")
    fw.agents.add("hotline", "2001", "Han Meimei", "admin", hired="2025-01-01")
    return fw


def test_an_installed_plugin_is_offered_but_not_loaded_until_allowlisted(tmp_path, example):
    assert "training" in available_entry_points()
    fw = open_install(tmp_path, [])
    assert "training" not in fw.plugin_names()
    assert "training_passed_top" not in fw.rules
    assert "floorwalker_training" not in sys.modules
    with pytest.raises(ValidationError):
        fw.projects.create("shop", "Shop", "admin", plugins=["training"])


def test_an_allowlisted_plugin_is_listed_with_its_rules_and_settings(tmp_path, example):
    fw = open_install(tmp_path, ["training"])
    assert fw.plugin_names() == ["training"]
    assert fw.rules["training_passed_top"][0] == "training"
    assert fw.projects.create("shop", "Shop", "admin")["plugins"] == ["training"]
    assert fw.projects.settings("shop", "training") == {"pass_mark": 80, "top_mark": 95}


def test_the_allowlist_is_read_from_the_install_settings(tmp_path, example):
    fw = open_floorwalker(tmp_path / "data", pm=make_plugin_manager(builtins=()))
    fw.set_install("admin", plugins_allowlist=["training"])
    reopened = open_floorwalker(tmp_path / "data")
    assert "training" in reopened.plugin_names()


def test_an_allowlisted_name_nobody_installed_changes_nothing(tmp_path, site):
    assert plugin_names(make_plugin_manager(["ghost"], builtins=())) == []


def test_the_plugin_scores_in_the_project_that_enables_it(fw):
    training = sys.modules["floorwalker_training"]
    session = training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    training.record_result(fw, "shop", session["id"], 97, "trainer")
    row = fw.ledger.sheet("shop", MONTH)[0]
    assert row["total"] == 83
    assert row["events"][0]["evidence"] == f"training:session:{session['id']}"
    fw.ledger.record("shop", "1001", "training_failed", "2025-03-13", "trainer", points=-4)
    assert fw.ledger.sheet("shop", MONTH)[0]["total"] == 79


def test_the_plugin_settings_are_checked_against_its_schema(fw):
    with pytest.raises(ValidationError) as err:
        fw.projects.set("shop", "training.pass_mark", 101, "admin")
    assert err.value.field == "pass_mark"


def test_the_plugin_is_silent_where_not_enabled(fw):
    training = sys.modules["floorwalker_training"]
    training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    shop, hotline = fw.projects.get("shop"), fw.projects.get("hotline")
    agent_1001, agent_2001 = fw.agents.get("1001"), fw.agents.get("2001")

    def sections(project, agent):
        return fw.project_hook(project, "agent_sections")(
            floorwalker=fw, project=project, agent=agent, period=MONTH, user=None)

    assert [s.plugin for group in sections(shop, agent_1001) for s in group] == ["training"]
    assert sections(hotline, agent_2001) == []
    assert [b.plugin for b in fw.periods.blockers("shop", MONTH)] == ["training"]
    assert fw.periods.blockers("hotline", MONTH) == []
    fw.periods.close("hotline", MONTH, "admin")


def test_a_blocker_of_the_plugin_stops_the_close_until_settled(fw):
    training = sys.modules["floorwalker_training"]
    session = training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    with pytest.raises(Exception, match="Training sessions without a result"):
        fw.periods.close("shop", MONTH, "admin")
    training.record_result(fw, "shop", session["id"], 85, "trainer")
    fw.periods.close("shop", MONTH, "admin")


def test_a_leaver_loses_future_sessions_only_where_enabled(fw):
    training = sys.modules["floorwalker_training"]
    training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    training.schedule(fw, "shop", "1001", "2025-04-12", "Upselling", "trainer")
    fw.agents.leave("1001", "2025-03-31", "resigned", "admin")
    assert [s["date"] for s in training.sessions(fw, "shop")] == ["2025-03-12"]


THIRD_PARTY = """
    from floorwalker.core import ScoreRule, hookimpl

    CALLS = []

    @hookimpl
    def register_score_rules():
        return [ScoreRule({code!r}, "bonus", 2, "Helped a colleague", "帮助同事")]

    @hookimpl
    def on_agent_created(project, agent):
        CALLS.append((project["slug"], agent["number"]))
"""


def test_a_throwaway_distribution_plugs_in_by_name(tmp_path, site):
    install_distribution(site, "mypkg", {"mypkg": "mypkg"},
                         {"mypkg": THIRD_PARTY.format(code="helped_colleague")})
    fw = open_install(tmp_path, ["mypkg"])
    fw.projects.create("shop", "Shop", "admin", plugins=["mypkg"])
    fw.projects.create("hotline", "Hotline", "admin", plugins=[])
    fw.agents.add("shop", "1001", "Li Lei", "admin", hired="2025-01-01")
    fw.agents.add("hotline", "2001", "Han Meimei", "admin", hired="2025-01-01")
    assert sys.modules["mypkg"].CALLS == [("shop", "1001")]
    assert fw.ledger.record("shop", "1001", "helped_colleague", "2025-03-03", "tl")["points"] == 2


def test_duplicate_rule_codes_from_two_plugins_fail_at_start_naming_both(tmp_path, site):
    for name in ("alpha", "beta"):
        install_distribution(site, f"floorwalker-{name}", {name: name},
                             {name: THIRD_PARTY.format(code="helped_colleague")})
    with pytest.raises(ValueError) as err:
        open_install(tmp_path, ["alpha", "beta"])
    assert "helped_colleague" in str(err.value)
    assert "alpha" in str(err.value) and "beta" in str(err.value)


def test_a_plugin_rule_may_not_take_a_core_code(tmp_path):
    class Copycat:
        @hookimpl
        def register_score_rules(self):
            return [ScoreRule("absent", "severe", -30, "Absent", "旷工")]

    pm = make_plugin_manager(builtins=())
    pm.register(Copycat(), name="copycat")
    with pytest.raises(ValueError, match="absent.*core.*copycat"):
        collect_rules(pm)


@pytest.mark.parametrize("hook, wrong", [
    ("register_score_rules", {"code": "x"}),
    ("register_settings", ("grace", "int", 0)),
])
def test_contributions_must_be_typed_records(tmp_path, hook, wrong):
    plugin = type("Sloppy", (), {hook: hookimpl(staticmethod(lambda: [wrong]))})
    pm = make_plugin_manager(builtins=())
    pm.register(plugin, name="sloppy")
    with pytest.raises(TypeError, match="sloppy"):
        Floorwalker(store_for(tmp_path), pm)


def test_a_setting_declared_twice_fails_at_start(tmp_path):
    class Twice:
        @hookimpl
        def register_settings(self):
            return [Setting("grace", "int", 0, "Grace", "宽限")] * 2

    pm = make_plugin_manager(builtins=())
    pm.register(Twice(), name="twice")
    with pytest.raises(ValueError, match="twice.*grace"):
        Floorwalker(store_for(tmp_path), pm)


def test_project_hook_leaves_out_disabled_plugins_but_keeps_the_core():
    class Loud:
        @hookimpl
        def nav_items(self):
            return ["loud"]

    pm = make_plugin_manager(builtins=())
    pm.register(Loud(), name="loud")
    assert project_hook(pm, "nav_items", ["loud"])(floorwalker=None, project=None, user=None) \
        == [["loud"]]
    assert project_hook(pm, "nav_items", [])(floorwalker=None, project=None, user=None) == []
    assert CORE_PLUGIN not in plugin_names(pm)


def test_the_readme_steps_switch_the_example_on(tmp_path, example, monkeypatch, capsys):
    """examples/…/README.md: allow by name, then enable per project, from the command line."""
    from floorwalker.cli import main

    monkeypatch.setenv("FLOORWALKER_LANG", "en")
    data = str(tmp_path / "data")

    def floorwalker(*args):
        with pytest.raises(SystemExit) as done:
            main(["--data", data, *args])
        return done.value.code

    assert floorwalker("project", "create", "shop", "--client", "Shop") == 0
    assert floorwalker("plugins", "allow", "training") == 0
    assert floorwalker("project", "enable", "shop", "training") == 0
    assert floorwalker("project", "set", "shop", "training.pass_mark", "75") == 0
    assert floorwalker("project", "set", "shop", "training.pass_mark", "175") != 0
    assert "pass_mark" in capsys.readouterr().err
    fw = open_floorwalker(data)
    assert "training" in fw.projects.get("shop")["plugins"]
    assert fw.projects.settings("shop", "training")["pass_mark"] == 75


BROKEN = """
    import no_such_dependency_of_this_plugin
"""

TYPO = """
    from floorwalker.core import hookimpl

    @hookimpl
    def on_agent_create(agent):  # meant on_agent_created: would never be called
        pass
"""


@pytest.mark.parametrize("source, reason", [(BROKEN, "no_such_dependency"),
                                            (TYPO, "on_agent_create")])
def test_a_broken_plugin_fails_at_start_naming_it_and_the_way_out(tmp_path, site, source, reason):
    install_distribution(site, "floorwalker-shaky", {"shaky": "shaky"}, {"shaky": source})
    with pytest.raises(PluginLoadError) as err:
        make_plugin_manager(["shaky"], builtins=())
    message = err.value.message("en")
    assert "shaky" in message and reason in message
    assert "floorwalker plugins deny shaky" in message


def test_a_builtin_plugin_is_toggled_per_project_like_a_third_party_one(tmp_path, monkeypatch):
    module = types.ModuleType("floorwalker.plugins.floor")
    module.register_score_rules = hookimpl(
        lambda: [ScoreRule("floor_tidy", "bonus", 1, "Tidy floor", "现场整洁")])
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(plugins_module, "DEFAULT_PLUGINS", ("floor",))
    fw = Floorwalker(store_for(tmp_path), make_plugin_manager(["floor"]))
    assert fw.plugin_names() == ["floor"]
    assert fw.rules["floor_tidy"][0] == "floor"
    fw.projects.create("shop", "Shop", "admin")
    assert fw.projects.disable("shop", "floor", "admin")["plugins"] == []
    assert fw.projects.enable("shop", "floor", "admin")["plugins"] == ["floor"]


@pytest.mark.parametrize("score, rule", [(0, "training_failed"), (79, "training_failed"),
                                         (80, None), (94, None), (95, "training_passed_top"),
                                         (100, "training_passed_top")])
def test_the_example_rules_at_their_boundaries(example, score, rule):
    from floorwalker_training.rules import result_rule

    assert result_rule(score, pass_mark=80, top_mark=95) == rule


@pytest.mark.parametrize("score", [-1, 101, 85.5, True])
def test_the_example_refuses_an_impossible_score(fw, score):
    training = sys.modules["floorwalker_training"]
    session = training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    with pytest.raises(ValidationError) as err:
        training.record_result(fw, "shop", session["id"], score, "trainer")
    assert err.value.field == "score"


def test_the_example_section_renders_through_the_shell_in_both_languages(fw):
    from floorwalker.core.templating import Templates

    training = sys.modules["floorwalker_training"]
    training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    (section,), = fw.project_hook(fw.projects.get("shop"), "agent_sections")(
        floorwalker=fw, project=fw.projects.get("shop"), agent=fw.agents.get("1001"),
        period=MONTH, user=None)
    templates = Templates(fw.store.root, "default", fw.pm)
    zh = templates.render(section.template, "zh_CN", section.context)
    en = templates.render(section.template, "en", section.context)
    assert "培训主题" in zh and "Refund policy" in zh
    assert "Training topic" in en
    assert "本月没有培训" in templates.render(section.template, "zh_CN", {"sessions": []})


def test_an_escalation_rule_must_be_derived():
    with pytest.raises(ValueError, match="derived"):
        ScoreRule("team_failed", "escalation", -20, "Team failed", "班组失职")


def test_a_corrected_result_reverses_the_event_the_old_one_caused(fw):
    training = sys.modules["floorwalker_training"]
    session = training.schedule(fw, "shop", "1001", "2025-03-12", "Refund policy", "trainer")
    training.record_result(fw, "shop", session["id"], 60, "trainer")
    assert fw.ledger.sheet("shop", MONTH)[0]["total"] == 78
    training.record_result(fw, "shop", session["id"], 97, "trainer")
    row = fw.ledger.sheet("shop", MONTH)[0]
    assert row["total"] == 83
    assert [(e["rule"], e["points"], bool(e["reversed_by"])) for e in row["events"]] == [
        ("training_failed", -2, True), ("training_failed", 2, False),
        ("training_passed_top", 3, False)]
    training.record_result(fw, "shop", session["id"], 85, "trainer")
    assert fw.ledger.sheet("shop", MONTH)[0]["total"] == 80
