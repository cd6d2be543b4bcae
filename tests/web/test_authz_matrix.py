"""Every route × every role × own project / another project: the status each one gets.

The matrix lists the expected status per role, in the order of COLUMNS (the roles, then a
signed-out visitor). For a route under a project, a user asking for a project they do not have
gets 404 — the same answer as for a project that does not exist — whatever the role. A route of
the app missing from the matrix fails `test_every_route_is_in_the_matrix`, so no route skips
this review. POSTs send a valid CSRF token and a harmless body (empty or wrong: the answer shows
the request got past authorisation and changed nothing; a signed-out visitor sends the token of
the sign-in form), except ``toggle``, which flips a spare
user (twice per role, so it ends as it began).
"""

import datetime as dt
import re

import pytest
from starlette.routing import Route

MONTH = dt.date.today().isoformat()[:7]
COLUMNS = ("admin", "director", "supervisor", "team_leader", "qa", "agent", "client", "anon")

#                                                   adm dir sup tl  qa  agt cli anon
MATRIX = {
    ("GET", "/login"):                              "303 303 303 303 303 303 303 200",
    ("POST", "/login"):                             "400 400 400 400 400 400 400 400",
    ("POST", "/language"):                          "422 422 422 422 422 422 422 422",
    ("POST", "/logout"):                            "303 303 303 303 303 303 303 303",
    ("GET", "/account"):                            "200 200 200 200 200 200 200 303",
    ("POST", "/account/password"):                  "422 422 422 422 422 422 422 303",
    ("GET", "/account/tokens"):                     "200 200 200 200 200 200 200 303",
    ("POST", "/account/tokens"):                    "422 422 422 422 422 422 422 303",
    ("POST", "/account/tokens/{id}/revoke"):        "404 404 404 404 404 404 404 303",
    ("GET", "/p/{project}/reporting/reports"):      "200 200 200 200 200 403 200 303",
    # a client reads published reports only: the period here is not published (404); the staff
    # read the live preview
    ("GET", "/p/{project}/reporting/reports/{period}"): "200 200 200 200 200 403 404 303",
    ("GET", "/p/{project}/reporting/reports/{period}.pdf"): "200 200 200 200 200 403 404 303",
    ("GET", "/p/{project}/reporting/reports/{period}.xlsx"): "200 200 200 200 200 403 404 303",
    ("POST", "/p/{project}/reporting/reports/{period}/plan"): "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/reporting/reports/{period}/publish"): "422 422 422 403 403 403 403 303",
    ("GET", "/api/docs"):                           "200 200 200 200 200 200 200 200",
    ("GET", "/api/v1/openapi.json"):                "200 200 200 200 200 200 200 200",
    ("GET", "/"):                                   "200 200 200 200 200 200 200 303",
    ("GET", "/p/{project}/"):                       "200 200 200 200 200 403 200 303",
    ("GET", "/p/{project}/agents"):                 "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/agents/{number}"):        "200 200 200 200 200 200 403 303",
    ("GET", "/p/{project}/scores/{month}"):         "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/scores/{month}/export.{fmt}"): "200 200 200 403 403 403 403 303",
    ("GET", "/p/{project}/periods"):                "200 200 200 200 403 403 403 303",
    ("POST", "/p/{project}/periods/{month}/close"): "409 409 403 403 403 403 403 303",
    ("GET", "/p/{project}/import"):                 "200 200 200 403 403 403 403 303",
    ("POST", "/p/{project}/import/{kind}"):         "422 422 422 403 403 403 403 303",
    ("GET", "/admin/"):                             "200 403 403 403 403 403 403 303",
    ("GET", "/admin/users"):                        "200 403 403 403 403 403 403 303",
    ("GET", "/admin/users/new"):                    "200 403 403 403 403 403 403 303",
    ("POST", "/admin/users/new"):                   "422 403 403 403 403 403 403 303",
    ("GET", "/admin/users/{username}"):             "200 403 403 403 403 403 403 303",
    ("POST", "/admin/users/{username}"):            "422 403 403 403 403 403 403 303",
    ("POST", "/admin/users/{username}/toggle"):     "303 403 403 403 403 403 403 303",
    ("GET", "/admin/projects"):                     "200 403 403 403 403 403 403 303",
    ("GET", "/admin/projects/new"):                 "200 403 403 403 403 403 403 303",
    ("POST", "/admin/projects/new"):                "422 403 403 403 403 403 403 303",
    ("GET", "/admin/projects/{project}"):           "200 403 403 403 403 403 403 303",
    ("POST", "/admin/projects/{project}"):          "422 403 403 403 403 403 403 303",
    ("GET", "/admin/projects/{project}/actions"):   "200 403 403 403 403 403 403 303",
    ("POST", "/admin/projects/{project}/actions"):  "422 403 403 403 403 403 403 303",
    ("GET", "/admin/projects/{project}/settings/{plugin}"):  "200 403 403 403 403 403 403 303",
    ("POST", "/admin/projects/{project}/settings/{plugin}"): "422 403 403 403 403 403 403 303",
    ("GET", "/admin/audit"):                        "200 403 403 403 403 403 403 303",
    ("GET", "/admin/settings"):                     "200 403 403 403 403 403 403 303",
    ("POST", "/admin/settings"):                    "422 403 403 403 403 403 403 303",
    # attendance: the actions of plugins/attendance/actions.py. QA changes no attendance; a team
    # leader posting no agent (an empty form) names none of their teams: 403; imports and
    # set-up are supervisors'; the calendar's POST is the admin's
    ("GET", "/p/{project}/attendance/"):            "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/agents/{number}"):"200 200 200 200 200 200 403 303",
    ("GET", "/p/{project}/attendance/approvals"):   "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/calendar"):    "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/exceptions"):  "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/handover"):    "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/leave"):       "200 200 200 200 200 200 403 303",
    ("GET", "/p/{project}/attendance/marks"):       "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/mine"):        "200 200 200 200 200 200 403 303",
    ("GET", "/p/{project}/attendance/punches"):     "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/punch-requests"):"200 200 200 200 200 200 403 303",
    # the attendance report names agents' lates and hours: the BPO's own, never the client's
    ("GET", "/p/{project}/attendance/report"):      "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/report.pdf"):  "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/report.xlsx"): "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/report.pdf"):  "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/roster"):      "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/shifts"):      "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/attendance/swaps"):       "200 200 200 200 200 200 403 303",
    ("POST", "/p/{project}/attendance/agents/{number}/excuse"):"422 422 422 422 422 422 403 303",
    ("POST", "/p/{project}/attendance/approvals"):  "422 422 422 422 422 403 403 303",
    ("POST", "/p/{project}/attendance/calendar"):   "303 403 403 403 403 403 403 303",
    ("POST", "/p/{project}/attendance/exceptions"): "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/attendance/handover"):   "422 422 422 422 403 403 403 303",
    ("POST", "/p/{project}/attendance/leave"):      "422 422 422 422 422 422 403 303",
    ("POST", "/p/{project}/attendance/leave/{id}/cancel"):"404 404 404 404 404 404 403 303",
    ("POST", "/p/{project}/attendance/marks"):      "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/attendance/punches"):    "422 422 422 422 403 403 403 303",
    ("POST", "/p/{project}/attendance/punches/import"):"422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/attendance/punch-requests"):"422 422 422 422 422 422 403 303",
    ("POST", "/p/{project}/attendance/punch-requests/decide"):"404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/attendance/roster"):     "303 303 303 303 403 403 403 303",
    ("POST", "/p/{project}/attendance/roster/import"):"422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/attendance/roster/pattern"):"422 422 422 422 403 403 403 303",
    ("POST", "/p/{project}/attendance/shifts"):     "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/attendance/swaps"):      "422 422 422 422 422 422 403 303",
    # incentives: the actions of plugins/incentives/actions.py; QA records nothing
    # the boards (ranking, 红花绿叶榜 with deductions, team targets) are internal: no client
    ("GET", "/p/{project}/incentives/"):            "303 303 303 303 303 403 403 303",
    ("GET", "/p/{project}/incentives/backtest"):    "200 200 200 403 403 403 403 303",
    ("GET", "/p/{project}/incentives/boards"):      "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/incentives/close"):       "200 200 200 403 403 403 403 303",
    ("GET", "/p/{project}/incentives/leaders"):     "200 200 200 403 403 403 403 303",
    ("GET", "/p/{project}/incentives/pay.xlsx"):    "409 409 409 403 403 403 403 303",
    ("GET", "/p/{project}/incentives/record"):      "200 200 200 200 403 403 403 303",
    ("GET", "/p/{project}/incentives/reversals"):   "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/incentives/sheet"):       "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/incentives/tiers"):       "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/incentives/backtest"):   "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/backtest/discard"):"303 303 303 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/backtest/publish"):"404 404 404 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/close"):      "409 409 403 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/judgement"):  "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/leaders/judgement"):"422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/leaders/record"):"422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/record"):     "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/reversals"):  "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/incentives/reversals/{id}/approve"):"404 404 404 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/reversals/{id}/reject"):"404 404 404 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/tiers"):      "303 303 303 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/tiers/{id}/accept"):"404 404 404 403 403 403 403 303",
    ("POST", "/p/{project}/incentives/tiers/{id}/dismiss"):"404 404 404 403 403 403 403 303",
    # qa: the actions of plugins/qa/actions.py. QA evaluators and supervisors evaluate and keep the
    # standard; the other staff read; an agent reaches its own evaluations only (never the
    # interactions, which are the sampling); a client nothing
    ("GET", "/p/{project}/qa/"):                    "303 303 303 303 303 303 403 303",
    ("GET", "/p/{project}/qa/evaluations"):         "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/evaluations/{id}"):    "404 404 404 404 404 404 403 303",
    ("GET", "/p/{project}/qa/interactions"):        "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/interactions/{id}"):   "404 404 404 403 404 403 403 303",
    ("GET", "/p/{project}/qa/mine"):                "200 200 200 200 200 200 403 303",
    ("GET", "/p/{project}/qa/report"):              "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/report.xlsx"):         "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/scorecards"):          "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/scorecards/draft"):    "200 200 200 403 200 403 403 303",
    ("GET", "/p/{project}/qa/scorecards/{id}"):     "404 404 404 404 404 403 403 303",
    ("GET", "/p/{project}/qa/scorecards/{id}/export.xlsx"):"404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/qa/interactions/{id}"):  "404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/scorecards/draft"):   "422 422 422 403 422 403 403 303",
    ("POST", "/p/{project}/qa/scorecards/import"):  "422 422 422 403 422 403 403 303",
    ("POST", "/p/{project}/qa/scorecards/new"):     "303 303 303 403 303 403 403 303",
    ("POST", "/p/{project}/qa/scorecards/{id}/publish"):"404 404 404 403 404 403 403 303",
    # qa sampling: staff read the plan (never an agent: it is the sampling); QA evaluators and
    # supervisors build it and replace or remove picks; evaluators take picks and have a worklist
    ("GET", "/p/{project}/qa/plan"):                "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/qa/plan"):               "422 422 422 403 422 403 403 303",
    ("POST", "/p/{project}/qa/plan/picks/{id}/replace"):"404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/plan/picks/{id}/remove"):"404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/plan/picks/{id}/take"):"404 404 404 403 404 403 403 303",
    ("GET", "/p/{project}/qa/worklist"):            "200 200 200 403 200 403 403 303",
    # qa auto-QA, weekly summaries, casebook, handbook: staff read; QA evaluators review hits and
    # keep the casebook; QA (and the admin) write the weekly summary; every agent reads the handbook
    ("GET", "/p/{project}/qa/autoqa"):              "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/autoqa/report"):       "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/qa/autoqa/{id}/review"): "422 422 422 403 422 403 403 303",
    ("GET", "/p/{project}/qa/weekly"):              "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/weekly/{id}"):         "404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/qa/weekly/{id}"):        "404 403 403 403 404 403 403 303",
    ("GET", "/p/{project}/qa/casebook"):            "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/casebook/new"):        "404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/casebook/new"):       "404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/casebook/{id}/remove"):"404 404 404 403 404 403 403 303",
    ("GET", "/p/{project}/qa/handbook"):            "200 200 200 200 200 200 403 303",
    # qa disputes: only the agent evaluated acknowledges or disputes (not even an admin holds it;
    # an agent finds no such evaluation); evaluators edit; the team leader forwards, a supervisor decides
    ("POST", "/p/{project}/qa/evaluations/{id}/acknowledge"):"403 403 403 403 403 404 403 303",
    ("GET", "/p/{project}/qa/evaluations/{id}/dispute"):"403 403 403 403 403 404 403 303",
    ("POST", "/p/{project}/qa/evaluations/{id}/dispute"):"403 403 403 403 403 404 403 303",
    ("GET", "/p/{project}/qa/evaluations/{id}/edit"):"404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/evaluations/{id}/edit"):"404 404 404 403 404 403 403 303",
    ("GET", "/p/{project}/qa/disputes"):            "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/qa/disputes/{id}"):       "404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/qa/disputes/forward"):   "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/qa/disputes/decide"):    "404 404 404 403 403 403 403 303",
    # calibration (QA staff read a session; evaluators open and score one), the monthly exam
    # (imported by supervisors and the trainer), the supervisor's spot checks
    ("GET", "/p/{project}/qa/calibration"):         "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/qa/calibration"):        "422 422 422 403 422 403 403 303",
    ("GET", "/p/{project}/qa/calibration/{id}"):    "404 404 404 404 404 403 403 303",
    ("GET", "/p/{project}/qa/calibration/{id}/score"):"404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/calibration/{id}/score"):"404 404 404 403 404 403 403 303",
    ("POST", "/p/{project}/qa/calibration/{id}/close"):"404 404 404 403 404 403 403 303",
    ("GET", "/p/{project}/qa/exams"):               "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/qa/exams"):              "422 422 422 403 403 403 403 303",
    ("GET", "/p/{project}/qa/spot-checks"):         "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/qa/spot-checks"):        "422 422 422 403 403 403 403 303",
    # complaints: the actions of plugins/complaints/actions.py. The staff take complaints in and
    # handle them, supervisors decide (verdict, severity, approval); a client reads its own
    # project's complaints masked; an agent takes complaints in (首问负责制) and reads and
    # handles only those it owns (the queue lists them; anyone else's answers 404)
    ("GET", "/p/{project}/complaints/"):            "200 200 200 200 200 200 200 303",
    ("GET", "/p/{project}/complaints/new"):         "200 200 200 200 200 200 403 303",
    ("GET", "/p/{project}/complaints/{id}"):        "404 404 404 404 404 404 404 303",
    ("POST", "/p/{project}/complaints/new"):        "422 422 422 422 422 422 403 303",
    ("POST", "/p/{project}/complaints/{id}/decide"):"404 404 404 403 403 403 403 303",
    ("POST", "/p/{project}/complaints/{id}/handle"):"404 404 404 404 404 404 403 303",
    # the figures and the monthly review pack: the staff's and the client's (masked), not an
    # agent's (complaints.figures); the
    # prevention measures are written by those who decide (an empty form names no month: 422)
    ("GET", "/p/{project}/complaints/figures"):     "200 200 200 200 200 403 200 303",
    ("GET", "/p/{project}/complaints/pack"):        "200 200 200 200 200 403 200 303",
    ("POST", "/p/{project}/complaints/pack"):       "422 422 422 403 403 403 403 303",
    ("GET", "/p/{project}/complaints/pack.xlsx"):   "200 200 200 200 200 403 200 303",
    ("GET", "/p/{project}/complaints/pack.pdf"):    "200 200 200 200 200 403 200 303",
    # meetings: the actions of plugins/meetings/actions.py. The staff see the calendar, meetings,
    # action items and coaching; the leaders plan, run (agenda, minutes, items, sign-off) and take
    # attendance, and hand in or read the service-quality reports; an agent sees its own meetings
    ("GET", "/p/{project}/meetings/"):              "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/meetings/plan"):         "422 422 422 422 403 403 403 303",
    ("GET", "/p/{project}/meetings/items"):         "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/meetings/items/{id}"):   "422 422 422 422 403 403 403 303",
    ("GET", "/p/{project}/meetings/coaching"):      "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/meetings/reports"):       "200 200 200 200 403 403 403 303",
    ("POST", "/p/{project}/meetings/reports"):      "422 422 422 422 403 403 403 303",
    ("GET", "/p/{project}/meetings/mine"):          "200 403 403 403 403 200 403 303",
    ("GET", "/p/{project}/meetings/mine/{id}"):     "404 403 403 403 403 404 403 303",
    ("GET", "/p/{project}/meetings/{id}"):          "404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/agenda"):  "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/agenda/draft"): "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/goals"):   "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/attendance"):"404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/excuse"):  "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/minutes"): "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/items"):   "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/{id}/sign"):    "404 404 404 404 403 403 403 303",
    # unified answers: the staff read them, the leaders publish a meeting's decision, an agent signs
    ("GET", "/p/{project}/meetings/answers"):       "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/meetings/answers/mine"):  "200 403 403 403 403 200 403 303",
    ("GET", "/p/{project}/meetings/answers/{id}"):  "404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/meetings/answers/{id}/sign"): "404 403 403 403 403 404 403 303",
    ("POST", "/p/{project}/meetings/{id}/answers"): "404 404 404 404 403 403 403 303",
    # coaching: the staff read the items; the leaders open one by hand, hold the session, follow up
    # (a team leader only for its teams: test_coaching.py); an agent acknowledges its own sessions
    ("POST", "/p/{project}/meetings/coaching"):     "422 422 422 422 403 403 403 303",
    ("GET", "/p/{project}/meetings/coaching/mine"): "200 403 403 403 403 200 403 303",
    ("GET", "/p/{project}/meetings/coaching/{id}"): "404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/meetings/coaching/{id}/session"): "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/coaching/{id}/follow-up"): "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/coaching/{id}/close"): "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/coaching/{id}/acknowledge"): "404 403 403 403 403 404 403 303",
    # questions from the floor: an agent raises them, the staff read them, the leaders answer
    ("GET", "/p/{project}/meetings/questions"):     "200 200 200 200 200 403 403 303",
    ("POST", "/p/{project}/meetings/questions"):    "422 403 403 403 403 422 403 303",
    ("GET", "/p/{project}/meetings/questions/mine"): "200 403 403 403 403 200 403 303",
    ("POST", "/p/{project}/meetings/questions/{id}/answer"): "404 404 404 404 403 403 403 303",
    ("POST", "/p/{project}/meetings/questions/{id}/unify"): "404 404 404 404 403 403 403 303",
    # reporting, traffic: the staff read the raw traffic (team leaders see the operations
    # figures); a client reads the KPIs and reports made of it, an agent nothing
    ("GET", "/p/{project}/reporting/traffic"):      "200 200 200 200 200 403 403 303",
    # reporting, the contract and the KPIs: the actions of plugins/reporting/actions.py. The staff
    # and the client read the contract and the KPIs (a client: its own figures and targets); the
    # supervisors change the contract and the project's goals and enter a KPI by hand
    ("GET", "/p/{project}/reporting/contract"):     "200 200 200 200 200 403 200 303",
    ("POST", "/p/{project}/reporting/contract"):    "422 422 422 403 403 403 403 303",
    ("POST", "/p/{project}/reporting/contract/goals"): "422 422 422 403 403 403 403 303",
    ("GET", "/p/{project}/reporting/kpis"):         "200 200 200 200 200 403 200 303",
    ("POST", "/p/{project}/reporting/kpis"):        "422 422 422 403 403 403 403 303",
    # staffing: the staff read the plan (team leaders too), the supervisors enter a forecast by
    # hand; a client and an agent never see it (the client report carries its summary)
    ("GET", "/p/{project}/reporting/staffing"):     "200 200 200 200 200 403 403 303",
    ("GET", "/p/{project}/reporting/staffing/forecast"): "200 200 200 403 403 403 403 303",
    ("POST", "/p/{project}/reporting/staffing/forecast"): "422 422 422 403 403 403 403 303",
    # the landing page: the client's portal, the staff's menu; an agent only where the project
    # allows (setting agents_see_reports, off here: SETTING_GATED). The client's issues: the staff
    # and the client read them and raise them (an empty form: 422); the staff answer them; only
    # the client confirms one resolved or reopens it
    ("GET", "/p/{project}/reporting/"):             "200 200 200 200 200 403 200 303",
    ("GET", "/p/{project}/reporting/issues"):       "200 200 200 200 200 403 200 303",
    ("POST", "/p/{project}/reporting/issues"):      "422 422 422 422 422 403 422 303",
    ("GET", "/p/{project}/reporting/issues/{id}"):  "404 404 404 404 404 403 404 303",
    ("POST", "/p/{project}/reporting/issues/{id}/steps"): "404 404 404 404 404 403 403 303",
    ("POST", "/p/{project}/reporting/issues/{id}/client"): "403 403 403 403 403 403 404 303",
}
# The trainer (培训专员) is answered as QA is, but where the trainer holds an action QA does not:
# recording the daily assessments on agents and assessing the team leaders (incentives).
TRAINER_LIKE = "qa"
TRAINER = {
    ("GET", "/p/{project}/incentives/record"): "200",
    ("POST", "/p/{project}/incentives/record"): "422",
    ("GET", "/p/{project}/incentives/leaders"): "200",
    ("POST", "/p/{project}/incentives/leaders/judgement"): "422",
    ("POST", "/p/{project}/incentives/leaders/record"): "422",
    # the trainer reads QA but neither evaluates nor keeps the standard
    ("GET", "/p/{project}/qa/interactions/{id}"): "403",
    ("POST", "/p/{project}/qa/interactions/{id}"): "403",
    ("GET", "/p/{project}/qa/scorecards/draft"): "403",
    ("POST", "/p/{project}/qa/scorecards/draft"): "403",
    ("POST", "/p/{project}/qa/scorecards/import"): "403",
    ("POST", "/p/{project}/qa/scorecards/new"): "403",
    ("POST", "/p/{project}/qa/scorecards/{id}/publish"): "403",
    ("POST", "/p/{project}/qa/plan"): "403",  # the trainer reads the sampling plan, never changes it
    ("POST", "/p/{project}/qa/plan/picks/{id}/replace"): "403",
    ("POST", "/p/{project}/qa/plan/picks/{id}/remove"): "403",
    ("POST", "/p/{project}/qa/plan/picks/{id}/take"): "403",
    ("GET", "/p/{project}/qa/worklist"): "403",
    ("POST", "/p/{project}/qa/autoqa/{id}/review"): "403",
    ("POST", "/p/{project}/qa/weekly/{id}"): "403",
    ("GET", "/p/{project}/qa/casebook/new"): "403",
    ("POST", "/p/{project}/qa/casebook/new"): "403",
    ("POST", "/p/{project}/qa/casebook/{id}/remove"): "403",
    ("GET", "/p/{project}/qa/evaluations/{id}/edit"): "403",
    ("POST", "/p/{project}/qa/evaluations/{id}/edit"): "403",
    ("POST", "/p/{project}/qa/calibration"): "403",  # the trainer gives the exams, not calibrations
    ("GET", "/p/{project}/qa/calibration/{id}/score"): "403",
    ("POST", "/p/{project}/qa/calibration/{id}/score"): "403",
    ("POST", "/p/{project}/qa/calibration/{id}/close"): "403",
    ("POST", "/p/{project}/qa/exams"): "422",
}


