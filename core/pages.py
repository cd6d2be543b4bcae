"""The core's pages: sign-in and account, the projects, a dashboard, the roster, an agent's
month, the score sheet with its exports, and the months to close. The home page, which differs
by role, and the dashboard's figures (each a link to its list): `home`. Admin pages: `admin_pages`.

Each route names its action (see `auth.ACTIONS`); a handler is a sync function that receives a
`page.Page`. The score sheet's exports are made by `exports`, which quotes a text cell that a
spreadsheet would run as a formula, so a name like ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import Response

from . import admin_pages, import_pages, validate
from .auth import COOKIE
from .errors import FloorwalkerError, NotFound, ValidationError
from .exports import Table, to_csv, to_xlsx
from .home import figures, home, key_numbers, link, readable, this_month
from .i18n import LOCALES, N_, translate
from .ledger import build_sheet
from .page import LANG_COOKIE, Page, page, set_session_cookie
from .people import TIER_TITLES
from .plugins import collect
from .records import AgentSection, Evidence, Widget
from .rule_limits import AWARD_FAULTED
from .users import led_teams

# ---------------------------------------------------------------- sign-in and account


def login_form(p: Page) -> Response:
    if p.user is not None:
        return p.redirect("/")
    return p.render("login.html", next=safe_next(p.request.query_params.get("next")), username="",
                    error=None)


def login_submit(p: Page) -> Response:
    username = str(p.form.get("username", "")).strip().lower()
    next_url = safe_next(p.form.get("next"))
    address = p.shell.throttle.address(p.request)
    try:
        p.shell.throttle.check(username, address)
    except FloorwalkerError as err:
        return p.render("login.html", http_status=err.http_status, next=next_url, username=username,
                        error=err.message(p.locale))
    user = p.fw.users.authenticate(username, str(p.form.get("password", "")))
    if user is None:  # the same answer for an unknown user, a wrong password, a disabled account
        p.shell.throttle.failed(username, address)
        return p.render("login.html", http_status=400, next=next_url, username=username,
                        error=p._(N_("wrong user name or password")))
    p.shell.throttle.succeeded(username, address)
    picked = p.request.cookies.get(LANG_COOKIE)
    if picked in LOCALES and picked != user["locale"]:  # the language picked on the sign-in page
        user = p.fw.users.update(user["username"], user["username"], locale=picked)
    response = p.redirect(next_url)
    set_session_cookie(response, p.shell.sessions.start(user), p.request)
    return response


def safe_next(value) -> str:
    """Only a path on this site, with its query (never //host, a full URL or a control
    character a browser would drop), may be the place to go back to."""
    value = str(value or "/")
    parts = urlsplit(value)
    on_site = (value.startswith("/") and not value.startswith("//") and "\\" not in value
               and not parts.scheme and not parts.netloc and value.isprintable() and " " not in value)
    return value if on_site else "/"


def logout(p: Page) -> Response:
    p.shell.sessions.end(p.session)
    response = p.redirect("/login")
    response.delete_cookie(COOKIE, path="/")
    return response


def account(p: Page, errors: dict | None = None, done: bool = False, status: int = 200) -> Response:
    return p.render("account.html", http_status=status, errors=errors or {}, done=done, locales=LOCALES)


def change_password(p: Page) -> Response:
    """Change one's own password: the current one is required; other sessions end."""
    current, new, again = (str(p.form.get(k, "")) for k in ("current", "new", "again"))
    if p.fw.users.authenticate(p.user["username"], current) is None:
        return account(p, {"current": p._(N_("the current password is wrong"))}, status=422)
    if new != again:
        return account(p, {"again": p._(N_("the two new passwords differ"))}, status=422)
    try:
        p.fw.users.set_password(p.user["username"], new, p.user["username"])
    except ValidationError as err:
        return account(p, {"new": err.params["problem"].render(p.locale)}, status=422)
    p.shell.sessions.end_all(p.user["username"], p.user["username"])
    cookie = p.shell.sessions.start(p.user)
    p.session = p.shell.sessions.load(cookie)[0]
    response = account(p, done=True)
    set_session_cookie(response, cookie, p.request)
    return response


def choose_language(p: Page) -> Response:
    """Store the language for the signed-in user, and in this browser's cookie: the sign-in page
    speaks it, and signing in keeps it."""
    locale = str(p.form.get("locale", ""))
    if locale not in LOCALES:
        raise ValidationError(N_("language"), N_("must be one of {choices}"), choices=", ".join(LOCALES))
    response = p.redirect(safe_next(p.form.get("next")))
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, httponly=True, samesite="lax")
    if p.user is not None:
        p.fw.users.update(p.user["username"], p.user["username"], locale=locale)
    return response


