"""What every incentives page reads off its request: the month it shows, the months it offers,
the plugin's address in the project and the summary of a sheet (the pages of `pages.py`, the
forms of `forms.py` and the leaders' sheet of `leaders.py` share them)."""

from __future__ import annotations

from collections import Counter

from floorwalker.core import validate

from .grades import GRADES
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


def months_of(p) -> list[str]:
    return [m["month"] for m in reversed(p.fw.periods.list(p.project["slug"]))]


def summary(rows: list[dict]) -> dict:
    """Grade distribution, average score and pay float total of a sheet."""
    grades = Counter(r.get("grade") for r in rows)
    totals = [r["total"] for r in rows]
    return {"grades": [(g, grades.get(g, 0)) for g in GRADES],
            "average": sum(totals) / len(totals) if totals else None,
            "pay_total": sum(r.get("pay_float") or 0 for r in rows),
            "flagged": [r for r in rows if {"dismissal_review", "dismissal_conduct", "award_faulted"}
                        & set(r.get("flags") or ())]}
