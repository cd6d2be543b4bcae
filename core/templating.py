"""Jinja2 for the web shell: theme lookup, one environment per theme and language, shared filters.

Lookup order, first match wins: the company's overrides (``<data>/themes/<theme>/templates``),
the active theme, the default theme, then each plugin's own ``templates/`` folder. The default
theme is also reachable as ``"default:<name>"`` so another theme can extend the template it
replaces. The active theme is chosen per request (an admin may switch it while the app runs),
so environments are built on first use for each (theme, language) pair. Each has its catalog
installed through `jinja2.ext.i18n` (newstyle gettext): a shared environment would need its
gettext swapped per request, which is not safe across the threadpool serving sync endpoints.

Numbers, money and dates go through Babel filters bound to the environment's language, so a
template writes ``{{ value|number }}``, ``{{ share|percent }}``, ``{{ pay|money }}`` or
``{{ day|date }}`` and the reader sees their own conventions (2026年11月3日 / Nov 3, 2026); a
timestamp (``|date``, ``|datetime``) is shown in the project's time zone, or the install's.
Money, lengths of time and leave are written one way everywhere (`formats`: ``|money``,
``|duration``, ``|leave_length``, ``|measure(unit)``), and a person recorded by user name is
shown by their name (``{{ e.recorded_by|person }}``), a score rule by its title
(``{{ e.rule|rule_title }}``).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, pass_context,
                    select_autoescape)

from . import formats, turns
from .calendar import DEFAULT_TIMEZONE
from .formats import format_decimal, format_percent
from .i18n import LOCALES, translations

THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
DEFAULT_THEME = "default"
EMPTY = formats.EMPTY
# set (to anything) while editing templates: each is then checked against its file at every use;
# else a template is read once per process (an upgrade or a company's new override: a restart)
RELOAD = "FLOORWALKER_RELOAD_TEMPLATES"


def theme_names(data_root: Path | None = None) -> list[str]:
    """Installed themes: folders of ``themes/`` with ``templates/``, and the company's own
    themes under ``<data>/themes`` when *data_root* is given."""
    roots = [THEMES_DIR] + ([Path(data_root) / "themes"] if data_root is not None else [])
    return sorted({p.name for root in roots if root.is_dir() for p in root.iterdir()
                   if (p / "templates").is_dir()})


def plugin_dirs(pm, folder: str) -> dict[str, Path]:
    """*folder* (``templates``, ``static``) beside each plugin module that has one, by plugin
    name (a plugin is a package: its __init__.py)."""
    found = {}
    for name, plugin in pm.list_name_plugin():
        source = getattr(plugin, "__file__", None)
        if source and (Path(source).parent / folder).is_dir():
            found[name] = Path(source).parent / folder
    return found


def plugin_template_dirs(pm) -> list[Path]:
    return list(plugin_dirs(pm, "templates").values())


def make_loader(data_root: Path, theme: str, pm) -> ChoiceLoader:
    default = FileSystemLoader(THEMES_DIR / DEFAULT_THEME / "templates")
    folders = [data_root / "themes" / theme / "templates"]
    if theme != DEFAULT_THEME:
        folders.append(THEMES_DIR / theme / "templates")
    loaders = [FileSystemLoader(f) for f in folders if f.is_dir()]
    loaders += [default, PrefixLoader({"default": default}, delimiter=":")]
    loaders += [FileSystemLoader(f) for f in plugin_template_dirs(pm)]
    return ChoiceLoader(loaders)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment, with ``row.total`` on a plain dict looked up as ``row["total"]``
    first. Jinja asks ``getattr`` first, which fails on a dict for every name but its methods:
    a sheet of 50 rows raised over a thousand AttributeErrors a view. Same answers: a name of a
    dict method (``items``, ``get``) still finds the method."""

    # a page's template steps aside between pieces while a form is under way (`turns`)
    concat = staticmethod(turns.joined)

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)


class Templates:
    """Renders a template in a language and a theme (*theme* when none is named)."""

    def __init__(self, data_root: Path, theme: str, pm, globals_: dict | None = None):
        self.data_root, self.pm, self.globals = Path(data_root), pm, dict(globals_ or {})
        self.theme = self.resolve(theme)
        self.envs: dict[tuple[str, str], Environment] = {}
        self._lock = threading.Lock()

    def resolve(self, theme: str | None) -> str:
        """*theme* when it is installed, else the default theme."""
        return theme if theme in theme_names(self.data_root) else DEFAULT_THEME

    def env(self, locale: str, theme: str | None = None) -> Environment:
        key = (self.resolve(theme or self.theme), locale)
        with self._lock:
            if key not in self.envs:
                self.envs[key] = self._build(*key)
            return self.envs[key]

    def _build(self, theme: str, locale: str) -> Environment:
        env = _Environment(loader=make_loader(self.data_root, theme, self.pm),
                          autoescape=select_autoescape(default=True),
                          extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                          auto_reload=bool(os.environ.get(RELOAD)))
        env.install_gettext_translations(translations(locale), newstyle=True)
        env.globals.update(self.globals)
        env.globals["locale"] = locale
        env.filters.update(filters(locale))
        return env

    def get(self, name: str, locale: str, theme: str | None = None):
        """The template *name* as the reader's language and the theme find it."""
        return self.env(locale, theme).get_template(name)

    def render(self, name: str, locale: str, context: dict, theme: str | None = None) -> str:
        return self.get(name, locale, theme).render(context)


