"""Write docs/plugin-api.md: the part of the `Floorwalker` object plugins and scripts may use.

What is public is listed in ``docs/plugin_api.py``; everything the page says about it comes from
the code — signatures from `inspect.signature`, words from the docstrings — so the page is never
edited by hand: run ``python docs/make_api_docs.py`` after changing the listing or the code, and
``--check`` (what the test suite does) to fail when the page is out of date.

The test suite (``tests/test_plugin_api_docs.py``) also runs `problems()` — every listed member
exists and has its docstring, every name ``floorwalker.core`` exports is described — and
`undocumented_uses()`: every member the built-in plugins reach through ``floorwalker``, ``fw``,
``p.fw``, a transaction's ``tx`` or click's ``ctx.obj`` must be listed, so the manual cannot fall
behind what plugins use. That walk follows names the way plugins write them (`ROOTS`) and the
names bound to what they hold (``with … as tx``, ``s = ctx.obj``); it does not guess types beyond.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import sys
import textwrap
from functools import cache, cached_property
from pathlib import Path

from make_hook_docs import render_doc as render_hook_doc, write_or_check
from plugin_api import ALL_PARTS, PARTS, PENDING_DOCSTRINGS, SECTIONS, VALUES, Part, Section, core

PAGE = Path(__file__).resolve().parent / "plugin-api.md"
ROOT = PAGE.parent.parent
INDEX = "Everything `floorwalker.core` exports"


def doc_of(reach: str, obj) -> str | None:
    """The words for *obj*, reached as *reach*: its own docstring, else the pending ones."""
    return own_doc(obj) or PENDING_DOCSTRINGS.get(reach)


# ---------------------------------------------------------------- reading the code


def member(part: Part, name: str) -> tuple[str, object]:
    """What *name* is on *part*: ``("method", function or class)``, ``("attribute", its getter
    or None)``, or ``("missing", None)``."""
    cls = part.cls()
    found = inspect.getattr_static(cls, name, MISSING)
    if found is MISSING:
        return ("attribute", None) if inspect.isclass(cls) and name in instance_attributes(cls) \
            else ("missing", None)
    if isinstance(found, (staticmethod, classmethod)):
        return "method", found.__func__
    if isinstance(found, property):
        return "attribute", found.fget
    if isinstance(found, cached_property):
        return "attribute", found.func
    if inspect.isfunction(found) or inspect.isclass(found):
        return "method", found
    return "attribute", None  # a dataclass field's default, a constant


MISSING = object()


@cache
def instance_attributes(cls) -> frozenset[str]:
    """Dataclass fields and every ``self.<name> = …`` in the class's source."""
    names = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(cls)))):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id == "self":
            names.add(node.attr)
    return frozenset(names)


def ivars(cls) -> set[str]:
    """The attributes a class's docstring describes (``:ivar name: …``)."""
    return set(re.findall(r"^\s*:ivar (\w+):", own_doc(cls) or "", re.M)) if inspect.isclass(cls) else set()


def own_doc(obj) -> str | None:
    """*obj*'s own docstring: none inherited from a base class or an instance's class, none
    made up by `dataclass`."""
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
        return None if not doc or doc.startswith(f"{obj.__name__}(") else doc
    if inspect.isfunction(obj) or inspect.ismodule(obj) or inspect.isbuiltin(obj):
        return obj.__doc__ or None
    return None


