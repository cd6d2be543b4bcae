"""The home page (``/``): what each role needs first, and the figures of the dashboard, each a
link to the list behind it.

Every role gets a different home, per project it may see (`view_of` picks it):

- **managers** (admin, director, supervisor, QA, trainer): what waits for me (each kind a link
  to where it is decided), today's floor (the plugins' `home_panels`) and the month's main
  figures; with several projects, one table of one row per project instead of a card each;
- **a team leader**: their teams today (the plugins' panels: who is in, late, not yet in, on
  leave), what waits for them, and their teams' month: the scores, lowest first — no pay;
- **an agent login**: its own month (score; the plugins add the grade and its own pay float),
  today's shift and status and its requests with their answers (the plugins' panels);
- **a client login**: the service figures only (`readable` leaves the BPO's internal ones
  out) and no link it cannot follow.

A figure is a link only where the reader may follow it: `followable` matches the link against
the app's routes and asks `Access` whether the reader holds the route's action in the project
(and whether the project enables the route's plugin), so no role is shown a link that answers
403. Figures whose declarations share a group (the agents by grade) are drawn as one stacked
bar, not a tile each (`figures`).

Cost: the home asks each project for its month figures once (`key_numbers`: the core's sheet
rows without the plugins' columns, and the plugins' KPIs, which read what the ledger and the
attendance derivation keep per file generation) and the panels, which read today only. A team
leader's home reads the core's rows of the month only; an agent's, its own events.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from urllib.parse import urlsplit

from markupsafe import Markup
from starlette.responses import Response
from starlette.routing import Match

from . import validate
from .access import SUPERVISORS, in_scope
from .i18n import N_
from .ledger import build_sheet
from .page import Page
from .plugins import collect
from .records import KPI, WaitingItem, Widget

FAILING = 60  # below this the month fails (the domain's "below 60"): the tile opens the sheet at them


def this_month(p: Page, project: dict) -> str:
    """The month on the project's floor (its clock, in its time zone)."""
    return p.fw.projects.today(project).isoformat()[:7]


def key_numbers(p: Page, project: dict, month: str) -> dict:
    """Agents, average score, failing scores and events of the month, with the plugins' KPIs:
    kept per project, month and minute while the files they were worked out from are unchanged
    (`fw.summaries`; a KPI may count what has concluded by now, so the minute is in the key).
    Shared between views: not to be changed."""
    minute = p.fw.projects.now(project).replace(second=0, microsecond=0).isoformat()
    return p.fw.summaries.get("home.key_numbers", (project["slug"], month, minute),
                              lambda: month_numbers(p.fw, project, month))


def month_numbers(fw, project: dict, month: str) -> dict:
    """`key_numbers` worked out: the core's rows only (the plugins' columns, grade and pay
    float, are not read here) and every enabled plugin's KPIs."""
    totals = [row["total"] for row in fw.ledger.sheet(project["slug"], month, columns=False)]
    first, last = (dt.date.fromisoformat(day) for day in validate.month_bounds(month))
    kpis = collect(fw.project_hook(project, "project_kpis"), KPI, key="code", floorwalker=fw,
                   project=project, period=month, first=first, last=last)
    return {"agents": len(totals), "average": sum(totals) / len(totals) if totals else None,
            "failing": sum(1 for t in totals if t < FAILING),
            "events": len(fw.ledger.events(project["slug"], month)),
            "kpis": kpis, "totals": totals}


def readable(p: Page, project: dict, numbers: dict) -> dict:
    """*numbers* with only the KPIs the reader may see: a client or an agent login sees the
    ``client`` figures, staff the internal ones too, and a figure behind an action (pay) only
    its holders. A code nobody declared counts as internal. A reader who may not read internal
    figures gets no scores either (average, failing, events, totals: ``internal`` False) —
    the headcount stays."""
    def shown(kpi: KPI) -> bool:
        declared = p.fw.kpi_defs.get(kpi.code)
        return p.fw.access.reads(p.user, project, declared.audience if declared else "internal",
                                 declared.action if declared else "")
    kept = {**numbers, "kpis": [k for k in numbers["kpis"] if shown(k)], "internal": True}
    if not p.fw.access.reads(p.user, project):  # scores are the BPO's own: a client reads service figures
        kept.update(internal=False, average=None, failing=None, events=None, totals=[])
    return kept


