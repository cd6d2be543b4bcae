"""The team leaders' sheet (班长考核): the leaders' own months, per project, for the trainer.

The model: a team leader is a person of the project's people register whose ``position`` is
``team_leader`` (``floorwalker agent add --position team_leader``, the 岗位 column of an agent
import). Such a person is on no agents' sheet, board or ranking; the core's
``ledger.sheet(…, leaders=True)`` gives their months, worked out exactly like an agent's (base
80, full marks 110, escalation), and this plugin's columns grade them and float their pay with
the same settings. The trainer (培训专员), or a supervisor, records events against a leader and
gives each leader the month's −5…+5 judgement with a reason (the catalogue's
``leader_judgement``, once per person and month on every path, as for an agent); a team leader
does neither for any leader (`core/access.py`), so no leader scores another.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, ValidationError

from .actions import LEADERS_SHEET, PAY
from .context import base, month_param, months_of, summary, this_month
from .forms import JUDGEMENT, _field_error, _points, _required, judgement_day
from .settings import in_effect


def _rules(p) -> list:
    """The rules a trainer records against a leader: not the agents' best of the floor."""
    return [r for r in p.fw.ledger.rules(p.project) if not r.derived and not r.floor_award
            and r.kind not in ("adjustment", "escalation", "judgement")]


def _judged(rows: list[dict]) -> dict[str, dict]:
    """The month's judgement of each leader that still counts, by number."""
    return {row["number"]: e for row in rows for e in row["events"]
            if e["rule"] == JUDGEMENT and not e["reverses"] and not e["reversed_by"]}


def leaders_page(p, errors: dict | None = None, values: dict | None = None,
                 judgement: dict | None = None, status: int = 200) -> Response:
    month = month_param(p)
    slug = p.project["slug"]
    rows = p.fw.ledger.sheet(slug, month, leaders=True)
    today = p.fw.projects.today(p.project).isoformat()
    current = [agent for agent, _ in p.fw.agents.in_month(slug, this_month(p))
               if agent.get("position") == "team_leader"]
    return p.render("incentives/leaders.html", http_status=status, month=month, rows=rows,
                    summary=summary(rows), months=months_of(p)[:6], base=base(p),
                    state=p.fw.periods.state(slug, month), leaders=current, rules=_rules(p),
                    judged=_judged(rows), can_pay=p.can(PAY),
                    saved=p.request.query_params.get("saved") == "1" and not (errors or judgement),
                    pay_from=in_effect(p.fw, p.project, month)["pay_from_month"],
                    errors=errors or {},
                    values=values or {"agent": "", "rule": "", "date": today, "points": "", "note": ""},
                    judgement=judgement or {"agent": "", "month": month, "points": "0", "note": "",
                                            "errors": {}})


def _leader(p, number: str, day: str) -> str:
    """*number* if it is a team leader of the project on *day*; else the form's error."""
    number = _required(number, N_("team leader"))
    person = p.fw.agents.require_in_project(p.project["slug"], number, day)
    if person.get("position") != "team_leader":
        raise ValidationError(N_("team leader"), N_("{number} is not a team leader: an agent's "
                                                    "month is recorded on the Record page"),
                              number=number)
    return number


def record_submit(p) -> Response:
    """An event recorded against a team leader (the trainer's daily assessment)."""
    values = {key: str(p.form.get(key, "")) for key in ("agent", "rule", "date", "points", "note")}
    try:
        p.authorize(LEADERS_SHEET, {"agent": values["agent"], "date": values["date"]})
        number = _leader(p, values["agent"], values["date"])
        note = _required(values["note"], N_("reason"))
        event = p.fw.ledger.record(p.project["slug"], number, values["rule"], values["date"],
                                   p.user["username"], points=_points(values["points"]), reason=note,
                                   source="incentives")
    except FloorwalkerError as err:
        return leaders_page(p, errors=_leader_field(err, p.locale, "rule"), values=values,
                            status=err.http_status)
    return p.redirect(f"{base(p)}/leaders?month={event['period']}&saved=1")


def judgement_submit(p) -> Response:
    """The trainer's judgement of a leader's month: −5 to +5 with a reason, once a month."""
    values = {key: str(p.form.get(key, "")) for key in ("agent", "month", "points", "note")}
    try:
        month = month_param(p)
        day = judgement_day(month, p.fw.projects.today(p.project))
        p.authorize(LEADERS_SHEET, {"agent": values["agent"], "date": day})
        number = _leader(p, values["agent"], day)
        note = _required(values["note"], N_("reason"))
        event = p.fw.ledger.record(p.project["slug"], number, JUDGEMENT, day, p.user["username"],
                                   points=_points(values["points"]), reason=note, source="incentives")
    except FloorwalkerError as err:
        values["errors"] = _leader_field(err, p.locale, "agent")
        return leaders_page(p, judgement=values, status=err.http_status)
    return p.redirect(f"{base(p)}/leaders?month={event['period']}&saved=1")


def _leader_field(err: FloorwalkerError, locale: str, default: str) -> dict:
    """The form's errors by field: the leader's number is the ``agent`` field."""
    found = _field_error(err, locale, default)
    if "team leader" in found:
        found["agent"] = found.pop("team leader")
    return found