def signature(obj, bound: bool = True) -> str:
    """``(name: type = default, …) -> type``, with the annotations as they are written."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = list(sig.parameters.values())
    if bound and params and params[0].name in ("self", "cls"):
        params = params[1:]
    if inspect.isclass(obj):
        sig = sig.replace(return_annotation=sig.empty)
    text = str(sig.replace(parameters=params))
    text = re.sub(r"ForwardRef\('([^']*)'\)", r"\1", text)  # a NamedTuple's annotations
    # string annotations (from __future__ import annotations) print quoted; defaults stay quoted
    return re.sub(r"(: |-> )'([^']*)'", r"\1\2", text)


def names_only(obj) -> str:
    """A heading's ``(a, b, …)``: the required arguments, then … when there are more."""
    try:
        params = [p for p in inspect.signature(obj).parameters.values() if p.name not in ("self", "cls")]
    except (TypeError, ValueError):
        return ""
    required = [p.name for p in params if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return f"({', '.join(required + (['…'] if len(required) < len(params) else []))})"


# ---------------------------------------------------------------- the page


def render_doc(doc: str) -> str:
    """A docstring as Markdown, as the hooks page renders one; a class's ``:ivar x:`` fields
    are listed as a function's parameters are."""
    return render_hook_doc(re.sub(r"^:ivar (\w+):", r":param \1:", inspect.cleandoc(doc), flags=re.M))


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def link_of(part: Part, name: str) -> str | None:
    """The part that member *name* of *part* holds or returns, where the listing has one:
    ``floorwalker.ledger``, a page's ``fw``, the ``tx`` of ``store.transaction(…)``."""
    reach = f"{part.path}.{name}"
    return part.links.get(name) or (reach if reach in PARTS else None)


def section_of(path: str) -> Section:
    return next(s for s in SECTIONS if PARTS[path] in s.parts)


def first_line(doc: str | None) -> str:
    return " ".join(inspect.cleandoc(doc or "").split("\n\n")[0].split())


def render_part(part: Part) -> list[str]:
    cls = part.cls()
    if not part.members:  # a value: its fields and its docstring
        return [f"### `{part.path}{signature(cls, bound=False)}`", "", render_doc(own_doc(cls) or ""), ""]
    lines = [f"### `{part.path}`", ""]
    if inspect.isclass(cls) and own_doc(cls):
        lines += [render_doc(own_doc(cls)), ""]
    linked = {f"{part.path}.{name}": link_of(part, name) for name in part.members
              if member(part, name)[0] == "attribute" and link_of(part, name)}
    for reach, target in linked.items():
        title = section_of(target).title
        what = "see" if target == reach else f"`{target}`: see"
        lines.append(f"- `{reach}` — {what} [{title}](#{anchor(title)})")
    lines += [""] if linked else []
    for name in part.members:
        kind, obj = member(part, name)
        reach = f"{part.path}.{name}"
        if kind == "method":
            lines += [f"#### `{reach}{names_only(obj)}`", "", "```python",
                      f"{reach}{signature(obj, bound=not inspect.isclass(obj))}", "```", "",
                      render_doc(doc_of(reach, obj) or ""), ""]
        elif reach not in linked and name not in ivars(cls):
            lines += [f"#### `{reach}`", "", part.notes.get(name) or render_doc(own_doc(obj) or ""), ""]
    return lines


def documented_in(name: str) -> str | None:
    """The section showing the export *name* in full, if one does."""
    return next((s.title for s in SECTIONS for p in s.parts if p.shown and (
        name in (p.path, p.name) or (p.path == "floorwalker.core" and name in p.members))), None)


def render_index() -> list[str]:
    """Every name ``floorwalker.core`` exports, with its first line and where it is shown."""
    lines = [f"## {INDEX}", "",
             "A plugin imports only from `floorwalker.core`; these are its names. Records are "
             "the typed values hooks return (their fields in order, `plugin` stamped by the "
             "core); errors are what a user reads, in their own language.", ""]
    for name in sorted(core().__all__, key=lambda n: (not n[0].isupper(), n.lower())):
        obj = getattr(core(), name)
        text = VALUES.get(name) or first_line(doc_of(f"floorwalker.core.{name}", obj))
        sig = signature(obj, bound=False) if inspect.isclass(obj) and dataclasses.is_dataclass(obj) \
            else names_only(obj) if inspect.isfunction(obj) else ""
        where = documented_in(name)
        more = f" See [{where}](#{anchor(where)})." if where else ""
        lines.append(f"- `{name}{sig}` — {text}{more}")
    return lines + [""]


def render() -> str:
    lines = ["# The plugin API", "",
             "<!-- Generated from the code by docs/make_api_docs.py: do not edit. -->", "",
             "What a plugin (or a script) may use of the `Floorwalker` object its hooks receive "
             "as `floorwalker`. The hooks themselves — when each is called, its arguments, what "
             "it returns — are in [Plugin hooks](plugin-hooks.md); a complete plugin to copy, "
             "with a page, a command, a job, its translations and its tests, is "
             "[the example plugin](../examples/floorwalker-example-plugin/README.md).", "",
             "What is listed here keeps working: arguments are added with defaults, never renamed. "
             "Anything else may change without notice. Dates are `YYYY-MM-DD` text and months "
             "`YYYY-MM`, unless a signature says `date`.", "",
             *[f"- [{s.title}](#{anchor(s.title)})" for s in SECTIONS],
             f"- [{INDEX}](#{anchor(INDEX)})", ""]
    for section in SECTIONS:
        lines += [f"## {section.title}", "", inspect.cleandoc(section.intro), ""]
        for part in section.parts:
            if part.shown:
                lines += render_part(part)
    lines += render_index()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"


# ---------------------------------------------------------------- checks the test suite runs


def problems() -> list[str]:
    """What the page cannot show as it should: a listed member the code lacks, a method or an
    export without a docstring, an attribute with neither a docstring nor a note, words
    pending for what now has its own docstring."""
    found = []
    for part in ALL_PARTS:
        try:
            cls = part.cls()
        except (ImportError, LookupError, AttributeError) as exc:
            found.append(f"{part.path}: not found ({exc})")
            continue
        if not part.shown:
            continue
        if not part.members and own_doc(cls) is None:
            found.append(f"{part.path}: no docstring")
        for name in part.members:
            kind, obj = member(part, name)
            reach = f"{part.path}.{name}"
            if kind == "missing":
                found.append(f"{reach}: no such member")
            elif kind == "method" and doc_of(reach, obj) is None:
                found.append(f"{reach}: no docstring")
            elif kind == "attribute" and not (part.notes.get(name) or own_doc(obj)
                                              or link_of(part, name) or name in ivars(cls)):
                found.append(f"{reach}: neither a docstring nor a note in docs/plugin_api.py")
            if reach in PENDING_DOCSTRINGS and own_doc(obj):
                found.append(f"{reach}: has its own docstring now; delete its PENDING_DOCSTRINGS line")
    for name in core().__all__:
        reach = f"floorwalker.core.{name}"
        obj = getattr(core(), name)
        if name not in VALUES and doc_of(reach, obj) is None:
            found.append(f"{reach}: no docstring of its own")
        if reach in PENDING_DOCSTRINGS and own_doc(obj):
            found.append(f"{reach}: has its own docstring now; delete its PENDING_DOCSTRINGS line")
    listed = {f"{p.path}.{n}" for p in ALL_PARTS for n in p.members} | \
        {f"floorwalker.core.{n}" for n in core().__all__}
    found += [f"{reach}: in PENDING_DOCSTRINGS but not on the page" for reach in PENDING_DOCSTRINGS
              if reach not in listed]
    return found


# How plugins name what they hold: a hook's `floorwalker`, a handler's page `p`, a transaction
# `tx`, click's context `ctx`; a name bound to one of these (with … as, =) holds it too.
ROOTS = {"floorwalker": "floorwalker", "fw": "floorwalker", "p": "page", "page": "page",
         "tx": "tx", "ctx": "ctx"}


class Uses(ast.NodeVisitor):
    """Every member a module reaches on a `Part`, and those the manual does not list."""

    def __init__(self, where: str):
        self.where = where
        self.scopes: list[dict[str, str | None]] = [{}]
        self.undocumented: set[str] = set()

    def follow(self, node) -> str | None:
        """The part *node* evaluates to, noting any step the manual does not list."""
        steps = []
        while True:
            if isinstance(node, ast.Attribute):
                steps.append(node.attr)
                node = node.value
            elif isinstance(node, ast.Call):
                steps.append(None)  # a call of the step before
                node = node.func
            elif isinstance(node, ast.Name):
                break
            else:
                return None
        part, last = self.scopes[-1].get(node.id), None
        for step in reversed(steps):
            if part is None:
                return None
            if step is None:  # calling part.last: its result is a part only where linked
                part = PARTS[part].links.get(last) if last else None
                last = None
                continue
            if last is not None:  # an attribute of a member's value: beyond the manual
                return None
            if step not in allowed(PARTS[part]):
                if PARTS[part].shown:
                    self.undocumented.add(f"{self.where}:{node.lineno}: {part}.{step}")
                return None
            target = link_of(PARTS[part], step)
            if target and member(PARTS[part], step)[0] == "attribute":
                part, last = target, None
            else:  # a method (its call may be linked) or a plain attribute
                last = step
        return part if last is None else None

    def visit_Attribute(self, node):
        self.follow(node)
        self.generic_visit(node)

    def _function(self, node, body):
        env = dict(self.scopes[-1])
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for arg in args:
            env[arg.arg] = ROOTS.get(arg.arg)
        decorators = [ast.unparse(d) for d in getattr(node, "decorator_list", ())]
        if args and any(d.endswith("pass_obj") for d in decorators):
            env[args[0].arg] = "session"
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(default)
        self.scopes.append(env)
        for statement in body:
            self.visit(statement)
        self.scopes.pop()

    def visit_FunctionDef(self, node):
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._function(node, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._function(node, [node.body])

    def bind(self, target, value) -> None:
        if isinstance(target, ast.Name):
            self.scopes[-1][target.id] = self.follow(value) if value is not None else None
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) \
                and len(value.elts) == len(target.elts) else [None] * len(target.elts)
            for t, v in zip(target.elts, values):
                self.bind(t, v)

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.bind(target, node.value)

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, item.context_expr)
        for statement in node.body:
            self.visit(statement)

    def visit_For(self, node):
        self.visit(node.iter)
        self.bind(node.target, None)
        for statement in node.body + node.orelse:
            self.visit(statement)

    def visit_comprehension(self, node):
        self.visit(node.iter)
        self.bind(node.target, None)
        for condition in node.ifs:
            self.visit(condition)

    def _comprehension(self, node):
        self.scopes.append(dict(self.scopes[-1]))
        for generator in node.generators:
            self.visit(generator)
        for name in ("elt", "key", "value"):
            if getattr(node, name, None) is not None:
                self.visit(getattr(node, name))
        self.scopes.pop()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension


def allowed(part: Part) -> tuple[str, ...]:
    """The members a plugin may reach on *part*: those listed, or a value's fields."""
    if part.members:
        return part.members
    cls = part.cls()
    return tuple(getattr(cls, "_fields", None) or (f.name for f in dataclasses.fields(cls)))


def undocumented_uses(paths) -> list[str]:
    """``file:line: part.member`` for each member *paths* reach that the manual does not list."""
    found = set()
    for path in paths:
        path = Path(path)
        walk = Uses(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
        walk.visit(ast.parse(path.read_text(encoding="utf-8")))
        found |= walk.undocumented
    return sorted(found)


def main(argv=None) -> int:
    return write_or_check(PAGE, render(), argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
