"""Every message a user can meet has a Simplified-Chinese translation.

Msgids are extracted the way a translator's tool would (Babel's extractors: N_, _, gettext and
ngettext in Python; the i18n extension's calls and {% trans %} blocks in Jinja templates) and
looked up in the merged zh_CN catalog that the application itself reads.
"""

import re
from functools import cache
from pathlib import Path

from babel.messages.extract import extract

from floorwalker.core.i18n import catalog

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}
SKIP = {".venv", "build", "tests", "data", "node_modules"}
TEMPLATE_GLOBS = ("themes/*/templates/**/*.html", "plugins/*/templates/**/*.html",
                  "examples/*/*/templates/**/*.html")


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not (set(parts) & SKIP or any(p.endswith(".egg-info") or p.startswith(".") for p in parts)):
            yield path


def template_files():
    for pattern in TEMPLATE_GLOBS:
        yield from sorted(ROOT.glob(pattern))


@cache
def messages() -> tuple:
    """(msgid, where) of every extractable message in the repository."""
    return tuple(_extract())


def _extract():
    sources = [("python", p) for p in python_files()] + \
              [("jinja2.ext:babel_extract", p) for p in template_files()]
    for method, path in sources:
        with path.open("rb") as fh:
            options = {"extensions": "jinja2.ext.do,jinja2.ext.loopcontrols"} \
                if method != "python" else {}
            for line, message, _comments, _context in extract(method, fh, KEYWORDS, options=options):
                ids = message if isinstance(message, tuple) else (message,)
                if ids and ids[0]:
                    yield ids[0], f"{path.relative_to(ROOT)}:{line}"


def test_the_extraction_finds_core_messages():
    found = {msgid for msgid, _ in messages()}
    assert "{month} has not ended yet" in found  # core/periods.py, through N_
    assert "employee number" in found


def test_every_message_has_a_chinese_translation():
    zh = catalog("zh_CN")
    missing = sorted({f"{where}: {msgid!r}" for msgid, where in messages()
                      if msgid not in zh or not zh[msgid].string})
    assert not missing, f"{len(missing)} messages have no zh_CN translation:\n" + "\n".join(missing)


def test_translations_keep_their_placeholders():
    """A translation that drops or renames a {placeholder} would fail when the message is shown."""
    def names(text):
        return sorted(set(re.findall(r"{(\w+)[^{}]*}", text)))

    wrong = [f"{m.id!r} -> {m.string!r}" for m in catalog("zh_CN")
             if m.id and isinstance(m.id, str) and m.string and names(m.id) != names(m.string)]
    assert not wrong, "\n".join(wrong)


def test_no_message_is_translated_in_two_files():
    """The catalogs are merged, so a second translation would silently win over the first."""
    from babel.messages.pofile import read_po

    from floorwalker.core.i18n import LOCALE_DIR

    owners: dict[str, list[str]] = {}
    for po in sorted((LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            catalog_ = read_po(fh, locale="zh_CN")
        assert catalog_.locale_identifier == "zh_CN", po.name
        assert (catalog_.charset or "").lower() == "utf-8", po.name
        for message in catalog_:
            if message.id and message.string:
                owners.setdefault(str(message.id), []).append(po.name)
    twice = sorted(f"{msgid!r}: {', '.join(files)}" for msgid, files in owners.items()
                   if len(files) > 1)
    assert not twice, "\n".join(twice)
