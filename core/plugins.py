"""The plugin manager: built-in plugins and allowlisted third-party ones, the same way.

Built-in plugins are the modules named in `DEFAULT_PLUGINS`; third-party plugins are found
through the entry-point group ``floorwalker`` and loaded one name at a time from the install's
allowlist (`install.plugins_allowlist` in core.json), so installing a package alone changes
nothing. A project enables or disables either kind the same way; project-scoped hooks are called
through `project_hook()`, which leaves out every plugin the project does not enable.
"""

from __future__ import annotations

import importlib
from typing import Iterable

import pluggy

from . import hookspecs
from .errors import FloorwalkerError
from .i18n import N_
from .records import ScoreRule, Setting

ENTRY_POINT_GROUP = "floorwalker"
CORE_PLUGIN = "core"
# Built-in plugins, in the order their contributions are shown. Filled as plugins are built.
DEFAULT_PLUGINS: tuple[str, ...] = ("attendance", "incentives")


class PluginLoadError(FloorwalkerError):
    """An allowlisted plugin cannot be loaded, or implements a hook that does not exist.

    Raised at start, naming the plugin, rather than failing later on a page: a hook name with a
    typo would otherwise never be called and nobody would know.
    """

    exit_code = 2

    def __init__(self, name: str, reason: str):
        super().__init__(N_("plugin {name} cannot be loaded: {reason}. Fix or upgrade it, or "
                            "remove it from the allowlist (floorwalker plugins deny {name})"),
                         name=name, reason=reason)


def make_plugin_manager(allowlist: Iterable[str] = (), builtins: Iterable[str] | None = None
                        ) -> pluggy.PluginManager:
    """A plugin manager with the core rules, the built-in plugins and allowlisted extras."""
    from . import catalogue

    pm = pluggy.PluginManager("floorwalker")
    pm.add_hookspecs(hookspecs)
    pm.register(catalogue, name=CORE_PLUGIN)
    for name in DEFAULT_PLUGINS if builtins is None else builtins:
        pm.register(importlib.import_module(f"floorwalker.plugins.{name}"), name=name)
    for name in allowlist:
        if pm.get_plugin(name) is None:
            try:
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
            except Exception as exc:  # whatever a third party's import raises
                raise PluginLoadError(name, f"{type(exc).__name__}: {exc}") from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginLoadError(pm.get_name(exc.plugin) or repr(exc.plugin), str(exc)) from exc
    return pm


def plugin_names(pm: pluggy.PluginManager) -> list[str]:
    """The plugins a project may enable (all but the always-on core)."""
    return [name for name, _ in pm.list_name_plugin() if name != CORE_PLUGIN]


def available_entry_points() -> list[str]:
    """Names offered by installed packages under the ``floorwalker`` group (allowed or not)."""
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def project_hook(pm: pluggy.PluginManager, hook_name: str, enabled: Iterable[str]):
    """The caller of *hook_name* for a project: only the core and the *enabled* plugins answer."""
    enabled = set(enabled) | {CORE_PLUGIN}
    excluded = [plugin for name, plugin in pm.list_name_plugin() if name not in enabled]
    return pm.subset_hook_caller(hook_name, remove_plugins=excluded)


def collect_rules(pm: pluggy.PluginManager) -> dict[str, tuple[str, ScoreRule]]:
    """Every score rule by code with the plugin that gave it; a duplicate code fails at start."""
    rules: dict[str, tuple[str, ScoreRule]] = {}
    for impl in pm.hook.register_score_rules.get_hookimpls():
        for rule in impl.function() or ():
            if not isinstance(rule, ScoreRule):
                raise TypeError(f"plugin {impl.plugin_name} returned {rule!r}, not a ScoreRule")
            if rule.code in rules:
                raise ValueError(f"score rule {rule.code!r} is given by both "
                                 f"{rules[rule.code][0]} and {impl.plugin_name}")
            rules[rule.code] = (impl.plugin_name, rule)
    return rules


def collect_settings(pm: pluggy.PluginManager) -> dict[str, dict[str, Setting]]:
    """Each plugin's settings schema by plugin name, then setting key."""
    schemas: dict[str, dict[str, Setting]] = {}
    for impl in pm.hook.register_settings.get_hookimpls():
        schema = schemas.setdefault(impl.plugin_name, {})
        for setting in impl.function() or ():
            if not isinstance(setting, Setting):
                raise TypeError(f"plugin {impl.plugin_name} returned {setting!r}, not a Setting")
            if setting.key in schema:
                raise ValueError(f"plugin {impl.plugin_name} declares setting {setting.key!r} twice")
            schema[setting.key] = setting
    return schemas