# ---------------------------------------------------------------- projects and the dashboard


# Score bands of the dashboard's distribution: [low, high) with the last band up to full marks.
SCORE_BANDS = (("<60", 0, 60), ("60–69", 60, 70), ("70–79", 70, 80), ("80–89", 80, 90),
               ("90–99", 90, 100), ("100+", 100, 10_000))


def dashboard(p: Page) -> Response:
    """The project's month: each figure a link to the list behind it where the reader may open
    it (`home.figures`), the score distribution, the plugins' widgets, what waits for me."""
    month = validate.month(p.request.query_params.get("month") or this_month(p, p.project))
    numbers = readable(p, p.project, key_numbers(p, p.project, month))
    bands = [{"label": label, "count": sum(low <= t < high for t in numbers["totals"])}
             for label, low, high in SCORE_BANDS]
    widgets = collect(p.fw.project_hook(p.project, "dashboard_widgets"), Widget,
                      floorwalker=p.fw, project=p.project, period=month, user=p.user)
    waiting = p.waiting()
    shown = figures(p, p.project, month, numbers)
    if numbers["internal"]:  # the score events and their distribution: the staff's only
        shown["tiles"].insert(2, {"code": "events", "title": p._(N_("Score events")),
                                  "value": numbers["events"], "url": link(p, f"/p/{p.project['slug']}/scores/{month}")})
    else:
        bands = []
    return p.render("dashboard.html", month=month, numbers=numbers, bands=bands,
                    peak=max([b["count"] for b in bands] + [1]), widgets=widgets, figures=shown,
                    waiting=waiting, waiting_total=sum(w.count for w in waiting))


# ---------------------------------------------------------------- agents


AGENT_STATUSES = {"active": N_("Active"), "left": N_("Left")}


MY_TEAMS = "mine"


def team_filter(p: Page) -> tuple[str, set[str] | None]:
    """The team filter of a list (``?team=``): a team's slug, ``mine`` (the teams the reader
    leads) or empty for the whole project. A team leader's lists start at their own teams and
    may be widened to the project. Returns the choice and the team slugs kept (None: all)."""
    led = led_teams(p.user, p.project["slug"])
    chosen = p.request.query_params.get("team")
    if chosen is None:
        chosen = MY_TEAMS if led else ""
    if chosen == MY_TEAMS:
        return chosen, set(led)
    return chosen, ({chosen} if chosen else None)


def roster(p: Page) -> Response:
    slug = p.project["slug"]
    query = p.request.query_params
    status, search = query.get("status", ""), query.get("q", "").strip()
    team, kept = team_filter(p)
    teams = p.fw.teams.of(slug)
    names = {t["slug"]: t["name"] for t in teams}
    rows = []
    for agent, assignment in p.fw.agents.in_project(slug, "0000-01-01", "9999-12-31"):
        if (kept is not None and assignment["team"] not in kept) or (status and agent["status"] != status):
            continue
        if search and search.lower() not in f"{agent['name']} {agent['number']}".lower():
            continue
        tier = TIER_TITLES.get(agent["tier"], (agent["tier"],) * 2)
        rows.append({**agent, "team": assignment["team"], "team_name": names.get(assignment["team"], ""),
                     "tier_title": tier[1] if p.locale == "zh_CN" else tier[0]})
    return p.render("agents.html", rows=rows, teams=teams, team=team, status=status,
                    statuses=AGENT_STATUSES, q=search, month=this_month(p, p.project),
                    leads=bool(led_teams(p.user, slug)))


def agent_month(p: Page) -> Response:
    """The agent's month: the score with each event, its rule, who recorded it and why."""
    slug, number = p.project["slug"], p.params["number"]
    agent = _find(p, number)
    if agent is None or not any(a["project"] == slug for a in p.fw.agents.assignments(agent["number"])):
        raise NotFound(N_("no agent with employee number {number!r}"), number=number)
    p.authorize("agent.view", {**agent, "project": slug})
    month = validate.month(p.request.query_params.get("month") or this_month(p, p.project))
    settings = p.fw.projects.settings(p.project, "core")
    row = build_sheet(p.fw.ledger.agent_events(slug, month, agent["number"]), settings, p.fw.rules)
    describe_events(p, row["events"])
    sections = collect(p.fw.project_hook(p.project, "agent_sections"), AgentSection,
                       floorwalker=p.fw, project=p.project, agent=agent, period=month, user=p.user)
    months = validate.months_between(min(agent["hired"][:7], month),
                                     max(this_month(p, p.project), month))
    return p.render("agent.html", agent=agent, month=month, row=row, sections=sections,
                    months=list(reversed(months)), done=p.request.query_params.get("done"))


