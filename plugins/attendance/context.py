"""What every attendance page reads from a request and hands to its template: the form's or
the query's fields (checked), the page's base address, names of agents and teams, and how the
holiday calendar marks a day."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from floorwalker.core import N_, SUPERVISORS, ValidationError

from .config import NAME

ALL_TEAMS = "all"  # the team filter's value that widens a team leader's page to every team


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def actor(p) -> str:
    return p.user["username"]


def arg(p, name: str, default: str = "") -> str:
    """A field of the POST form, else of the query string; a repeated field gives its last value."""
    value = p.form.get(name, p.request.query_params.get(name, default))
    if isinstance(value, list):
        value = value[-1] if value else default
    return value.strip() if isinstance(value, str) else value


def month_arg(p) -> str:
    text = arg(p, "month") or p.fw.projects.today(p.project).isoformat()[:7]
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ValidationError(N_("month"), N_("expected a month as YYYY-MM, got {value!r}"), value=text)
    return text


def date_arg(p, name: str = "date") -> str:
    text = arg(p, name) or p.fw.projects.today(p.project).isoformat()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationError(name, N_("expected a date as YYYY-MM-DD, got {value!r}"),
                              value=text) from None


def go(p, page: str, **query) -> object:
    """Redirect to *page* of the plugin with *query* (empty values left out)."""
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return p.redirect(f"{base(p)}/{page}" + (f"?{urlencode(query)}" if query else ""))


def names_of(p, first: str, last: str | None = None) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in p.fw.agents.in_project(p.project["slug"], first, last)}


def team_names(p) -> dict[str, str]:
    return {t["slug"]: t["name"] for t in p.fw.teams.of(p.project["slug"])}


def led_teams(p) -> list[str]:
    """The teams of this project a team leader leads (none for whoever runs the project)."""
    if set(p.user.get("roles") or ()) & set(SUPERVISORS):
        return []
    slug = p.project["slug"]
    return sorted(t.split(".", 1)[1] for t in p.user.get("teams") or () if t.startswith(f"{slug}."))


def shown_teams(p, team: str) -> list[str]:
    """The teams a page's team filter shows: the one picked; every team for ``ALL_TEAMS`` (an
    empty list); by default a team leader's own teams, everybody else's whole floor."""
    if team == ALL_TEAMS:
        return []
    return [team] if team else led_teams(p)


def team_agents(p, team: str, first: str, last: str) -> list[dict]:
    """The agents whose latest assignment from *first* to *last* is *team* of this project."""
    return [a for a, asg in p.fw.agents.in_project(p.project["slug"], first, last)
            if asg["project"] == p.project["slug"] and asg["team"] == team]


def day_kind(calendar, day: dt.date) -> str:
    """holiday, workday (a make-up workday), weekend or "" (an ordinary weekday)."""
    if calendar.is_holiday(day):
        return "holiday"
    if day in calendar.workdays:
        return "workday"
    return "weekend" if day.weekday() >= 5 else ""
