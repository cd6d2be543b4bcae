"""The plugin's landing page, ``/p/{project}/reporting/``: the client portal for a client login,
a menu of the reporting pages for the staff.

**The client** sees its own project only: the periods whose report is published (never a
preview, nor the plan the supervisors are still writing), the month to date of its KPIs (only
the figures meant for the client, against target) and its issues with the form to raise one —
nothing of the BPO's pay, internal figures or other projects.

**The staff** get a menu of the plugin's pages (traffic, contract, KPIs, staffing, issues,
reports), each shown only where the reader may open it. Team leaders see the operations
reports as the staff do. **An agent** reads the landing page only where the project allows it
(setting ``agents_see_reports``, default no: 403 otherwise), and then only the reports and the
client's figures, as a client would — never the client's issues.

The figures come from `kpis.figures`, which keeps a client's (and an agent's) to the ``client``
ones.
"""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from floorwalker.core import N_, PermissionDenied, Route, Setting, Widget

from . import issues, kpis, report, traffic
from .actions import ISSUES, ISSUES_RAISE, PORTAL
from .config import NAME

SETTINGS = [
    Setting("agents_see_reports", "bool", False, "Agents may see the reports", "坐席可查看报表",
            help_en="Team leaders always see the operations reports; agents only when this is on.",
            help_zh="班长始终可查看运营报表；坐席仅在开启时可查看。",
            group_en="Client portal", group_zh="甲方门户"),
]
# the plugin's pages for the staff's menu: (path under the plugin, title, what it holds)
MENU = (("traffic", N_("Traffic"), N_("Calls and chats imported from the platforms, by interval")),
        ("contract", N_("Contract"), N_("KPI targets, penalties and the service-level formula, by version")),
        ("kpis", N_("KPIs"), N_("Every KPI by day, week and month against its target")),
        ("staffing", N_("Staffing"), N_("Agents required per interval against the roster")),
        ("issues", N_("Client issues"), N_("What the client raised and how each was closed")),
        ("reports", N_("Reports"), N_("The weekly and monthly client reports")))
REPORT_MONTHS = 6  # how many months back the portal lists


def shown_to(fw, project: dict, user: dict) -> bool:
    """Whether *user* may open the landing page: the portal's action, and for an agent login
    the project's ``agents_see_reports``."""
    if not fw.access.can(user, PORTAL, project):
        return False
    return not set(user.get("roles") or ()) <= {"agent"} or fw.projects.settings(project, NAME)["agents_see_reports"]


def client_like(user: dict) -> bool:
    """A client login, or an agent login: they read the project as its client does."""
    return not set(user.get("roles") or ()) - {"client", "agent"}


# ---------------------------------------------------------------- the figures


def month_to_date(fw, project: dict, user: dict, today: dt.date) -> list[dict]:
    """The month's KPIs so far as *user* may read them (`kpis.figures` filters them: a client or
    an agent reads the ``client`` ones): ``{title_en, title_zh, value, unit, target, met, n,
    span}``, value None where there is no data, a rate a fraction (shown as percent); *span* the
    days of a part where a contract version took effect inside the month."""
    found = kpis.figures(fw, project, today.replace(day=1), today, user)
    parts = {}
    for f in found:
        parts[f.code] = parts.get(f.code, 0) + 1
    return [{"title_en": f.title_en, "title_zh": f.title_zh, "value": f.value, "unit": f.unit,
             "target": f.target, "met": f.met, "n": f.n,
             "span": f"{f.first[5:]} – {f.last[5:]}" if parts[f.code] > 1 and f.first else ""} for f in found]


def report_periods(fw, project: dict, today: dt.date) -> list[dict]:
    """The months (newest first, up to `REPORT_MONTHS`, none after *today*) with traffic, each
    with its ISO weeks with traffic: ``{"month": "YYYY-MM", "weeks": ["YYYY-Www", …]}``."""
    found = []
    for month in reversed(traffic.stored_months(fw, project)):
        if month > today.isoformat()[:7]:
            continue
        first = dt.date.fromisoformat(f"{month}-01")
        last = min(today, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
        days = {row["day"] for row in traffic.rows(fw, project, first, last)}
        if days:
            weeks = sorted({"{}-W{:02d}".format(*dt.date.fromisoformat(d).isocalendar()[:2]) for d in days},
                           reverse=True)
            found.append({"month": month, "weeks": weeks})
        if len(found) == REPORT_MONTHS:
            break
    return found


def published_periods(periods: list[dict], published: set[str]) -> list[dict]:
    """*periods* (`report_periods`) cut to the published reports: a client reads no report
    before it is published, so the portal lists none (a month stays listed, without its link,
    while one of its weeks is published)."""
    found = []
    for period in periods:
        weeks = [w for w in period["weeks"] if w in published]
        if period["month"] in published or weeks:
            found.append({"month": period["month"], "weeks": weeks})
    return found


# ---------------------------------------------------------------- the page


def _menu(p) -> list[dict]:
    """The plugin's pages the reader may open (a GET route of the app whose action they hold)."""
    paths = {}
    for route in p.request.app.routes:
        action = getattr(route, "action", None)
        if action and "GET" in (getattr(route, "methods", None) or ()):
            paths.setdefault(route.path, action)
    prefix = f"/p/{{project}}/{NAME}/"
    found = []
    for path, title, what in MENU:
        action = paths.get(prefix + path) or paths.get(prefix + path + "/")
        if action and p.can(action):
            found.append({"url": f"/p/{p.project['slug']}/{NAME}/{path}", "title": p._(title), "what": p._(what)})
    return found


def landing(p) -> Response:
    if not shown_to(p.fw, p.project, p.user):
        raise PermissionDenied(N_("the project does not show the reports to agents"))
    today = p.fw.projects.today(p.project)
    if not client_like(p.user):
        return p.render("reporting/menu.html", menu=_menu(p))
    published = {r["id"] for r in report.published(p.fw, p.project)}
    context = {"periods": published_periods(report_periods(p.fw, p.project, today), published), "today": today,
               "published": published,
               "figures": month_to_date(p.fw, p.project, p.user, today), "reports": _menu_url(p, "reports")}
    if p.can(ISSUES):
        context.update(issues_rows=_issue_rows(p), can_raise=p.can(ISSUES_RAISE), errors={}, values={},
                       **_issue_words(p))
    return p.render("reporting/portal.html", **context)


def _menu_url(p, path: str) -> str | None:
    return next((m["url"] for m in _menu(p) if m["url"].endswith(f"/{path}")), None)


def _issue_rows(p) -> list[dict]:
    from .issue_pages import rows_of
    return rows_of(p, issues.all_of(p.fw, p.project))


def _issue_words(p) -> dict:
    from .issue_pages import words
    return words(p)


def routes() -> list[Route]:
    return [Route("/", landing, action=PORTAL)]


def home_panel(fw, project: dict, user: dict) -> list[Widget]:
    """The client's home leads to the portal: its open issues and those waiting for its
    confirmation, and the link (an agent's too, where the project shows it the reports)."""
    if not client_like(user) or not shown_to(fw, project, user):
        return []
    context = {"url": f"/p/{project['slug']}/{NAME}/", "open": None, "confirm": None}
    if fw.access.can(user, ISSUES, project):
        docs = issues.all_of(fw, project)
        context.update(open=sum(1 for d in docs if d["status"] != "closed"),
                       confirm=sum(1 for d in docs if d["status"] == "answered"))
    return [Widget(title_en="Client portal", title_zh="甲方门户", template="reporting/home_panel.html",
                   context=context, order=10)]