def expected_status(method: str, path: str, column: str) -> str:
    """The matrix's status for *column*, the trainer's from `TRAINER` or as `TRAINER_LIKE`."""
    if column == "trainer":
        return TRAINER.get((method, path)) or expected_status(method, path, TRAINER_LIKE)
    return MATRIX[method, path].split()[COLUMNS.index(column)]


# the value of each path parameter: (in the user's own project, in another project)
PARAMS = {"project": ("alpha", "beta"), "number": ("1001", "2001"), "month": (MONTH, MONTH),
          "fmt": ("csv", "csv"), "username": ("victim", "victim"), "plugin": ("core", "core"), "id": ("no-such-id", "no-such-id"),
          "kind": ("attendance.punches", "attendance.punches"), "period": (MONTH, MONTH)}
# POST bodies that get past authorisation but change nothing
BODIES = {"/language": {"locale": "", "next": "/"}}


def app_routes(app):
    """The pages' routes; the API's calls (token, not session) have their own matrix
    (test_api_matrix.py)."""
    for route in app.routes:
        if isinstance(route, Route) and not route.path.startswith("/api/v1/projects"):
            for method in sorted(route.methods - {"HEAD"}):
                yield method, route.path


def test_every_route_is_in_the_matrix(app):
    missing = sorted(set(app_routes(app)) - MATRIX.keys())
    assert missing == [], f"routes without an entry in the authorisation matrix: {missing}"
    gone = sorted(MATRIX.keys() - set(app_routes(app)))
    assert gone == [], f"matrix entries for routes that no longer exist: {gone}"