def describe_events(p: Page, events: list[dict]) -> None:
    """Give each score event what a person reads (in place): its rule's ``title``, its evidence
    as ``evidence_title`` and ``evidence_url`` (the plugins' `describe_evidence` and
    `evidence_links`; a record made by hand reads "recorded by hand", a reference typed with it
    as typed) and its ``reason_text``, in the reader's language where the plugin that wrote it
    can say so, else as stored."""
    links, described = {}, {}
    for found in collect(p.fw.project_hook(p.project, "evidence_links"), dict, floorwalker=p.fw,
                         project=p.project, events=events, user=p.user):
        links.update(found)
    for found in collect(p.fw.project_hook(p.project, "describe_evidence"), dict, floorwalker=p.fw,
                         project=p.project, events=events):
        described.update(found)
    for event in events:
        rule = p.fw.rules.get(event["rule"])
        event["title"] = rule[1].title(p.locale) if rule else event["rule"]
        event["evidence_url"] = links.get(event["id"])
        evidence = described.get(event["id"])
        if isinstance(evidence, Evidence):
            event["evidence_title"] = evidence.title(p.locale)
            event["reason_text"] = evidence.reason(p.locale) or event["reason"]
        else:
            event["evidence_title"] = event["evidence"] or p._(N_("recorded by hand"))
            event["reason_text"] = event["reason"]


def _find(p: Page, number: str) -> dict | None:
    try:
        return p.fw.agents.get(number)
    except NotFound:
        return None


# ---------------------------------------------------------------- the score sheet


# (key, title, getter) of the core's columns, in order.
CORE_COLUMNS = (
    ("number", N_("Employee no."), lambda r: r["number"]),
    ("name", N_("Name"), lambda r: r["name"]),
    ("team", N_("Team"), lambda r: r["team_name"] or r["team"] or ""),
    ("base", N_("Base"), lambda r: r["base"]),
    ("bonus", N_("Bonus"), lambda r: r["bonus"]),
    ("light", N_("Light"), lambda r: r["deductions"]["light"]),
    ("medium", N_("Medium"), lambda r: r["deductions"]["medium"]),
    ("severe", N_("Severe"), lambda r: r["deductions"]["severe"]),
    ("judgement", N_("Judgement"), lambda r: r["judgement"]),
    ("adjustment", N_("Adjustment"), lambda r: r["adjustment"]),
    ("result", N_("Derived from results"), lambda r: r["result"]),
    ("escalation", N_("Escalation"), lambda r: r["escalation"]),
    ("total", N_("Total"), lambda r: r["total"]),
)
_NOT_PLUGIN = {"number", "name", "team", "team_name", "base", "bonus", "deductions", "judgement",
               "adjustment", "result", "escalation", "violations", "raw_total", "total", "flags", "events",
               "hired", "status"}


def sheet_table(fw, project: dict, month: str, locale: str, sort: str,
                user: dict | None = None, teams: set[str] | None = None) -> tuple[list[dict], list[list]]:
    """Column headings (with the ``unit`` a plugin's column gives) and rows of cells, sorted by
    *sort* (``-total`` for descending), of the agents of *teams* (None: all). A plugin column
    behind an action (the pay float) is left out unless *user* holds it."""
    rows, plugin_columns = fw.ledger.sheet_and_columns(project["slug"], month)
    if teams is not None:
        rows = [row for row in rows if row.get("team") in teams]
    titles = {c.key: c.title(locale) for c in plugin_columns}
    units = {c.key: c.unit for c in plugin_columns}
    hidden = {c.key for c in plugin_columns if c.action and not fw.access.can(user, c.action, project)}
    extra = sorted({k for row in rows for k in row} - _NOT_PLUGIN - hidden)
    columns = [{"key": key, "title": translate(title, locale), "unit": ""} for key, title, _ in CORE_COLUMNS]
    columns += [{"key": key, "title": titles.get(key, key), "unit": units.get(key, "")} for key in extra]
    table = [[get(row) for _, _, get in CORE_COLUMNS] + [row.get(k) for k in extra] for row in rows]
    keys = [c["key"] for c in columns]
    field = sort.lstrip("-")
    if field in keys:
        i = keys.index(field)
        table.sort(key=lambda cells: (cells[i] is None, cells[i] if cells[i] is not None else 0),
                   reverse=sort.startswith("-"))
    return columns, table


