"""Quality assurance (质检): the project's QA standard (质检标准) in versions, the interactions
to evaluate, evaluations scored against the published standard, and the score events they cause.

The modules, from the rules outwards:

* `scoring` — the formula, pure (the part with the most tests); `transcripts` — a chat's lines;
* `scorecards` — the standard's versions (draft → published → archived) and its rows;
  `workbook` — the standard as the client's xlsx, in and out;
* `interactions`, `evaluations` — the records, kept through the store;
* `pages`, `scorecard_pages`, `commands` — the web pages and the command line;
* `monthly` (the month's average under the pass line, spot checks), `exams` (the monthly
  knowledge exam), `calibration` (blind sessions against a benchmark) and their pages.

Its score rules (``qa_fatal_error`` −10, ``qa_full_marks`` +2) are written only from an
evaluation (``qa:evaluation:<id>``), never picked by a person; a project changes their points in
the core's rule points. It imports only `floorwalker.core`.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton

from floorwalker.core import Evidence, NavItem, ScoreRule, hookimpl

from . import evaluations, exams, monthly, score_events
from .actions import OWN, VIEW
from .config import NAME, SETTINGS

TITLE = ("QA", "质检")  # what the admin pages call this plugin

RULES = [
    ScoreRule(evaluations.FATAL_RULE, "result", -10, "QA fatal error", "质检致命错误", derived=True),
    ScoreRule(evaluations.FULL_MARKS_RULE, "result", 2, "QA evaluation with full marks", "质检满分",
              derived=True),
    *monthly.RULES, *exams.RULES,  # the month's average; the exam's two rules, moved from the core
]


@hookimpl
def register_settings():
    return SETTINGS


@hookimpl
def register_score_rules():
    return RULES


@hookimpl
def register_actions():
    from .actions import ACTIONS
    return ACTIONS


@hookimpl
def register_routes():
    from .pages import routes
    return routes()


@hookimpl
def register_commands(cli):
    from .commands import qa
    cli.add_command(qa)


@hookimpl
def register_endpoints():
    """The JSON API: interactions in, evaluations out (api.py)."""
    from .api import ENDPOINTS
    return ENDPOINTS


@hookimpl
def register_importers():
    from .interactions import IMPORTERS
    return IMPORTERS + exams.IMPORTERS


@hookimpl
def demo_data(floorwalker, project, months, rng, actor, today):
    """The QA demo: standards, interactions, evaluations, answers, exams … (demo.py)."""
    from . import demo
    demo.build(floorwalker, project, months, rng, actor, today)


@hookimpl
def demo_data_after_close(floorwalker, project, months, rng, actor, today):
    """A dispute accepted after its evaluation's month closed (demo.py)."""
    from . import demo
    demo.after_close(floorwalker, project, months, rng, actor, today)


@hookimpl
def register_kpis():
    from .figures import KPIS
    return KPIS


@hookimpl
def project_kpis(floorwalker, project, period, first, last):
    """The QA average and rates with their n (figures.py); a client sees only the service ones."""
    from .figures import kpis
    return kpis(floorwalker, project, period, first, last)


@hookimpl
def nav_items(floorwalker, project, user):
    """QA staff see the QA pages, an agent its own evaluations, a client nothing."""
    if floorwalker.access.can(user, VIEW, project):
        return [NavItem(NAME, "QA", "质检", f"{NAME}/", order=30)]
    if floorwalker.access.can(user, OWN, project) and user.get("agent"):
        return [NavItem(NAME, "My QA", "我的质检", f"{NAME}/mine", order=30)]
    return []


def _mine(events):
    for event in events:
        parts = (event.get("evidence") or "").split(":")
        if event.get("source") == NAME and len(parts) == 3 and parts[:2] == [NAME, "evaluation"]:
            yield event, parts[2]


@hookimpl
def evidence_links(floorwalker, project, events, user):
    """An event of an evaluation opens the evaluation (an agent: its own)."""
    return {**{e["id"]: f"/p/{project['slug']}/{NAME}/evaluations/{ident}" for e, ident in _mine(events)},
            **score_events.links(floorwalker, project, events, user)}  # month, exam, spot check


