"""What every incentives page reads off its request: the month it shows and the plugin's address
in the project (the pages of `pages.py` and the forms of `forms.py` share them)."""

from __future__ import annotations

from floorwalker.core import validate

from .settings import NAME


def this_month(p) -> str:
    """The month on the project's floor (its clock, in its time zone)."""
    return p.fw.projects.today(p.project).isoformat()[:7]


def month_param(p, default: str | None = None) -> str:
    """The ``month`` of the query or the form, else *default*, else this month; checked."""
    return validate.month(p.request.query_params.get("month") or p.form.get("month") or default
                          or this_month(p))


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"
