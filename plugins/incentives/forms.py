"""The incentives forms: recording a rule event or the team leader's monthly judgement, and the
back-test draft. Each posts back, shows an error beside its field and keeps what was typed.
"""

from __future__ import annotations

import calendar
import datetime as dt

from floorwalker.core import N_, FloorwalkerError, ValidationError, setting_forms, translate

from . import drafts
from .actions import GIVE_JUDGEMENT, RECORD
from .context import base, month_param, this_month
from .settings import current

JUDGEMENT = "leader_judgement"
# the ledger's field names, and the form fields that show their errors
FIELDS = {"agent": "agent", "rule": "rule", "date": "date", "points": "points", "reason": "note",
          "month": "month"}


def _field_error(err: FloorwalkerError, locale: str, default: str, rules: dict | None = None) -> dict:
    """The error beside its field; a rule the ledger names by its code (``{code} takes -5 to
    -2``) is named by its title in the reader's language (*rules*: the catalogue)."""
    if isinstance(err, ValidationError):
        problem = err.params["problem"]
        params = dict(problem.params)
        if params.get("code") in (rules or {}):
            params["code"] = rules[params["code"]][1].title(locale)
        return {FIELDS.get(err.field, err.field): translate(problem.message, locale, **params)}
    return {default: err.message(locale)}


def _points(text: str):
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(N_("points"), N_("expected a whole number, got {value!r}"), value=text) from None


def _required(text, field: str) -> str:
    text = str(text or "").strip()
    if not text:
        raise ValidationError(field, N_("is required"))
    return text


# ---------------------------------------------------------------- recording


# the kinds of rule a person records with the event form, in this order, and their headings
RECORDED_KINDS = {"bonus": N_("Bonus"), "light": N_("Light"), "medium": N_("Medium"),
                  "severe": N_("Severe"), "dismissal": N_("Dismissal-level conduct")}


def agents_for(p, action: str, today: str) -> list[dict]:
    """The agents of this month the reader may record *action* for, by team: a team leader's
    own teams, everyone's for a supervisor. Each as ``{"team": name, "agents": [...]}``."""
    slug = p.project["slug"]
    names = {t["slug"]: t["name"] for t in p.fw.teams.of(slug)}
    teams: dict[str, list[dict]] = {}
    for agent, assignment in p.fw.agents.in_month(slug, this_month(p)):
        if p.fw.access.can(p.user, action, p.project, {"agent": agent["number"], "date": today}):
            teams.setdefault(assignment.get("team") or "", []).append(agent)
    return [{"team": names.get(team, team), "agents": agents} for team, agents in teams.items()]


def rule_groups(p, search: str = "") -> list[dict]:
    """The rules a person records by hand, grouped by kind: ``{"title": …, "rules": [...]}``;
    with *search*, only those whose title (in either language) or code holds it."""
    rules = [r for r in p.fw.ledger.rules(p.project) if not r.derived and r.kind in RECORDED_KINDS]
    words = search.strip().lower()
    if words:
        rules = [r for r in rules if words in f"{r.title_en} {r.title_zh} {r.code}".lower()]
    return [{"kind": kind, "title": p._(title), "rules": [r for r in rules if r.kind == kind]}
            for kind, title in RECORDED_KINDS.items() if any(r.kind == kind for r in rules)]


def record_page(p, errors: dict | None = None, values: dict | None = None,
                judgement: dict | None = None, status: int = 200):
    today = p.fw.projects.today(p.project).isoformat()
    search = p.request.query_params.get("q", "")[:40]
    groups = rule_groups(p, search)
    found = [r for g in groups for r in g["rules"]]
    return p.render("incentives/record.html", http_status=status,
                    agents=agents_for(p, RECORD, today), judged=agents_for(p, GIVE_JUDGEMENT, today),
                    groups=groups if groups or not search else rule_groups(p), search=search,
                    no_match=bool(search) and not groups, errors=errors or {}, base=base(p),
                    values=values or {"agent": p.request.query_params.get("agent", ""),
                                      "rule": found[0].code if search and len(found) == 1 else "",
                                      "date": today, "points": "", "note": ""},
                    judgement=judgement or {"agent": "", "month": this_month(p), "points": "0",
                                            "note": "", "errors": {}})