def record_pages(p: Page) -> list[str]:
    """The forms recording a score event by hand that the reader may use here: an enabled
    plugin's page ``record``, declared with the action ``<plugin>.record`` (incentives')."""
    paths = {getattr(route, "path", "") for route in p.request.app.routes}
    return [f"/p/{p.project['slug']}/{plugin}/record" for plugin in p.project["plugins"]
            if f"/p/{{project}}/{plugin}/record" in paths and f"{plugin}.record" in p.fw.access.actions
            and p.can(f"{plugin}.record")]


def sheet_page(p: Page) -> Response:
    month = validate.month(p.params["month"])
    sort = p.request.query_params.get("sort", "number")
    team, kept = team_filter(p)
    columns, rows = sheet_table(p.fw, p.project, month, p.locale, sort, p.user, kept)
    months = [m["month"] for m in reversed(p.fw.periods.list(p.project["slug"]))]
    # agents holding the best of the month beside a violation since: a person decides before closing
    faulted = {r["number"] for r in p.fw.ledger.sheet(p.project["slug"], month, columns=False)
               if AWARD_FAULTED in r["flags"]}
    return p.render("scores.html", month=month, columns=columns, rows=rows, sort=sort, faulted=faulted,
                    can_export=p.can("scores.export"), months=months,
                    state=p.fw.periods.state(p.project["slug"], month), team=team,
                    teams=p.fw.teams.of(p.project["slug"]),
                    leads=bool(led_teams(p.user, p.project["slug"])), record_pages=record_pages(p))


def export_sheet(p: Page) -> Response:
    month = validate.month(p.params["month"])
    fmt = p.params["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise NotFound(N_("there is nothing at this address"))
    columns, rows = sheet_table(p.fw, p.project, month, p.locale,
                                p.request.query_params.get("sort", "number"), p.user, team_filter(p)[1])
    table = Table(month, [(c["key"], c["title"]) for c in columns], rows, fixed_columns=2)
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    return p.download(body, f"{p.project['slug']}-scores-{month}.{fmt}")


# ---------------------------------------------------------------- periods


def periods(p: Page, error: str | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    months = []
    for doc in reversed(p.fw.periods.list(slug)):
        past_open = doc["state"] != "closed" and doc["month"] < this_month(p, p.project)
        months.append({**doc, "closable": past_open,
                       "blockers": p.fw.periods.blockers(slug, doc["month"]) if past_open else []})
    done = p.request.query_params.get("closed", "")
    return p.render("periods.html", http_status=status, months=months, error=error,
                    can_close=p.can("periods.close"),
                    closed=done if any(m["month"] == done and m["state"] == "closed" for m in months) else "")


def close_period(p: Page) -> Response:
    month = validate.month(p.params["month"])
    try:
        p.fw.periods.close(p.project["slug"], month, p.user["username"], user=p.user)
    except FloorwalkerError as err:
        return periods(p, error=err.message(p.locale), status=err.http_status)
    return p.redirect(f"/p/{p.project['slug']}/periods?closed={month}")


def routes():
    return [
        page("/login", login_form, "public"),
        page("/login", login_submit, "public", methods=("POST",)),
        page("/language", choose_language, "public", methods=("POST",)),
        page("/logout", logout, "signed_in", methods=("POST",)),
        page("/account", account, "signed_in"),
        page("/account/password", change_password, "signed_in", methods=("POST",)),
        page("/", home, "signed_in"),
        page("/p/{project}/", dashboard, "project.dashboard"),
        page("/p/{project}/agents", roster, "agents.list"),
        page("/p/{project}/agents/{number}", agent_month, "agent.view"),
        page("/p/{project}/scores/{month}", sheet_page, "scores.view"),
        page("/p/{project}/scores/{month}/export.{fmt}", export_sheet, "scores.export"),
        page("/p/{project}/periods", periods, "periods.view"),
        page("/p/{project}/periods/{month}/close", close_period, "periods.close", methods=("POST",)),
        *admin_pages.routes(),
        *import_pages.routes(),
    ]
