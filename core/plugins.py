"""The plugin manager: built-in plugins and allowlisted third-party ones, the same way.

Built-in plugins are the modules named in `DEFAULT_PLUGINS`; third-party plugins are found
through the entry-point group ``floorwalker`` and loaded one name at a time from the install's
allowlist (`install.plugins_allowlist` in core.json), so installing a package alone changes
nothing. A project enables or disables either kind the same way; project-scoped hooks are called
through `project_hook()`, which leaves out every plugin the project does not enable.

A plugin may declare hooks of its own for other plugins to implement: a ``hookspecs`` module
beside it (or a ``hookspecs`` attribute) is added to the manager as the plugin is registered,
before its implementations. A plugin implementing such a hook marks it
``@hookimpl(optionalhook=True)``, so it loads where the declaring plugin is not installed. Asking
is always safe: for a hook nobody installed declares or implements, `project_hook()` answers
with a caller that calls nobody, as it does where no enabled plugin implements the hook.

Every contribution of every hook reaches the core through `collect()`: it checks each item's
type, stamps the plugin's name on it, refuses a duplicate naming both plugins, and sorts by
``order``. The ``register_*`` hooks are collected once, when `Floorwalker` and the web app are
built, so a plugin that returns the wrong thing stops start-up naming itself.
"""

from __future__ import annotations

import importlib
from dataclasses import fields, replace
from operator import attrgetter
from typing import Callable, Iterable

import pluggy

from . import hookspecs
from .errors import FloorwalkerError
from .i18n import N_, add_locale_dir, translate
from .records import KPIDef, Importer, Job, Migration, ScoreRule, Setting

ENTRY_POINT_GROUP = "floorwalker"
CORE_PLUGIN = "core"
# The core's own plugin, loaded by name as the built-in plugins are: its commands use the
# facade, which is built on this module, so the manager imports no plugin, the core's neither.
CORE_MODULE = "floorwalker.core.catalogue"
# Built-in plugins, in the order their contributions are shown. Filled as plugins are built.
DEFAULT_PLUGINS: tuple[str, ...] = ("attendance", "incentives", "qa", "complaints", "meetings", "reporting")


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


class WrongContribution(PluginLoadError, TypeError):
    """A hook returned something other than the records it must return."""

    http_status = 500


