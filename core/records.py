"""The typed records that hooks return. The core checks their type and refuses duplicates.

Every hook result passes `plugins.collect()`, which stamps each record's ``plugin`` with the
name of the plugin that returned it: a plugin may leave the field out. The records that had
``plugin`` as their first field keep it there, so ``NavItem("qa", "QA", "质检", "qa/")`` still
works; their other fields are then `REQUIRED` (a default that refuses to be left unset, the
price of letting the first field be omitted). Titles come in both languages (`title_en`,
`title_zh`); `title(locale)` picks one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from typing import Any, Callable

RULE_KINDS = ("bonus", "light", "medium", "severe", "dismissal", "judgement", "escalation",
              "adjustment", "result")


class _Required:
    """The default of a field that must be given (see the module's docstring)."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class _Titled:
    def title(self, locale: str) -> str:
        return self.title_zh if locale.startswith("zh") and self.title_zh else self.title_en


@dataclass(frozen=True)
class _Contribution(_Titled):
    """A record whose fields after an optional ``plugin`` are `REQUIRED` all the same."""

    def __post_init__(self):
        missing = [f.name for f in fields(self) if getattr(self, f.name) is REQUIRED]
        if missing:
            raise TypeError(f"{type(self).__name__}() is missing {', '.join(missing)}")


@dataclass(frozen=True)
class ScoreRule(_Titled):
    """A rule of the score catalogue: fixed points, or a range the recorder picks within.

    `points` is the default; `min_points`/`max_points` bound what a recorder may pick (equal to
    `points` for a fixed rule). `flags_dismissal` marks dismissal-level conduct.
    `derived` rules are written by the system (month-end derivations), not picked by people.
    `once_a_month` allows an agent one active (not reversed) event of the rule a month: the
    ledger refuses a second, on every path; reversing the first makes room for another.
    `floor_award` makes the rule the best of the whole floor (the project) in a month: the ledger
    gives it only to an agent with no violation that month, and at most the project's
    ``floor_awards`` (a core setting) active events of it a month (`core/rule_limits.py`).
    `withheld_by` (a derived bonus) is the evidence prefix (``complaints:complaint:``) of the
    events that withhold it: the month-end derivation gives it to every agent with none, so a
    correction after the close that removes an agent's last such event earns it (`Ledger.correct`).
    """

    code: str
    kind: str
    points: int
    title_en: str
    title_zh: str
    min_points: int | None = None
    max_points: int | None = None
    flags_dismissal: bool = False
    derived: bool = False
    reason_required: bool = False
    once_a_month: bool = False
    floor_award: bool = False
    withheld_by: str = ""
    plugin: str = ""  # stamped by the core

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise ValueError(f"rule {self.code}: unknown kind {self.kind!r}")
        if self.kind == "escalation" and not self.derived:
            # the sheet works the escalation out itself; a recorded one would never count
            raise ValueError(f"rule {self.code}: an escalation rule is derived, never recorded")
        if self.min_points is None:
            object.__setattr__(self, "min_points", self.points)
        if self.max_points is None:
            object.__setattr__(self, "max_points", self.points)
        if not self.min_points <= self.points <= self.max_points:
            raise ValueError(f"rule {self.code}: default points outside its range")


@dataclass(frozen=True)
class Choice(_Titled):
    """One option of a choice: the value stored and its title; `group_en`/`group_zh` put it
    under a heading of the list (the kind of a rule, say)."""

    value: Any
    title_en: str
    title_zh: str = ""
    group_en: str = ""
    group_zh: str = ""

    def group(self, locale: str) -> str:
        return self.group_zh if locale.startswith("zh") and self.group_zh else self.group_en


@dataclass(frozen=True)
class SettingField(_Titled):
    """One input of a structured setting: a column of a "rows" setting, a key of a "mapping".

    `type` is "text", "int", "number" (whole or decimal), "choice" or "time" ("HH:MM").
    A "choice" offers `choices` (`Choice` records) and, where they depend on the project,
    those `options(floorwalker, project)` returns (its teams, its rules …); a "text" field with
    choices offers them by title and stores the value of the one typed, or the text itself.
    `scale` shows and takes a number divided by it (60: minutes read and typed as hours).
    A field that is not `required` may stay empty (then it is left out of its row).
    """

    key: str
    type: str
    title_en: str
    title_zh: str
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    options: Callable[..., list] | None = None
    required: bool = True
    scale: int = 1


@dataclass(frozen=True)
class Setting(_Titled):
    """One per-project setting of a plugin, with its default and how to check a value.

    `type` is one of "int", "float", "bool", "str", "choice", "time" ("HH:MM"), "rows",
    "mapping" or "json"; `choices` for "choice". A "rows" setting is a table whose columns are
    its `fields` (its value a list of dicts by field key, unless `to_rows` and `from_rows`
    turn the stored value into such rows and back); a "mapping" is a dict of numbers with one
    key per field. Forms show these as inputs, never JSON; the CLI takes them as JSON.
    `check`, if given, is called with the converted value and raises `ValidationError` when the
    value is of the right type but still wrong (the shape of a "json" setting, say), so a bad
    value is refused when it is set rather than when it is used. `scale` shows an "int" in the
    form divided by it (60: minutes as hours; stored and set from the CLI unscaled);
    `group_en`/`group_zh` head the part of the settings page it belongs to.
    """

    key: str
    type: str
    default: Any
    title_en: str
    title_zh: str
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    help_en: str = ""
    help_zh: str = ""
    check: Callable[[Any], None] | None = None
    plugin: str = ""  # stamped by the core
    fields: tuple = ()
    to_rows: Callable[[Any], list] | None = None
    from_rows: Callable[[list], Any] | None = None
    scale: int = 1
    group_en: str = ""
    group_zh: str = ""


@dataclass(frozen=True)
class _Entry(_Contribution):
    """A contribution shown under its title: the plugin's name, then the title in both languages."""

    plugin: str = ""
    title_en: str = REQUIRED
    title_zh: str = REQUIRED


@dataclass(frozen=True)
class Blocker(_Entry):
    """Something that must be settled before a month may close, with a link to settle it."""

    count: int = 1
    url: str = ""


@dataclass(frozen=True)
class _Panel(_Entry):
    """A titled part of a page: a template rendered with its context, placed by `order`."""

    template: str = REQUIRED
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class AgentSection(_Panel):
    """A section of an agent's month page: a template and its context."""


@dataclass(frozen=True)
class NavItem(_Entry):
    """An entry of a project's navigation; `url` is relative to ``/p/<project>/``."""

    url: str = REQUIRED
    order: int = 100


@dataclass(frozen=True)
class Widget(_Panel):
    """A dashboard widget: a template and its context."""


@dataclass(frozen=True)
class KPI(_Contribution):
    """A figure for a project and span, with its unit and optional contract target.

    `n` is how many observations the figure rests on (agent-days, evaluations, calls): every
    average is shown with its n. A ratio gives its `numerator` and `denominator` too, so a
    report can add weeks into a month (sum the numerators, sum the denominators) instead of
    averaging averages. `automated` is false for a figure a person typed in. `url`, where
    given, is the page that lists what the figure counts (its month in the query): the
    dashboard and the home page link the figure to it for a reader who may open that page.
    """

    plugin: str = ""
    code: str = REQUIRED
    title_en: str = REQUIRED
    title_zh: str = REQUIRED
    value: float | None = REQUIRED
    unit: str = ""
    target: float | None = None
    higher_is_better: bool = True
    n: int | None = None
    numerator: float | None = None
    denominator: float | None = None
    automated: bool = True
    url: str = ""


KPI_AGGREGATES = ("sum", "mean", "ratio", "distinct")
KPI_AUDIENCES = ("internal", "client")


@dataclass(frozen=True)
class KPIDef(_Titled):
    """A KPI a plugin can compute, declared once at start (`register_kpis`).

    `aggregate` says how figures of shorter spans add up to a longer one: ``sum`` (absences),
    ``mean`` (weighted by n), ``ratio`` (sum of numerators over sum of denominators) or
    ``distinct`` (a count of distinct people, as the agents short of QA samples: two spans' counts
    do not add up, so a span is asked as a whole or has no figure).
    `audience` ``client`` lets the figure into a client's report and dashboard; pay and other
    internal figures are ``internal``, shown only to the BPO's staff (never to a client or an
    agent login). `action`, when given, is the action a reader must also hold: incentives' pay
    float total names ``incentives.pay``, so a team leader sees grades but not pay.
    Figures that name the same `group_en`/`group_zh` are the parts of one whole (the agents by
    grade): the dashboard and the home page draw them as one stacked bar under the group's
    title, each part labelled by its short `part` ("A").
    """

    code: str
    title_en: str
    title_zh: str
    unit: str = ""
    higher_is_better: bool = True
    aggregate: str = "mean"
    audience: str = "internal"
    action: str = ""
    plugin: str = ""  # stamped by the core
    group_en: str = ""
    group_zh: str = ""
    part: str = ""

    def group(self, locale: str) -> str:
        return self.group_zh if locale.startswith("zh") and self.group_zh else self.group_en

    def __post_init__(self):
        if self.aggregate not in KPI_AGGREGATES:
            raise ValueError(f"KPI {self.code}: aggregate must be one of {KPI_AGGREGATES}")
        if self.audience not in KPI_AUDIENCES:
            raise ValueError(f"KPI {self.code}: audience must be one of {KPI_AUDIENCES}")


@dataclass(frozen=True)
class ReportSection(_Panel):
    """A section of a project's client report: a template and its context, placed by `order`."""
    pass


@dataclass(frozen=True)
class SheetColumn(_Contribution):
    """A column a plugin adds to a month's score sheet: a value per agent number. `action`, when
    given, is the action a reader must hold to see the column on the sheet page and its exports
    (incentives' pay float names ``incentives.pay``). `unit` says how the page writes the values,
    as a KPI's does: ``¥`` as money, ``min`` as a length of time, else after the number.
    `titles` gives the words of coded values (a flag's code → (English, Chinese)), which the
    command line's table and csv show instead of the codes (its JSON keeps them)."""

    plugin: str = ""
    key: str = REQUIRED
    title_en: str = REQUIRED
    title_zh: str = REQUIRED
    values: dict = field(default_factory=dict)
    action: str = ""
    unit: str = ""
    titles: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence(_Titled):
    """How the evidence of a score event reads (`describe_evidence`): a short title in both
    languages (``Attendance · Dec 4`` / ``考勤 · 12月4日``) and, where the plugin wrote the event's
    reason from words of its own, that reason in both (empty: the stored reason is shown)."""

    title_en: str
    title_zh: str
    reason_en: str = ""
    reason_zh: str = ""

    def reason(self, locale: str) -> str:
        return self.reason_zh if locale.startswith("zh") and self.reason_zh else self.reason_en


@dataclass(frozen=True)
class Importer(_Contribution):
    """A file import a plugin offers: `run(floorwalker, project, rows, actor)` writes all or none.

    *project* is the project document; *rows* are `read_rows`'s (row number, {header: text})
    pairs, the header being row 1; `run` returns counts to report (e.g. ``{"added": 120}``) and
    raises `ValidationError` with ``row=`` for the first bad row. `counts` titles each count,
    ``{"added": ("added", "新增")}`` (English, Chinese); a count without a title is shown by its
    key. ``floorwalker import`` lists the imports as ``<plugin>.<code>`` and runs them."""

    plugin: str = ""
    code: str = REQUIRED
    title_en: str = REQUIRED
    title_zh: str = REQUIRED
    columns: tuple = REQUIRED
    run: Callable = REQUIRED
    counts: dict = field(default_factory=dict)
    # The columns the reader looks for to find the header below a file's title rows (`Fields`),
    # and `preview(floorwalker, project, table) -> Preview`: the import checked, nothing written.
    fields: Any = None
    preview: Callable | None = None
    action: str = ""  # who may run it on the import page (default: the project's supervisors)
    options: tuple = ()  # extra fields the page asks for and passes to run/preview ("month")

    def count_title(self, key: str, locale: str) -> str:
        en, zh = self.counts.get(key, (key, key))
        return zh if locale.startswith("zh") and zh else en


@dataclass(frozen=True)
class AgendaItem(_Titled):
    """Material for a meeting's agenda: a template and its context, placed by `order`."""

    title_en: str
    title_zh: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    plugin: str = ""  # stamped by the core


ABSENCE_KINDS = ("leave", "rest", "training", "other")


@dataclass(frozen=True)
class Absence:
    """An agent away from *first* to *last* (dates, both included), and why: `kind` is one of
    `ABSENCE_KINDS` (approved leave, a rest day of the roster …)."""

    agent: str
    first: dt.date
    last: dt.date
    kind: str = "leave"
    plugin: str = ""  # stamped by the core

    def __post_init__(self):
        for name in ("first", "last"):
            value = getattr(self, name)
            if isinstance(value, str):  # an ISO date is taken as the date it names
                object.__setattr__(self, name, dt.date.fromisoformat(value))
        if self.last < self.first:
            raise ValueError(f"absence of {self.agent}: {self.last} is before {self.first}")
        if self.kind not in ABSENCE_KINDS:
            raise ValueError(f"absence of {self.agent}: kind must be one of {ABSENCE_KINDS}")


@dataclass(frozen=True)
class WaitingItem(_Titled):
    """Something waiting for a user's decision: how many, and where to decide them."""

    title_en: str
    title_zh: str
    count: int
    url: str
    plugin: str = ""  # stamped by the core


_JOB_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Job:
    """Work on a timer: `run(floorwalker, project, now)` every `every` (a timedelta, or minutes).

    `run` is called once per project that enables the plugin, with *now* the project's
    wall-clock time (`projects.now`); it must be idempotent (the server and a cron line may
    both run it, and a run that failed half-way is run again) and may return a dict of counts
    to record.
    The job is known as ``<plugin>.<name>``.
    """

    name: str
    every: dt.timedelta
    run: Callable
    plugin: str = ""  # stamped by the core

    def __post_init__(self):
        if not _JOB_NAME.match(self.name):
            raise ValueError(f"job {self.name!r}: name it in lower case, like dispute_windows")
        every = self.every
        if not isinstance(every, dt.timedelta):
            every = dt.timedelta(minutes=every)
            object.__setattr__(self, "every", every)
        if every < dt.timedelta(minutes=1):
            raise ValueError(f"job {self.name}: runs at most once a minute")
        if not callable(self.run):
            raise ValueError(f"job {self.name}: run is not callable")

    @property
    def id(self) -> str:
        return f"{self.plugin}.{self.name}"


@dataclass(frozen=True)
class Migration:
    """The numbered schema steps of one kind of file a plugin owns.

    `kind` names the file: the plugin's project file (its name, ``projects/<slug>/<plugin>``) or
    one of its month tables (``<plugin>_<table>``, ``projects/<slug>/<table>/<YYYY-MM>``).
    ``steps[i]`` upgrades the file's tables from version i + 1 to i + 2, in place, as the core's
    own `store.MIGRATIONS` do.
    """

    kind: str
    steps: tuple
    plugin: str = ""  # stamped by the core

    def __post_init__(self):
        object.__setattr__(self, "steps", tuple(self.steps))
        if not all(callable(step) for step in self.steps):
            raise ValueError(f"migrations of {self.kind}: every step is a function of the tables")


@dataclass(frozen=True)
class Action(_Titled):
    """Something a person may do, with the roles that hold it by default.

    `name` is ``<plugin>.<thing>`` (``attendance.punch.correct``); a route names the action it
    needs and a handler passes the record it acts on to ``page.authorize(name, obj)``. A
    `writes` action changes what decides somebody's pay or day: a team leader holds it only for
    the agents and teams they lead. An admin may give an action to other staff roles of a
    project (``floorwalker project allow``, or the project's page); an agent or client login
    never gains an action its role does not hold by default, and admins always hold every one.
    """

    name: str
    roles: tuple
    title_en: str
    title_zh: str
    writes: bool = False
    scoped: bool = True  # needs a project in the user's scope (all but the install's own pages)
    plugin: str = ""


@dataclass(frozen=True)
class Route:
    """A web route of a plugin, mounted under /p/{project}/{plugin}/ with its `action` checked.

    `limits` maps a form field's name to the most characters it may carry (``"*"``: every field
    it does not name); a longer field is refused before the endpoint runs. Unnamed fields may
    carry 2,000 characters, a note's length.
    """

    path: str
    endpoint: Callable
    action: str
    methods: tuple = ("GET",)
    name: str | None = None
    limits: dict = field(default_factory=dict)
    plugin: str = ""  # stamped by the core