def test_every_route_declares_its_action(app):
    assert all(getattr(r, "action", None) for r in app.routes if isinstance(r, Route))


def test_the_matrix_follows_the_declared_actions(app):
    """A role the route's declared action does not give is refused (403) in the matrix, and a
    role it gives is not — so a changed declaration cannot slip past this review."""
    access = app.state.shell.fw.access
    project = app.state.shell.fw.projects.get("alpha")
    routes = {(m, r.path): r.action for r in app.routes if isinstance(r, Route) for m in r.methods}
    wrong = []
    for (method, path), row in MATRIX.items():
        action = routes[method, path]
        if action in ("public", "signed_in"):
            continue
        held = access.roles(action, project)
        statuses = [*zip(COLUMNS[:-1], row.split()[:-1]),
                    ("trainer", expected_status(method, path, "trainer"))]
        for column, status in statuses:
            if (status == "403") != (column not in held) and not (
                    status == "403" and action in WRITES_BY_TEAM and column == "team_leader") and not (
                    status == "403" and SETTING_GATED.get(action) == column):
                wrong.append((method, path, column, status, action))
    assert wrong == [], wrong


# write routes whose empty form names no team of the leader's: the leader's 403 there is the
# team check's, not the role's (test_team_scope.py posts real objects)
WRITES_BY_TEAM = {"attendance.exception.resolve", "attendance.mark", "incentives.record",
                  "incentives.judgement"}