class DuplicateContribution(PluginLoadError, ValueError):
    """Two contributions (of two plugins, or one plugin twice) share a key that must be unique."""

    http_status = 500


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, which also merges a plugin's ``locale/`` folder (found beside its module,
    as its templates are) into the catalogs when the plugin is registered: built-in, entry point
    or a test's tiny plugin alike (see `core/i18n.py`); and which adds the hooks a plugin
    declares (its ``hookspecs``) before registering its implementations."""

    def register(self, plugin, name=None):
        from .templating import plugin_dirs  # Jinja: imported on use, not by every CLI start

        specs = declared_hookspecs(plugin)
        if specs is not None:
            try:
                self.add_hookspecs(specs)
            except ValueError as exc:  # a hook another plugin (or the core) declares already
                raise PluginLoadError(name or getattr(plugin, "__name__", repr(plugin)),
                                      str(exc)) from exc
        registered = super().register(plugin, name)
        for folder in plugin_dirs(self, "locale").values():
            add_locale_dir(folder)
        return registered


def declared_hookspecs(plugin):
    """The hooks *plugin* declares for others to implement: its ``hookspecs`` attribute, else
    the ``hookspecs`` module of its package, else None."""
    specs = getattr(plugin, "hookspecs", None)
    if specs is hookspecs:  # a plugin that imported the core's hookspecs declares nothing
        return None
    if specs is None and hasattr(plugin, "__path__"):
        module = f"{plugin.__name__}.hookspecs"
        try:
            specs = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return specs


def make_plugin_manager(allowlist: Iterable[str] = (), builtins: Iterable[str] | None = None
                        ) -> pluggy.PluginManager:
    """A plugin manager with the core rules, the built-in plugins and allowlisted extras."""
    pm = PluginManager("floorwalker")
    pm.add_hookspecs(hookspecs)
    pm.register(importlib.import_module(CORE_MODULE), name=CORE_PLUGIN)
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


def plugin_title(pm: pluggy.PluginManager, name: str, locale: str) -> str:
    """What a person calls plugin *name*: the module's ``TITLE = ("Incentives", "激励")`` in
    *locale*, else its name (the core's: the scores and what a client sees)."""
    if name == CORE_PLUGIN:
        return translate(N_("Scores and client view"), locale)
    title = getattr(pm.get_plugin(name), "TITLE", None)
    if not title:
        return name
    return title[1] if locale.startswith("zh") and len(title) > 1 and title[1] else title[0]


def available_entry_points() -> list[str]:
    """Names offered by installed packages under the ``floorwalker`` group (allowed or not)."""
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


class Unanswered:
    """The caller of a hook nobody installed declares or implements: it calls nobody."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, **kwargs) -> list:
        return []

    def get_hookimpls(self) -> list:
        return []


def project_hook(pm: pluggy.PluginManager, hook_name: str, enabled: Iterable[str]):
    """The caller of *hook_name* for a project: only the core and the *enabled* plugins answer.

    A hook declared by a plugin that is not installed (say ``qa_review_requested`` without qa)
    gets a caller that returns ``[]``, as a hook no enabled plugin implements does."""
    if getattr(pm.hook, hook_name, None) is None:
        return Unanswered(hook_name)
    enabled = set(enabled) | {CORE_PLUGIN}
    excluded = [plugin for name, plugin in pm.list_name_plugin() if name not in enabled]
    return pm.subset_hook_caller(hook_name, remove_plugins=excluded)


def collect(caller_or_hook, record_type: type, *, key: str | Callable | None = None,
            **kwargs) -> list:
    """Call every implementation of a hook with *kwargs* and return their records, checked.

    *caller_or_hook* is a hook caller: ``pm.hook.<name>`` for a ``register_*`` hook, or
    `project_hook()`'s for a project-scoped one. Each implementation's result (a list of
    *record_type*, or None; for ``record_type=dict``, one dict) is flattened; an item of
    another type raises `WrongContribution` naming the plugin. A record with a ``plugin`` field
    gets the implementing plugin's name. *key* (a field name, or a function of the stamped
    record) must be unique: a second record with the same key raises `DuplicateContribution`
    naming both plugins (the one registered later is the one refused). Records come in the order
    the plugins were registered (the core, `DEFAULT_PLUGINS`, then the allowlist); those with an
    ``order`` field are then sorted by it.
    """
    hook = getattr(caller_or_hook, "name", "?")
    key_of = attrgetter(key) if isinstance(key, str) else key
    names = {f.name for f in fields(record_type)} if hasattr(record_type, "__dataclass_fields__") \
        else set()
    spec = getattr(caller_or_hook, "spec", None)
    if spec is not None and spec.kwargdefaults:  # arguments added later, with their defaults
        kwargs = {**spec.kwargdefaults, **kwargs}
    found, owners = [], {}
    for impl in caller_or_hook.get_hookimpls():
        if impl.hookwrapper or impl.wrapper:
            continue
        plugin = impl.plugin_name
        try:
            result = impl.function(*(kwargs[arg] for arg in impl.argnames))
        except KeyError as exc:  # the call site's bug, not the plugin's: name both
            raise TypeError(f"{hook} is called without {exc.args[0]!r}, which {plugin} takes") from None
        if result is None:
            continue
        if record_type is dict:
            items = [result]
        elif isinstance(result, (list, tuple)):
            items = list(result)
        else:
            raise WrongContribution(plugin, f"{hook} returned {result!r}, not a list of "
                                            f"{record_type.__name__}")
        for item in items:
            if not isinstance(item, record_type):
                raise WrongContribution(plugin, f"{hook} returned {item!r}, not "
                                                f"{_a(record_type.__name__)}")
            if "plugin" in names and item.plugin != plugin:
                item = replace(item, plugin=plugin)
            if key_of is not None:
                value = key_of(item)
                if value in owners:
                    shown = ".".join(value) if isinstance(value, tuple) else value
                    raise DuplicateContribution(plugin, f"{record_type.__name__} {shown!r} is "
                                                        f"given by both {owners[value]} and {plugin}")
                owners[value] = plugin
            found.append(item)
    if "order" in names:
        found.sort(key=attrgetter("order"))
    return found


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'AEIOU' else 'a'} {noun}"


def collect_rules(pm: pluggy.PluginManager) -> dict[str, tuple[str, ScoreRule]]:
    """Every score rule by code with the plugin that gave it; a duplicate code fails at start."""
    return {rule.code: (rule.plugin, rule)
            for rule in collect(pm.hook.register_score_rules, ScoreRule, key="code")}


def collect_settings(pm: pluggy.PluginManager) -> dict[str, dict[str, Setting]]:
    """Each plugin's settings schema by plugin name, then setting key (a plugin that declares
    none has an empty schema)."""
    schemas: dict[str, dict[str, Setting]] = {
        impl.plugin_name: {} for impl in pm.hook.register_settings.get_hookimpls()}
    for setting in collect(pm.hook.register_settings, Setting,
                           key=lambda s: (s.plugin, s.key)):
        schemas[setting.plugin][setting.key] = setting
    return schemas


def collect_importers(pm: pluggy.PluginManager) -> dict[str, Importer]:
    """Every file import by ``<plugin>.<code>``, the name ``floorwalker import`` uses."""
    return {f"{i.plugin}.{i.code}": i
            for i in collect(pm.hook.register_importers, Importer, key=lambda i: (i.plugin, i.code))}


def collect_kpi_defs(pm: pluggy.PluginManager) -> dict[str, KPIDef]:
    """Every declared KPI by code; a code declared twice fails at start naming both plugins."""
    return {kpi.code: kpi for kpi in collect(pm.hook.register_kpis, KPIDef, key="code")}


def collect_jobs(pm: pluggy.PluginManager) -> dict[str, Job]:
    """Every job by ``<plugin>.<name>``."""
    return {job.id: job for job in collect(pm.hook.register_jobs, Job, key="id")}


def collect_endpoints(pm: pluggy.PluginManager) -> list:
    """Every plugin's API endpoints; a (method, path) declared twice, or a plugin's path outside
    ``/projects/{project}/<plugin>/``, fails at start."""
    from .api import Endpoint
    found = collect(pm.hook.register_endpoints, Endpoint, key=lambda e: (e.method, e.path))
    for endpoint in found:
        if not endpoint.path.startswith(f"/projects/{{project}}/{endpoint.plugin}/"):
            raise ValueError(f"{endpoint.plugin}: the API path {endpoint.path} must begin "
                             f"/projects/{{project}}/{endpoint.plugin}/")
    return found


def collect_migrations(pm: pluggy.PluginManager) -> dict[str, Migration]:
    """Every plugin's migrations by file kind; a kind must be the plugin's own (its name, or
    ``<plugin>_<table>``)."""
    found = {}
    for migration in collect(pm.hook.register_migrations, Migration, key="kind"):
        plugin, kind = migration.plugin, migration.kind
        if kind != plugin and not kind.startswith(f"{plugin}_"):
            raise WrongContribution(plugin, f"register_migrations declares file kind {kind!r}: "
                                            f"name it {plugin} or {plugin}_<table>")
        found[kind] = migration
    return found