# ---------------------------------------------------------------- links a reader may follow


def followable(p: Page, url: str | None) -> bool:
    """Whether the reader may open *url*: a GET route of this app whose action they hold in the
    route's project (which must enable the route's plugin). Nothing outside the app is."""
    if not url:
        return False
    cache = p.__dict__.setdefault("_followable", {})  # a page asks of the same list many times
    found = cache.get(url)
    if found is None:
        path = urlsplit(url).path
        found = cache[url] = cache[path] if path in cache else _may_open(p, path)
        cache[path] = found
    return found


ROUTES_KEPT = 4096  # paths whose route is known, per app


def _may_open(p: Page, path: str) -> bool:
    found = _route_of(p.request.app, path)
    if found is None:
        return False
    action, slug, plugin = found
    if slug is None:
        return p.fw.access.can(p.user, action, None, route=True)
    if not in_scope(p.user, slug):
        return False
    project = p.project if p.project and p.project["slug"] == slug else p.fw.projects.get(slug)
    return (plugin is None or plugin in project["plugins"]) and \
        p.fw.access.can(p.user, action, project, route=True)


def _route_of(app, path: str) -> tuple[str, str | None, str | None] | None:
    """(action, project slug, plugin) of the GET route *path* matches, or None. The routes do
    not change while the app runs, so each path is matched once (a home page links some
    ninety paths, each matched against every route)."""
    kept = getattr(app.state, "routes_of_paths", None)
    if kept is None or len(kept) > ROUTES_KEPT:
        kept = app.state.routes_of_paths = {}
    if path not in kept:
        kept[path] = None
        scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        for route in app.routes:
            action = getattr(route, "action", None)
            if action is None:
                continue
            match, child = route.matches(scope)
            if match is Match.FULL:
                kept[path] = (action, child.get("path_params", {}).get("project"),
                              getattr(route, "plugin", None))
                break
    return kept[path]


def link(p: Page, url: str | None) -> str | None:
    return url if followable(p, url) else None


# ---------------------------------------------------------------- figures


def figures(p: Page, project: dict, month: str, numbers: dict) -> dict:
    """The month's figures as tiles ({code, title, value, unit, target, url, n}) and stacked bars
    ({title, parts: [{label, title, value, url}], total}): the core's own, then the readable
    KPIs, those of one group as one bar. A url is kept only where the reader may follow it; how
    many fail the month is the BPO's own business (a client login is not told)."""
    slug = project["slug"]
    sheet = f"/p/{slug}/scores/{month}"
    tiles = [{"code": "agents", "title": p._(N_("Agents")), "value": numbers["agents"],
              "url": link(p, f"/p/{slug}/agents")}]
    if numbers.get("internal", True):  # the scores: the staff's, never a client's (`readable`)
        tiles.append({"code": "average", "title": p._(N_("Average score")), "value": numbers["average"],
                      "n": numbers["agents"] if numbers["average"] is not None else None, "url": link(p, sheet)})
        tiles.append({"code": "failing", "title": p._(N_("Below 60")), "value": numbers["failing"],
                      "url": link(p, f"{sheet}?sort=total"), "bad": bool(numbers["failing"])})
    bars: dict[tuple, dict] = {}
    for kpi in numbers["kpis"]:
        declared = p.fw.kpi_defs.get(kpi.code)
        if declared is not None and declared.group_en:
            bar = bars.setdefault((declared.group_en, declared.group_zh),
                                  {"title": declared.group(p.locale), "parts": [], "total": 0})
            value = kpi.value or 0  # a count: shown as it is, no locale's formatting needed
            value = int(value) if float(value).is_integer() else value
            bar["parts"].append({"label": declared.part or kpi.title(p.locale),
                                 "title": kpi.title(p.locale), "value": value, "url": link(p, kpi.url)})
            bar["total"] += value
            continue
        counted = declared is None or declared.aggregate != "sum"  # an average or a rate: its n beside it
        tiles.append({"code": kpi.code, "title": kpi.title(p.locale), "value": kpi.value,
                      "unit": kpi.unit, "target": kpi.target, "url": link(p, kpi.url),
                      "n": kpi.n if counted and kpi.value is not None else None})
    return {"tiles": tiles, "bars": list(bars.values())}