# actions a role holds but a project setting keeps from it, off by default: the page answers 403
# (reporting: an agent reads the reports only where the project sets agents_see_reports)
SETTING_GATED = {"reporting.portal": "agent", "reporting.report": "agent"}


CASES = [(method, path, column, where)
         for (method, path) in MATRIX for column in (*COLUMNS, "trainer") for where in ("own", "other")
         if where == "own" or "{" in path]


@pytest.mark.parametrize("method, path, column, where", CASES)
def test_status(app, clients, sign_in, method, path, column, where):
    own = where == "own"
    url = re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)][0 if own else 1], path)
    if column == "anon":
        client = sign_in(app, None)
    elif path == "/logout":
        client = sign_in(app, f"{column}1")  # signing out must not end the shared session
    else:
        client = clients(f"{column}1")
    if method == "GET":
        response = client.get(url)
    else:
        body = {"csrf_token": _csrf(client, "/login" if column == "anon" else "/account"), **BODIES.get(path, {})}
        if path == "/login":  # an unknown account: each column its own, so the throttle stays out
            body.update(username=f"nobody-{column}-{where}", password="wrong")
        response = client.post(url, data=body)
    expected = int(expected_status(method, path, column))
    if not own and "{project}" in path and column != "anon":
        expected = 404
    assert response.status_code == expected, response.text[:400]


def _csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)
