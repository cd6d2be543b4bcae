"""A plugin's translations ship in the ``locale/`` folder beside its module and join the catalogs
when the plugin is registered: a tiny plugin of a test, the built-ins, and the example plugin
loaded through its entry point alike."""

import importlib.metadata
import sys
import tomllib
import types
from pathlib import Path

import pytest

from floorwalker.core import i18n
from floorwalker.core.i18n import LOCALE_DIR, catalog, locale_dirs, translate, translations
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.templating import Templates

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "floorwalker-example-plugin"
HEADER = 'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """Folders a test adds are forgotten after it (compiled catalogs are cached per folder list,
    so the catalogs other tests read come back with the list)."""
    monkeypatch.setattr(i18n, "_plugin_locale_dirs", list(i18n._plugin_locale_dirs))


def tiny_plugin(folder: Path, words: dict[str, str]) -> types.ModuleType:
    """A plugin package at *folder*: one template, and *words* in its zh_CN catalog."""
    (folder / "templates" / "tiny").mkdir(parents=True)
    (folder / "templates" / "tiny" / "drill.html").write_text('<h2>{{ _("Fire drill") }}</h2>')
    messages = folder / "locale" / "zh_CN" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    entries = "".join(f'msgid "{msgid}"\nmsgstr "{string}"\n\n' for msgid, string in words.items())
    (messages / "tiny.po").write_text(HEADER + entries, encoding="utf-8")
    plugin = types.ModuleType(folder.name)
    plugin.__file__ = str(folder / "__init__.py")
    return plugin


def test_a_tiny_plugin_translates_its_messages_and_pages_from_its_own_folder(tmp_path):
    pm = make_plugin_manager(builtins=())
    assert translate("Fire drill", "zh_CN") == "Fire drill"
    pm.register(tiny_plugin(tmp_path / "tiny", {"Fire drill": "消防演练",
                                                "{count} agents drilled": "已演练 {count} 名坐席"}),
                name="tiny")
    assert tmp_path / "tiny" / "locale" in locale_dirs()
    assert translate("{count} agents drilled", "zh_CN", count=3) == "已演练 3 名坐席"
    assert translate("{count} agents drilled", "en", count=3) == "3 agents drilled"
    templates = Templates(tmp_path / "data", "default", pm)
    assert templates.render("tiny/drill.html", "zh_CN", {}) == "<h2>消防演练</h2>"
    assert templates.render("tiny/drill.html", "en", {}) == "<h2>Fire drill</h2>"


def test_the_plugin_manager_merges_each_built_in_folder_once():
    make_plugin_manager()
    compiled = translations("zh_CN")
    make_plugin_manager()
    folders = locale_dirs()
    assert folders[0] == LOCALE_DIR
    for name in ("attendance", "incentives"):
        assert folders.count(ROOT / "plugins" / name / "locale") == 1
    assert translations("zh_CN") is compiled  # nothing new: the compiled catalog is kept
    assert translate("Import a roster file", "zh_CN") == "导入排班表"  # attendance's own words


def test_a_plugin_cannot_change_the_cores_words_and_the_first_plugin_wins(tmp_path):
    core_words = catalog("zh_CN", [LOCALE_DIR])["employee number"].string
    pm = make_plugin_manager(builtins=())
    pm.register(tiny_plugin(tmp_path / "first", {"employee number": "员工代码",
                                                 "Fire drill": "消防演练"}), name="first")
    pm.register(tiny_plugin(tmp_path / "second", {"Fire drill": "火警演习"}), name="second")
    assert translate("employee number", "zh_CN") == core_words
    assert translate("Fire drill", "zh_CN") == "消防演练"


@pytest.fixture
def installed_example(monkeypatch):
    """The example plugin as an installed distribution offering the entry point `training`;
    its modules are forgotten after."""
    class Distribution:
        entry_points = [importlib.metadata.EntryPoint("training", "floorwalker_training",
                                                      "floorwalker")]

    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [Distribution()])
    before = set(sys.modules)
    yield "training"
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_the_example_plugins_words_come_from_its_own_folder(installed_example):
    assert "Training topic" not in catalog("zh_CN", [LOCALE_DIR])
    pm = make_plugin_manager([installed_example], builtins=())
    assert pm.has_plugin("training")
    assert EXAMPLE / "floorwalker_training" / "locale" in locale_dirs()
    assert translate("Training topic", "zh_CN") == "培训主题"
    assert translate("no training session {id!r}", "zh_CN", id="s1") == "没有培训场次 's1'"


def package_data(pyproject: Path, package: str) -> list[str]:
    return tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"][package]


def shipped(folder: Path, patterns: list[str]) -> set[Path]:
    return {path for pattern in patterns for path in folder.glob(pattern)}


def test_the_catalogs_are_installed_with_their_packages():
    catalogs = set(ROOT.glob("locale/**/*.po")) | set(ROOT.glob("plugins/*/locale/**/*.po"))
    assert len(catalogs) > 5
    assert catalogs <= shipped(ROOT, package_data(ROOT / "pyproject.toml", "floorwalker"))
    example = EXAMPLE / "floorwalker_training"
    assert set(example.glob("locale/**/*.po")) and set(example.glob("locale/**/*.po")) <= \
        shipped(example, package_data(EXAMPLE / "pyproject.toml", "floorwalker_training"))