@hookimpl
def describe_evidence(floorwalker, project, events):
    """An evaluation's event reads 质检 · 12月4日, its reason in the reader's language."""
    described = {}
    for event, _ident in _mine(events):
        day = dt.date.fromisoformat(event["date"][:10])
        described[event["id"]] = Evidence(
            f"QA · {format_skeleton('MMMd', day, locale='en')}",
            f"质检 · {format_skeleton('MMMd', day, locale='zh_CN')}",
            evaluations.reason(event.get("reason") or "", "en") or "",
            evaluations.reason(event.get("reason") or "", "zh_CN") or "")
    return {**described, **score_events.describe(events, floorwalker, project)}  # month (live), exam, spot check


@hookimpl(specname="on_period_closing")
def settle_the_monthly_average(floorwalker, project, period, user):
    """The month's QA average under the pass line reaches the ledger before the month locks."""
    monthly.settle(floorwalker, project, period, user["username"] if user else "system",
                   evaluations.of_month(floorwalker, project["slug"], period))


@hookimpl(specname="waiting_items")
def calibrations_waiting(floorwalker, project, user):
    """Calibration sessions waiting for this user's scoring (or benchmark)."""
    from .calibration_pages import waiting
    return waiting(floorwalker, project, user)


@hookimpl(specname="waiting_items")
def weekly_waiting_items(floorwalker, project, user):
    """Weekly QA summaries overdue, for those who write them (weekly.py)."""
    from . import weekly
    return weekly.waiting(floorwalker, project, user)


@hookimpl(specname="agenda_items")
def casebook_agenda_items(floorwalker, project, meeting, day):
    """The casebook's good and bad cases for a QA analysis meeting (casebook.py)."""
    from . import casebook
    return casebook.agenda(floorwalker, project, meeting, day)


@hookimpl(specname="agenda_items")
def qa_agenda_items(floorwalker, project, meeting, day):
    """Yesterday's evaluations under the pass line (briefing), last week's QA per team (weekly),
    the month's QA results (monthly): agenda.py."""
    from . import agenda
    return agenda.items(floorwalker, project, meeting, day)


@hookimpl(specname="waiting_items")
def sampled_picks_due(floorwalker, project, user):
    """This evaluator's sampled interactions due by the end of this week (sampling.py)."""
    from . import sampling
    return sampling.waiting(floorwalker, project, user)


@hookimpl(specname="period_blockers")
def sampling_plan_behind(floorwalker, project, period):
    """The month's sampling plan with picks not yet evaluated (sampling.py)."""
    from . import sampling
    return sampling.blockers(floorwalker, project, period)


@hookimpl(specname="waiting_items")
def disputes_waiting(floorwalker, project, user):
    """Disputes to forward or decide, evaluations to acknowledge (disputes.py)."""
    from . import disputes
    return disputes.waiting_items(floorwalker, project, user)


@hookimpl(specname="period_blockers")
def evaluations_in_dispute(floorwalker, project, period):
    """Evaluations in dispute hold their month, and the dispute's (disputes.py)."""
    from . import disputes
    return disputes.blockers(floorwalker, project, period)


@hookimpl(specname="register_jobs")
def dispute_jobs():
    """Evaluations whose window to answer closed count as accepted (disputes.py)."""
    from datetime import timedelta

    from floorwalker.core import Job

    from . import disputes
    return [Job("response_windows", timedelta(minutes=15),
                lambda floorwalker, project, now: disputes.lapse(floorwalker, project, now))]


@hookimpl(specname="complaints_review", optionalhook=True)
def review_a_valid_complaint(floorwalker, project, complaint):
    """A valid complaint against an agent puts its linked interaction in the sampling plan as a
    must-check pick (sampling.py); the complaints plugin declares the hook."""
    from . import sampling
    return sampling.must_check(floorwalker, project, complaint["interaction"], complaint["id"],
                               complaint["verdict"].get("by") or "system")


@hookimpl
def report_sections(floorwalker, project, period, user):
    """The QA summary of the client report's period: average with n, pass rate, top defects;
    agents as the client may see them (report_section.py)."""
    from . import report_section
    return report_section.section(floorwalker, project, period, user)
