"""Languages: Simplified Chinese and English, from Babel catalogs.

Messages are written in English in the code and templates (the msgid) and translated through
.po files in `<folder>/<locale>/LC_MESSAGES/`. The .po files are the single source: they are
compiled in memory when first needed, so there is no build step and no stale .mo file to forget.
`N_()` marks a string for extraction without translating it yet (field names inside errors,
rule titles declared at import time); `translate()` turns it into the reader's language later.

Translations ship with their owner. The core's folder is `locale/` at the package root (one
file per area: core.po, cli.po, web.po …) and holds only the messages the core, the CLI and
the themes use; a plugin's are in the `locale/` folder beside its module, as its templates are
(`plugins/attendance/locale/zh_CN/LC_MESSAGES/attendance-*.po`). One catalog per language
merges them all: the core's folder, then each plugin's in the order added. A msgid is
translated once within an owner's folder; a plugin leaves out what the core translates, and
where a plugin translates it anyway the first translation wins, so a plugin cannot change the
core's words (two plugins that share a msgid the core lacks each ship it, in the same words).

How the plugins' folders get here: `translate()`, the templates' gettext and the CLI reach the
catalog from everywhere — from an error's message, without a plugin manager — so this module
keeps a registry of extra folders rather than asking a plugin manager. The plugin manager adds
each plugin's folder as the plugin is registered (`core/plugins.py`), built-in, entry-point or
a test's tiny plugin alike. Adding a folder twice changes nothing; the compiled catalogs are
cached by the tuple of folders, so adding one is seen by the next lookup with nothing to
invalidate (a template environment takes the catalog when it is built, after the plugins). A
folder stays for the life of the process: a plugin that a later plugin manager leaves out only
keeps words nobody asks for. Before any plugin manager exists only the core's words are known,
so a test of a plugin's pure rules that reads its Chinese makes one first.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Msg(str):
    """An English message id that is translated when shown (see `N_`)."""


class Words:
    """A parameter in both languages (a rule's or a state's title): a message shows the reader's.

    Store text is plain; a refusal that names a rule reads 班长月度评议 on a Chinese page, not
    the rule's code."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh

    def render(self, locale: str) -> str:
        return self.zh if locale.startswith("zh") and self.zh else self.en

    def __str__(self) -> str:
        return self.en


def N_(message: str) -> Msg:
    """Mark *message* for translation later; returns it unchanged but recognisable."""
    return Msg(message)


def normalize_locale(value: str | None) -> str:
    """Map 'zh', 'zh-CN', 'zh_CN.UTF-8', 'en_US' … onto a supported locale, else the default."""
    if not value:
        return DEFAULT_LOCALE
    value = value.split(".")[0].replace("-", "_").lower()
    if value.startswith("zh"):
        return "zh_CN"
    if value.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def accepted_locale(header: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header, by its weights
    (``zh-CN,zh;q=0.9,en;q=0.8`` → ``zh_CN``); None when it names none we have."""
    found = []
    for n, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        tag = tag.strip().lower()
        if weight > 0 and (tag.startswith("zh") or tag.startswith("en")):
            found.append((-weight, n, normalize_locale(tag)))
    return min(found)[2] if found else None


_plugin_locale_dirs: list[Path] = []


def add_locale_dir(folder: str | os.PathLike) -> None:
    """Merge the .po files under *folder* (a plugin's ``locale/``) into the catalogs, after the
    core's and those added before; adding a folder again changes nothing."""
    folder = Path(folder).resolve()
    if folder != LOCALE_DIR and folder not in _plugin_locale_dirs:
        _plugin_locale_dirs.append(folder)


def locale_dirs() -> tuple[Path, ...]:
    """The folders the catalogs are merged from: the core's, then each plugin's."""
    return (LOCALE_DIR, *_plugin_locale_dirs)


def translations(locale: str) -> NullTranslations:
    """The compiled catalog of *locale*; English is the identity."""
    return _compiled(locale, locale_dirs())


@lru_cache(maxsize=16)
def _compiled(locale: str, folders: tuple[Path, ...]) -> NullTranslations:
    if locale == "en":
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog(locale, folders))
    buffer.seek(0)
    return Translations(fp=buffer)


def catalog(locale: str, folders: Iterable[Path] | None = None) -> Catalog:
    """Every .po file of *locale* in *folders* (by default `locale_dirs()`) merged into one
    Babel catalog; the first translation of a msgid wins."""
    merged = Catalog(locale=locale)
    for folder in locale_dirs() if folders is None else folders:
        for po_path in sorted((Path(folder) / locale / "LC_MESSAGES").glob("*.po")):
            with po_path.open("rb") as fh:
                for message in read_po(fh, locale=locale):
                    if message.id and message.string and message.id not in merged:
                        merged[message.id] = message
    return merged


def gettext(message: str, locale: str) -> str:
    return translations(normalize_locale(locale)).gettext(message)


def translate(message: str, locale: str, **params) -> str:
    """Translate *message* and fill its `{placeholders}`; `Msg` parameters are translated too."""
    filled = {
        key: gettext(value, locale) if isinstance(value, Msg)
        else value.render(locale) if isinstance(value, Words) else value
        for key, value in params.items()
    }
    text = gettext(message, locale)
    return text.format(**filled) if filled else text


def cli_locale() -> str:
    """The language of command-line output: FLOORWALKER_LANG, then LANG, then the default."""
    return normalize_locale(os.environ.get("FLOORWALKER_LANG") or os.environ.get("LANG"))
