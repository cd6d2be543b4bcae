"""The typed records that hooks return. The core checks their type and refuses duplicates.

Titles come in both languages (`title_en`, `title_zh`); `title(locale)` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

RULE_KINDS = ("bonus", "light", "medium", "severe", "dismissal", "judgement", "escalation",
              "adjustment", "result")


@dataclass(frozen=True)
class _Titled:
    def title(self, locale: str) -> str:
        return self.title_zh if locale.startswith("zh") and self.title_zh else self.title_en


@dataclass(frozen=True)
class ScoreRule(_Titled):
    """A rule of the score catalogue: fixed points, or a range the recorder picks within.

    `points` is the default; `min_points`/`max_points` bound what a recorder may pick (equal to
    `points` for a fixed rule). `flags_dismissal` marks dismissal-level conduct.
    `derived` rules are written by the system (month-end derivations), not picked by people.
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
class Setting(_Titled):
    """One per-project setting of a plugin, with its default and how to check a value.

    `type` is one of "int", "float", "bool", "str", "choice", "json"; `choices` for "choice".
    `check`, if given, is called with the converted value and raises `ValidationError` when the
    value is of the right type but still wrong (the shape of a "json" setting, say), so a bad
    value is refused when it is set rather than when it is used.
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


@dataclass(frozen=True)
class Blocker(_Titled):
    """Something that must be settled before a month may close, with a link to settle it."""

    plugin: str
    title_en: str
    title_zh: str
    count: int = 1
    url: str = ""


@dataclass(frozen=True)
class AgentSection(_Titled):
    """A section of an agent's month page: a template and its context."""

    plugin: str
    title_en: str
    title_zh: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class NavItem(_Titled):
    plugin: str
    title_en: str
    title_zh: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class Widget(_Titled):
    """A dashboard widget: a template and its context."""

    plugin: str
    title_en: str
    title_zh: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class KPI(_Titled):
    """A figure for a project and period, with its unit and optional contract target."""

    plugin: str
    code: str
    title_en: str
    title_zh: str
    value: float | None
    unit: str = ""
    target: float | None = None
    higher_is_better: bool = True


@dataclass(frozen=True)
class ReportSection(_Titled):
    plugin: str
    title_en: str
    title_zh: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class SheetColumn(_Titled):
    """A column a plugin adds to a month's score sheet: a value per agent number."""

    plugin: str
    key: str
    title_en: str
    title_zh: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Importer(_Titled):
    """A file import a plugin offers: `run(floorwalker, project, rows, actor)` writes all or none.

    *project* is the project document; *rows* are `read_rows`'s (row number, {header: text})
    pairs, the header being row 1; `run` returns counts to report (e.g. ``{"added": 120}``) and
    raises `ValidationError` with ``row=`` for the first bad row. ``floorwalker import`` lists
    the imports as ``<plugin>.<code>`` and runs them."""

    plugin: str
    code: str
    title_en: str
    title_zh: str
    columns: tuple
    run: Callable


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
