"""What of the `Floorwalker` object plugins and scripts may use: the listing behind
docs/plugin-api.md (``docs/make_api_docs.py`` renders it and checks it against the code).

Each `Part` is an object a plugin reaches — ``floorwalker.ledger``, the ``tx`` of a store
transaction, the ``page`` a route handler gets — with the members it may use, and how to find
its class without naming the module it lives in (`facade`, `returned`, `importable`): the code
may move between modules while this list stays as it is. Members with no docstring of their own
(attributes) are described in ``notes``; `PENDING_DOCSTRINGS` holds words for methods whose
docstrings the code still lacks.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import textwrap
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Callable


# ---------------------------------------------------------------- where the classes are


def facade(attribute: str) -> Callable[[], type]:
    """The class of ``floorwalker.<attribute>``, read from ``Floorwalker.__init__``: the class
    of ``self.<attribute> = Class(self)``, or the annotation of the argument assigned."""
    @cache
    def find() -> type:
        cls = core().Floorwalker
        init = ast.parse(textwrap.dedent(inspect.getsource(cls.__init__))).body[0]
        for node in ast.walk(init):
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == attribute for t in node.targets):
                if isinstance(node.value, ast.Call):
                    return getattr(sys.modules[cls.__module__], ast.unparse(node.value.func))
                if isinstance(node.value, ast.Name):
                    return typing.get_type_hints(cls.__init__)[node.value.id]
        raise LookupError(f"Floorwalker.__init__ sets no self.{attribute}")
    return find


def returned(owner: str, method: str) -> Callable[[], type]:
    """The class *method* of the part *owner* returns (or yields, for a context manager)."""
    @cache
    def find() -> type:
        hint = typing.get_type_hints(getattr(PARTS[owner].cls(), method))["return"]
        args = typing.get_args(hint)
        return args[0] if args and typing.get_origin(hint) is not typing.Union else hint
    return find


def importable(*places: str) -> Callable[[], object]:
    """The first of ``module:name`` *places* that exists (code being moved has two homes)."""
    @cache
    def find():
        for place in places:
            module, _, name = place.partition(":")
            try:
                found = getattr(importlib.import_module(module), name, None)
            except ModuleNotFoundError:
                continue
            if found is not None:
                return found
        raise LookupError(f"none of {', '.join(places)} exists")
    return find


def core():
    return importlib.import_module("floorwalker.core")


# ---------------------------------------------------------------- what is public


@dataclass(frozen=True)
class Part:
    """An object plugins reach, as they write it (*path*), its members, and how to find it."""

    path: str
    cls: Callable[[], object]
    members: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)  # members that carry no docstring
    links: dict[str, str] = field(default_factory=dict)  # member (or call of it) -> part path
    shown: bool = True  # False: only a step of the walk (click's context)
    name: str = ""  # the name floorwalker.core exports it as, if it does


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    parts: tuple[Part, ...]


SERVICES = ("store", "projects", "teams", "agents", "users", "periods", "ledger", "calendar", "access",
            "summaries")
SECTIONS = (
    Section("The install", """
Hooks get the install as `floorwalker`; a script or a one-off job opens one with
`open_floorwalker(folder)`, which checks the data folder first (a damaged file is refused by
name, when the folder opens or when the file is first read) and loads the built-in and the
allowlisted plugins. Its signature, and those of `ledger.record`, `ledger.settle` and
`ledger.correct`, are kept: arguments may be added with defaults, never renamed or reordered.

```python
from floorwalker.core.floorwalker import open_floorwalker

fw = open_floorwalker("data")
fw.ledger.record("shop", "1001", "loud", "2026-11-03", "script:cleanup", reason="call 8812")
```""", (
        Part("floorwalker.core.floorwalker", lambda: importlib.import_module("floorwalker.core.floorwalker"),
             ("open_floorwalker",)),
        Part("floorwalker", lambda: core().Floorwalker, name="Floorwalker", members=(
            *SERVICES, "pm", "rules", "settings_schemas", "jobs", "kpi_defs", "plugin_names", "project_hook",
            "install_settings", "default_locale", "render"), notes={
            "pm": "The pluggy plugin manager: `floorwalker.pm.hook.<name>(...)` calls a hook of "
                  "every plugin; a project-scoped hook goes through `project_hook`.",
            "rules": "The score catalogue: rule code → `(plugin, ScoreRule)`, as declared "
                     "(`ledger.rule` applies a project's overrides).",
            "settings_schemas": "Each plugin's settings: plugin name → {key: `Setting`}.",
            "jobs": "Every plugin's timed jobs by id (`<plugin>.<name>`): `Job`.",
            "kpi_defs": "Every plugin's declared KPIs by code: `KPIDef` (its `plugin`, `audience`, "
                        "`action`), as `register_kpis` declared them."}),
    )),
    Section("Projects", """
