"""Settings as form inputs: what each input shows for a stored value, and the value a posted
form gives back, with every wrong input named (its row and field) in the reader's language.

Inputs are named ``key`` (a plain setting), ``key.field`` (a "mapping") and ``key.<n>.field``
(a "rows" setting, with a ``key.<n>._remove`` tick). A rows setting is shown with `SPARE_ROWS`
empty rows to fill, so rows are added and removed without JavaScript; a row left empty is no
row. What the form holds between the two (`typed`) is text: a string, a dict of strings by
field, or a list of such dicts. The CLI sets the same settings as JSON (`settings.coerce`).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import orjson

from . import validate
from .errors import ValidationError
from .i18n import N_, Words, translate
from .records import Choice, Setting, SettingField
from .settings import coerce

SPARE_ROWS = 3
MAX_ROWS = 200
# the headings a list of rules is grouped under; adjustments and the escalation have no points
# of their own to change
KIND_WORDS = {"bonus": N_("Bonus"), "light": N_("Light"), "medium": N_("Medium"),
              "severe": N_("Severe"), "dismissal": N_("Dismissal offences"),
              "judgement": N_("Judgement"), "result": N_("Results")}


class FormErrors(Exception):
    """The problems of a posted setting: by input name (``key``, ``key.field``, ``key.<n>.field``);
    `typed`, where given, is what the form held, to show again."""

    def __init__(self, errors: dict[str, str], typed: dict | None = None):
        super().__init__(errors)
        self.errors, self.typed = errors, typed


def options(fw, project: dict, setting: Setting) -> dict[str, list[Choice]]:
    """The choices each field offers (by field key; ``""`` for the setting's own choices)."""
    found: dict[str, list[Choice]] = {"": [c if isinstance(c, Choice) else Choice(c, str(c))
                                           for c in setting.choices]}
    for f in setting.fields:
        found[f.key] = list(f.choices) + (list(f.options(fw, project)) if f.options else [])
    return found


def number_text(value: float) -> str:
    """A number as a person types it: 8 not 8.0, 7.5 not 7.500."""
    return str(int(value)) if float(value).is_integer() else str(round(value, 4))


# ---------------------------------------------------------------- stored value -> inputs


def shown(setting: Setting, value: Any, choices: dict[str, list[Choice]], locale: str):
    """What the inputs of *setting* show for the stored *value*."""
    if setting.type == "rows":
        rows = setting.to_rows(value) if setting.to_rows else value
        return [{f.key: _cell_text(f, row.get(f.key), choices[f.key], locale) for f in setting.fields}
                for row in rows or []]
    if setting.type == "mapping":
        return {f.key: _cell_text(f, (value or {}).get(f.key), choices[f.key], locale)
                for f in setting.fields}
    if setting.type == "bool":
        return "true" if value else ""
    if setting.type == "json":
        return orjson.dumps(value).decode()
    if value is None:
        return ""
    if setting.type == "int" and setting.scale != 1:
        return number_text(value / setting.scale)
    return str(value)


def _cell_text(f: SettingField, value, choices: list[Choice], locale: str) -> str:
    if value is None:
        return ""
    if f.type == "text" and choices:
        return next((c.title(locale) for c in choices if c.value == value), str(value))
    if f.type in ("int", "number") and isinstance(value, (int, float)):
        return number_text(value / f.scale)
    return str(value)


def blank_rows(setting: Setting, n: int = SPARE_ROWS) -> list[dict]:
    """*n* empty rows of a "rows" setting, shown below its rows to fill (adding without JavaScript)."""
    return [{f.key: "" for f in setting.fields} for _ in range(n)]


# ---------------------------------------------------------------- posted form -> inputs


def _one(form, name: str) -> str:
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def posted(setting: Setting, form) -> Any:
    """What was typed into *setting*'s inputs; rows left empty or ticked for removal are gone."""
    key = setting.key
    if setting.type == "rows":
        pattern = re.compile(rf"^{re.escape(key)}\.(\d+)\.")
        numbers = sorted({int(m.group(1)) for name in form.keys() if (m := pattern.match(name))})
        rows = []
        for n in numbers[:MAX_ROWS]:
            if _one(form, f"{key}.{n}._remove"):
                continue
            row = {f.key: _one(form, f"{key}.{n}.{f.key}") for f in setting.fields}
            if any(row.values()):
                rows.append(row)
        return rows
    if setting.type == "mapping":
        return {f.key: _one(form, f"{key}.{f.key}") for f in setting.fields}
    return _one(form, key) if setting.type != "json" else str(form.get(key, ""))


# ---------------------------------------------------------------- inputs -> value


def parsed(setting: Setting, typed: Any, choices: dict[str, list[Choice]], locale: str) -> Any:
    """The value *typed* gives *setting*, checked as the CLI's would be; raises `FormErrors`
    naming each wrong input, and the setting's own error beside the setting."""
    key = setting.key
    errors: dict[str, str] = {}
    if setting.type == "rows":
        rows = []
        for n, row in enumerate(typed):
            cells = {}
            for f in setting.fields:
                try:
                    cell = _cell(f, row.get(f.key, ""), choices[f.key], locale)
                except ValidationError as err:
                    errors[f"{key}.{n}.{f.key}"] = _problem(err, locale)
                    errors.setdefault(key, translate(N_("row {row}, {field}: {problem}"), locale,
                                                     row=n + 1, field=Words(f.title_en, f.title_zh),
                                                     problem=_problem(err, locale)))
                    continue
                if cell is not None:
                    cells[f.key] = cell
            rows.append(cells)
        value = rows
    elif setting.type == "mapping":
        value = {}
        for f in setting.fields:
            try:
                value[f.key] = _cell(f, typed.get(f.key, ""), choices[f.key], locale)
            except ValidationError as err:
                errors[f"{key}.{f.key}"] = _problem(err, locale)
                errors.setdefault(key, translate(N_("{field}: {problem}"), locale,
                                                 field=Words(f.title_en, f.title_zh),
                                                 problem=_problem(err, locale)))
    elif setting.type == "int" and setting.scale != 1:
        value = _scaled(setting, typed, locale, errors)
    else:
        value = typed
    if errors:
        raise FormErrors(errors)
    try:
        if setting.type == "rows" and setting.from_rows:
            value = setting.from_rows(value)
        return coerce(setting, value)
    except ValidationError as err:
        raise FormErrors({key: _problem(err, locale)}) from None


def _problem(err: ValidationError, locale: str) -> str:
    return err.params["problem"].render(locale)


def _scaled(setting: Setting, text: str, locale: str, errors: dict):
    """An "int" typed in larger units (hours for minutes): its limits are told in those units."""
    f = SettingField(setting.key, "number", setting.title_en, setting.title_zh, min=setting.min,
                     max=setting.max, scale=setting.scale)
    try:
        return _cell(f, text, [], locale)
    except ValidationError as err:
        errors[setting.key] = _problem(err, locale)


def _cell(f: SettingField, text: str, choices: list[Choice], locale: str):
    """The value of one input (None for an optional one left empty)."""
    text = str(text).strip()
    if not text:
        if f.required:
            raise ValidationError(f.key, N_("is required"))
        return None
    if f.type == "text":
        text = validate.text(text, f.key, validate.NAME_LIMIT)
        lowered = text.casefold()
        return next((c.value for c in choices if lowered in (str(c.value).casefold(),
                     c.title_en.casefold(), c.title_zh.casefold())), text)
    if f.type == "choice":
        found = next((c.value for c in choices if str(c.value) == text), None)
        if found is None:
            raise ValidationError(f.key, N_("choose one from the list"))
        return found
    if f.type == "time":
        try:
            return time.fromisoformat(text).strftime("%H:%M")
        except ValueError:
            raise ValidationError(f.key, N_("expected {kind}, got {value!r}"),
                                  kind=N_("a time as HH:MM"), value=text) from None
    return _number(f, text)


def _number(f: SettingField, text: str):
    whole = f.type == "int" and f.scale == 1
    try:
        number = float(text.replace("，", ".").replace(",", "."))
    except ValueError:
        number = None
    if number is None or (whole and not number.is_integer()):
        raise ValidationError(f.key, N_("expected {kind}, got {value!r}"),
                              kind=N_("a whole number") if whole else N_("a number"), value=text)
    stored = number * f.scale
    if f.min is not None and stored < f.min:
        raise ValidationError(f.key, N_("must be at least {min}"), min=number_text(f.min / f.scale))
    if f.max is not None and stored > f.max:
        raise ValidationError(f.key, N_("must be at most {max}"), max=number_text(f.max / f.scale))
    if f.type == "int" or f.scale != 1:
        return round(stored)
    return int(stored) if stored.is_integer() else stored


# ---------------------------------------------------------------- rules and their points


def rule_choices(fw, project: dict, prefix: str = "") -> list[Choice]:
    """The project's rules as choices, by kind, each titled with its points (``-2``,
    ``-5…-2``); *prefix* goes before each code (``rule:`` for a measure)."""
    def points(rule, locale: str = "en") -> str:
        if rule.flags_dismissal:  # no points: the conduct sends the agent to a dismissal review
            return translate(N_("flags dismissal review"), locale)
        if rule.min_points == rule.max_points:
            return f"{rule.points:+d}" if rule.points else "0"
        return f"{rule.min_points:+d}…{rule.max_points:+d}"

    rules = [r for r in fw.ledger.rules(project) if r.kind in KIND_WORDS]
    rules.sort(key=lambda r: list(KIND_WORDS).index(r.kind))
    return [Choice(f"{prefix}{r.code}", f"{r.title_en} ({points(r)})",
                   f"{r.title_zh or r.title_en}（{points(r, 'zh_CN')}）", KIND_WORDS[r.kind],
                   translate(KIND_WORDS[r.kind], "zh_CN")) for r in rules]


RULE_POINT_FIELDS = (
    SettingField("rule", "choice", "Rule", "考核项", options=rule_choices),
    SettingField("points", "int", "Fixed points", "固定分值", min=-100, max=100, required=False),
    SettingField("low", "int", "Range from", "分值范围：自", min=-100, max=100, required=False),
    SettingField("high", "int", "Range to", "至", min=-100, max=100, required=False),
)


def points_rows(value: dict) -> list[dict]:
    """`rule_points` ({code: points or [low, high]}) as rows of a rule and its points or range."""
    return [{"rule": code, "points": points} if not isinstance(points, (list, tuple))
            else {"rule": code, "low": min(points), "high": max(points)}
            for code, points in (value or {}).items()]


def points_of_rows(rows: list[dict]) -> dict:
    """The rows back as `rule_points`: fixed points, or a range when both its ends are given."""
    out, seen = {}, {}
    for n, row in enumerate(rows, 1):
        code = row["rule"]
        if code in seen:
            raise ValidationError("rule_points", N_("row {n}: the rule is already in row {first}"),
                                  n=n, first=seen[code])
        seen[code] = n
        if "points" in row and ("low" in row or "high" in row):
            raise ValidationError("rule_points", N_("row {n}: give fixed points or a range, not both"),
                                  n=n)
        if "points" in row:
            out[code] = row["points"]
        elif "low" in row and "high" in row:
            out[code] = sorted([row["low"], row["high"]])
        else:
            raise ValidationError("rule_points",
                                  N_("row {n}: give fixed points, or both ends of a range"), n=n)
    return out
