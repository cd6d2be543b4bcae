"""The incentives forms: recording a rule event or the team leader's monthly judgement, and the
back-test draft. Each posts back, shows an error beside its field and keeps what was typed.
"""

from __future__ import annotations

import calendar
import datetime as dt

import orjson

from floorwalker.core import N_, FloorwalkerError, ValidationError

from . import drafts
from .actions import GIVE_JUDGEMENT, RECORD
from .context import base, month_param, this_month
from .grades import GRADES
from .settings import DRAFTABLE, current

JUDGEMENT = "leader_judgement"
# the ledger's field names, and the form fields that show their errors
FIELDS = {"agent": "agent", "rule": "rule", "date": "date", "points": "points", "reason": "note",
          "month": "month"}


def _field_error(err: FloorwalkerError, locale: str, default: str) -> dict:
    if isinstance(err, ValidationError):
        return {FIELDS.get(err.field, err.field): err.params["problem"].render(locale)}
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


def record_page(p, errors: dict | None = None, values: dict | None = None,
                judgement: dict | None = None, status: int = 200):
    slug = p.project["slug"]
    agents = [agent for agent, _ in p.fw.agents.in_month(slug, this_month(p))]
    rules = [r for r in p.fw.ledger.rules(p.project)
             if not r.derived and r.kind not in ("adjustment", "escalation", "judgement")]
    today = p.fw.projects.today(p.project).isoformat()
    return p.render("incentives/record.html", http_status=status, agents=agents, rules=rules,
                    errors=errors or {}, base=base(p),
                    values=values or {"agent": p.request.query_params.get("agent", ""), "rule": "",
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
        return record_page(p, errors=_field_error(err, p.locale, "rule"), values=values,
                           status=err.http_status)
    return p.redirect(f"/p/{p.project['slug']}/agents/{event['agent']}?month={event['period']}")


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
        values["errors"] = _field_error(err, p.locale, "agent")
        return record_page(p, judgement=values, status=err.http_status)
    return p.redirect(f"/p/{slug}/agents/{event['agent']}?month={event['period']}")


# ---------------------------------------------------------------- the back-test


def _draft_form(p) -> dict:
    """The form's values: the saved draft over the current settings."""
    settings = current(p.fw, p.project)
    draft = drafts.get(p.fw, p.project["slug"]) or {"values": {}, "rule_points": {}}
    merged = {**{k: settings[k] for k in DRAFTABLE}, **draft["values"]}
    form = {f"band_{g}": merged["grade_bands"][g] for g in GRADES[:-1]}
    form.update({k: merged[k] for k in DRAFTABLE if k != "grade_bands"})
    form["rule_points"] = orjson.dumps(draft["rule_points"]).decode() if draft["rule_points"] else ""
    return form


def backtest_page(p, errors: dict | None = None, form: dict | None = None, status: int = 200):
    slug = p.project["slug"]
    closed = sorted(p.fw.store.closed_months(slug), reverse=True)
    month = month_param(p, closed[0] if closed else None)
    draft = drafts.get(p.fw, slug)
    result = drafts.run(p.fw, slug, month) if draft and not errors else None
    return p.render("incentives/backtest.html", http_status=status, errors=errors or {},
                    form=form or _draft_form(p), draft=draft, result=result, month=month,
                    closed=closed, base=base(p), bands=GRADES[:-1],
                    effective=drafts.effective_month(p.fw, slug),
                    published=drafts.published(p.fw, slug)[:10])


def _number(text: str, field: str) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise ValidationError(field, N_("expected a number, got {value!r}"), value=text) from None
    return int(value) if value.is_integer() else value


def backtest_save(p):
    keys = [f"band_{g}" for g in GRADES[:-1]] + [k for k in DRAFTABLE if k != "grade_bands"]
    form = {key: str(p.form.get(key, "")) for key in keys + ["rule_points", "month"]}
    settings = current(p.fw, p.project)
    try:
        values = {"grade_bands": {g: _number(form[f"band_{g}"], f"band_{g}") for g in GRADES[:-1]}}
        values.update({k: form[k] for k in DRAFTABLE if k != "grade_bands"})
        try:
            rule_points = orjson.loads(form["rule_points"]) if form["rule_points"].strip() else {}
        except orjson.JSONDecodeError:
            raise ValidationError("rule_points", N_("expected {kind}, got {value!r}"),
                                  kind=N_("valid JSON"), value=form["rule_points"]) from None
        checked, _ = drafts.checked(p.fw, values, rule_points)
        changed = {k: v for k, v in checked.items() if v != settings[k]}
        drafts.save(p.fw, p.project["slug"], changed, rule_points, p.user["username"])
    except ValidationError as err:
        field = "bands" if err.field == "grade_bands" else ("rule_points" if err.field == "rule" else err.field)
        return backtest_page(p, errors={field: err.params["problem"].render(p.locale)}, form=form,
                             status=err.http_status)
    return p.redirect(f"{base(p)}/backtest?month={form['month']}")


def backtest_publish(p):
    drafts.publish(p.fw, p.project["slug"], p.user["username"])
    return p.redirect(f"{base(p)}/backtest")


def backtest_discard(p):
    drafts.discard(p.fw, p.project["slug"], p.user["username"])
    return p.redirect(f"{base(p)}/backtest")