# ---------------------------------------------------------------- the home page


def view_of(user: dict, slug: str) -> str:
    """Which home *user* gets in project *slug*: "agent", "client", "leader" (a team leader of a
    team here, with no manager's role) or "manager"."""
    roles = set(user.get("roles") or ())
    if roles <= {"agent"}:
        return "agent"
    if roles <= {"client"}:
        return "client"
    if not roles & set(SUPERVISORS) and "team_leader" in roles and led_teams(user, slug):
        return "leader"
    return "manager"


def led_teams(user: dict, slug: str) -> list[str]:
    """The teams of project *slug* that *user* leads (their slugs)."""
    return [t.split(".", 1)[1] for t in user.get("teams") or () if t.startswith(f"{slug}.")]


def waiting_for(p: Page, project: dict) -> list[WaitingItem]:
    """What waits for the reader in *project* (as `Page.waiting` asks for the page's project)."""
    if p.project is not None and p.project["slug"] == project["slug"]:
        return p.waiting()
    return p.fw.summaries.get("home.waiting", _readers_key(p, project), lambda: [
        w for w in collect(p.fw.project_hook(project, "waiting_items"), WaitingItem,
                           floorwalker=p.fw, project=project, user=p.user) if w.count])


def panels(p: Page, project: dict) -> list[Widget]:
    """The plugins' panels of *project* for the reader (kept as `waiting_for` keeps its items)."""
    return p.fw.summaries.get("home.panels", _readers_key(p, project), lambda: collect(
        p.fw.project_hook(project, "home_panels"), Widget, floorwalker=p.fw, project=project,
        user=p.user))


def _readers_key(p: Page, project: dict) -> tuple:
    """What the plugins' waiting items and panels of *project* depend on besides the files they
    read (`fw.summaries` watches those): the project's record (its plugins and settings), the
    reader's (roles, projects, teams, agent; not the password's hash) and the minute on the
    project's floor — what is due, late or concluded moves with the clock, as the key numbers
    do (`key_numbers`). Shared between views: not to be changed."""
    minute = p.fw.projects.now(project).replace(second=0, microsecond=0).isoformat()
    reader = {k: v for k, v in (p.user or {}).items() if k != "password_hash"}
    return project["slug"], minute, repr(project), repr(reader)


def project_card(p: Page, project: dict) -> dict:
    slug = project["slug"]
    month = this_month(p, project)
    view = view_of(p.user, slug)
    card = {"project": project, "month": month, "view": view,
            "dashboard": link(p, f"/p/{slug}/"), "panels": panels(p, project)}
    if view in ("manager", "leader"):
        waiting = waiting_for(p, project)
        card.update(waiting=waiting, waiting_total=sum(w.count for w in waiting))
    if view in ("manager", "client"):
        card["figures"] = figures(p, project, month, readable(p, project, key_numbers(p, project, month)))
    elif view == "leader":
        card["team"] = team_month(p, project, month)
    else:
        card["own"] = own_month(p, project, month)
    return card


def team_month(p: Page, project: dict, month: str) -> dict:
    """The reader's teams' month from the core's sheet rows: every agent's score, lowest first,
    each a link to the agent's month. Scores only: the plugins' columns (pay) are not read."""
    slug = project["slug"]
    teams = set(led_teams(p.user, slug))
    rows = sorted((r for r in p.fw.ledger.sheet(slug, month, columns=False) if r["team"] in teams),
                  key=lambda r: (r["total"], r["number"]))
    totals = [r["total"] for r in rows]
    agents = [{"number": r["number"], "name": r["name"], "team_name": r["team_name"],
               "total": r["total"], "url": link(p, f"/p/{slug}/agents/{r['number']}?month={month}")}
              for r in rows]
    return {"agents": agents, "average": sum(totals) / len(totals) if totals else None,
            "failing": sum(1 for t in totals if t < FAILING), "sheet": link(p, f"/p/{slug}/scores/{month}"),
            "names": [t["name"] for t in p.fw.teams.of(slug) if t["slug"] in teams]}


