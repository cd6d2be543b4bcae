"""The QA handbook (质检手册): the project's published standard, for every agent to read at any
time — its sections and items with their notes, the fatal rules, the forbidden phrases and how
an evaluation is scored. Never a draft: until a version is published the page says so, and a
draft being edited stays with QA staff.
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import Route

from . import scorecards
from .actions import OWN
from .config import NAME
from .scorecard_pages import FATAL, TYPES, base


def page(p) -> Response:
    card = scorecards.in_state(p.fw, p.project["slug"], "published")
    return p.render("qa/handbook.html", card=card, base=base(p), types=TYPES, fatal=FATAL,
                    cap=p.fw.projects.settings(p.project, NAME)["score_cap"])


def routes() -> list[Route]:
    return [Route("/handbook", page, action=OWN)]
