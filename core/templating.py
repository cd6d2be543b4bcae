"""Jinja2 for the web shell: theme lookup, one environment per language, shared filters.

Lookup order, first match wins: the company's overrides (``<data>/themes/<theme>/templates``),
the active theme, the default theme, then each plugin's own ``templates/`` folder. The default
theme is also reachable as ``"default:<name>"`` so another theme can extend the template it
replaces. There is one `Environment` per language, each with its catalog installed through
`jinja2.ext.i18n` (newstyle gettext): a shared environment would need its gettext swapped per
request, which is not safe across the threadpool serving sync endpoints.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape

from .i18n import LOCALES, translations

THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
DEFAULT_THEME = "default"


def theme_names() -> list[str]:
    return sorted(p.name for p in THEMES_DIR.iterdir() if (p / "templates").is_dir())


def plugin_template_dirs(pm) -> list[Path]:
    """``templates/`` beside each plugin module (a plugin is a package: its __init__.py)."""
    found = []
    for _, plugin in pm.list_name_plugin():
        source = getattr(plugin, "__file__", None)
        if source and (Path(source).parent / "templates").is_dir():
            found.append(Path(source).parent / "templates")
    return found


def make_loader(data_root: Path, theme: str, pm) -> ChoiceLoader:
    default = FileSystemLoader(THEMES_DIR / DEFAULT_THEME / "templates")
    folders = [data_root / "themes" / theme / "templates"]
    if theme != DEFAULT_THEME:
        folders.append(THEMES_DIR / theme / "templates")
    loaders = [FileSystemLoader(f) for f in folders if f.is_dir()]
    loaders += [default, PrefixLoader({"default": default}, delimiter=":")]
    loaders += [FileSystemLoader(f) for f in plugin_template_dirs(pm)]
    return ChoiceLoader(loaders)


class Templates:
    """Renders a template in a language; `theme` is fixed when the app is built."""

    def __init__(self, data_root: Path, theme: str, pm, globals_: dict | None = None):
        if theme not in theme_names():
            theme = DEFAULT_THEME
        self.theme = theme
        loader = make_loader(Path(data_root), theme, pm)
        self.envs: dict[str, Environment] = {}
        for locale in LOCALES:
            env = Environment(loader=loader, autoescape=select_autoescape(default=True),
                              extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
            env.install_gettext_translations(translations(locale), newstyle=True)
            env.globals.update(globals_ or {})
            env.globals["locale"] = locale
            env.filters["number"] = _number
            self.envs[locale] = env

    def render(self, name: str, locale: str, context: dict) -> str:
        return self.envs[locale].get_template(name).render(context)


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"