def record_submit(p):
    values = {key: str(p.form.get(key, "")) for key in ("agent", "rule", "date", "points", "note")}
    p.authorize(RECORD, {"agent": values["agent"], "date": values["date"]})
    try:
        note = _required(values["note"], N_("reason"))
        event = p.fw.ledger.record(p.project["slug"], values["agent"], values["rule"], values["date"],
                                   p.user["username"], points=_points(values["points"]), reason=note,
                                   source="incentives")
    except FloorwalkerError as err:
        return record_page(p, errors=_field_error(err, p.locale, "rule", p.fw.rules), values=values,
                           status=err.http_status)
    return p.redirect(f"/p/{p.project['slug']}/agents/{event['agent']}?month={event['period']}&done=recorded")


def judgement_day(month: str, today: dt.date) -> str:
    """The day a month's judgement is dated: the month's last day, or *today* in the current month."""
    year, mon = map(int, month.split("-"))
    last = dt.date(year, mon, calendar.monthrange(year, mon)[1])
    return min(last, today).isoformat()


def judgement_submit(p):
    """The team leader's judgement of an agent's month: −5 to +5 with a reason, once a month
    (the ledger refuses a second one, 409; reverse the first to change it)."""
    slug = p.project["slug"]
    values = {key: str(p.form.get(key, "")) for key in ("agent", "month", "points", "note")}
    try:
        month = month_param(p)
        day = judgement_day(month, p.fw.projects.today(p.project))
        p.authorize(GIVE_JUDGEMENT, {"agent": values["agent"], "date": day})
        note = _required(values["note"], N_("reason"))
        event = p.fw.ledger.record(slug, values["agent"], JUDGEMENT, day, p.user["username"],
                                   points=_points(values["points"]), reason=note, source="incentives")
    except FloorwalkerError as err:
        values["errors"] = _field_error(err, p.locale, "agent", p.fw.rules)
        return record_page(p, judgement=values, status=err.http_status)
    return p.redirect(f"/p/{slug}/agents/{event['agent']}?month={event['period']}&done=recorded")


# ---------------------------------------------------------------- the back-test


def backtest_page(p, errors: dict | None = None, form: dict | None = None, status: int = 200):
    slug = p.project["slug"]
    closed = sorted(p.fw.store.closed_months(slug), reverse=True)
    month = month_param(p, closed[0] if closed else None)
    draft = drafts.get(p.fw, slug)
    result = drafts.run(p.fw, slug, month) if draft and not errors else None
    inputs = form or drafts.form_inputs(p.fw, p.project, p.locale)
    settings = drafts.form_settings(p.fw)
    # a few empty rows of rule points to fill
    inputs["rule_points"] = inputs["rule_points"] + setting_forms.blank_rows(settings[-1])
    return p.render("incentives/backtest.html", http_status=status, errors=errors or {},
                    form=inputs, settings=settings, draft=draft, result=result, month=month,
                    choices={s.key: setting_forms.options(p.fw, p.project, s) for s in settings},
                    closed=closed, base=base(p), effective=drafts.effective_month(p.fw, slug),
                    published=[{**pub, "lines": drafts.change_lines(p.fw, pub, p.locale)}
                               for pub in drafts.published(p.fw, slug)[:10]])


def backtest_save(p):
    """Save the draft from its form: every wrong input shown beside it, nothing saved then."""
    settings = current(p.fw, p.project)
    typed = None
    try:
        typed, values, rule_points = drafts.from_form(p.fw, p.project, p.form, p.locale)
        checked, _ = drafts.checked(p.fw, values, rule_points)
        changed = {k: v for k, v in checked.items() if v != settings[k]}
        drafts.save(p.fw, p.project["slug"], changed, rule_points, p.user["username"])
    except setting_forms.FormErrors as err:
        return backtest_page(p, errors=err.errors, form=err.typed, status=422)
    except ValidationError as err:  # a rule no longer in the catalogue
        return backtest_page(p, errors={"rule_points": err.params["problem"].render(p.locale)},
                             form=typed, status=err.http_status)
    return p.redirect(f"{base(p)}/backtest?month={month_param(p)}&saved=1")


def backtest_publish(p):
    drafts.publish(p.fw, p.project["slug"], p.user["username"])
    return p.redirect(f"{base(p)}/backtest")


def backtest_discard(p):
    drafts.discard(p.fw, p.project["slug"], p.user["username"])
    return p.redirect(f"{base(p)}/backtest")
