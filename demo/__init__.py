"""The demo company of ``floorwalker demo``: a small BPO with three client projects.

Everything goes in through the core's public API, so the demo's files are the ones a real
install would have, and every rule the API enforces (agents scored only while assigned, closed
months locked) holds for the demo too. Bulk writes are batched: one commit per project for its
agents, one for all logins, one per project and month for score events.

The months are the three full months before *today*'s month plus the current month up to
*today*: three complete score sheets to compare, one of them closed (the oldest) and corrected
by an adjustment in a later month, and a month still in progress. Work is dated on weekdays only,
and only while the agent was assigned to the project (leavers stop, transfers change team).

Deterministic: the only source of chance is one ``random.Random(seed)``, consumed in a fixed
order, so the same seed and *today* give the same company (ids and timestamps aside). Agents
get a conduct profile by quota rather than by independent draws, so every seed yields stars
above 90, escalated months and scores below 60.

The package: `plans` (the company, its people's names and conduct profiles), `people` (the
floors and the logins, a trainer's among them), `scores` (the score history of the core's rules,
calibrated once the plugins' records are in so that a floor has one or two agents below 60 a
month, and the best of the whole floor each finished month), `leaders` (the team leaders in the
register and the trainer's record of their months); each plugin adds its own records through
its ``demo_data`` hook, before the oldest month closes (and what needs it closed through
``demo_data_after_close``). One floor shows the pay sheet's
probation and leaving flags (`people.Floor._probation_cases`).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Callable
from zoneinfo import ZoneInfo

from ..core.calendar import DEFAULT_TIMEZONE, local_now
from ..core.errors import Conflict
from ..core.i18n import N_
from .leaders import Leaders
from .people import Floor, NamePool, logins
from .plans import COMPANY, PROJECTS, demo_months
from .scores import ScoreHistory

STEPS = 7  # the steps `build_demo` reports to its *progress*


def build_demo(fw, seed: int = 7, actor: str = "demo", today: dt.date | None = None,
               progress: Callable[[str], None] | None = None) -> list[dict]:
    """Fill the empty data folder of *fw* with the demo company; return its logins as
    ``{username, password, role, project}`` (the only place the passwords are shown).

    *progress* is called with each step's message id (an ``N_`` text) as the work goes on.
    """
    if fw.projects.all() or fw.users.all():
        raise Conflict(N_("the demo needs an empty data folder"))
    # one instant for the whole build: a plugin asking the time half a minute in must get the
    # answer it got at the start (an SLA clock, "yesterday"), or two builds of one seed differ.
    # Given *today* (a test's day), the build runs at 18:00 of it on the demo's floors (the default zone),
    # the end of its office day.
    if today is None:
        pinned = dt.datetime.now(dt.timezone.utc)
        today = local_now(DEFAULT_TIMEZONE, pinned).date()  # the demo's projects keep the default zone
    else:
        pinned = dt.datetime.combine(today, dt.time(18, 0), ZoneInfo(DEFAULT_TIMEZONE))
    kept, fw.projects.pinned = fw.projects.pinned, pinned
    try:
        return _build(fw, seed, actor, today, progress)
    finally:
        fw.projects.pinned = kept


def _build(fw, seed: int, actor: str, today: dt.date, progress) -> list[dict]:
    rng = random.Random(seed)
    say = progress or (lambda step: None)
    months = demo_months(today)
    names = NamePool(rng)

    say(N_("Creating the projects and teams"))
    fw.set_install(actor, default_locale="zh_CN", company_name=COMPANY)
    for plan in PROJECTS:
        fw.projects.create(plan.slug, plan.client, actor, name=plan.name,
                           channels=list(plan.channels), plugins=fw.plugin_names(),
                           kpi_targets=plan.kpi_targets)
        for team, team_name, _ in plan.teams:
            fw.teams.create(plan.slug, team, team_name, actor)

    say(N_("Hiring the agents"))
    floors = [Floor(fw, plan, rng, names, today, months, actor) for plan in PROJECTS]

    say(N_("Creating the logins"))
    accounts = logins(fw, rng, names, floors, actor)

    say(N_("Recording the score history"))
    histories = [ScoreHistory(floor) for floor in floors]
    for history in histories:
        history.record()

    say(N_("Adding the plugins' demo data"))
    for floor in floors:
        fw.project_hook(floor.project, "demo_data")(floorwalker=fw, project=floor.project,
                                                     months=months, rng=rng, actor=actor,
                                                     today=today)

    say(N_("Appointing the team leaders and awarding the best of each month"))
    for floor, history in zip(floors, histories):
        history.calibrate()
        leaders = Leaders(floor)
        leaders.appoint()
        leaders.record()
        history.award_best_of_month()

    say(N_("Closing the oldest month"))
    for history in histories:
        fw.periods.close(history.plan.slug, months[0], actor)
        history.correct_closed_month()
    for floor in floors:
        fw.project_hook(floor.project, "demo_data_after_close")(
            floorwalker=fw, project=floor.project, months=months, rng=rng, actor=actor, today=today)
    return accounts
