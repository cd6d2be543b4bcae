"""Every message a user can meet has a Simplified-Chinese translation, shipped by its owner.

Msgids are extracted the way a translator's tool would (Babel's extractors: N_, _, gettext and
ngettext in Python; the i18n extension's calls and {% trans %} blocks in Jinja templates). A
message belongs to the plugin whose package holds the file (the built-in plugins and the
example's), else to the core; each owner translates its messages in its own ``locale/`` folder,
and the catalog the application reads merges those folders (core/i18n.py).
"""

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

from floorwalker.core.i18n import LOCALE_DIR, catalog

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}
SKIP = {".venv", "build", "tests", "data", "node_modules"}
TEMPLATE_GLOBS = ("themes/*/templates/**/*.html", "plugins/*/templates/**/*.html",
                  "examples/*/*/templates/**/*.html")
PLUGIN_PACKAGES = [p.parent for p in sorted(ROOT.glob("plugins/*/__init__.py"))] + \
                  [p.parent for p in sorted(ROOT.glob("examples/*/*/__init__.py"))]
# Where translations live: the core's folder, then each plugin's beside its module.
FOLDERS = (LOCALE_DIR, *(package / "locale" for package in PLUGIN_PACKAGES))


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not (set(parts) & SKIP or any(p.endswith(".egg-info") or p.startswith(".") for p in parts)):
            yield path


def template_files():
    for pattern in TEMPLATE_GLOBS:
        yield from sorted(ROOT.glob(pattern))


def owner(path: Path) -> Path:
    """The locale folder that must translate the messages of *path*."""
    return next((package / "locale" for package in PLUGIN_PACKAGES if package in path.parents),
                LOCALE_DIR)


def short(folder: Path) -> str:
    return str(folder.relative_to(ROOT))


@cache
def messages() -> tuple:
    """(msgid, where, owner's locale folder) of every extractable message in the repository."""
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
                    yield ids[0], f"{path.relative_to(ROOT)}:{line}", owner(path)


def users() -> dict[str, set[Path]]:
    """The owners' folders using each msgid."""
    found = defaultdict(set)
    for msgid, _where, folder in messages():
        found[msgid].add(folder)
    return found


def home(folders: set[Path]) -> set[Path]:
    """Where a msgid used by *folders*' owners is translated: the core's folder when the core
    uses it (the plugins read the core's words), else each plugin that uses it."""
    return {LOCALE_DIR} if LOCALE_DIR in folders else folders


@cache
def translated() -> dict[Path, dict[str, list[tuple[str, str]]]]:
    """Per locale folder: each translated msgid with its (file, translation)s."""
    found = {}
    for folder in FOLDERS:
        found[folder] = defaultdict(list)
        for po in sorted((folder / "zh_CN" / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as fh:
                for message in read_po(fh, locale="zh_CN"):
                    if message.id and message.string:
                        found[folder][str(message.id)].append((po.name, message.string))
    return found


def test_the_extraction_finds_core_plugin_and_example_messages():
    used = users()
    assert used["{month} has not ended yet"] == {LOCALE_DIR}  # core/periods.py, through N_
    assert used["Import a roster file"] == {ROOT / "plugins/attendance/locale"}
    assert used["Training topic"] == \
        {ROOT / "examples/floorwalker-example-plugin/floorwalker_training/locale"}
    assert {LOCALE_DIR, ROOT / "plugins/incentives/locale"} <= used["employee number"]


def test_every_plugin_and_the_example_ship_a_locale_folder():
    for package in PLUGIN_PACKAGES:
        assert sorted((package / "locale" / "zh_CN" / "LC_MESSAGES").glob("*.po")), short(package)


def test_every_message_has_a_chinese_translation():
    zh = catalog("zh_CN", FOLDERS)
    missing = sorted({f"{where}: {msgid!r}" for msgid, where, _ in messages()
                      if msgid not in zh or not zh[msgid].string})
    assert not missing, f"{len(missing)} messages have no zh_CN translation:\n" + "\n".join(missing)


def test_each_message_is_translated_in_its_owners_folder():
    """A plugin's words come with the plugin (plugins/<name>/locale/), the core's with the core;
    a plugin relies on the core for a message the core uses too, never on another plugin."""
    missing = sorted(f"{where}: {msgid!r} belongs in {short(folder)}"
                     for msgid, where, _ in messages()
                     for folder in home(users()[msgid])
                     if msgid not in translated()[folder])
    assert not missing, "\n".join(missing)


def test_a_folder_translates_only_its_owners_messages():
    """The core's catalogs keep only the core's messages, and a plugin's only its own."""
    used = users()
    stray = sorted(f"{short(folder)}/{files[0][0]}: {msgid!r} belongs in "
                   f"{', '.join(short(f) for f in sorted(home(used[msgid])))}"
                   for folder, messages_ in translated().items()
                   for msgid, files in messages_.items()
                   if msgid in used and folder not in home(used[msgid]))
    assert not stray, "\n".join(stray)


def test_no_message_is_translated_twice():
    """The catalogs are merged and the first translation wins, so a second would silently lose:
    a msgid is translated once in its owner's folder, and two plugins that both need a message
    the core lacks (each ships its own words) must say the same."""
    twice = []
    for folder, messages_ in translated().items():
        twice += [f"{msgid!r}: {short(folder)}/{', '.join(f for f, _ in files)}"
                  for msgid, files in messages_.items() if len(files) > 1]
    core = translated()[LOCALE_DIR]
    words = defaultdict(set)
    for folder in FOLDERS[1:]:
        for msgid, files in translated()[folder].items():
            if msgid in core:
                twice.append(f"{msgid!r}: {short(folder)}/{files[0][0]} and the core's")
            words[msgid] |= {string for _, string in files}
    twice += [f"{msgid!r} is translated differently by two plugins: {sorted(strings)}"
              for msgid, strings in words.items() if len(strings) > 1]
    assert not twice, "\n".join(sorted(twice))


def test_translations_keep_their_placeholders():
    """A translation that drops or renames a {placeholder} would fail when the message is shown."""
    def names(text):
        return sorted(set(re.findall(r"{(\w+)[^{}]*}", text)))

    wrong = [f"{short(folder)}: {msgid!r} -> {string!r}"
             for folder, messages_ in translated().items()
             for msgid, files in messages_.items() for _, string in files
             if names(msgid) != names(string)]
    assert not wrong, "\n".join(wrong)


def test_every_catalog_file_is_chinese_in_utf8():
    for folder in FOLDERS:
        for po in sorted((folder / "zh_CN" / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as fh:
                catalog_ = read_po(fh, locale="zh_CN")
            assert catalog_.locale_identifier == "zh_CN", po
            assert (catalog_.charset or "").lower() == "utf-8", po
