"""The incentives pages, mounted under ``/p/{project}/incentives/``: the month's sheet with
grade and pay float, closing a month, the pay-float export, tier suggestions, reversal requests
and the boards. The recording form and the back-test are in `forms.py`, the team leaders' sheet
in `leaders.py`.

Every handler is a plain sync function of the web shell's `Page`; the action of each route is
checked before it runs (`routes()`), and a route that does more than its verb allows checks the
core action too (closing needs ``periods.close`` whatever the plugin's verb says).
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, Route

from . import boards, forms, leaders, payroll, reversals, suggestions
from .actions import GIVE_JUDGEMENT, LEADERS_SHEET, MANAGE, PAY, RECORD, REPORT, REVERSAL_ASK, VIEW
from .context import base, month_param, months_of, summary, this_month
from .grades import shift_month
from .settings import in_effect
from .tiers import tier_title


# ---------------------------------------------------------------- landing and the sheet


def landing(p) -> Response:
    return p.redirect(f"{base(p)}/sheet" if p.can(VIEW) else f"{base(p)}/boards")


def sheet(p) -> Response:
    month = month_param(p)
    rows = p.fw.ledger.sheet(p.project["slug"], month)
    settings = in_effect(p.fw, p.project, month)
    can_pay = p.can(PAY)
    return p.render("incentives/sheet.html", month=month, rows=rows, summary=summary(rows),
                    months=months_of(p)[:6], pay_from=settings["pay_from_month"],
                    state=p.fw.periods.state(p.project["slug"], month), base=base(p),
                    can_close=p.can(MANAGE), can_pay=can_pay,
                    pay_flags=payroll.pay_flags(p.fw, p.project, month, rows) if can_pay else {})


# ---------------------------------------------------------------- closing a month


def _first_open_past_month(p) -> str:
    past = [m for m in p.fw.periods.list(p.project["slug"]) if m["month"] < this_month(p)]
    waiting = [m["month"] for m in past if m["state"] != "closed"]
    return waiting[0] if waiting else shift_month(this_month(p), -1)


def close_page(p, error: str | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    month = month_param(p, _first_open_past_month(p))
    state = p.fw.periods.state(slug, month)
    rows = p.fw.ledger.sheet(slug, month)
    blockers = p.fw.periods.blockers(slug, month) if state == "open" else []
    can_pay = p.can(PAY)
    flagged = payroll.pay_flags(p.fw, p.project, month, rows) if can_pay else {}
    return p.render("incentives/close.html", http_status=status, month=month, state=state, rows=rows,
                    summary=summary(rows), blockers=blockers, error=error, base=base(p),
                    ended=month < this_month(p), can_close=p.can("periods.close"), can_pay=can_pay,
                    pay_flagged=[(r, flagged[r["number"]]) for r in rows if r["number"] in flagged],
                    months=[m for m in months_of(p) if m < this_month(p)][:12])


def close_submit(p) -> Response:
    p.authorize("periods.close")
    month = month_param(p)
    try:
        p.fw.periods.close(p.project["slug"], month, p.user["username"], user=p.user)
    except FloorwalkerError as err:
        return close_page(p, error=err.message(p.locale), status=err.http_status)
    return p.redirect(f"{base(p)}/close?month={month}&done=closed")


def export_pay(p) -> Response:
    month = month_param(p)
    rows = payroll.pay_rows(p.fw, p.project["slug"], month)
    return p.download(payroll.workbook(rows, month, p.locale), f"{p.project['slug']}-pay-{month}.xlsx")


# ---------------------------------------------------------------- tier suggestions


def tiers_page(p, error: str | None = None, status: int = 200) -> Response:
    found = suggestions.listed(p.fw, p.project["slug"])
    return p.render("incentives/tiers.html", http_status=status, error=error, base=base(p),
                    pending=[s for s in found if s["state"] == suggestions.PENDING],
                    decided=[s for s in found if s["state"] != suggestions.PENDING][:30],
                    tier=lambda t: tier_title(t, p.locale), can_decide=p.can(MANAGE))


def _acting(p, action, page, back: str) -> Response:
    """Run *action*; on a refusal show *page* again with the message, else go to *back*."""
    try:
        action()
    except FloorwalkerError as err:
        return page(p, error=err.message(p.locale), status=err.http_status)
    return p.redirect(f"{base(p)}/{back}")


def tiers_refresh(p) -> Response:
    return _acting(p, lambda: suggestions.refresh(p.fw, p.project["slug"], p.user["username"]),
                   tiers_page, "tiers")


def tier_accept(p) -> Response:
    return _acting(p, lambda: suggestions.accept(p.fw, p.project["slug"], p.params["id"],
                                                 p.user["username"], user=p.user), tiers_page, "tiers")


def tier_dismiss(p) -> Response:
    return _acting(p, lambda: suggestions.dismiss(p.fw, p.project["slug"], p.params["id"],
                                                  p.user["username"], p.form.get("note", "")),
                   tiers_page, "tiers")


# ---------------------------------------------------------------- reversal requests


def reversals_page(p, error: str | None = None, status: int = 200, values: dict | None = None) -> Response:
    found = reversals.requests(p.fw, p.project["slug"])
    values = values or {"event": p.request.query_params.get("event", ""), "reason": ""}
    return p.render("incentives/reversals.html", http_status=status, error=error, values=values,
                    pending=[r for r in found if r["state"] == reversals.PENDING],
                    decided=[r for r in found if r["state"] != reversals.PENDING][:30], base=base(p),
                    rule_title=rule_title(p),
                    can_request=p.can(REVERSAL_ASK), can_decide=p.can(MANAGE))


def reversal_request(p) -> Response:
    values = {"event": str(p.form.get("event", "")).strip(), "reason": str(p.form.get("reason", ""))}
    p.authorize(REVERSAL_ASK, p.fw.ledger.find(values["event"], p.project["slug"])[1])
    try:
        reversals.request(p.fw, p.project["slug"], values["event"], values["reason"], p.user["username"])
    except FloorwalkerError as err:
        return reversals_page(p, error=err.message(p.locale), status=err.http_status, values=values)
    return p.redirect(f"{base(p)}/reversals")


def reversal_approve(p) -> Response:
    return _acting(p, lambda: reversals.decide(p.fw, p.project["slug"], p.params["id"], True,
                                               p.user["username"]), reversals_page, "reversals")


def reversal_reject(p) -> Response:
    return _acting(p, lambda: reversals.decide(p.fw, p.project["slug"], p.params["id"], False,
                                               p.user["username"], p.form.get("note", "")),
                   reversals_page, "reversals")


# ---------------------------------------------------------------- boards


def viewer_team(p, month: str) -> str | None:
    """The team whose names the viewer may read on the boards: the team they lead, else the
    team of the agent their login is linked to; None for managers above the teams."""
    slug = p.project["slug"]
    led = sorted(t.split(".", 1)[1] for t in p.user.get("teams") or () if t.startswith(f"{slug}."))
    if led:
        return led[0]
    own = p.user.get("agent")
    if own:
        assignment = p.fw.agents.assignment_on(own, f"{month}-01")
        return assignment["team"] if assignment else ""
    return None


def name_of(p, row: dict, index: int, team: str | None) -> str:
    """The agent's name, or a number-free label for a reader outside the agent's team (and for a
    client login, unless the project shows names to the client)."""
    if set(p.user.get("roles") or ()) == {"client"}:
        return p.agent_name(row, index)
    if team is None or row.get("team") == team:
        return row["name"]
    return p._(N_("Agent #{n}"), n=index)


def rule_title(p):
    """A rule's title in the reader's language, by code (the code itself for an unknown one)."""
    return lambda code: p.fw.rules[code][1].title(p.locale) if code in p.fw.rules else code


def boards_page(p) -> Response:
    month = month_param(p)
    slug = p.project["slug"]
    team = p.request.query_params.get("team", "")
    rows = p.fw.ledger.sheet(slug, month)
    settings = in_effect(p.fw, p.project, month)
    own = viewer_team(p, month)
    labels = {row["number"]: name_of(p, row, i, own) for i, row in enumerate(rows, 1)}
    visible = {row["number"]: labels[row["number"]] == row["name"] for row in rows}
    # stepped rewards are ¥: pay, for the holders of PAY only (never a client or a team leader)
    can_pay = p.can(PAY)
    earned = boards.stepped_rewards(settings["stepped_rewards"], rows) if can_pay else {}
    teams = p.fw.teams.of(slug)
    return p.render("incentives/boards.html", month=month, team=team, teams=teams,
                    team_names={t["slug"]: t["name"] for t in teams}, rule_title=rule_title(p),
                    labels=labels, visible=visible, base=base(p), months=months_of(p)[:6],
                    leaderboard=boards.leaderboard(rows, settings["board_min_events"], team or None),
                    praise=boards.praise_board(rows, team or None),
                    goals=boards.stage_goals(settings["stage_goals"], rows, month, p.fw.projects.today(p.project)),
                    rewards=[(row, earned[row["number"]]) for row in rows if row["number"] in earned
                             and (not team or row["team"] == team)], can_pay=can_pay,
                    min_events=settings["board_min_events"])


def routes() -> list[Route]:
    view, manage, report = VIEW, MANAGE, REPORT
    post = ("POST",)
    return [
        Route("/", landing, action=report),
        Route("/sheet", sheet, action=view),
        Route("/close", close_page, action=manage),
        Route("/close", close_submit, action="periods.close", methods=post),
        Route("/pay.xlsx", export_pay, action=PAY),
        Route("/tiers", tiers_page, action=view),
        Route("/tiers", tiers_refresh, action=manage, methods=post),
        Route("/tiers/{id}/accept", tier_accept, action=manage, methods=post),
        Route("/tiers/{id}/dismiss", tier_dismiss, action=manage, methods=post),
        Route("/reversals", reversals_page, action=view),
        Route("/reversals", reversal_request, action=REVERSAL_ASK, methods=post),
        Route("/reversals/{id}/approve", reversal_approve, action=manage, methods=post),
        Route("/reversals/{id}/reject", reversal_reject, action=manage, methods=post),
        Route("/boards", boards_page, action=report),
        Route("/record", forms.record_page, action=RECORD),
        Route("/record", forms.record_submit, action=RECORD, methods=post),
        Route("/judgement", forms.judgement_submit, action=GIVE_JUDGEMENT, methods=post),
        Route("/leaders", leaders.leaders_page, action=LEADERS_SHEET),
        Route("/leaders/record", leaders.record_submit, action=LEADERS_SHEET, methods=post),
        Route("/leaders/judgement", leaders.judgement_submit, action=LEADERS_SHEET, methods=post),
        Route("/backtest", forms.backtest_page, action=manage),
        Route("/backtest", forms.backtest_save, action=manage, methods=post),
        Route("/backtest/publish", forms.backtest_publish, action=manage, methods=post),
        Route("/backtest/discard", forms.backtest_discard, action=manage, methods=post),
    ]
