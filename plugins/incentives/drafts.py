"""The back-test draft of a project and publishing it.

One draft per project, kept in this plugin's file: changed incentives settings (grade floors,
pay float) and rule points. Publishing writes them into the project's settings and records the
change with the month it takes effect from — the month after the latest closed one (this
month when none is closed) — and the values it replaced, which `settings.in_effect` rolls
back for earlier months. Rule points only decide the points of events recorded from now on
(recorded events keep theirs), so they need no roll-back.
"""

from __future__ import annotations

from floorwalker.core import N_, NotFound, ValidationError, setting_forms

from . import backtest, shard
from .grades import shift_month
from .settings import DRAFTABLE, NAME, SCHEMA, current, in_effect

DRAFT = "draft"


def get(fw, project: str) -> dict | None:
    return shard.table(fw, project, shard.DRAFTS).get(DRAFT)


def _whole(setting, value) -> int:
    try:
        number = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        number = None
    if isinstance(number, bool) or not isinstance(number, int):
        raise ValidationError(setting.key, N_("expected {kind}, got {value!r}"),
                              kind=N_("a whole number"), value=value)
    if number < setting.min:
        raise ValidationError(setting.key, N_("must be at least {min}"), min=setting.min)
    if number > setting.max:
        raise ValidationError(setting.key, N_("must be at most {max}"), max=setting.max)
    return number


def checked(fw, values: dict, rule_points: dict | None) -> tuple[dict, dict]:
    """The draft's values checked like the settings they would become."""
    out = {}
    for key, value in values.items():
        if key not in DRAFTABLE:
            raise ValidationError(key, N_("no such setting"))
        setting = SCHEMA[key]
        if setting.type == "int":
            out[key] = _whole(setting, value)
        else:
            setting.check(value)
            out[key] = value
    rule_points = dict(rule_points or {})
    fw.settings_schemas["core"]["rule_points"].check(rule_points)
    for code in rule_points:
        if code not in fw.rules:
            raise ValidationError(N_("rule"), N_("no rule with code {code!r}"), code=code)
    return out, rule_points


def form_settings(fw) -> list:
    """The settings a draft's form shows, as on the settings pages: the draftable incentives
    settings, then the points of rules (the core's ``rule_points``)."""
    return [SCHEMA[key] for key in DRAFTABLE] + [fw.settings_schemas["core"]["rule_points"]]


def form_inputs(fw, project: dict, locale: str) -> dict:
    """What the draft's form shows: the saved draft over the current settings; rule points are
    the draft's own (what it changes), each a row of a rule and its points or range."""
    draft = get(fw, project["slug"]) or {"values": {}, "rule_points": {}}
    values = {**current(fw, project), **draft["values"], "rule_points": draft["rule_points"]}
    return {s.key: setting_forms.shown(s, values[s.key], setting_forms.options(fw, project, s), locale)
            for s in form_settings(fw)}


def from_form(fw, project: dict, form, locale: str) -> tuple[dict, dict, dict]:
    """(what was typed, the draftable values, the rule points) of a posted draft form; raises
    `setting_forms.FormErrors` naming every wrong input, in *locale*."""
    typed, values, errors = {}, {}, {}
    for setting in form_settings(fw):
        typed[setting.key] = setting_forms.posted(setting, form)
        try:
            values[setting.key] = setting_forms.parsed(
                setting, typed[setting.key], setting_forms.options(fw, project, setting), locale)
        except setting_forms.FormErrors as err:
            errors.update(err.errors)
    if errors:
        raise setting_forms.FormErrors(errors, typed)
    return typed, {k: v for k, v in values.items() if k != "rule_points"}, values["rule_points"]


def save(fw, project: str, values: dict, rule_points: dict | None, actor: str) -> dict:
    values, rule_points = checked(fw, values, rule_points)
    doc = {"id": DRAFT, "values": values, "rule_points": rule_points, "saved_by": actor,
           "saved_at": shard.now()}
    with fw.store.transaction(shard.key(fw, project), actor, "incentives.draft") as tx:
        if tx.get(shard.DRAFTS, DRAFT):
            return tx.update(shard.DRAFTS, DRAFT, doc)
        return tx.insert(shard.DRAFTS, doc)


def discard(fw, project: str, actor: str) -> None:
    with fw.store.transaction(shard.key(fw, project), actor, "incentives.draft_discard") as tx:
        if tx.get(shard.DRAFTS, DRAFT):
            tx.remove(shard.DRAFTS, DRAFT)


def _require(fw, project: str) -> dict:
    draft = get(fw, project)
    if draft is None:
        raise NotFound(N_("there is no draft to back-test or publish"))
    return draft


def run(fw, project: str, month: str) -> dict:
    """The draft against *month*'s sheet (a closed month: its settings are frozen)."""
    draft = _require(fw, project)
    project_doc = fw.projects.get(project)
    before = in_effect(fw, project_doc, month)
    return backtest.compare(fw.ledger.sheet(project, month), month, before,
                            {**before, **draft["values"]}, draft["rule_points"],
                            fw.projects.settings(project_doc, "core")["cap"])


def effective_month(fw, project: str) -> str:
    closed = sorted(fw.store.closed_months(project))
    return shift_month(closed[-1], 1) if closed else fw.projects.today(project).isoformat()[:7]


def publish(fw, project: str, actor: str) -> dict:
    """Make the draft the project's settings from the next open month; returns the record."""
    draft = _require(fw, project)
    project_doc = fw.projects.get(project)
    values, rule_points = checked(fw, draft["values"], draft["rule_points"])
    now = current(fw, project_doc)
    core_points = fw.projects.settings(project_doc, "core")["rule_points"]
    record = {"effective": effective_month(fw, project), "before": {k: now[k] for k in values},
              "after": values, "rule_points_before": core_points,
              "rule_points_after": {**core_points, **rule_points}, "published_by": actor,
              "published_at": shard.now()}
    if values:
        fw.projects.configure(project, NAME, values, actor)
    if rule_points:
        fw.projects.configure(project, "core", {"rule_points": record["rule_points_after"]}, actor)
    with fw.store.transaction(shard.key(fw, project), actor, "incentives.publish") as tx:
        tx.remove(shard.DRAFTS, DRAFT)
        return tx.insert(shard.PUBLISHED, record)


def published(fw, project: str) -> list[dict]:
    return sorted(shard.table(fw, project, shard.PUBLISHED).values(),
                  key=lambda p: p["published_at"], reverse=True)


def _text(value) -> str:
    """A published value as a person reads it: grade floors as ``A 90 · B 80 …``, a range of
    points as ``-3…-1``."""
    if isinstance(value, dict):
        return " · ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "…".join(map(str, value))
    return "–" if value is None else str(value)


def change_lines(fw, pub: dict, locale: str) -> list[tuple[str, str, str]]:
    """What a published change changed, as (title, before, after) in *locale*: each setting by
    its title, each rule whose points changed by the rule's title."""
    lines = [(SCHEMA[k].title(locale), _text(pub["before"].get(k)), _text(v))
             for k, v in pub["after"].items() if k in SCHEMA]
    before = pub.get("rule_points_before") or {}
    for code, points in (pub.get("rule_points_after") or {}).items():
        if before.get(code) != points:
            rule = fw.rules.get(code)
            title = rule[1].title(locale) if rule else code
            lines.append((title, _text(before.get(code)), _text(points)))
    return lines
