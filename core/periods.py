"""Periods: a month of a project is open until it is closed; closed months are locked.

Closing asks every enabled plugin for blockers, lets them finalise the month while it is still
open (`on_period_closing`), then records the month as closed in core.json — from that moment the
store refuses every write dated inside it (`Store._check_periods`) — and notifies
(`on_period_closed`). A closed month is never reopened: corrections are adjustments in an open
month that name the closed one.
"""

from __future__ import annotations

import datetime as dt

from . import validate
from .errors import Conflict
from .i18n import DEFAULT_LOCALE, N_, normalize_locale, translate
from .plugins import collect
from .records import Blocker
from .store import CORE, now_iso


class PeriodBlocked(Conflict):
    """The month cannot close yet: lists the blockers, each titled in the reader's language."""

    def __init__(self, month: str, blockers: list):
        self.blockers = blockers
        super().__init__(N_("{month} cannot close: {blockers}"), month=month,
                         blockers=self._listed("en"))

    def _listed(self, locale: str) -> str:
        return "; ".join(f"{b.title(locale)} ({b.count})" for b in self.blockers)

    def message(self, locale: str = DEFAULT_LOCALE) -> str:
        return translate(self.msgid, locale, month=self.params["month"],
                         blockers=self._listed(normalize_locale(locale)))


class Periods:
    def __init__(self, fw):
        self.fw = fw

    def state(self, project: str, month: str) -> str:
        """`"closed"` or `"open"`: the state of *month* in *project*."""
        return "closed" if month in self.fw.store.closed_months(project) else "open"

    def closed(self, project: str) -> dict[str, dict]:
        """The closed months of *project*: month → its record (`closed_at`, `closed_by`)."""
        return {p["month"]: p for p in self.fw.store.read(CORE).index("periods", "project").get(project, [])}

    def list(self, project: str, first: str | None = None) -> list[dict]:
        """Every month from the project's first data (or *first*) to the current month: the
        project's creation, its first month of score events, its first closed month, and
        always last month (the one a manager closes at the start of this one)."""
        project_doc = self.fw.projects.get(project)
        today = self.fw.projects.today(project_doc)
        last_month = (today.replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]
        closed = self.closed(project)
        event_months = [key.rsplit("/", 1)[1]
                        for key in self.fw.store.keys(f"projects/{project}/score_events")]
        start = first or min([project_doc["created_at"][:7], last_month, *event_months, *closed])
        return [closed.get(m, {"project": project, "month": m, "state": "open"})
                for m in validate.months_between(start, today.isoformat()[:7])]

    def blockers(self, project: str, month: str) -> list:
        """What stops *month* of *project* closing: an earlier month with score events still
        open (months close in order: a later month's corrections go into the earliest open one),
        then the enabled plugins' `Blocker`s (none: it may close)."""
        project_doc = self.fw.projects.get(project)
        closed = self.closed(project)
        earlier = sorted(m for m in (key.rsplit("/", 1)[1]
                                     for key in self.fw.store.keys(f"projects/{project}/score_events"))
                         if m < month and m not in closed)
        found = [Blocker("core", f"{earlier[0]} is still open", f"{earlier[0]} 尚未结账",
                         count=len(earlier), url=f"/p/{project}/periods")] if earlier else []
        return found + collect(self.fw.project_hook(project_doc, "period_blockers"), Blocker,
                               floorwalker=self.fw, project=project_doc, period=month)

    def close(self, project: str, month: str, actor: str, user: dict | None = None) -> dict:
        """Close *month* of *project* — refused while it has blockers or has not ended — telling
        the plugins before and after (`on_period_closing`, `on_period_closed`); returns its
        record."""
        project_doc = self.fw.projects.get(project)
        month = validate.month(month)
        if self.state(project, month) == "closed":
            raise Conflict(N_("{month} of project {project} is already closed"), month=month,
                           project=project)
        if month >= self.fw.projects.today(project_doc).isoformat()[:7]:
            raise Conflict(N_("{month} has not ended yet"), month=month)
        blockers = self.blockers(project, month)
        if blockers:
            raise PeriodBlocked(month, blockers)
        caller = lambda name: self.fw.project_hook(project_doc, name)  # noqa: E731
        caller("on_period_closing")(floorwalker=self.fw, project=project_doc, period=month, user=user)
        doc = {"id": f"{project}:{month}", "project": project, "month": month, "state": "closed",
               "closed_at": now_iso(), "closed_by": actor}
        with self.fw.store.transaction(CORE, actor, "period.close") as tx:
            if tx.get("periods", doc["id"]):  # another process closed it meanwhile
                raise Conflict(N_("{month} of project {project} is already closed"), month=month,
                               project=project)
            tx.insert("periods", doc)
        caller("on_period_closed")(floorwalker=self.fw, project=project_doc, period=month, user=user)
        return doc
