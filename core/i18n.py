"""Languages: Simplified Chinese and English, from Babel catalogs.

Messages are written in English in the code and templates (the msgid) and translated through
the .po files in `locale/<locale>/LC_MESSAGES/` (one per area: core.po, cli.po, web.po …, merged
into one catalog; a msgid must not be translated in two of them). The .po files are the single
source: they are compiled in memory when first needed, so there is no build step and no stale
.mo file to forget.
`N_()` marks a string for extraction without translating it yet (field names inside errors,
rule titles declared at import time); `translate()` turns it into the reader's language later.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Msg(str):
    """An English message id that is translated when shown (see `N_`)."""


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


@lru_cache(maxsize=None)
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of *locale*; English is the identity."""
    if locale == "en":
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog(locale))
    buffer.seek(0)
    return Translations(fp=buffer)


def catalog(locale: str) -> Catalog:
    """Every .po file of *locale* merged into one Babel catalog."""
    merged = Catalog(locale=locale)
    for po_path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


def gettext(message: str, locale: str) -> str:
    return translations(normalize_locale(locale)).gettext(message)


def translate(message: str, locale: str, **params) -> str:
    """Translate *message* and fill its `{placeholders}`; `Msg` parameters are translated too."""
    filled = {
        key: gettext(value, locale) if isinstance(value, Msg) else value
        for key, value in params.items()
    }
    text = gettext(message, locale)
    return text.format(**filled) if filled else text


def cli_locale() -> str:
    """The language of command-line output: FLOORWALKER_LANG, then LANG, then the default."""
    return normalize_locale(os.environ.get("FLOORWALKER_LANG") or os.environ.get("LANG"))
