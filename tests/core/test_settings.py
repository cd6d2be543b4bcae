"""Per-project plugin settings: defaults, and every change checked against the plugin's schema."""

import pytest

from floorwalker.core import Setting, ValidationError, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for


class Rostering:
    @hookimpl
    def register_settings(self):
        return [
            Setting("grace_minutes", "int", 0, "Late grace", "迟到宽限", min=0, max=30),
            Setting("target", "float", 95.0, "Target", "目标", min=0, max=100),
            Setting("night_shifts", "bool", True, "Night shifts", "夜班"),
            Setting("rota", "choice", "weekly", "Rota", "排班周期", choices=("weekly", "monthly")),
            Setting("note", "str", "", "Note", "备注"),
        ]


@pytest.fixture
def fw(tmp_path):
    pm = make_plugin_manager(builtins=())
    pm.register(Rostering(), name="rostering")
    fw = Floorwalker(store_for(tmp_path), pm)
    fw.projects.create("acme", "Acme", "admin")
    fw.projects.create("shop", "Shop", "admin")
    return fw


def test_defaults_come_from_the_schema(fw):
    assert fw.projects.settings("acme", "rostering") == {
        "grace_minutes": 0, "target": 95.0, "night_shifts": True, "rota": "weekly", "note": ""}
    assert fw.projects.settings("acme", "core")["base_score"] == 80


@pytest.mark.parametrize("key, given, stored", [
    ("grace_minutes", "5", 5), ("grace_minutes", 30, 30), ("grace_minutes", 0, 0),
    ("target", "96.5", 96.5), ("night_shifts", "no", False), ("night_shifts", "是", True),
    ("rota", "monthly", "monthly"), ("note", 12, "12"),
])
def test_values_are_converted_to_the_setting_type(fw, key, given, stored):
    fw.projects.set("acme", f"rostering.{key}", given, "admin")
    assert fw.projects.settings("acme", "rostering")[key] == stored


def test_settings_are_per_project(fw):
    fw.projects.configure("acme", "rostering", {"grace_minutes": 5}, "admin")
    assert fw.projects.settings("shop", "rostering")["grace_minutes"] == 0


@pytest.mark.parametrize("key, value", [
    ("grace_minutes", "five"), ("grace_minutes", 2.5), ("grace_minutes", True),
    ("grace_minutes", -1), ("grace_minutes", 31), ("target", 100.1), ("target", "x"),
    ("night_shifts", "maybe"), ("rota", "daily"), ("colour", "red"),
])
def test_a_bad_value_is_refused_naming_the_key(fw, key, value):
    with pytest.raises(ValidationError) as err:
        fw.projects.configure("acme", "rostering", {key: value}, "admin")
    assert err.value.field == key
    assert fw.projects.get("acme")["settings"] == {}


def test_one_bad_value_refuses_the_whole_change(fw):
    with pytest.raises(ValidationError):
        fw.projects.configure("acme", "rostering", {"grace_minutes": 5, "rota": "daily"}, "admin")
    assert fw.projects.settings("acme", "rostering")["grace_minutes"] == 0


def test_settings_of_an_unknown_plugin_are_refused(fw):
    with pytest.raises(ValidationError) as err:
        fw.projects.set("acme", "nosuch.grace_minutes", 5, "admin")
    assert err.value.field == "plugin"


@pytest.mark.parametrize("key, value", [("base_score", -1), ("cap", 0), ("escalation_points", 5)])
def test_core_score_settings_are_checked(fw, key, value):
    with pytest.raises(ValidationError) as err:
        fw.projects.set("acme", f"core.{key}", value, "admin")
    assert err.value.field == key


def test_the_error_reads_in_chinese_too(fw):
    with pytest.raises(ValidationError) as err:
        fw.projects.configure("acme", "rostering", {"grace_minutes": 31}, "admin")
    assert "30" in err.value.message("zh_CN")
    assert err.value.message("zh_CN") != err.value.message("en")