def _facade(context):
    """The `Floorwalker` a template may ask: its page's, or the one `Floorwalker.render` gave."""
    return getattr(context.get("page"), "fw", None) or context.get("fw")


def page_zone(context) -> str:
    """The time zone a page shows timestamps in: its project's, else the install's (the zone a
    new project gets)."""
    project = context.get("project")
    return (project or {}).get("timezone") or DEFAULT_TIMEZONE


def local_time(value, zone: str) -> dt.datetime | None:
    """A timestamp (a datetime or an ISO string with a time) as the wall-clock time in *zone*;
    None for a plain date. The store writes the server's local time without an offset
    (`shards.now_iso`), so a naive timestamp is read as the server's: a server running in UTC
    shows 07:41 in Shanghai for a record written at 23:41 UTC the day before."""
    if isinstance(value, str):
        if len(value) <= 10:
            return None
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    try:
        return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    except (ZoneInfoNotFoundError, ValueError):
        return value.replace(tzinfo=None)


@lru_cache(maxsize=4096, typed=True)
def _date_text(value, style: str, locale: str) -> str:
    """Babel's ``format_date``, once per process for a date, style and language: a month's
    page writes the same few dozen dates hundreds of times, and each call parsed the locale."""
    return format_date(value, style, locale=locale)


def filters(locale: str) -> dict:
    """The locale-bound formatting filters of one environment."""
    if locale not in LOCALES:
        raise ValueError(f"no such language: {locale}")

    def number(value, digits: int = 1) -> str:
        """An int as is, a float with *digits* decimals, grouped the reader's way."""
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            pattern = "#,##0." + "0" * digits if digits else "#,##0"
            return format_decimal(value, format=pattern, locale=locale)
        if isinstance(value, int):
            return format_decimal(value, locale=locale)
        return str(value)

    def points(value) -> str:
        """Score points with their sign: +5, -3, 0."""
        return EMPTY if value is None else format_decimal(value, format="+#,##0;-#,##0", locale=locale)

    def percent(value, digits: int = 0) -> str:
        """A share (0.125) as a percentage (12.5%)."""
        if value is None:
            return EMPTY
        pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        return format_percent(value, format=pattern, locale=locale)

    def money(value) -> str:
        """Yuan, one way in both languages: ``-¥590``, ``¥1,234.50`` (`formats.money`)."""
        return formats.money(value, locale)

    def duration(minutes, day: int = formats.DAY_MINUTES) -> str:
        """Minutes as ``1 天 2 小时`` / ``45 分钟`` (*day*: the minutes of a day, 0 for none)."""
        return formats.duration(minutes, locale, day)

    def leave_length(leave, days=None) -> str:
        """A leave record (or its minutes) in rostered days and hours (`formats.leave_length`)."""
        return formats.leave_length(leave, locale, days)

    def measure(value, unit: str = "") -> str:
        """A figure with its unit: ``¥`` as money, ``min`` as a duration (`formats.measure`)."""
        return formats.measure(value, unit, locale)

    @pass_context
    def person(context, username) -> str:
        """The display name of the user *username* (the page's facade knows the users)."""
        users = getattr(_facade(context), "users", None)
        if users is None:
            return username or EMPTY
        return users.display_name(username, locale)

    @pass_context
    def rule_title(context, code) -> str:
        """The title of the score rule *code* in the reader's language (the code if unknown)."""
        rules = getattr(_facade(context), "rules", None) or {}
        return rules[code][1].title(locale) if code in rules else code

    @pass_context
    def date(context, value, style: str = "medium") -> str:
        """A date (or an ISO date / timestamp string) in the reader's way; a timestamp is first
        put in the page's time zone (`local_time`)."""
        if not value:
            return EMPTY
        when = local_time(value, page_zone(context))
        if when is not None:
            value = when.date()
        elif isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                return value
        if not isinstance(value, dt.date):  # e.g. a time: Babel says what it makes of it
            return format_date(value, style, locale=locale)
        return _date_text(value, style, locale)

    @pass_context
    def datetime(context, value, style: str = "short") -> str:
        """A timestamp as date and time in the page's time zone: ``2026年12月7日 07:41``."""
        when = local_time(value, page_zone(context)) if value else None
        if when is None:
            return date(context, value) if value else EMPTY
        return f"{_date_text(when.date(), 'medium', locale)} {when:%H:%M}"

    return {"number": number, "points": points, "percent": percent, "money": money, "date": date,
            "datetime": datetime, "duration": duration, "leave_length": leave_length, "measure": measure, "person": person,
            "rule_title": rule_title}
