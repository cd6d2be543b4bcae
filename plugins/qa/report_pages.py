"""The QA report (质检报表) under ``/p/{project}/qa/report``: per agent and team the QA average
with its n, a grade and a rank only at n ≥ the project's minimum ("n too small" otherwise), the
fatal-error and dispute rates, the disputes' outcomes, the evaluators' workload and the
calibration; and the same as an xlsx through the core's exports (one sheet each for agents,
teams and evaluators, so a reader can sort and filter it in Excel).

The figures are `figures.month_report`; this module only lays them out. The report is for the
BPO's staff (``qa.view``): it names agents and evaluators, so it is never a client's page (a
client reads the QA average and fatal-error rate as KPIs).
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, Route, Table, to_xlsx, validate

from . import evaluations, figures
from .actions import VIEW
from .scorecard_pages import base


def _month(p) -> str:
    asked = p.request.query_params.get("month")
    if asked:
        return validate.month(asked)
    return p.fw.projects.today(p.project).isoformat()[:7]


def report(p) -> Response:
    month = _month(p)
    data = figures.month_report(p.fw, p.project, month)
    return p.render("qa/report.html", month=month, months=evaluations.months(p.fw, p.project["slug"]),
                    report=data, base=base(p), outcomes=figures.OUTCOME_TITLES, too_small=figures.TOO_SMALL,
                    team_titles={t.key: t.title for t in data.teams})


def tables(p, data: figures.Report) -> list[Table]:
    """The report as the export's sheets, headed in the reader's language."""
    _ = p._
    small = _(figures.TOO_SMALL)
    teams = {t.key: t.title for t in data.teams}

    def verdict(f: figures.Figure):
        return (f.grade, f.rank) if f.enough else (small, small)

    def rate(value):
        return None if value is None else round(value, 1)

    lead = [_(N_("n")), _(N_("QA average")), _(N_("Grade")), _(N_("Rank")), _(N_("Fatal errors")),
            _(N_("Fatal-error rate")) + " %", _(N_("Disputed")), _(N_("Dispute rate")) + " %"]

    def cells(f: figures.Figure):
        return [f.n, f.average, *verdict(f), f.fatal, rate(f.fatal_rate), f.disputed, rate(f.dispute_rate)]
    agents = Table(_(N_("Agents")), [_(N_("Employee no.")), _(N_("Name")), _(N_("Team")), *lead],
                   [[a.key, a.title, teams.get(a.team) or _(N_("No team")), *cells(a)] for a in data.agents],
                   fixed_columns=2)
    team_rows = [[t.title or _(N_("No team")), *cells(t)] for t in data.teams]
    team_rows.append([_(N_("Project total")), *cells(data.project)])
    team_table = Table(_(N_("Teams")), [_(N_("Team")), *lead], team_rows, fixed_columns=1)
    workload = Table(_(N_("Evaluators")), [_(N_("Evaluator")), _(N_("Evaluations")), _(N_("Calibrations"))],
                     [[p.fw.users.display_name(r["evaluator"], p.locale), r["evaluations"], r["calibrations"]]
                      for r in data.evaluators])
    return [agents, team_table, workload]


def export(p) -> Response:
    month = _month(p)
    data = figures.month_report(p.fw, p.project, month)
    return p.download(to_xlsx(tables(p, data)), f"{p.project['slug']}-qa-{month}.xlsx")


ROUTES = [
    Route("/report", report, action=VIEW),
    Route("/report.xlsx", export, action=VIEW),
]
