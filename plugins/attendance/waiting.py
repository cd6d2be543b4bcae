"""What attendance has waiting for a user (`waiting_items`): the count in the navigation and on
the home page, each item a link to the list where it is done.

- leave this user may approve; swaps asked of this agent; the swap sides of the teams this
  user may approve (a team leader: the teams they lead; a supervisor: every team);
- excuses to decide, missed-punch requests to approve (the team's, for a team leader);
- punch exceptions not resolved (a missing check-in or check-out), of the teams the user may
  resolve them for: a team leader's own teams, a supervisor's whole floor;
- for a team leader, the handover logs of their teams waiting to be accepted (written by
  someone else) and the handovers not logged, over the days the handover page opens on
  (yesterday and today).

Only the open months are read: nothing waits in a closed month (each of these blocks its
month's close), and the home asks every project of a director on each view. The derivation
behind the exceptions is kept (`sheet.derive`): the current month's is the one the home's figures
read within the same minute, and a past month's is derived at a fixed moment after it, so it is
derived again only when its files change.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import WaitingItem

from . import handover, leave, punch_requests, sheet, swaps
from . import roster as rosters
from .actions import (EXCEPTION_RESOLVE, EXCUSE_DECIDE, HANDOVER, LEAVE_DECIDE, PUNCH_REQUEST_DECIDE,
                      SWAP_DECIDE)
from .config import NAME


def open_months(fw, slug: str) -> list[str]:
    closed = fw.store.closed_months(slug)
    return [m for m in rosters.stored_months(fw, slug) if m not in closed]


def items(fw, project: dict, user: dict) -> list[WaitingItem]:
    slug = project["slug"]
    base = f"/p/{slug}/{NAME}"
    months = open_months(fw, slug)
    found = [*_requests(fw, project, user, months, base), *_exceptions(fw, project, user, months, base),
             *_handovers(fw, project, user, base)]
    return [item for item in found if item.count]


def _requests(fw, project: dict, user: dict, months: list[str], base: str) -> list[WaitingItem]:
    slug, can = project["slug"], fw.access.can
    url = f"{base}/approvals"
    roles = set(user.get("roles") or ())
    found = []
    leave_count = sum(1 for m in months for r in leave.waiting(fw, slug, m)
                      if roles & leave.APPROVERS[r["level"]] and can(user, LEAVE_DECIDE, project, r))
    found.append(WaitingItem("Leave requests to approve", "待审批的请假", leave_count, url))
    swaps_waiting = [s for m in months for s in swaps.month_swaps(fw, slug, m)
                     if s["status"] in ("asked", "accepted")]
    own = user.get("agent")
    asked_of_me = sum(1 for s in swaps_waiting if s["status"] == "asked" and own
                      and s["second"]["agent"] == own)
    found.append(WaitingItem("Swaps asked of you", "请你确认的换班", asked_of_me, f"{base}/swaps"))
    # the role first (without a team a team leader's write is refused), then each side's team
    if can(user, SWAP_DECIDE, project, route=True):
        sides = sum(1 for s in swaps_waiting if s["status"] == "accepted" for team in s["teams"]
                    if team not in s["approvals"] and can(user, SWAP_DECIDE, project, {"team": team}))
        found.append(WaitingItem("Swaps to approve", "待审批的换班", sides, url))
    if can(user, EXCUSE_DECIDE, project, route=True):
        excuses = sum(1 for month in months
                      for day in sheet.annotations(fw, slug, month).values()
                      if day.get("excuse", {}).get("status") == "pending"
                      and can(user, EXCUSE_DECIDE, project, {"agent": day["agent"], "date": day["date"]}))
        found.append(WaitingItem("Excuses to decide", "待审核的考勤说明", excuses, url))
    if can(user, PUNCH_REQUEST_DECIDE, project, route=True):
        fixes = sum(1 for m in months for r in punch_requests.month_requests(fw, slug, m)
                    if r["status"] == "pending" and can(user, PUNCH_REQUEST_DECIDE, project, r))
        found.append(WaitingItem("Missed-punch requests to approve", "待审批的补卡申请", fixes,
                                 f"{url}#punch-requests"))
    return found


def _exceptions(fw, project: dict, user: dict, months: list[str], base: str) -> list[WaitingItem]:
    """The open months' unresolved punch exceptions of the teams the user resolves them for;
    the link opens the oldest month that has any (it blocks the first close)."""
    if not fw.access.can(user, EXCEPTION_RESOLVE, project, route=True):
        return []
    may = {}  # team -> whether the user may resolve its exceptions
    by_month: dict[str, int] = {}
    now = fw.projects.now(project).replace(second=0, microsecond=0)
    for month in months:
        # a month whose every punch window has closed is derived at a fixed moment after it, so
        # its count serves every page view until its files change; the home asks this of every
        # project of a director, more months than the derivations kept, so only the counts by
        # team are kept (`fw.summaries`), not the month's rows
        moment = min(now, dt.datetime.combine(rosters.month_dates(month)[-1] + dt.timedelta(days=2),
                                              dt.time()))
        for team, count in fw.summaries.get(f"{NAME}.exceptions", (project["slug"], month, moment),
                                            lambda: exceptions_by_team(fw, project, month, moment)).items():
            if team not in may:
                may[team] = fw.access.can(user, EXCEPTION_RESOLVE, project, {"team": team})
            if may[team]:
                by_month[month] = by_month.get(month, 0) + count
    if not by_month:
        return []
    first = min(by_month)
    return [WaitingItem("Punch exceptions to resolve", "待处理的打卡异常", sum(by_month.values()),
                        f"{base}/exceptions?month={first}")]


def exceptions_by_team(fw, project: dict, month: str, moment: dt.datetime) -> dict[str, int]:
    """The punch exceptions of *month* derived at *moment*, counted by team."""
    found: dict[str, int] = {}
    for row in sheet.exceptions(sheet.month_rows(fw, project, month, moment)):
        found[row["team"]] = found.get(row["team"], 0) + 1
    return found


def _handovers(fw, project: dict, user: dict, base: str) -> list[WaitingItem]:
    """A team leader's handovers of yesterday and today: logs to accept, changes not logged."""
    slug = project["slug"]
    led = {t.split(".", 1)[1] for t in user.get("teams") or () if t.startswith(f"{slug}.")}
    if not led or not fw.access.can(user, HANDOVER, project, route=True):
        return []
    now = fw.projects.now(project)
    today = now.date()
    closed = fw.store.closed_months(slug)
    rows = [r for r in handover.board(fw, slug, today - dt.timedelta(days=1), today, now)
            if r["team"] in led and r["date"][:7] not in closed]
    to_accept = sum(1 for r in rows if r["log"] and r["log"]["status"] == "submitted"
                    and r["log"]["by"] != user["username"])
    missing = sum(1 for r in rows if r["missing"])
    url = f"{base}/handover"
    return [WaitingItem("Handover logs to accept", "待接收的交接班记录", to_accept, url),
            WaitingItem("Handover logs missing", "缺少的交接班记录", missing, url)]
