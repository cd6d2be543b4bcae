"""Projects (client engagements): identity, enabled plugins, per-plugin settings, KPI targets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from . import validate
from .auth import agent_label
from .calendar import local_now
from .errors import Conflict, NotFound, ValidationError
from .i18n import N_
from .settings import resolve, validate as validate_settings
from .store import CORE, now_iso

STATUSES = ("active", "paused", "ended")
CHANNELS = ("voice", "chat", "email", "ticket", "social")


class Projects:
    def __init__(self, fw):
        self.fw = fw
        # the instant every project's clock reads, when something pins it (the demo, which must
        # not see time pass while it builds); None: the real clock
        self.pinned: datetime | None = None  # an aware instant

    def all(self) -> list[dict]:
        """Every project of the install, by slug."""
        return sorted(self.fw.store.table(CORE, "projects").values(), key=lambda p: p["slug"])

    def get(self, slug: str) -> dict:
        """The project *slug*, or `NotFound`."""
        project = self.fw.store.table(CORE, "projects").get(slug)
        if project is None:
            raise NotFound(N_("no project {slug!r}"), slug=slug)
        return project

    def now(self, project: dict | str) -> datetime:
        """The wall-clock time on the project's floor, in its time zone, to the second.

        Naive (no tzinfo), like the roster's shifts and the punches it is compared with; every
        "now" and "today" of a project's rules and pages reads this one clock (tests set it here).
        """
        project = self.get(project) if isinstance(project, str) else project
        return local_now(project.get("timezone"), self.pinned)

    def today(self, project: dict | str) -> date:
        """The date on the project's floor (a floor in another time zone may be a day off the
        server's)."""
        return self.now(project).date()

    def create(self, slug: str, client: str, actor: str, *, name: str | None = None,
               channels: list[str] = ("voice",), timezone: str = "Asia/Shanghai",
               plugins: list[str] | None = None, kpi_targets: dict | None = None) -> dict:
        slug = validate.slug(slug, N_("project"))
        client = validate.text(client, N_("client"), validate.NAME_LIMIT, required=True)
        name = validate.text(name, N_("name"), validate.NAME_LIMIT)
        for channel in channels:
            validate.choice(channel, CHANNELS, N_("channels"))
        timezone = validate.timezone(timezone)
        targets = {code: validate.number(v, f"kpi.{code}") for code, v in (kpi_targets or {}).items()}
        enabled = list(plugins if plugins is not None else self.fw.plugin_names())
        for plugin in enabled:
            self._known_plugin(plugin)
        doc = {"id": slug, "slug": slug, "client": client, "name": name or client,
               "channels": list(channels), "timezone": timezone, "status": "active",
               "plugins": enabled, "settings": {}, "kpi_targets": targets,
               "created_at": now_iso()}
        with self.fw.store.transaction(CORE, actor, "project.create") as tx:
            if tx.get("projects", slug):
                raise Conflict(N_("project {slug!r} already exists"), slug=slug)
            tx.insert("projects", doc)
        return doc

    def set(self, slug: str, key: str, value: Any, actor: str) -> dict:
        """Set a project field (client, name, status, timezone, channels, kpi.<code>) or a
        plugin setting as ``<plugin>.<setting>``."""
        project = self.get(slug)
        if key in ("client", "name"):
            change = {key: validate.text(value, key, validate.NAME_LIMIT, required=True)}
        elif key == "timezone":
            change = {"timezone": validate.timezone(value, key)}
        elif key == "status":
            change = {"status": validate.choice(value, STATUSES, N_("status"))}
        elif key == "channels":
            channels = [c.strip() for c in value.split(",")] if isinstance(value, str) else list(value)
            for channel in channels:
                validate.choice(channel, CHANNELS, N_("channels"))
            change = {"channels": channels}
        elif key.startswith("kpi.") and len(key) > 4:
            target = validate.number(value, key)
            change = {"kpi_targets": {**project["kpi_targets"], key[4:]: target}}
        elif "." in key:
            plugin, setting = key.split(".", 1)
            return self.configure(slug, plugin, {setting: value}, actor)
        else:
            raise ValidationError(key, N_("no such project field"))
        return self._update(slug, change, actor, "project.set")

    def configure(self, slug: str, plugin: str, changes: dict, actor: str,
                  user: dict | None = None) -> dict:
        """Validate *changes* against *plugin*'s schema and store them for the project; then,
        where the effective settings changed, tell the enabled plugins (`on_settings_changed`)."""
        project = self.get(slug)
        if plugin != "core":
            self._known_plugin(plugin)
        checked = validate_settings(self.fw.settings_schemas.get(plugin, {}), changes)
        settings = {**project["settings"], plugin: {**project["settings"].get(plugin, {}), **checked}}
        before = self.settings(project, plugin)
        project = self._update(slug, {"settings": settings}, actor, f"project.settings.{plugin}")
        after = self.settings(project, plugin)
        if after != before:
            self.fw.project_hook(project, "on_settings_changed")(
                floorwalker=self.fw, project=project, plugin=plugin, before=before, after=after,
                user=user)
        return project

    def agent_label(self, project: dict | str, user: dict | None, agent: dict, index: int,
                    locale: str) -> str:
        """*agent*'s name as *user* may see it in *project*: "Agent #<index>" (坐席 #n) for a
        client login where the project hides names (core setting
        ``show_agent_names_to_client``). For pages (`Page.agent_name`), exports and jobs alike;
        *user* None (the system) sees names."""
        project = self.get(project) if isinstance(project, str) else project
        show = self.settings(project, "core")["show_agent_names_to_client"]
        return agent_label(user or {}, agent, show, locale, index)

    def settings(self, project: dict | str, plugin: str) -> dict:
        """The effective settings of *plugin* for *project*: defaults overlaid by stored values."""
        project = self.get(project) if isinstance(project, str) else project
        return resolve(self.fw.settings_schemas.get(plugin, {}), project["settings"].get(plugin, {}))

    def enable(self, slug: str, plugin: str, actor: str) -> dict:
        project = self.get(slug)
        self._known_plugin(plugin)
        if plugin in project["plugins"]:
            return project
        return self._update(slug, {"plugins": project["plugins"] + [plugin]}, actor, "project.enable")

    def disable(self, slug: str, plugin: str, actor: str) -> dict:
        project = self.get(slug)
        self._known_plugin(plugin)
        return self._update(slug, {"plugins": [p for p in project["plugins"] if p != plugin]},
                            actor, "project.disable")

    def _known_plugin(self, plugin: str) -> None:
        if plugin not in self.fw.plugin_names():
            raise ValidationError(N_("plugin"), N_("no plugin {name!r} is installed"), name=plugin)

    def _update(self, slug: str, change: dict, actor: str, action: str) -> dict:
        with self.fw.store.transaction(CORE, actor, action) as tx:
            if not tx.get("projects", slug):
                raise NotFound(N_("no project {slug!r}"), slug=slug)
            return tx.update("projects", slug, change)
