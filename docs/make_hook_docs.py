"""Write docs/plugin-hooks.md from the hook specifications in core/hookspecs.py.

The docstrings are the manual; this page is only their rendering, so it is never edited by hand:
run ``python docs/make_hook_docs.py`` after changing a hook, and ``--check`` (what the test
suite does) to fail when the page is out of date.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parent / "plugin-hooks.md"
GROUP_HEADING = re.compile(r"^# -+ (\w+)\s*$")


def hooks(module) -> list[tuple[str, list]]:
    """The hook functions of *module* by group, in source order (groups are the ``# --- name``
    comment lines of the module); hooks it imports from another module (the shell's) follow,
    grouped by that module's own headings."""
    specs = [obj for _, obj in inspect.getmembers(module, inspect.isfunction)
             if hasattr(obj, "floorwalker_spec")]
    sources = [module.__name__] + sorted({f.__module__ for f in specs} - {module.__name__})
    groups: dict[str, list] = {}
    for source in sources:
        starts = [(number, m.group(1)) for number, line in
                  enumerate(inspect.getsource(sys.modules[source]).splitlines(), start=1)
                  if (m := GROUP_HEADING.match(line))]
        for spec in sorted((f for f in specs if f.__module__ == source),
                           key=lambda f: f.__code__.co_firstlineno):
            group = next((name for number, name in reversed(starts)
                          if number < spec.__code__.co_firstlineno), "other")
            groups.setdefault(group, []).append(spec)
    return list(groups.items())


def render_doc(doc: str) -> str:
    """A reST-ish docstring as Markdown: field lists become bullet points, ``::`` a code block."""
    out = []
    for line in inspect.cleandoc(doc).splitlines():
        if m := re.match(r":param (\w+): (.*)", line):
            out.append(f"- `{m.group(1)}` — {m.group(2)}")
        elif m := re.match(r":returns: (.*)", line):
            out.append(f"\n**Returns** {m.group(1)}")
        else:
            out.append(line[:-1] if line.endswith("::") else line)
    return "\n".join(out).replace("``", "`")


def render(module) -> str:
    lines = ["# Plugin hooks", "",
             "<!-- Generated from core/hookspecs.py by docs/make_hook_docs.py: do not edit. -->",
             "", render_doc(module.__doc__), ""]
    for group, specs in hooks(module):
        lines += [f"## {group.capitalize()}", ""]
        for spec in specs:
            signature = ", ".join(inspect.signature(spec).parameters)
            lines += [f"### `{spec.__name__}({signature})`", "", render_doc(spec.__doc__), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_or_check(page: Path, text: str, argv, description: str) -> int:
    """Write *text* to *page*, or with ``--check`` exit 1 (writing nothing) where they differ:
    the command line of every generated docs page."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the page differs from the code, writing nothing")
    args = parser.parse_args(argv)
    current = page.read_text(encoding="utf-8") if page.exists() else ""
    if args.check:
        if current != text:
            print(f"{page} is out of date: run python docs/{Path(sys.argv[0]).name}", file=sys.stderr)
            return 1
        return 0
    page.write_text(text, encoding="utf-8")
    return 0


def main(argv=None) -> int:
    from floorwalker.core import hookspecs

    return write_or_check(PAGE, render(hookspecs), argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
