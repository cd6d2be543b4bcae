"""The hookspec docstrings are the plugin author's manual: complete, and rendered into docs/."""

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from floorwalker.core import hookspecs
from floorwalker.core.plugins import make_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
               if hasattr(f, "floorwalker_spec"))
NOT_IMPERATIVE = {"the", "a", "an", "this", "called", "hook"}


def doc_of(name):
    return inspect.cleandoc(getattr(hookspecs, name).__doc__ or "")


def test_the_three_groups_and_the_shell_are_there():
    for hook in ("on_agent_created", "on_agent_moved", "on_agent_left", "on_agent_tier_changed",
                 "agent_sections", "period_blockers", "on_period_closing", "on_period_closed",
                 "register_score_rules", "register_settings", "register_routes", "nav_items",
                 "dashboard_widgets", "project_kpis", "report_sections", "register_commands",
                 "register_importers", "demo_data",
                 # issue 10: what the unbuilt plugins need from the hook surface
                 "on_agents_created", "agent_availability", "register_actions", "register_kpis",
                 "register_jobs", "agenda_items", "waiting_items", "on_settings_changed",
                 "register_migrations",
                 # issue 16: the roster's shifts, for staffing against the traffic; the rules
                 # that changed in a report's period
                 "agent_shifts", "rule_changes"):
        assert hook in HOOKS


def test_an_argument_added_later_has_a_default_so_old_callers_keep_working():
    """Habit 3: arguments are added, never renamed; pluggy fills a defaulted one for a caller
    that does not pass it, and an implementation names only what it uses."""
    params = inspect.signature(hookspecs.project_kpis).parameters
    assert list(params)[:3] == ["floorwalker", "project", "period"]
    assert params["first"].default is None and params["last"].default is None


def test_the_top_docstring_says_where_hooks_are_declared():
    assert "its\nown ``hookspecs.py``" in hookspecs.__doc__ or "own ``hookspecs.py``" in hookspecs.__doc__


def test_every_hook_is_known_to_the_plugin_manager():
    pm = make_plugin_manager(builtins=())
    assert set(HOOKS) <= {name for name in dir(pm.hook) if not name.startswith("_")}


@pytest.mark.parametrize("name", HOOKS)
def test_first_sentence_is_imperative(name):
    first = doc_of(name).split("\n\n")[0]
    assert first.endswith(".") or ". " in first, f"{name}: the first line is not a sentence"
    verb = first.split()[0]
    assert verb[0].isupper() and verb.lower() not in NOT_IMPERATIVE, f"{name}: starts with {verb!r}"
    assert not verb.endswith("s"), f"{name}: {verb!r} reads as 'it {verb}', write 'Do …'"


@pytest.mark.parametrize("name", HOOKS)
def test_every_parameter_is_documented(name):
    documented = re.findall(r":param (\w+):", doc_of(name))
    assert documented == list(inspect.signature(getattr(hookspecs, name)).parameters)


@pytest.mark.parametrize("name", HOOKS)
def test_returns_and_when_called_and_an_example(name):
    doc = doc_of(name)
    assert re.search(r":returns: \S", doc), f"{name}: say what to return (or 'nothing')"
    assert re.search(r"\bCalled\b", doc), f"{name}: say when it is called"
    assert "Example" in doc, f"{name}: give a short example"


@pytest.mark.parametrize("name", [h for h in HOOKS if not h.startswith("register_")])
def test_project_scope_is_stated(name):
    """Per-request hooks run for one project: the manual says so, so authors expect it."""
    assert "Project-scoped" in doc_of(name)


def test_docs_page_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "make_hook_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_docs_page_shows_every_hook_with_its_parameters():
    page = (ROOT / "docs" / "plugin-hooks.md").read_text(encoding="utf-8")
    for name in HOOKS:
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"### `{name}({params})`" in page