A project is a client engagement: a document with its `slug`, `client`, `timezone`, enabled
`plugins` and `settings`. Project-scoped hooks receive the document; the services take the slug
or the document, as their signatures say. Every "now" and "today" of a project comes from its
own clock (`now`, `today`), in its time zone.""", (
        Part("floorwalker.projects", facade("projects"),
             ("get", "all", "settings", "configure", "now", "today", "agent_label")),
    )),
    Section("Teams, agents and users", """
Agents are keyed by employee number (`number`) and belong to a project and a team through
assignments that carry their first and last day; a question about who was where is asked for a
day or a span. Users are the people who sign in; a team leader leads the teams listed on the
user.""", (
        Part("floorwalker.teams", facade("teams"), ("of", "get")),
        Part("floorwalker.agents", facade("agents"), (
            "get", "assignments", "assignment_on", "in_project", "in_month", "require_in_project",
            "set_tier")),
        Part("floorwalker.users", facade("users"), ("get", "all", "leading", "display_name")),
    )),
    Section("Periods", """
A month (`"YYYY-MM"`) is open until it is closed: closing asks every enabled plugin for
blockers (`period_blockers`), then tells them (`on_period_closing`, `on_period_closed`), and from
then on the store refuses any change dated in it.""", (
        Part("floorwalker.periods", facade("periods"), ("state", "closed", "list", "blockers", "close")),
    )),
    Section("The score ledger", """
