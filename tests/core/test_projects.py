"""Projects: create, fields, plugin toggles and contract KPI targets."""

import pytest

from floorwalker.core import Conflict, NotFound, ValidationError, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for


class Extra:
    @hookimpl
    def register_score_rules(self):
        return []


@pytest.fixture
def fw(tmp_path):
    pm = make_plugin_manager(builtins=())
    pm.register(Extra(), name="extra")
    return Floorwalker(store_for(tmp_path), pm)


def test_create_enables_every_installed_plugin_by_default(fw):
    project = fw.projects.create("acme", "Acme Ltd", "admin", channels=["voice", "chat"])
    assert (project["slug"], project["client"], project["name"], project["status"]) == \
        ("acme", "Acme Ltd", "Acme Ltd", "active")
    assert project["plugins"] == ["extra"]
    assert fw.projects.get("acme") == project


def test_create_twice_is_refused(fw):
    fw.projects.create("acme", "Acme", "admin")
    with pytest.raises(Conflict):
        fw.projects.create("acme", "Other", "admin")


@pytest.mark.parametrize("field, args", [
    ("project", {"slug": "Acme!"}),
    ("project", {"slug": "a"}),
    ("client", {"client": " "}),
    ("channels", {"channels": ["fax"]}),
    ("plugin", {"plugins": ["nosuch"]}),
    ("time zone", {"timezone": "Mars/Olympus"}),
    ("kpi.csat", {"kpi_targets": {"csat": "high"}}),
])
def test_create_is_checked(fw, field, args):
    args = {"slug": "acme", "client": "Acme", **args}
    with pytest.raises(ValidationError) as err:
        fw.projects.create(args.pop("slug"), args.pop("client"), "admin", **args)
    assert err.value.field == field


def test_unknown_project_is_not_found(fw):
    with pytest.raises(NotFound):
        fw.projects.get("ghost")


@pytest.mark.parametrize("key, value, expected", [
    ("name", "Acme hotline", {"name": "Acme hotline"}),
    ("status", "paused", {"status": "paused"}),
    ("channels", "voice, chat", {"channels": ["voice", "chat"]}),
    ("timezone", "Asia/Urumqi", {"timezone": "Asia/Urumqi"}),
    ("kpi.service_level", "80", {"kpi_targets": {"service_level": 80.0}}),
])
def test_set_a_field(fw, key, value, expected):
    fw.projects.create("acme", "Acme", "admin")
    project = fw.projects.set("acme", key, value, "admin")
    assert {k: project[k] for k in expected} == expected


@pytest.mark.parametrize("key, value", [
    ("status", "sleeping"), ("kpi.service_level", "high"), ("kpi.service_level", "nan"),
    ("kpi.aht", "inf"), ("colour", "red"), ("name", ""),
    ("timezone", "Asia/Beijing"),
])
def test_set_refuses_bad_values_naming_the_key(fw, key, value):
    fw.projects.create("acme", "Acme", "admin")
    with pytest.raises(ValidationError) as err:
        fw.projects.set("acme", key, value, "admin")
    assert err.value.field == key


def test_kpi_targets_accumulate(fw):
    fw.projects.create("acme", "Acme", "admin", kpi_targets={"answer_rate": 95})
    fw.projects.set("acme", "kpi.csat", 96, "admin")
    assert fw.projects.get("acme")["kpi_targets"] == {"answer_rate": 95, "csat": 96.0}


def test_enable_and_disable_a_plugin(fw):
    fw.projects.create("acme", "Acme", "admin", plugins=[])
    assert fw.projects.enable("acme", "extra", "admin")["plugins"] == ["extra"]
    assert fw.projects.enable("acme", "extra", "admin")["plugins"] == ["extra"]
    assert fw.projects.disable("acme", "extra", "admin")["plugins"] == []


@pytest.mark.parametrize("action", ["enable", "disable"])
def test_an_unknown_plugin_is_refused(fw, action):
    fw.projects.create("acme", "Acme", "admin")
    with pytest.raises(ValidationError) as err:
        getattr(fw.projects, action)("acme", "nosuch", "admin")
    assert err.value.field == "plugin"
    assert "nosuch" in str(err.value)


def test_project_changes_are_audited(fw):
    fw.projects.create("acme", "Acme", "admin")
    fw.projects.set("acme", "status", "paused", "director")
    audit = fw.store.audit_entries("core")
    entries = sorted((e for e in audit if e["action"] == "project.set"), key=lambda e: e["id"])
    assert entries[-1]["actor"] == "director"
    assert entries[-1]["changes"][0]["updated"][0]["after"] == {"status": "paused"}


def test_agent_label_masks_names_for_a_client_outside_any_web_request(fw):
    """A job or an export names agents as its reader may see them, as `Page.agent_name` does."""
    fw.projects.create("acme", "Acme", "admin")
    agent = {"number": "1001", "name": "李雷"}
    client = {"username": "acme.client", "roles": ["client"]}
    supervisor = {"username": "sup", "roles": ["supervisor"]}
    assert fw.projects.agent_label("acme", client, agent, 3, "en") == "Agent #3"
    assert fw.projects.agent_label("acme", client, agent, 3, "zh_CN") == "坐席 #3"
    assert fw.projects.agent_label("acme", supervisor, agent, 3, "en") == "李雷"
    assert fw.projects.agent_label("acme", None, agent, 3, "en") == "李雷"  # the system
    fw.projects.configure("acme", "core", {"show_agent_names_to_client": True}, "admin")
    assert fw.projects.agent_label(fw.projects.get("acme"), client, agent, 3, "en") == "李雷"