def own_month(p: Page, project: dict, month: str) -> dict | None:
    """An agent login's own month: its score from its own events (nobody else's row is read)."""
    number, slug = p.user.get("agent"), project["slug"]
    if not number or not any(a["project"] == slug for a in p.fw.agents.assignments(number)):
        return None
    row = build_sheet(p.fw.ledger.agent_events(slug, month, number),
                      p.fw.projects.settings(project, "core"), p.fw.rules)
    return {"number": number, "total": row["total"], "events": len(row["events"]),
            "url": link(p, f"/p/{slug}/agents/{number}?month={month}")}


def home(p: Page) -> Response:
    """The reader's home; it reads each data file once (`Summaries.snapshot`): every project's
    figures, panels and waiting items ask for core.json and the months' files many times."""
    with p.fw.summaries.snapshot():
        return _home(p)


def _home(p: Page) -> Response:
    cards = [project_card(p, project) for project in p.fw.projects.all()
             if in_scope(p.user, project["slug"])]
    managed = [c for c in cards if c["view"] == "manager"]
    # a manager of several projects reads them side by side: one row per project
    table = len(managed) > 1
    columns: dict[str, str] = {}  # code -> title of each figure some project has
    bar_titles: dict[str, None] = {}
    if table:
        for card in managed:
            card["cells"] = {tile["code"]: tile for tile in card["figures"]["tiles"]}
            card["bar_cells"] = {bar["title"]: bar for bar in card["figures"]["bars"]}
            for tile in card["figures"]["tiles"]:
                columns.setdefault(tile["code"], tile["title"])
            bar_titles.update(dict.fromkeys(card["bar_cells"]))
        cells = p.shell.templates.get("_home_cells.html", p.locale, p.theme)
        for card in managed:
            card["figure_cells"] = figure_cells(p, cells, list(columns), list(bar_titles), card)
    return p.render("home.html", cards=[c for c in cards if not (table and c["view"] == "manager")],
                    rows=managed if table else [], bar_titles=list(bar_titles),
                    columns=[{"code": code, "title": title} for code, title in columns.items()],
                    month=max((c["month"] for c in cards), default=""))


# ---------------------------------------------------------------- the table's cells, kept rendered

CELLS_KEPT = 512  # rendered rows of figure cells, per app: a few hundred bytes each
_cells_mutex = threading.Lock()


def figure_cells(p: Page, template, codes: list[str], bar_titles: list[str], card: dict) -> Markup:
    """A table row's figure cells (*template*: `_home_cells.html`), rendered once per content: the key is
    everything the fragment reads — the template (its theme and language), the columns and bar
    titles, and each value, title, unit, target, n and link of the row's figures, with their
    types (their `repr`: 1, 1.0, True, Decimal('1') and Markup('1') are told apart) — so a
    changed figure, a link the reader may not follow, another language is another key, and
    nothing kept is ever shown for other figures. A value whose repr does not say what it is
    (``<… at 0x…>``) is rendered every time."""
    cells = [card["cells"].get(code) for code in codes]
    bars = [card["bar_cells"].get(title) for title in bar_titles]
    context = {"columns": [{"code": code} for code in codes], "bar_titles": bar_titles,
               "cells": card["cells"], "bar_cells": card["bar_cells"], "locale": p.locale}
    key = (template, p.locale, tuple(codes), tuple(bar_titles), repr(cells), repr(bars))
    if _ADDRESS in key[-2] or _ADDRESS in key[-1]:  # a value known by where it is, not what it is
        return Markup(template.render(context))
    kept = getattr(p.request.app.state, "home_cells", None)
    if kept is None:
        kept = p.request.app.state.home_cells = OrderedDict()
    with _cells_mutex:
        html = kept.get(key)
        if html is not None:
            kept.move_to_end(key)
    if html is None:
        html = Markup(template.render(context))
        with _cells_mutex:
            kept[key] = html
            while len(kept) > CELLS_KEPT:
                kept.popitem(last=False)
    return html


_ADDRESS = " at 0x"  # in the repr of an object that does not say its value