Append-only: an event is never edited. A plugin records what its evidence earns, each event
naming the evidence (`<plugin>:<kind>:<id>`); when the evidence changes it settles the ledger
(`settle` writes what is wanted and reverses the rest), and a person's correction of a closed
month becomes an adjustment in an open one (`correct`). The month's sheet is worked out from
the events and the project's settings.""", (
        Part("floorwalker.ledger", facade("ledger"), (
            "rule", "rules", "events", "agent_events", "find", "prepare", "record", "write",
            "reverse", "settle", "correctable", "correct", "sheet"), links={"settle": "Settled"}),
        Part("Wanted", importable("floorwalker.core:Wanted", "floorwalker.core.settlement:Wanted"), ()),
        Part("Settled", returned("floorwalker.ledger", "settle"), ()),
    )),
    Section("Storing a plugin's records", """
A plugin never opens a file: it keeps its records through `floorwalker.store`, in its own file
per project (`plugin_key`) or, for many records, one file per month (`period_key`). Every change
is a transaction: locked, atomic, audited as the *actor* doing the *action*, and refused whole
when it touches a closed month. Reads come from a cache that sees other processes' writes.

```python
key = floorwalker.store.plugin_key(project["slug"], "training")
with floorwalker.store.transaction(key, actor, "training.schedule") as tx:
    session = tx.insert("sessions", {"agent": "1001", "date": "2026-11-12", "topic": "Refunds"})
```""", (
        Part("floorwalker.store", facade("store"), (
            "plugin_key", "period_key", "transaction", "read", "table", "keys", "closed_months"),
            links={"transaction": "tx", "read": "shard"}),
        Part("tx", returned("floorwalker.store", "transaction"), (
            "docs", "get", "insert", "insert_many", "update", "remove", "table")),
        Part("shard", returned("floorwalker.store", "read"), ("table", "index")),
    )),
    Section("Keeping small figures", """
A figure a page shows for many projects or days (a dashboard tile, a KPI, a count of what
waits) can be kept with `floorwalker.summaries.get(name, key, derive)`: *derive* runs once, and
its result is given back while every file it read (through the store, whoever read it) is the
same on disk — a write by any process derives it again at the next ask. Put in *key* what the
files do not say: the period, and the clock to the minute where the figure counts what has
happened by now. Keep small things (numbers, short lists), never a month's rows, and do not
change what you get back.

```python
def project_kpis(floorwalker, project, period, first=None, last=None):
    return floorwalker.summaries.get("training.kpis", (project["slug"], period),
                                     lambda: training_kpis(floorwalker, project, period))
```""", (
        Part("floorwalker.summaries", facade("summaries"), ("get", "snapshot")),
    )),
    Section("Calendar and business hours", """
The install's holiday calendar (the State Council's arrangement, with the administrator's edits
on top) decides which days are worked; business hours count time on a project's floor clock.
Pure rules take a `HolidayCalendar` or `BusinessHours` value, so they are tested without data.""", (
        Part("floorwalker.calendar", facade("calendar"), (
            "current", "is_holiday", "is_workday", "business_hours", "official", "edits", "edit"),
            links={"current": "HolidayCalendar", "business_hours": "BusinessHours"}),
        Part("HolidayCalendar", lambda: core().HolidayCalendar, (
            "holidays", "workdays", "is_holiday", "is_workday", "add_workdays"), notes={
            "holidays": "The days off, a frozenset of `date` (public holidays and the extra ones).",
            "workdays": "The make-up workdays (调休), a frozenset of `date`: weekend days worked."}),
        Part("BusinessHours", lambda: core().BusinessHours, ("parse", "length", "is_workday", "between", "add")),
    )),
    Section("Access", """
A plugin declares its actions (`register_actions`, each an `Action` with the roles that hold it
by default) and names one on each route; the route checks the user's role, and the handler
passes the record it acts on to `page.authorize`, which checks the project, the team a team
leader leads and an agent's own records. Outside a page, `floorwalker.access` decides the same.""", (
        Part("floorwalker.access", facade("access"), ("authorize", "can", "roles", "reads")),
    )),
    Section("Pages", """
A route's endpoint is a plain function of the request as a `Page` (`register_routes`); it runs
in a worker thread, after the project, the action and the form's CSRF token were checked.""", (
        Part("page", importable("floorwalker.core:Page", "floorwalker.core.page:Page"), (
            "fw", "project", "user", "locale", "params", "form", "request", "render", "redirect",
            "authorize", "can", "agent_name", "download", "_"), links={"fw": "floorwalker"},
            notes={"project": "The project document of the path (`/p/{project}/…`), or None.",
                   "user": "The signed-in user document.",
                   "locale": "The reader's language, `zh_CN` or `en`.",
                   "params": "The path's parameters, as text.",
                   "form": "A POST's fields; a field sent more than once is a list.",
                   "request": "Starlette's `Request` (query parameters: `request.query_params`).",
                   "_": "Translate a message (marked with `N_`) into the reader's language, "
                        "filling its `{placeholders}`."}),
    )),
    Section("Money, time and leave", """
A page writes money, lengths of time and leave one way in both languages: templates use the
filters `money`, `duration`, `leave_length`, `measure(unit)` (and `person` for a user name,
`rule_title` for a rule code); code that writes text itself calls `floorwalker.core.formats`.""", (
        Part("formats", lambda: core().formats, ("money", "duration", "leave_length", "measure")),
    )),
    Section("Checking what people type", """
A value from a form, a file or the command line is checked with `floorwalker.core.validate`:
each check returns the clean value or raises `ValidationError` naming the field, which a page
shows beside that field and the command line prints as one line, in the reader's language.
A page that edits settings (`Setting`, `SettingField`) as the settings pages do uses
`floorwalker.core.setting_forms`: the inputs of a stored value, and the value of a posted form
with each wrong input (its row and field) named.""", (
        Part("validate", lambda: core().validate, ("date", "month", "text", "number", "choice")),
        Part("setting_forms", lambda: core().setting_forms,
             ("options", "shown", "posted", "parsed", "blank_rows", "rule_choices", "FormErrors")),
    )),
    Section("Exports", """
Every download goes through one helper: a `Table` becomes CSV, xlsx or PDF in the reader's
language, and text that a spreadsheet would run as a formula is defused (`guard`).""", (
        Part("floorwalker.core", core, ("Table", "guard", "to_csv", "to_xlsx", "to_pdf", "download")),
    )),
    Section("The command line", """
A plugin adds commands with `register_commands(cli)`. A command takes the CLI's `Session` as
its first argument (`@click.pass_obj`; `ctx.obj` in a group) and the options every command
shares (`project_option`, `month_option`, `format_option`). A `FloorwalkerError` it raises is
printed as one line in the user's language, with its exit code.

```python
@click.command("list")
@project_option
@month_option
@format_option
@click.pass_obj
def list_sessions(s: Session, project, month, fmt):
    s.show(rows_of(s.fw, project, month), [("agent", N_("employee number"))], fmt)
```""", (
        Part("ctx", importable("click:Context"), ("obj",), links={"obj": "session"}, shown=False),
        Part("session", lambda: core().Session, ("fw", "actor", "locale", "say", "show", "warn"),
             links={"fw": "floorwalker"}, name="Session"),
        Part("floorwalker.core", core, ("project_option", "month_option", "format_option")),
    )),
)
ALL_PARTS = tuple(part for section in SECTIONS for part in section.parts)
PARTS = {part.path: part for part in ALL_PARTS if part.path != "floorwalker.core"}  # what the walk reaches
# Values with no docstring of their own among the names floorwalker.core exports.
VALUES = {
    "DATE_NAMES": "The names files give a date column (日期, 考勤日期, 打卡日期 …): for an importer's `Fields`.",
    "NUMBER_NAMES": "The names files give an employee number (工号, 员工号, 考勤号码, AC-No. …): for an importer's `Fields`.",
    "FORMATS": "The output formats of lists on the command line: table, csv, json.",
    "LEADERS": "The roles that lead people: supervisors and team leaders (for `Action` roles).",
    "STAFF": "Every role of the centre's own staff: leaders and QA (for `Action` roles).",
    "SUPERVISORS": "Admin, director and supervisor: the roles above the teams (for `Action` roles).",
    "TIERS": "The agents' tiers, lowest first.",
    "TIER_TITLES": "Each tier's title in English and Chinese.",
    "hookimpl": "Marks a function as the implementation of a hook (`@hookimpl`).",
    "hookspec": "Marks a function as a hook specification, in a plugin's own `hookspecs.py`.",
}

# Words for members and exports the code does not document yet, shown on the page until it
# does: the test fails when one gains its own docstring (move the words there, delete the
# line) and names every member missing one that is not here.
PENDING_DOCSTRINGS: dict[str, str] = {}  # every member now says what it does in its own docstring
