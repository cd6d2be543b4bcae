"""The `Floorwalker` facade: one company's data folder, its plugins and the core services.

Built by `open_floorwalker()` (a factory: importing this module touches no data). The same
object is handed to every hook as ``floorwalker``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pluggy

from .access import Access
from .calendar import Calendar
from .errors import StorageError
from .i18n import DEFAULT_LOCALE, N_, normalize_locale
from .ledger import Ledger
from .people import Agents, Teams
from .periods import Periods
from .plugins import (collect_importers, collect_jobs, collect_kpi_defs, collect_migrations,
                      collect_rules, collect_settings, make_plugin_manager, plugin_names,
                      project_hook)
from .projects import Projects
from .sealing import verify_sealed
from .store import CORE, Store
from .summaries import Summaries
from .users import Users

INSTALL = "install"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: the explicit one, else $FLOORWALKER_DATA, else ./data."""
    return Path(explicit or os.environ.get("FLOORWALKER_DATA") or "data").resolve()


def store_url(explicit: str | None = None) -> str | None:
    """The database the data lives in: the explicit URL, else $FLOORWALKER_STORE; None for the
    files of the data folder (the default)."""
    url = explicit or os.environ.get("FLOORWALKER_STORE") or None
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise StorageError(N_("{url} is not a PostgreSQL address (postgresql://…)"), url=url)
    return url


def make_store(folder: str | os.PathLike | None = None, url: str | None = None, **options):
    """The store of an install: PostgreSQL when *url* (or $FLOORWALKER_STORE) names a database
    (`core/pgstore.py`; its schema $FLOORWALKER_STORE_SCHEMA, else ``floorwalker``), else the files of the data *folder* (`core/store.py`). The folder keeps
    what is not data either way (themes, uploads)."""
    url = store_url(url)
    if url:
        from .pgstore import PgStore
        options = {k: v for k, v in options.items() if k in ("lock_timeout", "schema")}
        if os.environ.get("FLOORWALKER_STORE_SCHEMA"):  # two companies in one database
            options.setdefault("schema", os.environ["FLOORWALKER_STORE_SCHEMA"])
        return PgStore(url, data_dir(folder), **options)
    return Store(data_dir(folder), **options)


def read_allowlist(store: Store) -> list[str]:
    return list(store.table(CORE, "settings").get(INSTALL, {}).get("plugins_allowlist", []))


class Floorwalker:
    """One install: the store, the plugin manager, and the services built on them."""

    def __init__(self, store: Store, pm: pluggy.PluginManager):
        self.store = store
        self.summaries = Summaries(store)  # small figures kept per generation of the files read
        self.pm = pm
        self.rules = collect_rules(pm)
        self.settings_schemas = collect_settings(pm)
        # the other register_* contributions, checked once here so a bad one stops start-up
        self.importers = collect_importers(pm)
        self.kpi_defs = collect_kpi_defs(pm)
        self.jobs = collect_jobs(pm)
        self.migrations = collect_migrations(pm)
        store.plugin_steps = {kind: m.steps for kind, m in self.migrations.items()}
        self.projects = Projects(self)
        self.teams = Teams(self)
        self.agents = Agents(self)
        self.users = Users(self)
        self.periods = Periods(self)
        self.ledger = Ledger(self)
        self.access = Access(self)
        self.calendar = Calendar(self)
        self._templates = None  # `render`'s, made when first needed

    def plugin_names(self) -> list[str]:
        """The names of the plugins loaded in this install, built-in and allowlisted, in order."""
        return plugin_names(self.pm)

    def project_hook(self, project: dict, hook_name: str):
        """The caller of a project-scoped hook: only the project's enabled plugins answer."""
        return project_hook(self.pm, hook_name, project["plugins"])

    def render(self, template: str, locale: str, context: dict | None = None) -> str:
        """*template* rendered in *locale* as a string, outside any request: a document kept
        after it is made (a drafted agenda, a published report) is rendered here, in every
        language it is read in, with the install's theme. The context has ``fw`` (the
        ``person`` and ``rule_title`` filters use it), ``locale`` and ``t`` (a record's title)."""
        from .templating import Templates
        if self._templates is None:
            self._templates = Templates(self.store.root, self.install_settings().get("theme") or "", self.pm)
        base = {"fw": self, "locale": locale, "t": lambda record: record.title(locale)}
        return self._templates.get(template, locale).render({**base, **(context or {})})

    # ------------------------------------------------------------ install settings

    def install_settings(self) -> dict:
        """The install's own settings (allowlist, theme, default language …), as stored."""
        return dict(self.store.table(CORE, "settings").get(INSTALL, {}))

    def set_install(self, actor: str, **changes) -> dict:
        with self.store.transaction(CORE, actor, "install.settings") as tx:
            current = tx.get("settings", INSTALL)
            if current is None:
                return tx.insert("settings", {"id": INSTALL, **changes})
            return tx.update("settings", INSTALL, changes)

    def default_locale(self) -> str:
        """The install's language (`zh_CN` or `en`) for a reader who has not chosen one."""
        return normalize_locale(self.install_settings().get("default_locale", DEFAULT_LOCALE))

    @property
    def initialised(self) -> bool:
        """Whether the first admin exists (read each time: `floorwalker init` may run meanwhile)."""
        return bool(self.store.table(CORE, "users"))


def open_floorwalker(folder: str | os.PathLike | None = None, *, pm: pluggy.PluginManager | None = None,
                     check: bool = True, store: str | None = None, **store_options) -> Floorwalker:
    """Open the data folder — core.json parsed, closed months' files checked by their recorded
    size and their digests in the background, every other file parsed when first read (a
    damaged one refused by name: `Store.check`) — then load the built-in plugins and the
    allowlisted third-party ones. *store* (or $FLOORWALKER_STORE) names a PostgreSQL database
    to keep the data in instead of the folder's files (`make_store`)."""
    store = make_store(folder, store, **store_options)
    if check and any(row.get("sealed") for row in store.check(quick=True)):
        verify_sealed(store, delay=5.0)
    if pm is None:
        pm = make_plugin_manager(read_allowlist(store))
    return Floorwalker(store, pm)
